// Actions as tc parses and prints them (m_action.c, m_mirred.c, m_gact.c): the list after
// `action` in a filter or `tc actions add`, and the `action order N: …` blocks of a listing.
import { PGACT, TC_ACT, TCA_ACT_FLAGS, TCA_ACT_HW_STATS, TCA_EGRESS, TCA_INGRESS } from '../../route/constants.js';
import type { TcAction, TcActionEntry } from '../../route/index.js';
import type { Output } from '../ip/output.js';
import type { TcContext } from './context.js';
import { printStats } from './stats.js';
import { exit, fail, getU32, isNewCommand, isVerdict, matches, parseVerdict, verdictExt, verdictText, type Words } from './grammar.js';

/** print_action_control: the verdict (text after `prefix`), in JSON a `control_action` object. */
export function printControl(out: Output, prefix: string, action: number, suffix: string): void {
  out.fp(prefix);
  out.openObject('control_action');
  out.field('type', verdictText(action), verdictText(action));
  const ext = verdictExt(action);
  if (ext.chain !== undefined) out.field('chain', ext.chain, ` chain ${ext.chain}`);
  if (ext.jump !== undefined) out.field('jump', ext.jump, ` ${ext.jump}`);
  out.closeObject();
  out.fp(suffix);
}

const USER_HZ = 100;

/** print_tm: install/use times in seconds (the kernel sends clock ticks). */
function printTm(out: Output, tm: { install: number | bigint; lastuse: number | bigint; firstuse: number | bigint; expires: number | bigint } | undefined): void {
  if (!tm) return;
  const sec = (v: number | bigint) => Math.trunc(Number(v) / USER_HZ);
  if (Number(tm.install)) out.field('installed', sec(tm.install), ` installed ${sec(tm.install)} sec`);
  if (Number(tm.lastuse)) out.field('last_used', sec(tm.lastuse), ` used ${sec(tm.lastuse)} sec`);
  if (Number(tm.firstuse)) out.field('first_used', sec(tm.firstuse), ` firstused ${sec(tm.firstuse)} sec`);
  if (Number(tm.expires)) out.field('expires', sec(tm.expires), ` expires ${sec(tm.expires)} sec`);
}

const MIRRED_TEXT: Record<number, [string, string, string]> = {
  [TCA_EGRESS.REDIR]: ['Egress Redirect', 'redirect', 'egress'],
  [TCA_EGRESS.MIRROR]: ['Egress Mirror', 'mirror', 'egress'],
  [TCA_INGRESS.REDIR]: ['Ingress Redirect', 'redirect', 'ingress'],
  [TCA_INGRESS.MIRROR]: ['Ingress Mirror', 'mirror', 'ingress'],
};

function printMirred(out: Output, o: any, ctx: TcContext): void {
  const p = o?.parms;
  if (!p) return;
  const [text, act, dir] = MIRRED_TEXT[p.eaction] ?? ['unknown', 'unknown', 'unknown'];
  out.field('kind', 'mirred', 'mirred ');
  out.fp(`(${text}`);
  out.jfield('mirred_action', act);
  out.jfield('direction', dir);
  const dev = ctx.linkName(p.ifindex);
  out.field('to_dev', dev, ` to device ${dev})`);
  printControl(out, ' ', p.action, '');
  out.nl();
  out.field('index', p.index, `\tindex ${p.index}`);
  out.field('ref', p.refcnt, ` ref ${p.refcnt}`);
  out.field('bind', p.bindcnt, ` bind ${p.bindcnt}`);
  if (ctx.opts.stats) printTm(out, o.tm);
  out.nl();
}

const PROB_TYPES: Record<number, string> = { [PGACT.NONE]: 'none', [PGACT.NETRAND]: 'netrand', [PGACT.DETERM]: 'determ' };

function printGact(out: Output, o: any, ctx: TcContext): void {
  const p = o?.parms;
  if (!p) return;
  out.field('kind', 'gact', 'gact ');
  printControl(out, 'action ', p.action, '');
  const pp = o.prob ?? { ptype: 0, pval: 0, paction: 0 };
  out.openObject('prob');
  const type = PROB_TYPES[pp.ptype] ?? 'none';
  out.field('random_type', type, `${out.sl}\t random type ${type}`);
  printControl(out, ' ', pp.paction, ' ');
  out.field('val', pp.pval, `val ${pp.pval}`);
  out.closeObject();
  out.nl();
  out.field('index', p.index, `\t index ${p.index}`);
  out.field('ref', p.refcnt, ` ref ${p.refcnt}`);
  out.field('bind', p.bindcnt, ` bind ${p.bindcnt}`);
  if (ctx.opts.stats) printTm(out, o.tm);
  out.nl();
}

const PRINTERS: Record<string, (out: Output, o: any, ctx: TcContext) => void> = { mirred: printMirred, gact: printGact };

const HW_STATS: [string, number][] = [['immediate', TCA_ACT_HW_STATS.IMMEDIATE], ['delayed', TCA_ACT_HW_STATS.DELAYED], ['disabled', 0]];

function printHwStats(out: Output, key: string, bf: { value: number; selector: number }): void {
  const v = bf.value & bf.selector;
  out.fp('\t');
  out.openArray(key);
  out.fp(key);
  for (const [name, bit] of HW_STATS) if ((!v && !bit) || v & bit) out.item(name, ` ${name}`);
  out.closeArray();
  out.nl();
}

/**
 * tc_print_one_action: one action's kind and options, statistics with -s, and its hardware
 * state. `standalone` is `tc actions` (which also prints in_hw/not_in_hw and flags).
 */
function printOne(out: Output, a: TcAction, ctx: TcContext, standalone: boolean): void {
  const print = PRINTERS[a.kind ?? ''];
  if (print) print(out, a.options, ctx);
  else {
    out.field('kind', a.kind ?? '', `${a.kind} `);
    out.nl();
  }
  if (ctx.opts.stats && a.stats) {
    out.fp('\tAction statistics:');
    out.nl();
    out.openObject('stats');
    printStats(out, a.stats, '\t');
    out.closeObject();
    out.nl();
  }
  if (a.cookie) {
    const hex = Buffer.from(a.cookie).toString('hex');
    out.field('cookie', hex, `\tcookie ${hex}`);
    out.nl();
  }
  if (standalone && (a.flags || a.in_hw_count !== undefined)) {
    let skipHw = false;
    let newline = false;
    if (a.flags) {
      const f = a.flags;
      const { NO_PERCPU_STATS, SKIP_HW, SKIP_SW } = TCA_ACT_FLAGS;
      if (f.selector & NO_PERCPU_STATS) {
        newline = true;
        out.field('no_percpu', Boolean(f.value & NO_PERCPU_STATS), f.value & NO_PERCPU_STATS ? '\tno_percpu' : undefined);
      }
      if (f.selector & SKIP_HW) {
        newline = true;
        skipHw = Boolean(f.value & SKIP_HW);
        out.field('skip_hw', skipHw, skipHw ? '\tskip_hw' : undefined);
      }
      if (f.selector & SKIP_SW) {
        newline = true;
        out.field('skip_sw', Boolean(f.value & SKIP_SW), f.value & SKIP_SW ? '\tskip_sw' : undefined);
      }
    }
    if (a.in_hw_count !== undefined && !skipHw) {
      newline = true;
      if (a.in_hw_count) {
        out.field('in_hw', true, '\tin_hw');
        out.field('in_hw_count', a.in_hw_count, ` in_hw_count ${a.in_hw_count}`);
      } else out.field('not_in_hw', true, '\tnot_in_hw');
    }
    if (newline) out.nl();
  }
  if (a.hw_stats) printHwStats(out, 'hw_stats', a.hw_stats);
  if (a.used_hw_stats) printHwStats(out, 'used_hw_stats', a.used_hw_stats);
}

/** tc_print_action: the `actions` array, each `\taction order N: …` after a line break. */
export function printActions(out: Output, list: TcActionEntry[], ctx: TcContext, standalone = false): void {
  out.openArray('actions');
  for (const a of [...list].sort((x, y) => x.order - y.order)) {
    out.openObject();
    out.nl();
    out.field('order', a.order, `\taction order ${a.order}: `);
    printOne(out, a, ctx, standalone);
    out.closeObject();
  }
  out.closeArray();
}

// ---- parsing ----

const GACT_USAGE = `Usage: ... gact <ACTION> [RAND] [INDEX]
Where: \tACTION := reclassify | drop | continue | pass | pipe |
       \t          goto chain <CHAIN_INDEX> | jump <JUMP_COUNT>
\tRAND := random <RANDTYPE> <ACTION> <VAL>
\tRANDTYPE := netrand | determ
\tVAL : = value not exceeding 10000
\tJUMP_COUNT := Absolute jump from start of action list
\tINDEX := index value used
`;

const MIRRED_USAGE = `Usage: mirred <DIRECTION> <ACTION> [index INDEX] <dev DEVICENAME>
where:
\tDIRECTION := <ingress | egress>
\tACTION := <mirror | redirect>
\tINDEX  is the specific policy instance id
\tDEVICENAME is the devicename
`;

/** parse_gact: `drop`, `gact pass`, `gact index 5` (bind an existing one). */
function parseGact(w: Words, kindWord: string): Record<string, unknown> {
  const parms: Record<string, number> = { index: 0, capab: 0, action: TC_ACT.OK, refcnt: 0, bindcnt: 0 };
  if (kindWord !== 'gact') w.back();
  let prob: Record<string, number> | undefined;
  if (w.peek() !== 'index') {
    const v = parseVerdict(w);
    if (v === undefined) throw exit(`Bad action type ${w.peek() ?? kindWord}\n${GACT_USAGE}`);
    parms.action = v;
    if (w.peek() === 'random') {
      w.next();
      const t = w.value('random');
      const ptype = t === 'netrand' ? PGACT.NETRAND : t === 'determ' ? PGACT.DETERM : undefined;
      if (ptype === undefined) throw fail(`Illegal "random type"\n${GACT_USAGE}`);
      const paction = parseVerdict(w);
      if (paction === undefined) throw fail(`Bad action type ${w.peek()}\n${GACT_USAGE}`);
      const pval = getU32(w.value('random'), 10);
      if (pval === undefined || pval > 10000) throw fail(`Illegal probability val 0x${pval}\n${GACT_USAGE}`);
      prob = { ptype, pval, paction };
    }
  }
  if (w.peek() === 'index') {
    w.next();
    const i = getU32(w.value('index'), 10);
    if (i === undefined) throw fail(`Illegal "index"\n${GACT_USAGE}`);
    parms.index = i;
  }
  return { parms, ...(prob ? { prob } : {}) };
}

/** parse_mirred: `egress redirect dev d1`, `ingress mirror dev d0 pipe index 3`, `index 3` (bind). */
async function parseMirred(w: Words, ctx: TcContext): Promise<Record<string, unknown>> {
  const parms = { index: 0, capab: 0, action: 0, refcnt: 0, bindcnt: 0, eaction: 0, ifindex: 0 };
  let egress = false, ingress = false, mirror = false, redir = false, ok = 0, iok = 0;
  let dev: string | undefined;
  for (let a = w.next(); a !== undefined; a = w.next()) {
    if (matches(a, 'action')) break;
    if (!egress && matches(a, 'egress')) {
      egress = true;
      if (ingress) throw fail(`Can't have both egress and ingress\n${MIRRED_USAGE}`);
      ok++;
      continue;
    }
    if (!ingress && matches(a, 'ingress')) {
      ingress = true;
      if (egress) throw fail(`Can't have both egress and ingress\n${MIRRED_USAGE}`);
      ok++;
      continue;
    }
    if (matches(a, 'index')) {
      const i = getU32(w.value(a), 10);
      if (i === undefined) throw fail('Illegal "index"');
      parms.index = i;
      iok++;
      if (!ok) break;
    } else if (!ok) {
      w.back();
      throw fail(`was expecting egress or ingress (${a})\n${MIRRED_USAGE}`);
    } else if (!mirror && matches(a, 'mirror')) {
      mirror = true;
      if (redir) throw fail(`Can't have both mirror and redir\n${MIRRED_USAGE}`);
      parms.eaction = egress ? TCA_EGRESS.MIRROR : TCA_INGRESS.MIRROR;
      parms.action = TC_ACT.PIPE;
      ok++;
    } else if (!redir && matches(a, 'redirect')) {
      redir = true;
      if (mirror) throw fail(`Can't have both mirror and redir\n${MIRRED_USAGE}`);
      parms.eaction = egress ? TCA_EGRESS.REDIR : TCA_INGRESS.REDIR;
      parms.action = TC_ACT.STOLEN;
      ok++;
    } else if ((redir || mirror) && matches(a, 'dev')) {
      dev = w.value(a);
      break;
    } else {
      throw fail(`mirred: Illegal argument "${a}"\n${MIRRED_USAGE}`);
    }
  }
  if (!ok && !iok) throw fail(MIRRED_USAGE);
  if (dev !== undefined) parms.ifindex = await ctx.ifindex(dev);
  if (parms.eaction === TCA_EGRESS.MIRROR || parms.eaction === TCA_INGRESS.MIRROR) {
    const v = parseVerdict(w);
    if (v !== undefined) parms.action = v;
  } else if (redir) {
    const v = parseVerdict(w);
    if (v !== undefined) parms.action = v;
  }
  if (w.peek() === 'index') {
    if (iok) throw fail('mirred: Illegal double index');
    w.next();
    const i = getU32(w.value('index'), 10);
    if (i === undefined) throw fail('Illegal "index"');
    parms.index = i;
  }
  return { parms };
}

/**
 * parse_action: the actions from the cursor (`action mirred egress redirect dev d1 action drop`)
 * until a word that is not one (`flowid`, `classid`, a new command, the end). Each is a TCA_ACT
 * nest numbered from 1.
 */
export async function parseActions(w: Words, ctx: TcContext): Promise<Partial<TcAction>[]> {
  const list: Partial<TcAction>[] = [];
  for (let a = w.peek(); a !== undefined; a = w.peek()) {
    if (a === 'action' || a === 'actions') {
      w.next();
      continue;
    }
    if (a === 'flowid' || a === 'classid' || isNewCommand(a)) break;
    if (a === 'help') throw fail('Illegal "action"');
    w.next();
    const kind = isVerdict(a) ? 'gact' : a;
    let options: Record<string, unknown>;
    if (kind === 'gact') options = parseGact(w, a);
    else if (kind === 'mirred') options = await parseMirred(w, ctx);
    else throw exit(`Bad action type ${a}\n${GACT_USAGE}`);
    list.push({ kind, options } as Partial<TcAction>);
  }
  if (!list.length) throw fail('Illegal "action"');
  return list;
}
