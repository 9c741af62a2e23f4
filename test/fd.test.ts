// No file descriptor is left behind: not by close(), not by a socket closed mid-dump, not by a
// never-started native socket that is garbage collected.
import assert from 'node:assert/strict';
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

/** Waits until the fd count drops to `want` (uv_close completes on a later loop turn). */
async function settle(want: number): Promise<number> {
  for (let i = 0; i < 100 && fdCount() > want; i++) await sleep(10);
  return fdCount();
}

test('opening and closing many sockets leaves no fd open', async (t) => {
  if (!requireRoot(t)) return;
  await withNetns(async (ns) => {
    // Warm up: load the addon and let libuv create what it keeps (epoll fd, signal pipes).
    NetlinkSocket.open(NETLINK_ROUTE).close();
    await sleep(50); // its fd is closed once libuv has closed the poll handle, a loop turn later
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
