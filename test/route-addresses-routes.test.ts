// Addresses and routes in throwaway namespaces: created with nlkit and read back with ip -j,
// created with ip and read with nlkit, field by field; kernel-side dump filters; replace,
// change, delete, flush; `ip route get`.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  addAddress, addLink, addRoute, appendRoute, changeAddress, changeLink, deleteAddress, deleteRoute, dumpAddresses, dumpLinks,
  dumpRoutes, flushAddresses, flushRoutes, getRoute, replaceAddress, replaceRoute, tableId, type Address, type Route,
} from '../src/route/index.js';
import { NetlinkError } from '../src/socket/index.js';
import { ip, ipJson, requireRoot, withNetns } from './helpers/netns.js';

async function names(ns: string): Promise<Map<number, string>> {
  return new Map((await dumpLinks({ stats: false }, { netns: ns }).toArray()).map((l) => [l.ifindex!, l.ifname!]));
}

/** Checks one address against its `ip -j addr` addr_info entry. */
function compareAddress(a: Address, j: Record<string, any>): void {
  const what = `address ${j.local}`;
  assert.equal(a.family, j.family, `${what}: family`);
  assert.equal(a.prefixlen, j.prefixlen, `${what}: prefixlen`);
  assert.equal(a.scope, j.scope, `${what}: scope`);
  assert.equal(a.local ?? a.address, j.local, `${what}: local`);
  if (j.address !== undefined) assert.equal(a.address, j.address, `${what}: peer`);
  assert.equal(a.broadcast, j.broadcast, `${what}: broadcast`);
  assert.equal(a.label, j.label, `${what}: label`);
  assert.equal(a.cacheinfo?.valid, j.valid_life_time, `${what}: valid_lft`);
  assert.equal(a.cacheinfo?.preferred, j.preferred_life_time, `${what}: preferred_lft`);
  const flags = a.flags as string[];
  for (const f of ['nodad', 'optimistic', 'dadfailed', 'deprecated', 'tentative', 'mngtmpaddr', 'noprefixroute', 'autojoin']) {
    assert.equal(flags.includes(f), j[f] === true, `${what}: flag ${f}`);
  }
  assert.equal(!flags.includes('permanent'), j.dynamic === true, `${what}: dynamic`);
  assert.equal(a.family === 'inet' && flags.includes('secondary'), j.secondary === true, `${what}: secondary`);
}

async function compareAllAddresses(ns: string): Promise<number> {
  const ours = await dumpAddresses({}, { netns: ns }).toArray();
  let n = 0;
  for (const link of ipJson<any[]>(ns, 'addr show')) {
    for (const j of link.addr_info as Record<string, any>[]) {
      const a = ours.find((x) => x.ifindex === link.ifindex && (x.local ?? x.address) === j.local && x.prefixlen === j.prefixlen);
      assert.ok(a, `nlkit lacks ${j.local}/${j.prefixlen} on ${link.ifname}`);
      compareAddress(a, j);
      n++;
    }
  }
  assert.equal(n, ours.length, 'same number of addresses');
  return n;
}

test('addresses: nlkit adds (v4 with broadcast and label, peer, v6 with flags and lifetimes, loopback scope), ip -j reads the same', async (t) => {
  if (!requireRoot(t)) return;
  await withNetns(async (ns) => {
    const o = { netns: ns };
    await addLink({ ifname: 'v0', kind: 'veth', peer: { ifname: 'v1' }, up: true }, o);
    const a = await addAddress({ dev: 'v0', address: '10.0.0.1/24', broadcast: '+', label: 'v0:x' }, o);
    assert.deepEqual([a.local, a.prefixlen, a.broadcast, a.label, a.scope], ['10.0.0.1', 24, '10.0.0.255', 'v0:x', 'global']);
    const noBrd = await addAddress({ dev: 'v0', address: '10.0.1.1/24' }, o);
    assert.equal(noBrd.broadcast, undefined, 'no broadcast unless asked, like ip');
    await addAddress({ dev: 'v0', address: '10.9.0.1', peer: '10.9.0.2/32' }, o);
    const six = await addAddress({ dev: 'v0', address: '2001:db8::1/64', flags: ['nodad', 'noprefixroute'], valid_lft: 3600, preferred_lft: 1800 }, o);
    assert.deepEqual([six.cacheinfo?.valid, six.cacheinfo?.preferred], [3600, 1800]);
    assert.ok((six.flags as string[]).includes('noprefixroute'), 'IFA_FLAGS above the low byte');
    const lo = await addAddress({ dev: 'lo', address: '127.0.0.2/8' }, o);
    assert.equal(lo.scope, 'host');
    await addAddress({ dev: 'v0', address: '10.0.0.2/24', metric: 55 }, o); // secondary
    assert.ok(await compareAllAddresses(ns) >= 7);

    // Replace and change lifetimes; delete; the link filter is the kernel's.
    await replaceAddress({ dev: 'v0', address: '10.0.1.1/24', valid_lft: 500, preferred_lft: 400 }, o);
    await changeAddress({ dev: 'v0', address: '2001:db8::1/64', flags: ['nodad'], valid_lft: 900, preferred_lft: 100 }, o);
    await compareAllAddresses(ns);
    await deleteAddress({ dev: 'v0', address: '10.0.1.1/24' }, o);
    const onV0 = await dumpAddresses({ dev: 'v0', family: 'inet' }, o).toArray();
    assert.ok(onV0.every((x) => x.ifindex === a.ifindex && x.family === 'inet'));
    assert.ok(!onV0.some((x) => x.local === '10.0.1.1'));
    await assert.rejects(addAddress({ dev: 'v0', address: '10.0.0.1/24' }, o), (e: unknown) => e instanceof NetlinkError && e.code === 'EEXIST');
    // A decoded address deletes itself.
    await deleteAddress(onV0.find((x) => x.address === '10.9.0.2')!, o);
    assert.ok(!ipJson<any[]>(ns, 'addr show dev v0')[0].addr_info.some((x: any) => x.local === '10.9.0.1'));
    const n = await flushAddresses({ dev: 'v0', family: 'inet' }, o);
    assert.ok(n >= 1);
    assert.deepEqual(ipJson<any[]>(ns, '-4 addr show dev v0')[0]?.addr_info ?? [], []);
  });
});

test('addresses: added with ip, read with nlkit', async (t) => {
  if (!requireRoot(t)) return;
  await withNetns(async (ns) => {
    ip(ns, 'link add v0 type veth peer name v1');
    ip(ns, 'link set v0 up');
    ip(ns, 'addr add 192.0.2.1/24 brd + dev v0 label v0:a');
    ip(ns, 'addr add 192.0.2.2/24 dev v0');
    ip(ns, 'addr add 198.51.100.1 peer 198.51.100.2 dev v0');
    ip(ns, 'addr add 2001:db8:1::1/64 dev v0 nodad mngtmpaddr valid_lft 7200 preferred_lft 3600');
    ip(ns, 'addr add 2001:db8:2::1/64 dev v0 noprefixroute');
    assert.ok(await compareAllAddresses(ns) >= 6);
  });
});

// ---- routes ----

function dstText(r: Route): string {
  if (r.dst === undefined) return 'default';
  const full = r.family === 'inet' ? 32 : 128;
  return r.dst_len === full ? r.dst : `${r.dst}/${r.dst_len}`;
}

/** Checks one route against its `ip -j -d route show table all` entry. */
function compareRoute(r: Route, j: Record<string, any>, dev: Map<number, string>): void {
  const what = `route ${j.table} ${j.dst}`;
  assert.equal(r.type, j.type, `${what}: type`);
  assert.equal(String(r.table), String(j.table), `${what}: table`);
  assert.equal(r.protocol, j.protocol, `${what}: protocol`);
  assert.equal(r.scope, j.scope, `${what}: scope`);
  assert.equal(r.priority, j.metric, `${what}: metric`);
  assert.equal(r.gateway, j.gateway, `${what}: gateway`);
  assert.equal(r.oif === undefined ? undefined : dev.get(r.oif), j.dev, `${what}: dev`);
  assert.equal(r.prefsrc, j.prefsrc, `${what}: prefsrc`);
  if (j.pref !== undefined) assert.equal(r.pref, j.pref, `${what}: pref`);
  assert.deepEqual((r.flags as string[]).filter((f) => f !== 'cloned'), j.flags, `${what}: flags`);
  if (j.metrics) {
    // ip -j prints locked metrics like unlocked ones; RTAX_LOCK is checked separately.
    const { lock: _lock, ...m } = r.metrics ?? {};
    assert.deepEqual(m, j.metrics[0], `${what}: metrics`);
  }
  if (j.nexthops) {
    assert.equal(r.multipath?.length, j.nexthops.length, `${what}: nexthops`);
    j.nexthops.forEach((n: any, i: number) => {
      const m = r.multipath![i]!;
      assert.equal(m.gateway, n.gateway, `${what}: nexthop ${i} gateway`);
      assert.equal(dev.get(m.ifindex), n.dev, `${what}: nexthop ${i} dev`);
      assert.equal(m.weight, n.weight, `${what}: nexthop ${i} weight`);
    });
  } else assert.equal(r.multipath, undefined, `${what}: no nexthops`);
}

async function compareAllRoutes(ns: string): Promise<number> {
  const dev = await names(ns);
  let n = 0;
  for (const fam of ['inet', 'inet6'] as const) {
    const ours = await dumpRoutes({ family: fam }, { netns: ns }).toArray();
    const theirs = ipJson<Record<string, any>[]>(ns, `${fam === 'inet' ? '-4' : '-6'} -d route show table all`);
    for (const j of theirs) {
      const r = ours.find((x) => dstText(x) === j.dst && String(x.table) === String(j.table) && x.type === j.type && x.priority === j.metric
        && (x.oif === undefined ? undefined : dev.get(x.oif)) === j.dev);
      assert.ok(r, `nlkit lacks ${fam} route ${j.type} ${j.dst} table ${j.table}`);
      compareRoute(r, j, dev);
      n++;
    }
    assert.equal(ours.length, theirs.length, `${fam}: same number of routes`);
  }
  return n;
}

test('routes: nlkit adds with iproute2 defaults (tables, types, scopes, protocols, metrics, multipath, prefsrc, IPv6), ip -j reads the same', async (t) => {
  if (!requireRoot(t)) return;
  await withNetns(async (ns) => {
    const o = { netns: ns };
    await addLink({ ifname: 'v0', kind: 'veth', peer: { ifname: 'v1' }, up: true }, o);
    await changeLink('v1', { up: true }, o);
    await addAddress({ dev: 'v0', address: '10.0.0.1/24' }, o);
    await addAddress({ dev: 'v0', address: '2001:db8::1/64', flags: ['nodad'] }, o);

    const viaGw = await addRoute({ dst: '10.1.0.0/16', gateway: '10.0.0.254', metric: 7, metrics: { mtu: 1400, advmss: 1300 } }, o);
    assert.deepEqual([viaGw.table, viaGw.protocol, viaGw.scope, viaGw.type, viaGw.priority], ['main', 'boot', 'global', 'unicast', 7]);
    const onLink = await addRoute({ dst: '192.0.2.0/24', dev: 'v0', table: 1000 }, o);
    assert.deepEqual([onLink.table, onLink.scope], [1000, 'link'], 'a route without gateway gets scope link');
    const local = await addRoute({ dst: '10.0.0.77', type: 'local', dev: 'v0' }, o);
    assert.deepEqual([local.table, local.scope], ['local', 'host'], 'local routes go to table local with scope host');
    await addRoute({ dst: '10.3.0.0/16', type: 'blackhole', table: 'main', protocol: 'static' }, o);
    await addRoute({ dst: '10.4.0.0/16', type: 'unreachable', protocol: 42 }, o);
    await addRoute({ dst: '10.5.0.0/16', type: 'prohibit', metric: 9 }, o);
    const mp = await addRoute({
      dst: '10.2.0.0/16', multipath: [{ gateway: '10.0.0.2', dev: 'v0', weight: 3 }, { gateway: '10.0.0.3', dev: 'v0' }],
    }, o);
    assert.deepEqual(mp.multipath!.map((n) => [n.gateway, n.weight]), [['10.0.0.2', 3], ['10.0.0.3', 1]]);
    await addRoute({ dst: '198.51.100.0/24', gateway: '10.0.0.9', prefsrc: '10.0.0.1' }, o);
    await addRoute({ dst: '203.0.113.0/24', gateway: '192.168.77.1', dev: 'v0', onlink: true }, o);
    await addRoute({ dst: 'default', gateway: '10.0.0.254', table: 'main', metric: 100 }, o);
    const six = await addRoute({ dst: '2001:db8:1::/48', gateway: '2001:db8::2', pref: 'high' }, o);
    assert.deepEqual([six.family, six.scope, six.pref], ['inet6', 'global', 'high']);
    await addRoute({ dst: '2001:db8:2::/48', dev: 'v0', metric: 1024, table: 200 }, o);
    assert.ok(await compareAllRoutes(ns) >= 20);

    // Kernel-side dump filters.
    const t1000 = await dumpRoutes({ table: 1000 }, o).toArray();
    assert.deepEqual(t1000.map(dstText), ['192.0.2.0/24']);
    const statics = await dumpRoutes({ protocol: 'static', table: 'main' }, o).toArray();
    assert.deepEqual(statics.map(dstText), ['10.3.0.0/16']);
    const blackholes = await dumpRoutes({ type: 'blackhole', family: 'inet' }, o).toArray();
    assert.deepEqual(blackholes.map(dstText), ['10.3.0.0/16']);
    const viaV0 = await dumpRoutes({ oif: 'v0', family: 'inet', table: 'main' }, o).toArray();
    const v0 = (await dumpLinks({}, o).toArray()).find((l) => l.ifname === 'v0')!.ifindex;
    assert.ok(viaV0.length > 3 && viaV0.every((r) => r.oif === v0 || r.multipath?.some((n) => n.ifindex === v0)));
    assert.ok(viaV0.some((r) => r.multipath), 'multipath routes through the link are included');

    // replace, append, delete (a spec, and a decoded route), errors.
    await replaceRoute({ dst: '10.1.0.0/16', gateway: '10.0.0.253', metric: 7 }, o);
    assert.equal(ipJson<any[]>(ns, 'route show 10.1.0.0/16')[0].gateway, '10.0.0.253');
    await appendRoute({ dst: '10.6.0.0/16', gateway: '10.0.0.5', type: 'unicast' }, o);
    await deleteRoute({ dst: '10.6.0.0/16' }, o);
    await deleteRoute(t1000[0]!, o);
    assert.deepEqual(await dumpRoutes({ table: 1000 }, o).toArray(), []);
    await assert.rejects(addRoute({ dst: '10.3.0.0/16', type: 'blackhole', protocol: 'static' }, o), (e: unknown) => e instanceof NetlinkError && e.code === 'EEXIST' && e.op === 'RTM_NEWROUTE');
    await assert.rejects(deleteRoute({ dst: '10.99.0.0/16' }, o), (e: unknown) => e instanceof NetlinkError && e.code === 'ESRCH');

    // ip route get.
    const got = await getRoute({ dst: '10.1.2.3' }, o);
    const j = ipJson<any[]>(ns, 'route get 10.1.2.3')[0];
    assert.deepEqual([got.dst, got.gateway, got.prefsrc, (await names(ns)).get(got.oif!)], [j.dst, j.gateway, j.prefsrc, j.dev]);

    // flush table main (only main), then all of table 200.
    const flushed = await flushRoutes({ family: 'inet' }, o);
    assert.ok(flushed >= 8);
    assert.deepEqual(ipJson<any[]>(ns, '-4 route show'), []);
    assert.ok(ipJson<any[]>(ns, '-4 route show table local').length > 0, 'table local untouched');
    assert.equal(await flushRoutes({ table: 200 }, o), 1);
  });
});

test('routes: added with ip (gateways, metrics, multipath, types, tables, IPv6), read with nlkit', async (t) => {
  if (!requireRoot(t)) return;
  await withNetns(async (ns) => {
    ip(ns, 'link add v0 type veth peer name v1');
    ip(ns, 'link set v0 up');
    ip(ns, 'link set v1 up');
    ip(ns, 'addr add 10.0.0.1/24 dev v0');
    ip(ns, 'addr add 2001:db8::1/64 dev v0 nodad');
    ip(ns, 'route add 10.1.0.0/16 via 10.0.0.254 metric 7 mtu lock 1400 advmss 1300 hoplimit 9 initcwnd 10');
    ip(ns, 'route add 10.2.0.0/16 nexthop via 10.0.0.2 weight 2 nexthop via 10.0.0.3 weight 5');
    ip(ns, 'route add blackhole 10.3.0.0/16 table 1000 proto static');
    ip(ns, 'route add unreachable 10.4.0.0/16 table 4000');
    ip(ns, 'route add prohibit 10.5.0.0/16 proto 99');
    ip(ns, 'route add throw 10.6.0.0/16 table 50');
    ip(ns, 'route add 10.7.0.0/16 dev v0 src 10.0.0.1 scope link');
    ip(ns, 'route add 2001:db8:1::/48 via 2001:db8::2 pref low');
    ip(ns, 'route add 2001:db8:2::/48 dev v0 metric 5 table 77');
    assert.ok(await compareAllRoutes(ns) >= 20);
    const r = (await dumpRoutes({ family: 'inet', table: 'main' }, { netns: ns }).toArray()).find((x) => x.dst === '10.1.0.0')!;
    assert.deepEqual({ ...r.metrics }, { lock: 1 << 2, mtu: 1400, advmss: 1300, hoplimit: 9, initcwnd: 10 });
    assert.equal(tableId('main'), 254);
  });
});
