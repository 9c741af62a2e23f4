// Dump<T> (what every family's dumpX() returns): an iterator abandoned mid-dump — dropped without
// return() — releases the socket opened for it (its fd, the read-ahead thread's wake-up fd and
// the thread) once it is garbage collected, and the process can exit. FamilyOptions' timeout
// reaches requests and dumps.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { NETLINK_ROUTE } from '../src/wire/index.js';
import { RTM, dumpLinks, dumpRoutes, getLink } from '../src/route/index.js';
import { NetlinkBus } from '../src/server/index.js';
import { NetlinkSocket, SocketError } from '../src/socket/index.js';
import { ipBatch, requireRoot, withNetns } from './helpers/netns.js';
import { cliEnv } from './helpers/cli.js';

/** The fd count once it stops changing (a closed socket's fd may go a loop turn later). */
async function settledFds(): Promise<number> {
  let last = -1;
  for (let i = 0; i < 50 && readdirSync('/proc/self/fd').length !== last; i++) {
    last = readdirSync('/proc/self/fd').length;
    await new Promise((r) => setImmediate(r));
  }
  return readdirSync('/proc/self/fd').length;
}

const ROUTE_BUNDLE = fileURLToPath(new URL('../bundle/route.js', import.meta.url));

// Runs under --expose-gc: abandons `n` dumpRoutes({ netns }) iterators after their first item,
// then collects garbage until the fd count is back (or 50 rounds passed), and prints the counts.
const CHILD = `
import { readdirSync } from 'node:fs';
import { dumpRoutes, events } from ${JSON.stringify(ROUTE_BUNDLE)};
const [ns, n] = [process.argv[2], Number(process.argv[3])];
const fds = () => readdirSync('/proc/self/fd').length;
const tick = () => new Promise((r) => setImmediate(r));
async function settled() {
  let last = -1;
  for (let i = 0; i < 50 && fds() !== last; i++) { last = fds(); globalThis.gc(); await tick(); }
  return fds();
}
const rows = (await dumpRoutes({}, { netns: ns }).toArray()).length; // loads the addon, libuv's fds
const base = await settled();
async function abandon() {
  const it = dumpRoutes({}, { netns: ns })[Symbol.asyncIterator]();
  const first = await it.next();
  if (first.done) throw new Error('the dump was empty');
}
for (let i = 0; i < n; i++) await abandon();
const held = fds();
let after = held;
for (let i = 0; i < 50 && after > base; i++) { globalThis.gc(); await tick(); after = fds(); }
// Subscriptions dropped without close() release the socket events() opened, too.
(() => { for (let i = 0; i < n; i++) events(['link'], { netns: ns }); })();
const subscribed = fds();
let unsubscribed = subscribed;
for (let i = 0; i < 50 && unsubscribed > after; i++) { globalThis.gc(); await tick(); unsubscribed = fds(); }
console.log(JSON.stringify({ rows, base, held, after, subscribed, unsubscribed }));
`;

test('an abandoned dump (and a dropped subscription) releases its socket and thread once collected', async (t) => {
  if (!requireRoot(t)) return;
  await withNetns(async (ns) => {
    ipBatch(ns, ['link add d0 type veth peer name d1', 'link set d0 up',
      ...Array.from({ length: 2000 }, (_, i) => `route add 10.${i >> 8}.${i & 255}.0/24 dev d0`)]);
    const dir = mkdtempSync(path.join(tmpdir(), 'nlkit-dump-gc-'));
    try {
      const script = path.join(dir, 'abandon.mjs');
      writeFileSync(script, CHILD);
      const n = 20;
      const r = spawnSync(process.execPath, ['--expose-gc', script, ns, String(n)], { encoding: 'utf8', env: cliEnv(), timeout: 60_000 });
      assert.equal(r.signal, null, `the child exits on its own (killed: the abandoned sockets kept it alive)\n${r.stderr}`);
      assert.equal(r.status, 0, r.stderr);
      const { rows, base, held, after, subscribed, unsubscribed } = JSON.parse(r.stdout) as Record<string, number>;
      t.diagnostic(`${rows} routes; fds: ${base} before, ${held} with ${n} abandoned dumps, ${after} after GC; ${subscribed} with ${n} dropped subscriptions, ${unsubscribed} after GC`);
      assert.ok(rows > 2000, 'the dump spans many datagrams');
      assert.ok(held >= base + n, 'each abandoned dump held its socket until collected');
      assert.ok(after <= base, `every socket of an abandoned dump is closed once collected (${after} fds, ${base} before)`);
      assert.ok(subscribed >= after + n, 'each subscription holds its socket');
      assert.ok(unsubscribed <= after, `every socket of a dropped subscription is closed once collected (${unsubscribed} fds)`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

test('Dump: returned at once, sent on each iteration; a finished or broken iteration closes its socket', async (t) => {
  if (!requireRoot(t)) return;
  await withNetns(async (ns) => {
    ipBatch(ns, ['link add d0 type veth peer name d1', 'link set d0 up', 'route add 10.9.0.0/16 dev d0']);
    const dump = dumpRoutes({ family: 'inet', table: 'main' }, { netns: ns });
    const first = await dump.toArray(); // also loads the addon and lets libuv open what it keeps
    const before = await settledFds();
    const again = await dump.toArray();
    assert.deepEqual(again, first, 'each iteration is a new dump');
    assert.ok(first.some((r) => r.dst === '10.9.0.0'));
    assert.equal(dump.interrupted, false);
    for await (const r of dump) {
      assert.ok(r);
      break;
    }
    // An iteration that fails before the request is sent (no such device) closes its socket too.
    await assert.rejects(dumpRoutes({ oif: 'nosuchdev' }, { netns: ns }).toArray());
    assert.ok(await settledFds() <= before, 'every iteration closed the socket it opened');
  });
});

test('FamilyOptions.timeout reaches the request and the dump: a peer that swallows them times out', async () => {
  const bus = new NetlinkBus();
  const peer = NetlinkSocket.open(NETLINK_ROUTE, { transport: bus.transport() });
  const socket = NetlinkSocket.open(NETLINK_ROUTE, { transport: bus.transport(), peer: peer.portid });
  try {
    const swallowed = peer.events()[Symbol.asyncIterator]();
    const timedOut = (e: unknown) => e instanceof SocketError && e.code === 'ETIMEDOUT';
    await assert.rejects(getLink(1, { socket, timeout: 20 }), timedOut);
    assert.equal((((await swallowed.next()).value) as { type: number }).type, RTM.GETLINK, 'the peer got the request');
    const dump = dumpLinks({}, { socket, timeout: 20 });
    await assert.rejects(dump.toArray(), timedOut);
    assert.equal((((await swallowed.next()).value) as { type: number }).type, RTM.GETLINK, 'and the dump');
  } finally {
    socket.close();
    peer.close();
  }
});
