// `nlkit ip link|address … show` against `ip` 6.x on the same namespace: the parsed JSON must be
// equal key for key, value type for value type and in the same order (compared as ordered JSON
// text), and the text output equal byte for byte.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ip, requireRoot, withNetns } from './helpers/netns.js';
import { batched, buildShowcase, compareJson, LINK_VOLATILE, ordered, pairs, STATS_VOLATILE } from './helpers/cli-ip.js';

const JSON_CASES: [string, readonly string[]][] = [
  ['link show', []],
  ['link show dev v0', []],
  ['link show v1', []],
  ['-d link show', LINK_VOLATILE],
  ['-s link show', STATS_VOLATILE],
  ['-s -s link show dev v0', STATS_VOLATILE],
  ['-br link show', []],
  ['link show up', []],
  ['link show master br0', []],
  ['link show type veth', []],
  ['link show type bridge_slave', []],
  ['-0 address', []],
  ['address show', []],
  ['-4 address', []],
  ['-6 address show dev v0', []],
  ['-d address show', LINK_VOLATILE],
  ['-s address show dev lo', STATS_VOLATILE],
  ['-br address', []],
  ['-br -4 address', []],
  ['-o address', []],
  ['address show scope link', []],
  ['address show label v0*', []],
  ['address show to 10.0.0.0/8', []],
  ['address show secondary', []],
  ['address show dynamic', []],
];

const TEXT_CASES = [
  'link show', '-br link', '-o link', '-d link show dev v0', '-d link show dev vx0', '-d link show dev mv0',
  'address show', '-4 address', '-br address', '-o address', 'address show label v0*', '-s -s link show dev lo',
];

test('links and addresses: nlkit ip -j equals ip -j (names, types, order), -j -p and text byte for byte', async (t) => {
  if (!requireRoot(t)) return;
  await withNetns(async (ns) => {
    await buildShowcase(ns);
    await compareJson(ns, JSON_CASES, (a, b, c) => {
      assert.ok(Array.isArray(a) && a.length > 0, `ip -j ${c} printed something`);
      assert.equal(ordered(b), ordered(a), `nlkit ip -j ${c}`);
    });
    for (const [a, b, c] of await batched(ns, [['-j', '-p', 'address', 'show'], ['-j', '-p', '-br', 'address']], false)) {
      assert.equal(b, a, `nlkit ip ${c}`);
    }
    for (const [a, b, c] of await batched(ns, TEXT_CASES.map((c) => c.split(' ')), false)) {
      // bridge timers tick; the rest is compared as is
      const strip = (s: string) => s.replace(/(_timer)\s+[\d.]+/g, '$1 T');
      assert.equal(strip(b), strip(a), `nlkit ip ${c}`);
    }
  });
});

test('a veth whose peer lives in another namespace: link_index/link_netnsid in JSON, link-netns NAME in text', async (t) => {
  if (!requireRoot(t)) return;
  await withNetns(async (ns) => {
    await withNetns(async (peer) => {
      ip(ns, ['link', 'add', 'p0', 'type', 'veth', 'peer', 'name', 'p1', 'netns', peer]);
      ip(ns, 'link set p0 up');
      await compareJson(ns, [['link show dev p0', []], ['-d link show', LINK_VOLATILE], ['address show dev p0', []]], (a, b, c) => {
        assert.equal(ordered(b), ordered(a), `nlkit ip -j ${c}`);
      });
      assert.match(JSON.stringify(JSON.parse(ip(ns, '-j link show dev p0'))), /"link_index":\d+,"ifname":"p0".*"link_netnsid":0/);
      for (const [a, b, c] of await pairs(ns, [['link', 'show', 'dev', 'p0'], ['address', 'show', 'dev', 'p0']])) {
        assert.equal(b, a, `nlkit ip ${c}`);
        assert.match(a, new RegExp(`link-netns ${peer}`));
      }
    });
  });
});
