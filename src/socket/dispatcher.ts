// The protocol state machine of a Netlink socket, without I/O: sequence numbers, the exchanges
// waiting for replies keyed by sequence number and port id, the routing of each received
// message, one settle for every way an exchange ends, and recovery when replies are lost.
// Tests drive it with byte fixtures (test/dispatcher.test.ts); NetlinkSocket feeds it datagrams.
import {
  HOST_LE, MessageReader, NLM_F_ACK, NLM_F_REQUEST, NLMSG_ERROR, NLMSG_HDRLEN, NLMSG_MIN_TYPE, NLMSG_NOOP, viewOf,
} from '../wire/index.js';
import type { Exchange, Outcome } from './exchange.js';
import { SocketError } from './netlink-error.js';

/** Where a datagram came from. */
export interface Origin {
  /** The sender's port id. */
  portid: number;
  /** The group bitmask of nl_groups (0 for unicast). */
  groups: number;
  /** The group from NETLINK_PKTINFO (0 for unicast). */
  group: number;
  /** The peer namespace id (NETLINK_LISTEN_ALL_NSID), or -1. */
  nsid: number;
}

/** An exchange whose replies stream in bulk (the running dump): data messages take a fast path. */
export interface StreamExchange extends Exchange {
  /** Records the leading data messages of a datagram; returns where the first other message starts. */
  scan(buf: Uint8Array, length: number): number;
  /** Records one data message (type >= NLMSG_MIN_TYPE) at the reader's position. */
  record(r: MessageReader): void;
  /** True once it no longer wants data (cancelled: the rest is read and dropped). */
  readonly cancelled: boolean;
  /** Called after each datagram: hands what it recorded to its consumer. */
  flush(): void;
}

/** What the dispatcher needs from the socket around it. */
export interface DispatcherHost {
  /** Sends one datagram to the peer; throws on failure. */
  send(bytes: Uint8Array): void;
  /** A message that is no exchange's: a multicast event or an unsolicited unicast. */
  event(r: MessageReader, origin: Origin): void;
  /** Events were lost or could not be read (a malformed multicast datagram). */
  eventsLost(code: string, cause?: Error): void;
  /** `bytes` of receive-buffer room were given back: queued requests may go. */
  released(bytes: number): void;
}

/** Options of a {@link Dispatcher}. */
export interface DispatcherOptions {
  /** This socket's port id. */
  portid: number;
  /** The port id replies come from (0: the kernel). */
  peer: number;
  /**
   * Whether the peer ACKs an NLMSG_NOOP that asks for one (netlink_rcv_skb does: rtnetlink,
   * generic netlink, sock_diag, nfnetlink, xfrm, and server/'s families). Then a lost reply is
   * found exactly: the barrier's ACK comes after every reply to what was sent before it.
   */
  barrier: boolean;
  /** First sequence number. */
  seq?: number;
}

const MAX_ABANDONED = 1024;

/**
 * Dispatcher routes each received message to the exchange it answers (by nlmsg_seq and the
 * sender's port id), to the running dump's fast path, or out as an event, and settles every
 * exchange exactly once. When the kernel reports that replies were dropped (ENOBUFS), or a
 * unicast datagram cannot be read, it sends a barrier (NLMSG_NOOP with NLM_F_ACK): when that is
 * acknowledged, every lossy exchange sent before it that is still waiting has lost its reply,
 * and is resent when that is safe or rejected — never left pending.
 */
export class Dispatcher {
  readonly portid: number;
  readonly peer: number;
  /** The running dump, whose data messages take the fast path. */
  stream: StreamExchange | null = null;
  private readonly pending = new Map<number, Exchange>();
  /** Sequence numbers of exchanges that ended early (timeout, abort): late replies are dropped. */
  private readonly abandoned = new Set<number>();
  private seq: number;
  private readonly barrier: boolean;
  /** Lossy exchanges in flight (the stream and other dumps are not lossy). */
  private lossyCount = 0;

  constructor(private readonly host: DispatcherHost, opts: DispatcherOptions) {
    this.portid = opts.portid;
    this.peer = opts.peer;
    this.barrier = opts.barrier;
    this.seq = opts.seq !== undefined && opts.seq > 0 ? opts.seq >>> 0 : 1;
  }

  /** The next sequence number (never 0: some peers treat 0 as "no sequence"). */
  nextSeq(): number {
    const s = this.seq;
    this.seq = (this.seq + 1) >>> 0 || 1;
    return s;
  }

  /** Number of exchanges waiting. */
  get size(): number {
    return this.pending.size;
  }

  /** True when an exchange other than a dump waits for a reply (reading must not pause then). */
  get awaitingReplies(): boolean {
    return this.lossyCount > 0;
  }

  /** Starts routing replies with `ex.seq` to `ex`. */
  register(ex: Exchange): void {
    this.pending.set(ex.seq, ex);
    if (ex.lossy) this.lossyCount++;
  }

  /** The exchange waiting under `seq`, if any. */
  get(seq: number): Exchange | undefined {
    return this.pending.get(seq);
  }

  /**
   * Ends an exchange: forgets it, gives its receive-buffer room back, then tells it how it
   * ended. The one way every exchange ends; a second call is a no-op.
   */
  settle(ex: Exchange, err: Error | null): void {
    if (this.pending.get(ex.seq) !== ex) return;
    this.pending.delete(ex.seq);
    if (ex.lossy) this.lossyCount--;
    if (this.stream === ex) this.stream = null;
    const room = ex.reserved;
    ex.reserved = 0;
    try {
      ex.settled(err);
    } finally {
      if (room > 0) this.host.released(room);
    }
  }

  /** Settles `ex` early (timeout, abort) and drops whatever still arrives for it. */
  abandon(ex: Exchange, err: Error): void {
    if (this.pending.get(ex.seq) !== ex) return;
    if (this.abandoned.size >= MAX_ABANDONED) this.abandoned.delete(this.abandoned.values().next().value!);
    this.abandoned.add(ex.seq);
    this.settle(ex, err);
  }

  /** Fails every waiting exchange (the socket closed or broke). */
  failAll(err: Error): void {
    for (const ex of [...this.pending.values()]) this.settle(ex, err);
  }

  /**
   * Routes the messages of one received datagram. Never throws: an exchange whose handler
   * fails is rejected with the error, and a datagram that cannot be read counts as lost replies.
   */
  receive(buf: Uint8Array, length: number, origin: Origin): void {
    const fromPeer = origin.portid === this.peer;
    const multicast = origin.group > 0 || origin.groups !== 0;
    const s = this.stream;
    const sseq = s !== null && fromPeer && !multicast && !s.cancelled ? s.seq : -1;
    // The hot path: the running dump's data messages are recorded with one look at each header.
    const at = sseq >= 0 ? s!.scan(buf, length) : 0;
    const r = new MessageReader(buf, at, length);
    try {
      while (r.next()) {
        if (r.seq === sseq && r.type >= NLMSG_MIN_TYPE && !s!.cancelled) {
          s!.record(r);
          continue;
        }
        if (fromPeer && (!multicast || r.pid === this.portid)) {
          const ex = this.pending.get(r.seq);
          // A multicast copy addressed to us (nlmsg_pid is our port id) is the echo of an
          // NLM_F_ECHO request: the kernel unicasts the notification to the requester.
          if (ex && (!multicast || ex.echo === true)) {
            this.deliver(ex, r);
            continue;
          }
          if (!multicast && this.abandoned.has(r.seq)) {
            if (r.type === NLMSG_ERROR) this.abandoned.delete(r.seq);
            continue;
          }
        }
        this.host.event(r, origin);
      }
    } catch (e) {
      // Only a bug in an event consumer could get here (deliver() catches per exchange).
      this.readFailure(multicast, asError(e));
    }
    if (r.error) this.readFailure(multicast, new SocketError(`malformed datagram: ${r.error.message}`, 'ERR_MALFORMED', undefined, undefined, { cause: r.error }));
    const st = this.stream;
    if (st) st.flush();
  }

  /**
   * A received datagram was larger than the buffer and lost; its header survived. Fails the
   * exchange it belonged to, or reports lost events.
   */
  truncated(header: Uint8Array, err: Error, origin: Origin): void {
    const multicast = origin.group > 0 || origin.groups !== 0;
    if (header.byteLength >= NLMSG_HDRLEN && origin.portid === this.peer && !multicast) {
      const ex = this.pending.get(viewOf(header).getUint32(8, HOST_LE));
      if (ex) {
        this.settle(ex, err);
        return;
      }
    }
    this.host.eventsLost('EMSGSIZE', err);
  }

  /**
   * The kernel dropped datagrams for this socket (ENOBUFS): events were lost, and so may be
   * the replies of exchanges in flight. They are found with a barrier (see the class comment).
   */
  lost(cause: Error): void {
    this.host.eventsLost('ENOBUFS', cause);
    this.recover(cause);
  }

  private recover(cause: Error): void {
    if (this.lossyCount === 0) return;
    const suspects: Exchange[] = [];
    for (const ex of this.pending.values()) if (ex.lossy) suspects.push(ex);
    const err = new SocketError(`reply lost: the receive buffer overflowed (${cause.message}); the request may or may not have taken effect`, 'ERR_REPLY_LOST', undefined, undefined, { cause });
    if (!this.barrier) {
      // No way to tell which replies are still queued: give up on all of them.
      for (const ex of suspects) this.giveUp(ex, err);
      return;
    }
    const b = new Barrier(this, this.nextSeq(), suspects, err);
    this.register(b);
    try {
      this.host.send(b.bytes);
    } catch (e) {
      this.settle(b, asError(e));
      for (const ex of suspects) this.giveUp(ex, err);
    }
  }

  /** A lossy exchange whose reply did not come: resent when safe, else rejected. */
  giveUp(ex: Exchange, err: Error): void {
    if (this.pending.get(ex.seq) !== ex) return;
    let again = false;
    try {
      again = ex.resend?.() ?? false;
    } catch {
      again = false;
    }
    if (!again) this.abandon(ex, err);
  }

  private deliver(ex: Exchange, r: MessageReader): void {
    let out: Outcome;
    try {
      out = ex.onMessage(r);
    } catch (e) {
      out = asError(e);
    }
    if (out !== undefined) this.settle(ex, out);
  }

  private readFailure(multicast: boolean, err: Error): void {
    if (multicast) this.host.eventsLost('ERR_MALFORMED', err);
    else this.recover(err);
  }
}

/**
 * The barrier of a loss: an NLMSG_NOOP with NLM_F_ACK. netlink_rcv_skb ACKs control messages
 * in order with everything else, so its ACK arrives after every reply to what was sent before.
 */
class Barrier implements Exchange {
  readonly peer: number;
  reserved = 0;
  readonly lossy = true;
  readonly bytes: Uint8Array;
  constructor(private readonly d: Dispatcher, readonly seq: number, private readonly suspects: Exchange[], private readonly err: Error) {
    this.peer = d.peer;
    this.bytes = new Uint8Array(NLMSG_HDRLEN);
    const dv = viewOf(this.bytes);
    dv.setUint32(0, NLMSG_HDRLEN, HOST_LE);
    dv.setUint16(4, NLMSG_NOOP, HOST_LE);
    dv.setUint16(6, NLM_F_REQUEST | NLM_F_ACK, HOST_LE);
    dv.setUint32(8, seq, HOST_LE);
    dv.setUint32(12, d.portid, HOST_LE);
  }
  onMessage(r: MessageReader): Outcome {
    return r.type === NLMSG_ERROR ? null : undefined;
  }
  settled(err: Error | null): void {
    // A barrier lost in turn is covered by the next one, which the same overflow triggered.
    if (err) return;
    for (const ex of this.suspects) this.d.giveUp(ex, this.err);
  }
}

function asError(e: unknown): Error {
  return e instanceof Error ? e : new Error(String(e));
}
