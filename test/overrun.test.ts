// ENOBUFS: a listener with a tiny receive buffer, a burst of route changes in its namespace.
// The events iterator must yield an overrun marker and keep going; the socket must keep working.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { NETLINK_ROUTE, NetlinkSocket, type NetlinkEvent, type Overrun } from '../src/index.js';
import { ip, ipBatch, requireRoot, withNetns } from './helpers/netns.js';
import { RTM_NEWROUTE, RTNLGRP_IPV4_ROUTE, getLink, linkName, routeDst } from './helpers/rtnl.js';

/** The next item of `it`, or 'timeout' after `ms`. */
async function nextWithin<T>(it: AsyncIterator<T>, ms: number): Promise<IteratorResult<T> | 'timeout'> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<'timeout'>((resolve) => {
    timer = setTimeout(() => resolve('timeout'), ms);
  });
  try {
    return await Promise.race([it.next(), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

function burst(prefix: string, n: number): string[] {
  const lines: string[] = [];
  for (let i = 0; i < n; i++) lines.push(`route add blackhole ${prefix}.${i >> 8}.${i & 255}/32`);
  return lines;
}

for (const readAhead of [false, true]) {
  test(`an ENOBUFS overrun is an event, and the socket still works afterwards${readAhead ? ' (read-ahead)' : ''}`, async (t) => {
    if (!requireRoot(t)) return;
    await withNetns(async (ns) => {
      const s = NetlinkSocket.open(NETLINK_ROUTE, { readAhead, netns: ns, rcvbuf: 4096, groups: [RTNLGRP_IPV4_ROUTE] });
      try {
        assert.ok(s.receiveBufferSize <= 16384, `SO_RCVBUF is ${s.receiveBufferSize}`);
        const it = s.events();
        // ip runs synchronously: this process reads nothing meanwhile, so the 4 KiB buffer overflows.
        ipBatch(ns, burst('10.5', 3000));
        let overruns = 0;
        let routes = 0;
        for (;;) {
          const r = await nextWithin(it, 500);
          if (r === 'timeout' || r.done) break;
          const ev = r.value as NetlinkEvent | Overrun;
          if ('overrun' in ev) {
            assert.equal(ev.code, 'ENOBUFS');
            overruns++;
          } else {
            assert.equal(ev.type, RTM_NEWROUTE);
            assert.equal(ev.group, RTNLGRP_IPV4_ROUTE);
            routes++;
          }
        }
        assert.ok(overruns >= 1, 'an overrun was reported');
        assert.ok(routes < 3000, `only some events fit (${routes})`);
  
        // The socket is not closed by the overrun: a request succeeds …
        const reply = await s.request(getLink(1), { ack: false });
        assert.equal(linkName(reply.messages[0]!.payload), 'lo');
        // … and later events arrive on the same iterator.
        ip(ns, 'route add blackhole 10.6.6.6/32');
        let seen = false;
        for (let i = 0; i < 10 && !seen; i++) {
          const r = await nextWithin(it, 2000);
          assert.notEqual(r, 'timeout', 'an event arrives after the overrun');
          const ev = (r as IteratorResult<NetlinkEvent | Overrun>).value;
          if (!('overrun' in ev)) seen = routeDst(ev.payload) === '10.6.6.6';
        }
        assert.ok(seen);
        await it.return!();
      } finally {
        s.close();
      }
    });
  });
}

test('with noEnobufs the kernel drops events silently and no overrun is reported', async (t) => {
  if (!requireRoot(t)) return;
  await withNetns(async (ns) => {
    const s = NetlinkSocket.open(NETLINK_ROUTE, { netns: ns, rcvbuf: 4096, groups: [RTNLGRP_IPV4_ROUTE], noEnobufs: true });
    try {
      const it = s.events();
      ipBatch(ns, burst('10.7', 3000));
      let routes = 0;
      for (;;) {
        const r = await nextWithin(it, 300);
        if (r === 'timeout' || r.done) break;
        assert.ok(!('overrun' in r.value), 'no overrun marker with NETLINK_NO_ENOBUFS');
        routes++;
      }
      assert.ok(routes > 0 && routes < 3000, `some events were dropped (${routes} of 3000 arrived)`);
      await it.return!();
    } finally {
      s.close();
    }
  });
});
