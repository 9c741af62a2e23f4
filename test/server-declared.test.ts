// One declaration for both sides: a family declared as data gives the server its policies,
// ops, permissions and groups (serveFamily) and the client its codec and types (FamilyClient).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { NetlinkError } from '../src/index.js';
import { FamilyClient, genlFamily, loadSpec, op } from '../src/genl/index.js';
import { attrs, nest, string, u32, u8 } from '../src/schema/index.js';
import {
  GenlServer, NetlinkBus, definePolicy, nla, nlexPolicy, policyFromSet, serveFamily,
} from '../src/server/index.js';

const inner = attrs('inner', { id: [1, u8()] });
const counterSet = attrs('counter', { value: [1, u32()], label: [2, string()], extra: [3, nest(() => inner)] });
const counter = genlFamily('counter', 1, {
  get: op({ name: 'get', request: 1, reply: 1, set: counterSet, do: { reply: { attributes: ['value', 'label'] } } }),
  set: op({ name: 'set', request: 2, reply: 2, set: counterSet, flags: ['admin-perm'], mcgrp: 'changes', do: { request: { attributes: ['value'] } } }),
}, ['changes']);

test('the policy of a declared set is what one would write by hand, checks included', () => {
  assert.deepEqual(nlexPolicy, definePolicy({ 1: nla.u32() }));
  const p = policyFromSet(counterSet, { value: { max: 1000 }, label: { maxLen: 15 } });
  assert.deepEqual(p, definePolicy({
    1: nla.u32({ max: 1000 }),
    2: nla.nulString({ maxLen: 15 }),
    3: nla.nested(definePolicy({ 1: nla.u8() })),
  }));
});

test('a family served from its declaration answers the client of the same declaration: types, checks, permissions, notifications', async () => {
  let value = 0;
  const genl = new GenlServer();
  const family = serveFamily(genl, counter, {
    get: (req) => req.reply({ value, label: `by ${req.creds?.uid}` }),
    set: (req) => {
      value = req.attrs.value ?? 0;
      req.notify({ value });
    },
  }, { checks: { value: { max: 1000 } } });
  assert.deepEqual([family.name, family.groups], ['counter', ['changes']]);
  const bus = new NetlinkBus();
  bus.serve(16, genl);
  const root = await FamilyClient.open(counter, { transport: bus.transport({ uid: 0 }) });
  const user = await FamilyClient.open(counter, { transport: bus.transport({ uid: 1001 }) });
  try {
    const events = root.events(['changes'], { signal: AbortSignal.timeout(2000) })[Symbol.asyncIterator]();
    await root.do('set', { value: 7 });
    const ev = (await events.next()).value as { op: string; value: Record<string, unknown> };
    assert.deepEqual([ev.op, ev.value.value], ['set', 7]);
    const got = await user.do('get');
    assert.deepEqual([got?.value, got?.label], [7, 'by 1001']);
    await assert.rejects(root.do('set', { value: 5000 }), (e: unknown) => e instanceof NetlinkError && e.code === 'ERANGE');
    await assert.rejects(user.do('set', { value: 1 }), (e: unknown) => e instanceof NetlinkError && e.code === 'EPERM');
    assert.equal(value, 7);
  } finally {
    root.close();
    user.close();
  }
});

const YNL = `
name: ycounter
protocol: genetlink
doc: a counter, as a YNL spec
attribute-sets:
  -
    name: counter
    attributes:
      -
        name: value
        type: u32
        checks:
          max: 1000
      -
        name: label
        type: string
        checks:
          max-len: 7
operations:
  list:
    -
      name: get
      attribute-set: counter
      do:
        request:
          attributes: []
        reply:
          attributes: [value]
    -
      name: set
      attribute-set: counter
      flags: [admin-perm]
      do:
        request:
          attributes: [value, label]
mcast-groups:
  list:
    -
      name: changes
`;

test('a YNL spec serves too: its checks become the policy, its flags the permissions', async () => {
  const spec = loadSpec(YNL);
  let value = 0;
  const genl = new GenlServer();
  serveFamily(genl, spec, {
    get: (req) => req.reply({ value }),
    set: (req) => void (value = Number(req.attrs.value ?? 0)),
  });
  const bus = new NetlinkBus();
  bus.serve(16, genl);
  const root = await FamilyClient.open(spec, { transport: bus.transport() });
  const user = await FamilyClient.open(spec, { transport: bus.transport({ uid: 1001 }) });
  try {
    await root.do('set', { value: 9 });
    assert.equal((await user.do('get'))?.value, 9);
    await assert.rejects(root.do('set', { value: 1001 }), (e: unknown) => e instanceof NetlinkError && e.code === 'ERANGE');
    // NLA_NUL_STRING longer than .len has no NUL within len + 1 bytes: EINVAL, as in the kernel.
    await assert.rejects(root.do('set', { value: 1, label: 'too long' }), (e: unknown) => e instanceof NetlinkError && e.code === 'EINVAL');
    await root.do('set', { value: 2, label: 'short' });
    assert.equal(value, 2);
    await root.do('set', { value: 9 });
    await assert.rejects(user.do('set', { value: 1 }), (e: unknown) => e instanceof NetlinkError && e.code === 'EPERM');
    assert.equal(value, 9);
  } finally {
    root.close();
    user.close();
  }
});

test('a declared dump: the handler yields values, packed into datagrams as the reader takes them', async () => {
  const rowSet = attrs('row', { index: [1, u32()], name: [2, string()] });
  const table = genlFamily('table', 1, {
    list: op({ name: 'list', request: 1, reply: 1, set: rowSet, dump: { request: { attributes: ['index'] }, reply: { attributes: ['index', 'name'] } } }),
  });
  const genl = new GenlServer();
  serveFamily(genl, table, {
    list: {
      *dump(req) {
        // The request's attributes arrive decoded: `index` is where the listing starts.
        for (let i = req.attrs.index ?? 0; i < 5000; i++) yield { index: i, name: `row ${i}` };
      },
    },
  });
  const bus = new NetlinkBus();
  bus.serve(16, genl);
  const c = await FamilyClient.open(table, { transport: bus.transport() });
  try {
    const rows = await c.dump('list', { index: 10 }).toArray();
    assert.equal(rows.length, 4990);
    assert.deepEqual([rows[0]?.index, rows[0]?.name, rows.at(-1)?.index], [10, 'row 10', 4999]);
    assert.deepEqual(rows.map((r) => r.index), Array.from({ length: 4990 }, (_, i) => i + 10));
  } finally {
    c.close();
  }
});
