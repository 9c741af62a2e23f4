// One flat message codec per rtnetlink object: the family header's fields and the attributes
// decode into one object. Where the kernel repeats a value in the header and in an attribute
// (rtm_table and RTA_TABLE, ifa_flags and IFA_FLAGS, the rule's table and FRA_TABLE), the
// attribute wins and the header is derived from it the way the kernel fills it.
import { FlatMessageCodec, type Flat } from '../schema/index.js';
import { addressAttrs, neighAttrs, netconfAttrs, nexthopAttrs, nsidAttrs, routeAttrs, ruleAttrs } from './attrs.js';
import { RT_TABLE, RTM } from './constants.js';
import { linkAttrs } from './link-attrs.js';
import { fibRuleHdr, ifaddrmsg, ifinfomsg, ndmsg, netconfmsg, nhmsg, rtgenmsg, rtmsg } from './structs.js';
import { tcAttrs } from './tc-attrs.js';
import { tcmsg } from './tc-structs.js';

export type { Flat };

/** The kernel's rtm_table / frh.table for a table id: itself below 256, else RT_TABLE_COMPAT. */
const compatTable = (v: number): number => (v < 256 ? v : RT_TABLE.COMPAT);

/** RTM_*LINK: struct ifinfomsg + IFLA_*. */
export const linkCodec = new FlatMessageCodec(ifinfomsg, linkAttrs);
/** RTM_*ADDR: struct ifaddrmsg + IFA_* (ifa_flags is the low byte of IFA_FLAGS). */
export const addressCodec = new FlatMessageCodec(ifaddrmsg, addressAttrs, { shadow: { flags: (v) => v & 0xff } });
/** RTM_*ROUTE: struct rtmsg + RTA_* (rtm_table derives from RTA_TABLE). */
export const routeCodec = new FlatMessageCodec(rtmsg, routeAttrs, { shadow: { table: compatTable } });
/** RTM_*NEIGH: struct ndmsg + NDA_*. */
export const neighCodec = new FlatMessageCodec(ndmsg, neighAttrs);
/** RTM_*RULE: struct fib_rule_hdr + FRA_* (the header's table derives from FRA_TABLE). */
export const ruleCodec = new FlatMessageCodec(fibRuleHdr, ruleAttrs, { shadow: { table: compatTable } });
/** RTM_*NEXTHOP: struct nhmsg + NHA_*. */
export const nexthopCodec = new FlatMessageCodec(nhmsg, nexthopAttrs);
/** RTM_*NETCONF: struct netconfmsg + NETCONFA_*. */
export const netconfCodec = new FlatMessageCodec(netconfmsg, netconfAttrs);
/** RTM_*NSID: struct rtgenmsg + NETNSA_*. */
export const nsidCodec = new FlatMessageCodec(rtgenmsg, nsidAttrs);

/** RTM_*QDISC, RTM_*TCLASS, RTM_*TFILTER, RTM_*CHAIN: struct tcmsg + TCA_* (options by TCA_KIND). */
export const tcCodec = new FlatMessageCodec(tcmsg, tcAttrs);
/** A qdisc, class, filter or chain: tcmsg fields (`family`, `ifindex`, `handle`, `parent`, `info`) and TCA_* attributes. */
export type TcObject = Flat<typeof tcmsg, typeof tcAttrs>;

/** A link: ifinfomsg fields (`family`, `type`, `ifindex`, `flags`, `change`) and IFLA_* attributes. */
export type Link = Flat<typeof ifinfomsg, typeof linkAttrs>;
/** An address: ifaddrmsg fields (`family`, `prefixlen`, `flags`, `scope`, `ifindex`) and IFA_* attributes. */
export type Address = Flat<typeof ifaddrmsg, typeof addressAttrs>;
/** A route: rtmsg fields (`family`, `dst_len`, `src_len`, `tos`, `table`, `protocol`, `scope`, `type`, `flags`) and RTA_* attributes. */
export type Route = Flat<typeof rtmsg, typeof routeAttrs>;
/** A neighbour: ndmsg fields (`family`, `ifindex`, `state`, `flags`, `type`) and NDA_* attributes. */
export type Neighbour = Flat<typeof ndmsg, typeof neighAttrs>;
/** A rule: fib_rule_hdr fields (`family`, `dst_len`, `src_len`, `tos`, `table`, `action`, `flags`) and FRA_* attributes. */
export type Rule = Flat<typeof fibRuleHdr, typeof ruleAttrs>;
/** A nexthop: nhmsg fields (`family`, `scope`, `protocol`, `flags`) and NHA_* attributes. */
export type Nexthop = Flat<typeof nhmsg, typeof nexthopAttrs>;
/** Netconf: `family` and NETCONFA_* attributes. */
export type Netconf = Flat<typeof netconfmsg, typeof netconfAttrs>;
/** A namespace id: `family` and NETNSA_* attributes. */
export type Nsid = Flat<typeof rtgenmsg, typeof nsidAttrs>;

const RTM_NAMES = new Map<number, string>(Object.entries(RTM).map(([k, v]) => [v, `RTM_${k}`]));

/** The C name of an rtnetlink message type ('RTM_NEWLINK'), for errors and logs. */
export function rtmName(type: number): string | undefined {
  return RTM_NAMES.get(type);
}
