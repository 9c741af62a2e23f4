// `nlkit tc chain`: add, delete, get and show filter chains, in tc's grammar (tc_filter.c).
import { addTc, deleteTc, dumpChains, getTc, type TcSpec } from '../../route/index.js';
import type { TcContext } from './context.js';
import { kernelCall } from './errors.js';
import { fail, runObject, TC_EXIT, Words } from './grammar.js';
import { filterWords } from './filter.js';
import { printChain } from './print.js';

/** `tc chain help`. */
export const CHAIN_USAGE = `Usage: tc chain [ add | del | get | show ] [ dev STRING ]
       tc chain [ add | del | get | show ] [ block BLOCK_INDEX ] ]`;

const TALK = 'We have an error talking to the kernel';

async function modify(ctx: TcContext, cmd: 'add' | 'del' | 'get', w: Words): Promise<number> {
  const f = filterWords(w, CHAIN_USAGE, true);
  if (f.kind !== undefined) throw fail(`nlkit tc: chain templates ("${f.kind}") are not supported`);
  const spec: TcSpec = { parent: f.parent, handle: 0, prio: 0, protocol: 0, chain: f.chain ?? 0 };
  spec.ifindex = f.dev !== undefined ? await ctx.ifindex(f.dev) : 0;
  if (cmd === 'get') {
    let got: Awaited<ReturnType<typeof getTc>> | undefined;
    await kernelCall(async () => {
      got = await getTc('chain', spec, ctx.lib);
    }, TC_EXIT.REFUSED, TALK);
    await ctx.linkNames();
    ctx.out.begin();
    printChain(ctx.out, got!, ctx, { ifindex: spec.ifindex as number });
    await ctx.out.end();
    return 0;
  }
  return kernelCall(() => (cmd === 'add' ? addTc('chain', spec, ctx.lib) : deleteTc('chain', spec, ctx.lib)), TC_EXIT.REFUSED, TALK);
}

async function list(ctx: TcContext, w: Words): Promise<number> {
  const f = filterWords(w, CHAIN_USAGE, false);
  await ctx.linkNames();
  const ifindex = f.dev !== undefined ? await ctx.ifindex(f.dev) : 0;
  const out = ctx.out;
  out.begin();
  if (ifindex) {
    for await (const c of dumpChains({ dev: ifindex, parent: f.parent }, ctx.lib)) {
      if (f.chain !== undefined && c.chain !== f.chain) continue;
      printChain(out, c, ctx, { ifindex, parent: f.parent, ...(f.chain !== undefined ? { chain: f.chain } : {}) });
    }
  }
  await out.end();
  return 0;
}

/** `tc chain …`. */
export function run(ctx: TcContext, argv: string[]): Promise<number> {
  return runObject({
    name: 'chain', verbs: ['add', 'del', 'get'] as const,
    modify: (verb, w) => modify(ctx, verb, w), list: (w) => list(ctx, w), help: () => fail(CHAIN_USAGE, 0),
  }, argv);
}
