// nfnetlink_log against the real kernel: an iptables NFLOG rule with a prefix in one namespace
// of a veth pair, ping from the other. Oracles: the rule's own prefix and group, ip -j for the
// interface index and address, ping's packets (addresses, protocol, count).
import assert from 'node:assert/strict';
import { execFile, execFileSync } from 'node:child_process';
import { test } from 'node:test';
import { logGroup, type LoggedPacket } from '../src/netfilter/index.js';
import { ip, ipJson, requireRoot, requireTool, withNetns } from './helpers/netns.js';

function ping(ns: string, args: string[]): Promise<number> {
  return new Promise((resolve) => execFile('ip', ['netns', 'exec', ns, 'ping', ...args], (err) => resolve(err ? 1 : 0)));
}

for (const copy of ['packet', 'meta'] as const) {
  test(`log: NFLOG packets carry the rule's prefix and the packet's metadata (copy ${copy})`, async (t) => {
    if (!requireRoot(t) || !requireTool(t, 'iptables') || !requireTool(t, 'ping')) return;
    await withNetns(async (a) => {
      await withNetns(async (b) => {
        ip(a, ['link', 'add', 'va', 'type', 'veth', 'peer', 'name', 'vb', 'netns', b]);
        ip(a, 'addr add 10.99.0.1/24 dev va');
        ip(b, 'addr add 10.99.0.2/24 dev vb');
        ip(a, 'link set va up');
        ip(b, 'link set vb up');
        execFileSync('ip', ['netns', 'exec', b, 'iptables', '-A', 'INPUT', '-p', 'icmp', '-j', 'NFLOG', '--nflog-group', '5', '--nflog-prefix', 'nlkit-test']);
        const sub = await logGroup(5, { netns: b, copy, flags: ['seq'] });
        try {
          assert.equal(await ping(a, ['-c', '2', '-i', '0.2', '-W', '5', '10.99.0.2']), 0, 'logging does not hold packets back');
          const got: LoggedPacket[] = [];
          for await (const p of sub) {
            if ('overrun' in p) assert.fail('overrun');
            got.push(p as LoggedPacket);
            if (got.length === 2) break;
          }
          const vb = ipJson(b, 'link show dev vb')[0];
          const va = ipJson(a, 'link show dev va')[0];
          for (const p of got) {
            assert.equal(p.group, 5);
            assert.equal(p.prefix, 'nlkit-test');
            assert.equal(p.hook, 'local-in');
            assert.equal(p.hwProtocol, 0x0800);
            assert.equal(p.family, 2);
            assert.equal(p.indev, vb.ifindex);
            assert.equal(p.hwaddr, va.address);
            if (copy === 'packet') {
              assert.equal(p.payload!.length, 84);
              assert.deepEqual([...p.payload!.subarray(12, 20)], [10, 99, 0, 1, 10, 99, 0, 2]);
              assert.equal(p.payload![9], 1);
            } else {
              assert.equal(p.payload, undefined);
            }
          }
          assert.equal(got[1]!.seq, got[0]!.seq! + 1);
        } finally {
          sub.close();
        }
      });
    });
  });
}
