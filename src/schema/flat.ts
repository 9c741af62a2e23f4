// Flat message decoders: a fixed header's members and the attributes after it decoded into ONE
// object by one generated function. FlatMessageCodec (message.ts) decodes whole netlink
// messages with it, and a field holding a whole message (a nest with a header, e.g. the veth
// peer) decodes the same way.
import { HOST_LE, NLMSG_HDRLEN, align4 } from '../wire/index.js';
import { Gen, build, prop } from './codegen.js';
import type { Frame } from './context.js';
import { BASE_ENV } from './kinds.js';
import { structLayout, structSize } from './layout.js';
import type { Codecs } from './registry.js';
import { setWalkSource } from './set.js';
import { memberSource } from './struct.js';
import type { AttributeSet, StructSpec } from './types.js';

/** A flat message decoder: header and attributes from `start` to `end` of `buf` in one object; `up` when it is nested. */
export type FlatDecode = (buf: Uint8Array, dv: DataView, start: number, end: number, up?: Frame) => Record<string, unknown>;

/** Decodes the netlink messages starting at `offsets` of `buf` (header included) and appends them to `out`. */
export type FlatDecodeAll = (buf: Uint8Array, dv: DataView, offsets: readonly number[], out: unknown[]) => void;

/**
 * Generates the decoders of a flat message: the header's members set by one constructor, the
 * set's attributes added to the object, then `after` (generated source using obj, buf, dv, hs
 * (header start) and he (header end); what it refers to in `afterEnv`), all in one function;
 * and a loop over the messages of a datagram calling it. A header shorter than declared goes
 * to `slow`.
 */
export function genFlatDecoder(header: StructSpec, set: AttributeSet<unknown>, after: string, afterEnv: Record<string, unknown>, slow: FlatDecode, reg: Codecs): { one: FlatDecode; all: FlatDecodeAll } {
  const size = structSize(header);
  const g = new Gen({ ...afterEnv, ...BASE_ENV, slow });
  const fields = memberSource(structLayout(header), 'hs', (n) => `this${prop(n)}`, g, reg);
  const walk = setWalkSource(set, g, reg);
  // The header's members are set by a constructor rather than an object literal: V8 sizes the
  // objects a constructor makes after the first few, attributes included, so a decoded message
  // holds all its properties in one allocation (a literal's object grows a second store for
  // the attributes). Its prototype is Object.prototype: the objects stay plain objects.
  const one = build<FlatDecode>(g.env, `const Flat = function Flat(buf, dv, hs) {
  ${fields.join('\n  ')}
};
Flat.prototype = Object.prototype;
return function decodeFlat(buf, dv, hs, end, up) {
  if (end - hs < ${size}) return slow(buf, dv, hs, end, up);
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
