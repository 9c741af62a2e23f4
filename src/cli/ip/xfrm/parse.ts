// `ip xfrm`'s grammar (ipxfrm.c, xfrm_state.c, xfrm_policy.c of iproute2 6.1): IDs, selectors,
// limits, algorithms, templates and marks, each failing with ip's words and exit status.
import type { PolicySpec, StateSpec, XfrmAlgo } from '../../../xfrm/index.js';
import { XFRM_INF } from '../../../xfrm/index.js';
import type { XfrmSelector, XfrmTmpl } from '../../../xfrm/types.js';
import { Args, IP_EXIT, matches, parsePrefix, type Family } from '../argv.js';
import { UsageError } from '../../errors.js';
import { readFileSync } from 'node:fs';

export const XFRM_PROTOS = ['esp', 'ah', 'comp', 'route2', 'hao', 'ipsec-any'] as const;
const MODES = ['transport', 'tunnel', 'ro', 'in_trigger', 'beet'] as const;

/** ip's missarg(): `Error: argument "X" is required` (exit 255). */
export function missing(args: Args, what: string): UsageError {
  return args.error(`Error: argument "${what}" is required`, IP_EXIT.INVARG);
}

/** An XFRM-PROTO word. */
export function xfrmProto(args: Args, v: string): string {
  if (!(XFRM_PROTOS as readonly string[]).includes(v)) throw args.invalid(v, 'XFRM-PROTO value is invalid');
  return v;
}

/** A MODE word (matched by prefix, in ip's order). */
export function parseMode(args: Args, v: string): string {
  for (const m of MODES) if (matches(v, m)) return m;
  throw args.invalid(v, 'MODE value is invalid');
}

/** An xfrm ID: src ADDR dst ADDR proto XFRM-PROTO spi SPI, in any order, as far as they go. */
export interface IdWords {
  src?: string;
  dst?: string;
  family?: Family;
  proto?: string;
  spi?: number;
}

/** Parses ID words at the cursor (xfrm_id_parse); stops at the first other word. */
export function parseId(args: Args, into: IdWords, family?: Family): boolean {
  let any = false;
  for (;;) {
    const w = args.peek();
    if (w === 'src' || w === 'dst') {
      args.next();
      const v = args.value(w);
      const p = parsePrefix(args, v, family);
      if (p.any) throw args.invalid(v, `value after "${w}" has an unrecognized address family`);
      if (w === 'src') into.src = p.addr;
      else into.dst = p.addr;
      if (into.family !== undefined && into.family !== p.family) throw args.invalid(v, 'the same address family is required between values after "src" and "dst"');
      into.family = p.family;
    } else if (w === 'proto') {
      args.next();
      into.proto = xfrmProto(args, args.value(w));
    } else if (w === 'spi') {
      args.next();
      const v = args.value(w);
      into.spi = args.u32(w, v, 0xffffffff, 'SPI value is invalid');
    } else break;
    any = true;
  }
  return any;
}

/** mark MARK [mask MASK] (xfrm_parse_mark); the cursor is after "mark". */
export function parseMark(args: Args): { v: number; m: number } {
  const v = args.u32('mark', args.value('mark'), 0xffffffff, 'MARK value is invalid\n');
  if (args.peek() === 'mask') {
    args.next();
    return { v, m: args.u32('mask', args.value('mask'), 0xffffffff, 'MASK value is invalid\n') };
  }
  return { v, m: 0xffffffff };
}

/** SELECTOR: src PREFIX dst PREFIX [ proto P [ sport/dport/type/code/key ] ] [ dev DEV ]. */
export function parseSelector(args: Args, sel: Partial<XfrmSelector>, resolveDev: (name: string) => number): boolean {
  let any = false;
  for (;;) {
    const w = args.peek();
    if (w === 'src' || w === 'dst') {
      args.next();
      const v = args.value(w);
      const p = parsePrefix(args, v);
      sel.family = p.family === 4 ? 'inet' : 'inet6';
      if (w === 'src') {
        sel.saddr = p.addr;
        sel.prefixlen_s = p.len;
      } else {
        sel.daddr = p.addr;
        sel.prefixlen_d = p.len;
      }
    } else if (w === 'proto') {
      args.next();
      const v = args.value(w);
      sel.proto = v === 'any' ? 0 : protoNumber(args, v);
    } else if (w === 'sport' || w === 'dport' || w === 'type' || w === 'code') {
      args.next();
      const v = args.value(w);
      const max = w === 'type' || w === 'code' ? 0xff : 0xffff;
      const n = args.u32(w, v, max, `value after "${w}" is invalid`);
      const key = w === 'sport' || w === 'type' ? 'sport' : 'dport';
      sel[key] = n;
      if (n || w === 'type' || w === 'code') sel[`${key}_mask`] = 0xffff;
    } else if (w === 'key') {
      args.next();
      const v = args.value(w);
      const n = v.includes('.') ? v.split('.').reduce((a, b) => a * 256 + Number(b), 0) : args.u32(w, v, 0xffffffff, 'value after "key" is invalid');
      sel.sport = n >>> 16;
      sel.dport = n & 0xffff;
      sel.sport_mask = 0xffff;
      sel.dport_mask = 0xffff;
    } else if (w === 'dev') {
      args.next();
      const v = args.value(w);
      sel.ifindex = v === 'none' ? 0 : resolveDev(v);
    } else break;
    any = true;
  }
  return any;
}

let protos: Map<string, number> | undefined;
/** getprotobyname(), else a number. */
function protoNumber(args: Args, v: string): number {
  if (!protos) {
    protos = new Map();
    try {
      const text = readFileSync('/etc/protocols', 'utf8');
      for (const line of text.split('\n')) {
        const m = /^([^#\s]+)\s+(\d+)\s*([^#]*)/.exec(line);
        if (!m) continue;
        protos.set(m[1]!, Number(m[2]));
        for (const alias of m[3]!.trim().split(/\s+/)) if (alias) protos.set(alias, Number(m[2]));
      }
    } catch {
      // numbers only
    }
  }
  const n = protos.get(v);
  if (n !== undefined) return n;
  return args.u32('proto', v, 255, 'PROTO value is invalid');
}

/** ALGO-KEY: "0x" then hex digits, or the text's bytes. */
function algoKey(args: Args, v: string): Uint8Array {
  if (v.startsWith('0x')) {
    const hex = v.slice(2);
    if (hex.length % 2 !== 0 || !/^[0-9a-fA-F]*$/.test(hex)) throw args.invalid(v, '"ALGO-KEY" makes buffer overflow\n');
    return Uint8Array.from(Buffer.from(hex, 'hex'));
  }
  return Uint8Array.from(Buffer.from(v, 'latin1'));
}

const LIMITS: Record<string, keyof import('../../../xfrm/types.js').XfrmLifetimeCfg> = {
  'time-soft': 'soft_add_expires_seconds', 'time-hard': 'hard_add_expires_seconds',
  'time-use-soft': 'soft_use_expires_seconds', 'time-use-hard': 'hard_use_expires_seconds',
  'byte-soft': 'soft_byte_limit', 'byte-hard': 'hard_byte_limit', 'packet-soft': 'soft_packet_limit', 'packet-hard': 'hard_packet_limit',
};

/** limit LIMIT: the cursor is after "limit". */
export function parseLimit(args: Args, lft: Record<string, unknown>): void {
  const w = args.value('limit');
  const key = Object.entries(LIMITS).find(([k]) => matches(w, k))?.[1];
  if (!key) throw args.invalid(w, 'LIMIT value is invalid');
  const v = args.value(w);
  if (v === 'inf') lft[key] = XFRM_INF;
  else {
    if (!/^(0x[0-9a-fA-F]+|\d+)$/.test(v)) throw args.invalid(v, `value after "${w}" is invalid`);
    const n = BigInt(v);
    lft[key] = n <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(n) : n;
  }
}

const STATE_FLAGS = ['noecn', 'decap-dscp', 'nopmtudisc', 'wildrecv', 'icmp', 'af-unspec', 'align4', 'esn'];

/** `flag FLAG ...`: names or a hex number, as far as they go. */
function parseFlags(args: Args, names: string[]): (string | number)[] {
  const out: (string | number)[] = [];
  if (args.peek() === undefined) throw args.incomplete('flag');
  for (;;) {
    const w = args.peek();
    if (w === undefined) break;
    if (names.includes(w)) out.push(w);
    else if (/^(0x)?[0-9a-fA-F]+$/.test(w) && out.length === 0) out.push(Number.parseInt(w, 16));
    else break;
    args.next();
  }
  if (out.length === 0) throw args.invalid(args.peek() ?? '', 'FLAG value is invalid');
  return out;
}

/** `ip xfrm state { add | update } …` into a StateSpec. */
export function parseStateAdd(args: Args, resolveDev: (n: string) => number): StateSpec {
  const id: IdWords = {};
  const spec: Record<string, unknown> = { mode: 'transport', reqid: 0, replay_window: 0 };
  const lft: Record<string, unknown> = {};
  const replay: { seq?: number; oseq?: number; seq_hi?: number; oseq_hi?: number } = {};
  let window = 0;
  let idSeen = false;
  while (args.left > 0) {
    const w = args.peek()!;
    if (w === 'mode') { args.next(); spec.mode = parseMode(args, args.value(w)); }
    else if (w === 'mark') { args.next(); spec.mark = parseMark(args); }
    else if (w === 'reqid') { args.next(); spec.reqid = args.u32(w, args.value(w), 0xffffffff, 'REQID value is invalid'); }
    else if (w === 'seq') {
      // ip reads it with get_be32(): the struct holds the number in network order.
      args.next();
      const n = args.u32(w, args.value(w), 0xffffffff, 'SEQ value is invalid');
      spec.seq = ((n & 0xff) << 24 | (n & 0xff00) << 8 | (n >>> 8) & 0xff00 | n >>> 24) >>> 0;
    } else if (w === 'replay-window') { args.next(); window = args.u32(w, args.value(w), 0xffffffff, 'value after "replay-window" is invalid'); }
    else if (w === 'replay-seq') { args.next(); replay.seq = args.u32(w, args.value(w), 0xffffffff, 'value after "replay-seq" is invalid'); }
    else if (w === 'replay-oseq') { args.next(); replay.oseq = args.u32(w, args.value(w), 0xffffffff, 'value after "replay-oseq" is invalid'); }
    else if (w === 'replay-seq-hi') { args.next(); replay.seq_hi = args.u32(w, args.value(w), 0xffffffff, 'value after "replay-seq-hi" is invalid'); }
    else if (w === 'replay-oseq-hi') { args.next(); replay.oseq_hi = args.u32(w, args.value(w), 0xffffffff, 'value after "replay-oseq-hi" is invalid'); }
    else if (w === 'flag') { args.next(); spec.flags = parseFlags(args, STATE_FLAGS); }
    else if (w === 'extra-flag') { args.next(); spec.sa_extra_flags = parseFlags(args, ['dont-encap-dscp', 'oseq-may-wrap']); }
    else if (w === 'sel') { args.next(); const sel: Partial<XfrmSelector> = {}; if (!parseSelector(args, sel, resolveDev)) throw missing(args, 'SELECTOR'); spec.sel = sel; }
    else if (w === 'limit') { args.next(); parseLimit(args, lft); }
    else if (w === 'encap') {
      args.next();
      const t = args.value(w);
      if (!['espinudp-nonike', 'espinudp', 'espintcp'].includes(t)) throw args.invalid(t, 'ENCAP-TYPE value is invalid');
      const sport = args.u32('encap', args.value('encap'), 0xffff, 'SPORT value after "encap" is invalid');
      const dport = args.u32('encap', args.value('encap'), 0xffff, 'DPORT value after "encap" is invalid');
      const oa = parsePrefix(args, args.value('encap'));
      spec.encap = { encap_type: t, encap_sport: sport, encap_dport: dport, encap_oa: oa.addr };
    } else if (w === 'coa') { args.next(); spec.coaddr = parsePrefix(args, args.value(w)).addr; }
    else if (w === 'output-mark') {
      args.next();
      spec.set_mark = args.u32(w, args.value(w), 0xffffffff, 'value after "output-mark" is invalid');
      if (args.peek() === 'mask') { args.next(); spec.set_mark_mask = args.u32('mask', args.value('mask'), 0xffffffff, 'MASK value is invalid\n'); }
    } else if (w === 'if_id') { args.next(); spec.if_id = args.u32(w, args.value(w), 0xffffffff, 'IF_ID value is invalid'); }
    else if (w === 'tfcpad') { args.next(); spec.tfcpad = args.u32(w, args.value(w), 0xffffffff, 'value after "tfcpad" is invalid'); }
    else if (['enc', 'auth', 'comp', 'aead', 'auth-trunc'].includes(w)) {
      args.next();
      const name = args.value(w);
      const key = algoKey(args, args.value(w));
      const a: XfrmAlgo = { alg_name: name, alg_key: key, alg_key_len: key.byteLength * 8 };
      if (w === 'aead') { a.alg_icv_len = args.u32(w, args.value(w), 0xffffffff, '"ALGO-ICV-LEN" value is invalid'); spec.alg_aead = a; }
      else if (w === 'auth-trunc') { a.alg_trunc_len = args.u32(w, args.value(w), 0xffffffff, '"ALGO-TRUNC-LEN" value is invalid'); spec.alg_auth_trunc = a; }
      else spec[w === 'enc' ? 'alg_crypt' : w === 'auth' ? 'alg_auth' : 'alg_comp'] = a;
    } else {
      if (idSeen && !['src', 'dst', 'proto', 'spi'].includes(w)) throw args.invalid(w, 'unknown');
      if (!parseId(args, id)) throw args.invalid(w, 'unknown');
      idSeen = true;
    }
  }
  if (!idSeen) throw missing(args, 'ID');
  if (!id.proto) throw missing(args, 'XFRM-PROTO');
  spec.id = { daddr: id.dst ?? (id.family === 6 ? '::' : '0.0.0.0'), spi: id.spi ?? 0, proto: id.proto };
  spec.saddr = id.src ?? (id.family === 6 ? '::' : '0.0.0.0');
  spec.family = id.family === 6 ? 'inet6' : 'inet';
  const esn = (spec.flags as (string | number)[] | undefined)?.includes('esn');
  if (esn || window > 255) {
    const bmpLen = Math.ceil(window / 32);
    // As ip: the bare struct, bmp_len words long in the kernel's copy, none sent.
    spec.replay_esn_val = { bmp_len: bmpLen, oseq: replay.oseq ?? 0, seq: replay.seq ?? 0, oseq_hi: replay.oseq_hi ?? 0, seq_hi: replay.seq_hi ?? 0, replay_window: window, bmp: [] };
    spec.replay_window = 0;
  } else {
    spec.replay_window = window;
    if (replay.seq !== undefined || replay.oseq !== undefined) spec.replay_val = { seq: replay.seq ?? 0, oseq: replay.oseq ?? 0, bitmap: 0 };
  }
  spec.lft = lft;
  return spec as StateSpec;
}

/** `ip xfrm policy { add | update } …` into a PolicySpec. */
export function parsePolicyAdd(args: Args, resolveDev: (n: string) => number): PolicySpec {
  const spec: Record<string, unknown> = { priority: 0, action: 'allow' };
  const sel: Partial<XfrmSelector> = {};
  const lft: Record<string, unknown> = {};
  const tmpls: Partial<XfrmTmpl>[] = [];
  let dir: string | undefined;
  let selSeen = false;
  while (args.left > 0) {
    const w = args.peek()!;
    if (w === 'dir') {
      args.next();
      if (dir) throw args.duplicate('dir', w);
      const v = args.value(w);
      if (!['in', 'out', 'fwd'].some((d) => matches(v, d))) throw args.invalid(v, 'DIR value is invalid');
      dir = ['in', 'out', 'fwd'].find((d) => matches(v, d))!;
    } else if (w === 'mark') { args.next(); spec.mark = parseMark(args); }
    else if (w === 'index') { args.next(); spec.index = args.u32(w, args.value(w), 0xffffffff, 'INDEX value is invalid'); }
    else if (w === 'ptype') {
      args.next();
      const v = args.value(w);
      if (v !== 'main' && v !== 'sub') throw args.invalid(v, 'PTYPE value is invalid');
      spec.policy_type = { type: v };
    } else if (w === 'action') {
      args.next();
      const v = args.value(w);
      if (v !== 'allow' && v !== 'block') throw args.invalid(v, 'ACTION value is invalid\n');
      spec.action = v;
    } else if (w === 'priority') { args.next(); spec.priority = args.u32(w, args.value(w), 0xffffffff, 'PRIORITY value is invalid'); }
    else if (w === 'flag') { args.next(); spec.flags = parseFlags(args, ['localok', 'icmp']); }
    else if (w === 'limit') { args.next(); parseLimit(args, lft); }
    else if (w === 'if_id') { args.next(); spec.if_id = args.u32(w, args.value(w), 0xffffffff, 'IF_ID value is invalid'); }
    else if (w === 'tmpl') {
      args.next();
      const id: IdWords = {};
      const t: Partial<XfrmTmpl> = { mode: 'transport', reqid: 0, optional: 0 };
      for (;;) {
        const x = args.peek();
        if (x === 'mode') { args.next(); t.mode = parseMode(args, args.value(x)) as XfrmTmpl['mode']; }
        else if (x === 'reqid') { args.next(); t.reqid = args.u32(x, args.value(x), 0xffffffff, 'REQID value is invalid'); }
        else if (x === 'level') {
          args.next();
          const v = args.value(x);
          if (v === 'required') t.optional = 0;
          else if (v === 'use') t.optional = 1;
          else throw args.invalid(v, 'LEVEL value is invalid\n');
        } else if (x === 'src' || x === 'dst' || x === 'proto' || x === 'spi') parseId(args, id);
        else break;
      }
      t.id = { daddr: id.dst ?? (id.family === 6 ? '::' : '0.0.0.0'), spi: id.spi ?? 0, proto: (id.proto ?? 0) as XfrmTmpl['id']['proto'] };
      t.saddr = id.src ?? (id.family === 6 ? '::' : '0.0.0.0');
      if (id.family) t.family = id.family === 6 ? 'inet6' : 'inet';
      tmpls.push(t);
    } else {
      if (selSeen) throw args.invalid(w, 'unknown');
      if (!parseSelector(args, sel, resolveDev)) throw args.invalid(w, 'unknown');
      selSeen = true;
    }
  }
  if (!dir) throw new UsageError('Not enough information: DIR is required.', undefined, IP_EXIT.FAILURE);
  spec.dir = dir;
  spec.sel = sel;
  spec.lft = lft;
  if (tmpls.length) spec.tmpl = tmpls;
  return spec as PolicySpec;
}
