// The NETLINK_ROUTE socket every route/ function uses: one passed in by the caller, or one
// opened for the call (in `netns` when given) and closed when the call, or the iteration of a
// dump, ends.
import { Dump, NetlinkSocket, type FamilyOptions, type NetnsSpec } from '../socket/index.js';
import type { FlatMessageCodec } from '../schema/index.js';
import { NETLINK_ROUTE } from '../wire/index.js';
import { rtmName } from './codecs.js';

/**
 * Opens a NETLINK_ROUTE socket whose errors name rtnetlink message types ('RTM_NEWLINK: File
 * exists (EEXIST)'). Pass it as `{ socket }` to run many calls on one socket; close() it after.
 */
export function openRoute(opts: { netns?: NetnsSpec; groups?: number[]; rcvbuf?: number; capture?: string; readAhead?: boolean } = {}): NetlinkSocket {
  return NetlinkSocket.open(NETLINK_ROUTE, {
    ...(opts.readAhead ? { readAhead: true } : {}),
    ...(opts.netns !== undefined ? { netns: opts.netns } : {}),
    ...(opts.groups ? { groups: opts.groups } : {}),
    ...(opts.rcvbuf ? { rcvbuf: opts.rcvbuf } : {}),
    ...(opts.capture ? { capture: opts.capture } : {}),
    typeName: rtmName,
  });
}

/** The options of one request or dump on the socket: the call's `signal` and `timeout`. */
export function callOptions(opts: FamilyOptions): { signal?: AbortSignal; timeout?: number } {
  const o: { signal?: AbortSignal; timeout?: number } = {};
  if (opts.signal) o.signal = opts.signal;
  if (opts.timeout !== undefined) o.timeout = opts.timeout;
  return o;
}

/** Runs `fn` on the caller's socket, or on one opened (and closed) for it. */
export async function withSocket<T>(opts: FamilyOptions, fn: (sock: NetlinkSocket) => Promise<T>): Promise<T> {
  if (opts.socket) return fn(opts.socket);
  const sock = openRoute(opts.netns !== undefined ? { netns: opts.netns } : {});
  try {
    return await fn(sock);
  } finally {
    sock.close();
  }
}

/**
 * A Dump of typed route objects: the request is sent on the first iteration, on the caller's
 * socket or on one opened for it (receiving ahead on its own thread, so the kernel builds the
 * next chunks while this one is decoded).
 */
export function routeDump<T>(
  opts: FamilyOptions,
  request: Uint8Array | ((sock: NetlinkSocket) => Promise<Uint8Array>),
  /** The codec of the dumped objects: it decodes each datagram in one call. */
  codec: FlatMessageCodec<unknown, unknown>,
  filter?: (item: T) => boolean,
): Dump<T> {
  const netns = opts.netns;
  return new Dump<T>({
    socket: opts.socket,
    open: () => openRoute({ readAhead: true, ...(netns !== undefined ? { netns } : {}) }),
    request,
    decodeBatch: (buf, dv, offsets, out) => codec.decodeAll(buf, dv, offsets, out as never[]),
    headerSize: codec.headerSize,
    ...callOptions(opts),
    ...(filter ? { filter } : {}),
  });
}
