// Policy validation, attribute type by attribute type, through the whole stack: a request
// built by hand goes over the in-process bus to a generic netlink family whose policy covers
// every NLA_* type, and the client's NetlinkError must say what a kernel would (errno,
// message, offset and attribute path, the violated policy). Then hostile input: lying lengths,
// nested garbage, huge attribute counts, runaway nesting — never a throw, never a hang.
import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import {
  AttributeReader, HOST_LE, MessageWriter, NETLINK_GENERIC, NLA_F_NESTED, NetlinkError, NetlinkSocket,
} from '../src/index.js';
import {
  Attrs, ExtAck, GENL_DONT_VALIDATE_STRICT, GenlServer, NetlinkBus, NL_ATTR_TYPE_BINARY, NL_ATTR_TYPE_FLAG,
  NL_ATTR_TYPE_NESTED, NL_ATTR_TYPE_NUL_STRING, NL_ATTR_TYPE_S32, NL_ATTR_TYPE_STRING, NL_ATTR_TYPE_U16,
  NL_ATTR_TYPE_U32, NL_ATTR_TYPE_U64, NL_ATTR_TYPE_U8, NL_POLICY_TYPE_ATTR_MAX_LENGTH, NL_POLICY_TYPE_ATTR_MAX_VALUE_S,
  NL_POLICY_TYPE_ATTR_MAX_VALUE_U, NL_POLICY_TYPE_ATTR_MIN_LENGTH, NL_POLICY_TYPE_ATTR_MIN_VALUE_S,
  NL_POLICY_TYPE_ATTR_MIN_VALUE_U, NL_POLICY_TYPE_ATTR_TYPE, NL_VALIDATE_LIBERAL, NL_VALIDATE_STRICT, definePolicy,
  errno, nla, validateAttributes, type AttrPolicy, type Policy,
} from '../src/server/index.js';

// ---- the policy under test ----

const inner = definePolicy({ 1: nla.u8(), 2: nla.nulString({ maxLen: 3 }) });
// A policy that contains itself, to reach the recursion limit.
const recAttrs = new Map<number, AttrPolicy>();
const rec: Policy = { maxtype: 1, attrs: recAttrs };
recAttrs.set(1, nla.nested(rec));

const A = {
  U8: 1, U16: 2, U32: 3, U64: 4, S8: 5, S16: 6, S32: 7, S64: 8, STR: 9, NULSTR: 10, BIN: 11, BIN_EXACT: 12,
  BIN_MIN: 13, BIN_MAX: 14, FLAG: 15, NEST: 16, ARRAY: 17, U32_RANGE: 18, S32_RANGE: 19, REJECT: 20, UNSPEC: 21,
  REC: 22, U64_MAX: 23, ABSENT: 24,
} as const;

const policy = definePolicy({
  [A.U8]: nla.u8(), [A.U16]: nla.u16(), [A.U32]: nla.u32(), [A.U64]: nla.u64(),
  [A.S8]: nla.s8(), [A.S16]: nla.s16(), [A.S32]: nla.s32(), [A.S64]: nla.s64(),
  [A.STR]: nla.string({ maxLen: 4 }), [A.NULSTR]: nla.nulString({ maxLen: 4 }),
  [A.BIN]: nla.binary({ maxLen: 4 }), [A.BIN_EXACT]: nla.binary({ exact: 6 }), [A.BIN_MIN]: nla.binary({ min: 2 }),
  [A.BIN_MAX]: nla.binary({ max: 3 }), [A.FLAG]: nla.flag(), [A.NEST]: nla.nested(inner), [A.ARRAY]: nla.nestedArray(inner),
  [A.U32_RANGE]: nla.u32({ min: 10, max: 20 }), [A.S32_RANGE]: nla.s32({ min: -5, max: 5 }),
  [A.REJECT]: nla.reject('this attribute is not for you'), [A.UNSPEC]: nla.unspec({ minLen: 2 }), [A.REC]: nla.nested(rec),
  [A.U64_MAX]: nla.u64({ max: 1000n }),
}, 25);

const CMD_STRICT = 1;
const CMD_LIBERAL = 2;
const CMD_REQUIRE = 3;

// ---- the server and a client on the bus ----

const bus = new NetlinkBus();
const genl = new GenlServer();
bus.serve(NETLINK_GENERIC, genl);
let seen: Attrs | undefined;
const family = genl.register({
  name: 'ptest',
  policy,
  ops: [
    { cmd: CMD_STRICT, doit: (info) => void (seen = info.attrs) },
    { cmd: CMD_LIBERAL, validate: GENL_DONT_VALIDATE_STRICT, doit: (info) => void (seen = info.attrs) },
    { cmd: CMD_REQUIRE, doit: (info) => (info.missing(A.U32) ? -errno.EINVAL : 0) },
  ],
});
const sock = NetlinkSocket.open(NETLINK_GENERIC, { transport: bus.transport() });
after(() => sock.close());

/** A request under construction: remembers where each top-level attribute starts. */
class Req {
  readonly w = new MessageWriter(256);
  readonly at: number[] = [];
  constructor(cmd: number) {
    this.w.begin(family.id, 0);
    const h = this.w.struct(4);
    this.w.view.setUint8(h, cmd);
    this.w.view.setUint8(h + 1, 1);
  }
  /** An attribute with an explicit value (and raw type bits). */
  attr(type: number, value: ArrayLike<number>): this {
    this.at.push(this.w.length);
    this.w.attr(type, Uint8Array.from(value));
    return this;
  }
  /** A nest whose contents `fill` writes; NLA_F_NESTED unless told otherwise. */
  nest(type: number, fill: (r: Req) => void, flag = true): this {
    this.at.push(this.w.length);
    const n = this.w.beginNest(type, flag);
    fill(this);
    this.w.endNest(n);
    return this;
  }
  /** Raw bytes appended as they are (for lying lengths and trailing garbage). */
  raw(bytes: ArrayLike<number>): this {
    this.at.push(this.w.length);
    this.w.bytes(Uint8Array.from(bytes));
    return this;
  }
  bytes(): Uint8Array {
    this.w.end();
    return this.w.toBytes();
  }
}

const u16 = (v: number) => [v & 0xff, v >> 8];
const u32 = (v: number) => { const b = new Uint8Array(4); new DataView(b.buffer).setUint32(0, v, HOST_LE); return [...b]; };
const s32 = (v: number) => { const b = new Uint8Array(4); new DataView(b.buffer).setInt32(0, v, HOST_LE); return [...b]; };
const u64 = (v: bigint) => { const b = new Uint8Array(8); new DataView(b.buffer).setBigUint64(0, v, HOST_LE); return [...b]; };
const ascii = (s: string) => [...new TextEncoder().encode(s)];
const zeros = (n: number) => new Array<number>(n).fill(0);

/** The violated policy of an error, as attribute type -> value. */
function policyOf(e: NetlinkError): Map<number, bigint> {
  const out = new Map<number, bigint>();
  if (!e.policy) return out;
  const r = new AttributeReader(e.policy);
  while (r.next()) {
    const v = r.length === 8 ? r.view.getBigInt64(r.start, HOST_LE) : BigInt(r.u32());
    out.set(r.type, v);
  }
  return out;
}

interface Want {
  /** Expected errno name, or 'ok'. */
  code: 'ok' | 'EINVAL' | 'ERANGE';
  /** Expected extended-ACK message (a warning for 'ok'). */
  message?: string;
  /** Index into Req.at of the attribute the offset must point at; -1: no offset. */
  attr?: number;
  /** Expected attribute path (types, outermost first). */
  path?: number[];
  /** Expected policy description: type -> value. */
  policy?: Record<number, number | bigint>;
}

interface Case {
  name: string;
  cmd?: number;
  build: (r: Req) => void;
  want: Want;
}

const failed = 'Attribute failed policy validation';
const P = NL_POLICY_TYPE_ATTR_TYPE;

const cases: Case[] = [
  // integers: exact size in strict mode, at least the size in liberal mode
  { name: 'u8 of 1 byte', build: (r) => r.attr(A.U8, [7]), want: { code: 'ok' } },
  { name: 'u8 of 2 bytes, strict', build: (r) => r.attr(A.U8, [7, 0]), want: { code: 'EINVAL', message: 'invalid attribute length', attr: 0, path: [A.U8], policy: { [P]: NL_ATTR_TYPE_U8, [NL_POLICY_TYPE_ATTR_MIN_VALUE_U]: 0, [NL_POLICY_TYPE_ATTR_MAX_VALUE_U]: 255 } } },
  { name: 'u8 of 2 bytes, liberal', cmd: CMD_LIBERAL, build: (r) => r.attr(A.U8, [7, 0]), want: { code: 'ok' } },
  { name: 'u8 of 0 bytes, liberal', cmd: CMD_LIBERAL, build: (r) => r.attr(A.U8, []), want: { code: 'ERANGE', message: failed, attr: 0, policy: { [P]: NL_ATTR_TYPE_U8 } } },
  { name: 'u16 of 1 byte, liberal', cmd: CMD_LIBERAL, build: (r) => r.attr(A.U16, [1]), want: { code: 'ERANGE', message: failed, attr: 0, policy: { [P]: NL_ATTR_TYPE_U16, [NL_POLICY_TYPE_ATTR_MAX_VALUE_U]: 0xffff } } },
  { name: 'u16 of 1 byte, strict', build: (r) => r.attr(A.U16, [1]), want: { code: 'EINVAL', message: 'invalid attribute length', attr: 0 } },
  { name: 'u32 of 3 bytes after a good u8', build: (r) => r.attr(A.U8, [1]).attr(A.U32, [1, 2, 3]), want: { code: 'EINVAL', message: 'invalid attribute length', attr: 1, path: [A.U32] } },
  { name: 'u64 of 8 bytes', build: (r) => r.attr(A.U64, u64(1n << 60n)), want: { code: 'ok' } },
  { name: 'u64 of 4 bytes, liberal', cmd: CMD_LIBERAL, build: (r) => r.attr(A.U64, [1, 2, 3, 4]), want: { code: 'ERANGE', message: failed, attr: 0, policy: { [P]: NL_ATTR_TYPE_U64, [NL_POLICY_TYPE_ATTR_MAX_VALUE_U]: -1n } } },
  { name: 's8, s16, s32, s64 of their sizes', build: (r) => r.attr(A.S8, [0xff]).attr(A.S16, [0, 0x80]).attr(A.S32, s32(-1)).attr(A.S64, u64(1n)), want: { code: 'ok' } },
  { name: 's32 of 2 bytes, liberal', cmd: CMD_LIBERAL, build: (r) => r.attr(A.S32, [1, 2]), want: { code: 'ERANGE', message: failed, attr: 0, policy: { [P]: NL_ATTR_TYPE_S32, [NL_POLICY_TYPE_ATTR_MIN_VALUE_S]: -0x80000000n, [NL_POLICY_TYPE_ATTR_MAX_VALUE_S]: 0x7fffffffn } } },
  // ranges
  { name: 'u32 in 10..20', build: (r) => r.attr(A.U32_RANGE, u32(15)), want: { code: 'ok' } },
  { name: 'u32 below 10..20', build: (r) => r.attr(A.U32_RANGE, u32(9)), want: { code: 'ERANGE', message: 'integer out of range', attr: 0, policy: { [P]: NL_ATTR_TYPE_U32, [NL_POLICY_TYPE_ATTR_MIN_VALUE_U]: 10, [NL_POLICY_TYPE_ATTR_MAX_VALUE_U]: 20 } } },
  { name: 'u32 above 10..20', build: (r) => r.attr(A.U32_RANGE, u32(21)), want: { code: 'ERANGE', message: 'integer out of range', attr: 0 } },
  { name: 's32 at the edge of -5..5', build: (r) => r.attr(A.S32_RANGE, s32(-5)), want: { code: 'ok' } },
  { name: 's32 below -5..5', build: (r) => r.attr(A.S32_RANGE, s32(-6)), want: { code: 'ERANGE', message: 'integer out of range', attr: 0, policy: { [P]: NL_ATTR_TYPE_S32, [NL_POLICY_TYPE_ATTR_MIN_VALUE_S]: -5n, [NL_POLICY_TYPE_ATTR_MAX_VALUE_S]: 5n } } },
  { name: 'u64 above max 1000', build: (r) => r.attr(A.U64_MAX, u64(1001n)), want: { code: 'ERANGE', message: 'integer out of range', attr: 0 } },
  // strings
  { name: 'string of maxLen', build: (r) => r.attr(A.STR, ascii('abcd')), want: { code: 'ok' } },
  { name: 'string of maxLen plus its NUL', build: (r) => r.attr(A.STR, ascii('abcd\0')), want: { code: 'ok' } },
  { name: 'string over maxLen', build: (r) => r.attr(A.STR, ascii('abcde')), want: { code: 'ERANGE', message: failed, attr: 0, policy: { [P]: NL_ATTR_TYPE_STRING, [NL_POLICY_TYPE_ATTR_MAX_LENGTH]: 4 } } },
  { name: 'empty string', build: (r) => r.attr(A.STR, []), want: { code: 'ERANGE', message: failed, attr: 0 } },
  { name: 'nul-string with its NUL', build: (r) => r.attr(A.NULSTR, ascii('abcd\0')), want: { code: 'ok' } },
  { name: 'nul-string without NUL', build: (r) => r.attr(A.NULSTR, ascii('abc')), want: { code: 'EINVAL', message: failed, attr: 0, policy: { [P]: NL_ATTR_TYPE_NUL_STRING, [NL_POLICY_TYPE_ATTR_MAX_LENGTH]: 4 } } },
  { name: 'nul-string whose NUL is past maxLen + 1', build: (r) => r.attr(A.NULSTR, ascii('abcde\0')), want: { code: 'EINVAL', message: failed, attr: 0 } },
  { name: 'empty nul-string', build: (r) => r.attr(A.NULSTR, []), want: { code: 'EINVAL', message: failed, attr: 0 } },
  // binary
  { name: 'binary of .len', build: (r) => r.attr(A.BIN, [1, 2, 3, 4]), want: { code: 'ok' } },
  { name: 'binary over .len', build: (r) => r.attr(A.BIN, [1, 2, 3, 4, 5]), want: { code: 'ERANGE', message: failed, attr: 0, policy: { [P]: NL_ATTR_TYPE_BINARY, [NL_POLICY_TYPE_ATTR_MAX_LENGTH]: 4 } } },
  { name: 'binary of the exact length', build: (r) => r.attr(A.BIN_EXACT, zeros(6)), want: { code: 'ok' } },
  { name: 'binary short of the exact length', build: (r) => r.attr(A.BIN_EXACT, zeros(5)), want: { code: 'ERANGE', message: 'binary attribute size out of range', attr: 0, policy: { [P]: NL_ATTR_TYPE_BINARY, [NL_POLICY_TYPE_ATTR_MIN_LENGTH]: 6, [NL_POLICY_TYPE_ATTR_MAX_LENGTH]: 6 } } },
  { name: 'binary past the exact length', build: (r) => r.attr(A.BIN_EXACT, zeros(7)), want: { code: 'ERANGE', message: 'binary attribute size out of range', attr: 0 } },
  { name: 'binary under its minimum length', build: (r) => r.attr(A.BIN_MIN, [1]), want: { code: 'ERANGE', message: 'binary attribute size out of range', attr: 0, policy: { [P]: NL_ATTR_TYPE_BINARY, [NL_POLICY_TYPE_ATTR_MIN_LENGTH]: 2 } } },
  { name: 'binary well over its minimum length', build: (r) => r.attr(A.BIN_MIN, zeros(300)), want: { code: 'ok' } },
  { name: 'binary over its maximum length', build: (r) => r.attr(A.BIN_MAX, zeros(4)), want: { code: 'ERANGE', message: 'binary attribute size out of range', attr: 0, policy: { [P]: NL_ATTR_TYPE_BINARY, [NL_POLICY_TYPE_ATTR_MAX_LENGTH]: 3 } } },
  // flags
  { name: 'flag', build: (r) => r.attr(A.FLAG, []), want: { code: 'ok' } },
  { name: 'flag with a payload', build: (r) => r.attr(A.FLAG, [1]), want: { code: 'ERANGE', message: failed, attr: 0, policy: { [P]: NL_ATTR_TYPE_FLAG } } },
  // nests
  { name: 'nest with good contents', build: (r) => r.nest(A.NEST, (n) => n.attr(1, [5]).attr(2, ascii('ab\0'))), want: { code: 'ok' } },
  { name: 'empty nest', build: (r) => r.nest(A.NEST, () => {}), want: { code: 'ok' } },
  { name: 'nest of 2 bytes', build: (r) => r.attr(A.NEST | NLA_F_NESTED, [1, 2]), want: { code: 'ERANGE', message: failed, attr: 0, policy: { [P]: NL_ATTR_TYPE_NESTED } } },
  { name: 'bad u8 inside a nest', build: (r) => r.nest(A.NEST, (n) => n.attr(1, [5]).attr(1, [5, 6])), want: { code: 'EINVAL', message: 'invalid attribute length', attr: 2, path: [A.NEST, 1] } },
  { name: 'nul-string without NUL inside a nest', build: (r) => r.nest(A.NEST, (n) => n.attr(2, ascii('xyz'))), want: { code: 'EINVAL', message: failed, attr: 1, path: [A.NEST, 2] } },
  { name: 'nest without NLA_F_NESTED, strict', build: (r) => r.nest(A.NEST, (n) => n.attr(1, [5]), false), want: { code: 'EINVAL', message: 'NLA_F_NESTED is missing', attr: 0 } },
  { name: 'nest without NLA_F_NESTED, liberal', cmd: CMD_LIBERAL, build: (r) => r.nest(A.NEST, (n) => n.attr(1, [5]), false), want: { code: 'ok' } },
  { name: 'NLA_F_NESTED on a u32, strict', build: (r) => r.attr(A.U32 | NLA_F_NESTED, u32(1)), want: { code: 'EINVAL', message: 'NLA_F_NESTED not expected', attr: 0 } },
  // nested arrays
  { name: 'nested array of two entries', build: (r) => r.nest(A.ARRAY, (a) => a.nest(1, (e) => e.attr(1, [1])).nest(2, (e) => e.attr(2, ascii('a\0')))), want: { code: 'ok' } },
  { name: 'nested array with an empty entry', build: (r) => r.nest(A.ARRAY, (a) => a.attr(1, [])), want: { code: 'ok' } },
  { name: 'nested array entry too short', build: (r) => r.nest(A.ARRAY, (a) => a.nest(1, (e) => e.attr(1, [1])).attr(2, [9, 9])), want: { code: 'ERANGE', message: 'Array element too short', attr: 3 } },
  { name: 'nested array entry with a bad member', build: (r) => r.nest(A.ARRAY, (a) => a.nest(7, (e) => e.attr(1, [1, 2, 3]))), want: { code: 'EINVAL', message: 'invalid attribute length', attr: 2, path: [A.ARRAY, 7, 1] } },
  // reject, unspec, unknown types
  { name: 'NLA_REJECT with its message', build: (r) => r.attr(A.REJECT, [1]), want: { code: 'EINVAL', message: 'this attribute is not for you', attr: 0, policy: {} } },
  { name: 'NLA_UNSPEC in strict mode', build: (r) => r.attr(A.UNSPEC, [1, 2]), want: { code: 'EINVAL', message: 'Unsupported attribute', attr: 0 } },
  { name: 'NLA_UNSPEC under its minimum, liberal', cmd: CMD_LIBERAL, build: (r) => r.attr(A.UNSPEC, [1]), want: { code: 'ERANGE', message: failed, attr: 0, policy: {} } },
  { name: 'type without a policy entry, strict', build: (r) => r.attr(A.ABSENT, [1]), want: { code: 'EINVAL', message: 'Unsupported attribute', attr: 0 } },
  { name: 'type without a policy entry, liberal', cmd: CMD_LIBERAL, build: (r) => r.attr(A.ABSENT, [1]), want: { code: 'ok' } },
  { name: 'type above maxtype, strict', build: (r) => r.attr(A.U8, [1]).attr(30, [1]), want: { code: 'EINVAL', message: 'Unknown attribute type', attr: 1 } },
  { name: 'type above maxtype, liberal: ignored', cmd: CMD_LIBERAL, build: (r) => r.attr(30, [1, 2, 3]).attr(A.U8, [1]), want: { code: 'ok' } },
  { name: 'type 0, strict', build: (r) => r.attr(0, [1]), want: { code: 'EINVAL', message: 'Unknown attribute type', attr: 0 } },
  // what follows the last attribute
  { name: 'trailing bytes, strict', build: (r) => r.attr(A.U8, [1]).raw([1, 2]), want: { code: 'EINVAL', message: 'bytes leftover after parsing attributes', attr: -1 } },
  { name: 'trailing bytes, liberal: a warning', cmd: CMD_LIBERAL, build: (r) => r.attr(A.U8, [1]).raw([1, 2]), want: { code: 'ok', message: 'bytes leftover after parsing attributes' } },
  { name: 'nla_len past the message, strict', build: (r) => r.raw([...u16(200), ...u16(A.U8), 1, 0, 0, 0]), want: { code: 'EINVAL', message: 'bytes leftover after parsing attributes', attr: -1 } },
  { name: 'nla_len below the header, liberal', cmd: CMD_LIBERAL, build: (r) => r.attr(A.U8, [1]).raw([...u16(2), ...u16(A.U8)]), want: { code: 'ok', message: 'bytes leftover after parsing attributes' } },
  // required attributes
  { name: 'required attribute missing', cmd: CMD_REQUIRE, build: (r) => r.attr(A.U8, [1]), want: { code: 'EINVAL', attr: -1 } },
];

describe('policy validation over the bus, one attribute type at a time', () => {
  for (const c of cases) {
    test(c.name, async () => {
      const r = new Req(c.cmd ?? CMD_STRICT);
      c.build(r);
      const bytes = r.bytes();
      const w = c.want;
      if (w.code === 'ok') {
        const reply = await sock.request(bytes);
        assert.equal(reply.ack?.error, 0);
        assert.equal(reply.ack?.message, w.message);
        return;
      }
      const err = await sock.request(bytes, { headerSize: 4 }).then(() => undefined, (e: unknown) => e);
      assert.ok(err instanceof NetlinkError, `expected a NetlinkError, got ${String(err)}`);
      assert.equal(err.code, w.code);
      assert.equal(err.kernelMessage, w.message);
      if (w.attr === -1) assert.equal(err.offset, undefined);
      else if (w.attr !== undefined) assert.equal(err.offset, r.at[w.attr], 'NLMSGERR_ATTR_OFFS');
      if (w.path) assert.deepEqual(err.attributePath, w.path);
      if (w.policy) {
        const got = policyOf(err);
        for (const [k, v] of Object.entries(w.policy)) assert.equal(got.get(Number(k)), BigInt(v), `policy attribute ${k}`);
        if (Object.keys(w.policy).length === 0) assert.equal(err.policy, undefined, 'no NLMSGERR_ATTR_POLICY');
      }
    });
  }

  test('a missing required attribute is named in NLMSGERR_ATTR_MISS_TYPE', async () => {
    const r = new Req(CMD_REQUIRE).attr(A.U8, [1]);
    const err = await sock.request(r.bytes()).catch((e: unknown) => e);
    assert.ok(err instanceof NetlinkError);
    assert.equal(err.missingType, A.U32);
    assert.equal(err.missingNest, undefined);
  });

  test('validated attributes reach the handler; a repeated attribute reads as its last copy', async () => {
    seen = undefined;
    const r = new Req(CMD_LIBERAL).attr(A.U32, u32(1)).attr(A.STR, ascii('hi\0')).attr(A.U32, u32(0xdeadbeef)).attr(A.S32, s32(-7)).attr(A.FLAG, []);
    await sock.request(r.bytes());
    const got = seen as Attrs | undefined;
    assert.ok(got);
    assert.equal(got.u32(A.U32), 0xdeadbeef);
    assert.equal(got.string(A.STR), 'hi');
    assert.equal(got.s32(A.S32), -7);
    assert.equal(got.flag(A.FLAG), true);
    assert.equal(got.flag(A.U8), false);
    assert.equal(got.offset(A.U32), r.at[2], 'the table points at the last copy');
  });

  test('recursion stops at MAX_POLICY_RECURSION_DEPTH with the kernel\'s message', async () => {
    const deep = (levels: number) => {
      const r = new Req(CMD_STRICT);
      const go = (n: Req, left: number): void => {
        if (left === 0) return;
        n.nest(left === levels ? A.REC : 1, (m) => go(m, left - 1));
      };
      go(r, levels);
      return r.bytes();
    };
    // Ten nests: the tenth is empty, so contents are validated down to depth 9 only.
    await sock.request(deep(10));
    const err = await sock.request(deep(11)).catch((e: unknown) => e);
    assert.ok(err instanceof NetlinkError);
    assert.equal(err.code, 'EINVAL');
    assert.equal(err.kernelMessage, 'allowed policy recursion depth exceeded');
  });
});

// ---- hostile input ----

/** A small deterministic PRNG (mulberry32), so failures reproduce. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Random attribute soup: plausible headers with lying lengths, nests of garbage, junk. */
function garbage(rand: () => number, budget: number, depth = 0): number[] {
  const out: number[] = [];
  while (out.length < budget) {
    const kind = rand();
    const type = Math.floor(rand() * 32) | (rand() < 0.3 ? NLA_F_NESTED : 0);
    if (kind < 0.45) {
      const len = Math.floor(rand() * 12);
      const value = Array.from({ length: len }, () => Math.floor(rand() * 256));
      out.push(...u16(4 + len), ...u16(type), ...value);
      while (out.length % 4) out.push(0);
    } else if (kind < 0.7 && depth < 12) {
      const inner = garbage(rand, Math.floor(rand() * 40), depth + 1);
      out.push(...u16(4 + inner.length), ...u16(type), ...inner);
    } else if (kind < 0.85) {
      // A header whose length lies (too short, too long, zero).
      const lie = [0, 1, 3, 0xffff, Math.floor(rand() * 200)][Math.floor(rand() * 5)]!;
      out.push(...u16(lie), ...u16(type));
    } else {
      out.push(Math.floor(rand() * 256));
    }
  }
  return out;
}

describe('hostile input', () => {
  test('10 000 random attribute runs: validateAttributes returns 0, EINVAL or ERANGE and never reads past the end', () => {
    const rand = prng(0x5eed);
    const counts = new Map<number, number>();
    for (let i = 0; i < 10_000; i++) {
      // The buffer ends exactly where the run ends: any read past it throws RangeError.
      const buf = Uint8Array.from(garbage(rand, Math.floor(rand() * 120)));
      const view = new DataView(buf.buffer);
      for (const mode of [NL_VALIDATE_STRICT, NL_VALIDATE_LIBERAL]) {
        const r = validateAttributes(buf, view, 0, buf.byteLength, policy, mode, new ExtAck());
        assert.ok(r === 0 || r === -errno.EINVAL || r === -errno.ERANGE, `unexpected ${r}`);
        counts.set(r, (counts.get(r) ?? 0) + 1);
      }
    }
    // The soup must exercise every outcome, or it tests nothing.
    assert.ok((counts.get(0) ?? 0) > 100 && (counts.get(-errno.EINVAL) ?? 0) > 100 && (counts.get(-errno.ERANGE) ?? 0) > 100, JSON.stringify([...counts]));
  });

  test('random requests over the bus are each answered, and the server keeps serving', async () => {
    const rand = prng(42);
    for (let i = 0; i < 300; i++) {
      const r = new Req(rand() < 0.5 ? CMD_STRICT : CMD_LIBERAL).raw(garbage(rand, Math.floor(rand() * 200)));
      const res = await sock.request(r.bytes(), { signal: AbortSignal.timeout(2000) }).then(() => 'ok', (e: unknown) => e);
      if (res !== 'ok') {
        assert.ok(res instanceof NetlinkError, `request ${i}: ${String(res)}`);
        assert.ok(['EINVAL', 'ERANGE'].includes(res.code), `request ${i}: ${res.code}`);
      }
    }
    await sock.request(new Req(CMD_STRICT).attr(A.U8, [1]).bytes());
  });

  test('a huge count of attributes (16 000 flags in one request) is validated quickly', async () => {
    const r = new Req(CMD_STRICT);
    for (let i = 0; i < 16_000; i++) r.attr(A.FLAG, []);
    const t0 = performance.now();
    await sock.request(r.bytes());
    assert.ok(performance.now() - t0 < 2000);
    // … and the last of 16 000 is where the error points when only it is bad.
    const bad = new Req(CMD_STRICT);
    for (let i = 0; i < 15_999; i++) bad.attr(A.FLAG, []);
    bad.attr(A.FLAG, [1]);
    const err = await sock.request(bad.bytes()).catch((e: unknown) => e);
    assert.ok(err instanceof NetlinkError);
    assert.equal(err.offset, bad.at[15_999]);
  });

  test('a nested array of 5 000 entries (as many as a 64 KiB nest holds) is walked entry by entry', async () => {
    const r = new Req(CMD_STRICT).nest(A.ARRAY, (a) => {
      for (let i = 1; i <= 5_000; i++) a.nest(i, (e) => e.attr(1, [i & 0xff]));
    });
    await sock.request(r.bytes());
    // The same array with the last entry's member one byte too long points at that member.
    const bad = new Req(CMD_STRICT).nest(A.ARRAY, (a) => {
      for (let i = 1; i < 5_000; i++) a.nest(i, (e) => e.attr(1, [1]));
      a.nest(5_000, (e) => e.attr(1, [1, 2]));
    });
    const err = await sock.request(bad.bytes(), { headerSize: 4 }).catch((e: unknown) => e);
    assert.ok(err instanceof NetlinkError);
    assert.deepEqual(err.attributePath, [A.ARRAY, 5_000, 1]);
    assert.equal(err.offset, bad.at[bad.at.length - 1]);
  });

  test('a message shorter than genlmsghdr is EINVAL without a crash', async () => {
    const w = new MessageWriter();
    w.begin(family.id, 0);
    w.end();
    const err = await sock.request(w.toBytes()).catch((e: unknown) => e);
    assert.ok(err instanceof NetlinkError);
    assert.equal(err.code, 'EINVAL');
  });
});
