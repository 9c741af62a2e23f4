// A dump: NLM_F_DUMP request, data messages streamed to an async iterator, NLMSG_DONE.
import {
  HOST_LE, MessageReader, NLM_F_ACK_TLVS, NLM_F_DUMP, NLM_F_DUMP_INTR, NLM_F_REQUEST, NLMSG_DONE,
  NLMSG_ERROR, NLMSG_HDRLEN, NLMSG_MIN_TYPE, NLMSG_NOOP, NLMSG_OVERRUN, parseAck, readAckTlvs, viewOf,
  type Ack,
} from '../wire/index.js';
import { ackError } from './ack-error.js';
import { abortError, armDeadline, closedError, type SocketCore } from './core.js';
import { errnoValue } from './errno.js';
import type { StreamExchange } from './dispatcher.js';
import type { Outcome } from './exchange.js';
import { SocketError } from './netlink-error.js';
import { copyMessage } from './request.js';

/** A decoder runs synchronously on a message in the borrowed receive buffer; it copies what it keeps. */
export type Decoder<T> = (r: MessageReader) => T;

/**
 * Decodes the data messages of one datagram of a dump at once: those starting (at their
 * nlmsghdr) at `offsets` of `buf`, appended to `out`. The bytes are a copy the result may keep.
 */
export type BatchDecoder<T> = (buf: Uint8Array, view: DataView, offsets: readonly number[], out: T[]) => void;

/** Options of a dump. */
export interface DumpOptions<T> {
  /** Abort the dump; the rest of it is drained and discarded. */
  signal?: AbortSignal;
  /** Give up when the dump has not ended this many milliseconds after it was sent ('ETIMEDOUT'). */
  timeout?: number;
  /** Decode each message in place; the default copies it as a NetlinkMessage. */
  decode?: Decoder<T>;
  /** Decode a datagram's messages in one call (no call per message); used instead of `decode`. */
  decodeBatch?: BatchDecoder<T>;
  /** Size of the family's fixed header, to resolve attribute offsets in errors. */
  headerSize?: number;
}

const ENOBUFS = errnoValue('ENOBUFS')!;
// Datagrams buffered per dump before reading pauses.
const DUMP_HIGH_WATER = 8;

/**
 * The data messages of a dump that arrived in one datagram: a copy of the datagram and where
 * the messages start in it. They are decoded when the consumer asks for them, so that a
 * consumer that is behind holds compact bytes, not thousands of decoded objects (which the
 * garbage collector would copy again and again while they wait).
 */
interface ReceivedBatch {
  bytes: Uint8Array;
  offsets: number[];
}

interface Waiter {
  resolve(v: IteratorResult<unknown[]>): void;
  reject(e: Error): void;
}

/** One dump: sent when its turn comes, filled per datagram, drained by its iterator. */
export class DumpState<T> implements StreamExchange {
  seq = 0;
  readonly peer: number;
  reserved = 0;
  readonly lossy = false;
  started = false;
  finished = false;
  cancelled = false;
  interrupted = false;
  error: Error | null = null;
  received: ReceivedBatch[] = [];
  private current: ReceivedBatch | null = null;
  waiter: Waiter | null = null;
  disarm: () => void = () => {};

  constructor(
    private readonly queue: DumpQueue,
    readonly op: string,
    readonly bytes: Uint8Array,
    private readonly opts: DumpOptions<T>,
  ) {
    this.peer = queue.core.dispatcher.peer;
  }

  /** True when the consumer is behind: reading may pause. */
  get behind(): boolean {
    return !this.cancelled && this.received.length >= DUMP_HIGH_WATER;
  }

  scan(buf: Uint8Array, length: number): number {
    const dv = viewOf(buf);
    const seq = this.seq;
    let at = 0;
    while (length - at >= NLMSG_HDRLEN) {
      const len = dv.getUint32(at, HOST_LE);
      if (len < NLMSG_HDRLEN || len > length - at) break;
      if (dv.getUint16(at + 4, HOST_LE) < NLMSG_MIN_TYPE || dv.getUint32(at + 8, HOST_LE) !== seq) break;
      this.add(buf, length, at, dv.getUint16(at + 6, HOST_LE));
      at += (len + 3) & ~3;
    }
    return at < length ? at : length;
  }

  record(r: MessageReader): void {
    this.add(r.buf, r.end, r.offset, r.flags);
  }

  /** One copy of the datagram serves all its messages, which are decoded when taken. */
  private add(buf: Uint8Array, length: number, at: number, flags: number): void {
    if (flags & NLM_F_DUMP_INTR) this.interrupted = true;
    (this.current ??= { bytes: buf.slice(0, length), offsets: [] }).offsets.push(at);
  }

  flush(): void {
    if (this.current) {
      if (!this.cancelled) this.received.push(this.current);
      this.current = null;
      this.wake();
    }
  }

  onMessage(r: MessageReader): Outcome {
    if (r.flags & NLM_F_DUMP_INTR) this.interrupted = true;
    if (r.type === NLMSG_DONE) {
      if (r.payloadEnd - r.payloadStart >= 4) {
        const code = r.view.getInt32(r.payloadStart, HOST_LE);
        // An error inside DONE carries extended-ACK TLVs after the int, like NLMSG_ERROR.
        if (code < 0) return ackError(this.op, doneAck(r, code), this.bytes, this.opts.headerSize ?? -1);
      }
      return null;
    }
    if (r.type === NLMSG_ERROR) {
      const ack = parseAck(r.buf, r.payloadStart, r.payloadEnd, r.flags);
      if (ack instanceof Error) return new SocketError(`${this.op}: malformed error: ${ack.message}`, 'ERR_MALFORMED', undefined, undefined, { cause: ack });
      // The kernel had no room for the first chunk: the dump stays running and goes on when
      // we read (netlink_dump_start returns the ENOBUFS of its first netlink_dump()).
      if (ack.error === -ENOBUFS) return undefined;
      return ack.error !== 0 ? ackError(this.op, ack, this.bytes, this.opts.headerSize ?? -1) : null;
    }
    if (r.type === NLMSG_NOOP || r.type === NLMSG_OVERRUN || this.cancelled) return undefined;
    this.add(r.buf, r.end, r.offset, r.flags);
    return undefined;
  }

  settled(err: Error | null): void {
    this.disarm();
    this.flush();
    if (err && !this.cancelled && !this.error) this.error = err;
    this.finished = true;
    this.wake();
    this.queue.ended(this as unknown as DumpState<unknown>);
  }

  /** Decodes the oldest received batch; a decoder failure becomes the dump's error (null returned). */
  take(): T[] | null {
    const b = this.received.shift()!;
    const offsets = b.offsets;
    const out: T[] = [];
    try {
      const batch = this.opts.decodeBatch;
      if (batch) {
        batch(b.bytes, viewOf(b.bytes), offsets, out);
        return out;
      }
      const decode = (this.opts.decode ?? copyMessage) as Decoder<T>;
      const r = new MessageReader(b.bytes, 0, b.bytes.byteLength, undefined, true);
      let i = 0;
      while (i < offsets.length && r.next()) {
        if (r.offset === offsets[i]) {
          i++;
          out.push(decode(r));
        }
      }
    } catch (e) {
      const cause = e instanceof Error ? e : new Error(String(e));
      this.error ??= new SocketError(`${this.op}: cannot decode a reply: ${cause.message}`, 'ERR_MALFORMED', undefined, undefined, { cause });
      this.queue.cancel(this as unknown as DumpState<unknown>);
      return null;
    }
    return out;
  }

  wake(): void {
    const w = this.waiter;
    if (!w) return;
    if (this.received.length > 0) {
      const v = this.take();
      this.waiter = null;
      if (v) w.resolve({ value: v, done: false });
      else w.reject(this.error!);
    } else if (this.error) {
      this.waiter = null;
      w.reject(this.error);
    } else if (this.finished) {
      this.waiter = null;
      w.resolve({ value: undefined, done: true });
    }
  }
}

function doneAck(r: MessageReader, code: number): Ack {
  const ack: Ack = { error: code, request: { length: 0, type: 0, flags: 0, seq: r.seq, pid: r.pid } };
  if (r.flags & NLM_F_ACK_TLVS) readAckTlvs(r.buf, r.payloadStart + 4, r.payloadEnd, ack);
  return ack;
}

/** The dumps of one socket: the kernel runs one dump per socket, so they run one after another. */
export class DumpQueue {
  private readonly queue: DumpState<unknown>[] = [];
  /** The running dump. */
  active: DumpState<unknown> | null = null;

  constructor(readonly core: SocketCore) {}

  /** True when the running dump's consumer is behind. */
  get behind(): boolean {
    return this.active !== null && this.active.behind;
  }

  /** Queues a dump; it is sent when the previous one has ended. */
  enqueue(st: DumpState<unknown>): void {
    if (st.error || st.cancelled) {
      st.finished = true;
      st.wake();
      return;
    }
    this.queue.push(st);
    this.startNext();
  }

  /** Stops delivering a dump: a queued one is dropped, a running one is read to its end and discarded. */
  cancel(st: DumpState<unknown>): void {
    if (st.finished) return;
    st.cancelled = true;
    st.received.length = 0;
    if (!st.started) {
      const i = this.queue.indexOf(st);
      if (i >= 0) this.queue.splice(i, 1);
      st.finished = true;
      st.disarm();
      st.wake();
    }
    this.core.updateReading();
  }

  /** Called when a dump has settled: the next one starts. */
  ended(st: DumpState<unknown>): void {
    if (this.active === st) this.active = null;
    this.core.updateReading();
    this.startNext();
  }

  /** Fails the dumps not started yet (the socket closed). */
  failQueued(err: Error): void {
    for (const st of this.queue.splice(0)) {
      st.error ??= err;
      st.finished = true;
      st.disarm();
      st.wake();
    }
  }

  private startNext(): void {
    const core = this.core;
    const d = core.dispatcher;
    while (!this.active && this.queue.length > 0 && !core.closed) {
      const st = this.queue.shift()!;
      if (st.cancelled || st.error) {
        st.finished = true;
        st.disarm();
        st.wake();
        continue;
      }
      const dv = viewOf(st.bytes);
      st.seq = d.nextSeq();
      dv.setUint16(6, dv.getUint16(6, HOST_LE) | NLM_F_REQUEST | NLM_F_DUMP, HOST_LE);
      dv.setUint32(8, st.seq, HOST_LE);
      st.started = true;
      this.active = st;
      d.register(st);
      d.stream = st;
      try {
        core.sendToPeer(st.bytes);
      } catch (e) {
        d.settle(st, e as Error);
      }
    }
  }
}

/**
 * DumpIterable streams a dump's results as datagrams arrive. Iterate it for items, or
 * `batches()` for one array per datagram (fewer awaits on huge tables). After the iteration,
 * `interrupted` tells whether the kernel flagged the dump inconsistent (NLM_F_DUMP_INTR).
 */
export class DumpIterable<T> implements AsyncIterable<T> {
  private used = false;

  /** @internal */
  constructor(private readonly queue: DumpQueue, private readonly state: DumpState<T>, private readonly opts: DumpOptions<T>) {}

  /** True when any message of the dump carried NLM_F_DUMP_INTR: the data changed mid-dump. */
  get interrupted(): boolean {
    return this.state.interrupted;
  }

  /** Iterates one array of items per received datagram. */
  batches(): AsyncIterableIterator<T[]> {
    if (this.used) throw new SocketError('a dump can be iterated once', 'ERR_DUMP_ITERATED');
    this.used = true;
    const st = this.state;
    const queue = this.queue;
    const core = queue.core;
    const stop = (err: Error) => {
      st.error ??= err;
      queue.cancel(st as unknown as DumpState<unknown>);
      st.wake();
    };
    st.disarm = armDeadline(st.op, this.opts.signal, this.opts.timeout ?? core.timeout, stop);
    if (this.opts.signal?.aborted) stop(abortError(this.opts.signal));
    queue.enqueue(st as unknown as DumpState<unknown>);
    const it: AsyncIterableIterator<T[]> = {
      next(): Promise<IteratorResult<T[]>> {
        if (st.received.length > 0) {
          const v = st.take();
          core.updateReading();
          if (v) return Promise.resolve({ value: v, done: false });
        }
        if (st.error) {
          st.disarm();
          return Promise.reject(st.error);
        }
        if (st.finished) return Promise.resolve({ value: undefined, done: true });
        core.updateReading();
        return new Promise<IteratorResult<T[]>>((resolve, reject) => {
          st.waiter = { resolve: resolve as Waiter['resolve'], reject };
        });
      },
      return(): Promise<IteratorResult<T[]>> {
        st.disarm();
        queue.cancel(st as unknown as DumpState<unknown>);
        return Promise.resolve({ value: undefined, done: true });
      },
      [Symbol.asyncIterator]() {
        return it;
      },
    };
    return it;
  }

  async *[Symbol.asyncIterator](): AsyncIterator<T> {
    for await (const batch of this.batches()) {
      for (const item of batch) yield item;
    }
  }

  /** Collects the whole dump into an array. */
  async toArray(): Promise<T[]> {
    const out: T[] = [];
    for await (const batch of this.batches()) for (const item of batch) out.push(item);
    return out;
  }
}

/** Creates the iterable of a dump request on `queue`'s socket (sent when iteration begins). */
export function createDump<T>(queue: DumpQueue, msg: Uint8Array, opts: DumpOptions<T>): DumpIterable<T> {
  if (msg.byteLength < NLMSG_HDRLEN) throw new TypeError('dump needs a complete netlink message');
  const op = queue.core.opName(viewOf(msg).getUint16(4, HOST_LE));
  const st = new DumpState<T>(queue, op, msg, opts);
  if (queue.core.closed) st.error = closedError();
  return new DumpIterable<T>(queue, st, opts);
}
