// nftables (NFNL_SUBSYS_NFTABLES), the parts automation uses most: list tables, chains and sets
// (dumps filtered by family and table), the generation (NFT_MSG_GETGEN) for consistent reads,
// add and delete tables, chains and sets, add, delete and list set elements (one transaction, split
// into messages under the 64 KiB an attribute can hold), and the ruleset events (nft monitor).
import { Dump, NetlinkSocket, Subscription, type FamilyOptions } from '../socket/index.js';
import { MessageWriter, NETLINK_NETFILTER, NLM_F_ACK, NLM_F_CREATE, NLM_F_EXCL, type MessageReader } from '../wire/index.js';
import { sendTransaction } from './batch.js';
import { NF, NFNL_SUBSYS, NFNLGRP, NFPROTO, NFT_MSG, NFT_SET, NFTA_DATA, NFTA_LIST, NFTA_SET_ELEM, NFTA_SET_ELEM_LIST } from './constants.js';
import { nfnlMsg, nfnlMsgName, nfnlSubsys, nfnlType, openNetfilter, withNetfilterSocket, writeNfgenmsg } from './nfnetlink.js';
import { nftChainCodec, nftGenCodec, nftRuleCodec, nftSetCodec, nftSetElemListCodec, nftTableCodec } from './nft-attrs.js';
import {
  elementParser, fromRawElements, splitElements, toRawElements, type NftElement, type NftRawElement, type NftSetKey,
} from './nftables-elements.js';
import { NFT_HOOKS } from './nftables-format.js';
import { concatKeyType, concatTypes, nftDatatype, parseValueInto } from './nftables-types.js';

/** nft's family names. */
export type NftFamily = 'ip' | 'ip6' | 'inet' | 'arp' | 'bridge' | 'netdev';

/** NFPROTO_* of each nft family. */
export const NFT_FAMILIES: Readonly<Record<NftFamily, number>> = {
  ip: NFPROTO.IPV4, ip6: NFPROTO.IPV6, inet: NFPROTO.INET, arp: NFPROTO.ARP, bridge: NFPROTO.BRIDGE, netdev: NFPROTO.NETDEV,
};
const FAMILY_NAMES = new Map(Object.entries(NFT_FAMILIES).map(([k, v]) => [v, k as NftFamily]));

/** The nft name of an NFPROTO_* number ('inet'), or the number when nft has no name for it. */
export function nftFamilyName(n: number): NftFamily | number {
  return FAMILY_NAMES.get(n) ?? n;
}

/** The NFPROTO_* number of an nft family name; throws TypeError for a name nft does not know. */
export function nftFamily(f: NftFamily | number): number {
  if (typeof f === 'number') return f;
  const n = NFT_FAMILIES[f];
  if (n === undefined) throw new TypeError(`unknown nftables family "${f}"`);
  return n;
}

/** A table. */
export interface NftTable {
  family: NftFamily | number;
  name: string;
  handle: number;
  /** NFT_TABLE_F_* bits. */
  flags: number;
  /** How many chains, sets and objects refer to it. */
  use?: number;
  /** The netlink port id of the process owning it (NFT_TABLE_F_OWNER). */
  owner?: number;
  userdata?: Uint8Array;
  $unknown?: unknown;
}

/** A chain; base chains have a hook, a type, a priority and a policy. */
export interface NftChain {
  family: NftFamily | number;
  table: string;
  name: string;
  handle: number;
  /** 'filter', 'nat', 'route' (base chains). */
  type?: string;
  /** The NF_INET_* (or family's) hook number. */
  hooknum?: number;
  priority?: number;
  /** NF_ACCEPT (1) or NF_DROP (0). */
  policy?: number;
  /** The ingress or egress device (netdev family). */
  dev?: string;
  /** NFT_CHAIN_* bits. */
  flags?: number;
  use?: number;
  userdata?: Uint8Array;
  $unknown?: unknown;
}

/** A set (or map). */
export interface NftSet extends NftSetKey {
  family: NftFamily | number;
  table: string;
  name: string;
  handle: number;
  /** nft's type numbers of the key's fields (one unless a concatenation). */
  types: number[];
  dataType?: number;
  dataLen?: number;
  /** NFT_SET_POL_*. */
  policy?: number;
  /** NFTA_SET_DESC_SIZE: the size the set was declared with. */
  size?: number;
  /** Milliseconds. */
  gcInterval?: number;
  userdata?: Uint8Array;
  $unknown?: unknown;
}

/** What a dump of chains or sets is filtered by. */
export interface NftFilter {
  family?: NftFamily;
  table?: string;
}

/** A table, chain or set in a request: family, table and name. */
export interface NftSetRef {
  family: NftFamily | number;
  table: string;
  name: string;
}

const type = (msg: number) => nfnlType(NFNL_SUBSYS.NFTABLES, msg);
const hdr = (family: number) => ({ family, version: 0, res_id: 0 });
const num = (x: unknown): number => (x === undefined ? 0 : Number(x));

function tableOf(o: Record<string, any>): NftTable {
  const t: NftTable = { family: nftFamilyName(o.family), name: o.name ?? '', handle: num(o.handle), flags: o.flags ?? 0 };
  if (o.use !== undefined) t.use = o.use;
  if (o.owner !== undefined) t.owner = o.owner;
  if (o.userdata !== undefined) t.userdata = o.userdata;
  if (o.$unknown !== undefined) t.$unknown = o.$unknown;
  return t;
}

function chainOf(o: Record<string, any>): NftChain {
  const c: NftChain = { family: nftFamilyName(o.family), table: o.table ?? '', name: o.name ?? '', handle: num(o.handle) };
  if (o.type !== undefined) c.type = o.type;
  if (o.hook?.num !== undefined) c.hooknum = o.hook.num;
  if (o.hook?.priority !== undefined) c.priority = o.hook.priority;
  if (o.hook?.dev !== undefined) c.dev = o.hook.dev;
  if (o.policy !== undefined) c.policy = o.policy;
  if (o.flags !== undefined) c.flags = o.flags;
  if (o.use !== undefined) c.use = o.use;
  if (o.userdata !== undefined) c.userdata = o.userdata;
  if (o.$unknown !== undefined) c.$unknown = o.$unknown;
  return c;
}

function setOf(o: Record<string, any>): NftSet {
  const s: NftSet = {
    family: nftFamilyName(o.family), table: o.table ?? '', name: o.name ?? '', handle: num(o.handle), flags: o.flags ?? 0,
    keyType: o.key_type ?? 0, keyLen: o.key_len ?? 0, types: concatTypes(o.key_type ?? 0),
  };
  const fields = o.desc?.concat?.elem as { len?: number }[] | undefined;
  if (fields?.length) s.fieldLen = fields.map((f) => f.len ?? 0);
  if (o.desc?.size !== undefined) s.size = o.desc.size;
  if (o.data_type !== undefined) s.dataType = o.data_type;
  if (o.data_len !== undefined) s.dataLen = o.data_len;
  if (o.policy !== undefined) s.policy = o.policy;
  if (o.timeout !== undefined) s.timeout = Number(o.timeout);
  if (o.gc_interval !== undefined) s.gcInterval = o.gc_interval;
  if (o.userdata !== undefined) s.userdata = o.userdata;
  if (o.$unknown !== undefined) s.$unknown = o.$unknown;
  return s;
}

function rawOf(e: Record<string, any>): NftRawElement {
  const r: NftRawElement = { flags: e.flags ?? 0 };
  if (e.key?.value) r.key = e.key.value;
  if (e.key_end?.value) r.keyEnd = e.key_end.value;
  if (e.timeout !== undefined) r.timeout = Number(e.timeout);
  if (e.expiration !== undefined) r.expiration = Number(e.expiration);
  if (e.data?.value) r.data = e.data.value;
  if (e.$unknown !== undefined) r.$unknown = e.$unknown;
  return r;
}

function nftDump<T>(msg: number, family: number, attrs: Record<string, unknown>, codec: { decodeAll: (...a: any[]) => void },
  finish: (o: Record<string, any>) => T, keep: (x: T) => boolean, opts: FamilyOptions): Dump<T> {
  const req = nftTableCodec.encode(type(msg), 0, { ...hdr(family) } as never);
  const request = Object.keys(attrs).length === 0 ? req : (msg === NFT_MSG.GETSETELEM
    ? nftSetElemListCodec.encode(type(msg), 0, { ...hdr(family), ...attrs } as never)
    : nftSetCodec.encode(type(msg), 0, { ...hdr(family), ...attrs } as never));
  const netns = opts.netns;
  const tmp: Record<string, any>[] = [];
  return new Dump<T>({
    socket: opts.socket,
    open: () => openNetfilter({ readAhead: true, ...(netns !== undefined ? { netns } : {}) }),
    request,
    decodeBatch: ((buf: Uint8Array, dv: DataView, offsets: readonly number[], out: T[]) => {
      tmp.length = 0;
      codec.decodeAll(buf, dv, offsets, tmp);
      for (const o of tmp) {
        const x = finish(o);
        if (keep(x)) out.push(x);
      }
    }) as never,
    headerSize: 4,
    signal: opts.signal,
    ...(opts.timeout !== undefined ? { timeout: opts.timeout } : {}),
  });
}

const familyOf = (f: NftFamily | undefined) => (f === undefined ? NFPROTO.UNSPEC : nftFamily(f));

/** Dumps the tables (`nft list tables`), of one family when given. */
export function listTables(filter: { family?: NftFamily } = {}, opts: FamilyOptions = {}): Dump<NftTable> {
  return nftDump(NFT_MSG.GETTABLE, familyOf(filter.family), {}, nftTableCodec, tableOf, () => true, opts);
}

/** Dumps the chains (`nft list chains`), of one family and table when given. */
export function listChains(filter: NftFilter = {}, opts: FamilyOptions = {}): Dump<NftChain> {
  return nftDump(NFT_MSG.GETCHAIN, familyOf(filter.family), {}, nftChainCodec, chainOf,
    (c) => filter.table === undefined || c.table === filter.table, opts);
}

/** Dumps the sets (`nft list sets`), of one family and table when given (the kernel filters by table). */
export function listSets(filter: NftFilter = {}, opts: FamilyOptions = {}): Dump<NftSet> {
  return nftDump(NFT_MSG.GETSET, familyOf(filter.family), filter.table !== undefined ? { table: filter.table } : {}, nftSetCodec, setOf,
    (s) => (filter.table === undefined || s.table === filter.table) && !(s.flags & NFT_SET.ANONYMOUS), opts);
}

/** A rule: where it is, and its expressions as the kernel's bytes (NFTA_RULE_EXPRESSIONS). */
export interface NftRule {
  family: NftFamily | number;
  table: string;
  chain: string;
  handle: number;
  expressions?: Uint8Array;
  userdata?: Uint8Array;
  $unknown?: unknown;
}

/** Dumps the rules, of one family (and table) when given; expressions stay bytes. */
export function listRules(filter: NftFilter = {}, opts: FamilyOptions = {}): Dump<NftRule> {
  const finish = (o: Record<string, any>): NftRule => ({
    family: nftFamilyName(o.family), table: o.table ?? '', chain: o.chain ?? '', handle: num(o.handle),
    ...(o.expressions ? { expressions: o.expressions } : {}), ...(o.userdata ? { userdata: o.userdata } : {}),
    ...(o.$unknown !== undefined ? { $unknown: o.$unknown } : {}),
  });
  return nftDump(NFT_MSG.GETRULE, familyOf(filter.family), {}, nftRuleCodec, finish, (r) => filter.table === undefined || r.table === filter.table, opts);
}

/** One set (NFT_MSG_GETSET); rejects with ENOENT when the table or set is not there. */
export async function getSet(ref: NftSetRef, opts: FamilyOptions = {}): Promise<NftSet> {
  return withNetfilterSocket(opts, async (sock) => {
    const r = await sock.request(nftSetCodec.encode(type(NFT_MSG.GETSET), NLM_F_ACK, { ...hdr(nftFamily(ref.family)), table: ref.table, name: ref.name } as never), {
      headerSize: 4, ...(opts.signal ? { signal: opts.signal } : {}),
    });
    const m = r.messages.find((x) => nfnlSubsys(x.type) === NFNL_SUBSYS.NFTABLES && nfnlMsg(x.type) === NFT_MSG.NEWSET);
    if (!m) throw new Error('NFT_MSG_GETSET: the kernel answered without a set');
    return setOf(nftSetCodec.decodePayload(m.payload) as never);
  });
}

/** The kernel's elements of a set as stored (an interval is two elements in an rbtree set). */
export async function listRawElements(set: NftSetRef, opts: FamilyOptions = {}): Promise<NftRawElement[]> {
  const out: NftRawElement[] = [];
  const d = nftDump(NFT_MSG.GETSETELEM, nftFamily(set.family), { table: set.table, set: set.name }, nftSetElemListCodec,
    (o) => o, () => true, opts);
  for await (const m of d) for (const e of (m.elements?.elem ?? []) as Record<string, any>[]) out.push(rawOf(e));
  return out;
}

/** The elements of a set (`nft list set`), intervals merged, sorted as nft lists them. */
export async function listElements(set: NftSetRef | NftSet, opts: FamilyOptions = {}): Promise<NftElement[]> {
  const s = 'keyType' in set ? set : await getSet(set, opts);
  return fromRawElements(s, await listRawElements(s, opts));
}

/** The ruleset's generation id (NFT_MSG_GETGEN); a dump taken between two equal ids is consistent. */
export async function getGeneration(opts: FamilyOptions = {}): Promise<number> {
  return withNetfilterSocket(opts, async (sock) => {
    const r = await sock.request(nftGenCodec.encode(type(NFT_MSG.GETGEN), NLM_F_ACK, hdr(NFPROTO.UNSPEC) as never), {
      headerSize: 4, ...(opts.signal ? { signal: opts.signal } : {}),
    });
    const m = r.messages.find((x) => nfnlSubsys(x.type) === NFNL_SUBSYS.NFTABLES && nfnlMsg(x.type) === NFT_MSG.NEWGEN);
    if (!m) throw new Error('NFT_MSG_GETGEN: the kernel answered without a generation');
    return (nftGenCodec.decodePayload(m.payload) as { id?: number }).id ?? 0;
  });
}

/**
 * Runs `read` until the generation is the same before and after it (nft's way to a consistent
 * view of several dumps); gives up after `tries` (default 10) with the last result.
 */
export async function consistently<T>(read: (opts: FamilyOptions) => Promise<T>, opts: FamilyOptions = {}, tries = 10): Promise<T> {
  return withNetfilterSocket(opts, async (sock) => {
    const o = { ...opts, socket: sock };
    let result!: T;
    for (let i = 0; i < tries; i++) {
      const before = await getGeneration(o);
      result = await read(o);
      if ((await getGeneration(o)) === before) return result;
    }
    return result;
  });
}

// An attribute's length is 16 bits: the elements of one message stay under this many bytes
// (plus one element).
const ELEMENTS_PER_MESSAGE_BYTES = 64_000;

/**
 * Encodes elements into NEWSETELEM or DELSETELEM messages, each under ELEMENTS_PER_MESSAGE_BYTES
 * of elements, written straight into one writer. An item is a kernel element, or (the bulk
 * case) the text of one plain value of a plain set, parsed into a scratch buffer and copied into
 * the message: 100,000 elements through objects and an ArrayBuffer each cost the garbage
 * collector more than the kernel's work.
 */
function elementMessages(msg: number, set: NftSet, items: readonly (string | NftRawElement)[], flags: number): Uint8Array[] {
  const out: Uint8Array[] = [];
  const w = new MessageWriter(ELEMENTS_PER_MESSAGE_BYTES + 1024);
  const family = nftFamily(set.family);
  const t = nftDatatype(set.types[0]!);
  const scratch = new Uint8Array(set.keyLen);
  let i = 0;
  while (i < items.length) {
    w.reset();
    w.begin(type(msg), flags);
    writeNfgenmsg(w, family, 0);
    w.attrString(NFTA_SET_ELEM_LIST.TABLE, set.table);
    w.attrString(NFTA_SET_ELEM_LIST.SET, set.name);
    const list = w.beginNest(NFTA_SET_ELEM_LIST.ELEMENTS);
    const start = w.length;
    for (; i < items.length && w.length - start < ELEMENTS_PER_MESSAGE_BYTES; i++) {
      const r = items[i]!;
      const el = w.beginNest(NFTA_LIST.ELEM);
      const k = w.beginNest(NFTA_SET_ELEM.KEY);
      if (typeof r === 'string') {
        scratch.fill(0);
        w.attr(NFTA_DATA.VALUE, parseValueInto(t!, r, scratch));
        w.endNest(k);
      } else {
        if (r.key) w.attr(NFTA_DATA.VALUE, r.key);
        w.endNest(k);
        if (r.keyEnd) {
          const e = w.beginNest(NFTA_SET_ELEM.KEY_END);
          w.attr(NFTA_DATA.VALUE, r.keyEnd);
          w.endNest(e);
        }
        if (r.flags) w.view.setUint32(w.attrSpace(NFTA_SET_ELEM.FLAGS, 4), r.flags, false);
        if (r.timeout !== undefined) w.view.setBigUint64(w.attrSpace(NFTA_SET_ELEM.TIMEOUT, 8), BigInt(r.timeout), false);
      }
      w.endNest(el);
    }
    w.endNest(list);
    w.end();
    out.push(w.toBytes());
  }
  return out;
}

/** An element to add or delete: nft's text of one element, or an element already read. */
export type NftElementInput = string | NftElement;

/** Sends `messages` as one nf_tables transaction on a socket whose send buffer holds it; throws the first refusal. */
async function commit(messages: Uint8Array[], opts: FamilyOptions): Promise<void> {
  const size = messages.reduce((n, m) => n + m.byteLength, 0) + 4096;
  const own = opts.socket ? undefined : NetlinkSocket.open(NETLINK_NETFILTER, {
    ...(opts.netns !== undefined ? { netns: opts.netns } : {}), sndbuf: Math.max(size * 2, 1 << 16), typeName: nfnlMsgName,
  });
  try {
    const r = await sendTransaction(NFNL_SUBSYS.NFTABLES, messages, { ...opts, ...(own ? { socket: own } : {}) });
    if (!r.committed) throw r.errors[0]!.error;
  } finally {
    own?.close();
  }
}

/** The items elementMessages writes: plain values of a plain set as their text, the rest as kernel elements. */
function elementsOf(set: NftSet, elements: readonly NftElementInput[]): (string | NftRawElement)[] {
  const out: (string | NftRawElement)[] = [];
  const parse = elementParser(set);
  const t = set.types.length === 1 ? nftDatatype(set.types[0]!) : undefined;
  const direct = t !== undefined && t.kind !== 'ifname' && t.kind !== 'proto' && !(set.flags & NFT_SET.INTERVAL) && t.len === set.keyLen;
  const push = (e: NftElement) => {
    for (const r of toRawElements(set, [e])) out.push(r);
  };
  for (const e of elements) {
    if (typeof e !== 'string') push(e);
    else {
      for (const text of splitElements(e)) {
        if (direct && !/[\s/-]/.test(text)) out.push(text);
        else push(parse(text));
      }
    }
  }
  return out;
}

/**
 * Adds elements to a set in one transaction (`nft add element`): nft's text ('10.0.0.0/8',
 * '10.0.0.1-10.0.0.9', '1.2.3.4 . 80 timeout 30s', or a whole '{ a, b }'), or elements. The set
 * is read first for its key type unless given as an NftSet. With `create`, an element already
 * there is an error (EEXIST), as with `nft create element`.
 */
export async function addElements(set: NftSetRef | NftSet, elements: readonly NftElementInput[], opts: FamilyOptions & { create?: boolean } = {}): Promise<void> {
  const s = 'keyType' in set ? set : await getSet(set, opts);
  await commit(elementMessages(NFT_MSG.NEWSETELEM, s, elementsOf(s, elements), NLM_F_CREATE | (opts.create ? NLM_F_EXCL : 0)), opts);
}

/** Deletes elements from a set in one transaction (`nft delete element`); a missing one fails the whole (ENOENT). */
export async function deleteElements(set: NftSetRef | NftSet, elements: readonly NftElementInput[], opts: FamilyOptions = {}): Promise<void> {
  const s = 'keyType' in set ? set : await getSet(set, opts);
  await commit(elementMessages(NFT_MSG.DELSETELEM, s, elementsOf(s, elements), 0), opts);
}

/** Deletes every element of a set (`nft flush set`). */
export async function flushSet(set: NftSetRef, opts: FamilyOptions = {}): Promise<void> {
  await commit([nftSetElemListCodec.encode(type(NFT_MSG.DELSETELEM), 0, { ...hdr(nftFamily(set.family)), table: set.table, set: set.name } as never)], opts);
}

/** Adds a table (`nft add table`); an existing one is left as it is unless `create` (EEXIST). */
export async function addTable(t: { family: NftFamily | number; name: string; flags?: number }, opts: FamilyOptions & { create?: boolean } = {}): Promise<void> {
  await commit([nftTableCodec.encode(type(NFT_MSG.NEWTABLE), NLM_F_CREATE | (opts.create ? NLM_F_EXCL : 0), {
    ...hdr(nftFamily(t.family)), name: t.name, ...(t.flags !== undefined ? { flags: t.flags } : {}),
  } as never)], opts);
}

/** Deletes a table with everything in it (`nft delete table`). */
export async function deleteTable(t: { family: NftFamily | number; name: string }, opts: FamilyOptions = {}): Promise<void> {
  await commit([nftTableCodec.encode(type(NFT_MSG.DELTABLE), 0, { ...hdr(nftFamily(t.family)), name: t.name } as never)], opts);
}

/** What {@link addSet} takes: the key's type names (several for a concatenation), flags, default timeout. */
export interface NftSetSpec extends NftSetRef {
  /** nft's type names: 'ipv4_addr', or ['ipv4_addr', 'inet_service'] for a concatenation. */
  type: string | string[];
  /** 'interval', 'timeout', 'constant', 'dynamic'. */
  flags?: ('interval' | 'timeout' | 'constant' | 'dynamic')[];
  /** Default element timeout, milliseconds. */
  timeout?: number;
  size?: number;
}

const SET_FLAG_BITS = { constant: NFT_SET.CONSTANT, interval: NFT_SET.INTERVAL, timeout: NFT_SET.TIMEOUT, dynamic: NFT_SET.EVAL } as const;

/** Adds a set (`nft add set`) as nft declares one: key type and length, field lengths of a concatenation. */
export async function addSet(spec: NftSetSpec, opts: FamilyOptions & { create?: boolean } = {}): Promise<void> {
  const names = Array.isArray(spec.type) ? spec.type : [spec.type];
  const types = names.map((n) => {
    const t = nftDatatype(n);
    if (!t) throw new TypeError(`unknown set key type "${n}"`);
    return t;
  });
  let flags = (spec.flags ?? []).reduce((f, x) => f | SET_FLAG_BITS[x], 0);
  if (spec.timeout !== undefined) flags |= NFT_SET.TIMEOUT;
  const concat = types.length > 1;
  if (concat && flags & NFT_SET.INTERVAL) flags |= NFT_SET.CONCAT;
  const keyLen = concat ? types.reduce((n, t) => n + ((t.len + 3) & ~3), 0) : types[0]!.len;
  const desc: Record<string, unknown> = {};
  if (spec.size !== undefined) desc.size = spec.size;
  if (concat) desc.concat = { elem: types.map((t) => ({ len: t.len })) };
  await commit([nftSetCodec.encode(type(NFT_MSG.NEWSET), NLM_F_CREATE | (opts.create ? NLM_F_EXCL : 0), {
    ...hdr(nftFamily(spec.family)), table: spec.table, name: spec.name, flags, key_type: concatKeyType(types.map((t) => t.id)), key_len: keyLen,
    id: 1, ...(spec.timeout !== undefined ? { timeout: BigInt(spec.timeout) } : {}), ...(Object.keys(desc).length ? { desc } : {}),
  } as never)], opts);
}

/** Deletes a set (`nft delete set`). */
export async function deleteSet(ref: NftSetRef, opts: FamilyOptions = {}): Promise<void> {
  await commit([nftSetCodec.encode(type(NFT_MSG.DELSET), 0, { ...hdr(nftFamily(ref.family)), table: ref.table, name: ref.name } as never)], opts);
}

/** What {@link addChain} takes: a regular chain, or a base chain with its type, hook, priority and policy. */
export interface NftChainSpec {
  family: NftFamily | number;
  table: string;
  name: string;
  /** 'filter', 'nat', 'route' (base chains; default 'filter'). */
  type?: string;
  /** The hook, by nft's name ('input') or number; makes a base chain. */
  hook?: string | number;
  priority?: number;
  policy?: 'accept' | 'drop';
  /** The device of a netdev ingress/egress chain. */
  dev?: string;
}

/** Adds a chain (`nft add chain`); with `hook`, a base chain. */
export async function addChain(spec: NftChainSpec, opts: FamilyOptions & { create?: boolean } = {}): Promise<void> {
  const family = nftFamily(spec.family);
  const attrs: Record<string, unknown> = { ...hdr(family), table: spec.table, name: spec.name };
  if (spec.hook !== undefined) {
    const num = typeof spec.hook === 'number' ? spec.hook : (NFT_HOOKS[String(nftFamilyName(family))] ?? []).indexOf(spec.hook);
    if (num < 0) throw new TypeError(`unknown hook "${spec.hook}" for family ${String(spec.family)}`);
    attrs.hook = { num, priority: spec.priority ?? 0, ...(spec.dev !== undefined ? { dev: spec.dev } : {}) };
    attrs.type = spec.type ?? 'filter';
    attrs.policy = spec.policy === 'drop' ? NF.DROP : NF.ACCEPT;
  }
  await commit([nftChainCodec.encode(type(NFT_MSG.NEWCHAIN), NLM_F_CREATE | (opts.create ? NLM_F_EXCL : 0), attrs as never)], opts);
}

/** Deletes a chain (`nft delete chain`); the kernel refuses one that has rules or is jumped to (EBUSY). */
export async function deleteChain(ref: NftSetRef, opts: FamilyOptions = {}): Promise<void> {
  await commit([nftChainCodec.encode(type(NFT_MSG.DELCHAIN), 0, { ...hdr(nftFamily(ref.family)), table: ref.table, name: ref.name } as never)], opts);
}

/** A ruleset event (`nft monitor`): what was added or deleted, decoded as the dumps decode it. */
export type NftEvent =
  | { event: 'add' | 'delete'; object: 'table'; table: NftTable }
  | { event: 'add' | 'delete'; object: 'chain'; chain: NftChain }
  | { event: 'add' | 'delete'; object: 'set'; set: NftSet }
  | { event: 'add' | 'delete'; object: 'rule'; rule: NftRule }
  | { event: 'add' | 'delete'; object: 'element'; family: NftFamily | number; table: string; set: string; elements: NftRawElement[] }
  | { event: 'generation'; id: number; pid?: number; process?: string };

/** Decodes one NFNLGRP_NFTABLES message; undefined for the ones this version does not model (objects, flowtables). */
export function decodeNftEvent(r: MessageReader): NftEvent | undefined {
  if (nfnlSubsys(r.type) !== NFNL_SUBSYS.NFTABLES) return undefined;
  const m = nfnlMsg(r.type);
  const ev = (add: number) => (m === add ? 'add' : 'delete') as 'add' | 'delete';
  switch (m) {
    case NFT_MSG.NEWTABLE: case NFT_MSG.DELTABLE: return { event: ev(NFT_MSG.NEWTABLE), object: 'table', table: tableOf(nftTableCodec.decode(r) as never) };
    case NFT_MSG.NEWCHAIN: case NFT_MSG.DELCHAIN: return { event: ev(NFT_MSG.NEWCHAIN), object: 'chain', chain: chainOf(nftChainCodec.decode(r) as never) };
    case NFT_MSG.NEWSET: case NFT_MSG.DELSET: return { event: ev(NFT_MSG.NEWSET), object: 'set', set: setOf(nftSetCodec.decode(r) as never) };
    case NFT_MSG.NEWRULE: case NFT_MSG.DELRULE: {
      const o = nftRuleCodec.decode(r) as Record<string, any>;
      return {
        event: ev(NFT_MSG.NEWRULE), object: 'rule',
        rule: { family: nftFamilyName(o.family), table: o.table ?? '', chain: o.chain ?? '', handle: num(o.handle), ...(o.expressions ? { expressions: o.expressions } : {}) },
      };
    }
    case NFT_MSG.NEWSETELEM: case NFT_MSG.DELSETELEM: {
      const o = nftSetElemListCodec.decode(r) as Record<string, any>;
      return {
        event: ev(NFT_MSG.NEWSETELEM), object: 'element', family: nftFamilyName(o.family), table: o.table ?? '', set: o.set ?? '',
        elements: ((o.elements?.elem ?? []) as Record<string, any>[]).map(rawOf),
      };
    }
    case NFT_MSG.NEWGEN: {
      const o = nftGenCodec.decode(r) as Record<string, any>;
      return { event: 'generation', id: o.id ?? 0, ...(o.proc_pid !== undefined ? { pid: o.proc_pid } : {}), ...(o.proc_name !== undefined ? { process: o.proc_name } : {}) };
    }
    default: return undefined;
  }
}

/** Subscribes to the ruleset events (NFNLGRP_NFTABLES, `nft monitor`). Overruns are reported as items. */
export function nftEvents(opts: FamilyOptions = {}): Subscription<NftEvent> {
  return new Subscription<NftEvent>({
    socket: opts.socket ?? openNetfilter(opts.netns !== undefined ? { netns: opts.netns } : {}),
    owned: !opts.socket,
    signal: opts.signal,
    decode: decodeNftEvent,
    join: (sock: NetlinkSocket) => sock.join(NFNLGRP.NFTABLES),
  });
}
