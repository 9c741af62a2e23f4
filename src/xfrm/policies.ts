// Policies (the SPD): dump, get, add, update, delete, flush and the SPD summary.
import type { Dump, FamilyOptions } from '../socket/index.js';
import { NLM_F_CREATE, NLM_F_DUMP, NLM_F_EXCL } from '../wire/index.js';
import { addressesToBytes, addressesToText, familyOf } from './address.js';
import { bareCodec, policyCodec, policyIdCodec, spdInfoCodec } from './codecs.js';
import type { Dir } from './enums.js';
import { XFRM_MSG } from './gen/xfrm.js';
import { callOptions, withXfrmSocket, xfrmDump } from './socket.js';
import { XFRM_INF } from './structs.js';
import type { SelectorSpec, Spec, SpdInfo, XfrmPolicy } from './types.js';

export type { XfrmPolicy } from './types.js';

/** What names one policy: selector and direction (or index), and the mark, if_id and type it was added with. */
export interface PolicyId {
  sel?: SelectorSpec;
  dir: Dir | number;
  /** The kernel's index (instead of the selector). */
  index?: number;
  mark?: { v: number; m: number };
  if_id?: number;
  policy_type?: { type: 'main' | 'sub' | number };
}

/** A policy to add or update. */
export type PolicySpec = Spec<XfrmPolicy>;

/** The selector with its family filled in from its addresses. */
function selector(sel: SelectorSpec | undefined): SelectorSpec {
  const s: SelectorSpec = { ...sel };
  s.family ??= familyOf(sel?.daddr) ?? familyOf(sel?.saddr) ?? 'inet';
  if (s.sport && s.sport_mask === undefined) s.sport_mask = 0xffff;
  if (s.dport && s.dport_mask === undefined) s.dport_mask = 0xffff;
  return s;
}

/** The id of a decoded policy (or of a spec). */
export function policyId(p: PolicySpec): PolicyId {
  const id: PolicyId = { sel: p.sel as SelectorSpec, dir: p.dir ?? 'out' };
  if (p.mark) id.mark = p.mark as { v: number; m: number };
  if (p.if_id !== undefined) id.if_id = p.if_id;
  if (p.policy_type) id.policy_type = p.policy_type as { type: 'main' | 'sub' | number };
  return id;
}

function idMessage(type: number, id: PolicyId): Uint8Array {
  const o: Record<string, unknown> = { sel: selector(id.sel), dir: id.dir, index: id.index ?? 0 };
  if (id.mark) o.mark = id.mark;
  if (id.if_id !== undefined) o.if_id = id.if_id;
  if (id.policy_type) o.policy_type = id.policy_type;
  return policyIdCodec.encode(type, 0, addressesToBytes(o) as never);
}

/** Dumps the policies (XFRM_MSG_GETPOLICY, NLM_F_DUMP), socket policies included. */
export function dumpPolicies(opts: FamilyOptions = {}): Dump<XfrmPolicy> {
  return xfrmDump<XfrmPolicy>(opts, bareCodec.encode(XFRM_MSG.GETPOLICY, NLM_F_DUMP, {}), policyCodec);
}

/** Gets one policy (XFRM_MSG_GETPOLICY) by selector and direction, or by index. */
export async function getPolicy(id: PolicyId, opts: FamilyOptions = {}): Promise<XfrmPolicy> {
  return withXfrmSocket(opts, async (sock) => {
    const reply = await sock.request(idMessage(XFRM_MSG.GETPOLICY, id), { headerSize: policyIdCodec.headerSize, ...callOptions(opts) });
    const m = reply.messages.find((x) => x.type === XFRM_MSG.NEWPOLICY);
    if (!m) throw new Error('XFRM_MSG_GETPOLICY: no policy in the reply');
    return addressesToText(policyCodec.decodePayload(m.payload)) as unknown as XfrmPolicy;
  });
}

async function putPolicy(type: number, flags: number, spec: PolicySpec, opts: FamilyOptions): Promise<XfrmPolicy> {
  return withXfrmSocket(opts, async (sock) => {
    const o: Record<string, unknown> = { ...spec, sel: selector(spec.sel as SelectorSpec) };
    o.dir ??= 'out';
    // iproute2's default: no byte or packet limits.
    o.lft = { soft_byte_limit: XFRM_INF, hard_byte_limit: XFRM_INF, soft_packet_limit: XFRM_INF, hard_packet_limit: XFRM_INF, ...spec.lft };
    if (Array.isArray(spec.tmpl)) {
      o.tmpl = spec.tmpl.map((t) => ({
        ...t, aalgos: t.aalgos ?? 0xffffffff, ealgos: t.ealgos ?? 0xffffffff, calgos: t.calgos ?? 0xffffffff, family: t.family ?? familyOf(t.id?.daddr) ?? familyOf(t.saddr) ?? (o.sel as SelectorSpec).family,
      }));
    }
    await sock.request(policyCodec.encode(type, flags, addressesToBytes(o) as never), { headerSize: policyCodec.headerSize, ...callOptions(opts) });
    return getPolicy(policyId(o as PolicySpec), { ...callOptions(opts), socket: sock });
  });
}

/**
 * Adds a policy (XFRM_MSG_NEWPOLICY, `ip xfrm policy add`) and resolves with it as stored.
 *
 *   await addPolicy({
 *     sel: { saddr: '10.1.0.0', prefixlen_s: 16, daddr: '10.2.0.0', prefixlen_d: 16 }, dir: 'out',
 *     tmpl: [{ id: { daddr: '10.0.0.2', proto: 'esp' }, saddr: '10.0.0.1', mode: 'tunnel', reqid: 1 }],
 *   }, { netns: 'ns1' });
 */
export function addPolicy(spec: PolicySpec, opts: FamilyOptions = {}): Promise<XfrmPolicy> {
  return putPolicy(XFRM_MSG.NEWPOLICY, NLM_F_CREATE | NLM_F_EXCL, spec, opts);
}

/** Adds or replaces a policy (XFRM_MSG_UPDPOLICY, `ip xfrm policy update`). */
export function updatePolicy(spec: PolicySpec, opts: FamilyOptions = {}): Promise<XfrmPolicy> {
  return putPolicy(XFRM_MSG.UPDPOLICY, 0, spec, opts);
}

/** Deletes a policy (XFRM_MSG_DELPOLICY); pass its id or the decoded policy. */
export async function deletePolicy(id: PolicyId | XfrmPolicy, opts: FamilyOptions = {}): Promise<void> {
  const pid = 'lft' in id ? policyId(id as PolicySpec) : (id as PolicyId);
  await withXfrmSocket(opts, async (sock) => {
    await sock.request(idMessage(XFRM_MSG.DELPOLICY, pid), { headerSize: policyIdCodec.headerSize, ...callOptions(opts) });
  });
}

/** Deletes every policy of the main type, or of `ptype` (XFRM_MSG_FLUSHPOLICY, `ip xfrm policy flush`). */
export async function flushPolicies(filter: { ptype?: 'main' | 'sub' | number } = {}, opts: FamilyOptions = {}): Promise<void> {
  await withXfrmSocket(opts, async (sock) => {
    const o = filter.ptype !== undefined ? { policy_type: { type: filter.ptype } } : {};
    await sock.request(bareCodec.encode(XFRM_MSG.FLUSHPOLICY, 0, o as never), callOptions(opts));
  });
}

/** The SPD summary (XFRM_MSG_GETSPDINFO, `ip xfrm policy count`): policies per direction, hash settings. */
export async function getSpdInfo(opts: FamilyOptions = {}): Promise<SpdInfo> {
  return withXfrmSocket(opts, async (sock) => {
    const reply = await sock.request(spdInfoCodec.encode(XFRM_MSG.GETSPDINFO, 0, { flags: 0xffffffff }), { headerSize: 4, ...callOptions(opts) });
    const m = reply.messages.find((x) => x.type === XFRM_MSG.NEWSPDINFO);
    if (!m) throw new Error('XFRM_MSG_GETSPDINFO: no reply');
    const { flags: _f, ...rest } = spdInfoCodec.decodePayload(m.payload) as unknown as Record<string, unknown>;
    return rest as SpdInfo;
  });
}
