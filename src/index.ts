// nlkit: the Netlink toolkit. Each layer is also its own entry point (nlkit/wire, nlkit/socket, …).
export * from './wire/index.js';
export * from './socket/index.js';
