import { align4 } from './align.js';
import { NLA_F_NESTED, NLA_F_NET_BYTEORDER, NLA_HDRLEN, NLMSG_HDRLEN } from './constants.js';
import { HOST_LE } from './endian.js';
import { encodeText } from './text.js';

/**
 * MessageWriter builds one or more netlink messages in a growable buffer.
 *
 *   w.begin(type, flags)      writes a header, remembers where it starts
 *   w.struct(n) / w.u32(…)    fixed family header (ifinfomsg, rtmsg, genlmsghdr, …)
 *   w.attrU32(type, v) …      attributes, 4-byte aligned, padding zeroed
 *   const n = w.beginNest(t); …; w.endNest(n)
 *   w.end()                   patches nlmsg_len
 *   w.finish()                the bytes (a view, valid until the writer is reused)
 *
 * Several begin/end pairs make a batch in one buffer.
 */
export class MessageWriter {
  private buf: Uint8Array;
  private dv: DataView;
  private len = 0;
  private msgStart = -1;

  constructor(initialSize = 256) {
    this.buf = new Uint8Array(Math.max(initialSize, 64));
    this.dv = new DataView(this.buf.buffer);
  }

  /** Bytes written so far. */
  get length(): number {
    return this.len;
  }

  /** The DataView over the whole internal buffer, for patching fixed structs in place. */
  get view(): DataView {
    return this.dv;
  }

  /** Drops everything written, keeping the buffer. */
  reset(): this {
    this.len = 0;
    this.msgStart = -1;
    return this;
  }

  /** Drops everything written after the first `len` bytes. */
  truncate(len: number): this {
    if (len < this.len) this.len = Math.max(0, len);
    return this;
  }

  /**
   * Reserves `n` zeroed bytes, 4-byte aligned, and returns their offset. They start aligned
   * too: after bytes kept unpadded (a malformed tail re-encoded as received, then truncated to
   * its length) the gap is zeroed padding.
   */
  reserve(n: number): number {
    const from = this.len;
    const at = (from + 3) & ~3;
    const total = align4(n);
    this.ensure(at - from + total);
    this.buf.fill(0, from, at + total);
    this.len = at + total;
    return at;
  }

  /** Starts a message with the given type and flags; seq and pid are patched by the socket. */
  begin(type: number, flags: number, seq = 0, pid = 0): number {
    const at = this.reserve(NLMSG_HDRLEN);
    const dv = this.dv;
    dv.setUint16(at + 4, type, HOST_LE);
    dv.setUint16(at + 6, flags, HOST_LE);
    dv.setUint32(at + 8, seq, HOST_LE);
    dv.setUint32(at + 12, pid, HOST_LE);
    this.msgStart = at;
    return at;
  }

  /** Ends the current message by writing its nlmsg_len. */
  end(): void {
    if (this.msgStart < 0) throw new Error('MessageWriter.end() without begin()');
    this.dv.setUint32(this.msgStart, this.len - this.msgStart, HOST_LE);
    this.msgStart = -1;
  }

  /** Appends raw bytes (padded to 4) and returns their offset. */
  bytes(data: Uint8Array): number {
    const at = this.reserve(data.byteLength);
    this.buf.set(data, at);
    return at;
  }

  /** Appends a zeroed fixed struct of `n` bytes and returns its offset (fill it via `view`). */
  struct(n: number): number {
    return this.reserve(n);
  }

  /** Appends an attribute with a raw value. */
  attr(type: number, value: Uint8Array): void {
    const at = this.attrHeader(type, value.byteLength);
    this.buf.set(value, at + NLA_HDRLEN);
  }

  /** Appends an attribute header with room for `len` value bytes; returns the value's offset (write it via `view`). */
  attrSpace(type: number, len: number): number {
    return this.attrHeader(type, len) + NLA_HDRLEN;
  }

  /** Appends a flag attribute (no value). */
  attrFlag(type: number): void {
    this.attrHeader(type, 0);
  }

  /** Appends a u8 attribute. */
  attrU8(type: number, v: number): void {
    const at = this.attrHeader(type, 1);
    this.dv.setUint8(at + NLA_HDRLEN, v);
  }

  /** Appends a u16 attribute (host order, or network order with NLA_F_NET_BYTEORDER if `be`). */
  attrU16(type: number, v: number, be = false): void {
    const at = this.attrHeader(be ? type | NLA_F_NET_BYTEORDER : type, 2);
    this.dv.setUint16(at + NLA_HDRLEN, v, !be && HOST_LE);
  }

  /** Appends a u32 attribute (host order, or network order with NLA_F_NET_BYTEORDER if `be`). */
  attrU32(type: number, v: number, be = false): void {
    const at = this.attrHeader(be ? type | NLA_F_NET_BYTEORDER : type, 4);
    this.dv.setUint32(at + NLA_HDRLEN, v >>> 0, !be && HOST_LE);
  }

  /** Appends an s32 attribute in host order. */
  attrS32(type: number, v: number): void {
    const at = this.attrHeader(type, 4);
    this.dv.setInt32(at + NLA_HDRLEN, v, HOST_LE);
  }

  /** Appends a u64 attribute in host order. */
  attrU64(type: number, v: bigint | number): void {
    const at = this.attrHeader(type, 8);
    this.dv.setBigUint64(at + NLA_HDRLEN, BigInt(v), HOST_LE);
  }

  /** Appends a NUL-terminated string attribute. */
  attrString(type: number, s: string): void {
    const enc = encodeText(s);
    const at = this.attrHeader(type, enc.byteLength + 1);
    this.buf.set(enc, at + NLA_HDRLEN);
    this.buf[at + NLA_HDRLEN + enc.byteLength] = 0;
  }

  /** Opens a nested attribute (NLA_F_NESTED set unless `flag` is false); returns its offset. */
  beginNest(type: number, flag = true): number {
    return this.attrHeader(flag ? type | NLA_F_NESTED : type, 0);
  }

  /** Closes a nested attribute opened at `at` by writing its length. */
  endNest(at: number): void {
    const len = this.len - at;
    // nla_len is 16 bits: a longer nest cannot be expressed, and silently wrapping would corrupt it.
    if (len > 0xffff) throw new RangeError(`nested attribute of ${len} bytes exceeds the 65535 an nla_len can hold`);
    this.dv.setUint16(at, len, HOST_LE);
  }

  /** A view of the bytes written (shares memory with the writer). */
  finish(): Uint8Array {
    return this.buf.subarray(0, this.len);
  }

  /** A copy of the bytes written. */
  toBytes(): Uint8Array {
    return this.buf.slice(0, this.len);
  }

  private attrHeader(type: number, valueLen: number): number {
    const total = NLA_HDRLEN + valueLen;
    if (total > 0xffff) throw new RangeError(`attribute ${type & 0x3fff} value of ${valueLen} bytes exceeds 65531`);
    const at = this.reserve(total);
    this.dv.setUint16(at, total, HOST_LE);
    this.dv.setUint16(at + 2, type, HOST_LE);
    return at;
  }

  private ensure(extra: number): void {
    const need = this.len + extra;
    if (need <= this.buf.byteLength) return;
    let size = this.buf.byteLength * 2;
    while (size < need) size *= 2;
    const next = new Uint8Array(size);
    next.set(this.buf.subarray(0, this.len));
    this.buf = next;
    this.dv = new DataView(next.buffer);
  }
}
