// ctnetlink against the real kernel, in a namespace of the test's own, with the conntrack tool
// (conntrack-tools, in the same namespace) as the oracle: entries made by test traffic and by
// `conntrack -I` are listed as `conntrack -L` lists them, the kernel-side mark filter selects
// what `conntrack -L --mark` does, entries nlkit creates are seen by conntrack, deleted and
// flushed ones vanish, and events arrive.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { test, type TestContext } from 'node:test';
import {
  conntrackEvents, createConntrack, deleteConntrack, dumpConntrack, flushConntrack, formatConntrack, getConntrack,
  type Conntrack, type ConntrackEvent,
} from '../src/netfilter/index.js';
import { requireRoot, requireTool, withNetns } from './helpers/netns.js';

/** Runs `conntrack ARGS…` in `ns`; returns stdout (the summary goes to stderr). */
function conntrack(ns: string, args: string[]): string {
  return execFileSync('ip', ['netns', 'exec', ns, 'conntrack', ...args], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

/** A line without its timeout (third field), which counts down between two listings. */
const untimed = (line: string) => line.trim().split(/\s+/).filter((_, i) => i !== 2).join(' ');
const timeoutOf = (line: string) => Number(line.trim().split(/\s+/)[2]);

async function withTracking(t: TestContext, fn: (ns: string) => Promise<void>): Promise<void> {
  if (!requireRoot(t) || !requireTool(t, 'conntrack') || !requireTool(t, 'iptables') || !requireTool(t, 'ping')) return;
  await withNetns(async (ns) => {
    // A rule that uses conntrack, so that the namespace tracks its flows.
    execFileSync('ip', ['netns', 'exec', ns, 'iptables', '-t', 'mangle', '-A', 'OUTPUT', '-m', 'conntrack', '--ctstate', 'NEW']);
    await fn(ns);
  });
}

async function all(ns: string, filter = {}): Promise<Conntrack[]> {
  const out: Conntrack[] = [];
  for await (const c of dumpConntrack(filter, { netns: ns })) out.push(c);
  return out;
}

test('conntrack: entries from traffic and conntrack -I are listed as conntrack -L lists them; the mark filter is conntrack -L --mark', async (t) => {
  await withTracking(t, async (ns) => {
    execFileSync('ip', ['netns', 'exec', ns, 'ping', '-c', '1', '127.0.0.1'], { stdio: 'ignore' });
    conntrack(ns, ['-I', '-p', 'tcp', '-s', '10.1.1.1', '-d', '10.1.1.2', '--sport', '1000', '--dport', '80', '--state', 'ESTABLISHED', '-t', '100', '-u', 'SEEN_REPLY,ASSURED', '--mark', '7']);
    conntrack(ns, ['-I', '-p', 'udp', '-s', '10.1.1.1', '-d', '10.1.1.2', '--sport', '53', '--dport', '5353', '-t', '50']);
    conntrack(ns, ['-I', '-p', 'udp', '-s', 'fd00::1', '-d', 'fd00::2', '--sport', '53', '--dport', '5353', '-t', '50', '--mark', '7']);

    const theirs = conntrack(ns, ['-L']).trim().split('\n').sort();
    const ours = (await all(ns)).map(formatConntrack).sort();
    assert.equal(ours.length, 4);
    assert.deepEqual(ours.map(untimed), theirs.map(untimed));
    for (const line of ours) {
      const other = theirs.find((l) => untimed(l) === untimed(line))!;
      assert.ok(timeoutOf(line) <= timeoutOf(other), `${line} / ${other}`);
    }
    assert.match(ours.join('\n'), /^icmp +1 \d+ src=127\.0\.0\.1 dst=127\.0\.0\.1 type=8 code=0 id=\d+ /m);

    const marked = (await all(ns, { mark: 7 })).map(formatConntrack).map(untimed).sort();
    assert.deepEqual(marked, conntrack(ns, ['-L', '--mark', '7']).trim().split('\n').map(untimed).sort());
    assert.equal(marked.length, 2);
    const v6 = (await all(ns, { family: 'ipv6' })).map(formatConntrack).map(untimed);
    assert.deepEqual(v6, conntrack(ns, ['-L', '-f', 'ipv6']).trim().split('\n').map(untimed));
  });
});

test('conntrack: an entry nlkit creates is seen by conntrack -G; get, delete and flush agree with conntrack -L', async (t) => {
  await withTracking(t, async (ns) => {
    const orig = { src: '10.2.2.1', dst: '10.2.2.2', protocol: 17, sport: 4000, dport: 4001 };
    await createConntrack({ orig, timeout: 120, mark: 9 }, { netns: ns });
    const g = conntrack(ns, ['-G', '-p', 'udp', '-s', '10.2.2.1', '-d', '10.2.2.2', '--sport', '4000', '--dport', '4001']);
    assert.match(g, /src=10\.2\.2\.1 dst=10\.2\.2\.2 sport=4000 dport=4001 \[UNREPLIED\] src=10\.2\.2\.2 dst=10\.2\.2\.1 sport=4001 dport=4000 mark=9/);
    const c = await getConntrack(orig, { netns: ns });
    assert.equal(untimed(formatConntrack(c)), untimed(g.trim()));
    await assert.rejects(createConntrack({ orig, timeout: 120 }, { netns: ns }), { code: 'EEXIST' });

    await deleteConntrack(orig, { netns: ns });
    assert.doesNotMatch(conntrack(ns, ['-L']), /10\.2\.2\.1/);
    await assert.rejects(getConntrack(orig, { netns: ns }), { code: 'ENOENT' });

    conntrack(ns, ['-I', '-p', 'udp', '-s', '10.3.3.1', '-d', '10.3.3.2', '--sport', '1', '--dport', '2', '-t', '50']);
    assert.notEqual(conntrack(ns, ['-L']).trim(), '');
    await flushConntrack(undefined, { netns: ns });
    assert.equal(conntrack(ns, ['-L']).trim(), '');
    assert.equal((await all(ns)).length, 0);
  });
});

test('conntrack: events report what conntrack -I and -D do', async (t) => {
  await withTracking(t, async (ns) => {
    await using sub = conntrackEvents(['new', 'destroy'], { netns: ns });
    conntrack(ns, ['-I', '-p', 'udp', '-s', '10.4.4.1', '-d', '10.4.4.2', '--sport', '7', '--dport', '8', '-t', '50']);
    conntrack(ns, ['-D', '-p', 'udp', '-s', '10.4.4.1', '-d', '10.4.4.2', '--sport', '7', '--dport', '8']);
    const seen: ConntrackEvent[] = [];
    for await (const e of sub) {
      if ('overrun' in e) assert.fail('overrun');
      seen.push(e as ConntrackEvent);
      if (seen.length === 2) break;
    }
    assert.deepEqual(seen.map((e) => e.event), ['new', 'destroy']);
    for (const e of seen) assert.deepEqual(e.conntrack.orig, { src: '10.4.4.1', dst: '10.4.4.2', protocol: 17, sport: 7, dport: 8 });
  });
});
