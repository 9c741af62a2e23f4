// Conntrack expectations (ctnetlink, NFNL_SUBSYS_CTNETLINK_EXP): the connections a helper (ftp,
// sip, …) expects, keyed by the expected tuple and a mask. Dump, get, create, delete, flush and
// the new/destroy events; formatExpect() writes one as `conntrack -L expect` does.
import { FlatMessageCodec } from '../schema/index.js';
import { Subscription, type Dump, type FamilyOptions, type NetlinkSocket } from '../socket/index.js';
import { NLM_F_ACK, NLM_F_CREATE, NLM_F_DUMP, NLM_F_EXCL, type MessageReader } from '../wire/index.js';
import { familyOf, nfDump, tupleAttrs, tupleOf, type Tuple } from './conntrack.js';
import { IPCTNL_MSG_EXP, NF_CT_EXPECT, NFNL_SUBSYS, NFNLGRP, NFPROTO } from './constants.js';
import { ctaExpectAttrs } from './expect-attrs.js';
import { nfnlMsg, nfnlSubsys, nfnlType, openNetfilter, withNetfilterSocket } from './nfnetlink.js';
import { nfgenmsg } from './structs.js';

/** nfgenmsg + CTA_EXPECT_* (expectations). */
export const ctaExpectCodec = new FlatMessageCodec(nfgenmsg, ctaExpectAttrs);

/** An expected connection. */
export interface Expect {
  /** 'ipv4', 'ipv6', or the NFPROTO_* number. */
  family: 'ipv4' | 'ipv6' | number;
  /** The original tuple of the connection that expects it. */
  master: Tuple;
  /** The expected connection's original tuple… */
  tuple: Tuple;
  /** …compared under this mask (its fields are bit masks; 0 matches anything). */
  mask: Tuple;
  /** Seconds left. */
  timeout: number;
  id?: number;
  /** The helper that made it ('ftp', …); absent for one made from user space without one. */
  helper?: string;
  zone?: number;
  /** NF_CT_EXPECT_* bits (PERMANENT, INACTIVE, USERSPACE). */
  flags: number;
  /** The helper's expectation class. */
  class?: number;
  /** Where NAT sends the expected connection. */
  nat?: { dir: number; tuple: Tuple };
  /** The name of the kernel function run when it arrives ('nat-follow-master'). */
  fn?: string;
  /** Attributes this version does not know, kept as bytes. */
  $unknown?: unknown;
}

/** What {@link createExpect} takes. */
export interface ExpectSpec {
  /** The original tuple of an existing connection that has a helper (see ConntrackSpec.helper). */
  master: Tuple;
  tuple: Tuple;
  /** Default: every address bit and every port given in `tuple`. */
  mask?: Tuple;
  /** Seconds. */
  timeout: number;
  /** The helper's name; the master's helper when absent. */
  helper?: string;
  zone?: number;
  /** NF_CT_EXPECT_* bits (PERMANENT, INACTIVE). */
  flags?: number;
  class?: number;
}

const PORTED = new Set([6, 17, 33, 132, 136]);
const FAMILY: Record<string, number> = { ipv4: NFPROTO.IPV4, ipv6: NFPROTO.IPV6 };
const type = (msg: number) => nfnlType(NFNL_SUBSYS.CTNETLINK_EXP, msg);
const opt = (o: FamilyOptions) => ({ headerSize: 4, ...(o.signal ? { signal: o.signal } : {}) });

/** A tuple as ctnetlink parses it for an expectation: ported protocols need both ports. */
function expTuple(t: Tuple): Record<string, unknown> {
  return tupleAttrs(PORTED.has(t.protocol) ? { ...t, sport: t.sport ?? 0, dport: t.dport ?? 0 } : t);
}

/** The mask that matches `t` exactly where it says something. */
function exactMask(t: Tuple): Tuple {
  const v6 = t.src.includes(':');
  const all = v6 ? 'ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff' : '255.255.255.255';
  const none = v6 ? '::' : '0.0.0.0';
  return {
    src: t.src === none ? none : all, dst: all, protocol: t.protocol,
    ...(PORTED.has(t.protocol) ? { sport: t.sport ? 0xffff : 0, dport: t.dport ? 0xffff : 0 } : {}),
  };
}

/** A decoded CTA_EXPECT_* message (ctaExpectCodec) as an Expect. */
export function toExpect(o: Record<string, any>): Expect {
  const e: Expect = {
    family: o.family === NFPROTO.IPV4 ? 'ipv4' : o.family === NFPROTO.IPV6 ? 'ipv6' : o.family,
    master: tupleOf(o.master), tuple: tupleOf(o.tuple), mask: tupleOf(o.mask), timeout: o.timeout ?? 0, flags: o.flags ?? 0,
  };
  if (o.id !== undefined) e.id = o.id;
  if (o.help_name !== undefined) e.helper = o.help_name;
  if (o.zone !== undefined) e.zone = o.zone;
  if (o.class !== undefined) e.class = o.class;
  if (o.nat !== undefined) e.nat = { dir: o.nat.dir ?? 0, tuple: tupleOf(o.nat.tuple) };
  if (o.fn !== undefined) e.fn = o.fn;
  if (o.$unknown !== undefined) e.$unknown = o.$unknown;
  return e;
}

/** Dumps the expectation table (`conntrack -L expect`), of one family or all. */
export function dumpExpect(filter: { family?: 'ipv4' | 'ipv6' } = {}, opts: FamilyOptions = {}): Dump<Expect> {
  const family = filter.family === undefined ? NFPROTO.UNSPEC : FAMILY[filter.family];
  if (family === undefined) throw new TypeError(`unknown family "${filter.family}"`);
  return nfDump(ctaExpectCodec.encode(type(IPCTNL_MSG_EXP.GET), NLM_F_DUMP, { family, version: 0, res_id: 0 } as never), ctaExpectCodec, toExpect, opts);
}

/** The expectation of this expected tuple (`conntrack -G expect`); rejects with ENOENT. */
export async function getExpect(tuple: Tuple, opts: FamilyOptions = {}): Promise<Expect> {
  return withNetfilterSocket(opts, async (sock) => {
    const r = await sock.request(ctaExpectCodec.encode(type(IPCTNL_MSG_EXP.GET), NLM_F_ACK, {
      family: familyOf(tuple), version: 0, res_id: 0, tuple: expTuple(tuple),
    } as never), opt(opts));
    const m = r.messages.find((x) => nfnlSubsys(x.type) === NFNL_SUBSYS.CTNETLINK_EXP && nfnlMsg(x.type) === IPCTNL_MSG_EXP.NEW);
    if (!m) throw new Error('IPCTNL_MSG_EXP_GET: the kernel answered without an expectation');
    return toExpect(ctaExpectCodec.decodePayload(m.payload) as never);
  });
}

/** Adds an expectation to a connection that has a helper (`conntrack -I expect`); ENOENT when the master is not there. */
export async function createExpect(spec: ExpectSpec, opts: FamilyOptions = {}): Promise<void> {
  await withNetfilterSocket(opts, async (sock) => {
    await sock.request(ctaExpectCodec.encode(type(IPCTNL_MSG_EXP.NEW), NLM_F_ACK | NLM_F_CREATE | NLM_F_EXCL, {
      family: familyOf(spec.tuple), version: 0, res_id: 0,
      master: expTuple(spec.master), tuple: expTuple(spec.tuple), mask: expTuple(spec.mask ?? exactMask(spec.tuple)),
      timeout: spec.timeout,
      ...(spec.helper !== undefined ? { help_name: spec.helper } : {}), ...(spec.zone !== undefined ? { zone: spec.zone } : {}),
      ...(spec.flags !== undefined ? { flags: spec.flags } : {}), ...(spec.class !== undefined ? { class: spec.class } : {}),
    } as never), opt(opts));
  });
}

/** Deletes the expectation of this expected tuple (or this expectation, by tuple and id) (`conntrack -D expect`). */
export async function deleteExpect(entry: Tuple | Expect, opts: FamilyOptions = {}): Promise<void> {
  const tuple = 'master' in entry ? entry.tuple : entry;
  const id = 'master' in entry ? entry.id : undefined;
  await withNetfilterSocket(opts, async (sock) => {
    await sock.request(ctaExpectCodec.encode(type(IPCTNL_MSG_EXP.DELETE), NLM_F_ACK, {
      family: familyOf(tuple), version: 0, res_id: 0, tuple: expTuple(tuple), ...(id !== undefined ? { id } : {}),
    } as never), opt(opts));
  });
}

/** Deletes every expectation (of one family) (`conntrack -F expect`). */
export async function flushExpect(family?: 'ipv4' | 'ipv6', opts: FamilyOptions = {}): Promise<void> {
  await withNetfilterSocket(opts, async (sock) => {
    await sock.request(ctaExpectCodec.encode(type(IPCTNL_MSG_EXP.DELETE), NLM_F_ACK, {
      family: family === undefined ? NFPROTO.UNSPEC : FAMILY[family], version: 0, res_id: 0,
    } as never), opt(opts));
  });
}

/** An expectation event: the expectation and what happened to it. */
export interface ExpectEvent {
  /** 'new', 'update' or 'destroy' (as `conntrack -E expect` prints them: [NEW], [UPDATE], [DESTROY]). */
  event: 'new' | 'update' | 'destroy';
  expect: Expect;
}

const EVENT_GROUP: Record<ExpectEvent['event'], number> = {
  new: NFNLGRP.CONNTRACK_EXP_NEW, update: NFNLGRP.CONNTRACK_EXP_UPDATE, destroy: NFNLGRP.CONNTRACK_EXP_DESTROY,
};

/** Subscribes to expectation events (`conntrack -E expect`); all kinds by default. Overruns are reported as items. */
export function expectEvents(kinds: readonly ExpectEvent['event'][] = ['new', 'update', 'destroy'], opts: FamilyOptions = {}): Subscription<ExpectEvent> {
  for (const k of kinds) if (EVENT_GROUP[k] === undefined) throw new TypeError(`unknown expectation event "${k}"`);
  return new Subscription<ExpectEvent>({
    socket: opts.socket ?? openNetfilter(opts.netns !== undefined ? { netns: opts.netns } : {}),
    owned: !opts.socket,
    signal: opts.signal,
    decode: (r: MessageReader) => {
      if (nfnlSubsys(r.type) !== NFNL_SUBSYS.CTNETLINK_EXP) return undefined;
      const m = nfnlMsg(r.type);
      const e = toExpect(ctaExpectCodec.decode(r) as never);
      if (m === IPCTNL_MSG_EXP.DELETE) return { event: 'destroy', expect: e };
      if (m !== IPCTNL_MSG_EXP.NEW) return undefined;
      return { event: r.flags & (NLM_F_CREATE | NLM_F_EXCL) ? 'new' : 'update', expect: e };
    },
    join: (sock: NetlinkSocket) => {
      for (const k of kinds) sock.join(EVENT_GROUP[k]);
    },
  });
}

/** The ports or ICMP fields of a tuple, as libnetfilter_conntrack prints them after the addresses. */
function protoText(t: Tuple): string {
  if (t.sport !== undefined || t.dport !== undefined) return `sport=${t.sport ?? 0} dport=${t.dport ?? 0} `;
  if (t.type !== undefined) return `type=${t.type} code=${t.code ?? 0} id=${t.id ?? 0} `;
  return '';
}

/** One expectation in `conntrack -L expect`'s line format (libnetfilter_conntrack's default output). */
export function formatExpect(e: Expect): string {
  let s = `${e.timeout} proto=${e.tuple.protocol} src=${e.tuple.src} dst=${e.tuple.dst} ${protoText(e.tuple)}`;
  s += `mask-src=${e.mask.src} mask-dst=${e.mask.dst} ${protoText(e.mask)}`;
  s += `master-src=${e.master.src} master-dst=${e.master.dst} ${protoText(e.master)}`;
  if (e.zone !== undefined) s += `zone=${e.zone} `;
  const flags: string[] = [];
  if (e.flags & NF_CT_EXPECT.PERMANENT) flags.push('PERMANENT');
  if (e.flags & NF_CT_EXPECT.INACTIVE) flags.push('INACTIVE');
  if (e.flags & NF_CT_EXPECT.USERSPACE) flags.push('USERSPACE');
  if (e.flags) s += `${flags.join(',')} `;
  if (e.class !== undefined) s += `class=${e.class} `;
  if (e.helper !== undefined) s += `helper=${e.helper}`;
  return s.trimEnd();
}
