// Attribute validation policies as the kernel declares them (struct nla_policy), as data.
//
// A Policy is the kernel's `const struct nla_policy foo_policy[MAX + 1]` together with its
// maxtype. Each attribute type maps to an AttrPolicy: the NLA_* type, the kernel's `.len`
// (whose meaning depends on the type, exactly as in include/net/netlink.h) and an optional
// range (NLA_POLICY_RANGE / _MIN / _MAX, which for NLA_BINARY bound the length).

/** The kernel's NLA_* policy types that the server validates. */
export type NlaType =
  | 'unspec'
  | 'u8' | 'u16' | 'u32' | 'u64'
  | 's8' | 's16' | 's32' | 's64'
  | 'uint' | 'sint'
  | 'be16' | 'be32'
  | 'msecs'
  | 'bitfield32'
  | 'string' | 'nul-string' | 'binary' | 'flag'
  | 'nested' | 'nested-array'
  | 'reject';

/** One attribute's policy (struct nla_policy). */
export interface AttrPolicy {
  /** NLA_* type. */
  readonly type: NlaType;
  /**
   * The kernel's `.len`: for 'string'/'nul-string' the maximum length without the NUL, for
   * 'binary' the maximum length (failure: "Attribute failed policy validation"), for 'unspec'
   * the minimum length. Unused for integers and flags; nests take theirs from `nested`.
   */
  readonly len?: number;
  /** Lower bound: the value for integers, the length for 'binary' (NLA_VALIDATE_MIN/RANGE). */
  readonly min?: number | bigint;
  /** Upper bound: the value for integers, the length for 'binary' (NLA_VALIDATE_MAX/RANGE). */
  readonly max?: number | bigint;
  /**
   * NLA_VALIDATE_MASK (NLA_POLICY_MASK): the bits an unsigned integer may have set; others are
   * "reserved bit set" (EINVAL). Replaces min/max, as the kernel's validation_type is one of them.
   */
  readonly mask?: number | bigint;
  /** For 'bitfield32': the valid bits of value and selector (NLA_POLICY_BITFIELD32). */
  readonly bitfield32Valid?: number;
  /** The policy of the attributes inside a 'nested' attribute or each 'nested-array' entry. */
  readonly nested?: Policy;
  /** For 'reject': the extended-ACK message sent back (NLA_POLICY_REJECT's reject_message). */
  readonly rejectMessage?: string;
}

/** A policy table: attribute type -> AttrPolicy, plus maxtype (types above it are unknown). */
export interface Policy {
  /** Highest attribute type the policy covers (the array is maxtype + 1 long in C). */
  readonly maxtype: number;
  /** Policies by attribute type; absent types behave as NLA_UNSPEC with len 0. */
  readonly attrs: ReadonlyMap<number, AttrPolicy>;
}

/**
 * Declares a policy from `{ [type]: AttrPolicy }`. maxtype defaults to the highest declared
 * type, like `ARRAY_SIZE(policy) - 1` for a designated-initializer table.
 */
export function definePolicy(attrs: Readonly<Record<number, AttrPolicy>>, maxtype?: number): Policy {
  const map = new Map<number, AttrPolicy>();
  let highest = 0;
  for (const [k, v] of Object.entries(attrs)) {
    const t = Number(k);
    if (!Number.isInteger(t) || t <= 0 || t > 0x3fff) throw new RangeError(`policy attribute type ${k} is not in 1..16383`);
    map.set(t, v);
    if (t > highest) highest = t;
  }
  const max = maxtype ?? highest;
  if (max < highest) throw new RangeError(`maxtype ${max} is below declared attribute type ${highest}`);
  return { maxtype: max, attrs: map };
}

/** Options of integer policies: an inclusive range (NLA_POLICY_RANGE, _MIN or _MAX). */
export interface IntRange {
  min?: number | bigint;
  max?: number | bigint;
}

/** Options of unsigned integer policies: a range, or a mask of valid bits (NLA_POLICY_MASK). */
export interface UintChecks extends IntRange {
  mask?: number | bigint;
}

function int(type: NlaType, r: UintChecks = {}): AttrPolicy {
  if (r.mask !== undefined) return { type, mask: r.mask };
  return { type, ...(r.min !== undefined ? { min: r.min } : {}), ...(r.max !== undefined ? { max: r.max } : {}) };
}

/**
 * Builders for attribute policies, named after the kernel's NLA_* types and NLA_POLICY_* macros:
 *
 *   definePolicy({ [NLE_MYVAR]: nla.u32({ max: 1000 }), [NAME]: nla.nulString({ maxLen: 15 }) })
 */
export const nla = {
  /** NLA_U8, optionally with a value range or a mask of valid bits. */
  u8: (r?: UintChecks): AttrPolicy => int('u8', r),
  /** NLA_U16, optionally with a value range or a mask of valid bits. */
  u16: (r?: UintChecks): AttrPolicy => int('u16', r),
  /** NLA_U32, optionally with a value range or a mask of valid bits. */
  u32: (r?: UintChecks): AttrPolicy => int('u32', r),
  /** NLA_U64, optionally with a value range or a mask of valid bits. */
  u64: (r?: UintChecks): AttrPolicy => int('u64', r),
  /** NLA_UINT: 4 or 8 bytes (any other length is EINVAL), optionally with a range or mask. */
  uint: (r?: UintChecks): AttrPolicy => int('uint', r),
  /** NLA_SINT: 4 or 8 bytes, optionally with a value range. */
  sint: (r?: IntRange): AttrPolicy => int('sint', r),
  /** NLA_BE16: a u16 in network byte order; range and mask apply to the host-order value. */
  be16: (r?: UintChecks): AttrPolicy => int('be16', r),
  /** NLA_BE32: a u32 in network byte order; range and mask apply to the host-order value. */
  be32: (r?: UintChecks): AttrPolicy => int('be32', r),
  /** NLA_MSECS: a u64 count of milliseconds, optionally with a range. */
  msecs: (r?: IntRange): AttrPolicy => int('msecs', r),
  /** NLA_BITFIELD32 (NLA_POLICY_BITFIELD32): struct nla_bitfield32 whose bits are within `valid`. */
  bitfield32: (valid: number): AttrPolicy => ({ type: 'bitfield32', bitfield32Valid: valid >>> 0 }),
  /** NLA_S8, optionally with a value range. */
  s8: (r?: IntRange): AttrPolicy => int('s8', r),
  /** NLA_S16, optionally with a value range. */
  s16: (r?: IntRange): AttrPolicy => int('s16', r),
  /** NLA_S32, optionally with a value range. */
  s32: (r?: IntRange): AttrPolicy => int('s32', r),
  /** NLA_S64, optionally with a value range. */
  s64: (r?: IntRange): AttrPolicy => int('s64', r),
  /** NLA_STRING: any bytes; `maxLen` bounds the length not counting one trailing NUL. */
  string: (o: { maxLen?: number } = {}): AttrPolicy => ({ type: 'string', ...(o.maxLen ? { len: o.maxLen } : {}) }),
  /** NLA_NUL_STRING: must contain a NUL within `maxLen + 1` bytes. */
  nulString: (o: { maxLen?: number } = {}): AttrPolicy => ({ type: 'nul-string', ...(o.maxLen ? { len: o.maxLen } : {}) }),
  /**
   * NLA_BINARY. `maxLen` is the classic `.len` bound; `exact`, `min` and `max` are
   * NLA_POLICY_EXACT_LEN / _MIN_LEN / _MAX_LEN (range validation of the length).
   */
  binary: (o: { maxLen?: number; exact?: number; min?: number; max?: number } = {}): AttrPolicy => {
    const min = o.exact ?? o.min;
    const max = o.exact ?? o.max;
    return {
      type: 'binary',
      ...(o.maxLen ? { len: o.maxLen } : {}),
      ...(min !== undefined ? { min } : {}),
      ...(max !== undefined ? { max } : {}),
    };
  },
  /** NLA_FLAG: present or absent, no payload. */
  flag: (): AttrPolicy => ({ type: 'flag' }),
  /** NLA_NESTED with the policy of its contents (NLA_POLICY_NESTED). */
  nested: (policy?: Policy): AttrPolicy => ({ type: 'nested', ...(policy ? { nested: policy } : {}) }),
  /** NLA_NESTED_ARRAY: entries of any type, each a nest validated by `policy`. */
  nestedArray: (policy?: Policy): AttrPolicy => ({ type: 'nested-array', ...(policy ? { nested: policy } : {}) }),
  /** NLA_UNSPEC: anything, at least `minLen` bytes (NLA_MIN_LEN). */
  unspec: (o: { minLen?: number } = {}): AttrPolicy => ({ type: 'unspec', ...(o.minLen ? { len: o.minLen } : {}) }),
  /** NLA_REJECT: the attribute must not be sent; `message` is the extended-ACK text. */
  reject: (message?: string): AttrPolicy => ({ type: 'reject', ...(message ? { rejectMessage: message } : {}) }),
} as const;

/** Byte size of the fixed-size integer types (the kernel's nla_attr_len[]). */
export const INT_SIZE: Readonly<Partial<Record<NlaType, number>>> = {
  u8: 1, u16: 2, u32: 4, u64: 8, s8: 1, s16: 2, s32: 4, s64: 8, msecs: 8, be16: 2, be32: 4,
};

/** True for the signed integer types. */
export function isSigned(t: NlaType): boolean {
  return t === 's8' || t === 's16' || t === 's32' || t === 's64' || t === 'sint';
}

/** True for the types whose range or mask the kernel checks as an unsigned value. */
export function isUnsigned(t: NlaType): boolean {
  return t === 'u8' || t === 'u16' || t === 'u32' || t === 'u64' || t === 'uint' || t === 'be16' || t === 'be32' || t === 'msecs';
}

/** The full value range of an integer type (what nla_get_range_(un)signed() starts from). */
export function typeRange(t: NlaType): { min: bigint; max: bigint } {
  switch (t) {
    case 'u8': return { min: 0n, max: 0xffn };
    case 'u16': case 'be16': return { min: 0n, max: 0xffffn };
    case 'u32': case 'be32': return { min: 0n, max: 0xffffffffn };
    case 'u64': case 'uint': case 'msecs': return { min: 0n, max: 0xffffffffffffffffn };
    case 's8': return { min: -0x80n, max: 0x7fn };
    case 's16': return { min: -0x8000n, max: 0x7fffn };
    case 's32': return { min: -0x80000000n, max: 0x7fffffffn };
    case 's64': case 'sint': return { min: -0x8000000000000000n, max: 0x7fffffffffffffffn };
    case 'binary': return { min: 0n, max: 0xffffn };
    default: return { min: 0n, max: 0n };
  }
}

/** The effective range of an attribute policy: the type's range narrowed by min/max. */
export function effectiveRange(p: AttrPolicy): { min: bigint; max: bigint } {
  const r = typeRange(p.type);
  return {
    min: p.min !== undefined ? BigInt(p.min) : r.min,
    max: p.max !== undefined ? BigInt(p.max) : r.max,
  };
}
