// The device ioctls `ip tuntap` and `ip maddr` make (no rtnetlink message does what they do),
// their request numbers as linux/if_tun.h and linux/sockios.h define them, and struct ifreq.
import { netnsPath } from '../../socket/index.js';
import { deviceIoctl } from '../../socket/native.js';
import { errnoMessage } from '../../socket/errno.js';

/** _IOW('T', 202, int) and friends (linux/if_tun.h). */
export const TUNSETIFF = 0x400454ca;
export const TUNSETPERSIST = 0x400454cb;
export const TUNSETOWNER = 0x400454cc;
export const TUNSETGROUP = 0x400454ce;
/** linux/sockios.h. */
export const SIOCADDMULTI = 0x8931;
export const SIOCDELMULTI = 0x8932;

/** IFF_* of struct ifreq's ifr_flags for tun/tap (linux/if_tun.h). */
export const IFF_TUNTAP = {
  TUN: 0x0001, TAP: 0x0002, NAPI: 0x0010, NAPI_FRAGS: 0x0020, MULTI_QUEUE: 0x0100, PERSIST: 0x0800,
  NO_PI: 0x1000, ONE_QUEUE: 0x2000, VNET_HDR: 0x4000, TUN_EXCL: 0x8000,
} as const;

const IFNAMSIZ = 16;
/** sizeof(struct ifreq) on Linux. */
const IFREQ_SIZE = 40;

/** A struct ifreq with the name set; `fill` writes the union (at offset 16). */
export function ifreq(name: string, fill?: (v: DataView) => void): Uint8Array {
  const b = new Uint8Array(IFREQ_SIZE);
  b.set(Buffer.from(name).subarray(0, IFNAMSIZ - 1));
  if (fill) fill(new DataView(b.buffer, IFNAMSIZ));
  return b;
}

/** A failed ioctl as perror() prints it: `ioctl(NAME): strerror`. */
export class IoctlError extends Error {
  constructor(readonly op: string, readonly errno: number) {
    super(`ioctl(${op}): ${errnoMessage(errno)}`);
    this.name = 'IoctlError';
  }
}

/**
 * Runs named ioctls on `target` in the namespace of `-n NAME` (or this one); throws IoctlError
 * naming the first that failed (`open` when the target itself cannot be opened).
 */
export function runIoctls(netns: string | undefined, target: 'tun' | 'inet', ops: [string, number, Uint8Array | number][]): void {
  const [err, at] = deviceIoctl(netns !== undefined ? netnsPath(netns) : null, target, ops.map(([, req, arg]) => [req, arg]));
  if (err) throw new IoctlError(at < 0 ? 'open' : ops[at]![0], err);
}
