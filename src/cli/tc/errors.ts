// How tc reports the kernel's refusals: the extended-ACK text as `Error: <text>.`, else
// `RTNETLINK answers: <strerror>`, sometimes followed by tc's own line ("We have an error
// talking to the kernel"), each command with its own exit status.
import { NetlinkError } from '../../socket/index.js';
import { refusalText } from '../iproute2.js';
import { UsageError } from '../usage.js';

export { refusalText };

/**
 * Runs a request; a kernel refusal becomes a UsageError carrying tc's text (plus `after`, tc's
 * own line) and `status`, which the caller's report prints as is.
 */
export async function kernelCall(fn: () => Promise<unknown>, status: number, after?: string): Promise<number> {
  try {
    await fn();
    return 0;
  } catch (e) {
    if (e instanceof NetlinkError) throw new UsageError(after ? `${refusalText(e)}\n${after}` : refusalText(e), undefined, status);
    throw e;
  }
}
