// Fixed structs of rtnetlink: the family headers that follow nlmsghdr and the structs carried
// inside attributes. Field names are the kernel's without their prefix (ifi_index -> ifindex,
// rtm_dst_len -> dst_len); sizes are checked against the headers by test/route-uapi.test.ts.
import { structSpec } from '../schema/index.js';
import {
  addressFlags, bridgeVlanFlags, family, linkFlags, linkType, neighFlags, neighState, nexthopFlags, protocol, routeFlags,
  routeType, ruleAction, ruleFlags, scope, table,
} from './enums.js';

/** struct ifinfomsg: the header of RTM_NEWLINK/DELLINK/GETLINK/SETLINK (16 bytes). */
export const ifinfomsg = structSpec('ifinfomsg', [
  { name: 'family', type: 'u8', enum: family },
  { name: '_pad', type: 'pad', len: 1 },
  { name: 'type', type: 'u16', enum: linkType },
  { name: 'ifindex', type: 's32' },
  { name: 'flags', type: 'u32', flags: linkFlags },
  { name: 'change', type: 'u32' },
] as const);

/** struct ifaddrmsg: the header of RTM_NEWADDR/DELADDR/GETADDR (8 bytes). */
export const ifaddrmsg = structSpec('ifaddrmsg', [
  { name: 'family', type: 'u8', enum: family },
  { name: 'prefixlen', type: 'u8' },
  { name: 'flags', type: 'u8', flags: addressFlags },
  { name: 'scope', type: 'u8', enum: scope },
  { name: 'ifindex', type: 'u32' },
] as const);

/** struct rtmsg: the header of RTM_NEWROUTE/DELROUTE/GETROUTE (12 bytes). */
export const rtmsg = structSpec('rtmsg', [
  { name: 'family', type: 'u8', enum: family },
  { name: 'dst_len', type: 'u8' },
  { name: 'src_len', type: 'u8' },
  { name: 'tos', type: 'u8' },
  { name: 'table', type: 'u8', enum: table },
  { name: 'protocol', type: 'u8', enum: protocol },
  { name: 'scope', type: 'u8', enum: scope },
  { name: 'type', type: 'u8', enum: routeType },
  { name: 'flags', type: 'u32', flags: routeFlags },
] as const);

/** struct ndmsg: the header of RTM_NEWNEIGH/DELNEIGH/GETNEIGH (12 bytes). */
export const ndmsg = structSpec('ndmsg', [
  { name: 'family', type: 'u8', enum: family },
  { name: '_pad1', type: 'pad', len: 1 },
  { name: '_pad2', type: 'pad', len: 2 },
  { name: 'ifindex', type: 's32' },
  { name: 'state', type: 'u16', flags: neighState },
  { name: 'flags', type: 'u8', flags: neighFlags },
  { name: 'type', type: 'u8', enum: routeType },
] as const);

/** struct fib_rule_hdr: the header of RTM_NEWRULE/DELRULE/GETRULE (12 bytes). */
export const fibRuleHdr = structSpec('fib_rule_hdr', [
  { name: 'family', type: 'u8', enum: family },
  { name: 'dst_len', type: 'u8' },
  { name: 'src_len', type: 'u8' },
  { name: 'tos', type: 'u8' },
  { name: 'table', type: 'u8', enum: table },
  { name: '_res1', type: 'pad', len: 1 },
  { name: '_res2', type: 'pad', len: 1 },
  { name: 'action', type: 'u8', enum: ruleAction },
  { name: 'flags', type: 'u32', flags: ruleFlags },
] as const);

/** struct nhmsg: the header of RTM_NEWNEXTHOP/DELNEXTHOP/GETNEXTHOP (8 bytes). */
export const nhmsg = structSpec('nhmsg', [
  { name: 'family', type: 'u8', enum: family },
  { name: 'scope', type: 'u8', enum: scope },
  { name: 'protocol', type: 'u8', enum: protocol },
  { name: '_resvd', type: 'pad', len: 1 },
  { name: 'flags', type: 'u32', flags: nexthopFlags },
] as const);

/** struct netconfmsg: the header of RTM_NEWNETCONF/GETNETCONF (1 byte, padded to 4 on the wire). */
export const netconfmsg = structSpec('netconfmsg', [
  { name: 'family', type: 'u8', enum: family },
] as const);

/** struct rtgenmsg: the header of RTM_NEWNSID/DELNSID/GETNSID (1 byte, padded to 4 on the wire). */
export const rtgenmsg = structSpec('rtgenmsg', [
  { name: 'family', type: 'u8', enum: family },
] as const);

/** struct ifa_cacheinfo (IFA_CACHEINFO): lifetimes in seconds (0xffffffff = forever), stamps in 1/100 s. */
export const ifaCacheinfo = structSpec('ifa_cacheinfo', [
  { name: 'preferred', type: 'u32' },
  { name: 'valid', type: 'u32' },
  { name: 'cstamp', type: 'u32' },
  { name: 'tstamp', type: 'u32' },
] as const);

/** struct rta_cacheinfo (RTA_CACHEINFO). */
export const rtaCacheinfo = structSpec('rta_cacheinfo', [
  { name: 'clntref', type: 'u32' },
  { name: 'lastuse', type: 'u32' },
  { name: 'expires', type: 's32' },
  { name: 'error', type: 'u32' },
  { name: 'used', type: 'u32' },
  { name: 'id', type: 'u32' },
  { name: 'ts', type: 'u32' },
  { name: 'tsage', type: 'u32' },
] as const);

/** struct nda_cacheinfo (NDA_CACHEINFO): ages in clock ticks (USER_HZ). */
export const ndaCacheinfo = structSpec('nda_cacheinfo', [
  { name: 'confirmed', type: 'u32' },
  { name: 'used', type: 'u32' },
  { name: 'updated', type: 'u32' },
  { name: 'refcnt', type: 'u32' },
] as const);

const STATS_FIELDS = [
  'rx_packets', 'tx_packets', 'rx_bytes', 'tx_bytes', 'rx_errors', 'tx_errors', 'rx_dropped', 'tx_dropped',
  'multicast', 'collisions', 'rx_length_errors', 'rx_over_errors', 'rx_crc_errors', 'rx_frame_errors',
  'rx_fifo_errors', 'rx_missed_errors', 'tx_aborted_errors', 'tx_carrier_errors', 'tx_fifo_errors',
  'tx_heartbeat_errors', 'tx_window_errors', 'rx_compressed', 'tx_compressed', 'rx_nohandler',
] as const;
type StatsField = (typeof STATS_FIELDS)[number];

/** struct rtnl_link_stats64 (IFLA_STATS64): 25 u64 counters. */
export const linkStats64 = structSpec('rtnl_link_stats64', [
  ...STATS_FIELDS.map((name) => ({ name, type: 'u64' as const })),
  { name: 'rx_otherhost_dropped', type: 'u64' },
] as unknown as readonly ({ name: StatsField | 'rx_otherhost_dropped'; type: 'u64' })[]);

/** struct rtnl_link_stats (IFLA_STATS): the 24 counters in u32. */
export const linkStats32 = structSpec('rtnl_link_stats',
  STATS_FIELDS.map((name) => ({ name, type: 'u32' as const })) as unknown as readonly ({ name: StatsField; type: 'u32' })[]);

/** struct rtnl_link_ifmap (IFLA_MAP), 32 bytes with its tail padding on 64-bit hosts. */
export const linkIfmap = structSpec('rtnl_link_ifmap', [
  { name: 'mem_start', type: 'u64' },
  { name: 'mem_end', type: 'u64' },
  { name: 'base_addr', type: 'u64' },
  { name: 'irq', type: 'u16' },
  { name: 'dma', type: 'u8' },
  { name: 'port', type: 'u8' },
  { name: '_pad', type: 'pad', len: 4 },
] as const);

/** struct ifla_cacheinfo (IFLA_INET6_CACHEINFO). */
export const iflaCacheinfo = structSpec('ifla_cacheinfo', [
  { name: 'max_reasm_len', type: 'u32' },
  { name: 'tstamp', type: 'u32' },
  { name: 'reachable_time', type: 'u32' },
  { name: 'retrans_time', type: 'u32' },
] as const);

/** struct ifla_bridge_id: priority (network order) and bridge address. */
export const bridgeId = structSpec('ifla_bridge_id', [
  { name: 'prio', type: 'u16be' },
  { name: 'addr', type: 'mac', len: 6 },
] as const);

/** struct ifla_vlan_flags (IFLA_VLAN_FLAGS). */
export const vlanFlags = structSpec('ifla_vlan_flags', [
  { name: 'flags', type: 'u32' },
  { name: 'mask', type: 'u32' },
] as const);

/** struct ifla_vlan_qos_mapping (IFLA_VLAN_QOS_MAPPING). */
export const vlanQosMapping = structSpec('ifla_vlan_qos_mapping', [
  { name: 'from', type: 'u32' },
  { name: 'to', type: 'u32' },
] as const);

/** struct ifla_vxlan_port_range (IFLA_VXLAN_PORT_RANGE), network order. */
export const vxlanPortRange = structSpec('ifla_vxlan_port_range', [
  { name: 'low', type: 'u16be' },
  { name: 'high', type: 'u16be' },
] as const);

/** struct br_boolopt_multi (IFLA_BR_MULTI_BOOLOPT). */
export const brBoolopt = structSpec('br_boolopt_multi', [
  { name: 'optval', type: 'u32' },
  { name: 'optmask', type: 'u32' },
] as const);

/** struct bridge_vlan_info (IFLA_BRIDGE_VLAN_INFO). */
export const bridgeVlanInfo = structSpec('bridge_vlan_info', [
  { name: 'flags', type: 'u16', flags: bridgeVlanFlags },
  { name: 'vid', type: 'u16' },
] as const);

/** struct fib_rule_uid_range (FRA_UID_RANGE). */
export const uidRange = structSpec('fib_rule_uid_range', [
  { name: 'start', type: 'u32' },
  { name: 'end', type: 'u32' },
] as const);

/** struct fib_rule_port_range (FRA_SPORT_RANGE / FRA_DPORT_RANGE). */
export const portRange = structSpec('fib_rule_port_range', [
  { name: 'start', type: 'u16' },
  { name: 'end', type: 'u16' },
] as const);

/** struct ifla_port_vsi / ifla_vf_* are kept as bytes. Sizes of the headers above, for requests. */
export const HEADER_SIZES = { ifinfomsg: 16, ifaddrmsg: 8, rtmsg: 12, ndmsg: 12, fib_rule_hdr: 12, nhmsg: 8, netconfmsg: 1, rtgenmsg: 1 } as const;
