// NetlinkServer: the kernel socket of one protocol, in user space. It takes datagrams from a
// link, walks them with netlink_rcv_skb() semantics, ACKs, runs dumps one datagram at a time
// and sends unicasts, multicasts and notifications back through the link.
import { buildAck } from './ack-builder.js';
import type { Attrs } from './attrs.js';
import { DumpCallback, type DumpControl } from './dump.js';
import { EAGAIN, EBUSY, EINTR, EINVAL, ESRCH } from './errno.js';
import type { Credentials } from './credentials.js';
import type { PeerInfo, ServerLink } from './link.js';
import { buildMessage, type Fill } from './message.js';
import { netlinkRcvSkb } from './rcv.js';
import type { Request } from './request.js';

/** Options shared by every server. */
export interface ServerOptions {
  /**
   * Bytes one dump datagram may hold. The kernel sizes dump buffers from the reader's receive
   * size (up to ~32 KiB); a fixed budget keeps the model deterministic. Default 16 KiB.
   */
  dumpBufferSize?: number;
  /** Called with exceptions thrown by handlers; the request then fails with EINVAL. Default: rethrown asynchronously. */
  onError?: (e: unknown) => void;
}

interface DumpRun {
  cb: DumpCallback<unknown>;
  control: DumpControl<unknown>;
  pending: Uint8Array | null;
  finished: boolean;
  ended: boolean;
}

const DEFAULT_DUMP_BUFFER = 16 * 1024;

/**
 * NetlinkServer is what `netlink_kernel_create()` makes: the receiving end of a protocol.
 * Subclasses decide what a request means (classic message types, generic netlink families);
 * this class does what every kernel protocol shares.
 */
export abstract class NetlinkServer {
  /** Bytes one dump datagram may hold. */
  readonly dumpBufferSize: number;
  protected link: ServerLink | undefined;
  private readonly dumps = new Map<number, DumpRun>();
  private readonly onError: (e: unknown) => void;

  constructor(opts: ServerOptions = {}) {
    this.dumpBufferSize = opts.dumpBufferSize ?? DEFAULT_DUMP_BUFFER;
    this.onError = opts.onError ?? ((e) => process.nextTick(() => {
      throw e;
    }));
  }

  /** Connects the server to what carries its datagrams (done by the bus or the USERSOCK listener). */
  attach(link: ServerLink): void {
    if (this.link) throw new Error('server is already attached to a transport');
    this.link = link;
  }

  /** Disconnects the server; running dumps end. */
  detach(): void {
    for (const run of [...this.dumps.values()]) this.endDump(run);
    this.link = undefined;
  }

  /** True while attached to a transport. */
  get attached(): boolean {
    return this.link !== undefined;
  }

  /** The number of multicast groups of the transport (32 on NETLINK_USERSOCK). */
  get ngroups(): number {
    return this.link?.ngroups ?? 0;
  }

  /**
   * The kernel socket's input (nlk->netlink_rcv): one datagram from port `portid`, handled
   * synchronously and in order, as the kernel does inside the sender's sendmsg(). `creds` are
   * the sender's SCM_CREDENTIALS, when the transport received them with the datagram.
   */
  input(data: Uint8Array, portid: number, creds?: Credentials): void {
    const link = this.link;
    if (!link) return;
    const peer = link.peer(portid, creds);
    netlinkRcvSkb(data, portid, peer, (req) => this.safeHandle(req), (req, err) => this.ack(req, err, peer));
  }

  /** The port `portid` is gone (its socket closed): its dump ends, as in netlink_release(). */
  release(portid: number): void {
    const run = this.dumps.get(portid);
    if (run) this.endDump(run);
  }

  /** Handles one request: 0, a negative errno, or -EINTR when a dump was started. */
  protected abstract handle(req: Request): number;

  // ---- sending ----

  /** nlmsg_unicast(): sends a datagram to a port; 0 or a negative errno. */
  unicast(portid: number, data: Uint8Array): number {
    if (!this.link) return -ESRCH;
    const r = this.link.unicast(portid, data);
    return r < 0 ? r : 0;
  }

  /** nlmsg_multicast(): sends to a group except `exclude`; 0, or -ESRCH when nobody listens. */
  multicast(group: number, data: Uint8Array, exclude = 0): number {
    if (!this.link) return -ESRCH;
    const r = this.link.multicast(group, data, exclude);
    if (r < 0) return r;
    return r === 0 ? -ESRCH : 0;
  }

  /**
   * nlmsg_notify(): multicasts a notification to `group` and, when the originating request
   * asked for NLM_F_ECHO (`report`), gives it to the origin by unicast instead of multicast,
   * so the origin receives it exactly once (marked with the group, as from a kernel).
   */
  notify(data: Uint8Array, group: number, origin: number, report: boolean): number {
    if (!this.link) return -ESRCH;
    if (report && group) {
      const r = this.link.echo(group, data, origin);
      return r < 0 ? r : 0;
    }
    if (report) return this.unicast(origin, data);
    if (!group) return 0;
    const err = this.multicast(group, data);
    return err === -ESRCH ? 0 : err;
  }

  /** Sends a reply of `type` to the requester, with the request's sequence number. */
  reply(req: Request, type: number, fill?: Fill, flags = 0): number {
    return this.unicast(req.portid, buildMessage(type, flags, req.seq, req.portid, fill));
  }

  // ---- dumps ----

  /**
   * netlink_dump_start(): starts a dump for the request and sends its first datagram now.
   * Returns -EINTR (the request is answered by the dump, not by an ACK), or the negative
   * errno of `control.start`, or -EBUSY when the requester already has a dump running.
   */
  startDump<S>(req: Request, control: DumpControl<S>, state: S, attrs?: (cb: DumpCallback<S>) => Attrs | number): number {
    if (this.dumps.has(req.portid)) return -EBUSY;
    const cb = new DumpCallback<S>(req.copy(), req.portid, req.peer, this.dumpBufferSize, state);
    if (attrs) {
      const a = attrs(cb);
      if (typeof a === 'number') {
        copyExtack(cb, req);
        return a;
      }
      cb.attrs = a;
    }
    if (control.start) {
      let r: number | void;
      try {
        r = control.start(cb);
      } catch (e) {
        this.onError(e);
        r = -EINVAL;
      }
      if (typeof r === 'number' && r < 0) {
        copyExtack(cb, req);
        return r;
      }
    }
    const run: DumpRun = { cb: cb as DumpCallback<unknown>, control: control as DumpControl<unknown>, pending: null, finished: false, ended: false };
    this.dumps.set(req.portid, run);
    this.pump(run);
    return -EINTR;
  }

  /** Sends the next datagram of a dump, then waits until the reader has room for another. */
  private pump(run: DumpRun): void {
    const link = this.link;
    if (run.ended || !link) return;
    if (!run.pending) {
      const { data, finished } = run.cb.produce(run.control, this.onError);
      run.pending = data;
      run.finished = finished;
    }
    const r = link.unicast(run.cb.portid, run.pending, true);
    if (r === -EAGAIN) {
      link.whenWritable(run.cb.portid, () => this.pump(run), true);
      return;
    }
    run.pending = null;
    if (r < 0 || run.finished) {
      // Delivered DONE, or the reader is gone: either way the dump is over.
      this.endDump(run);
      return;
    }
    link.whenWritable(run.cb.portid, () => this.pump(run), false);
  }

  private endDump(run: DumpRun): void {
    if (run.ended) return;
    run.ended = true;
    if (this.dumps.get(run.cb.portid) === run) this.dumps.delete(run.cb.portid);
    try {
      run.control.done?.(run.cb);
    } catch (e) {
      this.onError(e);
    }
  }

  // ---- internals ----

  private safeHandle(req: Request): number {
    try {
      return this.handle(req);
    } catch (e) {
      this.onError(e);
      return -EINVAL;
    }
  }

  private ack(req: Request, err: number, peer: PeerInfo): void {
    this.unicast(req.portid, buildAck(req.buf, req.offset, req.length, req.portid, err, req.extack, peer));
  }
}

/** A dump that fails before it starts reports its reason in the request's ACK. */
function copyExtack(cb: DumpCallback<unknown>, req: Request): void {
  const src = cb.extack;
  const dst = req.extack;
  if (src.message !== undefined) dst.message = src.message;
  if (src.badAttr !== undefined) {
    // The callback's offsets are into its copy of the request; map them back.
    dst.badAttr = src.badAttr + req.offset;
    dst.policy = src.policy;
  }
  if (src.missType !== undefined) dst.setMissing(src.missType, src.missNest !== undefined ? src.missNest + req.offset : undefined);
}
