// `nlkit tc class`: add, change, replace, delete and show, in tc's grammar (tc_class.c).
import { TC_H } from '../../route/constants.js';
import { addTc, changeTc, deleteTc, dumpClasses, parseTcTime, replaceTc, type TcSpec } from '../../route/index.js';
import type { TcContext } from './context.js';
import { kernelCall } from './errors.js';
import { classid, duparg, fail, invarg, matches, parseEstimator, qdiscHandle, runObject, TC_EXIT, Words } from './grammar.js';
import { printClass } from './print.js';
import { QDISC_KINDS } from './qdisc-kinds.js';

/** `tc class help`. */
export const CLASS_USAGE = `Usage: tc class [ add | del | change | replace | show ] dev STRING
       [ classid CLASSID ] [ root | parent CLASSID ]
       [ [ QDISC_KIND ] [ help | OPTIONS ] ]

       tc class show [ dev STRING ] [ root | parent CLASSID ]
Where:
QDISC_KIND := { prio | cbq | etc. }
OPTIONS := ... try tc class add <desired QDISC_KIND> help`;

const usage = () => fail(CLASS_USAGE, 0);

async function modify(ctx: TcContext, cmd: 'add' | 'change' | 'replace' | 'del', w: Words): Promise<number> {
  let dev: string | undefined;
  let handle = 0, parent = 0;
  let kind: string | undefined;
  let rate: { interval: number; ewma_log: number } | undefined;
  for (let a = w.next(); a !== undefined; a = w.next()) {
    if (a === 'dev') {
      const v = w.value(a);
      if (dev !== undefined) throw duparg('dev', v);
      dev = v;
    } else if (a === 'classid') {
      const v = w.value(a);
      if (handle) throw duparg('classid', v);
      const h = classid(v);
      if (h === undefined) throw invarg('invalid class ID', v);
      handle = h;
    } else if (a === 'handle') {
      throw fail('Error: try "classid" instead of "handle"');
    } else if (a === 'root') {
      if (parent) throw fail('Error: "root" is duplicate parent ID.');
      parent = TC_H.ROOT;
    } else if (a === 'parent') {
      const v = w.value(a);
      if (parent) throw duparg('parent', v);
      const p = classid(v);
      if (p === undefined) throw invarg('invalid parent ID', v);
      parent = p;
    } else if (matches(a, 'estimator')) {
      if (rate) throw duparg('estimator', a);
      rate = parseEstimator(w, parseTcTime);
    } else if (matches(a, 'help')) throw usage();
    else {
      kind = a;
      break;
    }
  }
  let options: unknown;
  if (kind !== undefined) {
    const k = QDISC_KINDS[kind];
    if (!k?.parseClass) {
      if (k || w.left) throw fail(`Error: Qdisc "${kind}" is classless.`, TC_EXIT.FAILURE);
    } else options = k.parseClass(w, ctx);
  } else if (w.left) throw fail(`Garbage instead of arguments "${w.peek()} ...". Try "tc class help".`);
  const spec: TcSpec = { handle, parent, ifindex: dev !== undefined ? await ctx.ifindex(dev) : 0 };
  if (kind !== undefined) spec.kind = kind;
  if (options !== undefined) spec.options = options as TcSpec['options'];
  if (rate) spec.rate = rate as TcSpec['rate'];
  return kernelCall(async () => {
    if (cmd === 'del') await deleteTc('class', spec, ctx.lib);
    else if (cmd === 'add') await addTc('class', spec, ctx.lib);
    else if (cmd === 'replace') await replaceTc('class', spec, ctx.lib);
    else await changeTc('class', spec, ctx.lib);
  }, TC_EXIT.REFUSED);
}

async function list(ctx: TcContext, w: Words): Promise<number> {
  let dev: string | undefined;
  let parent: number | undefined;
  let only: number | undefined;
  for (let a = w.next(); a !== undefined; a = w.next()) {
    if (a === 'dev') {
      const v = w.value(a);
      if (dev !== undefined) throw duparg('dev', v);
      dev = v;
    } else if (a === 'qdisc') {
      const v = w.value(a);
      if (qdiscHandle(v) === undefined) throw invarg('invalid qdisc ID', v);
    } else if (a === 'classid') {
      const v = w.value(a);
      only = classid(v);
      if (only === undefined) throw invarg('invalid class ID', v);
    } else if (a === 'root') {
      if (parent !== undefined) throw fail('Error: "root" is duplicate parent ID');
      parent = TC_H.ROOT;
    } else if (a === 'parent') {
      const v = w.value(a);
      if (parent !== undefined) throw duparg('parent', v);
      parent = classid(v);
      if (parent === undefined) throw invarg('invalid parent ID', v);
    } else if (matches(a, 'help')) throw usage();
    else throw fail(`What is "${a}"? Try "tc class help".`);
  }
  await ctx.linkNames();
  const ifindex = dev !== undefined ? await ctx.ifindex(dev) : 0;
  const out = ctx.out;
  out.begin();
  if (ifindex) {
    for await (const c of dumpClasses({ dev: ifindex, ...(parent !== undefined ? { qdisc: parent } : {}) }, ctx.lib)) {
      if (only !== undefined && c.handle >>> 0 !== only >>> 0) continue;
      printClass(out, c, ctx, { ifindex });
      await out.drain();
    }
  }
  await out.end();
  return 0;
}

/** `tc class …`. */
export function run(ctx: TcContext, argv: string[]): Promise<number> {
  return runObject({
    name: 'class', verbs: ['add', 'change', 'replace', 'del'] as const,
    modify: (verb, w) => modify(ctx, verb, w), list: (w) => list(ctx, w), help: () => usage(),
  }, argv);
}
