// The families nlkit ships typed, against the real kernel: taskstats for this process,
// tcp_metrics against `ip tcp_metrics`, mptcp_pm limits and endpoints, netdev devices against
// `ip link` — state changes only in namespaces the tests create.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { FamilyClient, TASKSTATS_VERSION, mptcpPm, netdev, taskstats, tcpMetrics } from '../src/genl/index.js';
import { NetlinkError } from '../src/socket/index.js';
import { ip, ipJson, requireRoot, withNetns } from './helpers/netns.js';
import { cliEnv } from './helpers/cli.js';

test('taskstats for this process: its pid, its name, sane counters', async (t) => {
  if (!requireRoot(t)) return;
  await using c = await FamilyClient.open(taskstats);
  // Burn a little CPU so the counters are non-zero.
  let x = 0;
  for (let i = 0; i < 2e6; i++) x += i;
  assert.ok(x > 0);
  const r = await c.do('get', { pid: process.pid });
  const a = r?.aggrPid;
  assert.equal(a?.pid, process.pid);
  const s = a!.stats!;
  assert.ok(Number(s.version) >= TASKSTATS_VERSION, `version ${s.version}`);
  assert.equal(s.acPid, process.pid);
  assert.equal(s.acPpid, process.ppid);
  assert.equal(s.acComm, readFileSync('/proc/self/comm', 'utf8').trim());
  assert.equal(s.acUid, process.getuid!());
  assert.ok(Number(s.cpuRunRealTotal) > 0, 'ran on a CPU');
  assert.ok(Number(s.acUtime) + Number(s.acStime) > 0, 'user + system time');
  assert.ok(Number(s.nvcsw) + Number(s.nivcsw) > 0, 'context switches');
  const stat = readFileSync('/proc/self/stat', 'utf8').split(') ')[1]!.split(' ');
  assert.ok(Math.abs(Number(s.acMinflt) - Number(stat[7])) < 100_000, 'minor faults near /proc/self/stat');
  assert.ok(Number(s.acBtime64) > 1.6e9 && Number(s.acBtime64) <= Date.now() / 1000 + 1, 'started after 2020');
  if (Number(s.version) > TASKSTATS_VERSION) assert.ok(s.$tail && s.$tail.byteLength > 0, 'a newer kernel\'s fields are kept');
  // Per thread group: the sum over the process's threads.
  const g = (await c.do('get', { tgid: process.pid }))?.aggrTgid;
  assert.equal(g?.tgid, process.pid);
  assert.ok(Number(g!.stats!.cpuRunRealTotal) >= Number(s.cpuRunRealTotal));
  await assert.rejects(c.do('get', { pid: 0x7ffffff0 }), (e: NetlinkError) => e.code === 'ESRCH');
});

test('tcp_metrics: a loopback connection\'s entry, as `ip tcp_metrics` shows it; delete', async (t) => {
  if (!requireRoot(t)) return;
  await withNetns(async (ns) => {
    execFileSync('ip', ['netns', 'exec', ns, process.execPath, '-e', `
      const net = require('net');
      const s = net.createServer((c) => { c.on('data', () => {}); c.on('end', () => c.end()); }).listen(5555, '127.0.0.1', () => {
        const c = net.connect(5555, '127.0.0.1', () => { c.write(Buffer.alloc(100000)); c.end(); });
        c.on('close', () => s.close());
      });`], { env: cliEnv() });
    const oracle = execFileSync('ip', ['-n', ns, 'tcp_metrics', 'show'], { encoding: 'utf8' });
    await using c = await FamilyClient.open(tcpMetrics, { netns: ns });
    const all = await c.dump('get').toArray();
    assert.equal(all.length, oracle.trim().split('\n').filter(Boolean).length);
    const e = all.find((x) => x.addrIpv4 === '127.0.0.1');
    assert.ok(e, oracle);
    assert.equal(e.saddrIpv4, '127.0.0.1');
    const cwnd = /cwnd (\d+)/.exec(oracle)?.[1];
    if (cwnd) assert.equal(e.vals?.cwnd, Number(cwnd));
    // The kernel keeps smoothed RTT scaled by 8 and its variance by 4; ip shows them unscaled.
    const rtt = /rtt (\d+)us/.exec(oracle)?.[1];
    if (rtt) assert.equal(Number(e.vals?.rttUs) >> 3, Number(rtt));
    const rttvar = /rttvar (\d+)us/.exec(oracle)?.[1];
    if (rttvar) assert.equal(Number(e.vals?.rttvarUs) >> 2, Number(rttvar));
    const one = await c.do('get', { addrIpv4: '127.0.0.1' });
    assert.equal(one?.addrIpv4, '127.0.0.1');
    await c.do('del', { addrIpv4: '127.0.0.1' });
    assert.equal(execFileSync('ip', ['-n', ns, 'tcp_metrics', 'show'], { encoding: 'utf8' }).trim(), '');
    await assert.rejects(c.do('get', { addrIpv4: '127.0.0.1' }), (err: NetlinkError) => err.code === 'ESRCH');
  });
});

test('mptcp_pm: limits and endpoints, read back and seen by `ip mptcp`', async (t) => {
  if (!requireRoot(t)) return;
  await withNetns(async (ns) => {
    await using c = await FamilyClient.open(mptcpPm, { netns: ns });
    await c.do('set-limits', { rcvAddAddrs: 4, subflows: 3 });
    assert.deepEqual(await c.do('get-limits'), { rcvAddAddrs: 4, subflows: 3 });
    assert.match(execFileSync('ip', ['-n', ns, 'mptcp', 'limits', 'show'], { encoding: 'utf8' }), /add_addr_accepted 4 subflows 3/);
    await c.do('add-addr', { addr: { family: 2, addr4: 0x0a000001, id: 5, flags: 1 /* signal */ } });
    const eps = await c.dump('get-addr').toArray();
    assert.equal(eps.length, 1);
    assert.deepEqual({ id: eps[0]!.addr?.id, addr4: eps[0]!.addr?.addr4, flags: eps[0]!.addr?.flags }, { id: 5, addr4: 0x0a000001, flags: 1 });
    assert.match(execFileSync('ip', ['-n', ns, 'mptcp', 'endpoint', 'show'], { encoding: 'utf8' }), /10\.0\.0\.1 id 5 signal/);
    await c.do('del-addr', { addr: { id: 5 } });
    assert.deepEqual(await c.dump('get-addr').toArray(), []);
    await assert.rejects(c.do('set-limits', { subflows: 100 }), (e: NetlinkError) => e.code === 'EINVAL' && /^mptcp_pm\.set-limits: /.test(e.message));
  });
});

test('netdev: every device of a namespace, by dump and by index, as `ip link` lists them', async (t) => {
  if (!requireRoot(t)) return;
  await withNetns(async (ns) => {
    ip(ns, 'link add va type veth peer name vb');
    await using c = await FamilyClient.open(netdev, { netns: ns });
    const devs = await c.dump('dev-get').toArray();
    const links = ipJson<{ ifindex: number }[]>(ns, 'link show');
    assert.deepEqual(devs.map((d) => d.ifindex).sort(), links.map((l) => l.ifindex).sort());
    const va = links.find((l) => (l as { ifname?: string }).ifname === 'va')!;
    const one = await c.do('dev-get', { ifindex: va.ifindex });
    assert.equal(one?.ifindex, va.ifindex);
    assert.ok(Array.isArray(one?.xdpFeatures), 'xdp features as flag names');
    assert.ok((one!.xdpFeatures as string[]).includes('basic'), 'veth has basic XDP');
    await assert.rejects(c.do('dev-get', { ifindex: 99999 }), (e: NetlinkError) => e.code === 'ENODEV');
  });
});
