// The NetlinkSocket facade: opens and configures the socket, and wires its parts together —
// the dispatcher (dispatcher.ts), requests (request.ts), batches (batch.ts), dumps (dump.ts),
// events (events.ts) and flow control (flow.ts).
// The declarations name AbortSignal and AsyncDisposable: Node's types (TypeScript 7 no longer
// loads @types packages a project does not list in "types"), kept in the emitted .d.ts.
/// <reference types="node" preserve="true" />
import {
  NETLINK_ADD_MEMBERSHIP, NETLINK_CAP_ACK, NETLINK_DROP_MEMBERSHIP, NETLINK_EXT_ACK, NETLINK_GET_STRICT_CHK,
  NETLINK_LISTEN_ALL_NSID, NETLINK_NO_ENOBUFS, NETLINK_PKTINFO, NLMSG_HDRLEN, SO_RCVBUF, SO_RCVBUFFORCE, SO_SNDBUF,
  SO_SNDBUFFORCE, SOL_NETLINK, SOL_SOCKET, type MessageReader, type NetlinkMessage,
} from '../wire/index.js';
import { sendBatch, type BatchOptions, type BatchRequest, type BatchResult } from './batch.js';
import { closedError, type SocketCore } from './core.js';
import { Dispatcher, type Origin } from './dispatcher.js';
import { createDump, DumpQueue, type BatchDecoder, type Decoder, type DumpIterable, type DumpOptions } from './dump.js';
import { errnoMessage, errnoName } from './errno.js';
import { EventHub, type EventMeta, type EventOptions, type NetlinkEvent, type Overrun } from './events.js';
import { ReadGate, SendWindow } from './flow.js';
import { SocketError, wrapNative } from './netlink-error.js';
import { loadAddon, type Transport, type TransportFactory } from './native.js';
import { netnsPath, type NetnsSpec } from './netns.js';
import { PcapWriter } from './pcap.js';
import { sendRequest, type Reply, type RequestOptions } from './request.js';

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
  /**
   * Record every datagram sent and received in this pcap file (LINKTYPE_NETLINK). Without it,
   * the environment's NLKIT_PCAP names a file every socket of the process appends to.
   */
  capture?: string;
  /** Use this transport instead of a kernel socket (e.g. server/'s in-process bus). */
  transport?: TransportFactory;
  /**
   * Milliseconds after which a request or dump without a `timeout` of its own gives up
   * ('ETIMEDOUT'). Default: none when talking to the kernel (it answers every request, and a
   * reply lost to a full buffer is detected), 30 s with a user-space `peer` (it may never answer).
   */
  timeout?: number;
  /** Names message types in errors, e.g. (16) => 'RTM_NEWLINK'. */
  typeName?: (type: number) => string | undefined;
}


/** Events from a peer other than ours, and replies lost or unreadable, are reported; see Overrun. */
export type { Overrun, NetlinkEvent, EventMeta, EventOptions } from './events.js';
export type { RequestOptions, Reply } from './request.js';
export type { DumpOptions, Decoder, BatchDecoder } from './dump.js';
export type { BatchRequest, BatchOptions, BatchResult } from './batch.js';
export { DumpIterable } from './dump.js';
export { copyMessage } from './request.js';

const MIN_BUFFER = 32 * 1024;
const DEFAULT_BUFFER = 64 * 1024;
// Listeners get a large kernel receive buffer unless told otherwise: an event storm (tens of
// thousands of route changes) must not overrun a default 208 KiB buffer.
const LISTENER_RCVBUF = 32 * 1024 * 1024;
// How far the receive buffer grows on its own for many requests in flight.
const MAX_AUTO_RCVBUF = 8 * 1024 * 1024;
// A user-space peer may never answer; the kernel always does (lost replies are detected).
const PEER_TIMEOUT = 30_000;
// Protocols whose kernel side does not answer a control message's NLM_F_ACK in order with the
// rest: AUDIT (its own receive loop), CONNECTOR and KOBJECT_UEVENT (no requests). The others go
// through netlink_rcv_skb, and so do server/'s families.
const NO_BARRIER_PROTOCOLS = new Set([9, 11, 15]);

let nextSeqBase = (Date.now() >>> 0) & 0x7fffffff;

/**
 * NetlinkSocket is one Netlink socket of one protocol in one network namespace. Requests and
 * dumps may be in flight together, any number of them: replies are matched by sequence number
 * and sender port id, and requests beyond what the receive buffer can hold replies for wait in
 * JS. The kernel runs one dump per socket, so dumps queue and run one after another.
 */
// Not `implements SocketCore`: its members are internal, stripped from the declarations, and the
// clause would then fail in a consumer's tsc; passing `this` as a SocketCore still checks the shape.
export class NetlinkSocket implements AsyncDisposable {
  /** The Netlink protocol number. */
  readonly protocol: number;
  /** This socket's port id (nl_pid) as bound. */
  readonly portid: number;
  /** The port id replies must come from (0: the kernel). */
  readonly peer: number;
  /** @internal */
  readonly dispatcher: Dispatcher;
  /** @internal */
  readonly window: SendWindow;
  /** @internal */
  readonly timeout: number | undefined;

  private readonly native: Transport;
  private buffer: Uint8Array;
  private readonly dumps: DumpQueue;
  private readonly hub: EventHub;
  private readonly gate: ReadGate;
  private closedFlag = false;
  private pcap: PcapWriter | undefined;
  private readonly typeName: ((type: number) => string | undefined) | undefined;
  private readonly rcvbufChosen: boolean;
  private rcvbuf = 0;

  private constructor(protocol: number, native: Transport, portid: number, opts: OpenOptions) {
    this.protocol = protocol;
    this.native = native;
    this.portid = portid;
    this.peer = opts.peer ?? 0;
    this.typeName = opts.typeName;
    this.timeout = opts.timeout ?? (this.peer !== 0 ? PEER_TIMEOUT : undefined);
    this.rcvbufChosen = opts.rcvbuf !== undefined;
    this.buffer = new Uint8Array(Math.max(MIN_BUFFER, opts.bufferSize ?? DEFAULT_BUFFER));
    if (opts.capture) this.pcap = new PcapWriter(opts.capture, protocol);
    else if (process.env.NLKIT_PCAP) this.pcap = new PcapWriter(process.env.NLKIT_PCAP, protocol, true);
    nextSeqBase = (nextSeqBase + 0x10000) & 0x7fffffff;
    this.dispatcher = new Dispatcher({
      send: (b) => this.sendToPeer(b),
      event: (r, o) => this.hub.deliver(r, o),
      eventsLost: (code, cause) => this.hub.lost(code, cause),
      released: (bytes) => this.window.release(bytes),
    }, { portid, peer: this.peer, barrier: !NO_BARRIER_PROTOCOLS.has(protocol), seq: nextSeqBase || 1 });
    this.window = new SendWindow(0);
    this.dumps = new DumpQueue(this);
    this.hub = new EventHub(() => this.updateReading());
    this.gate = new ReadGate(native);
    this.readReceiveBuffer();
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
    this.growReceiveBuffer(LISTENER_RCVBUF);
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
    } finally {
      if (level === SOL_SOCKET && (name === SO_RCVBUF || name === SO_RCVBUFFORCE)) this.readReceiveBuffer();
    }
  }

  /** Current SO_RCVBUF as the kernel reports it (twice the requested size). */
  get receiveBufferSize(): number {
    return this.getOption(SOL_SOCKET, SO_RCVBUF);
  }

  /** The next sequence number this socket will use. */
  nextSeq(): number {
    return this.dispatcher.nextSeq();
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
   * number is assigned here, in the caller's buffer. A negative ACK rejects with NetlinkError;
   * a reply lost to a full receive buffer rejects with 'ERR_REPLY_LOST' (a GET marked
   * `idempotent` is sent again instead); `timeout` and `signal` end the wait.
   */
  request(msg: Uint8Array, opts: RequestOptions = {}): Promise<Reply> {
    return sendRequest(this, msg, opts);
  }

  /**
   * Sends many requests pipelined: packed several to a datagram (the kernel handles them in
   * order, as netlink_rcv_skb does), each with NLM_F_ACK, with at most `window` waiting for
   * their ACKs. Refusals do not stop the batch; they are collected with their index. This is
   * what makes bulk changes faster than one request per round trip (`ip -batch`).
   */
  requestBatch(messages: Iterable<BatchRequest>, opts: BatchOptions = {}): Promise<BatchResult> {
    return sendBatch(this, messages, opts);
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
    return createDump(this.dumps, msg, opts);
  }

  /**
   * Receives multicast events (and unsolicited unicasts) as an async iterable. An `Overrun`
   * item marks lost events; the iteration goes on. Several iterators each get every event.
   */
  events(): AsyncIterableIterator<NetlinkEvent | Overrun>;
  events<T>(opts: EventOptions<T> & { decode: (r: MessageReader, meta: EventMeta) => T | undefined }): AsyncIterableIterator<T | Overrun>;
  events(opts: EventOptions<NetlinkEvent>): AsyncIterableIterator<NetlinkEvent | Overrun>;
  events<T>(opts: EventOptions<T> = {}): AsyncIterableIterator<T | Overrun> {
    return this.hub.subscribe(opts, this.closedFlag);
  }

  /** Lets the process exit while this socket waits (for idle listeners). */
  unref(): this {
    if (!this.closedFlag) this.native.unref();
    return this;
  }

  /** Undoes unref(). */
  ref(): this {
    if (!this.closedFlag) this.native.ref();
    return this;
  }

  /**
   * Runs the SIOCETHTOOL ioctl on this socket, so in its namespace, for the ethtool commands that
   * have no netlink message: ETHTOOL_GDRVINFO, _GSSET_INFO, _GSTRINGS and _GSTATS (others are
   * refused, EINVAL). `data` is the command's struct (its first u32 the command) and receives the
   * answer; it must hold all the kernel writes for it. Throws SocketError (ENODEV, EOPNOTSUPP, …).
   */
  ethtoolIoctl(ifname: string, data: Uint8Array): void {
    if (this.closedFlag) throw closedError();
    if (!this.native.ethtool) throw new SocketError('ethtool ioctl: this transport has none', 'EOPNOTSUPP');
    try {
      this.native.ethtool(ifname, data);
    } catch (e) {
      throw wrapNative('ethtool ioctl', e);
    }
  }

  /** True once close() was called. */
  get isClosed(): boolean {
    return this.closedFlag;
  }

  /** @internal */
  get closed(): boolean {
    return this.closedFlag;
  }

  /** Closes the socket: pending requests and dumps reject, event iterators end, the fd is released. */
  close(): void {
    if (this.closedFlag) return;
    this.closedFlag = true;
    this.native.close();
    const err = closedError();
    this.dumps.failQueued(err);
    this.dispatcher.failAll(err);
    this.hub.endAll();
    this.pcap?.close();
  }

  /** Same as close(), for `await using`. */
  async [Symbol.asyncDispose](): Promise<void> {
    this.close();
  }

  /** @internal */
  sendToPeer(bytes: Uint8Array): void {
    this.send(bytes, this.peer, 0);
  }

  /** @internal */
  opName(type: number): string {
    return this.typeName?.(type) ?? `message type ${type}`;
  }

  /** @internal */
  updateReading(): void {
    if (this.closedFlag) return;
    this.gate.update(this.dumps.behind || this.hub.behind, this.dispatcher.awaitingReplies);
  }

  /** @internal Grows SO_RCVBUF to at least `bytes` (capped), unless the user chose a size at open. */
  growReceiveBuffer(bytes: number): void {
    if (this.rcvbufChosen || this.closedFlag) return;
    // Listeners ask for their own large size; room for requests in flight is capped lower.
    const want = bytes === LISTENER_RCVBUF ? bytes : Math.min(bytes, MAX_AUTO_RCVBUF);
    if (this.rcvbuf >= want) return;
    try {
      setBuf(this.native, SO_RCVBUFFORCE, SO_RCVBUF, want);
    } catch {
      // Without CAP_NET_ADMIN the kernel caps SO_RCVBUF at rmem_max; that is the best we can do.
    }
    this.readReceiveBuffer();
  }

  private readReceiveBuffer(): void {
    try {
      this.rcvbuf = this.native.getsockopt(SOL_SOCKET, SO_RCVBUF);
    } catch {
      this.rcvbuf = 212992;
    }
    // Replies in flight may use part of the buffer; the rest is left for dump data (which the
    // kernel adds while the buffer is under half full) and events.
    this.window.setBudget(Math.floor(this.rcvbuf * 3 / 8));
  }

  private assertOpen(): void {
    if (this.closedFlag) throw closedError();
  }

  // Called by the transport once per datagram or error. It must never throw.
  private readonly onDatagram = (
    status: number, length: number, portid: number, groups: number, group: number, nsid: number, truncated: boolean,
    slot?: Uint8Array,
  ): void => {
    if (this.closedFlag) return;
    const origin: Origin = { portid, groups, group, nsid };
    // A read-ahead transport hands over the memory it received into (no copy); else our buffer.
    const buf = slot ?? this.buffer;
    try {
      if (status < 0) this.onSocketError(-status);
      else if (truncated) this.onTruncated(buf, length, origin);
      else {
        this.pcap?.write(buf.subarray(0, length), false);
        this.dispatcher.receive(buf, length, origin);
      }
      this.updateReading();
    } catch (e) {
      // Only a bug could get here: whatever waited on this datagram cannot complete reliably.
      this.dispatcher.lost(e instanceof Error ? e : new Error(String(e)));
    }
  };

  private onSocketError(errno: number): void {
    const code = errnoName(errno);
    if (code === 'ENOBUFS') {
      // The kernel dropped datagrams: events, and perhaps replies (dump data is never dropped).
      this.dispatcher.lost(new SocketError(`recvmsg: ${errnoMessage(errno)} (ENOBUFS)`, code, errno, 'recvmsg'));
      return;
    }
    const err = new SocketError(`recvmsg: ${code}`, code, errno, 'recvmsg');
    this.dispatcher.failAll(err);
  }

  private onTruncated(buf: Uint8Array, length: number, origin: Origin): void {
    // The datagram is lost; grow the buffer so the next one of this size fits.
    const had = this.buffer.byteLength;
    let size = had * 2;
    while (size < length) size *= 2;
    this.buffer = new Uint8Array(size);
    this.native.setBuffer(this.buffer);
    const err = new SocketError(`received a ${length}-byte datagram larger than the ${had}-byte buffer; it was lost`, 'EMSGSIZE');
    this.dispatcher.truncated(buf.subarray(0, Math.min(NLMSG_HDRLEN, buf.byteLength)), err, origin);
  }
}

function setBuf(native: Transport, force: number, plain: number, size: number): void {
  try {
    native.setsockopt(SOL_SOCKET, force, size);
  } catch {
    native.setsockopt(SOL_SOCKET, plain, size);
  }
}
