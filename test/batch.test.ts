import { test } from 'node:test';
import assert from 'node:assert/strict';
import { NLM_F_CREATE, NLM_F_EXCL, NetlinkError } from '../src/index.js';
import { RTM, encodeRoute, openRoute, routeCodec } from '../src/route/index.js';
import type { MessageWriter } from '../src/wire/index.js';
import { ip, ipBatch, ipJson, requireRoot, withNetns } from './helpers/netns.js';

// 10.(i>>8).(i&255).0/24 as a blackhole route, the request requestBatch is given.
function route(i: number): Uint8Array {
  return encodeRoute(RTM.NEWROUTE, NLM_F_CREATE | NLM_F_EXCL, {
    family: 'inet', dst_len: 24, table: 'main', protocol: 'static', scope: 'global', type: 'blackhole',
    dst: `10.${(i >> 8) & 255}.${i & 255}.0`,
  });
}

test('requestBatch installs every route and reports each refusal by its index', async (t) => {
  if (!requireRoot(t)) return;
  await withNetns(async (ns) => {
    // Routes that exist already are refused with EEXIST, wherever they fall in a datagram:
    // first, in the middle, last of the whole batch.
    const N = 3000;
    const taken = [0, 17, 1234, 2999];
    ipBatch(ns, taken.map((i) => `route add blackhole 10.${(i >> 8) & 255}.${i & 255}.0/24 proto static`));
    const sock = openRoute({ netns: ns });
    try {
      const res = await sock.requestBatch(Array.from({ length: N }, (_, i) => route(i)), { window: 256, headerSize: 12 });
      assert.equal(res.sent, N);
      assert.equal(res.acked, N - taken.length);
      assert.deepEqual(res.errors.map((e) => e.index).sort((a, b) => a - b), taken);
      for (const e of res.errors) {
        assert.ok(e.error instanceof NetlinkError);
        assert.equal(e.error.code, 'EEXIST');
        assert.equal(e.error.op, 'RTM_NEWROUTE');
      }
      // The oracle: iproute2 sees exactly N blackhole routes.
      const routes = ipJson<{ type: string; dst: string }[]>(ns, ['route', 'show', 'type', 'blackhole']);
      assert.equal(routes.length, N);
      assert.ok(routes.some((r) => r.dst === '10.11.183.0/24'), 'route 3000-1 is there');
    } finally {
      sock.close();
    }
  });
});

test('requestBatch with a window of one request per datagram still settles every request', async (t) => {
  if (!requireRoot(t)) return;
  await withNetns(async (ns) => {
    const sock = openRoute({ netns: ns });
    try {
      // Tiny datagrams: each request is alone, and so is its own ACK-carrying last message.
      const res = await sock.requestBatch([route(1), route(2), route(1), route(3)], { datagramSize: 16, window: 2 });
      assert.equal(res.sent, 4);
      assert.equal(res.acked, 3);
      assert.deepEqual(res.errors.map((e) => [e.index, e.error.code]), [[2, 'EEXIST']]);
      assert.equal(ip(ns, ['route', 'show', 'type', 'blackhole']).trim().split('\n').length, 3);
    } finally {
      sock.close();
    }
  });
});

test('requestBatch takes writer items: written in place, split across datagrams, refusals with their request', async (t) => {
  if (!requireRoot(t)) return;
  await withNetns(async (ns) => {
    ip(ns, ['route', 'add', 'blackhole', '10.0.5.0/24', 'proto', 'static']);
    const sock = openRoute({ netns: ns });
    try {
      const N = 500;
      const items = Array.from({ length: N }, (_, i) => (w: MessageWriter) => routeCodec.encodeInto(w, RTM.NEWROUTE, NLM_F_CREATE | NLM_F_EXCL, {
        family: 'inet', dst_len: 24, table: 'main', protocol: 'static', scope: 'global', type: 'blackhole',
        dst: `10.${i >> 8}.${i & 255}.0`,
      }));
      // Small datagrams (about 15 requests each) so that writer items overflow and move on.
      const res = await sock.requestBatch(items, { datagramSize: 700, window: 64, headerSize: 12 });
      assert.equal(res.sent, N);
      assert.equal(res.acked, N - 1);
      assert.deepEqual(res.errors.map((e) => [e.index, e.error.code]), [[5, 'EEXIST']]);
      // The refused request is reported with its own bytes, cut out of the datagram.
      const req = res.errors[0]!.error.request!;
      assert.equal(new DataView(req.buffer, req.byteOffset).getUint32(0, true), req.byteLength);
      assert.equal(routeCodec.decodePayload(req.subarray(16)).dst, '10.0.5.0');
      assert.equal(ipJson<unknown[]>(ns, ['route', 'show', 'type', 'blackhole']).length, N);
    } finally {
      sock.close();
    }
  });
});

test('requestBatch on a closed socket rejects clearly', async () => {
  const sock = openRoute();
  sock.close();
  await assert.rejects(sock.requestBatch([route(1)]), /closed/);
});
