// `nlkit ip monitor [ all | OBJECTS ] [ label ] [ dev DEV ]`: rtnetlink notifications as ip
// prints them (`Deleted ` prefixes, `[ROUTE]` labels with `all`/`label`, -t/-ts timestamps),
// or with -j one JSON object per line (NDJSON), which iproute2 cannot do: each line is the
// object as `ip -j OBJECT show` prints it, led by "object" (link, address, route, neigh,
// rule, nexthop, netconf, nsid) and "deleted": true for removals.
import { printNetconf } from './print-netconf.js';
import { readFileSync } from 'node:fs';
import { decodeRouteEvent, events, getLink, RTM, type Netconf, type Nsid, type RouteEvent } from '../../route/index.js';
import { errnoMessage, errnoValue, type Overrun } from '../../socket/index.js';
import { MessageReader, NLMSG_DONE, NLMSG_ERROR, NLMSG_NOOP } from '../../wire/index.js';
import { UsageError } from '../errors.js';
import { Args, matches, usage } from './argv.js';
import { LinkNames, printHeader, type PrintContext } from './common.js';
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

const USAGE = `Usage: nlkit ip monitor [ all | OBJECTS ] [ FILE ] [ label ] [ dev DEVICE ]
OBJECTS :=  address | link | neigh | netconf | nexthop | nsid | prefix | route | rule
FILE := file FILENAME
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
  let file: string | undefined;
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
    if (matches(a, 'file')) {
      file = args.value(a);
      continue;
    }
    if (matches(a, 'all-nsid') || a === 'stats') {
      throw new UsageError(`nlkit ip: "monitor ${a}" is not supported.`, args.hint());
    }
    const hit = OBJECTS.find(([w]) => matches(a, w));
    if (!hit) throw args.unknownCommand(a, 'Argument');
    if (hit[1] === 'mroute' || hit[1] === 'stats') throw new UsageError(`nlkit ip: "monitor ${hit[0]}" is not supported.`, args.hint());
    objs.add(hit[1]);
  }
  if (file !== undefined) return fromFile(ctx, file, label);
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

// The message types ip's accept_msg prints; the others are "Unknown message" (NLMSG_ERROR,
// NOOP and DONE are passed over in silence).
const FILE_TYPES = new Set<number>([
  RTM.NEWROUTE, RTM.DELROUTE, RTM.NEWNEXTHOP, RTM.DELNEXTHOP, RTM.NEWLINK, RTM.DELLINK, RTM.NEWADDR, RTM.DELADDR,
  RTM.NEWADDRLABEL, RTM.DELADDRLABEL, RTM.NEWNEIGH, RTM.DELNEIGH, RTM.GETNEIGH, RTM.NEWRULE, RTM.DELRULE,
  RTM.NEWNETCONF, RTM.DELNETCONF, RTM.NEWNSID, RTM.DELNSID,
]);
const NLMSG_TSTAMP = 15; // rtmon's timestamp record (iproute2's libnetlink.h, not the kernel's)
const FILE_BUF = 32768; // rtnl_from_file's buffer: a longer message is malformed to ip

/**
 * `ip monitor file FILE`: the messages rtmon saved (or any concatenation of rtnetlink
 * messages), printed as the live monitor prints them. Names come from the file's own link
 * messages, and the kernel is asked for the others (ip's ll_link_get does the same).
 */
async function fromFile(ctx: IpContext, file: string, label: boolean): Promise<number> {
  let buf: Buffer;
  try {
    buf = readFileSync(file);
  } catch (e) {
    process.stderr.write(`Cannot fopen: ${errnoMessage(errnoValue(String((e as NodeJS.ErrnoException).code)) ?? 0)}\n`);
    return 255;
  }
  const pctx: PrintContext = {
    names: new LinkNames(), details: ctx.opts.details, stats: ctx.opts.stats,
    monitor: { label, timestamp: ctx.opts.timestamp },
  };
  const out = ctx.out;
  const s = new Session(ctx);
  let status = 0;
  try {
    for (const r of savedMessages(buf)) {
      if (typeof r === 'string') {
        process.stderr.write(r);
        status = 255;
        break;
      }
      if (r.type === NLMSG_TSTAMP) printFileTimestamp(out, buf, r.payloadStart, r.payloadEnd);
      if (r.type === NLMSG_TSTAMP || r.type === NLMSG_ERROR || r.type === NLMSG_NOOP || r.type === NLMSG_DONE) continue;
      const ev = FILE_TYPES.has(r.type) ? decodeRouteEvent(r, { group: 0, nsid: undefined }) : undefined;
      if (!ev || ev.kind === 'other') {
        process.stderr.write(`Unknown message: type=${hex8(r.type)}(${r.type}) flags=${hex8(r.flags)}(${r.flags}) len=${hex8(r.length)}(${r.length})\n`);
        continue;
      }
      await learnNames(s, pctx, ev);
      if (printEvent(out, pctx, ev, undefined, out.json)) out.flushNow();
    }
  } finally {
    s.close();
  }
  await out.flush().catch(() => undefined);
  return status;
}

/**
 * rtnl_from_file's walk: each message of a saved file, or the line ip prints where the file
 * stops making sense (a length outside 16…32768, or the file ending inside a message).
 */
function* savedMessages(buf: Buffer): Generator<MessageReader | string> {
  for (let at = 0; at < buf.length;) {
    if (buf.length - at < 16) return yield 'rtnl-from_file: unexpected EOF\n';
    const len = buf.readUInt32LE(at);
    if (len < 16 || len > FILE_BUF) return yield `!!!malformed message: len=${len | 0} @${at + 16}\n`;
    const next = at + ((len + 3) & ~3);
    if (next > buf.length) return yield 'rtnl-from_file: unexpected EOF\n';
    const r = new MessageReader(buf, at, at + len);
    r.next();
    yield r;
    at = next;
  }
}

function hex8(n: number): string {
  return `0x${n.toString(16).padStart(8, '0')}`;
}

/** print_nlmsg_timestamp: the seconds as ctime() and the microseconds. */
function printFileTimestamp(out: Output, buf: Buffer, start: number, end: number): void {
  if (end - start < 8) return;
  const secs = buf.readUInt32LE(start), usecs = buf.readUInt32LE(start + 4);
  out.fp(`Timestamp: ${ctimeText(new Date(secs * 1000))} ${usecs} us\n`);
}

/** ctime(3) without its newline: `Sun Dec  6 07:29:40 2026` in local time. */
function ctimeText(d: Date): string {
  const day = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'][d.getDay()]!;
  const mon = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'][d.getMonth()]!;
  const p2 = (n: number) => String(n).padStart(2, '0');
  return `${day} ${mon} ${String(d.getDate()).padStart(2, ' ')} ${p2(d.getHours())}:${p2(d.getMinutes())}:${p2(d.getSeconds())} ${d.getFullYear()}`;
}

/** ip's ll_index_to_name asks the kernel for an index it has not seen; so do we, before printing. */
async function learnNames(s: Session, ctx: PrintContext, ev: RouteEvent | Overrun): Promise<void> {
  if ('overrun' in ev || ev.kind === 'other') return;
  const o = ev.object as unknown as Record<string, unknown>;
  const idx: number[] = [];
  // A link's own ifindex is what it announces; its lower device and master may be unknown.
  const keys = ev.kind === 'link' ? (o.link_netnsid === undefined ? ['link', 'master'] : ['master']) : ['ifindex', 'oif', 'iif', 'link', 'master'];
  for (const k of keys) {
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
