// rtnetlink constants, named as in the kernel UAPI headers: each table `X` holds the values of
// the C names `X_<key>` (`RTM.NEWLINK` is RTM_NEWLINK) and `X_NAME` the C name of each value.
// They are generated from <linux/rtnetlink.h>, <linux/if_link.h>, <linux/if_addr.h>,
// <linux/neighbour.h>, <linux/fib_rules.h>, <linux/nexthop.h>, <linux/netconf.h>,
// <linux/net_namespace.h>, <linux/if.h>, <linux/if_arp.h>, <linux/lwtunnel.h>,
// <linux/if_bridge.h>, <linux/veth.h>, <linux/if_tun.h>, <linux/ip.h>, <linux/ipv6.h>,
// <linux/icmpv6.h>, <linux/if_ether.h>, <linux/pkt_sched.h>, <linux/pkt_cls.h>,
// <linux/gen_stats.h>, <linux/tc_act/tc_mirred.h>, <linux/tc_act/tc_gact.h> and <bits/socket.h> into gen/rtnetlink.ts by
// scripts/gen-constants.mjs (`npm run gen`); values newer than the installed headers come
// from scripts/uapi-newer.h. test/gen-constants.test.ts regenerates and diffs.
export * from './gen/rtnetlink.js';
