// The addon's own contract (native/nlsock.c): errors as values, pause/resume across an
// ENOBUFS wake-up, exceptions that must not escape a libuv callback, worker threads.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import {
  NETLINK_ADD_MEMBERSHIP, NETLINK_ROUTE, NETLINK_USERSOCK, SO_RCVBUFFORCE, SOL_NETLINK, SOL_SOCKET,
} from '../src/index.js';
import { loadAddon } from '../src/socket/native.js';
import { ipBatch, requireRoot, withNetns } from './helpers/netns.js';
import { RTNLGRP_IPV4_ROUTE, getLink } from './helpers/rtnl.js';
import { cliEnv } from './helpers/cli.js';

const ENOBUFS = 105;

test('syscall failures throw errors that carry errno, code and syscall', (t) => {
  if (!requireRoot(t)) return;
  const { NativeSocket } = loadAddon();
  const a = new NativeSocket(NETLINK_USERSOCK, null);
  const b = new NativeSocket(NETLINK_USERSOCK, null);
  try {
    a.bind(0x7e57_0000 + (process.pid & 0xffff), 0);
    const [port] = a.getsockname();
    assert.throws(() => b.bind(port, 0), { code: 'EADDRINUSE', syscall: 'bind', errno: 98 });
    assert.throws(() => a.setsockopt(SOL_NETLINK, 999, 1), { code: 'ENOPROTOOPT', syscall: 'setsockopt' });
    assert.throws(() => a.getsockopt(SOL_NETLINK, 999), { code: 'ENOPROTOOPT', syscall: 'getsockopt' });
    assert.throws(() => a.send('x' as unknown as Uint8Array, 0, 0), TypeError);
    assert.throws(() => a.start(() => {}, new Uint8Array(0)), TypeError);
    assert.throws(() => new NativeSocket(NETLINK_ROUTE, '/nonexistent/ns'), { code: 'ENOENT', syscall: 'open' });
    assert.throws(() => new NativeSocket(NETLINK_ROUTE, '/proc/self/status'), { code: 'EINVAL', syscall: 'setns' });
    assert.throws(() => new NativeSocket(9999, null), { code: 'EPROTONOSUPPORT', syscall: 'socket' });
  } finally {
    a.close();
    b.close();
  }
  assert.equal(a.fd(), -1);
  assert.throws(() => a.send(new Uint8Array(16), 0, 0), { code: 'ERR_NLSOCK_CLOSED' });
  a.close(); // idempotent
});

for (const readAhead of [false, true]) {
  test(`pause() called while ENOBUFS is delivered holds until resume()${readAhead ? ' (read-ahead)' : ''}`, async (t) => {
    if (!requireRoot(t)) return;
    await withNetns(async (ns) => {
      const { NativeSocket } = loadAddon();
      const s = new NativeSocket(NETLINK_ROUTE, `/run/netns/${ns}`);
      try {
        s.setsockopt(SOL_SOCKET, SO_RCVBUFFORCE, 4096);
        s.bind(0, 0);
        s.setsockopt(SOL_NETLINK, NETLINK_ADD_MEMBERSHIP, RTNLGRP_IPV4_ROUTE);
        const calls: number[] = [];
        let pausedAt = -1;
        s.start((status) => {
          calls.push(status);
          if (status === -ENOBUFS && pausedAt < 0) {
            pausedAt = calls.length;
            s.pause();
          }
        }, new Uint8Array(64 * 1024), readAhead);
        const lines: string[] = [];
        for (let i = 0; i < 2000; i++) lines.push(`route add blackhole 10.8.${i >> 8}.${i & 255}/32`);
        ipBatch(ns, lines); // synchronous: the tiny buffer overflows before anything is read
        for (let i = 0; i < 50 && pausedAt < 0; i++) await sleep(10);
        assert.ok(pausedAt > 0, `ENOBUFS was delivered (calls: ${calls.slice(0, 5).join(',')})`);
        await sleep(100);
        assert.equal(calls.length, pausedAt, 'nothing is read while paused');
        s.resume();
        for (let i = 0; i < 50 && calls.length === pausedAt; i++) await sleep(10);
        assert.ok(calls.length > pausedAt, 'reading goes on after resume()');
        assert.ok(calls.slice(pausedAt).every((st) => st === 0), 'queued events are read');
      } finally {
        s.close();
      }
    });
  });
}

test('an exception thrown by the receive callback surfaces as uncaughtException, not a crash', (t) => {
  if (!requireRoot(t)) return;
  const native = new URL('../src/socket/native.js', import.meta.url).href;
  const rtnl = new URL('./helpers/rtnl.js', import.meta.url).href;
  const script = `
    import { loadAddon } from ${JSON.stringify(native)};
    import { getLink } from ${JSON.stringify(rtnl)};
    const { NativeSocket } = loadAddon();
    const s = new NativeSocket(0, null);
    s.bind(0, 0);
    process.on('uncaughtException', (e) => { console.log('caught ' + e.message); s.close(); });
    s.start(() => { throw new Error('boom'); }, new Uint8Array(65536));
    s.send(getLink(1), 0, 0);
  `;
  const r = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8', env: cliEnv(), timeout: 10_000 });
  assert.equal(r.stderr, '');
  assert.equal(r.stdout.trim(), 'caught boom');
  assert.equal(r.status, 0);
  assert.ok(getLink(1)); // the helper used by the child builds a request
});

for (const readAhead of [false, true]) {
  test(`worker threads open, use and drop sockets, closed or not, without crashing at exit${readAhead ? ' (read-ahead)' : ''}`, async (t) => {
    if (!requireRoot(t)) return;
    const index = new URL('../src/index.js', import.meta.url).href;
    const rtnl = new URL('./helpers/rtnl.js', import.meta.url).href;
    for (const close of [true, false]) {
      const code = `
        import { parentPort } from 'node:worker_threads';
        import { NetlinkSocket, NETLINK_ROUTE } from ${JSON.stringify(index)};
        import { getLinks } from ${JSON.stringify(rtnl)};
        const s = NetlinkSocket.open(NETLINK_ROUTE, { readAhead: ${readAhead}, groups: [1] });
        const links = await s.dump(getLinks()).toArray();
        ${close ? 's.close();' : '// left open: terminate() must tear it down'}
        parentPort.postMessage(links.length);
      `;
      // Run in a child process so that a crash at worker teardown fails this test, not the runner.
      const harness = `
        import { Worker } from 'node:worker_threads';
        const url = 'data:text/javascript,' + encodeURIComponent(${JSON.stringify(code)});
        for (let i = 0; i < 3; i++) {
          const w = new Worker(new URL(url));
          const n = await new Promise((res, rej) => { w.once('message', res); w.once('error', rej); });
          await w.terminate();
          console.log(n > 0 ? 'ok' : 'no links');
        }
      `;
      const r = spawnSync(process.execPath, ['--input-type=module', '-e', harness], { encoding: 'utf8', env: cliEnv(), timeout: 20_000 });
      assert.equal(r.signal, null, `worker harness died of ${r.signal} (close=${close}, readAhead=${readAhead})`);
      assert.equal(r.status, 0, r.stderr);
      assert.equal(r.stdout, 'ok\nok\nok\n');
    }
    assert.ok(Worker);
    assert.ok(fileURLToPath(index));
  });
}

/** A USERSOCK datagram of `size` bytes: one message header (length, type, seq) and a pattern. */
function datagram(size: number, seq: number): Uint8Array {
  const b = new Uint8Array(size);
  for (let i = 16; i < size; i++) b[i] = (i * 7 + seq) & 0xff;
  const dv = new DataView(b.buffer);
  dv.setUint32(0, size, true);
  dv.setUint16(4, 0x10, true);
  dv.setUint32(8, seq, true);
  return b;
}

for (const readAhead of [false, true]) {
  test(`a datagram larger than the buffer is reported cut, with its length and header; the next ones arrive whole${readAhead ? ' (read-ahead, no copy)' : ''}`, { timeout: 30_000 }, async (t) => {
    if (!requireRoot(t)) return;
    const { NativeSocket } = loadAddon();
    const rx = new NativeSocket(NETLINK_USERSOCK, null);
    const tx = new NativeSocket(NETLINK_USERSOCK, null);
    try {
      rx.bind(0, 0);
      tx.bind(0, 0);
      const [port] = rx.getsockname();
      type Got = { status: number; length: number; truncated: boolean; seq: number; bytes: Uint8Array; slot: Uint8Array | undefined };
      const got: Got[] = [];
      let buffer = new Uint8Array(4096);
      let done!: () => void;
      const all = new Promise<void>((r) => (done = r));
      const sizes = [10_000, 100, 10_000, 6000, 70_000, 300, 70_000];
      rx.start((status, length, _portid, _groups, _group, _nsid, truncated, slot) => {
        const b = slot ?? buffer;
        const seq = b.byteLength >= 16 ? new DataView(b.buffer, b.byteOffset).getUint32(8, true) : -1;
        got.push({ status, length, truncated, seq, bytes: b.slice(0, Math.min(length, b.byteLength)), slot });
        if (truncated) {
          // What NetlinkSocket does (onTruncated): a buffer that fits the next one of this size.
          let size = b.byteLength * 2;
          while (size < length) size *= 2;
          buffer = new Uint8Array(size);
          rx.setBuffer(buffer);
        }
        // Every datagram is reported: the two cut ones too.
        if (got.length === sizes.length) done();
      }, buffer, readAhead);
      sizes.forEach((size, i) => tx.send(datagram(size, i + 1), port, 0));
      await all;
      // Cut: the first 10,000-byte one (into 4 KiB) and the first 70,000-byte one (into 16 KiB).
      const cut = got.filter((g) => g.truncated);
      assert.deepEqual(cut.map((g) => [g.status, g.length, g.seq]), [[0, 10_000, 1], [0, 70_000, 5]]);
      const whole = got.filter((g) => !g.truncated);
      assert.deepEqual(whole.map((g) => g.seq), [2, 3, 4, 6, 7], 'nothing else is lost');
      for (const g of whole) {
        assert.equal(g.status, 0);
        assert.deepEqual(g.bytes, datagram(sizes[g.seq - 1]!, g.seq), `datagram ${g.seq} arrives intact`);
      }
      if (readAhead) {
        for (const g of got) {
          assert.ok(g.slot, 'the datagram is handed over in its slot');
          assert.equal(Object.getPrototypeOf(g.slot), Uint8Array.prototype, 'a plain Uint8Array: slice() copies');
        }
      } else {
        assert.ok(got.every((g) => g.slot === undefined), 'poll mode receives into the buffer given');
      }
    } finally {
      rx.close();
      tx.close();
    }
  });
}

test('read-ahead hands JS one array per slot, reused for every datagram the slot receives', { timeout: 30_000 }, async (t) => {
  if (!requireRoot(t)) return;
  const { NativeSocket } = loadAddon();
  const rx = new NativeSocket(NETLINK_USERSOCK, null);
  const tx = new NativeSocket(NETLINK_USERSOCK, null);
  try {
    rx.bind(0, 0);
    tx.bind(0, 0);
    const [port] = rx.getsockname();
    const N = 200;
    const arrays = new Set<Uint8Array>();
    const copies: Uint8Array[] = [];
    let done!: () => void;
    const all = new Promise<void>((r) => (done = r));
    rx.start((status, length, _p, _g, _gr, _n, truncated, slot) => {
      assert.equal(status, 0);
      assert.equal(truncated, false);
      arrays.add(slot!);
      copies.push(slot!.slice(0, length));
      if (copies.length === N) done();
    }, new Uint8Array(8192), true);
    for (let i = 1; i <= N; i++) tx.send(datagram(64 + i, i), port, 0);
    await all;
    assert.ok(arrays.size >= 1 && arrays.size <= 8, `${arrays.size} arrays for ${N} datagrams (a ring of 8 slots)`);
    copies.forEach((c, i) => assert.deepEqual(c, datagram(64 + i + 1, i + 1)));
  } finally {
    rx.close();
    tx.close();
  }
});
