// Fixed structs (ifinfomsg, rtmsg, rtnl_link_stats64, …): a generated decoder whose members
// are decoded by their field kinds, and a writer. A struct received shorter than declared keeps
// what arrived and its length ($len); a longer one keeps the extra bytes ($tail).
import type { MessageWriter } from '../wire/index.js';
import { Gen, build, prop } from './codegen.js';
import { BASE_ENV, decodeSource, memberWriter, type Put } from './kinds.js';
import { structLayout, type Layout } from './layout.js';
import type { Codecs } from './registry.js';
import type { StructSpec } from './types.js';

/** A compiled struct. */
export interface StructCodec<T> {
  readonly spec: StructSpec;
  /** Declared size in bytes. */
  readonly size: number;
  /** Decodes the struct from `start` to `end` of `buf` (shorter: $len; longer: $tail). */
  decode(buf: Uint8Array, view: DataView, start: number, end: number): T;
  /** Writes the struct at `at` in the writer's buffer (which must have `size` bytes reserved). */
  write(view: DataView, buf: Uint8Array, at: number, value: Partial<T>): void;
  /** Appends the struct (with any $tail) to the writer. */
  encode(w: MessageWriter, value: Partial<T>): void;
}

/**
 * Generated statements decoding each member of `layout` from offset expression `base` into
 * `target(name)` (a property of the object being built), in member order.
 */
export function memberSource(layout: Layout, base: string, target: (name: string) => string, g: Gen, reg: Codecs): string[] {
  const out: string[] = [];
  for (const m of layout) {
    if (!m.field || m.size === 0) continue;
    const s = `${base} + ${m.at}`;
    out.push(decodeSource(m.field, { s, e: `${s} + ${m.size}`, v: target(m.f.name), len: m.size }, g, reg));
  }
  return out;
}

/** Compiles a struct declaration (use a registry's `struct`, which caches). */
export function newStructCodec<T>(spec: StructSpec, reg: Codecs): StructCodec<T> {
  const layout = structLayout(spec);
  const last = layout[layout.length - 1];
  const size = last ? last.at + last.size : 0;
  let puts: (Put | undefined)[] | undefined;
  const codec: StructCodec<T> = {
    spec,
    size,
    // Generated on first use: a codec compiled only to encode, or only as part of a flat
    // message decoder, never pays for it.
    decode(buf, dv, start, end) {
      codec.decode = genStructDecoder<T>(layout, size, reg);
      return codec.decode(buf, dv, start, end);
    },
    write(dv, buf, at, value) {
      puts ??= layout.map((m) => (m.field && m.size ? memberWriter(m.field, m.size, `${spec.name}.${m.f.name}`, reg) : undefined));
      const v = value as Record<string, unknown>;
      for (let i = 0; i < layout.length; i++) {
        const put = puts[i];
        if (put === undefined) continue;
        const m = layout[i]!;
        const x = v[m.f.name];
        if (x !== undefined) put(dv, buf, at + m.at, x);
      }
    },
    encode(w, value) {
      const v = value as Record<string, unknown> & { $tail?: Uint8Array; $len?: number };
      const n = v.$len !== undefined ? Math.min(v.$len, size) : size;
      const at = w.reserve(n + (v.$tail?.byteLength ?? 0));
      const tmp = new Uint8Array(size);
      codec.write(new DataView(tmp.buffer), tmp, 0, value);
      const out = w.finish();
      out.set(tmp.subarray(0, n), at);
      if (v.$tail) out.set(v.$tail, at + n);
      // reserve() aligned to 4; a struct of unaligned size inside an attribute is fine, the
      // attribute header carries the exact length.
    },
  };
  return codec;
}

/**
 * The generated decoder of a struct: members set by a constructor (V8 sizes the objects a
 * constructor makes after the first few; its prototype is Object.prototype, so they stay plain
 * objects), and for a struct shorter than declared, the members that arrived, then $len.
 */
function genStructDecoder<T>(layout: Layout, size: number, reg: Codecs): StructCodec<T>['decode'] {
  const g = new Gen({ ...BASE_ENV });
  const full = memberSource(layout, 's', (n) => `this${prop(n)}`, g, reg);
  const short: string[] = [];
  for (const m of layout) {
    short.push(`if (len < ${m.at + m.size}) { o.$len = len; return o; }`);
    if (m.field && m.size) short.push(...memberSource([m], 's', (n) => `o${prop(n)}`, g, reg));
  }
  return build(g.env, `const Struct = function Struct(buf, dv, s) {
  ${full.join('\n  ')}
};
Struct.prototype = Object.prototype;
function decodeShort(buf, dv, s, e) {
  const o = {}, len = e - s;
  ${short.join('\n  ')}
  return o;
}
return function decodeStruct(buf, dv, s, e) {
  if (e - s < ${size}) return decodeShort(buf, dv, s, e);
  const o = new Struct(buf, dv, s);
  if (e - s > ${size}) o.$tail = buf.slice(s + ${size}, e);
  return o;
};`);
}
