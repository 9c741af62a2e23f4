import {
  HOST_LE, MessageReader, NETLINK_ADD_MEMBERSHIP, NETLINK_CAP_ACK, NETLINK_DROP_MEMBERSHIP,
  NETLINK_EXT_ACK, NETLINK_GET_STRICT_CHK, NETLINK_LISTEN_ALL_NSID, NETLINK_NO_ENOBUFS, NETLINK_PKTINFO,
  NLM_F_ACK, NLM_F_DUMP, NLM_F_DUMP_INTR, NLM_F_ECHO, NLM_F_MULTI, NLM_F_REQUEST, NLMSG_DONE, NLMSG_ERROR, NLMSG_HDRLEN,
  NLMSG_MIN_TYPE, NLMSG_NOOP, NLMSG_OVERRUN, SO_RCVBUF, SO_RCVBUFFORCE, SO_SNDBUF, SO_SNDBUFFORCE, SOL_NETLINK, SOL_SOCKET,
  MessageWriter, attributePathAt, parseAck, readAckTlvs, viewOf, NLM_F_ACK_TLVS, type Ack, type NetlinkMessage,
} from '../wire/index.js';
import { errnoName } from './errno.js';
import { NetlinkError, SocketError, wrapNative } from './netlink-error.js';
import { loadAddon, type Transport, type TransportFactory } from './native.js';
import { netnsPath, type NetnsSpec } from './netns.js';
import { PcapWriter } from './pcap.js';

/** Options of {@link NetlinkSocket.open}. */
export interface OpenOptions {
  /** Open the socket inside this network namespace (name, path, pid or fd). */
  netns?: NetnsSpec;
  /** Multicast groups to join right away (group numbers, not masks). */
  groups?: number[];
  /** SO_RCVBUF in bytes (SO_RCVBUFFORCE when permitted). */
  rcvbuf?: number;
  /** SO_SNDBUF in bytes. */
  sndbuf?: number;
  /** Explicit port id to bind; 0 (default) lets the kernel choose. */
  portid?: number;
  /** The port id replies must come from: 0 (the kernel) unless talking to a user-space peer. */
  peer?: number;
  /** NETLINK_EXT_ACK (default on). */
  extAck?: boolean;
  /** NETLINK_CAP_ACK (default on). */
  capAck?: boolean;
  /** NETLINK_GET_STRICT_CHK (default on). */
  strictCheck?: boolean;
  /** NETLINK_NO_ENOBUFS: never report overruns (default off; overruns are reported as events). */
  noEnobufs?: boolean;
  /** NETLINK_LISTEN_ALL_NSID: receive events of all peer namespaces with their nsid. */
  listenAllNsid?: boolean;
  /** Initial receive buffer size in bytes (at least 32 KiB; grown after a truncated datagram). */
  bufferSize?: number;
  /**
   * Receive on a thread of the socket's own, a few datagrams ahead of JS (default off). The
   * kernel builds a dump's chunks inside each receive, so on big dumps its work overlaps the
   * decoding instead of alternating with it; it costs a thread per socket.
   */
  readAhead?: boolean;
  /** Record every datagram sent and received in this pcap file (LINKTYPE_NETLINK). */
  capture?: string;
  /** Use this transport instead of a kernel socket (e.g. server/'s in-process bus). */
  transport?: TransportFactory;
  /** Names message types in errors, e.g. (16) => 'RTM_NEWLINK'. */
  typeName?: (type: number) => string | undefined;
}

/** Options of a request. */
export interface RequestOptions {
  /** Abort the wait; the request is forgotten and a late reply ignored. */
  signal?: AbortSignal;
  /** Ask for an ACK (NLM_F_ACK, default true); without it the first reply resolves. */
  ack?: boolean;
  /** Size of the family's fixed header, to resolve NLMSGERR_ATTR_OFFS into an attribute path. */
  headerSize?: number;
}

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
  /** Decode each message in place; the default copies it as a NetlinkMessage. */
  decode?: Decoder<T>;
  /** Decode a datagram's messages in one call (no call per message); used instead of `decode`. */
  decodeBatch?: BatchDecoder<T>;
  /** Size of the family's fixed header, to resolve attribute offsets in errors. */
  headerSize?: number;
}

/** What a successful request resolves with. */
export interface Reply<T = NetlinkMessage> {
  /** Messages the peer sent before the ACK (the object for a GET, the echo for NLM_F_ECHO). */
  messages: T[];
  /** The ACK, with any warning the kernel attached (message, cookie). Absent when ack was off. */
  ack?: Ack;
}

/** A message received outside any request: a multicast event, or an unsolicited unicast. */
export interface NetlinkEvent extends NetlinkMessage {
  /** The multicast group it was sent to (NETLINK_PKTINFO), 0 for unicast. */
  group: number;
  /** The sender's port id. */
  portid: number;
  /** The peer namespace id with NETLINK_LISTEN_ALL_NSID, else undefined. */
  nsid: number | undefined;
}

/** Marks that events were lost (ENOBUFS): resynchronise with a dump. */
export interface Overrun {
  overrun: true;
  /** Why: 'ENOBUFS' for a full receive buffer, 'EMSGSIZE' for a datagram larger than the buffer. */
  code: string;
}

/** Metadata handed to an event decoder. */
export interface EventMeta {
  group: number;
  portid: number;
  nsid: number | undefined;
}

/** Options of {@link NetlinkSocket.events}. */
export interface EventOptions<T> {
  /** Ends the iteration. */
  signal?: AbortSignal;
  /** Decode each event in place; return undefined to skip it. */
  decode?: (r: MessageReader, meta: EventMeta) => T | undefined;
  /** Events buffered before the socket stops reading (the kernel then reports an overrun). */
  highWaterMark?: number;
}

const MIN_BUFFER = 32 * 1024;
const DEFAULT_BUFFER = 64 * 1024;
const DUMP_HIGH_WATER = 8; // datagrams buffered per dump before reading pauses
const EVENT_HIGH_WATER = 65536;
const MAX_ABANDONED = 1024; // aborted requests whose late replies are still dropped
// Listeners get a large kernel receive buffer unless told otherwise: an event storm (tens of
// thousands of route changes) must not overrun a default 208 KiB buffer.
const LISTENER_RCVBUF = 32 * 1024 * 1024;
// Each pending ACK costs about this much of the receive buffer (skb truesize of a capped ACK).
const ACK_TRUESIZE = 1024;

interface PendingRequest {
  kind: 'request';
  seq: number;
  op: string;
  bytes: Uint8Array;
  headerSize: number;
  ack: boolean;
  messages: NetlinkMessage[];
  resolve(r: Reply): void;
  reject(e: Error): void;
  cleanup(): void;
}

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

/** Book-keeping of one requestBatch call. */
class BatchState {
  inflight = 0;
  acked = 0;
  readonly errors: { index: number; error: NetlinkError }[] = [];
  failure: Error | null = null;
  wake: (() => void) | null = null;
  constructor(readonly op: string, readonly headerSize: number) {}
  settle(): void {
    const w = this.wake;
    this.wake = null;
    w?.();
  }
}

/** One request of a batch waiting for its ACK. */
interface BatchItem {
  kind: 'batch';
  seq: number;
  index: number;
  /** The datagram the request went out in, and where in it: cut out only if it is refused. */
  pack: Uint8Array;
  at: number;
  batch: BatchState;
  /** The requests packed in the same datagram; only the last of them asks for an ACK. */
  datagram: number[];
}

type Pending = PendingRequest | DumpState<unknown> | BatchItem;

interface Waiter {
  resolve(v: IteratorResult<unknown[]>): void;
  reject(e: Error): void;
}

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

/** State of one dump: sent when its turn comes, filled per datagram, drained by its iterator. */
class DumpState<T> {
  seq = 0;
  started = false;
  finished = false;
  cancelled = false;
  interrupted = false;
  error: Error | null = null;
  received: ReceivedBatch[] = [];
  current: ReceivedBatch | null = null;
  waiter: Waiter | null = null;
  constructor(
    readonly op: string,
    readonly bytes: Uint8Array,
    readonly decode: Decoder<T>,
    readonly decodeBatch: BatchDecoder<unknown> | undefined,
    readonly headerSize: number,
    /** Cancels the dump on its socket (the rest is read and dropped), e.g. when decoding fails. */
    readonly cancel: () => void,
  ) {}

  /** Decodes the oldest received batch; a decoder failure becomes the dump's error (null returned). */
  take(): T[] | null {
    const b = this.received.shift()!;
    const offsets = b.offsets;
    const out: T[] = [];
    let i = 0;
    try {
      if (this.decodeBatch) {
        this.decodeBatch(b.bytes, viewOf(b.bytes), offsets, out);
        return out;
      }
      const r = new MessageReader(b.bytes, 0, b.bytes.byteLength, undefined, true);
      while (i < offsets.length && r.next()) {
        if (r.offset === offsets[i]) {
          i++;
          out.push(this.decode(r));
        }
      }
    } catch (e) {
      if (!this.error) this.error = e instanceof Error ? e : new Error(String(e));
      this.cancel();
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

/**
 * DumpIterable streams a dump's results as datagrams arrive. Iterate it for items, or
 * `batches()` for one array per datagram (fewer awaits on huge tables). After the iteration,
 * `interrupted` tells whether the kernel flagged the dump inconsistent (NLM_F_DUMP_INTR).
 */
export class DumpIterable<T> implements AsyncIterable<T> {
  private used = false;
  constructor(private readonly sock: NetlinkSocket, private readonly state: DumpState<T>, private readonly signal?: AbortSignal) {}

  /** True when any message of the dump carried NLM_F_DUMP_INTR: the data changed mid-dump. */
  get interrupted(): boolean {
    return this.state.interrupted;
  }

  /** Iterates one array of items per received datagram. */
  batches(): AsyncIterableIterator<T[]> {
    if (this.used) throw new SocketError('a dump can be iterated once', 'ERR_DUMP_ITERATED');
    this.used = true;
    const st = this.state;
    const sock = this.sock;
    const signal = this.signal;
    let onAbort: (() => void) | undefined;
    if (signal) {
      if (signal.aborted) {
        st.error = abortError(signal);
        st.cancelled = true;
      } else {
        onAbort = () => {
          st.error = abortError(signal);
          sock['cancelDump'](st);
          st.wake();
        };
        signal.addEventListener('abort', onAbort, { once: true });
      }
    }
    const detach = () => {
      if (onAbort) signal!.removeEventListener('abort', onAbort);
      onAbort = undefined;
    };
    sock['enqueueDump'](st);
    const it: AsyncIterableIterator<T[]> = {
      next(): Promise<IteratorResult<T[]>> {
        if (st.received.length > 0) {
          const v = st.take();
          sock['maybeResume']();
          if (v) return Promise.resolve({ value: v, done: false });
        }
        if (st.error) {
          detach();
          return Promise.reject(st.error);
        }
        if (st.finished) {
          detach();
          return Promise.resolve({ value: undefined, done: true });
        }
        sock['maybeResume']();
        return new Promise<IteratorResult<T[]>>((resolve, reject) => {
          st.waiter = { resolve: resolve as Waiter['resolve'], reject };
        }).then((r) => {
          if (r.done) detach();
          return r;
        }, (e: unknown) => {
          detach();
          throw e;
        });
      },
      return(): Promise<IteratorResult<T[]>> {
        detach();
        sock['cancelDump'](st);
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

function abortError(signal: AbortSignal): Error {
  const reason = signal.reason;
  if (reason instanceof Error) return reason;
  return new SocketError('The operation was aborted', 'ABORT_ERR');
}

/**
 * Records a data message of dump `d` at `at` of a datagram of `length` bytes: one copy of the
 * datagram serves all its messages, which are decoded when taken (DumpState.take).
 */
function recordDumpData(d: DumpState<unknown>, buf: Uint8Array, length: number, at: number, flags: number): void {
  if (flags & NLM_F_DUMP_INTR) d.interrupted = true;
  (d.current ??= { bytes: buf.slice(0, length), offsets: [] }).offsets.push(at);
}

/**
 * Records the leading data messages of dump `d` in a datagram (see DumpState.take) and returns
 * where the first other message, or a malformed header, starts.
 */
function scanDumpData(d: DumpState<unknown>, buf: Uint8Array, length: number): number {
  const dv = viewOf(buf);
  const seq = d.seq;
  let at = 0;
  while (length - at >= NLMSG_HDRLEN) {
    const len = dv.getUint32(at, HOST_LE);
    if (len < NLMSG_HDRLEN || len > length - at) break;
    if (dv.getUint16(at + 4, HOST_LE) < NLMSG_MIN_TYPE || dv.getUint32(at + 8, HOST_LE) !== seq) break;
    recordDumpData(d, buf, length, at, dv.getUint16(at + 6, HOST_LE));
    at += (len + 3) & ~3;
  }
  return at < length ? at : length;
}

/** Copies a message out of the receive buffer. */
export const copyMessage: Decoder<NetlinkMessage> = (r) => ({
  type: r.type,
  flags: r.flags,
  seq: r.seq,
  pid: r.pid,
  payload: r.payloadCopy(),
});

interface EventSubscriber {
  queue: unknown[];
  waiter: ((r: IteratorResult<unknown>) => void) | null;
  decode: ((r: MessageReader, meta: EventMeta) => unknown) | undefined;
  highWaterMark: number;
  ended: boolean;
}

let nextSeqBase = (Date.now() >>> 0) & 0x7fffffff;

/**
 * NetlinkSocket is one Netlink socket of one protocol in one network namespace. Requests and
 * dumps may be in flight together: replies are matched by sequence number and sender port id.
 * The kernel runs one dump per socket, so dumps queue and run one after another.
 */
export class NetlinkSocket implements AsyncDisposable {
  /** The Netlink protocol number. */
  readonly protocol: number;
  /** This socket's port id (nl_pid) as bound. */
  readonly portid: number;
  /** The port id replies must come from (0: the kernel). */
  readonly peer: number;

  private readonly native: Transport;
  private buffer: Uint8Array;
  private seq = (nextSeqBase = (nextSeqBase + 0x10000) & 0x7fffffff) || 1;
  private readonly pending = new Map<number, Pending>();
  /** Sequence numbers of aborted requests -> whether an ACK ends their reply; late replies are dropped. */
  private readonly abandoned = new Map<number, boolean>();
  private readonly dumpQueue: DumpState<unknown>[] = [];
  private activeDump: DumpState<unknown> | null = null;
  private readonly subscribers = new Set<EventSubscriber>();
  private paused = false;
  private closed = false;
  private pcap: PcapWriter | undefined;
  private readonly typeName: ((type: number) => string | undefined) | undefined;
  private refed = true;
  private rcvbufChosen: boolean;

  private constructor(protocol: number, native: Transport, portid: number, opts: OpenOptions) {
    this.protocol = protocol;
    this.native = native;
    this.portid = portid;
    this.peer = opts.peer ?? 0;
    this.typeName = opts.typeName;
    this.rcvbufChosen = opts.rcvbuf !== undefined;
    this.buffer = new Uint8Array(Math.max(MIN_BUFFER, opts.bufferSize ?? DEFAULT_BUFFER));
    if (opts.capture) this.pcap = new PcapWriter(opts.capture, protocol);
  }

  /** Opens, configures and binds a socket; the receive loop starts right away. */
  static open(protocol: number, opts: OpenOptions = {}): NetlinkSocket {
    let native: Transport;
    const where = opts.netns !== undefined ? netnsPath(opts.netns) : null;
    try {
      if (opts.transport) native = opts.transport(protocol, where);
      else {
        const { NativeSocket: Native } = loadAddon();
        native = new Native(protocol, where);
      }
    } catch (e) {
      throw wrapNative(where ? `open netlink socket in ${where}` : 'open netlink socket', e);
    }
    try {
      const opt = (name: number, on: boolean | undefined, dflt: boolean) => {
        if (on ?? dflt) native.setsockopt(SOL_NETLINK, name, 1);
      };
      opt(NETLINK_EXT_ACK, opts.extAck, true);
      opt(NETLINK_CAP_ACK, opts.capAck, true);
      opt(NETLINK_PKTINFO, true, true);
      if (opts.strictCheck ?? true) {
        try {
          native.setsockopt(SOL_NETLINK, NETLINK_GET_STRICT_CHK, 1);
        } catch {
          // Kernels before 4.20 lack strict checking; requests still work without it.
        }
      }
      opt(NETLINK_NO_ENOBUFS, opts.noEnobufs, false);
      opt(NETLINK_LISTEN_ALL_NSID, opts.listenAllNsid, false);
      if (opts.rcvbuf) setBuf(native, SO_RCVBUFFORCE, SO_RCVBUF, opts.rcvbuf);
      if (opts.sndbuf) setBuf(native, SO_SNDBUFFORCE, SO_SNDBUF, opts.sndbuf);
      native.bind(opts.portid ?? 0, 0);
      const [portid] = native.getsockname();
      const sock = new NetlinkSocket(protocol, native, portid, opts);
      for (const g of opts.groups ?? []) sock.join(g);
      native.start(sock.onDatagram, sock.buffer, opts.readAhead ?? false);
      return sock;
    } catch (e) {
      native.close();
      throw e instanceof SocketError ? e : wrapNative('configure netlink socket', e);
    }
  }

  /** Joins a multicast group by number (NETLINK_ADD_MEMBERSHIP). */
  join(group: number): void {
    this.assertOpen();
    this.ensureReceiveBuffer(LISTENER_RCVBUF);
    try {
      this.native.setsockopt(SOL_NETLINK, NETLINK_ADD_MEMBERSHIP, group);
    } catch (e) {
      throw wrapNative(`join group ${group}`, e);
    }
  }

  /** Leaves a multicast group (NETLINK_DROP_MEMBERSHIP). */
  leave(group: number): void {
    this.assertOpen();
    try {
      this.native.setsockopt(SOL_NETLINK, NETLINK_DROP_MEMBERSHIP, group);
    } catch (e) {
      throw wrapNative(`leave group ${group}`, e);
    }
  }

  /** Reads an integer socket option. */
  getOption(level: number, name: number): number {
    this.assertOpen();
    try {
      return this.native.getsockopt(level, name);
    } catch (e) {
      throw wrapNative(`getsockopt(${level}, ${name})`, e);
    }
  }

  /** Sets an integer socket option. */
  setOption(level: number, name: number, value: number): void {
    this.assertOpen();
    try {
      this.native.setsockopt(level, name, value);
    } catch (e) {
      throw wrapNative(`setsockopt(${level}, ${name})`, e);
    }
  }

  /** Grows SO_RCVBUF to at least `bytes`, unless the user chose a size at open. */
  private ensureReceiveBuffer(bytes: number): void {
    if (this.rcvbufChosen) return;
    try {
      if (this.native.getsockopt(SOL_SOCKET, SO_RCVBUF) < bytes) setBuf(this.native, SO_RCVBUFFORCE, SO_RCVBUF, bytes);
    } catch {
      // Without CAP_NET_ADMIN the kernel caps SO_RCVBUF at rmem_max; that is the best we can do.
    }
  }

  /** Current SO_RCVBUF as the kernel reports it (twice the requested size). */
  get receiveBufferSize(): number {
    return this.getOption(SOL_SOCKET, SO_RCVBUF);
  }

  /** The next sequence number this socket will use. */
  nextSeq(): number {
    const s = this.seq;
    this.seq = (this.seq + 1) >>> 0 || 1;
    return s;
  }

  /**
   * Sends raw bytes (one or more complete messages) to a port id and/or groups, as they are.
   * Returns the bytes sent. Use request()/dump() to have replies matched.
   */
  send(bytes: Uint8Array, portid = this.peer, groups = 0): number {
    this.assertOpen();
    this.pcap?.write(bytes, true);
    try {
      return this.native.send(bytes, portid, groups);
    } catch (e) {
      throw wrapNative('sendto', e);
    }
  }

  /**
   * Sends one request message and resolves when the peer ACKs it, with the messages it sent
   * before the ACK. NLM_F_REQUEST (and NLM_F_ACK unless `ack: false`) are set and the sequence
   * number is assigned here, in the caller's buffer. A negative ACK rejects with NetlinkError.
   */
  request(msg: Uint8Array, opts: RequestOptions = {}): Promise<Reply> {
    if (this.closed) return Promise.reject(closedError());
    if (msg.byteLength < NLMSG_HDRLEN) return Promise.reject(new TypeError('request needs a complete netlink message'));
    const ack = opts.ack ?? true;
    const dv = viewOf(msg);
    const seq = this.nextSeq();
    dv.setUint16(6, dv.getUint16(6, HOST_LE) | NLM_F_REQUEST | (ack ? NLM_F_ACK : 0), HOST_LE);
    dv.setUint32(8, seq, HOST_LE);
    const type = dv.getUint16(4, HOST_LE);
    const op = this.opName(type);
    const signal = opts.signal;
    if (signal?.aborted) return Promise.reject(abortError(signal));
    return new Promise<Reply>((resolve, reject) => {
      let onAbort: (() => void) | undefined;
      const p: PendingRequest = {
        kind: 'request', seq, op, bytes: msg, headerSize: opts.headerSize ?? -1, ack, messages: [],
        resolve, reject,
        cleanup: () => {
          this.pending.delete(seq);
          if (onAbort) signal!.removeEventListener('abort', onAbort);
          this.maybeResume();
        },
      };
      if (signal) {
        onAbort = () => {
          p.cleanup();
          this.abandon(seq, ack);
          reject(abortError(signal));
        };
        signal.addEventListener('abort', onAbort, { once: true });
      }
      this.pending.set(seq, p);
      // A reply must be read even if a slow dump consumer paused reading.
      this.maybeResume();
      try {
        this.send(msg, this.peer, 0);
      } catch (e) {
        p.cleanup();
        reject(e as Error);
      }
    });
  }

  /**
   * Sends many requests pipelined: packed several to a datagram (the kernel handles them in
   * order, as netlink_rcv_skb does), each with NLM_F_ACK, with at most `window` waiting for
   * their ACKs. Refusals do not stop the batch; they are collected with their index. This is
   * what makes bulk changes faster than one request per round trip (`ip -batch`).
   */
  async requestBatch(messages: Iterable<BatchRequest>, opts: BatchOptions = {}): Promise<BatchResult> {
    this.assertOpen();
    const window = Math.max(1, opts.window ?? 1024);
    const dgram = Math.max(NLMSG_HDRLEN, opts.datagramSize ?? 32 * 1024);
    const st = new BatchState('batch request', opts.headerSize ?? -1);
    // Every request in flight has an ACK coming back: make room for all of them.
    this.ensureReceiveBuffer(window * ACK_TRUESIZE * 2);
    let w = new MessageWriter(dgram + 1024);
    let lastAt = -1;
    let group: number[] = [];
    let sent = 0;
    // Only the last request of each datagram carries NLM_F_ACK: the kernel handles a datagram's
    // messages in order and always answers a failure, so that one ACK settles the requests
    // before it that drew no error. One ACK per datagram instead of one per request.
    const flush = () => {
      if (w.length === 0) return;
      const pack = w.finish();
      w.view.setUint16(lastAt + 6, w.view.getUint16(lastAt + 6, HOST_LE) | NLM_F_ACK, HOST_LE);
      try {
        this.send(pack, this.peer, 0);
      } catch (e) {
        st.failure = e as Error;
      }
      // The items keep the sent datagram for error reports; the next one gets a fresh writer.
      w = new MessageWriter(dgram + 1024);
      lastAt = -1;
      group = [];
    };
    const waitBelow = async (limit: number) => {
      while (st.inflight > limit && !st.failure && !this.closed) {
        await new Promise<void>((resolve) => {
          st.wake = resolve;
        });
      }
    };
    let index = 0;
    for (const msg of messages) {
      if (opts.signal?.aborted || st.failure || this.closed) break;
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
      const seq = this.nextSeq();
      dv.setUint16(at + 6, (dv.getUint16(at + 6, HOST_LE) | NLM_F_REQUEST) & ~NLM_F_ACK, HOST_LE);
      dv.setUint32(at + 8, seq, HOST_LE);
      group.push(seq);
      this.pending.set(seq, { kind: 'batch', seq, index, pack: w.finish(), at, batch: st, datagram: group });
      st.inflight++;
      sent++;
      index++;
      if (st.inflight >= window || w.length >= dgram) {
        flush();
        if (st.inflight >= window) await waitBelow(window >> 1);
      }
    }
    flush();
    await waitBelow(0);
    if (st.failure) throw st.failure;
    if (this.closed && st.inflight > 0) throw closedError();
    return { sent, acked: st.acked, errors: st.errors };
  }

  /**
   * Starts a dump (NLM_F_REQUEST|NLM_F_DUMP are set here) and returns an async iterable of its
   * results. The request is sent when iteration begins and the socket's previous dump is done.
   */
  dump(msg: Uint8Array): DumpIterable<NetlinkMessage>;
  dump<T>(msg: Uint8Array, opts: DumpOptions<T> & { decode: Decoder<T> }): DumpIterable<T>;
  dump<T>(msg: Uint8Array, opts: DumpOptions<T> & { decodeBatch: BatchDecoder<T> }): DumpIterable<T>;
  dump(msg: Uint8Array, opts: DumpOptions<NetlinkMessage>): DumpIterable<NetlinkMessage>;
  dump<T>(msg: Uint8Array, opts: DumpOptions<T> = {}): DumpIterable<T> {
    if (msg.byteLength < NLMSG_HDRLEN) throw new TypeError('dump needs a complete netlink message');
    const dv = viewOf(msg);
    const op = this.opName(dv.getUint16(4, HOST_LE));
    const decode = (opts.decode ?? copyMessage) as Decoder<T>;
    const st = new DumpState<T>(op, msg, decode, opts.decodeBatch as BatchDecoder<unknown> | undefined, opts.headerSize ?? -1, () => this.cancelDump(st as DumpState<unknown>));
    if (this.closed) st.error = closedError();
    return new DumpIterable<T>(this, st, opts.signal);
  }

  /**
   * Receives multicast events (and unsolicited unicasts) as an async iterable. An `Overrun`
   * item marks lost events; the iteration goes on. Several iterators each get every event.
   */
  events(): AsyncIterableIterator<NetlinkEvent | Overrun>;
  events<T>(opts: EventOptions<T> & { decode: (r: MessageReader, meta: EventMeta) => T | undefined }): AsyncIterableIterator<T | Overrun>;
  events(opts: EventOptions<NetlinkEvent>): AsyncIterableIterator<NetlinkEvent | Overrun>;
  events<T>(opts: EventOptions<T> = {}): AsyncIterableIterator<T | Overrun> {
    const sub: EventSubscriber = {
      queue: [], waiter: null, decode: opts.decode, highWaterMark: opts.highWaterMark ?? EVENT_HIGH_WATER, ended: this.closed,
    };
    this.subscribers.add(sub);
    const signal = opts.signal;
    const end = () => {
      sub.ended = true;
      this.subscribers.delete(sub);
      if (onAbort) signal!.removeEventListener('abort', onAbort);
      const w = sub.waiter;
      sub.waiter = null;
      w?.({ value: undefined, done: true });
      this.maybeResume();
    };
    const onAbort = signal ? end : undefined;
    if (signal) {
      if (signal.aborted) end();
      else signal.addEventListener('abort', end, { once: true });
    }
    const it: AsyncIterableIterator<T | Overrun> = {
      next: () => {
        if (sub.queue.length > 0) {
          const v = sub.queue.shift() as T | Overrun;
          this.maybeResume();
          return Promise.resolve({ value: v, done: false });
        }
        if (sub.ended) return Promise.resolve({ value: undefined, done: true });
        return new Promise((resolve) => {
          sub.waiter = resolve as EventSubscriber['waiter'];
        });
      },
      return: () => {
        end();
        return Promise.resolve({ value: undefined, done: true });
      },
      [Symbol.asyncIterator]: () => it,
    };
    return it;
  }

  /** Lets the process exit while this socket waits (for idle listeners). */
  unref(): this {
    this.refed = false;
    if (!this.closed) this.native.unref();
    return this;
  }

  /** Undoes unref(). */
  ref(): this {
    this.refed = true;
    if (!this.closed) this.native.ref();
    return this;
  }

  /** True once close() was called. */
  get isClosed(): boolean {
    return this.closed;
  }

  /** Closes the socket: pending requests and dumps reject, event iterators end, the fd is released. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.native.close();
    const err = closedError();
    for (const p of [...this.pending.values()]) {
      if (p instanceof DumpState) {
        if (!p.finished) {
          p.error = err;
          p.wake();
        }
      } else if (p.kind === 'batch') {
        p.batch.failure ??= err;
        p.batch.settle();
      } else {
        p.cleanup();
        p.reject(err);
      }
    }
    for (const d of this.dumpQueue) {
      d.error = err;
      d.wake();
    }
    this.dumpQueue.length = 0;
    this.pending.clear();
    for (const sub of [...this.subscribers]) {
      sub.ended = true;
      const w = sub.waiter;
      sub.waiter = null;
      w?.({ value: undefined, done: true });
    }
    this.subscribers.clear();
    this.pcap?.close();
  }

  /** Same as close(), for `await using`. */
  async [Symbol.asyncDispose](): Promise<void> {
    this.close();
  }

  // ---- internals ----

  private opName(type: number): string {
    return this.typeName?.(type) ?? `message type ${type}`;
  }

  private assertOpen(): void {
    if (this.closed) throw closedError();
  }

  private enqueueDump(st: DumpState<unknown>): void {
    if (st.error || st.cancelled) {
      st.finished = true;
      st.wake();
      return;
    }
    this.dumpQueue.push(st);
    this.startNextDump();
  }

  private startNextDump(): void {
    while (!this.activeDump && this.dumpQueue.length > 0 && !this.closed) {
      const st = this.dumpQueue.shift()!;
      if (st.cancelled || st.error) {
        st.finished = true;
        st.wake();
        continue;
      }
      const dv = viewOf(st.bytes);
      st.seq = this.nextSeq();
      dv.setUint16(6, dv.getUint16(6, HOST_LE) | NLM_F_REQUEST | NLM_F_DUMP, HOST_LE);
      dv.setUint32(8, st.seq, HOST_LE);
      st.started = true;
      this.activeDump = st;
      this.pending.set(st.seq, st);
      try {
        this.send(st.bytes, this.peer, 0);
      } catch (e) {
        this.finishDump(st, e as Error);
      }
    }
  }

  private finishDump(st: DumpState<unknown>, err: Error | null): void {
    if (st.current) {
      if (!st.cancelled) st.received.push(st.current);
      st.current = null;
    }
    if (err && !st.cancelled && !st.error) st.error = err;
    st.finished = true;
    this.pending.delete(st.seq);
    if (this.activeDump === st) this.activeDump = null;
    st.wake();
    this.maybeResume();
    this.startNextDump();
  }

  private cancelDump(st: DumpState<unknown>): void {
    if (st.finished) return;
    st.cancelled = true;
    st.received.length = 0;
    st.current = null;
    if (!st.started) {
      const i = this.dumpQueue.indexOf(st);
      if (i >= 0) this.dumpQueue.splice(i, 1);
      st.finished = true;
    }
    // A started dump keeps its seq registered: the rest of it is read and dropped until DONE.
    this.maybeResume();
  }

  /** Pauses reading when consumers are behind, unless a request waits for its reply. */
  private maybePause(): void {
    if (this.paused || this.closed) return;
    for (const p of this.pending.values()) if (!(p instanceof DumpState)) return;
    const d = this.activeDump;
    let behind = d !== null && !d.cancelled && d.received.length >= DUMP_HIGH_WATER;
    if (!behind) for (const s of this.subscribers) if (s.queue.length >= s.highWaterMark) behind = true;
    if (behind) {
      this.paused = true;
      this.native.pause();
    }
  }

  private maybeResume(): void {
    if (!this.paused || this.closed) return;
    const d = this.activeDump;
    let behind = d !== null && !d.cancelled && d.received.length >= DUMP_HIGH_WATER;
    for (const s of this.subscribers) if (s.queue.length >= s.highWaterMark) behind = true;
    let requestWaiting = false;
    for (const p of this.pending.values()) if (!(p instanceof DumpState)) requestWaiting = true;
    if (!behind || requestWaiting) {
      this.paused = false;
      this.native.resume();
    }
  }

  // Called by the addon once per datagram or error. It must never throw.
  private readonly onDatagram = (
    status: number, length: number, portid: number, groups: number, group: number, nsid: number, truncated: boolean,
    slot?: Uint8Array,
  ): void => {
    try {
      if (this.closed) return;
      if (status < 0) {
        this.onSocketError(-status);
        return;
      }
      const buf = slot ?? this.buffer;
      if (truncated) {
        this.onTruncated(buf, length);
        return;
      }
      this.pcap?.write(buf.subarray(0, length), false);
      const multicast = group > 0 || groups !== 0;
      const d = this.activeDump;
      const dseq = d !== null && !multicast && portid === this.peer ? d.seq : -1;
      // The hot path: the data messages of the running dump are recorded with one look at each
      // header; the reader takes over at the first other message (DONE, mostly).
      const at = dseq >= 0 && !d!.cancelled ? scanDumpData(d!, buf, length) : 0;
      const r = new MessageReader(buf, at, length);
      while (r.next()) {
        if (r.seq === dseq && r.type >= NLMSG_MIN_TYPE && !d!.cancelled) {
          recordDumpData(d!, r.buf, r.end, r.offset, r.flags);
          continue;
        }
        if (!multicast && portid === this.peer) {
          const p = this.pending.get(r.seq);
          if (p) {
            if (p instanceof DumpState) this.onDumpMessage(p, r);
            else if (p.kind === 'batch') this.onBatchMessage(p, r);
            else this.onRequestMessage(p, r);
            continue;
          }
          if (this.abandoned.size > 0 && this.abandoned.has(r.seq)) {
            this.onAbandonedMessage(r);
            continue;
          }
        } else if (portid === this.peer && r.pid === this.portid) {
          // The echo of an NLM_F_ECHO request: the kernel unicasts the notification's skb after
          // multicasting it, so it arrives marked with the group, but it is addressed to us
          // (nlmsg_pid is our port id) and carries our request's sequence number.
          const p = this.pending.get(r.seq);
          if (p && !(p instanceof DumpState) && p.kind === 'request' && p.bytes.byteLength >= NLMSG_HDRLEN
            && (p.bytes[6]! | (p.bytes[7]! << 8)) & NLM_F_ECHO) {
            this.onRequestMessage(p, r);
            continue;
          }
        }
        this.onEvent(r, multicast ? (group > 0 ? group : lowestGroup(groups)) : 0, portid, nsid >= 0 ? nsid : undefined);
      }
      if (r.error) this.onMalformed(r.error);
      const active = this.activeDump;
      if (active && active.current) {
        active.received.push(active.current);
        active.current = null;
        active.wake();
      }
      this.maybePause();
    } catch (e) {
      this.onInternalError(e);
    }
  };

  private onRequestMessage(p: PendingRequest, r: MessageReader): void {
    if (r.type === NLMSG_ERROR) {
      const ack = parseAck(r.buf, r.payloadStart, r.payloadEnd, r.flags);
      p.cleanup();
      if (ack instanceof Error) {
        p.reject(new SocketError(`${p.op}: malformed ACK: ${ack.message}`, 'ERR_MALFORMED'));
      } else if (ack.error !== 0) {
        p.reject(this.makeError(p.op, ack, p.bytes, p.headerSize));
      } else {
        p.resolve({ messages: p.messages, ack });
      }
      return;
    }
    if (r.type === NLMSG_NOOP) return;
    if (r.type === NLMSG_DONE) {
      // A multipart reply to a do-request ends with DONE; the ACK (if asked for) follows.
      if (!p.ack) {
        p.cleanup();
        p.resolve({ messages: p.messages });
      }
      return;
    }
    p.messages.push(copyMessage(r));
    if (!p.ack && !(r.flags & NLM_F_MULTI)) {
      p.cleanup();
      p.resolve({ messages: p.messages });
    }
  }

  private onBatchMessage(p: BatchItem, r: MessageReader): void {
    if (r.type !== NLMSG_ERROR) return; // echoes and replies of batched requests are not kept
    const st = p.batch;
    const code = r.payloadEnd - r.payloadStart >= 4 ? r.view.getInt32(r.payloadStart, HOST_LE) : 0;
    this.pending.delete(p.seq);
    st.inflight--;
    if (code === 0) st.acked++;
    else {
      const ack = parseAck(r.buf, r.payloadStart, r.payloadEnd, r.flags);
      const a: Ack = ack instanceof Error ? { error: code, request: { length: 0, type: 0, flags: 0, seq: p.seq, pid: 0 } } : ack;
      const dv = viewOf(p.pack);
      const bytes = p.pack.slice(p.at, p.at + dv.getUint32(p.at, HOST_LE));
      st.errors.push({ index: p.index, error: this.makeError(this.opName(dv.getUint16(p.at + 4, HOST_LE)), a, bytes, st.headerSize) });
    }
    const dg = p.datagram;
    if (dg[dg.length - 1] === p.seq) {
      // The datagram's last request is answered: every earlier one without an error succeeded.
      for (let i = 0; i < dg.length - 1; i++) {
        const q = this.pending.get(dg[i]!);
        if (q !== undefined && !(q instanceof DumpState) && q.kind === 'batch' && q.batch === st) {
          this.pending.delete(dg[i]!);
          st.inflight--;
          st.acked++;
        }
      }
    }
    st.settle();
  }

  /** Remembers an aborted request so that its late reply is dropped rather than seen as an event. */
  private abandon(seq: number, ack: boolean): void {
    if (this.abandoned.size >= MAX_ABANDONED) this.abandoned.delete(this.abandoned.keys().next().value!);
    this.abandoned.set(seq, ack);
  }

  private onAbandonedMessage(r: MessageReader): void {
    const ack = this.abandoned.get(r.seq)!;
    const last = r.type === NLMSG_ERROR || (!ack && (r.type === NLMSG_DONE || !(r.flags & NLM_F_MULTI)));
    if (last) this.abandoned.delete(r.seq);
  }

  private onDumpMessage(d: DumpState<unknown>, r: MessageReader): void {
    if (r.flags & NLM_F_DUMP_INTR) d.interrupted = true;
    if (r.type === NLMSG_DONE) {
      let err: Error | null = null;
      if (r.payloadEnd - r.payloadStart >= 4) {
        const code = r.view.getInt32(r.payloadStart, HOST_LE);
        if (code < 0) {
          // An error inside DONE carries extended-ACK TLVs after the int, like NLMSG_ERROR.
          const ack = parseDoneAck(r, code);
          err = this.makeError(d.op, ack, d.bytes, d.headerSize);
        }
      }
      this.finishDump(d, err);
      return;
    }
    if (r.type === NLMSG_ERROR) {
      const ack = parseAck(r.buf, r.payloadStart, r.payloadEnd, r.flags);
      if (ack instanceof Error) this.finishDump(d, new SocketError(`${d.op}: malformed error: ${ack.message}`, 'ERR_MALFORMED'));
      else if (ack.error !== 0) this.finishDump(d, this.makeError(d.op, ack, d.bytes, d.headerSize));
      else this.finishDump(d, null);
      return;
    }
    if (r.type === NLMSG_NOOP || r.type === NLMSG_OVERRUN || d.cancelled) return;
    recordDumpData(d, r.buf, r.end, r.offset, r.flags);
  }

  private onEvent(r: MessageReader, group: number, portid: number, nsid: number | undefined): void {
    if (this.subscribers.size === 0) return;
    let plain: NetlinkEvent | undefined;
    for (const sub of this.subscribers) {
      let v: unknown;
      if (sub.decode) {
        try {
          v = sub.decode(r, { group, portid, nsid });
        } catch (e) {
          v = undefined;
          this.onInternalError(e);
        }
        if (v === undefined) continue;
      } else {
        v = plain ??= { ...copyMessage(r), group, portid, nsid };
      }
      this.pushEvent(sub, v);
    }
  }

  private pushEvent(sub: EventSubscriber, v: unknown): void {
    if (sub.ended) return;
    const w = sub.waiter;
    if (w) {
      sub.waiter = null;
      w({ value: v, done: false });
    } else {
      sub.queue.push(v);
    }
  }

  private onSocketError(errno: number): void {
    const code = errnoName(errno);
    if (code === 'ENOBUFS') {
      // Multicast events were dropped by the kernel. Dumps are not affected (the kernel waits
      // for room instead of dropping dump data), but listeners must resynchronise.
      for (const sub of this.subscribers) this.pushEvent(sub, { overrun: true, code } satisfies Overrun);
      return;
    }
    const err = new SocketError(`recvmsg: ${code}`, code, errno, 'recvmsg');
    this.failAll(err);
  }

  private onTruncated(buf: Uint8Array, length: number): void {
    // The datagram is lost; grow the buffer so the next one of this size fits.
    let size = buf.byteLength * 2;
    while (size < length) size *= 2;
    this.buffer = new Uint8Array(size);
    this.native.setBuffer(this.buffer);
    const err = new SocketError(`received a ${length}-byte datagram larger than the ${buf.byteLength}-byte buffer; it was lost`, 'EMSGSIZE');
    // The header survived: fail the exchange it belonged to, or report lost events.
    if (buf.byteLength >= NLMSG_HDRLEN) {
      const seq = viewOf(buf).getUint32(8, HOST_LE);
      const p = this.pending.get(seq);
      if (p instanceof DumpState) {
        this.finishDump(p, err);
        return;
      }
      if (p && p.kind === 'batch') {
        this.pending.delete(seq);
        p.batch.failure ??= err;
        p.batch.settle();
        return;
      }
      if (p) {
        p.cleanup();
        p.reject(err);
        return;
      }
    }
    for (const sub of this.subscribers) this.pushEvent(sub, { overrun: true, code: 'EMSGSIZE' } satisfies Overrun);
  }

  private onMalformed(err: Error): void {
    const e = new SocketError(`malformed datagram: ${err.message}`, 'ERR_MALFORMED');
    // Whatever the datagram belonged to cannot complete reliably.
    const d = this.activeDump;
    if (d) this.finishDump(d, e);
  }

  private onInternalError(e: unknown): void {
    // Never let an exception escape into the native callback: surface it on the process.
    process.nextTick(() => {
      throw e;
    });
  }

  private failAll(err: Error): void {
    for (const p of [...this.pending.values()]) {
      if (p instanceof DumpState) this.finishDump(p, err);
      else if (p.kind === 'batch') {
        this.pending.delete(p.seq);
        p.batch.failure ??= err;
        p.batch.settle();
      } else {
        p.cleanup();
        p.reject(err);
      }
    }
  }

  private makeError(op: string, ack: Ack, request: Uint8Array, headerSize: number): NetlinkError {
    let path: number[] | undefined;
    if (ack.offset !== undefined && headerSize >= 0) {
      const start = NLMSG_HDRLEN + ((headerSize + 3) & ~3);
      path = attributePathAt(request, start, request.byteLength, ack.offset);
      if (path.length === 0) path = undefined;
    }
    return new NetlinkError(op, -ack.error, ack, request, path);
  }
}

function parseDoneAck(r: MessageReader, code: number): Ack {
  const ack: Ack = { error: code, request: { length: 0, type: 0, flags: 0, seq: r.seq, pid: r.pid } };
  // An error inside DONE carries its extended-ACK TLVs right after the int.
  if (r.flags & NLM_F_ACK_TLVS) readAckTlvs(r.buf, r.payloadStart + 4, r.payloadEnd, ack);
  return ack;
}

function lowestGroup(mask: number): number {
  for (let i = 0; i < 32; i++) if (mask & (1 << i)) return i + 1;
  return 0;
}

function closedError(): SocketError {
  return new SocketError('netlink socket is closed', 'ERR_SOCKET_CLOSED');
}

function setBuf(native: Transport, force: number, plain: number, size: number): void {
  try {
    native.setsockopt(SOL_SOCKET, force, size);
  } catch {
    native.setsockopt(SOL_SOCKET, plain, size);
  }
}
