// events(): the reference text's walk-through (`ip monitor route` sees `ip route add` and
// `ip route del`), typed events of other objects, and the overrun marker.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { addLink, changeLink, addAddress, dumpLinks, events, type RouteEvent } from '../src/route/index.js';
import type { Overrun } from '../src/socket/index.js';
import { ip, ipBatch, netlinkSockets, requireRoot, withNetns } from './helpers/netns.js';
import { socketInodes } from './helpers/cli.js';

/**
 * A reader with timeouts over an async iterator: a next() that timed out stays outstanding and
 * is the one the following call waits for, so no item is lost to a timeout.
 */
function reader<T>(it: AsyncIterator<T>): (ms: number) => Promise<IteratorResult<T> | 'timeout'> {
  let pending: Promise<IteratorResult<T>> | undefined;
  return async (ms) => {
    pending ??= it.next();
    let timer: NodeJS.Timeout | undefined;
    const t = new Promise<'timeout'>((res) => {
      timer = setTimeout(() => res('timeout'), ms);
    });
    try {
      const r = await Promise.race([pending, t]);
      if (r !== 'timeout') pending = undefined;
      return r;
    } finally {
      clearTimeout(timer);
    }
  };
}

/** Collects items until `done` says so; fails after `ms` without it (a hang guard, not a quiet period). */
async function collect(sub: AsyncIterable<RouteEvent | Overrun>, done: (items: (RouteEvent | Overrun)[]) => boolean, ms = 20_000): Promise<(RouteEvent | Overrun)[]> {
  const items: (RouteEvent | Overrun)[] = [];
  const next = reader(sub[Symbol.asyncIterator]());
  const deadline = Date.now() + ms;
  while (!done(items)) {
    const r = await next(Math.max(1, deadline - Date.now()));
    if (r === 'timeout') assert.fail(`events: timed out with ${items.length} items`);
    if (r.done) break;
    items.push(r.value);
  }
  return items;
}

test('events() sees ip route add / ip route del (the reference walk-through)', async (t) => {
  if (!requireRoot(t)) return;
  await withNetns(async (ns) => {
    ip(ns, 'link add em1 type veth peer name em1p');
    ip(ns, 'link set em1 up');
    ip(ns, 'link set em1p up');
    ip(ns, 'addr add 192.168.2.1/24 dev em1');
    const em1 = (await dumpLinks({}, { netns: ns }).toArray()).find((l) => l.ifname === 'em1')!.ifindex;
    const sub = events(['route'], { netns: ns });
    ip(ns, 'route add 192.168.1.10 via 192.168.2.200');
    ip(ns, 'route del 192.168.1.10');
    const items = await collect(sub, (xs) => xs.filter((x) => 'event' in x && x.event === 'del').length >= 1);
    sub.close();
    const evs = items.filter((x): x is RouteEvent => 'event' in x && x.kind === 'route' && x.object.dst === '192.168.1.10');
    assert.deepEqual(evs.map((e) => e.event), ['new', 'del']);
    for (const e of evs) {
      assert.equal(e.kind, 'route');
      if (e.kind !== 'route') continue;
      assert.equal(e.group, 7, 'RTNLGRP_IPV4_ROUTE');
      assert.deepEqual([e.object.dst, e.object.dst_len, e.object.gateway, e.object.oif, e.object.table, e.object.protocol],
        ['192.168.1.10', 32, '192.168.2.200', em1, 'main', 'boot']);
    }
  });
});

test('events(): link, address and neighbour events are typed; close() ends the iteration', async (t) => {
  if (!requireRoot(t)) return;
  await withNetns(async (ns) => {
    const sub = events(undefined, { netns: ns });
    await addLink({ ifname: 'm0', kind: 'veth', peer: { ifname: 'm1' } }, { netns: ns });
    await changeLink('m0', { up: true }, { netns: ns });
    await addAddress({ dev: 'm0', address: '10.20.0.1/24' }, { netns: ns });
    ip(ns, 'neigh add 10.20.0.9 lladdr 02:00:00:00:00:09 dev m0');
    const items = await collect(sub, (xs) => xs.some((x) => 'kind' in x && x.kind === 'neighbour'));
    // collect() leaves the iteration open, so close() is what ends it.
    const kinds = new Set(items.map((x) => ('kind' in x ? x.kind : 'overrun')));
    for (const k of ['link', 'address', 'route', 'neighbour']) assert.ok(kinds.has(k as never), `saw ${k} events: ${[...kinds].join(',')}`);
    const addr = items.find((x): x is Extract<RouteEvent, { kind: 'address' }> => 'kind' in x && x.kind === 'address' && x.object.family === 'inet');
    assert.equal(addr?.object.local, '10.20.0.1');
    const link = items.find((x): x is Extract<RouteEvent, { kind: 'link' }> => 'kind' in x && x.kind === 'link' && x.object.ifname === 'm0');
    assert.equal(link?.event, 'new');
    sub.close();
    const r = await reader(sub[Symbol.asyncIterator]())(1000);
    assert.ok(r !== 'timeout' && r.done, 'the iteration ended');
  });
});

test('events(): a flood that overflows the receive buffer yields the overrun marker and goes on', async (t) => {
  if (!requireRoot(t)) return;
  await withNetns(async (ns) => {
    ip(ns, 'link add f0 type veth peer name f1');
    ip(ns, 'link set f0 up');
    const sub = events(['route'], { netns: ns, rcvbuf: 4096 });
    const next = reader(sub[Symbol.asyncIterator]());
    // Nothing reads while ip adds 3000 routes: the kernel drops notifications (ENOBUFS).
    ipBatch(ns, Array.from({ length: 3000 }, (_, i) => `route add 10.${(i >> 8) & 255}.${i & 255}.0/24 dev f0`));
    let overrun: Overrun | undefined;
    let count = 0;
    let marked = false;
    // The subscription survives the overrun: a route added once the kernel's queue for the
    // monitor is empty (its Rmem in /proc/net/netlink, checked whenever no item is ready) is the
    // marker that everything before it has been read; no waiting for a quiet period.
    const mine = socketInodes(process.pid);
    const drained = () => netlinkSockets(ns).filter((r) => r.protocol === 0 && mine.has(r.inode) && (r.groups >>> 6) & 1).every((r) => r.rmem === 0);
    for (;;) {
      const soon = next(20_000); // 20 s: a hang guard
      const ready = await Promise.race([soon, new Promise<'pending'>((res) => setImmediate(() => res('pending')))]);
      if (ready === 'pending' && overrun && !marked && drained()) {
        ip(ns, 'route add 10.200.0.0/16 dev f0');
        marked = true;
      }
      const r = await soon;
      assert.ok(r !== 'timeout' && !r.done, 'an event arrives after the overrun');
      if ('overrun' in r.value) overrun = r.value;
      else if (r.value.kind === 'route' && r.value.object.dst === '10.200.0.0') break;
      else count++;
    }
    assert.deepEqual(overrun, { overrun: true, code: 'ENOBUFS' });
    assert.ok(count < 3000, `only some events fit (${count})`);
    sub.close();
    t.diagnostic(`${count} events before the overrun`);
  });
});
