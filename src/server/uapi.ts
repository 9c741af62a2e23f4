// Constants of <linux/genetlink.h> and the policy-description enums of <linux/netlink.h> that
// the kernel side needs. They are generated once, for the client (genl/gen/genetlink.ts), and
// the server uses the same table.
export * from '../genl/gen/genetlink.js';
