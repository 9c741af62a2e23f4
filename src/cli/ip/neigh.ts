// `nlkit ip neigh`: show/list, get, add, change, replace, delete and flush — over nlkit/route.
import {
  addNeighbour, changeNeighbour, deleteNeighbour, dumpNeighbours, flushNeighbours, getNeighbour, neighCodec, replaceNeighbour, RTM,
  type Neighbour, type NeighbourSpec,
} from '../../route/index.js';
import { UsageError } from '../errors.js';
import { addrBytes, Args, inPrefix, matches, parseAddress, parseLladdr, parsePrefix, type Family, type Prefix, usage } from './argv.js';
import type { IpContext } from './index.js';
import type { NetlinkSocket } from '../../socket/index.js';
import { flushRounds } from './flush.js';
import { applyVerb, command, objectRunner, verbCommands, type VerbTable } from './dispatch.js';
import { protocol } from '../../route/enums.js';
import { decodedIs } from './common.js';
import { parseUnsigned, protocols } from './names.js';
import { neighFlagsNum, neighStateNum, printNeigh } from './print-neigh.js';
import { withSession } from './session.js';

const USAGE = `Usage: nlkit ip neigh { add | del | change | replace }
                { ADDR [ lladdr LLADDR ] [ nud STATE ] | proxy ADDR } [ dev DEV ]
                [ router ] [ extern_learn ] [ protocol PROTO ]
       nlkit ip neigh { show | flush } [ proxy ] [ to PREFIX ] [ dev DEV ] [ nud STATE ]
       nlkit ip neigh get { ADDR | proxy ADDR } dev DEV
STATE := { permanent | noarp | stale | reachable | none | incomplete | delay | probe | failed }
`;

const NUD: Record<string, number> = {
  incomplete: 0x01, reachable: 0x02, stale: 0x04, delay: 0x08, probe: 0x10, failed: 0x20, noarp: 0x40, permanent: 0x80,
  none: 0x00,
};
const NUD_NAMES = Object.entries(NUD).filter(([, v]) => v !== 0);

/** nud_state_a2n: a state name (permanent/reachable/failed by prefix) or a single-bit number. */
function nudState(v: string): number | undefined {
  if (matches(v, 'permanent')) return NUD.permanent;
  if (matches(v, 'reachable')) return NUD.reachable;
  if (v in NUD) return NUD[v];
  if (matches(v, 'failed')) return NUD.failed;
  const n = parseUnsigned(v);
  if (n === undefined || n >= 0x100 || (n & (n - 1)) !== 0) return undefined;
  return n;
}

function stateNames(bits: number): string[] {
  return NUD_NAMES.filter(([, b]) => bits & b).map(([n]) => n);
}

/** Runs `ip neigh …`. */
export const run = objectRunner({
  object: 'neigh',
  usage: USAGE,
  default: (ctx, args) => list(ctx, args, false),
  commands: [
    ...verbCommands(['add', 'change', 'replace', 'delete'], modify),
    command(['get'], (ctx, args) => get(ctx, args)),
    command(['show', 'list', 'lst'], (ctx, args) => list(ctx, args, false)),
    command(['flush'], (ctx, args) => list(ctx, args, true)),
  ],
});

function ctxFamily(ctx: IpContext): Family | undefined {
  return ctx.opts.family === 4 || ctx.opts.family === 6 ? ctx.opts.family : undefined;
}

/** What each verb calls in nlkit/route. */
const NEIGH_VERBS: VerbTable<NeighbourSpec, { socket: NetlinkSocket }> = {
  add: addNeighbour, change: changeNeighbour, replace: replaceNeighbour, delete: deleteNeighbour,
};

/** ipneigh_modify. */
async function modify(ctx: IpContext, args: Args, cmd: 'add' | 'change' | 'replace' | 'delete'): Promise<number> {
  const family = ctxFamily(ctx);
  let dst: { family: Family; addr: string } | undefined;
  let dev: string | undefined;
  let lladdr: string | undefined;
  let state: number | undefined;
  let proxy = false;
  let protocol: number | undefined;
  const flags: string[] = [];
  for (;;) {
    const a = args.next();
    if (a === undefined) break;
    if (matches(a, 'lladdr')) {
      const v = args.value(a);
      if (lladdr !== undefined) throw args.duplicate('lladdr', v);
      lladdr = v;
    } else if (a === 'nud') {
      const v = args.value(a);
      const n = nudState(v);
      if (n === undefined) throw args.invalid(v, 'nud state is bad');
      state = n;
    } else if (matches(a, 'proxy')) {
      const v = args.value(a);
      if (dst) throw args.duplicate('address', v);
      dst = parseAddress(args, v, family);
      proxy = true;
    } else if (a === 'router') {
      flags.push('router');
    } else if (matches(a, 'extern_learn')) {
      flags.push('extern_learn');
    } else if (a === 'dev') {
      dev = args.value(a);
    } else if (matches(a, 'protocol')) {
      const v = args.value(a);
      const n = protocols.a2n(v);
      if (n === undefined) throw args.invalid(v, '"protocol" value is invalid');
      protocol = n;
    } else {
      let v = a;
      if (v === 'to') v = args.value('to');
      if (matches(v, 'help')) {
        return usage(USAGE);
      }
      if (dst) throw args.duplicate('to', v);
      dst = parseAddress(args, v, family);
    }
  }
  if ((!dev && !proxy) || !dst) throw args.error('Device and destination are required arguments.');
  let mac: string | undefined;
  if (lladdr !== undefined && lladdr !== 'null') {
    mac = parseLladdr(lladdr);
    if (!mac) throw args.error(`"${lladdr}" is invalid lladdr.`);
  }
  return withSession(ctx, async (s) => {
    const spec: NeighbourSpec = { dst: dst!.addr, family: dst!.family === 4 ? 'inet' : 'inet6' };
    spec.ifindex = dev !== undefined ? await s.ifindex(dev) : 0;
    if (mac !== undefined) spec.lladdr = mac;
    if (proxy) spec.proxy = true;
    if (flags.length) spec.flags = flags as never;
    if (protocol !== undefined) spec.protocol = protocol as never;
    // ip sends NUD_PERMANENT unless told otherwise, proxies included.
    spec.state = stateNames(state ?? NUD.permanent) as never;
    await applyVerb(NEIGH_VERBS, cmd, spec, s.opts);
    return 0;
  });
}

interface NeighFilter {
  index?: number;
  state: number;
  unused: boolean;
  pfx?: Prefix;
  protocol?: number;
  proxy: boolean;
  masterDev?: string;
}

function neighMatches(n: Neighbour, f: NeighFilter, family: Family | undefined): boolean {
  if (family !== undefined && n.family !== (family === 4 ? 'inet' : 'inet6')) return false;
  if (f.index && n.ifindex !== f.index) return false;
  const state = neighStateNum(n);
  const flags = neighFlagsNum(n);
  if (!(f.state & state) && !(flags & 0x08) && !(flags & 0x10) && (state || !(f.state & 0x100)) && n.family !== 'dnet') return false;
  if (f.pfx && n.dst !== undefined && !f.pfx.any) {
    const b = addrBytes(n.dst);
    if ((b.length === 4 ? 4 : 6) !== f.pfx.family || !inPrefix(b, addrBytes(f.pfx.addr), f.pfx.len)) return false;
  }
  if (f.protocol && !decodedIs(protocol, n.protocol as string | number | undefined, f.protocol)) return false;
  if (f.unused && n.cacheinfo?.refcnt) return false;
  return true;
}

/** do_show_or_flush. */
async function list(ctx: IpContext, args: Args, flush: boolean): Promise<number> {
  if (flush && args.left === 0) throw args.error('Flush requires arguments.');
  let family = ctxFamily(ctx);
  const f: NeighFilter = { state: flush ? ~(NUD.permanent | NUD.noarp) : 0xff & ~NUD.noarp, unused: false, proxy: false };
  let dev: string | undefined;
  let stateGiven = false;
  for (;;) {
    const a = args.next();
    if (a === undefined) break;
    if (a === 'dev') {
      const v = args.value(a);
      if (dev !== undefined) throw args.duplicate('dev', v);
      dev = v;
    } else if (a === 'master') {
      f.masterDev = args.value(a);
    } else if (a === 'vrf') {
      throw args.error('nlkit ip: "vrf" is not supported.');
    } else if (a === 'unused') {
      f.unused = true;
    } else if (a === 'nud') {
      const v = args.value(a);
      if (!stateGiven) {
        stateGiven = true;
        f.state = 0;
      }
      let n = nudState(v);
      if (n === undefined) {
        if (v !== 'all') throw args.invalid(v, 'nud state is bad');
        n = ~0;
        if (flush) n &= ~NUD.noarp;
      }
      if (n === 0) n = 0x100;
      f.state |= n;
    } else if (a === 'proxy') {
      f.proxy = true;
    } else if (matches(a, 'protocol')) {
      const v = args.value(a);
      const n = protocols.a2n(v);
      if (n === undefined && v !== 'all') throw args.invalid(v, 'invalid "protocol"');
      f.protocol = n ?? 0;
    } else {
      let v = a;
      if (v === 'to') v = args.value('to');
      if (matches(v, 'help')) {
        return usage(USAGE);
      }
      f.pfx = parsePrefix(args, v, family);
      family ??= f.pfx.family;
    }
  }
  return withSession(ctx, async (s) => {
    if (dev !== undefined) f.index = await s.ifindex(dev);
    const master = f.masterDev !== undefined ? await s.ifindex(f.masterDev) : undefined;
    const pctx = await s.printContext();
    const famName = family === 4 ? 'inet' : family === 6 ? 'inet6' : undefined;
    const dump = () => dumpNeighbours({
      ...(famName ? { family: famName } : {}), ...(f.index ? { dev: f.index } : {}), ...(master ? { master } : {}),
      ...(f.proxy ? { proxy: true } : {}),
    }, s.opts);
    if (flush) {
      return flushRounds<Neighbour>(ctx, s, {
        noun: 'entries',
        summaryInJson: true,
        where: (n) => neighMatches(n, f, family),
        print: (n) => printNeigh(ctx.out, pctx, n, { dev: f.index !== undefined }, 'del'),
        call: (opts) => flushNeighbours({
          ...(famName ? { family: famName } : {}), ...(f.index ? { dev: f.index } : {}), ...(master ? { master } : {}),
          ...(f.proxy ? { proxy: true } : {}),
        }, opts),
        // ip retries FAILED entries in the first round only.
        afterRound: () => {
          f.state &= ~NUD.failed;
        },
      });
    }
    const out = ctx.out;
    out.begin();
    for await (const n of dump()) {
      if (!neighMatches(n, f, family)) continue;
      printNeigh(out, pctx, n, { dev: f.index !== undefined });
    }
    await out.end();
    return 0;
  });
}

/** ipneigh_get. */
async function get(ctx: IpContext, args: Args): Promise<number> {
  const family = ctxFamily(ctx);
  let dst: { family: Family; addr: string } | undefined;
  let dev: string | undefined;
  let proxy = false;
  for (;;) {
    const a = args.next();
    if (a === undefined) break;
    if (a === 'dev') dev = args.value(a);
    else if (matches(a, 'proxy')) {
      const v = args.value(a);
      if (dst) throw args.duplicate('address', v);
      dst = parseAddress(args, v, family);
      proxy = true;
    } else {
      let v = a;
      if (v === 'to') v = args.value('to');
      if (matches(v, 'help')) {
        return usage(USAGE);
      }
      if (dst) throw args.duplicate('to', v);
      dst = parseAddress(args, v, family);
    }
  }
  if ((!dev && !proxy) || !dst) throw args.error('Device and address are required arguments.');
  return withSession(ctx, async (s) => {
    const ifindex = dev !== undefined ? await s.ifindex(dev) : 0;
    const n = await getNeighbour({ dst: dst!.addr, ifindex, proxy }, s.opts);
    const pctx = await s.printContext();
    ctx.out.begin();
    printNeigh(ctx.out, pctx, n, {});
    await ctx.out.end();
    return 0;
  });
}
