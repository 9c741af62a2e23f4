// Decodes one uevent datagram: the kernel's "ACTION@DEVPATH\0KEY=VALUE\0…", or libudev's
// framing (a header, then KEY=VALUE\0 properties at properties_off). Pure: no Node APIs.
import { decodeText } from '../wire/text.js';
import { UDEV_MONITOR_MAGIC, UDEV_MONITOR_PREFIX } from './constants.js';

/** One device event. */
export interface Uevent {
  /** Who sent it: the kernel (group 1) or udevd after processing it (group 2, libudev framing). */
  source: 'kernel' | 'udev';
  /** ACTION: add, remove, change, move, online, offline, bind, unbind. */
  action: string;
  /** DEVPATH, below /sys. */
  devpath: string;
  /** SUBSYSTEM ('' when absent). */
  subsystem: string;
  /** SEQNUM as a bigint (the kernel's u64 counter), undefined when absent. */
  seqnum: bigint | undefined;
  /** Every KEY=VALUE, in the order sent (ACTION, DEVPATH, SUBSYSTEM and SEQNUM among them). */
  properties: Record<string, string>;
}

const PREFIX = new TextEncoder().encode(`${UDEV_MONITOR_PREFIX}\0`);
// struct udev_monitor_netlink_header: prefix[8], magic, header_size, properties_off,
// properties_len, filter_subsystem_hash, filter_devtype_hash, filter_tag_bloom_hi, _lo.
const UDEV_HEADER_MIN = 8 + 4 * 4;

function isUdev(b: Uint8Array): boolean {
  if (b.byteLength < UDEV_HEADER_MIN) return false;
  for (let i = 0; i < PREFIX.byteLength; i++) if (b[i] !== PREFIX[i]) return false;
  return true;
}

/** Splits NUL-terminated KEY=VALUE strings into properties; a string without '=' is skipped. */
function readProperties(b: Uint8Array, start: number, end: number, into: Record<string, string>): void {
  let s = start;
  for (let i = start; i <= end; i++) {
    if (i < end && b[i] !== 0) continue;
    if (i > s) {
      const text = decodeText(b.subarray(s, i));
      const eq = text.indexOf('=');
      if (eq > 0) into[text.slice(0, eq)] = text.slice(eq + 1);
    }
    s = i + 1;
  }
}

/**
 * Decodes a uevent datagram; undefined when it is neither format (a datagram from some other
 * sender). Never throws.
 */
export function decodeUevent(b: Uint8Array): Uevent | undefined {
  const properties: Record<string, string> = {};
  let source: Uevent['source'];
  if (isUdev(b)) {
    const dv = new DataView(b.buffer, b.byteOffset, b.byteLength);
    if (dv.getUint32(8, false) !== UDEV_MONITOR_MAGIC) return undefined;
    // The remaining header fields are in the sender's byte order, which is ours.
    const off = dv.getUint32(16, true);
    const len = dv.getUint32(20, true);
    if (off < UDEV_HEADER_MIN || off > b.byteLength || len > b.byteLength - off) return undefined;
    readProperties(b, off, off + len, properties);
    source = 'udev';
  } else {
    const nul = b.indexOf(0);
    const head = decodeText(b.subarray(0, nul < 0 ? b.byteLength : nul));
    const at = head.indexOf('@');
    if (at <= 0) return undefined;
    readProperties(b, nul < 0 ? b.byteLength : nul + 1, b.byteLength, properties);
    // The summary line names the action and path even if the properties were to lack them.
    properties.ACTION ??= head.slice(0, at);
    properties.DEVPATH ??= head.slice(at + 1);
    source = 'kernel';
  }
  if (properties.ACTION === undefined || properties.DEVPATH === undefined) return undefined;
  const sq = properties.SEQNUM;
  return {
    source,
    action: properties.ACTION,
    devpath: properties.DEVPATH,
    subsystem: properties.SUBSYSTEM ?? '',
    seqnum: sq !== undefined && /^\d+$/.test(sq) ? BigInt(sq) : undefined,
    properties,
  };
}
