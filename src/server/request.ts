import { HOST_LE, NLM_F_ECHO, NLMSG_HDRLEN } from '../wire/index.js';
import type { Attrs } from './attrs.js';
import type { Credentials } from './credentials.js';
import type { ExtAck } from './extack.js';
import type { PeerInfo } from './link.js';

/**
 * Request is one received message as a handler sees it: the kernel's `nlh` plus what
 * NETLINK_CB(skb) says about the sender. It reads the datagram in place; a handler that keeps
 * anything past its return copies it (dumps get their own copy of the request).
 */
export class Request {
  /** nlmsg_type. */
  readonly type: number;
  /** nlmsg_flags. */
  readonly flags: number;
  /** nlmsg_seq: replies carry it back. */
  readonly seq: number;
  /** nlmsg_pid as sent (informational; replies go to `portid`). */
  readonly pid: number;
  /** Offset of the first payload byte in `buf`. */
  readonly payloadStart: number;
  /** Offset one past the message in `buf`. */
  readonly payloadEnd: number;
  /** The parsed attributes, when the handler has a policy (genl_info.attrs). */
  attrs: Attrs | undefined;

  constructor(
    /** The datagram. */
    readonly buf: Uint8Array,
    /** A view of `buf`. */
    readonly view: DataView,
    /** Offset of this message's nlmsghdr in `buf`. */
    readonly offset: number,
    /** nlmsg_len. */
    readonly length: number,
    /** The sender's port id (NETLINK_CB(skb).portid): where replies go. */
    readonly portid: number,
    /** The sender's socket options and privilege. */
    readonly peer: PeerInfo,
    /** Extended-ACK information for this message's ACK. */
    readonly extack: ExtAck,
  ) {
    this.type = view.getUint16(offset + 4, HOST_LE);
    this.flags = view.getUint16(offset + 6, HOST_LE);
    this.seq = view.getUint32(offset + 8, HOST_LE);
    this.pid = view.getUint32(offset + 12, HOST_LE);
    this.payloadStart = offset + NLMSG_HDRLEN;
    this.payloadEnd = offset + length;
  }

  /** The sender's pid, uid and gid (NETLINK_CREDS(skb)), when the transport knows them. */
  get creds(): Credentials | undefined {
    return this.peer.creds;
  }

  /** nlmsg_report(): the sender asked for NLM_F_ECHO, so notifications go back to it too. */
  get echo(): boolean {
    return (this.flags & NLM_F_ECHO) !== 0;
  }

  /** A copy of the whole message, header included. */
  copy(): Uint8Array {
    return this.buf.slice(this.offset, this.offset + this.length);
  }

  /**
   * NL_REQ_ATTR_CHECK(): true when attribute `type` is missing from `attrs`, in which case
   * NLMSGERR_ATTR_MISS_TYPE (and MISS_NEST when `nestOffset` is given) is set for the ACK.
   */
  missing(attrs: Attrs | undefined, type: number, nestOffset?: number): boolean {
    if (attrs?.has(type)) return false;
    this.extack.setMissing(type, nestOffset);
    return true;
  }
}
