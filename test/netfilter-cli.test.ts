// nlkit conntrack and nlkit queue against their oracles in namespaces of the test's own:
// `nlkit conntrack -L` prints what `conntrack -L` prints (line format, summary on stderr, exit
// status), -D/-F empty what conntrack then lists; `nlkit queue NUM` answers the packets an
// iptables NFQUEUE rule sends it, as ping sees.
import assert from 'node:assert/strict';
import { execFile, execFileSync } from 'node:child_process';

import { test } from 'node:test';
import { nlkit, nlkitAsync } from './helpers/cli.js';
import { ip, requireRoot, requireTool, withNetns } from './helpers/netns.js';

function conntrack(ns: string, args: string[]): string {
  return execFileSync('ip', ['netns', 'exec', ns, 'conntrack', ...args], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}
const untimed = (line: string) => line.trim().split(/\s+/).filter((_, i) => i !== 2).join(' ');

test('nlkit conntrack -L/-G/-D/-F agree with conntrack', async (t) => {
  if (!requireRoot(t) || !requireTool(t, 'conntrack') || !requireTool(t, 'iptables') || !requireTool(t, 'ping')) return;
  await withNetns(async (ns) => {
    execFileSync('ip', ['netns', 'exec', ns, 'iptables', '-t', 'mangle', '-A', 'OUTPUT', '-m', 'conntrack', '--ctstate', 'NEW']);
    execFileSync('ip', ['netns', 'exec', ns, 'ping', '-c', '1', '127.0.0.1'], { stdio: 'ignore' });
    conntrack(ns, ['-I', '-p', 'tcp', '-s', '10.1.1.1', '-d', '10.1.1.2', '--sport', '1000', '--dport', '80', '--state', 'ESTABLISHED', '-t', '100', '-u', 'SEEN_REPLY,ASSURED', '--mark', '7']);

    const ours = nlkit(['conntrack', '-L', '--netns', ns]);
    assert.equal(ours.status, 0, ours.stderr);
    assert.deepEqual(ours.stdout.trim().split('\n').map(untimed).sort(), conntrack(ns, ['-L']).trim().split('\n').map(untimed).sort());
    assert.match(ours.stderr, /: 2 flow entries have been shown\.\n$/);

    const marked = nlkit(['conntrack', '-L', '-m', '7', '-j', '--netns', ns]);
    const objs = marked.stdout.trim().split('\n').map((l) => JSON.parse(l));
    assert.equal(objs.length, 1);
    assert.equal(objs[0].orig.dport, 80);
    assert.equal(objs[0].tcpState, 'ESTABLISHED');

    const g = nlkit(['conntrack', '-G', '-p', 'udp', '-s', '10.9.9.9', '-d', '10.9.9.8', '--sport', '1', '--dport', '2', '--netns', ns]);
    assert.equal(g.status, 1);
    assert.match(g.stderr, /such conntrack doesn't exist/);

    const d = nlkit(['conntrack', '-D', '-p', 'tcp', '--netns', ns]);
    assert.equal(d.status, 0, d.stderr);
    assert.match(d.stderr, /1 flow entries have been deleted/);
    assert.doesNotMatch(conntrack(ns, ['-L']), /tcp/);
    assert.equal(nlkit(['conntrack', '-F', '--netns', ns]).status, 0);
    assert.equal(conntrack(ns, ['-L']).trim(), '');
  });
});

/** Resolves once queue `num` is bound in `ns` (/proc/net/netfilter/nfnetlink_queue lists it). */
async function bound(ns: string, num: number): Promise<void> {
  const deadline = Date.now() + 20_000;
  for (;;) {
    const txt = execFileSync('ip', ['netns', 'exec', ns, 'cat', '/proc/net/netfilter/nfnetlink_queue'], { encoding: 'utf8' });
    if (txt.split('\n').some((l) => l.trim().split(/\s+/)[0] === String(num))) return;
    if (Date.now() > deadline) throw new Error(`queue ${num} never bound`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

function ping(ns: string, args: string[]): Promise<{ code: number; out: string }> {
  return new Promise((resolve) => {
    execFile('ip', ['netns', 'exec', ns, 'ping', ...args], { encoding: 'utf8' }, (err, stdout) => {
      resolve({ code: err ? Number((err as { code?: unknown }).code ?? 1) : 0, out: stdout });
    });
  });
}

for (const verdict of ['accept', 'drop'] as const) {
  test(`nlkit queue 3 --verdict ${verdict}: ping ${verdict === 'accept' ? 'passes' : 'fails'}; the packet is printed`, async (t) => {
    if (!requireRoot(t) || !requireTool(t, 'iptables') || !requireTool(t, 'ping')) return;
    await withNetns(async (a) => {
      await withNetns(async (b) => {
        ip(a, ['link', 'add', 'va', 'type', 'veth', 'peer', 'name', 'vb', 'netns', b]);
        ip(a, 'addr add 10.99.0.1/24 dev va');
        ip(b, 'addr add 10.99.0.2/24 dev vb');
        ip(a, 'link set va up');
        ip(b, 'link set vb up');
        execFileSync('ip', ['netns', 'exec', b, 'iptables', '-A', 'INPUT', '-p', 'icmp', '-j', 'NFQUEUE', '--queue-num', '3']);
        const q = nlkitAsync(['queue', '3', '--verdict', verdict, '-c', '1', '--netns', b]);
        await bound(b, 3);
        const r = await ping(a, ['-c', '1', '-W', verdict === 'accept' ? '5' : '1', '10.99.0.2']);
        const out = await q;
        assert.equal(out.status, 0, out.stderr);
        assert.match(out.stdout, new RegExp(`^id=1 hook=local-in hw=0x0800 indev=\\d+ hwaddr=[0-9a-f:]{17} len=84 icmp src=10\\.99\\.0\\.1 dst=10\\.99\\.0\\.2 verdict=${verdict}\\n$`));
        assert.equal(r.code, verdict === 'accept' ? 0 : 1, r.out);
      });
    });
  });
}

test('nlkit nflog 5 prints the packets an NFLOG rule logs, with its prefix', async (t) => {
  if (!requireRoot(t) || !requireTool(t, 'iptables') || !requireTool(t, 'ping')) return;
  await withNetns(async (ns) => {
    execFileSync('ip', ['netns', 'exec', ns, 'iptables', '-A', 'INPUT', '-p', 'icmp', '-j', 'NFLOG', '--nflog-group', '5', '--nflog-prefix', 'seen by nlkit']);
    const log = nlkitAsync(['nflog', '5', '-c', '1', '--netns', ns]);
    // Ping until the group is bound and the first packet is printed (a ping sent before the
    // bind is not logged to anyone); every ping is answered either way.
    for (let i = 0; ; i++) {
      const done = await Promise.race([log.then(() => true), ping(ns, ['-c', '1', '-W', '2', '127.0.0.1']).then(() => false)]);
      if (done) break;
      assert.ok(i < 200, 'nflog never printed');
    }
    const out = await log;
    assert.equal(out.status, 0, out.stderr);
    assert.match(out.stdout, /^prefix="seen by nlkit" hook=local-in hw=0x0800 indev=1 icmp src=127\.0\.0\.1 dst=127\.0\.0\.1 len=84\n$/);
  });
});
