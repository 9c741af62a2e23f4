// Neighbours, rules, nexthops, netconf and namespace ids in throwaway namespaces: written with
// nlkit and read back with ip -j, and the other way round.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  addLink, addNeighbour, addNexthop, addNsid, addRule, changeLink, changeNeighbour, deleteNeighbour, deleteNexthop,
  deleteRule, dumpLinks, dumpNeighbours, dumpNetconf, dumpNexthops, dumpNsids, dumpRules, flushNeighbours, flushNexthops,
  flushRules, getNeighbour, getNetconf, getNexthop, getNsid, replaceNexthop, replaceNeighbour, addAddress, type Rule,
  type Neighbour,
} from '../src/route/index.js';
import { NetlinkError } from '../src/socket/index.js';
import { ip, ipJson, requireRoot, withNetns } from './helpers/netns.js';

async function setup(ns: string): Promise<Map<number, string>> {
  const o = { netns: ns };
  await addLink({ ifname: 'v0', kind: 'veth', peer: { ifname: 'v1' }, up: true }, o);
  await changeLink('v1', { up: true }, o);
  await addAddress({ dev: 'v0', address: '10.0.0.1/24' }, o);
  await addAddress({ dev: 'v0', address: '2001:db8::1/64', flags: ['nodad'] }, o);
  return new Map((await dumpLinks({ stats: false }, o).toArray()).map((l) => [l.ifindex!, l.ifname!]));
}

function compareNeighbour(n: Neighbour, j: Record<string, any>, dev: Map<number, string>): void {
  const what = `neighbour ${j.dst}`;
  assert.equal(dev.get(n.ifindex!), j.dev, `${what}: dev`);
  assert.equal(n.lladdr, j.lladdr, `${what}: lladdr`);
  assert.deepEqual((n.state as string[]).map((s) => s.toUpperCase()), j.state ?? [], `${what}: state`);
  for (const f of ['router', 'proxy', 'extern_learn']) assert.equal((n.flags as string[]).includes(f), f in j, `${what}: ${f}`);
}

async function compareNeighbours(ns: string, dev: Map<number, string>, proxy: boolean): Promise<number> {
  const ours = await dumpNeighbours({ proxy }, { netns: ns }).toArray();
  const theirs = ipJson<Record<string, any>[]>(ns, proxy ? 'neigh show proxy' : 'neigh show');
  for (const j of theirs) {
    const n = ours.find((x) => x.dst === j.dst && dev.get(x.ifindex!) === j.dev);
    assert.ok(n, `nlkit lacks neighbour ${j.dst}`);
    compareNeighbour(n, j, dev);
  }
  // ip hides the noarp multicast entries the kernel keeps; the rest must be the same.
  assert.equal(ours.filter((n) => !(n.state as string[]).includes('noarp')).length, theirs.length);
  return theirs.length;
}

test('neighbours: states, flags and proxies, both ways; get, change, replace, delete, flush', async (t) => {
  if (!requireRoot(t)) return;
  await withNetns(async (ns) => {
    const o = { netns: ns };
    const dev = await setup(ns);
    const a = await addNeighbour({ dst: '10.0.0.7', lladdr: '02:00:00:00:00:07', dev: 'v0' }, o);
    assert.deepEqual([a.dst, a.lladdr, a.state, a.family], ['10.0.0.7', '02:00:00:00:00:07', ['permanent'], 'inet']);
    await addNeighbour({ dst: '10.0.0.9', lladdr: '02:00:00:00:00:09', dev: 'v0', state: ['reachable'], router: true }, o);
    await addNeighbour({ dst: '2001:db8::7', lladdr: '02:00:00:00:00:17', dev: 'v0', state: ['stale'] }, o);
    await addNeighbour({ dst: '10.0.0.8', dev: 'v0', proxy: true }, o);
    ip(ns, 'neigh add 10.0.0.10 lladdr 02:00:00:00:00:10 dev v0 nud noarp');
    ip(ns, 'neigh add proxy 2001:db8::8 dev v0');
    assert.equal(await compareNeighbours(ns, dev, false), 3); // ip hides the noarp entry
    assert.equal(await compareNeighbours(ns, dev, true), 2);

    const got = await getNeighbour({ dst: '10.0.0.9', dev: 'v0' }, o);
    assert.ok((got.flags as string[]).includes('router'));
    await changeNeighbour({ dst: '10.0.0.9', lladdr: '02:00:00:00:00:99', dev: 'v0', state: ['permanent'] }, o);
    await replaceNeighbour({ dst: '10.0.0.11', lladdr: '02:00:00:00:00:11', dev: 'v0', state: ['stale'] }, o);
    const j = ipJson<any[]>(ns, 'neigh show 10.0.0.9')[0];
    assert.deepEqual([j.lladdr, j.state], ['02:00:00:00:00:99', ['PERMANENT']]);
    await compareNeighbours(ns, dev, false);
    const onV0 = await dumpNeighbours({ dev: 'v0', family: 'inet' }, o).toArray();
    assert.ok(onV0.length >= 4 && onV0.every((n) => dev.get(n.ifindex!) === 'v0' && n.family === 'inet'));
    await deleteNeighbour({ dst: '10.0.0.7', dev: 'v0' }, o);
    await deleteNeighbour({ dst: '10.0.0.8', dev: 'v0', proxy: true }, o);
    assert.equal(ipJson<any[]>(ns, 'neigh show 10.0.0.7').length, 0);
    // flush leaves permanent and noarp entries, like ip neigh flush.
    const flushed = await flushNeighbours({ dev: 'v0' }, o);
    assert.equal(flushed, 2);
    assert.deepEqual(ipJson<any[]>(ns, 'neigh show dev v0').map((n) => n.dst), ['10.0.0.9']);
    assert.ok((await dumpNeighbours({ dev: 'v0', state: ['noarp'] }, o).toArray()).some((n) => n.dst === '10.0.0.10'), 'noarp kept');
    await assert.rejects(getNeighbour({ dst: '10.0.0.200', dev: 'v0' }, o), (e: unknown) => e instanceof NetlinkError && e.code === 'ENOENT');
  });
});

/** The parts of a rule `ip -j rule` shows, in its words. */
function ipView(r: Rule, dev: Map<number, string>): Record<string, unknown> {
  const out: Record<string, unknown> = { priority: r.priority ?? 0 };
  if ((r.flags as string[]).includes('invert')) out.not = null;
  out.src = r.src ?? 'all';
  if (r.src !== undefined) out.srclen = r.src_len;
  if (r.dst !== undefined) {
    out.dst = r.dst;
    out.dstlen = r.dst_len;
  }
  if (r.fwmark !== undefined) out.fwmark = `0x${r.fwmark.toString(16)}`;
  if (r.fwmask !== undefined && r.fwmask !== 0xffffffff) out.fwmask = `0x${r.fwmask.toString(16)}`;
  if (r.iifname !== undefined) out.iif = r.iifname;
  if (r.uid_range) {
    out.uid_start = r.uid_range.start;
    out.uid_end = r.uid_range.end;
  }
  if (r.ip_proto !== undefined) out.ipproto = r.ip_proto === 6 ? 'tcp' : r.ip_proto === 17 ? 'udp' : r.ip_proto;
  for (const k of ['sport', 'dport'] as const) {
    const pr = r[`${k}_range`];
    if (!pr) continue;
    if (pr.start === pr.end) out[k] = pr.start;
    else {
      out[`${k}_start`] = pr.start;
      out[`${k}_end`] = pr.end;
    }
  }
  if (r.action === 'to_tbl') out.table = typeof r.table === 'number' ? String(r.table) : r.table;
  else if (r.action === 'goto') out.goto = r.goto;
  else out.action = r.action;
  if (r.suppress_prefixlen !== undefined && r.suppress_prefixlen !== 0xffffffff) out.suppress_prefixlen = r.suppress_prefixlen;
  void dev;
  return out;
}

test('rules: priority, selectors, tables, uid range, ports, ip proto, actions, both ways; delete, flush', async (t) => {
  if (!requireRoot(t)) return;
  await withNetns(async (ns) => {
    const o = { netns: ns };
    const dev = await setup(ns);
    const r = await addRule({ priority: 100, src: '10.5.0.0/16', dst: '10.6.0.0/16', fwmark: 7, fwmask: 0xff, iifname: 'v0', table: 100 }, o);
    assert.deepEqual([r.priority, r.table, r.action, r.family], [100, 100, 'to_tbl', 'inet']);
    await addRule({ priority: 101, uid_range: { start: 1000, end: 1999 }, ip_proto: 6, sport_range: '1000-2000', dport_range: 80, table: 'main' }, o);
    await addRule({ priority: 102, src: '10.7.0.0/16', not: true, action: 'blackhole' }, o);
    await addRule({ priority: 103, goto: 200 }, o);
    ip(ns, 'rule add pref 200 lookup 300 suppress_prefixlength 0');
    ip(ns, 'rule add pref 201 from 10.8.0.0/24 to 10.9.0.0/24 ipproto udp dport 53 prohibit');
    const ours = await dumpRules({ family: 'inet' }, o).toArray();
    const theirs = ipJson<Record<string, unknown>[]>(ns, 'rule show');
    assert.deepEqual(ours.map((x) => ipView(x, dev)), theirs);
    const six = await addRule({ priority: 300, src: '2001:db8::/32', table: 600 }, o);
    assert.equal(six.family, 'inet6');
    assert.deepEqual((await dumpRules({ family: 'inet6' }, o).toArray()).map((x) => ipView(x, dev)), ipJson(ns, '-6 rule show'));

    await deleteRule({ priority: 102, src: '10.7.0.0/16', not: true, action: 'blackhole' }, o);
    await deleteRule(ours.find((x) => x.priority === 200)!, o);
    assert.deepEqual(ipJson<any[]>(ns, 'rule show').map((x) => x.priority), [0, 100, 101, 103, 201, 32766, 32767]);
    await assert.rejects(addRule({ priority: 100, src: '10.5.0.0/16', dst: '10.6.0.0/16', fwmark: 7, fwmask: 0xff, iifname: 'v0', table: 100 }, o),
      (e: unknown) => e instanceof NetlinkError && e.code === 'EEXIST' && e.op === 'RTM_NEWRULE');
    const n = await flushRules({}, o);
    assert.ok(n >= 7);
    assert.deepEqual(ipJson<any[]>(ns, 'rule show').map((x) => x.priority), [0]);
  });
});

test('nexthops: objects and groups, both ways; get, replace, delete, flush', async (t) => {
  if (!requireRoot(t)) return;
  await withNetns(async (ns) => {
    const o = { netns: ns };
    const dev = await setup(ns);
    const a = await addNexthop({ id: 1, gateway: '10.0.0.2', dev: 'v0' }, o);
    assert.deepEqual([a.id, a.gateway, a.family, a.scope], [1, '10.0.0.2', 'inet', 'link']);
    await addNexthop({ id: 2, dev: 'v0' }, o);
    await addNexthop({ id: 3, gateway: '2001:db8::2', dev: 'v0', protocol: 'static' }, o);
    await addNexthop({ id: 4, blackhole: true }, o);
    const g = await addNexthop({ id: 10, group: [{ id: 1 }, { id: 2, weight: 3 }] }, o);
    assert.deepEqual(g.group, [{ id: 1, weight: 1 }, { id: 2, weight: 3 }]);
    assert.equal(g.group_type, 'mpath');
    ip(ns, 'nexthop add id 5 via 10.0.0.5 dev v0');
    ip(ns, 'nexthop add id 11 group 5,7/1');
    const ours = await dumpNexthops({}, o).toArray();
    const theirs = ipJson<Record<string, any>[]>(ns, '-d nexthop show');
    assert.equal(ours.length, theirs.length);
    for (const j of theirs) {
      const n = ours.find((x) => x.id === j.id)!;
      assert.ok(n, `nlkit lacks nexthop ${j.id}`);
      assert.equal(n.gateway, j.gateway, `nexthop ${j.id} gateway`);
      assert.equal(n.oif === undefined ? undefined : dev.get(n.oif), j.dev, `nexthop ${j.id} dev`);
      assert.equal(n.scope, j.scope, `nexthop ${j.id} scope`);
      assert.equal(n.protocol, j.protocol, `nexthop ${j.id} protocol`);
      assert.equal(n.blackhole === true, 'blackhole' in j, `nexthop ${j.id} blackhole`);
      if (j.group) assert.deepEqual(n.group, j.group.map((m: any) => ({ id: m.id, weight: m.weight ?? 1 })), `nexthop ${j.id} group`);
    }
    // Kernel-side filters.
    assert.deepEqual((await dumpNexthops({ groups: true }, o).toArray()).map((n) => n.id), [10, 11]);
    assert.deepEqual((await dumpNexthops({ oif: 'v0' }, o).toArray()).map((n) => n.id), [1, 2, 3, 5]);
    assert.equal((await getNexthop(3, o)).gateway, '2001:db8::2');
    await replaceNexthop({ id: 2, gateway: '10.0.0.9', dev: 'v0' }, o);
    assert.equal(ipJson<any[]>(ns, 'nexthop show id 2')[0].gateway, '10.0.0.9');
    await deleteNexthop(11, o);
    await assert.rejects(getNexthop(11, o), (e: unknown) => e instanceof NetlinkError && e.code === 'ENOENT');
    assert.equal(await flushNexthops({}, o), 6);
    assert.deepEqual(ipJson(ns, 'nexthop show'), []);
  });
});

test('netconf and nsid: read like ip netconf / ip netns list-id', async (t) => {
  if (!requireRoot(t)) return;
  await withNetns(async (ns) => {
    await withNetns(async (peer) => {
      const o = { netns: ns };
      const dev = await setup(ns);
      const ours = await dumpNetconf({ family: 'inet' }, o).toArray();
      const theirs = ipJson<Record<string, any>[]>(ns, '-4 netconf show');
      for (const j of theirs) {
        const n = ours.find((x) => (j.interface === 'all' ? x.ifindex === 'all' : j.interface === 'default' ? x.ifindex === 'default' : dev.get(x.ifindex as number) === j.interface));
        assert.ok(n, `nlkit lacks netconf ${j.interface}`);
        assert.equal(n.forwarding === 1, j.forwarding, `${j.interface} forwarding`);
        assert.equal(n.proxy_neigh === 1, j.proxy_neigh, `${j.interface} proxy_neigh`);
      }
      assert.equal(ours.length, theirs.length);
      const one = await getNetconf({ family: 'inet6', dev: 'v0' }, o);
      assert.equal(dev.get(one.ifindex as number), 'v0');
      assert.equal((await getNetconf({ family: 'inet', dev: 'all' }, o)).ifindex, 'all');

      assert.equal((await getNsid(peer, o)).nsid, -1);
      await addNsid(peer, 42, o);
      assert.equal((await getNsid(peer, o)).nsid, 42);
      const ids = await dumpNsids(o).toArray();
      assert.deepEqual(ids.map((x) => x.nsid), ipJson<any[]>(ns, 'netns list-id').map((x) => x.nsid));
    });
  });
});
