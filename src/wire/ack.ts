import { align4 } from './align.js';
import { AttributeReader } from './attribute-reader.js';
import {
  NLM_F_ACK_TLVS, NLM_F_CAPPED, NLMSG_HDRLEN, NLMSGERR_ATTR_COOKIE, NLMSGERR_ATTR_MISS_NEST,
  NLMSGERR_ATTR_MISS_TYPE, NLMSGERR_ATTR_MSG, NLMSGERR_ATTR_OFFS, NLMSGERR_ATTR_POLICY,
} from './constants.js';
import { HOST_LE, viewOf } from './endian.js';
import { WireError } from './errors.js';

/** The header of the request an ACK or error refers to. */
export interface EchoedHeader {
  length: number;
  type: number;
  flags: number;
  seq: number;
  pid: number;
}

/** A decoded NLMSG_ERROR message (an ACK when `error` is 0), with its extended-ACK TLVs. */
export interface Ack {
  /** 0 for an ACK, else a negative errno as the kernel sends it. */
  error: number;
  /** The echoed request header. */
  request: EchoedHeader;
  /** The echoed request payload when the kernel did not cap it (NLM_F_CAPPED unset). */
  requestPayload?: Uint8Array;
  /** NLMSGERR_ATTR_MSG: the kernel's explanation (or a warning when error is 0). */
  message?: string;
  /** NLMSGERR_ATTR_OFFS: offset of the offending attribute in the request, header included. */
  offset?: number;
  /** NLMSGERR_ATTR_COOKIE. */
  cookie?: Uint8Array;
  /** NLMSGERR_ATTR_POLICY: the violated policy (nested NL_POLICY_TYPE_ATTR_* attributes). */
  policy?: Uint8Array;
  /** NLMSGERR_ATTR_MISS_TYPE: type of a missing required attribute. */
  missingType?: number;
  /** NLMSGERR_ATTR_MISS_NEST: offset of the nest in which it is missing. */
  missingNest?: number;
}

/**
 * Decodes the payload of an NLMSG_ERROR message.
 *
 *   payload: int error | struct nlmsghdr request | [request payload unless CAPPED] | [TLVs if ACK_TLVS]
 *
 * With NETLINK_CAP_ACK the echoed header still claims the request's full length though only
 * the 16 bytes of the header follow: the TLVs start right after it, so NLM_F_CAPPED decides.
 */
export function parseAck(buf: Uint8Array, start: number, end: number, flags: number): Ack | WireError {
  end = Math.min(end, buf.byteLength);
  if (!(start >= 0)) return new WireError(`NLMSG_ERROR payload starts outside the buffer`, start);
  if (end - start < 4 + NLMSG_HDRLEN) return new WireError(`NLMSG_ERROR payload of ${end - start} bytes is too short`, start);
  const dv = viewOf(buf);
  const error = dv.getInt32(start, HOST_LE);
  const h = start + 4;
  const request: EchoedHeader = {
    length: dv.getUint32(h, HOST_LE),
    type: dv.getUint16(h + 4, HOST_LE),
    flags: dv.getUint16(h + 6, HOST_LE),
    seq: dv.getUint32(h + 8, HOST_LE),
    pid: dv.getUint32(h + 12, HOST_LE),
  };
  const ack: Ack = { error, request };
  let tlv = h + NLMSG_HDRLEN;
  // An ACK (error 0) never carries the request payload; an error does unless capped.
  if (error !== 0 && !(flags & NLM_F_CAPPED)) {
    // The echoed nlmsg_len is the peer's word, not a bound: a hostile one (0x80000000,
    // 0xffffffff) is clamped to this payload, and align4 keeps it unsigned.
    const payloadLen = Math.max(0, request.length - NLMSG_HDRLEN);
    const payloadEnd = Math.min(end, tlv + payloadLen);
    ack.requestPayload = buf.slice(tlv, payloadEnd);
    tlv = Math.min(end, h + align4(Math.max(request.length, NLMSG_HDRLEN)));
  }
  if (flags & NLM_F_ACK_TLVS) readAckTlvs(buf, tlv, end, ack);
  return ack;
}

/** The extended-ACK TLVs of an NLMSG_ERROR or NLMSG_DONE message. */
export type AckTlvs = Pick<Ack, 'message' | 'offset' | 'cookie' | 'policy' | 'missingType' | 'missingNest'>;

/** Reads extended-ACK TLVs from `start` to `end` into `into`; unknown TLVs are skipped. */
export function readAckTlvs<T extends AckTlvs>(buf: Uint8Array, start: number, end: number, into: T): T {
  const r = new AttributeReader(buf, start, end);
  while (r.next()) {
    switch (r.type) {
      case NLMSGERR_ATTR_MSG: into.message = r.string(); break;
      case NLMSGERR_ATTR_OFFS: into.offset = r.u32(); break;
      case NLMSGERR_ATTR_COOKIE: into.cookie = r.bytes(); break;
      case NLMSGERR_ATTR_POLICY: into.policy = r.bytes(); break;
      case NLMSGERR_ATTR_MISS_TYPE: into.missingType = r.u32(); break;
      case NLMSGERR_ATTR_MISS_NEST: into.missingNest = r.u32(); break;
      default: break; // newer kernels may add TLVs; skipping them loses nothing asked for
    }
  }
  return into;
}
