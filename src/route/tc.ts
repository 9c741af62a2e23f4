// Traffic control: qdiscs, classes, filters and chains (RTM_{NEW,DEL,GET}{QDISC,TCLASS,
// TFILTER,CHAIN}) dumped, got, added, changed, replaced and deleted, as flat tcmsg objects
// whose `options` are typed by `kind`. They live in nlkit/route because they are rtnetlink
// messages on the same NETLINK_ROUTE socket, resolve links and share its events.
import { NLM_F_CREATE, NLM_F_ECHO, NLM_F_EXCL, NLM_F_REPLACE, NLMSG_HDRLEN } from '../wire/index.js';
import type { Dump, FamilyOptions, NetlinkSocket } from '../socket/index.js';
import { tcCodec, type TcObject } from './codecs.js';
import { ETH_P, RTM, TC_H } from './constants.js';
import { resolveLink, type LinkRef } from './links.js';
import { callOptions, routeDump, withSocket } from './socket.js';

export type { TcObject } from './codecs.js';

const HDR = tcCodec.headerSize;

/** A qdisc: its `kind`, `handle`, `parent`, `options` (typed by kind) and statistics (`stats2`). */
export type Qdisc = TcObject;
/** A class: its `kind` (its qdisc's), `handle` (the classid), `parent` and `options`. */
export type TcClass = TcObject;
/** A filter: tcmsg fields, `prio` and `protocol` split out of tcm_info, `kind`, `chain` and `options`. */
export type TcFilter = TcObject & { prio: number; protocol: number };

// ---- handles ----

/** Makes a handle from major and minor (TC_H_MAKE). */
export function tcHandle(major: number, minor: number): number {
  return (((major << 16) & TC_H.MAJ_MASK) | (minor & TC_H.MIN_MASK)) >>> 0;
}

/**
 * Parses a handle as tc writes it: `1:`, `1:10`, `:10`, `ffff:fff1` (hexadecimal), `root`,
 * `ingress`, `clsact`, `none`. Throws a TypeError on anything else.
 */
export function parseTcHandle(s: string): number {
  if (s === 'root') return TC_H.ROOT;
  if (s === 'none') return TC_H.UNSPEC;
  if (s === 'ingress' || s === 'clsact') return TC_H.INGRESS;
  const m = /^([0-9a-fA-F]{0,4}):([0-9a-fA-F]{0,4})$/.exec(s) ?? /^([0-9a-fA-F]{1,4})$/.exec(s);
  if (!m) throw new TypeError(`invalid handle "${s}"`);
  return tcHandle(m[1] ? parseInt(m[1], 16) : 0, m[2] ? parseInt(m[2], 16) : 0);
}

/** Formats a handle as tc prints it (print_tc_handle): `root`, `none`, `1:`, `:10`, `1:10`. */
export function formatTcHandle(h: number): string {
  h >>>= 0;
  if (h === TC_H.ROOT) return 'root';
  if (h === TC_H.UNSPEC) return 'none';
  const maj = h >>> 16;
  const min = h & TC_H.MIN_MASK;
  if (maj === 0) return `:${min.toString(16)}`;
  if (min === 0) return `${maj.toString(16)}:`;
  return `${maj.toString(16)}:${min.toString(16)}`;
}

/** The parent of a clsact/ingress qdisc's ingress filters (`tc filter … ingress`). */
export const TC_PARENT_INGRESS = tcHandle(TC_H.CLSACT >>> 16, TC_H.MIN_INGRESS);
/** The parent of a clsact qdisc's egress filters (`tc filter … egress`). */
export const TC_PARENT_EGRESS = tcHandle(TC_H.CLSACT >>> 16, TC_H.MIN_EGRESS);

const htons = (v: number): number => ((v & 0xff) << 8) | ((v >>> 8) & 0xff);

/** Adds `prio` and `protocol` (host order, ETH_P_*) from tcm_info. */
function withFilterInfo(o: TcObject): TcFilter {
  const f = o as TcFilter;
  f.prio = o.info >>> 16;
  f.protocol = htons(o.info & 0xffff);
  return f;
}

// ---- dumps ----

/** Filters of {@link dumpQdiscs}. */
export interface QdiscFilter {
  /** Only qdiscs of this link. */
  dev?: LinkRef;
  /** Also the qdiscs the kernel hides by default (TCA_DUMP_INVISIBLE: `tc qdisc show invisible`). */
  invisible?: boolean;
}

/** Dumps qdiscs (RTM_GETQDISC, NLM_F_DUMP). */
export function dumpQdiscs(filter: QdiscFilter = {}, opts: FamilyOptions = {}): Dump<Qdisc> {
  let ifindex = 0;
  return routeDump<Qdisc>(opts, async (sock) => {
    if (filter.dev !== undefined) ifindex = await resolveLink(filter.dev, sock);
    const o: Record<string, unknown> = { family: 'unspec', ifindex };
    if (filter.invisible) o.dump_invisible = true;
    return tcCodec.encode(RTM.GETQDISC, 0, o as Partial<TcObject>);
  }, tcCodec, (q) => ifindex === 0 || q.ifindex === ifindex);
}

/** Filters of {@link dumpClasses}: the link is required (the kernel dumps one link's classes). */
export interface ClassFilter {
  dev: LinkRef;
  /** Only the children of this handle. */
  parent?: number;
  /** The qdisc to dump the classes of, by handle (the kernel then dumps that qdisc's tree, as `tc class show parent`). */
  qdisc?: number;
}

/** Dumps the classes of a link (RTM_GETTCLASS, NLM_F_DUMP). */
export function dumpClasses(filter: ClassFilter, opts: FamilyOptions = {}): Dump<TcClass> {
  const parent = filter.parent;
  return routeDump<TcClass>(opts, async (sock) => {
    const ifindex = await resolveLink(filter.dev, sock);
    return tcCodec.encode(RTM.GETTCLASS, 0, { family: 'unspec', ifindex, parent: filter.qdisc ?? parent ?? 0 } as Partial<TcObject>);
  }, tcCodec, parent === undefined ? undefined : (c) => c.parent === parent);
}

/** Filters of {@link dumpFilters}: the link is required; the parent picks the qdisc (default its root). */
export interface FilterFilter {
  dev: LinkRef;
  /** The qdisc or class the filters hang on (TC_PARENT_INGRESS/EGRESS for clsact). */
  parent?: number;
  /** Only this chain (TCA_CHAIN, filtered by the kernel). */
  chain?: number;
  /** Only this preference. */
  prio?: number;
  /** Only this protocol (ETH_P_*). */
  protocol?: number;
}

/** Dumps the filters of a qdisc (RTM_GETTFILTER, NLM_F_DUMP); `prio` and `protocol` are split out of tcm_info. */
export function dumpFilters(filter: FilterFilter, opts: FamilyOptions = {}): Dump<TcFilter> {
  const info = filterInfo(filter.prio ?? 0, filter.protocol ?? 0);
  // The kernel filters by parent and chain; prio and protocol are matched here (tc does the same).
  const keep = (f: TcFilter): boolean => (!filter.prio || f.prio === filter.prio) && (!filter.protocol || f.protocol === filter.protocol);
  return routeDump<TcFilter>(opts, async (sock) => {
    const ifindex = await resolveLink(filter.dev, sock);
    const o: Record<string, unknown> = { family: 'unspec', ifindex, parent: filter.parent ?? 0, info };
    if (filter.chain !== undefined) o.chain = filter.chain;
    return tcCodec.encode(RTM.GETTFILTER, 0, o as Partial<TcObject>);
  }, tcCodec, (o) => keep(withFilterInfo(o)));
}

/** Dumps the chains of a qdisc (RTM_GETCHAIN, NLM_F_DUMP): objects with `chain` (and `kind`/`options` of a template). */
export function dumpChains(filter: { dev: LinkRef; parent?: number }, opts: FamilyOptions = {}): Dump<TcObject> {
  return routeDump<TcObject>(opts, async (sock) => {
    const ifindex = await resolveLink(filter.dev, sock);
    return tcCodec.encode(RTM.GETCHAIN, 0, { family: 'unspec', ifindex, parent: filter.parent ?? 0 } as Partial<TcObject>);
  }, tcCodec);
}

const filterInfo = (prio: number, protocol: number): number => (((prio & 0xffff) << 16) | htons(protocol)) >>> 0;

// ---- changes ----

/**
 * A qdisc, class or filter to create, change or delete: the tcmsg fields and TCA_* attributes,
 * the link by name or index (`dev`), and for filters `prio` and `protocol` (default ETH_P_ALL).
 */
export interface TcSpec extends Partial<Omit<TcObject, 'family'>> {
  dev?: LinkRef;
  prio?: number;
  protocol?: number;
}

/** Options of tc changes. */
export interface TcChangeOptions extends FamilyOptions {
  /** Extra nlmsg_flags to OR into the request. */
  flags?: number;
  /** Called with the warning the kernel attached to its ACK (`sch_htb: quantum of class 10001 is big…`). */
  onWarning?: (message: string) => void;
}

/** Which object a call changes. */
export type TcObjectKind = 'qdisc' | 'class' | 'filter' | 'chain';

const TYPES: Record<TcObjectKind, { new: number; del: number; get: number }> = {
  qdisc: { new: RTM.NEWQDISC, del: RTM.DELQDISC, get: RTM.GETQDISC },
  class: { new: RTM.NEWTCLASS, del: RTM.DELTCLASS, get: RTM.GETTCLASS },
  filter: { new: RTM.NEWTFILTER, del: RTM.DELTFILTER, get: RTM.GETTFILTER },
  chain: { new: RTM.NEWCHAIN, del: RTM.DELCHAIN, get: RTM.GETCHAIN },
};

async function tcMessage(what: TcObjectKind, spec: TcSpec, sock: NetlinkSocket): Promise<Record<string, unknown>> {
  const o: Record<string, unknown> = { family: 'unspec' };
  for (const [k, v] of Object.entries(spec)) if (k !== 'dev' && k !== 'prio' && k !== 'protocol' && v !== undefined) o[k] = v;
  if (spec.dev !== undefined) o.ifindex = await resolveLink(spec.dev, sock);
  if (o.ifindex === undefined) throw new TypeError(`${what}: a link is needed (dev or ifindex)`);
  o.handle ??= 0;
  o.parent ??= what === 'qdisc' || what === 'class' ? TC_H.ROOT : 0;
  if (what === 'filter' || what === 'chain') o.info = filterInfo(spec.prio ?? 0, spec.protocol ?? (what === 'filter' ? ETH_P.ALL : 0));
  else o.info ??= 0;
  return o;
}

function decode(what: TcObjectKind, payload: Uint8Array): TcObject {
  const o = tcCodec.decodePayload(payload) as TcObject;
  return what === 'filter' ? withFilterInfo(o) : o;
}

async function modify(what: TcObjectKind, spec: TcSpec, nlflags: number, opts: TcChangeOptions): Promise<TcObject> {
  return withSocket(opts, async (sock) => {
    const msg = await tcMessage(what, spec, sock);
    const request = tcCodec.encode(TYPES[what].new, nlflags | NLM_F_ECHO | (opts.flags ?? 0), msg as Partial<TcObject>);
    const reply = await sock.request(request, { headerSize: HDR, ...callOptions(opts) });
    if (reply.ack?.message && opts.onWarning) opts.onWarning(reply.ack.message);
    // The kernel echoes what it made (with the handles it chose); without an echo, the request decoded.
    const echoed = reply.messages.find((m) => m.type === TYPES[what].new);
    return decode(what, echoed ? echoed.payload : request.subarray(NLMSG_HDRLEN));
  });
}

/**
 * Adds a qdisc, class, filter or chain (NLM_F_CREATE|NLM_F_EXCL: `tc … add`) and resolves with
 * it as the kernel echoes it.
 *
 *   await addTc('qdisc', { dev: 'v0', handle: parseTcHandle('1:'), kind: 'htb', options: { init: { version: 3, rate2quantum: 10, defcls: 0x10 } } });
 */
export function addTc(what: TcObjectKind, spec: TcSpec, opts: TcChangeOptions = {}): Promise<TcObject> {
  return modify(what, spec, NLM_F_CREATE | NLM_F_EXCL, opts);
}

/** Adds or replaces (`tc … replace`). */
export function replaceTc(what: TcObjectKind, spec: TcSpec, opts: TcChangeOptions = {}): Promise<TcObject> {
  return modify(what, spec, NLM_F_CREATE | NLM_F_REPLACE, opts);
}

/** Changes an existing one (`tc … change`). */
export function changeTc(what: TcObjectKind, spec: TcSpec, opts: TcChangeOptions = {}): Promise<TcObject> {
  return modify(what, spec, 0, opts);
}

/** Deletes one (`tc … del`): a qdisc by parent (and handle), a class by classid, filters by parent/prio/protocol/handle. */
export async function deleteTc(what: TcObjectKind, spec: TcSpec, opts: TcChangeOptions = {}): Promise<void> {
  await withSocket(opts, async (sock) => {
    const msg = await tcMessage(what, spec, sock);
    if (what === 'filter' && spec.prio === undefined && spec.protocol === undefined) msg.info = 0;
    delete msg.options;
    const reply = await sock.request(tcCodec.encode(TYPES[what].del, 0, msg as Partial<TcObject>), { headerSize: HDR, ...callOptions(opts) });
    if (reply.ack?.message && opts.onWarning) opts.onWarning(reply.ack.message);
  });
}

/** Gets one (RTM_GET* request, `tc … get`): a qdisc or class by handle, a filter by parent, prio, protocol, handle and kind. */
export async function getTc(what: TcObjectKind, spec: TcSpec, opts: FamilyOptions = {}): Promise<TcObject> {
  return withSocket(opts, async (sock) => {
    const msg = await tcMessage(what, spec, sock);
    // The kernel answers RTM_GETQDISC/GETTCLASS only to NLM_F_ECHO (qdisc_notify); filters always.
    const reply = await sock.request(tcCodec.encode(TYPES[what].get, NLM_F_ECHO, msg as Partial<TcObject>), { ack: false, headerSize: HDR, ...callOptions(opts) });
    return decode(what, reply.messages[0]!.payload);
  });
}

/** Adds a qdisc (`tc qdisc add`). */
export const addQdisc = (spec: TcSpec, opts?: TcChangeOptions): Promise<Qdisc> => addTc('qdisc', spec, opts);
/** Deletes a qdisc (`tc qdisc del`). */
export const deleteQdisc = (spec: TcSpec, opts?: FamilyOptions): Promise<void> => deleteTc('qdisc', spec, opts);
/** Adds a class (`tc class add`). */
export const addClass = (spec: TcSpec, opts?: TcChangeOptions): Promise<TcClass> => addTc('class', spec, opts);
/** Deletes a class (`tc class del`). */
export const deleteClass = (spec: TcSpec, opts?: FamilyOptions): Promise<void> => deleteTc('class', spec, opts);
/** Adds a filter (`tc filter add`). */
export const addFilter = (spec: TcSpec, opts?: TcChangeOptions): Promise<TcFilter> => addTc('filter', spec, opts) as Promise<TcFilter>;
/** Deletes filters (`tc filter del`). */
export const deleteFilter = (spec: TcSpec, opts?: FamilyOptions): Promise<void> => deleteTc('filter', spec, opts);
