// `nlkit ip netns add/list/delete` on names the test makes: the namespace is usable by ip,
// listed like `ip netns list` (with its id once it has one), and gone after delete.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { execFileSync, spawnSync } from 'node:child_process';
import { netnsName, requireRoot } from './helpers/netns.js';
import { nlkit } from './helpers/cli.js';

test('nlkit ip netns add, list (text and -j, with ids), delete', (t) => {
  if (!requireRoot(t)) return;
  const a = netnsName();
  const b = netnsName();
  try {
    assert.equal(nlkit(['ip', 'netns', 'add', a]).status, 0);
    assert.equal(nlkit(['ip', 'netns', 'add', b]).status, 0);
    assert.ok(existsSync(`/run/netns/${a}`));
    // ip works inside it: a fresh namespace with only lo.
    const links = JSON.parse(execFileSync('ip', ['-n', a, '-j', 'link', 'show'], { encoding: 'utf8' })) as { ifname: string }[];
    assert.deepEqual(links.map((l) => l.ifname), ['lo']);
    // An id of this test's own in the caller's namespace (a fixed one could be taken by another test).
    const id = 1000 + Math.floor(Math.random() * 1_000_000);
    execFileSync('ip', ['netns', 'set', b, String(id)]);
    // Other tests add and remove namespaces meanwhile: compare this test's entries only.
    const mine = (list: { name: string }[]) => list.filter((e) => e.name === a || e.name === b).sort((x, y) => x.name.localeCompare(y.name));
    const ipJ = JSON.parse(execFileSync('ip', ['-j', 'netns', 'list'], { encoding: 'utf8' })) as { name: string }[];
    const nl = nlkit(['ip', '-j', 'netns', 'list']);
    assert.equal(nl.status, 0, nl.stderr);
    assert.deepEqual(mine(JSON.parse(nl.stdout)), mine(ipJ));
    assert.deepEqual(mine(JSON.parse(nl.stdout)).find((e) => e.name === b), { name: b, id });
    const text = nlkit(['ip', 'netns']).stdout.split('\n');
    assert.ok(text.includes(`${b} (id: ${id})`) && text.includes(a), 'text listing as ip netns list prints it');

    const dup = nlkit(['ip', 'netns', 'add', a]);
    assert.equal(dup.status, 1);
    assert.equal(dup.stderr, `Cannot create namespace file "/run/netns/${a}": File exists\n`);
    assert.equal(nlkit(['ip', 'netns', 'delete', a]).status, 0);
    assert.equal(nlkit(['ip', 'netns', 'del', b]).status, 0);
    assert.ok(!existsSync(`/run/netns/${a}`) && !existsSync(`/run/netns/${b}`));
    const gone = nlkit(['ip', 'netns', 'del', a]);
    assert.equal(gone.status, 1);
    assert.equal(gone.stderr, `Cannot remove namespace file "/run/netns/${a}": No such file or directory\n`);
    const bad = nlkit(['ip', 'netns', 'add', 'x/y']);
    assert.equal(bad.status, 255, 'an invalid name is exit(-1) in ip');
    assert.equal(nlkit(['ip', '-all', 'netns', 'del']).status, 1, 'nlkit never deletes every namespace');
  } finally {
    for (const n of [a, b]) if (existsSync(`/run/netns/${n}`)) spawnSync('ip', ['netns', 'del', n], { stdio: 'ignore' });
  }
});
