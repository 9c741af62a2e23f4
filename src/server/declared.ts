// One declaration for both sides: a family declared as data (genlFamily() of nlkit/genl, or a
// YNL spec loaded into the same FamilyDef) gives the server its policies and ops, and the
// client its codec and types.
import type { FamilyDef, OpDef, OpTable, OpAttrs } from '../genl/family-def.js';
import { compileSet, type AttributeSet, type Field, type SetCodec } from '../schema/index.js';
import type { Credentials } from './credentials.js';
import type { Family, GenlInfo, GenlOp } from './genl-family.js';
import type { GenlServer } from './genl.js';
import { definePolicy, type AttrPolicy, type IntRange, type NlaType, type Policy } from './policy.js';
import { GENL_ADMIN_PERM, GENL_HDRLEN, GENL_UNS_ADMIN_PERM } from './uapi.js';
import { NLMSG_HDRLEN } from '../wire/index.js';
import type { DumpCallback } from './dump.js';

/**
 * Checks the kernel applies that a codec does not need (YNL's `checks`): by attribute name, an
 * integer range, or a string's or binary's maximum length.
 */
export type Checks = Readonly<Record<string, IntRange & { maxLen?: number }>>;

const INT_POLICY: Readonly<Record<string, NlaType>> = {
  u8: 'u8', u16: 'u16', u32: 'u32', u64: 'u64', s8: 's8', s16: 's16', s32: 's32', s64: 's64',
  // Big-endian integers have the length of their host-order twins; their ranges are not checked.
  u16be: 'u16', u32be: 'u32', u64be: 'u64', s16be: 's16', s32be: 's32',
};

/** Checks per attribute set (a set's checks, looked up for nested sets too). */
export type ChecksOf = (set: AttributeSet<any>) => Checks;

interface Walk {
  seen: Map<AttributeSet, Policy>;
  checks: ChecksOf;
}

function fieldPolicy(f: Field, check: (IntRange & { maxLen?: number }) | undefined, walk: Walk): AttrPolicy {
  const range = check ? { ...(check.min !== undefined ? { min: check.min } : {}), ...(check.max !== undefined ? { max: check.max } : {}) } : {};
  switch (f.kind) {
    case 'int': {
      const t = INT_POLICY[f.type];
      // uint/sint (NLA_UINT/NLA_SINT, 4 or 8 bytes) are not validated yet: taken as they come.
      if (!t) return { type: 'unspec' };
      return { type: t, ...(f.type.endsWith('be') ? {} : range) };
    }
    case 'string': return { type: 'nul-string', ...(check?.maxLen ? { len: check.maxLen } : {}) };
    case 'binary': return { type: 'binary', ...(check?.maxLen ? { len: check.maxLen } : {}) };
    case 'flag': return { type: 'flag' };
    case 'nest': return { type: 'nested', nested: policyOf(f.set(), walk) };
    case 'nest-array': return { type: 'nested-array', nested: policyOf(f.set(), walk) };
    default: return { type: 'unspec' };
  }
}

function policyOf(set: AttributeSet, walk: Walk): Policy {
  const { seen } = walk;
  const checks = walk.checks(set);
  const known = seen.get(set);
  if (known) return known;
  const attrs: Record<number, AttrPolicy> = {};
  // A recursive set refers to itself: the placeholder's map is filled in below.
  const policy = definePolicy({}, Math.max(0, ...set.attrs.map((a) => a.type)));
  seen.set(set, policy);
  for (const a of set.attrs) attrs[a.type] = fieldPolicy(a.field, checks[a.name], walk);
  const map = policy.attrs as Map<number, AttrPolicy>;
  for (const [k, v] of Object.entries(attrs)) map.set(Number(k), v);
  return policy;
}

/** The server's policy for an attribute set: each declared type with its NLA_* type and checks. */
export function policyFromSet(set: AttributeSet<any>, checks: Checks | ChecksOf = {}): Policy {
  return policyOf(set, { seen: new Map(), checks: typeof checks === 'function' ? checks : (s) => (s === set ? checks : {}) });
}

/**
 * The `checks` of a YNL spec's attributes (min, max, max-len given as numbers), per set: what
 * the spec says the kernel validates beyond the wire type.
 */
export function ynlChecks(yaml: { 'attribute-sets'?: unknown }): ChecksOf {
  const sets = new Map<string, Record<string, IntRange & { maxLen?: number }>>();
  for (const s of (yaml['attribute-sets'] ?? []) as { name: string; attributes?: { name: string; checks?: Record<string, unknown> }[] }[]) {
    const out: Record<string, IntRange & { maxLen?: number }> = {};
    for (const a of s.attributes ?? []) {
      const c = a.checks;
      if (!c) continue;
      const num = (v: unknown) => (typeof v === 'number' ? v : undefined);
      const min = num(c.min);
      const max = num(c.max);
      const maxLen = num(c['max-len']);
      out[a.name.replace(/-([a-z0-9])/g, (_, x: string) => x.toUpperCase())] = {
        ...(min !== undefined ? { min } : {}), ...(max !== undefined ? { max } : {}), ...(maxLen !== undefined ? { maxLen } : {}),
      };
    }
    sets.set(s.name, out);
  }
  return (set) => sets.get(set.name) ?? {};
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
  const policies = new Map<AttributeSet<any>, Policy>();
  const given = opts.checks;
  const yaml = (def as { yaml?: { 'attribute-sets'?: unknown } }).yaml;
  const checks: ChecksOf = typeof given === 'function' ? given : given ? () => given : yaml ? ynlChecks(yaml) : () => ({});
  let family: Family | undefined;
  for (const [name, op] of Object.entries(def.ops) as [string, OpDef<any>][]) {
    const handler = handlers[name as keyof O] as DeclaredDoit<any> | { do?: DeclaredDoit<any>; dump?: DeclaredDumpit<any> } | undefined;
    if (op.request === undefined || !handler) continue;
    if (op.header) throw new Error(`family ${def.name}: operation ${name} has a fixed header, which serveFamily() does not derive yet`);
    const doit = typeof handler === 'function' ? handler : handler.do;
    const dumpit = typeof handler === 'function' ? undefined : handler.dump;
    let policy = policies.get(op.set);
    if (!policy) policies.set(op.set, (policy = policyFromSet(op.set, checks)));
    const codec = compileSet(op.set);
    const hdr = GENL_HDRLEN;
    const genlOp: GenlOp = { cmd: op.request, flags: permFlags(op.flags), policy };
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
  family = genl.register({ name: def.name, version: def.version, mcgrps: def.groups.map((g) => g.name), ops });
  return family;
}
