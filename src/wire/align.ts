// Alignment helpers. Netlink aligns both messages and attributes to 4 bytes.

/**
 * NLMSG_ALIGN(len) / NLA_ALIGN(len): `((len) + 3) & ~3`, for any length a u32 can hold.
 *
 * JavaScript's `&` works on signed 32-bit integers, so the C expression written as is turns a
 * u32 at or above 2^31 negative (0x80000000 -> -2147483648) and sends a reader before its
 * buffer. Only the low two bits go through `&` here: the result is exact and never negative
 * for every non-negative integer below 2^53 (0xffffffff -> 0x100000000, not C's wrap to 0, so
 * a hostile length can only point past the end, where callers' bounds checks catch it).
 */
export function align4(len: number): number {
  return len + (-len & 3);
}
