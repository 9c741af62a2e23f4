// rtnetlink constants, named as in the kernel UAPI headers: each table `X` holds the values of
// the C names `X_<key>` (`RTM.NEWLINK` is RTM_NEWLINK). They are facts of <linux/rtnetlink.h>,
// <linux/if_link.h>, <linux/if_addr.h>, <linux/neighbour.h>, <linux/fib_rules.h>,
// <linux/nexthop.h>, <linux/netconf.h>, <linux/net_namespace.h>, <linux/if.h>, <linux/if_arp.h>,
// <linux/lwtunnel.h>, <linux/if_bridge.h>, <linux/veth.h>, <linux/if_tun.h>, <linux/ipv6.h>;
// test/route-uapi.test.ts checks every value against the installed headers, and values the
// installed headers are too old to have against the header's enum bounds.
//
// The tables were extracted from the headers once and are maintained by hand (no generator).

/** RTM_* values. */
export const RTM = {
  NEWLINK: 16,
  DELLINK: 17,
  GETLINK: 18,
  SETLINK: 19,
  NEWADDR: 20,
  DELADDR: 21,
  GETADDR: 22,
  NEWROUTE: 24,
  DELROUTE: 25,
  GETROUTE: 26,
  NEWNEIGH: 28,
  DELNEIGH: 29,
  GETNEIGH: 30,
  NEWRULE: 32,
  DELRULE: 33,
  GETRULE: 34,
  NEWQDISC: 36,
  DELQDISC: 37,
  GETQDISC: 38,
  NEWTCLASS: 40,
  DELTCLASS: 41,
  GETTCLASS: 42,
  NEWTFILTER: 44,
  DELTFILTER: 45,
  GETTFILTER: 46,
  NEWACTION: 48,
  DELACTION: 49,
  GETACTION: 50,
  NEWPREFIX: 52,
  // RTM_NEWMULTICAST 56 / DELMULTICAST 57 / NEWANYCAST 60 / DELANYCAST 61 are newer than the installed headers
  NEWMULTICAST: 56,
  DELMULTICAST: 57,
  GETMULTICAST: 58,
  NEWANYCAST: 60,
  DELANYCAST: 61,
  GETANYCAST: 62,
  NEWNEIGHTBL: 64,
  GETNEIGHTBL: 66,
  SETNEIGHTBL: 67,
  NEWNDUSEROPT: 68,
  NEWADDRLABEL: 72,
  DELADDRLABEL: 73,
  GETADDRLABEL: 74,
  GETDCB: 78,
  SETDCB: 79,
  NEWNETCONF: 80,
  DELNETCONF: 81,
  GETNETCONF: 82,
  NEWMDB: 84,
  DELMDB: 85,
  GETMDB: 86,
  NEWNSID: 88,
  DELNSID: 89,
  GETNSID: 90,
  NEWSTATS: 92,
  GETSTATS: 94,
  SETSTATS: 95,
  NEWCACHEREPORT: 96,
  NEWCHAIN: 100,
  DELCHAIN: 101,
  GETCHAIN: 102,
  NEWNEXTHOP: 104,
  DELNEXTHOP: 105,
  GETNEXTHOP: 106,
  NEWLINKPROP: 108,
  DELLINKPROP: 109,
  GETLINKPROP: 110,
  NEWVLAN: 112,
  DELVLAN: 113,
  GETVLAN: 114,
  NEWNEXTHOPBUCKET: 116,
  DELNEXTHOPBUCKET: 117,
  GETNEXTHOPBUCKET: 118,
  NEWTUNNEL: 120,
  DELTUNNEL: 121,
  GETTUNNEL: 122,
} as const;

/** RTM_F_* values. */
export const RTM_F = {
  NOTIFY: 256,
  CLONED: 512,
  EQUALIZE: 1024,
  PREFIX: 2048,
  LOOKUP_TABLE: 4096,
  FIB_MATCH: 8192,
  OFFLOAD: 16384,
  TRAP: 32768,
  OFFLOAD_FAILED: 536870912,
} as const;

/** RTN_* values. */
export const RTN = {
  UNSPEC: 0,
  UNICAST: 1,
  LOCAL: 2,
  BROADCAST: 3,
  ANYCAST: 4,
  MULTICAST: 5,
  BLACKHOLE: 6,
  UNREACHABLE: 7,
  PROHIBIT: 8,
  THROW: 9,
  NAT: 10,
  XRESOLVE: 11,
} as const;

/** RT_SCOPE_* values. */
export const RT_SCOPE = {
  UNIVERSE: 0,
  SITE: 200,
  LINK: 253,
  HOST: 254,
  NOWHERE: 255,
} as const;

/** RTPROT_* values. */
export const RTPROT = {
  UNSPEC: 0,
  REDIRECT: 1,
  KERNEL: 2,
  BOOT: 3,
  STATIC: 4,
  GATED: 8,
  RA: 9,
  MRT: 10,
  ZEBRA: 11,
  BIRD: 12,
  DNROUTED: 13,
  XORP: 14,
  NTK: 15,
  DHCP: 16,
  MROUTED: 17,
  KEEPALIVED: 18,
  BABEL: 42,
  OPENR: 99,
  BGP: 186,
  ISIS: 187,
  OSPF: 188,
  RIP: 189,
  EIGRP: 192,
} as const;

/** RT_TABLE_* values. */
export const RT_TABLE = {
  UNSPEC: 0,
  COMPAT: 252,
  DEFAULT: 253,
  MAIN: 254,
  LOCAL: 255,
} as const;

/** RTA_* values. */
export const RTA = {
  UNSPEC: 0,
  DST: 1,
  SRC: 2,
  IIF: 3,
  OIF: 4,
  GATEWAY: 5,
  PRIORITY: 6,
  PREFSRC: 7,
  METRICS: 8,
  MULTIPATH: 9,
  PROTOINFO: 10,
  FLOW: 11,
  CACHEINFO: 12,
  SESSION: 13,
  MP_ALGO: 14,
  TABLE: 15,
  MARK: 16,
  MFC_STATS: 17,
  VIA: 18,
  NEWDST: 19,
  PREF: 20,
  ENCAP_TYPE: 21,
  ENCAP: 22,
  EXPIRES: 23,
  PAD: 24,
  UID: 25,
  TTL_PROPAGATE: 26,
  IP_PROTO: 27,
  SPORT: 28,
  DPORT: 29,
  NH_ID: 30,
  // newer than the installed headers (linux-libc-dev 6.1):
  FLOWLABEL: 31,
} as const;

/** RTAX_* values. */
export const RTAX = {
  UNSPEC: 0,
  LOCK: 1,
  MTU: 2,
  WINDOW: 3,
  RTT: 4,
  RTTVAR: 5,
  SSTHRESH: 6,
  CWND: 7,
  ADVMSS: 8,
  REORDERING: 9,
  HOPLIMIT: 10,
  INITCWND: 11,
  FEATURES: 12,
  RTO_MIN: 13,
  INITRWND: 14,
  QUICKACK: 15,
  CC_ALGO: 16,
  FASTOPEN_NO_COOKIE: 17,
} as const;

/** RTAX_FEATURE_* values. */
export const RTAX_FEATURE = {
  ECN: 1,
  SACK: 2,
  TIMESTAMP: 4,
  ALLFRAG: 8,
} as const;

/** RTNH_F_* values. */
export const RTNH_F = {
  DEAD: 1,
  PERVASIVE: 2,
  ONLINK: 4,
  OFFLOAD: 8,
  LINKDOWN: 16,
  UNRESOLVED: 32,
  TRAP: 64,
} as const;

/** RTNLGRP_* values. */
export const RTNLGRP = {
  NONE: 0,
  LINK: 1,
  NOTIFY: 2,
  NEIGH: 3,
  TC: 4,
  IPV4_IFADDR: 5,
  IPV4_MROUTE: 6,
  IPV4_ROUTE: 7,
  IPV4_RULE: 8,
  IPV6_IFADDR: 9,
  IPV6_MROUTE: 10,
  IPV6_ROUTE: 11,
  IPV6_IFINFO: 12,
  DECnet_IFADDR: 13,
  NOP2: 14,
  DECnet_ROUTE: 15,
  DECnet_RULE: 16,
  NOP4: 17,
  IPV6_PREFIX: 18,
  IPV6_RULE: 19,
  ND_USEROPT: 20,
  PHONET_IFADDR: 21,
  PHONET_ROUTE: 22,
  DCB: 23,
  IPV4_NETCONF: 24,
  IPV6_NETCONF: 25,
  MDB: 26,
  MPLS_ROUTE: 27,
  NSID: 28,
  MPLS_NETCONF: 29,
  IPV4_MROUTE_R: 30,
  IPV6_MROUTE_R: 31,
  NEXTHOP: 32,
  BRVLAN: 33,
  MCTP_IFADDR: 34,
  TUNNEL: 35,
  STATS: 36,
  // newer than the installed headers (linux-libc-dev 6.1):
  IPV4_MCADDR: 37,
  IPV6_MCADDR: 38,
  IPV6_ACADDR: 39,
} as const;

/** RTEXT_FILTER_* values. */
export const RTEXT_FILTER = {
  VF: 1,
  BRVLAN: 2,
  BRVLAN_COMPRESSED: 4,
  SKIP_STATS: 8,
  MRP: 16,
  CFM_CONFIG: 32,
  CFM_STATUS: 64,
  MST: 128,
} as const;

/** IFLA_* values. */
export const IFLA = {
  UNSPEC: 0,
  ADDRESS: 1,
  BROADCAST: 2,
  IFNAME: 3,
  MTU: 4,
  LINK: 5,
  QDISC: 6,
  STATS: 7,
  COST: 8,
  PRIORITY: 9,
  MASTER: 10,
  WIRELESS: 11,
  PROTINFO: 12,
  TXQLEN: 13,
  MAP: 14,
  WEIGHT: 15,
  OPERSTATE: 16,
  LINKMODE: 17,
  LINKINFO: 18,
  NET_NS_PID: 19,
  IFALIAS: 20,
  NUM_VF: 21,
  VFINFO_LIST: 22,
  STATS64: 23,
  VF_PORTS: 24,
  PORT_SELF: 25,
  AF_SPEC: 26,
  GROUP: 27,
  NET_NS_FD: 28,
  EXT_MASK: 29,
  PROMISCUITY: 30,
  NUM_TX_QUEUES: 31,
  NUM_RX_QUEUES: 32,
  CARRIER: 33,
  PHYS_PORT_ID: 34,
  CARRIER_CHANGES: 35,
  PHYS_SWITCH_ID: 36,
  LINK_NETNSID: 37,
  PHYS_PORT_NAME: 38,
  PROTO_DOWN: 39,
  GSO_MAX_SEGS: 40,
  GSO_MAX_SIZE: 41,
  PAD: 42,
  XDP: 43,
  EVENT: 44,
  NEW_NETNSID: 45,
  IF_NETNSID: 46,
  TARGET_NETNSID: 46,
  CARRIER_UP_COUNT: 47,
  CARRIER_DOWN_COUNT: 48,
  NEW_IFINDEX: 49,
  MIN_MTU: 50,
  MAX_MTU: 51,
  PROP_LIST: 52,
  ALT_IFNAME: 53,
  PERM_ADDRESS: 54,
  PROTO_DOWN_REASON: 55,
  PARENT_DEV_NAME: 56,
  PARENT_DEV_BUS_NAME: 57,
  GRO_MAX_SIZE: 58,
  TSO_MAX_SIZE: 59,
  TSO_MAX_SEGS: 60,
  ALLMULTI: 61,
  // newer than the installed headers (linux-libc-dev 6.1):
  DEVLINK_PORT: 62,
  GSO_IPV4_MAX_SIZE: 63,
  GRO_IPV4_MAX_SIZE: 64,
  DPLL_PIN: 65,
  MAX_PACING_OFFLOAD_HORIZON: 66,
  NETNS_IMMUTABLE: 67,
  HEADROOM: 68,
  TAILROOM: 69,
} as const;

/** IFLA_PROTO_DOWN_REASON_* values. */
export const IFLA_PROTO_DOWN_REASON = {
  UNSPEC: 0,
  MASK: 1,
  VALUE: 2,
} as const;

/** IFLA_INFO_* values. */
export const IFLA_INFO = {
  UNSPEC: 0,
  KIND: 1,
  DATA: 2,
  XSTATS: 3,
  SLAVE_KIND: 4,
  SLAVE_DATA: 5,
} as const;

/** IFLA_INET_* values. */
export const IFLA_INET = {
  UNSPEC: 0,
  CONF: 1,
} as const;

/** IFLA_INET6_* values. */
export const IFLA_INET6 = {
  UNSPEC: 0,
  FLAGS: 1,
  CONF: 2,
  STATS: 3,
  MCAST: 4,
  CACHEINFO: 5,
  ICMP6STATS: 6,
  TOKEN: 7,
  ADDR_GEN_MODE: 8,
  RA_MTU: 9,
} as const;

/** IFLA_BR_* values. */
export const IFLA_BR = {
  UNSPEC: 0,
  FORWARD_DELAY: 1,
  HELLO_TIME: 2,
  MAX_AGE: 3,
  AGEING_TIME: 4,
  STP_STATE: 5,
  PRIORITY: 6,
  VLAN_FILTERING: 7,
  VLAN_PROTOCOL: 8,
  GROUP_FWD_MASK: 9,
  ROOT_ID: 10,
  BRIDGE_ID: 11,
  ROOT_PORT: 12,
  ROOT_PATH_COST: 13,
  TOPOLOGY_CHANGE: 14,
  TOPOLOGY_CHANGE_DETECTED: 15,
  HELLO_TIMER: 16,
  TCN_TIMER: 17,
  TOPOLOGY_CHANGE_TIMER: 18,
  GC_TIMER: 19,
  GROUP_ADDR: 20,
  FDB_FLUSH: 21,
  MCAST_ROUTER: 22,
  MCAST_SNOOPING: 23,
  MCAST_QUERY_USE_IFADDR: 24,
  MCAST_QUERIER: 25,
  MCAST_HASH_ELASTICITY: 26,
  MCAST_HASH_MAX: 27,
  MCAST_LAST_MEMBER_CNT: 28,
  MCAST_STARTUP_QUERY_CNT: 29,
  MCAST_LAST_MEMBER_INTVL: 30,
  MCAST_MEMBERSHIP_INTVL: 31,
  MCAST_QUERIER_INTVL: 32,
  MCAST_QUERY_INTVL: 33,
  MCAST_QUERY_RESPONSE_INTVL: 34,
  MCAST_STARTUP_QUERY_INTVL: 35,
  NF_CALL_IPTABLES: 36,
  NF_CALL_IP6TABLES: 37,
  NF_CALL_ARPTABLES: 38,
  VLAN_DEFAULT_PVID: 39,
  PAD: 40,
  VLAN_STATS_ENABLED: 41,
  MCAST_STATS_ENABLED: 42,
  MCAST_IGMP_VERSION: 43,
  MCAST_MLD_VERSION: 44,
  VLAN_STATS_PER_PORT: 45,
  MULTI_BOOLOPT: 46,
  MCAST_QUERIER_STATE: 47,
  // newer than the installed headers (linux-libc-dev 6.1):
  FDB_N_LEARNED: 48,
  FDB_MAX_LEARNED: 49,
} as const;

/** IFLA_BRPORT_* values. */
export const IFLA_BRPORT = {
  UNSPEC: 0,
  STATE: 1,
  PRIORITY: 2,
  COST: 3,
  MODE: 4,
  GUARD: 5,
  PROTECT: 6,
  FAST_LEAVE: 7,
  LEARNING: 8,
  UNICAST_FLOOD: 9,
  PROXYARP: 10,
  LEARNING_SYNC: 11,
  PROXYARP_WIFI: 12,
  ROOT_ID: 13,
  BRIDGE_ID: 14,
  DESIGNATED_PORT: 15,
  DESIGNATED_COST: 16,
  ID: 17,
  NO: 18,
  TOPOLOGY_CHANGE_ACK: 19,
  CONFIG_PENDING: 20,
  MESSAGE_AGE_TIMER: 21,
  FORWARD_DELAY_TIMER: 22,
  HOLD_TIMER: 23,
  FLUSH: 24,
  MULTICAST_ROUTER: 25,
  PAD: 26,
  MCAST_FLOOD: 27,
  MCAST_TO_UCAST: 28,
  VLAN_TUNNEL: 29,
  BCAST_FLOOD: 30,
  GROUP_FWD_MASK: 31,
  NEIGH_SUPPRESS: 32,
  ISOLATED: 33,
  BACKUP_PORT: 34,
  MRP_RING_OPEN: 35,
  MRP_IN_OPEN: 36,
  MCAST_EHT_HOSTS_LIMIT: 37,
  MCAST_EHT_HOSTS_CNT: 38,
  LOCKED: 39,
  // newer than the installed headers (linux-libc-dev 6.1):
  MAB: 40,
  MCAST_N_GROUPS: 41,
  MCAST_MAX_GROUPS: 42,
  NEIGH_VLAN_SUPPRESS: 43,
  BACKUP_NHID: 44,
} as const;

/** IFLA_VXLAN_* values. */
export const IFLA_VXLAN = {
  UNSPEC: 0,
  ID: 1,
  GROUP: 2,
  LINK: 3,
  LOCAL: 4,
  TTL: 5,
  TOS: 6,
  LEARNING: 7,
  AGEING: 8,
  LIMIT: 9,
  PORT_RANGE: 10,
  PROXY: 11,
  RSC: 12,
  L2MISS: 13,
  L3MISS: 14,
  PORT: 15,
  GROUP6: 16,
  LOCAL6: 17,
  UDP_CSUM: 18,
  UDP_ZERO_CSUM6_TX: 19,
  UDP_ZERO_CSUM6_RX: 20,
  REMCSUM_TX: 21,
  REMCSUM_RX: 22,
  GBP: 23,
  REMCSUM_NOPARTIAL: 24,
  COLLECT_METADATA: 25,
  LABEL: 26,
  GPE: 27,
  TTL_INHERIT: 28,
  DF: 29,
  VNIFILTER: 30,
  // newer than the installed headers (linux-libc-dev 6.1):
  LOCALBYPASS: 31,
  LABEL_POLICY: 32,
  RESERVED_BITS: 33,
  MC_ROUTE: 34,
} as const;

/** VXLAN_DF_* values. */
export const VXLAN_DF = {
  UNSET: 0,
  SET: 1,
  INHERIT: 2,
} as const;

/** IFLA_MACVLAN_* values. */
export const IFLA_MACVLAN = {
  UNSPEC: 0,
  MODE: 1,
  FLAGS: 2,
  MACADDR_MODE: 3,
  MACADDR: 4,
  MACADDR_DATA: 5,
  MACADDR_COUNT: 6,
  BC_QUEUE_LEN: 7,
  BC_QUEUE_LEN_USED: 8,
  // newer than the installed headers (linux-libc-dev 6.1):
  BC_CUTOFF: 9,
} as const;

/** IFLA_VLAN_* values. */
export const IFLA_VLAN = {
  UNSPEC: 0,
  ID: 1,
  FLAGS: 2,
  EGRESS_QOS: 3,
  INGRESS_QOS: 4,
  PROTOCOL: 5,
} as const;

/** IFLA_VLAN_QOS_* values. */
export const IFLA_VLAN_QOS = {
  UNSPEC: 0,
  MAPPING: 1,
} as const;

/** IFLA_TUN_* values. */
export const IFLA_TUN = {
  UNSPEC: 0,
  OWNER: 1,
  GROUP: 2,
  TYPE: 3,
  PI: 4,
  VNET_HDR: 5,
  PERSIST: 6,
  MULTI_QUEUE: 7,
  NUM_QUEUES: 8,
  NUM_DISABLED_QUEUES: 9,
} as const;

/** VETH_INFO_* values. */
export const VETH_INFO = {
  UNSPEC: 0,
  PEER: 1,
} as const;

/** IFLA_XDP_* values. */
export const IFLA_XDP = {
  UNSPEC: 0,
  FD: 1,
  ATTACHED: 2,
  FLAGS: 3,
  PROG_ID: 4,
  DRV_PROG_ID: 5,
  SKB_PROG_ID: 6,
  HW_PROG_ID: 7,
  EXPECTED_FD: 8,
} as const;

/** XDP_ATTACHED_* values. */
export const XDP_ATTACHED = {
  NONE: 0,
  DRV: 1,
  SKB: 2,
  HW: 3,
  MULTI: 4,
} as const;

/** XDP_FLAGS_* values. */
export const XDP_FLAGS = {
  UPDATE_IF_NOEXIST: 1,
  SKB_MODE: 2,
  DRV_MODE: 4,
  HW_MODE: 8,
  REPLACE: 16,
} as const;

/** IFLA_BRIDGE_* values. */
export const IFLA_BRIDGE = {
  FLAGS: 0,
  MODE: 1,
  VLAN_INFO: 2,
  VLAN_TUNNEL_INFO: 3,
  MRP: 4,
  CFM: 5,
  MST: 6,
} as const;

/** BRIDGE_VLAN_INFO_* values. */
export const BRIDGE_VLAN_INFO = {
  MASTER: 1,
  PVID: 2,
  UNTAGGED: 4,
  RANGE_BEGIN: 8,
  RANGE_END: 16,
  BRENTRY: 32,
  ONLY_OPTS: 64,
} as const;

/** BRIDGE_FLAGS_* values. */
export const BRIDGE_FLAGS = {
  MASTER: 1,
  SELF: 2,
} as const;

/** BR_STATE_* values. */
export const BR_STATE = {
  DISABLED: 0,
  LISTENING: 1,
  LEARNING: 2,
  FORWARDING: 3,
  BLOCKING: 4,
} as const;

/** MACVLAN_MODE_* values. */
export const MACVLAN_MODE = {
  PRIVATE: 1,
  VEPA: 2,
  BRIDGE: 4,
  PASSTHRU: 8,
  SOURCE: 16,
} as const;

/** MACVLAN_FLAG_* values. */
export const MACVLAN_FLAG = {
  NOPROMISC: 1,
  NODST: 2,
} as const;

/** MACVLAN_MACADDR_* values. */
export const MACVLAN_MACADDR = {
  ADD: 0,
  DEL: 1,
  FLUSH: 2,
  SET: 3,
} as const;

/** IFA_* values. */
export const IFA = {
  UNSPEC: 0,
  ADDRESS: 1,
  LOCAL: 2,
  LABEL: 3,
  BROADCAST: 4,
  ANYCAST: 5,
  CACHEINFO: 6,
  MULTICAST: 7,
  FLAGS: 8,
  RT_PRIORITY: 9,
  TARGET_NETNSID: 10,
  PROTO: 11,
} as const;

/** IFA_F_* values. */
export const IFA_F = {
  SECONDARY: 1,
  TEMPORARY: 1,
  NODAD: 2,
  OPTIMISTIC: 4,
  DADFAILED: 8,
  HOMEADDRESS: 16,
  DEPRECATED: 32,
  TENTATIVE: 64,
  PERMANENT: 128,
  MANAGETEMPADDR: 256,
  NOPREFIXROUTE: 512,
  MCAUTOJOIN: 1024,
  STABLE_PRIVACY: 2048,
} as const;

/** IFAPROT_* values. */
export const IFAPROT = {
  UNSPEC: 0,
  KERNEL_LO: 1,
  KERNEL_RA: 2,
  KERNEL_LL: 3,
} as const;

/** NDA_* values. */
export const NDA = {
  UNSPEC: 0,
  DST: 1,
  LLADDR: 2,
  CACHEINFO: 3,
  PROBES: 4,
  VLAN: 5,
  PORT: 6,
  VNI: 7,
  IFINDEX: 8,
  MASTER: 9,
  LINK_NETNSID: 10,
  SRC_VNI: 11,
  PROTOCOL: 12,
  NH_ID: 13,
  FDB_EXT_ATTRS: 14,
  FLAGS_EXT: 15,
  NDM_STATE_MASK: 16,
  NDM_FLAGS_MASK: 17,
} as const;

/** NUD_* values. */
export const NUD = {
  INCOMPLETE: 1,
  REACHABLE: 2,
  STALE: 4,
  DELAY: 8,
  PROBE: 16,
  FAILED: 32,
  NOARP: 64,
  PERMANENT: 128,
  NONE: 0,
} as const;

/** NTF_* values. */
export const NTF = {
  USE: 1,
  SELF: 2,
  MASTER: 4,
  PROXY: 8,
  EXT_LEARNED: 16,
  OFFLOADED: 32,
  STICKY: 64,
  ROUTER: 128,
} as const;

/** NTF_EXT_* values. */
export const NTF_EXT = {
  MANAGED: 1,
  // newer than the installed headers (linux-libc-dev 6.1):
  LOCKED: 2,
  EXT_VALIDATED: 4,
} as const;

/** FRA_* values. */
export const FRA = {
  UNSPEC: 0,
  DST: 1,
  SRC: 2,
  IIFNAME: 3,
  GOTO: 4,
  UNUSED2: 5,
  PRIORITY: 6,
  UNUSED3: 7,
  UNUSED4: 8,
  UNUSED5: 9,
  FWMARK: 10,
  FLOW: 11,
  TUN_ID: 12,
  SUPPRESS_IFGROUP: 13,
  SUPPRESS_PREFIXLEN: 14,
  TABLE: 15,
  FWMASK: 16,
  OIFNAME: 17,
  PAD: 18,
  L3MDEV: 19,
  UID_RANGE: 20,
  PROTOCOL: 21,
  IP_PROTO: 22,
  SPORT_RANGE: 23,
  DPORT_RANGE: 24,
  IFNAME: 3,
  // newer than the installed headers (linux-libc-dev 6.1):
  DSCP: 25,
  FLOWLABEL: 26,
  FLOWLABEL_MASK: 27,
  SPORT_MASK: 28,
  DPORT_MASK: 29,
  DSCP_MASK: 30,
} as const;

/** FR_ACT_* values. */
export const FR_ACT = {
  UNSPEC: 0,
  TO_TBL: 1,
  GOTO: 2,
  NOP: 3,
  RES3: 4,
  RES4: 5,
  BLACKHOLE: 6,
  UNREACHABLE: 7,
  PROHIBIT: 8,
} as const;

/** FIB_RULE_* values. */
export const FIB_RULE = {
  PERMANENT: 1,
  INVERT: 2,
  UNRESOLVED: 4,
  IIF_DETACHED: 8,
  DEV_DETACHED: 8,
  OIF_DETACHED: 16,
  FIND_SADDR: 65536,
} as const;

/** NHA_* values. */
export const NHA = {
  UNSPEC: 0,
  ID: 1,
  GROUP: 2,
  GROUP_TYPE: 3,
  BLACKHOLE: 4,
  OIF: 5,
  GATEWAY: 6,
  ENCAP_TYPE: 7,
  ENCAP: 8,
  GROUPS: 9,
  MASTER: 10,
  FDB: 11,
  RES_GROUP: 12,
  RES_BUCKET: 13,
  // newer than the installed headers (linux-libc-dev 6.1):
  OP_FLAGS: 14,
  GROUP_STATS: 15,
  HW_STATS_ENABLE: 16,
  HW_STATS_USED: 17,
} as const;

/** NHA_RES_GROUP_* values. */
export const NHA_RES_GROUP = {
  UNSPEC: 0,
  PAD: 0,
  BUCKETS: 1,
  IDLE_TIMER: 2,
  UNBALANCED_TIMER: 3,
  UNBALANCED_TIME: 4,
} as const;

/** NHA_RES_BUCKET_* values. */
export const NHA_RES_BUCKET = {
  UNSPEC: 0,
  PAD: 0,
  INDEX: 1,
  IDLE_TIME: 2,
  NH_ID: 3,
} as const;

/** NEXTHOP_GRP_TYPE_* values. */
export const NEXTHOP_GRP_TYPE = {
  MPATH: 0,
  RES: 1,
} as const;

/** NETCONFA_* values. */
export const NETCONFA = {
  UNSPEC: 0,
  IFINDEX: 1,
  FORWARDING: 2,
  RP_FILTER: 3,
  MC_FORWARDING: 4,
  PROXY_NEIGH: 5,
  IGNORE_ROUTES_WITH_LINKDOWN: 6,
  INPUT: 7,
  BC_FORWARDING: 8,
} as const;

/** NETCONFA_IFINDEX_* values. */
export const NETCONFA_IFINDEX = {
  ALL: -1,
  DEFAULT: -2,
} as const;

/** NETNSA_* values. */
export const NETNSA = {
  NONE: 0,
  NSID: 1,
  PID: 2,
  FD: 3,
  TARGET_NSID: 4,
  CURRENT_NSID: 5,
} as const;

/** IFF_* values. */
export const IFF = {
  UP: 1,
  BROADCAST: 2,
  DEBUG: 4,
  LOOPBACK: 8,
  POINTOPOINT: 16,
  NOTRAILERS: 32,
  RUNNING: 64,
  NOARP: 128,
  PROMISC: 256,
  ALLMULTI: 512,
  MASTER: 1024,
  SLAVE: 2048,
  MULTICAST: 4096,
  PORTSEL: 8192,
  AUTOMEDIA: 16384,
  DYNAMIC: 32768,
  LOWER_UP: 65536,
  DORMANT: 131072,
  ECHO: 262144,
} as const;

/** IF_OPER_* values. */
export const IF_OPER = {
  UNKNOWN: 0,
  NOTPRESENT: 1,
  DOWN: 2,
  LOWERLAYERDOWN: 3,
  TESTING: 4,
  DORMANT: 5,
  UP: 6,
} as const;

/** IF_LINK_MODE_* values. */
export const IF_LINK_MODE = {
  DEFAULT: 0,
  DORMANT: 1,
  TESTING: 2,
} as const;

/** ICMPV6_ROUTER_PREF_* values. */
export const ICMPV6_ROUTER_PREF = {
  LOW: 3,
  MEDIUM: 0,
  HIGH: 1,
  INVALID: 2,
} as const;

/** IN6_ADDR_GEN_MODE_* values. */
export const IN6_ADDR_GEN_MODE = {
  EUI64: 0,
  NONE: 1,
  STABLE_PRIVACY: 2,
  RANDOM: 3,
} as const;

/** LWTUNNEL_ENCAP_* values. */
export const LWTUNNEL_ENCAP = {
  NONE: 0,
  MPLS: 1,
  IP: 2,
  ILA: 3,
  IP6: 4,
  SEG6: 5,
  BPF: 6,
  SEG6_LOCAL: 7,
  RPL: 8,
  IOAM6: 9,
  XFRM: 10,
} as const;

/** LWTUNNEL_IP_* values. */
export const LWTUNNEL_IP = {
  UNSPEC: 0,
  ID: 1,
  DST: 2,
  SRC: 3,
  TTL: 4,
  TOS: 5,
  FLAGS: 6,
  PAD: 7,
  OPTS: 8,
} as const;

/** LWTUNNEL_IP6_* values. */
export const LWTUNNEL_IP6 = {
  UNSPEC: 0,
  ID: 1,
  DST: 2,
  SRC: 3,
  HOPLIMIT: 4,
  TC: 5,
  FLAGS: 6,
  PAD: 7,
  OPTS: 8,
} as const;

/** MPLS_IPTUNNEL_* values. */
export const MPLS_IPTUNNEL = {
  UNSPEC: 0,
  DST: 1,
  TTL: 2,
} as const;

/** IPV4_DEVCONF_* values. */
export const IPV4_DEVCONF = {
  FORWARDING: 1,
  MC_FORWARDING: 2,
  PROXY_ARP: 3,
  ACCEPT_REDIRECTS: 4,
  SECURE_REDIRECTS: 5,
  SEND_REDIRECTS: 6,
  SHARED_MEDIA: 7,
  RP_FILTER: 8,
  ACCEPT_SOURCE_ROUTE: 9,
  BOOTP_RELAY: 10,
  LOG_MARTIANS: 11,
  TAG: 12,
  ARPFILTER: 13,
  MEDIUM_ID: 14,
  NOXFRM: 15,
  NOPOLICY: 16,
  FORCE_IGMP_VERSION: 17,
  ARP_ANNOUNCE: 18,
  ARP_IGNORE: 19,
  PROMOTE_SECONDARIES: 20,
  ARP_ACCEPT: 21,
  ARP_NOTIFY: 22,
  ACCEPT_LOCAL: 23,
  SRC_VMARK: 24,
  PROXY_ARP_PVLAN: 25,
  ROUTE_LOCALNET: 26,
  IGMPV2_UNSOLICITED_REPORT_INTERVAL: 27,
  IGMPV3_UNSOLICITED_REPORT_INTERVAL: 28,
  IGNORE_ROUTES_WITH_LINKDOWN: 29,
  DROP_UNICAST_IN_L2_MULTICAST: 30,
  DROP_GRATUITOUS_ARP: 31,
  BC_FORWARDING: 32,
  ARP_EVICT_NOCARRIER: 33,
} as const;

/** DEVCONF_* values. */
export const DEVCONF = {
  FORWARDING: 0,
  HOPLIMIT: 1,
  MTU6: 2,
  ACCEPT_RA: 3,
  ACCEPT_REDIRECTS: 4,
  AUTOCONF: 5,
  DAD_TRANSMITS: 6,
  RTR_SOLICITS: 7,
  RTR_SOLICIT_INTERVAL: 8,
  RTR_SOLICIT_DELAY: 9,
  USE_TEMPADDR: 10,
  TEMP_VALID_LFT: 11,
  TEMP_PREFERED_LFT: 12,
  REGEN_MAX_RETRY: 13,
  MAX_DESYNC_FACTOR: 14,
  MAX_ADDRESSES: 15,
  FORCE_MLD_VERSION: 16,
  ACCEPT_RA_DEFRTR: 17,
  ACCEPT_RA_PINFO: 18,
  ACCEPT_RA_RTR_PREF: 19,
  RTR_PROBE_INTERVAL: 20,
  ACCEPT_RA_RT_INFO_MAX_PLEN: 21,
  PROXY_NDP: 22,
  OPTIMISTIC_DAD: 23,
  ACCEPT_SOURCE_ROUTE: 24,
  MC_FORWARDING: 25,
  DISABLE_IPV6: 26,
  ACCEPT_DAD: 27,
  FORCE_TLLAO: 28,
  NDISC_NOTIFY: 29,
  MLDV1_UNSOLICITED_REPORT_INTERVAL: 30,
  MLDV2_UNSOLICITED_REPORT_INTERVAL: 31,
  SUPPRESS_FRAG_NDISC: 32,
  ACCEPT_RA_FROM_LOCAL: 33,
  USE_OPTIMISTIC: 34,
  ACCEPT_RA_MTU: 35,
  STABLE_SECRET: 36,
  USE_OIF_ADDRS_ONLY: 37,
  ACCEPT_RA_MIN_HOP_LIMIT: 38,
  IGNORE_ROUTES_WITH_LINKDOWN: 39,
  DROP_UNICAST_IN_L2_MULTICAST: 40,
  DROP_UNSOLICITED_NA: 41,
  KEEP_ADDR_ON_DOWN: 42,
  RTR_SOLICIT_MAX_INTERVAL: 43,
  SEG6_ENABLED: 44,
  SEG6_REQUIRE_HMAC: 45,
  ENHANCED_DAD: 46,
  ADDR_GEN_MODE: 47,
  DISABLE_POLICY: 48,
  ACCEPT_RA_RT_INFO_MIN_PLEN: 49,
  NDISC_TCLASS: 50,
  RPL_SEG_ENABLED: 51,
  RA_DEFRTR_METRIC: 52,
  IOAM6_ENABLED: 53,
  IOAM6_ID: 54,
  IOAM6_ID_WIDE: 55,
  NDISC_EVICT_NOCARRIER: 56,
  ACCEPT_UNTRACKED_NA: 57,
  ACCEPT_RA_MIN_LFT: 58,
} as const;

/** IFLA_EVENT_* values. */
export const IFLA_EVENT = {
  NONE: 0,
  REBOOT: 1,
  FEATURES: 2,
  BONDING_FAILOVER: 3,
  NOTIFY_PEERS: 4,
  IGMP_RESEND: 5,
  BONDING_OPTIONS: 6,
} as const;

/** ARPHRD_* link-layer types (<linux/if_arp.h>), the ones iproute2 names. */
export const ARPHRD = {
  NETROM: 0,
  ETHER: 1,
  EETHER: 2,
  AX25: 3,
  PRONET: 4,
  CHAOS: 5,
  IEEE802: 6,
  ARCNET: 7,
  APPLETLK: 8,
  DLCI: 15,
  ATM: 19,
  METRICOM: 23,
  IEEE1394: 24,
  EUI64: 27,
  INFINIBAND: 32,
  SLIP: 256,
  CSLIP: 257,
  SLIP6: 258,
  CSLIP6: 259,
  RSRVD: 260,
  ADAPT: 264,
  ROSE: 270,
  X25: 271,
  HWX25: 272,
  CAN: 280,
  MCTP: 290,
  PPP: 512,
  CISCO: 513,
  LAPB: 516,
  DDCMP: 517,
  RAWHDLC: 518,
  RAWIP: 519,
  TUNNEL: 768,
  TUNNEL6: 769,
  FRAD: 770,
  SKIP: 771,
  LOOPBACK: 772,
  LOCALTLK: 773,
  FDDI: 774,
  BIF: 775,
  SIT: 776,
  IPDDP: 777,
  IPGRE: 778,
  PIMREG: 779,
  HIPPI: 780,
  ASH: 781,
  ECONET: 782,
  IRDA: 783,
  FCPP: 784,
  FCAL: 785,
  FCPL: 786,
  FCFABRIC: 787,
  IEEE802_TR: 800,
  IEEE80211: 801,
  IEEE80211_PRISM: 802,
  IEEE80211_RADIOTAP: 803,
  IEEE802154: 804,
  IEEE802154_MONITOR: 805,
  PHONET: 820,
  PHONET_PIPE: 821,
  CAIF: 822,
  IP6GRE: 823,
  NETLINK: 824,
  '6LOWPAN': 825,
  VSOCKMON: 826,
  VOID: 0xffff,
  NONE: 0xfffe,
} as const;

/** Pseudo address families of multicast routing rules and routes (<linux/rtnetlink.h>). */
export const RTNL_FAMILY = {
  IPMR: 128,
  IP6MR: 129,
} as const;

/** Address families rtnetlink uses (<bits/socket.h>). */
export const AF = {
  UNSPEC: 0,
  UNIX: 1,
  INET: 2,
  BRIDGE: 7,
  INET6: 10,
  DECnet: 12,
  NETLINK: 16,
  PACKET: 17,
  MPLS: 28,
  CAN: 29,
  MCTP: 45,
} as const;

/** Ethernet protocol ids used by vlan links (<linux/if_ether.h>). */
export const ETH_P = {
  '8021Q': 0x8100,
  '8021AD': 0x88a8,
} as const;
