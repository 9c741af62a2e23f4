// Attribute sets of ctnetlink (NFNL_SUBSYS_CTNETLINK): CTA_* of a connection and its nests.
// Integers are big-endian as the kernel sends them; undeclared attributes are kept as bytes.
import { attrs, binary, int, ipaddr, nest, string, u8 } from '../schema/index.js';
import {
  CTA, CTA_COUNTERS, CTA_FILTER, CTA_HELP, CTA_IP, CTA_PROTO, CTA_PROTOINFO, CTA_PROTOINFO_TCP, CTA_STATS, CTA_STATS_GLOBAL,
  CTA_TIMESTAMP, CTA_TUPLE,
} from './constants.js';

/** CTA_IP_*: a tuple's addresses. */
export const ctaIpAttrs = attrs('cta_ip', {
  v4_src: [CTA_IP.V4_SRC, ipaddr()],
  v4_dst: [CTA_IP.V4_DST, ipaddr()],
  v6_src: [CTA_IP.V6_SRC, ipaddr()],
  v6_dst: [CTA_IP.V6_DST, ipaddr()],
}, { nestedFlag: true });

/** CTA_PROTO_*: a tuple's layer-4 protocol, ports or ICMP id/type/code. */
export const ctaProtoAttrs = attrs('cta_proto', {
  num: [CTA_PROTO.NUM, u8()],
  src_port: [CTA_PROTO.SRC_PORT, int('u16be')],
  dst_port: [CTA_PROTO.DST_PORT, int('u16be')],
  icmp_id: [CTA_PROTO.ICMP_ID, int('u16be')],
  icmp_type: [CTA_PROTO.ICMP_TYPE, u8()],
  icmp_code: [CTA_PROTO.ICMP_CODE, u8()],
  icmpv6_id: [CTA_PROTO.ICMPV6_ID, int('u16be')],
  icmpv6_type: [CTA_PROTO.ICMPV6_TYPE, u8()],
  icmpv6_code: [CTA_PROTO.ICMPV6_CODE, u8()],
}, { nestedFlag: true });

/** CTA_TUPLE_*: one direction of a connection. */
export const ctaTupleAttrs = attrs('cta_tuple', {
  ip: [CTA_TUPLE.IP, nest(ctaIpAttrs)],
  proto: [CTA_TUPLE.PROTO, nest(ctaProtoAttrs)],
  zone: [CTA_TUPLE.ZONE, int('u16be')],
}, { nestedFlag: true });

/** CTA_PROTOINFO_TCP_*: TCP's tracking state. */
export const ctaProtoinfoTcpAttrs = attrs('cta_protoinfo_tcp', {
  state: [CTA_PROTOINFO_TCP.STATE, u8()],
  wscale_original: [CTA_PROTOINFO_TCP.WSCALE_ORIGINAL, u8()],
  wscale_reply: [CTA_PROTOINFO_TCP.WSCALE_REPLY, u8()],
  flags_original: [CTA_PROTOINFO_TCP.FLAGS_ORIGINAL, binary()],
  flags_reply: [CTA_PROTOINFO_TCP.FLAGS_REPLY, binary()],
}, { nestedFlag: true });

/** CTA_PROTOINFO_*: per-protocol state (TCP decoded; DCCP and SCTP kept as bytes). */
export const ctaProtoinfoAttrs = attrs('cta_protoinfo', {
  tcp: [CTA_PROTOINFO.TCP, nest(ctaProtoinfoTcpAttrs)],
  dccp: [CTA_PROTOINFO.DCCP, binary()],
  sctp: [CTA_PROTOINFO.SCTP, binary()],
}, { nestedFlag: true });

/** CTA_COUNTERS_*: packets and bytes of one direction (with nf_conntrack_acct on). */
export const ctaCountersAttrs = attrs('cta_counters', {
  packets: [CTA_COUNTERS.PACKETS, int('u64be')],
  bytes: [CTA_COUNTERS.BYTES, int('u64be')],
}, { nestedFlag: true });

/** CTA_TIMESTAMP_*: start and stop in nanoseconds (with nf_conntrack_timestamp on). */
export const ctaTimestampAttrs = attrs('cta_timestamp', {
  start: [CTA_TIMESTAMP.START, int('u64be')],
  stop: [CTA_TIMESTAMP.STOP, int('u64be')],
}, { nestedFlag: true });

/** CTA_FILTER_*: which tuple fields a dump filter compares (CTA_FILTER_FLAG_* bits). */
export const ctaFilterAttrs = attrs('cta_filter', {
  orig_flags: [CTA_FILTER.ORIG_FLAGS, int('u32')],
  reply_flags: [CTA_FILTER.REPLY_FLAGS, int('u32')],
}, { nestedFlag: true });

/** CTA_HELP_*: the connection's helper (ftp, sip, …) and its private data. */
export const ctaHelpAttrs = attrs('cta_help', {
  name: [CTA_HELP.NAME, string()],
  info: [CTA_HELP.INFO, binary()],
}, { nestedFlag: true });

/** CTA_STATS_*: one CPU's conntrack counters (IPCTNL_MSG_CT_GET_STATS_CPU; nfgenmsg.res_id is the CPU). */
export const ctaStatsAttrs = attrs('cta_stats', {
  searched: [CTA_STATS.SEARCHED, int('u32be')],
  found: [CTA_STATS.FOUND, int('u32be')],
  new: [CTA_STATS.NEW, int('u32be')],
  invalid: [CTA_STATS.INVALID, int('u32be')],
  ignore: [CTA_STATS.IGNORE, int('u32be')],
  delete: [CTA_STATS.DELETE, int('u32be')],
  delete_list: [CTA_STATS.DELETE_LIST, int('u32be')],
  insert: [CTA_STATS.INSERT, int('u32be')],
  insert_failed: [CTA_STATS.INSERT_FAILED, int('u32be')],
  drop: [CTA_STATS.DROP, int('u32be')],
  early_drop: [CTA_STATS.EARLY_DROP, int('u32be')],
  error: [CTA_STATS.ERROR, int('u32be')],
  search_restart: [CTA_STATS.SEARCH_RESTART, int('u32be')],
  clash_resolve: [CTA_STATS.CLASH_RESOLVE, int('u32be')],
  chaintoolong: [CTA_STATS.CHAIN_TOOLONG, int('u32be')],
});

/** CTA_STATS_GLOBAL_*: the table's size and limit (IPCTNL_MSG_CT_GET_STATS). */
export const ctaStatsGlobalAttrs = attrs('cta_stats_global', {
  entries: [CTA_STATS_GLOBAL.ENTRIES, int('u32be')],
  max_entries: [CTA_STATS_GLOBAL.MAX_ENTRIES, int('u32be')],
});

/** CTA_*: a connection (and the filters of a dump request). */
export const ctaAttrs = attrs('cta', {
  tuple_orig: [CTA.TUPLE_ORIG, nest(ctaTupleAttrs)],
  tuple_reply: [CTA.TUPLE_REPLY, nest(ctaTupleAttrs)],
  status: [CTA.STATUS, int('u32be')],
  protoinfo: [CTA.PROTOINFO, nest(ctaProtoinfoAttrs)],
  help: [CTA.HELP, nest(ctaHelpAttrs)],
  nat_src: [CTA.NAT_SRC, binary()],
  timeout: [CTA.TIMEOUT, int('u32be')],
  mark: [CTA.MARK, int('u32be')],
  counters_orig: [CTA.COUNTERS_ORIG, nest(ctaCountersAttrs)],
  counters_reply: [CTA.COUNTERS_REPLY, nest(ctaCountersAttrs)],
  use: [CTA.USE, int('u32be')],
  id: [CTA.ID, int('u32be')],
  nat_dst: [CTA.NAT_DST, binary()],
  tuple_master: [CTA.TUPLE_MASTER, nest(ctaTupleAttrs)],
  seq_adj_orig: [CTA.SEQ_ADJ_ORIG, binary()],
  seq_adj_reply: [CTA.SEQ_ADJ_REPLY, binary()],
  secmark: [CTA.SECMARK, int('u32be')],
  zone: [CTA.ZONE, int('u16be')],
  secctx: [CTA.SECCTX, binary()],
  timestamp: [CTA.TIMESTAMP, nest(ctaTimestampAttrs)],
  mark_mask: [CTA.MARK_MASK, int('u32be')],
  labels: [CTA.LABELS, binary()],
  labels_mask: [CTA.LABELS_MASK, binary()],
  synproxy: [CTA.SYNPROXY, binary()],
  filter: [CTA.FILTER, nest(ctaFilterAttrs)],
  status_mask: [CTA.STATUS_MASK, int('u32be')],
});

