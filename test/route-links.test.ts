// Links in throwaway namespaces: created with nlkit and read back with `ip -j -d link`, created
// with ip and read with nlkit, changed (name, mtu, address, up/down, master, netns), deleted.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { addLink, changeLink, deleteLink, dumpLinks, getLink, linkIndex, linkName, type Link } from '../src/route/index.js';
import { NetlinkError } from '../src/socket/index.js';
import { ip, ipJson, requireRoot, withNetns } from './helpers/netns.js';

/** Flags as ip -j prints them: ours without RUNNING; iproute2's without what it synthesizes. */
function flagSet(l: Link): string[] {
  return (l.flags as string[]).filter((f) => f !== 'RUNNING').sort();
}
function ipFlagSet(j: { flags: string[] }): string[] {
  return j.flags.filter((f) => f !== 'NO-CARRIER' && f !== 'M-DOWN').sort();
}

/** Compares what both sides say about one link, field by field. */
function compareLink(ours: Link, theirs: Record<string, any>, byIndex: Map<number, string>): void {
  const what = `link ${theirs.ifname}`;
  assert.equal(ours.ifindex, theirs.ifindex, `${what}: ifindex`);
  assert.equal(ours.ifname, theirs.ifname, `${what}: ifname`);
  assert.equal(ours.mtu, theirs.mtu, `${what}: mtu`);
  assert.equal(ours.address, theirs.address, `${what}: address`);
  assert.equal(ours.broadcast, theirs.broadcast, `${what}: broadcast`);
  assert.equal(ours.type, theirs.link_type, `${what}: link_type`);
  assert.equal(ours.operstate, theirs.operstate, `${what}: operstate`);
  assert.equal(ours.txqlen, theirs.txqlen, `${what}: txqlen`);
  assert.equal(ours.qdisc, theirs.qdisc, `${what}: qdisc`);
  assert.equal(ours.min_mtu, theirs.min_mtu, `${what}: min_mtu`);
  assert.equal(ours.max_mtu, theirs.max_mtu, `${what}: max_mtu`);
  assert.equal(ours.num_tx_queues, theirs.num_tx_queues, `${what}: num_tx_queues`);
  assert.equal(ours.gso_max_size, theirs.gso_max_size, `${what}: gso_max_size`);
  assert.deepEqual(flagSet(ours), ipFlagSet(theirs as { flags: string[] }), `${what}: flags`);
  assert.equal(ours.master === undefined ? undefined : byIndex.get(ours.master), theirs.master, `${what}: master`);
  assert.equal(ours.linkinfo?.kind, theirs.linkinfo?.info_kind, `${what}: kind`);
  assert.equal(ours.linkinfo?.slave_kind, theirs.linkinfo?.info_slave_kind, `${what}: slave kind`);
  assert.deepEqual(ours.prop_list?.alt_ifname, theirs.altnames, `${what}: altnames`);
}

async function compareAll(ns: string): Promise<Map<string, Link>> {
  const ours = await dumpLinks({}, { netns: ns }).toArray();
  const theirs = ipJson<Record<string, any>[]>(ns, '-d link show');
  const byIndex = new Map(ours.map((l) => [l.ifindex!, l.ifname!]));
  assert.deepEqual(ours.map((l) => l.ifname), theirs.map((l) => l.ifname));
  theirs.forEach((j, i) => compareLink(ours[i]!, j, byIndex));
  return new Map(ours.map((l) => [l.ifname!, l]));
}

test('links: nlkit creates veth, bridge, vxlan, macvlan and ifb; ip -j -d reads the same', async (t) => {
  if (!requireRoot(t)) return;
  await withNetns(async (ns) => {
    const o = { netns: ns };
    const v0 = await addLink({ ifname: 'v0', kind: 'veth', peer: { ifname: 'v1' }, mtu: 1400, address: '02:00:00:00:00:01' }, o);
    assert.equal(v0.ifname, 'v0');
    assert.equal(v0.mtu, 1400);
    assert.equal(v0.address, '02:00:00:00:00:01');
    assert.equal(v0.linkinfo?.kind, 'veth');
    const br = await addLink({ ifname: 'br0', kind: 'bridge', data: { stp_state: 1, forward_delay: 400, priority: 4096 }, up: true }, o);
    assert.ok((br.flags as string[]).includes('UP'));
    await changeLink('v1', { master: 'br0', up: true }, o);
    await addLink({ ifname: 'vx0', kind: 'vxlan', data: { id: 42, port: 4789, local: '10.0.0.1', ttl: 5, learning: 0 } }, o);
    await addLink({ ifname: 'mv0', kind: 'macvlan', link: 'v0', data: { mode: 'bridge' } }, o);
    await addLink({ ifname: 'ifb0', kind: 'ifb' }, o);

    const links = await compareAll(ns);
    const j = new Map(ipJson<Record<string, any>[]>(ns, '-d link show').map((l) => [l.ifname as string, l]));
    const brData = links.get('br0')!.linkinfo!.data as Record<string, unknown>;
    const brJ = j.get('br0')!.linkinfo.info_data;
    for (const k of ['stp_state', 'forward_delay', 'priority', 'hello_time', 'max_age', 'ageing_time', 'vlan_filtering']) assert.equal(brData[k], brJ[k], `br0 ${k}`);
    assert.equal(`${(brData.bridge_id as { prio: number }).prio.toString(16)}.`, brJ.bridge_id.slice(0, 5));
    const vx = links.get('vx0')!.linkinfo!.data as Record<string, unknown>;
    const vxJ = j.get('vx0')!.linkinfo.info_data;
    for (const k of ['id', 'local', 'port', 'ttl', 'ageing', 'df']) assert.equal(vx[k], vxJ[k], `vx0 ${k}`);
    assert.equal(vx.learning, vxJ.learning ? 1 : 0);
    const mv = links.get('mv0')!;
    assert.equal((mv.linkinfo!.data as Record<string, unknown>).mode, j.get('mv0')!.linkinfo.info_data.mode);
    assert.equal(mv.link, links.get('v0')!.ifindex);
    const port = links.get('v1')!.linkinfo!.slave_data as Record<string, unknown>;
    const portJ = j.get('v1')!.linkinfo.info_slave_data;
    for (const k of ['state', 'priority', 'cost']) assert.equal(port[k], portJ[k], `v1 port ${k}`);
  });
});

test('links: created with ip (veth, bridge port, vxlan, macvlan, ifb, tap, altname), read with nlkit', async (t) => {
  if (!requireRoot(t)) return;
  await withNetns(async (ns) => {
    ip(ns, 'link add a0 type veth peer name a1');
    ip(ns, 'link add br1 type bridge stp_state 1 ageing_time 1234');
    ip(ns, 'link set a1 master br1');
    ip(ns, 'link set a1 up');
    ip(ns, 'link add vx1 type vxlan id 7 dstport 8472 group 239.1.1.1 dev a0 ttl 9');
    ip(ns, 'link add mv1 link a0 type macvlan mode private');
    ip(ns, 'link add ifb1 type ifb');
    ip(ns, 'tuntap add tap1 mode tap');
    ip(ns, 'link property add dev a0 altname a-very-long-alternative-name');
    const links = await compareAll(ns);
    const tap = links.get('tap1')!.linkinfo!;
    assert.equal(tap.kind, 'tun');
    assert.equal((tap.data as Record<string, unknown>).type, 2); // IFF_TAP
    assert.equal((tap.data as Record<string, unknown>).persist, 1);
    const vx = links.get('vx1')!.linkinfo!.data as Record<string, unknown>;
    assert.equal(vx.group, '239.1.1.1');
    assert.equal(vx.link, links.get('a0')!.ifindex);
    assert.equal((links.get('br1')!.linkinfo!.data as Record<string, unknown>).stp_state, 1);
    assert.equal((links.get('br1')!.linkinfo!.data as Record<string, unknown>).ageing_time, 1234);
    // An alternative name finds the link too (IFLA_ALT_IFNAME in the request).
    const byAlt = await getLink('a-very-long-alternative-name', { netns: ns });
    assert.equal(byAlt.ifname, 'a0');
    assert.equal(await linkIndex('a0', { netns: ns }), links.get('a0')!.ifindex);
    assert.equal(await linkName(links.get('a0')!.ifindex!, { netns: ns }), 'a0');
    // Kernel-side filters.
    const veths = await dumpLinks({ kind: 'veth' }, { netns: ns }).toArray();
    assert.deepEqual(veths.map((l) => l.ifname).sort(), ['a0', 'a1']);
    const ports = await dumpLinks({ master: 'br1' }, { netns: ns }).toArray();
    assert.deepEqual(ports.map((l) => l.ifname), ['a1']);
    // The af_spec nests carry the devconf arrays by name.
    const lo = links.get('lo')!;
    assert.equal(typeof (lo.af_spec as any).inet.conf.forwarding, 'number');
    assert.equal(typeof (lo.af_spec as any).inet6.conf.disable_ipv6, 'number');
  });
});

test('links: change name, mtu, address, up/down, master/nomaster, netns; delete', async (t) => {
  if (!requireRoot(t)) return;
  await withNetns(async (ns) => {
    await withNetns(async (other) => {
      const o = { netns: ns };
      await addLink({ ifname: 'c0', kind: 'veth', peer: { ifname: 'c1' } }, o);
      await addLink({ ifname: 'br0', kind: 'bridge' }, o);
      await changeLink('c0', { ifname: 'c0new', mtu: 1300, address: '02:11:22:33:44:55', up: true }, o);
      let j = ipJson<any[]>(ns, 'link show dev c0new')[0];
      assert.equal(j.mtu, 1300);
      assert.equal(j.address, '02:11:22:33:44:55');
      assert.ok(j.flags.includes('UP'));
      await changeLink('c0new', { up: false }, o);
      j = ipJson<any[]>(ns, 'link show dev c0new')[0];
      assert.ok(!j.flags.includes('UP'));
      await changeLink('c1', { master: 'br0' }, o);
      assert.equal(ipJson<any[]>(ns, 'link show dev c1')[0].master, 'br0');
      await changeLink('c1', { master: null }, o);
      assert.equal(ipJson<any[]>(ns, 'link show dev c1')[0].master, undefined);
      await changeLink('c1', { netns: other }, o);
      assert.deepEqual(ipJson<any[]>(other, 'link show dev c1').map((l) => l.ifname), ['c1']);
      await deleteLink('br0', o);
      await assert.rejects(getLink('br0', o), (e: unknown) => e instanceof NetlinkError && e.code === 'ENODEV');
      // A peer created straight into another namespace.
      await addLink({ ifname: 'p0', kind: 'veth', peer: { ifname: 'p1', netns: other } }, o);
      assert.deepEqual(ipJson<any[]>(other, 'link show dev p1').map((l) => l.ifname), ['p1']);
    });
  });
});

test('links: errors carry the kernel message and the message type', async (t) => {
  if (!requireRoot(t)) return;
  await withNetns(async (ns) => {
    await assert.rejects(addLink({ ifname: 'x0', kind: 'no-such-kind' }, { netns: ns }), (e: unknown) => {
      assert.ok(e instanceof NetlinkError);
      assert.equal(e.op, 'RTM_NEWLINK');
      assert.equal(e.kernelMessage, 'Unknown device type');
      return true;
    });
    await addLink({ ifname: 'd0', kind: 'ifb' }, { netns: ns });
    await assert.rejects(addLink({ ifname: 'd0', kind: 'ifb' }, { netns: ns }), (e: unknown) => e instanceof NetlinkError && e.code === 'EEXIST');
  });
});

test('links: vlan (needs the 8021q module)', async (t) => {
  if (!requireRoot(t)) return;
  await withNetns(async (ns) => {
    await addLink({ ifname: 'e0', kind: 'veth', peer: { ifname: 'e1' } }, { netns: ns });
    let vl: Link;
    try {
      vl = await addLink({ ifname: 'e0.5', kind: 'vlan', link: 'e0', data: { id: 5, protocol: '802.1ad' } }, { netns: ns });
    } catch (e) {
      if (e instanceof NetlinkError && e.kernelMessage === 'Unknown device type') {
        t.skip('this kernel has no vlan (8021q) support');
        return;
      }
      throw e;
    }
    const j = ipJson<any[]>(ns, '-d link show dev e0.5')[0];
    assert.equal((vl.linkinfo!.data as Record<string, unknown>).id, j.linkinfo.info_data.id);
    assert.equal((vl.linkinfo!.data as Record<string, unknown>).protocol, j.linkinfo.info_data.protocol);
  });
});
