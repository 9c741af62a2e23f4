// Conntrack statistics: the per-CPU counters (`conntrack -S`, IPCTNL_MSG_CT_GET_STATS_CPU and
// IPCTNL_MSG_EXP_GET_STATS_CPU, one message a CPU) and the table's size (`conntrack -C`,
// IPCTNL_MSG_CT_GET_STATS). formatCpuStats() writes a CPU's line as `conntrack -S` does.
import { FlatMessageCodec } from '../schema/index.js';
import { type Dump, type FamilyOptions } from '../socket/index.js';
import { NLM_F_ACK, NLM_F_DUMP } from '../wire/index.js';
import { ctaStatsAttrs, ctaStatsGlobalAttrs } from './conntrack-attrs.js';
import { nfDump } from './conntrack.js';
import { IPCTNL_MSG, IPCTNL_MSG_EXP, NFNL_SUBSYS, NFPROTO } from './constants.js';
import { ctaStatsExpAttrs } from './expect-attrs.js';
import { nfnlMsg, nfnlSubsys, nfnlType, withNetfilterSocket } from './nfnetlink.js';
import { nfgenmsg } from './structs.js';

/** nfgenmsg + CTA_STATS_* (one CPU's conntrack counters). */
export const ctaStatsCodec = new FlatMessageCodec(nfgenmsg, ctaStatsAttrs);
/** nfgenmsg + CTA_STATS_GLOBAL_* (the table's size). */
export const ctaStatsGlobalCodec = new FlatMessageCodec(nfgenmsg, ctaStatsGlobalAttrs);
/** nfgenmsg + CTA_STATS_EXP_* (one CPU's expectation counters). */
export const ctaStatsExpCodec = new FlatMessageCodec(nfgenmsg, ctaStatsExpAttrs);

/** The CTA_STATS_* counters in the kernel's order, by the names `conntrack -S` prints. */
export const CONNTRACK_STATS = [
  'searched', 'found', 'new', 'invalid', 'ignore', 'delete', 'delete_list', 'insert', 'insert_failed', 'drop',
  'early_drop', 'error', 'search_restart', 'clash_resolve', 'chaintoolong',
] as const;
/** The CTA_STATS_EXP_* counters in the kernel's order (`conntrack -S expect` prints them as expect_NAME). */
export const EXPECT_STATS = ['new', 'create', 'delete'] as const;

/** One CPU's conntrack counters; a counter is absent when this kernel no longer keeps it. */
export type ConntrackCpuStats = { cpu: number } & { [K in (typeof CONNTRACK_STATS)[number]]?: number };
/** One CPU's expectation counters. */
export type ExpectCpuStats = { cpu: number } & { [K in (typeof EXPECT_STATS)[number]]?: number };

/** The table's size: entries now, and the limit (nf_conntrack_max). */
export interface ConntrackCount {
  entries: number;
  maxEntries?: number;
}

function cpuStats<T>(names: readonly string[]) {
  return (o: Record<string, any>): T => {
    const s: Record<string, number> = { cpu: o.res_id };
    for (const n of names) if (o[n] !== undefined) s[n] = o[n];
    return s as T;
  };
}

function statsRequest(codec: FlatMessageCodec<any, any>, subsys: number, msg: number): Uint8Array {
  return codec.encode(nfnlType(subsys, msg), NLM_F_DUMP, { family: NFPROTO.UNSPEC, version: 0, res_id: 0 } as never);
}

/** Each CPU's conntrack counters (`conntrack -S`). */
export function dumpConntrackStats(opts: FamilyOptions = {}): Dump<ConntrackCpuStats> {
  return nfDump(statsRequest(ctaStatsCodec, NFNL_SUBSYS.CTNETLINK, IPCTNL_MSG.CT_GET_STATS_CPU), ctaStatsCodec,
    cpuStats<ConntrackCpuStats>(CONNTRACK_STATS), opts);
}

/** Each CPU's expectation counters (`conntrack -S expect`). */
export function dumpExpectStats(opts: FamilyOptions = {}): Dump<ExpectCpuStats> {
  return nfDump(statsRequest(ctaStatsExpCodec, NFNL_SUBSYS.CTNETLINK_EXP, IPCTNL_MSG_EXP.GET_STATS_CPU), ctaStatsExpCodec,
    cpuStats<ExpectCpuStats>(EXPECT_STATS), opts);
}

/** The number of entries in the table and its limit (`conntrack -C`). */
export async function getConntrackCount(opts: FamilyOptions = {}): Promise<ConntrackCount> {
  return withNetfilterSocket(opts, async (sock) => {
    const type = nfnlType(NFNL_SUBSYS.CTNETLINK, IPCTNL_MSG.CT_GET_STATS);
    const r = await sock.request(ctaStatsGlobalCodec.encode(type, NLM_F_ACK, { family: NFPROTO.UNSPEC, version: 0, res_id: 0 } as never), {
      headerSize: 4, ...(opts.signal ? { signal: opts.signal } : {}),
    });
    const m = r.messages.find((x) => nfnlSubsys(x.type) === NFNL_SUBSYS.CTNETLINK && nfnlMsg(x.type) === IPCTNL_MSG.CT_GET_STATS);
    if (!m) throw new Error('IPCTNL_MSG_CT_GET_STATS: the kernel answered without counts');
    const o = ctaStatsGlobalCodec.decodePayload(m.payload) as Record<string, any>;
    return { entries: o.entries ?? 0, ...(o.max_entries !== undefined ? { maxEntries: o.max_entries } : {}) };
  });
}

/** One CPU's line as `conntrack -S` prints it (`prefix` 'expect_' for `conntrack -S expect`). */
export function formatCpuStats(s: ConntrackCpuStats | ExpectCpuStats, prefix = ''): string {
  let line = `cpu=${String(s.cpu).padEnd(4)}\t`;
  const names = prefix ? EXPECT_STATS : CONNTRACK_STATS;
  for (const n of names) {
    const v = (s as Record<string, number | undefined>)[n];
    if (v !== undefined) line += `${prefix}${n}=${v} `;
  }
  return line;
}
