// Constants of <linux/genetlink.h> and the policy-description enums of <linux/netlink.h> that
// the kernel side needs. They are generated once, for the client (genl/gen/genetlink.ts), and
// the server uses the same table.
export * from '../genl/gen/genetlink.js';

/**
 * NL_ATTR_TYPE_SINT of <linux/netlink.h> (Linux 6.7): missing from older installed headers, from
 * which the generated table is made, so written here once.
 */
export const NL_ATTR_TYPE_SINT = 16;
/** NL_ATTR_TYPE_UINT of <linux/netlink.h> (Linux 6.7); see NL_ATTR_TYPE_SINT. */
export const NL_ATTR_TYPE_UINT = 17;
