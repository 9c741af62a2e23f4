// The uevent listener: a NETLINK_KOBJECT_UEVENT socket whose datagrams are not Netlink
// messages (no nlmsghdr), so it drives the transport directly instead of a NetlinkSocket.
import { loadAddon, type Transport, type TransportFactory } from '../socket/native.js';
import { netnsPath, type NetnsSpec } from '../socket/netns.js';
import { SocketError, wrapNative } from '../socket/netlink-error.js';
import { errnoName } from '../socket/errno.js';
import type { Overrun } from '../socket/index.js';
import {
  NETLINK_ADD_MEMBERSHIP, NETLINK_KOBJECT_UEVENT, NETLINK_PKTINFO, SOL_NETLINK, SOL_SOCKET, SO_PASSCRED, SO_RCVBUF, SO_RCVBUFFORCE,
} from '../wire/index.js';
import { UEVENT_GROUP_KERNEL, UEVENT_GROUP_UDEV } from './constants.js';
import { decodeUevent, type Uevent } from './decode.js';

/** Options of {@link uevents}. */
export interface UeventOptions {
  /** Listen in this network namespace: net-class uevents of its devices are sent there only. */
  netns?: NetnsSpec;
  /** 'kernel' (group 1, the default) or 'udev' (group 2: events udevd processed, libudev framing). */
  source?: 'kernel' | 'udev';
  /** Keep only events of these subsystems (SUBSYSTEM=…). */
  subsystem?: string | string[];
  /** Ends the iteration. */
  signal?: AbortSignal;
  /** Receive buffer size (SO_RCVBUFFORCE); default 4 MiB, since uevents come in bursts (coldplug). */
  rcvbuf?: number;
  /** @internal another transport (tests). */
  transport?: TransportFactory;
}

// A uevent is at most UEVENT_BUFFER_SIZE (2048) bytes; libudev's records are larger (8 KiB cap).
const BUFFER = 16 * 1024;
const DEFAULT_RCVBUF = 4 * 1024 * 1024;

/**
 * A uevent subscription: iterate with `for await`; items are uevents, or `{ overrun: true }`
 * when the kernel dropped some (a full receive buffer). Ended by close(), `break`, the signal
 * or `await using`.
 */
export class UeventMonitor implements AsyncIterable<Uevent | Overrun>, AsyncDisposable {
  private readonly native: Transport;
  private readonly buffer = new Uint8Array(BUFFER);
  private readonly queue: (Uevent | Overrun)[] = [];
  private wake: (() => void) | undefined;
  private closed = false;
  private failure: Error | undefined;
  private readonly subsystems: Set<string> | undefined;
  private readonly udev: boolean;
  private readonly onAbort = () => this.close();
  private readonly signal: AbortSignal | undefined;

  /** @internal use uevents(). */
  constructor(opts: UeventOptions) {
    const where = opts.netns !== undefined ? netnsPath(opts.netns) : null;
    this.udev = opts.source === 'udev';
    const subs = opts.subsystem === undefined ? undefined : [opts.subsystem].flat();
    this.subsystems = subs ? new Set(subs) : undefined;
    try {
      this.native = opts.transport ? opts.transport(NETLINK_KOBJECT_UEVENT, where) : new (loadAddon().NativeSocket)(NETLINK_KOBJECT_UEVENT, where);
    } catch (e) {
      throw wrapNative(where ? `open uevent socket in ${where}` : 'open uevent socket', e);
    }
    try {
      this.native.setsockopt(SOL_NETLINK, NETLINK_PKTINFO, 1);
      // udevd's events are trusted only from root: the kernel attaches the sender's credentials.
      if (this.udev) this.native.setsockopt(SOL_SOCKET, SO_PASSCRED, 1);
      const size = opts.rcvbuf ?? DEFAULT_RCVBUF;
      try {
        this.native.setsockopt(SOL_SOCKET, SO_RCVBUFFORCE, size);
      } catch {
        this.native.setsockopt(SOL_SOCKET, SO_RCVBUF, size);
      }
      this.native.bind(0, 0);
      this.native.setsockopt(SOL_NETLINK, NETLINK_ADD_MEMBERSHIP, this.udev ? UEVENT_GROUP_UDEV : UEVENT_GROUP_KERNEL);
      this.native.start(this.onDatagram, this.buffer, false);
    } catch (e) {
      this.native.close();
      throw wrapNative('configure uevent socket', e);
    }
    this.signal = opts.signal;
    if (opts.signal?.aborted) this.close();
    else opts.signal?.addEventListener('abort', this.onAbort, { once: true });
  }

  // One call per datagram; never throws.
  private readonly onDatagram = (status: number, length: number, portid: number, _groups: number, group: number, _nsid: number, truncated: boolean, slot?: Uint8Array): void => {
    if (this.closed) return;
    if (status < 0) {
      const code = errnoName(-status);
      if (code === 'ENOBUFS') this.push({ overrun: true, code });
      else this.fail(new SocketError(`recvmsg: ${code}`, code, -status, 'recvmsg'));
      return;
    }
    if (truncated) return this.push({ overrun: true, code: 'EMSGSIZE' });
    // The kernel's events come from port 0; udevd's from its own port, as root.
    if (this.udev) {
      const cred = this.native.lastCredentials?.();
      if (portid === 0 || group !== UEVENT_GROUP_UDEV || (cred && cred[1] !== 0)) return;
    } else if (portid !== 0) return;
    const buf = slot ?? this.buffer;
    const ev = decodeUevent(buf.subarray(0, length).slice());
    if (!ev) return;
    if (this.subsystems && !this.subsystems.has(ev.subsystem)) return;
    this.push(ev);
  };

  private push(item: Uevent | Overrun): void {
    this.queue.push(item);
    const w = this.wake;
    this.wake = undefined;
    w?.();
  }

  private fail(e: Error): void {
    this.failure = e;
    this.close();
  }

  /** Ends the subscription and closes the socket. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.signal?.removeEventListener('abort', this.onAbort);
    this.native.close();
    const w = this.wake;
    this.wake = undefined;
    w?.();
  }

  async [Symbol.asyncDispose](): Promise<void> {
    this.close();
  }

  async *[Symbol.asyncIterator](): AsyncGenerator<Uevent | Overrun, void, undefined> {
    try {
      for (;;) {
        if (this.queue.length > 0) {
          yield this.queue.shift()!;
          continue;
        }
        if (this.failure) throw this.failure;
        if (this.closed) return;
        await new Promise<void>((resolve) => { this.wake = resolve; });
      }
    } finally {
      this.close();
    }
  }
}

/**
 * Listens for uevents (NETLINK_KOBJECT_UEVENT): the kernel's own (default), or udevd's after
 * processing. The socket is joined when this returns, so nothing after it is missed.
 */
export function uevents(opts: UeventOptions = {}): UeventMonitor {
  return new UeventMonitor(opts);
}
