// Fixed structs of traffic control (<linux/rtnetlink.h>, <linux/pkt_sched.h>, <linux/pkt_cls.h>,
// <linux/gen_stats.h>, <linux/tc_act/tc_mirred.h>, <linux/tc_act/tc_gact.h>, <linux/netlink.h>): the tcmsg header, the kinds' parameter
// structs and the statistics. Field names are the kernel's without their prefix.
import { structSpec } from '../schema/index.js';
import { family } from './enums.js';

/**
 * struct tcmsg: the header of RTM_{NEW,DEL,GET}{QDISC,TCLASS,TFILTER,CHAIN} (20 bytes). For
 * filters `info` is TC_H_MAKE(prio << 16, htons(protocol)); tc.ts splits it into prio and protocol.
 */
export const tcmsg = structSpec('tcmsg', [
  { name: 'family', type: 'u8', enum: family },
  { name: '_pad1', type: 'pad', len: 1 },
  { name: '_pad2', type: 'pad', len: 2 },
  { name: 'ifindex', type: 's32' },
  { name: 'handle', type: 'u32' },
  { name: 'parent', type: 'u32' },
  { name: 'info', type: 'u32' },
] as const);

/** struct tcamsg: the header of RTM_{NEW,DEL,GET}ACTION (4 bytes). */
export const tcamsg = structSpec('tcamsg', [
  { name: 'family', type: 'u8', enum: family },
  { name: '_pad1', type: 'pad', len: 1 },
  { name: '_pad2', type: 'pad', len: 2 },
] as const);

/** struct tc_ratespec (12 bytes): a rate in bytes per second (32 bits; TCA_*_RATE64 above 4 GB/s). */
const ratespecFields = (p: string) => [
  { name: `${p}cell_log`, type: 'u8' },
  { name: `${p}linklayer`, type: 'u8' },
  { name: `${p}overhead`, type: 'u16' },
  { name: `${p}cell_align`, type: 'u16' },
  { name: `${p}mpu`, type: 'u16' },
  { name: `${p}rate`, type: 'u32' },
] as const;

/** struct tc_htb_opt: TCA_HTB_PARMS of a class (44 bytes). */
export const tcHtbOpt = structSpec('tc_htb_opt', [
  ...ratespecFields('rate_'),
  ...ratespecFields('ceil_'),
  { name: 'buffer', type: 'u32' },
  { name: 'cbuffer', type: 'u32' },
  { name: 'quantum', type: 'u32' },
  { name: 'level', type: 'u32' },
  { name: 'prio', type: 'u32' },
] as const);

/** struct tc_htb_glob: TCA_HTB_INIT of the qdisc (20 bytes). */
export const tcHtbGlob = structSpec('tc_htb_glob', [
  { name: 'version', type: 'u32' },
  { name: 'rate2quantum', type: 'u32' },
  { name: 'defcls', type: 'u32' },
  { name: 'debug', type: 'u32' },
  { name: 'direct_pkts', type: 'u32' },
] as const);

/** struct tc_tbf_qopt: TCA_TBF_PARMS (36 bytes). */
export const tcTbfQopt = structSpec('tc_tbf_qopt', [
  ...ratespecFields('rate_'),
  ...ratespecFields('peakrate_'),
  { name: 'limit', type: 'u32' },
  { name: 'buffer', type: 'u32' },
  { name: 'mtu', type: 'u32' },
] as const);

/** struct tc_fifo_qopt: the options of pfifo and bfifo (4 bytes). */
export const tcFifoQopt = structSpec('tc_fifo_qopt', [
  { name: 'limit', type: 'u32' },
] as const);

/** struct tc_prio_qopt: the options of pfifo_fast and prio (20 bytes). */
export const tcPrioQopt = structSpec('tc_prio_qopt', [
  { name: 'bands', type: 'u32' },
  { name: 'priomap', type: 'binary', len: 16 },
] as const);

/** struct gnet_stats_basic: TCA_STATS_BASIC (16 bytes with the tail padding the kernel sends). */
export const gnetStatsBasic = structSpec('gnet_stats_basic', [
  { name: 'bytes', type: 'u64' },
  { name: 'packets', type: 'u32' },
  { name: '_pad', type: 'pad', len: 4 },
] as const);

/** struct gnet_stats_rate_est: TCA_STATS_RATE_EST (8 bytes). */
export const gnetStatsRateEst = structSpec('gnet_stats_rate_est', [
  { name: 'bps', type: 'u32' },
  { name: 'pps', type: 'u32' },
] as const);

/** struct gnet_stats_rate_est64: TCA_STATS_RATE_EST64 (16 bytes). */
export const gnetStatsRateEst64 = structSpec('gnet_stats_rate_est64', [
  { name: 'bps', type: 'u64' },
  { name: 'pps', type: 'u64' },
] as const);

/** struct gnet_stats_queue: TCA_STATS_QUEUE (20 bytes). */
export const gnetStatsQueue = structSpec('gnet_stats_queue', [
  { name: 'qlen', type: 'u32' },
  { name: 'backlog', type: 'u32' },
  { name: 'drops', type: 'u32' },
  { name: 'requeues', type: 'u32' },
  { name: 'overlimits', type: 'u32' },
] as const);

/** struct tc_htb_xstats: TCA_STATS_APP of an htb class (20 bytes). */
export const tcHtbXstats = structSpec('tc_htb_xstats', [
  { name: 'lends', type: 'u32' },
  { name: 'borrows', type: 'u32' },
  { name: 'giants', type: 'u32' },
  { name: 'tokens', type: 's32' },
  { name: 'ctokens', type: 's32' },
] as const);

/** struct tc_estimator: TCA_RATE, a rate estimator to attach (2 bytes). */
export const tcEstimator = structSpec('tc_estimator', [
  { name: 'interval', type: 'u8' },
  { name: 'ewma_log', type: 'u8' },
] as const);

/** struct tcf_t: TCA_*_TM, an action's install/use times in jiffies (32 bytes). */
export const tcfT = structSpec('tcf_t', [
  { name: 'install', type: 'u64' },
  { name: 'lastuse', type: 'u64' },
  { name: 'expires', type: 'u64' },
  { name: 'firstuse', type: 'u64' },
] as const);

/** struct tc_mirred: TCA_MIRRED_PARMS (tc_gen, eaction, ifindex; 28 bytes). */
export const tcMirred = structSpec('tc_mirred', [
  { name: 'index', type: 'u32' },
  { name: 'capab', type: 'u32' },
  { name: 'action', type: 's32' },
  { name: 'refcnt', type: 's32' },
  { name: 'bindcnt', type: 's32' },
  { name: 'eaction', type: 's32' },
  { name: 'ifindex', type: 'u32' },
] as const);

/** struct tc_u32_mark: TCA_U32_MARK (12 bytes). */
export const tcU32Mark = structSpec('tc_u32_mark', [
  { name: 'val', type: 'u32' },
  { name: 'mask', type: 'u32' },
  { name: 'success', type: 'u32' },
] as const);

/** struct tc_gact: TCA_GACT_PARMS (tc_gen: index, capab, action, refcnt, bindcnt; 20 bytes). */
export const tcGact = structSpec('tc_gact', [
  { name: 'index', type: 'u32' },
  { name: 'capab', type: 'u32' },
  { name: 'action', type: 's32' },
  { name: 'refcnt', type: 's32' },
  { name: 'bindcnt', type: 's32' },
] as const);

/** struct tc_gact_p: TCA_GACT_PROB, a second verdict taken at random or every pval-th packet (8 bytes). */
export const tcGactP = structSpec('tc_gact_p', [
  { name: 'ptype', type: 'u16' },
  { name: 'pval', type: 'u16' },
  { name: 'paction', type: 's32' },
] as const);

/** struct nla_bitfield32: TCA_ROOT_FLAGS, TCA_ACT_FLAGS, TCA_ACT_HW_STATS (the bits and which of them count; 8 bytes). */
export const nlaBitfield32 = structSpec('nla_bitfield32', [
  { name: 'value', type: 'u32' },
  { name: 'selector', type: 'u32' },
] as const);
