import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MessageReader, MessageWriter, NLA_F_NESTED, parseAttributes } from '../src/wire/index.js';
import {
  ATTR_FLAGS, MessageCodec, attrs, binary, compileSet, compileStruct, custom, enumSpec, flag, flagsSpec, formatIp,
  int, intArray, ipaddr, mac, nest, nestArray, array, parseIp, string, struct, structSpec, subMessage, u16, u32, u64, u8,
  uint,
} from '../src/schema/index.js';

const color = enumSpec('color', { red: 1, green: 2, blue: 3 });
const perms = flagsSpec('perms', { read: 1, write: 2, exec: 4 });
const pair = structSpec('pair', [
  { name: 'a', type: 'u16' }, { name: 'pad', type: 'pad', len: 2 }, { name: 'b', type: 'u32', enum: color },
]);
const inner = attrs('inner', { id: [1, u32()], name: [2, string()] });
const kindData = attrs('kindData', { x: [1, u8()] });
const info = attrs('info', {
  kind: [1, string()],
  data: [2, subMessage('kind', { known: nest(kindData) })],
});
const outer = attrs('outer', {
  small: [1, u8()],
  mid: [2, u16()],
  word: [3, u32()],
  big: [4, u64()],
  name: [5, string()],
  blob: [6, binary()],
  on: [7, flag()],
  hw: [8, mac()],
  addr: [9, ipaddr()],
  inner: [10, nest(inner)],
  list: [11, nestArray(inner)],
  multi: [12, array(u32())],
  ints: [13, intArray('u16')],
  pair: [14, struct(pair)],
  color: [15, int('u8', { enum: color })],
  perms: [16, int('u32', { flags: perms })],
  beport: [17, int('u16be')],
  info: [18, nest(info)],
  var: [19, uint()],
  odd: [20, custom<number>({
    decode: (_b, dv, s) => dv.getUint8(s) * 2,
    encode: (v) => Uint8Array.of(v / 2),
  })],
});
const codec = compileSet(outer);

function encode(value: object): Uint8Array {
  const w = new MessageWriter();
  codec.encode(w, value as never);
  return w.toBytes();
}
function decode(bytes: Uint8Array) {
  return codec.decode(bytes, new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength), 0, bytes.byteLength);
}

test('every field kind round-trips through encode and decode', () => {
  const value = {
    small: 7, mid: 0x1234, word: 0xdeadbeef, big: 2 ** 40, name: 'eth0', blob: Uint8Array.of(1, 2, 3), on: true as const,
    hw: '02:00:00:aa:bb:cc', addr: '2001:db8::1', inner: { id: 5, name: 'x' }, list: [{ id: 1 }, { id: 2, name: 'two' }],
    multi: [1, 2, 3], ints: [10, 20, 30], pair: { a: 9, b: 'green' }, color: 'blue', perms: ['read', 'exec'], beport: 8080,
    info: { kind: 'known', data: { x: 4 } }, var: 2 ** 33, odd: 42,
  };
  const bytes = encode(value);
  const back = decode(bytes);
  assert.deepEqual(back, value);
  assert.deepEqual(encode(back), bytes, 'decode then encode reproduces the bytes');
});

test('big-endian integers are network order on the wire', () => {
  const bytes = encode({ beport: 0x1f90 });
  assert.deepEqual([...bytes.subarray(4, 6)], [0x1f, 0x90]);
});

test('u64 above 2^53 decodes to a bigint and back', () => {
  const big = 2n ** 63n + 5n;
  assert.equal(decode(encode({ big })).big, big);
});

test('unknown attributes are kept with their position and re-encoded byte for byte', () => {
  const w = new MessageWriter();
  w.attrU32(3, 1);
  w.attrU32(99, 0xabcdef);
  w.attrString(5, 'lo');
  w.attr(100, Uint8Array.of(9, 9));
  const bytes = w.toBytes();
  const v = decode(bytes);
  assert.equal(v.word, 1);
  assert.equal(v.name, 'lo');
  assert.deepEqual(v.$unknown?.map((u) => [u.type, u.at]), [[99, 1], [100, 3]]);
  assert.deepEqual(encode(v), bytes);
});

test('an attribute whose length does not fit its declaration is kept as unknown', () => {
  const w = new MessageWriter();
  w.attrU64(3, 5n); // declared u32, sent 8 bytes
  const bytes = w.toBytes();
  const v = decode(bytes);
  assert.equal(v.word, undefined);
  assert.equal(v.$unknown?.length, 1);
  assert.deepEqual(encode(v), bytes);
});

test('duplicate attributes keep the first; the rest stay unknown, order preserved', () => {
  const w = new MessageWriter();
  w.attrU32(3, 1);
  w.attrU32(3, 2);
  const bytes = w.toBytes();
  const v = decode(bytes);
  assert.equal(v.word, 1);
  assert.deepEqual(encode(v), bytes);
});

test('malformed attribute runs never throw and keep their bytes', () => {
  const cases: [string, number[]][] = [
    ['zero length', [0, 0, 3, 0, 1, 2, 3, 4]],
    ['length past the end', [200, 0, 3, 0, 1, 2, 3, 4]],
    ['truncated header', [8, 0]],
    ['nest with garbage inside', [8, 0, 10, 0, 0xff, 0xff, 0xff, 0xff]],
  ];
  for (const [name, arr] of cases) {
    const bytes = Uint8Array.from(arr);
    assert.doesNotThrow(() => decode(bytes), name);
  }
  const bad = Uint8Array.from([8, 0, 3, 0, 1, 0, 0, 0, 0, 0, 7, 0]);
  const v = decode(bad);
  assert.equal(v.word, 1);
  assert.deepEqual(encode(v), bad, 'the malformed tail is re-emitted verbatim');
});

test('bytes after the last whole attribute re-encode as received, unpadded, and stay a fixed point', () => {
  // u32 word, then a nest (inner) whose content ends with a fragment shorter than a header, then
  // u8 small; and at the top level a length that runs past the end.
  const bytes = Uint8Array.from([
    8, 0, 3, 0, 1, 0, 0, 0,
    15, 0, 10, 0, 8, 0, 1, 0, 2, 0, 0, 0, 0xaa, 0xbb, 0xcc, 0,
    5, 0, 1, 0, 7, 0, 0, 0,
    6, 0, 1, 0, 0x15,
  ]);
  const v = decode(bytes);
  assert.equal(v.word, 1);
  assert.equal(v.small, 7);
  assert.equal(v.inner?.id, 2);
  assert.deepEqual(v.inner?.$unknown, [{ type: -1, bytes: Uint8Array.of(0xaa, 0xbb, 0xcc), at: 1 }]);
  assert.deepEqual(v.$unknown, [{ type: -1, bytes: Uint8Array.of(6, 0, 1, 0, 0x15), at: 3 }]);
  const again = encode(v);
  assert.deepEqual(again, bytes, 'the nest keeps its unaligned length, the next attribute its alignment');
  assert.deepEqual(encode(decode(again)), bytes);
});

test('array entries keep their nla_type as received when it is not what encoding writes', () => {
  // A set that flags its nests (genl), whose nest-array entries came without NLA_F_NESTED, as
  // nlctrl's CTRL_ATTR_OPS entries do; the second entry numbered 7, not 2.
  const g = compileSet(attrs('genlArr', { list: [1, nestArray(attrs('genlItem', { id: [1, u32()] }, { nestedFlag: true }))] }, { nestedFlag: true }));
  const w = new MessageWriter();
  const n = w.beginNest(1);
  for (const [t, id] of [[1, 10], [7, 11], [3 | NLA_F_NESTED, 12]] as const) {
    const e = w.beginNest(t, false);
    w.attrU32(1, id);
    w.endNest(e);
  }
  w.endNest(n);
  const bytes = w.toBytes();
  const v = g.decode(bytes, new DataView(bytes.buffer), 0, bytes.byteLength) as { list: { id: number }[] };
  assert.deepEqual(v.list, [{ id: 10 }, { id: 11 }, { id: 12 }]);
  assert.deepEqual([...(v.list as { [ATTR_FLAGS]?: Map<number, number> })[ATTR_FLAGS]!], [[0, 1], [1, 7]]);
  const out = new MessageWriter();
  g.encode(out, v);
  assert.deepEqual(out.toBytes(), bytes);
  // A value built by hand encodes as the set says: entries numbered from 1, flagged.
  const fresh = new MessageWriter();
  g.encode(fresh, { list: [{ id: 10 }] });
  assert.equal(parseAttributes(parseAttributes(fresh.toBytes())[0]!.value)[0]!.nested, true);
});

test('sub-messages follow their selector, also when the selector comes later', () => {
  const w = new MessageWriter();
  const n = w.beginNest(18, false);
  const d = w.beginNest(2, false);
  w.attrU8(1, 4);
  w.endNest(d);
  w.attrString(1, 'known');
  w.endNest(n);
  const bytes = w.toBytes();
  const v = decode(bytes);
  assert.deepEqual(v.info, { data: { x: 4 }, kind: 'known' });
  assert.deepEqual(encode(v), bytes);
  // An unknown selector keeps the data as bytes.
  const v2 = decode(encode({ info: { kind: 'other', data: Uint8Array.of(8, 0, 1, 0, 1, 0, 0, 0) } }));
  assert.equal(v2.info?.kind, 'other');
  assert.equal(v2.info?.$unknown?.length, 1);
});

test('nest flag bits are masked on decode and reproduced on re-encode', () => {
  const w = new MessageWriter();
  const n = w.beginNest(10, true); // NLA_F_NESTED set, while the set encodes without it
  w.attrU32(1, 3);
  w.endNest(n);
  const bytes = w.toBytes();
  const v = decode(bytes);
  assert.deepEqual(v.inner, { id: 3 });
  assert.equal((v as { [ATTR_FLAGS]?: Map<string, number> })[ATTR_FLAGS]?.get('inner'), NLA_F_NESTED);
  assert.deepEqual(encode(v), bytes);
  const genl = attrs('genl', { inner: [1, nest(inner)] }, { nestedFlag: true });
  const w2 = new MessageWriter();
  compileSet(genl).encode(w2, { inner: { id: 1 } });
  assert.equal(parseAttributes(w2.toBytes())[0]!.nested, true, 'nestedFlag sets NLA_F_NESTED');
});

test('enum and flag values: names, unknown values kept as numbers, bad names refused', () => {
  const v = decode(encode({ color: 9, perms: ['write', 0x100] }));
  assert.equal(v.color, 9);
  assert.deepEqual(v.perms, ['write', 0x100]);
  assert.throws(() => encode({ color: 'purple' }), /not a color/);
  assert.throws(() => encode({ perms: ['fly'] }), /not a perms flag/);
  assert.throws(() => encode({ small: 300 }), /does not fit u8/);
  assert.throws(() => encode({ nosuch: 1 }), /unknown attribute "nosuch"/);
});

test('structs keep longer tails and tolerate shorter ones', () => {
  const c = compileStruct(pair);
  const long = Uint8Array.of(1, 0, 0, 0, 2, 0, 0, 0, 0xaa, 0xbb);
  const dv = new DataView(long.buffer);
  const v = c.decode(long, dv, 0, long.length) as Record<string, unknown>;
  assert.deepEqual(v, { a: 1, b: 'green', $tail: Uint8Array.of(0xaa, 0xbb) });
  const short = c.decode(long, dv, 0, 2) as Record<string, unknown>;
  assert.deepEqual(short, { a: 1, $len: 2 });
});

test('MessageCodec: header struct plus attributes, in place from a reader', () => {
  const hdr = structSpec('hdr', [{ name: 'family', type: 'u8' }, { name: 'pad', type: 'pad', len: 3 }, { name: 'index', type: 's32' }]);
  const mc = new MessageCodec(hdr, inner);
  const bytes = mc.encode(20, 0, { header: { family: 2, index: -1 }, attrs: { id: 7, name: 'n' } });
  const r = new MessageReader(bytes);
  assert.ok(r.next());
  assert.equal(r.type, 20);
  assert.deepEqual(mc.decode(r), { header: { family: 2, index: -1 }, attrs: { id: 7, name: 'n' } });
});

test('IP text forms follow inet_ntop (RFC 5952) and parse back', () => {
  const cases = ['0.0.0.0', '192.0.2.1', '::', '::1', '2001:db8::1', 'fe80::1:2:3:4', '2001:db8:0:1:1:1:1:1', '::ffff:192.0.2.1', '1::'];
  for (const c of cases) {
    const b = parseIp(c);
    assert.equal(formatIp(b, 0, b.length), c);
  }
  assert.throws(() => parseIp('1.2.3'), /invalid IPv4/);
  assert.throws(() => parseIp('1:2:3:4:5:6:7:8:9'), /invalid IPv6/);
  assert.throws(() => parseIp('1::2::3'), /invalid IPv6/);
});

test('a sub-message selector two nests up is found through the frames, decoding and encoding', () => {
  const app = attrs('app', { n: [1, u32()] });
  const stats = attrs('stats', { app: [1, subMessage('kind', { fq: nest(app) })] });
  const qdisc = attrs('qdisc', { kind: [1, string()], stats: [2, nest(attrs('stats2', { inner: [1, nest(stats)] }))] });
  const c = compileSet(qdisc);
  const value = { kind: 'fq', stats: { inner: { app: { n: 7 } } } };
  const w = new MessageWriter();
  c.encode(w, value as never);
  const bytes = w.toBytes();
  const back = c.decode(bytes, new DataView(bytes.buffer), 0, bytes.byteLength);
  assert.deepEqual(back, value);
  // Another kind: the selector picks nothing, so the bytes are kept raw.
  const other = Uint8Array.from(bytes);
  other[4] = 'x'.charCodeAt(0);
  const raw = c.decode(other, new DataView(other.buffer), 0, other.byteLength) as { stats: { inner: Record<string, unknown> } };
  assert.equal(raw.stats.inner.app, undefined);
  assert.equal((raw.stats.inner.$unknown as unknown[]).length, 1);
});
