// Objects made with `nlkit ip … add/set/replace/change/del/flush`, read back with `ip -j`; and
// the kernel's refusals printed like ip prints them.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ip, ipJson, requireRoot, withNetns } from './helpers/netns.js';
import { nlkitIp, noDad } from './helpers/cli-ip.js';
import { nlkit } from './helpers/cli.js';

type J = Record<string, any>;

/** Runs `nlkit ip -n NS …` commands in one process (`-batch -`, like ip's); each must succeed. */
function run(ns: string, ...cmds: string[]): void {
  // Options inside a line ("-6 rule add …") need their own process.
  const plain = cmds.filter((c) => !c.startsWith('-'));
  if (plain.length) {
    const r = nlkit(['ip', '-n', ns, '-batch', '-'], plain.join('\n') + '\n');
    if (r.status !== 0) throw new Error(`nlkit ip -batch failed (${r.status}): ${r.stderr}`);
  }
  for (const c of cmds.filter((x) => x.startsWith('-'))) nlkitIp(ns, c);
}

test('ip link: add veth/bridge/vxlan/macvlan, set up/mtu/address/master/nomaster/name/alias/netns, delete', async (t) => {
  if (!requireRoot(t)) return;
  await withNetns(async (ns) => {
    await withNetns(async (other) => {
      run(ns,
        'link add a0 type veth peer name a1',
        'link add br9 type bridge stp_state 1 forward_delay 400',
        'link add vx9 type vxlan id 99 dstport 4789 local 10.0.0.1 ttl 5 nolearning',
        'link add mv9 link a0 type macvlan mode private',
        'link set dev a0 up',
        'link set a1 master br9 mtu 1400 address 02:11:22:33:44:55 up',
        'link set a0 name a0x',
        'link set a0x alias hello',
        'link set mv9 txqueuelen 77 arp off');
      const links = new Map(ipJson<J[]>(ns, '-d link show').map((l) => [l.ifname, l]));
      const a1 = links.get('a1')!;
      assert.equal(a1.master, 'br9');
      assert.equal(a1.mtu, 1400);
      assert.equal(a1.address, '02:11:22:33:44:55');
      assert.ok(a1.flags.includes('UP'));
      assert.equal(a1.linkinfo.info_kind, 'veth');
      assert.equal(a1.linkinfo.info_slave_kind, 'bridge');
      assert.equal(links.get('a0x')?.ifalias, 'hello');
      assert.equal(links.get('a0x')?.link, 'a1');
      const br = links.get('br9')!.linkinfo.info_data;
      assert.equal(br.stp_state, 1);
      assert.equal(br.forward_delay, 400);
      const vx = links.get('vx9')!.linkinfo.info_data;
      assert.deepEqual([vx.id, vx.local, vx.port, vx.ttl, vx.learning], [99, '10.0.0.1', 4789, 5, false]);
      const mv = links.get('mv9')!;
      assert.equal(mv.linkinfo.info_data.mode, 'private');
      assert.equal(mv.link, 'a0x');
      assert.equal(mv.txqlen, 77);
      assert.ok(mv.flags.includes('NOARP'));

      run(ns, 'link set a1 nomaster', 'link set a0x down');
      const after = new Map(ipJson<J[]>(ns, 'link show').map((l) => [l.ifname, l]));
      assert.equal(after.get('a1')?.master, undefined);
      assert.ok(!after.get('a0x')!.flags.includes('UP'));

      // netns: the link moves to a namespace the test made.
      run(ns, `link set a1 netns ${other}`);
      assert.ok(ipJson<J[]>(other, 'link show').some((l) => l.ifname === 'a1'));
      assert.ok(!ipJson<J[]>(ns, 'link show').some((l) => l.ifname === 'a1'));

      run(ns, 'link del mv9', 'link delete vx9', 'link del dev br9', 'link del a0x');
      const left = ipJson<J[]>(ns, 'link show').map((l) => l.ifname);
      assert.deepEqual(left, ['lo']);
    });
  });
});

test('ip address: add (label, broadcast +, peer, lifetimes, metric, flags), replace, change, del, flush', async (t) => {
  if (!requireRoot(t)) return;
  await withNetns(async (ns) => {
    noDad(ns);
    ip(ns, 'link add v0 type veth peer name v1');
    ip(ns, 'link set v0 up');
    run(ns,
      'addr add 10.0.0.1/24 dev v0 broadcast + label v0:1',
      'address add 10.0.1.1/24 dev v0 metric 7 noprefixroute',
      'a add 10.10.10.1 peer 10.10.10.2/32 dev v0',
      'addr add 2001:db8::1/64 dev v0 nodad valid_lft 1000 preferred_lft 500',
      'addr add 127.1.2.3/8 dev v0');
    const info = () => ipJson<J[]>(ns, 'addr show dev v0')[0]!.addr_info as J[];
    const byLocal = new Map(info().map((a) => [a.local, a]));
    assert.deepEqual(
      [byLocal.get('10.0.0.1')?.broadcast, byLocal.get('10.0.0.1')?.label, byLocal.get('10.0.0.1')?.prefixlen],
      ['10.0.0.255', 'v0:1', 24]);
    assert.equal(byLocal.get('10.0.1.1')?.metric, 7);
    assert.equal(byLocal.get('10.0.1.1')?.noprefixroute, true);
    assert.equal(byLocal.get('10.10.10.1')?.address, '10.10.10.2');
    assert.equal(byLocal.get('2001:db8::1')?.nodad, true);
    assert.ok(byLocal.get('2001:db8::1')!.valid_life_time <= 1000);
    assert.equal(byLocal.get('127.1.2.3')?.scope, 'host', 'ip\'s default scope for 127/8');

    run(ns, 'addr replace 10.0.1.1/24 dev v0 metric 9', 'addr change 2001:db8::1/64 dev v0 valid_lft forever preferred_lft forever');
    const again = new Map(info().map((a) => [a.local, a]));
    assert.equal(again.get('10.0.1.1')?.metric, 9);
    assert.equal(again.get('2001:db8::1')?.valid_life_time, 4294967295);

    run(ns, 'addr del 10.10.10.1 peer 10.10.10.2/32 dev v0', 'addr del 127.1.2.3/8 dev v0');
    assert.ok(!info().some((a) => a.local === '10.10.10.1' || a.local === '127.1.2.3'));

    run(ns, 'addr flush dev v0 scope global');
    assert.ok(info().every((a) => a.scope !== 'global'), 'the global addresses are gone');
  });
});

test('ip route: add/replace/change/append/del with via, dev, src, table, metric, proto, scope, types, multipath weights; get; flush', async (t) => {
  if (!requireRoot(t)) return;
  await withNetns(async (ns) => {
    noDad(ns);
    ip(ns, 'link add v0 type veth peer name v1');
    ip(ns, 'link set v0 up');
    ip(ns, 'addr add 10.0.0.1/24 dev v0');
    ip(ns, 'addr add 2001:db8::1/64 dev v0');
    run(ns,
      'route add 10.1.0.0/16 via 10.0.0.2 dev v0 metric 100 proto static',
      'route add blackhole 10.2.0.0/16',
      'route add unreachable 10.3.0.0/16',
      'route add prohibit 10.4.0.0/16',
      'route add 10.5.0.0/16 dev v0 src 10.0.0.1 table 100',
      'route add 10.6.0.0/16 nexthop via 10.0.0.2 dev v0 weight 2 nexthop via 10.0.0.3 dev v0 weight 3',
      'route add default via 10.0.0.254',
      'route add 10.7.0.0/16 dev v0 mtu 1400 scope global',
      'r add local 10.8.0.1 dev v0',
      'route add 2001:db8:1::/64 via 2001:db8::2',
      '-6 route add 2001:db8:2::/64 dev v0 metric 42 pref high');
    const routes = new Map(ipJson<J[]>(ns, '-d route show table all').map((r) => [`${r.dst}|${r.table ?? ''}`, r]));
    const r1 = routes.get('10.1.0.0/16|main')!;
    assert.deepEqual([r1.gateway, r1.dev, r1.metric, r1.protocol, r1.scope], ['10.0.0.2', 'v0', 100, 'static', 'global']);
    assert.equal(routes.get('10.2.0.0/16|main')?.type, 'blackhole');
    assert.equal(routes.get('10.3.0.0/16|main')?.type, 'unreachable');
    assert.equal(routes.get('10.4.0.0/16|main')?.type, 'prohibit');
    const r5 = routes.get('10.5.0.0/16|100')!;
    assert.deepEqual([r5.prefsrc, r5.scope, r5.protocol], ['10.0.0.1', 'link', 'boot']);
    assert.deepEqual(routes.get('10.6.0.0/16|main')!.nexthops.map((n: J) => [n.gateway, n.weight]), [['10.0.0.2', 2], ['10.0.0.3', 3]]);
    assert.equal(routes.get('default|main')?.gateway, '10.0.0.254');
    assert.deepEqual(routes.get('10.7.0.0/16|main')?.metrics, [{ mtu: 1400 }]);
    assert.equal(routes.get('10.7.0.0/16|main')?.scope, 'global');
    const local = routes.get('10.8.0.1|local')!;
    assert.deepEqual([local.type, local.scope], ['local', 'host'], 'ip\'s defaults for local routes: table local, scope host');
    assert.equal(routes.get('2001:db8:1::/64|main')?.gateway, '2001:db8::2');
    assert.deepEqual([routes.get('2001:db8:2::/64|main')?.metric, routes.get('2001:db8:2::/64|main')?.pref], [42, 'high']);

    run(ns, 'route replace 10.1.0.0/16 via 10.0.0.3 dev v0 metric 100 proto static', 'route change 10.7.0.0/16 dev v0 mtu 1300 scope global');
    const r = new Map(ipJson<J[]>(ns, 'route show').map((x) => [x.dst, x]));
    assert.equal(r.get('10.1.0.0/16')?.gateway, '10.0.0.3');
    assert.deepEqual(r.get('10.7.0.0/16')?.metrics, [{ mtu: 1300 }]);
    run(ns, 'route append 10.1.0.0/16 via 10.0.0.4 dev v0 metric 100 proto static');
    assert.equal(ipJson<J[]>(ns, 'route show 10.1.0.0/16').length, 2, 'append adds a second route with the same key');

    const got = JSON.parse(nlkitIp(ns, '-j route get 10.1.2.3'))[0];
    assert.deepEqual(got, ipJson<J[]>(ns, 'route get 10.1.2.3')[0]);

    run(ns, 'route del 10.6.0.0/16', 'route delete blackhole 10.2.0.0/16', 'route del local 10.8.0.1 table local');
    const r2 = ipJson<J[]>(ns, 'route show table all').map((x) => x.dst);
    assert.ok(!r2.includes('10.6.0.0/16') && !r2.includes('10.2.0.0/16') && !r2.includes('10.8.0.1'));

    run(ns, 'route flush table 100');
    assert.deepEqual(ipJson<J[]>(ns, 'route show table 100'), []);
    run(ns, 'route flush proto static');
    assert.ok(!ipJson<J[]>(ns, 'route show').some((x) => x.protocol === 'static'));
  });
});

test('ip neigh, ip rule, ip nexthop: add/replace/change/del/flush', async (t) => {
  if (!requireRoot(t)) return;
  await withNetns(async (ns) => {
    ip(ns, 'link add v0 type veth peer name v1');
    ip(ns, 'link set v0 up');
    ip(ns, 'link set v1 up'); // nexthop objects want a carrier
    ip(ns, 'addr add 10.0.0.1/24 dev v0');
    run(ns,
      'neigh add 10.0.0.5 lladdr 02:00:00:00:00:05 dev v0',
      'neigh add 10.0.0.6 lladdr 02:00:00:00:00:06 dev v0 nud stale router',
      'neigh add proxy 10.0.0.21 dev v0',
      'neigh replace 10.0.0.7 lladdr 02:00:00:00:00:07 dev v0 nud noarp');
    const n = new Map(ipJson<J[]>(ns, 'neigh show nud all').map((x) => [x.dst, x]));
    assert.deepEqual(n.get('10.0.0.5')?.state, ['PERMANENT'], 'ip\'s default state');
    assert.deepEqual([n.get('10.0.0.6')?.state, n.get('10.0.0.6')?.router], [['STALE'], null]);
    assert.deepEqual(n.get('10.0.0.7')?.state, ['NOARP']);
    assert.equal(ipJson<J[]>(ns, 'neigh show proxy')[0]?.dst, '10.0.0.21');
    run(ns, 'neigh change 10.0.0.5 lladdr 02:00:00:00:00:55 dev v0', 'neigh del 10.0.0.7 dev v0');
    const n2 = new Map(ipJson<J[]>(ns, 'neigh show nud all').map((x) => [x.dst, x]));
    assert.equal(n2.get('10.0.0.5')?.lladdr, '02:00:00:00:00:55');
    assert.ok(!n2.has('10.0.0.7'));
    run(ns, 'neigh flush dev v0');
    assert.deepEqual(ipJson<J[]>(ns, 'neigh show dev v0').map((x) => x.dst), ['10.0.0.5'], 'flush leaves permanent entries');

    run(ns,
      'rule add from 10.0.0.0/8 table 100 priority 1000',
      'rule add to 10.9.0.0/16 iif v0 table 100 priority 1001 fwmark 0x10/0xff',
      'rule add uidrange 100-200 ipproto tcp sport 80 dport 1000-2000 table 100 priority 1002',
      'rule add oif v0 lookup main pref 1003',
      'rule add not from 1.2.3.0/24 table 7 prio 3000 proto static',
      '-6 rule add from 2001:db8::/32 table 50 prio 100');
    const rules = new Map(ipJson<J[]>(ns, 'rule show').map((x) => [x.priority, x]));
    assert.deepEqual(rules.get(1000), { priority: 1000, src: '10.0.0.0', srclen: 8, table: '100' });
    assert.deepEqual(rules.get(1001), { priority: 1001, src: 'all', dst: '10.9.0.0', dstlen: 16, fwmark: '0x10', fwmask: '0xff', iif: 'v0', table: '100' });
    assert.deepEqual(rules.get(1002), {
      priority: 1002, src: 'all', uid_start: 100, uid_end: 200, ipproto: 'tcp', sport: 80, dport_start: 1000, dport_end: 2000, table: '100',
    });
    assert.deepEqual(rules.get(1003), { priority: 1003, src: 'all', oif: 'v0', table: 'main' });
    assert.deepEqual(rules.get(3000), { priority: 3000, not: null, src: '1.2.3.0', srclen: 24, table: '7', protocol: 'static' });
    assert.equal(ipJson<J[]>(ns, '-6 rule show').find((x) => x.priority === 100)?.table, '50');
    run(ns, 'rule del priority 1000', 'rule del from 1.2.3.0/24 not table 7');
    const prios = ipJson<J[]>(ns, 'rule show').map((x) => x.priority);
    assert.ok(!prios.includes(1000) && !prios.includes(3000));

    run(ns,
      'nexthop add id 1 via 10.0.0.2 dev v0',
      'nexthop add id 2 via 10.0.0.3 dev v0',
      'nh add id 3 group 1,2/2,3',
      'nexthop add id 4 blackhole',
      'nexthop replace id 2 via 10.0.0.4 dev v0',
      'route add 10.50.0.0/16 nhid 3');
    const nhs = new Map(ipJson<J[]>(ns, 'nexthop show').map((x) => [x.id, x]));
    assert.deepEqual(nhs.get(1), { id: 1, gateway: '10.0.0.2', dev: 'v0', scope: 'link', flags: [] });
    assert.equal(nhs.get(2)?.gateway, '10.0.0.4');
    assert.deepEqual(nhs.get(3)?.group, [{ id: 1, weight: 2 }, { id: 2, weight: 3 }]);
    assert.equal(nhs.get(4)?.blackhole, null);
    assert.equal(ipJson<J[]>(ns, 'route show 10.50.0.0/16')[0]?.nhid, 3);
    run(ns, 'nexthop del id 4');
    assert.ok(!ipJson<J[]>(ns, 'nexthop show').some((x) => x.id === 4));
    assert.match(nlkitIp(ns, 'nexthop flush'), /^Flushed 3 nexthops\n$/);
    assert.deepEqual(ipJson<J[]>(ns, 'nexthop show'), []);
  });
});

test('kernel refusals print the extended-ACK text like ip (exit 2); missing objects name themselves (exit 1)', async (t) => {
  if (!requireRoot(t)) return;
  await withNetns(async (ns) => {
    ip(ns, 'link add v0 type veth peer name v1');
    const cases: [string, RegExp][] = [
      ['link add x0 type foo', /^Error: Unknown device type\.\n$/],
      ['link set v0 mtu 100000', /^Error: mtu greater than device maximum\.\n$/],
      ['route del 10.99.0.0/16', /^RTNETLINK answers: No such process\n$/],
      ['link del nodev', /^Cannot find device "nodev"\n$/],
      ['route add 10.0.0.0/8 dev nodev', /^Cannot find device "nodev"\n$/],
      ['address show dev nodev', /^Device "nodev" does not exist\.\n$/],
      ['nexthop add id 7 group 99', /^Error: .+\.\n$/],
    ];
    for (const [cmd, re] of cases) {
      const r = nlkit(['ip', '-n', ns, ...cmd.split(' ')]);
      // ip's status: 2 when the kernel refused, 1 for a device that does not exist.
      const want = /^(Error|RTNETLINK)/.test(r.stderr) ? 2 : 1;
      assert.equal(r.status, want, `${cmd}: exit ${want} (${r.stderr})`);
      assert.match(r.stderr, re, cmd);
      assert.doesNotMatch(r.stderr, /\n\s+at /, `${cmd}: no stack trace`);
    }
    const missing = nlkit(['ip', '-n', 'nlkit-no-such-ns', 'link']);
    assert.equal(missing.status, 255, 'ip exits 255 when it cannot open the namespace');
    assert.equal(missing.stderr, 'Cannot open network namespace "nlkit-no-such-ns": No such file or directory\n');
  });
});
