/*
 * Values newer than the UAPI headers installed here (linux-libc-dev 6.1), as the kernel's own
 * headers declare them: each enum continues a table of the installed headers from its last
 * member, so no number is typed that the kernel derives by counting. scripts/gen-constants.mjs
 * compiles this after the headers; where the headers have a name too, both values must agree.
 * Only enum blocks are read (a kernel #define is written as a one-member enum).
 */

/* <linux/rtnetlink.h>, 6.14: multicast and anycast address notifications. */
enum { RTM_NEWMULTICAST = RTM_GETMULTICAST - 2, RTM_DELMULTICAST };
enum { RTM_NEWANYCAST = RTM_GETANYCAST - 2, RTM_DELANYCAST };

/* <linux/rtnetlink.h>, 6.16: enum rtattr_type_t. */
enum { RTA_FLOWLABEL = RTA_NH_ID + 1 };

/* <linux/rtnetlink.h>, 6.14: enum rtnetlink_groups. */
enum { RTNLGRP_IPV4_MCADDR = RTNLGRP_STATS + 1, RTNLGRP_IPV6_MCADDR, RTNLGRP_IPV6_ACADDR };

/* <linux/if_link.h>, 6.2 to 6.18: the IFLA_* attributes. */
enum {
	IFLA_DEVLINK_PORT = IFLA_ALLMULTI + 1,
	IFLA_GSO_IPV4_MAX_SIZE,
	IFLA_GRO_IPV4_MAX_SIZE,
	IFLA_DPLL_PIN,
	IFLA_MAX_PACING_OFFLOAD_HORIZON,
	IFLA_NETNS_IMMUTABLE,
	IFLA_HEADROOM,
	IFLA_TAILROOM,
};

/* <linux/if_link.h>, 6.7: bridge attributes. */
enum { IFLA_BR_FDB_N_LEARNED = IFLA_BR_MCAST_QUERIER_STATE + 1, IFLA_BR_FDB_MAX_LEARNED };

/* <linux/if_link.h>, 6.2 to 6.7: bridge port attributes. */
enum {
	IFLA_BRPORT_MAB = IFLA_BRPORT_LOCKED + 1,
	IFLA_BRPORT_MCAST_N_GROUPS,
	IFLA_BRPORT_MCAST_MAX_GROUPS,
	IFLA_BRPORT_NEIGH_VLAN_SUPPRESS,
	IFLA_BRPORT_BACKUP_NHID,
};

/* <linux/if_link.h>, 6.8 to 6.16: vxlan attributes. */
enum {
	IFLA_VXLAN_LOCALBYPASS = IFLA_VXLAN_VNIFILTER + 1,
	IFLA_VXLAN_LABEL_POLICY,
	IFLA_VXLAN_RESERVED_BITS,
	IFLA_VXLAN_MC_ROUTE,
};

/* <linux/if_link.h>, 6.4: macvlan attributes. */
enum { IFLA_MACVLAN_BC_CUTOFF = IFLA_MACVLAN_BC_QUEUE_LEN_USED + 1 };

/* <linux/neighbour.h>, 6.2 and 6.16: #define NTF_EXT_LOCKED (1 << 1), NTF_EXT_EXT_VALIDATED (1 << 2). */
enum { NTF_EXT_LOCKED = 1 << 1 };
enum { NTF_EXT_EXT_VALIDATED = 1 << 2 };

/* <linux/fib_rules.h>, 6.12 to 6.15: rule attributes. */
enum {
	FRA_DSCP = FRA_DPORT_RANGE + 1,
	FRA_FLOWLABEL,
	FRA_FLOWLABEL_MASK,
	FRA_SPORT_MASK,
	FRA_DPORT_MASK,
	FRA_DSCP_MASK,
};

/* <linux/nexthop.h>, 6.10 to 6.11: nexthop attributes. */
enum {
	NHA_OP_FLAGS = NHA_RES_BUCKET + 1,
	NHA_GROUP_STATS,
	NHA_HW_STATS_ENABLE,
	NHA_HW_STATS_USED,
};
