// The generic netlink controller (nlctrl): families by name, their operations and groups,
// attribute policies, and the notify group that reports families coming and going.
import { Dump, NetlinkError, Subscription, type FamilyOptions, type NetlinkSocket } from '../socket/index.js';
import { NLM_F_DUMP, type MessageReader, type NetlinkMessage } from '../wire/index.js';
import { decodeOp, decodeOpPayload, encodeOp, fixedSize, readGenlHeader } from './codec.js';
import {
  CTRL_CMD_DELFAMILY, CTRL_CMD_DELMCAST_GRP, CTRL_CMD_NEWFAMILY, CTRL_CMD_NEWMCAST_GRP, GENL_ADMIN_PERM,
  GENL_CMD_CAP_DO, GENL_CMD_CAP_DUMP, GENL_CMD_CAP_HASPOL, GENL_ID_CTRL, GENL_UNS_ADMIN_PERM,
} from './constants.js';
import { nlctrl, opFlags, type CtrlMessage } from './families/nlctrl.js';

/** What an operation can do, from CTRL_ATTR_OP_FLAGS. */
export type OpCapability = 'admin-perm' | 'uns-admin-perm' | 'do' | 'dump' | 'has-policy';

/** One operation of a family as the controller reports it. */
export interface GenlOp {
  /** The command number. */
  id: number;
  /** GENL_ADMIN_PERM | GENL_CMD_CAP_* bits. */
  flags: number;
  /** The flags by name. */
  capabilities: OpCapability[];
}

/** One multicast group: its name and the number to join. */
export interface GenlGroup {
  name: string;
  id: number;
}

/** A generic netlink family as the controller describes it. */
export interface FamilyInfo {
  name: string;
  /** The family id: the nlmsg_type of its messages. */
  id: number;
  version: number;
  /** Size of the family's fixed header after genlmsghdr. */
  hdrsize: number;
  /** Highest attribute of a global policy; 0 for families with per-operation policies. */
  maxattr: number;
  ops: GenlOp[];
  groups: GenlGroup[];
}

/** A family or group that appeared or went away (the controller's `notify` group). */
export interface ControllerEvent {
  kind: 'new-family' | 'del-family' | 'new-group' | 'del-group';
  /** The family (for group events: with the one group that changed in `groups`). */
  family: FamilyInfo;
}

/** The policy of one attribute, as CTRL_CMD_GETPOLICY reports it. */
export interface PolicyRule {
  /** 'u32', 'nul-string', 'nested', … (netlink_attribute_type in YNL spelling). */
  type: string;
  minValue?: number | bigint;
  maxValue?: number | bigint;
  minLength?: number;
  maxLength?: number;
  /** The policy of a nest's contents (an index into `policies`). */
  policyIdx?: number;
  policyMaxtype?: number;
  bitfield32Mask?: number;
  /** Valid bits of an unsigned integer. */
  mask?: number | bigint;
}

/** A family's attribute policies: which policy each operation's handlers use, and the policies. */
export interface FamilyPolicy {
  familyId: number;
  /** command -> policy index of its do and dump handlers. */
  ops: Map<number, { do?: number; dump?: number }>;
  /** policy index -> attribute type -> rule. */
  policies: Map<number, Map<number, PolicyRule>>;
}

/** FamilyNotFoundError is a NetlinkError (ENOENT) that names the family the controller does not know. */
export class FamilyNotFoundError extends NetlinkError {
  /** The name or id that was asked for. */
  readonly family: string | number;
  constructor(family: string | number, cause: NetlinkError) {
    super('nlctrl.getfamily', cause.errno, { message: `no generic netlink family ${typeof family === 'number' ? `with id ${family}` : JSON.stringify(family)} (is its module loaded?)` }, cause.request, undefined, { cause });
    this.name = 'FamilyNotFoundError';
    this.family = family;
  }
}

// The kernel gives nlctrl's one group, notify, the family's own id (genl_register_family's
// special case for genl_ctrl), so it is joined without asking the controller first.
const CTRL_NOTIFY_GROUP = GENL_ID_CTRL;

const CAPS: [number, OpCapability][] = [
  [GENL_ADMIN_PERM, 'admin-perm'], [GENL_UNS_ADMIN_PERM, 'uns-admin-perm'], [GENL_CMD_CAP_DO, 'do'],
  [GENL_CMD_CAP_DUMP, 'dump'], [GENL_CMD_CAP_HASPOL, 'has-policy'],
];

/** Names the capability bits of an operation. */
export function capabilities(flags: number): OpCapability[] {
  return CAPS.filter(([bit]) => flags & bit).map(([, n]) => n);
}

function flagBits(v: unknown): number {
  if (typeof v === 'number') return v;
  if (!Array.isArray(v)) return 0;
  let m = 0;
  for (const f of v) m |= typeof f === 'number' ? f : (opFlags.bits as Record<string, number>)[f] ?? 0;
  return m;
}

/** Turns a decoded CTRL_CMD_NEWFAMILY message into a FamilyInfo. */
export function familyInfo(m: CtrlMessage): FamilyInfo {
  return {
    name: m.familyName ?? '',
    id: m.familyId ?? 0,
    version: m.version ?? 0,
    hdrsize: m.hdrsize ?? 0,
    maxattr: m.maxattr ?? 0,
    ops: (m.ops ?? []).map((o) => {
      const flags = flagBits(o.flags);
      return { id: o.id ?? 0, flags, capabilities: capabilities(flags) };
    }),
    groups: (m.mcastGroups ?? []).map((g) => ({ name: g.name ?? '', id: g.id ?? 0 })),
  };
}

const EVENT_KIND: Record<number, ControllerEvent['kind']> = {
  [CTRL_CMD_NEWFAMILY]: 'new-family', [CTRL_CMD_DELFAMILY]: 'del-family',
  [CTRL_CMD_NEWMCAST_GRP]: 'new-group', [CTRL_CMD_DELMCAST_GRP]: 'del-group',
};

/** Decodes a controller notification in place; undefined for anything else. */
export function decodeControllerEvent(r: MessageReader): ControllerEvent | undefined {
  if (r.type !== GENL_ID_CTRL) return undefined;
  const kind = EVENT_KIND[readGenlHeader(r).cmd];
  if (!kind) return undefined;
  return { kind, family: familyInfo(decodeOp(nlctrl, nlctrl.ops.getfamily, r) as CtrlMessage) };
}

function policyRule(p: Record<string, unknown>): PolicyRule {
  const rule: PolicyRule = { type: String(p.type ?? 'invalid') };
  const min = p.minValueS ?? p.minValueU;
  const max = p.maxValueS ?? p.maxValueU;
  if (min !== undefined) rule.minValue = min as number | bigint;
  if (max !== undefined) rule.maxValue = max as number | bigint;
  for (const k of ['minLength', 'maxLength', 'policyIdx', 'policyMaxtype', 'bitfield32Mask', 'mask'] as const) {
    if (p[k] !== undefined) (rule as unknown as Record<string, unknown>)[k] = p[k];
  }
  return rule;
}

/**
 * Controller talks to nlctrl over a NETLINK_GENERIC socket it does not own. Every method is one
 * request or dump; nothing is cached here (see GenlClient for the cache).
 */
export class Controller {
  constructor(readonly socket: NetlinkSocket) {}

  /** Resolves a family by name or id. Rejects with FamilyNotFoundError (ENOENT) naming it. */
  async getFamily(family: string | number, opts: Pick<FamilyOptions, 'signal' | 'timeout'> = {}): Promise<FamilyInfo> {
    const o = nlctrl.ops.getfamily;
    const req = encodeOp(nlctrl, o, GENL_ID_CTRL, 0, typeof family === 'number' ? { familyId: family } : { familyName: family });
    let messages: NetlinkMessage[];
    try {
      ({ messages } = await this.socket.request(req, { signal: opts.signal, timeout: opts.timeout, idempotent: true, headerSize: fixedSize(nlctrl, o) }));
    } catch (e) {
      if (e instanceof NetlinkError && e.code === 'ENOENT') throw new FamilyNotFoundError(family, e);
      throw named('nlctrl.getfamily', e);
    }
    const m = messages.find((x) => x.type === GENL_ID_CTRL);
    if (!m) throw new NetlinkError('nlctrl.getfamily', 61 /* ENODATA */, { message: `the controller sent no family for ${JSON.stringify(family)}` });
    return familyInfo(decodeOpPayload(nlctrl, o, m.payload) as CtrlMessage);
  }

  /** Every registered family, in the controller's order (`genl ctrl list`). */
  dumpFamilies(opts: Pick<FamilyOptions, 'signal' | 'timeout'> = {}): Dump<FamilyInfo> {
    const o = nlctrl.ops.getfamily;
    return new Dump<FamilyInfo>({
      socket: this.socket,
      request: encodeOp(nlctrl, o, GENL_ID_CTRL, NLM_F_DUMP, {}),
      decode: (r) => familyInfo(decodeOp(nlctrl, o, r) as CtrlMessage),
      headerSize: fixedSize(nlctrl, o),
      signal: opts.signal,
      timeout: opts.timeout,
      mapError: (e) => named('nlctrl.getfamily', e),
    });
  }

  /**
   * Dumps a family's attribute policies (CTRL_CMD_GETPOLICY): for one command when `op` is
   * given, else for all of them. Families with per-operation policies report maxattr 0 and
   * are introspected only this way.
   */
  async getPolicy(family: string | number, opts: Pick<FamilyOptions, 'signal' | 'timeout'> & { op?: number } = {}): Promise<FamilyPolicy> {
    const o = nlctrl.ops.getpolicy;
    const value: Record<string, unknown> = typeof family === 'number' ? { familyId: family } : { familyName: family };
    if (opts.op !== undefined) value.op = opts.op;
    const req = encodeOp(nlctrl, o, GENL_ID_CTRL, NLM_F_DUMP, value);
    const out: FamilyPolicy = { familyId: 0, ops: new Map(), policies: new Map() };
    try {
      const dump = new Dump<CtrlMessage>({
        socket: this.socket, request: req, decode: (r) => decodeOp(nlctrl, o, r) as CtrlMessage, headerSize: fixedSize(nlctrl, o), signal: opts.signal, timeout: opts.timeout,
      });
      for await (const m of dump) {
        if (m.familyId !== undefined) out.familyId = m.familyId;
        for (const [cmd, p] of Object.entries(m.opPolicy ?? {})) {
          const ent = out.ops.get(Number(cmd)) ?? {};
          const pp = p as { do?: number; dump?: number };
          if (pp.do !== undefined) ent.do = pp.do;
          if (pp.dump !== undefined) ent.dump = pp.dump;
          out.ops.set(Number(cmd), ent);
        }
        for (const [idx, attrsByType] of Object.entries(m.policy ?? {})) {
          const pol = out.policies.get(Number(idx)) ?? new Map<number, PolicyRule>();
          for (const [type, p] of Object.entries(attrsByType as Record<string, Record<string, unknown>>)) pol.set(Number(type), policyRule(p));
          out.policies.set(Number(idx), pol);
        }
      }
    } catch (e) {
      if (e instanceof NetlinkError && e.code === 'ENOENT' && opts.op === undefined) throw new FamilyNotFoundError(family, e);
      throw named('nlctrl.getpolicy', e);
    }
    return out;
  }

  /**
   * Subscribes to the controller's `notify` group (its only one) on this socket: families and
   * groups as they appear and go away. An Overrun item means events were lost: dump the
   * families again. Joined when it returns; the socket stays open.
   */
  events(groups: readonly 'notify'[] = ['notify'], opts: Pick<FamilyOptions, 'signal'> = {}): Subscription<ControllerEvent> {
    return new Subscription<ControllerEvent>({
      socket: this.socket,
      owned: false,
      signal: opts.signal,
      decode: (r) => decodeControllerEvent(r),
      join: (sock) => {
        if (groups.length > 0) sock.join(CTRL_NOTIFY_GROUP);
      },
    });
  }
}

// The socket names only the family ('nlctrl'); the controller's errors name the operation.
function named(op: string, e: unknown): unknown {
  return e instanceof NetlinkError && e.op !== op ? NetlinkError.wrap(op, e) : e;
}

/** iproute2's text for an operation's capabilities ("can doit; can dumpit; has policy"). */
export function capabilityText(flags: number): string {
  const parts: string[] = [];
  if (flags & GENL_ADMIN_PERM) parts.push(' requires admin permission;');
  if (flags & GENL_CMD_CAP_DO) parts.push(' can doit;');
  if (flags & GENL_CMD_CAP_DUMP) parts.push(' can dumpit;');
  if (flags & GENL_CMD_CAP_HASPOL) parts.push(' has policy');
  return parts.join('');
}
