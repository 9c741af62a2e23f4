// The NETLINK_XFRM socket every xfrm/ function uses: the caller's, or one opened for the call
// (in `netns` when given: SAs and policies are per network namespace) and closed after.
import { Dump, NetlinkSocket, type FamilyOptions, type NetnsSpec } from '../socket/index.js';
import { NETLINK_XFRM } from '../wire/index.js';
import { addressesToText } from './address.js';
import { xfrmMsgName } from './codecs.js';
import type { FlatMessageCodec } from '../schema/index.js';

/** Opens a NETLINK_XFRM socket. Pass it as `{ socket }` to run many calls on one socket; close() it after. */
export function openXfrm(opts: { netns?: NetnsSpec; groups?: number[]; rcvbuf?: number; readAhead?: boolean } = {}): NetlinkSocket {
  return NetlinkSocket.open(NETLINK_XFRM, {
    ...(opts.readAhead ? { readAhead: true } : {}),
    ...(opts.netns !== undefined ? { netns: opts.netns } : {}),
    ...(opts.groups ? { groups: opts.groups } : {}),
    ...(opts.rcvbuf ? { rcvbuf: opts.rcvbuf } : {}),
    typeName: xfrmMsgName,
  });
}

/** The call's `signal` and `timeout`. */
export function callOptions(opts: FamilyOptions): { signal?: AbortSignal; timeout?: number } {
  const o: { signal?: AbortSignal; timeout?: number } = {};
  if (opts.signal) o.signal = opts.signal;
  if (opts.timeout !== undefined) o.timeout = opts.timeout;
  return o;
}

/** Runs `fn` on the caller's socket, or on one opened (and closed) for it. */
export async function withXfrmSocket<T>(opts: FamilyOptions, fn: (sock: NetlinkSocket) => Promise<T>): Promise<T> {
  if (opts.socket) return fn(opts.socket);
  const sock = openXfrm(opts.netns !== undefined ? { netns: opts.netns } : {});
  try {
    return await fn(sock);
  } finally {
    sock.close();
  }
}

/** A Dump of one XFRM dump request, each object's addresses made text. */
export function xfrmDump<T>(opts: FamilyOptions, request: Uint8Array, codec: FlatMessageCodec<unknown, unknown>, filter?: (item: T) => boolean): Dump<T> {
  const netns = opts.netns;
  return new Dump<T>({
    socket: opts.socket,
    open: () => openXfrm({ readAhead: true, ...(netns !== undefined ? { netns } : {}) }),
    request,
    decodeBatch: (buf, dv, offsets, out) => {
      const from = out.length;
      codec.decodeAll(buf, dv, offsets, out as never[]);
      for (let i = from; i < out.length; i++) addressesToText(out[i]);
    },
    headerSize: 0,
    ...callOptions(opts),
    ...(filter ? { filter } : {}),
  });
}
