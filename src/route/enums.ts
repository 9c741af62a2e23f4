// Enums and flags of rtnetlink with iproute2's names for the values ('unicast', 'kernel',
// 'host', 'main', 'reachable', …). Every value comes from the C-named tables in constants.ts,
// which test/route-uapi.test.ts checks against the kernel headers. Values an enum does not name
// decode to the plain number, so a newer kernel never breaks decoding.
import { enumSpec, flagsSpec } from '../schema/index.js';
import {
  AF, ARPHRD, BR_STATE, BRIDGE_VLAN_INFO, ETH_P, FIB_RULE, FR_ACT, ICMPV6_ROUTER_PREF, IF_LINK_MODE, IF_OPER, IFA_F, IFAPROT,
  IFF, IN6_ADDR_GEN_MODE, VXLAN_DF, LWTUNNEL_ENCAP, MACVLAN_FLAG, MACVLAN_MACADDR, MACVLAN_MODE, NEXTHOP_GRP_TYPE, NTF,
  NTF_EXT, NUD, RT_SCOPE, RT_TABLE, RTAX_FEATURE, RTM_F, RTN, RTNH_F, RTNL_FAMILY, RTPROT, XDP_ATTACHED, XDP_FLAGS,
} from './constants.js';

/** Address families as iproute2 names them (`inet`, `inet6`, `link` for AF_PACKET, …). */
export const family = enumSpec('family', {
  unspec: AF.UNSPEC,
  inet: AF.INET,
  bridge: AF.BRIDGE,
  inet6: AF.INET6,
  dnet: AF.DECnet,
  link: AF.PACKET,
  mpls: AF.MPLS,
  ipmr: RTNL_FAMILY.IPMR,
  ip6mr: RTNL_FAMILY.IP6MR,
});
/** Address family names. */
export type Family = keyof typeof family.values;

/** rtm_type (RTN_*): route types; also ndm_type. iproute2 calls RTN_UNSPEC "none". */
export const routeType = enumSpec('rtm_type', {
  none: RTN.UNSPEC,
  unicast: RTN.UNICAST,
  local: RTN.LOCAL,
  broadcast: RTN.BROADCAST,
  anycast: RTN.ANYCAST,
  multicast: RTN.MULTICAST,
  blackhole: RTN.BLACKHOLE,
  unreachable: RTN.UNREACHABLE,
  prohibit: RTN.PROHIBIT,
  throw: RTN.THROW,
  nat: RTN.NAT,
  xresolve: RTN.XRESOLVE,
});
/** Route type names. */
export type RouteType = keyof typeof routeType.values;

/** rtm_scope / ifa_scope (RT_SCOPE_*), as in /etc/iproute2/rt_scopes. */
export const scope = enumSpec('rtm_scope', {
  global: RT_SCOPE.UNIVERSE,
  site: RT_SCOPE.SITE,
  link: RT_SCOPE.LINK,
  host: RT_SCOPE.HOST,
  nowhere: RT_SCOPE.NOWHERE,
});
/** Scope names. */
export type Scope = keyof typeof scope.values;

/** rtm_protocol (RTPROT_*), as in /etc/iproute2/rt_protos. */
export const protocol = enumSpec('rtm_protocol', {
  unspec: RTPROT.UNSPEC,
  redirect: RTPROT.REDIRECT,
  kernel: RTPROT.KERNEL,
  boot: RTPROT.BOOT,
  static: RTPROT.STATIC,
  gated: RTPROT.GATED,
  ra: RTPROT.RA,
  mrt: RTPROT.MRT,
  zebra: RTPROT.ZEBRA,
  bird: RTPROT.BIRD,
  dnrouted: RTPROT.DNROUTED,
  xorp: RTPROT.XORP,
  ntk: RTPROT.NTK,
  dhcp: RTPROT.DHCP,
  mrouted: RTPROT.MROUTED,
  keepalived: RTPROT.KEEPALIVED,
  babel: RTPROT.BABEL,
  openr: RTPROT.OPENR,
  bgp: RTPROT.BGP,
  isis: RTPROT.ISIS,
  ospf: RTPROT.OSPF,
  rip: RTPROT.RIP,
  eigrp: RTPROT.EIGRP,
});
/** Route protocol names. */
export type Protocol = keyof typeof protocol.values;

/**
 * Routing tables iproute2 knows without /etc/iproute2/rt_tables. Tables named in that file
 * decode to their number; `tableName()`/`tableId()` in tables.ts read the file.
 */
export const table = enumSpec('rt_table', {
  unspec: RT_TABLE.UNSPEC,
  default: RT_TABLE.DEFAULT,
  main: RT_TABLE.MAIN,
  local: RT_TABLE.LOCAL,
});
/** Built-in table names. */
export type TableName = keyof typeof table.values;

/** rtm_flags: RTNH_F_* in the low byte and RTM_F_*, named as iproute2 prints them. */
export const routeFlags = flagsSpec('rtm_flags', {
  dead: RTNH_F.DEAD,
  pervasive: RTNH_F.PERVASIVE,
  onlink: RTNH_F.ONLINK,
  offload: RTNH_F.OFFLOAD,
  linkdown: RTNH_F.LINKDOWN,
  unresolved: RTNH_F.UNRESOLVED,
  trap: RTNH_F.TRAP,
  notify: RTM_F.NOTIFY,
  cloned: RTM_F.CLONED,
  equalize: RTM_F.EQUALIZE,
  prefix: RTM_F.PREFIX,
  lookup_table: RTM_F.LOOKUP_TABLE,
  fib_match: RTM_F.FIB_MATCH,
  rt_offload: RTM_F.OFFLOAD,
  rt_trap: RTM_F.TRAP,
  rt_offload_failed: RTM_F.OFFLOAD_FAILED,
});
/** Route flag names. */
export type RouteFlag = keyof typeof routeFlags.bits;

/** rtnh_flags / nh_flags (RTNH_F_*). */
export const nexthopFlags = flagsSpec('rtnh_flags', {
  dead: RTNH_F.DEAD,
  pervasive: RTNH_F.PERVASIVE,
  onlink: RTNH_F.ONLINK,
  offload: RTNH_F.OFFLOAD,
  linkdown: RTNH_F.LINKDOWN,
  unresolved: RTNH_F.UNRESOLVED,
  trap: RTNH_F.TRAP,
});
/** Nexthop flag names. */
export type NexthopFlag = keyof typeof nexthopFlags.bits;

/**
 * ifi_flags (IFF_*), upper case as iproute2 prints them and in iproute2's print order.
 * IFF_RUNNING comes last (iproute2 does not print it).
 */
export const linkFlags = flagsSpec('ifi_flags', {
  LOOPBACK: IFF.LOOPBACK,
  BROADCAST: IFF.BROADCAST,
  POINTOPOINT: IFF.POINTOPOINT,
  MULTICAST: IFF.MULTICAST,
  NOARP: IFF.NOARP,
  ALLMULTI: IFF.ALLMULTI,
  PROMISC: IFF.PROMISC,
  MASTER: IFF.MASTER,
  SLAVE: IFF.SLAVE,
  DEBUG: IFF.DEBUG,
  DYNAMIC: IFF.DYNAMIC,
  AUTOMEDIA: IFF.AUTOMEDIA,
  PORTSEL: IFF.PORTSEL,
  NOTRAILERS: IFF.NOTRAILERS,
  UP: IFF.UP,
  LOWER_UP: IFF.LOWER_UP,
  DORMANT: IFF.DORMANT,
  ECHO: IFF.ECHO,
  RUNNING: IFF.RUNNING,
});
/** Link flag names. */
export type LinkFlag = keyof typeof linkFlags.bits;

/** ifi_type (ARPHRD_*), named as iproute2's ll_types. */
export const linkType = enumSpec('ifi_type', {
  generic: ARPHRD.NETROM,
  ether: ARPHRD.ETHER,
  eether: ARPHRD.EETHER,
  ax25: ARPHRD.AX25,
  pronet: ARPHRD.PRONET,
  chaos: ARPHRD.CHAOS,
  ieee802: ARPHRD.IEEE802,
  arcnet: ARPHRD.ARCNET,
  atalk: ARPHRD.APPLETLK,
  dlci: ARPHRD.DLCI,
  atm: ARPHRD.ATM,
  metricom: ARPHRD.METRICOM,
  ieee1394: ARPHRD.IEEE1394,
  infiniband: ARPHRD.INFINIBAND,
  slip: ARPHRD.SLIP,
  cslip: ARPHRD.CSLIP,
  slip6: ARPHRD.SLIP6,
  cslip6: ARPHRD.CSLIP6,
  rsrvd: ARPHRD.RSRVD,
  adapt: ARPHRD.ADAPT,
  rose: ARPHRD.ROSE,
  x25: ARPHRD.X25,
  hwx25: ARPHRD.HWX25,
  can: ARPHRD.CAN,
  ppp: ARPHRD.PPP,
  hdlc: ARPHRD.CISCO,
  lapb: ARPHRD.LAPB,
  ddcmp: ARPHRD.DDCMP,
  rawhdlc: ARPHRD.RAWHDLC,
  ipip: ARPHRD.TUNNEL,
  tunnel6: ARPHRD.TUNNEL6,
  frad: ARPHRD.FRAD,
  skip: ARPHRD.SKIP,
  loopback: ARPHRD.LOOPBACK,
  ltalk: ARPHRD.LOCALTLK,
  fddi: ARPHRD.FDDI,
  bif: ARPHRD.BIF,
  sit: ARPHRD.SIT,
  'ip/ddp': ARPHRD.IPDDP,
  gre: ARPHRD.IPGRE,
  pimreg: ARPHRD.PIMREG,
  hippi: ARPHRD.HIPPI,
  ash: ARPHRD.ASH,
  econet: ARPHRD.ECONET,
  irda: ARPHRD.IRDA,
  fcpp: ARPHRD.FCPP,
  fcal: ARPHRD.FCAL,
  fcpl: ARPHRD.FCPL,
  fcfb0: ARPHRD.FCFABRIC,
  tr: ARPHRD.IEEE802_TR,
  'ieee802.11': ARPHRD.IEEE80211,
  'ieee802.11/prism': ARPHRD.IEEE80211_PRISM,
  'ieee802.11/radiotap': ARPHRD.IEEE80211_RADIOTAP,
  'ieee802.15.4': ARPHRD.IEEE802154,
  phonet: ARPHRD.PHONET,
  phonet_pipe: ARPHRD.PHONET_PIPE,
  caif: ARPHRD.CAIF,
  gre6: ARPHRD.IP6GRE,
  netlink: ARPHRD.NETLINK,
  none: ARPHRD.NONE,
  void: ARPHRD.VOID,
});
/** Link type names. */
export type LinkType = keyof typeof linkType.values;

/** IFLA_OPERSTATE (IF_OPER_*), upper case as iproute2 prints it. */
export const operState = enumSpec('operstate', {
  UNKNOWN: IF_OPER.UNKNOWN,
  NOTPRESENT: IF_OPER.NOTPRESENT,
  DOWN: IF_OPER.DOWN,
  LOWERLAYERDOWN: IF_OPER.LOWERLAYERDOWN,
  TESTING: IF_OPER.TESTING,
  DORMANT: IF_OPER.DORMANT,
  UP: IF_OPER.UP,
});

/** IFLA_LINKMODE (IF_LINK_MODE_*). */
export const linkMode = enumSpec('linkmode', {
  DEFAULT: IF_LINK_MODE.DEFAULT,
  DORMANT: IF_LINK_MODE.DORMANT,
  TESTING: IF_LINK_MODE.TESTING,
});

/** ifa_flags / IFA_FLAGS (IFA_F_*), named as iproute2 prints them (IFA_F_TEMPORARY is 'secondary' for IPv4 too). */
export const addressFlags = flagsSpec('ifa_flags', {
  secondary: IFA_F.SECONDARY,
  nodad: IFA_F.NODAD,
  optimistic: IFA_F.OPTIMISTIC,
  dadfailed: IFA_F.DADFAILED,
  home: IFA_F.HOMEADDRESS,
  deprecated: IFA_F.DEPRECATED,
  tentative: IFA_F.TENTATIVE,
  permanent: IFA_F.PERMANENT,
  mngtmpaddr: IFA_F.MANAGETEMPADDR,
  noprefixroute: IFA_F.NOPREFIXROUTE,
  autojoin: IFA_F.MCAUTOJOIN,
  'stable-privacy': IFA_F.STABLE_PRIVACY,
});
/** Address flag names. */
export type AddressFlag = keyof typeof addressFlags.bits;

/** IFA_PROTO (IFAPROT_*): who added an address. */
export const addressProto = enumSpec('ifa_proto', {
  unspec: IFAPROT.UNSPEC,
  kernel_lo: IFAPROT.KERNEL_LO,
  kernel_ra: IFAPROT.KERNEL_RA,
  kernel_ll: IFAPROT.KERNEL_LL,
});

/** ndm_state (NUD_*), a bit mask; lower case as `ip neigh` accepts them. */
export const neighState = flagsSpec('ndm_state', {
  incomplete: NUD.INCOMPLETE,
  reachable: NUD.REACHABLE,
  stale: NUD.STALE,
  delay: NUD.DELAY,
  probe: NUD.PROBE,
  failed: NUD.FAILED,
  noarp: NUD.NOARP,
  permanent: NUD.PERMANENT,
});
/** Neighbour state names. */
export type NeighState = keyof typeof neighState.bits;

/** ndm_flags (NTF_*). */
export const neighFlags = flagsSpec('ndm_flags', {
  use: NTF.USE,
  self: NTF.SELF,
  master: NTF.MASTER,
  proxy: NTF.PROXY,
  extern_learn: NTF.EXT_LEARNED,
  offload: NTF.OFFLOADED,
  sticky: NTF.STICKY,
  router: NTF.ROUTER,
});
/** Neighbour flag names. */
export type NeighFlag = keyof typeof neighFlags.bits;

/** NDA_FLAGS_EXT (NTF_EXT_*). */
export const neighFlagsExt = flagsSpec('ndm_flags_ext', {
  managed: NTF_EXT.MANAGED,
  locked: NTF_EXT.LOCKED,
  ext_validated: NTF_EXT.EXT_VALIDATED,
});

/** fib_rule_hdr.action (FR_ACT_*), as iproute2 names them. */
export const ruleAction = enumSpec('fr_action', {
  unspec: FR_ACT.UNSPEC,
  to_tbl: FR_ACT.TO_TBL,
  goto: FR_ACT.GOTO,
  nop: FR_ACT.NOP,
  blackhole: FR_ACT.BLACKHOLE,
  unreachable: FR_ACT.UNREACHABLE,
  prohibit: FR_ACT.PROHIBIT,
});
/** Rule action names. */
export type RuleAction = keyof typeof ruleAction.values;

/** fib_rule_hdr.flags (FIB_RULE_*). */
export const ruleFlags = flagsSpec('fib_rule_flags', {
  permanent: FIB_RULE.PERMANENT,
  invert: FIB_RULE.INVERT,
  unresolved: FIB_RULE.UNRESOLVED,
  iif_detached: FIB_RULE.IIF_DETACHED,
  oif_detached: FIB_RULE.OIF_DETACHED,
  find_saddr: FIB_RULE.FIND_SADDR,
});

/** RTA_PREF (ICMPV6_ROUTER_PREF_*). */
export const routerPref = enumSpec('rta_pref', {
  medium: ICMPV6_ROUTER_PREF.MEDIUM,
  high: ICMPV6_ROUTER_PREF.HIGH,
  invalid: ICMPV6_ROUTER_PREF.INVALID,
  low: ICMPV6_ROUTER_PREF.LOW,
});

/** RTA_ENCAP_TYPE / NHA_ENCAP_TYPE (LWTUNNEL_ENCAP_*), as iproute2 names them. */
export const encapType = enumSpec('lwtunnel_encap', {
  none: LWTUNNEL_ENCAP.NONE,
  mpls: LWTUNNEL_ENCAP.MPLS,
  ip: LWTUNNEL_ENCAP.IP,
  ila: LWTUNNEL_ENCAP.ILA,
  ip6: LWTUNNEL_ENCAP.IP6,
  seg6: LWTUNNEL_ENCAP.SEG6,
  bpf: LWTUNNEL_ENCAP.BPF,
  seg6local: LWTUNNEL_ENCAP.SEG6_LOCAL,
  rpl: LWTUNNEL_ENCAP.RPL,
  ioam6: LWTUNNEL_ENCAP.IOAM6,
  xfrm: LWTUNNEL_ENCAP.XFRM,
});

/** RTAX_FEATURES bits (RTAX_FEATURE_*). */
export const metricFeatures = flagsSpec('rtax_features', {
  ecn: RTAX_FEATURE.ECN,
  sack: RTAX_FEATURE.SACK,
  timestamp: RTAX_FEATURE.TIMESTAMP,
  allfrag: RTAX_FEATURE.ALLFRAG,
});

/** NHA_GROUP_TYPE (NEXTHOP_GRP_TYPE_*). */
export const nexthopGroupType = enumSpec('nexthop_grp_type', {
  mpath: NEXTHOP_GRP_TYPE.MPATH,
  resilient: NEXTHOP_GRP_TYPE.RES,
});

/** IFLA_INET6_ADDR_GEN_MODE (IN6_ADDR_GEN_MODE_*). */
export const addrGenMode = enumSpec('in6_addr_gen_mode', {
  eui64: IN6_ADDR_GEN_MODE.EUI64,
  none: IN6_ADDR_GEN_MODE.NONE,
  stable_secret: IN6_ADDR_GEN_MODE.STABLE_PRIVACY,
  random: IN6_ADDR_GEN_MODE.RANDOM,
});

/** IFLA_XDP_ATTACHED (XDP_ATTACHED_*). */
export const xdpAttached = enumSpec('xdp_attached', {
  none: XDP_ATTACHED.NONE,
  drv: XDP_ATTACHED.DRV,
  skb: XDP_ATTACHED.SKB,
  hw: XDP_ATTACHED.HW,
  multi: XDP_ATTACHED.MULTI,
});

/** IFLA_XDP_FLAGS (XDP_FLAGS_*). */
export const xdpFlags = flagsSpec('xdp_flags', {
  update_if_noexist: XDP_FLAGS.UPDATE_IF_NOEXIST,
  skb_mode: XDP_FLAGS.SKB_MODE,
  drv_mode: XDP_FLAGS.DRV_MODE,
  hw_mode: XDP_FLAGS.HW_MODE,
  replace: XDP_FLAGS.REPLACE,
});

/** IFLA_MACVLAN_MODE (MACVLAN_MODE_*). */
export const macvlanMode = enumSpec('macvlan_mode', {
  private: MACVLAN_MODE.PRIVATE,
  vepa: MACVLAN_MODE.VEPA,
  bridge: MACVLAN_MODE.BRIDGE,
  passthru: MACVLAN_MODE.PASSTHRU,
  source: MACVLAN_MODE.SOURCE,
});

/** IFLA_MACVLAN_FLAGS (MACVLAN_FLAG_*). */
export const macvlanFlags = flagsSpec('macvlan_flags', {
  nopromisc: MACVLAN_FLAG.NOPROMISC,
  nodst: MACVLAN_FLAG.NODST,
});

/** IFLA_MACVLAN_MACADDR_MODE (MACVLAN_MACADDR_*). */
export const macvlanMacaddrMode = enumSpec('macvlan_macaddr_mode', {
  add: MACVLAN_MACADDR.ADD,
  del: MACVLAN_MACADDR.DEL,
  flush: MACVLAN_MACADDR.FLUSH,
  set: MACVLAN_MACADDR.SET,
});

/** VXLAN_DF (VXLAN_DF_*). */
export const vxlanDf = enumSpec('vxlan_df', {
  unset: VXLAN_DF.UNSET,
  set: VXLAN_DF.SET,
  inherit: VXLAN_DF.INHERIT,
});

/** IFLA_VLAN_PROTOCOL (ETH_P_8021Q / ETH_P_8021AD), as iproute2 names them. */
export const vlanProtocol = enumSpec('vlan_protocol', {
  '802.1Q': ETH_P['8021Q'],
  '802.1ad': ETH_P['8021AD'],
});

/** IFLA_BRPORT_STATE (BR_STATE_*). */
export const bridgePortState = enumSpec('br_state', {
  disabled: BR_STATE.DISABLED,
  listening: BR_STATE.LISTENING,
  learning: BR_STATE.LEARNING,
  forwarding: BR_STATE.FORWARDING,
  blocking: BR_STATE.BLOCKING,
});

/** bridge_vlan_info.flags (BRIDGE_VLAN_INFO_*). */
export const bridgeVlanFlags = flagsSpec('bridge_vlan_info_flags', {
  master: BRIDGE_VLAN_INFO.MASTER,
  pvid: BRIDGE_VLAN_INFO.PVID,
  untagged: BRIDGE_VLAN_INFO.UNTAGGED,
  range_begin: BRIDGE_VLAN_INFO.RANGE_BEGIN,
  range_end: BRIDGE_VLAN_INFO.RANGE_END,
  brentry: BRIDGE_VLAN_INFO.BRENTRY,
  only_opts: BRIDGE_VLAN_INFO.ONLY_OPTS,
});
