// The field kinds: for each kind of value a declaration can name, the ONE definition of how it
// decodes (source for the generated decoders, see set.ts, struct.ts and flat.ts) and how it
// encodes (an attribute, and for fixed-size kinds a struct member). Nothing else in the engine
// knows how a kind is laid out on the wire.
import {
  HOST_LE, NLA_F_NESTED, NLA_TYPE_MASK, decodeText, encodeText, type MessageWriter,
} from '../wire/index.js';
import { Ip4Text, formatIp, formatMac, parseIp, parseMac } from './addresses.js';
import type { Gen } from './codegen.js';
import { NOFIT, attrFlagsOf, enterDecode, enterEncode, selectorValue, setAttrFlags, type Frame } from './context.js';
import { intDecodeSource, intReadExpr, intSize, intValue, s64num, u64num, writeInt } from './ints.js';
import type { Codecs } from './registry.js';
import type { Field, StructSpec } from './types.js';

/**
 * Where generated code finds one value: it lies from offset `s` to `e` of `buf` (expressions),
 * and the kind's statement assigns it to `v` (a variable or property), or leaves `v` alone
 * when the bytes do not fit the declaration (an attribute is then kept raw). `len` is the
 * value's length when a struct layout fixes it, undefined for an attribute's value.
 *
 * The generated function has `buf`, `dv` (its DataView), `obj` (the object being filled: a
 * sub-message's selector is looked up there) and `up` (obj's Frame) in scope.
 */
export interface Site {
  readonly s: string;
  readonly e: string;
  readonly v: string;
  readonly len?: number;
}

/** Appends attribute `type` holding `v`, a property of `obj` (whose frame is `up`). */
export type Enc = (w: MessageWriter, type: number, v: unknown, obj: Record<string, unknown>, up: Frame | undefined) => void;

/** Writes a struct member's value at `at` of `buf` (`dv` views it); the layout gave its length. */
export type Put = (dv: DataView, buf: Uint8Array, at: number, v: unknown) => void;

/** How one field kind decodes and encodes. */
export interface FieldKind<F extends Field> {
  /** Generated source of a statement decoding the value at `at` (see Site). */
  decode(f: F, at: Site, g: Gen, reg: Codecs): string;
  /** The encoder of an attribute holding this kind. `what` names it in errors. */
  encoder(f: F, what: string, reg: Codecs): Enc;
  /** For kinds a struct can hold: the writer of a member of `len` bytes. */
  member?(f: F, len: number, what: string, reg: Codecs): Put;
  /** True when the value is a nest (NLA_F_NESTED is set on it when its set asks for it). */
  nested?(f: F): boolean;
}

type Of<K extends Field['kind']> = Extract<Field, { kind: K }>;

/** The names every generated decoder may use without asking (see {@link newGen}). */
export const BASE_ENV = { NOFIT, u64num, s64num };

function cstrAttr(buf: Uint8Array, s: number, e: number): string | typeof NOFIT {
  let z = s;
  while (z < e && buf[z] !== 0) z++;
  // A string that is not NUL-terminated is accepted; bytes after the NUL are not (kept raw).
  if (z < e - 1) return NOFIT;
  return decodeText(buf.subarray(s, z));
}

/** A char array: the text before the first NUL (the rest is padding). */
function charArray(buf: Uint8Array, s: number, e: number): string {
  let z = s;
  while (z < e && buf[z] !== 0) z++;
  return decodeText(buf.subarray(s, z));
}

function customDecode(codec: { decode(b: Uint8Array, dv: DataView, s: number, e: number): unknown }, buf: Uint8Array, dv: DataView, s: number, e: number): unknown {
  try {
    return codec.decode(buf, dv, s, e);
  } catch {
    return NOFIT;
  }
}

/** NLA_F_NESTED for the entries of an indexed array or type-value map whose items are nests declared with it. */
function innerFlag(item: Field): number {
  switch (item.kind) {
    case 'nest': case 'nest-array': return item.set().nestedFlag ? NLA_F_NESTED : 0;
    case 'indexed-array': case 'type-value': return innerFlag(item.item);
    default: return 0;
  }
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null;
}

/**
 * Generated source of a loop over the attributes from `s` to `e` (a nest's content): `body`
 * runs for each with `raw` (its nla_type), `t` (its type without flag bits), `vs`/`ve` (its value), and may set `bad` to true; the
 * statement leaves `bad` true when the run is malformed (bytes after the last whole attribute
 * included: the value is then kept raw, byte for byte).
 */
function eachAttr(s: string, e: string, names: { p: string; len: string; raw: string; t: string; vs: string; ve: string; bad: string }, body: string): string {
  const { p, len, raw, t, vs, ve, bad } = names;
  const le = String(HOST_LE);
  return `let ${p} = ${s}, ${bad} = false;
    while (${e} - ${p} >= 4) {
      const ${len} = dv.getUint16(${p}, ${le});
      if (${len} < 4 || ${len} > ${e} - ${p}) { ${bad} = true; break; }
      const ${raw} = dv.getUint16(${p} + 2, ${le}), ${t} = ${raw} & ${NLA_TYPE_MASK}, ${vs} = ${p} + 4, ${ve} = ${p} + ${len};
      ${body}
      if (${bad}) break;
      ${p} += (${len} + 3) & ~3;
    }
    if (${p} < ${e}) ${bad} = true;`;
}

function loopNames(g: Gen) {
  return { p: g.local('p'), len: g.local('len'), raw: g.local('raw'), t: g.local('t'), vs: g.local('vs'), ve: g.local('ve'), bad: g.local('bad') };
}

/**
 * Generated source recording, in `fl` (a Map made on first use), the nla_type `got` of entry
 * `key` when it is not `want`, what the encoder would write; and `done`, attaching the record
 * to the decoded container. Entries are nests the kernel numbers and flags as it likes
 * (nlctrl's CTRL_ATTR_OPS entries come without NLA_F_NESTED).
 */
function entryTypes(g: Gen): { fl: string; note: (key: string, got: string, want: string) => string; done: (out: string) => string } {
  const fl = g.local('fl');
  const set = g.ref('setAttrFlags', setAttrFlags);
  return {
    fl,
    note: (key, got, want) => `if (${got} !== ${want}) (${fl} ??= new Map()).set(${key}, ${got});`,
    done: (out) => `if (${fl} !== undefined) ${set}(${out}, ${fl});`,
  };
}

const int: FieldKind<Of<'int'>> = {
  decode(f, at, g) {
    const ref = g.ref.bind(g);
    const size = intSize(f.type);
    if (at.len !== undefined) return `${at.v} = ${intDecodeSource(intReadExpr(f.type, at.s, size || at.len), f, ref)};`;
    if (size) return `if (${at.e} - ${at.s} === ${size}) ${at.v} = ${intDecodeSource(intReadExpr(f.type, at.s), f, ref)};`;
    return `if (${at.e} - ${at.s} === 4) ${at.v} = ${intDecodeSource(intReadExpr(f.type, at.s, 4), f, ref)};
      else if (${at.e} - ${at.s} === 8) ${at.v} = ${intDecodeSource(intReadExpr(f.type, at.s, 8), f, ref)};`;
  },
  encoder(f, what) {
    const t = f.type;
    return (w, type, v) => {
      const n = intValue(v, t, f.enum, f.flags, what);
      const size = intSize(t) || (typeof n === 'bigint' || n > 0xffffffff || n < -0x80000000 ? 8 : 4);
      const at = w.attrSpace(type, size);
      writeInt(w.view, at, size === 4 && t === 'uint' ? 'u32' : size === 4 && t === 'sint' ? 's32' : t, n);
    };
  },
  member(f, len, what) {
    const t = len === 4 && f.type === 'uint' ? 'u32' : len === 4 && f.type === 'sint' ? 's32' : f.type;
    return (dv, _buf, at, v) => writeInt(dv, at, t, intValue(v, f.type, f.enum, f.flags, what));
  },
};

const string: FieldKind<Of<'string'>> = {
  decode(_f, at, g) {
    if (at.len !== undefined) return `${at.v} = ${g.ref('charArray', charArray)}(buf, ${at.s}, ${at.e});`;
    return `${at.v} = ${g.ref('cstrAttr', cstrAttr)}(buf, ${at.s}, ${at.e});`;
  },
  encoder() {
    return (w, type, v) => {
      if (v instanceof Uint8Array) w.attr(type, v);
      else w.attrString(type, String(v));
    };
  },
  member(_f, len) {
    // Up to the whole array: a name that fills it (no NUL) re-encodes byte for byte.
    return (_dv, buf, at, v) => buf.set((v instanceof Uint8Array ? v : encodeText(String(v))).subarray(0, len), at);
  },
};

const binary: FieldKind<Of<'binary'>> = {
  decode(_f, at) {
    return `${at.v} = buf.slice(${at.s}, ${at.e});`;
  },
  encoder(_f, what) {
    return (w, type, v) => {
      if (!(v instanceof Uint8Array)) throw new TypeError(`${what}: expected a Uint8Array`);
      w.attr(type, v);
    };
  },
  member(_f, len, what) {
    return (_dv, buf, at, v) => {
      if (!(v instanceof Uint8Array)) throw new TypeError(`${what}: expected a Uint8Array`);
      buf.set(v.subarray(0, len), at);
    };
  },
};

const flag: FieldKind<Of<'flag'>> = {
  decode(_f, at) {
    return `if (${at.e} === ${at.s}) ${at.v} = true;`;
  },
  encoder() {
    return (w, type, v) => {
      if (v) w.attr(type, new Uint8Array(0));
    };
  },
};

const mac: FieldKind<Of<'mac'>> = {
  decode(_f, at, g) {
    const fmt = g.ref('formatMac', formatMac);
    if (at.len !== undefined) return `${at.v} = ${fmt}(buf, ${at.s}, ${at.len});`;
    return `if (${at.e} > ${at.s}) ${at.v} = ${fmt}(buf, ${at.s}, ${at.e} - ${at.s});`;
  },
  encoder() {
    return (w, type, v) => w.attr(type, v instanceof Uint8Array ? v : parseMac(String(v)));
  },
  member(_f, len) {
    return (_dv, buf, at, v) => buf.set((v instanceof Uint8Array ? v : parseMac(String(v))).subarray(0, len), at);
  },
};

const ipaddr: FieldKind<Of<'ipaddr'>> = {
  decode(_f, at, g) {
    const fmt = g.ref('formatIp', formatIp);
    // Each field caches its last address (see Ip4Text).
    if (at.len === 4) return `${at.v} = ${g.own('ip4', new Ip4Text())}.at(buf, dv, ${at.s});`;
    if (at.len !== undefined) return `${at.v} = ${fmt}(buf, ${at.s}, ${at.len});`;
    return `if (${at.e} - ${at.s} === 4) ${at.v} = ${g.own('ip4', new Ip4Text())}.at(buf, dv, ${at.s});
      else if (${at.e} - ${at.s} === 16) ${at.v} = ${fmt}(buf, ${at.s}, 16);`;
  },
  encoder() {
    return (w, type, v) => w.attr(type, v instanceof Uint8Array ? v : parseIp(String(v)));
  },
  member(_f, len) {
    return (_dv, buf, at, v) => buf.set((v instanceof Uint8Array ? v : parseIp(String(v))).subarray(0, len), at);
  },
};

const nest: FieldKind<Of<'nest'>> = {
  decode(f, at, g, reg) {
    const enter = g.ref('enterDecode', enterDecode);
    // A nest that starts with a fixed header (a whole message, e.g. the veth peer's ifinfomsg
    // and IFLA_*) decodes like a flat message: header fields and attributes in one object.
    const c = f.header ? g.ref('msg', reg.message(f.header, f.set())) : g.ref('set', reg.set(f.set()));
    return f.header
      ? `${at.v} = ${c}.decode(buf, dv, ${at.s}, ${at.e}, ${enter}(obj, up, ${at.s}));`
      : `${at.v} = ${c}.decode(buf, dv, ${at.s}, ${at.e}, undefined, ${enter}(obj, up, ${at.s}));`;
  },
  encoder(f, what, reg) {
    let c: ReturnType<Codecs['set']> | undefined;
    const h = f.header ? reg.struct(f.header) : undefined;
    const skip = f.header ? headerKeys(f.header) : undefined;
    return (w, type, v, obj, up) => {
      if (!isObject(v)) throw new TypeError(`${what}: expected an object`);
      const fr = enterEncode(obj, up, what);
      c ??= reg.set(f.set());
      const n = w.beginNest(type, false);
      if (h) h.encode(w, v);
      c.encode(w, v, skip, fr);
      w.endNest(n);
    };
  },
  nested: () => true,
};

/** Property names a whole message's header takes (its fields and struct extras), skipped by its attribute encoder. */
export function headerKeys(spec: StructSpec): Set<string> {
  return new Set(['$tail', '$len', ...spec.fields.filter((f) => f.type !== 'pad').map((f) => f.name)]);
}

const nestArray: FieldKind<Of<'nest-array'>> = {
  decode(f, at, g, reg) {
    const c = g.ref('set', reg.set(f.set()));
    const n = loopNames(g);
    const out = g.local('out'), fr = g.local('fr');
    const et = entryTypes(g);
    const flag = f.set().nestedFlag ? NLA_F_NESTED : 0;
    return `{
    const ${out} = [], ${fr} = ${g.ref('enterDecode', enterDecode)}(obj, up, ${at.s});
    let ${et.fl};
    ${eachAttr(at.s, at.e, n, `${et.note(`${out}.length`, n.raw, `((${out}.length + 1) | ${flag})`)}
      ${out}.push(${c}.decode(buf, dv, ${n.vs}, ${n.ve}, undefined, ${fr}));`)}
    if (!${n.bad}) { ${et.done(out)} ${at.v} = ${out}; }
  }`;
  },
  encoder(f, what, reg) {
    let c: ReturnType<Codecs['set']> | undefined;
    return (w, type, v, obj, up) => {
      if (!Array.isArray(v)) throw new TypeError(`${what}: expected an array`);
      const fr = enterEncode(obj, up, what);
      c ??= reg.set(f.set());
      const n = w.beginNest(type, false);
      const flag = c.set.nestedFlag ? NLA_F_NESTED : 0;
      const got = attrFlagsOf(v);
      for (let i = 0; i < v.length; i++) {
        const m = w.beginNest(got?.get(i) ?? ((i + 1) | flag), false);
        c.encode(w, v[i], undefined, fr);
        w.endNest(m);
      }
      w.endNest(n);
    };
  },
  nested: () => true,
};

const indexedArray: FieldKind<Of<'indexed-array'>> = {
  decode(f, at, g, reg) {
    const n = loopNames(g);
    const out = g.local('out'), iv = g.local('iv');
    const item = decodeSource(f.item, { s: n.vs, e: n.ve, v: iv }, g, reg);
    const et = entryTypes(g);
    return `{
    const ${out} = [];
    let ${et.fl};
    ${eachAttr(at.s, at.e, n, `let ${iv} = NOFIT;
      ${item}
      if (${iv} === NOFIT) ${n.bad} = true;
      else { ${et.note(`${out}.length`, n.raw, `((${out}.length + 1) | ${innerFlag(f.item)})`)} ${out}.push(${iv}); }`)}
    if (!${n.bad}) { ${et.done(out)} ${at.v} = ${out}; }
  }`;
  },
  encoder(f, what, reg) {
    const enc = encoder(f.item, `${what}[]`, reg);
    return (w, type, v, obj, up) => {
      if (!Array.isArray(v)) throw new TypeError(`${what}: expected an array`);
      const n = w.beginNest(type, false);
      const flag = innerFlag(f.item);
      const got = attrFlagsOf(v);
      for (let i = 0; i < v.length; i++) enc(w, got?.get(i) ?? ((i + 1) | flag), v[i], obj, up);
      w.endNest(n);
    };
  },
  nested: () => true,
};

const typeValue: FieldKind<Of<'type-value'>> = {
  decode(f, at, g, reg) {
    const n = loopNames(g);
    const out = g.local('out'), iv = g.local('iv');
    const item = decodeSource(f.item, { s: n.vs, e: n.ve, v: iv }, g, reg);
    const et = entryTypes(g);
    return `{
    const ${out} = {};
    let ${et.fl};
    ${eachAttr(at.s, at.e, n, `let ${iv} = NOFIT;
      ${item}
      if (${iv} === NOFIT || ${n.t} in ${out}) ${n.bad} = true;
      else { ${et.note(n.t, n.raw, `(${n.t} | ${innerFlag(f.item)})`)} ${out}[${n.t}] = ${iv}; }`)}
    if (!${n.bad}) { ${et.done(out)} ${at.v} = ${out}; }
  }`;
  },
  encoder(f, what, reg) {
    const enc = encoder(f.item, `${what}{}`, reg);
    return (w, type, v, obj, up) => {
      if (!isObject(v)) throw new TypeError(`${what}: expected an object keyed by attribute type`);
      const n = w.beginNest(type, false);
      const flag = innerFlag(f.item);
      const got = attrFlagsOf(v);
      for (const [k, item] of Object.entries(v)) {
        const t = Number(k);
        if (!Number.isInteger(t) || t < 0 || t > NLA_TYPE_MASK) throw new TypeError(`${what}: key "${k}" is not an attribute type`);
        enc(w, got?.get(t) ?? (t | flag), item, obj, up);
      }
      w.endNest(n);
    };
  },
  nested: () => true,
};

const intArray: FieldKind<Of<'int-array'>> = {
  decode(f, at, g) {
    const size = intSize(f.type) || 4;
    const out = g.local('out'), p = g.local('p');
    return `if ((${at.e} - ${at.s}) % ${size} === 0) {
    const ${out} = [];
    for (let ${p} = ${at.s}; ${p} < ${at.e}; ${p} += ${size}) ${out}.push(${intReadExpr(f.type, p, size)});
    ${at.v} = ${out};
  }`;
  },
  encoder(f, what) {
    const size = intSize(f.type) || 4;
    const t = f.type === 'uint' ? 'u32' : f.type === 'sint' ? 's32' : f.type;
    return (w, type, v) => {
      if (!Array.isArray(v)) throw new TypeError(`${what}: expected an array of integers`);
      const at = w.attrSpace(type, size * v.length);
      for (let i = 0; i < v.length; i++) writeInt(w.view, at + i * size, t, intValue(v[i], f.type, undefined, undefined, what));
    };
  },
};

const struct: FieldKind<Of<'struct'>> = {
  decode(f, at, g, reg) {
    return `${at.v} = ${g.ref('struct', reg.struct(f.struct))}.decode(buf, dv, ${at.s}, ${at.e});`;
  },
  encoder(f, what, reg) {
    const c = reg.struct(f.struct);
    return (w, type, v) => {
      if (!isObject(v)) throw new TypeError(`${what}: expected an object`);
      const o = v as { $tail?: Uint8Array; $len?: number };
      // A struct received shorter than declared ($len) or longer ($tail) re-encodes at that length.
      const n = o.$len !== undefined ? Math.min(o.$len, c.size) : c.size;
      const tail = o.$tail?.byteLength ?? 0;
      const at = w.attrSpace(type, n + tail);
      const tmp = new Uint8Array(c.size);
      c.write(new DataView(tmp.buffer), tmp, 0, v);
      const out = w.finish();
      out.set(tmp.subarray(0, n), at);
      if (o.$tail) out.set(o.$tail, at + n);
    };
  },
  member(f, _len, _what, reg) {
    const c = reg.struct(f.struct);
    return (dv, buf, at, v) => c.write(dv, buf, at, v as Record<string, unknown>);
  },
};

const subMessage: FieldKind<Of<'sub-message'>> = {
  decode(f, at, g, reg) {
    const cases = Object.entries(f.map).map(([k, sub]) => `case ${JSON.stringify(k)}: { ${decodeSource(sub, at, g, reg)} break; }`);
    return `switch (String(${g.ref('selectorValue', selectorValue)}(obj, up, ${JSON.stringify(f.selector)}))) {
    ${cases.join('\n    ')}
  }`;
  },
  encoder(f, what, reg) {
    const encs = new Map<string, Enc>();
    for (const [k, sub] of Object.entries(f.map)) encs.set(k, encoder(sub, `${what}(${k})`, reg));
    return (w, type, v, obj, up) => {
      const sel = selectorValue(obj, up, f.selector);
      const e = encs.get(String(sel));
      if (e) e(w, type, v, obj, up);
      else if (v instanceof Uint8Array) w.attr(type, v);
      else throw new TypeError(`${what}: no declaration for ${f.selector}=${String(sel)}; pass bytes`);
    };
  },
  nested(f) {
    const subs = Object.values(f.map);
    return subs.length > 0 && subs.every(isNested);
  },
};

const custom: FieldKind<Of<'custom'>> = {
  decode(f, at, g) {
    // A hand-written decoder that throws on bytes it does not accept leaves them raw.
    return `${at.v} = ${g.ref('customDecode', customDecode)}(${g.ref('codec', f.codec)}, buf, dv, ${at.s}, ${at.e});`;
  },
  encoder(f) {
    return (w, type, v) => w.attr(type, f.codec.encode(v));
  },
};

/** The definition of each field kind ('array' is a repeated attribute: see set.ts). */
const KINDS: { [K in Exclude<Field['kind'], 'array'>]: FieldKind<Of<K>> } = {
  int, string, binary, flag, mac, ipaddr, nest, 'nest-array': nestArray, 'indexed-array': indexedArray,
  'type-value': typeValue, 'int-array': intArray, struct, 'sub-message': subMessage, custom,
};

function kindOf(f: Field, what: string): FieldKind<Field> {
  if (f.kind === 'array') throw new TypeError(`${what}: nested array() is not supported; use nest-array`);
  return KINDS[f.kind] as FieldKind<Field>;
}

/** Generated source decoding field `f` at `at` (see Site). */
export function decodeSource(f: Field, at: Site, g: Gen, reg: Codecs): string {
  return kindOf(f, 'decode').decode(f, at, g, reg);
}

/** The attribute encoder of field `f`. */
export function encoder(f: Field, what: string, reg: Codecs): Enc {
  return kindOf(f, what).encoder(f, what, reg);
}

/** The writer of a struct member of kind `f` and `len` bytes. */
export function memberWriter(f: Field, len: number, what: string, reg: Codecs): Put {
  const k = kindOf(f, what);
  if (!k.member) throw new TypeError(`${what}: a struct cannot hold a ${f.kind}`);
  return k.member(f, len, what, reg);
}

/** True when a value of field `f` is a nest. */
export function isNested(f: Field): boolean {
  return f.kind !== 'array' && (kindOf(f, '').nested?.(f) ?? false);
}
