// Set elements between nft's grammar and the kernel's NFTA_SET_ELEM_* nests. A set keeps an
// interval either as two elements (an rbtree set: the start, and the first key after the end
// flagged NFT_SET_ELEM_INTERVAL_END) or as one element with a key and a key end (a
// concatenation with intervals, pipapo); a plain set keeps one key. Elements are read back into
// the values nft prints: a value, a prefix (addresses), a range, or a concatenation of those.
import { NFT_SET, NFT_SET_ELEM } from './constants.js';
import {
  NftValueError, concatTypes, formatTime, formatValue, jsonValue, nftDatatype, orderKey, parseTime, parseValue, parseValueInto,
  type NftDatatype,
} from './nftables-types.js';

/** What the element codecs need to know of a set: its key type and layout, and its flags. */
export interface NftSetKey {
  /** NFTA_SET_FLAGS (NFT_SET_*). */
  flags: number;
  /** NFTA_SET_KEY_TYPE: nft's type number (a concatenation packs its fields' types). */
  keyType: number;
  /** NFTA_SET_KEY_LEN in bytes. */
  keyLen: number;
  /** The concatenation's field lengths (NFTA_SET_DESC_CONCAT), when the kernel has them. */
  fieldLen?: number[];
  /** NFTA_SET_TIMEOUT: the default element timeout in milliseconds. */
  timeout?: number;
}

/** One element as the kernel stores it. */
export interface NftRawElement {
  key?: Uint8Array;
  keyEnd?: Uint8Array;
  /** NFT_SET_ELEM_* flags. */
  flags: number;
  /** Milliseconds. */
  timeout?: number;
  /** Milliseconds left. */
  expiration?: number;
  /** A map's value (bytes), kept as the kernel sent it. */
  data?: Uint8Array;
  /** Attributes this version does not know, kept as bytes. */
  $unknown?: unknown;
}

/** One field of an element: a range of values (start = end for a single value). */
export interface NftFieldRange {
  start: Uint8Array;
  end: Uint8Array;
}

/** An element as nft writes it: one range per field of the key, and its timeout. */
export interface NftElement {
  fields: NftFieldRange[];
  /** Milliseconds (the element's own timeout). */
  timeout?: number;
  /** Milliseconds left before it expires. */
  expires?: number;
}

/** A key's fields: their types, lengths, and widths in the key (each padded to 4 bytes in a concatenation). */
export interface KeyLayout {
  types: (NftDatatype | undefined)[];
  lens: number[];
  widths: number[];
}

/** The key's fields: their types and their lengths in the key (each padded to 4 bytes in a concatenation). */
export function keyLayout(set: NftSetKey): KeyLayout {
  const ids = concatTypes(set.keyType);
  const types = ids.map((t) => nftDatatype(t));
  if (ids.length === 1) return { types, lens: [set.keyLen], widths: [set.keyLen] };
  const lens = set.fieldLen && set.fieldLen.length === ids.length ? set.fieldLen : types.map((t) => t?.len ?? 4);
  return { types, lens, widths: lens.map((l) => (l + 3) & ~3) };
}

const isInterval = (s: NftSetKey) => (s.flags & NFT_SET.INTERVAL) !== 0;
const isConcat = (s: NftSetKey) => keyLayout(s).types.length > 1;

function addOne(b: Uint8Array): Uint8Array | undefined {
  const out = b.slice();
  for (let i = out.length - 1; i >= 0; i--) {
    if (out[i] !== 0xff) {
      out[i]!++;
      return out;
    }
    out[i] = 0;
  }
  return undefined; // wrapped: the range ends at the largest value
}

function subOne(b: Uint8Array): Uint8Array {
  const out = b.slice();
  for (let i = out.length - 1; i >= 0; i--) {
    if (out[i] !== 0) {
      out[i]!--;
      return out;
    }
    out[i] = 0xff;
  }
  return out;
}

function cmp(a: Uint8Array, b: Uint8Array): number {
  for (let i = 0; i < a.length && i < b.length; i++) if (a[i] !== b[i]) return a[i]! - b[i]!;
  return a.length - b.length;
}

/** Splits nft's element list ('{ a, b timeout 30s, c . d }' or 'a, b') into one text per element. */
export function splitElements(text: string): string[] {
  let t = text.trim();
  if (t.startsWith('{')) {
    if (!t.endsWith('}')) throw new NftValueError('syntax error, unexpected end of file, expecting comma or \'}\'');
    t = t.slice(1, -1);
  }
  const out: string[] = [];
  if (!t.includes('"')) {
    const parts = t.trim().split(/\s*,\s*/);
    if (parts.length === 1 && parts[0] === '') return [];
    return check(parts);
  } else {
    let cur = '';
    let quoted = false;
    for (const ch of t) {
      if (ch === '"') quoted = !quoted;
      if (ch === ',' && !quoted) {
        out.push(cur.trim());
        cur = '';
      } else cur += ch;
    }
    if (cur.trim() !== '' || out.length) out.push(cur.trim());
  }
  return check(out);
}

function check(parts: string[]): string[] {
  for (const e of parts) if (e === '') throw new NftValueError('syntax error, unexpected comma');
  return parts;
}

/** Reads one element in nft's grammar ('10.0.0.0/8', '10.0.0.1-10.0.0.9', '1.2.3.4 . 80', '… timeout 30s') for `set`. */
export function parseElement(set: NftSetKey, text: string): NftElement {
  return elementParser(set)(text);
}

/** parseElement for many elements of one set: the key's layout is worked out once. */
export function elementParser(set: NftSetKey): (text: string) => NftElement {
  const layout = keyLayout(set);
  const only = layout.types.length === 1 ? layout.types[0] : undefined;
  const plain = only && only.kind !== 'ifname' && only.kind !== 'proto';
  const len = layout.lens[0]!;
  let slab = new Uint8Array(0);
  let at = 0;
  return (text: string) => {
    // The common case first: one value, no range, prefix or timeout, parsed into a shared slab.
    if (plain && !/[\s/-]/.test(text)) {
      if (at + len > slab.length) {
        slab = new Uint8Array(len * 4096);
        at = 0;
      }
      const v = parseValueInto(only, text, slab.subarray(at, at + len));
      at += len;
      return { fields: [{ start: v, end: v }] };
    }
    return parseGeneral(set, layout, text);
  };
}

function parseGeneral(set: NftSetKey, layout: KeyLayout, text: string): NftElement {
  const words = text.trim().split(/\s+/);
  const el: NftElement = { fields: [] };
  const key: string[][] = [[]];
  for (let i = 0; i < words.length; i++) {
    const w = words[i]!;
    if (w === 'timeout' || w === 'expires') {
      const v = words[++i];
      if (v === undefined) throw new NftValueError(`syntax error, unexpected end of file after ${w}`);
      if (w === 'timeout') el.timeout = parseTime(v);
      continue;
    }
    if (w === '.') key.push([]);
    else if (w.length > 1 && w.startsWith('.') && key[key.length - 1]!.length) key.push([w.slice(1)]);
    else key[key.length - 1]!.push(w);
  }
  const { types, lens } = layout;
  if (key.length !== types.length) throw new NftValueError(`datatype mismatch, expected ${types.map((t) => t?.name ?? '?').join(' . ')}, expression has ${key.length === 1 ? 'one value' : `${key.length} concatenated values`}`);
  key.forEach((ws, i) => {
    const t = types[i];
    const f = ws.join(' ');
    if (!t) throw new NftValueError(`set key type ${set.keyType} is not one nlkit can write`);
    if (f === '') throw new NftValueError('syntax error, unexpected end of file');
    const len = lens[i]!;
    const slash = f.lastIndexOf('/');
    const dash = t.kind === 'ifname' ? -1 : f.indexOf('-', t.kind === 'proto' ? f.length : 0);
    if (slash > 0 && (t.kind === 'ipv4' || t.kind === 'ipv6')) {
      const start = parseValue(t, f.slice(0, slash), len);
      const plen = Number(f.slice(slash + 1));
      const bits = t.len * 8;
      if (!Number.isInteger(plen) || plen < 0 || plen > bits) throw new NftValueError(`Prefix length ${f.slice(slash + 1)} is invalid`);
      const end = start.slice();
      for (let b = plen; b < bits; b++) end[b >> 3]! |= 0x80 >> (b & 7);
      for (let b = plen; b < bits; b++) start[b >> 3]! &= ~(0x80 >> (b & 7));
      el.fields.push({ start, end });
    } else if (dash > 0) {
      const start = parseValue(t, f.slice(0, dash), len);
      const end = parseValue(t, f.slice(dash + 1), len);
      if (orderKey(t, end) < orderKey(t, start)) throw new NftValueError(`Range has zero or negative size`);
      el.fields.push({ start, end });
    } else {
      const v = parseValue(t, f, len);
      el.fields.push({ start: v, end: v });
    }
  });
  if (!isInterval(set) && el.fields.some((r) => cmp(r.start, r.end) !== 0)) {
    throw new NftValueError('You must add \'flags interval\' to your set declaration if you want to store ranges');
  }
  return el;
}

const concatKey = ({ widths }: KeyLayout, parts: Uint8Array[]): Uint8Array => {
  if (parts.length === 1) return parts[0]!;
  const out = new Uint8Array(widths.reduce((a, b) => a + b, 0));
  let at = 0;
  parts.forEach((p, i) => {
    out.set(p, at);
    at += widths[i]!;
  });
  return out;
};

/**
 * The kernel elements of `elements` for a NEWSETELEM or DELSETELEM of `set`: an rbtree
 * interval set gets a start and an end element per range (none for the end at the largest
 * value), a concatenation with intervals one element with a key end, the rest one key each.
 */
export function toRawElements(set: NftSetKey, elements: readonly NftElement[]): NftRawElement[] {
  const out: NftRawElement[] = [];
  const timeout = (e: NftElement) => (e.timeout !== undefined ? { timeout: e.timeout } : {});
  const interval = isInterval(set);
  const layout = keyLayout(set);
  const concat = layout.types.length > 1;
  for (const e of elements) {
    const key = concatKey(layout, e.fields.map((f) => f.start));
    if (!interval) out.push(e.timeout === undefined ? { key, flags: 0 } : { key, flags: 0, timeout: e.timeout });
    else if (concat) out.push({ key, keyEnd: concatKey(layout, e.fields.map((f) => f.end)), flags: 0, ...timeout(e) });
    else {
      out.push({ key, flags: 0, ...timeout(e) });
      const after = addOne(e.fields[0]!.end);
      if (after) out.push({ key: after, flags: NFT_SET_ELEM.INTERVAL_END, ...timeout(e) });
    }
  }
  return out;
}

function fieldsOf(set: NftSetKey, key: Uint8Array): Uint8Array[] {
  const { lens, widths } = keyLayout(set);
  const out: Uint8Array[] = [];
  let at = 0;
  lens.forEach((l, i) => {
    out.push(key.slice(at, at + l));
    at += widths[i]!;
  });
  return out;
}

const ownTimeout = (set: NftSetKey, r: NftRawElement) => ({
  ...(r.timeout !== undefined && r.timeout !== set.timeout ? { timeout: r.timeout } : {}),
  ...(r.expiration !== undefined ? { expires: r.expiration } : {}),
});

/** The elements of `set` from the kernel's, merged (interval starts with their ends) and sorted as nft lists them. */
export function fromRawElements(set: NftSetKey, raw: readonly NftRawElement[]): NftElement[] {
  const out: NftElement[] = [];
  const live = raw.filter((r) => r.key && !(r.flags & NFT_SET_ELEM.CATCHALL));
  if (isInterval(set) && !isConcat(set)) {
    const sorted = live.slice().sort((a, b) => cmp(a.key!, b.key!) || ((b.flags & NFT_SET_ELEM.INTERVAL_END) - (a.flags & NFT_SET_ELEM.INTERVAL_END)));
    let open: NftRawElement | undefined;
    const close = (end: Uint8Array) => {
      out.push({ fields: [{ start: open!.key!, end }], ...ownTimeout(set, open!) });
      open = undefined;
    };
    for (const r of sorted) {
      if (r.flags & NFT_SET_ELEM.INTERVAL_END) {
        if (open) close(subOne(r.key!));
      } else {
        if (open) close(new Uint8Array(open.key!.length).fill(0xff));
        open = r;
      }
    }
    if (open) close(new Uint8Array(open.key!.length).fill(0xff));
  } else {
    for (const r of live) {
      const starts = fieldsOf(set, r.key!);
      const ends = r.keyEnd ? fieldsOf(set, r.keyEnd) : starts;
      out.push({ fields: starts.map((s, i) => ({ start: s, end: ends[i]! })), ...ownTimeout(set, r) });
    }
  }
  // nft lists a concatenation with intervals in the kernel's order, and sorts the rest.
  if (isInterval(set) && isConcat(set)) return out;
  const { types } = keyLayout(set);
  // nft orders by one number per element: a value's own, or for a concatenation its fields'
  // bytes (unpadded) read as one host-order (little-endian) number, the last byte highest.
  const concatOrder = (e: NftElement) => [orderKey({ host: true } as NftDatatype, Uint8Array.from(e.fields.flatMap((f) => Array.from(f.start))))];
  const keys = out.map((e) => (e.fields.length > 1 ? concatOrder(e) : e.fields.map((f, i) => orderKey(types[i], f.start))));
  const idx = out.map((_, i) => i).sort((a, b) => {
    for (let f = 0; f < keys[a]!.length; f++) if (keys[a]![f] !== keys[b]![f]) return keys[a]![f]! < keys[b]![f]! ? -1 : 1;
    return 0;
  });
  return idx.map((i) => out[i]!);
}

/** The prefix length when `start`-`end` is exactly a prefix of an address type, else undefined. */
function prefixOf(t: NftDatatype | undefined, r: NftFieldRange): number | undefined {
  if (t?.kind !== 'ipv4' && t?.kind !== 'ipv6') return undefined;
  const a = orderKey(t, r.start);
  const size = orderKey(t, r.end) - a + 1n;
  if (size <= 0n || (size & (size - 1n)) !== 0n || a % size !== 0n) return undefined;
  return t.len * 8 - (size.toString(2).length - 1);
}

function fieldText(t: NftDatatype | undefined, r: NftFieldRange): string {
  if (cmp(r.start, r.end) === 0) return formatValue(t, r.start);
  const p = prefixOf(t, r);
  if (p !== undefined) return `${formatValue(t, r.start)}/${p}`;
  return `${formatValue(t, r.start)}-${formatValue(t, r.end)}`;
}

function fieldJson(t: NftDatatype | undefined, r: NftFieldRange): unknown {
  if (cmp(r.start, r.end) === 0) return jsonValue(t, r.start);
  const p = prefixOf(t, r);
  if (p !== undefined) return { prefix: { addr: jsonValue(t, r.start), len: p } };
  return { range: [jsonValue(t, r.start), jsonValue(t, r.end)] };
}

/** One element as `nft list set` prints it ('1.2.3.4 . 80 timeout 30s expires 29s860ms'). */
export function formatElement(set: NftSetKey, e: NftElement): string {
  const { types } = keyLayout(set);
  let s = e.fields.map((f, i) => fieldText(types[i], f)).join(' . ');
  if (e.timeout !== undefined) s += ` timeout ${formatTime(e.timeout)}`;
  if (e.expires !== undefined) s += ` expires ${formatTime(e.expires)}`;
  return s;
}

/** One element as `nft -j list set` prints it. */
export function elementJson(set: NftSetKey, e: NftElement): unknown {
  const { types } = keyLayout(set);
  const val = e.fields.length === 1 ? fieldJson(types[0], e.fields[0]!) : { concat: e.fields.map((f, i) => fieldJson(types[i], f)) };
  if (e.timeout === undefined && e.expires === undefined) return val;
  return {
    elem: {
      val, ...(e.timeout !== undefined ? { timeout: Math.floor(e.timeout / 1000) } : {}),
      ...(e.expires !== undefined ? { expires: Math.floor(e.expires / 1000) } : {}),
    },
  };
}

/** nft's `elements = { … }` body: values joined by ', ', a line break after as many as the key type puts on a line. */
export function formatElementList(set: NftSetKey, elements: readonly NftElement[], indent = '\t\t\t     '): string {
  const { types } = keyLayout(set);
  const perLine = types.length === 1 ? (types[0]?.perLine ?? 1) : 1;
  let s = '';
  elements.forEach((e, i) => {
    if (i > 0) s += i % perLine === 0 ? `,\n${indent}` : ', ';
    s += formatElement(set, e);
  });
  return `{ ${s} }`;
}
