// Routes: dump (filtered by table, protocol, type and oif in the kernel), get (`ip route get`),
// add/replace/change/append/prepend with iproute2's defaults (table main, protocol boot, type
// unicast, scope inferred), delete and flush.
import { NLM_F_APPEND, NLM_F_CREATE, NLM_F_ECHO, NLM_F_EXCL, NLM_F_REPLACE, NLMSG_HDRLEN } from '../wire/index.js';
import { parseIp } from '../schema/index.js';
import type { BatchOptions, BatchResult, Dump, FamilyOptions, NetlinkSocket } from '../socket/index.js';
import type { Metrics, MultipathNexthop, Via } from './attrs.js';
import { routeCodec, type Route } from './codecs.js';
import { RTM } from './constants.js';
import type { Family, RouteFlag, RouteType, Scope } from './enums.js';
import { resolveLink, type LinkRef } from './links.js';
import { chooseVictims, deleteAll, type FlushOptions } from './flush.js';
import { callOptions, routeDump, withSocket } from './socket.js';
import { HEADER_SIZES } from './structs.js';
import { protocolId, tableId } from './tables.js';

export type { Route } from './codecs.js';

const HDR = HEADER_SIZES.rtmsg;

/** Filters of {@link dumpRoutes}. `table`, `protocol`, `type`, `oif` and `cloned` are applied by the kernel. */
export interface RouteFilter {
  /** 'inet', 'inet6', 'mpls' or unspecified for all. */
  family?: Family | number;
  /** A table by id or name ('main', 'local', a name from rt_tables); unspecified for all tables. */
  table?: string | number;
  /** A protocol by name or id ('kernel', 'boot', 'static', …). */
  protocol?: string | number;
  /** A route type ('unicast', 'local', 'blackhole', …). */
  type?: RouteType | number;
  /** Only routes out of this link (RTA_OIF). */
  oif?: LinkRef;
  /** Cached routes (exceptions: PMTU, redirects) instead of FIB entries (RTM_F_CLONED). */
  cloned?: boolean;
}


/**
 * Dumps routes (RTM_GETROUTE, NLM_F_DUMP) as typed objects: `{ family, dst_len, src_len, tos,
 * table, protocol, scope, type, flags, dst, gateway, oif, priority, prefsrc, metrics,
 * multipath, … }`. Without `table` all tables are dumped (like `ip route show table all`).
 */
export function dumpRoutes(filter: RouteFilter = {}, opts: FamilyOptions = {}): Dump<Route> {
  const build = (oif: number | undefined) => {
    const o: Record<string, unknown> = { family: filter.family ?? 'unspec' };
    if (filter.table !== undefined) o.table = tableId(filter.table);
    if (filter.protocol !== undefined) o.protocol = protocolId(filter.protocol);
    if (filter.type !== undefined) o.type = filter.type;
    if (filter.cloned) o.flags = ['cloned'];
    if (oif !== undefined) o.oif = oif;
    return routeCodec.encode(RTM.GETROUTE, 0, o as Partial<Route>);
  };
  const oif = filter.oif;
  if (oif === undefined) return routeDump(opts, build(undefined), routeCodec);
  return routeDump(opts, async (sock) => build(await resolveLink(oif, sock)), routeCodec);
}

/** One nexthop of a multipath route to create. */
export interface NexthopSpec extends Partial<Omit<MultipathNexthop, 'ifindex' | 'flags'>> {
  /** The link: index or name. */
  dev?: LinkRef;
  ifindex?: number;
  gateway?: string;
  via?: Via;
  /** 1..256 (default 1). */
  weight?: number;
  flags?: ('onlink' | 'dead' | 'pervasive' | 'linkdown' | string | number)[];
}

/**
 * A route to create, change or delete. Any decoded Route property may be given; these are
 * the conveniences (a decoded Route works as a spec too):
 */
export interface RouteSpec extends Partial<Omit<Route, 'dst' | 'src' | 'table' | 'protocol' | 'type' | 'scope' | 'oif' | 'iif' | 'multipath' | 'flags' | 'family'>> {
  /** 'default', 'PREFIX/LEN' or 'ADDR' (a host route unless `dst_len`). */
  dst?: string;
  /** Source prefix (RTA_SRC, for source-specific IPv6 routes), 'PREFIX/LEN'. */
  src?: string;
  family?: Family | number;
  /** Output link by index or name (`dev`). */
  oif?: LinkRef;
  /** Same as oif. */
  dev?: LinkRef;
  iif?: LinkRef;
  /** Table by id or name (default main; local for local/broadcast/nat/anycast routes). */
  table?: string | number;
  /** Protocol by name or id (default boot). */
  protocol?: string | number;
  /** Route type (default unicast). */
  type?: RouteType | number;
  /** Scope (default inferred like iproute2: host for local/nat, link for broadcast/multicast/anycast and gateway-less unicast). */
  scope?: Scope | number;
  /** `ip route`'s metric: RTA_PRIORITY. */
  metric?: number;
  metrics?: Metrics;
  multipath?: NexthopSpec[];
  /** rtm_flags, e.g. ['onlink']. */
  flags?: (RouteFlag | number)[];
  /** Shorthand for flags: ['onlink']. */
  onlink?: boolean;
}

const SPECIAL = new Set(['dst', 'src', 'dev', 'oif', 'iif', 'table', 'protocol', 'metric', 'multipath', 'onlink', '$header', '$absent']);

function prefix(text: string, lenHint: number | undefined): { addr: string | undefined; len: number; bytes: number } {
  if (text === 'default' || text === 'all' || text === 'any') return { addr: undefined, len: 0, bytes: 0 };
  const i = text.indexOf('/');
  const addr = i < 0 ? text : text.slice(0, i);
  const bytes = parseIp(addr).length;
  const len = i < 0 ? (lenHint ?? bytes * 8) : Number(text.slice(i + 1));
  if (!Number.isInteger(len) || len < 0 || len > bytes * 8) throw new TypeError(`invalid prefix "${text}"`);
  return { addr, len, bytes };
}

function familyOf(bytes: number): Family | undefined {
  return bytes === 4 ? 'inet' : bytes === 16 ? 'inet6' : undefined;
}

/** Builds the flat message object of a route spec; `defaults` applies iproute2's add defaults. */
async function routeMessage(spec: RouteSpec, sock: NetlinkSocket, cmd: 'new' | 'del'): Promise<Record<string, unknown>> {
  const o: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(spec)) if (!SPECIAL.has(k) && v !== undefined) o[k] = v;
  let fam = spec.family as Family | number | undefined;
  if (spec.dst !== undefined) {
    const p = prefix(spec.dst, spec.dst_len);
    o.dst_len = p.len;
    if (p.addr !== undefined) o.dst = p.addr;
    else delete o.dst;
    fam ??= familyOf(p.bytes);
  }
  if (spec.src !== undefined) {
    const p = prefix(spec.src, spec.src_len);
    o.src_len = p.len;
    if (p.addr !== undefined) o.src = p.addr;
    fam ??= familyOf(p.bytes);
  }
  const gw = spec.gateway ?? spec.multipath?.find((n) => n.gateway)?.gateway;
  if (gw !== undefined) fam ??= familyOf(parseIp(gw).length);
  if (spec.prefsrc !== undefined) fam ??= familyOf(parseIp(spec.prefsrc).length);
  o.family = fam ?? 'inet';
  const oif = spec.oif ?? spec.dev;
  if (oif !== undefined) o.oif = await resolveLink(oif, sock);
  if (spec.iif !== undefined) o.iif = await resolveLink(spec.iif, sock);
  if (spec.metric !== undefined) o.priority = spec.metric;
  if (spec.protocol !== undefined) o.protocol = protocolId(spec.protocol);
  if (spec.onlink) o.flags = [...((o.flags as unknown[]) ?? []), 'onlink'];
  if (spec.multipath) {
    o.multipath = await Promise.all(spec.multipath.map(async (n) => {
      const { dev, ...rest } = n;
      const nh: Record<string, unknown> = { flags: [], weight: 1, ...rest };
      if (dev !== undefined) nh.ifindex = await resolveLink(dev, sock);
      nh.ifindex ??= 0;
      return nh;
    }));
  }
  const type = (o.type ?? (cmd === 'new' ? 'unicast' : undefined)) as RouteType | number | undefined;
  if (type !== undefined) o.type = type;
  if (spec.table !== undefined) o.table = tableId(spec.table);
  else if (cmd === 'new' && (type === 'local' || type === 'broadcast' || type === 'nat' || type === 'anycast')) o.table = 'local';
  else o.table = 'main';
  if (cmd === 'new') {
    o.protocol ??= 'boot';
    if (o.scope === undefined) {
      if (o.family === 'inet6' || o.family === 'mpls') o.scope = 'global';
      else if (type === 'local' || type === 'nat') o.scope = 'host';
      else if (type === 'broadcast' || type === 'multicast' || type === 'anycast') o.scope = 'link';
      else if ((type === 'unicast' || type === 'none') && gw === undefined && spec.via === undefined && !spec.multipath && spec.nh_id === undefined) o.scope = 'link';
      else o.scope = 'global';
    }
  } else {
    o.scope ??= 'nowhere';
  }
  return o;
}

/** Options of route changes. */
export interface RouteChangeOptions extends FamilyOptions {
  /** Extra nlmsg_flags to OR into the request. */
  flags?: number;
}

async function modify(spec: RouteSpec, nlflags: number, opts: RouteChangeOptions): Promise<Route> {
  return withSocket(opts, async (sock) => {
    const msg = await routeMessage(spec, sock, 'new');
    // Without an echo (the kernel notifies no one), the object is what was asked for: the request decoded.
    const request = routeCodec.encode(RTM.NEWROUTE, nlflags | NLM_F_ECHO | (opts.flags ?? 0), msg as Partial<Route>);
    const reply = await sock.request(request, {
      headerSize: HDR, ...callOptions(opts),
    });
    const echoed = reply.messages.find((m) => m.type === RTM.NEWROUTE);
    if (echoed) return routeCodec.decodePayload(echoed.payload) as Route;
    return routeCodec.decodePayload(request.subarray(NLMSG_HDRLEN)) as Route;
  });
}

/**
 * Adds a route (RTM_NEWROUTE, NLM_F_CREATE|NLM_F_EXCL, like `ip route add`) and resolves with
 * it as the kernel stored it (NLM_F_ECHO). Defaults are iproute2's: table main (local for
 * local/broadcast/nat/anycast), protocol boot, type unicast, scope link for a unicast route
 * without gateway, host for local/nat, link for broadcast/multicast/anycast, else global.
 *
 *   await addRoute({ dst: '10.1.0.0/16', gateway: '10.0.0.254' });
 *   await addRoute({ dst: '192.0.2.0/24', dev: 'v0', table: 100, metric: 50 });
 *   await addRoute({ dst: 'default', multipath: [{ gateway: '10.0.0.1', weight: 2 }, { gateway: '10.0.0.2' }] });
 */
export function addRoute(spec: RouteSpec, opts: RouteChangeOptions = {}): Promise<Route> {
  return modify(spec, NLM_F_CREATE | NLM_F_EXCL, opts);
}

/** Adds or replaces a route (NLM_F_CREATE|NLM_F_REPLACE, `ip route replace`). */
export function replaceRoute(spec: RouteSpec, opts: RouteChangeOptions = {}): Promise<Route> {
  return modify(spec, NLM_F_CREATE | NLM_F_REPLACE, opts);
}

/** Changes an existing route (NLM_F_REPLACE, `ip route change`). */
export function changeRoute(spec: RouteSpec, opts: RouteChangeOptions = {}): Promise<Route> {
  return modify(spec, NLM_F_REPLACE, opts);
}

/** Appends a route after existing ones of the same key (NLM_F_CREATE|NLM_F_APPEND, `ip route append`). */
export function appendRoute(spec: RouteSpec, opts: RouteChangeOptions = {}): Promise<Route> {
  return modify(spec, NLM_F_CREATE | NLM_F_APPEND, opts);
}

/** Prepends a route before existing ones of the same key (NLM_F_CREATE, `ip route prepend`). */
export function prependRoute(spec: RouteSpec, opts: RouteChangeOptions = {}): Promise<Route> {
  return modify(spec, NLM_F_CREATE, opts);
}

/**
 * Deletes a route (RTM_DELROUTE, `ip route del`): what the spec leaves out matches any route
 * (table main unless given). A decoded Route works as the spec.
 */
export async function deleteRoute(spec: RouteSpec | Route, opts: FamilyOptions = {}): Promise<void> {
  await withSocket(opts, async (sock) => {
    const msg = await routeMessage(spec as RouteSpec, sock, 'del');
    await sock.request(routeCodec.encode(RTM.DELROUTE, 0, msg as Partial<Route>), { headerSize: HDR, ...callOptions(opts) });
  });
}

/**
 * Deletes every route the filter matches (`ip route flush`; table main unless `table` is
 * given, 'all' for every table): dumps them and sends each back as RTM_DELROUTE, pipelined.
 * `opts.where` chooses among the dumped routes instead of the default (all but the kernel's
 * IPv6 multicast routes). Resolves with the number deleted.
 */
export async function flushRoutes(filter: RouteFilter & { table?: string | number | 'all' } = {}, opts: FlushOptions<Route> = {}): Promise<number> {
  return withSocket(opts, async (sock) => {
    const f: RouteFilter = { ...filter };
    if (f.table === 'all') delete f.table;
    else f.table ??= 'main';
    const list = await dumpRoutes(f, { ...callOptions(opts), socket: sock }).toArray();
    // IPv6 routes the kernel owns (prefix routes of addresses, multicast) come back; skip what
    // iproute2 skips: the cached clones of a FIB dump never appear here.
    const victims = chooseVictims(list, opts, (r) => !(r.family === 'inet6' && r.protocol === 'kernel' && r.type === 'multicast'));
    return deleteAll(sock, victims, (r) => routeCodec.encode(RTM.DELROUTE, 0, r), HDR, ['ESRCH', 'ENOENT']);
  });
}

/** Options of {@link addRoutes} and {@link deleteRoutes}: the socket's and the batch's. */
export type RouteBatchOptions = FamilyOptions & Omit<BatchOptions, 'headerSize'>;

/**
 * Adds many routes with {@link addRoute}'s defaults (table, scope, protocol, type as `ip route
 * add` picks them), pipelined by requestBatch: one refused route does not stop the others; the
 * result lists refusals by index.
 */
export function addRoutes(specs: Iterable<RouteSpec>, opts: RouteBatchOptions = {}): Promise<BatchResult> {
  return routeBatch(specs, 'new', NLM_F_CREATE | NLM_F_EXCL, opts);
}

/** Deletes many routes as {@link deleteRoute} would, pipelined by requestBatch; refusals by index. */
export function deleteRoutes(specs: Iterable<RouteSpec | Route>, opts: RouteBatchOptions = {}): Promise<BatchResult> {
  return routeBatch(specs as Iterable<RouteSpec>, 'del', 0, opts);
}

async function routeBatch(specs: Iterable<RouteSpec>, cmd: 'new' | 'del', nlflags: number, opts: RouteBatchOptions): Promise<BatchResult> {
  return withSocket(opts, async (sock) => {
    const type = cmd === 'new' ? RTM.NEWROUTE : RTM.DELROUTE;
    const msgs: Uint8Array[] = [];
    for (const spec of specs) msgs.push(routeCodec.encode(type, nlflags, await routeMessage(spec, sock, cmd) as Partial<Route>));
    const { window, datagramSize, signal } = opts;
    return sock.requestBatch(msgs, { headerSize: HDR, window, datagramSize, signal });
  });
}

/** A route lookup (`ip route get`). */
export interface RouteQuery {
  /** The destination address. */
  dst: string;
  src?: string;
  iif?: LinkRef;
  oif?: LinkRef;
  mark?: number;
  uid?: number;
  ip_proto?: number;
  sport?: number;
  dport?: number;
  /** Return the FIB entry that matched instead of the resolved route (RTM_F_FIB_MATCH). */
  fibmatch?: boolean;
}

/** Looks a destination up (RTM_GETROUTE request, `ip route get`) and resolves with the route the kernel would use. */
export async function getRoute(q: RouteQuery, opts: FamilyOptions = {}): Promise<Route> {
  return withSocket(opts, async (sock) => {
    const bytes = parseIp(q.dst).length;
    const o: Record<string, unknown> = { family: familyOf(bytes), dst_len: bytes * 8, dst: q.dst };
    if (q.src !== undefined) {
      o.src = q.src;
      o.src_len = bytes * 8;
    }
    if (q.iif !== undefined) o.iif = await resolveLink(q.iif, sock);
    if (q.oif !== undefined) o.oif = await resolveLink(q.oif, sock);
    for (const k of ['mark', 'uid', 'ip_proto', 'sport', 'dport'] as const) if (q[k] !== undefined) o[k] = q[k];
    if (q.fibmatch) o.flags = ['fib_match'];
    const reply = await sock.request(routeCodec.encode(RTM.GETROUTE, 0, o as Partial<Route>), { ack: false, idempotent: true, headerSize: HDR, ...callOptions(opts) });
    return routeCodec.decodePayload(reply.messages[0]!.payload) as Route;
  });
}

/** Encodes a route object as a message of `type` (e.g. RTM.DELROUTE for a decoded route). */
export function encodeRoute(type: number, flags: number, route: Partial<Route>): Uint8Array {
  return routeCodec.encode(type, flags, route as Partial<Route>);
}
