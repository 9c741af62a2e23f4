// Unix sockets (unix_diag): name, peer, pending connections, queues, uid, vfs inode, memory.
import type { Dump, FamilyOptions } from '../socket/index.js';
import { unixCodec, unixReqCodec, type UnixSocket } from './codecs.js';
import { SOCK_DIAG_BY_FAMILY, UDIAG_SHOW } from './constants.js';
import { stateMask } from './inet.js';
import type { TcpState } from './enums.js';
import { diagDump } from './socket.js';
import { HEADER_SIZES } from './structs.js';

export type { UnixSocket } from './codecs.js';

/** Filters of {@link dumpUnixSockets}: `states` by the kernel, `type` here. */
export interface UnixFilter {
  /** States (names, numbers or a mask); all when absent. */
  states?: readonly (TcpState | number)[] | number;
  /** 'stream', 'dgram' or 'seqpacket'. */
  type?: 'stream' | 'dgram' | 'seqpacket' | readonly ('stream' | 'dgram' | 'seqpacket')[];
  /** UDIAG_SHOW_* bits to ask for; all of them when absent. */
  show?: number;
}

const ALL_SHOW = Object.values(UDIAG_SHOW).reduce((a, b) => a | b, 0);

/**
 * Dumps unix sockets (`ss -x`): `{ type, state, ino, cookie, name, peer, icons, rqlen, vfs,
 * meminfo, shutdown, uid }`.
 */
export function dumpUnixSockets(filter: UnixFilter = {}, opts: FamilyOptions = {}): Dump<UnixSocket> {
  const req = unixReqCodec.encode(SOCK_DIAG_BY_FAMILY, 0, {
    family: 'unix', protocol: 0, states: stateMask(filter.states), ino: 0, show: filter.show ?? ALL_SHOW,
    cookie: 0xffffffffffffffffn,
  });
  const types = filter.type === undefined ? undefined : new Set<string>(typeof filter.type === 'string' ? [filter.type] : filter.type);
  return diagDump<UnixSocket>(opts, req, (buf, dv, offsets, out) => unixCodec.decodeAll(buf, dv, offsets, out), HEADER_SIZES.unix_diag_req,
    types ? (s) => types.has(s.type as string) : undefined);
}
