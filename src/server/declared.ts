// One declaration for both sides: a family declared as data (genlFamily() of nlkit/genl, or a
// YNL spec loaded into the same FamilyDef) gives the server its policies and ops, and the
// client its codec and types.
import type { FamilyDef, OpDef, OpTable, OpAttrs } from '../genl/family-def.js';
import { compileSet, type AttributeSet, type Field, type SetCodec } from '../schema/index.js';
import type { Credentials } from './credentials.js';
import type { Family, GenlInfo, GenlOp } from './genl-family.js';
import type { GenlServer } from './genl.js';
import { definePolicy, isSigned, isUnsigned, type AttrPolicy, type IntRange, type NlaType, type Policy } from './policy.js';
import { GENL_ADMIN_PERM, GENL_HDRLEN, GENL_UNS_ADMIN_PERM } from './uapi.js';
import { NLMSG_HDRLEN } from '../wire/index.js';
import type { DumpCallback } from './dump.js';

/**
 * What the kernel checks beyond an attribute's wire type (YNL's `checks`): an integer range or
 * a mask of valid bits, a string's or binary's length (max, min or exact), and for strings
 * whether a NUL is required.
 */
export interface Check extends IntRange {
  /** NLA_POLICY_MASK: the bits an unsigned integer may set (YNL `flags-mask`, or flags enums). */
  mask?: number | bigint;
  /** Maximum length (strings: without the NUL). */
  maxLen?: number;
  /** Minimum length of a binary (NLA_POLICY_MIN_LEN). */
  minLen?: number;
  /** Exact length of a binary or string (NLA_POLICY_EXACT_LEN). */
  exactLen?: number;
  /** A string need not end in NUL (NLA_STRING rather than NLA_NUL_STRING). */
  unterminatedOk?: boolean;
}

/** Checks by attribute name. */
export type Checks = Readonly<Record<string, Check>>;

const INT_POLICY: Readonly<Record<string, NlaType>> = {
  u8: 'u8', u16: 'u16', u32: 'u32', u64: 'u64', s8: 's8', s16: 's16', s32: 's32', s64: 's64', uint: 'uint', sint: 'sint',
  u16be: 'be16', u32be: 'be32',
  // The kernel has no NLA_BE64 nor signed big-endian types: these keep their length check only.
  u64be: 'u64', s16be: 's16', s32be: 's32',
};

/** Checks per attribute set (a set's checks, looked up for nested sets too). */
export type ChecksOf = (set: AttributeSet<any>) => Checks;

interface Walk {
  seen: Map<AttributeSet, Policy>;
  checks: ChecksOf;
}

function flagsMask(bits: Readonly<Record<string, number>>): number {
  let m = 0;
  for (const v of Object.values(bits)) m = (m | v) >>> 0;
  return m;
}

/**
 * The range the kernel's YNL code generator derives from an enum: its lowest and highest
 * values (no minimum when it starts at 0 for an unsigned type); none for a sparse enum, which
 * it leaves to a validation function.
 */
function enumRange(values: readonly number[], signed: boolean): IntRange {
  if (values.length === 0) return {};
  const sorted = [...new Set(values)].sort((a, b) => a - b);
  if (sorted[sorted.length - 1]! - sorted[0]! + 1 !== sorted.length) return {};
  const low = sorted[0]!;
  return { ...(low !== 0 || signed ? { min: low } : {}), max: sorted[sorted.length - 1]! };
}

function fieldPolicy(f: Field, check: Check | undefined, walk: Walk): AttrPolicy {
  const c = check ?? {};
  switch (f.kind) {
    case 'int': {
      const t = INT_POLICY[f.type];
      if (!t) return { type: 'unspec' };
      if (f.type === 'u64be' || f.type === 's16be' || f.type === 's32be') return { type: t };
      // A flags enum is a mask of valid bits; another enum a range, as the generated policies are.
      const mask = c.mask ?? (f.flags && isUnsigned(t) ? flagsMask(f.flags.bits) : undefined);
      if (mask !== undefined) return { type: t, mask };
      const derived = f.enum ? enumRange(Object.values(f.enum.values), isSigned(t)) : {};
      const min = c.min ?? derived.min;
      const max = c.max ?? derived.max;
      return { type: t, ...(min !== undefined ? { min } : {}), ...(max !== undefined ? { max } : {}) };
    }
    case 'string':
      if (c.exactLen !== undefined) return { type: 'binary', min: c.exactLen, max: c.exactLen };
      return { type: c.unterminatedOk ? 'string' : 'nul-string', ...(c.maxLen ? { len: c.maxLen } : {}) };
    case 'binary': case 'mac': case 'ipaddr':
      if (c.exactLen !== undefined) return { type: 'binary', min: c.exactLen, max: c.exactLen };
      if (c.minLen !== undefined) return { type: 'binary', min: c.minLen };
      // NLA_POLICY_MAX_LEN: a range on the length ("binary attribute size out of range").
      return { type: 'binary', ...(c.maxLen ? { max: c.maxLen } : {}) };
    case 'struct': {
      // YNL's bitfield32 arrives as a struct of value and selector; its enum gives the valid bits.
      if (f.struct.name === 'bitfield32' && f.struct.fields.length === 2) {
        const bits = (f.struct.fields[0] as { flags?: { bits: Record<string, number> } }).flags?.bits;
        return { type: 'bitfield32', bitfield32Valid: bits ? flagsMask(bits) : 0xffffffff };
      }
      return { type: 'binary' };
    }
    case 'flag': return { type: 'flag' };
    case 'nest': return { type: 'nested', nested: policyOf(f.set(), walk) };
    case 'nest-array': return { type: 'nested-array', nested: policyOf(f.set(), walk) };
    default: return { type: 'unspec' };
  }
}

function setPolicy(set: AttributeSet, walk: Walk, only?: ReadonlySet<string>): Policy {
  const checks = walk.checks(set);
  const attrs = set.attrs.filter((a) => !only || only.has(a.name));
  // A recursive set refers to itself: the placeholder's map is filled in below.
  const policy = definePolicy({}, Math.max(0, ...attrs.map((a) => a.type)));
  if (!only) walk.seen.set(set, policy);
  const map = policy.attrs as Map<number, AttrPolicy>;
  for (const a of attrs) map.set(a.type, fieldPolicy(a.field, checks[a.name], walk));
  return policy;
}

function policyOf(set: AttributeSet, walk: Walk): Policy {
  return walk.seen.get(set) ?? setPolicy(set, walk);
}

/** The server's policy for an attribute set: each declared type with its NLA_* type and checks. */
export function policyFromSet(set: AttributeSet<any>, checks: Checks | ChecksOf = {}): Policy {
  return policyOf(set, { seen: new Map(), checks: typeof checks === 'function' ? checks : (s) => (s === set ? checks : {}) });
}

/** A YNL limit: a number, 'u32-max' and its kin, or the name of a constant of the spec. */
function limit(v: unknown, consts: ReadonlyMap<string, number | string> | undefined): number | bigint | undefined {
  if (typeof v === 'number') return v;
  if (typeof v !== 'string') return undefined;
  const m = /^([us])(8|16|32|64)-(min|max)$/.exec(v);
  if (m) {
    const bits = BigInt(m[2]!);
    const signed = m[1] === 's';
    const r = m[3] === 'max' ? (signed ? (1n << (bits - 1n)) - 1n : (1n << bits) - 1n) : signed ? -(1n << (bits - 1n)) : 0n;
    return r >= BigInt(Number.MIN_SAFE_INTEGER) && r <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(r) : r;
  }
  const c = consts?.get(v);
  return typeof c === 'number' ? c : undefined;
}

/**
 * The `checks` of a YNL spec's attributes, per set: min, max, min-len, max-len, exact-len (as
 * numbers, 'u32-max'-style limits or constant names), flags-mask (a flags definition) and
 * unterminated-ok. Pass the loaded spec (its constants and flags resolve names) or its YAML.
 */
export function ynlChecks(spec: { 'attribute-sets'?: unknown } | { yaml: { 'attribute-sets'?: unknown }; definitions?: { consts: ReadonlyMap<string, number | string>; flags: ReadonlyMap<string, { bits: Record<string, number> }> } }): ChecksOf {
  const yaml = ('yaml' in spec ? spec.yaml : spec) as { 'attribute-sets'?: unknown };
  const defs = 'yaml' in spec ? spec.definitions : undefined;
  const sets = new Map<string, Record<string, Check>>();
  for (const s of (yaml['attribute-sets'] ?? []) as { name: string; attributes?: { name: string; checks?: Record<string, unknown> }[] }[]) {
    const out: Record<string, Check> = {};
    for (const a of s.attributes ?? []) {
      const c = a.checks;
      if (!c) continue;
      const check: Check = {};
      const min = limit(c.min, defs?.consts);
      const max = limit(c.max, defs?.consts);
      const len = (k: string) => {
        const v = limit(c[k], defs?.consts);
        return v === undefined ? undefined : Number(v);
      };
      if (min !== undefined) check.min = min;
      if (max !== undefined) check.max = max;
      const maxLen = len('max-len');
      const minLen = len('min-len');
      const exactLen = len('exact-len');
      if (maxLen !== undefined) check.maxLen = maxLen;
      if (minLen !== undefined) check.minLen = minLen;
      if (exactLen !== undefined) check.exactLen = exactLen;
      if (c['unterminated-ok']) check.unterminatedOk = true;
      const fm = c['flags-mask'];
      if (typeof fm === 'string' && defs?.flags.get(fm)) check.mask = flagsMask(defs.flags.get(fm)!.bits);
      else if (typeof c.mask === 'number') check.mask = c.mask;
      out[a.name.replace(/-([a-z0-9])/g, (_, x: string) => x.toUpperCase())] = check;
    }
    sets.set(s.name, out);
  }
  return (set) => sets.get(set.name) ?? {};
}

/** The policy of one handler's request attributes; undefined when it takes none. */
function requestPolicy(set: AttributeSet, mode: OpDef['do'], walk: Walk): Policy | undefined {
  const names = mode?.request?.attributes;
  if (!names || names.length === 0) return undefined;
  return setPolicy(set, walk, new Set(names));
}

/** GENL_* permission bits from YNL op flags ('admin-perm', 'uns-admin-perm'). */
export function permFlags(flags: readonly string[] | undefined): number {
  let f = 0;
  for (const x of flags ?? []) {
    if (x === 'admin-perm') f |= GENL_ADMIN_PERM;
    else if (x === 'uns-admin-perm') f |= GENL_UNS_ADMIN_PERM;
  }
  return f;
}

/** A request to a declared operation: its decoded attributes, and replies in the same shape. */
export class DeclaredRequest<A> {
  constructor(
    /** The generic netlink request underneath. */
    readonly info: GenlInfo,
    /** The request's attributes, decoded with the operation's set. */
    readonly attrs: A,
    private readonly op: OpDef<A>,
    private readonly codec: SetCodec<A>,
  ) {}

  /** The sender's pid, uid and gid, when the transport knows them. */
  get creds(): Credentials | undefined {
    return this.info.creds;
  }

  /** Replies with the operation's reply command and `value` encoded with its set. */
  reply(value: Partial<A>): number {
    return this.info.reply(this.op.reply ?? this.info.cmd, (w) => this.codec.encode(w, value as A));
  }

  /** Notifies the operation's multicast group (or `group`) with `value`, as genl_notify(). */
  notify(value: Partial<A>, group = this.op.mcgrp): number {
    if (group === undefined) throw new Error(`operation ${this.op.name} has no multicast group`);
    return this.info.notify(group, this.op.reply ?? this.info.cmd, (w) => this.codec.encode(w, value as A));
  }
}

/** A do handler: gets the decoded request; returns a negative errno to fail it. */
export type DeclaredDoit<A> = (req: DeclaredRequest<A>) => number | void;

/**
 * A dump handler: gets the decoded request attributes and yields the replies' values; they are
 * packed into datagrams as the reader takes them, and NLMSG_DONE follows the last.
 */
export type DeclaredDumpit<A> = (req: { attrs: A }) => Iterable<Partial<A>>;

/** Handlers by operation name: a do handler, or `{ do, dump }`. */
export type DeclaredHandlers<O extends OpTable> = {
  readonly [K in keyof O]?: DeclaredDoit<OpAttrs<O[K]>> | { do?: DeclaredDoit<OpAttrs<O[K]>>; dump?: DeclaredDumpit<OpAttrs<O[K]>> };
};

interface DumpState {
  it: Iterator<unknown> | undefined;
  pending: unknown;
}

/** Options of {@link serveFamily}. */
export interface ServeFamilyOptions {
  /**
   * Range and length checks by attribute name (YNL `checks`), for every set or per set. A
   * loaded YNL spec's own checks are used when none are given.
   */
  checks?: Checks | ChecksOf;
}

/**
 * Registers a declared family on `genl`: one op per declared operation that has a request
 * command and a handler, its policy from the operation's set (strict, as for a new family), its
 * permission from the declaration's flags, and the family's multicast groups. The client of
 * the same declaration (FamilyClient, or the set's codec) then speaks to it.
 */
export function serveFamily<O extends OpTable>(genl: GenlServer, def: FamilyDef<O>, handlers: DeclaredHandlers<O>, opts: ServeFamilyOptions = {}): Family {
  if (def.protocol !== 'genetlink') throw new TypeError(`family ${def.name} is ${def.protocol}; serveFamily() serves generic netlink families`);
  const ops: GenlOp[] = [];
  const given = opts.checks;
  const spec = def as { yaml?: { 'attribute-sets'?: unknown }; definitions?: never };
  const checks: ChecksOf = typeof given === 'function' ? given : given ? () => given : spec.yaml ? ynlChecks(spec as never) : () => ({});
  // One walk for the family: a nested set has one policy, shared by every op that nests it.
  const walk: Walk = { seen: new Map(), checks };
  let family: Family | undefined;
  let split = false;
  for (const [name, op] of Object.entries(def.ops) as [string, OpDef<any>][]) {
    const handler = handlers[name as keyof O] as DeclaredDoit<any> | { do?: DeclaredDoit<any>; dump?: DeclaredDumpit<any> } | undefined;
    if (op.request === undefined || !handler) continue;
    if (op.header) throw new Error(`family ${def.name}: operation ${name} has a fixed header, which serveFamily() does not derive yet`);
    const doit = typeof handler === 'function' ? handler : handler.do;
    const dumpit = typeof handler === 'function' ? undefined : handler.dump;
    const codec = compileSet(op.set);
    const hdr = GENL_HDRLEN;
    const genlOp: GenlOp = { cmd: op.request, flags: permFlags(op.flags) };
    if (!op.do && !op.dump) {
      // No request lists declared: every attribute of the set is accepted, by do and dump alike.
      genlOp.policy = policyOf(op.set, walk);
    } else {
      // Split ops, as the kernel's generated code has them: each handler a policy of its own
      // request attributes (others are "Unsupported attribute" or "Unknown attribute type").
      // A handler that takes no attributes gets REJECT_ALL from the split family.
      const doPol = doit ? requestPolicy(op.set, op.do, walk) : undefined;
      if (doPol) genlOp.policy = doPol;
      if (dumpit) genlOp.dumpPolicy = requestPolicy(op.set, op.dump, walk) ?? null;
      split = true;
    }
    if (doit) {
      genlOp.doit = (info) => {
        const attrs = codec.decode(info.req.buf, info.req.view, info.req.payloadStart + hdr, info.req.payloadEnd);
        return doit(new DeclaredRequest(info, attrs, op, codec));
      };
    }
    if (dumpit) {
      const reply = op.reply ?? op.request;
      genlOp.dump = {
        init: (): DumpState => ({ it: undefined, pending: undefined }),
        dump: (cb: DumpCallback<DumpState>) => {
          const st = cb.state;
          if (!st.it) {
            const attrs = codec.decode(cb.request, cb.requestView, NLMSG_HDRLEN + hdr, cb.request.byteLength);
            st.it = dumpit({ attrs })[Symbol.iterator]();
          }
          for (;;) {
            let v = st.pending;
            if (v === undefined) {
              const r = st.it.next();
              if (r.done) return;
              v = r.value;
            }
            // A value that does not fit waits for the next datagram.
            if (!family!.put(cb, reply, (w) => codec.encode(w, v))) {
              st.pending = v;
              return;
            }
            st.pending = undefined;
          }
        },
      };
    }
    ops.push(genlOp);
  }
  if (ops.length === 0) throw new Error(`family ${def.name}: no operation has both a request command and a handler`);
  family = genl.register({ name: def.name, version: def.version, mcgrps: def.groups.map((g) => g.name), ops, split });
  return family;
}
