// Enums and flags of rtnetlink with iproute2's names for the values ('unicast', 'kernel',
// 'host', 'main', 'reachable', …). The values are the generated UAPI tables (gen/rtnetlink.ts);
// this file only says where iproute2's word is not the lower-cased C name (words.ts). Values
// an enum does not name decode to the plain number, so a newer kernel never breaks decoding.
import { enumSpec, flagsSpec } from '../schema/index.js';
import {
  AF, ARPHRD, BR_STATE, BRIDGE_VLAN_INFO, ETH_P, FIB_RULE, FR_ACT, ICMPV6_ROUTER_PREF, IF_LINK_MODE, IF_OPER, IFA_F, IFAPROT,
  IFF, IN6_ADDR_GEN_MODE, VXLAN_DF, LWTUNNEL_ENCAP, MACVLAN_FLAG, MACVLAN_MACADDR, MACVLAN_MODE, NEXTHOP_GRP_TYPE, NTF,
  NTF_EXT, NUD, RT_SCOPE, RT_TABLE, RTAX_FEATURE, RTM_F, RTN, RTNH_F, RTNL_FAMILY, RTPROT, XDP_ATTACHED, XDP_FLAGS,
} from './constants.js';
import { inOrder, pick, words } from './words.js';

/** Address families as iproute2 names them (`inet`, `inet6`, `link` for AF_PACKET, …). */
export const family = enumSpec('family', {
  ...pick(AF, { UNSPEC: 'unspec', INET: 'inet', BRIDGE: 'bridge', INET6: 'inet6', DECnet: 'dnet', PACKET: 'link', MPLS: 'mpls' }),
  ...pick(RTNL_FAMILY, { IPMR: 'ipmr', IP6MR: 'ip6mr' }),
});
/** Address family names. */
export type Family = keyof typeof family.values;

/** rtm_type (RTN_*): route types; also ndm_type. iproute2 calls RTN_UNSPEC "none". */
export const routeType = enumSpec('rtm_type', words(RTN, { UNSPEC: 'none' }));
/** Route type names. */
export type RouteType = keyof typeof routeType.values;

/** rtm_scope / ifa_scope (RT_SCOPE_*), as in /etc/iproute2/rt_scopes. */
export const scope = enumSpec('rtm_scope', words(RT_SCOPE, { UNIVERSE: 'global' }));
/** Scope names. */
export type Scope = keyof typeof scope.values;

/** rtm_protocol (RTPROT_*), as in /etc/iproute2/rt_protos (which leaves RTPROT_MROUTED unnamed). */
export const protocol = enumSpec('rtm_protocol', words(RTPROT, { MROUTED: false }));
/** Route protocol names. */
export type Protocol = keyof typeof protocol.values;

/**
 * Routing tables iproute2 knows without /etc/iproute2/rt_tables. Tables named in that file
 * decode to their number; `tableName()`/`tableId()` in tables.ts read the file.
 */
export const table = enumSpec('rt_table', words(RT_TABLE, { COMPAT: false }));
/** Built-in table names. */
export type TableName = keyof typeof table.values;

/** rtm_flags: RTNH_F_* in the low byte and RTM_F_*, named as iproute2 prints them. */
export const routeFlags = flagsSpec('rtm_flags', {
  ...words(RTNH_F),
  ...words(RTM_F, { OFFLOAD: 'rt_offload', TRAP: 'rt_trap', OFFLOAD_FAILED: 'rt_offload_failed' }),
});
/** Route flag names. */
export type RouteFlag = keyof typeof routeFlags.bits;

/** rtnh_flags / nh_flags (RTNH_F_*). */
export const nexthopFlags = flagsSpec('rtnh_flags', words(RTNH_F));
/** Nexthop flag names. */
export type NexthopFlag = keyof typeof nexthopFlags.bits;

/**
 * ifi_flags (IFF_*), upper case as iproute2 prints them and in iproute2's print order.
 * IFF_RUNNING comes last (iproute2 does not print it).
 */
export const linkFlags = flagsSpec('ifi_flags', inOrder(IFF, [
  'LOOPBACK', 'BROADCAST', 'POINTOPOINT', 'MULTICAST', 'NOARP', 'ALLMULTI', 'PROMISC', 'MASTER', 'SLAVE', 'DEBUG', 'DYNAMIC',
  'AUTOMEDIA', 'PORTSEL', 'NOTRAILERS', 'UP', 'LOWER_UP', 'DORMANT', 'ECHO', 'RUNNING',
]));
/** Link flag names. */
export type LinkFlag = keyof typeof linkFlags.bits;

/** iproute2's names of the twelve Fibre Channel fabric types after ARPHRD_FCFABRIC ('fcfb1' …). */
function fcFabrics(): Record<`fcfb${number}`, number> {
  const out: Record<`fcfb${number}`, number> = {};
  for (let i = 1; i <= 12; i++) out[`fcfb${i}`] = ARPHRD.FCFABRIC + i;
  return out;
}

/**
 * ifi_type (ARPHRD_*), named as iproute2's ll_types: ARPHRD_NETROM (0) is 'netrom', ARPHRD_CISCO
 * (= ARPHRD_HDLC) is 'hdlc'; types iproute2 does not name stay numbers and print as `[N]`.
 */
export const linkType = enumSpec('ifi_type', {
  ...words(ARPHRD, {
    APPLETLK: 'atalk', CISCO: false, RAWIP: false, MCTP: false, TUNNEL: 'ipip', LOCALTLK: 'ltalk', IPDDP: 'ip/ddp', IPGRE: 'gre',
    FCFABRIC: 'fcfb0', IEEE802_TR: 'tr', IEEE80211: 'ieee802.11', IEEE80211_PRISM: 'ieee802.11/prism',
    IEEE80211_RADIOTAP: 'ieee802.11/radiotap', IEEE802154: 'ieee802.15.4', IEEE802154_MONITOR: 'ieee802.15.4/monitor',
    IP6GRE: 'gre6', EUI64: false, VSOCKMON: false,
  }),
  ...fcFabrics(),
});
/** Link type names. */
export type LinkType = keyof typeof linkType.values;

/** IFLA_OPERSTATE (IF_OPER_*), upper case as iproute2 prints it. */
export const operState = enumSpec('operstate', IF_OPER);

/** IFLA_LINKMODE (IF_LINK_MODE_*). */
export const linkMode = enumSpec('linkmode', IF_LINK_MODE);

/** ifa_flags / IFA_FLAGS (IFA_F_*), named as iproute2 prints them (IFA_F_TEMPORARY is 'secondary' for IPv4 too). */
export const addressFlags = flagsSpec('ifa_flags', words(IFA_F, {
  TEMPORARY: false, HOMEADDRESS: 'home', MANAGETEMPADDR: 'mngtmpaddr', MCAUTOJOIN: 'autojoin', STABLE_PRIVACY: 'stable-privacy',
}));
/** Address flag names. */
export type AddressFlag = keyof typeof addressFlags.bits;

/** IFA_PROTO (IFAPROT_*): who added an address. */
export const addressProto = enumSpec('ifa_proto', words(IFAPROT));

/** ndm_state (NUD_*), a bit mask; lower case as `ip neigh` accepts them. */
export const neighState = flagsSpec('ndm_state', words(NUD, { NONE: false }));
/** Neighbour state names. */
export type NeighState = keyof typeof neighState.bits;

/** ndm_flags (NTF_*). */
export const neighFlags = flagsSpec('ndm_flags', words(NTF, { EXT_LEARNED: 'extern_learn', OFFLOADED: 'offload' }));
/** Neighbour flag names. */
export type NeighFlag = keyof typeof neighFlags.bits;

/** NDA_FLAGS_EXT (NTF_EXT_*). */
export const neighFlagsExt = flagsSpec('ndm_flags_ext', words(NTF_EXT));

/** fib_rule_hdr.action (FR_ACT_*), as iproute2 names them. */
export const ruleAction = enumSpec('fr_action', words(FR_ACT, { RES3: false, RES4: false }));
/** Rule action names. */
export type RuleAction = keyof typeof ruleAction.values;

/** fib_rule_hdr.flags (FIB_RULE_*). */
export const ruleFlags = flagsSpec('fib_rule_flags', words(FIB_RULE, { DEV_DETACHED: false }));

/** RTA_PREF (ICMPV6_ROUTER_PREF_*). */
export const routerPref = enumSpec('rta_pref', words(ICMPV6_ROUTER_PREF));

/** RTA_ENCAP_TYPE / NHA_ENCAP_TYPE (LWTUNNEL_ENCAP_*), as iproute2 names them. */
export const encapType = enumSpec('lwtunnel_encap', words(LWTUNNEL_ENCAP, { SEG6_LOCAL: 'seg6local' }));

/** RTAX_FEATURES bits (RTAX_FEATURE_*). */
export const metricFeatures = flagsSpec('rtax_features', words(RTAX_FEATURE));

/** NHA_GROUP_TYPE (NEXTHOP_GRP_TYPE_*). */
export const nexthopGroupType = enumSpec('nexthop_grp_type', words(NEXTHOP_GRP_TYPE, { RES: 'resilient' }));

/** IFLA_INET6_ADDR_GEN_MODE (IN6_ADDR_GEN_MODE_*). */
export const addrGenMode = enumSpec('in6_addr_gen_mode', words(IN6_ADDR_GEN_MODE, { STABLE_PRIVACY: 'stable_secret' }));

/** IFLA_XDP_ATTACHED (XDP_ATTACHED_*). */
export const xdpAttached = enumSpec('xdp_attached', words(XDP_ATTACHED));

/** IFLA_XDP_FLAGS (XDP_FLAGS_*). */
export const xdpFlags = flagsSpec('xdp_flags', words(XDP_FLAGS));

/** IFLA_MACVLAN_MODE (MACVLAN_MODE_*). */
export const macvlanMode = enumSpec('macvlan_mode', words(MACVLAN_MODE));

/** IFLA_MACVLAN_FLAGS (MACVLAN_FLAG_*). */
export const macvlanFlags = flagsSpec('macvlan_flags', words(MACVLAN_FLAG));

/** IFLA_MACVLAN_MACADDR_MODE (MACVLAN_MACADDR_*). */
export const macvlanMacaddrMode = enumSpec('macvlan_macaddr_mode', words(MACVLAN_MACADDR));

/** VXLAN_DF (VXLAN_DF_*). */
export const vxlanDf = enumSpec('vxlan_df', words(VXLAN_DF));

/** IFLA_VLAN_PROTOCOL (ETH_P_8021Q / ETH_P_8021AD), as iproute2 names them. */
export const vlanProtocol = enumSpec('vlan_protocol', pick(ETH_P, { '8021Q': '802.1Q', '8021AD': '802.1ad' }));

/** IFLA_BRPORT_STATE (BR_STATE_*). */
export const bridgePortState = enumSpec('br_state', words(BR_STATE));

/** bridge_vlan_info.flags (BRIDGE_VLAN_INFO_*). */
export const bridgeVlanFlags = flagsSpec('bridge_vlan_info_flags', words(BRIDGE_VLAN_INFO));
