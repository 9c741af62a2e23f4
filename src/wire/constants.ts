// Netlink constants. Every kernel value is generated from <linux/netlink.h> into
// gen/netlink.ts by scripts/gen-constants.mjs (`npm run gen`); only what the header leaves to
// the C type system is said here.
import { NLA_F_NESTED, NLA_F_NET_BYTEORDER } from './gen/netlink.js';

export * from './gen/netlink.js';

/**
 * The type bits of nlattr.nla_type. The header's `~(NLA_F_NESTED | NLA_F_NET_BYTEORDER)` is a
 * negative int; nla_type is a __u16, so the mask is taken in 16 bits.
 */
export const NLA_TYPE_MASK = ~(NLA_F_NESTED | NLA_F_NET_BYTEORDER) & 0xffff;
