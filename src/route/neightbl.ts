// Neighbour tables (`ip ntable`): RTM_GETNEIGHTBL dumps one message per table (its thresholds,
// configuration, statistics and default parameters) followed by one per device (that device's
// parameters, NDTPA_IFINDEX set); RTM_SETNEIGHTBL changes thresholds, the gc interval and
// parameters, of a device when NDTPA_IFINDEX is given. Times are milliseconds.
import { attrs, FlatMessageCodec, int, nest, string, struct, structSpec, u32, u64, binary } from '../schema/index.js';
import type { Dump, FamilyOptions } from '../socket/index.js';
import { NLM_F_REPLACE } from '../wire/index.js';
import type { Flat } from './codecs.js';
import { NDTA, NDTPA, RTM } from './constants.js';
import { family, type Family } from './enums.js';
import { resolveLink, type LinkRef } from './links.js';
import { callOptions, routeDump, withSocket } from './socket.js';

/** struct ndtmsg: the header of RTM_*NEIGHTBL (4 bytes). */
export const ndtmsg = structSpec('ndtmsg', [
  { name: 'family', type: 'u8', enum: family },
  { name: '_pad1', type: 'pad', len: 1 },
  { name: '_pad2', type: 'pad', len: 2 },
] as const);

/** struct ndt_config (NDTA_CONFIG, read-only); last_flush and last_rand are ages in ms. */
export const ndtConfig = structSpec('ndt_config', [
  { name: 'key_len', type: 'u16' },
  { name: 'entry_size', type: 'u16' },
  { name: 'entries', type: 'u32' },
  { name: 'last_flush', type: 'u32' },
  { name: 'last_rand', type: 'u32' },
  { name: 'hash_rnd', type: 'u32' },
  { name: 'hash_mask', type: 'u32' },
  { name: 'hash_chain_gc', type: 'u32' },
  { name: 'proxy_qlen', type: 'u32' },
] as const);

/** struct ndt_stats (NDTA_STATS, read-only). */
export const ndtStats = structSpec('ndt_stats', [
  { name: 'allocs', type: 'u64' },
  { name: 'destroys', type: 'u64' },
  { name: 'hash_grows', type: 'u64' },
  { name: 'res_failed', type: 'u64' },
  { name: 'lookups', type: 'u64' },
  { name: 'hits', type: 'u64' },
  { name: 'rcv_probes_mcast', type: 'u64' },
  { name: 'rcv_probes_ucast', type: 'u64' },
  { name: 'periodic_gc_runs', type: 'u64' },
  { name: 'forced_gc_runs', type: 'u64' },
  { name: 'table_fulls', type: 'u64' },
] as const);

/** NDTPA_*: a parameter set (the table's default, or a device's with `ifindex`). */
export const ndtParmsAttrs = attrs('ndtpa', {
  ifindex: [NDTPA.IFINDEX, u32()],
  refcnt: [NDTPA.REFCNT, u32()],
  reachable_time: [NDTPA.REACHABLE_TIME, u64()],
  base_reachable_time: [NDTPA.BASE_REACHABLE_TIME, u64()],
  retrans_time: [NDTPA.RETRANS_TIME, u64()],
  gc_staletime: [NDTPA.GC_STALETIME, u64()],
  delay_probe_time: [NDTPA.DELAY_PROBE_TIME, u64()],
  queue_len: [NDTPA.QUEUE_LEN, u32()],
  app_probes: [NDTPA.APP_PROBES, u32()],
  ucast_probes: [NDTPA.UCAST_PROBES, u32()],
  mcast_probes: [NDTPA.MCAST_PROBES, u32()],
  anycast_delay: [NDTPA.ANYCAST_DELAY, u64()],
  proxy_delay: [NDTPA.PROXY_DELAY, u64()],
  proxy_qlen: [NDTPA.PROXY_QLEN, u32()],
  locktime: [NDTPA.LOCKTIME, u64()],
  queue_lenbytes: [NDTPA.QUEUE_LENBYTES, u32()],
  mcast_reprobes: [NDTPA.MCAST_REPROBES, u32()],
  pad: [NDTPA.PAD, binary()],
  interval_probe_time_ms: [NDTPA.INTERVAL_PROBE_TIME_MS, u64()],
});

/** NDTA_*: the attributes of a neighbour table message. */
export const neighTableAttrs = attrs('ndta', {
  name: [NDTA.NAME, string()],
  thresh1: [NDTA.THRESH1, u32()],
  thresh2: [NDTA.THRESH2, u32()],
  thresh3: [NDTA.THRESH3, u32()],
  config: [NDTA.CONFIG, struct(ndtConfig)],
  parms: [NDTA.PARMS, nest(ndtParmsAttrs)],
  stats: [NDTA.STATS, struct(ndtStats)],
  gc_interval: [NDTA.GC_INTERVAL, int('u64')],
  pad: [NDTA.PAD, binary()],
});

/** RTM_*NEIGHTBL: struct ndtmsg + NDTA_*. */
export const neighTableCodec = new FlatMessageCodec(ndtmsg, neighTableAttrs);
/**
 * A neighbour table message: `family`, `name` ('arp_cache', 'ndisc_cache'), and either the
 * table's `thresh1..3`, `gc_interval`, `config`, `stats` and default `parms`, or one device's
 * `parms` (with `parms.ifindex`).
 */
export type NeighTable = Flat<typeof ndtmsg, typeof neighTableAttrs>;

/** Filters of {@link dumpNeighTables} (applied here: the kernel dumps every table). */
export interface NeighTableFilter {
  family?: Family | number;
  /** Only this table ('arp_cache'). */
  name?: string;
  /** Only this device's parameter sets; `null` for the tables' own messages only (`ip ntable show dev none`). */
  dev?: number | null;
}

/** Dumps the neighbour tables (RTM_GETNEIGHTBL, NLM_F_DUMP), `ip ntable show`. */
export function dumpNeighTables(filter: NeighTableFilter = {}, opts: FamilyOptions = {}): Dump<NeighTable> {
  const f = filter;
  const pred = (t: NeighTable): boolean => {
    if (f.family !== undefined && t.family !== f.family && family.values[t.family as Family] !== f.family) return false;
    if (f.name !== undefined && t.name !== undefined && t.name !== f.name) return false;
    if (f.dev !== undefined) {
      const ix = t.parms?.ifindex;
      if (f.dev === null ? ix !== undefined : ix !== f.dev) return false;
    }
    return true;
  };
  const req = neighTableCodec.encode(RTM.GETNEIGHTBL, 0, { family: f.family ?? 'unspec' } as Partial<NeighTable>);
  return routeDump<NeighTable>(opts, req, neighTableCodec, pred);
}

/** What {@link changeNeighTable} sets: the table by `family` and `name`, a device's parameters with `dev`. */
export interface NeighTableChange {
  family?: Family | number;
  name: string;
  /** Change this device's parameters instead of the table's defaults. */
  dev?: LinkRef;
  thresh1?: number;
  thresh2?: number;
  thresh3?: number;
  /** ms */
  gc_interval?: number | bigint;
  /** Parameters (NDTPA_*), times in ms. */
  parms?: Partial<Omit<NeighTable['parms'] & object, 'ifindex' | 'refcnt' | 'reachable_time'>>;
}

/** Changes a neighbour table or a device's parameters in it (RTM_SETNEIGHTBL, `ip ntable change`). */
export async function changeNeighTable(change: NeighTableChange, opts: FamilyOptions = {}): Promise<void> {
  await withSocket(opts, async (sock) => {
    const o: Record<string, unknown> = { family: change.family ?? 'unspec', name: change.name };
    for (const k of ['thresh1', 'thresh2', 'thresh3', 'gc_interval'] as const) if (change[k] !== undefined) o[k] = change[k];
    const parms: Record<string, unknown> = {};
    if (change.dev !== undefined) parms.ifindex = await resolveLink(change.dev, sock);
    for (const [k, v] of Object.entries(change.parms ?? {})) if (v !== undefined) parms[k] = v;
    if (Object.keys(parms).length) o.parms = parms;
    // NLM_F_REPLACE as `ip ntable change` sends it (the kernel changes in place either way).
    await sock.request(neighTableCodec.encode(RTM.SETNEIGHTBL, NLM_F_REPLACE, o as Partial<NeighTable>), {
      headerSize: neighTableCodec.headerSize, ...callOptions(opts),
    });
  });
}
