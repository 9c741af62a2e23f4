// `nlkit ip monitor [ all | OBJECTS ] [ label ] [ dev DEV ]`: rtnetlink notifications as ip
// prints them (`Deleted ` prefixes, `[ROUTE]` labels with `all`/`label`, -t/-ts timestamps),
// or with -j one JSON object per line (NDJSON), which iproute2 cannot do: each line is the
// object as `ip -j OBJECT show` prints it, led by "object" (link, address, route, neigh,
// rule, nexthop, netconf, nsid) and "deleted": true for removals.
import { printNetconf } from './print-netconf.js';
import { events, getLink, RTM, type Netconf, type Nsid, type RouteEvent } from '../../route/index.js';
import type { Overrun } from '../../socket/index.js';
import { UsageError } from '../errors.js';
import { Args, matches, usage } from './argv.js';
import { printHeader, type PrintContext } from './common.js';
import type { IpContext } from './index.js';
import type { Output } from './output.js';
import { printAddr } from './print-addr.js';
import { printLink } from './print-link.js';
import { printNeigh } from './print-neigh.js';
import { printNexthop } from './print-nexthop.js';
import { printRoute } from './print-route.js';
import { printRule } from './print-rule.js';
import { printNtable } from './ntable.js';
import { printAddrLabel } from './addrlabel.js';
import { rememberLink, Session } from './session.js';

const USAGE = `Usage: nlkit ip monitor [ all | OBJECTS ] [ label ] [ dev DEVICE ]
OBJECTS :=  address | link | neigh | netconf | nexthop | nsid | prefix | route | rule
With -j every event is one JSON object on its own line (NDJSON).
`;

type Obj = 'link' | 'address' | 'route' | 'neigh' | 'netconf' | 'rule' | 'nsid' | 'nexthop' | 'prefix';

// ip's object words, in ip's order (an abbreviation picks the first match).
const OBJECTS: [string, Obj | 'mroute' | 'stats'][] = [
  ['link', 'link'], ['address', 'address'], ['route', 'route'], ['mroute', 'mroute'], ['prefix', 'prefix'],
  ['neigh', 'neigh'], ['netconf', 'netconf'], ['rule', 'rule'], ['nsid', 'nsid'], ['nexthop', 'nexthop'],
];

/** Groups of each object by family (-4/-6 narrow them like ip). */
function groupsOf(obj: Obj, family: 0 | 4 | 6 | 17): string[] {
  const v4 = family === 0 || family === 4, v6 = family === 0 || family === 6;
  switch (obj) {
    case 'link': return ['link'];
    case 'address': return [...(v4 ? ['ipv4_ifaddr'] : []), ...(v6 ? ['ipv6_ifaddr'] : [])];
    case 'route': return [...(v4 ? ['ipv4_route'] : []), ...(v6 ? ['ipv6_route'] : [])];
    case 'prefix': return v6 ? ['ipv6_prefix'] : [];
    case 'neigh': return ['neigh'];
    case 'netconf': return [...(v4 ? ['ipv4_netconf'] : []), ...(v6 ? ['ipv6_netconf'] : [])];
    case 'rule': return [...(v4 ? ['ipv4_rule'] : []), ...(v6 ? ['ipv6_rule'] : [])];
    case 'nsid': return ['nsid'];
    case 'nexthop': return ['nexthop'];
  }
}

/** print_nsid. */
function printNsid(o: Output, ctx: PrintContext, n: Nsid, deleted: boolean): void {
  o.openObject();
  printHeader(o, ctx, '[NSID]');
  if (deleted) o.field('deleted', true, 'Deleted ');
  const id = n.nsid ?? -1;
  if (id < 0) o.fp('nsid unassigned ');
  else o.field('nsid', id, `nsid ${id} `);
  if (n.current_nsid !== undefined) {
    if (n.current_nsid < 0) o.fp('current-nsid unassigned ');
    else o.field('current-nsid', n.current_nsid, `current-nsid ${n.current_nsid} `);
  }
  o.fp('\n');
  o.closeObject();
}

const KIND_WORD: Record<string, string> = {
  link: 'link', address: 'address', route: 'route', neighbour: 'neigh', rule: 'rule', nexthop: 'nexthop', netconf: 'netconf', nsid: 'nsid',
  ntable: 'ntable', addrlabel: 'addrlabel',
};

/** Runs `ip monitor …`. */
export async function run(ctx: IpContext, argv: string[]): Promise<number> {
  const args = new Args(argv, 'monitor');
  const objs = new Set<Obj>();
  let label = false;
  let dev: string | undefined;
  for (;;) {
    const a = args.next();
    if (a === undefined) break;
    if (a === 'all') {
      label = true;
      continue;
    }
    if (matches(a, 'label')) {
      label = true;
      continue;
    }
    if (matches(a, 'help')) {
      return usage(USAGE);
    }
    if (a === 'dev') {
      dev = args.value('dev');
      continue;
    }
    if (matches(a, 'file') || matches(a, 'all-nsid') || a === 'stats') {
      throw new UsageError(`nlkit ip: "monitor ${a}" is not supported.`, args.hint());
    }
    const hit = OBJECTS.find(([w]) => matches(a, w));
    if (!hit) throw args.unknownCommand(a, 'Argument');
    if (hit[1] === 'mroute' || hit[1] === 'stats') throw new UsageError(`nlkit ip: "monitor ${hit[0]}" is not supported.`, args.hint());
    objs.add(hit[1]);
  }
  const family = ctx.opts.family;
  const wanted: Obj[] = objs.size ? [...objs] : ['link', 'address', 'route', 'prefix', 'neigh', 'netconf', 'rule', 'nsid', 'nexthop'];
  const groups = [...new Set(wanted.flatMap((o) => groupsOf(o, family)))];
  const s = new Session(ctx);
  const names = await s.linkNames();
  let ifindex: number | undefined;
  if (dev !== undefined) {
    ifindex = names.index(dev);
    if (!ifindex) {
      s.close();
      throw args.invalid(dev, 'Device does not exist');
    }
  }
  const pctx: PrintContext = {
    names, details: ctx.opts.details, stats: ctx.opts.stats,
    monitor: { label, timestamp: ctx.opts.timestamp },
  };
  const out = ctx.out;
  const ndjson = out.json;
  const ac = new AbortController();
  const stop = () => ac.abort();
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  process.stdout.on('error', stop);
  const sub = events(groups, { ...(ctx.opts.netns !== undefined ? { netns: ctx.opts.netns } : {}), signal: ac.signal, rcvbuf: 4 << 20 });
  try {
    for await (const ev of sub) {
      if ('overrun' in ev) {
        reportOverrun(out, ev, ndjson);
        continue;
      }
      await learnNames(s, pctx, ev);
      if (printEvent(out, pctx, ev, ifindex, ndjson)) out.flushNow();
    }
  } catch (e) {
    if (!ac.signal.aborted) throw e;
  } finally {
    process.removeListener('SIGINT', stop);
    process.removeListener('SIGTERM', stop);
    sub.close();
    s.close();
  }
  await out.flush().catch(() => undefined);
  return 0;
}

/** ip's ll_index_to_name asks the kernel for an index it has not seen; so do we, before printing. */
async function learnNames(s: Session, ctx: PrintContext, ev: RouteEvent | Overrun): Promise<void> {
  if ('overrun' in ev || ev.kind === 'other' || ev.kind === 'link') return;
  const o = ev.object as unknown as Record<string, unknown>;
  const idx: number[] = [];
  for (const k of ['ifindex', 'oif', 'iif', 'link', 'master']) {
    const v = o[k];
    if (typeof v === 'number' && v > 0) idx.push(v);
  }
  const mp = o.multipath as { ifindex: number }[] | undefined;
  if (mp) for (const nh of mp) if (nh.ifindex > 0) idx.push(nh.ifindex);
  for (const i of idx) {
    if (ctx.names.get(i)) continue;
    try {
      rememberLink(ctx.names, await getLink(i, { ...s.opts, stats: false }));
    } catch {
      // gone already: printed as if<N>, like ip
    }
  }
}

function reportOverrun(out: Output, ev: Overrun, ndjson: boolean): void {
  if (ndjson) {
    out.openObject();
    out.jfield('object', 'overrun');
    out.jfield('code', ev.code);
    out.closeObject();
    out.endRecord();
    out.flushNow();
  } else {
    process.stderr.write(`nlkit ip monitor: the kernel dropped events (${ev.code}); what follows may miss changes\n`);
  }
}

/** Prints one event; returns false when it was filtered out. */
function printEvent(out: Output, ctx: PrintContext, ev: RouteEvent, ifindex: number | undefined, ndjson: boolean): boolean {
  if (ev.kind === 'other') return false;
  const del = ev.event === 'del';
  const o = ev.object as unknown as Record<string, unknown>;
  if (ifindex !== undefined) {
    const idx = ev.kind === 'route' ? o.oif : o.ifindex;
    if (ev.kind !== 'rule' && ev.kind !== 'nexthop' && ev.kind !== 'nsid' && idx !== undefined && idx !== ifindex) return false;
  }
  if (ndjson) out.setRecordPrefix([['object', KIND_WORD[ev.kind] ?? ev.kind], ...timestampField(ctx)]);
  switch (ev.kind) {
    case 'link':
      if (!del) rememberLink(ctx.names, ev.object);
      printLink(out, ctx, ev.object, { doLink: false, showQueue: false, family: 0 }, del);
      if (del && ev.object.ifindex !== undefined) ctx.names.delete(ev.object.ifindex);
      break;
    case 'address':
      printAddr(out, ctx, ev.object, { brief: false, oneline: true }, del);
      break;
    case 'route': {
      const flags = ev.object.flags as (string | number)[] | undefined;
      if (flags?.includes('cloned')) return false;
      printRoute(out, ctx, ev.object, { table: false }, del);
      break;
    }
    case 'neighbour':
      printNeigh(out, ctx, ev.object, {}, del ? 'del' : ev.type === RTM.GETNEIGH ? 'get' : 'new');
      break;
    case 'rule':
      printRule(out, ctx, ev.object, del);
      break;
    case 'nexthop':
      printNexthop(out, ctx, ev.object, del);
      break;
    case 'netconf':
      printNetconf(out, ctx, ev.object, del);
      break;
    case 'nsid':
      printNsid(out, ctx, ev.object, del);
      break;
    // As ip's accept_msg: neighbour tables and address labels when a message of theirs arrives.
    case 'ntable':
      printHeader(out, ctx, '[NEIGHTBL]');
      printNtable(out, ctx, ev.object);
      break;
    case 'addrlabel':
      printHeader(out, ctx, '[ADDRLABEL]');
      printAddrLabel(out, ctx, ev.object, del);
      break;
  }
  if (ndjson) out.endRecord();
  return true;
}

function timestampField(ctx: PrintContext): [string, string][] {
  if (!ctx.monitor?.timestamp) return [];
  return [['timestamp', new Date().toISOString()]];
}
