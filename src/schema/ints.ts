// Integer types: their sizes, how generated code reads them, how values (numbers, enum names,
// flag lists) become the integer to write, and how integers decode to names.
import { HOST_LE } from '../wire/index.js';
import type { EnumSpec, FlagsSpec, IntType } from './types.js';

const INT_SIZE: Record<IntType, number> = {
  uint: 0, sint: 0, u8: 1, u16: 2, u32: 4, u64: 8, s8: 1, s16: 2, s32: 4, s64: 8,
  u16be: 2, u32be: 4, u64be: 8, s16be: 2, s32be: 4,
};

/** Size in bytes of an integer type (0 for the variable uint/sint). */
export function intSize(t: IntType): number {
  return INT_SIZE[t];
}

/** A 64-bit value as a number when exact, else the bigint. */
export function u64num(v: bigint): number | bigint {
  return v <= 0x1fffffffffffffn ? Number(v) : v;
}

/** A signed 64-bit value as a number when exact, else the bigint. */
export function s64num(v: bigint): number | bigint {
  return v <= 0x1fffffffffffffn && v >= -0x1fffffffffffffn ? Number(v) : v;
}

/**
 * Generated source reading integer type `t` at byte offset expression `p` (`buf` and its
 * DataView `dv` in scope, and u64num/s64num for 64-bit types). `len` picks the width of the
 * variable uint/sint (4 or 8).
 */
export function intReadExpr(t: IntType, p: string, len = 4): string {
  const le = String(HOST_LE);
  switch (t) {
    case 'u8': return `buf[${p}]`; // an element load: cheaper than a DataView call before optimisation
    case 's8': return `dv.getInt8(${p})`;
    case 'u16': return `dv.getUint16(${p}, ${le})`;
    case 's16': return `dv.getInt16(${p}, ${le})`;
    case 'u32': return `dv.getUint32(${p}, ${le})`;
    case 's32': return `dv.getInt32(${p}, ${le})`;
    case 'u16be': return `dv.getUint16(${p}, false)`;
    case 's16be': return `dv.getInt16(${p}, false)`;
    case 'u32be': return `dv.getUint32(${p}, false)`;
    case 's32be': return `dv.getInt32(${p}, false)`;
    case 'u64': return `u64num(dv.getBigUint64(${p}, ${le}))`;
    case 's64': return `s64num(dv.getBigInt64(${p}, ${le}))`;
    case 'u64be': return `u64num(dv.getBigUint64(${p}, false))`;
    case 'uint': return len === 8 ? `u64num(dv.getBigUint64(${p}, ${le}))` : `dv.getUint32(${p}, ${le})`;
    case 'sint': return len === 8 ? `s64num(dv.getBigInt64(${p}, ${le}))` : `dv.getInt32(${p}, ${le})`;
  }
}

/** Writes integer `v` of type `t` at `at` (uint/sint: 8 bytes; callers pick u32/s32 for 4). */
export function writeInt(dv: DataView, at: number, t: IntType, v: number | bigint): void {
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

/**
 * Generated source that decodes the integer `read` reads: its enum name, its flag names, or the
 * number. `ref` puts what the source refers to in the generated function's scope and returns
 * its name.
 */
export function intDecodeSource(read: string, f: { type: IntType; enum?: EnumSpec | undefined; flags?: FlagsSpec | undefined }, ref: (hint: string, value: unknown) => string): string {
  if (f.enum) {
    const dense = INT_SIZE[f.type] !== 0 && INT_SIZE[f.type] <= 4 ? denseEnum(f.enum) : null;
    if (dense) {
      const k = ref('names', dense);
      return `(${k}[${read}] ?? ${read})`;
    }
    const k = ref('names', reverseEnum(f.enum));
    return `${ref('enumOr', enumOr)}(${k}, Number(${read}))`;
  }
  if (f.flags) {
    const k = ref('flags', f.flags);
    return `(${read} === 0 ? [] : ${ref('flagNames', flagNames)}(${k}, Number(${read})))`;
  }
  return read;
}
