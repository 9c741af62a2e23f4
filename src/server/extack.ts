import type { AttrPolicy } from './policy.js';

/**
 * ExtAck is the kernel's struct netlink_ext_ack: what a handler or the validator wants to tell
 * the requester besides the errno. It becomes the NLMSGERR_ATTR_* TLVs of the ACK when the
 * requester enabled NETLINK_EXT_ACK.
 *
 * Offsets are absolute positions in the received datagram; the ACK builder turns them into
 * offsets from the request's nlmsghdr, as NLMSGERR_ATTR_OFFS defines.
 */
export class ExtAck {
  /** NLMSGERR_ATTR_MSG: an error explanation, or a warning when the request succeeds. */
  message: string | undefined;
  /** Absolute offset of the offending attribute's header (NLMSGERR_ATTR_OFFS). */
  badAttr: number | undefined;
  /** The violated policy, described in NLMSGERR_ATTR_POLICY. */
  policy: AttrPolicy | undefined;
  /** Type of a missing required attribute (NLMSGERR_ATTR_MISS_TYPE). */
  missType: number | undefined;
  /** Absolute offset of the nest the attribute is missing from (NLMSGERR_ATTR_MISS_NEST). */
  missNest: number | undefined;
  /** NLMSGERR_ATTR_COOKIE. */
  cookie: Uint8Array | undefined;

  /** NL_SET_ERR_MSG: sets the message (the last one set wins, as in the kernel). */
  setMessage(message: string): this {
    this.message = message;
    return this;
  }

  /** NL_SET_BAD_ATTR / NL_SET_ERR_MSG_ATTR(_POL): points at an attribute, with a message and policy. */
  setBadAttr(offset: number, message?: string, policy?: AttrPolicy): this {
    this.badAttr = offset;
    if (message !== undefined) this.message = message;
    this.policy = policy;
    return this;
  }

  /**
   * NL_SET_ERR_ATTR_MISS: a required attribute is missing, at the top level (no nest) or
   * inside the nest whose header is at `nestOffset`.
   */
  setMissing(type: number, nestOffset?: number): this {
    this.missType = type;
    this.missNest = nestOffset;
    return this;
  }

  /** Drops everything, for the next message of a batch. */
  clear(): void {
    this.message = undefined;
    this.badAttr = undefined;
    this.policy = undefined;
    this.missType = undefined;
    this.missNest = undefined;
    this.cookie = undefined;
  }
}
