// What the parts of a socket (request, batch, dump, events) share: the facade implements it, so
// no part reaches into another's private members.
import { SocketError } from './netlink-error.js';
import type { Dispatcher } from './dispatcher.js';
import type { SendWindow } from './flow.js';

/** The socket as its request, batch and dump parts see it. */
export interface SocketCore {
  /** Routes replies and settles exchanges. */
  readonly dispatcher: Dispatcher;
  /** Bounds the replies in flight by the receive buffer's room. */
  readonly window: SendWindow;
  /** True once the socket is closed. */
  readonly closed: boolean;
  /** Timeout in ms for requests and dumps that set none (undefined: none). */
  readonly timeout: number | undefined;
  /** Sends one datagram to the peer (recorded in the capture); throws SocketError. */
  sendToPeer(bytes: Uint8Array): void;
  /** Names a message type for errors ('RTM_NEWLINK'). */
  opName(type: number): string;
  /** Re-evaluates whether reading should pause (consumers behind) or resume. */
  updateReading(): void;
  /** Makes room in the receive buffer for many replies in flight, where permitted. */
  growReceiveBuffer(bytes: number): void;
}

/** The error of an operation on a closed socket. */
export function closedError(): SocketError {
  return new SocketError('netlink socket is closed', 'ERR_SOCKET_CLOSED');
}

/** The error an AbortSignal's abort turns into (its reason when that is an Error). */
export function abortError(signal: AbortSignal): Error {
  const reason = signal.reason;
  if (reason instanceof Error) return reason;
  return new SocketError('The operation was aborted', 'ABORT_ERR');
}

/** The error of an operation that took longer than its timeout. */
export function timeoutError(op: string, ms: number): SocketError {
  return new SocketError(`${op}: no reply within ${ms} ms`, 'ETIMEDOUT');
}

/**
 * Arms what can end a wait early: the caller's AbortSignal and a timeout. `end` is called at
 * most once with the error; the returned function disarms both.
 */
export function armDeadline(op: string, signal: AbortSignal | undefined, timeout: number | undefined, end: (err: Error) => void): () => void {
  let timer: ReturnType<typeof setTimeout> | undefined;
  let onAbort: (() => void) | undefined;
  const disarm = () => {
    if (timer !== undefined) clearTimeout(timer);
    if (onAbort) signal!.removeEventListener('abort', onAbort);
    timer = undefined;
    onAbort = undefined;
  };
  if (signal) {
    onAbort = () => {
      disarm();
      end(abortError(signal));
    };
    signal.addEventListener('abort', onAbort, { once: true });
  }
  if (timeout !== undefined && timeout >= 0 && Number.isFinite(timeout)) {
    timer = setTimeout(() => {
      disarm();
      end(timeoutError(op, timeout));
    }, timeout);
  }
  return disarm;
}
