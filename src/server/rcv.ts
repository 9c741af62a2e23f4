// netlink_rcv_skb(): how the kernel walks a datagram of requests (net/netlink/af_netlink.c).
import { HOST_LE, NLM_F_ACK, NLM_F_REQUEST, NLMSG_HDRLEN, NLMSG_MIN_TYPE, align4 } from '../wire/index.js';
import { EINTR } from './errno.js';
import { ExtAck } from './extack.js';
import type { PeerInfo } from './link.js';
import { Request } from './request.js';

/** Handles one request; returns 0, a negative errno, or -EINTR after starting a dump (no ACK). */
export type MessageHandler = (req: Request) => number;

/** Sends the ACK for a message (see ack-builder.ts). */
export type AckSender = (req: Request, err: number) => void;

/**
 * Walks every message of a datagram, in order, the way netlink_rcv_skb() does:
 *
 *   - a message whose length is shorter than a header or runs past the datagram ends the walk
 *     silently (the rest of the datagram is garbage to the kernel too);
 *   - messages without NLM_F_REQUEST and control messages (type < NLMSG_MIN_TYPE) are not
 *     handled, but are ACKed when they ask for it (NLM_F_ACK) with error 0;
 *   - a handler's error is always ACKed; success only with NLM_F_ACK;
 *   - -EINTR (a dump was started) suppresses the ACK even if NLM_F_ACK was set;
 *   - each message gets a fresh extended ACK.
 */
export function netlinkRcvSkb(
  data: Uint8Array, portid: number, peer: PeerInfo, handle: MessageHandler, ack: AckSender,
): void {
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  let pos = 0;
  while (data.byteLength - pos >= NLMSG_HDRLEN) {
    const len = view.getUint32(pos, HOST_LE);
    if (len < NLMSG_HDRLEN || data.byteLength - pos < len) return;
    const req = new Request(data, view, pos, len, portid, peer, new ExtAck());
    let err = 0;
    if (req.flags & NLM_F_REQUEST && req.type >= NLMSG_MIN_TYPE) err = handle(req);
    if (err !== -EINTR && (req.flags & NLM_F_ACK || err !== 0)) ack(req, err);
    // align4, not `(len + 3) & ~3`: a u32 length stays unsigned.
    const step = Math.min(align4(len), data.byteLength - pos);
    pos += step;
  }
}
