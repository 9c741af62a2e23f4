// `ip xfrm state` / `ip xfrm policy` / `ip xfrm monitor` text, byte for byte as iproute2 6.1's
// ipxfrm.c, xfrm_state.c, xfrm_policy.c and xfrm_monitor.c print it (-s adds the same lines).
import { readFileSync } from 'node:fs';
import type { XfrmAlgo, XfrmPolicy, XfrmState, XfrmTmpl } from '../../../xfrm/index.js';
import { XFRM_INF } from '../../../xfrm/index.js';
import type { XfrmSelector } from '../../../xfrm/types.js';

/** What a printer needs besides the object: -s count, the line separator, link names. */
export interface XfrmPrintOptions {
  stats: number;
  /** "\n", or "\\" with -o (iproute2's _SL_). */
  sl: string;
  /** ifindex -> name (ll_index_to_name); "if%u" when unknown. */
  ifname?: (ifindex: number) => string;
}

const hex8 = (v: number) => (v >>> 0).toString(16).padStart(8, '0');
/** C's %#x: "0" for zero, else 0x…. */
const altHex = (v: number) => (v === 0 ? '0' : `0x${(v >>> 0).toString(16)}`);
const bits8 = (v: number) => (v & 0xff).toString(2).padStart(8, '0');

let protoNames: Map<number, string> | undefined;
/** getprotobynumber(): the name /etc/protocols gives a protocol number. */
function protoName(n: number): string {
  if (!protoNames) {
    protoNames = new Map();
    try {
      for (const line of readFileSync('/etc/protocols', 'utf8').split('\n')) {
        const m = /^([^#\s]+)\s+(\d+)/.exec(line);
        if (m && !protoNames.has(Number(m[2]))) protoNames.set(Number(m[2]), m[1]!);
      }
    } catch {
      // No /etc/protocols: numbers.
    }
  }
  return protoNames.get(n) ?? String(n);
}

const isIpsec = (p: string | number) => p === 'esp' || p === 'ah' || p === 'comp';
const protoText = (p: string | number) => String(p);
const famText = (f: unknown) => (f === 'inet' || f === 2 ? 'inet' : f === 'inet6' || f === 10 ? 'inet6' : 'unspec');

/** strxf_time(): "-" for 0, else local time as "%Y-%m-%d %T". */
function timeText(t: number | bigint): string {
  const n = Number(t);
  if (n === 0) return '-';
  const d = new Date(n * 1000);
  const p = (x: number) => String(x).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}`;
}

const limit = (v: number | bigint) => (BigInt(v) === XFRM_INF ? '(INF)' : String(v));

/** A writer that collects text. */
class W {
  s = '';
  w(x: string): void {
    this.s += x;
  }
}

function idInfo(w: W, o: XfrmPrintOptions, saddr: string, id: { daddr: string; spi: number; proto: string | number }, mode: string | number, reqid: number, forceSpi: boolean, prefix: string | undefined, title: string | undefined): void {
  if (title) w.w(title);
  w.w(`src ${saddr} `);
  w.w(`dst ${id.daddr}`);
  w.w(o.sl);
  if (prefix) w.w(prefix);
  w.w('\t');
  w.w(`proto ${protoText(id.proto)} `);
  if (o.stats > 0 || forceSpi || id.spi) {
    w.w(`spi 0x${hex8(id.spi)}`);
    if (o.stats > 0) w.w(`(${id.spi >>> 0})`);
    w.w(' ');
  }
  w.w(`reqid ${reqid >>> 0}`);
  if (o.stats > 0) w.w(`(0x${hex8(reqid)})`);
  w.w(' ');
  w.w(`mode ${mode}`);
  w.w(o.sl);
}

function selector(w: W, o: XfrmPrintOptions, sel: XfrmSelector, prefix: string | undefined): void {
  if (prefix) w.w(prefix);
  w.w(`src ${sel.saddr}/${sel.prefixlen_s} `);
  w.w(`dst ${sel.daddr}/${sel.prefixlen_d} `);
  if (sel.proto) w.w(`proto ${protoName(sel.proto)} `);
  switch (sel.proto) {
    case 1: case 58:
      if (sel.sport_mask) w.w(`type ${sel.sport} `);
      if (sel.dport_mask) w.w(`code ${sel.dport} `);
      break;
    case 47:
      if (sel.sport_mask || sel.dport_mask) w.w(`key ${((sel.sport << 16) >>> 0) + sel.dport} `);
      break;
    case 135:
      if (sel.sport_mask) w.w(`type ${sel.sport} `);
      if (sel.dport_mask && o.stats > 0) w.w(`(dport) 0x${(((sel.dport & 0xff) << 8) | (sel.dport >> 8)).toString(16).padStart(4, '0')} `);
      break;
    default:
      if (sel.sport_mask) w.w(`sport ${sel.sport} `);
      if (sel.dport_mask) w.w(`dport ${sel.dport} `);
  }
  if (sel.ifindex > 0) w.w(`dev ${o.ifname?.(sel.ifindex) ?? `if${sel.ifindex}`} `);
  if (o.stats > 0) w.w(`uid ${sel.user >>> 0}`);
  w.w(o.sl);
}

function algo(w: W, o: XfrmPrintOptions, type: string, a: XfrmAlgo, prefix: string, tail: string | undefined): void {
  w.w(prefix);
  w.w(`${type} `);
  w.w(`${a.alg_name} `);
  const keylen = Math.floor((a.alg_key_len ?? a.alg_key.byteLength * 8) / 8);
  if (a.alg_key.byteLength < keylen) {
    w.w('(ERROR truncated)');
  } else {
    // 6.1 prints nothing of an empty key (comp algorithms have none), not even its bits.
    if (keylen > 0) {
      w.w(`0x${Buffer.from(a.alg_key.subarray(0, keylen)).toString('hex')}`);
      if (o.stats > 0) w.w(` (${a.alg_key_len ?? 0} bits)`);
    }
  }
  if (tail !== undefined) w.w(tail);
  w.w(o.sl);
}

function lifetime(w: W, o: XfrmPrintOptions, cfg: XfrmState['lft'], cur: XfrmState['curlft'], prefix: string): void {
  w.w(`${prefix}lifetime config:${o.sl}`);
  w.w(`${prefix}  limit: soft ${limit(cfg.soft_byte_limit)}(bytes), hard ${limit(cfg.hard_byte_limit)}(bytes)${o.sl}`);
  w.w(`${prefix}  limit: soft ${limit(cfg.soft_packet_limit)}(packets), hard ${limit(cfg.hard_packet_limit)}(packets)${o.sl}`);
  w.w(`${prefix}  expire add: soft ${cfg.soft_add_expires_seconds}(sec), hard ${cfg.hard_add_expires_seconds}(sec)${o.sl}`);
  w.w(`${prefix}  expire use: soft ${cfg.soft_use_expires_seconds}(sec), hard ${cfg.hard_use_expires_seconds}(sec)${o.sl}`);
  w.w(`${prefix}lifetime current:${o.sl}`);
  w.w(`${prefix}  ${cur.bytes}(bytes), ${cur.packets}(packets)${o.sl}`);
  w.w(`${prefix}  add ${timeText(cur.add_time)} `);
  w.w(`use ${timeText(cur.use_time)}${o.sl}`);
}

function tmpls(w: W, o: XfrmPrintOptions, list: XfrmTmpl[], prefix: string): void {
  for (const t of list) {
    w.w(prefix);
    idInfo(w, o, t.saddr, t.id, t.mode, t.reqid, false, prefix, 'tmpl ');
    if (o.stats > 0 || t.optional) {
      w.w(`${prefix}\t`);
      if (t.optional === 0) {
        if (o.stats > 0) w.w('level required ');
      } else if (t.optional === 1) w.w('level use ');
      else w.w(`level ${t.optional} `);
      if (o.stats > 0) w.w(`share ${t.share} `);
      w.w(o.sl);
    }
    if (o.stats > 0) {
      w.w(`${prefix}\tenc-mask ${hex8(t.ealgos)} auth-mask ${hex8(t.aalgos)} comp-mask ${hex8(t.calgos)}${o.sl}`);
    }
  }
}

/** xfrm_xfrma_print(): the attributes, in ip's order. */
function attributes(w: W, o: XfrmPrintOptions, a: XfrmState | XfrmPolicy, prefix: string): void {
  const outMark = () => {
    w.w(`output-mark 0x${(a.set_mark! >>> 0).toString(16)}`);
    if (a.set_mark_mask !== undefined) w.w(`/0x${(a.set_mark_mask >>> 0).toString(16)}`);
  };
  if (a.mark) {
    w.w(`\tmark ${altHex(a.mark.v)}/${altHex(a.mark.m)} `);
    if (a.set_mark !== undefined) outMark();
    w.w(o.sl);
  } else if (a.set_mark !== undefined) {
    w.w('\t');
    outMark();
    w.w(o.sl);
  }
  if (a.alg_auth && !a.alg_auth_trunc) algo(w, o, 'auth', a.alg_auth, prefix, undefined);
  if (a.alg_auth_trunc) algo(w, o, 'auth-trunc', a.alg_auth_trunc, prefix, ` ${a.alg_auth_trunc.alg_trunc_len ?? 0}`);
  if (a.alg_aead) algo(w, o, 'aead', a.alg_aead, prefix, ` ${a.alg_aead.alg_icv_len ?? 0}`);
  if (a.alg_crypt) algo(w, o, 'enc', a.alg_crypt, prefix, undefined);
  if (a.alg_comp) algo(w, o, 'comp', a.alg_comp, prefix, undefined);
  if (a.encap) {
    const e = a.encap;
    w.w(`${prefix}encap type ${e.encap_type} sport ${e.encap_sport} dport ${e.encap_dport} addr ${e.encap_oa}${o.sl}`);
  }
  if (a.tmpl) tmpls(w, o, a.tmpl, prefix);
  if (a.coaddr !== undefined) w.w(`${prefix}coa ${a.coaddr}${o.sl}`);
  if (a.lastused !== undefined) w.w(`${prefix}lastused ${timeText(a.lastused)}${o.sl}`);
  if (a.replay_val) {
    const r = a.replay_val;
    w.w(`${prefix}anti-replay context: seq 0x${(r.seq >>> 0).toString(16)}, oseq 0x${(r.oseq >>> 0).toString(16)}, bitmap 0x${hex8(r.bitmap)}${o.sl}`);
  }
  if (a.replay_esn_val) {
    const r = a.replay_esn_val;
    w.w(`${prefix}anti-replay esn context:${o.sl}`);
    w.w(`${prefix} seq-hi 0x${r.seq_hi.toString(16)}, seq 0x${r.seq.toString(16)}, oseq-hi 0x${r.oseq_hi.toString(16)}, oseq 0x${r.oseq.toString(16)}${o.sl}`);
    w.w(`${prefix} replay_window ${r.replay_window}, bitmap-length ${r.bmp_len}`);
    for (let i = r.bmp_len, j = 0; i; i--) {
      if (j++ % 8 === 0) w.w(`${o.sl}${prefix} `);
      w.w(`${hex8(r.bmp[i - 1] ?? 0)} `);
    }
    w.w(o.sl);
  }
  if (a.offload_dev) {
    w.w(`${prefix}crypto offload parameters: dev ${o.ifname?.(a.offload_dev.ifindex) ?? `if${a.offload_dev.ifindex}`} dir ${a.offload_dev.flags & 2 ? 'in' : 'out'}${o.sl}`);
  }
  if (a.if_id !== undefined) w.w(`${prefix}if_id ${altHex(a.if_id)}${o.sl}`);
  if (a.tfcpad !== undefined) w.w(`${prefix}tfcpad ${a.tfcpad}${o.sl}`);
}

const STATE_FLAGS = ['noecn', 'decap-dscp', 'nopmtudisc', 'wildrecv', 'icmp', 'af-unspec', 'align4', 'esn'];

/** XFRM_FLAG_PRINT over the names, then the leftover bits in hex. */
function flagList(w: W, names: readonly string[], flags: (string | number)[]): void {
  const set = new Set(flags.filter((f) => typeof f === 'string'));
  const rest = flags.filter((f): f is number => typeof f === 'number').reduce((x, y) => x | y, 0);
  const present = names.filter((n) => set.has(n));
  present.forEach((n, i) => w.w(`${n}${i < present.length - 1 || rest ? ' ' : ''}`));
  if (rest) w.w(rest.toString(16));
}

/** The flags as one number (for -s's binary mask). */
function flagNum(names: readonly string[], flags: (string | number)[]): number {
  let n = 0;
  for (const f of flags) n |= typeof f === 'number' ? f : 1 << names.indexOf(f);
  return n;
}

/** xfrm_state_info_print(): one SA. */
export function stateText(s: XfrmState, o: XfrmPrintOptions, title?: string): string {
  const w = new W();
  idInfo(w, o, s.saddr, s.id, s.mode, s.reqid, isIpsec(s.id.proto), undefined, title);
  const buf = '\t';
  w.w(buf);
  w.w(`replay-window ${s.replay_window} `);
  if (o.stats > 0) w.w(`seq 0x${String(s.seq >>> 0).padStart(8, '0')} `);
  if (o.stats > 0 || s.flags.length) {
    w.w('flag ');
    flagList(w, STATE_FLAGS, s.flags);
  }
  if (o.stats > 0 && s.sa_extra_flags) {
    w.w('extra_flag ');
    flagList(w, ['dont-encap-dscp', 'oseq-may-wrap'], s.sa_extra_flags);
  }
  if (o.stats > 0) w.w(` (0x${bits8(flagNum(STATE_FLAGS, s.flags))})`);
  w.w(o.sl);
  attributes(w, o, s, buf);
  const sel = s.sel;
  const zero = !sel.prefixlen_d && !sel.prefixlen_s && !sel.dport && !sel.sport && !sel.dport_mask && !sel.sport_mask && famText(sel.family) === 'unspec' && !sel.proto && !sel.ifindex && !sel.user
    && /^(0\.0\.0\.0|::)$/.test(sel.daddr) && /^(0\.0\.0\.0|::)$/.test(sel.saddr);
  if (!zero) selector(w, o, sel, `${buf}sel `);
  if (o.stats > 0) {
    lifetime(w, o, s.lft, s.curlft, buf);
    w.w(`${buf}stats:${o.sl}`);
    w.w(`${buf}  replay-window ${s.stats.replay_window} replay ${s.stats.replay} failed ${s.stats.integrity_failed}${o.sl}`);
  }
  if (s.sec_ctx) w.w(`\tsecurity context ${Buffer.from(s.sec_ctx.subarray(8)).toString('latin1')} ${o.sl}`);
  return w.s;
}

/** xfrm_policy_info_print(): one policy. */
export function policyText(p: XfrmPolicy, o: XfrmPrintOptions, prefix?: string, title?: string): string {
  const w = new W();
  selector(w, o, p.sel, title);
  if (p.sec_ctx) w.w(`\tsecurity context ${Buffer.from(p.sec_ctx.subarray(8)).toString('latin1')} ${o.sl}`);
  const buf = `${prefix ?? ''}\t`;
  w.w(buf);
  let dir = typeof p.dir === 'number' ? p.dir : ['in', 'out', 'fwd'].indexOf(p.dir);
  if (dir >= 3) {
    dir -= 3;
    w.w('socket ');
  } else w.w('dir ');
  w.w(['in', 'out', 'fwd'][dir] ?? String(dir));
  w.w(' ');
  if (p.action === 'allow') {
    if (o.stats > 0) w.w('action allow ');
  } else if (p.action === 'block') w.w('action block ');
  else w.w(`action ${p.action} `);
  if (o.stats) w.w(`index ${p.index >>> 0} `);
  w.w(`priority ${p.priority >>> 0} `);
  if (p.policy_type) w.w(`ptype ${p.policy_type.type} `);
  if (o.stats > 0) w.w(`share ${p.share} `);
  if (o.stats > 0 || p.flags.length) {
    w.w('flag ');
    flagList(w, ['localok', 'icmp'], p.flags);
  }
  if (o.stats > 0) w.w(` (0x${bits8(flagNum(['localok', 'icmp'], p.flags))})`);
  w.w(o.sl);
  if (o.stats > 0) lifetime(w, o, p.lft, p.curlft, buf);
  attributes(w, o, p, buf);
  return w.s;
}

/** An acquire (xfrm_acquire_print). */
export function acquireText(a: Record<string, unknown>, o: XfrmPrintOptions): string {
  const w = new W();
  const id = a.id as XfrmState['id'];
  w.w('acquire ');
  w.w(`proto ${protoText(id.proto)} `);
  if (o.stats > 0 || id.spi) {
    w.w(`spi 0x${hex8(id.spi)}`);
    if (o.stats > 0) w.w(`(${id.spi >>> 0})`);
    w.w(' ');
  }
  w.w(o.sl);
  selector(w, o, a.sel as XfrmSelector, '  sel ');
  w.w(policyText({ ...(a.policy as XfrmPolicy), ...attrsOf(a) }, o, '    ', '  policy '));
  if (o.stats > 0) w.w(`  seq 0x${String((a.seq as number) >>> 0).padStart(8, '0')} `);
  if (o.stats > 0) w.w(`enc-mask ${hex8(a.ealgos as number)} auth-mask ${hex8(a.aalgos as number)} comp-mask ${hex8(a.calgos as number)}`);
  w.w(o.sl);
  return w.s;
}

function attrsOf(a: Record<string, unknown>): Record<string, unknown> {
  const { id: _i, saddr: _s, sel: _l, policy: _p, aalgos: _a, ealgos: _e, calgos: _c, seq: _q, ...rest } = a;
  return rest;
}
