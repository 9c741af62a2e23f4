// netlink_ack() and netlink_dump_done(): the NLMSG_ERROR and NLMSG_DONE messages a kernel
// sends, with the extended-ACK TLVs a requester with NETLINK_EXT_ACK gets.
import {
  HOST_LE, MessageWriter, NLM_F_ACK_TLVS, NLM_F_CAPPED, NLM_F_MULTI, NLMSG_DONE, NLMSG_ERROR, NLMSG_HDRLEN,
  NLMSGERR_ATTR_COOKIE, NLMSGERR_ATTR_MISS_NEST, NLMSGERR_ATTR_MISS_TYPE, NLMSGERR_ATTR_MSG, NLMSGERR_ATTR_OFFS,
  NLMSGERR_ATTR_POLICY,
} from '../wire/index.js';
import type { ExtAck } from './extack.js';
import type { PeerInfo } from './link.js';
import { isDescribable, writeAttrPolicy } from './policy-dump.js';

/**
 * Builds the ACK for the message at buf[offset, offset + length) from port `portid`.
 *
 *   nlmsghdr{NLMSG_ERROR, flags, seq, portid}
 *   int error | request nlmsghdr | request payload (errors only, unless NETLINK_CAP_ACK) | TLVs
 *
 * NLM_F_CAPPED is set whenever the payload is left out, which is always for a success. The
 * TLVs (NLM_F_ACK_TLVS) need NETLINK_EXT_ACK: MSG and COOKIE for any ACK (a message on success
 * is a warning), OFFS, POLICY, MISS_TYPE and MISS_NEST only for errors.
 */
export function buildAck(
  buf: Uint8Array, offset: number, length: number, portid: number, err: number, extack: ExtAck | undefined, peer: PeerInfo,
): Uint8Array {
  const view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  const seq = view.getUint32(offset + 8, HOST_LE);
  let flags = 0;
  const echoPayload = err !== 0 && !peer.capAck;
  if (!echoPayload) flags |= NLM_F_CAPPED;
  const tlvs = peer.extAck && extack ? collectTlvs(extack, err, offset, length) : [];
  if (tlvs.length > 0) flags |= NLM_F_ACK_TLVS;

  const w = new MessageWriter(64 + (echoPayload ? length : 0));
  w.begin(NLMSG_ERROR, flags, seq, portid);
  const at = w.struct(4);
  w.view.setInt32(at, err, HOST_LE);
  w.bytes(buf.subarray(offset, offset + NLMSG_HDRLEN));
  if (echoPayload && length > NLMSG_HDRLEN) w.bytes(buf.subarray(offset + NLMSG_HDRLEN, offset + length));
  for (const t of tlvs) t(w);
  w.end();
  return w.toBytes();
}

type Tlv = (w: MessageWriter) => void;

function collectTlvs(extack: ExtAck, err: number, offset: number, length: number): Tlv[] {
  const out: Tlv[] = [];
  const msg = extack.message;
  if (msg !== undefined) out.push((w) => w.attrString(NLMSGERR_ATTR_MSG, msg));
  const cookie = extack.cookie;
  if (cookie && cookie.byteLength > 0) out.push((w) => w.attr(NLMSGERR_ATTR_COOKIE, cookie));
  if (err === 0) return out;
  // The kernel only reports offsets that point inside the request (WARN_ON otherwise).
  const bad = extack.badAttr;
  if (bad !== undefined && bad >= offset && bad < offset + length) {
    out.push((w) => w.attrU32(NLMSGERR_ATTR_OFFS, bad - offset));
  }
  const pol = extack.policy;
  if (pol && isDescribable(pol)) {
    out.push((w) => {
      const n = w.beginNest(NLMSGERR_ATTR_POLICY);
      writeAttrPolicy(w, pol);
      w.endNest(n);
    });
  }
  const missType = extack.missType;
  if (missType) out.push((w) => w.attrU32(NLMSGERR_ATTR_MISS_TYPE, missType));
  const missNest = extack.missNest;
  if (missNest !== undefined && missNest >= offset && missNest <= offset + length) {
    out.push((w) => w.attrU32(NLMSGERR_ATTR_MISS_NEST, missNest - offset));
  }
  return out;
}

/**
 * Appends NLMSG_DONE to a dump datagram being built (netlink_dump_done()): NLM_F_MULTI, the int
 * error of the dump (0 or a negative errno) and, for a requester with NETLINK_EXT_ACK, the
 * extended-ACK message as NLMSGERR_ATTR_MSG with NLM_F_ACK_TLVS.
 */
export function appendDone(
  w: MessageWriter, seq: number, portid: number, err: number, flags: number, message: string | undefined, peer: PeerInfo,
): void {
  const withMsg = message !== undefined && peer.extAck;
  w.begin(NLMSG_DONE, NLM_F_MULTI | flags | (withMsg ? NLM_F_ACK_TLVS : 0), seq, portid);
  const at = w.struct(4);
  w.view.setInt32(at, err, HOST_LE);
  if (withMsg) w.attrString(NLMSGERR_ATTR_MSG, message);
  w.end();
}
