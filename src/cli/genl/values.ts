// A request from the command line: `attr=value` words and `--json JSON`, in the spec's spelling,
// into the message object the library encodes, each value checked against its declaration so
// that a bad one is named before anything is sent:
//
//   header.dev-name=veth0        nested attribute
//   ifi-index=3 rtm-family=2     a fixed-header field (netlink-raw: ifinfomsg, rtmsg, tcmsg, …)
//   linkinfo.kind=bridge linkinfo.data.stp-state=1   a sub-message, chosen by its selector
//   stringsets.stringset.0.id=4  a repeated attribute's first item
//   flags=compact-bitsets,stats  flag names (or numbers) joined by commas
//   counts-only                  a flag attribute: present
//   cookie=0a0b0c                bytes as hex
import { camel } from '../../genl/index.js';
import { opAttributeSet } from '../../genl/codec.js';
import type { OpDef } from '../../genl/index.js';
import { intValue, type AttributeSet, type EnumSpec, type Field, type FlagsSpec, type IntType, type StructField, type StructSpec } from '../../schema/index.js';
import { UsageError } from '../errors.js';
import type { Speller } from './spell.js';

/**
 * ValueError: a value its attribute cannot take (a word for a number, an unknown enum name, a
 * number out of range, an attribute the set lacks). Exit 1, as the kernel's YNL CLI ends on
 * such a value (an exception), without a stack trace.
 */
export class ValueError extends UsageError {
  constructor(message: string, hint?: string) {
    super(message, hint, 1);
    this.name = 'ValueError';
  }
}

type Raw = Record<string, unknown>;

/** Where a value sits: its object (for a sub-message's selector) and the enclosing ones. */
interface Ctx {
  obj: Raw;
  up: Ctx | undefined;
}

const isObj = (v: unknown): v is Raw => typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof Uint8Array);

/** Adds one `path=value` word to a tree of raw values (strings at the leaves, true for a bare name). */
export function addWord(tree: Raw, word: string): void {
  const eq = word.indexOf('=');
  const path = (eq < 0 ? word : word.slice(0, eq)).split('.');
  const text: unknown = eq < 0 ? true : word.slice(eq + 1);
  if (path.some((p) => p === '')) throw new ValueError(`"${word}": empty attribute name`);
  let cur = tree;
  for (let i = 0; i < path.length - 1; i++) {
    const next = cur[path[i]!];
    if (next !== undefined && !isObj(next)) throw new ValueError(`"${word}": ${path.slice(0, i + 1).join('.')} already has a value`);
    cur = (cur[path[i]!] ??= {}) as Raw;
  }
  const k = path[path.length - 1]!;
  // The same name twice is a repeated attribute (multi-attr): both values are kept.
  if (cur[k] === undefined) cur[k] = text;
  else cur[k] = Array.isArray(cur[k]) ? [...(cur[k] as unknown[]), text] : [cur[k], text];
}

/** Merges `b` into `a` (words after --json refine it). */
export function merge(a: Raw, b: Raw): Raw {
  for (const [k, v] of Object.entries(b)) a[k] = isObj(a[k]) && isObj(v) ? merge(a[k] as Raw, v) : v;
  return a;
}

function hexBytes(v: unknown, what: string): Uint8Array {
  if (v instanceof Uint8Array) return v;
  if (Array.isArray(v) && v.every((x) => Number.isInteger(x) && x >= 0 && x <= 255)) return Uint8Array.from(v as number[]);
  const h = String(v).replace(/^0x/i, '').replace(/[:\s-]/g, '');
  if (typeof v !== 'string' || !/^([0-9a-f]{2})*$/i.test(h)) throw new ValueError(`${what}: ${JSON.stringify(v)} is not hex bytes`);
  return Uint8Array.from(h.match(/../g) ?? [], (x) => parseInt(x, 16));
}

function list(v: unknown): unknown[] {
  if (Array.isArray(v)) return v;
  // Words give repeated items as a.0.b=…, a.1.b=…: an object keyed by index.
  if (isObj(v) && Object.keys(v).length && Object.keys(v).every((k) => /^\d+$/.test(k))) {
    return Object.entries(v).sort(([x], [y]) => Number(x) - Number(y)).map(([, x]) => x);
  }
  return [v];
}

/** What an integer is read by: its wire type and, when it has them, names for its values or bits. */
interface IntSpec {
  type: IntType;
  enum?: EnumSpec | undefined;
  flags?: FlagsSpec | undefined;
}

function int(v: unknown, f: IntSpec, what: string): number | bigint {
  let x = v;
  if (f.flags && typeof v === 'string' && !/^-?(0x[0-9a-f]+|\d+)$/i.test(v)) x = v.split(',').filter(Boolean).map((s) => (/^\d+$/.test(s) ? Number(s) : s));
  if (typeof x === 'string' && /^-?\d+$/.test(x) && Math.abs(Number(x)) <= Number.MAX_SAFE_INTEGER) x = Number(x);
  try {
    const n = intValue(x, f.type, f.enum, f.flags, what);
    return typeof n === 'bigint' && n >= BigInt(Number.MIN_SAFE_INTEGER) && n <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(n) : n;
  } catch (e) {
    throw new ValueError(e instanceof Error ? e.message : String(e));
  }
}

function text(v: unknown, what: string): string {
  if (typeof v === 'string') return v;
  if (typeof v === 'number') return String(v);
  throw new ValueError(`${what}: expected a string, got ${JSON.stringify(v)}`);
}

/** A fixed struct's fields from a raw object. */
function struct(spec: StructSpec, v: unknown, what: string, sp: Speller): Raw {
  if (!isObj(v)) throw new ValueError(`${what}: expected an object of ${spec.name}'s fields`);
  const out: Raw = {};
  for (const [k, x] of Object.entries(v)) {
    const f = spec.fields.find((m) => m.name === camel(k) || m.name === k);
    if (!f || f.type === 'pad') throw new ValueError(`${what}.${k}: ${spec.name} has no field "${k}"`, `Known: ${spec.fields.filter((m) => m.type !== 'pad').map((m) => sp.ynl(m.name)).join(', ')}`);
    out[f.name] = member(f, x, `${what}.${k}`, sp);
  }
  return out;
}

function member(f: StructField, v: unknown, what: string, sp: Speller): unknown {
  switch (f.type) {
    case 'pad': return undefined;
    case 'string': case 'mac': case 'ip4': case 'ip6': case 'ipaddr': return text(v, what);
    case 'binary': return f.struct ? struct(f.struct, v, what, sp) : hexBytes(v, what);
    default: return int(v, f as IntSpec, what);
  }
}

function field(f: Field, v: unknown, what: string, ctx: Ctx, sp: Speller): unknown {
  switch (f.kind) {
    case 'array': return list(v).map((x, i) => field(f.item, x, `${what}[${i}]`, ctx, sp));
    case 'int': return int(v, f, what);
    case 'flag':
      if (v === true || v === 'true' || v === '1' || v === 1) return true;
      if (v === false || v === 'false' || v === '0' || v === 0) return undefined;
      throw new ValueError(`${what}: a flag is present or not (true or false), got ${JSON.stringify(v)}`);
    case 'string': case 'mac': case 'ipaddr': return text(v, what);
    case 'binary': return hexBytes(v, what);
    case 'int-array': return (typeof v === 'string' ? v.split(',').filter(Boolean) : list(v)).map((x, i) => int(x, { type: f.type }, `${what}[${i}]`));
    case 'struct': return struct(f.struct, v, what, sp);
    case 'nest': return set(f.set(), v, what, ctx, sp, f.header);
    case 'nest-array': return list(v).map((x, i) => set(f.set(), x, `${what}[${i}]`, ctx, sp));
    case 'indexed-array': return list(v).map((x, i) => field(f.item, x, `${what}[${i}]`, ctx, sp));
    case 'type-value': {
      if (!isObj(v)) throw new ValueError(`${what}: expected an object keyed by attribute type`);
      const out: Raw = {};
      for (const [k, x] of Object.entries(v)) {
        if (!/^\d+$/.test(k)) throw new ValueError(`${what}: key "${k}" is not an attribute type`);
        out[k] = field(f.item, x, `${what}.${k}`, ctx, sp);
      }
      return out;
    }
    case 'sub-message': {
      // The selector is a sibling (linkinfo.kind for linkinfo.data) or an enclosing set's attribute.
      let sel: unknown;
      for (let c: Ctx | undefined = ctx; sel === undefined && c; c = c.up) {
        for (const [k, x] of Object.entries(c.obj)) if (camel(k) === f.selector) sel = x;
      }
      if (sel === undefined) {
        if (typeof v === 'string') return hexBytes(v, what);
        throw new ValueError(`${what}: give ${sp.ynl(f.selector)} too: it says what ${what} holds`);
      }
      const sub = f.map[String(sel)];
      if (!sub) {
        if (typeof v === 'string') return hexBytes(v, what);
        throw new ValueError(`${what}: the spec has no ${what} for ${sp.ynl(f.selector)} "${String(sel)}"`, `Known: ${Object.keys(f.map).join(', ')}`);
      }
      return field(sub, v, what, ctx, sp);
    }
    default: return v;
  }
}

/** An attribute set's (and optional fixed header's) values from a raw object. */
function set(s: AttributeSet, v: unknown, what: string, up: Ctx | undefined, sp: Speller, header?: StructSpec): Raw {
  if (!isObj(v)) throw new ValueError(`${what || 'the request'}: expected attributes of ${s.name}, got ${JSON.stringify(v)}`);
  const out: Raw = {};
  const ctx: Ctx = { obj: v, up };
  const at = (k: string) => (what ? `${what}.${k}` : k);
  for (const [k, x] of Object.entries(v)) {
    const c = camel(k);
    const a = s.attrs.find((d) => d.name === c || d.name === k);
    if (a) {
      const val = field(a.field, x, at(k), ctx, sp);
      if (val !== undefined) out[a.name] = val;
      continue;
    }
    // A header field also by its C name's spelling (tcm-ifindex for tcmsg's ifindex, as later specs name it).
    const h = header?.fields.find((m) => m.type !== 'pad' && (m.name === c || m.name === k || camel(k.replace(/^[a-z]+-/, '')) === m.name));
    if (h) {
      out[h.name] = member(h, x, at(k), sp);
      continue;
    }
    const known = [...(header?.fields.filter((m) => m.type !== 'pad').map((m) => sp.ynl(m.name)) ?? []), ...s.attrs.map((d) => sp.ynl(d.name))];
    throw new ValueError(`${at(k)}: ${s.name} has no attribute "${k}"`, `Known: ${known.join(', ')}`);
  }
  return out;
}

/** The message object of an operation from raw values: fixed-header fields and attributes. */
export function requestValue(op: OpDef, raw: Raw, sp: Speller): Record<string, unknown> {
  return set(opAttributeSet(op) as AttributeSet, raw, '', undefined, sp, op.header);
}
