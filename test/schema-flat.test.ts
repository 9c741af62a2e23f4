// FlatMessageCodec: header fields and attributes decode into one object; shadowed header
// fields (rtm_table vs RTA_TABLE) re-encode byte for byte in every combination.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { attrs, enumSpec, FlatMessageCodec, int, ipaddr, structSpec, u32 } from '../src/schema/index.js';
import { MessageWriter } from '../src/wire/index.js';

const tableEnum = enumSpec('table', { main: 254, local: 255 });
const hdr = structSpec('hdr', [
  { name: 'family', type: 'u8' },
  { name: 'dst_len', type: 'u8' },
  { name: 'table', type: 'u8', enum: tableEnum },
  { name: '_pad', type: 'pad', len: 1 },
  { name: 'flags', type: 'u32' },
] as const);
const set = attrs('a', {
  dst: [1, ipaddr()],
  table: [15, int('u32', { enum: tableEnum })],
  oif: [4, u32()],
});
const codec = new FlatMessageCodec(hdr, set, { shadow: { table: (v) => (v < 256 ? v : 252) } });

/** Builds a message by hand: header bytes then attributes as [type, bytes]. */
function message(header: number[], list: [number, number[]][]): Uint8Array {
  const w = new MessageWriter();
  w.begin(24, 0);
  const at = w.struct(header.length);
  w.finish().set(header, at);
  for (const [t, v] of list) w.attr(t, Uint8Array.from(v));
  w.end();
  return w.toBytes();
}
const le32 = (n: number) => [n & 255, (n >> 8) & 255, (n >> 16) & 255, n >>> 24];

const cases: { name: string; header: number[]; list: [number, number[]][]; want: Record<string, unknown> }[] = [
  {
    name: 'table in both, consistent',
    header: [2, 24, 254, 0, 0, 0, 0, 0],
    list: [[1, [10, 0, 0, 0]], [15, le32(254)], [4, le32(3)]],
    want: { family: 2, dst_len: 24, flags: 0, dst: '10.0.0.0', table: 'main', oif: 3 },
  },
  {
    name: 'table above 255: header says compat',
    header: [2, 24, 252, 0, 0, 0, 0, 0],
    list: [[15, le32(1000)]],
    want: { family: 2, dst_len: 24, flags: 0, table: 1000 },
  },
  {
    name: 'attribute absent: the header stands in',
    header: [2, 0, 255, 0, 0, 0, 0, 0],
    list: [[4, le32(1)]],
    want: { family: 2, dst_len: 0, flags: 0, oif: 1, table: 'local', $absent: ['table'] },
  },
  {
    name: 'header disagrees with the attribute',
    header: [2, 0, 0, 0, 0, 0, 0, 0],
    list: [[15, le32(254)]],
    want: { family: 2, dst_len: 0, flags: 0, table: 'main', $header: { table: 0 } },
  },
];

for (const c of cases) {
  test(`FlatMessageCodec: ${c.name}`, () => {
    const bytes = message(c.header, c.list);
    const obj = codec.decodePayload(bytes.subarray(16));
    assert.deepEqual({ ...obj }, c.want);
    assert.deepEqual(codec.encode(24, 0, obj), bytes);
  });
}

test('FlatMessageCodec: a request from a plain object derives the header from the attribute', () => {
  const bytes = codec.encode(24, 0, { family: 2, table: 4000, dst: '192.0.2.0', dst_len: 24 });
  const back = codec.decodePayload(bytes.subarray(16));
  assert.equal(back.table, 4000);
  assert.equal(bytes[16 + 2], 252);
  assert.equal(back.$header, undefined);
});

test('FlatMessageCodec: truncated and malformed input never throws', () => {
  const good = message([2, 24, 254, 0, 0, 0, 0, 0], [[1, [10, 0, 0, 0]], [15, le32(254)]]);
  for (let n = 16; n < good.length; n++) {
    const cut = good.slice(16, n);
    assert.doesNotThrow(() => codec.decodePayload(cut));
  }
  const bad = good.slice(16);
  bad[8] = 0xff; // an attribute length past the end
  const obj = codec.decodePayload(bad);
  assert.ok(obj.$unknown && obj.$unknown.length > 0);
});

test('SetCodec.decode into an object and encode with skip', async () => {
  const { compileSet } = await import('../src/schema/index.js');
  const c = compileSet(set);
  const w = new MessageWriter();
  c.encode(w, { dst: '10.0.0.1', oif: 7, family: 2 } as never, new Set(['family']));
  const bytes = w.toBytes();
  const into = { family: 2 };
  const out = c.decode(bytes, new DataView(bytes.buffer), 0, bytes.length, into);
  assert.equal(out, into);
  assert.deepEqual({ ...out }, { family: 2, dst: '10.0.0.1', oif: 7 });
});

test('a deferred sub-message keeps its NLA_F_NESTED bit and, when it does not fit, its position', async () => {
  const { compileSet, nest, string, subMessage, u8 } = await import('../src/schema/index.js');
  const inner = attrs('inner', { x: [1, u8()] });
  const outer = attrs('outer', {
    data: [2, subMessage('kind', { a: nest(inner) })],
    kind: [1, string()],
    after: [3, u32()],
  });
  const c = compileSet(outer);
  for (const kind of ['a', 'zz']) {
    const w = new MessageWriter();
    const n = w.beginNest(2, true); // NLA_F_NESTED set, before its selector
    w.attr(1, Uint8Array.of(7));
    w.endNest(n);
    w.attrString(1, kind);
    w.attr(3, Uint8Array.of(1, 0, 0, 0));
    const bytes = w.toBytes();
    const obj = c.decode(bytes, new DataView(bytes.buffer), 0, bytes.length) as Record<string, any>;
    if (kind === 'a') assert.deepEqual({ ...obj.data }, { x: 7 });
    else assert.equal(obj.$unknown?.[0]?.at, 0);
    const back = new MessageWriter();
    c.encode(back, obj as never);
    assert.deepEqual(back.toBytes(), bytes, kind);
  }
});
