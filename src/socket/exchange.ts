// The contract between the dispatcher and what waits for replies: a request, one request of a
// batch, a dump, or the dispatcher's own loss barrier.
import type { MessageReader } from '../wire/index.js';

/**
 * What {@link Exchange.onMessage} returns: `undefined` while more is expected, `null` when the
 * exchange completed, an Error when it failed. The dispatcher then settles it.
 */
export type Outcome = undefined | null | Error;

/**
 * An Exchange is one conversation with the peer that replies are routed to by sequence number
 * and port id. Every exchange ends exactly once, through {@link Dispatcher.settle}.
 */
export interface Exchange {
  /** The nlmsg_seq its request carries and its replies echo. */
  readonly seq: number;
  /** The port id its replies must come from (0: the kernel). */
  readonly peer: number;
  /** Receive-buffer bytes reserved for its replies while it is in flight (flow control). */
  reserved: number;
  /**
   * Whether its reply can be lost to a full receive buffer. Dump data never is (the kernel waits
   * for room), single replies and ACKs are (the kernel drops them and reports ENOBUFS).
   */
  readonly lossy: boolean;
  /** True for a request sent with NLM_F_ECHO: the multicast copy addressed to us is its reply. */
  readonly echo?: boolean;
  /** Handles one message addressed to it (its seq, from its peer). It must not throw. */
  onMessage(r: MessageReader): Outcome;
  /**
   * Called once when it ends: `err` null for success. Resolves or rejects whoever waits; the
   * dispatcher has already forgotten it.
   */
  settled(err: Error | null): void;
  /**
   * When its reply was lost: send it again if that is safe (e.g. a GET) and return true; the
   * exchange then stays pending under the same sequence number. Absent: never resent.
   */
  resend?(): boolean;
}
