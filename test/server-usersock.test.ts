// Serving over a real NETLINK_USERSOCK socket in this process: what the kernel does between a
// user-space server and its clients (the multicast/ECONNREFUSED quirk, full receive queues
// during dumps, oversized requests, a server that goes away). Each test works in a namespace
// of its own: NETLINK_USERSOCK's ports and groups are per namespace, so concurrent tests and
// the host never see each other's messages.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { HOST_LE, MessageWriter, NETLINK_USERSOCK, NetlinkError, NetlinkSocket, SocketError, type NetlinkEvent } from '../src/index.js';
import { ClassicServer, UsersockListener } from '../src/server/index.js';
import { until } from './helpers/cli.js';
import { netlinkSockets, requireRoot, withNetns } from './helpers/netns.js';

const T_ROW = 0x10;
const T_BIG = 0x11;

function randomPort(): number {
  return 0x40000000 + Math.floor(Math.random() * 0x3fffffff);
}

function msg(type: number, fill?: (w: MessageWriter) => void): Uint8Array {
  const w = new MessageWriter(64);
  w.begin(type, 0);
  fill?.(w);
  w.end();
  return w.toBytes();
}

describe('NETLINK_USERSOCK as the kernel has it', () => {
  test('a send to a group reaches the members and still fails with ECONNREFUSED (no kernel socket takes the unicast half)', async (t) => {
    if (!requireRoot(t)) return;
    await withNetns(async (netns) => {
    const member = NetlinkSocket.open(NETLINK_USERSOCK, { groups: [3], netns });
    const sender = NetlinkSocket.open(NETLINK_USERSOCK, { netns });
    try {
      const it = member.events();
      assert.throws(() => sender.send(msg(T_ROW), 0, 1 << 2), (e: unknown) => e instanceof SocketError && e.code === 'ECONNREFUSED');
      const ev = (await it.next()).value as NetlinkEvent;
      assert.deepEqual([ev.type, ev.group, ev.portid], [T_ROW, 3, sender.portid]);
    } finally {
      member.close();
      sender.close();
    }
    });
  });
});

describe('a server on NETLINK_USERSOCK', () => {
  test('a 20 000-row dump to a client with a tiny receive buffer arrives whole, parts retried when the queue is full', async (t) => {
    if (!requireRoot(t)) return;
    await withNetns(async (netns) => {
    const rows = Array.from({ length: 20_000 }, (_, i) => i);
    const server = new ClassicServer();
    server.on<number>(T_ROW, {
      dump: {
        init: () => 0,
        dump: (cb) => {
          for (; cb.state < rows.length; cb.state++) if (!cb.put(T_ROW, (w) => w.attrU32(1, rows[cb.state]!))) return;
        },
      },
    });
    const port = randomPort();
    const l = UsersockListener.listen(server, { portid: port, netns });
    const c = NetlinkSocket.open(NETLINK_USERSOCK, { peer: port, rcvbuf: 4096, netns });
    try {
      const got: number[] = [];
      for await (const batch of c.dump(msg(T_ROW)).batches()) {
        for (const m of batch) got.push(new DataView(m.payload.buffer, m.payload.byteOffset).getUint32(4, HOST_LE));
        await new Promise((r) => setImmediate(r)); // a reader slower than the server
      }
      assert.deepEqual(got, rows);
      assert.ok(l.stats.retries > 0, 'the 8 KiB queue filled up and the server waited');
    } finally {
      c.close();
      l.close();
    }
    });
  });

  test('a 69,292-byte GET is answered on the first try (the server peeks each size and grows its buffer); one beyond maxRequest is answered with EMSGSIZE', async (t) => {
    if (!requireRoot(t)) return;
    await withNetns(async (netns) => {
    const server = new ClassicServer();
    server.on(T_BIG, { doit: (req) => server.reply(req, T_BIG, (w) => w.attrU32(1, req.length)) });
    const port = randomPort();
    const l = UsersockListener.listen(server, { portid: port, netns, maxRequest: 256 * 1024 });
    const c = NetlinkSocket.open(NETLINK_USERSOCK, { peer: port, netns, sndbuf: 1024 * 1024 });
    // A request of exactly `total` bytes (a multiple of 4), in attributes of at most 60,000 bytes.
    const big = (total: number) => msg(T_BIG, (w) => {
      for (let left = total - 16; left > 0;) {
        const n = Math.min(left - 4, 60_000);
        w.attr(2, new Uint8Array(n));
        left -= n + 4;
      }
    });
    try {
      const get = big(69_292);
      assert.equal(get.byteLength, 69_292);
      const r = await c.request(get, { signal: AbortSignal.timeout(5000) });
      assert.equal(new DataView(r.messages[0]!.payload.buffer, r.messages[0]!.payload.byteOffset).getUint32(4, HOST_LE), 69_292);
      assert.equal(l.stats.grown, 1, 'the 64 KiB buffer grew once, before the datagram was received');

      const huge = big(300_000);
      assert.equal(huge.byteLength, 300_000);
      const err = await c.request(huge, { signal: AbortSignal.timeout(5000) }).catch((e: unknown) => e);
      assert.ok(err instanceof NetlinkError, String(err));
      assert.equal(err.code, 'EMSGSIZE');
      assert.equal(err.kernelMessage, `request of ${huge.byteLength} bytes is larger than the server accepts (262144)`);
      assert.equal(l.stats.tooLarge, 1);
      // The server goes on serving.
      const again = await c.request(big(100_020), { signal: AbortSignal.timeout(5000) });
      assert.equal(new DataView(again.messages[0]!.payload.buffer, again.messages[0]!.payload.byteOffset).getUint32(4, HOST_LE), 100_020);
    } finally {
      c.close();
      l.close();
    }
  });
  });

  test('the port id is exclusive, and a closed server is refused', async (t) => {
    if (!requireRoot(t)) return;
    await withNetns(async (netns) => {
      const server = new ClassicServer();
      const port = randomPort();
      const l = UsersockListener.listen(server, { portid: port, netns });
      assert.throws(() => UsersockListener.listen(new ClassicServer(), { portid: port, netns }), { code: 'EADDRINUSE' });
      l.close();
      // close() releases the fd before it returns: the kernel has unbound the port already.
      assert.ok(!netlinkSockets(netns).some((r) => r.protocol === NETLINK_USERSOCK && r.portid === port), 'the port is unbound');
      const c = NetlinkSocket.open(NETLINK_USERSOCK, { peer: port, netns });
      try {
        await assert.rejects(c.request(msg(T_ROW), { signal: AbortSignal.timeout(2000) }), (e: unknown) => e instanceof SocketError && e.code === 'ECONNREFUSED');
      } finally {
        c.close();
      }
    });
  });
});
