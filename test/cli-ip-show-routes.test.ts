// `nlkit ip route|neigh|rule|nexthop … show` against `ip` 6.x on the same namespace: ordered
// JSON equality (names, value types, order), -j -p and text byte for byte.
import { spawnSync } from 'node:child_process';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { requireRoot, withNetns } from './helpers/netns.js';
import { batched, buildShowcase, compareJson, NEIGH_VOLATILE, ordered } from './helpers/cli-ip.js';
import { nlkit } from './helpers/cli.js';

const JSON_CASES: [string, readonly string[]][] = [
  ['route show', []],
  ['route show table all', []],
  ['-d route show table all', []],
  ['-6 route show', []],
  ['-d -6 route show', []],
  ['route show table 100', []],
  ['route show table local', []],
  ['route show default', []],
  ['route show root 10.0.0.0/8', []],
  ['route show match 10.1.2.3', []],
  ['route show exact 10.6.0.0/16', []],
  ['route show dev v0', []],
  ['route show type blackhole', []],
  ['route show proto kernel', []],
  ['route get 10.1.2.3', []],
  ['-6 route get 2001:db8:1::5', []],
  ['neigh show', []],
  ['neigh show dev v0', []],
  ['neigh show proxy', []],
  ['neigh show nud all', []],
  ['-s neigh show', NEIGH_VOLATILE],
  ['rule show', []],
  ['-6 rule show', []],
  ['-d rule show', []],
  ['rule show table 100', []],
  ['rule show pref 1000', []],
  ['nexthop show', []],
  ['-d nexthop show', []],
  ['nexthop show id 3', []],
  ['nexthop show groups', []],
  ['nexthop show dev v0', []],
];

const TEXT_CASES = [
  'route show', 'route show table all', '-6 route show', '-d route show', '-d route show table all', 'route get 10.1.2.3',
  'neigh show', 'neigh show proxy', 'rule show', '-6 rule show', 'nexthop show', '-d nexthop show',
];

test('routes, neighbours, rules, nexthops: nlkit ip -j equals ip -j (names, types, order), -j -p and text byte for byte', async (t) => {
  if (!requireRoot(t)) return;
  await withNetns(async (ns) => {
    await buildShowcase(ns);
    await compareJson(ns, JSON_CASES, (a, b, c) => {
      assert.ok(Array.isArray(a) && a.length > 0, `ip -j ${c} printed something`);
      assert.equal(ordered(b), ordered(a), `nlkit ip -j ${c}`);
    });
    const pretty = ['route show', '-d route show table all', 'neigh show', 'rule show', 'nexthop show'];
    for (const [a, b, c] of await batched(ns, pretty.map((c) => ['-j', '-p', ...c.split(' ')]), false)) assert.equal(b, a, `nlkit ip ${c}`);
    for (const [a, b, c] of await batched(ns, TEXT_CASES.map((c) => c.split(' ')), false)) assert.equal(b, a, `nlkit ip ${c}`);
  });
});

test('in a namespace without routes: the main table shows empty, other tables end the dump as ip does', async (t) => {
  if (!requireRoot(t)) return;
  await withNetns(async (ns) => {
    // lo stays down: neither the main nor the local table exists yet.
    for (const args of ['route show', '-j route show', '-6 route show', 'route show table main', 'route show table 100', '-6 route show table 100', 'route show table local']) {
      const argv = ['-n', ns, ...args.split(' ')];
      const want = spawnSync('ip', argv, { encoding: 'utf8' });
      const got = nlkit(['ip', ...argv]);
      assert.equal(got.status, want.status, `${args}: exit status (${got.stderr})`);
      assert.equal(got.stderr, want.stderr, `${args}: stderr`);
      if (want.status === 0) assert.equal(got.stdout, want.stdout, `${args}: stdout`);
    }
  }, { loUp: false });
});
