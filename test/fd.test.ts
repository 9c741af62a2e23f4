// No file descriptor is left behind: not by close(), not by a socket closed mid-dump, not by a
// never-started native socket that is garbage collected.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { test } from 'node:test';
import { setImmediate as tick, setTimeout as sleep } from 'node:timers/promises';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { NETLINK_GENERIC, NETLINK_ROUTE, NetlinkSocket } from '../src/index.js';
import { loadAddon } from '../src/socket/native.js';
import { requireRoot, withNetns } from './helpers/netns.js';
import { RTNLGRP_LINK, getLink, getLinks } from './helpers/rtnl.js';

const fdCount = () => readdirSync('/proc/self/fd').length;

/** Waits until the fd count drops to `want` (sockets closed by pending work close a turn later). */
async function settle(want: number): Promise<number> {
  for (let i = 0; i < 100 && fdCount() > want; i++) await sleep(10);
  return fdCount();
}

test('opening and closing many sockets leaves no fd open', async (t) => {
  if (!requireRoot(t)) return;
  await withNetns(async (ns) => {
    // Warm up: load the addon and let libuv create what it keeps (epoll fd, signal pipes).
    NetlinkSocket.open(NETLINK_ROUTE).close();
    const before = fdCount();
    for (let i = 0; i < 300; i++) {
      const s = NetlinkSocket.open(i % 2 ? NETLINK_ROUTE : NETLINK_GENERIC, {
        netns: i % 3 === 0 ? ns : undefined,
        groups: i % 2 && i % 5 === 0 ? [RTNLGRP_LINK] : [],
      });
      if (i % 7 === 0 && s.protocol === NETLINK_ROUTE) await s.request(getLink(1), { ack: false });
      s.close();
    }
    assert.equal(await settle(before), before);

    // Closed while a dump and a request are in flight, and from inside a dump's iteration.
    const pending: Promise<unknown>[] = [];
    for (let i = 0; i < 50; i++) {
      const s = NetlinkSocket.open(NETLINK_ROUTE, { netns: ns });
      pending.push(s.dump(getLinks()).toArray().catch(() => 'closed'));
      pending.push(s.request(getLink(1)).catch(() => 'closed'));
      s.close();
    }
    for (let i = 0; i < 50; i++) {
      const s = NetlinkSocket.open(NETLINK_ROUTE, { netns: ns });
      for await (const m of s.dump(getLinks())) {
        assert.ok(m);
        s.close();
      }
    }
    await Promise.all(pending);
    assert.equal(await settle(before), before);

    // A failed open (no such namespace) leaks nothing either.
    for (let i = 0; i < 20; i++) assert.throws(() => NetlinkSocket.open(NETLINK_ROUTE, { netns: `${ns}-missing` }));
    assert.equal(await settle(before), before);
  });
});

test('a native socket that is garbage collected without close() releases its fd', async (t) => {
  setFlagsFromString('--expose-gc');
  const gc = runInNewContext('gc') as (() => void) | undefined;
  if (!gc) {
    t.skip('cannot expose gc in this process');
    return;
  }
  const { NativeSocket } = loadAddon();
  new NativeSocket(NETLINK_ROUTE, null).close();
  await tick();
  const before = fdCount();
  (() => {
    for (let i = 0; i < 100; i++) {
      const s = new NativeSocket(NETLINK_ROUTE, null);
      s.bind(0, 0);
    }
  })();
  assert.equal(fdCount(), before + 100);
  for (let i = 0; i < 50 && fdCount() > before; i++) {
    gc();
    await sleep(10);
  }
  assert.equal(fdCount(), before);
});

test('10,000 sockets opened and closed one after another at ulimit -n 1024 (and 2,500 in each other mode): each close() frees its fd before it returns', (t) => {
  if (!requireRoot(t)) return;
  const index = new URL('../src/index.js', import.meta.url).href;
  const rtnl = new URL('./helpers/rtnl.js', import.meta.url).href;
  // Synchronous from start to end: no loop turn runs between the opens and closes, so nothing
  // that close() leaves for later can be released in time.
  const script = `
    import { readdirSync } from 'node:fs';
    import { NetlinkSocket, NETLINK_ROUTE } from ${JSON.stringify(index)};
    import { getLink } from ${JSON.stringify(rtnl)};
    const fdCount = () => readdirSync('/proc/self/fd').length;
    // What the loop creates on first use (epoll fd, async wake-up) is there before the baseline.
    NetlinkSocket.open(NETLINK_ROUTE).close();
    NetlinkSocket.open(NETLINK_ROUTE, { readAhead: true }).close();
    const base = fdCount();
    const out = { base };
    // Each mode goes well past the 1,024 fds a late release would exhaust.
    for (const [name, readAhead, pendingRead, n] of [
      ['poll', false, false, 10000], ['poll, reply waiting', false, true, 2500],
      ['read-ahead', true, false, 2500], ['read-ahead, reply waiting', true, true, 2500],
    ]) {
      let leaks = 0, opened = 0, readable = 0;
      for (let i = 0; i < n; i++) {
        const s = NetlinkSocket.open(NETLINK_ROUTE, { readAhead });
        opened++;
        if (pendingRead) {
          s.send(getLink(1)); // the kernel queues the reply inside send(): the fd is readable
          readable++;
        }
        s.close();
        // Past ~1,000 sockets a late release would already be EMFILE; the count is looked at
        // every 50th close (reading /proc/self/fd each time would cost more than the sockets).
        if (i % 50 === 49 && fdCount() !== base) leaks++;
      }
      out[name] = { opened, readable, leaks };
    }
    console.log(JSON.stringify(out));
  `;
  const r = spawnSync('bash', ['-c', 'ulimit -n 1024 && exec "$0" --input-type=module -e "$1"', process.execPath, script],
    { encoding: 'utf8', timeout: 120_000 });
  assert.equal(r.signal, null, `the child died of ${r.signal}: ${r.stderr}`);
  assert.equal(r.status, 0, r.stderr);
  const out = JSON.parse(r.stdout.trim().split('\n').pop()!) as Record<string, { opened: number; readable: number; leaks: number }>;
  for (const name of ['poll', 'poll, reply waiting', 'read-ahead', 'read-ahead, reply waiting']) {
    const n = name === 'poll' ? 10_000 : 2_500;
    assert.equal(out[name]!.opened, n, name);
    assert.equal(out[name]!.readable, name.endsWith('waiting') ? n : 0, name);
    assert.equal(out[name]!.leaks, 0, `${name}: fd count above the baseline right after close()`);
  }
});

for (const readAhead of [false, true]) {
  test(`sockets closed while the loop dispatches their replies, and their fd numbers reused at once, lose nothing${readAhead ? ' (read-ahead)' : ''}`, async (t) => {
    if (!requireRoot(t)) return;
    const all: NetlinkSocket[] = [];
    const open = () => {
      const s = NetlinkSocket.open(NETLINK_ROUTE, { readAhead });
      all.push(s);
      return s;
    };
    try {
      for (let round = 0; round < 20; round++) {
        // Every reply is queued before the loop polls, so one epoll wake-up reports all the
        // sockets; the first reply's continuation closes the rest while their events are pending.
        const before = new Set(readdirSync('/proc/self/fd'));
        const old = Array.from({ length: 16 }, open);
        const fds = readdirSync('/proc/self/fd').filter((fd) => !before.has(fd));
        const first = await Promise.race(old.map((s) => s.request(getLink(1), { ack: false })));
        assert.equal(first.messages.length, 1);
        for (const s of old) s.close();
        // The next sockets get the same fd numbers (the lowest free ones) in this same callback.
        const next = Array.from({ length: 16 }, open);
        const now = readdirSync('/proc/self/fd');
        assert.deepEqual(now.filter((fd) => !before.has(fd)).sort(), fds.sort(), 'the closed fd numbers, and only they, are taken again at once');
        const replies = await Promise.all(next.map((s) => s.request(getLink(1), { ack: false })));
        for (const r of replies) assert.equal(r.messages.length, 1);
        for (const s of next) s.close();
      }
    } finally {
      for (const s of all) s.close();
    }
  });
}
