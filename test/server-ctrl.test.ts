// The user-space generic netlink server and its nlctrl, checked two ways: against this host's
// kernel (the same questions to the real nlctrl and to ours must get the same bytes), and
// through nlkit's own genl client (Controller), an independent decoder of what we send.
import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import {
  Controller, CTRL_ATTR_FAMILY_ID, CTRL_ATTR_FAMILY_NAME, CTRL_ATTR_OP, CTRL_CMD_GETFAMILY, CTRL_CMD_GETPOLICY,
  FamilyNotFoundError, GENL_ID_CTRL, type ControllerEvent,
} from '../src/genl/index.js';
import { MessageWriter, NETLINK_GENERIC, NLM_F_DUMP, NLM_F_REQUEST, NetlinkError, NetlinkSocket, type NetlinkMessage } from '../src/index.js';
import {
  GENL_ADMIN_PERM, GENL_CMD_CAP_DO, GENL_CMD_CAP_DUMP, GENL_CMD_CAP_HASPOL, GenlServer, NetlinkBus, definePolicy, errno, nla,
  type Family,
} from '../src/server/index.js';

/** A genl request to nlctrl built by hand (so both sides get the very same bytes). */
function ctrlReq(cmd: number, fill?: (w: MessageWriter) => void, flags = 0): Uint8Array {
  const w = new MessageWriter(64);
  w.begin(GENL_ID_CTRL, flags);
  const h = w.struct(4);
  w.view.setUint8(h, cmd);
  w.view.setUint8(h + 1, 1);
  fill?.(w);
  w.end();
  return w.toBytes();
}

const enc = (s: string) => new TextEncoder().encode(s);
const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');

/** What an answer looks like, comparable across the two sides. */
async function answer(s: NetlinkSocket, req: Uint8Array, dump: boolean): Promise<unknown> {
  try {
    if (dump) return (await s.dump(req.slice()).toArray()).map((m: NetlinkMessage) => `${m.flags}:${hex(m.payload)}`);
    const r = await s.request(req.slice());
    return { messages: r.messages.map((m) => `${m.type}/${m.flags}:${hex(m.payload)}`), warning: r.ack?.message };
  } catch (e) {
    if (!(e instanceof NetlinkError)) throw e;
    return {
      code: e.code, message: e.kernelMessage, offset: e.offset, policy: e.policy && hex(e.policy),
      missingType: e.missingType, missingNest: e.missingNest,
    };
  }
}

describe('nlctrl against the kernel\'s own', () => {
  const bus = new NetlinkBus();
  bus.serve(NETLINK_GENERIC, new GenlServer());
  const ours = NetlinkSocket.open(NETLINK_GENERIC, { transport: bus.transport() });
  const theirs = NetlinkSocket.open(NETLINK_GENERIC); // read-only questions to this host's nlctrl
  after(() => {
    ours.close();
    theirs.close();
  });

  const name = (s: string) => (w: MessageWriter) => w.attrString(CTRL_ATTR_FAMILY_NAME, s);
  const cases: [string, Uint8Array, boolean][] = [
    ['GETFAMILY nlctrl by name', ctrlReq(CTRL_CMD_GETFAMILY, name('nlctrl')), false],
    ['GETFAMILY nlctrl by id, as a u32 (liberal: accepted)', ctrlReq(CTRL_CMD_GETFAMILY, (w) => w.attrU32(CTRL_ATTR_FAMILY_ID, GENL_ID_CTRL)), false],
    ['GETPOLICY of nlctrl', ctrlReq(CTRL_CMD_GETPOLICY, (w) => w.attrU16(CTRL_ATTR_FAMILY_ID, GENL_ID_CTRL)), true],
    ['GETPOLICY of one op', ctrlReq(CTRL_CMD_GETPOLICY, (w) => { w.attrU16(CTRL_ATTR_FAMILY_ID, GENL_ID_CTRL); w.attrU32(CTRL_ATTR_OP, CTRL_CMD_GETFAMILY); }), true],
    ['name without NUL', ctrlReq(CTRL_CMD_GETFAMILY, (w) => w.attr(CTRL_ATTR_FAMILY_NAME, enc('nlctrl'))), false],
    ['name too long', ctrlReq(CTRL_CMD_GETFAMILY, (w) => w.attr(CTRL_ATTR_FAMILY_NAME, enc('a-very-long-family-name\0'))), false],
    ['family id of one byte', ctrlReq(CTRL_CMD_GETFAMILY, (w) => w.attr(CTRL_ATTR_FAMILY_ID, new Uint8Array([1]))), false],
    ['no attributes', ctrlReq(CTRL_CMD_GETFAMILY), false],
    ['unknown family', ctrlReq(CTRL_CMD_GETFAMILY, name('no-such-family')), false],
    ['unknown command', ctrlReq(99), false],
    ['reserved field set', (() => { const m = ctrlReq(99); m[18] = 1; return m; })(), false],
    ['reserved field set below resv_start_op', (() => { const m = ctrlReq(CTRL_CMD_GETFAMILY, name('nlctrl')); m[18] = 1; return m; })(), false],
    ['GETPOLICY: unknown attribute (strict)', ctrlReq(CTRL_CMD_GETPOLICY, (w) => { w.attrU16(CTRL_ATTR_FAMILY_ID, GENL_ID_CTRL); w.attrU32(20, 1); }), true],
    ['GETPOLICY: id of 4 bytes (strict)', ctrlReq(CTRL_CMD_GETPOLICY, (w) => w.attrU32(CTRL_ATTR_FAMILY_ID, GENL_ID_CTRL)), true],
    ['GETPOLICY: NLA_F_NESTED on a u16', ctrlReq(CTRL_CMD_GETPOLICY, (w) => w.attrU16(CTRL_ATTR_FAMILY_ID | 0x8000, GENL_ID_CTRL)), true],
    ['GETPOLICY: no family', ctrlReq(CTRL_CMD_GETPOLICY), true],
    ['GETPOLICY: unknown op', ctrlReq(CTRL_CMD_GETPOLICY, (w) => { w.attrU16(CTRL_ATTR_FAMILY_ID, GENL_ID_CTRL); w.attrU32(CTRL_ATTR_OP, 77); }), true],
    ['GETPOLICY: empty string after the id (strict, no NUL)', ctrlReq(CTRL_CMD_GETPOLICY, (w) => { w.attrU16(CTRL_ATTR_FAMILY_ID, GENL_ID_CTRL); w.attr(CTRL_ATTR_FAMILY_NAME, new Uint8Array(0)); }), true],
  ];
  for (const [what, req, dump] of cases) {
    test(what, async () => {
      assert.deepEqual(await answer(ours, req, dump), await answer(theirs, req, dump));
    });
  }

  test('the family dump describes nlctrl exactly as the kernel\'s does', async () => {
    const req = ctrlReq(CTRL_CMD_GETFAMILY, undefined, NLM_F_DUMP);
    const mine = (await ours.dump(req.slice()).toArray()).map((m) => hex(m.payload));
    const kernel = (await theirs.dump(req.slice()).toArray()).map((m) => hex(m.payload));
    assert.equal(mine.length, 1);
    assert.equal(mine[0], kernel[0], 'nlctrl comes first, byte for byte');
  });
});

describe('families on the user-space generic netlink server', () => {
  test('ids are allocated from 0x13 cyclically, groups first-fit from 2, and the notify group tells', async () => {
    const bus = new NetlinkBus();
    const genl = new GenlServer();
    bus.serve(NETLINK_GENERIC, genl);
    const s = NetlinkSocket.open(NETLINK_GENERIC, { transport: bus.transport() });
    try {
      const ctrl = new Controller(s);
      const events = ctrl.events()[Symbol.asyncIterator]();
      const a = genl.register({ name: 'alpha', ops: [{ cmd: 1, doit: () => 0 }], mcgrps: ['one', 'two', 'three'] });
      const b = genl.register({ name: 'beta', ops: [{ cmd: 1, doit: () => 0 }], mcgrps: ['x'] });
      assert.equal(a.id, 0x13);
      assert.deepEqual(a.groups.map((g) => a.groupId(g)), [2, 3, 4]);
      assert.equal(b.id, 0x14);
      assert.equal(b.groupId('x'), 5);
      genl.unregister(a);
      const c = genl.register({ name: 'gamma', ops: [{ cmd: 1, doit: () => 0 }], mcgrps: ['g1', 'g2'] });
      assert.equal(c.id, 0x15, 'ids are not reused at once (idr_alloc_cyclic)');
      assert.deepEqual([c.groupId(0), c.groupId(1)], [2, 3], 'group ids are');
      const seen: string[] = [];
      for (let i = 0; i < 12; i++) {
        const r = await events.next();
        const e = r.value as ControllerEvent;
        seen.push(`${e.kind} ${e.family.name}${e.kind.endsWith('group') ? ` ${e.family.groups.map((g) => `${g.name}=${g.id}`).join()}` : ''}`);
      }
      assert.deepEqual(seen, [
        'new-family alpha', 'new-group alpha one=2', 'new-group alpha two=3', 'new-group alpha three=4',
        'new-family beta', 'new-group beta x=5',
        'del-group alpha one=2', 'del-group alpha two=3', 'del-group alpha three=4', 'del-family alpha',
        'new-family gamma', 'new-group gamma g1=2',
      ]);
      const listed = await ctrl.dumpFamilies().toArray();
      assert.deepEqual(listed.map((f) => [f.name, f.id]), [['nlctrl', 0x10], ['beta', 0x14], ['gamma', 0x15]]);
      await assert.rejects(ctrl.getFamily('alpha'), FamilyNotFoundError);
      const g = await ctrl.getFamily(0x15);
      assert.deepEqual(g.groups, [{ name: 'g1', id: 2 }, { name: 'g2', id: 3 }]);
    } finally {
      s.close();
    }
  });

  test('declarations the kernel would refuse are refused', () => {
    const genl = new GenlServer();
    assert.throws(() => genl.register({ name: 'sixteen-bytes-xx', ops: [] }), RangeError);
    assert.throws(() => genl.register({ name: 'nlctrl', ops: [] }), /already registered/);
    assert.throws(() => genl.register({ name: 'dup', ops: [{ cmd: 1, doit: () => 0 }, { cmd: 1, doit: () => 0 }] }), /twice/);
    assert.throws(() => genl.register({ name: 'empty-op', ops: [{ cmd: 1 }] }), /neither doit nor dump/);
  });

  describe('a family with a header, nested policies, an admin op and a dump', () => {
    const item = definePolicy({ 1: nla.u32(), 2: nla.string({ maxLen: 8 }) });
    const top = definePolicy({ 1: nla.u32({ max: 100 }), 2: nla.nested(item), 3: nla.nestedArray(item) });
    const bus = new NetlinkBus();
    const genl = new GenlServer({ dumpBufferSize: 512 });
    bus.serve(NETLINK_GENERIC, genl);
    const rows = Array.from({ length: 100 }, (_, i) => i * 3);
    let hdrSeen = -1;
    const fam: Family = genl.register({
      name: 'rich',
      version: 3,
      hdrsize: 4,
      policy: top,
      mcgrps: ['events'],
      ops: [
        {
          cmd: 1,
          doit: (info) => {
            hdrSeen = info.req.view.getUint32(info.userhdr, true);
            // The family header (hdrsize 4) is written, zeroed, by the family itself.
            return info.reply(1, (w) => w.attrU32(1, info.attrs?.u32(1) ?? 0));
          },
          dump: {
            init: () => 0,
            dump: (cb) => {
              for (; cb.state < rows.length; cb.state++) {
                const v = rows[cb.state]!;
                if (!fam.put(cb, 1, (w) => w.attrU32(1, v))) return;
              }
            },
          },
        },
        { cmd: 2, flags: GENL_ADMIN_PERM, doit: () => 0 },
      ],
    });
    const s = NetlinkSocket.open(NETLINK_GENERIC, { transport: bus.transport() });
    const user = NetlinkSocket.open(NETLINK_GENERIC, { transport: bus.transport({ privileged: false }) });
    after(() => {
      s.close();
      user.close();
    });
    const req = (cmd: number, fill?: (w: MessageWriter) => void, hdr = 4, flags = 0) => {
      const w = new MessageWriter(64);
      w.begin(fam.id, flags);
      const h = w.struct(4 + hdr);
      w.view.setUint8(h, cmd);
      w.view.setUint8(h + 1, 3);
      if (hdr >= 4) w.view.setUint32(h + 4, 0xabcd, true);
      fill?.(w);
      w.end();
      return w.toBytes();
    };

    test('the controller reports it: version, header size, maxattr, op flags, groups', async () => {
      const f = await new Controller(s).getFamily('rich');
      assert.deepEqual([f.id, f.version, f.hdrsize, f.maxattr], [0x13, 3, 4, 3]);
      assert.deepEqual(f.ops.map((o) => [o.id, o.flags]), [
        [1, GENL_CMD_CAP_DO | GENL_CMD_CAP_DUMP | GENL_CMD_CAP_HASPOL],
        [2, GENL_ADMIN_PERM | GENL_CMD_CAP_DO | GENL_CMD_CAP_HASPOL],
      ]);
      assert.deepEqual(f.groups, [{ name: 'events', id: 2 }]);
    });

    test('GETPOLICY lists the family policy and the nested ones by index', async () => {
      const p = await new Controller(s).getPolicy('rich');
      assert.deepEqual([...p.ops], [[1, { do: 0, dump: 0 }], [2, { do: 0 }]]);
      assert.equal(p.policies.size, 2);
      const t = p.policies.get(0)!;
      assert.equal(t.get(1)?.type, 'u32');
      assert.equal(BigInt(t.get(1)!.maxValue!), 100n);
      assert.deepEqual([t.get(2)?.type, t.get(2)?.policyIdx, t.get(2)?.policyMaxtype], ['nested', 1, 2]);
      assert.deepEqual([t.get(3)?.type, t.get(3)?.policyIdx], ['nested-array', 1]);
      assert.deepEqual([p.policies.get(1)!.get(2)?.type, p.policies.get(1)!.get(2)?.maxLength], ['string', 8]);
    });

    test('do: the family header reaches the handler and the reply carries the family version', async () => {
      const r = await s.request(req(1, (w) => w.attrU32(1, 42)), { headerSize: 8 });
      assert.equal(hdrSeen, 0xabcd);
      const m = r.messages[0]!;
      assert.deepEqual([m.type, m.payload[0], m.payload[1]], [fam.id, 1, 3]);
      assert.equal(m.payload.byteLength, 4 + 4 + 8, 'genlmsghdr, family header, one u32');
      assert.equal(new DataView(m.payload.buffer, m.payload.byteOffset).getUint32(12, true), 42);
    });

    test('errors: ENOENT for no family, EINVAL for a short header, ERANGE through the policy, EPERM for the admin op', async () => {
      const code = (p: Promise<unknown>) => p.then(() => 'ok', (e: NetlinkError) => e.code);
      const noFamily = req(1);
      noFamily[4] = 0x7f;
      assert.equal(await code(s.request(noFamily)), 'ENOENT');
      assert.equal(await code(s.request(req(1, undefined, 0))), 'EINVAL');
      const e = await s.request(req(1, (w) => w.attrU32(1, 101)), { headerSize: 8 }).catch((x: NetlinkError) => x);
      assert.ok(e instanceof NetlinkError);
      assert.deepEqual([e.code, e.kernelMessage, e.offset, e.attributePath], ['ERANGE', 'integer out of range', 24, [1]]);
      assert.equal(await code(user.request(req(2))), 'EPERM');
      assert.equal(await code(s.request(req(2))), 'ok');
      assert.equal(await code(s.request(req(9))), 'EOPNOTSUPP');
      assert.equal(await code(s.dump(req(2)).toArray()), 'EOPNOTSUPP', 'no dump for op 2');
    });

    test('dump: every row, over many datagrams, each message with the genl header', async () => {
      const got = await s.dump(req(1)).toArray();
      assert.equal(got.length, rows.length);
      assert.deepEqual(got.map((m) => new DataView(m.payload.buffer, m.payload.byteOffset).getUint32(12, true)), rows);
      assert.ok(got.every((m) => m.type === fam.id && m.payload[0] === 1 && m.payload[1] === 3));
    });

    test('multicast to a family group reaches its members only', async () => {
      const listener = NetlinkSocket.open(NETLINK_GENERIC, { transport: bus.transport(), groups: [fam.groupId('events')] });
      const other = NetlinkSocket.open(NETLINK_GENERIC, { transport: bus.transport(), groups: [3] });
      try {
        const it = listener.events();
        const ot = other.events();
        assert.equal(fam.multicast('events', 5, (w) => w.attrU32(1, 7)), 0);
        const ev = (await it.next()).value as { group: number; payload: Uint8Array };
        assert.equal(ev.group, 2);
        assert.equal(ev.payload[0], 5);
        // A round trip on `other` after the multicast: had the bus queued it there, it would be
        // read before the reply, and waiting in the iterator one loop turn later.
        await other.request(ctrlReq(CTRL_CMD_GETFAMILY, (w) => w.attrString(CTRL_ATTR_FAMILY_NAME, 'nlctrl')));
        const none = await Promise.race([ot.next(), new Promise((r) => setImmediate(() => r('none')))]);
        assert.equal(none, 'none');
        assert.equal(genl.multicast(9, new Uint8Array(16)), -errno.ESRCH, 'nobody listens to group 9');
      } finally {
        listener.close();
        other.close();
      }
    });

    test('an unattached server drops what it would send', () => {
      const g = new GenlServer();
      assert.equal(g.attached, false);
      assert.equal(g.unicast(1, new Uint8Array(16)), -errno.ESRCH);
      assert.doesNotThrow(() => g.input(ctrlReq(CTRL_CMD_GETFAMILY, undefined, NLM_F_REQUEST), 1));
    });
  });
});
