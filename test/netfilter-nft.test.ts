// nftables against `nft` in a namespace of the test's own: set elements nlkit adds (plain,
// interval, concatenated, concatenated intervals, with timeouts) are the ones `nft -j list set`
// lists, and the other way round; listings of tables, chains and sets match nft's text and
// JSON; a transaction with one missing element deletes nothing; the ruleset events carry an
// element nft adds.
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { test } from 'node:test';
import {
  addChain, addElements, addSet, addTable, deleteChain, deleteElements, deleteSet, deleteTable, elementJson, getGeneration, listChains, listElements,
  listSets, listTables, NFNLGRP, nftEvents, type NftSetRef,
} from '../src/netfilter/index.js';
import { chainJson } from '../src/netfilter/nftables-format.js';
import { NETLINK_NETFILTER } from '../src/wire/index.js';
import { joined, nlkit, start, startNlkit, until } from './helpers/cli.js';
import { requireRoot, requireTool, withNetns } from './helpers/netns.js';

const nft = (ns: string, args: string[], input?: string) =>
  execFileSync('ip', ['netns', 'exec', ns, 'nft', ...args], { encoding: 'utf8', stdio: ['pipe', 'pipe', 'pipe'], ...(input !== undefined ? { input } : {}) });
/** `nft -j ARGS`'s objects without the metainfo. */
const nftJson = (ns: string, args: string[]) => JSON.parse(nft(ns, ['-j', ...args])).nftables.slice(1);
/** Elements without their "expires" (it counts down between two reads). */
const steady = (x: unknown): any => JSON.parse(JSON.stringify(x, (k, v) => (k === 'expires' ? undefined : v)));
const unwrapped = (e: any) => (e?.elem && e.elem.expires === undefined && e.elem.timeout === undefined ? e.elem.val : e);

const RULESET = `
table inet t {
  set plain { type ipv4_addr; }
  set ports { type inet_service; }
  set nets { type ipv4_addr; flags interval; }
  set nets6 { type ipv6_addr; flags interval; }
  set pairs { type ipv4_addr . inet_service; flags timeout; }
  set ranges { type ipv4_addr . inet_service; flags interval; }
  set marks { type mark; }
  chain input { type filter hook input priority 0; policy accept; }
  chain output { type filter hook output priority 10; policy drop; }
  chain pre { type nat hook prerouting priority -100; }
  chain plain { }
}
table ip t4 {
  set timed { type ipv4_addr; timeout 1h; size 100; }
}
`;

test('nft: elements added by nlkit are listed by nft -j, and elements added by nft are read by nlkit', async (t) => {
  if (!requireRoot(t) || !requireTool(t, 'nft')) return;
  await withNetns(async (ns) => {
    nft(ns, ['-f', '-'], RULESET);
    const opts = { netns: ns };
    const set = (name: string): NftSetRef => ({ family: 'inet', table: 't', name });
    const ours: Record<string, string[]> = {
      plain: ['{ 10.1.1.1, 10.1.1.2, 192.0.2.7 }'],
      ports: ['22, 80', '443'],
      nets: ['{ 10.0.0.0/8, 192.168.1.1-192.168.1.9, 172.16.0.1, 255.255.255.0/24 }'],
      nets6: ['2001:db8::/32', '::1', '::5-::9'],
      pairs: ['{ 1.2.3.4 . 80 timeout 30s, 5.6.7.8 . 443 }'],
      ranges: ['10.0.0.0/8 . 80-90', '1.2.3.4 . 22'],
      marks: ['1, 0x10, 255'],
    };
    for (const [name, els] of Object.entries(ours)) await addElements(set(name), els, opts);
    const expected: Record<string, unknown[]> = {
      plain: ['10.1.1.1', '10.1.1.2', '192.0.2.7'],
      ports: [22, 80, 443],
      nets: [{ prefix: { addr: '10.0.0.0', len: 8 } }, '172.16.0.1', { range: ['192.168.1.1', '192.168.1.9'] }, { prefix: { addr: '255.255.255.0', len: 24 } }],
      nets6: ['::1', { range: ['::5', '::9'] }, { prefix: { addr: '2001:db8::', len: 32 } }],
      pairs: [{ elem: { val: { concat: ['1.2.3.4', 80] }, timeout: 30 } }, { concat: ['5.6.7.8', 443] }],
      ranges: [{ concat: [{ prefix: { addr: '10.0.0.0', len: 8 } }, { range: [80, 90] }] }, { concat: ['1.2.3.4', 22] }],
      marks: [1, 16, 255],
    };
    const nftSets = () => new Map<string, any>(nftJson(ns, ['list', 'sets', 'inet']).map((x: any) => [x.set.name, x.set]));
    const listed1 = nftSets();
    for (const name of Object.keys(ours)) assert.deepEqual(steady(listed1.get(name).elem), expected[name], `nft lists what nlkit added to ${name}`);

    // The other way round: nft adds, nlkit reads (every set, as nft -j prints each element).
    nft(ns, ['-f', '-'], `add element inet t plain { 10.9.9.9 }
add element inet t nets { 100.64.0.0/10, 198.51.100.1-198.51.100.20 }
add element inet t pairs { 9.9.9.9 . 53 timeout 1m }
add element inet t ranges { 192.0.2.0/24 . 1000-2000 }
add element inet t ports { 8080 }
`);
    const listed2 = nftSets();
    for (const s of await listSets({ family: 'inet', table: 't' }, opts).toArray()) {
      const listed = listed2.get(s.name);
      const mine = (await listElements(s, opts)).map((e) => elementJson(s, e));
      assert.deepEqual(steady(mine).map(unwrapped), steady(listed.elem ?? []).map(unwrapped), `nlkit reads ${s.name} as nft lists it`);
    }

    // One transaction: a missing element among present ones deletes nothing.
    await assert.rejects(deleteElements(set('plain'), ['10.1.1.1, 10.7.7.7'], opts), { code: 'ENOENT' });
    assert.ok(nftJson(ns, ['list', 'set', 'inet', 't', 'plain'])[0].set.elem.includes('10.1.1.1'));
    await deleteElements(set('plain'), ['10.1.1.1', '10.1.1.2'], opts);
    await deleteElements(set('nets'), ['10.0.0.0/8', '192.168.1.1-192.168.1.9'], opts);
    await deleteElements(set('ranges'), ['10.0.0.0/8 . 80-90'], opts);
    const listed3 = nftSets();
    assert.deepEqual(listed3.get('plain').elem, ['10.9.9.9', '192.0.2.7']);
    assert.deepEqual(listed3.get('nets').elem,
      [{ prefix: { addr: '100.64.0.0', len: 10 } }, '172.16.0.1', { range: ['198.51.100.1', '198.51.100.20'] }, { prefix: { addr: '255.255.255.0', len: 24 } }]);
    assert.deepEqual(listed3.get('ranges').elem,
      [{ concat: ['1.2.3.4', 22] }, { concat: [{ prefix: { addr: '192.0.2.0', len: 24 } }, { range: [1000, 2000] }] }]);

    // Tables and sets made and removed by nlkit, as nft sees them; the generation moves on.
    const gen = await getGeneration(opts);
    await addTable({ family: 'ip6', name: 'n6' }, opts);
    await addSet({ family: 'ip6', table: 'n6', name: 'both', type: ['ipv6_addr', 'inet_service'], flags: ['interval'] }, opts);
    await addSet({ family: 'ip6', table: 'n6', name: 'slow', type: 'ipv6_addr', timeout: 90_000, size: 10 }, opts);
    await addElements({ family: 'ip6', table: 'n6', name: 'both' }, ['2001:db8::/64 . 80-81', '::1 . 53'], opts);
    assert.deepEqual(nftJson(ns, ['list', 'table', 'ip6', 'n6']).filter((x: any) => x.set).map((x: any) => x.set), [
      { family: 'ip6', name: 'both', table: 'n6', type: ['ipv6_addr', 'inet_service'], handle: 1, flags: ['interval'],
        elem: [{ concat: [{ prefix: { addr: '2001:db8::', len: 64 } }, { range: [80, 81] }] }, { concat: ['::1', 53] }] },
      { family: 'ip6', name: 'slow', table: 'n6', type: 'ipv6_addr', handle: 2, size: 10, flags: ['timeout'], timeout: 90 },
    ]);
    assert.ok((await getGeneration(opts)) > gen);
    await assert.rejects(addTable({ family: 'ip6', name: 'n6' }, { ...opts, create: true }), { code: 'EEXIST' });
    await addChain({ family: 'ip6', table: 'n6', name: 'fwd', type: 'filter', hook: 'forward', priority: -5, policy: 'drop' }, opts);
    await addChain({ family: 'ip6', table: 'n6', name: 'jumped' }, opts);
    assert.deepEqual(nftJson(ns, ['list', 'chains', 'ip6']).map((x: any) => x.chain), [
      { family: 'ip6', table: 'n6', name: 'fwd', handle: 3, type: 'filter', hook: 'forward', prio: -5, policy: 'drop' },
      { family: 'ip6', table: 'n6', name: 'jumped', handle: 4 },
    ]);
    await deleteChain({ family: 'ip6', table: 'n6', name: 'jumped' }, opts);
    await deleteSet({ family: 'ip6', table: 'n6', name: 'slow' }, opts);
    assert.deepEqual(nftJson(ns, ['list', 'sets', 'ip6']).map((x: any) => x.set.name), ['both']);
    await deleteTable({ family: 'ip6', name: 'n6' }, opts);
    assert.deepEqual((await listTables({}, opts).toArray()).map((x) => `${x.family} ${x.name}`).sort(), ['inet t', 'ip t4']);
    assert.deepEqual((await listChains({ family: 'inet', table: 't' }, opts).toArray()).map((c) => c.name).sort(), ['input', 'output', 'plain', 'pre']);

    // The CLI: its listings are nft's, text and JSON; its element grammar is nft's.
    const cli = (args: string[]) => {
      const r = nlkit(['nft', '--netns', ns, ...args]);
      assert.equal(r.status, 0, r.stderr);
      return r.stdout;
    };
    // One process for several commands, ';'-separated as nft takes them.
    const noExpiry = (s: string) => s.replace(/ expires [0-9dhms]+/g, '');
    const listed = cli(['add element ip t4 timed { 10.0.0.1, 10.0.0.2 timeout 5m }; list chains; list sets']);
    assert.equal(noExpiry(listed), noExpiry(nft(ns, ['list chains; list sets'])), 'nlkit nft list chains; list sets');
    assert.deepEqual(steady(JSON.parse(cli(['-j', 'list', 'sets'])).nftables.slice(1)), steady(nftJson(ns, ['list', 'sets'])), 'nlkit nft -j list sets');
    // Chains as JSON, in-process: the same chainJson() nlkit nft -j prints.
    assert.deepEqual((await listChains({ family: 'inet' }, opts).toArray()).map(chainJson), nftJson(ns, ['list', 'chains', 'inet']).map((x: any) => x.chain));
    // Errors as nft words them, with the command line and a caret line, exit 1.
    for (const args of [['delete', 'element', 'ip', 't4', 'timed', '{ 10.9.9.9 }']]) {
      const ours = nlkit(['nft', '--netns', ns, ...args]);
      const theirs = spawnSync('ip', ['netns', 'exec', ns, 'nft', ...args], { encoding: 'utf8' });
      assert.deepEqual([ours.status, ours.stderr], [theirs.status, theirs.stderr], `nlkit nft ${args.join(' ')}`);
    }
  });
});

test('nft: the ruleset events carry an element nft adds; nlkit nft monitor prints what nft monitor prints', async (t) => {
  if (!requireRoot(t) || !requireTool(t, 'nft')) return;
  await withNetns(async (ns) => {
    nft(ns, ['add', 'table', 'inet', 'm']);
    nft(ns, ['add', 'set', 'inet', 'm', 's', '{ type ipv4_addr; }']);
    const events = nftEvents({ netns: ns });
    try {
      const it = events[Symbol.asyncIterator]();
      nft(ns, ['add', 'element', 'inet', 'm', 's', '{ 192.0.2.1 }']);
      for (;;) {
        const { value } = await it.next();
        if (!value || 'overrun' in value) assert.fail('events ended or overran');
        if (value.event === 'generation') continue;
        assert.equal(value.object, 'element');
        if (value.object !== 'element') return;
        assert.deepEqual([value.event, value.family, value.table, value.set], ['add', 'inet', 'm', 's']);
        assert.deepEqual(value.elements.map((e) => Array.from(e.key ?? [])), [[192, 0, 2, 1]]);
        break;
      }
    } finally {
      events.close();
    }

    // nlkit nft monitor prints what nft monitor prints, line for line.
    const mon = [startNlkit(['nft', '--netns', ns, 'monitor']), start('ip', ['netns', 'exec', ns, 'nft', 'monitor'])];
    try {
      await until(() => mon.every((m) => joined(m.pid, NETLINK_NETFILTER, NFNLGRP.NFTABLES, ns)), 'both monitors subscribed');
      nft(ns, ['-f', '-'], 'add set inet m r { type ipv4_addr; flags interval; }\nadd element inet m r { 10.0.0.0/8, 192.0.2.1 }\nadd chain inet m c { type filter hook input priority 0; }\n');
      nft(ns, ['delete', 'table', 'inet', 'm']);
      await Promise.all(mon.map((m) => m.waitFor('out', /delete table inet m\n# new generation/)));
      const [ours, theirs] = mon.map((m) => m.stdout());
      assert.match(ours!, /^add element inet m r \{ 10\.0\.0\.0\/8 \}$/m);
      assert.equal(ours, theirs);
    } finally {
      await Promise.all(mon.map((m) => m.stop()));
    }
  });
});
