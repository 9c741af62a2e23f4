// Declarations: what a family's attribute sets, structs, enums and flags are. Data only; the
// engine (kinds.ts and the generators beside it) turns them into codecs.

/** 64-bit integers decode to a number when exact, else to a bigint. */
export type U64 = number | bigint;

/** Integer wire types. `be` variants are big-endian (network order); `uint`/`sint` are 4 or 8 bytes (YNL). */
export type IntType =
  | 'uint' | 'sint' | 'u8' | 'u16' | 'u32' | 'u64' | 's8' | 's16' | 's32' | 's64'
  | 'u16be' | 'u32be' | 'u64be' | 's16be' | 's32be';

/** An enumeration: names for integer values. Unknown values decode to the number itself. */
export interface EnumSpec<N extends string = string> {
  readonly name: string;
  /** Value by name. */
  readonly values: Readonly<Record<N, number>>;
}

/** Bit flags: names for bits (values are masks). Unknown bits decode as one leftover number. */
export interface FlagsSpec<N extends string = string> {
  readonly name: string;
  /** Mask by name. */
  readonly bits: Readonly<Record<N, number>>;
}

/** One field of a fixed struct (ifinfomsg, rtmsg, rtnl_link_stats64, …). */
export interface StructField {
  readonly name: string;
  /** An integer type, 'pad' (skipped, zero on encode), 'binary' / 'mac' / 'ip4' / 'ip6' / 'ipaddr' with `len`. */
  readonly type: IntType | 'pad' | 'binary' | 'mac' | 'ip4' | 'ip6' | 'ipaddr' | 'string';
  /** Byte length for non-integer types. */
  readonly len?: number;
  readonly enum?: EnumSpec;
  readonly flags?: FlagsSpec;
  /** For 'binary': the bytes are this nested struct (as YNL says it), decoded to an object; `len` is its size. */
  readonly struct?: StructSpec;
}

/** A fixed struct; its size is the sum of its fields. */
export interface StructSpec {
  readonly name: string;
  readonly fields: readonly StructField[];
}

/** Field kinds an attribute value can have. The phantom `_t` carries the decoded TS type. */
export type Field<T = unknown> =
  | IntField<T>
  | { readonly kind: 'string'; readonly _t?: T }
  | { readonly kind: 'binary'; readonly _t?: T }
  | { readonly kind: 'flag'; readonly _t?: T }
  | { readonly kind: 'mac'; readonly _t?: T }
  | { readonly kind: 'ipaddr'; readonly _t?: T }
  | { readonly kind: 'nest'; readonly set: () => AttributeSet; readonly header?: StructSpec; readonly _t?: T }
  | { readonly kind: 'nest-array'; readonly set: () => AttributeSet; readonly _t?: T }
  | { readonly kind: 'indexed-array'; readonly item: Field; readonly _t?: T }
  | { readonly kind: 'type-value'; readonly item: Field; readonly key?: string; readonly _t?: T }
  | { readonly kind: 'array'; readonly item: Field; readonly _t?: T }
  | { readonly kind: 'int-array'; readonly type: IntType; readonly _t?: T }
  | { readonly kind: 'struct'; readonly struct: StructSpec; readonly _t?: T }
  | { readonly kind: 'sub-message'; readonly selector: string; readonly map: Readonly<Record<string, Field>>; readonly _t?: T }
  | { readonly kind: 'custom'; readonly codec: CustomCodec<T>; readonly _t?: T };

/**
 * A field of an attribute the kernel puts in every message of its set (checked against the
 * kernel's fill function, e.g. rtnl_fill_ifinfo for IFLA_IFNAME): decoded objects have it, so
 * its property is not optional in the decoded type. Codecs ignore the mark.
 */
export type Always<F> = F & { readonly always: true };

/** An integer attribute, optionally named by an enum or split into flag names. */
export interface IntField<T = unknown> {
  readonly kind: 'int';
  readonly type: IntType;
  readonly enum?: EnumSpec;
  readonly flags?: FlagsSpec;
  readonly _t?: T;
}

/** Escape hatch for values data cannot describe (e.g. rtnexthop lists). */
export interface CustomCodec<T> {
  decode(buf: Uint8Array, view: DataView, start: number, end: number): T;
  encode(value: T): Uint8Array;
}

/** One attribute: its type number, property name and value field. */
export interface AttrDecl {
  readonly type: number;
  readonly name: string;
  readonly field: Field;
}

/** A named set of attributes. `nestedFlag` sets NLA_F_NESTED on nests it encodes (genl: yes; rtnetlink: no). */
export interface AttributeSet<T = Record<string, unknown>> {
  readonly name: string;
  readonly attrs: readonly AttrDecl[];
  readonly nestedFlag: boolean;
  readonly _t?: T;
}

/** An attribute kept as bytes because no declaration matched it (or its length did not fit). */
export interface UnknownAttr {
  /** nla_type as received, flag bits included. */
  type: number;
  /** The value bytes. */
  bytes: Uint8Array;
  /** Position among all attributes of the run, so re-encoding keeps the original order. */
  at: number;
}

/** Properties every decoded attribute object may carry besides its declared attributes. */
export interface Extras {
  /** Attributes kept as bytes. */
  $unknown?: UnknownAttr[];
}

/** Extras of a decoded struct. */
export interface StructExtras {
  /** Bytes past the declared struct (a newer kernel's longer struct). */
  $tail?: Uint8Array;
  /** The received length when shorter than declared (fields past it are absent). */
  $len?: number;
}
