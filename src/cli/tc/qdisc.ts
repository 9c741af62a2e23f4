// `nlkit tc qdisc`: add, change, replace, link, delete and show, in tc's grammar (tc_qdisc.c).
import { NLM_F_REPLACE } from '../../wire/index.js';
import { TC_H } from '../../route/constants.js';
import { addTc, changeTc, deleteTc, dumpQdiscs, parseTcTime, replaceTc, type TcSpec } from '../../route/index.js';
import type { TcContext } from './context.js';
import { classid, duparg, exit, fail, invarg, matches, parseEstimator, qdiscHandle, runObject, TC_EXIT, Words } from './grammar.js';
import { printQdisc } from './print.js';
import { QDISC_KINDS } from './qdisc-kinds.js';
import { kernelCall } from './errors.js';

/** `tc qdisc help`. */
export const QDISC_USAGE = `Usage: tc qdisc [ add | del | replace | change | show ] dev STRING
       [ handle QHANDLE ] [ root | ingress | clsact | parent CLASSID ]
       [ estimator INTERVAL TIME_CONSTANT ]
       [ stab [ help | STAB_OPTIONS] ]
       [ ingress_block BLOCK_INDEX ] [ egress_block BLOCK_INDEX ]
       [ [ QDISC_KIND ] [ help | OPTIONS ] ]

       tc qdisc { show | list } [ dev STRING ] [ QDISC_ID ] [ invisible ]
Where:
QDISC_KIND := { [p|b]fifo | tbf | prio | cbq | red | etc. }
OPTIONS := ... try tc qdisc add <desired QDISC_KIND> help
STAB_OPTIONS := ... try tc qdisc add stab help
QDISC_ID := { root | ingress | handle QHANDLE | parent CLASSID }`;

const usage = () => fail(QDISC_USAGE, 0);

/** tc_qdisc_modify. */
async function modify(ctx: TcContext, cmd: 'add' | 'change' | 'replace' | 'link' | 'del', w: Words): Promise<number> {
  let dev: string | undefined;
  let handle = 0, parent = 0;
  let kind: string | undefined;
  let rate: { interval: number; ewma_log: number } | undefined;
  for (let a = w.next(); a !== undefined; a = w.next()) {
    if (a === 'dev') {
      const v = w.value(a);
      if (dev !== undefined) throw duparg('dev', v);
      dev = v;
    } else if (a === 'handle') {
      if (handle) throw duparg('handle', a);
      const v = w.value(a);
      const h = qdiscHandle(v);
      if (h === undefined) throw invarg('invalid qdisc ID', v);
      handle = h;
    } else if (a === 'root') {
      if (parent) throw fail('Error: "root" is duplicate parent ID');
      parent = TC_H.ROOT;
    } else if (a === 'clsact' || a === 'ingress') {
      if (parent) throw fail(`Error: "${a}" is ${a === 'clsact' ? 'a duplicate' : 'duplicate'} parent ID`);
      parent = a === 'clsact' ? TC_H.CLSACT : TC_H.INGRESS;
      kind = a;
      handle = (parent & 0xffff0000) >>> 0;
      break;
    } else if (a === 'parent') {
      const v = w.value(a);
      if (parent) throw duparg('parent', v);
      const p = classid(v);
      if (p === undefined) throw invarg('invalid parent ID', v);
      parent = p;
    } else if (matches(a, 'estimator')) {
      if (rate) throw duparg('estimator', a);
      rate = parseEstimator(w, parseTcTime);
    } else if (matches(a, 'help')) {
      throw usage();
    } else {
      kind = a;
      break;
    }
  }
  let options: unknown;
  if (kind !== undefined) {
    const k = QDISC_KINDS[kind];
    if (k?.parse) options = k.parse(w, ctx);
    else if (w.left) {
      if (k) throw fail(`qdisc '${kind}' does not support option parsing`);
      throw fail(`Unknown qdisc "${kind}", hence option "${w.peek()}" is unparsable`, TC_EXIT.FAILURE);
    }
  } else if (w.left) {
    throw fail(`Garbage instead of arguments "${w.peek()} ...". Try "tc qdisc help".`);
  }
  const spec: TcSpec = { handle, parent };
  if (dev !== undefined) spec.ifindex = await ctx.ifindex(dev);
  else spec.ifindex = 0;
  if (kind !== undefined) spec.kind = kind;
  if (options !== undefined) spec.options = options as TcSpec['options'];
  if (rate) spec.rate = rate as TcSpec['rate'];
  return kernelCall(async () => {
    if (cmd === 'del') await deleteTc('qdisc', spec, ctx.lib);
    else if (cmd === 'add') await addTc('qdisc', spec, ctx.lib);
    else if (cmd === 'replace') await replaceTc('qdisc', spec, ctx.lib);
    else if (cmd === 'change') await changeTc('qdisc', spec, ctx.lib);
    else await changeTc('qdisc', spec, { ...ctx.lib, flags: NLM_F_REPLACE });
  }, TC_EXIT.REFUSED);
}

/** tc_qdisc_list. */
async function list(ctx: TcContext, w: Words): Promise<number> {
  let dev: string | undefined;
  let parent = 0;
  let invisible = false;
  for (let a = w.next(); a !== undefined; a = w.next()) {
    if (a === 'dev') dev = w.value(a);
    else if (a === 'ingress' || a === 'clsact') {
      if (parent) throw exit(`Duplicate parent ID\n${QDISC_USAGE}`);
      parent = TC_H.INGRESS;
    } else if (matches(a, 'help')) throw usage();
    else if (a === 'invisible') invisible = true;
    else throw fail(`What is "${a}"? Try "tc qdisc help".`);
  }
  await ctx.linkNames();
  const ifindex = dev !== undefined ? await ctx.ifindex(dev) : 0;
  const out = ctx.out;
  out.begin();
  for await (const q of dumpQdiscs({ ...(ifindex ? { dev: ifindex } : {}), ...(invisible ? { invisible } : {}) }, ctx.lib)) {
    if (parent && q.parent >>> 0 !== parent >>> 0) continue;
    printQdisc(out, q, ctx, { ifindex });
    await out.drain();
  }
  await out.end();
  return 0;
}

/** `tc qdisc …`. */
export function run(ctx: TcContext, argv: string[]): Promise<number> {
  return runObject({
    name: 'qdisc', verbs: ['add', 'change', 'replace', 'link', 'del'] as const,
    modify: (verb, w) => modify(ctx, verb, w), list: (w) => list(ctx, w), help: () => usage(),
  }, argv);
}
