// Serving over a real NETLINK_USERSOCK socket in this process: what the kernel does between a
// user-space server and its clients (the multicast/ECONNREFUSED quirk, full receive queues
// during dumps, oversized requests, a server that goes away). Each test works in a namespace
// of its own: NETLINK_USERSOCK's ports and groups are per namespace, so concurrent tests and
// the host never see each other's messages.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { HOST_LE, MessageWriter, NETLINK_USERSOCK, NetlinkSocket, SocketError, type NetlinkEvent } from '../src/index.js';
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

  test('a request larger than the server\'s buffer is lost, the buffer grows, the retry is answered', async (t) => {
    if (!requireRoot(t)) return;
    await withNetns(async (netns) => {
    const server = new ClassicServer();
    server.on(T_BIG, { doit: (req) => server.reply(req, T_BIG, (w) => w.attrU32(1, req.length)) });
    const port = randomPort();
    const l = UsersockListener.listen(server, { portid: port, netns });
    const c = NetlinkSocket.open(NETLINK_USERSOCK, { peer: port, netns });
    const big = () => msg(T_BIG, (w) => {
      w.attr(2, new Uint8Array(60_000));
      w.attr(3, new Uint8Array(40_000));
    });
    try {
      // Lost: the server saw it truncated and answers nothing, so the request is given up.
      const ac = new AbortController();
      const lost = c.request(big(), { signal: ac.signal });
      await until(() => l.stats.truncated > 0, 'the server received the request truncated');
      ac.abort();
      await assert.rejects(lost, { name: 'AbortError' });
      assert.equal(l.stats.truncated, 1);
      const r = await c.request(big(), { signal: AbortSignal.timeout(2000) });
      assert.equal(new DataView(r.messages[0]!.payload.buffer, r.messages[0]!.payload.byteOffset).getUint32(4, HOST_LE), big().byteLength);
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
      // Wait for the kernel to unbind the port (the fd may be released a loop turn after close()).
      await until(() => !netlinkSockets(netns).some((r) => r.protocol === NETLINK_USERSOCK && r.portid === port), 'the port is unbound');
      const c = NetlinkSocket.open(NETLINK_USERSOCK, { peer: port, netns });
      try {
        await assert.rejects(c.request(msg(T_ROW), { signal: AbortSignal.timeout(2000) }), (e: unknown) => e instanceof SocketError && e.code === 'ECONNREFUSED');
      } finally {
        c.close();
      }
    });
  });
});
