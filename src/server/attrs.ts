import { AttributeReader, HOST_LE, NLA_HDRLEN } from '../wire/index.js';
import { decodeText } from '../wire/text.js';

/**
 * Attrs is the kernel's `struct nlattr *tb[maxtype + 1]` after nla_parse(): the attributes of
 * a validated request by type, read in place from the received datagram. Getters assume the
 * policy already checked the length; an absent attribute reads as undefined.
 */
export class Attrs {
  /** Header offset of each attribute by type, -1 when absent. */
  readonly offsets: Int32Array;

  constructor(readonly buf: Uint8Array, readonly view: DataView, maxtype: number) {
    this.offsets = new Int32Array(maxtype + 1).fill(-1);
  }

  /** True when the attribute was sent. */
  has(type: number): boolean {
    return (this.offsets[type] ?? -1) >= 0;
  }

  /** Absolute offset of the attribute's header in the datagram (for extended-ACK offsets). */
  offset(type: number): number | undefined {
    const o = this.offsets[type] ?? -1;
    return o >= 0 ? o : undefined;
  }

  /** The value's [start, end) in the datagram. */
  range(type: number): [number, number] | undefined {
    const o = this.offset(type);
    if (o === undefined) return undefined;
    return [o + NLA_HDRLEN, o + this.view.getUint16(o, HOST_LE)];
  }

  /** The value as u8 (nla_get_u8). */
  u8(type: number): number | undefined {
    const r = this.range(type);
    return r && r[1] - r[0] >= 1 ? this.view.getUint8(r[0]) : undefined;
  }
  /** The value as u16 in host order (nla_get_u16). */
  u16(type: number): number | undefined {
    const r = this.range(type);
    return r && r[1] - r[0] >= 2 ? this.view.getUint16(r[0], HOST_LE) : undefined;
  }
  /** The value as u32 in host order (nla_get_u32). */
  u32(type: number): number | undefined {
    const r = this.range(type);
    return r && r[1] - r[0] >= 4 ? this.view.getUint32(r[0], HOST_LE) : undefined;
  }
  /** The value as u64 in host order (nla_get_u64). */
  u64(type: number): bigint | undefined {
    const r = this.range(type);
    return r && r[1] - r[0] >= 8 ? this.view.getBigUint64(r[0], HOST_LE) : undefined;
  }
  /** The value as s8. */
  s8(type: number): number | undefined {
    const r = this.range(type);
    return r && r[1] - r[0] >= 1 ? this.view.getInt8(r[0]) : undefined;
  }
  /** The value as s16. */
  s16(type: number): number | undefined {
    const r = this.range(type);
    return r && r[1] - r[0] >= 2 ? this.view.getInt16(r[0], HOST_LE) : undefined;
  }
  /** The value as s32. */
  s32(type: number): number | undefined {
    const r = this.range(type);
    return r && r[1] - r[0] >= 4 ? this.view.getInt32(r[0], HOST_LE) : undefined;
  }
  /** The value as s64. */
  s64(type: number): bigint | undefined {
    const r = this.range(type);
    return r && r[1] - r[0] >= 8 ? this.view.getBigInt64(r[0], HOST_LE) : undefined;
  }
  /** The value as a string up to the first NUL (nla_data for NLA_NUL_STRING, nla_strscpy for NLA_STRING). */
  string(type: number): string | undefined {
    const r = this.range(type);
    if (!r) return undefined;
    let e = r[0];
    while (e < r[1] && this.buf[e] !== 0) e++;
    return decodeText(this.buf.subarray(r[0], e));
  }
  /** A copy of the value bytes. */
  bytes(type: number): Uint8Array | undefined {
    const r = this.range(type);
    return r ? this.buf.slice(r[0], r[1]) : undefined;
  }
  /** True when a flag attribute is present (nla_get_flag). */
  flag(type: number): boolean {
    return this.has(type);
  }
  /** A reader over a nest's contents, for walking arrays or parsing with another policy. */
  nest(type: number): AttributeReader | undefined {
    const r = this.range(type);
    return r ? new AttributeReader(this.buf, r[0], r[1], this.view) : undefined;
  }
}
