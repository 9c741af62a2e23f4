import { align4 } from './align.js';
import { NLA_F_NESTED, NLA_F_NET_BYTEORDER, NLA_HDRLEN, NLA_TYPE_MASK } from './constants.js';
import { HOST_LE, viewOf } from './endian.js';
import { WireError } from './errors.js';
import { decodeText } from './text.js';


/**
 * AttributeReader walks a run of netlink attributes (TLVs) without copying.
 *
 *   0       2       4
 *   +-------+-------+-------------------+---------+
 *   |nla_len|nla_typ| value …           | padding |
 *   +-------+-------+-------------------+---------+
 *   nla_type bits: 15 NESTED, 14 NET_BYTEORDER, 13..0 type
 *
 * Like mdlayher/netlink's AttributeDecoder: loop on next(), read the current value with the
 * typed getters, check `error` once at the end. A zero-length attribute or one that runs past
 * its parent stops the walk with an error instead of looping or throwing.
 */
export class AttributeReader {
  /** The attribute type with flag bits masked off. */
  type = 0;
  /** nla_type as sent, flag bits included. */
  rawType = 0;
  /** Offset of the attribute header. */
  offset = 0;
  /** Offset of the first value byte. */
  start = 0;
  /** Offset one past the last value byte. */
  end = 0;
  /** Why the walk stopped early, or null. */
  error: WireError | null = null;

  readonly buf: Uint8Array;
  readonly view: DataView;
  private pos: number;
  private readonly limit: number;

  constructor(buf: Uint8Array, start = 0, end = buf.byteLength, view?: DataView) {
    this.buf = buf;
    this.view = view ?? viewOf(buf);
    this.pos = start;
    this.limit = Math.min(end, buf.byteLength);
    // A start before the buffer (an offset computed from hostile lengths) is malformed input,
    // reported like any other; `!(x >= 0)` also catches NaN.
    if (!(start >= 0)) this.error = new WireError('attributes start outside the buffer', start);
  }

  /** Advances to the next attribute; false at the end or on malformed input (see `error`). */
  next(): boolean {
    const at = this.pos;
    const left = this.limit - at;
    if (!(left > 0) || this.error) return false;
    if (left < NLA_HDRLEN) {
      // Trailing padding shorter than a header is tolerated, as the kernel's nla_for_each does.
      return false;
    }
    const len = this.view.getUint16(at, HOST_LE);
    if (len < NLA_HDRLEN) {
      this.error = new WireError(`attribute length ${len} is shorter than its header`, at);
      return false;
    }
    if (len > left) {
      this.error = new WireError(`attribute length ${len} runs past its parent (${left} bytes left)`, at);
      return false;
    }
    const raw = this.view.getUint16(at + 2, HOST_LE);
    this.rawType = raw;
    this.type = raw & NLA_TYPE_MASK;
    this.offset = at;
    this.start = at + NLA_HDRLEN;
    this.end = at + len;
    this.pos = at + align4(len);
    return true;
  }

  /** True when NLA_F_NESTED is set on the current attribute. */
  get nested(): boolean {
    return (this.rawType & NLA_F_NESTED) !== 0;
  }
  /** True when NLA_F_NET_BYTEORDER is set on the current attribute. */
  get netByteOrder(): boolean {
    return (this.rawType & NLA_F_NET_BYTEORDER) !== 0;
  }
  /** Length of the current value in bytes. */
  get length(): number {
    return this.end - this.start;
  }

  /** The value as u8. */
  u8(): number {
    return this.length >= 1 ? this.buf[this.start]! : 0;
  }
  /** The value as u16 in host order (network order when NLA_F_NET_BYTEORDER is set). */
  u16(): number {
    return this.length >= 2 ? this.view.getUint16(this.start, !this.netByteOrder && HOST_LE) : 0;
  }
  /** The value as u32 in host order (network order when NLA_F_NET_BYTEORDER is set). */
  u32(): number {
    return this.length >= 4 ? this.view.getUint32(this.start, !this.netByteOrder && HOST_LE) : 0;
  }
  /** The value as s32 in host order. */
  s32(): number {
    return this.length >= 4 ? this.view.getInt32(this.start, !this.netByteOrder && HOST_LE) : 0;
  }
  /** The value as u64 in host order. */
  u64(): bigint {
    return this.length >= 8 ? this.view.getBigUint64(this.start, !this.netByteOrder && HOST_LE) : 0n;
  }
  /** The value as a string, up to the first NUL; bytes that are not UTF-8 are kept (see decodeText). */
  string(): string {
    let e = this.start;
    const buf = this.buf;
    while (e < this.end && buf[e] !== 0) e++;
    return decodeText(buf.subarray(this.start, e));
  }
  /** A copy of the value bytes. */
  bytes(): Uint8Array {
    return this.buf.slice(this.start, this.end);
  }
  /** A reader over the current value's nested attributes. */
  nest(): AttributeReader {
    return new AttributeReader(this.buf, this.start, this.end, this.view);
  }
}

/** One attribute copied out of a buffer: its type (flags masked), flag bits and value. */
export interface Attribute {
  /** Type without flag bits. */
  type: number;
  /** NLA_F_NESTED was set. */
  nested: boolean;
  /** NLA_F_NET_BYTEORDER was set. */
  netByteOrder: boolean;
  /** The value (a copy). */
  value: Uint8Array;
}

/** Parses a run of attributes into copies; throws WireError on malformed input. */
export function parseAttributes(buf: Uint8Array, start = 0, end = buf.byteLength): Attribute[] {
  const r = new AttributeReader(buf, start, end);
  const out: Attribute[] = [];
  while (r.next()) out.push({ type: r.type, nested: r.nested, netByteOrder: r.netByteOrder, value: r.bytes() });
  if (r.error) throw r.error;
  return out;
}

/**
 * Resolves a byte offset inside a run of attributes (as the kernel reports in
 * NLMSGERR_ATTR_OFFS) to the path of attribute types that contains it, outermost first.
 * Attributes are descended into when their value parses as attributes. Returns [] when the
 * offset is outside every attribute.
 */
export function attributePathAt(buf: Uint8Array, start: number, end: number, target: number): number[] {
  const path: number[] = [];
  let r = new AttributeReader(buf, start, end);
  for (;;) {
    let found = false;
    while (r.next()) {
      if (target >= r.offset && target < r.end) {
        path.push(r.type);
        found = true;
        if (target === r.offset || !looksNested(buf, r.start, r.end)) return path;
        r = r.nest();
        break;
      }
    }
    if (!found) return path;
  }
}

function looksNested(buf: Uint8Array, start: number, end: number): boolean {
  if (end - start < NLA_HDRLEN) return false;
  const r = new AttributeReader(buf, start, end);
  let n = 0;
  while (r.next()) n++;
  return r.error === null && n > 0;
}
