// What a nested decode or encode knows about where it is: the objects around it and its depth.
// It is passed down explicitly (a frame per nest), never kept in module state, so decoders are
// reentrant and the depth of hostile input is bounded.
import { WireError } from '../wire/index.js';

/**
 * How deep attribute sets may nest, in decoders and encoders. Real messages stay far below it:
 * the kernel refuses policies nested deeper than MAX_POLICY_RECURSION_DEPTH (10, lib/nlattr.c)
 * and the deepest messages in use nest about 6 levels (a tc filter's action options). Each
 * level costs a few stack frames, so 64 keeps every real message while hostile input (5,000
 * nests in 20 KB, or a cyclic object to encode) becomes an error instead of a stack overflow.
 */
export const MAX_DEPTH = 64;

/** One level of nesting: the object whose attribute is being decoded or encoded, and the frame around it. */
export interface Frame {
  /** The object that holds the nest (its attributes are the nest's siblings). */
  readonly obj: Record<string, unknown>;
  /** The frame of the object around `obj`, undefined at the top. */
  readonly up: Frame | undefined;
  /** Number of nests entered: 1 for a nest in a top-level set. */
  readonly depth: number;
}

/** A decoder returns NOFIT when the bytes do not match the declaration; the attribute is kept raw. */
export const NOFIT: unique symbol = Symbol('nofit');

/** Enters a nest while decoding; throws WireError (malformed input) past MAX_DEPTH. `at` is the nest's offset. */
export function enterDecode(obj: Record<string, unknown>, up: Frame | undefined, at: number): Frame {
  const depth = up === undefined ? 1 : up.depth + 1;
  if (depth > MAX_DEPTH) throw new WireError(`attributes nested more than ${MAX_DEPTH} levels deep`, at);
  return { obj, up, depth };
}

/** Enters a nest while encoding; throws TypeError past MAX_DEPTH (a cycle, or a value no kernel accepts). */
export function enterEncode(obj: Record<string, unknown>, up: Frame | undefined, what: string): Frame {
  const depth = up === undefined ? 1 : up.depth + 1;
  if (depth > MAX_DEPTH) throw new TypeError(`${what}: value nested more than ${MAX_DEPTH} levels deep (a cycle?)`);
  return { obj, up, depth };
}

/**
 * A sub-message's selector: a sibling attribute, else one of an enclosing set (YNL semantics,
 * e.g. tc's stats "app" chosen by the qdisc's "kind").
 */
export function selectorValue(obj: Record<string, unknown>, up: Frame | undefined, selector: string): unknown {
  let v = obj[selector];
  for (let f = up; v === undefined && f !== undefined; f = f.up) v = f.obj[selector];
  return v;
}

/**
 * Non-enumerable record, on a decoded object, array or map, of nla_type bits that differ from
 * what encoding would write (NLA_F_NESTED as the kernel sent it, an array entry's type): by
 * property name in attribute sets, by index in nest-arrays and indexed-arrays, by type in
 * type-value maps. Encoders write these instead, so bytes round-trip.
 */
export const ATTR_FLAGS: unique symbol = Symbol('nlkit.attrFlags');

/** The ATTR_FLAGS record of a decoded value, if it has one. */
export function attrFlagsOf(v: unknown): Map<string | number, number> | undefined {
  return typeof v === 'object' && v !== null ? (v as { [ATTR_FLAGS]?: Map<string | number, number> })[ATTR_FLAGS] : undefined;
}

/** Attaches an ATTR_FLAGS record (generated decoders call this). */
export function setAttrFlags<T extends object>(v: T, flags: Map<string | number, number>): T {
  Object.defineProperty(v, ATTR_FLAGS, { value: flags, enumerable: false, configurable: true });
  return v;
}
