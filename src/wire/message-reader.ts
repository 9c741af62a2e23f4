import { align4 } from './align.js';
import { NLMSG_HDRLEN } from './constants.js';
import { HOST_LE, viewOf } from './endian.js';
import { WireError } from './errors.js';

/**
 * MessageReader walks the netlink messages of one datagram without copying.
 *
 *   0               4       6       8              12             16
 *   +---------------+-------+-------+---------------+---------------+----------
 *   | nlmsg_len     | type  | flags | nlmsg_seq     | nlmsg_pid     | payload…
 *   +---------------+-------+-------+---------------+---------------+----------
 *   next message at offset + NLMSG_ALIGN(nlmsg_len)
 *
 * Call next() until it returns false, then check `error`: a malformed header stops the walk
 * and is reported there, never thrown. The last message of a datagram may have an unaligned
 * length (nfnetlink sends such); that is accepted.
 */
export class MessageReader {
  /** Offset of the current message's header. */
  offset = 0;
  /** nlmsg_len of the current message. */
  length = 0;
  /** nlmsg_type. */
  type = 0;
  /** nlmsg_flags. */
  flags = 0;
  /** nlmsg_seq. */
  seq = 0;
  /** nlmsg_pid (the port id). */
  pid = 0;
  /** Offset of the first payload byte. */
  payloadStart = 0;
  /** Offset one past the last payload byte. */
  payloadEnd = 0;
  /** Why the walk stopped early, or null. */
  error: WireError | null = null;

  readonly buf: Uint8Array;
  readonly view: DataView;
  /** Offset one past the last byte of the datagram. */
  readonly end: number;
  private pos: number;
  private copied: Uint8Array | undefined;

  /**
   * Walks `buf` from `start` to `end`. `owned` says the bytes are already a copy that the
   * messages may keep (payloadCopy() then returns views of it instead of copying again).
   */
  constructor(buf: Uint8Array, start = 0, end = buf.byteLength, view?: DataView, owned = false) {
    this.buf = buf;
    this.view = view ?? viewOf(buf);
    this.pos = start;
    this.end = Math.min(end, buf.byteLength);
    if (owned) this.copied = buf;
    // A start before the buffer is malformed input, reported like any other (NaN included).
    if (!(start >= 0)) this.error = new WireError('messages start outside the buffer', start);
  }

  /**
   * A copy of the current message's payload. All messages of one datagram share one copy of
   * it (one allocation per datagram, not per message), so keeping them is cheap.
   */
  payloadCopy(): Uint8Array {
    const c = (this.copied ??= this.buf.slice(0, this.end));
    return c.subarray(this.payloadStart, this.payloadEnd);
  }

  /** Advances to the next message; false at the end or on malformed input (see `error`). */
  next(): boolean {
    const at = this.pos;
    const left = this.end - at;
    if (!(left > 0) || this.error) return false;
    if (left < NLMSG_HDRLEN) {
      this.error = new WireError(`short netlink header (${left} bytes)`, at);
      return false;
    }
    const dv = this.view;
    const len = dv.getUint32(at, HOST_LE);
    if (len < NLMSG_HDRLEN) {
      this.error = new WireError(`nlmsg_len ${len} is shorter than the header`, at);
      return false;
    }
    if (len > left) {
      this.error = new WireError(`nlmsg_len ${len} runs past the buffer (${left} bytes left)`, at);
      return false;
    }
    this.offset = at;
    this.length = len;
    this.type = dv.getUint16(at + 4, HOST_LE);
    this.flags = dv.getUint16(at + 6, HOST_LE);
    this.seq = dv.getUint32(at + 8, HOST_LE);
    this.pid = dv.getUint32(at + 12, HOST_LE);
    this.payloadStart = at + NLMSG_HDRLEN;
    this.payloadEnd = at + len;
    this.pos = Math.min(at + align4(len), this.end);
    return true;
  }
}

/** A netlink message copied out of a receive buffer. */
export interface NetlinkMessage {
  /** nlmsg_type. */
  type: number;
  /** nlmsg_flags. */
  flags: number;
  /** nlmsg_seq. */
  seq: number;
  /** nlmsg_pid. */
  pid: number;
  /** The payload after the 16-byte header (a copy, owned by the caller). */
  payload: Uint8Array;
}

/** Parses every message of a datagram into copies; throws WireError on malformed input. */
export function parseMessages(buf: Uint8Array): NetlinkMessage[] {
  const r = new MessageReader(buf);
  const out: NetlinkMessage[] = [];
  while (r.next()) {
    out.push({ type: r.type, flags: r.flags, seq: r.seq, pid: r.pid, payload: buf.slice(r.payloadStart, r.payloadEnd) });
  }
  if (r.error) throw r.error;
  return out;
}
