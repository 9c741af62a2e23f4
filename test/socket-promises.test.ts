// The core keeps its promises: any number of concurrent requests on one socket settle, replies
// lost to a full buffer are reported (or a GET resent), a peer that never answers times out,
// hostile replies and undecodable events reach their consumer, never the process.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  HOST_LE, MessageWriter, NETLINK_ROUTE, NLM_F_ACK_TLVS, NLMSG_ERROR, NetlinkError, NetlinkSocket, SocketError, viewOf,
  type Overrun,
} from '../src/index.js';
import { addRoute, openRoute } from '../src/route/index.js';
import { ClassicServer, NetlinkBus } from '../src/server/index.js';
import { ip, ipJson, requireRoot, withNetns } from './helpers/netns.js';

const PROTO = 21;
const T_GET = 0x10;
const T_SET = 0x11;
const GROUP = 1;

function msg(type: number): Uint8Array {
  const w = new MessageWriter();
  w.begin(type, 0);
  w.end();
  return w.toBytes();
}

/** A bus with a server that answers GET with a value and SET with an ACK. */
function world() {
  const bus = new NetlinkBus();
  const server = new ClassicServer();
  let counter = 0;
  server.on(T_GET, { doit: (req) => server.reply(req, T_GET, (m) => m.attrU32(1, ++counter)) });
  server.on(T_SET, { doit: () => 0 });
  bus.serve(PROTO, server);
  return { bus, server, open: (o: Parameters<typeof NetlinkSocket.open>[1] = {}) => NetlinkSocket.open(PROTO, { transport: bus.transport(), ...o }) };
}

describe('requests under load (real kernel)', () => {
  test('10,000 concurrent addRoute() on one socket all settle, each with its own route', async (t) => {
    if (!requireRoot(t)) return;
    await withNetns(async (ns) => {
      ip(ns, 'link add v0 type veth peer name v1');
      ip(ns, 'link set v0 up');
      ip(ns, 'addr add 10.0.0.1/24 dev v0');
      const sock = openRoute({ netns: ns });
      try {
        const n = 10_000;
        const results = await Promise.allSettled(Array.from({ length: n }, (_, i) =>
          addRoute({ dst: `10.${100 + (i >> 8)}.${i & 255}.0/24`, gateway: '10.0.0.254' }, { socket: sock })));
        const failed = results.filter((r) => r.status === 'rejected');
        assert.equal(failed.length, 0, `first failure: ${failed[0] && (failed[0] as PromiseRejectedResult).reason}`);
        const dsts = new Set(results.map((r) => (r as PromiseFulfilledResult<{ dst?: string }>).value.dst));
        assert.equal(dsts.size, n, 'each request resolved with its own route');
        const routes = ipJson<{ gateway?: string }[]>(ns, 'route show').filter((r) => r.gateway === '10.0.0.254');
        assert.equal(routes.length, n, 'the kernel holds every route (ip -j route)');
      } finally {
        sock.close();
      }
    });
  });

  test('10,000 concurrent RTM_GETLINK requests on one socket all resolve', async (t) => {
    if (!requireRoot(t)) return;
    await withNetns(async (ns) => {
      const sock = NetlinkSocket.open(NETLINK_ROUTE, { netns: ns });
      try {
        const get = () => {
          const w = new MessageWriter();
          w.begin(18 /* RTM_GETLINK */, 0);
          const h = w.struct(16);
          w.view.setInt32(h + 4, 1, HOST_LE); // ifi_index 1: lo
          w.end();
          return sock.request(w.toBytes(), { ack: false, idempotent: true });
        };
        const replies = await Promise.all(Array.from({ length: 10_000 }, get));
        assert.equal(replies.length, 10_000);
        for (const r of replies) assert.equal(r.messages[0]!.type, 16 /* RTM_NEWLINK */);
      } finally {
        sock.close();
      }
    });
  });
});

describe('lost replies (in-process bus, injected overruns)', () => {
  test('a reply dropped with ENOBUFS rejects its request with ERR_REPLY_LOST; a GET marked idempotent is resent', async () => {
    const w = world();
    const s = w.open();
    try {
      const isAck = (d: Uint8Array) => viewOf(d).getUint16(4, HOST_LE) === NLMSG_ERROR && viewOf(d).getUint32(8, HOST_LE) !== 0;
      const rule = w.bus.fault({ action: 'overrun', to: s.portid, match: isAck });
      await assert.rejects(s.request(msg(T_SET)), (e: SocketError) => e.code === 'ERR_REPLY_LOST' && /may or may not have taken effect/.test(e.message));
      assert.equal(rule.hits, 1);
      w.bus.fault({ action: 'overrun', to: s.portid, kind: 'unicast', count: 1 });
      const r = await s.request(msg(T_GET), { ack: false, idempotent: true });
      assert.equal(r.messages.length, 1, 'the resent GET was answered');
      assert.equal((await s.request(msg(T_SET))).messages.length, 0, 'the socket goes on');
    } finally {
      s.close();
    }
  });

  test('listeners hear of the same overrun', async () => {
    const w = world();
    const s = w.open({ groups: [GROUP] });
    try {
      const it = s.events();
      w.bus.fault({ action: 'overrun', to: s.portid, kind: 'unicast' });
      await assert.rejects(s.request(msg(T_SET)), { code: 'ERR_REPLY_LOST' });
      const ev = (await it.next()).value as Overrun;
      assert.deepEqual({ overrun: ev.overrun, code: ev.code }, { overrun: true, code: 'ENOBUFS' });
    } finally {
      s.close();
    }
  });
});

describe('peers that misbehave', () => {
  test('a request a user-space peer swallows times out; the late reply is dropped', async () => {
    const w = world();
    const peer = w.open();
    const s = w.open({ peer: peer.portid });
    try {
      const requests = peer.events();
      await assert.rejects(s.request(msg(T_SET), { timeout: 20 }), (e: SocketError) => e.code === 'ETIMEDOUT' && /no reply within 20 ms/.test(e.message));
      const req = (await requests.next()).value as { seq: number };
      const events = s.events();
      // Answer late, then send something that is an event, so that the first event proves the order.
      const late = new MessageWriter();
      late.begin(NLMSG_ERROR, 0, req.seq, s.portid);
      late.struct(20);
      late.end();
      peer.send(late.toBytes(), s.portid);
      const ev = new MessageWriter();
      ev.begin(0x30, 0, 0, s.portid);
      ev.end();
      peer.send(ev.toBytes(), s.portid);
      const first = (await events.next()).value as { type: number };
      assert.equal(first.type, 0x30, 'the late ACK was not taken for an event');
      assert.equal(s.timeout, 30_000, 'a socket talking to a user-space peer times out by default');
    } finally {
      s.close();
      peer.close();
    }
  });

  test('a hostile 36-byte ACK (ACK_TLVS, error -22, echoed nlmsg_len 0x80000000) rejects the request, the process lives', async () => {
    const w = world();
    const peer = w.open();
    const s = w.open({ peer: peer.portid });
    try {
      const requests = peer.events();
      const pending = s.request(msg(T_SET));
      const req = (await requests.next()).value as { seq: number };
      const b = new Uint8Array(36);
      const dv = viewOf(b);
      dv.setUint32(0, 36, HOST_LE);
      dv.setUint16(4, NLMSG_ERROR, HOST_LE);
      dv.setUint16(6, NLM_F_ACK_TLVS, HOST_LE); // not capped: the parser trusts the echoed length
      dv.setUint32(8, req.seq, HOST_LE);
      dv.setInt32(16, -22, HOST_LE);
      dv.setUint32(20, 0x80000000, HOST_LE);
      peer.send(b, s.portid);
      // The echoed length is clamped to the datagram: the peer's words (EINVAL) reach the request.
      await assert.rejects(pending, (e: unknown) => e instanceof NetlinkError && e.code === 'EINVAL');
      // The socket still works: answer a second request properly.
      const again = s.request(msg(T_SET));
      const req2 = (await requests.next()).value as { seq: number };
      const ok = new MessageWriter();
      ok.begin(NLMSG_ERROR, 0x100, req2.seq, s.portid);
      const h = ok.struct(20);
      ok.view.setUint32(h + 4, 16, HOST_LE);
      ok.end();
      peer.send(ok.toBytes(), s.portid);
      assert.deepEqual((await again).messages, []);
    } finally {
      s.close();
      peer.close();
    }
  });

  test('an event decoder that throws yields an ERR_MALFORMED overrun to its own iterator only', async () => {
    const w = world();
    const s = w.open({ groups: [GROUP] });
    try {
      const strict = s.events({ decode: (r) => { if (r.type === 0x31) throw new RangeError('bad event'); return r.type; } });
      const plain = s.events();
      const send = (type: number) => {
        const m = new MessageWriter();
        m.begin(type, 0);
        m.end();
        w.server.multicast(GROUP, m.toBytes());
      };
      send(0x31);
      send(0x32);
      const a = (await strict.next()).value as Overrun;
      assert.equal(a.overrun, true);
      assert.equal(a.code, 'ERR_MALFORMED');
      assert.match(String(a.error), /cannot decode an event \(type 49\): bad event/);
      assert.equal((await strict.next()).value, 0x32, 'the iterator goes on');
      assert.equal(((await plain.next()).value as { type: number }).type, 0x31);
    } finally {
      s.close();
    }
  });
});
