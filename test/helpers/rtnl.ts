// The few rtnetlink messages the socket-layer tests need, built with the wire codec only (the
// rtnetlink family itself lives in src/route; these tests must not depend on it).
import { AttributeReader, MessageWriter, NLM_F_DUMP, NLM_F_REQUEST, type MessageReader } from '../../src/wire/index.js';

export const RTM_NEWLINK = 16;
export const RTM_DELLINK = 17;
export const RTM_GETLINK = 18;
export const RTM_NEWADDR = 20;
export const RTM_GETADDR = 22;
export const RTM_NEWROUTE = 24;
export const RTM_DELROUTE = 25;
export const RTM_GETROUTE = 26;
export const RTM_NEWTCLASS = 40;
export const RTM_NEWNEXTHOP = 104;
export const RTM_GETNEXTHOP = 106;
export const IFLA_IFNAME = 3;
export const IFLA_MTU = 4;
export const IFLA_LINKINFO = 18;
export const IFLA_INFO_KIND = 1;
export const IFLA_INFO_DATA = 2;
export const RTA_DST = 1;
export const RTNLGRP_LINK = 1;
export const RTNLGRP_IPV4_ROUTE = 7;
export const AF_INET = 2;
export const IFINFOMSG_SIZE = 16;
export const IFADDRMSG_SIZE = 8;
export const RTMSG_SIZE = 12;
export const NHMSG_SIZE = 8;

/** A dump request: header + a zeroed family header of `size` bytes with `family` in its first byte. */
export function dumpRequest(type: number, size: number, family = 0): Uint8Array {
  const w = new MessageWriter();
  w.begin(type, NLM_F_REQUEST | NLM_F_DUMP);
  const at = w.struct(size);
  w.view.setUint8(at, family);
  w.end();
  return w.toBytes();
}

/** RTM_GETLINK dump of all links. */
export const getLinks = () => dumpRequest(RTM_GETLINK, IFINFOMSG_SIZE);
/** RTM_GETADDR dump of all addresses (all families unless given). */
export const getAddrs = (family = 0) => dumpRequest(RTM_GETADDR, IFADDRMSG_SIZE, family);
/** RTM_GETROUTE dump of IPv4 routes in every table. */
export const getRoutes = (family = AF_INET) => dumpRequest(RTM_GETROUTE, RTMSG_SIZE, family);
/** RTM_GETNEXTHOP dump. */
export const getNexthops = () => dumpRequest(RTM_GETNEXTHOP, NHMSG_SIZE);

/** RTM_GETLINK for one link by index (a do-request: the reply is one RTM_NEWLINK). */
export function getLink(index: number): Uint8Array {
  const w = new MessageWriter();
  w.begin(RTM_GETLINK, NLM_F_REQUEST);
  const at = w.struct(IFINFOMSG_SIZE);
  w.view.setInt32(at + 4, index, true);
  w.end();
  return w.toBytes();
}

/** The IFLA_IFNAME of an RTM_NEWLINK payload. */
export function linkName(payload: Uint8Array): string | undefined {
  const r = new AttributeReader(payload, IFINFOMSG_SIZE);
  while (r.next()) if (r.type === IFLA_IFNAME) return r.string();
  return undefined;
}

/** Decoder for dump(): the link name, read in place from the borrowed receive buffer. */
export function decodeLinkName(r: MessageReader): string | undefined {
  const a = new AttributeReader(r.buf, r.payloadStart + IFINFOMSG_SIZE, r.payloadEnd, r.view);
  while (a.next()) if (a.type === IFLA_IFNAME) return a.string();
  return undefined;
}

/** The RTA_DST of an RTM_NEWROUTE payload as dotted IPv4, if any. */
export function routeDst(payload: Uint8Array): string | undefined {
  const r = new AttributeReader(payload, RTMSG_SIZE);
  while (r.next()) if (r.type === RTA_DST && r.length === 4) return [...r.bytes()].join('.');
  return undefined;
}
