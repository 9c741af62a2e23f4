// The engine: compiles a declaration once into a table-driven decoder and encoder. Decoding
// walks the attributes with a type-indexed table of small functions (no per-message lookups by
// name, no reflection) and is lossless: what it does not know is kept as bytes with its
// position, so encode(decode(x)) reproduces x byte for byte.
import { HOST_LE, MessageWriter, NLA_F_NESTED, NLA_HDRLEN, NLA_TYPE_MASK, NLMSG_HDRLEN, align4, decodeText, encodeText } from '../wire/index.js';
import { formatIp, formatMac, parseIp, parseMac } from './addresses.js';
import { build, intReadExpr, prop } from './codegen.js';
import type { AttributeSet, EnumSpec, Field, FlagsSpec, IntType, StructSpec, UnknownAttr } from './types.js';

/** Flag bits (NLA_F_NESTED / NLA_F_NET_BYTEORDER) that differed from what encoding would set, by property name. */
export const ATTR_FLAGS: unique symbol = Symbol('nlkit.attrFlags');

/** A compiled attribute set. */
export interface SetCodec<T> {
  readonly set: AttributeSet<T>;
  /**
   * Decodes attributes from start to end of `buf`. Never throws on malformed bytes: they are
   * kept as unknown. With `into`, attributes are added to that object (a family header decoded
   * first, for flat message objects); its existing properties must not be attribute names.
   */
  decode(buf: Uint8Array, view: DataView, start: number, end: number, into?: object): T;
  /**
   * Appends the attributes of `value` to the writer, skipping the property names in `skip`
   * (a flat object's header fields). Throws TypeError on a value that does not fit its declaration.
   */
  encode(w: MessageWriter, value: T, skip?: ReadonlySet<string>): void;
}

/** A compiled struct. */
export interface StructCodec<T> {
  readonly spec: StructSpec;
  /** Declared size in bytes. */
  readonly size: number;
  decode(buf: Uint8Array, view: DataView, start: number, end: number): T;
  /** Writes the struct at `at` in the writer's buffer (which must have `size` bytes reserved). */
  write(view: DataView, buf: Uint8Array, at: number, value: Partial<T>): void;
  /** Appends the struct (with any $tail) to the writer. */
  encode(w: MessageWriter, value: Partial<T>): void;
}

type Dec = (buf: Uint8Array, dv: DataView, s: number, e: number, obj: Record<string, unknown>) => unknown;
type Enc = (w: MessageWriter, type: number, v: unknown, obj: Record<string, unknown>) => void;
/** A decoder returns NOFIT when the bytes do not match the declaration; the attribute is kept raw. */
const NOFIT = Symbol('nofit');

interface Entry {
  type: number;
  name: string;
  repeated: boolean;
  dec: Dec;
  enc: Enc;
  /** A sub-message whose selector was not decoded yet is resolved after the walk. */
  deferred: boolean;
  /** The value is a nest: NLA_F_NESTED is set on encode when the set asks for it. */
  nestKind: boolean;
}

const INT_SIZE: Record<IntType, number> = {
  uint: 0, sint: 0, u8: 1, u16: 2, u32: 4, u64: 8, s8: 1, s16: 2, s32: 4, s64: 8,
  u16be: 2, u32be: 4, u64be: 8, s16be: 2, s32be: 4,
};

/** Size in bytes of an integer type (0 for the variable uint/sint). */
export function intSize(t: IntType): number {
  return INT_SIZE[t];
}

function readInt(dv: DataView, at: number, t: IntType, len: number): number | bigint {
  switch (t) {
    case 'u8': return dv.getUint8(at);
    case 's8': return dv.getInt8(at);
    case 'u16': return dv.getUint16(at, HOST_LE);
    case 's16': return dv.getInt16(at, HOST_LE);
    case 'u32': return dv.getUint32(at, HOST_LE);
    case 's32': return dv.getInt32(at, HOST_LE);
    case 'u16be': return dv.getUint16(at, false);
    case 's16be': return dv.getInt16(at, false);
    case 'u32be': return dv.getUint32(at, false);
    case 's32be': return dv.getInt32(at, false);
    case 'u64': return u64num(dv.getBigUint64(at, HOST_LE));
    case 's64': return s64num(dv.getBigInt64(at, HOST_LE));
    case 'u64be': return u64num(dv.getBigUint64(at, false));
    case 'uint': return len === 8 ? u64num(dv.getBigUint64(at, HOST_LE)) : dv.getUint32(at, HOST_LE);
    case 'sint': return len === 8 ? s64num(dv.getBigInt64(at, HOST_LE)) : dv.getInt32(at, HOST_LE);
  }
}

function u64num(v: bigint): number | bigint {
  return v <= 0x1fffffffffffffn ? Number(v) : v;
}
function s64num(v: bigint): number | bigint {
  return v <= 0x1fffffffffffffn && v >= -0x1fffffffffffffn ? Number(v) : v;
}

function writeInt(dv: DataView, at: number, t: IntType, v: number | bigint): void {
  switch (t) {
    case 'u8': dv.setUint8(at, Number(v)); break;
    case 's8': dv.setInt8(at, Number(v)); break;
    case 'u16': dv.setUint16(at, Number(v), HOST_LE); break;
    case 's16': dv.setInt16(at, Number(v), HOST_LE); break;
    case 'u32': dv.setUint32(at, Number(v) >>> 0, HOST_LE); break;
    case 's32': dv.setInt32(at, Number(v), HOST_LE); break;
    case 'u16be': dv.setUint16(at, Number(v), false); break;
    case 's16be': dv.setInt16(at, Number(v), false); break;
    case 'u32be': dv.setUint32(at, Number(v) >>> 0, false); break;
    case 's32be': dv.setInt32(at, Number(v), false); break;
    case 'u64': case 'uint': dv.setBigUint64(at, BigInt(v), HOST_LE); break;
    case 's64': case 'sint': dv.setBigInt64(at, BigInt(v), HOST_LE); break;
    case 'u64be': dv.setBigUint64(at, BigInt(v), false); break;
  }
}

// Ranges as numbers for the fast path of intValue (64-bit types: any safe integer of the right sign).
const NUM_RANGE: Record<IntType, [number, number]> = {
  u8: [0, 0xff], s8: [-0x80, 0x7f], u16: [0, 0xffff], s16: [-0x8000, 0x7fff], u16be: [0, 0xffff], s16be: [-0x8000, 0x7fff],
  u32: [0, 0xffffffff], s32: [-0x80000000, 0x7fffffff], u32be: [0, 0xffffffff], s32be: [-0x80000000, 0x7fffffff],
  u64: [0, Number.MAX_SAFE_INTEGER], u64be: [0, Number.MAX_SAFE_INTEGER], uint: [0, Number.MAX_SAFE_INTEGER],
  s64: [Number.MIN_SAFE_INTEGER, Number.MAX_SAFE_INTEGER], sint: [Number.MIN_SAFE_INTEGER, Number.MAX_SAFE_INTEGER],
};

function intRange(t: IntType): [bigint, bigint] {
  const size = INT_SIZE[t] || 8;
  const bits = BigInt(size * 8);
  return t.startsWith('s') ? [-(1n << (bits - 1n)), (1n << (bits - 1n)) - 1n] : [0n, (1n << bits) - 1n];
}

/** Names an integer by its enum, or returns the number for values the enum lacks. */
export function enumName(spec: EnumSpec, v: number): string | number {
  return reverseEnum(spec).get(v) ?? v;
}

const reverseCache = new WeakMap<object, Map<number, string>>();
function reverseEnum(spec: EnumSpec): Map<number, string> {
  let m = reverseCache.get(spec);
  if (!m) {
    m = new Map();
    for (const [k, v] of Object.entries(spec.values) as [string, number][]) if (!m.has(v)) m.set(v, k);
    reverseCache.set(spec, m);
  }
  return m;
}

const denseCache = new WeakMap<object, (string | undefined)[] | null>();

/**
 * An enum's names indexed by value, when its values are small non-negative integers (an array
 * lookup in generated code instead of a call), else null.
 */
function denseEnum(spec: EnumSpec): (string | undefined)[] | null {
  let a = denseCache.get(spec);
  if (a === undefined) {
    const m = reverseEnum(spec);
    let max = -1;
    let ok = true;
    for (const v of m.keys()) {
      if (!Number.isInteger(v) || v < 0 || v > 4096) ok = false;
      else if (v > max) max = v;
    }
    a = ok ? new Array<string | undefined>(max + 1).fill(undefined) : null;
    if (a) for (const [v, k] of m) a[v] = k;
    denseCache.set(spec, a);
  }
  return a;
}

function enumOr(m: Map<number, string>, v: number): string | number {
  return m.get(v) ?? v;
}

/**
 * Generated source that decodes the integer `read` reads: its enum name, its flag names, or
 * the number. What the source refers to is put in `env` under `key`.
 */
function intDecodeSource(read: string, f: { type: IntType; enum?: EnumSpec | undefined; flags?: FlagsSpec | undefined }, env: Record<string, unknown>, key: string): string {
  if (f.enum) {
    const dense = INT_SIZE[f.type] !== 0 && INT_SIZE[f.type] <= 4 ? denseEnum(f.enum) : null;
    if (dense) {
      env[key] = dense;
      return `(${key}[${read}] ?? ${read})`;
    }
    env[key] = reverseEnum(f.enum);
    env.enumOr = enumOr;
    return `enumOr(${key}, Number(${read}))`;
  }
  if (f.flags) {
    env[key] = f.flags;
    env.flagNames = flagNames;
    return `(${read} === 0 ? [] : flagNames(${key}, Number(${read})))`;
  }
  return read;
}

// Decimal octets with and without a trailing dot: generated code formats an IPv4 address with
// four lookups and three concatenations, no number-to-string conversions.
const OCTET_DOT = Array.from({ length: 256 }, (_, i) => `${i}.`);
const OCTET = Array.from({ length: 256 }, (_, i) => String(i));

/**
 * The text of the IPv4 addresses of one attribute. Addresses repeat (a gateway, a source) or
 * share their first three octets (the destinations of a sorted table): the last address and
 * /24 prefix are kept, so most addresses cost one string or none instead of three.
 */
class Ip4Text {
  private last = -1;
  private lastText = '';
  private prefix = -1;
  private prefixText = '';

  /** The dotted quad of the 4 bytes at `s`. */
  at(buf: Uint8Array, dv: DataView, s: number): string {
    const w = dv.getUint32(s, HOST_LE);
    if (w === this.last) return this.lastText;
    const h = (buf[s]! << 16) | (buf[s + 1]! << 8) | buf[s + 2]!;
    if (h !== this.prefix) {
      this.prefix = h;
      this.prefixText = OCTET_DOT[buf[s]!]! + OCTET_DOT[buf[s + 1]!]! + OCTET_DOT[buf[s + 2]!]!;
    }
    this.last = w;
    return (this.lastText = this.prefixText + OCTET[buf[s + 3]!]!);
  }
}

/** Generated source formatting the 4 bytes at `p` of `buf` as a dotted quad (env needs OCTET_DOT, OCTET). */
function ip4Source(p: string): string {
  return `OCTET_DOT[buf[${p}]] + OCTET_DOT[buf[${p} + 1]] + OCTET_DOT[buf[${p} + 2]] + OCTET[buf[${p} + 3]]`;
}

const flagCache = new WeakMap<object, [string, number][]>();

/** Splits a bit mask into flag names; leftover bits come last as one number. */
export function flagNames(spec: FlagsSpec, v: number): (string | number)[] {
  const out: (string | number)[] = [];
  let rest = v >>> 0;
  if (rest === 0) return out;
  let bits = flagCache.get(spec);
  if (bits === undefined) {
    bits = (Object.entries(spec.bits) as [string, number][]).filter(([, m]) => m !== 0);
    flagCache.set(spec, bits);
  }
  for (let i = 0; i < bits.length; i++) {
    const m = bits[i]![1];
    if ((rest & m) === m) {
      out.push(bits[i]![0]);
      rest = (rest & ~m) >>> 0;
    }
  }
  if (rest !== 0) out.push(rest);
  return out;
}

/** Turns an enum name, a flag list or a number into the integer to encode. */
export function intValue(v: unknown, t: IntType, en: EnumSpec | undefined, fl: FlagsSpec | undefined, what: string): number | bigint {
  if (typeof v === 'number') {
    const r = NUM_RANGE[t];
    if (Number.isInteger(v) && v >= r[0] && v <= r[1]) return v;
  }
  let n: number | bigint;
  if (typeof v === 'string' && en) {
    const x = (en.values as Record<string, number>)[v];
    if (x === undefined) throw new TypeError(`${what}: "${v}" is not a ${en.name} (one of ${Object.keys(en.values).join(', ')})`);
    n = x;
  } else if (Array.isArray(v) && fl) {
    let m = 0;
    for (const f of v) {
      if (typeof f === 'number') m |= f;
      else {
        const b = (fl.bits as Record<string, number>)[f as string];
        if (b === undefined) throw new TypeError(`${what}: "${String(f)}" is not a ${fl.name} flag`);
        m |= b;
      }
    }
    n = m >>> 0;
  } else if (typeof v === 'number' || typeof v === 'bigint') {
    n = v;
  } else if (typeof v === 'string' && /^-?(0x[0-9a-f]+|\d+)$/i.test(v)) {
    n = BigInt(v);
  } else if (typeof v === 'boolean') {
    n = v ? 1 : 0;
  } else {
    throw new TypeError(`${what}: expected a number${en ? ` or ${en.name} name` : ''}${fl ? ' or flag list' : ''}, got ${JSON.stringify(v)}`);
  }
  if (typeof n === 'number') {
    if (!Number.isInteger(n)) throw new TypeError(`${what}: ${n} is not an integer`);
    const r = NUM_RANGE[t];
    if (n >= r[0] && n <= r[1]) return n;
  }
  const [lo, hi] = intRange(t);
  const b = BigInt(n);
  if (b < lo || b > hi) throw new TypeError(`${what}: ${n} does not fit ${t}`);
  return n;
}

// ---- structs ----

const structCache = new WeakMap<StructSpec, StructCodec<unknown>>();

/** Compiles a struct declaration (cached per declaration object). */
export function compileStruct<T = Record<string, unknown>>(spec: StructSpec): StructCodec<T> {
  const hit = structCache.get(spec);
  if (hit) return hit as StructCodec<T>;
  const layout = structLayout(spec);
  const last = layout[layout.length - 1];
  const size = last ? last.at + last.size : 0;
  const whats = layout.map(({ f }) => `${spec.name}.${f.name}`);
  const codec: StructCodec<T> = {
    spec,
    size,
    // Replaced below by the generated decoder; this generic walk remains its slow path for
    // structs shorter than declared.
    decode(buf, dv, start, end) {
      const o: Record<string, unknown> = {};
      const len = end - start;
      for (const { f, size: sz, at } of layout) {
        if (at + sz > len) {
          o.$len = len;
          break;
        }
        const p = start + at;
        switch (f.type) {
          case 'pad': break;
          case 'binary': o[f.name] = f.struct ? compileStruct(f.struct).decode(buf, dv, p, p + sz) : buf.slice(p, p + sz); break;
          case 'mac': o[f.name] = formatMac(buf, p, sz); break;
          case 'ip4': case 'ip6': case 'ipaddr': o[f.name] = formatIp(buf, p, sz); break;
          case 'string': {
            let e = p;
            while (e < p + sz && buf[e] !== 0) e++;
            o[f.name] = decodeText(buf.subarray(p, e));
            break;
          }
          default: {
            const v = readInt(dv, p, f.type, sz);
            o[f.name] = f.enum ? enumName(f.enum, Number(v)) : f.flags ? flagNames(f.flags, Number(v)) : v;
          }
        }
      }
      if (len > size) o.$tail = buf.slice(start + size, end);
      return o as T;
    },
    write(dv, buf, at, value) {
      const v = value as Record<string, unknown>;
      for (let i = 0; i < layout.length; i++) {
        const { f, size: sz, at: fa } = layout[i]!;
        const x = v[f.name];
        if (x === undefined || f.type === 'pad') continue;
        const p = at + fa;
        switch (f.type) {
          case 'binary':
            if (f.struct) compileStruct(f.struct).write(dv, buf, p, x as Record<string, unknown>);
            else buf.set((x as Uint8Array).subarray(0, sz), p);
            break;
          case 'mac': buf.set(parseMac(String(x)).subarray(0, sz), p); break;
          case 'ip4': case 'ip6': case 'ipaddr': buf.set(parseIp(String(x)).subarray(0, sz), p); break;
          case 'string': buf.set(encodeText(String(x)).subarray(0, sz - 1), p); break;
          default: writeInt(dv, p, f.type, intValue(x, f.type, f.enum, f.flags, whats[i]!));
        }
      }
    },
    encode(w, value) {
      const v = value as Record<string, unknown> & { $tail?: Uint8Array; $len?: number };
      const n = v.$len !== undefined ? Math.min(v.$len, size) : size;
      const at = w.length;
      const full = n + (v.$tail?.byteLength ?? 0);
      w.reserve(full);
      const tmp = new Uint8Array(size);
      codec.write(new DataView(tmp.buffer), tmp, 0, value);
      const out = w.finish();
      out.set(tmp.subarray(0, n), at);
      if (v.$tail) out.set(v.$tail, at + n);
      // reserve() aligned to 4; a struct of unaligned size inside an attribute is fine, the
      // attribute header carries the exact length (see structField).
    },
  };
  structCache.set(spec, codec as StructCodec<unknown>);
  // The decoder is generated on first use: a codec compiled only to encode, or only as part of
  // a flat message decoder, never pays for it.
  const slow = codec.decode;
  codec.decode = (buf, dv, start, end) => (codec.decode = genStructDecoder(layout, size, slow))(buf, dv, start, end);
  return codec;
}

/** Each field of a struct with its size and offset. */
export type Layout = { f: StructSpec['fields'][number]; size: number; at: number }[];

/** The layout of a struct declaration: each field with its size and offset. */
export function structLayout(spec: StructSpec): Layout {
  let off = 0;
  return spec.fields.map((f) => {
    const size = f.type === 'binary' && f.struct ? (f.len ?? compileStruct(f.struct).size)
      : f.type === 'pad' || f.type === 'binary' || f.type === 'mac' || f.type === 'ip4' || f.type === 'ip6' || f.type === 'ipaddr' || f.type === 'string'
        ? (f.len ?? (f.type === 'ip4' ? 4 : f.type === 'ip6' ? 16 : f.type === 'mac' ? 6 : 0))
        : INT_SIZE[f.type];
    const at = off;
    off += size;
    return { f, size, at };
  });
}

/** The declared size of a struct in bytes, without compiling it. */
export function structSize(spec: StructSpec): number {
  const l = structLayout(spec);
  const last = l[l.length - 1];
  return last ? last.at + last.size : 0;
}

function genStructDecoder<T>(layout: Layout, size: number, slow: StructCodec<T>['decode']): StructCodec<T>['decode'] {
  const env: Record<string, unknown> = { slow };
  const props = structProps(layout, env, 's', 'f');
  return build(env, `return function decodeStruct(buf, dv, s, e) {
  if (e - s < ${size}) return slow(buf, dv, s, e);
  const o = { ${props.join(',\n    ')} };
  if (e - s > ${size}) o.$tail = buf.slice(s + ${size}, e);
  return o;
};`);
}

/**
 * Generated source of a struct's fields as object literal properties (`"name": expr`), read at
 * offsets from the variable `base`; env keys are prefixed with `tag`.
 */
function structProps(layout: Layout, env: Record<string, unknown>, base: string, tag: string): string[] {
  Object.assign(env, { u64num, s64num, formatIp, formatMac, OCTET_DOT, OCTET });
  const props: string[] = [];
  layout.forEach(({ f, size: sz, at }, i) => {
    const p = `${base} + ${at}`;
    let expr: string;
    switch (f.type) {
      case 'pad': return;
      case 'binary':
        if (f.struct) {
          env[`${tag}st${i}`] = compileStruct(f.struct);
          expr = `${tag}st${i}.decode(buf, dv, ${p}, ${p} + ${sz})`;
        } else expr = `buf.slice(${p}, ${p} + ${sz})`;
        break;
      case 'mac': expr = `formatMac(buf, ${p}, ${sz})`; break;
      case 'ip4': case 'ip6': case 'ipaddr': expr = sz === 4 ? ip4Source(p) : `formatIp(buf, ${p}, ${sz})`; break;
      case 'string': expr = `${tag}cstr${i}(buf, ${p}, ${p} + ${sz})`; env[`${tag}cstr${i}`] = cstr; break;
      default: expr = intDecodeSource(intReadExpr(f.type, p), { type: f.type, enum: f.enum, flags: f.flags }, env, `${tag}${i}`);
    }
    props.push(`${JSON.stringify(f.name)}: ${expr}`);
  });
  return props;
}

function cstr(buf: Uint8Array, s: number, e: number): string {
  let z = s;
  while (z < e && buf[z] !== 0) z++;
  return decodeText(buf.subarray(s, z));
}

// ---- attribute sets ----

const setCache = new WeakMap<AttributeSet<unknown>, SetCodec<unknown>>();
const setEntries = new WeakMap<AttributeSet<unknown>, Entry[]>();

/** Compiles an attribute set (cached per declaration object; recursion through thunks is fine). */
export function compileSet<T>(set: AttributeSet<T>): SetCodec<T> {
  const hit = setCache.get(set as AttributeSet<unknown>);
  if (hit) return hit as SetCodec<T>;
  const byType: (Entry | undefined)[] = [];
  const byName = new Map<string, Entry>();
  const codec: SetCodec<T> = {
    set,
    // Replaced by the generated decoder (genSetDecoder) before compileSet returns; the entries
    // it needs are built after the codec is cached, so that recursive sets find it.
    decode() {
      throw new Error(`schema: the decoder of ${set.name} was used before it was compiled`);
    },
    encode(w, value, skip) {
      const obj = value as Record<string, unknown>;
      const unknown = obj.$unknown as UnknownAttr[] | undefined;
      const nu = unknown ? unknown.length : 0;
      const flags = (obj as { [ATTR_FLAGS]?: Map<string, number> })[ATTR_FLAGS];
      let ui = 0;
      let idx = 0;
      const keys = Object.keys(obj);
      for (let k = 0; k < keys.length; k++) {
        const key = keys[k]!;
        if (key === '$unknown' || (skip !== undefined && skip.has(key))) continue;
        const v = obj[key];
        if (v === undefined) continue;
        const ent = byName.get(key);
        if (!ent) throw new TypeError(`${set.name}: unknown attribute "${key}" (known: ${[...byName.keys()].join(', ')})`);
        const f = flags?.get(key);
        const type = f !== undefined ? ent.type | f : ent.type | expectedFlags(ent, set.nestedFlag);
        const n = ent.repeated && Array.isArray(v) ? v.length : 1;
        for (let j = 0; j < n; j++) {
          // Unknown attributes go back to the positions they were received at.
          while (ui < nu && unknown![ui]!.at >= 0 && unknown![ui]!.at <= idx) {
            emitUnknown(w, unknown![ui++]!);
            idx++;
          }
          ent.enc(w, type, ent.repeated && Array.isArray(v) ? v[j] : v, obj);
          idx++;
        }
      }
      while (ui < nu) emitUnknown(w, unknown![ui++]!);
    },
  };
  setCache.set(set as AttributeSet<unknown>, codec as SetCodec<unknown>);
  for (const a of set.attrs) {
    const repeated = a.field.kind === 'array';
    const f = repeated ? (a.field as { item: Field }).item : a.field;
    const ent: Entry = {
      type: a.type, name: a.name, repeated, dec: makeDec(f, `${set.name}.${a.name}`),
      enc: makeEnc(f, `${set.name}.${a.name}`), deferred: f.kind === 'sub-message', nestKind: isNest(f),
    };
    byType[a.type] = ent;
    byName.set(a.name, ent);
  }
  const entries = [...byName.values()];
  setEntries.set(set as AttributeSet<unknown>, entries);
  // Generated on first use, like a struct's decoder.
  codec.decode = (buf, dv, start, end, into) => (codec.decode = genSetDecoder<T>(set, entries))(buf, dv, start, end, into);
  return codec;
}

/** Generates a set's decoder: a switch on the attribute type with scalar reads inlined. */
function genSetDecoder<T>(set: AttributeSet<T>, entries: Entry[]): SetCodec<T>['decode'] {
  const env: Record<string, unknown> = {};
  const walk = setWalkSource(set as AttributeSet<unknown>, entries, env);
  return build(env, `return function decodeSet(buf, dv, start, end, into) {
  const obj = into === undefined ? {} : into;
  ${walk}
  return obj;
};`);
}

/**
 * Generated source that adds the attributes from `start` to `end` of `buf` to `obj`: a switch
 * on the attribute type with scalar reads inlined; what does not fit is kept in $unknown.
 */
function setWalkSource(set: AttributeSet<unknown>, entries: Entry[], env: Record<string, unknown>): string {
  Object.assign(env, {
    NOFIT, ATTR_FLAGS, u64num, s64num, formatIp, formatMac, cstrAttr, OCTET_DOT, OCTET, D: entries.map((e) => e.dec),
    NAMES: entries.map((e) => e.name), TYPES: entries.map((e) => e.type),
    EXPECTED: entries.map((e) => expectedFlags(e, set.nestedFlag)),
  });
  const cases: string[] = [];
  entries.forEach((ent, i) => {
    const f = ent.repeated ? (set.attrs.find((a) => a.name === ent.name)!.field as { item: Field }).item : set.attrs.find((a) => a.name === ent.name)!.field;
    const P = prop(ent.name);
    let compute: string;
    switch (f.kind) {
      case 'int': {
        const size = INT_SIZE[f.type];
        let read = intReadExpr(f.type, 's');
        if (f.type === 'uint' || f.type === 'sint') {
          read = `(e - s === 8 ? ${f.type === 'uint' ? 'u64num(dv.getBigUint64(s, ' + String(HOST_LE) + '))' : 's64num(dv.getBigInt64(s, ' + String(HOST_LE) + '))'} : ${read})`;
        }
        read = intDecodeSource(read, f, env, `a${i}`);
        const cond = size ? `e - s === ${size}` : `(e - s === 4 || e - s === 8)`;
        compute = `if (${cond}) v = ${read};`;
        break;
      }
      case 'ipaddr':
        env[`ip${i}`] = new Ip4Text();
        compute = `if (e - s === 4) v = ip${i}.at(buf, dv, s); else if (e - s === 16) v = formatIp(buf, s, 16);`;
        break;
      case 'string': compute = `v = cstrAttr(buf, s, e);`; break;
      case 'flag': compute = `if (e === s) v = true;`; break;
      case 'binary': compute = `v = buf.slice(s, e);`; break;
      case 'mac': compute = `if (e > s) v = formatMac(buf, s, e - s);`; break;
      default: compute = `v = D[${i}](buf, dv, s, e, obj);`;
    }
    // Each case leaves the value in v (NOFIT: kept raw) and its entry in k; the flag bits are
    // checked once after the switch, which keeps the generated function small (it is
    // optimised sooner and faster).
    if (ent.deferred) {
      cases.push(`case ${ent.type}: if (!(${JSON.stringify(ent.name)} in obj)) { (deferred ??= []).push(${i}, s, e, raw, idx); obj${P} = undefined; v = null; } break;`);
    } else if (ent.repeated) {
      cases.push(`case ${ent.type}: { ${compute} if (v !== NOFIT) (obj${P} ??= []).push(v); k = ${i}; break; }`);
    } else {
      cases.push(`case ${ent.type}: if (obj${P} === undefined) { ${compute} if (v !== NOFIT) obj${P} = v; k = ${i}; } break;`);
    }
  });
  const le = String(HOST_LE);
  return `let unknown, flags, deferred;
  let pos = start, idx = 0;
  const limit = end < buf.byteLength ? end : buf.byteLength;
  while (limit - pos >= 4) {
    const len = dv.getUint16(pos, ${le});
    const raw = dv.getUint16(pos + 2, ${le});
    if (len < 4 || len > limit - pos) {
      (unknown ??= []).push({ type: -1, bytes: buf.slice(pos, limit), at: idx });
      break;
    }
    const s = pos + 4, e = pos + len;
    let v = NOFIT, k = -1;
    switch (raw & 0x3fff) {
      ${cases.join('\n      ')}
    }
    if (v === NOFIT) (unknown ??= []).push({ type: raw, bytes: buf.slice(s, e), at: idx });
    else if (k >= 0 && (raw & 0xc000) !== EXPECTED[k]) (flags ??= new Map()).set(NAMES[k], raw & 0xc000);
    idx++;
    pos += (len + 3) & ~3;
  }
  if (deferred !== undefined) {
    for (let k = 0; k < deferred.length; k += 5) {
      const i = deferred[k], s = deferred[k + 1], e = deferred[k + 2], raw = deferred[k + 3], at = deferred[k + 4];
      const name = NAMES[i];
      const v = D[i](buf, dv, s, e, obj);
      if (v === NOFIT) {
        delete obj[name];
        (unknown ??= []).push({ type: raw, bytes: buf.slice(s, e), at });
        unknown.sort((a, b) => a.at - b.at);
      } else {
        obj[name] = v;
        // A deferred sub-message keeps its NLA_F_NESTED bit like any attribute.
        if ((raw & 0xc000) !== EXPECTED[i]) (flags ??= new Map()).set(name, raw & 0xc000);
      }
    }
  }
  if (unknown !== undefined) obj.$unknown = unknown;
  if (flags !== undefined) Object.defineProperty(obj, ATTR_FLAGS, { value: flags, enumerable: false });`;
}

/** A flat message decoder: header and attributes from `start` to `end` of `buf` in one object. */
export type FlatDecode = (buf: Uint8Array, dv: DataView, start: number, end: number) => Record<string, unknown>;

/** Decodes the netlink messages starting at `offsets` of `buf` (header included) and appends them to `out`. */
export type FlatDecodeAll = (buf: Uint8Array, dv: DataView, offsets: readonly number[], out: unknown[]) => void;

/**
 * Generates the decoders of a flat message (see FlatMessageCodec): the header's fields set by
 * one constructor, the set's attributes added to the object, then `after` (generated source
 * using obj, buf, dv, hs (header start) and he (header end)), all in one function; and a loop
 * over the messages of a datagram calling it. A header shorter than declared goes to `slow`.
 */
export function genFlatDecoder(header: StructSpec, set: AttributeSet<unknown>, after: string, afterEnv: Record<string, unknown>, slow: FlatDecode): { one: FlatDecode; all: FlatDecodeAll } {
  const layout = structLayout(header);
  const size = structSize(header);
  compileSet(set);
  const env: Record<string, unknown> = { ...afterEnv, slow };
  const props = structProps(layout, env, 'hs', 'h');
  const walk = setWalkSource(set, setEntries.get(set)!, env);
  // The header's fields are set by a constructor rather than an object literal: V8 sizes the
  // objects a constructor makes after the first few, attributes included, so a decoded message
  // holds all its properties in one allocation (a literal's object grows a second store for
  // the attributes). Its prototype is Object.prototype: the objects stay plain objects.
  const fields = props.map((p) => {
    const i = p.indexOf(': ');
    return `this[${p.slice(0, i)}] = ${p.slice(i + 2)};`;
  });
  const one = build<FlatDecode>(env, `const Flat = function Flat(buf, dv, hs) {
  ${fields.join('\n  ')}
};
Flat.prototype = Object.prototype;
return function decodeFlat(buf, dv, hs, end) {
  if (end - hs < ${size}) return slow(buf, dv, hs, end);
  const obj = new Flat(buf, dv, hs);
  const start = hs + ${align4(size)}, he = hs + ${size};
  ${walk}
  ${after}
  return obj;
};`);
  // The loop stays a small function of its own: the decoder is optimised as soon as it is hot
  // (a loop around the inlined body waited for the optimisation of a much larger function).
  const all = build<FlatDecodeAll>({ one }, `return function decodeFlatAll(buf, dv, offsets, out) {
  for (let m = 0; m < offsets.length; m++) {
    const at = offsets[m];
    out.push(one(buf, dv, at + ${NLMSG_HDRLEN}, at + dv.getUint32(at, ${String(HOST_LE)})));
  }
};`);
  return { one, all };
}

function cstrAttr(buf: Uint8Array, s: number, e: number): string | typeof NOFIT {
  let z = s;
  while (z < e && buf[z] !== 0) z++;
  // A string that is not NUL-terminated is accepted; bytes after the NUL are not (kept raw).
  if (z < e - 1) return NOFIT;
  return decodeText(buf.subarray(s, z));
}

function emitUnknown(w: MessageWriter, u: UnknownAttr): void {
  if (u.type === -1) w.bytes(u.bytes); // a malformed tail, verbatim
  else w.attr(u.type, u.bytes);
}

function isNest(f: Field): boolean {
  if (f.kind === 'nest' || f.kind === 'nest-array' || f.kind === 'indexed-array' || f.kind === 'type-value') return true;
  if (f.kind === 'sub-message') {
    const subs = Object.values(f.map);
    return subs.length > 0 && subs.every(isNest);
  }
  return false;
}

/** NLA_F_NESTED for the entries of an indexed array or type-value map whose items are nests declared with it. */
function innerFlag(item: Field): number {
  switch (item.kind) {
    case 'nest': case 'nest-array': return item.set().nestedFlag ? NLA_F_NESTED : 0;
    case 'indexed-array': case 'type-value': return innerFlag(item.item);
    default: return 0;
  }
}

// Objects whose attributes are being decoded (or encoded) around the current nest, innermost
// last: a sub-message's selector may be an attribute of an enclosing set (YNL semantics, e.g.
// tc's stats "app" chosen by the qdisc's "kind"). Decoding is synchronous, so a stack suffices.
const parents: Record<string, unknown>[] = [];

function inParent<R>(obj: Record<string, unknown>, fn: () => R): R {
  parents.push(obj);
  try {
    return fn();
  } finally {
    parents.pop();
  }
}

function selectorValue(obj: Record<string, unknown>, selector: string): unknown {
  let v = obj[selector];
  for (let i = parents.length - 1; v === undefined && i >= 0; i--) v = parents[i]![selector];
  return v;
}

/** Walks the attributes of a nest from s to e; false when they are malformed. */
function eachInner(dv: DataView, s: number, e: number, fn: (type: number, vs: number, ve: number) => void): boolean {
  let p = s;
  while (e - p >= NLA_HDRLEN) {
    const len = dv.getUint16(p, HOST_LE);
    if (len < NLA_HDRLEN || len > e - p) return false;
    fn(dv.getUint16(p + 2, HOST_LE) & NLA_TYPE_MASK, p + NLA_HDRLEN, p + len);
    p += align4(len);
  }
  return true;
}

function structKeys(spec: StructSpec): Set<string> {
  return new Set(['$tail', '$len', ...spec.fields.filter((f) => f.type !== 'pad').map((f) => f.name)]);
}

function expectedFlags(ent: Entry, nestedFlag: boolean): number {
  return ent.nestKind && nestedFlag ? NLA_F_NESTED : 0;
}

function makeDec(f: Field, what: string): Dec {
  switch (f.kind) {
    case 'int': {
      const t = f.type;
      const size = INT_SIZE[t];
      const en = f.enum, fl = f.flags;
      return (_b, dv, s, e) => {
        const len = e - s;
        if (size ? len !== size : len !== 4 && len !== 8) return NOFIT;
        const v = readInt(dv, s, t, len);
        return en ? enumName(en, Number(v)) : fl ? flagNames(fl, Number(v)) : v;
      };
    }
    case 'string':
      return (b, _dv, s, e) => cstrAttr(b, s, e);
    case 'binary':
      return (b, _dv, s, e) => b.slice(s, e);
    case 'flag':
      return (_b, _dv, s, e) => (e === s ? true : NOFIT);
    case 'mac':
      return (b, _dv, s, e) => (e > s ? formatMac(b, s, e - s) : NOFIT);
    case 'ipaddr':
      return (b, _dv, s, e) => (e - s === 4 || e - s === 16 ? formatIp(b, s, e - s) : NOFIT);
    case 'nest': {
      let c: SetCodec<unknown> | undefined;
      const h = f.header ? compileStruct<Record<string, unknown>>(f.header) : undefined;
      if (h) {
        return (b, dv, s, e, obj) => inParent(obj, () => {
          c ??= compileSet(f.set());
          const head = h.decode(b, dv, s, Math.min(s + h.size, e));
          return Object.assign(head, c.decode(b, dv, Math.min(s + align4(h.size), e), e));
        });
      }
      return (b, dv, s, e, obj) => inParent(obj, () => (c ??= compileSet(f.set())).decode(b, dv, s, e));
    }
    case 'nest-array': {
      let c: SetCodec<unknown> | undefined;
      return (b, dv, s, e, obj) => inParent(obj, () => {
        c ??= compileSet(f.set());
        const out: unknown[] = [];
        let p = s;
        while (e - p >= NLA_HDRLEN) {
          const len = dv.getUint16(p, HOST_LE);
          if (len < NLA_HDRLEN || len > e - p) return NOFIT;
          out.push(c.decode(b, dv, p + NLA_HDRLEN, p + len));
          p += align4(len);
        }
        return out;
      });
    }
    case 'indexed-array': {
      const d = makeDec(f.item, `${what}[]`);
      return (b, dv, s, e, obj) => inParent(obj, () => {
        const out: unknown[] = [];
        let fit = true;
        const ok = eachInner(dv, s, e, (_t, vs, ve) => {
          const v = d(b, dv, vs, ve, obj);
          if (v === NOFIT) fit = false;
          else out.push(v);
        });
        return ok && fit ? out : NOFIT;
      });
    }
    case 'type-value': {
      const d = makeDec(f.item, `${what}{}`);
      return (b, dv, s, e, obj) => inParent(obj, () => {
        const out: Record<number, unknown> = {};
        let fit = true;
        const ok = eachInner(dv, s, e, (t, vs, ve) => {
          const v = d(b, dv, vs, ve, obj);
          if (v === NOFIT || t in out) fit = false;
          else out[t] = v;
        });
        return ok && fit ? out : NOFIT;
      });
    }
    case 'int-array': {
      const t = f.type;
      const size = INT_SIZE[t] || 4;
      return (_b, dv, s, e) => {
        if ((e - s) % size) return NOFIT;
        const out: (number | bigint)[] = [];
        for (let p = s; p < e; p += size) out.push(readInt(dv, p, t, size));
        return out;
      };
    }
    case 'struct': {
      const c = compileStruct(f.struct);
      return (b, dv, s, e) => c.decode(b, dv, s, e);
    }
    case 'sub-message': {
      const decs = new Map<string, Dec>();
      for (const [k, sub] of Object.entries(f.map)) decs.set(k, makeDec(sub, `${what}(${k})`));
      return (b, dv, s, e, obj) => {
        const d = decs.get(String(selectorValue(obj, f.selector)));
        return d ? d(b, dv, s, e, obj) : NOFIT;
      };
    }
    case 'custom':
      return (b, dv, s, e) => {
        try {
          return f.codec.decode(b, dv, s, e);
        } catch {
          return NOFIT;
        }
      };
    case 'array':
      throw new TypeError(`${what}: nested array() is not supported; use nest-array`);
  }
}

function makeEnc(f: Field, what: string): Enc {
  switch (f.kind) {
    case 'int': {
      const t = f.type;
      return (w, type, v) => {
        const n = intValue(v, t, f.enum, f.flags, what);
        const size = INT_SIZE[t] || (typeof n === 'bigint' || n > 0xffffffff || n < -0x80000000 ? 8 : 4);
        const at = w.attrSpace(type, size);
        writeInt(w.view, at, size === 4 && t === 'uint' ? 'u32' : size === 4 && t === 'sint' ? 's32' : t, n);
      };
    }
    case 'string':
      return (w, type, v) => {
        if (v instanceof Uint8Array) w.attr(type, v);
        else w.attrString(type, String(v));
      };
    case 'binary':
      return (w, type, v) => {
        if (!(v instanceof Uint8Array)) throw new TypeError(`${what}: expected a Uint8Array`);
        w.attr(type, v);
      };
    case 'flag':
      return (w, type, v) => {
        if (v) w.attr(type, new Uint8Array(0));
      };
    case 'mac':
      return (w, type, v) => w.attr(type, v instanceof Uint8Array ? v : parseMac(String(v)));
    case 'ipaddr':
      return (w, type, v) => w.attr(type, v instanceof Uint8Array ? v : parseIp(String(v)));
    case 'nest': {
      let c: SetCodec<unknown> | undefined;
      const h = f.header ? compileStruct<Record<string, unknown>>(f.header) : undefined;
      const hk = f.header ? structKeys(f.header) : undefined;
      return (w, type, v, obj) => inParent(obj, () => {
        c ??= compileSet(f.set());
        const n = w.beginNest(type, false);
        if (h && hk) {
          const head: Record<string, unknown> = {};
          const rest: Record<string, unknown> = {};
          for (const [k, x] of Object.entries(v as Record<string, unknown>)) (hk.has(k) ? head : rest)[k] = x;
          h.encode(w, head);
          c.encode(w, rest);
        } else c.encode(w, v);
        w.endNest(n);
      });
    }
    case 'nest-array': {
      let c: SetCodec<unknown> | undefined;
      return (w, type, v, obj) => inParent(obj, () => {
        c ??= compileSet(f.set());
        if (!Array.isArray(v)) throw new TypeError(`${what}: expected an array`);
        const n = w.beginNest(type, false);
        const flag = c.set.nestedFlag ? NLA_F_NESTED : 0;
        v.forEach((item, i) => {
          const m = w.beginNest((i + 1) | flag, false);
          c!.encode(w, item);
          w.endNest(m);
        });
        w.endNest(n);
      });
    }
    case 'indexed-array': {
      const enc = makeEnc(f.item, `${what}[]`);
      return (w, type, v, obj) => inParent(obj, () => {
        if (!Array.isArray(v)) throw new TypeError(`${what}: expected an array`);
        const n = w.beginNest(type, false);
        const flag = innerFlag(f.item);
        v.forEach((item, i) => enc(w, (i + 1) | flag, item, obj));
        w.endNest(n);
      });
    }
    case 'type-value': {
      const enc = makeEnc(f.item, `${what}{}`);
      return (w, type, v, obj) => inParent(obj, () => {
        if (typeof v !== 'object' || v === null) throw new TypeError(`${what}: expected an object keyed by attribute type`);
        const n = w.beginNest(type, false);
        const flag = innerFlag(f.item);
        for (const [k, item] of Object.entries(v)) {
          const t = Number(k);
          if (!Number.isInteger(t) || t < 0 || t > NLA_TYPE_MASK) throw new TypeError(`${what}: key "${k}" is not an attribute type`);
          enc(w, t | flag, item, obj);
        }
        w.endNest(n);
      });
    }
    case 'int-array': {
      const size = INT_SIZE[f.type] || 4;
      return (w, type, v) => {
        if (!Array.isArray(v)) throw new TypeError(`${what}: expected an array of integers`);
        const tmp = new Uint8Array(size * v.length);
        const dv = new DataView(tmp.buffer);
        v.forEach((x, i) => writeInt(dv, i * size, f.type, intValue(x, f.type, undefined, undefined, what)));
        w.attr(type, tmp);
      };
    }
    case 'struct': {
      const c = compileStruct(f.struct);
      return (w, type, v) => {
        const o = v as Record<string, unknown> & { $tail?: Uint8Array; $len?: number };
        const n = o.$len !== undefined ? Math.min(o.$len, c.size) : c.size;
        const tmp = new Uint8Array(c.size + (o.$tail?.byteLength ?? 0));
        c.write(new DataView(tmp.buffer), tmp, 0, o);
        if (o.$tail) tmp.set(o.$tail, n);
        w.attr(type, tmp.subarray(0, n + (o.$tail?.byteLength ?? 0)));
      };
    }
    case 'sub-message': {
      const encs = new Map<string, Enc>();
      for (const [k, sub] of Object.entries(f.map)) encs.set(k, makeEnc(sub, `${what}(${k})`));
      return (w, type, v, obj) => {
        const sel = selectorValue(obj, f.selector);
        const e = encs.get(String(sel));
        if (e) e(w, type, v, obj);
        else if (v instanceof Uint8Array) w.attr(type, v);
        else throw new TypeError(`${what}: no declaration for ${f.selector}=${String(sel)}; pass bytes`);
      };
    }
    case 'custom':
      return (w, type, v) => w.attr(type, f.codec.encode(v));
    case 'array':
      throw new TypeError(`${what}: nested array() is not supported; use nest-array`);
  }
}
