// ethtool's words and exit statuses for what goes wrong: a command line it cannot read (exit 1,
// "ethtool (-G): invalid value …"), and a kernel refusal printed as its netlink code prints it:
//
//   netlink error: requested channel count exceeds maximum (offset 32)
//   netlink error: Invalid argument
import { errnoMessage, NetlinkError } from '../../socket/index.js';
import { UsageError } from '../errors.js';

/** A command line ethtool refuses: its message alone, exit 1 (ethtool prints no hint). */
export class EthtoolUsage extends UsageError {
  constructor(message: string, hint?: string) {
    super(message, hint, 1);
    this.name = 'EthtoolUsage';
  }
}

/** ethtool's "bad command line argument(s)" for an option it does not know or a missing device. */
export function badCommandLine(): EthtoolUsage {
  return new EthtoolUsage('ethtool: bad command line argument(s)', 'For more information run ethtool -h');
}

/**
 * A kernel refusal as ethtool's netlink code prints it: the extended ACK's message with its
 * offset (when the kernel sent one), then strerror.
 */
export function refusalText(e: NetlinkError): string {
  let s = '';
  if (e.kernelMessage !== undefined) s += `netlink error: ${e.kernelMessage}${e.offset !== undefined ? ` (offset ${e.offset})` : ''}\n`;
  return s + `netlink error: ${errnoMessage(e.errno)}\n`;
}
