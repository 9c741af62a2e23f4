// rtnetlink without root: the same nlkit/route scenario runs against the kernel (in a namespace
// of its own) and against rtnetlinkModel() on the in-process bus, and what comes back — each
// call's result or error (errno, extended-ACK text), every dump, and the notifications a
// subscriber sees — must be the same message for message once what legitimately differs is
// normalised. What is normalised, and why, is listed in NORMALISED below (and in the README).
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { test } from 'node:test';
import { NetlinkError, type FamilyOptions } from '../src/index.js';
import * as route from '../src/route/index.js';
import { rtnetlinkModel } from '../src/server/index.js';
import { requireRoot, sh, withNetns } from './helpers/netns.js';

/**
 * What differs legitimately between two runs of the scenario, kernel or model, and is replaced
 * or dropped before comparing:
 */
export const NORMALISED = {
  /** Numbers the kernel allocates: ifindex (and master, link, oif, iif that refer to one) become names. */
  ifindex: ['ifindex', 'master', 'link', 'oif', 'iif'],
  /** Random MAC addresses of new links (address, perm_address, bridge ids) become 'mac'. */
  mac: ['address', 'perm_address'],
  /** Counters and clocks: statistics and the timestamps of cacheinfo. */
  stats: ['stats', 'stats64', 'carrier_changes', 'carrier_up_count', 'carrier_down_count', 'cacheinfo.cstamp', 'cacheinfo.tstamp', 'cacheinfo.used', 'cacheinfo.confirmed', 'cacheinfo.updated', 'cacheinfo.expires'],
  /** Set by the kernel's linkwatch work some time after a carrier change: operstate and IFF_RUNNING. */
  linkwatch: ['operstate', 'flags.RUNNING'],
  /** Not modelled (per-protocol device configuration, bridge internals, hardware maps, ifi_change). */
  unmodelled: ['af_spec', 'linkinfo.data (bridge)', 'linkinfo.slave_data', 'map', 'devlink_port', 'dpll_pin', 'change'],
  /** The order of neighbour dumps: the kernel walks a hash table with a random seed. */
  order: ['neighbour dumps'],
  /** Left out of the comparison: what the kernel adds on its own (IPv6 multicast routes, NUD_NOARP entries, bridge FDB). */
  kernelOwn: ['routes of type multicast', 'neighbours other than permanent inet/inet6 ones', 'link events: compared as a set'],
} as const;

type Log = unknown[];

/** A value made comparable: bigints as text, undefined dropped. */
function plain(v: unknown): unknown {
  return JSON.parse(JSON.stringify(v, (_, x) => (typeof x === 'bigint' ? x.toString() : x)));
}

class Normaliser {
  readonly names = new Map<number, string>();
  learn(links: { ifindex: number; ifname?: string }[]): void {
    for (const l of links) if (l.ifname) this.names.set(l.ifindex, l.ifname);
  }
  ref(v: unknown): unknown {
    return typeof v === 'number' && v !== 0 ? (this.names.get(v) ?? `ifindex?`) : v;
  }
  link(l: Record<string, unknown>): unknown {
    const o: Record<string, unknown> = { ...l };
    for (const k of ['stats', 'stats64', 'carrier_changes', 'carrier_up_count', 'carrier_down_count', 'operstate', 'af_spec', 'map', 'devlink_port', 'dpll_pin', 'change']) delete o[k];
    o.flags = (o.flags as string[] | undefined)?.filter((f) => f !== 'RUNNING');
    for (const k of ['ifindex', 'master', 'link']) if (k in o) o[k] = this.ref(o[k]);
    if (typeof o.address === 'string' && o.address !== '00:00:00:00:00:00') o.address = 'mac';
    if (typeof o.perm_address === 'string') o.perm_address = 'mac';
    const li = o.linkinfo as Record<string, unknown> | undefined;
    if (li) {
      const { data, slave_data: _s, ...rest } = li;
      o.linkinfo = li.kind === 'bridge' ? rest : { ...rest, ...(data !== undefined ? { data } : {}) };
    }
    return plain(o);
  }
  address(a: Record<string, unknown>): unknown {
    const o: Record<string, unknown> = { ...a, ifindex: this.ref(a.ifindex) };
    if (o.cacheinfo) o.cacheinfo = { ...(o.cacheinfo as object), cstamp: 0, tstamp: 0 };
    return plain(o);
  }
  route(r: Record<string, unknown>): unknown {
    const o: Record<string, unknown> = { ...r };
    for (const k of ['oif', 'iif']) if (k in o) o[k] = this.ref(o[k]);
    delete o.cacheinfo;
    return plain(o);
  }
  neighbour(n: Record<string, unknown>): unknown {
    const o: Record<string, unknown> = { ...n, ifindex: this.ref(n.ifindex) };
    if (o.master !== undefined) o.master = this.ref(o.master);
    delete o.cacheinfo;
    return plain(o);
  }
}

/** Orders normalised objects by their text (for what the kernel keeps in hash order). */
const byText = (a: unknown, b: unknown) => JSON.stringify(a).localeCompare(JSON.stringify(b));

/** Runs `fn` and logs its normalised result or its error (errno name and extended-ACK text). */
async function step(log: Log, name: string, fn: () => Promise<unknown>): Promise<void> {
  try {
    log.push([name, await fn()]);
  } catch (e) {
    if (!(e instanceof NetlinkError)) throw e;
    log.push([name, { error: e.code, message: e.kernelMessage ?? null, missing: e.missingType ?? null }]);
  }
}

/** The scenario: links, addresses, routes, neighbours and their errors, with dumps after each part. */
async function scenario(opts: FamilyOptions, log: Log, n: Normaliser): Promise<void> {
  const links = async (label: string) => {
    const all = await route.dumpLinks({}, opts).toArray();
    n.learn(all);
    log.push([label, all.map((l) => n.link(l as never))]);
  };
  const dumps = async (label: string, filtered = true) => {
    const addrs = await route.dumpAddresses({}, opts).toArray();
    log.push([`${label} addresses`, addrs.map((a) => n.address(a as never))]);
    // All tables, in the kernel's order, without the IPv6 multicast route (ff00::/8) up links get.
    const routes = (await route.dumpRoutes({}, opts).toArray()).filter((r) => r.type !== 'multicast');
    log.push([`${label} routes`, routes.map((r) => n.route(r as never))]);
    // The kernel dumps its neighbour hash table, whose seed is random: the order is not compared.
    const neigh = (await route.dumpNeighbours({}, opts).toArray()).filter((x) => isIpNeighbour(x));
    log.push([`${label} neighbours`, neigh.map((x) => n.neighbour(x as never)).sort(byText)]);
    if (!filtered) return;
    // Filters the kernel applies.
    const local = await route.dumpRoutes({ family: 'inet', table: 'local' }, opts).toArray();
    log.push([`${label} ipv4 local table`, local.map((r) => n.route(r as never))]);
    const byOif = await route.dumpRoutes({ family: 'inet', oif: 'v0', table: 'main' }, opts).toArray();
    log.push([`${label} ipv4 main routes of v0`, byOif.map((r) => n.route(r as never))]);
    const v6 = await route.dumpAddresses({ family: 'inet6', dev: 'v0' }, opts).toArray();
    log.push([`${label} ipv6 addresses of v0`, v6.map((a) => n.address(a as never))]);
    const nv0 = (await route.dumpNeighbours({ dev: 'v0' }, opts).toArray()).filter((x) => isIpNeighbour(x));
    log.push([`${label} neighbours of v0`, nv0.map((x) => n.neighbour(x as never)).sort(byText)]);
    const nv1 = (await route.dumpNeighbours({ dev: 'v1', family: 'inet' }, opts).toArray()).filter((x) => isIpNeighbour(x));
    log.push([`${label} ipv4 neighbours of v1`, nv1.map((x) => n.neighbour(x as never))]);
  };
  await links('initial links');
  await step(log, 'add veth v0/v1', async () => {
    const l = await route.addLink({ ifname: 'v0', kind: 'veth', peer: { ifname: 'v1' } }, opts);
    n.learn(await route.dumpLinks({}, opts).toArray());
    return n.link(l as never);
  });
  await step(log, 'add bridge br0', async () => n.link(await route.addLink({ ifname: 'br0', kind: 'bridge' }, opts) as never));
  await step(log, 'add ifb ifb0', async () => n.link(await route.addLink({ ifname: 'ifb0', kind: 'ifb', mtu: 1400, txqlen: 100 }, opts) as never));
  await step(log, 'ifindex allocation', async () => {
    // Numbers differ when a kernel has fallback tunnels in new namespaces; their order does not.
    const at = await route.addLink({ ifname: 'at50', kind: 'ifb', ifindex: 50 }, opts);
    const next = await route.addLink({ ifname: 'next', kind: 'ifb' }, opts);
    const taken = await route.addLink({ ifname: 'again50', kind: 'ifb', ifindex: 50 }, opts).catch((e: NetlinkError) => e.code);
    const ifb0 = await route.getLink('ifb0', opts);
    const v0 = await route.getLink('v0', opts);
    const v1 = await route.getLink('v1', opts);
    await route.deleteLink('at50', opts);
    await route.deleteLink('next', opts);
    return { at: at.ifindex, next: next.ifindex - ifb0.ifindex, taken, peerFirst: v0.ifindex - v1.ifindex };
  });
  await step(log, 'add v0 again', () => route.addLink({ ifname: 'v0', kind: 'veth', peer: { ifname: 'v9' } }, opts));
  await step(log, 'add a name too long', () => route.addLink({ ifname: 'a-name-too-long-for-ifnamsiz', kind: 'ifb' }, opts));
  await step(log, 'add an unknown kind', () => route.addLink({ ifname: 'x0', kind: 'no-such-kind' }, opts));
  await step(log, 'delete a missing link', () => route.deleteLink('nope0', opts));
  await step(log, 'v1 into br0', () => route.changeLink('v1', { master: 'br0' }, opts));
  await step(log, 'mtu 9000 on v0', () => route.changeLink('v0', { mtu: 9000 }, opts));
  await step(log, 'mtu 10 on v0', () => route.changeLink('v0', { mtu: 10 }, opts));
  await step(log, 'mtu 65536 on v0', () => route.changeLink('v0', { mtu: 65536 }, opts));
  await step(log, 'v0 into ifb0', () => route.changeLink('v0', { master: 'ifb0' }, opts));
  await step(log, 'rename ifb0 to v1', () => route.changeLink('ifb0', { ifname: 'v1' }, opts));
  await step(log, 'delete lo', () => route.deleteLink('lo', opts));
  await links('links');
  await step(log, 'ports of br0', async () => (await route.dumpLinks({ master: 'br0' }, opts).toArray()).map((l) => l.ifname));
  await step(log, 'veth links', async () => (await route.dumpLinks({ kind: 'veth' }, opts).toArray()).map((l) => l.ifname));
  await step(log, 'delete ifb0', () => route.deleteLink('ifb0', opts));
  await step(log, 'get v1', async () => n.link(await route.getLink('v1', opts) as never));
  await step(log, 'v0 up', () => route.changeLink('v0', { up: true }, opts));
  await step(log, 'v1 up', () => route.changeLink('v1', { up: true }, opts));
  // Addresses, and the routes they bring.
  const addr = (a: route.AddressSpec) => async () => n.address(await route.addAddress(a, opts) as never);
  await step(log, 'add 10.0.0.1/24', addr({ dev: 'v0', address: '10.0.0.1/24' }));
  await step(log, 'add 2001:db8::1/64 nodad', addr({ dev: 'v0', address: '2001:db8::1/64', flags: ['nodad'] }));
  await step(log, 'add 10.0.0.1/24 again', addr({ dev: 'v0', address: '10.0.0.1/24' }));
  await step(log, 'add 10.9.0.1/33', addr({ dev: 'v0', address: '10.9.0.1', prefixlen: 33 }));
  await step(log, 'add 2001:db8::9/129', addr({ dev: 'v0', address: '2001:db8::9', prefixlen: 129, flags: ['nodad'] }));
  await step(log, 'add on a missing device', addr({ ifindex: 999, address: '10.8.0.1/24' }));
  await step(log, 'add v6 on a missing device', addr({ ifindex: 999, address: '2001:db8:8::1/64', flags: ['nodad'] }));
  await step(log, 'add 2001:db8::1/64 again', addr({ dev: 'v0', address: '2001:db8::1/64', flags: ['nodad'] }));
  await step(log, 'delete a missing v6 address', () => route.deleteAddress({ dev: 'v0', address: '2001:db8::7/64' }, opts));
  await step(log, 'add 10.0.1.1/24 on v1', addr({ dev: 'v1', address: '10.0.1.1/24' }));
  await dumps('with addresses');
  await step(log, 'delete 10.0.1.1/24', () => route.deleteAddress({ dev: 'v1', address: '10.0.1.1/24' }, opts));
  await step(log, 'delete it again', () => route.deleteAddress({ dev: 'v1', address: '10.0.1.1/24' }, opts));
  // Routes: via a gateway, in another table, replaced, deleted, and refused.
  const rt = (f: (s: route.RouteSpec, o: FamilyOptions) => Promise<unknown>, s: route.RouteSpec) => async () => {
    const r = await f(s, opts);
    return r ? n.route(r as never) : r;
  };
  await step(log, 'add 10.1.0.0/16 via 10.0.0.2', rt(route.addRoute, { dst: '10.1.0.0/16', gateway: '10.0.0.2' }));
  await step(log, 'add 10.2.0.0/16 dev v0 table 100', rt(route.addRoute, { dst: '10.2.0.0/16', dev: 'v0', table: 100 }));
  await step(log, 'add 2001:db8:1::/48 via 2001:db8::2', rt(route.addRoute, { dst: '2001:db8:1::/48', gateway: '2001:db8::2' }));
  await step(log, 'add 10.1.0.0/16 again', rt(route.addRoute, { dst: '10.1.0.0/16', gateway: '10.0.0.2' }));
  await step(log, 'replace 10.1.0.0/16 via 10.0.0.3', rt(route.replaceRoute, { dst: '10.1.0.0/16', gateway: '10.0.0.3' }));
  await step(log, 'add via an unreachable gateway', rt(route.addRoute, { dst: '10.3.0.0/16', gateway: '192.0.2.1' }));
  await step(log, 'add on a down device', rt(route.addRoute, { dst: '10.4.0.0/16', dev: 'br0' }));
  await step(log, 'add v6 via an unreachable gateway', rt(route.addRoute, { dst: '2001:db8:3::/48', gateway: '2001:db8:9::1' }));
  await step(log, 'add a route on a missing device', rt(route.addRoute, { dst: '10.5.0.0/16', oif: 999 }));
  await step(log, 'add 10.6.0.0/16 dev v0 metric 10', rt(route.addRoute, { dst: '10.6.0.0/16', dev: 'v0', metric: 10 }));
  await step(log, 'add 10.6.0.0/16 dev v0 metric 20', rt(route.addRoute, { dst: '10.6.0.0/16', dev: 'v0', metric: 20 }));
  await dumps('with routes');
  await step(log, 'delete 10.2.0.0/16 table 100', rt(route.deleteRoute, { dst: '10.2.0.0/16', table: 100 }));
  await step(log, 'delete 10.2.0.0/16 table 100 again', rt(route.deleteRoute, { dst: '10.2.0.0/16', table: 100 }));
  await step(log, 'delete 2001:db8:1::/48', rt(route.deleteRoute, { dst: '2001:db8:1::/48' }));
  await step(log, 'delete 2001:db8:1::/48 again', rt(route.deleteRoute, { dst: '2001:db8:1::/48' }));
  await step(log, 'delete 10.6.0.0/16 metric 20', rt(route.deleteRoute, { dst: '10.6.0.0/16', metric: 20 }));
  // Neighbours.
  const nb = (f: (s: route.NeighbourSpec, o: FamilyOptions) => Promise<unknown>, s: route.NeighbourSpec) => async () => {
    const r = await f(s, opts);
    return r ? n.neighbour(r as never) : r;
  };
  await step(log, 'add neighbour 10.0.0.2', nb(route.addNeighbour, { dst: '10.0.0.2', lladdr: '02:00:00:00:00:02', dev: 'v0' }));
  await step(log, 'add neighbour 2001:db8::2', nb(route.addNeighbour, { dst: '2001:db8::2', lladdr: '02:00:00:00:00:03', dev: 'v0' }));
  await step(log, 'add neighbour 10.0.0.2 again', nb(route.addNeighbour, { dst: '10.0.0.2', lladdr: '02:00:00:00:00:04', dev: 'v0' }));
  await step(log, 'replace neighbour 10.0.0.2', nb(route.replaceNeighbour, { dst: '10.0.0.2', lladdr: '02:00:00:00:00:05', dev: 'v0' }));
  await step(log, 'add neighbour 10.0.1.9 on v1', nb(route.addNeighbour, { dst: '10.0.1.9', lladdr: '02:00:00:00:00:09', dev: 'v1' }));
  await step(log, 'neighbour on a missing device', nb(route.addNeighbour, { dst: '10.0.0.7', lladdr: '02:00:00:00:00:07', ifindex: 999 }));
  await dumps('with neighbours');
  await step(log, 'delete neighbour 2001:db8::2', nb(route.deleteNeighbour, { dst: '2001:db8::2', dev: 'v0' }));
  await step(log, 'delete it again', nb(route.deleteNeighbour, { dst: '2001:db8::2', dev: 'v0' }));
  await step(log, 'delete 10.0.0.1/24', () => route.deleteAddress({ dev: 'v0', address: '10.0.0.1/24' }, opts));
  await dumps('without IPv4 on v0');
  await step(log, 'add neighbour 2001:db8::5', nb(route.addNeighbour, { dst: '2001:db8::5', lladdr: '02:00:00:00:00:06', dev: 'v0' }));
  await step(log, 'add 10.0.9.1/24', addr({ dev: 'v0', address: '10.0.9.1/24' }));
  await step(log, 'add neighbour 10.0.9.2', nb(route.addNeighbour, { dst: '10.0.9.2', lladdr: '02:00:00:00:00:07', dev: 'v0' }));
  await step(log, 'add 10.7.0.0/16 via 10.0.9.2', rt(route.addRoute, { dst: '10.7.0.0/16', gateway: '10.0.9.2' }));
  await step(log, 'v0 down', () => route.changeLink('v0', { up: false }, opts));
  await dumps('with v0 down', false);
  await step(log, 'v0 up again', () => route.changeLink('v0', { up: true }, opts));
  await dumps('with v0 up again', false);
  await step(log, 'delete br0', () => route.deleteLink('br0', opts));
  await step(log, 'delete v0 (and its peer)', () => route.deleteLink('v0', opts));
  await links('links at the end');
  await dumps('at the end', false);
}

/** Static ARP/NDISC entries: the kernel's own (NUD_NOARP for multicast) and bridge FDB entries are not modelled. */
function isIpNeighbour(x: route.Neighbour, deleted = false): boolean {
  return (x.family === 'inet' || x.family === 'inet6') && ((x.state?.includes('permanent') ?? false) || (deleted && !x.state?.includes('noarp')));
}

/** Events, normalised: link events as a set (linkwatch adds its own at any time), the rest in order. */
function normaliseEvents(events: route.RouteEvent[], n: Normaliser): unknown {
  const linkSet = new Set<string>();
  const rest: unknown[] = [];
  for (const ev of events) {
    if (ev.kind === 'link') linkSet.add(`${ev.event} ${ev.object.ifname}`);
    else if (ev.kind === 'address') rest.push([ev.event, 'address', n.address(ev.object as never)]);
    else if (ev.kind === 'route' && ev.object.type !== 'multicast') rest.push([ev.event, 'route', n.route(ev.object as never)]);
    else if (ev.kind === 'neighbour' && isIpNeighbour(ev.object, ev.event === 'del')) rest.push([ev.event, 'neighbour', n.neighbour(ev.object as never)]);
  }
  return { links: [...linkSet].sort(), rest };
}

async function run(opts: FamilyOptions, subscribe: route.RouteEventOptions): Promise<{ log: Log; events: unknown }> {
  const log: Log = [];
  const n = new Normaliser();
  // A sentinel ends the reading; the signal fails the test rather than hang it if it never comes.
  const sub = route.events(['link', 'address', 'route', 'neigh'], { ...subscribe, signal: AbortSignal.timeout(20_000) });
  const got: route.RouteEvent[] = [];
  const reading = (async () => {
    for await (const ev of sub) {
      if ('overrun' in ev) throw new Error('events overrun');
      got.push(ev);
      if (ev.kind === 'link' && ev.event === 'del' && ev.object.ifname === 'sentinel') break;
    }
  })();
  await scenario(opts, log, n);
  // The last notification: everything before it has been delivered.
  await route.addLink({ ifname: 'sentinel', kind: 'ifb' }, opts);
  await route.deleteLink('sentinel', opts);
  await reading;
  sub.close();
  return { log, events: normaliseEvents(got, n) };
}

test('nlkit/route scenarios: the model answers as the kernel does', { timeout: 60_000 }, async (t) => {
  if (!requireRoot(t)) return;
  const kernel = await withNetns(async (ns) => {
    // No IPv6 link-local autoconfiguration: it runs from the kernel's linkwatch work, late.
    sh(`ip netns exec ${ns} sysctl -qw net.ipv6.conf.default.addr_gen_mode=1`);
    // A roomy receive buffer: the subscriber must not overrun while the scenario runs.
    return run({ netns: ns }, { netns: ns, rcvbuf: 4 << 20 });
  }, { loUp: false });
  const model = rtnetlinkModel();
  let modelRun;
  try {
    modelRun = await run({ socket: model.connect() }, { socket: model.connect() });
  } finally {
    model.close();
  }
  if (process.env.NLKIT_MODEL_DEBUG) writeFileSync(process.env.NLKIT_MODEL_DEBUG, JSON.stringify({ kernel, model: modelRun }, null, 1));
  const steps = Math.max(kernel.log.length, modelRun.log.length);
  for (let i = 0; i < steps; i++) assert.deepEqual(modelRun.log[i], kernel.log[i], `step ${i}: ${JSON.stringify((kernel.log[i] as unknown[] | undefined)?.[0])}`);
  assert.deepEqual(modelRun.events, kernel.events, 'notifications');
});
