// The typed ethtool family on a veth in a throwaway namespace, checked against the ethtool tool:
// link info and state, channels-set, refusals, and a notification on the monitor group when
// ethtool changes a feature. `nlkit ethtool` itself is tested in ethtool-cli.test.ts.
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { test } from 'node:test';
import { FamilyClient, bitsetBitsSet, ethtool } from '../src/genl/index.js';
import { NetlinkError } from '../src/socket/index.js';
import { ip, requireRoot, requireTool, withNetns } from './helpers/netns.js';


function oracle(ns: string, ...args: string[]): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync('ip', ['netns', 'exec', ns, 'ethtool', ...args], { encoding: 'utf8' });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

function veth(ns: string): void {
  ip(ns, 'link add va type veth peer name vb');
  ip(ns, 'link set va up');
  ip(ns, 'link set vb up');
}

test('typed client: link info and state by index and name, channels-set, and the monitor group', async (t) => {
  if (!requireRoot(t) || !requireTool(t, 'ethtool')) return;
  await withNetns(async (ns) => {
    veth(ns);
    const index = Number(execFileSync('ip', ['-n', ns, '-j', 'link', 'show', 'va'], { encoding: 'utf8' }).match(/"ifindex":(\d+)/)![1]);
    await using c = await FamilyClient.open(ethtool, { netns: ns });
    const byName = await c.do('linkstate-get', { header: { devName: 'va' } });
    const byIndex = await c.do('linkstate-get', { header: { devIndex: index } });
    assert.equal(byName?.link, 1);
    assert.deepEqual(byIndex, byName);
    assert.equal(byName?.header?.devIndex, index);
    // A dump covers every device of the namespace.
    const all = await c.dump('linkinfo-get').toArray();
    assert.deepEqual(all.map((x) => x.header?.devName).sort(), ['va', 'vb']);
    // An unknown device: the kernel's ENODEV, naming the operation.
    await assert.rejects(c.do('linkinfo-get', { header: { devName: 'nosuchdev' } }), (e: NetlinkError) => {
      assert.equal(e.code, 'ENODEV');
      assert.match(e.message, /^ethtool\.linkinfo-get: /);
      assert.equal(e.op, 'ethtool.linkinfo-get');
      assert.ok(e.cause instanceof NetlinkError && e.cause.code === 'ENODEV', 'the socket\'s error is chained as cause');
      return true;
    });
    // Notifications: change a feature with ethtool, see features-ntf; change channels with nlkit, see channels-ntf.
    const ac = new AbortController();
    const events = c.events(['monitor'], { signal: ac.signal });
    execFileSync('ip', ['netns', 'exec', ns, 'ethtool', '-K', 'va', 'tso', 'off']);
    await c.do('channels-set', { header: { devName: 'va' }, rxCount: 2 });
    const seen: { op: string; value: Record<string, any> }[] = [];
    for await (const e of events) {
      if ('overrun' in e) continue;
      seen.push(e);
      if (seen.some((x) => x.op === 'channels-ntf') && seen.some((x) => x.op === 'features-ntf')) break;
    }
    ac.abort();
    const f = seen.find((x) => x.op === 'features-ntf')!;
    assert.equal(f.value.header.devName, 'va');
    assert.ok(!bitsetBitsSet(f.value.active).includes('tx-tcp-segmentation'));
    const ch = seen.find((x) => x.op === 'channels-ntf')!;
    assert.equal(ch.value.rxCount, 2);
    assert.match(oracle(ns, '-l', 'va').stdout, /Current hardware settings:\nRX:\t\t2\n/);
  });
});

test('a refused set names the operation and carries the kernel\'s extended ACK', async (t) => {
  if (!requireRoot(t)) return;
  await withNetns(async (ns) => {
    veth(ns);
    await using c = await FamilyClient.open(ethtool, { netns: ns });
    await assert.rejects(c.do('channels-set', { header: { devName: 'va' }, rxCount: 1000 }), (e: NetlinkError) => {
      assert.equal(e.code, 'EINVAL');
      assert.match(e.message, /^ethtool\.channels-set: /);
      assert.ok(e.kernelMessage, 'the kernel explains');
      return true;
    });
  });
});
