// The `ip` objects nlkit added for issue 16 (maddr, tuntap, netconf, stats, netns exec and
// identify, `link del group`, -h, -c), each against the real `ip` on namespaces set up alike:
// the same changes made by ip in one namespace and by `nlkit ip -batch` in the other, then the
// same show and error lines run by both (nlkit's all in one process), text, -j, stderr and exit
// status compared byte for byte.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { hasTool, ip, ipBatch, requireRoot, withNetns } from './helpers/netns.js';
import { nlkitIpMany } from './helpers/cli-ip.js';
import { CLI, cliEnv, nlkit } from './helpers/cli.js';

const SETUP = [
  'link set lo up',
  'link add v0 type veth peer name v1',
  'link set v1 group 5',
  'addr add 10.9.0.1/24 dev lo',
  'addr add 2001:db8::1/64 dev lo',
  'route add 10.8.0.0/16 dev lo',
  'rule add from 10.1.0.0/16 to 10.3.0.0/16 table 5',
];

// Changes each tool makes on its own namespace (ip -batch; nlkit ip -batch -force).
const CHANGES = [
  'tuntap add t1 mode tun',
  'tuntap add t2 mode tap pi vnet_hdr user 0 group 0',
  'tuntap add dev t3 mode tap multi_queue',
  'tuntap add t4 mode tun',
  'tuntap del t4 mode tun',
  'maddr add 01:00:5e:01:02:03 dev v0',
  'maddr add 33:33:00:00:00:09 dev v1',
  'maddr del 33:33:00:00:00:09 dev v1',
  'link add x0 type veth peer name x1',
  'link set x0 group 7',
  'link set x1 group 7',
  'link set group 7 mtu 1400',
  'link del group 7',
];

// The same for mptcp_pm, where the kernel has it (CONFIG_MPTCP).
const MPTCP_CHANGES = [
  'mptcp endpoint add 10.0.0.1 dev v0 signal', 'mptcp endpoint add 10.0.0.2 id 5 subflow backup',
  'mptcp endpoint add 10.0.0.3 dev v0 subflow fullmesh', 'mptcp endpoint add 2001:db8::5 id 7', 'mptcp endpoint change id 5 nobackup',
  'mptcp limits set subflows 3 add_addr_accepted 4', 'mptcp endpoint add 10.0.0.9 id 9', 'mptcp endpoint del id 9',
];
const MPTCP_LINES = [
  'mptcp endpoint show', '-j mptcp endpoint', 'mptcp endpoint show id 5', '-j -p mptcp endpoint show id 5', 'mptcp limits',
  '-j mptcp limits show', 'mptcp endpoint del id 9', 'mptcp endpoint show id 9', 'mptcp foo', 'mptcp help', 'mptcp', 'mptcp endpoint foo',
  'mptcp endpoint add', 'mptcp limits set subflows 99', 'mptcp endpoint add 1.2.3.4 signal fullmesh', 'mptcp endpoint add 1.2.3.4 dev nosuch',
  'mptcp endpoint add 1.2.3.4 port 5', 'mptcp endpoint del 1.2.3.4', 'mptcp limits set foo 1',
];

// Lines both run afterwards; every output is free of per-namespace values (no MACs of veths,
// no counters of links that pass traffic).
const SHOWS = [
  'tuntap', 'tuntap show', '-j tuntap show', '-j -p tuntap list', '-c tuntap',
  'maddr', '-j maddr', '-j -p maddr show dev v0', '-4 maddr', '-6 maddr', '-0 maddr', '-o maddr', 'maddr show dev v1',
  '-c maddr show dev v0', 'maddr show dev nosuch',
  'netconf', '-j netconf', 'netconf show dev v0', '-4 netconf show dev lo', '-j -6 netconf show dev v0', 'netconf list',
  'stats show group link', '-j stats show group link', 'stats show dev lo group link', '-s stats show dev v0 group link',
  '-j -p stats show dev v1 group link',
  '-c netconf', '-c rule', '-c -6 rule', '-c link show lo', '-c -br link show lo', '-c addr show dev lo', '-c -br addr show dev lo', '-c route', '-c=always -6 route show dev lo',
  'vrf', '-j vrf', 'vrf show', 'vrf identify', 'vrf pids foo', 'vrf exec foo true', 'vrf foo',
  '-c=never link show lo', '-j -c link show lo', '-h -s link show lo', '-h -s -s link show lo', '-iec -h -s link show lo',
  '-br addr show group 5',
];

// Mistakes and refusals: stderr and exit status as ip's.
const ERRORS = [
  'maddr foo', 'maddr add 01:00:5e:01:02:03', 'maddr add 1.2.3.4 dev v0', 'maddr add zz dev v0', 'maddr del 01:00:5e:09:09:09 dev v0',
  'maddr help', 'tuntap add t2 mode tap', 'tuntap add t5', 'tuntap add t5 mode xx', 'tuntap add t5 mode tun user nosuchuser',
  'tuntap add t5 mode tun t6', 'tuntap foo', 'tuntap help', 'stats foo', 'stats help', 'stats show group foo',
  'stats show dev nosuch group link', 'netconf show dev nosuch', 'netconf foo', 'netconf help', 'link del group 0', 'link del group 9',
  'link del group foo', 'link del group', 'netns identify abc', 'netns identify 1 2', 'netns identify 999999999', 'netns exec',
  'netns exec nlkit-no-such-ns true', '-c=foo link', 'foo', 'route fly', 'link set lo name',
];

test('maddr, tuntap, netconf, stats, link del group, -h and -c print what ip prints (text, -j, stderr, status)', async (t) => {
  if (!requireRoot(t)) return;
  if (!existsSync('/dev/net/tun')) return t.skip('no /dev/net/tun: tuntap needs the tun module');
  await withNetns(async (a) => withNetns(async (b) => {
    ipBatch(a, SETUP);
    ipBatch(b, SETUP);
    const mptcp = spawnSync('ip', ['-n', a, 'mptcp', 'limits'], { encoding: 'utf8' }).status === 0;
    if (!mptcp) t.diagnostic('mptcp lines left out: this kernel has no mptcp_pm family (CONFIG_MPTCP)');
    const changes = [...CHANGES, ...(mptcp ? MPTCP_CHANGES : [])];
    // One ip per line: ip's maddr add/del end ip with exit(0), a batch too.
    for (const l of changes) ip(a, l);
    const r = nlkit(['ip', '-n', b, '-force', '-batch', '-'], { input: changes.join('\n') + '\n' });
    assert.equal(r.status, 0, `nlkit ip -batch: ${r.stderr}`);
    assert.equal(r.stderr, '');
    const lines = [...SHOWS, ...ERRORS, ...(mptcp ? MPTCP_LINES : [])];
    const mine = nlkitIpMany(lines.map((l) => ['-n', b, ...l.split(' ')]));
    const wrong: string[] = [];
    lines.forEach((l, i) => {
      const theirs = spawnSync('ip', ['-n', a, ...l.split(' ')], { encoding: 'utf8' });
      const m = mine[i]!;
      const stderr = theirs.stderr.replaceAll(a, b);
      const mStderr = m.stderr;
      if (m.stdout !== theirs.stdout.replaceAll(a, b)) wrong.push(`${l}: stdout\n--- ip\n${theirs.stdout}--- nlkit\n${m.stdout}`);
      if (mStderr !== stderr) wrong.push(`${l}: stderr\n--- ip\n${stderr}--- nlkit\n${mStderr}`);
      if (m.status !== theirs.status) wrong.push(`${l}: exit ${m.status}, ip ${theirs.status}`);
    });
    assert.deepEqual(wrong, [], 'lines where nlkit ip differs from ip');
  }));
});

test('netns exec runs a command in the namespace (its /sys, its exit status) and netns identify names it, as ip does', async (t) => {
  if (!requireRoot(t)) return;
  if (!hasTool('nsenter') || !hasTool('unshare')) return t.skip('netns exec needs util-linux nsenter and unshare');
  await withNetns(async (ns) => {
    ip(ns, 'link add v0 type veth peer name v1');
    const script = `ls /sys/class/net; readlink /proc/self/ns/net; ip netns identify; exit 3`;
    const a = spawnSync('ip', ['netns', 'exec', ns, 'sh', '-c', script], { encoding: 'utf8' });
    const b = nlkit(['ip', 'netns', 'exec', ns, 'sh', '-c', script]);
    assert.equal(a.status, 3);
    assert.equal(b.status, a.status, b.stderr);
    assert.equal(b.stdout, a.stdout);
    assert.match(b.stdout, new RegExp(`^lo\\nv0\\nv1\\nnet:\\[\\d+\\]\\n${ns}\\n$`));
    // identify, run by nlkit inside the namespace (ip netns exec puts it there).
    const c = spawnSync('ip', ['netns', 'exec', ns, process.execPath, CLI, 'ip', 'netns', 'identify'], { encoding: 'utf8', env: cliEnv() });
    assert.equal(c.stdout, `${ns}\n`, c.stderr);
    assert.equal(c.status, 0);
  });
});
