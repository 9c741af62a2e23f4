// Builders for declarations. They only make data (see types.ts) and carry the decoded
// TypeScript type along, so `Decoded<typeof linkAttrs>` is the type a decoder returns.
import type {
  Always, AttrDecl, AttributeSet, CustomCodec, EnumSpec, Extras, Field, FlagsSpec, IntField, IntType, StructExtras,
  StructField, StructSpec, U64,
} from './types.js';

/** The decoded TypeScript type of a field or attribute set. */
export type Decoded<X> = X extends AttributeSet<infer T> ? T : X extends Field<infer T> ? T : never;

type IntT<T extends IntType> = T extends 'u64' | 's64' | 'u64be' | 'uint' | 'sint' ? U64 : number;

/** Declares an enum. */
export function enumSpec<const N extends string>(name: string, values: Record<N, number>): EnumSpec<N> {
  return { name, values };
}

/** Declares bit flags (values are masks). */
export function flagsSpec<const N extends string>(name: string, bits: Record<N, number>): FlagsSpec<N> {
  return { name, bits };
}

/** An integer attribute; with an enum it decodes to names, with flags to name lists. */
export function int<T extends IntType>(type: T): IntField<IntT<T>>;
export function int<T extends IntType, N extends string>(type: T, o: { enum: EnumSpec<N> }): IntField<N | number>;
export function int<T extends IntType, N extends string>(type: T, o: { flags: FlagsSpec<N> }): IntField<(N | number)[]>;
export function int(type: IntType, o: { enum?: EnumSpec; flags?: FlagsSpec } = {}): IntField<unknown> {
  return { kind: 'int', type, ...(o.enum ? { enum: o.enum } : {}), ...(o.flags ? { flags: o.flags } : {}) };
}

/** Shorthands for plain integers. */
export const u8 = (): IntField<number> => int('u8');
export const u16 = (): IntField<number> => int('u16');
export const u32 = (): IntField<number> => int('u32');
export const u64 = (): IntField<U64> => int('u64');
export const s32 = (): IntField<number> => int('s32');
export const uint = (): IntField<U64> => int('uint');

/** A NUL-terminated string. */
export const string = (): Field<string> => ({ kind: 'string' });
/** Raw bytes. */
export const binary = (): Field<Uint8Array> => ({ kind: 'binary' });
/** A flag: present (true) or absent. */
export const flag = (): Field<true> => ({ kind: 'flag' });
/** A hardware address as "aa:bb:cc:dd:ee:ff". */
export const mac = (): Field<string> => ({ kind: 'mac' });
/** An IPv4 or IPv6 address as text, by length. */
export const ipaddr = (): Field<string> => ({ kind: 'ipaddr' });

type SetOrThunk<T> = AttributeSet<T> | (() => AttributeSet<T>);
const thunk = <T>(s: SetOrThunk<T>): (() => AttributeSet<T>) => (typeof s === 'function' ? s : () => s);

/**
 * A nested attribute set. Pass a function to refer to a set declared later. With `header`, the
 * nest starts with that fixed struct (YNL's sub-message fixed-header) whose fields decode into
 * the same object as the attributes.
 */
export function nest<T>(set: SetOrThunk<T>, opts: { header?: StructSpec } = {}): Field<T> {
  return { kind: 'nest', set: thunk(set) as () => AttributeSet, ...(opts.header ? { header: opts.header } : {}) };
}
/**
 * A whole message in one attribute: the fixed header `header`, then the attributes of `set`,
 * decoded into one object like a flat message (the veth peer: ifinfomsg + IFLA_*). It is a
 * nest that starts with a header.
 */
export function message<H, T>(header: StructSpec & { _t?: H }, set: SetOrThunk<T>): Field<Partial<H> & T & StructExtras> {
  return { kind: 'nest', set: thunk(set) as () => AttributeSet, header };
}
/** A nest of nests numbered 1..n, each of the same set (an indexed array). */
export function nestArray<T>(set: SetOrThunk<T>): Field<T[]> {
  return { kind: 'nest-array', set: thunk(set) as () => AttributeSet };
}
/**
 * A nest of attributes numbered 1..n whose values all have the field `item` (YNL's
 * indexed-array with a scalar, binary or nest sub-type); decodes to an array, indexes dropped.
 */
export function indexedArray<T>(item: Field<T>): Field<T[]> {
  return { kind: 'indexed-array', item: item as Field };
}
/**
 * A nest whose attribute types are keys, not names (YNL's nest-type-value), e.g. nlctrl's
 * policy index -> attribute type -> policy. Decodes to an object keyed by the type numbers.
 */
export function typeValue<T>(item: Field<T>, key?: string): Field<Record<number, T>> {
  // `key` is what the type numbers mean (YNL's type-value names: 'policy-id', 'attr-id'), for printing.
  return key === undefined ? { kind: 'type-value', item: item as Field } : { kind: 'type-value', item: item as Field, key };
}
/** An attribute that may repeat; all occurrences decode into an array. */
export function array<T>(item: Field<T>): Field<T[]> {
  return { kind: 'array', item: item as Field };
}
/** A packed array of integers in one attribute. */
export function intArray<T extends IntType>(type: T): Field<IntT<T>[]> {
  return { kind: 'int-array', type };
}
/** A fixed struct inside an attribute. */
export function struct<T>(spec: StructSpec & { _t?: T }): Field<T & StructExtras> {
  return { kind: 'struct', struct: spec };
}
/** A value whose declaration is chosen by a sibling attribute's decoded value (e.g. IFLA_INFO_DATA by IFLA_INFO_KIND). */
export function subMessage<M extends Record<string, Field>>(selector: string, map: M): Field<Decoded<M[keyof M]> | Uint8Array> {
  return { kind: 'sub-message', selector, map };
}
/** A value with hand-written codec, for what data cannot say. */
export function custom<T>(codec: CustomCodec<T>): Field<T> {
  return { kind: 'custom', codec };
}

/**
 * Marks an attribute the kernel sends in every message of its set (say which fill function
 * shows it): its decoded property is not optional. Only for what the kernel always sends.
 */
export function always<F extends Field<any>>(field: F): Always<F> {
  return { ...field, always: true };
}

type DeclMap = Record<string, readonly [number, Field<any>]>;
type FieldType<F> = F extends Field<infer T> ? T : never;
type AlwaysKeys<D extends DeclMap> = { [K in keyof D]: D[K][1] extends { always: true } ? K : never }[keyof D];
type SetType<D extends DeclMap> =
  & { -readonly [K in Exclude<keyof D, AlwaysKeys<D>>]?: FieldType<D[K][1]> }
  & { -readonly [K in AlwaysKeys<D>]: FieldType<D[K][1]> }
  & Extras;

/**
 * Declares an attribute set: property name -> [attribute type, field]. Property order is the
 * order attributes are encoded in.
 */
export function attrs<const D extends DeclMap>(name: string, decl: D, opts: { nestedFlag?: boolean } = {}): AttributeSet<SetType<D>> {
  const list: AttrDecl[] = Object.entries(decl).map(([n, [type, field]]) => ({ type, name: n, field }));
  return { name, attrs: list, nestedFlag: opts.nestedFlag ?? false };
}

type StructFieldType<F extends StructField> = F extends { struct: StructSpec }
  ? Record<string, unknown>
  : F['type'] extends 'binary'
  ? Uint8Array
  : F['type'] extends 'mac' | 'ip4' | 'ip6' | 'ipaddr' | 'string'
    ? string
    : F['type'] extends 'pad'
      ? never
      : F extends { enum: EnumSpec<infer N> }
        ? N | number
        : F extends { flags: FlagsSpec<infer N> }
          ? (N | number)[]
          : F['type'] extends 'u64' | 's64' | 'u64be' ? U64 : number;

type StructType<F extends readonly StructField[]> = {
  [E in F[number] as E['type'] extends 'pad' ? never : E['name']]: StructFieldType<E>;
};

/** Declares a fixed struct from its fields in wire order. */
export function structSpec<const F extends readonly StructField[]>(name: string, fields: F): StructSpec & { _t?: StructType<F> } {
  return { name, fields };
}
