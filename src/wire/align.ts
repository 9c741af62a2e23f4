// Alignment helpers. Netlink aligns both messages and attributes to 4 bytes.

/** NLMSG_ALIGN(len) / NLA_ALIGN(len): `((len) + 3) & ~3`. */
export function align4(len: number): number {
  return (len + 3) & ~3;
}
