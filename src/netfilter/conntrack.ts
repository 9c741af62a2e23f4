// Connection tracking (ctnetlink, NFNL_SUBSYS_CTNETLINK): dumps filtered by the kernel (family,
// mark/mask, zone, status), get, create, delete, flush, and the new/update/destroy events.
// formatConntrack() writes an entry as `conntrack -L` does.
import { FlatMessageCodec } from '../schema/index.js';
import { Dump, Subscription, type FamilyOptions, type NetlinkSocket } from '../socket/index.js';
import { NLM_F_ACK, NLM_F_CREATE, NLM_F_EXCL, type MessageReader } from '../wire/index.js';
import { ctaAttrs } from './conntrack-attrs.js';
import { IPCTNL_MSG, IPS, NFNL_SUBSYS, NFNLGRP, NFPROTO, TCP_CONNTRACK } from './constants.js';
import { nfnlMsg, nfnlSubsys, nfnlType, openNetfilter, withNetfilterSocket } from './nfnetlink.js';
import { nfgenmsg } from './structs.js';

/** nfgenmsg + CTA_* (connections). */
export const ctaCodec = new FlatMessageCodec(nfgenmsg, ctaAttrs);

/** One direction of a connection. */
export interface Tuple {
  src: string;
  dst: string;
  /** The layer-4 protocol number (6 TCP, 17 UDP, 1 ICMP, 58 ICMPv6). */
  protocol: number;
  sport?: number;
  dport?: number;
  /** ICMP type, code and id. */
  type?: number;
  code?: number;
  id?: number;
  zone?: number;
}

/** A tracked connection. */
export interface Conntrack {
  /** 'ipv4', 'ipv6', or the NFPROTO_* number. */
  family: 'ipv4' | 'ipv6' | number;
  orig: Tuple;
  reply: Tuple;
  /** IPS_* bits. */
  status: number;
  /** Seconds left. */
  timeout?: number;
  mark?: number;
  use?: number;
  /** The kernel's id of the entry. */
  id?: number;
  zone?: number;
  secmark?: number;
  /** The helper attached to the connection (CTA_HELP: 'ftp', 'sip', …). */
  helper?: string;
  /** TCP's tracking state, as conntrack prints it ('ESTABLISHED', 'TIME_WAIT', …). */
  tcpState?: string;
  counters?: { orig: { packets: bigint; bytes: bigint }; reply: { packets: bigint; bytes: bigint } };
  /** Attributes this version does not know, kept as bytes. */
  $unknown?: unknown;
}

/** What the kernel filters a dump by (needs Linux 5.x for zone, 5.19 for status). */
export interface ConntrackFilter {
  family?: 'ipv4' | 'ipv6';
  mark?: number;
  /** Mask for `mark` (default all ones). */
  markMask?: number;
  zone?: number;
  /** IPS_* bits that must be set. */
  status?: number;
  statusMask?: number;
}

const FAMILY: Record<string, number> = { ipv4: NFPROTO.IPV4, ipv6: NFPROTO.IPV6 };
/** TCP_CONNTRACK_* names by value, as conntrack prints them. */
export const TCP_STATE_NAMES = Object.fromEntries(Object.entries(TCP_CONNTRACK).filter(([k]) => k !== 'TIMEOUT_MAX' && k !== 'SYN_SENT2').map(([k, v]) => [v, k])) as Record<number, string>;
const isV6 = (s: string) => s.includes(':');

/** A decoded CTA_TUPLE_* nest as a Tuple (for conntrack entries and expectations alike). */
export function tupleOf(t: Record<string, any> | undefined): Tuple {
  const ip = t?.ip ?? {};
  const p = t?.proto ?? {};
  const out: Tuple = { src: ip.v4_src ?? ip.v6_src ?? '', dst: ip.v4_dst ?? ip.v6_dst ?? '', protocol: p.num ?? 0 };
  if (p.src_port !== undefined) out.sport = p.src_port;
  if (p.dst_port !== undefined) out.dport = p.dst_port;
  const type = p.icmp_type ?? p.icmpv6_type;
  if (type !== undefined) out.type = type;
  const code = p.icmp_code ?? p.icmpv6_code;
  if (code !== undefined) out.code = code;
  const id = p.icmp_id ?? p.icmpv6_id;
  if (id !== undefined) out.id = id;
  if (t?.zone !== undefined) out.zone = t.zone;
  return out;
}

/** A decoded CTA_* message (ctaCodec) as a Conntrack. */
export function toConntrack(o: Record<string, any>): Conntrack {
  const c: Conntrack = {
    family: o.family === NFPROTO.IPV4 ? 'ipv4' : o.family === NFPROTO.IPV6 ? 'ipv6' : o.family,
    orig: tupleOf(o.tuple_orig), reply: tupleOf(o.tuple_reply), status: o.status ?? 0,
  };
  if (o.timeout !== undefined) c.timeout = o.timeout;
  if (o.mark !== undefined) c.mark = o.mark;
  if (o.use !== undefined) c.use = o.use;
  if (o.id !== undefined) c.id = o.id;
  if (o.zone !== undefined) c.zone = o.zone;
  if (o.secmark !== undefined) c.secmark = o.secmark;
  if (o.help?.name !== undefined) c.helper = o.help.name;
  const st = o.protoinfo?.tcp?.state;
  if (st !== undefined) c.tcpState = TCP_STATE_NAMES[st] ?? String(st);
  if (o.counters_orig || o.counters_reply) {
    const n = (x: any) => ({ packets: BigInt(x?.packets ?? 0), bytes: BigInt(x?.bytes ?? 0) });
    c.counters = { orig: n(o.counters_orig), reply: n(o.counters_reply) };
  }
  if (o.$unknown !== undefined) c.$unknown = o.$unknown;
  return c;
}

/** The CTA_TUPLE_* object of a Tuple. */
export function tupleAttrs(t: Partial<Tuple> & { src: string; dst: string; protocol: number }): Record<string, unknown> {
  const v6 = isV6(t.src);
  const proto: Record<string, number> = { num: t.protocol };
  if (t.sport !== undefined) proto.src_port = t.sport;
  if (t.dport !== undefined) proto.dst_port = t.dport;
  const icmp = v6 ? 'icmpv6' : 'icmp';
  if (t.type !== undefined) proto[`${icmp}_type`] = t.type;
  if (t.code !== undefined) proto[`${icmp}_code`] = t.code;
  if (t.id !== undefined) proto[`${icmp}_id`] = t.id;
  return {
    ip: v6 ? { v6_src: t.src, v6_dst: t.dst } : { v4_src: t.src, v4_dst: t.dst },
    proto,
    ...(t.zone !== undefined ? { zone: t.zone } : {}),
  };
}

const type = (msg: number) => nfnlType(NFNL_SUBSYS.CTNETLINK, msg);
/** The NFPROTO_* of a tuple, from its addresses. */
export const familyOf = (t: { src: string }) => (isV6(t.src) ? NFPROTO.IPV6 : NFPROTO.IPV4);

/**
 * A Dump of nfnetlink objects: `req` sent with NLM_F_DUMP on a socket of its own (or the
 * caller's), each reply decoded by `codec` and finished by `finish`. Replies of other message
 * types are skipped.
 */
export function nfDump<T>(
  req: Uint8Array, codec: FlatMessageCodec<any, any>, finish: (o: Record<string, any>) => T, opts: FamilyOptions,
): Dump<T> {
  const netns = opts.netns;
  const tmp: Record<string, unknown>[] = [];
  return new Dump<T>({
    socket: opts.socket,
    open: () => openNetfilter({ readAhead: true, ...(netns !== undefined ? { netns } : {}) }),
    request: req,
    decodeBatch: ((buf: Uint8Array, dv: DataView, offsets: readonly number[], out: T[]) => {
      tmp.length = 0;
      codec.decodeAll(buf, dv, offsets, tmp as never);
      for (const o of tmp) out.push(finish(o));
    }) as never,
    headerSize: 4,
    signal: opts.signal,
    ...(opts.timeout !== undefined ? { timeout: opts.timeout } : {}),
  });
}

/** The IPCTNL_MSG_CT_GET dump request of a filter. */
export function conntrackDumpRequest(filter: ConntrackFilter = {}): Uint8Array {
  const fam = filter.family === undefined ? NFPROTO.UNSPEC : FAMILY[filter.family];
  if (fam === undefined) throw new TypeError(`unknown family "${filter.family}"`);
  return ctaCodec.encode(type(IPCTNL_MSG.CT_GET), 0, {
    family: fam, version: 0, res_id: 0,
    ...(filter.mark !== undefined ? { mark: filter.mark >>> 0, mark_mask: (filter.markMask ?? 0xffffffff) >>> 0 } : {}),
    ...(filter.zone !== undefined ? { zone: filter.zone } : {}),
    ...(filter.status !== undefined ? { status: filter.status >>> 0, status_mask: (filter.statusMask ?? filter.status) >>> 0 } : {}),
  } as never);
}

/** Dumps the connection table (`conntrack -L`), filtered by the kernel. */
export function dumpConntrack(filter: ConntrackFilter = {}, opts: FamilyOptions = {}): Dump<Conntrack> {
  return nfDump(conntrackDumpRequest(filter), ctaCodec, toConntrack, opts);
}

/** The entry whose original (or reply) tuple is `tuple` (`conntrack -G`); rejects with ENOENT. */
export async function getConntrack(tuple: Tuple, opts: FamilyOptions & { reply?: boolean } = {}): Promise<Conntrack> {
  return withNetfilterSocket(opts, async (sock) => {
    const r = await sock.request(ctaCodec.encode(type(IPCTNL_MSG.CT_GET), NLM_F_ACK, {
      family: familyOf(tuple), version: 0, res_id: 0, [opts.reply ? 'tuple_reply' : 'tuple_orig']: tupleAttrs(tuple),
    } as never), { headerSize: 4, ...(opts.signal ? { signal: opts.signal } : {}) });
    const m = r.messages.find((x) => nfnlSubsys(x.type) === NFNL_SUBSYS.CTNETLINK && nfnlMsg(x.type) === IPCTNL_MSG.CT_NEW);
    if (!m) throw new Error('IPCTNL_MSG_CT_GET: the kernel answered without an entry');
    return toConntrack(ctaCodec.decodePayload(m.payload) as never);
  });
}

/** Deletes the entry with this original tuple (or this entry, by tuple and id) (`conntrack -D`). */
export async function deleteConntrack(entry: Tuple | Conntrack, opts: FamilyOptions = {}): Promise<void> {
  const tuple = 'orig' in entry ? entry.orig : entry;
  const id = 'orig' in entry ? entry.id : undefined;
  await withNetfilterSocket(opts, async (sock) => {
    await sock.request(ctaCodec.encode(type(IPCTNL_MSG.CT_DELETE), NLM_F_ACK, {
      family: familyOf(tuple), version: 0, res_id: 0, tuple_orig: tupleAttrs(tuple), ...(id !== undefined ? { id } : {}),
    } as never), { headerSize: 4, ...(opts.signal ? { signal: opts.signal } : {}) });
  });
}

/** Deletes every entry (of one family) (`conntrack -F`). */
export async function flushConntrack(family?: 'ipv4' | 'ipv6', opts: FamilyOptions = {}): Promise<void> {
  await withNetfilterSocket(opts, async (sock) => {
    await sock.request(ctaCodec.encode(type(IPCTNL_MSG.CT_DELETE), NLM_F_ACK, {
      family: family === undefined ? NFPROTO.UNSPEC : FAMILY[family], version: 0, res_id: 0,
    } as never), { headerSize: 4, ...(opts.signal ? { signal: opts.signal } : {}) });
  });
}

/** What {@link createConntrack} and {@link updateConntrack} take. */
export interface ConntrackSpec {
  orig: Tuple;
  /** The reply tuple; the original reversed when absent. */
  reply?: Tuple;
  /** Seconds (required by the kernel for a new entry). */
  timeout: number;
  mark?: number;
  /** IPS_* bits (SEEN_REPLY, ASSURED, …). */
  status?: number;
  zone?: number;
  /** A helper to attach (CTA_HELP), so the entry can be the master of expectations. */
  helper?: string;
  /** TCP's tracking state for a new TCP entry ('ESTABLISHED', 'SYN_SENT', …). */
  tcpState?: string;
}

function tcpStateValue(name: string): number {
  const v = (TCP_CONNTRACK as Record<string, number>)[name.toUpperCase()];
  if (v === undefined || name.toUpperCase() === 'TIMEOUT_MAX') throw new TypeError(`unknown TCP state "${name}"`);
  return v;
}

function specAttrs(s: Partial<ConntrackSpec> & { orig: Tuple }): Record<string, unknown> {
  const reply = s.reply ?? {
    src: s.orig.dst, dst: s.orig.src, protocol: s.orig.protocol,
    ...(s.orig.sport !== undefined ? { dport: s.orig.sport } : {}), ...(s.orig.dport !== undefined ? { sport: s.orig.dport } : {}),
    ...(s.orig.type === 8 ? { type: 0, code: 0, id: s.orig.id } : {}),
  };
  return {
    family: familyOf(s.orig), version: 0, res_id: 0, tuple_orig: tupleAttrs(s.orig), tuple_reply: tupleAttrs(reply as Tuple),
    ...(s.timeout !== undefined ? { timeout: s.timeout } : {}), ...(s.mark !== undefined ? { mark: s.mark >>> 0 } : {}),
    ...(s.status !== undefined ? { status: s.status } : {}), ...(s.zone !== undefined ? { zone: s.zone } : {}),
    ...(s.helper !== undefined ? { help: { name: s.helper } } : {}),
    ...(s.tcpState !== undefined ? { protoinfo: { tcp: { state: tcpStateValue(s.tcpState) } } } : {}),
  };
}

/** Adds an entry (`conntrack -I`); rejects with EEXIST when it is there. */
export async function createConntrack(spec: ConntrackSpec, opts: FamilyOptions = {}): Promise<void> {
  await withNetfilterSocket(opts, async (sock) => {
    await sock.request(ctaCodec.encode(type(IPCTNL_MSG.CT_NEW), NLM_F_ACK | NLM_F_CREATE | NLM_F_EXCL, specAttrs(spec) as never), {
      headerSize: 4, ...(opts.signal ? { signal: opts.signal } : {}),
    });
  });
}

/** Changes an entry's timeout, mark or status (`conntrack -U`); rejects with ENOENT when it is not there. */
export async function updateConntrack(spec: Partial<ConntrackSpec> & { orig: Tuple }, opts: FamilyOptions = {}): Promise<void> {
  const a = specAttrs(spec);
  delete a.tuple_reply;
  await withNetfilterSocket(opts, async (sock) => {
    await sock.request(ctaCodec.encode(type(IPCTNL_MSG.CT_NEW), NLM_F_ACK, a as never), { headerSize: 4, ...(opts.signal ? { signal: opts.signal } : {}) });
  });
}

/** A conntrack event: the entry and what happened to it. */
export interface ConntrackEvent {
  /** 'new', 'update' or 'destroy' (as `conntrack -E` prints them: [NEW], [UPDATE], [DESTROY]). */
  event: 'new' | 'update' | 'destroy';
  conntrack: Conntrack;
}

const EVENT_GROUP: Record<ConntrackEvent['event'], number> = {
  new: NFNLGRP.CONNTRACK_NEW, update: NFNLGRP.CONNTRACK_UPDATE, destroy: NFNLGRP.CONNTRACK_DESTROY,
};

/** Subscribes to conntrack events (`conntrack -E`); all three kinds by default. Overruns are reported as items. */
export function conntrackEvents(kinds: readonly ConntrackEvent['event'][] = ['new', 'update', 'destroy'], opts: FamilyOptions = {}): Subscription<ConntrackEvent> {
  for (const k of kinds) if (EVENT_GROUP[k] === undefined) throw new TypeError(`unknown conntrack event "${k}"`);
  return new Subscription<ConntrackEvent>({
    socket: opts.socket ?? openNetfilter(opts.netns !== undefined ? { netns: opts.netns } : {}),
    owned: !opts.socket,
    signal: opts.signal,
    decode: (r: MessageReader) => {
      if (nfnlSubsys(r.type) !== NFNL_SUBSYS.CTNETLINK) return undefined;
      const m = nfnlMsg(r.type);
      const c = toConntrack(ctaCodec.decode(r) as never);
      if (m === IPCTNL_MSG.CT_DELETE) return { event: 'destroy', conntrack: c };
      if (m !== IPCTNL_MSG.CT_NEW) return undefined;
      return { event: r.flags & (NLM_F_CREATE | NLM_F_EXCL) ? 'new' : 'update', conntrack: c };
    },
    join: (sock: NetlinkSocket) => {
      for (const k of kinds) sock.join(EVENT_GROUP[k]);
    },
  });
}

/** Layer-4 protocol names by number, as conntrack prints them. */
export const PROTO_NAMES: Record<number, string> = { 1: 'icmp', 2: 'igmp', 6: 'tcp', 17: 'udp', 33: 'dccp', 47: 'gre', 58: 'icmpv6', 132: 'sctp', 136: 'udplite' };

function tupleText(t: Tuple): string {
  let s = `src=${t.src} dst=${t.dst} `;
  if (t.sport !== undefined || t.dport !== undefined) s += `sport=${t.sport ?? 0} dport=${t.dport ?? 0} `;
  else if (t.type !== undefined) s += `type=${t.type} code=${t.code ?? 0} id=${t.id ?? 0} `;
  return s;
}

/** One entry in `conntrack -L`'s line format (libnetfilter_conntrack's default output). */
export function formatConntrack(c: Conntrack): string {
  const p = c.orig.protocol;
  let s = `${(PROTO_NAMES[p] ?? 'unknown').padEnd(8)} ${p} `;
  if (c.timeout !== undefined) s += `${c.timeout} `;
  if (c.tcpState !== undefined) s += `${c.tcpState} `;
  s += tupleText(c.orig);
  if (c.counters) s += `packets=${c.counters.orig.packets} bytes=${c.counters.orig.bytes} `;
  if (!(c.status & IPS.SEEN_REPLY)) s += '[UNREPLIED] ';
  s += tupleText(c.reply);
  if (c.counters) s += `packets=${c.counters.reply.packets} bytes=${c.counters.reply.bytes} `;
  if (c.status & IPS.ASSURED) s += '[ASSURED] ';
  if (c.mark !== undefined) s += `mark=${c.mark} `;
  if (c.secmark) s += `secmark=${c.secmark} `;
  if (c.zone !== undefined) s += `zone=${c.zone} `;
  if (c.helper !== undefined) s += `helper=${c.helper} `;
  if (c.use !== undefined) s += `use=${c.use} `;
  return s.trimEnd();
}
