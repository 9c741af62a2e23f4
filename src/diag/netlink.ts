// Netlink sockets (netlink_diag): protocol, port ids, groups (any number), flags, memory.
import type { Dump, FamilyOptions } from '../socket/index.js';
import { netlinkCodec, netlinkReqCodec, type NetlinkSock } from './codecs.js';
import { NDIAG_PROTO_ALL, NDIAG_SHOW, SOCK_DIAG_BY_FAMILY } from './constants.js';
import { diagDump } from './socket.js';
import { HEADER_SIZES } from './structs.js';

/** A netlink socket as netlink_diag reports it. */
export type NetlinkSocketInfo = NetlinkSock;

/** Filters of {@link dumpNetlinkSockets}. */
export interface NetlinkFilter {
  /** Only this netlink protocol (NETLINK_ROUTE = 0, …); all when absent. */
  protocol?: number;
  /** NDIAG_SHOW_* bits; meminfo, groups and flags when absent. */
  show?: number;
}

/** Dumps netlink sockets (`ss --netlink`): `{ protocol, portid, dst_portid, dst_group, ino, groups, flags, meminfo }`. */
export function dumpNetlinkSockets(filter: NetlinkFilter = {}, opts: FamilyOptions = {}): Dump<NetlinkSocketInfo> {
  const req = netlinkReqCodec.encode(SOCK_DIAG_BY_FAMILY, 0, {
    family: 'netlink', protocol: filter.protocol ?? NDIAG_PROTO_ALL, ino: 0,
    show: filter.show ?? (NDIAG_SHOW.MEMINFO | NDIAG_SHOW.GROUPS | NDIAG_SHOW.FLAGS), cookie: 0xffffffffffffffffn,
  });
  return diagDump<NetlinkSocketInfo>(opts, req, (buf, dv, offsets, out) => netlinkCodec.decodeAll(buf, dv, offsets, out), HEADER_SIZES.netlink_diag_req);
}
