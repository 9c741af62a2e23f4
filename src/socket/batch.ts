// Pipelined bulk requests: many requests packed per datagram, one ACK per datagram.
import {
  HOST_LE, MessageWriter, NLM_F_ACK, NLM_F_REQUEST, NLMSG_ERROR, NLMSG_HDRLEN, parseAck, viewOf,
  type Ack, type MessageReader,
} from '../wire/index.js';
import { ackError } from './ack-error.js';
import { closedError, type SocketCore } from './core.js';
import type { Exchange, Outcome } from './exchange.js';
import { NetlinkError } from './netlink-error.js';

/**
 * One request of a batch: its bytes, or a function that appends it to the batch's writer
 * (`w.begin(…)`/…/`w.end()`, e.g. `codec.encodeInto(w, …)`), which spares a copy per request.
 */
export type BatchRequest = Uint8Array | ((w: MessageWriter) => void);

/** Options of {@link NetlinkSocket.requestBatch}. */
export interface BatchOptions {
  /** Requests sent but not yet acknowledged, at most (default 1024). */
  window?: number;
  /** Bytes packed into one datagram (default 32 KiB; one message larger than this goes alone). */
  datagramSize?: number;
  /** Size of the family's fixed header, to resolve attribute offsets in errors. */
  headerSize?: number;
  /** Stops sending more requests (those in flight are still acknowledged). */
  signal?: AbortSignal;
}

/** What {@link NetlinkSocket.requestBatch} resolves with. */
export interface BatchResult {
  /** Requests sent. */
  sent: number;
  /** Requests acknowledged with success. */
  acked: number;
  /** Requests the peer refused, by their index in the input. */
  errors: { index: number; error: NetlinkError }[];
}

// Each pending ACK costs about this much of the receive buffer (skb truesize of a capped ACK).
const ACK_TRUESIZE = 1024;

/** Book-keeping of one requestBatch call. */
class BatchState {
  inflight = 0;
  acked = 0;
  readonly errors: { index: number; error: NetlinkError }[] = [];
  failure: Error | null = null;
  private wake: (() => void) | null = null;
  constructor(readonly core: SocketCore, readonly headerSize: number) {}

  /** Waits until at most `limit` requests are in flight (or the batch failed). */
  async below(limit: number): Promise<void> {
    while (this.inflight > limit && !this.failure && !this.core.closed) {
      await new Promise<void>((resolve) => {
        this.wake = resolve;
      });
    }
  }

  /** One request ended: with success (null), refused (NetlinkError) or lost (anything else). */
  ended(index: number, err: Error | null): void {
    this.inflight--;
    if (err === null) this.acked++;
    else if (err instanceof NetlinkError) this.errors.push({ index, error: err });
    else this.failure ??= err;
    const w = this.wake;
    this.wake = null;
    w?.();
  }
}

/** One request of a batch waiting for its ACK. */
class BatchItem implements Exchange {
  readonly peer: number;
  readonly lossy = true;
  reserved = 0;
  constructor(
    private readonly batch: BatchState,
    readonly seq: number,
    private readonly index: number,
    /** The datagram the request went out in, and where in it: cut out only if it is refused. */
    private readonly pack: Uint8Array,
    private readonly at: number,
    /** The requests packed in the same datagram; only the last of them asks for an ACK. */
    private readonly datagram: BatchItem[],
  ) {
    this.peer = batch.core.dispatcher.peer;
  }

  onMessage(r: MessageReader): Outcome {
    if (r.type !== NLMSG_ERROR) return undefined; // echoes and replies of batched requests are not kept
    const code = r.payloadEnd - r.payloadStart >= 4 ? r.view.getInt32(r.payloadStart, HOST_LE) : 0;
    const dg = this.datagram;
    if (dg[dg.length - 1] === this) {
      // The datagram's last request is answered: every earlier one without an error succeeded.
      const d = this.batch.core.dispatcher;
      for (let i = 0; i < dg.length - 1; i++) d.settle(dg[i]!, null);
    }
    if (code === 0) return null;
    const ack = parseAck(r.buf, r.payloadStart, r.payloadEnd, r.flags);
    const a: Ack = ack instanceof Error ? { error: code, request: { length: 0, type: 0, flags: 0, seq: this.seq, pid: 0 } } : ack;
    const dv = viewOf(this.pack);
    const bytes = this.pack.slice(this.at, this.at + dv.getUint32(this.at, HOST_LE));
    return ackError(this.batch.core.opName(dv.getUint16(this.at + 4, HOST_LE)), a, bytes, this.batch.headerSize);
  }

  settled(err: Error | null): void {
    this.batch.ended(this.index, err);
  }
}

/**
 * Sends many requests pipelined: packed several to a datagram (the kernel handles them in
 * order, as netlink_rcv_skb does), each with NLM_F_REQUEST, with at most `window` waiting for
 * their ACKs. Refusals do not stop the batch; they are collected with their index.
 */
export async function sendBatch(core: SocketCore, messages: Iterable<BatchRequest>, opts: BatchOptions): Promise<BatchResult> {
  if (core.closed) throw closedError();
  const window = Math.max(1, opts.window ?? 1024);
  const dgram = Math.max(NLMSG_HDRLEN, opts.datagramSize ?? 32 * 1024);
  const st = new BatchState(core, opts.headerSize ?? -1);
  const d = core.dispatcher;
  // Every request in flight may draw an error ACK of its own: make room for all of them.
  core.growReceiveBuffer(window * ACK_TRUESIZE * 2);
  let w = new MessageWriter(dgram + 1024);
  let lastAt = -1;
  let group: BatchItem[] = [];
  let sent = 0;
  // Only the last request of each datagram carries NLM_F_ACK: the kernel handles a datagram's
  // messages in order and always answers a failure, so that one ACK settles the requests
  // before it that drew no error. One ACK per datagram instead of one per request.
  const flush = () => {
    if (w.length === 0) return;
    const pack = w.finish();
    w.view.setUint16(lastAt + 6, w.view.getUint16(lastAt + 6, HOST_LE) | NLM_F_ACK, HOST_LE);
    try {
      core.sendToPeer(pack);
    } catch (e) {
      st.failure ??= e as Error;
      for (const item of group) d.settle(item, e as Error);
    }
    // The items keep the sent datagram for error reports; the next one gets a fresh writer.
    w = new MessageWriter(dgram + 1024);
    lastAt = -1;
    group = [];
  };
  let index = 0;
  for (const msg of messages) {
    if (opts.signal?.aborted || st.failure || core.closed) break;
    let at = w.length;
    if (typeof msg === 'function') msg(w);
    else w.bytes(msg);
    if (w.length - at < NLMSG_HDRLEN || w.view.getUint32(at, HOST_LE) < NLMSG_HDRLEN) {
      throw new TypeError(`batch message ${index} is not a complete netlink message`);
    }
    if (w.length > dgram && at > 0) {
      // It overflowed the datagram: send what came before, and start the next with it.
      const moved = w.finish().slice(at);
      w.truncate(at);
      flush();
      at = 0;
      w.bytes(moved);
    }
    lastAt = at;
    const dv = w.view;
    const seq = d.nextSeq();
    dv.setUint16(at + 6, (dv.getUint16(at + 6, HOST_LE) | NLM_F_REQUEST) & ~NLM_F_ACK, HOST_LE);
    dv.setUint32(at + 8, seq, HOST_LE);
    const item = new BatchItem(st, seq, index, w.finish(), at, group);
    group.push(item);
    d.register(item);
    st.inflight++;
    sent++;
    index++;
    if (st.inflight >= window || w.length >= dgram) {
      flush();
      if (st.inflight >= window) await st.below(window >> 1);
    }
  }
  flush();
  core.updateReading();
  await st.below(0);
  if (st.failure) throw st.failure;
  if (core.closed && st.inflight > 0) throw closedError();
  return { sent, acked: st.acked, errors: st.errors };
}
