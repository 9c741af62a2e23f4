// The client library against the in-process server, for what a kernel cannot be made to do on
// demand: overruns, interrupted dumps, truncated datagrams, replies from an unexpected port,
// and netlink_rcv_skb's rules on crafted batches. NetlinkSocket runs unchanged on the bus.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, test } from 'node:test';
import {
  HOST_LE, MessageWriter, NLM_F_ACK, NLM_F_DUMP, NLM_F_MULTI, NLM_F_REQUEST, NLMSG_DONE, NLMSG_ERROR, NLMSG_NOOP, NetlinkError,
  Dump, NetlinkSocket, SocketError, parseAck, retryInterrupted, type NetlinkEvent, type Overrun,
} from '../src/index.js';
import {
  ClassicServer, NL_VALIDATE_STRICT, NetlinkBus, buildMessage, definePolicy, errno, nla, parseAttributes,
} from '../src/server/index.js';
import { cliEnv } from './helpers/cli.js';

const PROTO = 21; // NETLINK_EXAMPLE of the tutorial: any free protocol number will do on the bus
const T_GET = 0x10;
const T_BIG = 0x11;
const T_TABLE = 0x12;
const T_ADMIN = 0x14;
const T_DUMP_FAIL = 0x15;
const T_START_FAIL = 0x16;
const ATTR_VALUE = 1;
const GROUP = 1;

/** A table the TABLE dump walks; `generation` is its cb->seq. */
class Table {
  rows: number[] = [];
  generation = 1;
  constructor(n: number) {
    for (let i = 0; i < n; i++) this.rows.push(i);
  }
  change(): void {
    this.rows.push(this.rows.length);
    this.generation++;
  }
}

interface World {
  bus: NetlinkBus;
  server: ClassicServer;
  table: Table;
  dumpsDone: number;
  open(opts?: Parameters<typeof NetlinkSocket.open>[1]): NetlinkSocket;
}

function world(opts: { rows?: number; dumpBufferSize?: number } = {}): World {
  const bus = new NetlinkBus();
  const table = new Table(opts.rows ?? 300);
  const server = new ClassicServer({ dumpBufferSize: opts.dumpBufferSize ?? 1024 });
  const w: World = {
    bus, server, table, dumpsDone: 0,
    open: (o = {}) => NetlinkSocket.open(PROTO, { transport: bus.transport(), ...o }),
  };
  let counter = 0;
  server.on(T_GET, { doit: (req) => server.reply(req, T_GET, (m) => m.attrU32(ATTR_VALUE, ++counter)) });
  server.on(T_BIG, {
    // A 100 KB reply: larger than NetlinkSocket's default 64 KiB receive buffer.
    doit: (req) => server.reply(req, T_BIG, (m) => {
      m.attr(2, new Uint8Array(50_000).fill(1));
      m.attr(3, new Uint8Array(50_000).fill(2));
    }),
  });
  server.on<number>(T_TABLE, {
    dump: {
      init: () => 0,
      dump: (cb) => {
        cb.generation = table.generation;
        while (cb.state < table.rows.length) {
          const v = table.rows[cb.state]!;
          if (!cb.put(T_TABLE, (m) => m.attrU32(ATTR_VALUE, v))) return;
          cb.state++;
        }
      },
      done: () => void w.dumpsDone++,
    },
  });
  server.on(T_ADMIN, { admin: true, doit: () => 0 });
  server.on<number>(T_DUMP_FAIL, {
    dump: {
      init: () => 0,
      dump: (cb) => {
        for (; cb.state < 5; cb.state++) if (!cb.put(T_DUMP_FAIL, (m) => m.attrU32(ATTR_VALUE, cb.state))) return;
        cb.extack.setMessage('table went away');
        return -errno.ENOENT;
      },
    },
  });
  server.on(T_START_FAIL, {
    policy: definePolicy({ [ATTR_VALUE]: nla.u32() }),
    dump: {
      start: (cb) => {
        cb.extack.setBadAttr(cb.attrs!.offset(ATTR_VALUE)!, 'no dumps for this value');
        return -errno.EINVAL;
      },
      dump: () => {},
    },
  });
  bus.serve(PROTO, server);
  return w;
}

function msg(type: number, flags = 0, fill?: (w: MessageWriter) => void): Uint8Array {
  const w = new MessageWriter(64);
  w.begin(type, flags);
  fill?.(w);
  w.end();
  return w.toBytes();
}

/** The next item of `it`, or 'timeout' after `ms`. */
async function nextWithin<T>(it: AsyncIterator<T>, ms: number): Promise<T | 'timeout' | 'done'> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<'timeout'>((resolve) => {
    timer = setTimeout(() => resolve('timeout'), ms);
  });
  try {
    const r = await Promise.race([it.next(), timeout]);
    if (r === 'timeout') return r;
    return r.done ? 'done' : r.value;
  } finally {
    clearTimeout(timer);
  }
}

const BARRIER_SEQ = 0x0b0b0b0b;

/**
 * Every item `it` yields before the reply to a barrier: a T_GET sent on `s` once `ready(got)`
 * holds. The bus delivers to a socket in order, so whatever was sent to it before the barrier's
 * reply has been read when the reply arrives (no waiting for a quiet period).
 */
async function drain<T>(it: AsyncIterator<T>, s: NetlinkSocket, ready: (got: T[]) => boolean = () => true): Promise<T[]> {
  const out: T[] = [];
  let sent = false;
  for (;;) {
    if (!sent && ready(out)) {
      const b = msg(T_GET, NLM_F_REQUEST);
      new DataView(b.buffer).setUint32(8, BARRIER_SEQ, HOST_LE);
      s.send(b);
      sent = true;
    }
    const v = await nextWithin(it, 10_000);
    assert.ok(v !== 'timeout' && v !== 'done', `the barrier's reply came (${out.length} items before it)`);
    const m = v as unknown as Partial<NetlinkEvent>;
    if (m.type === T_GET && m.seq === BARRIER_SEQ) return out;
    out.push(v);
  }
}

const valueOf = (payload: Uint8Array) => new DataView(payload.buffer, payload.byteOffset).getUint32(4, HOST_LE);

describe('overruns', () => {
  test('ENOBUFS becomes an Overrun item, the events that fit still arrive, and the socket keeps working', async () => {
    const w = world();
    const s = w.open({ rcvbuf: 4096, groups: [GROUP] });
    try {
      assert.equal(s.receiveBufferSize, 8192, 'SO_RCVBUF is doubled, as the kernel does');
      const it = s.events();
      // 200 notifications at once: the 8 KiB queue takes a handful, the rest overflow.
      for (let i = 0; i < 200; i++) w.server.multicast(GROUP, buildMessage(T_GET, 0, 0, 0, (m) => m.attrU32(ATTR_VALUE, i)));
      const got = await drain(it, s, (g) => g.length > 0); // the barrier once the reader has made room
      const overruns = got.filter((e): e is Overrun => 'overrun' in e);
      const events = got.filter((e): e is NetlinkEvent => !('overrun' in e));
      assert.equal(overruns.length, 1, 'one ENOBUFS per overflow episode');
      assert.equal(overruns[0]!.code, 'ENOBUFS');
      assert.ok(events.length > 0 && events.length < 200, `${events.length} events arrived`);
      assert.deepEqual(events.map((e) => valueOf(e.payload)), events.map((_, i) => i), 'the first ones, in order');
      // The socket still answers requests and still receives events.
      const r = await s.request(msg(T_GET));
      assert.equal(r.messages.length, 1);
      w.server.multicast(GROUP, buildMessage(T_GET, 0, 0, 0, (m) => m.attrU32(ATTR_VALUE, 999)));
      const next = await nextWithin(it, 1000);
      assert.ok(next !== 'timeout' && next !== 'done' && !('overrun' in next));
      assert.equal(valueOf(next.payload), 999);
      assert.equal(next.group, GROUP);
    } finally {
      s.close();
    }
  });

  test('an injected overrun loses exactly the chosen event and is reported once', async () => {
    const w = world();
    const s = w.open({ groups: [GROUP] });
    try {
      const it = s.events();
      const rule = w.bus.fault({ action: 'overrun', to: s.portid, kind: 'multicast', match: (d) => valueOf(d.subarray(16)) === 2 });
      for (let i = 0; i < 5; i++) w.server.multicast(GROUP, buildMessage(T_GET, 0, 0, 0, (m) => m.attrU32(ATTR_VALUE, i)));
      const got = await drain(it, s);
      assert.equal(rule.hits, 1);
      assert.deepEqual(got.map((e) => ('overrun' in e ? 'overrun' : valueOf(e.payload))), ['overrun', 0, 1, 3, 4]);
    } finally {
      s.close();
    }
  });

  test('NETLINK_NO_ENOBUFS: an overrun loses events silently', async () => {
    const w = world();
    const s = w.open({ groups: [GROUP], noEnobufs: true });
    try {
      const it = s.events();
      w.bus.fault({ action: 'overrun', to: s.portid, kind: 'multicast' });
      for (let i = 0; i < 3; i++) w.server.multicast(GROUP, buildMessage(T_GET, 0, 0, 0, (m) => m.attrU32(ATTR_VALUE, i)));
      const got = await drain(it, s);
      assert.deepEqual(got.map((e) => ('overrun' in e ? 'overrun' : valueOf(e.payload))), [1, 2]);
    } finally {
      s.close();
    }
  });
});

describe('dumps', () => {
  test('a dump spans many datagrams, waits for a slow reader and loses nothing', async () => {
    const w = world({ rows: 2000 });
    const s = w.open({ rcvbuf: 4096 });
    try {
      const seen: number[] = [];
      let batches = 0;
      for await (const batch of s.dump(msg(T_TABLE)).batches()) {
        batches++;
        for (const m of batch) seen.push(valueOf(m.payload));
        if (batches % 10 === 0) await sleep(1);
      }
      assert.deepEqual(seen, w.table.rows);
      assert.ok(batches > 40, `${batches} datagrams`);
      assert.equal(w.dumpsDone, 1, 'done() ran once');
    } finally {
      s.close();
    }
  });

  test('a change mid-dump sets NLM_F_DUMP_INTR and the dump reports interrupted', async () => {
    // Enough rows for many more datagrams than the socket buffers before it stops reading, so
    // the change made at the first row lands while most of the dump is still to be built.
    const w = world({ rows: 5000 });
    const s = w.open();
    try {
      const quiet = s.dump(msg(T_TABLE));
      assert.equal((await quiet.toArray()).length, 5000);
      assert.equal(quiet.interrupted, false);
      const d = s.dump(msg(T_TABLE));
      let n = 0;
      let flagged = 0;
      for await (const m of d) {
        if (n++ === 0) w.table.change();
        if (m.flags & 0x10) flagged++;
        assert.ok(m.flags & NLM_F_MULTI);
      }
      assert.equal(d.interrupted, true);
      assert.ok(flagged > 0 && flagged < n, `${flagged} of ${n} messages flagged`);
    } finally {
      s.close();
    }
  });

  test('retryInterrupted dumps again until one dump is consistent, and gives up after its attempts', async () => {
    const w = world({ rows: 5000 });
    const s = w.open();
    try {
      // Each of the first `changes` dumps changes the table at its first row (see above).
      let changes = 2;
      const dump = () => {
        let first = true;
        return new Dump<number>({
          socket: s, request: msg(T_TABLE),
          decode: (r) => {
            if (first && changes > 0) {
              changes--;
              w.table.change();
            }
            first = false;
            return r.flags;
          },
        });
      };
      const interrupted: number[] = [];
      const rows = await retryInterrupted(dump, { onInterrupted: (a) => interrupted.push(a) });
      assert.deepEqual(interrupted, [1, 2]);
      assert.equal(rows.length, w.table.rows.length, 'the consistent dump has every row');
      assert.ok(rows.every((f) => !(f & 0x10)), 'no row of the returned dump is flagged');

      changes = 3;
      await assert.rejects(retryInterrupted(dump, { attempts: 3 }), (e: unknown) => e instanceof SocketError && e.code === 'ERR_DUMP_INTERRUPTED');
      await assert.rejects(retryInterrupted(dump, { attempts: 0 }), RangeError);
    } finally {
      s.close();
    }
  });

  test('an error inside NLMSG_DONE rejects the dump with the kernel message, after the rows before it', async () => {
    const w = world();
    const s = w.open();
    try {
      const rows: number[] = [];
      const err = await (async () => {
        for await (const m of s.dump(msg(T_DUMP_FAIL))) rows.push(valueOf(m.payload));
      })().then(() => undefined, (e: unknown) => e);
      assert.ok(err instanceof NetlinkError);
      assert.equal(err.code, 'ENOENT');
      assert.equal(err.kernelMessage, 'table went away');
      assert.deepEqual(rows, [0, 1, 2, 3, 4]);
      // No extended ACK asked for: the DONE carries the errno only.
      const plain = w.open({ extAck: false });
      const e2 = await plain.dump(msg(T_DUMP_FAIL)).toArray().catch((e: unknown) => e);
      plain.close();
      assert.ok(e2 instanceof NetlinkError);
      assert.equal(e2.kernelMessage, undefined);
    } finally {
      s.close();
    }
  });

  test('a dump whose start fails is an ordinary error ACK pointing into the request', async () => {
    const w = world();
    const s = w.open();
    try {
      const req = msg(T_START_FAIL, 0, (m) => m.attrU32(ATTR_VALUE, 7));
      const err = await s.dump(req, { headerSize: 0 }).toArray().catch((e: unknown) => e);
      assert.ok(err instanceof NetlinkError);
      assert.equal(err.code, 'EINVAL');
      assert.equal(err.kernelMessage, 'no dumps for this value');
      assert.equal(err.offset, 16);
      assert.deepEqual(err.attributePath, [ATTR_VALUE]);
    } finally {
      s.close();
    }
  });

  test('a second dump on the same socket while one runs is EBUSY', async () => {
    const w = world({ rows: 2000 });
    const s = w.open();
    try {
      const it = s.events();
      const a = msg(T_TABLE, NLM_F_REQUEST | NLM_F_DUMP);
      const b = msg(T_TABLE, NLM_F_REQUEST | NLM_F_DUMP);
      new DataView(b.buffer).setUint32(8, 77, HOST_LE);
      const batch = new Uint8Array(a.byteLength + b.byteLength);
      batch.set(a);
      batch.set(b, a.byteLength);
      s.send(batch);
      const got = (await drain(it, s, (g) => (g as NetlinkEvent[]).some((m) => m.type === NLMSG_DONE))) as NetlinkEvent[];
      const errs = got.filter((m) => m.type === NLMSG_ERROR);
      assert.equal(errs.length, 1, 'one error ACK, for the second dump');
      const ack = parseAck(errs[0]!.payload, 0, errs[0]!.payload.byteLength, errs[0]!.flags);
      assert.ok(!(ack instanceof Error));
      assert.equal(ack.error, -errno.EBUSY);
      assert.equal(ack.request.seq, 77);
      assert.equal(got.filter((m) => m.type === T_TABLE).length, 2000, 'the first dump, whole');
      assert.equal(w.dumpsDone, 1);
    } finally {
      s.close();
    }
  });

  test('a requester that goes away mid-dump ends the dump (done runs once)', async () => {
    const w = world({ rows: 5000 });
    const s = w.open();
    const it = s.dump(msg(T_TABLE))[Symbol.asyncIterator]();
    assert.notEqual(await nextWithin(it, 1000), 'timeout');
    // The consumer stops reading: the socket stops reading, so the dump waits for room.
    await sleep(20);
    assert.equal(w.dumpsDone, 0, 'still running');
    s.close();
    assert.equal(w.dumpsDone, 1);
    await sleep(10);
    assert.equal(w.dumpsDone, 1);
  });
});

describe('truncation', () => {
  test('a datagram larger than the buffer fails its request clearly, the buffer grows, the next request works', async () => {
    const w = world();
    const s = w.open();
    try {
      const err = await s.request(msg(T_BIG)).catch((e: unknown) => e);
      assert.ok(err instanceof SocketError);
      assert.equal(err.code, 'EMSGSIZE');
      assert.match(err.message, /100\d{3}-byte datagram larger than the 65536-byte buffer/);
      const r = await s.request(msg(T_BIG));
      assert.equal(r.messages[0]!.payload.byteLength, 2 * (4 + 50_000));
      assert.equal(r.messages[0]!.payload[4 + 49_999], 1);
    } finally {
      s.close();
    }
  });

  test('an injected truncation fails only the exchange it hit', async () => {
    const w = world();
    const s = w.open();
    try {
      const rule = w.bus.fault({ action: 'truncate', to: s.portid });
      const err = await s.request(msg(T_GET)).catch((e: unknown) => e);
      assert.ok(err instanceof SocketError && err.code === 'EMSGSIZE', String(err));
      assert.equal(rule.hits, 1);
      const r = await s.request(msg(T_GET));
      assert.equal(r.messages.length, 1);
    } finally {
      s.close();
    }
  });
});

describe('who may answer', () => {
  test('a reply from a non-kernel port id is not taken as the reply', async () => {
    const w = world();
    const s = w.open();
    try {
      const it = s.events();
      w.bus.fault({ action: 'spoof', to: s.portid, portid: 4242, count: 2 });
      const ac = new AbortController();
      const pending = s.request(msg(T_GET), { signal: ac.signal });
      const first = await nextWithin(it, 1000);
      assert.ok(first !== 'timeout' && first !== 'done' && !('overrun' in first));
      assert.equal(first.portid, 4242, 'the reply, from port 4242, went to the event listeners');
      assert.equal(first.type, T_GET);
      const second = await nextWithin(it, 1000);
      assert.ok(second !== 'timeout' && second !== 'done' && !('overrun' in second));
      assert.equal(second.type, NLMSG_ERROR, 'and so did the ACK');
      ac.abort();
      await assert.rejects(pending, { name: 'AbortError' });
      // Without the fault the same request is answered.
      const r = await s.request(msg(T_GET));
      assert.equal(r.messages.length, 1);
    } finally {
      s.close();
    }
  });

  test('a user-space server at a port id is reached with `peer`; the kernel port may not answer for it', async () => {
    const bus = new NetlinkBus();
    const server = new ClassicServer();
    server.on(T_GET, { doit: (req) => server.reply(req, T_GET, (m) => m.attrU32(ATTR_VALUE, 1)) });
    bus.serve(PROTO, server, { portid: 777 });
    const s = NetlinkSocket.open(PROTO, { transport: bus.transport(), peer: 777 });
    try {
      const r = await s.request(msg(T_GET));
      assert.equal(r.messages.length, 1);
      bus.fault({ action: 'spoof', to: s.portid, portid: 0, count: Infinity });
      await assert.rejects(s.request(msg(T_GET), { signal: AbortSignal.timeout(100) }), { name: 'TimeoutError' });
      // Without a server at 0, a kernel-addressed request is refused as on NETLINK_USERSOCK.
      assert.throws(() => s.send(msg(T_GET, NLM_F_REQUEST), 0), { code: 'ECONNREFUSED' });
    } finally {
      s.close();
    }
  });

  test('admin-only handlers answer EPERM to an unprivileged socket', async () => {
    const w = world();
    const root = w.open();
    const user = NetlinkSocket.open(PROTO, { transport: w.bus.transport({ privileged: false }) });
    try {
      await root.request(msg(T_ADMIN));
      await assert.rejects(user.request(msg(T_ADMIN)), (e: unknown) => e instanceof NetlinkError && e.code === 'EPERM');
      await user.request(msg(T_GET));
    } finally {
      root.close();
      user.close();
    }
  });
});

describe('netlink_rcv_skb', () => {
  test('a batch is handled in order with the kernel\'s ACK rules', async () => {
    const w = world();
    const s = w.open();
    try {
      const it = s.events();
      const parts = [
        msg(T_GET, NLM_F_REQUEST | NLM_F_ACK), // reply, then ACK 0
        msg(T_GET, NLM_F_ACK), // no NLM_F_REQUEST: not handled, ACK 0
        msg(NLMSG_NOOP, NLM_F_REQUEST | NLM_F_ACK), // control message: skipped, ACK 0
        msg(0x30, NLM_F_REQUEST), // no handler: EOPNOTSUPP, ACKed although not asked
        msg(T_GET, NLM_F_REQUEST), // reply only
        msg(T_GET, 0), // neither handled nor ACKed
      ];
      const tail = msg(T_GET, NLM_F_REQUEST | NLM_F_ACK).subarray(0, 12); // a cut-off header: ignored
      const seqs = [100, 101, 102, 103, 104, 105];
      const total = parts.reduce((n, p) => n + p.byteLength, 0) + tail.byteLength;
      const batch = new Uint8Array(total);
      let at = 0;
      parts.forEach((p, i) => {
        new DataView(p.buffer).setUint32(8, seqs[i]!, HOST_LE);
        batch.set(p, at);
        at += p.byteLength;
      });
      batch.set(tail, at);
      s.send(batch);
      const got = (await drain(it, s)) as NetlinkEvent[];
      const summary = got.map((m) => {
        if (m.type !== NLMSG_ERROR) return `reply ${m.seq}`;
        const a = parseAck(m.payload, 0, m.payload.byteLength, m.flags);
        return `ack ${m.seq} ${(a as { error: number }).error}`;
      });
      assert.deepEqual(summary, ['reply 100', 'ack 100 0', 'ack 101 0', 'ack 102 0', `ack 103 ${-errno.EOPNOTSUPP}`, 'reply 104']);
    } finally {
      s.close();
    }
  });

  test('error ACKs echo the request unless NETLINK_CAP_ACK; TLVs only with NETLINK_EXT_ACK', async () => {
    const w = world();
    const server = w.server;
    server.on(0x20, {
      doit: (req) => {
        req.extack.setBadAttr(req.payloadStart, 'nope');
        return -errno.EINVAL;
      },
    });
    for (const [capAck, extAck] of [[true, true], [false, true], [true, false], [false, false]] as const) {
      const s = w.open({ capAck, extAck });
      try {
        const it = s.events();
        const req = msg(0x20, NLM_F_REQUEST, (m) => m.attrU32(ATTR_VALUE, 5));
        new DataView(req.buffer).setUint32(8, 9, HOST_LE);
        s.send(req);
        const [ev] = (await drain(it, s)) as NetlinkEvent[];
        assert.ok(ev);
        const a = parseAck(ev.payload, 0, ev.payload.byteLength, ev.flags);
        assert.ok(!(a instanceof Error));
        assert.equal(a.error, -errno.EINVAL);
        assert.equal(a.request.length, req.byteLength);
        assert.deepEqual(a.requestPayload, capAck ? undefined : req.subarray(16), `capAck=${capAck}`);
        assert.equal(a.message, extAck ? 'nope' : undefined, `extAck=${extAck}`);
        assert.equal(a.offset, extAck ? 16 : undefined);
      } finally {
        s.close();
      }
    }
  });
});

describe('lost and late datagrams', () => {
  test('a dropped ACK leaves its request waiting (until aborted); the next request is answered', async () => {
    const w = world();
    const s = w.open();
    try {
      const rule = w.bus.fault({ action: 'drop', to: s.portid, match: (d) => new DataView(d.buffer, d.byteOffset).getUint16(4, HOST_LE) === NLMSG_ERROR });
      await assert.rejects(s.request(msg(T_GET), { signal: AbortSignal.timeout(100) }), { name: 'TimeoutError' });
      assert.equal(rule.hits, 1);
      assert.equal((await s.request(msg(T_GET))).messages.length, 1);
    } finally {
      s.close();
    }
  });

  test('a dropped dump datagram is a gap: the dump goes on and ends with DONE', async () => {
    const w = world({ rows: 300 });
    const s = w.open();
    try {
      let n = 0;
      w.bus.fault({ action: 'drop', to: s.portid, match: () => ++n === 3 });
      const rows = (await s.dump(msg(T_TABLE)).toArray()).map((m) => valueOf(m.payload));
      assert.ok(rows.length < 300 && rows.length > 250, `${rows.length} rows`);
      const gapAt = rows.findIndex((v, i) => v !== i);
      assert.ok(gapAt > 0, 'rows before the gap are in order');
      assert.deepEqual(rows.slice(gapAt), w.table.rows.slice(gapAt + 300 - rows.length), 'and after it');
    } finally {
      s.close();
    }
  });

  test('a delayed reply arrives late, and nothing overtakes it', async () => {
    const w = world();
    const s = w.open({ groups: [GROUP] });
    try {
      const it = s.events();
      w.bus.fault({ action: 'delay', ms: 120, to: s.portid, kind: 'unicast' });
      const t0 = performance.now();
      const reply = s.request(msg(T_GET), { ack: false });
      w.server.multicast(GROUP, buildMessage(T_GET, 0, 0, 0, (m) => m.attrU32(ATTR_VALUE, 5)));
      const order: string[] = [];
      await Promise.all([
        reply.then(() => order.push('reply')),
        it.next().then(() => order.push('event')),
      ]);
      assert.ok(performance.now() - t0 >= 110, 'the reply waited');
      assert.deepEqual(order, ['reply', 'event']);
    } finally {
      s.close();
    }
  });
});

describe('required attributes', () => {
  test('a handler names an attribute missing inside a nest (MISS_TYPE and MISS_NEST)', async () => {
    const inner = definePolicy({ 1: nla.u32(), 2: nla.u32() });
    const outer = definePolicy({ 1: nla.nested(inner) });
    const w = world();
    w.server.on(0x21, {
      policy: outer,
      validate: NL_VALIDATE_STRICT,
      doit: (req) => {
        if (req.missing(req.attrs, 1)) return -errno.EINVAL;
        const [start, end] = req.attrs!.range(1)!;
        const nested = parseAttributes(req.buf, req.view, start, end, inner, NL_VALIDATE_STRICT, req.extack);
        if (typeof nested === 'number') return nested;
        if (req.missing(nested, 2, req.attrs!.offset(1))) return -errno.EINVAL;
        return 0;
      },
    });
    const s = w.open();
    try {
      const top = await s.request(msg(0x21)).catch((e: unknown) => e);
      assert.ok(top instanceof NetlinkError);
      assert.deepEqual([top.code, top.missingType, top.missingNest], ['EINVAL', 1, undefined]);
      const req = msg(0x21, 0, (m) => {
        const n = m.beginNest(1);
        m.attrU32(1, 5);
        m.endNest(n);
      });
      const inNest = await s.request(req).catch((e: unknown) => e);
      assert.ok(inNest instanceof NetlinkError);
      assert.deepEqual([inNest.code, inNest.missingType, inNest.missingNest], ['EINVAL', 2, 16]);
    } finally {
      s.close();
    }
  });
});

describe('process lifetime', () => {
  // Like a native socket's poll handle: a listening bus socket keeps the process alive unless
  // unref()ed. The child proves which by an unref()ed timer: it fires only while something else
  // keeps the loop alive, so "held" is printed exactly when the listener holds the process.
  const script = (unref: boolean) => `
    import { NetlinkSocket } from ${JSON.stringify(new URL('../src/index.js', import.meta.url).href)};
    import { NetlinkBus } from ${JSON.stringify(new URL('../src/server/index.js', import.meta.url).href)};
    const s = NetlinkSocket.open(21, { transport: new NetlinkBus().transport(), groups: [1] });
    ${unref ? 's.unref();' : ''}
    s.events().next().then(() => console.log('event'));
    console.log('listening');
    setTimeout(() => { console.log('held'); process.exit(0); }, 100).unref();
  `;
  const run = (unref: boolean) => spawnSync(process.execPath, ['--input-type=module', '-e', script(unref)], { encoding: 'utf8', env: cliEnv(), timeout: 30_000 });

  test('an unref()ed listener lets the process exit; a referenced one keeps it running', () => {
    const idle = run(true);
    assert.equal(idle.status, 0, idle.stderr);
    assert.equal(idle.stdout, 'listening\n', 'exited without the timer firing');
    const held = run(false);
    assert.equal(held.status, 0, held.stderr);
    assert.equal(held.stdout, 'listening\nheld\n', 'still running when the unref()ed timer fired');
  });
});
