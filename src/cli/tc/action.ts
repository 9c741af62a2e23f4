// `nlkit tc actions`: add, change/replace, delete, get, list and flush actions on their own,
// in tc's grammar (m_action.c), over nlkit/route's RTM_*ACTION calls.
import { addActions, deleteActions, dumpActions, flushActions, getAction, replaceActions } from '../../route/index.js';
import { NetlinkError } from '../../socket/index.js';
import type { TcContext } from './context.js';
import { parseActions } from './actions.js';
import { refusalText } from './errors.js';
import { fail, getU32, matches, TC_EXIT, Words } from './grammar.js';
import { printActionMessage } from './print.js';

/** `tc actions help`. */
export const ACTION_USAGE = `usage: tc actions <ACTSPECOP>*
Where: 	ACTSPECOP := ACR | GD | FL
	ACR := add | change | replace <ACTSPEC>*
	GD := get | delete | <ACTISPEC>*
	FL := ls | list | flush | <ACTNAMESPEC>
	ACTNAMESPEC :=  action <ACTNAME>
	ACTISPEC := <ACTNAMESPEC> <INDEXSPEC>
	ACTSPEC := action <ACTDETAIL> [INDEXSPEC] [HWSTATSSPEC] [SKIPSPEC]
	INDEXSPEC := index <32 bit indexvalue>
	HWSTATSSPEC := hw_stats [ immediate | delayed | disabled ]
	SKIPSPEC := [ skip_sw | skip_hw ]
	ACTDETAIL := <ACTNAME> <ACTPARAMS>
		Example ACTNAME is gact, mirred, bpf, etc
		Each action has its own parameters (ACTPARAMS)

`;

const TALK = 'We have an error talking to the kernel';
const KNOWN = new Set(['mirred', 'gact']);

/** Prints tc's refusal text; true when `e` was one. */
function refused(ctx: TcContext, e: unknown, after: string): boolean {
  if (!(e instanceof NetlinkError)) return false;
  ctx.err(`${refusalText(e)}\n${after}\n`);
  return true;
}

/** tc_action_gd: `get|delete action KIND index N …`; on a refusal the words stay unread (tc's loop then trips on them). */
async function getOrDelete(ctx: TcContext, cmd: 'get' | 'del', w: Words): Promise<boolean> {
  const refs: { kind: string; index: number }[] = [];
  for (let a = w.next(); a !== undefined; a = w.next()) {
    if (a === 'action') continue;
    if (!KNOWN.has(a)) throw fail(`Error: non existent action: ${a}`);
    if (w.peek() === undefined) throw fail(`Error: no index specified action: ${a}`);
    if (!matches(w.peek(), 'index')) throw fail(`Error: no index specified action: ${a}`);
    w.next();
    const i = getU32(w.value('index'), 10);
    if (i === undefined) throw fail('Illegal "index"');
    refs.push({ kind: a, index: i });
  }
  try {
    if (cmd === 'del') {
      await deleteActions(refs, ctx.lib);
      return true;
    }
    const a = await getAction(refs[0]!.kind, refs[0]!.index, ctx.lib);
    await ctx.linkNames();
    const out = ctx.out;
    out.begin();
    printActionMessage(out, { family: 'unspec', tab: [a] } as never, ctx);
    await out.end();
    return true;
  } catch (e) {
    if (refused(ctx, e, TALK)) return false;
    throw e;
  }
}

/** tc_act_list_or_flush. */
async function listOrFlush(ctx: TcContext, flush: boolean, w: Words): Promise<number> {
  const kind = w.next()!;
  if (flush) {
    try {
      await flushActions(kind, ctx.lib);
      return 0;
    } catch (e) {
      if (refused(ctx, e, 'We have an error flushing')) return TC_EXIT.FAILURE;
      throw e;
    }
  }
  await ctx.linkNames();
  const out = ctx.out;
  out.begin();
  for await (const m of dumpActions(kind, ctx.lib)) {
    printActionMessage(out, m, ctx, { type: 'get' });
    await out.drain();
  }
  await out.end();
  return 0;
}

/** `tc actions …`: tc's loop over ACTSPECOPs. */
export async function run(ctx: TcContext, argv: string[]): Promise<number> {
  const w = new Words(argv);
  while (w.left > 0) {
    const cmd = w.next()!;
    if (matches(cmd, 'add') || matches(cmd, 'change') || matches(cmd, 'replace')) {
      const list = await parseActions(w, ctx);
      try {
        if (matches(cmd, 'add')) await addActions(list as never, ctx.lib);
        else await replaceActions(list as never, ctx.lib);
      } catch (e) {
        if (refused(ctx, e, TALK)) return TC_EXIT.INVARG;
        throw e;
      }
    } else if (matches(cmd, 'delete') || matches(cmd, 'get')) {
      // A refused get/delete leaves its words unread, as tc's does: the loop then meets "action".
      const at = w.at;
      if (!(await getOrDelete(ctx, matches(cmd, 'get') ? 'get' : 'del', w))) w.seek(at);
    } else if (matches(cmd, 'list') || matches(cmd, 'show') || matches(cmd, 'lst') || matches(cmd, 'flush')) {
      if (w.left < 2) throw fail(ACTION_USAGE.slice(0, -1));
      w.next();
      return listOrFlush(ctx, matches(cmd, 'flush'), w);
    } else if (matches(cmd, 'help')) {
      throw fail(ACTION_USAGE.slice(0, -1));
    } else {
      throw fail(`Command "${cmd}" is unknown, try "tc actions help".`);
    }
  }
  return 0;
}

