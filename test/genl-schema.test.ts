// Schema engine features YNL needs: indexed arrays of any field, nest-type-value maps, nests with
// a fixed header, structs inside structs, sub-message selectors found in enclosing sets.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  attrs, compileSet, compileStruct, indexedArray, int, nest, string, structSpec, subMessage, typeValue, u32, u16,
} from '../src/schema/index.js';
import { MessageWriter, NLA_F_NESTED, viewOf } from '../src/wire/index.js';

function roundTrip<T>(set: Parameters<typeof compileSet<T>>[0], value: T): { bytes: Uint8Array; back: T } {
  const c = compileSet(set);
  const w = new MessageWriter();
  c.encode(w, value);
  const bytes = w.toBytes();
  const back = c.decode(bytes, viewOf(bytes), 0, bytes.byteLength);
  return { bytes, back };
}

test('indexedArray of scalars: entries numbered from 1, decoded without their index', () => {
  const set = attrs('s', { list: [1, indexedArray(u32())] }, { nestedFlag: true });
  const { bytes, back } = roundTrip(set, { list: [7, 8] });
  const dv = viewOf(bytes);
  assert.equal(dv.getUint16(2, true), 1 | NLA_F_NESTED, 'the container is a nest');
  assert.equal(dv.getUint16(6, true), 1, 'first entry has index 1 and no NESTED flag (a scalar)');
  assert.equal(dv.getUint16(14, true), 2);
  assert.deepEqual(back, { list: [7, 8] });
});

test('indexedArray of nests sets NLA_F_NESTED on entries when their set asks for it', () => {
  const inner = attrs('inner', { id: [1, u32()] }, { nestedFlag: true });
  const set = attrs('s', { list: [1, indexedArray(nest(inner))] }, { nestedFlag: true });
  const { bytes, back } = roundTrip(set, { list: [{ id: 1 }, { id: 2 }] });
  assert.equal(viewOf(bytes).getUint16(6, true), 1 | NLA_F_NESTED);
  assert.deepEqual(back, { list: [{ id: 1 }, { id: 2 }] });
});

test('typeValue: a nest keyed by attribute type, two levels deep (nlctrl policies)', () => {
  const pol = attrs('pol', { type: [1, u32()], maxLength: [7, u32()] }, { nestedFlag: true });
  const set = attrs('s', { policy: [8, typeValue(typeValue(nest(pol)))] }, { nestedFlag: true });
  const value = { policy: { 0: { 1: { type: 3 }, 2: { type: 12, maxLength: 15 } }, 1: { 10: { type: 4 } } } };
  const { back } = roundTrip(set, value);
  assert.deepEqual(back, value);
});

test('typeValue rejects keys that are not attribute types', () => {
  const set = attrs('s', { m: [1, typeValue(u32())] });
  assert.throws(() => roundTrip(set, { m: { x: 1 } as never }), /not an attribute type/);
});

test('nest with a fixed header: struct fields and attributes in one object', () => {
  const hdr = structSpec('qopt', [{ name: 'limit', type: 'u32' }, { name: 'loss', type: 'u16' }]);
  const inner = attrs('opts', { rate: [1, u32()] });
  const set = attrs('s', { options: [2, nest(inner, { header: hdr })] });
  const { bytes, back } = roundTrip(set, { options: { limit: 1000, loss: 3, rate: 99 } as never });
  // header 4 + limit 4 + loss 2 + pad 2 + attr 8
  assert.equal(bytes.byteLength, 4 + 8 + 8);
  assert.deepEqual(back, { options: { limit: 1000, loss: 3, rate: 99 } });
});

test('struct inside a struct (binary member with a struct, as YNL spells it)', () => {
  const rate = structSpec('ratespec', [{ name: 'cellLog', type: 'u8' }, { name: 'linklayer', type: 'u8' }, { name: 'overhead', type: 'u16' }]);
  const outer = structSpec('tbf', [{ name: 'rate', type: 'binary', len: 4, struct: rate }, { name: 'limit', type: 'u32' }]);
  const c = compileStruct(outer);
  assert.equal(c.size, 8);
  const w = new MessageWriter();
  c.encode(w, { rate: { cellLog: 3, linklayer: 1, overhead: 24 }, limit: 5 } as never);
  const b = w.toBytes();
  assert.deepEqual([...b], [3, 1, 24, 0, 5, 0, 0, 0]);
  assert.deepEqual(c.decode(b, viewOf(b), 0, 8), { rate: { cellLog: 3, linklayer: 1, overhead: 24 }, limit: 5 });
});

test('a sub-message selector may be an attribute of an enclosing set', () => {
  const red = attrs('red-stats', { early: [1, u32()] });
  const stats = attrs('stats', { app: [1, subMessage('kind', { red: nest(red) })], bytes: [2, u32()] });
  const set = attrs('tc', { kind: [1, string()], stats: [2, nest(stats)], handle: [3, u16()] });
  const value = { kind: 'red', stats: { app: { early: 4 }, bytes: 10 }, handle: 1 };
  const { back } = roundTrip(set, value);
  assert.deepEqual(back, value);
  // Without a matching selector anywhere the bytes are kept, never lost.
  const c = compileSet(set);
  const w = new MessageWriter();
  c.encode(w, { kind: 'red', stats: { app: { early: 4 } } });
  const bytes = w.toBytes();
  bytes[4] = 'x'.charCodeAt(0); // kind "red" -> "xed"
  const d = c.decode(bytes, viewOf(bytes), 0, bytes.byteLength) as Record<string, any>;
  assert.equal(d.kind, 'xed');
  assert.equal(d.stats.$unknown.length, 1);
});

test('int with an enum still decodes through indexedArray items', () => {
  const set = attrs('s', { l: [1, indexedArray(int('u8', { enum: { name: 'e', values: { a: 1, b: 2 } } }))] });
  assert.deepEqual(roundTrip(set, { l: ['a', 'b', 3] as never }).back, { l: ['a', 'b', 3] });
});
