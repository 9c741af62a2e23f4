// Netlink integers are in host byte order unless an attribute says otherwise.

/** True on little-endian hosts; pass as DataView's `littleEndian` argument for host order. */
export const HOST_LE = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/** A DataView over exactly the bytes of `buf`. */
export function viewOf(buf: Uint8Array): DataView {
  return new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
}
