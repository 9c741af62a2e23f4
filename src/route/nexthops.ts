// Nexthop objects and groups: dump (filtered in the kernel), get, add/replace (with echo),
// delete and flush.
import { NLM_F_CREATE, NLM_F_ECHO, NLM_F_EXCL, NLM_F_REPLACE, NLMSG_HDRLEN } from '../wire/index.js';
import { parseIp } from '../schema/index.js';
import type { Dump, FamilyOptions, NetlinkSocket } from '../socket/index.js';
import type { NexthopGroupMember } from './attrs.js';
import { nexthopCodec, type Nexthop } from './codecs.js';
import { RTM } from './constants.js';
import type { Family } from './enums.js';
import { resolveLink, type LinkRef } from './links.js';
import { chooseVictims, type FlushOptions } from './flush.js';
import { callOptions, routeDump, withSocket } from './socket.js';
import { HEADER_SIZES } from './structs.js';
import { protocolId } from './tables.js';

export type { Nexthop } from './codecs.js';

const HDR = HEADER_SIZES.nhmsg;

/** Filters of {@link dumpNexthops}, applied by the kernel. */
export interface NexthopFilter {
  family?: Family | number;
  /** Only nexthops using this link (NHA_OIF). */
  oif?: LinkRef;
  /** Only nexthops on ports of this master (NHA_MASTER). */
  master?: LinkRef;
  /** Only groups (NHA_GROUPS). */
  groups?: boolean;
  /** Only fdb nexthops (NHA_FDB). */
  fdb?: boolean;
}


/** Dumps nexthops (RTM_GETNEXTHOP, NLM_F_DUMP): `{ family, scope, protocol, flags, id, oif, gateway, group, … }`. */
export function dumpNexthops(filter: NexthopFilter = {}, opts: FamilyOptions = {}): Dump<Nexthop> {
  return routeDump(opts, async (sock) => {
    const o: Record<string, unknown> = { family: filter.family ?? 'unspec' };
    if (filter.oif !== undefined) o.oif = await resolveLink(filter.oif, sock);
    if (filter.master !== undefined) o.master = await resolveLink(filter.master, sock);
    if (filter.groups) o.groups = true;
    if (filter.fdb) o.fdb = true;
    return nexthopCodec.encode(RTM.GETNEXTHOP, 0, o as Partial<Nexthop>);
  }, nexthopCodec);
}

/** Gets one nexthop by id (RTM_GETNEXTHOP request). */
export async function getNexthop(id: number, opts: FamilyOptions = {}): Promise<Nexthop> {
  return withSocket(opts, async (sock) => {
    const reply = await sock.request(nexthopCodec.encode(RTM.GETNEXTHOP, 0, { family: 'unspec', id } as Partial<Nexthop>), {
      ack: false, idempotent: true, headerSize: HDR, ...callOptions(opts),
    });
    return nexthopCodec.decodePayload(reply.messages[0]!.payload) as Nexthop;
  });
}

/** A nexthop to create (a decoded Nexthop works too). */
export interface NexthopObjectSpec extends Partial<Omit<Nexthop, 'oif' | 'group' | 'protocol' | 'family' | 'flags'>> {
  family?: Family | number;
  /** The link: index or name. */
  dev?: LinkRef;
  oif?: LinkRef;
  /** Group members: ids with optional weights, or 'ID[/WEIGHT]' text. */
  group?: ((Omit<NexthopGroupMember, 'weight'> & { weight?: number }) | number | string)[];
  protocol?: string | number;
  flags?: ('onlink' | string | number)[];
  onlink?: boolean;
}

async function nexthopMessage(spec: NexthopObjectSpec, sock: NetlinkSocket): Promise<Record<string, unknown>> {
  const o: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(spec)) if (k !== 'dev' && k !== 'onlink' && v !== undefined) o[k] = v;
  const oif = spec.oif ?? spec.dev;
  if (oif !== undefined) o.oif = await resolveLink(oif, sock);
  if (spec.group) {
    o.group = spec.group.map((m) => {
      if (typeof m === 'object') return { ...m, weight: m.weight ?? 1 };
      const [id, w] = String(m).split('/');
      return { id: Number(id), weight: w === undefined ? 1 : Number(w) };
    });
  }
  if (spec.protocol !== undefined) o.protocol = protocolId(spec.protocol);
  if (spec.onlink) o.flags = [...((o.flags as unknown[]) ?? []), 'onlink'];
  // The kernel wants inet or inet6 for a device, gateway or blackhole nexthop, unspec for a group.
  if (o.family === undefined) {
    if (spec.gateway !== undefined) o.family = parseIp(spec.gateway).length === 4 ? 'inet' : 'inet6';
    else o.family = spec.group ? 'unspec' : 'inet';
  }
  return o;
}

/** Options of nexthop changes. */
export interface NexthopChangeOptions extends FamilyOptions {
  /** Extra nlmsg_flags to OR into the request. */
  flags?: number;
}

async function modify(spec: NexthopObjectSpec, nlflags: number, opts: NexthopChangeOptions): Promise<Nexthop> {
  return withSocket(opts, async (sock) => {
    const msg = await nexthopMessage(spec, sock);
    // Without an echo (the kernel notifies no one), the object is what was asked for: the request decoded.
    const request = nexthopCodec.encode(RTM.NEWNEXTHOP, nlflags | NLM_F_ECHO | (opts.flags ?? 0), msg as Partial<Nexthop>);
    const reply = await sock.request(request, {
      headerSize: HDR, ...callOptions(opts),
    });
    const echoed = reply.messages.find((m) => m.type === RTM.NEWNEXTHOP);
    if (echoed) return nexthopCodec.decodePayload(echoed.payload) as Nexthop;
    if (msg.id === undefined) return nexthopCodec.decodePayload(request.subarray(NLMSG_HDRLEN)) as Nexthop;
    return getNexthop(msg.id as number, { ...callOptions(opts), socket: sock });
  });
}

/**
 * Adds a nexthop object or group (RTM_NEWNEXTHOP, NLM_F_CREATE|NLM_F_EXCL, `ip nexthop add`)
 * and resolves with it (the kernel picks an id when none is given).
 *
 *   await addNexthop({ id: 1, gateway: '10.0.0.9', dev: 'v0' });
 *   await addNexthop({ id: 10, group: [{ id: 1 }, { id: 2, weight: 3 }] });
 */
export function addNexthop(spec: NexthopObjectSpec, opts: NexthopChangeOptions = {}): Promise<Nexthop> {
  return modify(spec, NLM_F_CREATE | NLM_F_EXCL, opts);
}

/** Adds or replaces a nexthop (`ip nexthop replace`). */
export function replaceNexthop(spec: NexthopObjectSpec, opts: NexthopChangeOptions = {}): Promise<Nexthop> {
  return modify(spec, NLM_F_CREATE | NLM_F_REPLACE, opts);
}

/** Deletes a nexthop by id (RTM_DELNEXTHOP, `ip nexthop del id N`). */
export async function deleteNexthop(id: number, opts: FamilyOptions = {}): Promise<void> {
  await withSocket(opts, async (sock) => {
    await sock.request(nexthopCodec.encode(RTM.DELNEXTHOP, 0, { family: 'unspec', id } as Partial<Nexthop>), {
      headerSize: HDR, ...callOptions(opts),
    });
  });
}

/** Deletes every nexthop the filter matches (`ip nexthop flush`), groups first. Resolves with the number deleted. */
export async function flushNexthops(filter: NexthopFilter = {}, opts: FlushOptions<Nexthop> = {}): Promise<number> {
  return withSocket(opts, async (sock) => {
    const list = chooseVictims(await dumpNexthops(filter, { ...callOptions(opts), socket: sock }).toArray(), opts, () => true);
    list.sort((a, b) => (b.group ? 1 : 0) - (a.group ? 1 : 0));
    let n = 0;
    for (const nh of list) {
      try {
        await deleteNexthop(nh.id!, { ...callOptions(opts), socket: sock });
        n++;
      } catch (e) {
        if ((e as { code?: string }).code !== 'ENOENT') throw e;
      }
    }
    return n;
  });
}
