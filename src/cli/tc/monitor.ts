// `nlkit tc monitor`: the tc notifications (RTNLGRP_TC: qdiscs, classes, filters, chains,
// actions) printed as tc monitor prints them; with -j one JSON object per line (NDJSON).
import { actionsOf, events, type ActionMessage, type TcObject } from '../../route/index.js';
import { printActions } from './actions.js';
import type { TcContext } from './context.js';
import { fail } from './grammar.js';
import { printActionMessage, printChain, printClass, printFilter, printQdisc } from './print.js';

/** `tc monitor [file FILE]` (only the live form). */
export async function run(ctx: TcContext, argv: string[]): Promise<number> {
  if (argv.length) {
    if (argv[0] === 'help') throw fail('Usage: tc [-timestamp [-tshort] monitor');
    throw fail(`Argument "${argv[0]}" is unknown, try "tc monitor help".`);
  }
  await ctx.linkNames();
  const out = ctx.out;
  const sub = events(['tc', 'link'], ctx.opts.netns !== undefined ? { netns: ctx.opts.netns } : {});
  const stop = () => sub.close();
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  try {
    for await (const ev of sub) {
      if ('overrun' in ev) continue;
      if (ev.kind === 'link') {
        const l = ev.object as { ifindex: number; ifname?: string };
        if (ev.event === 'new' && l.ifname) (await ctx.linkNames()).set(l.ifindex, l.ifname);
        continue;
      }
      const arrival = { deleted: ev.event === 'del', nlflags: ev.flags ?? 0 };
      if (ctx.opts.timestamp) out.fp(`${new Date().toString().slice(0, 24)}\n`);
      // NDJSON records say what they are (tc's objects carry no such field of their own).
      out.setRecordPrefix([['object', ev.kind]]);
      if (ev.kind === 'qdisc') printQdisc(out, ev.object as TcObject, ctx, {}, arrival);
      else if (ev.kind === 'class') printClass(out, ev.object as TcObject, ctx, {}, arrival);
      else if (ev.kind === 'filter') printFilter(out, ev.object as TcObject, ctx, {}, arrival);
      else if (ev.kind === 'chain') printChain(out, ev.object as TcObject, ctx, {}, arrival);
      else if (ev.kind === 'action') {
        const m = ev.object as ActionMessage;
        if (out.json) {
          // One NDJSON record per message: tc's two objects ("total acts", "actions") in one.
          out.openObject();
          out.jfield(ev.event === 'del' ? 'deleted' : 'added', true);
          out.jfield('total acts', m.count ?? 0);
          printActions(out, actionsOf(m), ctx, true);
          out.closeObject();
        } else printActionMessage(out, m, ctx, { ...arrival, type: ev.event === 'del' ? 'del' : 'new' });
      } else continue;
      out.endRecord();
      out.flushNow();
    }
  } finally {
    process.off('SIGINT', stop);
    process.off('SIGTERM', stop);
    sub.close();
  }
  return 0;
}
