// Serving over a real socket: the server binds a well-known port id on NETLINK_USERSOCK and
// clients in other processes reach it through the kernel with NetlinkSocket.open(2, { peer }).
import { loadAddon, type Transport } from '../socket/native.js';
import { netnsPath, type NetnsSpec } from '../socket/netns.js';
import {
  HOST_LE, NETLINK_USERSOCK, NETLINK_PKTINFO, NLM_F_REQUEST, NLMSG_HDRLEN, SOL_NETLINK, SOL_SOCKET, SO_RCVBUF,
} from '../wire/index.js';
import { SO_PASSCRED, credentialsOf, isPrivileged, type Credentials } from './credentials.js';
import { buildAck } from './ack-builder.js';
import { ECONNREFUSED, EINVAL, EMSGSIZE } from './errno.js';
import { ExtAck } from './extack.js';
import type { PeerInfo, ServerLink } from './link.js';
import type { NetlinkServer } from './server.js';

/** NETLINK_USERSOCK's kernel socket is created with 32 multicast groups. */
export const USERSOCK_GROUPS = 32;

/** Options of {@link UsersockListener.listen}. */
export interface UsersockOptions {
  /** The port id to bind: the address clients pass as `peer`. Must be free. */
  portid: number;
  /** The protocol (default NETLINK_USERSOCK, the one protocol where user space serves user space). */
  protocol?: number;
  /** Serve inside this network namespace. */
  netns?: NetnsSpec;
  /**
   * What to assume about a requester's socket options, which a user-space server cannot see,
   * given its credentials. The default is what NetlinkSocket sets (NETLINK_EXT_ACK and
   * NETLINK_CAP_ACK on; ACKs stay parseable either way since NLM_F_CAPPED/NLM_F_ACK_TLVS say
   * what they hold), with privilege from the credentials: uid 0 or CAP_NET_ADMIN.
   */
  peer?: (portid: number, creds: Credentials | undefined) => PeerInfo;
  /** Receive buffer for requests (SO_RCVBUF), default the system's. */
  rcvbuf?: number;
  /**
   * The largest request datagram the server allocates a buffer for (default 4 MiB). A larger
   * one is answered with EMSGSIZE, naming both sizes in the extended ACK.
   */
  maxRequest?: number;
}

/** Default of UsersockOptions.maxRequest. */
export const DEFAULT_MAX_REQUEST = 4 * 1024 * 1024;

/** A requester as NetlinkSocket opens it; privilege is looked up only when an op needs it. */
function defaultPeer(_portid: number, creds: Credentials | undefined): PeerInfo {
  let privileged: boolean | undefined;
  return {
    extAck: true,
    capAck: true,
    creds,
    get privileged() {
      return (privileged ??= isPrivileged(creds));
    },
  };
}

function errnoOf(e: unknown): number {
  const n = (e as { errno?: unknown }).errno;
  return typeof n === 'number' ? n : EINVAL;
}

/**
 * UsersockListener puts a server on a real netlink socket. Replies go by sendto() to the
 * requester's port; dump parts that do not fit the requester's queue (EAGAIN) are retried.
 *
 * Multicast needs care on NETLINK_USERSOCK: a send to a group is delivered to the group's
 * members, but netlink_sendmsg() then also unicasts to nl_pid, and with nl_pid 0 no kernel
 * socket takes it, so the call fails with ECONNREFUSED although the multicast went out. That
 * error is the expected outcome of a plain multicast here, not a failure. A notification with
 * NLM_F_ECHO is sent with nl_pid = the origin: the kernel then multicasts to everyone but the
 * origin and unicasts to it, which is exactly nlmsg_notify()'s delivery.
 */
export class UsersockListener {
  /** The bound port id. */
  readonly portid: number;
  /** The protocol. */
  readonly protocol: number;
  /**
   * Counters: datagrams taken in, times the buffer grew for a larger one, requests refused as
   * larger than maxRequest, dump parts retried after EAGAIN.
   */
  readonly stats = { received: 0, grown: 0, tooLarge: 0, retries: 0 };
  /** The largest request datagram accepted. */
  readonly maxRequest: number;
  private readonly sock: Transport;
  private buffer = new Uint8Array(64 * 1024);
  private closed = false;
  private readonly timers = new Set<ReturnType<typeof setTimeout>>();

  private constructor(private readonly server: NetlinkServer, sock: Transport, portid: number, protocol: number,
    private readonly peerInfo: (portid: number, creds: Credentials | undefined) => PeerInfo, maxRequest: number) {
    this.sock = sock;
    this.maxRequest = maxRequest;
    this.portid = portid;
    this.protocol = protocol;
  }

  /** Opens the socket, binds `opts.portid` and starts serving. */
  static listen(server: NetlinkServer, opts: UsersockOptions): UsersockListener {
    const protocol = opts.protocol ?? NETLINK_USERSOCK;
    const { NativeSocket } = loadAddon();
    const sock = new NativeSocket(protocol, opts.netns !== undefined ? netnsPath(opts.netns) : null);
    try {
      // PKTINFO tells requests (unicast) from multicasts that servers do not take.
      sock.setsockopt(SOL_NETLINK, NETLINK_PKTINFO, 1);
      // SCM_CREDENTIALS on every datagram: who sent it decides what it may do.
      sock.setsockopt(SOL_SOCKET, SO_PASSCRED, 1);
      if (opts.rcvbuf) sock.setsockopt(SOL_SOCKET, SO_RCVBUF, opts.rcvbuf);
      sock.bind(opts.portid >>> 0, 0);
    } catch (e) {
      sock.close();
      throw e;
    }
    const l = new UsersockListener(server, sock, opts.portid >>> 0, protocol, opts.peer ?? defaultPeer, opts.maxRequest ?? DEFAULT_MAX_REQUEST);
    server.attach(l.link());
    // Every datagram's size is peeked before it is received: the buffer grows to take it whole.
    sock.peekSizes?.(true);
    sock.start(l.onDatagram, l.buffer);
    return l;
  }

  /** Lets the process exit while the listener waits. */
  unref(): this {
    if (!this.closed) this.sock.unref();
    return this;
  }

  /** Stops serving and closes the socket. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
    this.server.detach();
    this.sock.close();
  }

  private readonly onDatagram = (status: number, length: number, portid: number, groups: number, group: number, _nsid: number, truncated: boolean): void => {
    if (this.closed) return;
    if (status === -EMSGSIZE) {
      // The next datagram (still queued) is `length` bytes: make room for it, up to maxRequest.
      if (length <= this.maxRequest) {
        let size = this.buffer.byteLength * 2;
        while (size < length) size *= 2;
        this.buffer = new Uint8Array(Math.min(size, Math.max(length, this.maxRequest)));
        this.sock.setBuffer(this.buffer);
        this.stats.grown++;
      }
      return;
    }
    if (status < 0) return; // ENOBUFS: requests were lost; their senders time out
    if (group > 0 || groups !== 0) return;
    if (truncated) {
      // Larger than any buffer the server allocates: answer it rather than drop it silently.
      this.stats.tooLarge++;
      this.refuse(portid, length, credentialsOf(this.sock.lastCredentials?.()));
      return;
    }
    this.stats.received++;
    this.server.input(this.buffer.slice(0, length), portid, credentialsOf(this.sock.lastCredentials?.()));
  };

  /** Answers a datagram received cut with EMSGSIZE, from the header it starts with. */
  private refuse(portid: number, length: number, creds: Credentials | undefined): void {
    const have = Math.min(length, this.buffer.byteLength);
    if (have < NLMSG_HDRLEN) return;
    const head = this.buffer.slice(0, NLMSG_HDRLEN);
    const flags = new DataView(head.buffer).getUint16(6, HOST_LE);
    if (!(flags & NLM_F_REQUEST)) return;
    const extack = new ExtAck();
    extack.setMessage(`request of ${length} bytes is larger than the server accepts (${this.maxRequest})`);
    const peer = this.peerInfo(portid, creds);
    this.send(buildAck(head, 0, NLMSG_HDRLEN, portid, -EMSGSIZE, extack, peer), portid, 0);
  }

  private send(data: Uint8Array, portid: number, groups: number): number {
    if (this.closed) return -ECONNREFUSED;
    try {
      this.sock.send(data, portid, groups);
      return 0;
    } catch (e) {
      return -errnoOf(e);
    }
  }

  private link(): ServerLink {
    let backoff = 1;
    return {
      ngroups: USERSOCK_GROUPS,
      unicast: (portid, data) => this.send(data, portid, 0),
      multicast: (group, data) => {
        if (group < 1 || group > USERSOCK_GROUPS) return -EINVAL;
        const r = this.send(data, 0, 1 << (group - 1));
        // ECONNREFUSED is the missing kernel-side unicast half; the members got the datagram.
        // How many members there were cannot be known, so report one.
        return r === -ECONNREFUSED ? 1 : r < 0 ? r : 1;
      },
      echo: (group, data, origin) => {
        if (group < 1 || group > USERSOCK_GROUPS) return -EINVAL;
        return this.send(data, origin, 1 << (group - 1));
      },
      peer: (portid, creds) => this.peerInfo(portid, creds),
      whenWritable: (_portid, fn, retry) => {
        if (this.closed) return;
        if (!retry) {
          backoff = 1;
          setImmediate(() => {
            if (!this.closed) fn();
          });
          return;
        }
        // The reader's queue was full: try again a little later, backing off to 50 ms.
        this.stats.retries++;
        const t = setTimeout(() => {
          this.timers.delete(t);
          if (!this.closed) fn();
        }, backoff);
        backoff = Math.min(backoff * 2, 50);
        this.timers.add(t);
      },
    };
  }
}
