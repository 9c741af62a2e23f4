// NETLINK_NETFILTER constants: generated from the UAPI headers (gen/nfnetlink.ts), re-exported.
export * from './gen/nfnetlink.js';
