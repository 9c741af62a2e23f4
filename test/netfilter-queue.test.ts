// nfnetlink_queue against the real kernel: two namespaces joined by a veth pair, an iptables
// NFQUEUE rule in the second (`ip netns exec NS iptables …`, never the host's), ping from the
// first. Oracles: ping's own exit status and output, `ip -j link` for ifindexes and addresses,
// /proc/net/netfilter/nfnetlink_queue for the queue's configuration, `conntrack -L` for the
// connection mark a verdict set.
import assert from 'node:assert/strict';
import { execFile, execFileSync } from 'node:child_process';
import { test, type TestContext } from 'node:test';
import { openQueue, type NfQueue, type QueuedPacket } from '../src/netfilter/index.js';
import { ip, ipJson, requireRoot, requireTool, withNetns } from './helpers/netns.js';

const QNUM = 3;

/** Runs ping in `ns` (asynchronously: the queue must be read while it waits); resolves with its exit status and output. */
function ping(ns: string, args: string[]): Promise<{ code: number; out: string }> {
  return new Promise((resolve) => {
    execFile('ip', ['netns', 'exec', ns, 'ping', ...args], { encoding: 'utf8' }, (err, stdout, stderr) => {
      const code = err ? (typeof (err as { code?: unknown }).code === 'number' ? (err as { code: number }).code : 1) : 0;
      resolve({ code, out: stdout + stderr });
    });
  });
}

/** The next packet of the queue (next(), not for-await: breaking out of for-await would end the iteration). */
async function nextPacket(q: NfQueue): Promise<QueuedPacket> {
  const r = await q[Symbol.asyncIterator]().next();
  if (r.done) throw new Error('queue ended');
  if ('overrun' in r.value) assert.fail(`queue overrun: ${JSON.stringify(r.value)}`);
  return r.value as QueuedPacket;
}

/** Two namespaces a (10.99.0.1) and b (10.99.0.2) joined by veth va/vb; b queues its incoming ICMP to QNUM. */
async function withPair(t: TestContext, fn: (a: string, b: string) => Promise<void>, rules: string[][] = []): Promise<void> {
  if (!requireRoot(t) || !requireTool(t, 'iptables') || !requireTool(t, 'ping')) return;
  await withNetns(async (a) => {
    await withNetns(async (b) => {
      ip(a, ['link', 'add', 'va', 'type', 'veth', 'peer', 'name', 'vb', 'netns', b]);
      ip(a, 'addr add 10.99.0.1/24 dev va');
      ip(b, 'addr add 10.99.0.2/24 dev vb');
      ip(a, 'link set va up');
      ip(b, 'link set vb up');
      for (const r of rules) execFileSync('ip', ['netns', 'exec', b, 'iptables', ...r]);
      execFileSync('ip', ['netns', 'exec', b, 'iptables', '-A', 'INPUT', '-p', 'icmp', '-j', 'NFQUEUE', '--queue-num', String(QNUM)]);
      await fn(a, b);
    });
  });
}

/** The Internet checksum of `b`. */
function inetChecksum(b: Uint8Array): number {
  let s = 0;
  for (let i = 0; i + 1 < b.length; i += 2) s += (b[i]! << 8) | b[i + 1]!;
  if (b.length & 1) s += b[b.length - 1]! << 8;
  while (s > 0xffff) s = (s & 0xffff) + (s >>> 16);
  return ~s & 0xffff;
}

test('queue: ACCEPT lets the ping through; the packet carries the metadata ip shows', async (t) => {
  await withPair(t, async (a, b) => {
    await using q = await openQueue(QNUM, { netns: b, copy: 'packet', range: 0xffff });
    const run = ping(a, ['-c', '1', '-W', '5', '10.99.0.2']);
    const p = await nextPacket(q);
    q.verdict(p, 'accept');
    const r = await run;
    assert.equal(r.code, 0, r.out);
    assert.match(r.out, /1 received/);

    const vb = ipJson(b, 'link show dev vb')[0];
    const va = ipJson(a, 'link show dev va')[0];
    assert.equal(p.queue, QNUM);
    assert.equal(p.hook, 'local-in');
    assert.equal(p.family, 2);
    assert.equal(p.hwProtocol, 0x0800);
    assert.equal(p.indev, vb.ifindex);
    assert.equal(p.outdev, undefined);
    assert.equal(p.hwaddr, va.address);
    assert.ok(p.timestamp !== undefined && p.timestamp > 0n);
    const pl = p.payload!;
    assert.equal(pl.length, 84); // ping's default: 20 IP + 8 ICMP + 56 data
    assert.equal(pl[0]! >> 4, 4);
    assert.equal(pl[9], 1); // ICMP
    assert.deepEqual([...pl.subarray(12, 16)], [10, 99, 0, 1]);
    assert.deepEqual([...pl.subarray(16, 20)], [10, 99, 0, 2]);
    assert.equal(pl[20], 8); // echo request
  });
});

test('queue: DROP stops the ping', async (t) => {
  await withPair(t, async (a, b) => {
    await using q = await openQueue(QNUM, { netns: b });
    const run = ping(a, ['-c', '1', '-W', '1', '10.99.0.2']);
    const p = await nextPacket(q);
    q.verdict(p, 'drop');
    const r = await run;
    assert.equal(r.code, 1, r.out);
    assert.match(r.out, /0 received/);
  });
});

test('queue: a rewritten payload arrives rewritten (ping sees the changed data byte echoed)', async (t) => {
  await withPair(t, async (a, b) => {
    await using q = await openQueue(QNUM, { netns: b });
    const run = ping(a, ['-c', '1', '-W', '5', '10.99.0.2']);
    const p = await nextPacket(q);
    const pl = p.payload!.slice();
    // ICMP data: 16 bytes of timeval, then ping's pattern 0x10, 0x11, …; change its first byte.
    const at = 20 + 8 + 16;
    assert.equal(pl[at], 0x10);
    pl[at] = 0xaa;
    pl[22] = 0;
    pl[23] = 0;
    const sum = inetChecksum(pl.subarray(20));
    pl[22] = sum >> 8;
    pl[23] = sum & 0xff;
    q.verdict(p, 'accept', { payload: pl });
    const r = await run;
    assert.match(r.out, /wrong data byte #16 should be 0x10 but was 0xaa/, r.out);
  });
});

test('queue: copy mode and range are the kernel\'s (/proc/net/netfilter/nfnetlink_queue)', async (t) => {
  await withPair(t, async (a, b) => {
    await using q = await openQueue(QNUM, { netns: b, copy: 'packet', range: 200, maxlen: 77 });
    const row = execFileSync('ip', ['netns', 'exec', b, 'cat', '/proc/net/netfilter/nfnetlink_queue'], { encoding: 'utf8' })
      .trim().split('\n').map((l) => l.trim().split(/\s+/).map(Number)).find((f) => f[0] === QNUM);
    assert.ok(row, 'queue 3 is listed');
    // queue_number peer_portid queue_total copy_mode copy_range queue_dropped user_dropped id_sequence 1
    assert.equal(row[1], q.socket.portid);
    assert.equal(row[3], 2); // NFQNL_COPY_PACKET
    assert.equal(row[4], 200);
    // The copy range cuts the payload; cap_len tells the full length.
    const run = ping(a, ['-c', '1', '-s', '400', '-W', '5', '10.99.0.2']);
    const p = await nextPacket(q);
    q.verdict(p, 'accept');
    assert.equal((await run).code, 0);
    assert.equal(p.payload!.length, 200);
    assert.equal(p.capLen, 428);
  });
});

test('queue: the conntrack flag brings ct info; a verdict sets the ctmark conntrack -L shows', async (t) => {
  if (!requireTool(t, 'conntrack')) return;
  // A rule that uses conntrack, so that the namespace tracks its flows.
  await withPair(t, async (a, b) => {
    let q: NfQueue;
    try {
      q = await openQueue(QNUM, { netns: b, flags: ['conntrack'] });
    } catch (e) {
      if ((e as { code?: string }).code === 'EOPNOTSUPP') {
        t.skip('this kernel has no CONFIG_NETFILTER_NETLINK_GLUE_CT (NFQA_CFG_F_CONNTRACK: EOPNOTSUPP)');
        return;
      }
      throw e;
    }
    await using _q = q;
    const run = ping(a, ['-c', '1', '-W', '5', '10.99.0.2']);
    const p = await nextPacket(q);
    assert.equal(p.ctInfo, 'new');
    q.verdict(p, 'accept', { ctmark: 42 });
    const r = await run;
    assert.equal(r.code, 0, r.out);
    const ct = execFileSync('ip', ['netns', 'exec', b, 'conntrack', '-L', '-p', 'icmp'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
    assert.match(ct, /src=10\.99\.0\.1 dst=10\.99\.0\.2 .*mark=42/);
  }, [['-t', 'mangle', '-A', 'PREROUTING', '-m', 'conntrack', '--ctstate', 'NEW,ESTABLISHED']]);
});

test('queue: with fail-open, packets beyond maxlen are accepted while the first waits', async (t) => {
  await withPair(t, async (a, b) => {
    await using q = await openQueue(QNUM, { netns: b, maxlen: 1, flags: ['fail-open'] });
    const run = ping(a, ['-c', '3', '-i', '0.2', '-W', '2', '10.99.0.2']);
    const first = await nextPacket(q);
    const r = await run;
    // The first echo is held (no verdict yet); the next two find the queue full and pass.
    assert.match(r.out, /icmp_seq=2 /, r.out);
    assert.match(r.out, /icmp_seq=3 /, r.out);
    assert.doesNotMatch(r.out, /icmp_seq=1 /, r.out);
    q.verdict(first, 'drop');
  });
});

test('queue: one batch verdict answers every packet up to its id', async (t) => {
  await withPair(t, async (a, b) => {
    await using q = await openQueue(QNUM, { netns: b });
    const run = ping(a, ['-c', '2', '-i', '0.2', '-W', '5', '10.99.0.2']);
    const first = await nextPacket(q);
    const second = await nextPacket(q);
    assert.equal(second.id, first.id + 1);
    q.verdictBatch(second, 'accept');
    const r = await run;
    assert.equal(r.code, 0, r.out);
    assert.match(r.out, /2 received/);
  });
});
