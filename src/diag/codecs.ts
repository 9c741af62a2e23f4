// One flat message codec per sock_diag object: the family header's fields and the attributes
// decode into one object.
import { FlatMessageCodec, type Flat } from '../schema/index.js';
import { inetDiagAttrs, inetDiagReqAttrs, netlinkDiagAttrs, packetDiagAttrs, unixDiagAttrs } from './attrs.js';
import {
  inetDiagMsg, inetDiagReqV2, netlinkDiagMsg, netlinkDiagReq, packetDiagMsg, packetDiagReq, unixDiagMsg, unixDiagReq,
} from './structs.js';

export type { Flat };

/** inet_diag_req_v2 + INET_DIAG_REQ_* (requests). */
export const inetReqCodec = new FlatMessageCodec(inetDiagReqV2, inetDiagReqAttrs);
/** inet_diag_msg + INET_DIAG_* (inet sockets). */
export const inetCodec = new FlatMessageCodec(inetDiagMsg, inetDiagAttrs);
/** unix_diag_req (requests; no attributes). */
export const unixReqCodec = new FlatMessageCodec(unixDiagReq, unixDiagAttrs);
/** unix_diag_msg + UNIX_DIAG_*. */
export const unixCodec = new FlatMessageCodec(unixDiagMsg, unixDiagAttrs);
/** netlink_diag_req (requests). */
export const netlinkReqCodec = new FlatMessageCodec(netlinkDiagReq, netlinkDiagAttrs);
/** netlink_diag_msg + NETLINK_DIAG_*. */
export const netlinkCodec = new FlatMessageCodec(netlinkDiagMsg, netlinkDiagAttrs);
/** packet_diag_req (requests). */
export const packetReqCodec = new FlatMessageCodec(packetDiagReq, packetDiagAttrs);
/** packet_diag_msg + PACKET_DIAG_*. */
export const packetCodec = new FlatMessageCodec(packetDiagMsg, packetDiagAttrs);

/** The raw decoded inet socket, before addresses become text. */
export type RawInetSocket = Flat<typeof inetDiagMsg, typeof inetDiagAttrs>;
/** A unix socket: unix_diag_msg fields (`family`, `type`, `state`, `ino`, `cookie`) and UNIX_DIAG_* attributes. */
export type UnixSocket = Flat<typeof unixDiagMsg, typeof unixDiagAttrs>;
/** A netlink socket: netlink_diag_msg fields (`protocol`, `portid`, `dst_portid`, `dst_group`, `ino`, …) and NETLINK_DIAG_* attributes. */
export type NetlinkSock = Flat<typeof netlinkDiagMsg, typeof netlinkDiagAttrs>;
/** A packet socket: packet_diag_msg fields (`type`, `num` = protocol, `ino`, `cookie`) and PACKET_DIAG_* attributes. */
export type PacketSocket = Flat<typeof packetDiagMsg, typeof packetDiagAttrs>;
