// Hostile input for the schema engine: nesting deeper than MAX_DEPTH is a WireError when
// decoding and a TypeError when encoding (never a stack overflow), through YNL-loaded families
// and rtnetlink codecs alike; strings keep their bytes (surrogateescape), in attributes and in
// fixed char arrays. No root needed.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { IFLA, IFLA_INFO, VETH_INFO } from '../src/route/constants.js';
import { linkCodec } from '../src/route/index.js';
import { decodeOpPayload, encodeOp, loadSpec } from '../src/genl/index.js';
import { MAX_DEPTH, compileSet, compileStruct, structSpec } from '../src/schema/index.js';
import { HOST_LE, MessageWriter, WireError, viewOf } from '../src/wire/index.js';

// A family whose set nests itself, as tc's or nftables' expression sets do.
const deep = loadSpec(`
name: deep
protocol: genetlink
attribute-sets:
  -
    name: node
    attributes:
      - { name: value, type: u32 }
      - { name: child, type: nest, nested-attributes: node }
operations:
  list:
    -
      name: get
      value: 1
      attribute-set: node
      do:
        request: { attributes: [ value, child ] }
        reply: { attributes: [ value, child ] }
`, 'deep');
const GENL_HDRLEN = 4;

/** A genetlink payload (genlmsghdr, then `levels` nests of attribute 2 around a u32 attribute 1). */
function nestedPayload(levels: number): Uint8Array {
  const total = GENL_HDRLEN + levels * 4 + 8;
  const b = new Uint8Array(total);
  const dv = viewOf(b);
  b[0] = 1; // cmd
  b[1] = 1; // version
  for (let i = 0; i < levels; i++) {
    const at = GENL_HDRLEN + i * 4;
    dv.setUint16(at, total - at, HOST_LE);
    dv.setUint16(at + 2, 2 | 0x8000, HOST_LE); // NLA_F_NESTED, as genetlink sends nests
  }
  const at = GENL_HDRLEN + levels * 4;
  dv.setUint16(at, 8, HOST_LE);
  dv.setUint16(at + 2, 1, HOST_LE);
  dv.setUint32(at + 4, 7, HOST_LE);
  return b;
}

/** A nested value `levels` deep: { child: { child: … { value: 7 } } }. */
function nestedValue(levels: number): Record<string, unknown> {
  let v: Record<string, unknown> = { value: 7 };
  for (let i = 0; i < levels; i++) v = { child: v };
  return v;
}

function depthOf(v: Record<string, unknown>): number {
  let n = 0;
  for (let o = v; o.child; o = o.child as Record<string, unknown>) n++;
  return n;
}

test('a YNL decoder given 5,000 nested levels (20 KB) reports malformed input, not a stack overflow', () => {
  const op = deep.ops.get!;
  const bytes = nestedPayload(5000);
  assert.ok(bytes.byteLength < 20100);
  assert.throws(() => decodeOpPayload(deep, op, bytes), (e: unknown) => {
    assert.ok(e instanceof WireError, `expected a WireError, got ${String(e)}`);
    assert.match((e as Error).message, new RegExp(`nested more than ${MAX_DEPTH} levels`));
    return true;
  });
});

test('a YNL decoder accepts nesting up to MAX_DEPTH and the message re-encodes byte for byte', () => {
  const op = deep.ops.get!;
  const bytes = nestedPayload(MAX_DEPTH);
  const v = decodeOpPayload(deep, op, bytes);
  assert.equal(depthOf(v), MAX_DEPTH);
  const again = encodeOp(deep, op, 0x1234, 0, v);
  assert.deepEqual(again.subarray(16), bytes);
  assert.throws(() => decodeOpPayload(deep, op, nestedPayload(MAX_DEPTH + 1)), WireError);
});

test('a YNL encoder given 5,000 nested levels (or a cycle) throws TypeError, not a stack overflow', () => {
  const op = deep.ops.get!;
  for (const value of [nestedValue(5000), (() => { const o: Record<string, unknown> = { value: 1 }; o.child = o; return o; })()]) {
    assert.throws(() => encodeOp(deep, op, 0x1234, 0, value), (e: unknown) => {
      assert.ok(e instanceof TypeError, `expected a TypeError, got ${String(e)}`);
      assert.match((e as Error).message, new RegExp(`nested more than ${MAX_DEPTH} levels deep`));
      return true;
    });
  }
  assert.equal(depthOf(decodeOpPayload(deep, op, encodeOp(deep, op, 0x1234, 0, nestedValue(MAX_DEPTH)).subarray(16))), MAX_DEPTH);
});

/**
 * A link whose veth peer holds a veth peer … `levels` deep: IFLA_LINKINFO { KIND "veth" on
 * the outermost only (the data's selector is found in an enclosing linkinfo), DATA { PEER {
 * ifinfomsg, IFLA_LINKINFO { … } } } }: 28 bytes a level, so as deep as one attribute's 16-bit
 * length allows (about 2,340 levels; a link message cannot nest deeper).
 */
function nestedLink(levels: number): Uint8Array {
  const w = new MessageWriter(1 << 17);
  w.struct(16); // ifinfomsg
  const open: number[] = [];
  for (let i = 0; i < levels; i++) {
    open.push(w.beginNest(IFLA.LINKINFO, false));
    if (i === 0) w.attrString(IFLA_INFO.KIND, 'veth');
    open.push(w.beginNest(IFLA_INFO.DATA, false));
    open.push(w.beginNest(VETH_INFO.PEER, false));
    w.struct(16);
  }
  w.attrString(IFLA.IFNAME, 'v0');
  while (open.length) w.endNest(open.pop()!);
  return w.toBytes();
}

test('the rtnetlink link decoder given veth peers nested 2,300 deep reports malformed input, not a stack overflow', () => {
  const bytes = nestedLink(2300);
  assert.throws(() => linkCodec.decodePayload(bytes), (e: unknown) => {
    assert.ok(e instanceof WireError, `expected a WireError, got ${String(e)}`);
    assert.match((e as Error).message, /nested more than/);
    return true;
  });
  // Within the limit (3 nests a level), it decodes and re-encodes byte for byte.
  const ok = nestedLink(Math.floor(MAX_DEPTH / 3));
  const v = linkCodec.decodePayload(ok);
  let peer = v as Record<string, any>;
  let n = 0;
  while (peer.linkinfo) {
    peer = peer.linkinfo.data.peer;
    n++;
  }
  assert.equal(n, Math.floor(MAX_DEPTH / 3));
  assert.equal(peer.ifname, 'v0');
  const w = new MessageWriter();
  linkCodec.encodeBody(w, v);
  assert.deepEqual(w.toBytes(), ok);
});

test('linkCodec.encode of veth peers nested 1,600 deep throws TypeError, not a stack overflow', () => {
  let link: Record<string, unknown> = { ifname: 'v0' };
  for (let i = 0; i < 1600; i++) link = { ifname: `v${i + 1}`, linkinfo: { kind: 'veth', data: { peer: link } } };
  assert.throws(() => linkCodec.encode(16, 0, link as never), (e: unknown) => {
    assert.ok(e instanceof TypeError, `expected a TypeError, got ${String(e)}`);
    assert.match((e as Error).message, /nested more than \d+ levels deep/);
    return true;
  });
});

test('the veth peer is a whole link message: header fields and attributes in one object, byte for byte', () => {
  const link = { ifname: 'v0', linkinfo: { kind: 'veth', data: { peer: { family: 0, ifindex: 42, flags: ['UP'], ifname: 'v1', mtu: 1400 } } } };
  const bytes = linkCodec.encode(16, 0, link as never);
  const back = linkCodec.decodePayload(bytes.subarray(16)) as unknown as Record<string, any>;
  const peer = back.linkinfo.data.peer;
  assert.equal(peer.ifindex, 42);
  assert.equal(peer.ifname, 'v1');
  assert.equal(peer.mtu, 1400);
  assert.deepEqual(peer.flags, ['UP']);
  assert.deepEqual(linkCodec.encode(16, 0, back as never), bytes);
});

test('an interface name that is not UTF-8 decodes to escapes and re-encodes byte for byte', () => {
  const w = new MessageWriter();
  w.struct(16);
  w.attr(IFLA.IFNAME, Uint8Array.of(0xfe, 0x00));
  w.attr(IFLA.IFALIAS, Uint8Array.of(0x61, 0xc3, 0x28, 0xe2, 0x82, 0xac, 0x00)); // "a", a broken pair, "€"
  const bytes = w.toBytes();
  const v = linkCodec.decodePayload(bytes) as unknown as Record<string, unknown>;
  assert.equal(v.ifname, '\udcfe');
  assert.equal(v.ifalias, 'a\udcc3(€');
  assert.equal(v.$unknown, undefined);
  const again = new MessageWriter();
  linkCodec.encodeBody(again, v as never);
  assert.deepEqual(again.toBytes(), bytes);
  // A name typed as the escape encodes to the byte it stands for.
  const typed = new MessageWriter();
  linkCodec.encodeBody(typed, { ifname: '\udcfe' } as never);
  assert.deepEqual([...typed.toBytes().subarray(16)], [6, 0, IFLA.IFNAME, 0, 0xfe, 0, 0, 0]);
});

test('fixed char arrays in structs keep their bytes: escapes, UTF-8, a full array without NUL', () => {
  const spec = structSpec('named', [{ name: 'id', type: 'u16' }, { name: 'name', type: 'string', len: 8 }, { name: 'x', type: 'u16' }]);
  const c = compileStruct<Record<string, unknown>>(spec);
  for (const name of [[0xfe, 0x41], [0xc3, 0xa9, 0x74, 0xc3, 0xa9], [0x61, 0x62, 0x63, 0x64, 0x65, 0x66, 0x67, 0x68]]) {
    const bytes = new Uint8Array(12);
    viewOf(bytes).setUint16(0, 5, HOST_LE);
    bytes.set(name, 2);
    viewOf(bytes).setUint16(10, 9, HOST_LE);
    const v = c.decode(bytes, viewOf(bytes), 0, 12);
    assert.equal(v.id, 5);
    assert.equal(v.x, 9);
    const w = new MessageWriter();
    c.encode(w, v);
    assert.deepEqual(w.toBytes(), bytes, `name ${JSON.stringify(v.name)}`);
  }
  const short = new Uint8Array(6);
  short.set([0xfe], 2);
  assert.deepEqual(c.decode(short, viewOf(short), 0, 6), { id: 0, $len: 6 });
});

test('a set that nests itself through a thunk decodes within the limit and reports beyond it (plain schema)', () => {
  const node = deep.sets.get('node');
  const codec = compileSet(node);
  const ok = nestedPayload(10).subarray(GENL_HDRLEN);
  assert.equal(depthOf(codec.decode(ok, viewOf(ok), 0, ok.byteLength) as Record<string, unknown>), 10);
  const bad = nestedPayload(3000).subarray(GENL_HDRLEN);
  assert.throws(() => codec.decode(bad, viewOf(bad), 0, bad.byteLength), WireError);
});
