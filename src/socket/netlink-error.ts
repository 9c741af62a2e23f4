import type { Ack } from '../wire/index.js';
import { errnoMessage, errnoName } from './errno.js';

/**
 * NetlinkError is what a request rejects with when the kernel (or a user-space peer) answers
 * with a negative error. Its message names the operation and gives the kernel's words
 * ('RTM_NEWROUTE: Nexthop has invalid gateway (EINVAL)', 'ethtool.channels-set: …'). It carries
 * what the kernel said: the errno, the extended-ACK message, the offending attribute and
 * missing-attribute information, and the request that failed. A family that names the
 * operation better wraps the socket's error with {@link NetlinkError.wrap}, which keeps it as
 * `cause`.
 */
export class NetlinkError extends Error {
  /** Positive errno, e.g. 17. */
  readonly errno: number;
  /** Symbolic errno, e.g. 'EEXIST'. */
  readonly code: string;
  /** What the operation was, e.g. 'RTM_NEWLINK' or 'request type 16'. */
  readonly op: string;
  /** The kernel's extended-ACK message (NLMSGERR_ATTR_MSG), when it sent one. */
  readonly kernelMessage: string | undefined;
  /** Offset of the offending attribute in the request, header included (NLMSGERR_ATTR_OFFS). */
  readonly offset: number | undefined;
  /** The offending attribute as a path of attribute types, outermost first, when resolvable. */
  readonly attributePath: number[] | undefined;
  /** Type of a missing required attribute (NLMSGERR_ATTR_MISS_TYPE). */
  readonly missingType: number | undefined;
  /** Offset of the nest the attribute is missing from (NLMSGERR_ATTR_MISS_NEST). */
  readonly missingNest: number | undefined;
  /** The raw violated policy (NLMSGERR_ATTR_POLICY) when sent. */
  readonly policy: Uint8Array | undefined;
  /** NLMSGERR_ATTR_COOKIE when sent. */
  readonly cookie: Uint8Array | undefined;
  /** The request bytes that failed, when known. */
  readonly request: Uint8Array | undefined;

  constructor(op: string, errno: number, ack?: Partial<Ack>, request?: Uint8Array, attributePath?: number[], options?: { cause?: unknown }) {
    const code = errnoName(errno);
    const text = ack?.message ? `${ack.message} (${code})` : `${errnoMessage(errno)} (${code})`;
    super(`${op}: ${text}`, options);
    this.name = 'NetlinkError';
    this.errno = errno;
    this.code = code;
    this.op = op;
    this.kernelMessage = ack?.message;
    this.offset = ack?.offset;
    this.attributePath = attributePath;
    this.missingType = ack?.missingType;
    this.missingNest = ack?.missingNest;
    this.policy = ack?.policy;
    this.cookie = ack?.cookie;
    this.request = request;
  }

  /**
   * The same error under the operation's name in its family's words ('ethtool.channels-set'
   * for the socket's 'ethtool'), with `e` as its `cause`.
   */
  static wrap(op: string, e: NetlinkError): NetlinkError {
    const ack: Partial<Ack> = {};
    if (e.kernelMessage !== undefined) ack.message = e.kernelMessage;
    if (e.offset !== undefined) ack.offset = e.offset;
    if (e.missingType !== undefined) ack.missingType = e.missingType;
    if (e.missingNest !== undefined) ack.missingNest = e.missingNest;
    if (e.policy !== undefined) ack.policy = e.policy;
    if (e.cookie !== undefined) ack.cookie = e.cookie;
    return new NetlinkError(op, e.errno, ack, e.request, e.attributePath, { cause: e });
  }

  /** The text iproute2 prints after "Error: ": the extended-ACK message, or strerror. */
  get detail(): string {
    return this.kernelMessage ?? errnoMessage(this.errno);
  }
}

/** SocketError is a local failure of a socket operation (a syscall, a closed socket, an abort). */
export class SocketError extends Error {
  /** Symbolic code, e.g. 'ENOBUFS', 'ERR_SOCKET_CLOSED', 'ABORT_ERR'. */
  readonly code: string;
  /** Positive errno when a syscall failed. */
  readonly errno: number | undefined;
  /** The syscall that failed, when one did. */
  readonly syscall: string | undefined;
  constructor(message: string, code: string, errno?: number, syscall?: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'SocketError';
    this.code = code;
    this.errno = errno;
    this.syscall = syscall;
  }
}

/** Wraps an error thrown by the native addon as a SocketError naming the operation. */
export function wrapNative(op: string, e: unknown): SocketError {
  const err = e as { errno?: number; code?: string; syscall?: string; message?: string };
  const errno = typeof err.errno === 'number' ? err.errno : undefined;
  const code = err.code ?? (errno !== undefined ? errnoName(errno) : 'EUNKNOWN');
  const text = errno !== undefined ? errnoMessage(errno) : String(err.message ?? e);
  return new SocketError(`${op}: ${err.syscall ? err.syscall + ': ' : ''}${text} (${code})`, code, errno, err.syscall, { cause: e });
}
