// `nlkit ip xfrm { state | policy | monitor }`: iproute2 6.1's `ip xfrm` over nlkit/xfrm, its
// grammar, text and exit statuses; -j (which ip xfrm lacks) prints one JSON object per SA or
// policy per line.
import { existsSync } from 'node:fs';
import { dumpLinks } from '../../../route/index.js';
import type { NetlinkSocket } from '../../../socket/index.js';
import {
  addPolicy, addState, allocSpi, deletePolicy, deleteState, dumpPolicies, dumpStates, events, flushPolicies, flushStates, getPolicy,
  getSadInfo, getSpdInfo, getState, openXfrm, updatePolicy, updateState, type XfrmEvent, type XfrmState,
} from '../../../xfrm/index.js';
import type { XfrmSelector } from '../../../xfrm/types.js';
import type { XfrmProto } from '../../../xfrm/enums.js';
import { Args, IP_EXIT, matches, NoDeviceError, usage } from '../argv.js';
import type { IpContext } from '../index.js';
import { NetnsMissingError } from '../session.js';
import { missing, parseId, parseMark, parseMode, parsePolicyAdd, parseSelector, parseStateAdd, xfrmProto, type IdWords } from './parse.js';
import { acquireText, policyText, stateText, type XfrmPrintOptions } from './print.js';

const USAGE = `Usage: ip xfrm XFRM-OBJECT { COMMAND | help }
where  XFRM-OBJECT := state | policy | monitor
`;
const STATE_USAGE = `Usage: ip xfrm state { add | update } ID [ ALGO-LIST ] [ mode MODE ]
        [ mark MARK [ mask MASK ] ] [ reqid REQID ] [ seq SEQ ]
        [ replay-window SIZE ] [ replay-seq SEQ ] [ replay-oseq SEQ ]
        [ replay-seq-hi SEQ ] [ replay-oseq-hi SEQ ]
        [ flag FLAG-LIST ] [ sel SELECTOR ] [ LIMIT-LIST ] [ encap ENCAP ]
        [ coa ADDR[/PLEN] ] [ output-mark OUTPUT-MARK [ mask MASK ] ]
        [ if_id IF_ID ] [ tfcpad LENGTH ]
Usage: ip xfrm state allocspi ID [ mode MODE ] [ mark MARK [ mask MASK ] ] [ reqid REQID ]
        [ seq SEQ ] [ min SPI max SPI ]
Usage: ip xfrm state { delete | get } ID [ mark MARK [ mask MASK ] ]
Usage: ip xfrm state deleteall [ ID ] [ mode MODE ] [ reqid REQID ]
Usage: ip xfrm state [ list ] [ ID ] [ mode MODE ] [ reqid REQID ]
Usage: ip xfrm state flush [ proto XFRM-PROTO ]
Usage: ip xfrm state count
`;
const POLICY_USAGE = `Usage: ip xfrm policy { add | update } SELECTOR dir DIR [ ctx CTX ]
        [ mark MARK [ mask MASK ] ] [ index INDEX ] [ ptype PTYPE ]
        [ action ACTION ] [ priority PRIORITY ] [ flag FLAG-LIST ]
        [ if_id IF_ID ] [ LIMIT-LIST ] [ TMPL-LIST ]
Usage: ip xfrm policy { delete | get } { SELECTOR | index INDEX } dir DIR
        [ ctx CTX ] [ mark MARK [ mask MASK ] ] [ ptype PTYPE ] [ if_id IF_ID ]
Usage: ip xfrm policy { deleteall | list } [ nosock ] [ SELECTOR ] [ dir DIR ]
        [ index INDEX ] [ ptype PTYPE ] [ action ACTION ] [ priority PRIORITY ]
Usage: ip xfrm policy flush [ ptype PTYPE ]
Usage: ip xfrm policy count
`;

/** A JSON line: bigints as numbers where exact, else strings; bytes as hex. */
function jsonLine(o: unknown): string {
  return `${JSON.stringify(o, (_k, v) => (typeof v === 'bigint' ? (v <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(v) : String(v)) : v instanceof Uint8Array ? Buffer.from(v).toString('hex') : v))}\n`;
}

/** The socket of one command and the link names printers use. */
class XfrmSession {
  readonly sock: NetlinkSocket;
  private names: Map<number, string> | undefined;
  private byName: Map<string, number> | undefined;

  constructor(readonly ctx: IpContext) {
    const ns = ctx.opts.netns;
    if (ns !== undefined && !existsSync(`/run/netns/${ns}`)) throw new NetnsMissingError(ns);
    this.sock = openXfrm(ns !== undefined ? { netns: ns } : {});
  }

  get opts(): { socket: NetlinkSocket } {
    return { socket: this.sock };
  }

  /** Loads ifindex <-> name (only when a selector or offload names a device). */
  async loadLinks(): Promise<void> {
    if (this.names) return;
    this.names = new Map();
    this.byName = new Map();
    const ns = this.ctx.opts.netns;
    for (const l of await dumpLinks({}, ns !== undefined ? { netns: ns } : {}).toArray()) {
      this.names.set(l.ifindex, l.ifname);
      this.byName.set(l.ifname, l.ifindex);
    }
  }

  ifindex(name: string): number {
    const i = this.byName?.get(name);
    if (i === undefined) throw new NoDeviceError(name);
    return i;
  }

  print(): XfrmPrintOptions {
    const names = this.names;
    return { stats: this.ctx.opts.stats, sl: this.ctx.opts.oneline ? '\\' : '\n', ifname: (i) => names?.get(i) ?? `if${i}` };
  }

  close(): void {
    this.sock.close();
  }
}

const needsLinks = (o: { sel?: XfrmSelector; offload_dev?: unknown }) => (o.sel?.ifindex ?? 0) > 0 || o.offload_dev !== undefined;

function write(s: string): void {
  process.stdout.write(s);
}

/** Prints a list of objects (one record each; -o ends each with a newline). */
async function printAll<T extends { sel?: XfrmSelector }>(s: XfrmSession, list: T[], text: (x: T) => string): Promise<void> {
  if (s.ctx.opts.json) {
    write(list.map(jsonLine).join(''));
    return;
  }
  if (list.some(needsLinks)) await s.loadLinks();
  write(list.map((x) => text(x) + (s.ctx.opts.oneline ? '\n' : '')).join(''));
}

/** Does a state match the ID words of `ip xfrm state list ID`? */
function stateMatches(st: XfrmState, id: IdWords, mode: string | undefined, reqid: number | undefined): boolean {
  if (id.src !== undefined && st.saddr !== id.src) return false;
  if (id.dst !== undefined && st.id.daddr !== id.dst) return false;
  if (id.proto !== undefined && st.id.proto !== id.proto) return false;
  if (id.spi !== undefined && st.id.spi !== id.spi) return false;
  if (id.family !== undefined && st.family !== (id.family === 6 ? 'inet6' : 'inet')) return false;
  if (mode !== undefined && st.mode !== mode) return false;
  if (reqid !== undefined && st.reqid !== reqid) return false;
  return true;
}

/** The command a word names, tried in ip's order (`d` is delete, `l` list). */
function command(word: string | undefined, order: [string, string[]][]): string | undefined {
  if (word === undefined) return 'list';
  for (const [name, words] of order) if (words.some((w) => matches(word, w))) return name;
  return undefined;
}

const ORDER: [string, string[]][] = [
  ['add', ['add']], ['update', ['update']], ['allocspi', ['allocspi']], ['delete', ['delete']], ['deleteall', ['deleteall', 'delall']],
  ['list', ['list', 'show', 'lst']], ['get', ['get']], ['flush', ['flush']], ['count', ['count']], ['help', ['help']],
];

async function stateCmd(s: XfrmSession, args: Args): Promise<number> {
  const word = args.next();
  const cmd = command(word, ORDER);
  const o = s.opts;
  const family = s.ctx.opts.family === 4 ? 'inet' : s.ctx.opts.family === 6 ? 'inet6' : undefined;
  if (cmd === 'list' || cmd === 'deleteall') {
    const del = cmd === 'deleteall';
    const id: IdWords = {};
    let mode: string | undefined;
    let reqid: number | undefined;
    while (args.left > 0) {
      const w = args.peek()!;
      if (w === 'nokeys') args.next();
      else if (w === 'mode') { args.next(); mode = parseMode(args, args.value(w)); }
      else if (w === 'reqid') { args.next(); reqid = args.u32(w, args.value(w), 0xffffffff, 'REQID value is invalid'); }
      else if (!parseId(args, id)) throw args.invalid(w, 'unknown');
    }
    const list = (await dumpStates(id.proto ? { proto: id.proto as never } : {}, o).toArray())
      .filter((st) => stateMatches(st, id, mode, reqid) && (family === undefined || st.family === family));
    if (del) {
      for (const st of list) if (st.id.proto !== 4 && st.id.proto !== 41) await deleteState(st, o);
      return 0;
    }
    await printAll(s, list, (x) => stateText(x, s.print()));
    return 0;
  }
  if (cmd === 'add' || cmd === 'update') {
    const spec = parseStateAdd(args, (n) => s.ifindex(n));
    await (cmd === 'add' ? addState : updateState)(spec, o);
    return 0;
  }
  if (cmd === 'allocspi') {
    const id: IdWords = {};
    const spec: Record<string, unknown> = { mode: 'transport' };
    let seen = false;
    while (args.left > 0) {
      const w = args.peek()!;
      if (w === 'mode') { args.next(); spec.mode = parseMode(args, args.value(w)); }
      else if (w === 'mark') { args.next(); spec.mark = parseMark(args); }
      else if (w === 'reqid') { args.next(); spec.reqid = args.u32(w, args.value(w), 0xffffffff, 'REQID value is invalid'); }
      else if (w === 'seq') { args.next(); spec.seq = args.u32(w, args.value(w), 0xffffffff, 'SEQ value is invalid'); }
      else if (w === 'min') { args.next(); spec.min = args.u32(w, args.value(w), 0xffffffff, 'value after "min" is invalid'); }
      else if (w === 'max') { args.next(); spec.max = args.u32(w, args.value(w), 0xffffffff, 'value after "max" is invalid'); }
      else if (w === 'if_id') { args.next(); spec.if_id = args.u32(w, args.value(w), 0xffffffff, 'IF_ID value is invalid'); }
      else {
        if (seen) throw args.invalid(w, 'unknown');
        if (!parseId(args, id)) throw args.invalid(w, 'unknown');
        seen = true;
      }
    }
    if (!seen) throw missing(args, 'ID');
    if (!id.proto) throw missing(args, 'XFRM-PROTO');
    spec.id = { daddr: id.dst ?? (id.family === 6 ? '::' : '0.0.0.0'), spi: 0, proto: id.proto };
    spec.saddr = id.src ?? (id.family === 6 ? '::' : '0.0.0.0');
    spec.family = id.family === 6 ? 'inet6' : 'inet';
    const st = await allocSpi(spec as never, o);
    await printAll(s, [st], (x) => stateText(x, s.print()));
    return 0;
  }
  if (cmd === 'delete' || cmd === 'get') {
    const id: IdWords = {};
    let mark: { v: number; m: number } | undefined;
    let seen = false;
    while (args.left > 0) {
      const w = args.peek()!;
      if (w === 'mark') { args.next(); mark = parseMark(args); }
      else {
        if (seen) throw args.invalid(w, 'unknown');
        if (!parseId(args, id)) throw args.invalid(w, 'unknown');
        seen = true;
      }
    }
    if (!seen) throw missing(args, 'ID');
    if (!id.proto) throw missing(args, 'XFRM-PROTO');
    const sid = {
      daddr: id.dst ?? (id.family === 6 ? '::' : '0.0.0.0'), spi: id.spi ?? 0, proto: id.proto as XfrmProto,
      saddr: id.src ?? (id.family === 6 ? '::' : '0.0.0.0'), family: id.family === 6 ? 'inet6' as const : 'inet' as const,
      ...(mark && (mark.m & mark.v) ? { mark } : {}),
    };
    if (cmd === 'delete') {
      await deleteState(sid, o);
      return 0;
    }
    const st = await getState(sid, o);
    await printAll(s, [st], (x) => stateText(x, s.print()));
    return 0;
  }
  if (cmd === 'flush') {
    let proto: string | undefined;
    while (args.left > 0) {
      const w = args.next()!;
      if (w !== 'proto') throw args.invalid(w, 'unknown');
      if (proto) throw args.duplicate('proto', w);
      proto = xfrmProto(args, args.value(w));
    }
    await flushStates(proto ? { proto: proto as never } : {}, o);
    return 0;
  }
  if (cmd === 'count') {
    const info = await getSadInfo(o);
    if (s.ctx.opts.json) write(jsonLine(info));
    else write(`\t SAD count ${info.cnt}${s.ctx.opts.stats && info.hinfo ? ` (buckets count ${info.hinfo.sadhcnt | 0} Max ${info.hinfo.sadhmcnt | 0})` : ''}\n`);
    return 0;
  }
  if (cmd === 'help') return usage(STATE_USAGE);
  process.stderr.write(`Command "${word}" is unknown, try "ip xfrm state help".\n`);
  return IP_EXIT.INVARG;
}

async function policyCmd(s: XfrmSession, args: Args): Promise<number> {
  const word = args.next();
  const cmd = command(word, ORDER);
  const o = s.opts;
  const resolve = (n: string) => s.ifindex(n);
  if (cmd === 'list' || cmd === 'deleteall') {
    const del = cmd === 'deleteall';
    const f: { dir?: string; index?: number; priority?: number; action?: string; ptype?: string; nosock?: boolean } = {};
    const sel: Partial<XfrmSelector> = {};
    while (args.left > 0) {
      const w = args.peek()!;
      if (w === 'dir') { args.next(); f.dir = ['in', 'out', 'fwd'].find((d) => matches(args.peek(), d)) ?? (() => { throw args.invalid(args.peek() ?? '', 'DIR value is invalid'); })(); args.next(); }
      else if (w === 'index') { args.next(); f.index = args.u32(w, args.value(w), 0xffffffff, 'INDEX value is invalid'); }
      else if (w === 'priority') { args.next(); f.priority = args.u32(w, args.value(w), 0xffffffff, 'PRIORITY value is invalid'); }
      else if (w === 'action') { args.next(); f.action = args.value(w); }
      else if (w === 'ptype') { args.next(); f.ptype = args.value(w); }
      else if (w === 'nosock') { args.next(); f.nosock = true; }
      else if (!parseSelector(args, sel, resolve)) throw args.invalid(w, 'unknown');
    }
    const family = s.ctx.opts.family === 4 ? 'inet' : s.ctx.opts.family === 6 ? 'inet6' : undefined;
    const list = (await dumpPolicies(o).toArray()).filter((p) => {
      if (family !== undefined && p.sel.family !== family) return false;
      if (f.dir !== undefined && p.dir !== f.dir) return false;
      if (f.index !== undefined && p.index !== f.index) return false;
      if (f.priority !== undefined && p.priority !== f.priority) return false;
      if (f.action !== undefined && p.action !== f.action) return false;
      if (f.ptype !== undefined && (p.policy_type?.type ?? 'main') !== f.ptype) return false;
      if (f.nosock && typeof p.dir === 'number') return false;
      if (sel.saddr !== undefined && (p.sel.saddr !== sel.saddr || p.sel.prefixlen_s !== sel.prefixlen_s)) return false;
      if (sel.daddr !== undefined && (p.sel.daddr !== sel.daddr || p.sel.prefixlen_d !== sel.prefixlen_d)) return false;
      return true;
    });
    if (del) {
      for (const p of list) if (typeof p.dir === 'string') await deletePolicy(p, o);
      return 0;
    }
    await printAll(s, list, (x) => policyText(x, s.print()));
    return 0;
  }
  if (cmd === 'add' || cmd === 'update') {
    const spec = parsePolicyAdd(args, resolve);
    await (cmd === 'add' ? addPolicy : updatePolicy)(spec, o);
    return 0;
  }
  if (cmd === 'delete' || cmd === 'get') {
    const sel: Partial<XfrmSelector> = {};
    let dir: string | undefined;
    let index: number | undefined;
    let mark: { v: number; m: number } | undefined;
    let ptype: string | undefined;
    let ifId: number | undefined;
    let selSeen = false;
    while (args.left > 0) {
      const w = args.peek()!;
      if (w === 'dir') {
        args.next();
        if (dir) throw args.duplicate('dir', w);
        const v = args.value(w);
        dir = ['in', 'out', 'fwd'].find((d) => matches(v, d));
        if (!dir) throw args.invalid(v, 'DIR value is invalid');
      } else if (w === 'mark') { args.next(); mark = parseMark(args); }
      else if (w === 'index') { args.next(); index = args.u32(w, args.value(w), 0xffffffff, 'INDEX value is invalid'); }
      else if (w === 'ptype') { args.next(); ptype = args.value(w); }
      else if (w === 'if_id') { args.next(); ifId = args.u32(w, args.value(w), 0xffffffff, 'IF_ID value is invalid'); }
      else {
        if (selSeen) throw args.invalid(w, 'unknown');
        if (!parseSelector(args, sel, resolve)) throw args.invalid(w, 'unknown');
        selSeen = true;
      }
    }
    if (!dir) {
      process.stderr.write('Not enough information: DIR is required.\n');
      return IP_EXIT.FAILURE;
    }
    if (!selSeen && index === undefined) {
      process.stderr.write('Not enough information: either SELECTOR or INDEX is required.\n');
      return IP_EXIT.FAILURE;
    }
    const pid = {
      dir: dir as 'in', sel: selSeen ? sel : {}, ...(index !== undefined ? { index } : {}),
      ...(mark && (mark.m & mark.v) ? { mark } : {}), ...(ifId !== undefined ? { if_id: ifId } : {}),
      ...(ptype ? { policy_type: { type: ptype as 'main' } } : {}),
    };
    if (cmd === 'delete') {
      await deletePolicy(pid, o);
      return 0;
    }
    const p = await getPolicy(pid, o);
    await printAll(s, [p], (x) => policyText(x, s.print()));
    return 0;
  }
  if (cmd === 'flush') {
    let ptype: string | undefined;
    while (args.left > 0) {
      const w = args.next()!;
      if (w !== 'ptype') throw args.invalid(w, 'unknown');
      if (ptype) throw args.duplicate('ptype', w);
      ptype = args.value(w);
      if (ptype !== 'main' && ptype !== 'sub') throw args.invalid(ptype, 'PTYPE value is invalid');
    }
    await flushPolicies(ptype ? { ptype: ptype as 'main' } : {}, o);
    return 0;
  }
  if (cmd === 'count') {
    const info = await getSpdInfo(o);
    if (s.ctx.opts.json) {
      write(jsonLine(info));
      return 0;
    }
    let t = '\t SPD';
    if (info.info) {
      const i = info.info;
      t += ` IN  ${i.incnt | 0} OUT ${i.outcnt | 0} FWD ${i.fwdcnt | 0}`;
      if (s.ctx.opts.stats) t += ` (Sock: IN ${i.inscnt | 0} OUT ${i.outscnt | 0} FWD ${i.fwdscnt | 0})`;
      t += '\n';
    }
    if (s.ctx.opts.stats > 1) {
      if (info.hinfo) t += `\t SPD buckets: count ${info.hinfo.spdhcnt | 0} Max ${info.hinfo.spdhmcnt | 0}\n`;
      if (info.ipv4_hthresh) t += `\t SPD IPv4 thresholds: local ${info.ipv4_hthresh.lbits} remote ${info.ipv4_hthresh.rbits}\n`;
      if (info.ipv6_hthresh) t += `\t SPD IPv6 thresholds: local ${info.ipv6_hthresh.lbits} remote ${info.ipv6_hthresh.rbits}\n`;
    }
    write(t);
    return 0;
  }
  if (cmd === 'help') return usage(POLICY_USAGE);
  process.stderr.write(`Command "${word}" is unknown, try "ip xfrm policy help".\n`);
  return IP_EXIT.INVARG;
}

/** The text `ip xfrm monitor` prints for one notification. */
export function eventText(ev: XfrmEvent, o: XfrmPrintOptions): string {
  switch (ev.kind) {
    case 'sa': return stateText(ev.object, o, ev.event === 'del' ? 'Deleted ' : ev.event === 'update' ? 'Updated ' : undefined);
    case 'expire': return `${stateText(ev.object, o, 'Expired ')}\thard ${ev.hard ? 1 : 0}${o.sl}`;
    case 'policy': return policyText(ev.object, o, undefined, ev.event === 'del' ? 'Deleted ' : ev.event === 'update' ? 'Updated ' : undefined);
    case 'polexpire': return `${policyText(ev.object, o, undefined, 'Expired ')}\thard ${ev.hard ? 1 : 0}${o.sl}`;
    case 'acquire': return acquireText(ev.object, o);
    case 'flush':
      if (ev.event === 'flushsa') return `Flushed state proto ${ev.proto === 0 ? 0 : ev.proto}${o.sl}`;
      return `Flushed policy ${ev.object.policy_type ? `ptype ${(ev.object.policy_type as { type: string }).type} ` : ''}${o.sl}`;
    default: return '';
  }
}

async function monitorCmd(s: XfrmSession, args: Args): Promise<number> {
  const groups = new Set<string>();
  let count: number | undefined;
  while (args.left > 0) {
    const w = args.next()!;
    if (matches(w, 'acquire')) groups.add('acquire');
    else if (matches(w, 'expire')) groups.add('expire');
    else if (matches(w, 'SA')) groups.add('sa');
    else if (matches(w, 'aevent')) groups.add('aevents');
    else if (matches(w, 'policy')) groups.add('policy');
    else if (matches(w, 'report')) groups.add('report');
    else if (w === '--count') count = args.u32(w, args.value(w));
    else if (matches(w, 'help')) return usage('Usage: ip xfrm monitor [ nokeys ] [ all-nsid ] [ all | OBJECTS | help ]\nOBJECTS := { acquire | expire | SA | aevent | policy | report }\n');
    else if (w !== 'all') {
      process.stderr.write(`Argument "${w}" is unknown, try "ip xfrm monitor help".\n`);
      return IP_EXIT.INVARG;
    }
  }
  const list = groups.size ? [...groups] : ['acquire', 'expire', 'sa', 'policy', 'aevents', 'report', 'migrate', 'mapping'];
  const stop = new AbortController();
  const onSignal = () => stop.abort();
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  const sub = events(list, { socket: s.sock, signal: stop.signal });
  let n = 0;
  try {
    for await (const ev of sub) {
      if ('overrun' in ev) continue;
      if (s.ctx.opts.json) write(jsonLine(ev));
      else {
        const obj = 'object' in ev ? ev.object : undefined;
        if (obj && typeof obj === 'object' && needsLinks(obj as { sel?: XfrmSelector })) await s.loadLinks();
        write(eventText(ev, s.print()) + (s.ctx.opts.oneline ? '\n' : ''));
      }
      if (count !== undefined && ++n >= count) break;
    }
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
  return 0;
}

/** Runs `nlkit ip xfrm ARGS`. */
export async function run(ctx: IpContext, argv: string[]): Promise<number> {
  const obj = argv[0];
  if (obj === undefined || matches(obj, 'help')) return usage(USAGE);
  const args = new Args(argv.slice(1), 'xfrm');
  let kind: 'state' | 'policy' | 'monitor';
  if (matches(obj, 'state') || matches(obj, 'sa')) kind = 'state';
  else if (matches(obj, 'policy') || matches(obj, 'sp')) kind = 'policy';
  else if (matches(obj, 'monitor')) kind = 'monitor';
  else return usage(USAGE);
  const s = new XfrmSession(ctx);
  try {
    // Selectors may name devices (`dev eth0`): names resolve in the namespace first.
    if (args.rest().includes('dev')) await s.loadLinks();
    if (kind === 'state') return await stateCmd(s, args);
    if (kind === 'policy') return await policyCmd(s, args);
    return await monitorCmd(s, args);
  } finally {
    s.close();
  }
}

