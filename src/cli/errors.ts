import { NetlinkError, SocketError } from '../socket/index.js';

export { UsageError, EXIT_OK, EXIT_REFUSED, EXIT_USAGE } from './usage.js';
import { UsageError, EXIT_REFUSED, EXIT_USAGE } from './usage.js';

/**
 * Prints an expected error the way iproute2 does and returns the exit code: kernel refusals as
 * `Error: <extended-ACK text>.` (exit 1), usage errors with a hint (exit 2). Anything else is a
 * bug and is rethrown so its stack shows.
 */
export function reportError(e: unknown, write: (s: string) => void = (s) => process.stderr.write(s)): number {
  if (e instanceof UsageError) {
    write(`${e.message}\n${e.hint ? e.hint + '\n' : ''}`);
    return e.status ?? EXIT_USAGE;
  }
  if (e instanceof NetlinkError) {
    const text = e.detail;
    write(`Error: ${text}${text.endsWith('.') ? '' : '.'}\n`);
    return EXIT_REFUSED;
  }
  if (e instanceof SocketError) {
    write(`Error: ${e.message}\n`);
    return EXIT_REFUSED;
  }
  throw e;
}
