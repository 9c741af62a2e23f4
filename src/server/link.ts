// The seam between a server (the kernel side of a protocol) and what carries its datagrams:
// the in-process bus or a real NETLINK_USERSOCK socket.
import type { Credentials } from './credentials.js';

/** What the server knows about a requester's socket, as the kernel knows it from `struct sock`. */
export interface PeerInfo {
  /** NETLINK_EXT_ACK is set: ACKs carry NLMSGERR_ATTR_* TLVs. */
  extAck: boolean;
  /** NETLINK_CAP_ACK is set: error ACKs do not echo the request payload. */
  capAck: boolean;
  /** The sender has CAP_NET_ADMIN or is root (netlink_capable()); admin-only operations need it. */
  readonly privileged: boolean;
  /** The sender's pid, uid and gid (SCM_CREDENTIALS), when the transport knows them. */
  readonly creds?: Credentials;
}

/**
 * ServerLink delivers a server's datagrams. Every method returns 0 (or a count) on success
 * and a negative errno on failure, as the kernel's netlink_unicast()/netlink_broadcast() do:
 * -ECONNREFUSED for a port that does not exist, -EAGAIN when the receiver's queue is full.
 */
export interface ServerLink {
  /**
   * Sends one datagram to a port (netlink_unicast). A `dumpPart` waits for room (-EAGAIN)
   * instead of overrunning a full receiver, since the kernel only builds dump parts that fit.
   */
  unicast(portid: number, data: Uint8Array, dumpPart?: boolean): number;
  /** Sends one datagram to every member of `group` except port `exclude` (netlink_broadcast). */
  multicast(group: number, data: Uint8Array, exclude: number): number;
  /**
   * nlmsg_notify() with a report: multicasts to `group` except `origin`, then unicasts the same
   * datagram to `origin`, still marked with the group (the kernel sets the skb's dst_group
   * before multicasting and unicasts that skb). Returns 0 or the origin's negative errno.
   */
  echo(group: number, data: Uint8Array, origin: number): number;
  /** The requester's socket options, credentials and privilege; `creds` came with its datagram. */
  peer(portid: number, creds?: Credentials): PeerInfo;
  /**
   * Calls `fn` once `portid` can take more (the reader drained its queue), which is when the
   * kernel builds the next part of a dump. `retry` says the last send failed with EAGAIN.
   */
  whenWritable(portid: number, fn: () => void, retry: boolean): void;
  /** How many multicast groups the protocol has (group ids 1..ngroups can be joined). */
  readonly ngroups: number;
}
