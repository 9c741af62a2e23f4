// Attribute sets: the generated walk that decodes a run of attributes into an object (a switch
// on the attribute type, each case the source its field kind emits), and the encoder. Decoding
// is lossless: what does not fit its declaration is kept as bytes with its position, so
// encode(decode(x)) reproduces x byte for byte.
import { NLA_F_NESTED, HOST_LE, type MessageWriter } from '../wire/index.js';
import { Gen, build, prop } from './codegen.js';
import { ATTR_FLAGS, type Frame } from './context.js';
import { BASE_ENV, decodeSource, encoder, isNested, type Enc } from './kinds.js';
import type { Codecs } from './registry.js';
import type { AttributeSet, Field, UnknownAttr } from './types.js';

/** Flag bits (NLA_F_NESTED / NLA_F_NET_BYTEORDER) that differed from what encoding would set, by property name (see context.ts). */
export { ATTR_FLAGS };

/** A compiled attribute set. */
export interface SetCodec<T> {
  readonly set: AttributeSet<T>;
  /**
   * Decodes attributes from start to end of `buf`. Malformed bytes are kept as unknown; only
   * nesting deeper than MAX_DEPTH throws (a WireError). With `into`, attributes are added to
   * that object (a family header decoded first, for flat message objects); its existing
   * properties must not be attribute names. `up` is the frame of the enclosing object, for a
   * nest (see context.ts).
   */
  decode(buf: Uint8Array, view: DataView, start: number, end: number, into?: object, up?: Frame): T;
  /**
   * Appends the attributes of `value` to the writer, skipping the property names in `skip`
   * (a flat object's header fields). Throws TypeError on a value that does not fit its
   * declaration or nests deeper than MAX_DEPTH. `up` is the enclosing object's frame.
   */
  encode(w: MessageWriter, value: T, skip?: ReadonlySet<string>, up?: Frame): void;
}

/** One declared attribute as the walk and the encoder see it. */
interface Entry {
  type: number;
  name: string;
  /** The value's field (the item of an array()). */
  field: Field;
  /** Declared with array(): every occurrence is kept, in an array. */
  repeated: boolean;
  /** A sub-message, decoded after the walk (its selector may come later in the run). */
  deferred: boolean;
  /** Flag bits encoding sets and decoding expects (NLA_F_NESTED on nests of sets that ask for it). */
  expected: number;
}

function entriesOf(set: AttributeSet<unknown>): Entry[] {
  const byName = new Map<string, Entry>();
  for (const a of set.attrs) {
    const repeated = a.field.kind === 'array';
    const field = repeated ? (a.field as { item: Field }).item : a.field;
    byName.set(a.name, {
      type: a.type, name: a.name, field, repeated, deferred: field.kind === 'sub-message',
      expected: set.nestedFlag && isNested(field) ? NLA_F_NESTED : 0,
    });
  }
  return [...byName.values()];
}

/** Compiles an attribute set (use a registry's `set`, which caches; recursion through thunks is fine). */
export function newSetCodec<T>(set: AttributeSet<T>, reg: Codecs): SetCodec<T> {
  const entries = entriesOf(set as AttributeSet<unknown>);
  const byName = new Map<string, { ent: Entry; enc: Enc }>();
  for (const ent of entries) byName.set(ent.name, { ent, enc: encoder(ent.field, `${set.name}.${ent.name}`, reg) });
  const codec: SetCodec<T> = {
    set,
    // Generated on first use, like a struct's decoder.
    decode(buf, dv, start, end, into, up) {
      codec.decode = genSetDecoder<T>(set as AttributeSet<unknown>, reg);
      return codec.decode(buf, dv, start, end, into, up);
    },
    encode(w, value, skip, up) {
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
        const hit = byName.get(key);
        if (!hit) throw new TypeError(`${set.name}: unknown attribute "${key}" (known: ${[...byName.keys()].join(', ')})`);
        const { ent, enc } = hit;
        const f = flags?.get(key);
        const type = f !== undefined ? ent.type | f : ent.type | ent.expected;
        const n = ent.repeated && Array.isArray(v) ? v.length : 1;
        for (let j = 0; j < n; j++) {
          // Unknown attributes go back to the positions they were received at.
          while (ui < nu && unknown![ui]!.at >= 0 && unknown![ui]!.at <= idx) {
            emitUnknown(w, unknown![ui++]!);
            idx++;
          }
          enc(w, type, ent.repeated && Array.isArray(v) ? v[j] : v, obj, up);
          idx++;
        }
      }
      while (ui < nu) emitUnknown(w, unknown![ui++]!);
    },
  };
  return codec;
}

function emitUnknown(w: MessageWriter, u: UnknownAttr): void {
  if (u.type === -1) {
    // A malformed tail, verbatim and unpadded: padding would make it whole attributes on the
    // next decode. The enclosing nest's (or message's) length ends with it, as received.
    const at = w.bytes(u.bytes);
    w.truncate(at + u.bytes.byteLength);
  } else w.attr(u.type, u.bytes);
}

/** Generates a set's decoder: a switch on the attribute type with scalar reads inlined. */
function genSetDecoder<T>(set: AttributeSet<unknown>, reg: Codecs): SetCodec<T>['decode'] {
  const g = new Gen({ ...BASE_ENV });
  const walk = setWalkSource(set, g, reg);
  return build(g.env, `return function decodeSet(buf, dv, start, end, into, up) {
  const obj = into === undefined ? {} : into;
  ${walk}
  return obj;
};`);
}

/**
 * Generated source that adds the attributes from `start` to `end` of `buf` to `obj` (whose
 * frame is `up`): a switch on the attribute type, each case the source of its field kind;
 * what does not fit is kept in $unknown.
 */
export function setWalkSource(set: AttributeSet<unknown>, g: Gen, reg: Codecs): string {
  const entries = entriesOf(set);
  Object.assign(g.env, {
    ATTR_FLAGS, NAMES: entries.map((e) => e.name), EXPECTED: entries.map((e) => e.expected),
  });
  const cases: string[] = [];
  const later: string[] = [];
  entries.forEach((ent, i) => {
    const P = prop(ent.name);
    const compute = decodeSource(ent.field, { s: 's', e: 'e', v: 'v' }, g, reg);
    // Each case leaves the value in v (NOFIT: kept raw) and its entry in k; the flag bits are
    // checked once after the switch, which keeps the generated function small (it is
    // optimised sooner and faster).
    if (ent.deferred) {
      cases.push(`case ${ent.type}: if (!(${JSON.stringify(ent.name)} in obj)) { (deferred ??= []).push(${i}, s, e, raw, idx); obj${P} = undefined; v = null; } break;`);
      later.push(`case ${i}: { ${compute} break; }`);
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
    if (len < 4 || len > limit - pos) break;
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
  // What follows the last whole attribute (a length that runs past the end, a fragment shorter
  // than a header) is kept verbatim, to be re-encoded as received.
  if (pos < limit) (unknown ??= []).push({ type: -1, bytes: buf.slice(pos, limit), at: idx });${later.length ? `
  if (deferred !== undefined) {
    for (let d = 0; d < deferred.length; d += 5) {
      const i = deferred[d], s = deferred[d + 1], e = deferred[d + 2], raw = deferred[d + 3], at = deferred[d + 4];
      const name = NAMES[i];
      let v = NOFIT;
      switch (i) {
        ${later.join('\n        ')}
      }
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
  }` : ''}
  if (unknown !== undefined) obj.$unknown = unknown;
  if (flags !== undefined) Object.defineProperty(obj, ATTR_FLAGS, { value: flags, enumerable: false });`;
}
