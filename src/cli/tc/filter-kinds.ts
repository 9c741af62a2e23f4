// The filter kinds tc knows here, parsed from tc's words and printed as tc prints them:
// u32 (f_u32.c: selectors with `match ip|tcp|udp|u32|u16|u8 …`, classid/flowid, actions) and
// bpf (f_bpf.c: classic bytecode, direct-action, classid, actions).
import { readFileSync } from 'node:fs';
import type { SockFilter, TcActionEntry, U32Key, U32Sel } from '../../route/index.js';
import { actionsOf } from '../../route/index.js';
import { TCA_BPF_FLAG, TCA_CLS_FLAGS } from '../../route/constants.js';
import type { Output } from '../ip/output.js';
import { parseActions, printActions } from './actions.js';
import type { TcContext } from './context.js';
import { classid, classidText, fail, getU32, matches, TC_EXIT, type Words } from './grammar.js';

/** A filter kind: parse its options (with the `handle` word, if any) and print them. */
export interface FilterKind {
  parse(w: Words, ctx: TcContext, handle: string | undefined): Promise<{ options: unknown; handle?: number }>;
  print(out: Output, o: any, handle: number, ctx: TcContext): void;
}

const bad = (msg: string) => fail(msg, TC_EXIT.FAILURE);

// ---- u32 ----

const U32_USAGE = `Usage: ... u32 [ match SELECTOR ... ] [ link HTID ] [ classid CLASSID ]
               [ action ACTION_SPEC ] [ offset OFFSET_SPEC ]
               [ ht HTID ] [ hashkey HASHKEY_SPEC ]
               [ sample SAMPLE ] [skip_hw | skip_sw]
or         u32 divisor DIVISOR

Where: SELECTOR := SAMPLE SAMPLE ...
       SAMPLE := { ip | ip6 | udp | tcp | icmp | u{32|16|8} | mark }
                 SAMPLE_ARGS [ divisor DIVISOR ]
       FILTERID := X:Y:Z

NOTE: CLASSID is parsed at hexadecimal input.`;

/** pack_key: merges a 32-bit key (host-order value and mask) at `off` into the selector. */
function packKey(sel: U32Sel, key: number, mask: number, off: number, offmask: number): boolean {
  key = (key & mask) >>> 0;
  for (const k of sel.keys) {
    if (k.off === off && k.offmask === offmask) {
      if (((key ^ k.val) & mask & k.mask) !== 0) return false;
      k.val = (k.val | key) >>> 0;
      k.mask = (k.mask | mask) >>> 0;
      return true;
    }
  }
  if (sel.keys.length >= 128 || off % 4) return false;
  sel.keys.push({ val: key, mask: mask >>> 0, off, offmask });
  return true;
}

function packKey16(sel: U32Sel, key: number, mask: number, off: number, offmask: number): boolean {
  if (key > 0xffff || mask > 0xffff || off & 1) return false;
  if ((off & 3) === 0) {
    key <<= 16;
    mask <<= 16;
  }
  return packKey(sel, key >>> 0, mask >>> 0, off & ~3, offmask);
}

function packKey8(sel: U32Sel, key: number, mask: number, off: number, offmask: number): boolean {
  if (key > 0xff || mask > 0xff) return false;
  const shift = 24 - (off & 3) * 8;
  return packKey(sel, (key << shift) >>> 0, (mask << shift) >>> 0, off & ~3, offmask);
}

/** `at OFF` or `at nexthdr+OFF`. */
function parseAt(w: Words, off: number, offmask: number): [number, number] {
  if (w.peek() !== 'at') return [off, offmask];
  w.next();
  let s = w.value('at');
  if (s.startsWith('nexthdr+')) {
    s = s.slice(8);
    offmask = -1;
  }
  const m = /^-?\d+$/.exec(s);
  if (!m) throw bad('Illegal "match"');
  return [Number(s), offmask];
}

/** VAL MASK [at OFF] for u32/u16/u8 (the mask hexadecimal, as tc reads it). */
function parseSized(w: Words, sel: U32Sel, bits: 32 | 16 | 8, off: number, offmask: number): void {
  const v = w.next();
  const m = w.next();
  const key = v === undefined ? undefined : getU32(v, 0);
  const mask = m === undefined ? undefined : getU32(m, 16);
  if (key === undefined || mask === undefined) throw bad('Illegal "match"');
  [off, offmask] = parseAt(w, off, offmask);
  const ok = bits === 32 ? packKey(sel, key, mask, off, offmask) : bits === 16 ? packKey16(sel, key, mask, off, offmask) : packKey8(sel, key, mask, off, offmask);
  if (!ok) throw bad('Illegal "match"');
}

/** ADDR[/LEN] of an IPv4 source or destination at `off`. */
function parseIpAddr(w: Words, sel: U32Sel, off: number): void {
  const s = w.next();
  const m = s === undefined ? null : /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})(?:\/(\d{1,2}))?$/.exec(s);
  if (!m || m.slice(1, 5).some((x) => Number(x) > 255) || (m[5] !== undefined && Number(m[5]) > 32)) throw bad('Illegal "match"');
  const addr = ((Number(m[1]) << 24) | (Number(m[2]) << 16) | (Number(m[3]) << 8) | Number(m[4])) >>> 0;
  const len = m[5] === undefined ? 32 : Number(m[5]);
  const mask = len === 0 ? 0 : (0xffffffff << (32 - len)) >>> 0;
  let offmask = 0;
  [off, offmask] = parseAt(w, off, offmask);
  if (!packKey(sel, addr, mask, off, offmask)) throw bad('Illegal "match"');
}

/** parse_selector: one `match` (ip, tcp, udp, icmp, u32, u16, u8). */
function parseSelector(w: Words, sel: U32Sel): void {
  const type = w.next();
  if (type === 'u32') return parseSized(w, sel, 32, 0, 0);
  if (type === 'u16') return parseSized(w, sel, 16, 0, 0);
  if (type === 'u8') return parseSized(w, sel, 8, 0, 0);
  if (type === 'ip') {
    const f = w.next();
    if (f === 'src') return parseIpAddr(w, sel, 12);
    if (f === 'dst') return parseIpAddr(w, sel, 16);
    if (f === 'tos' || f === 'dsfield') return parseSized(w, sel, 8, 1, 0);
    if (f === 'ihl') return parseSized(w, sel, 8, 0, 0);
    if (f === 'protocol') return parseSized(w, sel, 8, 9, 0);
    if (f === 'sport') return parseSized(w, sel, 16, 20, 0);
    if (f === 'dport') return parseSized(w, sel, 16, 22, 0);
    if (f === 'icmp_type') return parseSized(w, sel, 8, 20, 0);
    if (f === 'icmp_code') return parseSized(w, sel, 8, 21, 0);
    if (f === 'nofrag') { if (!packKey16(sel, 0, 0x3fff, 6, 0)) throw bad('Illegal "match"'); return; }
    if (f === 'firstfrag') { if (!packKey16(sel, 0x2000, 0x3fff, 6, 0)) throw bad('Illegal "match"'); return; }
    if (f === 'df') { if (!packKey16(sel, 0x4000, 0x4000, 6, 0)) throw bad('Illegal "match"'); return; }
    if (f === 'mf') { if (!packKey16(sel, 0x2000, 0x2000, 6, 0)) throw bad('Illegal "match"'); return; }
    throw bad('Illegal "match"');
  }
  if (type === 'tcp' || type === 'udp') {
    const f = w.next();
    if (f === 'src') return parseSized(w, sel, 16, 0, -1);
    if (f === 'dst') return parseSized(w, sel, 16, 2, -1);
    throw bad('Illegal "match"');
  }
  if (type === 'icmp') {
    const f = w.next();
    if (f === 'type') return parseSized(w, sel, 8, 0, -1);
    if (f === 'code') return parseSized(w, sel, 8, 1, -1);
    throw bad('Illegal "match"');
  }
  throw bad('Illegal "match"');
}

/** get_u32_handle: `800:`, `800::800`, `1:2:3`, or a number. */
function u32Handle(s: string): number | undefined {
  const parts = s.split(':');
  if (parts.length === 1) return getU32(s, 0);
  if (parts.length > 3 || parts.some((p) => p !== '' && !/^[0-9a-fA-F]+$/.test(p))) return undefined;
  const [ht, hash, node] = parts.map((p) => (p ? parseInt(p, 16) : 0)) as [number, number, number?];
  if (ht > 0xfff || hash > 0xff || (node ?? 0) > 0xfff) return undefined;
  return ((ht << 20) | (hash << 12) | (node ?? 0)) >>> 0;
}

async function parseU32(w: Words, ctx: TcContext, handle: string | undefined): Promise<{ options: unknown; handle?: number }> {
  let h: number | undefined;
  if (handle !== undefined) {
    h = u32Handle(handle);
    if (h === undefined) throw bad('Illegal filter ID');
  }
  if (w.left === 0) return { options: undefined, ...(h !== undefined ? { handle: h } : {}) };
  const sel: U32Sel = { flags: [], offshift: 0, offmask: 0, off: 0, offoff: 0, hoff: 0, hmask: 0, keys: [] };
  const o: Record<string, unknown> = {};
  let selOk = false;
  let terminal = false;
  let flags = 0;
  for (let a = w.peek(); a !== undefined; a = w.peek()) {
    if (matches(a, 'match')) {
      w.next();
      w.value(a);
      w.back();
      parseSelector(w, sel);
      selOk = true;
      continue;
    }
    if (matches(a, 'action') || matches(a, 'actions')) {
      o.act = await parseActions(w, ctx);
      terminal = true;
      continue;
    }
    w.next();
    if (matches(a, 'classid') || a === 'flowid') {
      const c = classid(w.value(a));
      if (c === undefined) throw bad('Illegal "classid"');
      o.classid = c;
      terminal = true;
    } else if (matches(a, 'divisor')) {
      const d = getU32(w.value(a), 0);
      if (d === undefined || d === 0 || d > 0x100 || (d & (d - 1))) throw bad('Illegal "divisor"');
      o.divisor = d;
    } else if (matches(a, 'link')) {
      const l = u32Handle(w.value(a));
      if (l === undefined) throw bad('Illegal "link"');
      o.link = l;
    } else if (matches(a, 'ht')) {
      const t = u32Handle(w.value(a));
      if (t === undefined) throw bad('Illegal "ht"');
      if (t & 0xfff) throw bad('"ht" must be a hash table.');
      o.hash = (((o.hash as number | undefined) ?? 0) & 0xfffff | (t & 0xfff00000)) >>> 0;
    } else if (matches(a, 'indev')) {
      o.indev = w.value(a);
    } else if (a === 'skip_hw') flags |= TCA_CLS_FLAGS.SKIP_HW;
    else if (a === 'skip_sw') flags |= TCA_CLS_FLAGS.SKIP_SW;
    else if (a === 'help') throw bad(U32_USAGE);
    else throw bad(`What is "${a}"?\n${U32_USAGE}`);
  }
  if (terminal) sel.flags = ['terminal'];
  if (selOk) o.sel = sel;
  if (flags) o.flags = flags;
  return { options: o, ...(h !== undefined ? { handle: h } : {}) };
}

/** sprint_u32_handle: `800:`, `800::800`, `none`. */
function u32HandleText(h: number): string {
  if (h === 0) return 'none';
  const htid = h >>> 20, hash = (h >>> 12) & 0xff, node = h & 0xfff;
  let s = htid ? `${htid.toString(16)}:` : '';
  if (hash) s += hash.toString(16);
  if (node) s += `:${node.toString(16)}`;
  return s;
}

const hex = (n: number): string => (n >>> 0).toString(16);

function printClsFlags(out: Output, flags: number): void {
  if (flags & TCA_CLS_FLAGS.SKIP_HW) out.field('skip_hw', true, 'skip_hw ');
  if (flags & TCA_CLS_FLAGS.SKIP_SW) out.field('skip_sw', true, 'skip_sw ');
  if (flags & TCA_CLS_FLAGS.IN_HW) out.field('in_hw', true, 'in_hw ');
  else if (flags & TCA_CLS_FLAGS.NOT_IN_HW) out.field('not_in_hw', true, 'not_in_hw ');
}

const flagsNum = (v: unknown): number => {
  if (typeof v === 'number') return v;
  if (!Array.isArray(v)) return 0;
  const bits: Record<string, number> = {
    skip_hw: TCA_CLS_FLAGS.SKIP_HW, skip_sw: TCA_CLS_FLAGS.SKIP_SW, in_hw: TCA_CLS_FLAGS.IN_HW, not_in_hw: TCA_CLS_FLAGS.NOT_IN_HW,
    verbose: TCA_CLS_FLAGS.VERBOSE, direct_action: TCA_BPF_FLAG.ACT_DIRECT,
  };
  return v.reduce((m: number, f) => m | (typeof f === 'number' ? f : bits[f] ?? 0), 0);
};

function printU32(out: Output, o: any, handle: number, ctx: TcContext): void {
  if (handle) {
    const t = u32HandleText(handle);
    out.field('fh', t, `fh ${t} `);
  }
  const node = handle & 0xfff;
  if (node) out.field('order', node, `order ${node} `);
  const sel: U32Sel | undefined = o.sel;
  if (o.divisor !== undefined) out.field('ht_divisor', o.divisor, `ht divisor ${o.divisor} `);
  else if (o.hash !== undefined) {
    out.field('key_ht', hex((o.hash >>> 20) & 0xfff), `key ht ${hex((o.hash >>> 20) & 0xfff)} `);
    out.field('bkt', hex((o.hash >>> 12) & 0xff), `bkt ${hex((o.hash >>> 12) & 0xff)} `);
  }
  const terminal = sel?.flags.includes('terminal') ?? false;
  if (o.classid !== undefined) {
    if (terminal) out.fp('*');
    out.field('flowid', classidText(o.classid), `flowid ${classidText(o.classid)} `);
  } else if (terminal) out.fp('terminal flowid ');
  if (o.link !== undefined) out.field('link', u32HandleText(o.link), `link ${u32HandleText(o.link)} `);
  if (o.flags !== undefined) printClsFlags(out, flagsNum(o.flags));
  if (o.mark) {
    out.nl();
    out.field('fwmark_value', `0x${hex(o.mark.val)}`, `  mark 0x${hex(o.mark.val).padStart(4, '0')} `);
    out.field('fwmark_mask', `0x${hex(o.mark.mask)}`, `0x${hex(o.mark.mask).padStart(4, '0')} `);
    out.field('fwmark_success', o.mark.success, `(success ${o.mark.success})`);
  }
  if (sel) {
    // -p names the keys of an IPv4 filter (tc's print_ipv4; with -j tc's own output is broken, so keys stay raw).
    const pretty = ctx.opts.pretty && !out.json && ctx.filterProtocol === 0x0800;
    for (const k of sel.keys) {
      if (pretty) printIpv4Key(out, k);
      else printKey(out, k);
    }
    if (sel.flags.includes('varoffset') || sel.flags.includes('offset')) {
      out.nl();
      out.fp('    offset ');
      if (sel.flags.includes('varoffset')) {
        out.field('offset_mask', hex(sel.offmask), `${hex(sel.offmask).padStart(4, '0')}`);
        out.field('offset_shift', sel.offshift, `>>${sel.offshift} `);
        out.field('offset_off', sel.offoff, `at ${sel.offoff} `);
      }
      if (sel.off) out.field('plus', sel.off, `plus ${sel.off} `);
    }
    if (sel.flags.includes('eat')) out.fp(' eat ');
    if (sel.hmask) {
      out.nl();
      out.field('hash_mask', hex(sel.hmask), `    hash mask ${hex(sel.hmask).padStart(8, '0')} `);
      out.field('hash_off', sel.hoff, `at ${sel.hoff} `);
    }
  }
  if (o.indev !== undefined) {
    out.nl();
    out.field('input_dev', o.indev, `  input dev ${o.indev}`);
    out.nl();
  }
  if (o.act) printActions(out, actionsOf({ tab: o.act }) as TcActionEntry[], ctx);
}

/** mask2bits: the prefix length of a contiguous mask, else -1. */
function maskBits(mask: number): number {
  for (let len = 0; len <= 32; len++) if ((len === 0 ? 0 : (0xffffffff << (32 - len)) >>> 0) === mask >>> 0) return len;
  return -1;
}

/** print_ipv4: tc -p's names for the fields of an IPv4 header a key matches (nothing for the rest). */
function printIpv4Key(out: Output, k: U32Key): void {
  const v = k.val >>> 0, m = k.mask >>> 0;
  if (k.off === 0) {
    if (m === 0x0f000000) out.fp(`${out.sl}  match IP ihl ${v >>> 24}`);
    else if (m === 0x00ff0000) out.fp(`${out.sl}  match IP dsfield 0x${((v >>> 16) & 0xff).toString(16)}`);
  } else if (k.off === 8) {
    if (m === 0x00ff0000) out.fp(`${out.sl}  match IP protocol ${(v >>> 16) & 0xff}`);
  } else if (k.off === 12 || k.off === 16) {
    const bits = maskBits(m);
    if (bits >= 0) out.fp(`${out.sl}  match IP ${k.off === 12 ? 'src' : 'dst'} ${v >>> 24}.${(v >>> 16) & 0xff}.${(v >>> 8) & 0xff}.${v & 0xff}/${bits}`);
  } else if (k.off === 20) {
    if (m === 0x0000ffff) out.fp(`match dport ${v & 0xffff}`);
    else if (m === 0xffff0000) out.fp(`${out.sl}  match sport ${v >>> 16}`);
    else if (m === 0xffffffff) out.fp(`${out.sl}  match sport ${v >>> 16}, match dport ${v & 0xffff}`);
  }
}

function printKey(out: Output, k: U32Key): void {
  out.openObject('match');
  out.nl();
  out.field('value', hex(k.val), `  match ${hex(k.val).padStart(8, '0')}`);
  out.field('mask', hex(k.mask), `/${hex(k.mask).padStart(8, '0')} `);
  const om = k.offmask ? 'nexthdr+' : '';
  out.field('offmask', om, `at ${om}`);
  out.field('off', k.off, String(k.off));
  out.closeObject();
}

// ---- bpf ----

const BPF_USAGE = `Usage: ... bpf ...

BPF use case:
 bytecode BPF_BYTECODE
 bytecode-file FILE

eBPF use case:
 object-file FILE [ section CLS_NAME ] [ export UDS_FILE ] [ verbose ] [ direct-action ] [ skip_hw | skip_sw ]
 object-pinned FILE [ direct-action ] [ skip_hw | skip_sw ]

Common remaining options:
 [ action ACTION_SPEC ]
 [ classid CLASSID ]

Where BPF_BYTECODE := \\'s,c t f k,c t f k,c t f k,...\\'
c,t,f,k and s are decimals; s denotes number of 4-tuples

Where FILE points to a file containing the BPF_BYTECODE string,
an ELF file containing eBPF map definitions and bytecode, or a
pinned eBPF program.

Where CLS_NAME refers to the section name containing the
classifier (default 'classifier').

Where UDS_FILE points to a unix domain socket file in order
to hand off control of all created eBPF maps to an agent.

ACTION_SPEC := ... look at individual actions

NOTE: CLASSID is parsed as hexadecimal input.`;

/** bpf_parse_string: `N,c t f k,c t f k,…` (separators ',' and blanks). */
function parseBytecode(s: string): SockFilter[] | undefined {
  const parts = s.split(',').map((p) => p.trim()).filter((p) => p !== '');
  const n = Number(parts.shift());
  if (!Number.isInteger(n) || n <= 0 || n > 4096 || parts.length < n) return undefined;
  const ops: SockFilter[] = [];
  for (let i = 0; i < n; i++) {
    const f = parts[i]!.split(/\s+/).map(Number);
    if (f.length !== 4 || f.some((x) => !Number.isInteger(x) || x < 0)) return undefined;
    ops.push({ code: f[0]!, jt: f[1]!, jf: f[2]!, k: f[3]! >>> 0 });
  }
  return ops;
}

async function parseBpf(w: Words, ctx: TcContext, handle: string | undefined): Promise<{ options: unknown; handle?: number }> {
  let h: number | undefined;
  if (handle !== undefined) {
    h = getU32(handle, 0);
    if (h === undefined) throw bad('Illegal "handle"');
  }
  if (w.left === 0) return { options: undefined, ...(h !== undefined ? { handle: h } : {}) };
  const o: Record<string, unknown> = {};
  let flags = 0, gen = 0, seenRun = false;
  for (let a = w.peek(); a !== undefined; a = w.peek()) {
    if (matches(a, 'action')) {
      o.act = await parseActions(w, ctx);
      continue;
    }
    w.next();
    if (a === 'run' || (!seenRun && (a === 'bytecode' || a === 'bc' || a === 'bytecode-file' || a === 'bcf'))) {
      const kw = a === 'run' ? w.next() : a;
      seenRun = true;
      if (kw === 'bytecode' || kw === 'bc' || kw === 'bytecode-file' || kw === 'bcf') {
        let text = w.value(kw);
        if (kw === 'bytecode-file' || kw === 'bcf') {
          try {
            text = readFileSync(text, 'utf8');
          } catch {
            throw bad(`Cannot open file ${text}`);
          }
        }
        const ops = parseBytecode(text);
        if (!ops) throw bad('Error: Illegal BPF bytecode');
        o.ops_len = ops.length;
        o.ops = ops;
      } else {
        throw bad(`nlkit tc: eBPF objects (${kw ?? 'run'}) are not supported; use bytecode`);
      }
    } else if (matches(a, 'classid') || matches(a, 'flowid')) {
      const c = classid(w.value(a));
      if (c === undefined) throw bad('Illegal "classid"');
      o.classid = c;
    } else if (matches(a, 'skip_hw')) gen |= TCA_CLS_FLAGS.SKIP_HW;
    else if (matches(a, 'skip_sw')) gen |= TCA_CLS_FLAGS.SKIP_SW;
    else if (matches(a, 'direct-action') || matches(a, 'da')) flags |= TCA_BPF_FLAG.ACT_DIRECT;
    else if (matches(a, 'help')) throw bad(BPF_USAGE);
    else if (a === 'object-file' || a === 'obj' || a === 'object-pinned' || a === 'pinned' || a === 'fd') {
      throw bad(`nlkit tc: eBPF objects (${a}) are not supported; use bytecode`);
    } else throw bad(`What is "${a}"?\n${BPF_USAGE}`);
  }
  if (gen) o.flags_gen = gen;
  if (flags) o.flags = flags;
  return { options: o, ...(h !== undefined ? { handle: h } : {}) };
}

function printBpf(out: Output, o: any, handle: number, ctx: TcContext): void {
  if (handle) out.field('handle', `0x${hex(handle)}`, `handle 0x${hex(handle)} `);
  if (o.classid !== undefined) out.field('flowid', classidText(o.classid), `flowid ${classidText(o.classid)} `);
  if (o.name !== undefined) out.field('bpf_name', o.name, `${o.name} `);
  if (o.flags !== undefined && flagsNum(o.flags) & TCA_BPF_FLAG.ACT_DIRECT) out.field('direct-action', true, 'direct-action ');
  if (o.flags_gen !== undefined) printClsFlags(out, flagsNum(o.flags_gen));
  const ops: SockFilter[] | undefined = o.ops;
  if (ops && o.ops_len) {
    const len = o.ops_len as number;
    out.openObject('bytecode');
    out.jfield('length', len);
    out.openArray('insns');
    for (let i = 0; i < len && i < ops.length; i++) {
      const x = ops[i]!;
      out.openObject();
      out.jfield('code', x.code);
      out.jfield('jt', x.jt);
      out.jfield('jf', x.jf);
      out.jfield('k', x.k);
      out.closeObject();
    }
    out.closeArray();
    out.closeObject();
    out.fp(`bytecode '${len},${ops.slice(0, len).map((x) => `${x.code} ${x.jt} ${x.jf} ${x.k}`).join(',')}'`);
  }
  if (o.id !== undefined) out.field('prog_id', o.id, ` id ${o.id}`);
  if (o.tag) {
    const t = Buffer.from(o.tag).toString('hex');
    out.field('tag', t, `tag ${t} `);
  }
  if (o.act) printActions(out, actionsOf({ tab: o.act }) as TcActionEntry[], ctx);
}

/** The filter kinds by name. */
export const FILTER_KINDS: Record<string, FilterKind> = {
  u32: { parse: parseU32, print: printU32 },
  bpf: { parse: parseBpf, print: printBpf },
};
