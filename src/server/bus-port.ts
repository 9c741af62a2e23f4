// One socket on the in-process bus: the Transport a NetlinkSocket drives, with a receive queue
// that behaves like a netlink socket's (byte budget, ENOBUFS on overrun, MSG_TRUNC, wake-ups).
import type { RecvCallback, Transport } from '../socket/native.js';
import {
  NETLINK_ADD_MEMBERSHIP, NETLINK_BROADCAST_ERROR, NETLINK_CAP_ACK, NETLINK_DROP_MEMBERSHIP, NETLINK_EXT_ACK,
  NETLINK_GET_STRICT_CHK, NETLINK_LISTEN_ALL_NSID, NETLINK_NO_ENOBUFS, NETLINK_PKTINFO, SO_RCVBUF, SO_RCVBUFFORCE,
  SO_SNDBUF, SO_SNDBUFFORCE, SOL_NETLINK, SOL_SOCKET,
} from '../wire/index.js';
import { errnoName } from '../socket/errno.js';
import { EBADF, ECONNREFUSED, EAGAIN, EINVAL, EMSGSIZE, ENOBUFS, ENOPROTOOPT, EPERM } from './errno.js';
import { SO_PASSCRED, type Credentials } from './credentials.js';
import type { Delivery } from './faults.js';

/** The kernel's rmem_default / rmem_max: the default and the cap of SO_RCVBUF without FORCE. */
export const RMEM_DEFAULT = 212992;
/** Bytes a queued datagram costs beyond its length (skb truesize overhead, roughly). */
const SKB_OVERHEAD = 512;
/** Datagrams handed over per wake-up, like the native addon's MAX_PER_WAKE. */
const MAX_PER_WAKE = 64;
/** Minimum receive buffer (SOCK_MIN_RCVBUF). */
const SOCK_MIN_RCVBUF = 2304;

interface Queued {
  data: Uint8Array;
  from: number;
  group: number;
  creds: Credentials | undefined;
  truncate: boolean;
  readyAt: number;
  charge: number;
}

/** What a port needs from the bus it lives on. */
export interface PortHost {
  /** Number of joinable groups of the protocol. */
  readonly ngroups: number;
  /** Binds `port` at `portid` (0: choose one); returns the port id or a negative errno. */
  bindPort(port: BusPort, portid: number): number;
  /** Routes a datagram the port sends. Returns bytes sent or a negative errno. */
  route(port: BusPort, data: Uint8Array, portid: number, groups: number): number;
  /** The port closed. */
  closed(port: BusPort): void;
}

/** Makes the Error a native socket method would throw: message, errno, code and syscall. */
export function errnoError(errno: number, syscall: string): Error {
  const code = errnoName(errno);
  return Object.assign(new Error(`${syscall} failed: ${code}`), { errno, code, syscall });
}

/**
 * BusPort implements the Transport contract (see socket/native.ts) in memory. Datagrams
 * queue up to SO_RCVBUF bytes and are handed to the callback asynchronously, at most 64 per
 * wake-up, into the borrowed buffer; a datagram longer than the buffer is reported truncated
 * with its real length. A full queue drops what does not fit and reports ENOBUFS once (unless
 * NETLINK_NO_ENOBUFS), as netlink_overrun() does.
 */
export class BusPort implements Transport {
  /** The bound port id, 0 before bind. */
  portid = 0;
  /** Joined multicast groups. */
  readonly groups = new Set<number>();
  /** SOL_NETLINK boolean options by name. */
  readonly options = new Map<number, boolean>();
  /** SO_RCVBUF as getsockopt reports it. */
  rcvbuf = RMEM_DEFAULT;
  /** SO_SNDBUF as getsockopt reports it. */
  sndbuf = RMEM_DEFAULT;
  /** True once closed. */
  isClosed = false;

  private readonly queue: Queued[] = [];
  private queued = 0;
  private congested = false;
  private pendingError = 0;
  private cb: RecvCallback | undefined;
  private buffer: Uint8Array | undefined;
  private paused = false;
  private refed = true;
  private scheduled: ReturnType<typeof setTimeout> | ReturnType<typeof setImmediate> | undefined;
  private keepalive: ReturnType<typeof setInterval> | undefined;
  private writable: (() => void)[] = [];

  private delivering: Credentials | undefined;

  constructor(private readonly host: PortHost, readonly protocol: number, readonly privileged: boolean,
    /** Who owns the socket: what its datagrams carry as SCM_CREDENTIALS. */
    readonly creds: Credentials) {}

  /** True when `group`'s multicasts reach this port. */
  member(group: number): boolean {
    return this.groups.has(group);
  }

  /** An option's value (false when never set). */
  option(name: number): boolean {
    return this.options.get(name) ?? false;
  }

  // ---- Transport ----

  bind(portid: number, groups: number): void {
    this.assertOpen('bind');
    if (this.portid !== 0 && portid !== 0 && portid !== this.portid) throw errnoError(EINVAL, 'bind');
    if (this.portid === 0) {
      const r = this.host.bindPort(this, portid >>> 0);
      if (r < 0) throw errnoError(-r, 'bind');
      this.portid = r;
    }
    for (let i = 0; i < 32; i++) if (groups & (1 << i)) this.join(i + 1, 'bind');
  }

  getsockname(): [number, number] {
    this.assertOpen('getsockname');
    let mask = 0;
    for (const g of this.groups) if (g >= 1 && g <= 32) mask |= 1 << (g - 1);
    return [this.portid, mask >>> 0];
  }

  setsockopt(level: number, name: number, value: number): void {
    this.assertOpen('setsockopt');
    if (level === SOL_NETLINK) {
      switch (name) {
        case NETLINK_ADD_MEMBERSHIP: this.join(value >>> 0, 'setsockopt'); return;
        case NETLINK_DROP_MEMBERSHIP:
          if (value === 0 || value > this.host.ngroups) throw errnoError(EINVAL, 'setsockopt');
          this.groups.delete(value >>> 0);
          return;
        case NETLINK_PKTINFO: case NETLINK_BROADCAST_ERROR: case NETLINK_NO_ENOBUFS: case NETLINK_LISTEN_ALL_NSID:
        case NETLINK_CAP_ACK: case NETLINK_EXT_ACK: case NETLINK_GET_STRICT_CHK:
          this.options.set(name, value !== 0);
          return;
        default: throw errnoError(ENOPROTOOPT, 'setsockopt');
      }
    }
    if (level === SOL_SOCKET) {
      // SO_PASSCRED: the bus always knows the sender's credentials (lastCredentials()).
      if (name === SO_PASSCRED) return;
      const force = name === SO_RCVBUFFORCE || name === SO_SNDBUFFORCE;
      if (force && !this.privileged) throw errnoError(EPERM, 'setsockopt');
      // The kernel doubles the request for bookkeeping overhead; without FORCE it caps it at rmem_max.
      const v = Math.max(SOCK_MIN_RCVBUF, (force ? value : Math.min(value, RMEM_DEFAULT)) * 2);
      if (name === SO_RCVBUF || name === SO_RCVBUFFORCE) this.rcvbuf = v;
      else if (name === SO_SNDBUF || name === SO_SNDBUFFORCE) this.sndbuf = v;
      else throw errnoError(ENOPROTOOPT, 'setsockopt');
      return;
    }
    throw errnoError(ENOPROTOOPT, 'setsockopt');
  }

  getsockopt(level: number, name: number): number {
    this.assertOpen('getsockopt');
    if (level === SOL_SOCKET && name === SO_RCVBUF) return this.rcvbuf;
    if (level === SOL_SOCKET && name === SO_SNDBUF) return this.sndbuf;
    if (level === SOL_NETLINK && this.options.has(name)) return this.option(name) ? 1 : 0;
    if (level === SOL_NETLINK && name <= NETLINK_GET_STRICT_CHK) return 0;
    throw errnoError(ENOPROTOOPT, 'getsockopt');
  }

  send(data: Uint8Array, portid: number, groups: number): number {
    this.assertOpen('sendto');
    if (data.byteLength > this.sndbuf - 32) throw errnoError(EMSGSIZE, 'sendto');
    const r = this.host.route(this, data, portid >>> 0, groups >>> 0);
    if (r < 0) throw errnoError(-r, 'sendto');
    return r;
  }

  start(cb: RecvCallback, buffer: Uint8Array): void {
    this.assertOpen('start');
    this.cb = cb;
    this.buffer = buffer;
    this.paused = false;
    this.update();
  }

  setBuffer(buffer: Uint8Array): void {
    this.assertOpen('setBuffer');
    this.buffer = buffer;
  }

  pause(): void {
    this.assertOpen('pause');
    this.paused = true;
    this.update();
  }

  resume(): void {
    this.assertOpen('resume');
    this.paused = false;
    this.update();
  }

  ref(): void {
    this.assertOpen('ref');
    this.refed = true;
    this.update();
  }

  unref(): void {
    this.assertOpen('unref');
    this.refed = false;
    this.update();
  }

  close(): void {
    if (this.isClosed) return;
    this.isClosed = true;
    this.queue.length = 0;
    this.queued = 0;
    this.writable = [];
    this.cb = undefined;
    this.buffer = undefined;
    this.update();
    this.host.closed(this);
  }

  fd(): number {
    return -1;
  }

  lastCredentials(): [number, number, number] | null {
    const c = this.delivering;
    return c ? [c.pid, c.uid, c.gid] : null;
  }

  // ---- receiving ----

  /**
   * Queues a datagram for this port (fault rules were applied by the bus). Returns its length,
   * or -EAGAIN when the queue is full: a dump part then waits for room, anything else is
   * dropped and reported as an overrun.
   */
  enqueue(d: Delivery, opts: { dumpPart?: boolean; truncate?: boolean; delay?: number } = {}): number {
    if (this.isClosed) return -ECONNREFUSED;
    if (this.queued > this.rcvbuf) {
      if (!opts.dumpPart) this.overrun();
      return -EAGAIN;
    }
    const charge = d.data.byteLength + SKB_OVERHEAD;
    const tail = this.queue[this.queue.length - 1];
    const readyAt = Math.max(opts.delay ? Date.now() + opts.delay : 0, tail?.readyAt ?? 0);
    this.queue.push({ data: d.data, from: d.from, group: d.group, creds: d.creds, truncate: opts.truncate ?? false, readyAt, charge });
    this.queued += charge;
    this.update();
    return d.data.byteLength;
  }

  /** netlink_overrun(): events were lost; the reader learns it once per congestion episode. */
  overrun(): void {
    if (this.option(NETLINK_NO_ENOBUFS)) return;
    if (!this.congested) {
      this.congested = true;
      this.pendingError = ENOBUFS;
      this.update();
    }
  }

  /** Calls `fn` after the reader next takes a datagram, or soon if nothing is queued. */
  whenWritable(fn: () => void): void {
    if (this.isClosed) return;
    if (this.queue.length === 0) setImmediate(fn);
    else this.writable.push(fn);
  }

  /** Arms or disarms the wake-up and the keep-alive handle to match the port's state. */
  private update(): void {
    const polling = !this.isClosed && this.cb !== undefined && !this.paused;
    // A polling, referenced socket keeps the process alive, like the native uv_poll handle.
    if (polling && this.refed && !this.keepalive) this.keepalive = setInterval(() => {}, 0x7fffffff);
    if ((!polling || !this.refed) && this.keepalive) {
      clearInterval(this.keepalive);
      this.keepalive = undefined;
    }
    if (polling && !this.scheduled && (this.pendingError || this.queue.length > 0)) {
      const wait = this.pendingError ? 0 : this.queue[0]!.readyAt - Date.now();
      if (wait > 0) {
        const t = setTimeout(() => this.drain(), wait);
        if (!this.refed) t.unref();
        this.scheduled = t;
      } else {
        this.scheduled = setImmediate(() => this.drain());
      }
    }
    if (!polling && this.scheduled) {
      clearTimeout(this.scheduled as ReturnType<typeof setTimeout>);
      clearImmediate(this.scheduled as ReturnType<typeof setImmediate>);
      this.scheduled = undefined;
    }
  }

  /** One wake-up: hand queued datagrams (and a pending error first) to the callback. */
  private drain(): void {
    this.scheduled = undefined;
    for (let n = 0; n < MAX_PER_WAKE; n++) {
      const cb = this.cb;
      const buf = this.buffer;
      if (this.isClosed || !cb || !buf || this.paused) return;
      if (this.pendingError) {
        const e = this.pendingError;
        this.pendingError = 0;
        this.call(cb, -e, 0, 0, 0, -1, false);
        continue;
      }
      const head = this.queue[0];
      if (!head || head.readyAt > Date.now()) break;
      this.queue.shift();
      this.queued -= head.charge;
      if (this.queue.length === 0) this.congested = false;
      const len = head.data.byteLength;
      buf.set(head.data.subarray(0, Math.min(len, buf.byteLength)));
      const truncated = head.truncate || len > buf.byteLength;
      const mask = head.group >= 1 && head.group <= 32 ? (1 << (head.group - 1)) >>> 0 : 0;
      const pktinfo = this.option(NETLINK_PKTINFO) && head.group > 0 ? head.group : -1;
      // SO_PASSCRED is always on here: the bus has the credentials, and nobody pays for them.
      this.delivering = head.creds;
      this.call(cb, 0, len, head.from, mask, pktinfo, truncated);
      this.delivering = undefined;
      // The kernel continues a dump from recvmsg() once the queue is at most half full.
      if (this.queued <= this.rcvbuf / 2 && this.writable.length > 0) {
        const hooks = this.writable;
        this.writable = [];
        for (const h of hooks) h();
      }
    }
    this.update();
  }

  private call(cb: RecvCallback, status: number, len: number, from: number, groups: number, group: number, truncated: boolean): void {
    try {
      cb(status, len, from, groups, group, -1, truncated);
    } catch (e) {
      // The native addon never lets an exception escape its poll callback; neither do we.
      process.nextTick(() => {
        throw e;
      });
    }
  }

  private join(group: number, syscall: string): void {
    if (group === 0 || group > this.host.ngroups) throw errnoError(EINVAL, syscall);
    this.groups.add(group);
  }

  private assertOpen(syscall: string): void {
    if (this.isClosed) throw errnoError(EBADF, syscall);
  }
}
