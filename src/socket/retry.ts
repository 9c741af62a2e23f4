// retryInterrupted: a consistent dump. The kernel flags a dump whose table changed while it was
// read (NLM_F_DUMP_INTR: routes, links, addresses and sockets come and go during long dumps);
// what came back may miss or repeat objects. The one remedy is to dump again.
import type { Dump } from './family-dump.js';
import { SocketError } from './netlink-error.js';

/** How retryInterrupted dumps again. */
export interface RetryInterruptedOptions {
  /** Dumps at most this many times (default 10). */
  attempts?: number;
  /** Stops between attempts (the dump itself takes its own signal). */
  signal?: AbortSignal;
  /** Called after each interrupted attempt (1-based), e.g. to log it. */
  onInterrupted?: (attempt: number) => void;
}

/**
 * Collects a dump until the kernel reports it consistent, dumping again while it flags the
 * result interrupted (NLM_F_DUMP_INTR). `dump` is a Dump (each iteration is a new dump) or a
 * function returning one. Rejects with SocketError code 'ERR_DUMP_INTERRUPTED' when every
 * attempt was interrupted.
 *
 *   const routes = await retryInterrupted(() => dumpRoutes({ family: 'inet' }));
 */
export async function retryInterrupted<T>(dump: Dump<T> | (() => Dump<T>), opts: RetryInterruptedOptions = {}): Promise<T[]> {
  const attempts = opts.attempts ?? 10;
  if (!Number.isInteger(attempts) || attempts < 1) throw new RangeError(`retryInterrupted: attempts must be a positive integer, not ${attempts}`);
  for (let attempt = 1; ; attempt++) {
    opts.signal?.throwIfAborted();
    const d = typeof dump === 'function' ? dump() : dump;
    const items = await d.toArray();
    if (!d.interrupted) return items;
    opts.onInterrupted?.(attempt);
    if (attempt >= attempts) {
      throw new SocketError(`dump interrupted ${attempts} times in a row (NLM_F_DUMP_INTR): the table kept changing while it was read`, 'ERR_DUMP_INTERRUPTED');
    }
  }
}
