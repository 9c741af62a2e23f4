// The codec registry: compiles each declaration once (structs, attribute sets, whole messages)
// and hands the compiled codecs to the code generators that refer to them. It is passed to
// them explicitly; compileSet and compileStruct use the default one.
import { align4 } from '../wire/index.js';
import type { Frame } from './context.js';
import { genFlatDecoder } from './flat.js';
import { newSetCodec, type SetCodec } from './set.js';
import { newStructCodec, type StructCodec } from './struct.js';
import type { AttributeSet, StructSpec } from './types.js';

/** A decoder of a whole message held in a field: header members and attributes in one object. */
export interface MessageDecoder {
  /** Decodes from `start` to `end` of `buf`; `up` is the frame of the object holding the field. */
  decode(buf: Uint8Array, dv: DataView, start: number, end: number, up?: Frame): Record<string, unknown>;
}

/** What code generators ask for: the compiled codec of a declaration. */
export interface Codecs {
  /** The codec of an attribute set. */
  set<T>(set: AttributeSet<T>): SetCodec<T>;
  /** The codec of a fixed struct. */
  struct<T>(spec: StructSpec): StructCodec<T>;
  /** The decoder of a whole message held in a field: `header`, then the attributes of `set`. */
  message(header: StructSpec, set: AttributeSet<unknown>): MessageDecoder;
}

/** Compiled codecs by declaration object (recursion through thunks is fine: a codec is cached before it is used). */
export class Registry implements Codecs {
  private readonly sets = new WeakMap<AttributeSet<unknown>, SetCodec<unknown>>();
  private readonly structs = new WeakMap<StructSpec, StructCodec<unknown>>();
  private readonly messages = new WeakMap<StructSpec, WeakMap<AttributeSet<unknown>, MessageDecoder>>();

  /** The codec of an attribute set, compiled on first request. */
  set<T>(set: AttributeSet<T>): SetCodec<T> {
    let c = this.sets.get(set as AttributeSet<unknown>);
    if (!c) {
      c = newSetCodec(set as AttributeSet<unknown>, this);
      this.sets.set(set as AttributeSet<unknown>, c);
    }
    return c as SetCodec<T>;
  }

  /** The codec of a fixed struct, compiled on first request. */
  struct<T>(spec: StructSpec): StructCodec<T> {
    let c = this.structs.get(spec);
    if (!c) {
      c = newStructCodec(spec, this);
      this.structs.set(spec, c);
    }
    return c as StructCodec<T>;
  }

  /** The decoder of a whole message in a field (header and attributes), generated on first use. */
  message(header: StructSpec, set: AttributeSet<unknown>): MessageDecoder {
    let bySet = this.messages.get(header);
    if (!bySet) this.messages.set(header, (bySet = new WeakMap()));
    let m = bySet.get(set);
    if (!m) {
      const reg = this;
      const dec: MessageDecoder = {
        // Generated on first use (the set may be the one being generated: the link set holds
        // the veth peer, a whole link message).
        decode(buf, dv, start, end, up) {
          const h = reg.struct<Record<string, unknown>>(header);
          const attrs = reg.set(set);
          const slow = (b: Uint8Array, v: DataView, s: number, e: number, u?: Frame) => {
            const obj = h.decode(b, v, s, Math.min(s + h.size, e));
            attrs.decode(b, v, s + align4(h.size), e, obj, u);
            return obj;
          };
          dec.decode = genFlatDecoder(header, set, '', {}, slow, reg).one;
          return dec.decode(buf, dv, start, end, up);
        },
      };
      bySet.set(set, (m = dec));
    }
    return m;
  }
}

/** The registry compileSet, compileStruct and FlatMessageCodec use. */
export const registry = new Registry();

/** Compiles an attribute set (once per declaration object). */
export function compileSet<T>(set: AttributeSet<T>): SetCodec<T> {
  return registry.set(set);
}

/** Compiles a struct declaration (once per declaration object). */
export function compileStruct<T = Record<string, unknown>>(spec: StructSpec): StructCodec<T> {
  return registry.struct(spec);
}
