// Packet sockets (packet_diag): type, protocol, interface, fanout, rings, filter, memory.
import type { Dump, FamilyOptions } from '../socket/index.js';
import { packetCodec, packetReqCodec, type PacketSocket } from './codecs.js';
import { PACKET_SHOW, SOCK_DIAG_BY_FAMILY } from './constants.js';
import { diagDump } from './socket.js';
import { HEADER_SIZES } from './structs.js';

export type { PacketSocket } from './codecs.js';

/** Filters of {@link dumpPacketSockets}. */
export interface PacketFilter {
  /** PACKET_SHOW_* bits; all when absent. */
  show?: number;
}

const ALL_SHOW = Object.values(PACKET_SHOW).reduce((a, b) => a | b, 0);

/**
 * Dumps packet sockets (`ss -0`): `{ type, num (the bound ethertype), ino, info, mclist,
 * rx_ring, tx_ring, fanout, uid, meminfo, filter }`.
 */
export function dumpPacketSockets(filter: PacketFilter = {}, opts: FamilyOptions = {}): Dump<PacketSocket> {
  const req = packetReqCodec.encode(SOCK_DIAG_BY_FAMILY, 0, {
    family: 'packet', protocol: 0, ino: 0, show: filter.show ?? ALL_SHOW, cookie: 0xffffffffffffffffn,
  });
  return diagDump<PacketSocket>(opts, req, (buf, dv, offsets, out) => packetCodec.decodeAll(buf, dv, offsets, out), HEADER_SIZES.packet_diag_req);
}
