// The dispatcher without I/O, driven with byte fixtures: routing by sequence number and port id,
// echoes, one settle, and recovery from lost or unreadable replies. No root, no kernel.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  HOST_LE, MessageWriter, NLM_F_ACK, NLM_F_ACK_TLVS, NLM_F_REQUEST, NLMSG_ERROR, NLMSG_NOOP, viewOf,
  type MessageReader,
} from '../src/wire/index.js';
import { Dispatcher, type Origin } from '../src/socket/dispatcher.js';
import type { Exchange, Outcome } from '../src/socket/exchange.js';

const PORT = 4242;
const KERNEL: Origin = { portid: 0, groups: 0, group: 0, nsid: -1 };

/** A message of `type` with `seq`, nlmsg_pid `pid`, and a u32 payload. */
function message(type: number, seq: number, pid = PORT, value = 0): Uint8Array {
  const w = new MessageWriter();
  w.begin(type, 0, seq, pid);
  w.struct(4);
  w.view.setUint32(16, value, HOST_LE);
  w.end();
  return w.toBytes();
}

/** An NLMSG_ERROR for `seq` with `error` (0: an ACK), capped, echoing a 16-byte request header. */
function ackFor(seq: number, error = 0, flags = 0x100 /* NLM_F_CAPPED */): Uint8Array {
  const b = new Uint8Array(36);
  const dv = viewOf(b);
  dv.setUint32(0, 36, HOST_LE);
  dv.setUint16(4, NLMSG_ERROR, HOST_LE);
  dv.setUint16(6, flags, HOST_LE);
  dv.setUint32(8, seq, HOST_LE);
  dv.setUint32(12, PORT, HOST_LE);
  dv.setInt32(16, error, HOST_LE);
  dv.setUint32(20, 16, HOST_LE);
  dv.setUint32(28, seq, HOST_LE);
  return b;
}

function concat(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.byteLength, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.byteLength;
  }
  return out;
}

/** An exchange that keeps what it is given and ends on NLMSG_ERROR. */
class Recorder implements Exchange {
  readonly peer = 0;
  reserved = 64;
  readonly got: number[] = [];
  readonly ends: (Error | null)[] = [];
  resends = 0;
  constructor(readonly seq: number, readonly lossy = true, readonly echo = false, private readonly canResend = false) {}
  onMessage(r: MessageReader): Outcome {
    if (r.type === NLMSG_ERROR) {
      const code = r.view.getInt32(r.payloadStart, HOST_LE);
      return code === 0 ? null : new Error(`errno ${-code}`);
    }
    this.got.push(r.view.getUint32(r.payloadStart, HOST_LE));
    return undefined;
  }
  settled(err: Error | null): void {
    this.ends.push(err);
  }
  resend(): boolean {
    if (!this.canResend) return false;
    this.resends++;
    return true;
  }
}

function setup() {
  const sent: Uint8Array[] = [];
  const events: { type: number; origin: Origin }[] = [];
  const lost: { code: string; cause?: Error }[] = [];
  let released = 0;
  const d = new Dispatcher({
    send: (b) => void sent.push(b.slice()),
    event: (r, origin) => void events.push({ type: r.type, origin }),
    eventsLost: (code, cause) => void lost.push(cause ? { code, cause } : { code }),
    released: (n) => void (released += n),
  }, { portid: PORT, peer: 0, barrier: true, seq: 100 });
  return { d, sent, events, lost, released: () => released };
}

function feed(d: Dispatcher, bytes: Uint8Array, origin: Origin = KERNEL): void {
  d.receive(bytes, bytes.byteLength, origin);
}

describe('dispatcher: routing', () => {
  test('a reply goes to the exchange of its sequence number, others are events', () => {
    const { d, events } = setup();
    const a = new Recorder(d.nextSeq());
    const b = new Recorder(d.nextSeq());
    d.register(a);
    d.register(b);
    feed(d, concat(message(20, b.seq, PORT, 2), message(20, a.seq, PORT, 1), message(20, 999, PORT, 3)));
    assert.deepEqual(a.got, [1]);
    assert.deepEqual(b.got, [2]);
    assert.deepEqual(events.map((e) => e.type), [20], 'the unmatched sequence number is an event');
    feed(d, concat(ackFor(a.seq), ackFor(b.seq, -17)));
    assert.deepEqual(a.ends, [null]);
    assert.equal(b.ends.length, 1);
    assert.match(String(b.ends[0]), /errno 17/);
    assert.equal(d.size, 0);
  });

  test('a reply with the right sequence number from another port is not taken as the reply', () => {
    const { d, events } = setup();
    const a = new Recorder(d.nextSeq());
    d.register(a);
    feed(d, concat(message(20, a.seq), ackFor(a.seq)), { portid: 777, groups: 0, group: 0, nsid: -1 });
    assert.deepEqual(a.got, []);
    assert.equal(a.ends.length, 0, 'still waiting');
    assert.equal(events.length, 2);
    assert.equal(events[0]!.origin.portid, 777);
  });

  test('the multicast copy addressed to us answers an NLM_F_ECHO request only', () => {
    const { d, events } = setup();
    const echo = new Recorder(d.nextSeq(), true, true);
    const plain = new Recorder(d.nextSeq());
    d.register(echo);
    d.register(plain);
    const group: Origin = { portid: 0, groups: 0, group: 5, nsid: -1 };
    feed(d, message(24, echo.seq, PORT, 7), group);
    feed(d, message(24, plain.seq, PORT, 8), group);
    feed(d, message(24, echo.seq, 1234, 9), group);
    assert.deepEqual(echo.got, [7]);
    assert.deepEqual(plain.got, []);
    assert.deepEqual(events.map((e) => e.origin.group), [5, 5]);
  });

  test('settle runs once and gives the reserved room back', () => {
    const { d, released } = setup();
    const a = new Recorder(d.nextSeq());
    d.register(a);
    d.settle(a, null);
    d.settle(a, new Error('again'));
    feed(d, ackFor(a.seq));
    assert.deepEqual(a.ends, [null]);
    assert.equal(released(), 64);
  });

  test('a late reply to an abandoned exchange is dropped, not an event', () => {
    const { d, events } = setup();
    const a = new Recorder(d.nextSeq());
    d.register(a);
    d.abandon(a, new Error('timed out'));
    feed(d, concat(message(20, a.seq), ackFor(a.seq)));
    assert.equal(events.length, 0);
    assert.equal(a.ends.length, 1);
    feed(d, message(20, a.seq));
    assert.equal(events.length, 1, 'after its ACK the sequence number is free again');
  });

  test('an exchange whose handler throws is rejected with the error; the rest of the datagram is routed', () => {
    const { d } = setup();
    const bad = new Recorder(d.nextSeq());
    bad.onMessage = () => {
      throw new RangeError('offset out of bounds');
    };
    const good = new Recorder(d.nextSeq());
    d.register(bad);
    d.register(good);
    feed(d, concat(message(20, bad.seq), message(20, good.seq, PORT, 4), ackFor(good.seq)));
    assert.match(String(bad.ends[0]), /offset out of bounds/);
    assert.deepEqual(good.got, [4]);
    assert.deepEqual(good.ends, [null]);
  });
});

describe('dispatcher: lost replies', () => {
  test('after ENOBUFS a barrier finds exactly the replies that were lost', () => {
    const { d, sent, lost } = setup();
    const answered = new Recorder(d.nextSeq());
    const dropped = new Recorder(d.nextSeq());
    const get = new Recorder(d.nextSeq(), true, false, true);
    const dump = new Recorder(d.nextSeq(), false);
    for (const x of [answered, dropped, get, dump]) d.register(x);
    d.lost(new Error('ENOBUFS'));
    assert.deepEqual(lost.map((l) => l.code), ['ENOBUFS'], 'listeners hear of the overrun');
    assert.equal(sent.length, 1, 'one barrier sent');
    const barrier = viewOf(sent[0]!);
    assert.equal(barrier.getUint16(4, HOST_LE), NLMSG_NOOP);
    assert.equal(barrier.getUint16(6, HOST_LE), NLM_F_REQUEST | NLM_F_ACK);
    const bseq = barrier.getUint32(8, HOST_LE);
    // The reply that survived was queued before the barrier's ACK.
    feed(d, concat(ackFor(answered.seq), ackFor(bseq)));
    assert.deepEqual(answered.ends, [null]);
    assert.equal(dropped.ends.length, 1);
    assert.equal((dropped.ends[0] as { code?: string }).code, 'ERR_REPLY_LOST');
    assert.equal(get.resends, 1, 'a GET is sent again');
    assert.equal(get.ends.length, 0, 'and waits for its new reply');
    assert.equal(dump.ends.length, 0, 'dump data is never dropped: the dump goes on');
    feed(d, ackFor(get.seq));
    assert.deepEqual(get.ends, [null]);
  });

  test('a barrier lost in turn is covered by the next one', () => {
    const { d, sent } = setup();
    const x = new Recorder(d.nextSeq());
    d.register(x);
    d.lost(new Error('ENOBUFS'));
    d.lost(new Error('ENOBUFS'));
    assert.equal(sent.length, 2);
    const second = viewOf(sent[1]!).getUint32(8, HOST_LE);
    feed(d, ackFor(second));
    assert.equal((x.ends[0] as { code?: string }).code, 'ERR_REPLY_LOST');
  });

  test('an unreadable unicast datagram counts as lost replies; an unreadable multicast one as lost events', () => {
    const { d, sent, lost } = setup();
    const x = new Recorder(d.nextSeq());
    d.register(x);
    const lie = message(20, x.seq);
    viewOf(lie).setUint32(0, 0x80000000, HOST_LE);
    feed(d, lie);
    assert.equal(sent.length, 1, 'a barrier went out');
    feed(d, lie, { portid: 0, groups: 0, group: 3, nsid: -1 });
    assert.deepEqual(lost.map((l) => l.code), ['ERR_MALFORMED']);
    assert.match(String(lost[0]!.cause), /malformed datagram/);
  });

  test('without barriers (a protocol that does not ACK control messages) lost replies fail at once', () => {
    const sent: Uint8Array[] = [];
    const d = new Dispatcher({ send: (b) => void sent.push(b), event: () => {}, eventsLost: () => {}, released: () => {} }, { portid: PORT, peer: 0, barrier: false });
    const x = new Recorder(d.nextSeq());
    d.register(x);
    d.lost(new Error('ENOBUFS'));
    assert.equal(sent.length, 0);
    assert.equal((x.ends[0] as { code?: string }).code, 'ERR_REPLY_LOST');
  });

  test('the hostile ACK (ACK_TLVS, error -22, echoed nlmsg_len 0x80000000) settles its exchange, nothing throws', () => {
    const { d } = setup();
    const x = new Recorder(d.nextSeq());
    x.onMessage = (r) => (r.type === NLMSG_ERROR ? new Error('refused') : undefined);
    d.register(x);
    const b = ackFor(x.seq, -22, NLM_F_ACK_TLVS);
    viewOf(b).setUint32(20, 0x80000000, HOST_LE);
    feed(d, b);
    assert.equal(x.ends.length, 1);
  });
});
