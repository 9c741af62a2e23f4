// Qdiscs, classes, filters, chains and action messages printed as tc prints them (print_qdisc,
// print_class, print_filter, print_chain, print_action): the same fields in text and JSON, in
// tc's order. What a show command filtered on (the device, the parent, …) is left out, as tc does.
import { NLM_F_CREATE, NLM_F_EXCL, NLM_F_REPLACE, NLM_F_ROOT } from '../../wire/index.js';
import { TC_H } from '../../route/constants.js';
import { actionsOf, type ActionMessage, type TcObject } from '../../route/index.js';
import type { Output } from '../ip/output.js';
import { printActions } from './actions.js';
import type { TcContext } from './context.js';
import { FILTER_KINDS } from './filter-kinds.js';
import { classidText, protocolText } from './grammar.js';
import { QDISC_KINDS } from './qdisc-kinds.js';
import { printStats } from './stats.js';

/** What a show command already named, so tc does not print it again. */
export interface ShownFilter {
  ifindex?: number;
  parent?: number;
  protocol?: number;
  prio?: number;
  chain?: number;
}

/** How an object arrived: a dump (no prefix) or an event (`deleted`, `added`, `replaced`). */
export interface Arrival {
  deleted?: boolean;
  nlflags?: number;
}

const INGRESS = (TC_H.CLSACT & 0xffff0000) | TC_H.MIN_INGRESS;
const EGRESS = (TC_H.CLSACT & 0xffff0000) | TC_H.MIN_EGRESS;

function statsBlock(out: Output, o: TcObject, ctx: TcContext, xstats?: (out: Output, app: Uint8Array) => void): void {
  if (!ctx.opts.stats) return;
  if (o.stats2) {
    printStats(out, o.stats2, ' ');
    out.nl();
  }
  const app = o.stats2?.app ?? o.xstats;
  if (app && xstats) {
    xstats(out, app);
    out.nl();
  }
}

/** print_qdisc. */
export function printQdisc(out: Output, q: TcObject, ctx: TcContext, shown: ShownFilter = {}, arrival: Arrival = {}): void {
  out.openObject();
  if (arrival.deleted) out.field('deleted', true, 'deleted ');
  out.field('kind', q.kind ?? '', `qdisc ${q.kind}`);
  const h = `${(q.handle >>> 16).toString(16)}:`;
  out.field('handle', h, ` ${h}`);
  out.fp(' ');
  if (!shown.ifindex) {
    const dev = ctx.linkName(q.ifindex);
    out.field('dev', dev, `dev ${dev} `);
  }
  if (q.parent >>> 0 === TC_H.ROOT) out.field('root', true, 'root ');
  else if (q.parent) out.field('parent', classidText(q.parent), `parent ${classidText(q.parent)} `);
  if (q.info !== 1) out.field('refcnt', q.info, `refcnt ${q.info} `);
  if (q.hw_offload) out.field('offloaded', true, 'offloaded ');
  if (q.ingress_block !== undefined) out.field('ingress_block', q.ingress_block, `ingress_block ${q.ingress_block} `);
  if (q.egress_block !== undefined) out.field('egress_block', q.egress_block, `egress_block ${q.egress_block} `);
  const kind = QDISC_KINDS[q.kind === 'pfifo_fast' ? 'pfifo_fast' : q.kind ?? ''];
  out.openObject('options');
  if (q.options !== undefined) {
    if (kind?.print) {
      if (!(q.options instanceof Uint8Array)) kind.print(out, q.options, ctx);
    } else if (q.options instanceof Uint8Array && q.options.byteLength) out.fp(`[Unknown qdisc, optlen=${q.options.byteLength}] `);
  }
  out.closeObject();
  out.nl();
  statsBlock(out, q, ctx, kind?.printXstats);
  out.closeObject();
}

/** print_class. */
export function printClass(out: Output, c: TcObject, ctx: TcContext, shown: ShownFilter = {}, arrival: Arrival = {}): void {
  out.openObject();
  if (arrival.deleted) out.field('deleted', true, 'deleted ');
  out.field('class', c.kind ?? '', `class ${c.kind} `);
  const h = c.handle ? classidText(c.handle) : '';
  out.field('handle', h, `${h} `);
  if (!shown.ifindex) {
    const dev = ctx.linkName(c.ifindex);
    out.field('dev', dev, `dev ${dev} `);
  }
  if (c.parent >>> 0 === TC_H.ROOT) out.field('root', true, 'root ');
  else out.field('parent', classidText(c.parent), `parent ${classidText(c.parent)} `);
  if (c.info) {
    const leaf = `${(c.info >>> 16).toString(16)}:`;
    out.field('leaf', leaf, `leaf ${leaf} `);
  }
  const kind = QDISC_KINDS[c.kind ?? ''];
  out.openObject('options');
  if (c.options !== undefined && !(c.options instanceof Uint8Array) && kind?.printClass) kind.printClass(out, c.options, ctx);
  out.closeObject();
  out.nl();
  statsBlock(out, c, ctx, kind?.printXstats);
  out.closeObject();
}

function eventWords(out: Output, arrival: Arrival): void {
  if (arrival.deleted) out.field('deleted', true, 'deleted ');
  const f = arrival.nlflags ?? 0;
  if (!arrival.deleted && f & NLM_F_CREATE) {
    if (f & NLM_F_EXCL) out.field('added', true, 'added ');
    else out.field('replaced', true, 'replaced ');
  }
}

function whereFields(out: Output, o: TcObject, ctx: TcContext, shown: ShownFilter): void {
  if (!shown.ifindex || shown.ifindex !== o.ifindex) {
    const dev = ctx.linkName(o.ifindex);
    out.field('dev', dev, `dev ${dev} `);
  }
  if (!shown.parent || shown.parent !== o.parent >>> 0) {
    const p = o.parent >>> 0;
    if (p === TC_H.ROOT) out.field('root', true, 'root ');
    else if (p === INGRESS >>> 0) out.field('ingress', true, 'ingress ');
    else if (p === EGRESS >>> 0) out.field('egress', true, 'egress ');
    else out.field('parent', classidText(p), `parent ${classidText(p)} `);
  }
}

/** print_filter. */
export function printFilter(out: Output, f: TcObject, ctx: TcContext, shown: ShownFilter = {}, arrival: Arrival = {}): void {
  out.openObject();
  eventWords(out, arrival);
  out.fp('filter ');
  whereFields(out, f, ctx, shown);
  ctx.filterProtocol = ((f.info & 0xff) << 8) | ((f.info >>> 8) & 0xff);
  if (f.info) {
    const proto = ctx.filterProtocol;
    const prio = f.info >>> 16;
    if (!shown.protocol || shown.protocol !== proto) {
      if (proto) out.field('protocol', protocolText(proto), `protocol ${protocolText(proto)} `);
    }
    if (!shown.prio || shown.prio !== prio) {
      if (prio) out.field('pref', prio, `pref ${prio} `);
    }
  }
  out.field('kind', f.kind ?? '', `${f.kind} `);
  if (f.chain !== undefined && (shown.chain === undefined || shown.chain !== f.chain)) out.field('chain', f.chain, `chain ${f.chain} `);
  if (f.options !== undefined) {
    out.openObject('options');
    const kind = FILTER_KINDS[f.kind ?? ''];
    if (kind && !(f.options instanceof Uint8Array)) kind.print(out, f.options, f.handle >>> 0, ctx);
    out.closeObject();
  }
  out.nl();
  out.closeObject();
}

/** print_chain. */
export function printChain(out: Output, c: TcObject, ctx: TcContext, shown: ShownFilter = {}, arrival: Arrival = {}): void {
  out.openObject();
  eventWords(out, arrival);
  out.fp('chain ');
  whereFields(out, c, ctx, shown);
  out.field('chain', c.chain ?? 0, `chain ${c.chain ?? 0} `);
  if (c.kind !== undefined) {
    out.field('kind', c.kind, `${c.kind} `);
    if (c.options !== undefined) {
      out.openObject('options');
      const kind = FILTER_KINDS[c.kind];
      if (kind && !(c.options instanceof Uint8Array)) kind.print(out, c.options, 0, ctx);
      out.closeObject();
    }
  }
  out.nl();
  out.closeObject();
}

/** print_action: one RTM_*ACTION message (`total acts N`, then its actions). */
export function printActionMessage(out: Output, m: ActionMessage, ctx: TcContext, arrival: Arrival & { type?: 'new' | 'del' | 'get' } = {}): void {
  out.openObject();
  out.field('total acts', m.count ?? 0, `total acts ${m.count ?? 0}`);
  out.nl();
  out.closeObject();
  if (!m.tab) return;
  const f = arrival.nlflags ?? 0;
  if (arrival.type === 'del') out.fp(f & NLM_F_ROOT ? 'Flushed table ' : 'Deleted action ');
  if (arrival.type === 'new') {
    if (f & NLM_F_CREATE && !(f & NLM_F_REPLACE)) out.fp('Added action ');
    else if (f & NLM_F_REPLACE) out.fp('Replaced action ');
  }
  out.openObject();
  printActions(out, actionsOf(m), ctx, true);
  out.closeObject();
}
