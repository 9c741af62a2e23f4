// `nlkit ip nexthop`: show/list, get, add, replace, delete and flush of nexthop objects and
// groups — over nlkit/route.
import {
  addNexthop, deleteNexthop, dumpNexthops, flushNexthops, nexthopCodec, RTM, getNexthop, replaceNexthop, type Nexthop, type NexthopObjectSpec,
} from '../../route/index.js';
import { UsageError } from '../errors.js';
import { Args, matches, parseAddress, type Family, usage } from './argv.js';
import type { IpContext } from './index.js';
import { applyVerb, command, objectRunner, verbCommands } from './dispatch.js';
import { protocol } from '../../route/enums.js';
import { decodedIs } from './common.js';
import { parseUnsigned, protocols } from './names.js';
import { printNexthop } from './print-nexthop.js';
import { withSession } from './session.js';

const USAGE = `Usage: nlkit ip nexthop { list | flush } [ protocol ID ] SELECTOR
       nlkit ip nexthop { add | replace } id ID NH [ protocol ID ]
       nlkit ip nexthop { get | del } id ID
SELECTOR := [ id ID ] [ dev DEV ] [ master DEV ] [ groups ] [ fdb ]
NH := { blackhole | [ via ADDRESS ] [ dev DEV ] [ onlink ] | group GROUP [ fdb ] [ type TYPE ] }
GROUP := [ <id[,weight]>/<id[,weight]>/... ]
TYPE := { mpath | resilient }
`;

/** Runs `ip nexthop …`. */
export const run = objectRunner({
  object: 'nexthop',
  usage: USAGE,
  default: (ctx, args) => list(ctx, args, false),
  commands: [
    ...verbCommands(['add', 'replace'], modify),
    command(['delete'], (ctx, args) => idCommand(ctx, args, 'delete')),
    command(['get'], (ctx, args) => idCommand(ctx, args, 'get')),
    command(['list', 'show', 'lst'], (ctx, args) => list(ctx, args, false)),
    command(['flush'], (ctx, args) => list(ctx, args, true)),
    command(['bucket'], async (_ctx, args) => {
      throw new UsageError('nlkit ip: "nexthop bucket" is not supported.', args.hint());
    }),
  ],
});

function parseId(args: Args, v: string): number {
  const n = parseUnsigned(v);
  if (n === undefined) throw args.invalid(v, 'invalid id value');
  return n;
}

function parseGroup(args: Args, v: string): { id: number; weight: number }[] {
  const out: { id: number; weight: number }[] = [];
  for (const part of v.split('/')) {
    const [id, w] = part.split(',');
    const n = parseUnsigned(id ?? '');
    if (n === undefined || n === 0) throw args.invalid(v, 'Invalid nexthop id');
    let weight = 1;
    if (w !== undefined) {
      const x = parseUnsigned(w);
      if (x === undefined || x === 0 || x > 256) throw args.invalid(v, 'Invalid weight for nexthop');
      weight = x;
    }
    out.push({ id: n, weight });
  }
  return out;
}

/** ipnh_modify. */
async function modify(ctx: IpContext, args: Args, cmd: 'add' | 'replace'): Promise<number> {
  let family: Family | undefined = ctx.opts.family === 4 || ctx.opts.family === 6 ? ctx.opts.family : undefined;
  const spec: NexthopObjectSpec & Record<string, unknown> = {};
  let dev: string | undefined;
  for (;;) {
    const a = args.next();
    if (a === undefined) break;
    if (a === 'id') spec.id = parseId(args, args.value(a));
    else if (a === 'dev') dev = args.value(a);
    else if (a === 'via') {
      const p = parseAddress(args, args.value(a), family);
      if (family !== undefined && p.family !== family) throw args.error('Error: Nexthop gateway does not match address family');
      family = p.family;
      spec.gateway = p.addr;
    } else if (a === 'blackhole') {
      spec.blackhole = true;
      family ??= 4;
    } else if (a === 'fdb') spec.fdb = true;
    else if (a === 'onlink') spec.onlink = true;
    else if (a === 'group') spec.group = parseGroup(args, args.value(a));
    else if (a === 'type') {
      const v = args.value(a);
      if (v === 'mpath') spec.group_type = 'mpath';
      else if (v === 'resilient') spec.group_type = 'resilient';
      else throw args.invalid(v, '"type" value is invalid');
    } else if (matches(a, 'protocol')) {
      const v = args.value(a);
      const n = protocols.a2n(v);
      if (n === undefined) throw args.invalid(v, '"protocol" value is invalid');
      spec.protocol = n;
    } else if (a === 'encap') {
      throw args.error('nlkit ip: "encap" is not supported.');
    } else if (matches(a, 'help')) {
      return usage(USAGE);
    } else throw args.invalid(a, "unknown nexthop argument");
  }
  if (spec.group) family = undefined;
  if (family !== undefined) spec.family = family === 4 ? 'inet' : 'inet6';
  else if (spec.group) spec.family = 'unspec';
  return withSession(ctx, async (s) => {
    if (dev !== undefined) spec.oif = await s.ifindex(dev);
    await applyVerb({ add: addNexthop, replace: replaceNexthop }, cmd, spec, s.opts);
    return 0;
  });
}

async function idCommand(ctx: IpContext, args: Args, cmd: 'delete' | 'get'): Promise<number> {
  let id: number | undefined;
  for (;;) {
    const a = args.next();
    if (a === undefined) break;
    if (a === 'id') id = parseId(args, args.value(a));
    else if (matches(a, 'help')) {
      return usage(USAGE);
    } else throw args.invalid(a, "unknown argument");
  }
  if (id === undefined && cmd !== 'delete') throw args.error(USAGE.trimEnd());
  return withSession(ctx, async (s) => {
    if (cmd === 'delete') {
      // Without an id ip still sends RTM_DELNEXTHOP; the kernel's refusal names what is missing.
      if (id === undefined) await s.sock.request(nexthopCodec.encode(RTM.DELNEXTHOP, 0, { family: 'unspec' } as Partial<Nexthop>), { headerSize: 8 });
      else await deleteNexthop(id, s.opts);
      return 0;
    }
    const nh = await getNexthop(id!, s.opts);
    const pctx = await s.printContext();
    ctx.out.begin();
    printNexthop(ctx.out, pctx, nh);
    await ctx.out.end();
    return 0;
  });
}

/** ipnh_list_flush. */
async function list(ctx: IpContext, args: Args, flush: boolean): Promise<number> {
  const f: { id?: number; dev?: string; master?: string; groups?: boolean; fdb?: boolean; protocol?: number } = {};
  for (;;) {
    const a = args.next();
    if (a === undefined) break;
    if (a === 'id') f.id = parseId(args, args.value(a));
    else if (a === 'dev') f.dev = args.value(a);
    else if (a === 'master') f.master = args.value(a);
    else if (a === 'groups') f.groups = true;
    else if (a === 'fdb') f.fdb = true;
    else if (matches(a, 'protocol')) {
      const v = args.value(a);
      const n = protocols.a2n(v);
      if (n === undefined) throw args.invalid(v, 'invalid protocol');
      f.protocol = n;
    } else if (a === 'vrf') throw args.error('nlkit ip: "vrf" is not supported.');
    else if (matches(a, 'help')) {
      return usage(USAGE);
    } else throw args.invalid(a, "unknown nexthop selector");
  }
  const family = ctx.opts.family === 4 ? 'inet' : ctx.opts.family === 6 ? 'inet6' : undefined;
  return withSession(ctx, async (s) => {
    const oif = f.dev !== undefined ? await s.ifindex(f.dev) : undefined;
    const master = f.master !== undefined ? await s.ifindex(f.master) : undefined;
    if (f.id !== undefined && !flush) {
      // `ip nexthop show id N` is a get.
      const nh = await getNexthop(f.id, s.opts);
      const pctx = await s.printContext();
      ctx.out.begin();
      printNexthop(ctx.out, pctx, nh);
      await ctx.out.end();
      return 0;
    }
    const dump = dumpNexthops({
      ...(family ? { family } : {}), ...(oif !== undefined ? { oif } : {}), ...(master !== undefined ? { master } : {}),
      ...(f.groups ? { groups: true } : {}), ...(f.fdb ? { fdb: true } : {}),
    }, s.opts);
    const keep = (nh: Nexthop) => (f.protocol === undefined || decodedIs(protocol, nh.protocol as string | number | undefined, f.protocol)) && (f.id === undefined || nh.id === f.id);
    if (flush) {
      // flushNexthops deletes groups first, as ip: deleting its last member would take a group with it.
      const n = await flushNexthops({
        ...(family ? { family } : {}), ...(oif !== undefined ? { oif } : {}), ...(master !== undefined ? { master } : {}),
        ...(f.groups ? { groups: true } : {}), ...(f.fdb ? { fdb: true } : {}),
      }, { socket: s.sock, where: keep });
      process.stdout.write(n === 0 ? 'Nothing to flush\n' : `Flushed ${n} nexthops\n`);
      return 0;
    }
    const pctx = await s.printContext();
    const out = ctx.out;
    out.begin();
    for await (const nh of dump) if (keep(nh)) printNexthop(out, pctx, nh);
    await out.end();
    return 0;
  });
}
