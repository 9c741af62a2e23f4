// xfrm_address_t is 16 bytes whose family is told elsewhere: by the SA's or template's
// `family`, by the selector's own (or, when that is AF_UNSPEC, the SA's). Decoded objects carry
// addresses as text ('10.0.0.1', 'fd00::1'); these two walks convert every address of a
// decoded object to text and of an object to encode back to bytes, knowing where each
// message's addresses and families are.
import { formatIp, parseIp } from '../schema/index.js';
import { AF_INET, AF_INET6 } from './gen/xfrm.js';

type Obj = Record<string, unknown>;

const famNum = (f: unknown): number => (f === 'inet' ? AF_INET : f === 'inet6' ? AF_INET6 : typeof f === 'number' ? f : 0);

/** An address as text: IPv4 for AF_INET, IPv6 for AF_INET6, else by whether bytes 4..15 are zero. */
export function addressText(b: Uint8Array, family: unknown): string {
  const f = famNum(family);
  if (f === AF_INET) return formatIp(b, 0, 4);
  if (f === AF_INET6 || b.subarray(4).some((x) => x !== 0)) return formatIp(b, 0, Math.min(16, b.byteLength));
  return formatIp(b, 0, 4);
}

/** 16 address bytes from text ('' or undefined: all zero). */
export function addressBytes(v: unknown): Uint8Array {
  const out = new Uint8Array(16);
  if (v instanceof Uint8Array) out.set(v.subarray(0, 16));
  else if (typeof v === 'string' && v !== '') out.set(parseIp(v));
  return out;
}

/** The family of an address given as text. */
export function familyOf(text: string | undefined): 'inet' | 'inet6' | undefined {
  if (!text) return undefined;
  return text.includes(':') ? 'inet6' : 'inet';
}

type Conv = (v: unknown, family: unknown) => unknown;
const toText: Conv = (v, f) => (v instanceof Uint8Array ? addressText(v, f) : v);
const toBytes: Conv = (v) => (v === undefined ? v : addressBytes(v));

function walk(o: unknown, outer: unknown, conv: Conv, copy: boolean): unknown {
  if (!o || typeof o !== 'object' || o instanceof Uint8Array) return o;
  const src = o as Obj;
  const out: Obj = copy ? { ...src } : src;
  const sel = src.sel as Obj | undefined;
  const fam = src.family ?? (sel && famNum(sel.family) ? sel.family : undefined) ?? outer;
  const set = (k: string, f: unknown) => {
    if (k in src) out[k] = conv(src[k], f);
  };
  if (sel && typeof sel === 'object') {
    const s: Obj = copy ? { ...sel } : sel;
    const sf = famNum(sel.family) ? sel.family : fam;
    if ('daddr' in sel) s.daddr = conv(sel.daddr, sf);
    if ('saddr' in sel) s.saddr = conv(sel.saddr, sf);
    out.sel = s;
  }
  const id = src.id as Obj | undefined;
  if (id && typeof id === 'object') out.id = { ...id, ...('daddr' in id ? { daddr: conv(id.daddr, fam) } : {}) };
  for (const k of ['saddr', 'daddr', 'srcaddr', 'coaddr']) set(k, fam);
  const encap = src.encap as Obj | undefined;
  if (encap && typeof encap === 'object') out.encap = { ...encap, ...('encap_oa' in encap ? { encap_oa: conv(encap.encap_oa, fam) } : {}) };
  if (Array.isArray(src.tmpl)) out.tmpl = src.tmpl.map((t) => walk(t, fam, conv, true));
  for (const k of ['sa', 'policy', 'state', 'pol', 'info', 'address_filter']) if (k in src) out[k] = walk(src[k], fam, conv, copy);
  return out;
}

/** Converts the addresses of a decoded XFRM object to text, in place; returns it. */
export function addressesToText<T>(o: T): T {
  return walk(o, undefined, toText, false) as T;
}

/** A copy of an object to encode whose addresses are 16-byte arrays. */
export function addressesToBytes<T>(o: T): T {
  return walk(o, undefined, toBytes, true) as T;
}
