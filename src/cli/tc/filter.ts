// `nlkit tc filter`: add, change, replace, delete, get and show, in tc's grammar (tc_filter.c).
import { TC_H, ETH_P } from '../../route/constants.js';
import { addTc, changeTc, deleteTc, dumpFilters, getTc, replaceTc, type TcSpec } from '../../route/index.js';
import type { TcContext } from './context.js';
import { kernelCall } from './errors.js';
import { FILTER_KINDS } from './filter-kinds.js';
import { classid, duparg, fail, getU32, invarg, matches, protocolNumber, runObject, TC_EXIT, Words } from './grammar.js';
import { printFilter } from './print.js';

/** `tc filter help`. */
export const FILTER_USAGE = `Usage: tc filter [ add | del | change | replace | show ] [ dev STRING ]
       tc filter [ add | del | change | replace | show ] [ block BLOCK_INDEX ]
       tc filter get dev STRING parent CLASSID protocol PROTO handle FILTERID pref PRIO FILTER_TYPE
       tc filter get block BLOCK_INDEX protocol PROTO handle FILTERID pref PRIO FILTER_TYPE
       [ pref PRIO ] protocol PROTO [ chain CHAIN_INDEX ]
       [ estimator INTERVAL TIME_CONSTANT ]
       [ root | ingress | egress | parent CLASSID ]
       [ handle FILTERID ] [ [ FILTER_TYPE ] [ help | OPTIONS ] ]

       tc filter show [ dev STRING ] [ root | ingress | egress | parent CLASSID ]
       tc filter show [ block BLOCK_INDEX ]
Where:
FILTER_TYPE := { rsvp | u32 | bpf | fw | route | etc. }
FILTERID := ... format depends on classifier, see there
OPTIONS := ... try tc filter add <desired FILTER_KIND> help`;

const TALK = 'We have an error talking to the kernel';
const INGRESS = ((TC_H.CLSACT & 0xffff0000) | TC_H.MIN_INGRESS) >>> 0;
const EGRESS = ((TC_H.CLSACT & 0xffff0000) | TC_H.MIN_EGRESS) >>> 0;

/** What the filter and chain commands share: dev, parent, pref, protocol, chain, handle, kind. */
export interface FilterWords {
  dev?: string;
  parent: number;
  prio: number;
  protocol?: number;
  chain?: number;
  handle?: string;
  kind?: string;
}

/** Parses the words before the kind (tc_filter_modify's loop); stops after the kind. */
export function filterWords(w: Words, help: string, stopAtKind = true): FilterWords {
  const f: FilterWords = { parent: 0, prio: 0 };
  for (let a = w.next(); a !== undefined; a = w.next()) {
    if (a === 'dev') {
      const v = w.value(a);
      if (f.dev !== undefined) throw duparg('dev', v);
      f.dev = v;
    } else if (a === 'root' || a === 'ingress' || a === 'egress') {
      if (f.parent) throw fail(`Error: "${a}" is duplicate parent ID`);
      f.parent = a === 'root' ? TC_H.ROOT : a === 'ingress' ? INGRESS : EGRESS;
    } else if (a === 'parent') {
      const v = w.value(a);
      if (f.parent) throw duparg('parent', v);
      const p = classid(v);
      if (p === undefined) throw invarg('Invalid parent ID', v);
      f.parent = p;
    } else if (a === 'handle') {
      const v = w.value(a);
      if (f.handle !== undefined) throw duparg('handle', v);
      f.handle = v;
    } else if (matches(a, 'preference') || matches(a, 'priority')) {
      const v = w.value(a);
      if (f.prio) throw duparg('priority', v);
      const p = getU32(v, 0);
      if (p === undefined || p > 0xffff) throw invarg('invalid priority value', v);
      f.prio = p;
    } else if (matches(a, 'protocol')) {
      const v = w.value(a);
      if (f.protocol !== undefined) throw duparg('protocol', v);
      const p = protocolNumber(v);
      if (p === undefined) throw invarg('invalid protocol', v);
      f.protocol = p;
    } else if (matches(a, 'chain')) {
      const v = w.value(a);
      if (f.chain !== undefined) throw duparg('chain', v);
      const c = getU32(v, 0);
      if (c === undefined) throw invarg('invalid chain index value', v);
      f.chain = c;
    } else if (matches(a, 'help')) {
      throw fail(help, 0);
    } else if (stopAtKind) {
      f.kind = a;
      break;
    } else {
      throw fail(`What is "${a}"? Try "tc ${help.includes('tc chain') ? 'chain' : 'filter'} help"`);
    }
  }
  return f;
}

async function modify(ctx: TcContext, cmd: 'add' | 'change' | 'replace' | 'del' | 'get', w: Words): Promise<number> {
  const f = filterWords(w, FILTER_USAGE);
  const create = cmd === 'add' || cmd === 'replace';
  const protocol = f.protocol ?? (create ? ETH_P.ALL : 0);
  const spec: TcSpec = { parent: f.parent, prio: f.prio, protocol, handle: 0 };
  if (f.chain !== undefined) spec.chain = f.chain;
  if (f.kind !== undefined) spec.kind = f.kind;
  spec.ifindex = f.dev !== undefined ? await ctx.ifindex(f.dev) : 0;
  const kind = f.kind !== undefined ? FILTER_KINDS[f.kind] : undefined;
  if (kind) {
    const parsed = await kind.parse(w, ctx, f.handle);
    if (parsed.handle !== undefined) spec.handle = parsed.handle;
    if (parsed.options !== undefined) spec.options = parsed.options as TcSpec['options'];
  } else if (f.kind !== undefined) {
    if (w.left) throw fail(`Unknown filter "${f.kind}", hence option "${w.peek()}" is unparsable`, TC_EXIT.FAILURE);
    if (f.handle !== undefined) spec.handle = getU32(f.handle, 0) ?? 0;
  } else {
    if (f.handle !== undefined) throw fail('Must specify filter type when using "handle"');
    if (w.left) throw fail(`Garbage instead of arguments "${w.peek()} ...". Try "tc filter help".`);
  }
  if (cmd === 'get') {
    let got: Awaited<ReturnType<typeof getTc>> | undefined;
    await kernelCall(async () => {
      got = await getTc('filter', spec, ctx.lib);
    }, TC_EXIT.REFUSED, TALK);
    await ctx.linkNames();
    ctx.out.begin();
    printFilter(ctx.out, got!, ctx, { ifindex: spec.ifindex as number });
    await ctx.out.end();
    return 0;
  }
  return kernelCall(async () => {
    if (cmd === 'del') await deleteTc('filter', spec, ctx.lib);
    else if (cmd === 'add') await addTc('filter', spec, ctx.lib);
    else if (cmd === 'replace') await replaceTc('filter', spec, ctx.lib);
    else await changeTc('filter', spec, ctx.lib);
  }, TC_EXIT.REFUSED, TALK);
}

async function list(ctx: TcContext, w: Words): Promise<number> {
  const f = filterWords(w, FILTER_USAGE, false);
  await ctx.linkNames();
  const ifindex = f.dev !== undefined ? await ctx.ifindex(f.dev) : 0;
  const out = ctx.out;
  out.begin();
  if (ifindex) {
    const shown = { ifindex, parent: f.parent, prio: f.prio, protocol: f.protocol ?? 0, ...(f.chain !== undefined ? { chain: f.chain } : {}) };
    const dump = dumpFilters({
      dev: ifindex, parent: f.parent, ...(f.chain !== undefined ? { chain: f.chain } : {}),
      ...(f.prio ? { prio: f.prio } : {}), ...(f.protocol ? { protocol: f.protocol } : {}),
    }, ctx.lib);
    for await (const batch of dump.batches()) {
      for (const x of batch) printFilter(out, x, ctx, shown);
      await out.drain();
    }
  }
  await out.end();
  return 0;
}

/** `tc filter …`. */
export function run(ctx: TcContext, argv: string[]): Promise<number> {
  return runObject({
    name: 'filter', verbs: ['add', 'change', 'replace', 'del', 'get'] as const,
    modify: (verb, w) => modify(ctx, verb, w), list: (w) => list(ctx, w), help: () => fail(FILTER_USAGE, 0),
  }, argv);
}
