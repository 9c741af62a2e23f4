// The bridge (`bridge fdb|vlan|link|mdb`): forwarding database entries (neighbour messages of
// family AF_BRIDGE), port VLANs and VLAN-to-tunnel mappings (RTM_SETLINK/DELLINK with an
// AF_BRIDGE IFLA_AF_SPEC), port options (IFLA_PROTINFO nests of IFLA_BRPORT_*), and the
// multicast database (RTM_*MDB). Requests carry iproute2's defaults, so an entry added here is
// the entry `bridge fdb add` would add.
import { formatIp, formatMac, parseIp, parseMac, setAttrFlags } from '../schema/index.js';
import { Dump, type FamilyOptions, type NetlinkSocket } from '../socket/index.js';
import { NLA_F_NESTED, NLMSG_HDRLEN, NLM_F_APPEND, NLM_F_BULK, NLM_F_CREATE, NLM_F_EXCL, NLM_F_REPLACE } from '../wire/index.js';
import { mdbCodec, mdbSetCodec, type MdbMessage } from './bridge-attrs.js';
import { linkCodec, neighCodec, type Link, type Neighbour } from './codecs.js';
import { BRIDGE_FLAGS, BRIDGE_MODE, ETH_P, NTF, NUD, RTEXT_FILTER, RTM } from './constants.js';
import { bridgePortAttrs } from './link-attrs.js';
import type { Decoded } from '../schema/index.js';
import { resolveLink, type LinkRef } from './links.js';
import { callOptions, openRoute, routeDump, withSocket } from './socket.js';

// ---- FDB ----

/** An FDB entry: a neighbour of family 'bridge' (`lladdr`, `ifindex`, `state`, `flags`, `vlan`, `master`, `dst`, `vni`, …). */
export type FdbEntry = Neighbour;

/** Filters of {@link dumpFdb}: `br` and `dev` are applied by the kernel, `vlan` and `state` here. */
export interface FdbFilter {
  /** Only entries of ports of this bridge (NDA_MASTER). */
  br?: LinkRef;
  /** Only entries of this port (`brport`/`dev`). */
  dev?: LinkRef;
  /** Only entries of this VLAN. */
  vlan?: number;
  /** Only entries in one of these states ('permanent', 'noarp' (static), 'reachable' (dynamic), 'stale'). */
  state?: string[];
}

/** Dumps FDB entries (RTM_GETNEIGH, family AF_BRIDGE), `bridge fdb show`. */
export function dumpFdb(filter: FdbFilter = {}, opts: FamilyOptions = {}): Dump<FdbEntry> {
  const { vlan, state } = filter;
  const pred = vlan === undefined && !state ? undefined : (n: FdbEntry) =>
    (vlan === undefined || (n.vlan ?? 0) === vlan) && (!state || (n.state as string[]).some((s) => state.includes(s)));
  return routeDump<FdbEntry>(opts, async (sock) => {
    const o: Record<string, unknown> = { family: 'bridge' };
    if (filter.dev !== undefined) o.ifindex = await resolveLink(filter.dev, sock);
    if (filter.br !== undefined) o.master = await resolveLink(filter.br, sock);
    return neighCodec.encode(RTM.GETNEIGH, 0, o as Partial<Neighbour>);
  }, neighCodec, pred);
}

/** An FDB entry to add, replace or delete, in `bridge fdb add`'s terms. */
export interface FdbSpec {
  /** The MAC address. */
  lladdr: string;
  /** The port (or the vxlan device). */
  dev: LinkRef;
  /** Program the bridge's table (NTF_MASTER). */
  master?: boolean;
  /** Program the device's own table (NTF_SELF); the default when neither is given. */
  self?: boolean;
  /** 'permanent' (local, the default), 'static' (NUD_NOARP|NUD_REACHABLE: never ages) or 'dynamic' (ages). */
  state?: 'permanent' | 'local' | 'static' | 'dynamic';
  vlan?: number;
  /** The remote VTEP of a vxlan device. */
  dst?: string;
  /** The remote UDP port (vxlan). */
  port?: number;
  /** The VNI (vxlan). */
  vni?: number;
  /** The source VNI (vxlan, collect-metadata devices). */
  src_vni?: number;
  /** The outgoing device towards `dst` (NDA_IFINDEX). */
  via?: LinkRef;
  /** A nexthop group instead of dst (NDA_NH_ID). */
  nhid?: number;
  router?: boolean;
  use?: boolean;
  extern_learn?: boolean;
  sticky?: boolean;
}

/** Builds the ndmsg + NDA_* of an FDB request exactly as `bridge fdb` does. */
async function fdbMessage(spec: FdbSpec, sock: NetlinkSocket): Promise<Partial<Neighbour>> {
  let flags = 0;
  if (spec.self) flags |= NTF.SELF;
  if (spec.master) flags |= NTF.MASTER;
  if (spec.router) flags |= NTF.ROUTER;
  if (spec.use) flags |= NTF.USE;
  if (spec.extern_learn) flags |= NTF.EXT_LEARNED;
  if (spec.sticky) flags |= NTF.STICKY;
  if (!(flags & (NTF.SELF | NTF.MASTER))) flags |= NTF.SELF;
  let state: number = NUD.NOARP;
  const st = spec.state ?? 'permanent';
  if (st === 'permanent' || st === 'local') state |= NUD.PERMANENT;
  else if (st === 'static') state |= NUD.REACHABLE;
  else if (st === 'dynamic') state = NUD.REACHABLE;
  else throw new TypeError(`fdb: unknown state "${String(st)}"`);
  const o: Record<string, unknown> = {
    family: 'bridge', ifindex: await resolveLink(spec.dev, sock), state, flags, lladdr: formatMac(parseMac(spec.lladdr), 0, 6),
  };
  if (spec.dst !== undefined) o.dst = spec.dst;
  if (spec.vlan !== undefined) o.vlan = spec.vlan;
  if (spec.nhid !== undefined) o.nh_id = spec.nhid;
  if (spec.port !== undefined && spec.port !== 0) o.port = spec.port;
  if (spec.vni !== undefined) o.vni = spec.vni;
  if (spec.src_vni !== undefined) o.src_vni = spec.src_vni;
  if (spec.via !== undefined) o.nda_ifindex = await resolveLink(spec.via, sock);
  return o as Partial<Neighbour>;
}

async function fdbRequest(type: number, nlflags: number, spec: FdbSpec, opts: FamilyOptions): Promise<FdbEntry> {
  return withSocket(opts, async (sock) => {
    const msg = await fdbMessage(spec, sock);
    const request = neighCodec.encode(type, nlflags, msg);
    await sock.request(request, { headerSize: neighCodec.headerSize, ...callOptions(opts) });
    const asked = neighCodec.decodePayload(request.subarray(NLMSG_HDRLEN)) as FdbEntry;
    if (type !== RTM.NEWNEIGH) return asked;
    // The kernel does not echo FDB changes: the stored entry is asked for, as `bridge fdb get`
    // would (vxlan remotes and `use` entries it cannot look up come back as requested).
    const flags = msg.flags as unknown as number;
    try {
      return await getFdb({
        lladdr: spec.lladdr, dev: msg.ifindex as number, self: (flags & NTF.SELF) !== 0, master: (flags & NTF.MASTER) !== 0,
        ...(spec.vlan !== undefined ? { vlan: spec.vlan } : {}), ...(spec.vni !== undefined ? { vni: spec.vni } : {}),
      }, { ...callOptions(opts), socket: sock });
    } catch {
      return asked;
    }
  });
}

/**
 * Adds an FDB entry (RTM_NEWNEIGH, AF_BRIDGE, NLM_F_CREATE|NLM_F_EXCL), `bridge fdb add`, and resolves
 * with the entry the kernel stored.
 *
 *   await addFdb({ lladdr: '02:00:00:00:00:01', dev: 'v0', master: true, state: 'static', vlan: 10 });
 *   await addFdb({ lladdr: '00:00:00:00:00:00', dev: 'vx0', dst: '192.0.2.2' });   // vxlan flood entry
 */
export function addFdb(spec: FdbSpec, opts: FamilyOptions = {}): Promise<FdbEntry> {
  return fdbRequest(RTM.NEWNEIGH, NLM_F_CREATE | NLM_F_EXCL, spec, opts);
}

/** Adds or replaces an FDB entry (`bridge fdb replace`). */
export function replaceFdb(spec: FdbSpec, opts: FamilyOptions = {}): Promise<FdbEntry> {
  return fdbRequest(RTM.NEWNEIGH, NLM_F_CREATE | NLM_F_REPLACE, spec, opts);
}

/** Appends an FDB entry (`bridge fdb append`: another remote for the same MAC on a vxlan device). */
export function appendFdb(spec: FdbSpec, opts: FamilyOptions = {}): Promise<FdbEntry> {
  return fdbRequest(RTM.NEWNEIGH, NLM_F_CREATE | NLM_F_APPEND, spec, opts);
}

/** Deletes an FDB entry (RTM_DELNEIGH, AF_BRIDGE), `bridge fdb del`. */
export async function deleteFdb(spec: FdbSpec, opts: FamilyOptions = {}): Promise<void> {
  await fdbRequest(RTM.DELNEIGH, 0, spec, opts);
}

/** What {@link getFdb} looks up: the MAC, and the port (`dev`) or the bridge (`br`) or both. */
export interface FdbQuery {
  lladdr: string;
  dev?: LinkRef;
  br?: LinkRef;
  vlan?: number;
  vni?: number;
  /** The device's own table (NTF_SELF) or the bridge's (NTF_MASTER). */
  self?: boolean;
  master?: boolean;
}

/** Gets one FDB entry (RTM_GETNEIGH request, AF_BRIDGE), `bridge fdb get`; rejects ENOENT when there is none. */
export async function getFdb(q: FdbQuery, opts: FamilyOptions = {}): Promise<FdbEntry> {
  return withSocket(opts, async (sock) => {
    let flags = 0;
    if (q.self) flags |= NTF.SELF;
    if (q.master) flags |= NTF.MASTER;
    const o: Record<string, unknown> = { family: 'bridge', flags, lladdr: formatMac(parseMac(q.lladdr), 0, 6) };
    if (q.vlan !== undefined) o.vlan = q.vlan;
    if (q.vni !== undefined) o.vni = q.vni;
    if (q.dev !== undefined) o.ifindex = await resolveLink(q.dev, sock);
    if (q.br !== undefined) o.master = await resolveLink(q.br, sock);
    const reply = await sock.request(neighCodec.encode(RTM.GETNEIGH, 0, o as Partial<Neighbour>), {
      ack: false, idempotent: true, headerSize: neighCodec.headerSize, ...callOptions(opts),
    });
    return neighCodec.decodePayload(reply.messages[0]!.payload) as FdbEntry;
  });
}

/** Which entries {@link flushFdb} deletes: true keeps only entries with the property, false only those without. */
export interface FdbFlushMatch {
  permanent?: boolean;
  static?: boolean;
  dynamic?: boolean;
  added_by_user?: boolean;
  extern_learn?: boolean;
  sticky?: boolean;
  offloaded?: boolean;
}

/** What {@link flushFdb} flushes: the bridge's (or a device's) table, optionally of one port and VLAN. */
export interface FdbFlushSpec {
  /** The bridge, or a device with its own table (with `self`). */
  dev: LinkRef;
  /** Only entries of this port (NDA_IFINDEX). */
  brport?: LinkRef;
  vlan?: number;
  self?: boolean;
  master?: boolean;
  match?: FdbFlushMatch;
}

/**
 * Deletes FDB entries in bulk (RTM_DELNEIGH with NLM_F_BULK, the kernel matching on
 * NDA_NDM_STATE_MASK/NDA_NDM_FLAGS_MASK), `bridge fdb flush dev br0 [brport v0] [dynamic] …`.
 */
export async function flushFdb(spec: FdbFlushSpec, opts: FamilyOptions = {}): Promise<void> {
  await withSocket(opts, async (sock) => {
    let state = 0, stateMask = 0, flags = 0, flagsMask = 0;
    const m = spec.match ?? {};
    // As bridge's fdb_flush sets them, word by word.
    if (m.permanent === true) (state |= NUD.PERMANENT), (stateMask |= NUD.PERMANENT);
    if (m.permanent === false) (state &= ~NUD.PERMANENT), (stateMask |= NUD.PERMANENT);
    if (m.static === true) (state |= NUD.NOARP), (stateMask |= NUD.NOARP | NUD.PERMANENT);
    if (m.static === false) (state &= ~NUD.NOARP), (stateMask |= NUD.NOARP);
    if (m.dynamic === true) (state &= ~NUD.NOARP), (stateMask |= NUD.NOARP | NUD.PERMANENT);
    if (m.dynamic === false) (state |= NUD.NOARP), (stateMask |= NUD.NOARP);
    const flag = (v: boolean | undefined, bit: number) => {
      if (v === true) (flags |= bit), (flagsMask |= bit);
      if (v === false) (flags &= ~bit), (flagsMask |= bit);
    };
    flag(m.added_by_user, NTF.USE);
    flag(m.extern_learn, NTF.EXT_LEARNED);
    flag(m.sticky, NTF.STICKY);
    flag(m.offloaded, NTF.OFFLOADED);
    if (spec.self) flags |= NTF.SELF;
    if (spec.master) flags |= NTF.MASTER;
    if (!(flags & (NTF.SELF | NTF.MASTER))) flags |= NTF.SELF;
    const o: Record<string, unknown> = { family: 'bridge', ifindex: await resolveLink(spec.dev, sock), state, flags };
    if (spec.brport !== undefined) o.nda_ifindex = await resolveLink(spec.brport, sock);
    if (spec.vlan !== undefined) o.vlan = spec.vlan;
    if (flagsMask) o.ndm_flags_mask = flagsMask;
    if (stateMask) o.ndm_state_mask = stateMask;
    await sock.request(neighCodec.encode(RTM.DELNEIGH, NLM_F_BULK, o as Partial<Neighbour>), { headerSize: neighCodec.headerSize, ...callOptions(opts) });
  });
}

// ---- ports: options and VLANs ----

/** Filters of {@link dumpBridgePorts}. */
export interface BridgePortFilter {
  /** Only this port. */
  dev?: LinkRef;
  /** Ask for VLANs too (RTEXT_FILTER_BRVLAN), or ranges compressed (RTEXT_FILTER_BRVLAN_COMPRESSED). */
  vlans?: boolean | 'compressed';
}

/**
 * Dumps bridge ports (RTM_GETLINK, family AF_BRIDGE), `bridge link show`: each a Link whose
 * `protinfo` holds the port options (state, cost, priority, learning, …) and, with `vlans`,
 * whose `af_spec.vlan_info` / `af_spec.vlan_tunnel_info` hold its VLANs and tunnel mappings.
 */
export function dumpBridgePorts(filter: BridgePortFilter = {}, opts: FamilyOptions = {}): Dump<Link> {
  const ext = filter.vlans === 'compressed' ? RTEXT_FILTER.BRVLAN_COMPRESSED : filter.vlans ? RTEXT_FILTER.BRVLAN : 0;
  let want: number | undefined;
  return routeDump<Link>(opts, async (sock) => {
    if (filter.dev !== undefined) want = await resolveLink(filter.dev, sock);
    return linkCodec.encode(RTM.GETLINK, 0, { family: 'bridge', ...(ext ? { ext_mask: ext } : {}) } as Partial<Link>);
  }, linkCodec, (l) => want === undefined || l.ifindex === want);
}

/** The decoded IFLA_BRPORT_* port options. */
export type BridgePortAttrs = Decoded<typeof bridgePortAttrs>;

/** Port options settable with {@link setBridgePort} (IFLA_BRPORT_*, as `bridge link set` names them where it does). */
export type BridgePortOptions = Partial<Pick<BridgePortAttrs,
  | 'state' | 'priority' | 'cost' | 'mode' | 'guard' | 'protect' | 'fast_leave' | 'learning' | 'unicast_flood' | 'proxyarp'
  | 'learning_sync' | 'proxyarp_wifi' | 'multicast_router' | 'mcast_flood' | 'mcast_to_ucast' | 'vlan_tunnel' | 'bcast_flood'
  | 'group_fwd_mask' | 'neigh_suppress' | 'isolated' | 'backup_port' | 'locked' | 'mab' | 'mcast_eht_hosts_limit'
  | 'mcast_max_groups' | 'neigh_vlan_suppress' | 'backup_nhid'
>>;

/** Options of {@link setBridgePort} beyond the port options. */
export interface BridgePortSetOptions extends FamilyOptions {
  /** IFLA_BRIDGE_FLAGS: 'self' to program the device itself (hwmode), 'master' the bridge. */
  target?: ('self' | 'master')[];
  /** IFLA_BRIDGE_MODE: 'veb' or 'vepa' (implies 'self'). */
  hwmode?: 'veb' | 'vepa';
}

/**
 * Sets bridge port options (RTM_SETLINK, AF_BRIDGE, IFLA_PROTINFO|NLA_F_NESTED), `bridge link set`.
 *
 *   await setBridgePort('v0', { cost: 10, priority: 3, learning: 0, isolated: 1, state: 'blocking' });
 */
export async function setBridgePort(dev: LinkRef, options: BridgePortOptions, opts: BridgePortSetOptions = {}): Promise<void> {
  await withSocket(opts, async (sock) => {
    const o: Record<string, unknown> = { family: 'bridge', ifindex: await resolveLink(dev, sock) };
    o.protinfo = { ...options };
    let flags = 0;
    for (const t of opts.target ?? []) flags |= t === 'self' ? BRIDGE_FLAGS.SELF : BRIDGE_FLAGS.MASTER;
    if (opts.hwmode) flags = BRIDGE_FLAGS.SELF;
    if (flags || opts.hwmode) {
      o.af_spec = {
        ...(flags ? { flags } : {}),
        ...(opts.hwmode ? { mode: opts.hwmode === 'vepa' ? BRIDGE_MODE.VEPA : BRIDGE_MODE.VEB } : {}),
      };
    }
    // The kernel reads a non-nested IFLA_PROTINFO as the old one-byte port state.
    setAttrFlags(o, new Map([['protinfo', NLA_F_NESTED]]));
    await sock.request(linkCodec.encode(RTM.SETLINK, 0, o as Partial<Link>), { headerSize: linkCodec.headerSize, ...callOptions(opts) });
  });
}

/** A port VLAN (or range) to add or delete, `bridge vlan add`. */
export interface BridgeVlanSpec {
  dev: LinkRef;
  vid: number;
  /** The last VLAN of a range vid..vid_end. */
  vid_end?: number;
  /** Untagged ingress goes to this VLAN (BRIDGE_VLAN_INFO_PVID). */
  pvid?: boolean;
  /** Egress untagged (BRIDGE_VLAN_INFO_UNTAGGED). */
  untagged?: boolean;
  /** Operate on the device itself (BRIDGE_FLAGS_SELF); default the bridge. */
  self?: boolean;
  /** Also on the bridge (BRIDGE_FLAGS_MASTER). */
  master?: boolean;
  /** Map the VLAN (range) to this tunnel id (range), IFLA_BRIDGE_VLAN_TUNNEL_INFO (vxlan ports with vlan_tunnel on). */
  tunnel_id?: number;
  /** The last tunnel id of a range (default tunnel_id + vid_end - vid). */
  tunnel_id_end?: number;
}

function vlanMessage(spec: BridgeVlanSpec, ifindex: number): Record<string, unknown> {
  const base: string[] = [];
  if (spec.pvid) base.push('pvid');
  if (spec.untagged) base.push('untagged');
  let flags = 0;
  if (spec.self) flags |= BRIDGE_FLAGS.SELF;
  if (spec.master) flags |= BRIDGE_FLAGS.MASTER;
  const af: Record<string, unknown> = flags ? { flags } : {};
  const ranged = spec.vid_end !== undefined && spec.vid_end !== spec.vid;
  if (spec.tunnel_id !== undefined) {
    af.vlan_tunnel_info = ranged
      ? [{ id: spec.tunnel_id, vid: spec.vid, flags: ['range_begin'] }, { id: spec.tunnel_id_end ?? spec.tunnel_id + (spec.vid_end! - spec.vid), vid: spec.vid_end, flags: ['range_end'] }]
      : [{ id: spec.tunnel_id, vid: spec.vid, flags: [] }];
  } else {
    af.vlan_info = ranged
      ? [{ flags: [...base, 'range_begin'], vid: spec.vid }, { flags: [...base, 'range_end'], vid: spec.vid_end }]
      : [{ flags: base, vid: spec.vid }];
  }
  return { family: 'bridge', ifindex, af_spec: af };
}

/** Adds a VLAN (range) to a port, or a VLAN-to-tunnel mapping (RTM_SETLINK, AF_BRIDGE), `bridge vlan add`. */
export async function addBridgeVlan(spec: BridgeVlanSpec, opts: FamilyOptions = {}): Promise<void> {
  await withSocket(opts, async (sock) => {
    const msg = vlanMessage(spec, await resolveLink(spec.dev, sock));
    await sock.request(linkCodec.encode(RTM.SETLINK, 0, msg as Partial<Link>), { headerSize: linkCodec.headerSize, ...callOptions(opts) });
  });
}

/** Deletes a VLAN (range) or a tunnel mapping from a port (RTM_DELLINK, AF_BRIDGE), `bridge vlan del`. */
export async function deleteBridgeVlan(spec: BridgeVlanSpec, opts: FamilyOptions = {}): Promise<void> {
  await withSocket(opts, async (sock) => {
    const msg = vlanMessage(spec, await resolveLink(spec.dev, sock));
    await sock.request(linkCodec.encode(RTM.DELLINK, 0, msg as Partial<Link>), { headerSize: linkCodec.headerSize, ...callOptions(opts) });
  });
}

// ---- MDB ----

/** One MDB entry: the bridge (`ifindex`), the `port`, the group and its state, flags, VLAN and timers. */
export interface MdbEntry {
  /** The bridge. */
  ifindex: number;
  /** The port (the bridge itself for host joins). */
  port: number;
  /** The group: an IPv4/IPv6 address, or a MAC address for L2 entries. */
  grp: string;
  /** 'temp' or 'permanent'. */
  state: string | number;
  /** 'offload', 'fast_leave', 'added_by_star_ex', 'blocked'. */
  flags: (string | number)[];
  /** 0 when the entry is not per VLAN. */
  vid: number;
  /** Remaining time in centiseconds (0 for permanent entries). */
  timer?: number;
  /** The source of an (S, G) entry. */
  src?: string;
  /** Who added it ('static', 'kernel', …). */
  rtprot?: string | number;
  /** 0 exclude, 1 include. */
  group_mode?: number;
  /** Sources with their timers. */
  src_list?: { address?: string; timer?: number }[];
}

/** The group text of a br_mdb_entry: IPv4, IPv6 or MAC by its proto. */
export function mdbGroup(e: { addr: Uint8Array; proto: number }): string {
  if (e.proto === ETH_P.IP) return formatIp(e.addr, 0, 4);
  if (e.proto === ETH_P.IPV6) return formatIp(e.addr, 0, 16);
  return formatMac(e.addr, 0, 6);
}

/** The entries of one decoded MDB message, flat. */
export function mdbEntries(m: MdbMessage): MdbEntry[] {
  const out: MdbEntry[] = [];
  for (const g of m.mdb?.entry ?? []) {
    for (const i of g.info ?? []) {
      const e = i as unknown as Record<string, unknown> & { addr: Uint8Array; proto: number };
      const x: MdbEntry = {
        ifindex: m.ifindex, port: e.ifindex as number, grp: mdbGroup(e), state: e.state as string, flags: e.flags as string[], vid: e.vid as number,
      };
      if (i.timer !== undefined) x.timer = i.timer;
      if (i.source !== undefined) x.src = i.source;
      if (i.rtprot !== undefined) x.rtprot = i.rtprot;
      if (i.group_mode !== undefined) x.group_mode = i.group_mode;
      if (i.src_list) x.src_list = (i.src_list.entry ?? []).map((s) => ({ ...s }));
      out.push(x);
    }
  }
  return out;
}

/** Dumps the raw MDB messages (one per bridge: groups and router ports), for printers. */
export function dumpMdbMessages(opts: FamilyOptions = {}): Dump<MdbMessage> {
  return routeDump<MdbMessage>(opts, mdbCodec.encode(RTM.GETMDB, 0, { family: 'bridge' } as never), mdbCodec);
}

/** Dumps MDB entries (RTM_GETMDB), `bridge mdb show`; `dev` (a bridge) and `vid` filter here. */
export function dumpMdb(filter: { dev?: LinkRef; vid?: number } = {}, opts: FamilyOptions = {}): Dump<MdbEntry> {
  let want: number | undefined;
  const netns = opts.netns;
  return new Dump<MdbEntry>({
    socket: opts.socket,
    open: () => openRoute(netns !== undefined ? { netns } : {}),
    request: async (sock) => {
      if (filter.dev !== undefined) want = await resolveLink(filter.dev, sock);
      return mdbCodec.encode(RTM.GETMDB, 0, { family: 'bridge' } as never);
    },
    decodeBatch: (buf, dv, offsets, out) => {
      const msgs: MdbMessage[] = [];
      mdbCodec.decodeAll(buf, dv, offsets, msgs as never[]);
      for (const m of msgs) for (const e of mdbEntries(m)) out.push(e);
    },
    filter: (e) => (want === undefined || e.ifindex === want) && (filter.vid === undefined || e.vid === filter.vid),
    headerSize: mdbCodec.headerSize,
    ...callOptions(opts),
  });
}

/** An MDB entry to add or delete, `bridge mdb add dev BR port PORT grp GROUP [permanent] [vid VID]`. */
export interface MdbSpec {
  /** The bridge. */
  dev: LinkRef;
  port: LinkRef;
  /** An IPv4/IPv6 multicast address or a multicast MAC. */
  grp: string;
  permanent?: boolean;
  vid?: number;
  /** The source of an (S, G) entry (MDBE_ATTR_SOURCE). */
  src?: string;
}

async function mdbRequest(type: number, nlflags: number, spec: MdbSpec, opts: FamilyOptions): Promise<MdbEntry> {
  return withSocket(opts, async (sock) => {
    const addr = new Uint8Array(16);
    let proto = 0;
    if (spec.grp.includes(':') && /^[0-9a-f]{1,2}(:[0-9a-f]{1,2}){5}$/i.test(spec.grp)) addr.set(parseMac(spec.grp));
    else {
      const b = parseIp(spec.grp);
      addr.set(b);
      proto = b.length === 4 ? ETH_P.IP : ETH_P.IPV6;
    }
    const msg: Record<string, unknown> = {
      family: 'bridge', ifindex: await resolveLink(spec.dev, sock),
      entry: { ifindex: await resolveLink(spec.port, sock), state: type === RTM.NEWMDB && spec.permanent ? 'permanent' : 'temp', flags: [], vid: spec.vid ?? 0, addr, proto },
    };
    if (spec.src !== undefined) msg.entry_attrs = { source: spec.src };
    await sock.request(mdbSetCodec.encode(type, nlflags, msg as never), { headerSize: mdbSetCodec.headerSize, ...callOptions(opts) });
    // The kernel does not echo MDB changes (nor answer a get before 6.7): the entry as stored is the entry asked for.
    const e = msg.entry as { ifindex: number; state: string; vid: number };
    return {
      ifindex: msg.ifindex as number, port: e.ifindex, grp: mdbGroup({ addr, proto }), state: e.state, flags: [], vid: e.vid,
      ...(spec.src !== undefined ? { src: spec.src } : {}),
    };
  });
}

/** Adds an MDB entry (RTM_NEWMDB, NLM_F_CREATE|NLM_F_EXCL), `bridge mdb add`, and resolves with it; the bridge needs mcast_snooping on and to be up. */
export function addMdb(spec: MdbSpec, opts: FamilyOptions = {}): Promise<MdbEntry> {
  return mdbRequest(RTM.NEWMDB, NLM_F_CREATE | NLM_F_EXCL, spec, opts);
}

/** Adds or replaces an MDB entry (`bridge mdb replace`). */
export function replaceMdb(spec: MdbSpec, opts: FamilyOptions = {}): Promise<MdbEntry> {
  return mdbRequest(RTM.NEWMDB, NLM_F_CREATE | NLM_F_REPLACE, spec, opts);
}

/** Deletes an MDB entry (RTM_DELMDB), `bridge mdb del`. */
export async function deleteMdb(spec: MdbSpec, opts: FamilyOptions = {}): Promise<void> {
  await mdbRequest(RTM.DELMDB, 0, spec, opts);
}

