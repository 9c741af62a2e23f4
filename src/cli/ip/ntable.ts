// `nlkit ip ntable { show | change }`: neighbour tables as `ip ntable` prints them (the table's
// thresholds and default parameters, then each device's parameters; -s adds the configuration
// and statistics), and RTM_SETNEIGHTBL with ip's keywords.
import { changeNeighTable, dumpNeighTables, type NeighTable, type NeighTableChange } from '../../route/index.js';
import { UsageError } from '../errors.js';
import { Args, IP_EXIT, matches, usage } from './argv.js';
import type { PrintContext } from './common.js';
import type { IpContext } from './index.js';
import type { Output } from './output.js';
import { withSession } from './session.js';

const USAGE = `Usage: nlkit ip ntable change name NAME [ dev DEV ]
          [ thresh1 VAL ] [ thresh2 VAL ] [ thresh3 VAL ] [ gc_int MSEC ]
          [ PARMS ]
Usage: nlkit ip ntable show [ dev DEV ] [ name NAME ]
PARMS := [ base_reachable MSEC ] [ retrans MSEC ] [ gc_stale MSEC ]
         [ delay_probe MSEC ] [ queue LEN ]
         [ app_probes VAL ] [ ucast_probes VAL ] [ mcast_probes VAL ]
         [ anycast_delay MSEC ] [ proxy_delay MSEC ] [ proxy_queue LEN ]
         [ locktime MSEC ]
`;

/** ntable_strtime_delta: the local time `ms` ago, "(error)" for 0. */
function strtimeDelta(ms: number): string {
  if (ms === 0) return '(error)';
  const d = new Date(Math.floor(Date.now() / 1000) * 1000 - Math.floor(ms / 1000) * 1000);
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}`;
}

type Num = number | bigint;

/** print_ntable: one table or device parameter set. */
export function printNtable(o: Output, ctx: PrintContext, t: NeighTable): void {
  o.openObject();
  const fam = typeof t.family === 'string' ? t.family : String(t.family);
  o.field('family', fam, `${fam} `);
  if (t.name !== undefined) o.field('name', t.name, `${t.name} `);
  o.nl();
  const th = t.thresh1 !== undefined || t.thresh2 !== undefined || t.thresh3 !== undefined || t.gc_interval !== undefined;
  if (th) o.fp('    ');
  const u = (key: string, label: string, v: Num | undefined) => {
    if (v !== undefined) o.field(key, v, `${label} ${v} `);
  };
  u('thresh1', 'thresh1', t.thresh1);
  u('thresh2', 'thresh2', t.thresh2);
  u('thresh3', 'thresh3', t.thresh3);
  u('gc_interval', 'gc_int', t.gc_interval as Num | undefined);
  if (th) o.nl();
  const c = t.config;
  if (c && ctx.stats) {
    o.field('key_length', c.key_len, `    config key_len ${c.key_len} `);
    o.field('entry_size', c.entry_size, `entry_size ${c.entry_size} `);
    o.field('entries', c.entries, `entries ${c.entries} `);
    o.nl();
    const lf = strtimeDelta(c.last_flush), lr = strtimeDelta(c.last_rand);
    o.field('last_flush', lf, `        last_flush ${lf} `);
    o.field('last_rand', lr, `last_rand ${lr} `);
    o.nl();
    o.field('hash_rnd', c.hash_rnd, `        hash_rnd ${c.hash_rnd} `);
    o.field('hash_mask', `0x${c.hash_mask.toString(16)}`, `hash_mask ${c.hash_mask.toString(16).padStart(8, '0')} `);
    o.field('hash_chain_gc', c.hash_chain_gc, `hash_chain_gc ${c.hash_chain_gc} `);
    o.field('proxy_qlen', c.proxy_qlen, `proxy_qlen ${c.proxy_qlen} `);
    o.nl();
  }
  const p = t.parms;
  if (p) {
    if (p.ifindex !== undefined) {
      const dev = ctx.names.name(p.ifindex);
      o.fp('    dev ');
      o.field('dev', dev, `${dev} `);
      o.nl();
    }
    o.fp('    ');
    u('refcnt', 'refcnt', p.refcnt);
    u('reachable', 'reachable', p.reachable_time);
    u('base_reachable', 'base_reachable', p.base_reachable_time);
    u('retrans', 'retrans', p.retrans_time);
    o.fp(`${o.sl}    `);
    u('gc_stale', 'gc_stale', p.gc_staletime);
    u('delay_probe', 'delay_probe', p.delay_probe_time);
    u('queue', 'queue', p.queue_len);
    o.fp(`${o.sl}    `);
    u('app_probes', 'app_probes', p.app_probes);
    u('ucast_probes', 'ucast_probes', p.ucast_probes);
    u('mcast_probes', 'mcast_probes', p.mcast_probes);
    o.fp(`${o.sl}    `);
    u('anycast_delay', 'anycast_delay', p.anycast_delay);
    u('proxy_delay', 'proxy_delay', p.proxy_delay);
    u('proxy_queue', 'proxy_queue', p.proxy_qlen);
    u('locktime', 'locktime', p.locktime);
    o.nl();
  }
  const s = t.stats;
  if (s && ctx.stats) {
    o.fp('    stats ');
    u('allocs', 'allocs', s.allocs);
    u('destroys', 'destroys', s.destroys);
    u('hash_grows', 'hash_grows', s.hash_grows);
    o.fp(`${o.sl}    `);
    u('res_failed', 'res_failed', s.res_failed);
    u('lookups', 'lookups', s.lookups);
    u('hits', 'hits', s.hits);
    o.fp(`${o.sl}    `);
    u('rcv_probes_mcast', 'rcv_probes_mcast', s.rcv_probes_mcast);
    u('rcv_probes_ucast', 'rcv_probes_ucast', s.rcv_probes_ucast);
    o.fp(`${o.sl}    `);
    u('periodic_gc_runs', 'periodic_gc_runs', s.periodic_gc_runs);
    u('forced_gc_runs', 'forced_gc_runs', s.forced_gc_runs);
    o.fp(`${o.sl}    `);
    u('table_fulls', 'table_fulls', s.table_fulls);
    o.nl();
  }
  o.fp('\n');
  o.closeObject();
}

async function show(ctx: IpContext, args: Args): Promise<number> {
  let dev: string | undefined, name: string | undefined;
  while (args.left) {
    const a = args.next()!;
    if (a === 'dev') dev = args.value(a);
    else if (a === 'name') name = args.value(a);
    else throw args.invalid(a, 'unknown');
  }
  return withSession(ctx, async (s) => {
    let index: number | null | undefined;
    if (dev === 'none') index = null;
    else if (dev !== undefined) {
      index = (await s.linkNames()).index(dev);
      if (!index) throw args.invalid(dev, '"DEV" is invalid');
    }
    const family = ctx.opts.family === 4 ? 'inet' : ctx.opts.family === 6 ? 'inet6' : undefined;
    const pctx = await s.printContext();
    const o = ctx.out;
    o.begin();
    for await (const t of dumpNeighTables({ ...(family ? { family } : {}), ...(name !== undefined ? { name } : {}), ...(index !== undefined ? { dev: index } : {}) }, s.opts)) {
      printNtable(o, pctx, t);
      await o.drain();
    }
    await o.end();
    return 0;
  });
}

const U64 = ['base_reachable', 'retrans', 'gc_stale', 'delay_probe', 'anycast_delay', 'proxy_delay', 'locktime'] as const;
const PARMS: Record<string, [string, 'u32' | 'u64']> = {
  base_reachable: ['base_reachable_time', 'u64'], retrans: ['retrans_time', 'u64'], gc_stale: ['gc_staletime', 'u64'],
  delay_probe: ['delay_probe_time', 'u64'], queue: ['queue_len', 'u32'], app_probes: ['app_probes', 'u32'],
  ucast_probes: ['ucast_probes', 'u32'], mcast_probes: ['mcast_probes', 'u32'], anycast_delay: ['anycast_delay', 'u64'],
  proxy_delay: ['proxy_delay', 'u64'], proxy_queue: ['proxy_qlen', 'u32'], locktime: ['locktime', 'u64'],
};
void U64;

function parseNum(args: Args, kw: string, v: string, type: 'u32' | 'u64'): number | bigint {
  const ok = /^(0x[0-9a-f]+|0[0-7]*|[1-9][0-9]*)$/i.test(v);
  const n = ok ? BigInt(v.startsWith('0') && !/^0x/i.test(v) && v.length > 1 ? `0o${v.slice(1)}` : v) : -1n;
  if (n < 0n || n > (type === 'u32' ? 0xffffffffn : 0xffffffffffffffffn)) throw args.invalid(v, `"${kw}" value is invalid`);
  return n <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(n) : n;
}

async function change(ctx: IpContext, args: Args): Promise<number> {
  let name: string | undefined, dev: string | undefined;
  const c: Partial<NeighTableChange> & { parms: Record<string, number | bigint> } = { parms: {} };
  let thresh = false, gc = false;
  while (args.left) {
    const a = args.next()!;
    if (a === 'name') {
      const v = args.value(a);
      if (name !== undefined) throw args.duplicate('NAME', v);
      name = v;
    } else if (a === 'thresh1' || a === 'thresh2' || a === 'thresh3') {
      c[a] = parseNum(args, a, args.value(a), 'u32') as number;
      thresh = true;
    } else if (a === 'gc_int') {
      c.gc_interval = parseNum(args, a, args.value(a), 'u64');
      gc = true;
    } else if (a === 'dev') dev = args.value(a);
    else if (PARMS[a]) {
      const [key, type] = PARMS[a]!;
      c.parms[key] = parseNum(args, a, args.value(a), type);
    } else throw args.invalid(a, 'unknown');
  }
  if (name === undefined) throw new UsageError('Error: argument "NAME" is required', undefined, IP_EXIT.INVARG);
  if (!thresh && !gc && Object.keys(c.parms).length === 0) {
    throw new UsageError('Not enough information: changeable attributes required.', undefined, IP_EXIT.INVARG);
  }
  return withSession(ctx, async (s) => {
    const family = ctx.opts.family === 4 ? 'inet' : ctx.opts.family === 6 ? 'inet6' : 'unspec';
    const change: NeighTableChange = { ...c, name, family, ...(dev !== undefined ? { dev: await s.ifindex(dev) } : {}) } as NeighTableChange;
    await changeNeighTable(change, s.opts);
    return 0;
  });
}

/** `nlkit ip ntable …`. */
export async function run(ctx: IpContext, argv: string[]): Promise<number> {
  const args = new Args(argv, 'ntable');
  const cmd = args.next();
  if (cmd === undefined) return show(ctx, new Args([], 'ntable'));
  if (matches(cmd, 'change') || matches(cmd, 'chg')) return change(ctx, args);
  if (matches(cmd, 'show') || matches(cmd, 'lst') || matches(cmd, 'list')) return show(ctx, args);
  if (matches(cmd, 'help')) return usage(USAGE);
  throw new UsageError(`Command "${cmd}" is unknown, try "ip ntable help".`, undefined, IP_EXIT.INVARG);
}
