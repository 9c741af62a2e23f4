// Links: dump, get, add (veth, bridge, vxlan, macvlan, vlan, … with NLM_F_ECHO), change (name,
// mtu, address, up/down, master/nomaster, netns, …), delete, and name <-> index helpers.
import { fs } from '../builtins.js';
import { type Dump, type FamilyOptions, NetlinkError, type NetlinkSocket, netnsPath, type NetnsSpec } from '../socket/index.js';
import { NLM_F_CREATE, NLM_F_ECHO, NLM_F_EXCL } from '../wire/index.js';
import { linkCodec, type Link } from './codecs.js';
import { IFF, RTEXT_FILTER, RTM } from './constants.js';
import type { LinkFlag } from './enums.js';
import { callOptions, routeDump, withSocket } from './socket.js';
import { HEADER_SIZES } from './structs.js';

export type { Link } from './codecs.js';

const IFNAMSIZ = 16;
const HDR = HEADER_SIZES.ifinfomsg;

/** A link by index or by name (alternative names work too). */
export type LinkRef = number | string;

/** Filters of {@link dumpLinks}; `master` and `kind` are applied by the kernel. */
export interface LinkFilter {
  /** 'unspec' (default): all links; 'bridge': bridge ports with their AF_BRIDGE attributes (`bridge link`). */
  family?: 'unspec' | 'bridge' | 'inet' | 'inet6' | number;
  /** Only the ports of this master (IFLA_MASTER filter). */
  master?: LinkRef;
  /** Only links of this kind (IFLA_LINKINFO/IFLA_INFO_KIND filter), e.g. 'veth'. */
  kind?: string;
  /** Include statistics (default true; false sets RTEXT_FILTER_SKIP_STATS). */
  stats?: boolean;
  /** IFLA_EXT_MASK to send instead of the default (RTEXT_FILTER_VF, plus SKIP_STATS when stats is false). */
  extMask?: number;
}

function extMask(f: { stats?: boolean; extMask?: number }): number {
  if (f.extMask !== undefined) return f.extMask;
  return RTEXT_FILTER.VF | (f.stats === false ? RTEXT_FILTER.SKIP_STATS : 0);
}


/**
 * Dumps links (RTM_GETLINK, NLM_F_DUMP) as typed objects.
 *
 *   for await (const l of dumpLinks({}, { netns: 'ns1' })) console.log(l.ifindex, l.ifname, l.flags);
 */
export function dumpLinks(filter: LinkFilter = {}, opts: FamilyOptions = {}): Dump<Link> {
  const msg: Record<string, unknown> = { family: filter.family ?? 'unspec', ext_mask: extMask(filter) };
  if (filter.kind) msg.linkinfo = { kind: filter.kind };
  const master = filter.master;
  if (master === undefined) return routeDump<Link>(opts, linkCodec.encode(RTM.GETLINK, 0, msg as Partial<Link>), linkCodec);
  // A master given by name is resolved on the dump's socket when the dump starts.
  return routeDump<Link>(opts, async (sock) => {
    msg.master = await resolveLink(master, sock);
    return linkCodec.encode(RTM.GETLINK, 0, msg as Partial<Link>);
  }, linkCodec);
}

/** Options of single-link requests. */
export interface LinkGetOptions extends FamilyOptions {
  /** Include statistics (default true). */
  stats?: boolean;
}

/** Gets one link by index or name (RTM_GETLINK); rejects with NetlinkError ENODEV when there is none. */
export async function getLink(ref: LinkRef, opts: LinkGetOptions = {}): Promise<Link> {
  return withSocket(opts, async (sock) => {
    const msg: Record<string, unknown> = { family: 'unspec', ...refFields(ref), ext_mask: extMask(opts) };
    const reply = await sock.request(linkCodec.encode(RTM.GETLINK, 0, msg as Partial<Link>), { ack: false, idempotent: true, headerSize: HDR, ...callOptions(opts) });
    const m = reply.messages[0];
    if (!m) throw new NetlinkError('RTM_GETLINK', 19);
    return linkCodec.decodePayload(m.payload) as Link;
  });
}

/** The index of the link called `name`; rejects with NetlinkError ENODEV when there is none. */
export async function linkIndex(name: string, opts: FamilyOptions = {}): Promise<number> {
  const l = await getLink(name, { ...opts, stats: false });
  return l.ifindex!;
}

/** The name of the link with index `ifindex`; rejects with NetlinkError ENODEV when there is none. */
export async function linkName(ifindex: number, opts: FamilyOptions = {}): Promise<string> {
  const l = await getLink(ifindex, { ...opts, stats: false });
  return l.ifname!;
}

/** The header/attribute fields that name a link: ifindex, or IFLA_IFNAME / IFLA_ALT_IFNAME. */
function refFields(ref: LinkRef): Record<string, unknown> {
  if (typeof ref === 'number') return { ifindex: ref };
  if (/^\d+$/.test(ref)) return { ifindex: Number(ref) };
  return Buffer.byteLength(ref) >= IFNAMSIZ ? { alt_ifname: ref } : { ifname: ref };
}

/** Resolves a link reference to its index (a number is taken as is). */
export async function resolveLink(ref: LinkRef, sock: NetlinkSocket): Promise<number> {
  if (typeof ref === 'number') return ref;
  if (/^\d+$/.test(ref)) return Number(ref);
  return linkIndex(ref, { socket: sock });
}

/**
 * What to create or change. Any decoded link property may be given (`mtu`, `address`,
 * `txqlen`, `ifalias`, `group`, …) plus these conveniences:
 */
export interface LinkSpec extends Partial<Omit<Link, 'master' | 'link' | 'flags' | 'linkinfo'>> {
  /** IFLA_INFO_KIND: 'veth', 'bridge', 'vxlan', 'macvlan', 'macvtap', 'vlan', 'ifb', 'tun', 'dummy', … */
  kind?: string;
  /** IFLA_INFO_DATA for the kind, e.g. `{ id: 42, port: 4789 }` for vxlan, `{ mode: 'bridge' }` for macvlan. */
  data?: Record<string, unknown>;
  /** IFLA_INFO_SLAVE_DATA, e.g. bridge port options `{ cost: 10 }`. */
  slaveData?: Record<string, unknown>;
  /** The veth peer (its name, and any property of a LinkSpec, `netns` included). */
  peer?: LinkSpec;
  /** Bring the link up (true) or down (false). */
  up?: boolean;
  /** Enslave to this master; null or 0 releases it (nomaster). */
  master?: LinkRef | null;
  /** The lower link (vlan, macvlan, vxlan's device). */
  link?: LinkRef;
  /** Move the link to (or create it in) this namespace: a pid (IFLA_NET_NS_PID), or a name/path/fd (IFLA_NET_NS_FD). */
  netns?: NetnsSpec;
  /** ifi_flags to set, with `change` as the mask (up/down is simpler with `up`). */
  flags?: LinkFlag[];
  /** Raw linkinfo, when kind/data/slaveData are not enough. */
  linkinfo?: Record<string, unknown>;
}

const SPECIAL = new Set(['kind', 'data', 'slaveData', 'peer', 'up', 'master', 'link', 'netns']);

/** Builds the flat message object of a LinkSpec; opened namespace fds are pushed to `fds`. */
async function linkMessage(spec: LinkSpec, sock: NetlinkSocket, fds: number[]): Promise<Record<string, unknown>> {
  const o: Record<string, unknown> = { family: 'unspec' };
  for (const [k, v] of Object.entries(spec)) if (!SPECIAL.has(k) && v !== undefined) o[k] = v;
  if (spec.up !== undefined) {
    const flags = new Set((spec.flags ?? []) as string[]);
    if (spec.up) flags.add('UP');
    else flags.delete('UP');
    o.flags = [...flags];
    o.change = ((spec.change as number | undefined) ?? 0) | IFF.UP;
  } else if (spec.flags !== undefined && spec.change === undefined) {
    o.change = 0xffffffff;
  }
  if (spec.master !== undefined) o.master = spec.master === null ? 0 : await resolveLink(spec.master, sock);
  if (spec.link !== undefined) o.link = await resolveLink(spec.link, sock);
  if (spec.netns !== undefined) {
    if (typeof spec.netns === 'number') o.net_ns_pid = spec.netns;
    else if (typeof spec.netns === 'object' && 'pid' in spec.netns) o.net_ns_pid = spec.netns.pid;
    else if (typeof spec.netns === 'object' && 'fd' in spec.netns) o.net_ns_fd = spec.netns.fd;
    else {
      const fd = fs.openSync(netnsPath(spec.netns), 'r');
      fds.push(fd);
      o.net_ns_fd = fd;
    }
  }
  if (spec.kind !== undefined || spec.data !== undefined || spec.slaveData !== undefined || spec.peer !== undefined) {
    const li: Record<string, unknown> = { ...(spec.linkinfo ?? {}) };
    if (spec.kind !== undefined) li.kind = spec.kind;
    let data = spec.data;
    if (spec.peer) data = { ...(data ?? {}), peer: await linkMessage(spec.peer, sock, fds) };
    if (data !== undefined) li.data = data;
    if (spec.slaveData !== undefined) {
      li.slave_kind ??= 'bridge';
      li.slave_data = spec.slaveData;
    }
    o.linkinfo = li;
  }
  return o;
}

/** Options of link changes. */
export interface LinkChangeOptions extends FamilyOptions {
  /** Extra nlmsg_flags (NLM_F_*) to OR into the request. */
  flags?: number;
}

/**
 * Creates a link (RTM_NEWLINK with NLM_F_CREATE|NLM_F_EXCL|NLM_F_ECHO, like `ip link add`)
 * and resolves with it as the kernel created it.
 *
 *   await addLink({ ifname: 'v0', kind: 'veth', peer: { ifname: 'v1' } }, { netns: 'ns1' });
 *   await addLink({ ifname: 'br0', kind: 'bridge', data: { stp_state: 1 }, up: true });
 *   await addLink({ ifname: 'vx0', kind: 'vxlan', data: { id: 42, port: 4789, local: '10.0.0.1' } });
 */
export async function addLink(spec: LinkSpec, opts: LinkChangeOptions = {}): Promise<Link> {
  return withSocket(opts, async (sock) => {
    const fds: number[] = [];
    try {
      const msg = await linkMessage(spec, sock, fds);
      const flags = NLM_F_CREATE | NLM_F_EXCL | NLM_F_ECHO | (opts.flags ?? 0);
      const reply = await sock.request(linkCodec.encode(RTM.NEWLINK, flags, msg as Partial<Link>), { headerSize: HDR, ...callOptions(opts) });
      const links = reply.messages.filter((m) => m.type === RTM.NEWLINK).map((m) => linkCodec.decodePayload(m.payload) as Link);
      const mine = links.find((l) => spec.ifname !== undefined && l.ifname === spec.ifname) ?? links[0];
      if (mine) return mine;
      // Kernels before 6.2 do not echo RTM_NEWLINK; a name was given or chosen by the kernel.
      if (spec.netns !== undefined) throw new Error('addLink: the kernel did not echo the new link, and it lives in another namespace');
      if (spec.ifname === undefined) throw new Error('addLink: the kernel did not echo the new link and no name was given');
      return getLink(spec.ifname, { ...callOptions(opts), socket: sock });
    } finally {
      for (const fd of fds) fs.closeSync(fd);
    }
  });
}

/**
 * Changes a link (RTM_NEWLINK without NLM_F_CREATE, like `ip link set`): rename with `ifname`,
 * `mtu`, `address`, `up`, `master` (null for nomaster), `netns`, `txqlen`, `ifalias`,
 * `proto_down`, kind data, …
 *
 *   await changeLink('v0', { up: true, mtu: 1400, master: 'br0' });
 */
export async function changeLink(ref: LinkRef, changes: LinkSpec, opts: LinkChangeOptions = {}): Promise<void> {
  await withSocket(opts, async (sock) => {
    const fds: number[] = [];
    try {
      const msg = await linkMessage(changes, sock, fds);
      // A rename needs the index (the new name goes in IFLA_IFNAME); otherwise the name will do.
      if (changes.ifname !== undefined || changes.alt_ifname !== undefined) msg.ifindex = await resolveLink(ref, sock);
      else Object.assign(msg, refFields(ref));
      await sock.request(linkCodec.encode(RTM.NEWLINK, opts.flags ?? 0, msg as Partial<Link>), { headerSize: HDR, ...callOptions(opts) });
    } finally {
      for (const fd of fds) fs.closeSync(fd);
    }
  });
}

/** Same as {@link changeLink}: iproute2 calls it `ip link set`. */
export const setLink = changeLink;

/** Deletes a link (RTM_DELLINK), by index or name. */
export async function deleteLink(ref: LinkRef, opts: FamilyOptions = {}): Promise<void> {
  await withSocket(opts, async (sock) => {
    const msg = { family: 'unspec', ...refFields(ref) };
    await sock.request(linkCodec.encode(RTM.DELLINK, 0, msg as Partial<Link>), { headerSize: HDR, ...callOptions(opts) });
  });
}

/** Encodes a link object as a message of `type` (e.g. to re-send a decoded link); flags are nlmsg_flags. */
export function encodeLink(type: number, flags: number, link: Partial<Link>): Uint8Array {
  return linkCodec.encode(type, flags, link as Partial<Link>);
}

