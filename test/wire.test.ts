// The pure codec: round trips through MessageWriter and the readers, malformed input (table
// driven), extended-ACK parsing and attribute paths. No kernel needed.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  AttributeReader, MessageReader, MessageWriter, WireError, align4, attributePathAt, parseAck, parseAttributes,
  parseMessages, NLA_F_NESTED, NLA_F_NET_BYTEORDER, NLM_F_ACK_TLVS, NLM_F_CAPPED, NLM_F_MULTI, NLM_F_REQUEST,
  NLMSG_DONE, NLMSG_ERROR, NLMSGERR_ATTR_COOKIE, NLMSGERR_ATTR_MISS_NEST, NLMSGERR_ATTR_MISS_TYPE, NLMSGERR_ATTR_MSG,
  NLMSGERR_ATTR_OFFS, NLMSGERR_ATTR_POLICY,
} from '../src/wire/index.js';

// ---- byte builders, independent of MessageWriter ----

/** Little-endian (this host) helpers: u16/u32 as bytes. */
function le16(v: number): number[] {
  return [v & 0xff, (v >>> 8) & 0xff];
}
function le32(v: number): number[] {
  return [v & 0xff, (v >>> 8) & 0xff, (v >>> 16) & 0xff, (v >>> 24) & 0xff];
}
/** An nlmsghdr with an explicit length field (which may lie). */
function hdr(len: number, type = 0x10, flags = 0, seq = 1, pid = 0): number[] {
  return [...le32(len), ...le16(type), ...le16(flags), ...le32(seq), ...le32(pid)];
}
/** A well-formed message: header + payload, padded to 4 unless `pad` is false. */
function msg(type: number, payload: number[], pad = true, flags = 0, seq = 1): number[] {
  const out = [...hdr(16 + payload.length, type, flags, seq), ...payload];
  while (pad && out.length % 4) out.push(0);
  return out;
}
/** An attribute with an explicit nla_len (which may lie); value padded to 4. */
function rawAttr(len: number, type: number, value: number[]): number[] {
  const out = [...le16(len), ...le16(type), ...value];
  while (out.length % 4) out.push(0);
  return out;
}
function attr(type: number, value: number[]): number[] {
  return rawAttr(4 + value.length, type, value);
}
function ascii(s: string): number[] {
  return [...Buffer.from(s + '\0')];
}
const bytes = (a: number[]) => Uint8Array.from(a);

/** Walks every message, bounded so that a reader that loops fails instead of hanging. */
function walkMessages(buf: Uint8Array): { types: number[]; lengths: number[]; error: WireError | null } {
  const r = new MessageReader(buf);
  const types: number[] = [];
  const lengths: number[] = [];
  for (let i = 0; r.next(); i++) {
    assert.ok(i < 1000, 'MessageReader does not terminate');
    types.push(r.type);
    lengths.push(r.length);
  }
  return { types, lengths, error: r.error };
}
function walkAttributes(buf: Uint8Array, start = 0, end = buf.byteLength): { types: number[]; error: WireError | null } {
  const r = new AttributeReader(buf, start, end);
  const types: number[] = [];
  for (let i = 0; r.next(); i++) {
    assert.ok(i < 1000, 'AttributeReader does not terminate');
    types.push(r.type);
  }
  return { types, error: r.error };
}

/** One malformed-input case: what the walk yields before stopping, and the error it reports. */
interface MalformedCase {
  name: string;
  buf: number[];
  types: number[];
  error: RegExp | null;
  errorAt?: number;
}

/** A test per case: the walk yields `types`, then reports `error` (never throws); the copying parser throws it. */
function runMalformed(
  cases: MalformedCase[],
  walk: (buf: Uint8Array) => { types: number[]; error: WireError | null },
  parse: (buf: Uint8Array) => unknown,
): void {
  for (const c of cases) {
    test(c.name, () => {
      const got = walk(bytes(c.buf));
      assert.deepEqual(got.types, c.types);
      if (c.error === null) {
        assert.equal(got.error, null);
        assert.doesNotThrow(() => parse(bytes(c.buf)));
        return;
      }
      assert.ok(got.error instanceof WireError, 'error is reported');
      assert.match(got.error.message, c.error);
      if (c.errorAt !== undefined) assert.equal(got.error.offset, c.errorAt);
      assert.throws(() => parse(bytes(c.buf)), WireError);
    });
  }
}

describe('MessageWriter and readers round trip', () => {
  test('a message with every attribute kind encodes to the expected bytes and decodes back', () => {
    const w = new MessageWriter(16); // small start: exercises growth
    w.begin(0x10, NLM_F_REQUEST, 7, 42);
    const s = w.struct(16);
    w.view.setUint32(s + 4, 0xdeadbeef, true);
    w.attrU8(1, 0xab);
    w.attrU16(2, 0x1234);
    w.attrU16(3, 0x1234, true);
    w.attrU32(4, 0xfffffffe);
    w.attrU32(5, 0x01020304, true);
    w.attrS32(6, -5);
    w.attrU64(7, 0x0102030405060708n);
    w.attrString(8, 'eth0');
    w.attrFlag(9);
    const n = w.beginNest(10);
    w.attrU32(1, 1);
    const inner = w.beginNest(2);
    w.attrString(3, 'x');
    w.endNest(inner);
    w.endNest(n);
    w.attr(11, Uint8Array.of(1, 2, 3, 4, 5));
    w.end();
    const buf = w.toBytes();

    const want = bytes([
      ...hdr(buf.byteLength, 0x10, NLM_F_REQUEST, 7, 42),
      0, 0, 0, 0, 0xef, 0xbe, 0xad, 0xde, 0, 0, 0, 0, 0, 0, 0, 0,
      ...attr(1, [0xab]),
      ...attr(2, [0x34, 0x12]),
      ...attr(3 | NLA_F_NET_BYTEORDER, [0x12, 0x34]),
      ...attr(4, le32(0xfffffffe)),
      ...attr(5 | NLA_F_NET_BYTEORDER, [1, 2, 3, 4]),
      ...attr(6, le32(-5 >>> 0)),
      ...attr(7, [8, 7, 6, 5, 4, 3, 2, 1]),
      ...attr(8, ascii('eth0')),
      ...attr(9, []),
      ...attr(10 | NLA_F_NESTED, [...attr(1, le32(1)), ...attr(2 | NLA_F_NESTED, attr(3, ascii('x')))]),
      ...attr(11, [1, 2, 3, 4, 5]),
    ]);
    assert.deepEqual(buf, want);
    assert.equal(buf.byteLength % 4, 0);

    const [m, ...rest] = parseMessages(buf);
    assert.equal(rest.length, 0);
    assert.deepEqual({ type: m!.type, flags: m!.flags, seq: m!.seq, pid: m!.pid }, { type: 0x10, flags: NLM_F_REQUEST, seq: 7, pid: 42 });
    const r = new AttributeReader(m!.payload, 16);
    const got: Record<number, unknown> = {};
    while (r.next()) {
      switch (r.type) {
        case 1: got[1] = r.u8(); break;
        case 2: got[2] = r.u16(); break;
        case 3: got[3] = [r.netByteOrder, r.u16()]; break;
        case 4: got[4] = r.u32(); break;
        case 5: got[5] = [r.netByteOrder, r.u32()]; break;
        case 6: got[6] = r.s32(); break;
        case 7: got[7] = r.u64(); break;
        case 8: got[8] = r.string(); break;
        case 9: got[9] = r.length; break;
        case 10: {
          assert.ok(r.nested);
          const nr = r.nest();
          const inner: unknown[] = [];
          while (nr.next()) inner.push(nr.type === 2 ? [nr.nested, parseAttributes(nr.buf, nr.start, nr.end).map((a) => a.type)] : nr.u32());
          assert.equal(nr.error, null);
          got[10] = inner;
          break;
        }
        case 11: got[11] = [...r.bytes()]; break;
      }
    }
    assert.equal(r.error, null);
    assert.deepEqual(got, {
      1: 0xab, 2: 0x1234, 3: [true, 0x1234], 4: 0xfffffffe, 5: [true, 0x01020304], 6: -5,
      7: 0x0102030405060708n, 8: 'eth0', 9: 0, 10: [1, [true, [3]]], 11: [1, 2, 3, 4, 5],
    });
  });

  test('parsed attributes re-encode byte for byte, unknown types included', () => {
    const payload = bytes([
      ...attr(1, ascii('lo')), ...attr(0x3ffe, [9, 9, 9]), ...attr(5 | NLA_F_NESTED, [...attr(1, le32(3)), ...attr(2, [])]),
      ...attr(7 | NLA_F_NET_BYTEORDER, [0, 0, 1, 0]),
    ]);
    const w = new MessageWriter();
    for (const a of parseAttributes(payload)) {
      const type = a.type | (a.nested ? NLA_F_NESTED : 0) | (a.netByteOrder ? NLA_F_NET_BYTEORDER : 0);
      w.attr(type, a.value);
    }
    assert.deepEqual(w.toBytes(), payload);
  });

  test('several messages in one buffer form a batch', () => {
    const w = new MessageWriter();
    for (let i = 0; i < 3; i++) {
      w.begin(0x10 + i, NLM_F_REQUEST, i + 1);
      w.attrString(1, 'x'.repeat(i));
      w.end();
    }
    const msgs = parseMessages(w.finish());
    assert.deepEqual(msgs.map((m) => [m.type, m.seq, m.payload.byteLength]), [[0x10, 1, 8], [0x11, 2, 8], [0x12, 3, 8]]);
  });

  test('writer refuses what cannot be encoded', () => {
    const w = new MessageWriter();
    assert.throws(() => w.end(), /without begin/);
    w.begin(0x10, 0);
    assert.throws(() => w.attr(1, new Uint8Array(65532)), RangeError);
    w.attr(1, new Uint8Array(65531)); // exactly the largest value that fits nla_len
    w.end();
    assert.equal(parseMessages(w.finish())[0]!.payload.byteLength, align4(65535));
    // A nest whose contents outgrow nla_len's 16 bits is refused, not wrapped around.
    const n = new MessageWriter();
    n.begin(0x10, 0);
    const nest = n.beginNest(1);
    n.attr(2, new Uint8Array(40000));
    n.attr(3, new Uint8Array(40000));
    assert.throws(() => n.endNest(nest), /exceeds the 65535/);
  });

  test('align4 is NLMSG_ALIGN', () => {
    assert.deepEqual([0, 1, 2, 3, 4, 5, 16, 17].map(align4), [0, 4, 4, 4, 4, 8, 16, 20]);
  });

  test('align4 of a u32 at or above 2^31 stays unsigned and exact', () => {
    // `(len + 3) & ~3` in JavaScript is signed 32-bit: 0x80000000 became -2147483648.
    const lens = [0x7ffffffd, 0x7fffffff, 0x80000000, 0x80000001, 0xfffffffc, 0xfffffffd, 0xffffffff];
    assert.deepEqual(lens.map(align4), [0x80000000, 0x80000000, 0x80000000, 0x80000004, 0xfffffffc, 0x100000000, 0x100000000]);
  });
});

describe('MessageReader on malformed input', () => {
  const ok = msg(0x10, [1, 2, 3, 4]);
  const cases: MalformedCase[] = [
    { name: 'empty datagram', buf: [], types: [], error: null },
    { name: 'one well-formed message', buf: ok, types: [0x10], error: null },
    { name: 'short header', buf: hdr(16).slice(0, 10), types: [], error: /short netlink header \(10 bytes\)/, errorAt: 0 },
    { name: 'short header after a message', buf: [...ok, 1, 2, 3, 4, 5, 6], types: [0x10], error: /short netlink header/, errorAt: 20 },
    { name: 'nlmsg_len 0 (would loop)', buf: [...hdr(0), ...ok], types: [], error: /nlmsg_len 0 is shorter than the header/, errorAt: 0 },
    { name: 'nlmsg_len shorter than the header', buf: hdr(8), types: [], error: /nlmsg_len 8 is shorter/ },
    { name: 'length past the buffer', buf: [...hdr(100), 0, 0, 0, 0], types: [], error: /nlmsg_len 100 runs past the buffer \(20 bytes left\)/ },
    { name: 'second message runs past the buffer', buf: [...ok, ...hdr(64, 0x11)], types: [0x10], error: /runs past/, errorAt: 20 },
    { name: 'unaligned last message (nfnetlink)', buf: [...ok, ...msg(0x11, [1, 2, 3, 4, 5], false)], types: [0x10, 0x11], error: null },
    { name: 'unaligned last message, padded', buf: [...ok, ...msg(0x11, [1, 2, 3, 4, 5], true)], types: [0x10, 0x11], error: null },
    { name: 'unaligned message in the middle is read at its aligned end', buf: [...msg(0x10, [1], true), ...ok], types: [0x10, 0x10], error: null },
  ];
  runMalformed(cases, walkMessages, parseMessages);

  test('a start before the buffer is reported, not read', () => {
    const r = new MessageReader(bytes(msg(0x10, [1, 2, 3, 4])), -16);
    assert.equal(r.next(), false);
    assert.ok(r.error instanceof WireError);
    assert.match(r.error.message, /outside the buffer/);
  });

  test('the reader respects start and end, and payload bounds exclude padding', () => {
    const buf = bytes([0xff, 0xff, 0xff, 0xff, ...msg(0x12, [7, 7, 7], false), 0xee]);
    const r = new MessageReader(buf, 4, buf.byteLength - 1);
    assert.ok(r.next());
    assert.deepEqual([r.offset, r.length, r.payloadStart, r.payloadEnd], [4, 19, 20, 23]);
    assert.equal(r.next(), false);
    assert.equal(r.error, null);
  });
});

describe('AttributeReader on malformed input', () => {
  const a1 = attr(1, le32(1));
  const cases: MalformedCase[] = [
    { name: 'no attributes', buf: [], types: [], error: null },
    { name: 'zero-length attribute (would loop)', buf: [...a1, ...rawAttr(0, 2, [0, 0, 0, 0])], types: [1], error: /attribute length 0 is shorter than its header/, errorAt: 8 },
    { name: 'length below the header', buf: rawAttr(3, 2, []), types: [], error: /attribute length 3 is shorter/ },
    { name: 'attribute longer than its parent', buf: [...a1, ...rawAttr(40, 2, [1, 2, 3, 4])], types: [1], error: /attribute length 40 runs past its parent \(8 bytes left\)/, errorAt: 8 },
    { name: 'trailing bytes shorter than a header are padding', buf: [...a1, 0, 0], types: [1], error: null },
    { name: 'unpadded last attribute', buf: [...le16(5), ...le16(3), 9], types: [3], error: null },
    { name: 'empty flag attribute', buf: [...attr(4, []), ...a1], types: [4, 1], error: null },
  ];
  runMalformed(cases, walkAttributes, parseAttributes);

  test('a nested attribute longer than its nest is caught by the nested reader', () => {
    // The outer attribute is well formed; inside it, a child claims 32 bytes of an 8-byte nest.
    const buf = bytes(attr(5 | NLA_F_NESTED, rawAttr(32, 1, [1, 2, 3, 4])));
    const r = new AttributeReader(buf);
    assert.ok(r.next());
    assert.equal(r.error, null);
    const got = walkAttributes(buf, r.start, r.end);
    assert.deepEqual(got.types, []);
    assert.match(got.error!.message, /runs past its parent \(8 bytes left\)/);
  });

  test('a start before the buffer (or NaN bounds) is reported, not read', () => {
    const buf = bytes(attr(1, le32(1)));
    for (const [start, end] of [[-4, buf.byteLength], [-0x80000000, 8], [NaN, 8], [0, NaN]] as const) {
      const got = walkAttributes(buf, start, end);
      assert.deepEqual(got.types, [], `start ${start}, end ${end}`);
    }
    assert.match(walkAttributes(buf, -4).error!.message, /outside the buffer/);
  });

  test('typed getters never read past a short value', () => {
    const r = new AttributeReader(bytes([...attr(1, [7]), ...attr(2, [])]));
    assert.ok(r.next());
    assert.deepEqual([r.u8(), r.u16(), r.u32(), r.s32(), r.u64()], [7, 0, 0, 0, 0n]);
    assert.ok(r.next());
    assert.deepEqual([r.u8(), r.string(), r.bytes().byteLength], [0, '', 0]);
  });
});

describe('parseAck', () => {
  // A 40-byte RTM_NEWLINK request as it was sent: header + 24 bytes of payload.
  const reqHdr = hdr(40, 16, 0x605, 99, 1234);
  const reqPayload = Array.from({ length: 24 }, (_, i) => i);

  test('NETLINK_CAP_ACK: header claims the full length, only the header follows, TLVs right after', () => {
    const tlvs = [...attr(NLMSGERR_ATTR_MSG, ascii('Unknown device type')), ...attr(NLMSGERR_ATTR_OFFS, le32(36))];
    const payload = bytes([...le32(-95 >>> 0), ...reqHdr, ...tlvs]);
    const ack = parseAck(payload, 0, payload.byteLength, NLM_F_CAPPED | NLM_F_ACK_TLVS);
    assert.ok(!(ack instanceof WireError));
    assert.equal(ack.error, -95);
    assert.deepEqual(ack.request, { length: 40, type: 16, flags: 0x605, seq: 99, pid: 1234 });
    assert.equal(ack.requestPayload, undefined);
    assert.equal(ack.message, 'Unknown device type');
    assert.equal(ack.offset, 36);
  });

  test('without CAP_ACK the request payload is echoed and the TLVs follow it', () => {
    const tlvs = [...attr(NLMSGERR_ATTR_MSG, ascii('bad')), ...attr(NLMSGERR_ATTR_MISS_TYPE, le32(3)), ...attr(NLMSGERR_ATTR_MISS_NEST, le32(20))];
    const payload = bytes([...le32(-22 >>> 0), ...reqHdr, ...reqPayload, ...tlvs]);
    const ack = parseAck(payload, 0, payload.byteLength, NLM_F_ACK_TLVS);
    assert.ok(!(ack instanceof WireError));
    assert.deepEqual([...ack.requestPayload!], reqPayload);
    assert.deepEqual([ack.message, ack.missingType, ack.missingNest], ['bad', 3, 20]);
  });

  test('POLICY arrives with NLA_F_NESTED set; COOKIE is raw bytes; unknown TLVs are skipped', () => {
    const policy = [...attr(1, le32(4)), ...attr(5, le32(7))];
    const tlvs = [...attr(NLMSGERR_ATTR_POLICY | NLA_F_NESTED, policy), ...attr(NLMSGERR_ATTR_COOKIE, [1, 2, 3, 4, 5, 6, 7, 8]), ...attr(77, [1])];
    const payload = bytes([...le32(-34 >>> 0), ...reqHdr, ...tlvs]);
    const ack = parseAck(payload, 0, payload.byteLength, NLM_F_CAPPED | NLM_F_ACK_TLVS);
    assert.ok(!(ack instanceof WireError));
    assert.deepEqual([...ack.policy!], policy);
    assert.deepEqual([...ack.cookie!], [1, 2, 3, 4, 5, 6, 7, 8]);
  });

  test('a successful ACK may carry a warning', () => {
    const payload = bytes([...le32(0), ...reqHdr, ...attr(NLMSGERR_ATTR_MSG, ascii('quantum is big'))]);
    const ack = parseAck(payload, 0, payload.byteLength, NLM_F_CAPPED | NLM_F_ACK_TLVS);
    assert.ok(!(ack instanceof WireError));
    assert.deepEqual([ack.error, ack.message], [0, 'quantum is big']);
  });

  test('TLVs are ignored without NLM_F_ACK_TLVS, and a short payload is an error value', () => {
    const payload = bytes([...le32(-1 >>> 0), ...reqHdr, ...attr(NLMSGERR_ATTR_MSG, ascii('x'))]);
    const ack = parseAck(payload, 0, payload.byteLength, NLM_F_CAPPED);
    assert.ok(!(ack instanceof WireError));
    assert.equal(ack.message, undefined);
    const short = parseAck(payload, 0, 12, 0);
    assert.ok(short instanceof WireError);
    assert.match(short.message, /too short/);
  });

  test('malformed TLVs stop the TLV walk without throwing', () => {
    const payload = bytes([...le32(-1 >>> 0), ...reqHdr, ...attr(NLMSGERR_ATTR_MSG, ascii('x')), ...rawAttr(0, 2, [0, 0, 0, 0])]);
    const ack = parseAck(payload, 0, payload.byteLength, NLM_F_CAPPED | NLM_F_ACK_TLVS);
    assert.ok(!(ack instanceof WireError));
    assert.equal(ack.message, 'x');
    assert.equal(ack.offset, undefined);
  });

  test('a hostile echoed nlmsg_len (0x80000000, 0xffffffff) neither throws nor reads outside the payload', () => {
    // Issue 10: a 36-byte NLMSG_ERROR with NLM_F_ACK_TLVS, error -22, echoed nlmsg_len 0x80000000
    // sent the TLV reader to a negative offset and the RangeError killed the process.
    for (const echoed of [0x80000000, 0x80000001, 0xfffffffd, 0xffffffff, 0, 3]) {
      const dgram = bytes(msg(NLMSG_ERROR, [...le32(-22 >>> 0), ...hdr(echoed, 16, 5, 7, 9)], true, NLM_F_ACK_TLVS));
      assert.equal(dgram.byteLength, 36);
      const r = new MessageReader(dgram);
      assert.ok(r.next());
      for (const flags of [r.flags, r.flags | NLM_F_CAPPED]) {
        const ack = parseAck(r.buf, r.payloadStart, r.payloadEnd, flags);
        assert.ok(!(ack instanceof WireError), `echoed ${echoed}`);
        assert.equal(ack.error, -22);
        assert.equal(ack.request.length, echoed);
        assert.equal(ack.message, undefined);
        if (ack.requestPayload) assert.equal(ack.requestPayload.byteLength, 0);
      }
    }
  });

  test('a payload range outside the buffer is an error value', () => {
    const payload = bytes([...le32(-1 >>> 0), ...reqHdr]);
    const bad = parseAck(payload, -0x80000000, payload.byteLength, NLM_F_ACK_TLVS);
    assert.ok(bad instanceof WireError);
    assert.ok(parseAck(payload, 0, payload.byteLength + 100, NLM_F_ACK_TLVS) instanceof Object);
  });

  test('an NLMSG_ERROR inside a datagram is parsed at its payload', () => {
    const errPayload = [...le32(-17 >>> 0), ...reqHdr];
    const dgram = bytes([...msg(0x10, [0, 0, 0, 0], true, NLM_F_MULTI), ...msg(NLMSG_ERROR, errPayload, true, NLM_F_CAPPED), ...msg(NLMSG_DONE, le32(0))]);
    const r = new MessageReader(dgram);
    const seen: number[] = [];
    while (r.next()) {
      seen.push(r.type);
      if (r.type === NLMSG_ERROR) {
        const ack = parseAck(r.buf, r.payloadStart, r.payloadEnd, r.flags);
        assert.ok(!(ack instanceof WireError));
        assert.equal(ack.error, -17);
      }
    }
    assert.deepEqual(seen, [0x10, NLMSG_ERROR, NLMSG_DONE]);
  });
});

describe('attributePathAt', () => {
  // 16-byte family header at 16, then: [3] "x0"  [18 nested: [1] "veth", [2 nested: [1] u8]]
  const w = new MessageWriter();
  w.begin(16, 0);
  w.struct(16);
  w.attrString(3, 'x0'); // at 32
  const li = w.beginNest(18); // at 40
  w.attrString(1, 'veth'); // at 44
  const data = w.beginNest(2); // at 56
  w.attrU8(1, 0); // at 60
  w.endNest(data);
  w.endNest(li);
  w.end();
  const buf = w.toBytes();
  const cases: [string, number, number[]][] = [
    ['top-level attribute header', 32, [3]],
    ['inside a top-level value', 36, [3]],
    ['a nest header', 40, [18]],
    ['a child of a nest', 44, [18, 1]],
    ['a grandchild', 60, [18, 2, 1]],
    ['inside the family header', 20, []],
    ['past the message', 200, []],
  ];
  for (const [name, offset, want] of cases) {
    test(`${name} (offset ${offset})`, () => {
      assert.deepEqual(attributePathAt(buf, 32, buf.byteLength, offset), want);
    });
  }
});
