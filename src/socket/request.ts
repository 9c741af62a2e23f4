// One request and its reply: NLM_F_REQUEST|NLM_F_ACK, the messages before the ACK, the ACK.
import {
  HOST_LE, NLM_F_ACK, NLM_F_ECHO, NLM_F_MULTI, NLM_F_REQUEST, NLMSG_DONE, NLMSG_ERROR, NLMSG_HDRLEN, NLMSG_NOOP,
  parseAck, viewOf, type Ack, type MessageReader, type NetlinkMessage,
} from '../wire/index.js';
import { ackError } from './ack-error.js';
import { abortError, armDeadline, closedError, type SocketCore } from './core.js';
import { errnoValue } from './errno.js';
import type { Exchange, Outcome } from './exchange.js';
import type { Waiting } from './flow.js';
import { SocketError } from './netlink-error.js';

const EAGAIN = errnoValue('EAGAIN')!;
const ENOBUFS = errnoValue('ENOBUFS')!;

/** Options of a request. */
export interface RequestOptions {
  /** Abort the wait; the request is forgotten and a late reply ignored. */
  signal?: AbortSignal;
  /** Give up after this many milliseconds (rejects with code 'ETIMEDOUT'); a late reply is ignored. */
  timeout?: number;
  /** Ask for an ACK (NLM_F_ACK, default true); without it the first reply resolves. */
  ack?: boolean;
  /** Size of the family's fixed header, to resolve NLMSGERR_ATTR_OFFS into an attribute path. */
  headerSize?: number;
  /**
   * The request only reads (a GET): if its reply is lost to a full receive buffer it is sent
   * again instead of failing with 'ERR_REPLY_LOST'.
   */
  idempotent?: boolean;
}

/** What a successful request resolves with. */
export interface Reply<T = NetlinkMessage> {
  /** Messages the peer sent before the ACK (the object for a GET, the echo for NLM_F_ECHO). */
  messages: T[];
  /** The ACK, with any warning the kernel attached (message, cookie). Absent when ack was off. */
  ack?: Ack;
}

/** Copies a message out of the receive buffer. */
export function copyMessage(r: MessageReader): NetlinkMessage {
  return { type: r.type, flags: r.flags, seq: r.seq, pid: r.pid, payload: r.payloadCopy() };
}

/** A request in flight: collects the messages before its ACK. */
class RequestExchange implements Exchange {
  readonly peer: number;
  readonly lossy = true;
  readonly echo: boolean;
  reserved = 0;
  /** Its place in the send window's queue until it is sent. */
  waiting: Waiting | null = null;
  disarm: () => void = () => {};
  private messages: NetlinkMessage[] = [];
  private ackv: Ack | undefined;

  constructor(
    private readonly core: SocketCore,
    readonly seq: number,
    readonly op: string,
    private readonly bytes: Uint8Array,
    private readonly opts: RequestOptions,
    private readonly resolve: (r: Reply) => void,
    private readonly reject: (e: Error) => void,
  ) {
    this.peer = core.dispatcher.peer;
    this.echo = ((bytes[6]! | (bytes[7]! << 8)) & NLM_F_ECHO) !== 0;
  }

  private get ack(): boolean {
    return this.opts.ack ?? true;
  }

  onMessage(r: MessageReader): Outcome {
    if (r.offset === 0) this.core.window.observe(r.end);
    if (r.type === NLMSG_ERROR) {
      const ack = parseAck(r.buf, r.payloadStart, r.payloadEnd, r.flags);
      if (ack instanceof Error) return new SocketError(`${this.op}: malformed ACK: ${ack.message}`, 'ERR_MALFORMED', undefined, undefined, { cause: ack });
      // The kernel could not queue the reply (netlink_unicast's EAGAIN, or ENOBUFS): a GET asks again.
      if ((ack.error === -EAGAIN || ack.error === -ENOBUFS) && this.resend()) return undefined;
      if (ack.error !== 0) return ackError(this.op, ack, this.bytes, this.opts.headerSize ?? -1);
      this.ackv = ack;
      return null;
    }
    if (r.type === NLMSG_NOOP) return undefined;
    // A multipart reply to a do-request ends with DONE; the ACK (if asked for) follows.
    if (r.type === NLMSG_DONE) return this.ack ? undefined : null;
    this.messages.push(copyMessage(r));
    return !this.ack && !(r.flags & NLM_F_MULTI) ? null : undefined;
  }

  settled(err: Error | null): void {
    this.disarm();
    if (err) this.reject(err);
    else this.resolve(this.ackv ? { messages: this.messages, ack: this.ackv } : { messages: this.messages });
  }

  resend(): boolean {
    if (!this.opts.idempotent || this.core.closed) return false;
    this.messages = [];
    try {
      this.core.sendToPeer(this.bytes);
      return true;
    } catch {
      return false;
    }
  }

  /** Ends the wait early: dequeued if not sent yet, else abandoned (a late reply is dropped). */
  end(err: Error): void {
    const w = this.waiting;
    if (w && w.start !== null) {
      this.core.window.cancel(w);
      this.settled(err);
      return;
    }
    this.core.dispatcher.abandon(this, err);
  }
}

/**
 * Sends one request message and resolves when the peer ACKs it. NLM_F_REQUEST (and NLM_F_ACK
 * unless `ack: false`) and the sequence number are set here, in the caller's buffer. The
 * request waits in JS while the replies already in flight fill the receive buffer's room.
 */
export function sendRequest(core: SocketCore, msg: Uint8Array, opts: RequestOptions): Promise<Reply> {
  if (core.closed) return Promise.reject(closedError());
  if (msg.byteLength < NLMSG_HDRLEN) return Promise.reject(new TypeError('request needs a complete netlink message'));
  const signal = opts.signal;
  if (signal?.aborted) return Promise.reject(abortError(signal));
  const ack = opts.ack ?? true;
  const dv = viewOf(msg);
  const d = core.dispatcher;
  const seq = d.nextSeq();
  dv.setUint16(6, dv.getUint16(6, HOST_LE) | NLM_F_REQUEST | (ack ? NLM_F_ACK : 0), HOST_LE);
  dv.setUint32(8, seq, HOST_LE);
  const op = core.opName(dv.getUint16(4, HOST_LE));
  return new Promise<Reply>((resolve, reject) => {
    const ex = new RequestExchange(core, seq, op, msg, opts, resolve, reject);
    ex.disarm = armDeadline(op, signal, opts.timeout ?? core.timeout, (err) => ex.end(err));
    const cost = core.window.cost;
    ex.waiting = core.window.admit(cost, () => {
      ex.reserved = cost;
      d.register(ex);
      // A reply must be read even if a slow dump consumer paused reading.
      core.updateReading();
      try {
        core.sendToPeer(msg);
      } catch (e) {
        d.settle(ex, e as Error);
      }
    });
    if (core.window.waiting > 0) core.growReceiveBuffer(core.window.cost * (core.window.waiting + 1) * 4);
  });
}
