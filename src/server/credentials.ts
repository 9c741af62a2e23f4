// Who sent a request: SCM_CREDENTIALS as the kernel attaches them with SO_PASSCRED, and the
// privilege check the kernel's netlink_capable() makes for admin-only operations.
import { fs } from '../builtins.js';

/** The sender of a datagram as the kernel recorded it at sendmsg() (struct ucred). */
export interface Credentials {
  /** The sending process (thread group id). */
  pid: number;
  /** Its real user id, in the receiver's user namespace. */
  uid: number;
  /** Its real group id, in the receiver's user namespace. */
  gid: number;
}

import { CAP_NET_ADMIN } from '../wire/gen/netlink.js';

export { SO_PASSCRED, CAP_NET_ADMIN } from '../wire/gen/netlink.js';

/** The credentials of datagrams the kernel itself sends (port 0): pid 0, root. */
export const KERNEL_CREDENTIALS: Readonly<Credentials> = Object.freeze({ pid: 0, uid: 0, gid: 0 });

/** Credentials from the native accessor's [pid, uid, gid], or undefined. */
export function credentialsOf(c: readonly [number, number, number] | null | undefined): Credentials | undefined {
  return c ? { pid: c[0], uid: c[1], gid: c[2] } : undefined;
}

/**
 * True when the sender may run admin-only operations: uid 0, or CAP_NET_ADMIN in the effective
 * set of process `pid` (/proc/PID/status CapEff). A process whose status cannot be read, or
 * whose real uid no longer matches (the pid was reused), is not privileged: the check fails
 * closed. The kernel asks the same of the socket's opener and the sender; a user-space server
 * only knows the sender.
 */
export function isPrivileged(c: Credentials | undefined): boolean {
  if (!c) return false;
  if (c.uid === 0) return true;
  return hasCapability(c, CAP_NET_ADMIN);
}

/** True when process `c.pid`, still run by `c.uid`, has capability `cap` in its effective set. */
export function hasCapability(c: Credentials, cap: number): boolean {
  let status: string;
  try {
    status = fs.readFileSync(`/proc/${c.pid}/status`, 'latin1');
  } catch {
    return false;
  }
  const uid = /^Uid:\s+(\d+)/m.exec(status);
  const eff = /^CapEff:\s+([0-9a-f]+)/m.exec(status);
  if (!uid || !eff || Number(uid[1]) !== c.uid) return false;
  return ((BigInt(`0x${eff[1]}`) >> BigInt(cap)) & 1n) === 1n;
}
