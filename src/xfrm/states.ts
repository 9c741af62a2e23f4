// SAs (the SAD): dump, get, add, update, delete, flush, SPI allocation and the SAD summary.
import type { Dump, FamilyOptions } from '../socket/index.js';
import { NLM_F_CREATE, NLM_F_DUMP, NLM_F_EXCL } from '../wire/index.js';
import { addressesToBytes, addressesToText, familyOf } from './address.js';
import { bareCodec, sadInfoCodec, saCodec, saFlushCodec, saIdCodec, spiCodec } from './codecs.js';
import type { XfrmProto } from './enums.js';
import { XFRM_MSG } from './gen/xfrm.js';
import { callOptions, withXfrmSocket, xfrmDump } from './socket.js';
import { XFRM_INF } from './structs.js';
import type { SadInfo, Spec, XfrmState } from './types.js';

export type { XfrmState } from './types.js';

/** What names one SA: destination, SPI and protocol (plus source and mark where they tell SAs apart). */
export interface StateId {
  /** Destination address. */
  daddr: string;
  /** SPI, host order (0 for route2/hao). */
  spi: number;
  proto: XfrmProto | number;
  /** Source address (XFRMA_SRCADDR). */
  saddr?: string;
  /** Family; by default the destination's. */
  family?: 'inet' | 'inet6' | number;
  mark?: { v: number; m: number };
}

/** An SA to add or update: the struct's members to set, and the attributes. */
export type StateSpec = Spec<XfrmState>;

/** The id of a decoded SA (or of a spec), for get and delete. */
export function stateId(s: StateSpec): StateId {
  const id: StateId = { daddr: s.id?.daddr ?? '', spi: s.id?.spi ?? 0, proto: s.id?.proto ?? 0 };
  if (s.saddr) id.saddr = s.saddr;
  if (s.family !== undefined) id.family = s.family as StateId['family'];
  if (s.mark) id.mark = s.mark as { v: number; m: number };
  return id;
}

function idMessage(type: number, id: StateId): Uint8Array {
  const family = id.family ?? familyOf(id.daddr) ?? 'inet';
  const o: Record<string, unknown> = { daddr: id.daddr, spi: id.spi, proto: id.proto, family };
  if (id.saddr) o.srcaddr = id.saddr;
  if (id.mark) o.mark = id.mark;
  return saIdCodec.encode(type, 0, addressesToBytes(o) as never);
}

/** iproute2's defaults for a new SA: family from the addresses, no byte or packet limits. */
function withDefaults(spec: StateSpec): Record<string, unknown> {
  const o: Record<string, unknown> = { ...spec };
  o.family ??= familyOf(spec.id?.daddr) ?? familyOf(spec.saddr) ?? 'inet';
  o.lft = { soft_byte_limit: XFRM_INF, hard_byte_limit: XFRM_INF, soft_packet_limit: XFRM_INF, hard_packet_limit: XFRM_INF, ...spec.lft };
  return o;
}

/** Dumps the SAs (XFRM_MSG_GETSA, NLM_F_DUMP), the kernel filtering by protocol when asked. */
export function dumpStates(filter: { proto?: XfrmProto | number } = {}, opts: FamilyOptions = {}): Dump<XfrmState> {
  const req = bareCodec.encode(XFRM_MSG.GETSA, NLM_F_DUMP, (filter.proto !== undefined ? { proto: filter.proto } : {}) as never);
  return xfrmDump<XfrmState>(opts, req, saCodec);
}

/** Gets one SA (XFRM_MSG_GETSA); rejects with ESRCH when there is none. */
export async function getState(id: StateId, opts: FamilyOptions = {}): Promise<XfrmState> {
  return withXfrmSocket(opts, async (sock) => {
    const reply = await sock.request(idMessage(XFRM_MSG.GETSA, id), { headerSize: saIdCodec.headerSize, ...callOptions(opts) });
    const m = reply.messages.find((x) => x.type === XFRM_MSG.NEWSA);
    if (!m) throw new Error('XFRM_MSG_GETSA: no SA in the reply');
    return addressesToText(saCodec.decodePayload(m.payload)) as unknown as XfrmState;
  });
}

/** The NEWSA / UPDSA message for an SA spec, with iproute2's defaults (what addState sends). */
export function encodeState(type: number, flags: number, spec: StateSpec): Uint8Array {
  return saCodec.encode(type, flags, addressesToBytes(withDefaults(spec)) as never);
}

async function putState(type: number, flags: number, spec: StateSpec, opts: FamilyOptions): Promise<XfrmState> {
  return withXfrmSocket(opts, async (sock) => {
    const o = withDefaults(spec);
    await sock.request(encodeState(type, flags, spec), { headerSize: saCodec.headerSize, ...callOptions(opts) });
    return getState(stateId(o as StateSpec), { ...callOptions(opts), socket: sock });
  });
}

/**
 * Adds an SA (XFRM_MSG_NEWSA, `ip xfrm state add`) and resolves with it as the kernel stored it.
 *
 *   await addState({
 *     id: { daddr: '10.0.0.2', spi: 0x100, proto: 'esp' }, saddr: '10.0.0.1', mode: 'tunnel', reqid: 1,
 *     alg_auth_trunc: { alg_name: 'hmac(sha256)', alg_key: key32, alg_trunc_len: 128 },
 *     alg_crypt: { alg_name: 'cbc(aes)', alg_key: key16 },
 *   }, { netns: 'ns1' });
 */
export function addState(spec: StateSpec, opts: FamilyOptions = {}): Promise<XfrmState> {
  return putState(XFRM_MSG.NEWSA, NLM_F_CREATE | NLM_F_EXCL, spec, opts);
}

/** Replaces an existing SA's changeable parts (XFRM_MSG_UPDSA, `ip xfrm state update`). */
export function updateState(spec: StateSpec, opts: FamilyOptions = {}): Promise<XfrmState> {
  return putState(XFRM_MSG.UPDSA, 0, spec, opts);
}

/** Deletes an SA (XFRM_MSG_DELSA); pass its id or the decoded SA. */
export async function deleteState(id: StateId | XfrmState, opts: FamilyOptions = {}): Promise<void> {
  const sid = 'sel' in id ? stateId(id as StateSpec) : id;
  await withXfrmSocket(opts, async (sock) => {
    await sock.request(idMessage(XFRM_MSG.DELSA, sid), { headerSize: saIdCodec.headerSize, ...callOptions(opts) });
  });
}

/** Deletes every SA, or those of one protocol (XFRM_MSG_FLUSHSA, `ip xfrm state flush`). */
export async function flushStates(filter: { proto?: XfrmProto | number } = {}, opts: FamilyOptions = {}): Promise<void> {
  await withXfrmSocket(opts, async (sock) => {
    await sock.request(saFlushCodec.encode(XFRM_MSG.FLUSHSA, 0, { proto: filter.proto ?? 0 } as never), callOptions(opts));
  });
}

/**
 * Allocates an SPI for a larval SA from `min` to `max` (XFRM_MSG_ALLOCSPI, `ip xfrm state
 * allocspi`): the kernel creates an SA in the acquire state, with a hard expiry of 30 s
 * unless it is updated. Resolves with that SA.
 */
export async function allocSpi(spec: StateSpec & { min?: number; max?: number }, opts: FamilyOptions = {}): Promise<XfrmState> {
  return withXfrmSocket(opts, async (sock) => {
    const { min, max, ...info } = spec;
    const o: Record<string, unknown> = { info: withDefaults(info), min: min ?? 0x100, max: max ?? 0x0fffffff };
    if (info.mark) o.mark = info.mark;
    if (info.if_id !== undefined) o.if_id = info.if_id;
    const reply = await sock.request(spiCodec.encode(XFRM_MSG.ALLOCSPI, 0, addressesToBytes(o) as never), { headerSize: spiCodec.headerSize, ...callOptions(opts) });
    const m = reply.messages.find((x) => x.type === XFRM_MSG.NEWSA);
    if (!m) throw new Error('XFRM_MSG_ALLOCSPI: no SA in the reply');
    return addressesToText(saCodec.decodePayload(m.payload)) as unknown as XfrmState;
  });
}

/** The SAD summary (XFRM_MSG_GETSADINFO, `ip xfrm state count`): how many SAs, hash buckets. */
export async function getSadInfo(opts: FamilyOptions = {}): Promise<SadInfo> {
  return withXfrmSocket(opts, async (sock) => {
    const reply = await sock.request(sadInfoCodec.encode(XFRM_MSG.GETSADINFO, 0, { flags: 0xffffffff }), { headerSize: 4, ...callOptions(opts) });
    const m = reply.messages.find((x) => x.type === XFRM_MSG.NEWSADINFO);
    if (!m) throw new Error('XFRM_MSG_GETSADINFO: no reply');
    const d = sadInfoCodec.decodePayload(m.payload) as unknown as Record<string, unknown>;
    return { cnt: (d.cnt as number) ?? 0, ...(d.hinfo ? { hinfo: d.hinfo as SadInfo['hinfo'] & object } : {}) };
  });
}
