// netlink_dump(): a dump is produced one datagram at a time, each built when the reader has
// room for it, from a callback that remembers where it stopped (the kernel's cb->args/cb->ctx).
import { HOST_LE, MessageWriter, NLM_F_DUMP_INTR, NLM_F_MULTI, NLMSG_HDRLEN } from '../wire/index.js';
import { appendDone } from './ack-builder.js';
import type { Attrs } from './attrs.js';
import { EINVAL, EMSGSIZE } from './errno.js';
import { ExtAck } from './extack.js';
import type { PeerInfo } from './link.js';
import type { Fill } from './message.js';

/** The callbacks of a dump (struct netlink_dump_control). */
export interface DumpControl<S> {
  /**
   * Runs once before the first datagram (netlink_dump_control.start). A negative errno fails
   * the request with an ordinary error ACK and no dump.
   */
  start?(cb: DumpCallback<S>): number | void;
  /**
   * Fills one datagram: call `cb.put()` until it returns false, remembering the position in
   * `cb.state`. A call that puts nothing ends the dump with NLMSG_DONE; a negative errno ends
   * it with that error inside NLMSG_DONE (and `cb.extack.message`, if set).
   */
  dump(cb: DumpCallback<S>): number | void;
  /** Runs once when the dump ends, fails, or its requester goes away. */
  done?(cb: DumpCallback<S>): void;
}

/**
 * DumpCallback is the kernel's struct netlink_callback: the request (a copy that outlives the
 * datagram it came in), the dump's own state, the generation for NLM_F_DUMP_INTR, and the
 * datagram being filled.
 */
export class DumpCallback<S> {
  /** Whatever the dump needs to resume (cb->ctx); starts as the value given at start. */
  state: S;
  /**
   * The data's generation at this call (cb->seq): set it from the data source each time the
   * dump callback runs. When it differs from the one of the previous message, messages get
   * NLM_F_DUMP_INTR. Generations start at 1; 0 means "not tracked".
   */
  generation = 0;
  /** Extended-ACK for the dump: its message goes into NLMSG_DONE. */
  readonly extack = new ExtAck();
  /** The request message (header included), copied. */
  readonly request: Uint8Array;
  /** A view of `request`. */
  readonly requestView: DataView;
  /** The request's attributes parsed with the operation's policy (genl_dumpit_info.attrs). */
  attrs: Attrs | undefined;
  /** Messages put into the current datagram. */
  added = 0;

  private prevGeneration = 0;
  private doneError: number | undefined;
  private oversize = false;
  private readonly chunk: MessageWriter;
  private readonly scratch = new MessageWriter(256);

  constructor(
    request: Uint8Array,
    /** The requester's port id: where the dump goes. */
    readonly portid: number,
    /** The requester's socket options. */
    readonly peer: PeerInfo,
    /** Bytes one datagram may hold (the kernel's dump skb size). */
    readonly bufferSize: number,
    state: S,
  ) {
    this.request = request;
    this.requestView = new DataView(request.buffer, request.byteOffset, request.byteLength);
    this.state = state;
    this.chunk = new MessageWriter(Math.min(bufferSize, 4096));
  }

  /** The request's nlmsg_seq: every message of the dump carries it. */
  get seq(): number {
    return this.requestView.getUint32(8, HOST_LE);
  }
  /** The request's nlmsg_type. */
  get type(): number {
    return this.requestView.getUint16(4, HOST_LE);
  }
  /** The request's nlmsg_flags. */
  get flags(): number {
    return this.requestView.getUint16(6, HOST_LE);
  }

  /**
   * Appends one message of `type` (NLM_F_MULTI | `flags`) whose payload `fill` writes. Returns
   * false, and appends nothing, when it does not fit in what is left of the datagram: stop
   * there and resume from the same item next time.
   */
  put(type: number, fill: Fill, flags = 0): boolean {
    const s = this.scratch.reset();
    const at = s.begin(type, NLM_F_MULTI | flags, this.seq, this.portid);
    fill(s);
    s.end();
    if (this.chunk.length + s.length > this.bufferSize) {
      if (this.added === 0) this.oversize = true;
      return false;
    }
    this.checkConsistent(s.view, at);
    this.chunk.bytes(s.finish());
    this.added++;
    return true;
  }

  /** nl_dump_check_consistent(): flags the message if the generation moved since the last one. */
  private checkConsistent(view: DataView, at: number): void {
    if (this.prevGeneration && this.generation !== this.prevGeneration) {
      view.setUint16(at + 6, view.getUint16(at + 6, HOST_LE) | NLM_F_DUMP_INTR, HOST_LE);
    }
    this.prevGeneration = this.generation;
  }

  /**
   * Runs the dump callback once and returns the datagram to send and whether the dump ended
   * with it. A call that puts messages sends them and leaves DONE for the next call, as the
   * kernel does when the callback returns the skb length.
   */
  produce(control: DumpControl<S>, onError: (e: unknown) => void): { data: Uint8Array; finished: boolean } {
    this.chunk.reset();
    this.added = 0;
    this.oversize = false;
    let err: number;
    if (this.doneError !== undefined) {
      err = this.doneError;
    } else {
      let ret: number | void;
      try {
        ret = control.dump(this);
      } catch (e) {
        onError(e);
        ret = -EINVAL;
      }
      err = typeof ret === 'number' && ret < 0 ? ret : 0;
      if (err === 0 && this.added > 0) return { data: this.chunk.toBytes(), finished: false };
      if (err === 0 && this.oversize) err = -EMSGSIZE;
      // NLMSG_DONE needs room too; when the last messages filled the datagram it goes alone.
      if (this.added > 0 && this.chunk.length + NLMSG_HDRLEN + 4 > this.bufferSize) {
        this.doneError = err;
        return { data: this.chunk.toBytes(), finished: false };
      }
    }
    const flags = this.prevGeneration && this.generation !== this.prevGeneration ? NLM_F_DUMP_INTR : 0;
    appendDone(this.chunk, this.seq, this.portid, err, flags, this.extack.message, this.peer);
    return { data: this.chunk.toBytes(), finished: true };
  }
}
