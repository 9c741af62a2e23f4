// Neighbours (ARP/NDP entries and proxies): dump (filtered by link/master in the kernel), get,
// add/replace/change with iproute2's defaults (state permanent), delete and flush.
import { NLM_F_CREATE, NLM_F_ECHO, NLM_F_EXCL, NLM_F_REPLACE, NLMSG_HDRLEN } from '../wire/index.js';
import { parseIp } from '../schema/index.js';
import type { Dump, FamilyOptions, NetlinkSocket } from '../socket/index.js';
import { neighCodec, type Neighbour } from './codecs.js';
import { RTM } from './constants.js';
import type { Family, NeighFlag, NeighState } from './enums.js';
import { resolveLink, type LinkRef } from './links.js';
import { chooseVictims, deleteAll, type FlushOptions } from './flush.js';
import { callOptions, routeDump, withSocket } from './socket.js';
import { HEADER_SIZES } from './structs.js';

export type { Neighbour } from './codecs.js';

const HDR = HEADER_SIZES.ndmsg;

/** Filters of {@link dumpNeighbours}; all are applied by the kernel except `state`. */
export interface NeighbourFilter {
  family?: Family | number;
  /** Only entries of this link (NDA_IFINDEX). */
  dev?: LinkRef;
  /** Only entries of ports of this master (NDA_MASTER). */
  master?: LinkRef;
  /** Proxy entries (`ip neigh show proxy`) instead of the cache. */
  proxy?: boolean;
  /** Only entries in one of these states. */
  state?: NeighState[];
}


/** Dumps neighbour entries (RTM_GETNEIGH, NLM_F_DUMP) as typed objects: `{ family, ifindex, state, flags, type, dst, lladdr, … }`. */
export function dumpNeighbours(filter: NeighbourFilter = {}, opts: FamilyOptions = {}): Dump<Neighbour> {
  const st = filter.state;
  const pred = st ? (n: Neighbour) => (n.state as string[]).some((s) => st.includes(s as NeighState)) : undefined;
  return routeDump(opts, async (sock) => {
    const o: Record<string, unknown> = { family: filter.family ?? 'unspec' };
    if (filter.proxy) o.flags = ['proxy'];
    if (filter.dev !== undefined) o.nda_ifindex = await resolveLink(filter.dev, sock);
    if (filter.master !== undefined) o.master = await resolveLink(filter.master, sock);
    return neighCodec.encode(RTM.GETNEIGH, 0, o as Partial<Neighbour>);
  }, neighCodec, pred);
}

/** A neighbour to create, change or delete (a decoded Neighbour works too). */
export interface NeighbourSpec extends Partial<Omit<Neighbour, 'state' | 'flags' | 'family'>> {
  /** The protocol address. */
  dst: string;
  /** The link: index or name. */
  dev?: LinkRef;
  /** State (default ['permanent'], like `ip neigh add`). */
  state?: (NeighState | number)[];
  flags?: (NeighFlag | number)[];
  /** A proxy entry (NTF_PROXY). */
  proxy?: boolean;
  /** Mark as a router (NTF_ROUTER). */
  router?: boolean;
  family?: Family | number;
}

async function neighMessage(spec: NeighbourSpec, sock: NetlinkSocket, defaults: boolean): Promise<Record<string, unknown>> {
  const o: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(spec)) if (k !== 'dev' && k !== 'proxy' && k !== 'router' && v !== undefined) o[k] = v;
  if (spec.dev !== undefined) o.ifindex = await resolveLink(spec.dev, sock);
  if (o.ifindex === undefined) throw new TypeError('neighbour: a link is needed (dev or ifindex)');
  o.family ??= parseIp(spec.dst).length === 4 ? 'inet' : 'inet6';
  const flags = new Set((spec.flags ?? []) as (string | number)[]);
  if (spec.proxy) flags.add('proxy');
  if (spec.router) flags.add('router');
  o.flags = [...flags];
  if (defaults && o.state === undefined && !spec.proxy) o.state = ['permanent'];
  return o;
}

/** Options of neighbour changes. */
export interface NeighbourChangeOptions extends FamilyOptions {
  /** Extra nlmsg_flags to OR into the request. */
  flags?: number;
}

async function modify(spec: NeighbourSpec, nlflags: number, opts: NeighbourChangeOptions): Promise<Neighbour> {
  return withSocket(opts, async (sock) => {
    const msg = await neighMessage(spec, sock, true);
    // Without an echo (the kernel notifies no one), the object is what was asked for: the request decoded.
    const request = neighCodec.encode(RTM.NEWNEIGH, nlflags | NLM_F_ECHO | (opts.flags ?? 0), msg as Partial<Neighbour>);
    const reply = await sock.request(request, {
      headerSize: HDR, ...callOptions(opts),
    });
    const echoed = reply.messages.find((m) => m.type === RTM.NEWNEIGH);
    if (echoed) return neighCodec.decodePayload(echoed.payload) as Neighbour;
    if (spec.proxy) return neighCodec.decodePayload(request.subarray(NLMSG_HDRLEN)) as Neighbour;
    return getNeighbour({ dst: spec.dst, ifindex: msg.ifindex as number }, { ...callOptions(opts), socket: sock });
  });
}

/**
 * Adds a neighbour entry (RTM_NEWNEIGH, NLM_F_CREATE|NLM_F_EXCL, `ip neigh add`), state
 * permanent unless given, and resolves with it.
 *
 *   await addNeighbour({ dst: '10.0.0.7', lladdr: '02:00:00:00:00:07', dev: 'v0' });
 *   await addNeighbour({ dst: '10.0.0.8', dev: 'v0', proxy: true });
 */
export function addNeighbour(spec: NeighbourSpec, opts: NeighbourChangeOptions = {}): Promise<Neighbour> {
  return modify(spec, NLM_F_CREATE | NLM_F_EXCL, opts);
}

/** Adds or replaces a neighbour entry (`ip neigh replace`). */
export function replaceNeighbour(spec: NeighbourSpec, opts: NeighbourChangeOptions = {}): Promise<Neighbour> {
  return modify(spec, NLM_F_CREATE | NLM_F_REPLACE, opts);
}

/** Changes an existing neighbour entry (`ip neigh change`). */
export function changeNeighbour(spec: NeighbourSpec, opts: NeighbourChangeOptions = {}): Promise<Neighbour> {
  return modify(spec, NLM_F_REPLACE, opts);
}

/** Deletes a neighbour entry (RTM_DELNEIGH, `ip neigh del`). */
export async function deleteNeighbour(spec: NeighbourSpec, opts: FamilyOptions = {}): Promise<void> {
  await withSocket(opts, async (sock) => {
    const msg = await neighMessage(spec, sock, false);
    delete msg.state;
    await sock.request(neighCodec.encode(RTM.DELNEIGH, 0, msg as Partial<Neighbour>), { headerSize: HDR, ...callOptions(opts) });
  });
}

/** Gets one entry (RTM_GETNEIGH request, `ip neigh get`). */
export async function getNeighbour(q: { dst: string; dev?: LinkRef; ifindex?: number; proxy?: boolean }, opts: FamilyOptions = {}): Promise<Neighbour> {
  return withSocket(opts, async (sock) => {
    const ifindex = q.ifindex ?? (q.dev !== undefined ? await resolveLink(q.dev, sock) : 0);
    const o = { family: parseIp(q.dst).length === 4 ? 'inet' : 'inet6', ifindex, dst: q.dst, flags: q.proxy ? ['proxy'] : [] };
    const reply = await sock.request(neighCodec.encode(RTM.GETNEIGH, 0, o as Partial<Neighbour>), { ack: false, idempotent: true, headerSize: HDR, ...callOptions(opts) });
    return neighCodec.decodePayload(reply.messages[0]!.payload) as Neighbour;
  });
}

/**
 * Deletes the entries the filter matches (`ip neigh flush`): by default every state except
 * permanent and noarp, as iproute2 does. Resolves with the number deleted.
 */
export async function flushNeighbours(filter: NeighbourFilter = {}, opts: FlushOptions<Neighbour> = {}): Promise<number> {
  return withSocket(opts, async (sock) => {
    const list = await dumpNeighbours(filter, { ...callOptions(opts), socket: sock }).toArray();
    const victims = chooseVictims(list, opts,
      (n) => Boolean(filter.state || filter.proxy) || !(n.state as string[]).some((s) => s === 'permanent' || s === 'noarp'));
    return deleteAll(sock, victims, (n) => neighCodec.encode(RTM.DELNEIGH, 0, n), HDR, ['ENOENT']);
  });
}
