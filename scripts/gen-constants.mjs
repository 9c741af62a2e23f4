#!/usr/bin/env node
// Generates nlkit's kernel constants from the Linux UAPI headers: src/wire/gen/netlink.ts,
// src/genl/gen/genetlink.ts, src/route/gen/rtnetlink.ts and the other families' gen/ files. Names are found by reading the
// headers (enum blocks in the preprocessed text, #define lines in the files); every value is
// computed by the C compiler, which is the only thing that reads C expressions right.
// Values newer than the installed headers come from scripts/uapi-newer.h, written in the
// kernel's own terms (anchored on names the headers have); where the headers have them too,
// both must agree.
//
//   node scripts/gen-constants.mjs [--out DIR] [--include DIR] [--newer FILE]   (npm run gen)
//
// --out writes the files under DIR instead of the repository (the test diffs the two);
// --include reads the headers from DIR instead of /usr/include; --newer reads another overlay.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');

// What to generate. A `table` is an object of one C prefix (`RT_SCOPE` -> RT_SCOPE_*), taken
// from the enum block that holds `enum` (plus #define aliases of its members) or from the
// #defines of `headers` with that prefix (only values in `range`, only keys in `only`, when given;
// `as` names the exported table when two share a prefix). `flat` exports C names as they are.
const FILES = [
  {
    path: 'src/wire/gen/netlink.ts',
    what: 'Netlink and socket option constants',
    includes: ['sys/socket.h', 'linux/netlink.h', 'linux/capability.h'],
    flat: [
      { headers: ['linux/netlink.h'], prefixes: ['NETLINK_', 'NLM_F_', 'NLMSG_', 'NLA_', 'NLMSGERR_ATTR_'], exclude: ['NLA_TYPE_MASK', 'NETLINK_NLMSG_ALIGN'] },
      { names: ['SOL_NETLINK', 'SOL_SOCKET', 'SO_SNDBUF', 'SO_RCVBUF', 'SO_SNDBUFFORCE', 'SO_RCVBUFFORCE', 'SO_PASSCRED'] },
      { headers: ['linux/capability.h'], prefixes: ['CAP_NET_ADMIN'] },
    ],
  },
  {
    path: 'src/genl/gen/genetlink.ts',
    what: 'Generic netlink and policy description constants',
    includes: ['linux/netlink.h', 'linux/genetlink.h'],
    flat: [
      { headers: ['linux/genetlink.h'], prefixes: ['GENL_', 'CTRL_CMD_', 'CTRL_ATTR_'] },
      { headers: ['linux/netlink.h'], prefixes: ['NL_ATTR_TYPE_', 'NL_POLICY_TYPE_ATTR_'] },
    ],
  },
  {
    path: 'src/proc/gen/cn_proc.ts',
    what: 'Connector process event constants',
    includes: ['linux/connector.h', 'linux/cn_proc.h'],
    flat: [
      { headers: ['linux/connector.h'], prefixes: ['CN_IDX_PROC', 'CN_VAL_PROC'] },
      { headers: ['linux/cn_proc.h'], prefixes: ['PROC_CN_MCAST_', 'PROC_EVENT_'] },
    ],
  },
  {
    path: 'src/xfrm/gen/xfrm.ts',
    what: 'XFRM (NETLINK_XFRM) constants',
    includes: ['sys/socket.h', 'linux/in.h', 'linux/in6.h', 'linux/xfrm.h', 'linux/ipsec.h', 'linux/udp.h'],
    flat: [
      { names: ['AF_UNSPEC', 'AF_INET', 'AF_INET6'] },
      { headers: ['linux/in.h'], prefixes: ['IPPROTO_ESP', 'IPPROTO_AH', 'IPPROTO_COMP'] },
      { headers: ['linux/in6.h'], prefixes: ['IPPROTO_ROUTING', 'IPPROTO_DSTOPTS'] },
      { headers: ['linux/ipsec.h'], prefixes: ['IPSEC_PROTO_ANY'] },
      { headers: ['linux/udp.h'], prefixes: ['UDP_ENCAP_ESPINUDP', 'TCP_ENCAP_ESPINTCP'] },
      {
        headers: ['linux/xfrm.h'],
        prefixes: ['XFRM_MODE_', 'XFRM_STATE_', 'XFRM_SA_XFLAG_', 'XFRM_POLICY_', 'XFRM_SHARE_', 'XFRM_OFFLOAD_', 'XFRM_AE_', 'XFRMGRP_'],
        exclude: ['XFRM_MODE_MAX', 'XFRM_POLICY_MAX', 'XFRM_POLICY_TYPE_MAX', 'XFRM_POLICY_MASK', 'XFRM_SHARE_MAX'],
      },
    ],
    tables: [
      { name: 'XFRM_MSG', enum: 'NEWSA', exclude: ['BASE'] },
      { name: 'XFRMA', enum: 'ALG_AUTH' },
      { name: 'XFRMA_SAD', enum: 'CNT' },
      { name: 'XFRMA_SPD', enum: 'INFO' },
      { name: 'XFRMNLGRP', enum: 'ACQUIRE' },
    ],
  },
  {
    path: 'src/audit/gen/audit.ts',
    what: 'Audit (NETLINK_AUDIT) constants',
    includes: ['linux/audit.h'],
    flat: [
      { headers: ['linux/audit.h'], prefixes: ['AUDIT_STATUS_', 'AUDIT_NLGRP_', 'AUDIT_FAIL_', 'AUDIT_MAX_FIELDS', 'AUDIT_BITMASK_SIZE', 'AUDIT_FILTER_', 'AUDIT_NEVER', 'AUDIT_POSSIBLE', 'AUDIT_ALWAYS', 'AUDIT_OPERATORS', 'AUDIT_EQUAL', 'AUDIT_NOT_EQUAL', 'AUDIT_BIT_MASK', 'AUDIT_LESS_THAN', 'AUDIT_GREATER_THAN', 'AUDIT_LESS_THAN_OR_EQUAL', 'AUDIT_GREATER_THAN_OR_EQUAL', 'AUDIT_BIT_TEST'] },
    ],
    tables: [
      // Message types (1000..2999); the FIRST_/LAST_ range markers share values with real types.
      // Rule fields (AUDIT_PID, AUDIT_UID, …), a table of their own among the other AUDIT_*.
      {
        name: 'AUDIT', as: 'AUDIT_FIELD', headers: ['linux/audit.h'],
        only: ['PID', 'UID', 'EUID', 'SUID', 'FSUID', 'GID', 'EGID', 'SGID', 'FSGID', 'LOGINUID', 'PERS', 'ARCH', 'MSGTYPE', 'SUBJ_USER', 'SUBJ_ROLE', 'SUBJ_TYPE', 'SUBJ_SEN', 'SUBJ_CLR', 'PPID', 'OBJ_USER', 'OBJ_ROLE', 'OBJ_TYPE', 'OBJ_LEV_LOW', 'OBJ_LEV_HIGH', 'LOGINUID_SET', 'SESSIONID', 'FSTYPE', 'DEVMAJOR', 'DEVMINOR', 'INODE', 'EXIT', 'SUCCESS', 'WATCH', 'PERM', 'DIR', 'FILETYPE', 'OBJ_UID', 'OBJ_GID', 'FIELD_COMPARE', 'EXE', 'SADDR_FAM', 'ARG0', 'ARG1', 'ARG2', 'ARG3', 'FILTERKEY'],
      },
      { name: 'AUDIT', headers: ['linux/audit.h'], range: [1000, 2999], exclude: ['FIRST_USER_MSG', 'LAST_USER_MSG', 'FIRST_USER_MSG2', 'LAST_USER_MSG2', 'FIRST_KERN_ANOM_MSG', 'LAST_KERN_ANOM_MSG', 'INTEGRITY_FIRST_MSG', 'INTEGRITY_LAST_MSG', 'FIRST_EVENT', 'LAST_EVENT'] },
    ],
  },
  {
    path: 'src/route/gen/rtnetlink.ts',
    what: 'rtnetlink constants',
    includes: [
      'sys/socket.h', 'linux/rtnetlink.h', 'linux/if_link.h', 'linux/if_addr.h', 'linux/neighbour.h', 'linux/fib_rules.h',
      'linux/nexthop.h', 'linux/netconf.h', 'linux/net_namespace.h', 'linux/if.h', 'linux/if_arp.h', 'linux/if_bridge.h',
      'linux/veth.h', 'linux/if_tun.h', 'linux/lwtunnel.h', 'linux/mpls_iptunnel.h', 'linux/ip.h', 'linux/ipv6.h',
      'linux/icmpv6.h', 'linux/if_ether.h', 'linux/in_route.h', 'linux/pkt_sched.h', 'linux/pkt_cls.h', 'linux/gen_stats.h',
      'linux/tc_act/tc_mirred.h', 'linux/if_addrlabel.h', 'linux/tc_act/tc_gact.h',
    ],
    tables: [
      { name: 'RTM', enum: 'NEWLINK', exclude: ['BASE'] },
      { name: 'RTM_F', headers: ['linux/rtnetlink.h'] },
      { name: 'RTN', enum: 'UNICAST' },
      { name: 'RT_SCOPE', enum: 'UNIVERSE' },
      { name: 'RTPROT', headers: ['linux/rtnetlink.h'] },
      { name: 'RT_TABLE', enum: 'MAIN' },
      { name: 'RTA', enum: 'DST' },
      { name: 'RTAX', enum: 'LOCK' },
      { name: 'RTAX_FEATURE', headers: ['linux/rtnetlink.h'], exclude: ['MASK'] },
      { name: 'RTNH_F', headers: ['linux/rtnetlink.h'], exclude: ['COMPARE_MASK'] },
      // RTCF_NOPMTUDISC names an RTM_F_* the headers no longer have; RTCF_NAT is two flags.
      { name: 'RTCF', headers: ['linux/in_route.h'], exclude: ['NOPMTUDISC', 'NAT'] },
      { name: 'RTNLGRP', enum: 'LINK' },
      { name: 'RTEXT_FILTER', headers: ['linux/rtnetlink.h'] },
      { name: 'IFLA', enum: 'IFNAME' },
      { name: 'IFLA_PROTO_DOWN_REASON', enum: 'MASK' },
      { name: 'IFLA_INFO', enum: 'KIND' },
      { name: 'IFLA_INET', enum: 'CONF' },
      { name: 'IFLA_INET6', enum: 'TOKEN' },
      { name: 'IFLA_BR', enum: 'FORWARD_DELAY' },
      { name: 'IFLA_BRPORT', enum: 'STATE' },
      { name: 'IFLA_VXLAN', enum: 'GROUP6' },
      { name: 'VXLAN_DF', enum: 'INHERIT' },
      { name: 'IFLA_MACVLAN', enum: 'MACADDR_MODE' },
      { name: 'IFLA_VLAN', enum: 'EGRESS_QOS' },
      { name: 'IFLA_VLAN_QOS', enum: 'MAPPING' },
      { name: 'IFLA_TUN', enum: 'OWNER' },
      { name: 'VETH_INFO', enum: 'PEER' },
      { name: 'IFLA_XDP', enum: 'FD' },
      { name: 'XDP_ATTACHED', enum: 'DRV' },
      { name: 'XDP_FLAGS', headers: ['linux/if_link.h'], exclude: ['MODES', 'MASK'] },
      { name: 'IFLA_BRIDGE', enum: 'VLAN_INFO' },
      { name: 'BRIDGE_VLAN_INFO', headers: ['linux/if_bridge.h'] },
      { name: 'BRIDGE_FLAGS', headers: ['linux/if_bridge.h'] },
      { name: 'BR_STATE', headers: ['linux/if_bridge.h'] },
      // Bridge: VLAN tunnel mappings, the MDB (br_port_msg + MDBA_*), hardware modes.
      { name: 'BRIDGE_MODE', headers: ['linux/if_bridge.h'] },
      { name: 'IFLA_BRIDGE_VLAN_TUNNEL', enum: 'ID' },
      { name: 'MDBA', enum: 'MDB' },
      { name: 'MDBA_MDB', enum: 'ENTRY' },
      { name: 'MDBA_MDB_ENTRY', enum: 'INFO' },
      { name: 'MDBA_MDB_EATTR', enum: 'TIMER' },
      { name: 'MDBA_MDB_SRCLIST', enum: 'ENTRY' },
      { name: 'MDBA_MDB_SRCATTR', enum: 'ADDRESS' },
      { name: 'MDBA_ROUTER', enum: 'PORT' },
      { name: 'MDBA_ROUTER_PATTR', enum: 'TIMER' },
      { name: 'MDBA_SET', enum: 'ENTRY' },
      { name: 'MDBE_ATTR', enum: 'SOURCE' },
      { name: 'MDB_RTR_TYPE', enum: 'PERM' },
      { name: 'MDB', headers: ['linux/if_bridge.h'] },
      { name: 'MDB_FLAGS', headers: ['linux/if_bridge.h'] },
      { name: 'MACVLAN_MODE', enum: 'VEPA' },
      { name: 'MACVLAN_FLAG', headers: ['linux/if_link.h'] },
      { name: 'MACVLAN_MACADDR', enum: 'FLUSH' },
      { name: 'IFA', enum: 'LOCAL' },
      { name: 'IFA_F', headers: ['linux/if_addr.h'] },
      { name: 'IFAPROT', headers: ['linux/if_addr.h'] },
      { name: 'NDA', enum: 'LLADDR' },
      { name: 'NUD', headers: ['linux/neighbour.h'] },
      { name: 'NTF', headers: ['linux/neighbour.h'] },
      { name: 'NTF_EXT', headers: ['linux/neighbour.h'], exclude: ['LEARNED'] },
      // Neighbour tables (RTM_*NEIGHTBL) and IPv6 address labels (RTM_*ADDRLABEL).
      { name: 'NDTA', enum: 'NAME' },
      { name: 'NDTPA', enum: 'IFINDEX' },
      { name: 'IFAL', enum: 'ADDRESS' },
      { name: 'FRA', enum: 'PRIORITY' },
      { name: 'FR_ACT', enum: 'TO_TBL' },
      { name: 'FIB_RULE', headers: ['linux/fib_rules.h'] },
      { name: 'NHA', enum: 'GROUP_TYPE' },
      { name: 'NHA_RES_GROUP', enum: 'BUCKETS' },
      { name: 'NHA_RES_BUCKET', enum: 'INDEX' },
      { name: 'NEXTHOP_GRP_TYPE', enum: 'MPATH' },
      { name: 'NETCONFA', enum: 'FORWARDING' },
      { name: 'NETCONFA_IFINDEX', headers: ['linux/netconf.h'] },
      { name: 'NETNSA', enum: 'NSID' },
      { name: 'IFF', enum: 'UP' },
      { name: 'IF_OPER', enum: 'NOTPRESENT' },
      { name: 'IF_LINK_MODE', enum: 'DORMANT' },
      { name: 'ICMPV6_ROUTER_PREF', headers: ['linux/icmpv6.h'] },
      { name: 'IN6_ADDR_GEN_MODE', enum: 'EUI64' },
      { name: 'LWTUNNEL_ENCAP', enum: 'MPLS' },
      { name: 'LWTUNNEL_IP', enum: 'TTL' },
      { name: 'LWTUNNEL_IP6', enum: 'HOPLIMIT' },
      { name: 'MPLS_IPTUNNEL', enum: 'TTL' },
      { name: 'IPV4_DEVCONF', enum: 'RP_FILTER' },
      { name: 'DEVCONF', enum: 'HOPLIMIT' },
      { name: 'IFLA_EVENT', enum: 'REBOOT' },
      { name: 'ARPHRD', headers: ['linux/if_arp.h'] },
      { name: 'RTNL_FAMILY', headers: ['linux/rtnetlink.h'], exclude: ['MAX'] },
      { name: 'AF', headers: ['bits/socket.h'] },
      { name: 'ETH_P', headers: ['linux/if_ether.h'] },
      // Traffic control: tcmsg attributes, handles, statistics, the kinds' options, actions.
      { name: 'TCA', enum: 'KIND' },
      { name: 'TCA_ROOT', enum: 'TAB' },
      { name: 'TC_H', headers: ['linux/pkt_sched.h'] },
      { name: 'TCA_STATS', enum: 'BASIC' },
      { name: 'TCA_HTB', enum: 'PARMS' },
      { name: 'TCA_TBF', enum: 'PARMS' },
      { name: 'TCA_U32', enum: 'CLASSID' },
      { name: 'TC_U32', headers: ['linux/pkt_cls.h'], exclude: ['UNSPEC'] },
      { name: 'TCA_BPF', enum: 'ACT' },
      { name: 'TCA_BPF_FLAG', headers: ['linux/pkt_cls.h'] },
      { name: 'TCA_CLS_FLAGS', headers: ['linux/pkt_cls.h'] },
      { name: 'TCA_ACT', enum: 'KIND' },
      { name: 'TC_ACT', headers: ['linux/pkt_cls.h'], exclude: ['VALUE_MAX', 'EXT_VAL_MASK', 'EXT_OPCODE_MAX'] },
      { name: 'TCA_MIRRED', enum: 'TM' },
      { name: 'TCA_EGRESS', headers: ['linux/tc_act/tc_mirred.h'] },
      { name: 'TCA_INGRESS', headers: ['linux/tc_act/tc_mirred.h'] },
      { name: 'TC_LINKLAYER', enum: 'ETHERNET' },
      { name: 'TCA_GACT', enum: 'TM' },
      { name: 'PGACT', headers: ['linux/tc_act/tc_gact.h'] },
      { name: 'TCA_ACT_FLAG', headers: ['linux/rtnetlink.h'] },
      { name: 'TCA_ACT_FLAGS', headers: ['linux/pkt_cls.h'] },
      { name: 'TCA_ACT_HW_STATS', headers: ['linux/pkt_cls.h'] },
    ],
  },
  {
    path: 'src/netfilter/gen/nfnetlink.ts',
    what: 'nfnetlink (NETLINK_NETFILTER) constants',
    includes: [
      'linux/netlink.h', 'linux/netfilter.h', 'linux/netfilter/nfnetlink.h', 'linux/netfilter/nfnetlink_queue.h',
      'linux/netfilter/nfnetlink_log.h', 'linux/netfilter/nfnetlink_conntrack.h',
      'linux/netfilter/nf_conntrack_common.h', 'linux/netfilter/nf_conntrack_tcp.h', 'linux/netfilter/nf_tables.h',
    ],
    tables: [
      { name: 'NF', headers: ['linux/netfilter.h'], exclude: ['MAX_VERDICT', 'VERDICT_MASK', 'VERDICT_QMASK', 'VERDICT_QBITS', 'VERDICT_BITS', 'VERDICT_FLAG_QUEUE_BYPASS'] },
      { name: 'NF_VERDICT', headers: ['linux/netfilter.h'] },
      { name: 'NF_INET', enum: 'PRE_ROUTING' },
      { name: 'NFPROTO', enum: 'IPV4' },
      { name: 'NFNLGRP', enum: 'CONNTRACK_NEW' },
      { name: 'NFNL_SUBSYS', headers: ['linux/netfilter/nfnetlink.h'] },
      { name: 'NFNL_MSG', headers: ['linux/netfilter/nfnetlink.h'] },
      { name: 'NFNL_BATCH', enum: 'GENID' },
      { name: 'NFQNL_MSG', enum: 'PACKET' },
      { name: 'NFQA', enum: 'PACKET_HDR' },
      { name: 'NFQA_VLAN', enum: 'PROTO' },
      { name: 'NFQNL_CFG_CMD', enum: 'BIND' },
      { name: 'NFQNL_COPY', enum: 'META' },
      { name: 'NFQA_CFG', enum: 'CMD' },
      { name: 'NFQA_CFG_F', headers: ['linux/netfilter/nfnetlink_queue.h'] },
      { name: 'NFQA_SKB', headers: ['linux/netfilter/nfnetlink_queue.h'] },
      { name: 'NFULNL_MSG', enum: 'PACKET' },
      { name: 'NFULA', enum: 'PACKET_HDR' },
      { name: 'NFULNL_CFG_CMD', enum: 'BIND' },
      { name: 'NFULA_CFG', enum: 'CMD' },
      { name: 'NFULNL_COPY', headers: ['linux/netfilter/nfnetlink_log.h'] },
      { name: 'NFULNL_CFG_F', headers: ['linux/netfilter/nfnetlink_log.h'] },
      { name: 'IPCTNL_MSG', enum: 'CT_NEW' },
      { name: 'IPCTNL_MSG_EXP', enum: 'NEW' },
      { name: 'CTA', enum: 'TUPLE_ORIG' },
      { name: 'CTA_TUPLE', enum: 'IP' },
      { name: 'CTA_IP', enum: 'V4_SRC' },
      { name: 'CTA_PROTO', enum: 'NUM' },
      { name: 'CTA_PROTOINFO', enum: 'TCP' },
      { name: 'CTA_PROTOINFO_TCP', enum: 'STATE' },
      { name: 'CTA_COUNTERS', enum: 'PACKETS' },
      { name: 'CTA_TIMESTAMP', enum: 'START' },
      { name: 'CTA_STATS', enum: 'SEARCHED' },
      { name: 'CTA_STATS_GLOBAL', enum: 'ENTRIES' },
      { name: 'CTA_FILTER', enum: 'ORIG_FLAGS' },
      { name: 'CTA_EXPECT', enum: 'MASTER' },
      { name: 'CTA_EXPECT_NAT', enum: 'DIR' },
      { name: 'CTA_HELP', enum: 'NAME' },
      { name: 'CTA_STATS_EXP', enum: 'NEW' },
      { name: 'NF_CT_EXPECT', headers: ['linux/netfilter/nf_conntrack_common.h'] },
      { name: 'IPS', enum: 'EXPECTED' },
      { name: 'IP_CT', enum: 'ESTABLISHED' },
      { name: 'TCP_CONNTRACK', enum: 'SYN_SENT' },
      { name: 'NFT_MSG', enum: 'NEWTABLE' },
      { name: 'NFTA_TABLE', enum: 'NAME' },
      { name: 'NFT_TABLE_F', enum: 'DORMANT' },
      { name: 'NFTA_HOOK', enum: 'HOOKNUM' },
      { name: 'NFT_CHAIN', enum: 'BASE' },
      { name: 'NFTA_CHAIN', enum: 'TABLE' },
      { name: 'NFTA_RULE', enum: 'TABLE' },
      { name: 'NFT_SET', enum: 'ANONYMOUS' },
      { name: 'NFT_SET_POL', enum: 'PERFORMANCE' },
      { name: 'NFTA_SET_DESC', enum: 'SIZE' },
      { name: 'NFTA_SET_FIELD', enum: 'LEN' },
      { name: 'NFTA_SET', enum: 'TABLE' },
      { name: 'NFT_SET_ELEM', enum: 'INTERVAL_END' },
      { name: 'NFTA_SET_ELEM', enum: 'KEY' },
      { name: 'NFTA_SET_ELEM_LIST', enum: 'TABLE' },
      { name: 'NFT_DATA', enum: 'VALUE' },
      { name: 'NFTA_DATA', enum: 'VALUE' },
      { name: 'NFTA_VERDICT', enum: 'CODE' },
      { name: 'NFTA_LIST', enum: 'ELEM' },
      { name: 'NFTA_GEN', enum: 'ID' },
      { name: 'NFT', enum: 'CONTINUE' },
    ],
  },
];

/** Parses the command line. */
function options(argv) {
  const o = { out: ROOT, include: '/usr/include', newer: join(ROOT, 'scripts', 'uapi-newer.h'), cc: process.env.CC || 'cc' };
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--out') o.out = argv[++i];
    else if (argv[i] === '--newer') o.newer = argv[++i];
    else if (argv[i] === '--include') o.include = argv[++i];
    else throw new Error(`gen-constants: unknown argument ${argv[i]}`);
  }
  return o;
}

const stripComments = (s) => s.replace(/\/\*[\s\S]*?\*\//g, (c) => c.replace(/[^\n]/g, ' ')).replace(/\/\/.*$/gm, '');

/** Splits an enum body at top-level commas into [name, expression | undefined] members. */
function enumMembers(body) {
  const out = [];
  let depth = 0;
  let cur = '';
  for (const ch of `${body},`) {
    if (ch === '(') depth++;
    else if (ch === ')') depth--;
    if (ch === ',' && depth === 0) {
      const m = /^\s*([A-Za-z_]\w*)\s*(?:=\s*([\s\S]+?))?\s*$/.exec(cur);
      if (m) out.push([m[1], m[2]]);
      cur = '';
    } else cur += ch;
  }
  return out;
}

/** Enum blocks of preprocessed text, each with the header it came from. */
function enumBlocks(pre) {
  const marks = [];
  const text = pre.replace(/^# \d+ "([^"]*)".*$/gm, (line, file, off) => {
    marks.push([off, file]);
    return ' '.repeat(line.length);
  });
  const fileAt = (off) => {
    let f = '';
    for (const [o, name] of marks) if (o <= off) f = name; else break;
    return f;
  };
  const blocks = [];
  for (const m of text.matchAll(/\benum\s*\w*\s*\{([^}]*)\}/g)) blocks.push({ file: fileAt(m.index), members: enumMembers(m[1]) });
  return { blocks, files: [...new Set(marks.map(([, f]) => f))] };
}

/** Object-like #define names of one header file, in order, with their expansion text. */
function defineNames(file) {
  let text;
  try {
    text = stripComments(readFileSync(file, 'utf8'));
  } catch {
    return [];
  }
  const out = [];
  for (const m of text.matchAll(/^[ \t]*#[ \t]*define[ \t]+([A-Za-z_]\w*)(?![\w(])[ \t]*(.*)$/gm)) out.push([m[1], m[2].trim()]);
  return out;
}

/** Runs the C compiler on a program that prints `NAME VALUE` lines; returns name -> value. */
function compileValues(cc, include, includes, extra, names) {
  const dir = mkdtempSync(join(tmpdir(), 'nlkit-gen-'));
  try {
    const src = [
      ...includes.map((h) => `#include <${h}>`),
      '#include <stdio.h>',
      extra,
      'int main(void) {',
      ...names.map((n) => `  printf("%s %lld\\n", "${n}", (long long)(${n}));`),
      '  return 0;',
      '}',
      '',
    ].join('\n');
    writeFileSync(join(dir, 'v.c'), src);
    const flags = include === '/usr/include' ? [] : ['-nostdinc', '-isystem', include];
    execFileSync(cc, [...flags, '-w', '-o', join(dir, 'v'), join(dir, 'v.c')], { stdio: ['ignore', 'ignore', 'inherit'] });
    const values = new Map();
    for (const line of execFileSync(join(dir, 'v'), { encoding: 'utf8' }).split('\n')) {
      const [n, v] = line.split(' ');
      if (n) values.set(n, Number(v));
    }
    return values;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function preprocess(cc, include, includes) {
  const flags = include === '/usr/include' ? [] : ['-nostdinc', '-isystem', include];
  return execFileSync(cc, [...flags, '-E', '-x', 'c', '-'], { input: includes.map((h) => `#include <${h}>\n`).join(''), encoding: 'utf8', maxBuffer: 64 << 20 });
}

/** The newer-than-the-headers overlay: its enum members, in order, renamed apart from the headers'. */
function newerOverlay(file) {
  const text = stripComments(readFileSync(file, 'utf8'));
  const members = [];
  for (const m of text.matchAll(/\benum\s*\w*\s*\{([^}]*)\}/g)) for (const [n] of enumMembers(m[1])) members.push(n);
  const own = new Set(members);
  const c = text.replace(/\b[A-Za-z_]\w*\b/g, (w) => (own.has(w) ? `NLKIT_NEWER_${w}` : w));
  return { members, c };
}

/** The version of the installed headers, e.g. "6.1.187". */
function headerVersion(cc, include) {
  const v = compileValues(cc, include, ['linux/version.h'], '', ['LINUX_VERSION_CODE']).get('LINUX_VERSION_CODE');
  return `${v >> 16}.${(v >> 8) & 255}.${v & 255}`;
}

const keyText = (k) => (/^[A-Za-z_$][\w$]*$/.test(k) ? k : `'${k}'`);
const valueText = (v) => (v >= 0x10000 && (v & (v - 1)) === 0 ? `0x${v.toString(16)}` : String(v));

/** Generates one file's text. */
function generate(spec, o, version, overlay) {
  const incs = spec.includes;
  const pre = preprocess(o.cc, o.include, incs);
  const { blocks, files } = enumBlocks(pre);
  // A header as the preprocessor found it (bits/socket.h lives under an arch directory).
  const resolve = (h) => files.find((f) => f.endsWith(`/${h}`)) ?? join(o.include, h);
  const headerNames = new Set();
  for (const b of blocks) for (const [n] of b.members) headerNames.add(n);
  const definesOf = new Map();
  const defs = (h) => {
    if (!definesOf.has(h)) definesOf.set(h, defineNames(resolve(h)));
    return definesOf.get(h);
  };
  for (const h of incs) for (const [n] of defs(h)) headerNames.add(n);
  const lines = [];
  const want = [];
  const newer = overlay.members.filter((n) => !headerNames.has(n));
  const plan = [];

  if (spec.flat) {
    for (const group of spec.flat) {
      const names = [];
      const origin = new Map();
      if (group.names) names.push(...group.names);
      for (const h of group.headers ?? []) {
        const ofFile = [];
        for (const b of blocks) if (b.file.endsWith(`/${h}`)) for (const [n] of b.members) ofFile.push(n);
        for (const [n, e] of defs(h)) if (e !== n && e !== '') ofFile.push(n);
        for (const n of ofFile) {
          if (n.startsWith('_') || !group.prefixes.some((p) => n.startsWith(p)) || group.exclude?.includes(n) || names.includes(n)) continue;
          names.push(n);
          origin.set(n, h);
        }
      }
      plan.push({ flat: names, origin });
      want.push(...names);
    }
  }
  if (spec.tables) {
    // A name belongs to the table of the longest prefix that does not exclude it
    // (NTF_EXT_LEARNED is NTF_*'s, not NTF_EXT_*'s).
    const owner = (n) => {
      let best;
      for (const t of spec.tables) {
        const p = `${t.name}_`;
        if (n.startsWith(p) && !t.exclude?.includes(n.slice(p.length)) && (!best || p.length > best.length)) best = p;
      }
      return best;
    };
    for (const t of spec.tables) {
      const p = `${t.name}_`;
      const names = [];
      const add = (n) => {
        const key = n.slice(p.length);
        if (!n.startsWith(p) || key === 'MAX' || t.exclude?.includes(key) || (t.only && !t.only.includes(key)) || names.includes(n)) return;
        names.push(n);
      };
      if (t.enum) {
        const block = blocks.find((b) => b.members.some(([n]) => n === p + t.enum));
        if (!block) throw new Error(`gen-constants: no enum holds ${p}${t.enum}`);
        const members = new Set(block.members.map(([n]) => n));
        for (const [n] of block.members) add(n);
        // #define aliases of members (FRA_IFNAME for FRA_IIFNAME).
        for (const h of incs) for (const [n, e] of defs(h)) if (members.has(e) && e !== n) add(n);
      } else {
        for (const h of t.headers) for (const [n, e] of defs(h)) if (e !== n && e !== '' && owner(n) === p) add(n);
      }
      if (names.length === 0) throw new Error(`gen-constants: table ${t.name} is empty`);
      const extra = newer.filter((n) => owner(n) === p);
      const origin = t.enum ? blocks.find((b) => b.members.some(([n]) => n === p + t.enum)).file : resolve(t.headers[0]);
      plan.push({ table: t, names, extra, header: origin.replace(/^.*\/include\/(?:[^/]*-linux-gnu\/)?/, '') });
      want.push(...names);
    }
  }

  // The overlay is written against the headers of the files whose tables it extends; other
  // files (nfnetlink's) neither include those headers nor need it.
  const ownsOverlay = spec.tables !== undefined && overlay.members.some((n) => spec.tables.some((t) => n.startsWith(`${t.name}_`)));
  const checks = ownsOverlay ? overlay.members.filter((n) => headerNames.has(n)) : [];
  const ownNewer = ownsOverlay ? newer.filter((n) => spec.tables.some((t) => n.startsWith(`${t.name}_`))) : [];
  const values = compileValues(o.cc, o.include, incs, ownsOverlay ? overlay.c : '', [
    ...want,
    ...ownNewer.map((n) => `NLKIT_NEWER_${n}`),
    ...checks.flatMap((n) => [n, `NLKIT_NEWER_${n}`]),
  ]);
  if (ownsOverlay) {
    for (const n of checks) {
      if (values.get(n) !== values.get(`NLKIT_NEWER_${n}`)) {
        throw new Error(`gen-constants: ${n} is ${values.get(n)} in the headers but ${values.get(`NLKIT_NEWER_${n}`)} in scripts/uapi-newer.h`);
      }
    }
  }

  lines.push(
    '// @generated by scripts/gen-constants.mjs — do not edit.',
    `// ${spec.what}, from the Linux UAPI headers ${version}.`,
    ...(spec.tables ? ['// Values newer than those headers come from scripts/uapi-newer.h.'] : []),
    '// Regenerate with `npm run gen`; test/gen-constants.test.ts diffs this file against a fresh run.',
  );
  if (spec.flat) lines.push('');
  for (const step of plan) {
    if (step.flat) {
      for (const n of step.flat) {
        lines.push(`/** ${n} of <${step.origin.get(n) ?? 'sys/socket.h'}>. */`, `export const ${n} = ${valueText(values.get(n))};`);
      }
      continue;
    }
    const { table, names, extra, header } = step;
    const p = `${table.name}_`;
    const out = table.as ?? table.name;
    const entries = [
      ...names.map((n, i) => ({ n, v: values.get(n), i })),
      ...extra.map((n, i) => ({ n, v: values.get(`NLKIT_NEWER_${n}`), i: names.length + i })),
    ];
    for (const e of entries) if (!Number.isInteger(e.v)) throw new Error(`gen-constants: no value for ${e.n}`);
    // `range` keeps the values from lo to hi (audit.h's message types among its other AUDIT_*).
    if (table.range) entries.splice(0, entries.length, ...entries.filter((e) => e.v >= table.range[0] && e.v <= table.range[1]));
    entries.sort((a, b) => a.v - b.v || a.i - b.i);
    lines.push('', `/** ${table.only ? `The ${out} names of ` : ''}${p}* of <${header}>. */`, `export const ${out} = {`);
    for (const e of entries) lines.push(`  ${keyText(e.n.slice(p.length))}: ${valueText(e.v)},`);
    lines.push('} as const;');
    lines.push('', `/** The UAPI name of each ${table.as ? `${out} ` : ''}${p}* value (the first, where names share a value). */`);
    lines.push(`export const ${out}_NAME: Readonly<Record<number, string>> = {`);
    const seen = new Set();
    for (const e of entries) {
      if (seen.has(e.v)) continue;
      seen.add(e.v);
      lines.push(`  ${e.v < 0 ? `'${e.v}'` : valueText(e.v)}: '${e.n}',`);
    }
    lines.push('};');
  }
  return `${lines.join('\n')}\n`;
}

/** Generates every file into `o.out`; returns the paths written. */
export function main(argv = process.argv.slice(2)) {
  const o = options(argv);
  const version = `${headerVersion(o.cc, o.include)}`;
  const overlay = newerOverlay(o.newer);
  const written = [];
  for (const spec of FILES) {
    const text = generate(spec, o, version, overlay);
    const path = join(o.out, spec.path);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, text);
    written.push(spec.path);
  }
  return written;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  try {
    for (const p of main()) process.stdout.write(`${p}\n`);
  } catch (e) {
    process.stderr.write(`${e instanceof Error ? e.message : String(e)}\n`);
    process.exitCode = 1;
  }
}
