// Flow control, both ways. Sending: the kernel drops a reply that does not fit in the socket's
// receive buffer (netlink_unicast with MSG_DONTWAIT), so the replies in flight must fit: each
// request reserves room for its reply and ACK, and requests beyond the room wait in JS.
// Receiving: reading pauses while consumers are behind (a dump's iterator, an event listener),
// and the kernel then holds back dump data instead of us buffering it.

/** The part of a transport flow control drives. */
export interface Pausable {
  pause(): void;
  resume(): void;
}

/** A request waiting for room: started by {@link SendWindow.release}, or cancelled. */
export interface Waiting {
  cost: number;
  start: (() => void) | null;
}

// struct sk_buff plus struct skb_shared_info, roughly, on 64-bit kernels: what an skb costs
// beyond its data (SKB_TRUESIZE).
const SKB_OVERHEAD = 576;
// An ACK's skb: nlmsgerr with a capped request header and a short extended-ACK message.
const ACK_TRUESIZE = 1024;
// What a reply is assumed to cost until a larger one is seen: one page, the size the kernel
// allocates for most replies (NLMSG_GOODSIZE, if_nlmsg_size of an ordinary link).
const DEFAULT_REPLY = 4096;

/** The skb truesize the kernel charges for a datagram of `length` bytes (kmalloc rounds up). */
export function truesize(length: number): number {
  let n = 512;
  while (n < length + 320) n *= 2;
  return n + SKB_OVERHEAD;
}

/**
 * SendWindow bounds the bytes of replies in flight by the room in the receive buffer. Room
 * is `budget` bytes: part of SO_RCVBUF, the rest left for dump data and events. A request
 * larger than the whole budget still goes alone, so nothing waits forever.
 */
export class SendWindow {
  private used = 0;
  private budget: number;
  private readonly queue: Waiting[] = [];
  private replyCost = truesize(DEFAULT_REPLY) + ACK_TRUESIZE;

  constructor(budget: number) {
    this.budget = budget;
  }

  /** Sets the room (after SO_RCVBUF changed). */
  setBudget(bytes: number): void {
    this.budget = bytes;
  }

  /** Room reserved for one request's replies: the largest reply seen so far, and its ACK. */
  get cost(): number {
    return this.replyCost;
  }

  /** Learns from a datagram that answered a request: later requests reserve at least its size. */
  observe(length: number): void {
    const c = truesize(length) + ACK_TRUESIZE;
    if (c > this.replyCost) this.replyCost = c;
  }

  /** Requests waiting for room. */
  get waiting(): number {
    return this.queue.length;
  }

  /** Bytes reserved by requests in flight. */
  get inFlight(): number {
    return this.used;
  }

  /**
   * Runs `start` now if there is room for `cost` bytes (or nothing is in flight), else queues it.
   * Returns the queue entry (its `start` is null once started), to cancel it with {@link cancel}.
   */
  admit(cost: number, start: () => void): Waiting {
    const w: Waiting = { cost, start };
    if (this.queue.length === 0 && (this.used === 0 || this.used + cost <= this.budget)) this.run(w);
    else this.queue.push(w);
    return w;
  }

  /** Forgets a queued request (aborted or timed out before it was sent). */
  cancel(w: Waiting): void {
    if (w.start === null) return;
    w.start = null;
    const i = this.queue.indexOf(w);
    if (i >= 0) this.queue.splice(i, 1);
  }

  /** Gives back `bytes` of a settled request and starts what now fits. */
  release(bytes: number): void {
    this.used = Math.max(0, this.used - bytes);
    while (this.queue.length > 0) {
      const w = this.queue[0]!;
      if (w.start !== null && this.used > 0 && this.used + w.cost > this.budget) break;
      this.queue.shift();
      if (w.start !== null) this.run(w);
    }
  }

  private run(w: Waiting): void {
    const start = w.start!;
    w.start = null;
    this.used += w.cost;
    start();
  }
}

/** ReadGate pauses and resumes reading as consumers fall behind and catch up. */
export class ReadGate {
  private paused = false;
  constructor(private readonly t: Pausable) {}

  /** True while reading is paused. */
  get isPaused(): boolean {
    return this.paused;
  }

  /**
   * Pauses when a consumer is `behind`, unless a reply is awaited (`mustRead`: it could sit
   * behind dump data forever); resumes otherwise.
   */
  update(behind: boolean, mustRead: boolean): void {
    const pause = behind && !mustRead;
    if (pause === this.paused) return;
    this.paused = pause;
    if (pause) this.t.pause();
    else this.t.resume();
  }
}
