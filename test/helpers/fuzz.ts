// The fuzz engine behind test/fuzz.test.ts (a bounded run in the suite) and `npm run fuzz`
// (bench/fuzz.ts, long runs). Golden messages captured from the kernel
// (test/fixtures/fuzz/golden.json, see bench/fuzz-capture.ts) are mutated from one seed and
// fed to every decoder nlkit has: wire readers and the ACK parser, the rtnetlink codecs, the
// generic netlink families (declared and YNL-loaded), the nfnetlink codecs (queued and logged
// packets, conntrack entries, expectations, statistics) and the server's request validation.
//
// Properties, for every input:
//   - decoders never throw, except WireError (the library's error for malformed bytes);
//     malformed input is reported as a value (reader.error, an Ack|WireError, $unknown);
//   - nothing hangs: every walk is bounded by the bytes it was given;
//   - what decodes re-encodes: encoding a decoded value never throws, and decoding that
//     encoding gives back the same bytes when encoded again (a fixed point after one round;
//     sampled in the suite, every input in `npm run fuzz`); unmutated golden messages re-encode
//     byte for byte.
// Encoders given a hostile value of their own (an object nested 5,000 deep) may refuse it with a
// TypeError or RangeError that says so; running out of stack is a failure.
import { existsSync, readFileSync } from 'node:fs';
import {
  decodeOpPayload, encodeOp, ethtool, loadSpecFile, mptcpPm, netdev, nlctrl, taskstats, tcpMetrics,
  type FamilyDef, type OpDef, type YnlFamily,
} from '../../src/genl/index.js';
import {
  RTM, addressCodec, decodeRouteEvent, linkCodec, neighCodec, netconfCodec, nexthopCodec, nsidCodec, routeCodec, ruleCodec,
} from '../../src/route/index.js';
import {
  conntrackLineAt, ctaCodec, ctaExpectCodec, ctaStatsCodec, ctaStatsExpCodec, ctaStatsGlobalCodec, formatConntrack, formatExpect, nfqaCodec,
  nfulaCodec, toConntrack, toExpect,
} from '../../src/netfilter/index.js';
import { packetMeta } from '../../src/netfilter/packet-meta.js';
import type { FlatMessageCodec } from '../../src/schema/index.js';
import {
  ExtAck, NL_VALIDATE_LIBERAL, NL_VALIDATE_STRICT, buildAck, definePolicy, errno, netlinkRcvSkb, nla, parseMessage,
  validateAttributes, type Policy, type PeerInfo, type Request,
} from '../../src/server/index.js';
import {
  AttributeReader, MessageReader, MessageWriter, NLA_F_NESTED, NLA_F_NET_BYTEORDER, NLMSG_DONE, NLMSG_ERROR, NLMSG_HDRLEN,
  WireError, align4, attributePathAt, parseAck, parseAttributes, parseMessages, readAckTlvs, viewOf,
} from '../../src/wire/index.js';

/** Where the kernel's YNL specs are (Debian's linux-doc package). */
export const YNL_SPECS = '/usr/share/doc/linux-doc-6.12/Documentation/netlink/specs';

/** A property that did not hold, with what is needed to reproduce it. */
export class FuzzFailure extends Error {
  constructor(readonly target: string, message: string, readonly input: Uint8Array, override readonly cause?: unknown) {
    super(`${target}: ${message}${cause instanceof Error ? `: ${cause.name}: ${cause.message}` : ''}`);
    this.name = 'FuzzFailure';
  }
}

/** A deterministic PRNG in [0, 1) (xorshift32): the seed alone reproduces a run. */
export function xorshift(seed: number): () => number {
  let x = seed >>> 0 || 0x9e3779b9;
  return () => {
    x ^= x << 13;
    x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    return x / 0x100000000;
  };
}

type Rand = () => number;

/** One input in this many gets the full fixed-point check (all get decode and encode). */
let stableEvery = 3;

/** Sets how often the fixed-point check runs (1: every input, as `npm run fuzz` does). */
export function setStableEvery(n: number): void {
  stableEvery = Math.max(1, n);
}
const pick = <T>(rand: Rand, a: readonly T[]): T => a[Math.floor(rand() * a.length)]!;
const below = (rand: Rand, n: number): number => Math.floor(rand() * n);

/** One decoder (or a family of them) under test. */
export interface Target {
  readonly name: string;
  /** Golden inputs the mutations start from. */
  readonly corpus: readonly Uint8Array[];
  /** Offset of the first attribute in a corpus input (past nlmsghdr and fixed headers). */
  readonly attrStart: (input: Uint8Array) => number;
  /** True when inputs are whole datagrams (nlmsg_len fields are lied about too). */
  readonly datagrams?: boolean;
  /** Decodes (and re-encodes) one input; throws FuzzFailure when a property breaks. */
  check(input: Uint8Array, rand: Rand): void;
  /** Checks an unmutated golden input more strictly (byte-exact re-encoding). */
  checkGolden?(input: Uint8Array): void;
}

// ---------------------------------------------------------------- mutations

/** Offsets of every nla_len in an attribute run, nested runs included (nests found as the kernel's walkers would). */
function lengthFields(buf: Uint8Array, start: number, end: number): number[] {
  const out: number[] = [];
  const stack: [number, number][] = [[start, end]];
  while (stack.length && out.length < 4096) {
    const [s, e] = stack.pop()!;
    const r = new AttributeReader(buf, s, e);
    while (r.next()) {
      out.push(r.offset);
      if (r.length >= 4 && (r.nested || looksLikeAttributes(buf, r.start, r.end))) stack.push([r.start, r.end]);
    }
  }
  return out;
}

function looksLikeAttributes(buf: Uint8Array, start: number, end: number): boolean {
  const r = new AttributeReader(buf, start, end);
  let n = 0;
  while (r.next()) n++;
  return n > 0 && r.error === null;
}

/** Offsets of every nlmsg_len in a datagram. */
function messageLengthFields(buf: Uint8Array): number[] {
  const out: number[] = [];
  const r = new MessageReader(buf);
  while (r.next()) out.push(r.offset);
  return out;
}

const LIES16 = [0, 1, 2, 3, 4, 5, 7, 8, 0x7fff, 0x8000, 0xfffc, 0xfffd, 0xffff];
const LIES32 = [0, 1, 15, 16, 17, 0x7fffffff, 0x80000000, 0x80000001, 0xfffffff0, 0xfffffffc, 0xfffffffd, 0xffffffff];

interface Seedling {
  bytes: Uint8Array;
  attrLens: number[];
  msgLens: number[];
}

const seedlings = new WeakMap<Uint8Array, Seedling>();

function seedling(t: Target, g: Uint8Array): Seedling {
  let s = seedlings.get(g);
  if (!s) {
    s = { bytes: g, attrLens: [], msgLens: t.datagrams ? messageLengthFields(g) : [] };
    if (t.datagrams) {
      const r = new MessageReader(g);
      while (r.next()) s.attrLens.push(...lengthFields(g, Math.min(r.payloadStart + t.attrStart(g.subarray(r.offset, r.payloadEnd)) - NLMSG_HDRLEN, r.payloadEnd), r.payloadEnd));
    } else {
      s.attrLens = lengthFields(g, Math.min(t.attrStart(g), g.byteLength), g.byteLength);
    }
    seedlings.set(g, s);
  }
  return s;
}

function put16(b: Uint8Array, at: number, v: number): void {
  if (at + 2 <= b.byteLength) viewOf(b).setUint16(at, v, true);
}
function put32(b: Uint8Array, at: number, v: number): void {
  if (at + 4 <= b.byteLength) viewOf(b).setUint32(at, v >>> 0, true);
}

/** One mutation of a golden input, chosen and shaped by `rand`. */
function mutateOnce(rand: Rand, s: Seedling, b: Uint8Array, corpus: readonly Uint8Array[]): Uint8Array {
  const n = b.byteLength;
  switch (below(rand, 9)) {
    case 0: { // bit flips
      for (let i = 1 + below(rand, 8); i > 0 && n; i--) b[below(rand, n)]! ^= 1 << below(rand, 8);
      return b;
    }
    case 1: { // bytes overwritten
      for (let i = 1 + below(rand, 8); i > 0 && n; i--) b[below(rand, n)] = below(rand, 256);
      return b;
    }
    case 2: case 3: { // an attribute length that lies
      const at = s.attrLens.length ? pick(rand, s.attrLens) : n;
      if (at + 4 > n) return b;
      const len = b[at]! | (b[at + 1]! << 8);
      put16(b, at, rand() < 0.6 ? pick(rand, LIES16) : rand() < 0.5 ? (len + pick(rand, [-5, -4, -3, -1, 1, 3, 4, 8])) & 0xffff : below(rand, 0x10000));
      return b;
    }
    case 4: { // a u32 that lies: nlmsg_len, an echoed header's length, a count, an offset
      const at = s.msgLens.length && rand() < 0.5 ? pick(rand, s.msgLens) : 4 * below(rand, n >> 2);
      put32(b, at, rand() < 0.8 ? pick(rand, LIES32) : below(rand, 0x100000000));
      return b;
    }
    case 5: // truncated
      return b.subarray(0, below(rand, n + 1));
    case 6: { // spliced with part of another golden input
      const o = pick(rand, corpus);
      const from = below(rand, o.byteLength + 1);
      const piece = o.subarray(from, from + below(rand, 256));
      const at = below(rand, n + 1) & ~3;
      const out = new Uint8Array(at + piece.byteLength + (rand() < 0.5 ? n - at : 0));
      out.set(b.subarray(0, at));
      out.set(piece, at);
      if (out.byteLength > at + piece.byteLength) out.set(b.subarray(at), at + piece.byteLength);
      return out;
    }
    case 7: { // an attribute duplicated in place (repeats, and nests grown past their parents)
      const at = s.attrLens.length ? pick(rand, s.attrLens) : n;
      if (at + 4 > n) return b; // an earlier mutation cut it off
      const len = Math.min(align4(b[at]! | (b[at + 1]! << 8)), n - at);
      const out = new Uint8Array(n + len);
      out.set(b.subarray(0, at + len));
      out.set(b.subarray(at, at + len), at + len);
      out.set(b.subarray(at + len), at + 2 * len);
      return out;
    }
    default: { // random bytes, keeping the golden's fixed header
      const keep = Math.min(n, rand() < 0.5 ? 20 : 0);
      const out = new Uint8Array(keep + below(rand, 512));
      out.set(b.subarray(0, keep));
      for (let i = keep; i < out.byteLength; i++) out[i] = below(rand, 256);
      return out;
    }
  }
}

/** A mutated copy of one of the target's golden inputs (one to four mutations stacked). */
export function mutate(rand: Rand, t: Target): Uint8Array {
  const g = pick(rand, t.corpus);
  const s = seedling(t, g);
  let b: Uint8Array = g.slice();
  for (let i = rand() < 0.7 ? 1 : 2 + below(rand, 3); i > 0; i--) b = mutateOnce(rand, s, b, t.corpus);
  return b;
}

// ---------------------------------------------------------------- properties

function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.byteLength === b.byteLength && Buffer.from(a.buffer, a.byteOffset, a.byteLength).equals(b);
}

/** Runs a decoder: WireError is an answer, anything else a failure. Returns undefined on WireError. */
function decoding<T>(target: string, input: Uint8Array, what: string, fn: () => T): T | undefined {
  try {
    return fn();
  } catch (e) {
    if (e instanceof WireError) return undefined;
    throw new FuzzFailure(target, `${what} threw`, input, e);
  }
}

/** Runs an encoder on what a decoder produced: it must not throw. */
function encoding<T>(target: string, input: Uint8Array, what: string, fn: () => T): T {
  try {
    return fn();
  } catch (e) {
    throw new FuzzFailure(target, `${what} threw on a decoded value`, input, e);
  }
}

/**
 * decode -> encode -> decode -> encode: a decoded value always encodes; on one input in
 * `stableEvery` (to keep the suite's run short; `npm run fuzz` checks every one) its encoding
 * also decodes and encodes to the same bytes. `decodeMsg` takes an encoded message (nlmsghdr
 * included).
 */
function roundTrip(
  name: string, input: Uint8Array, first: unknown,
  encode: (v: never) => Uint8Array, decodeMsg: (msg: Uint8Array) => unknown, rand: Rand,
): Uint8Array {
  const e1 = encoding(name, input, 'encode', () => encode(first as never));
  if (rand() * stableEvery >= 1) return e1;
  const second = decoding(name, input, 'decode of the re-encoding', () => decodeMsg(e1));
  if (second === undefined) throw new FuzzFailure(name, 'the re-encoding of a decoded value does not decode', input);
  const e2 = encoding(name, input, 'second encode', () => encode(second as never));
  if (!equalBytes(e1, e2)) throw new FuzzFailure(name, `re-encoding is not stable (${e1.byteLength} then ${e2.byteLength} bytes)`, input);
  return e1;
}

// ---------------------------------------------------------------- golden messages

/** A captured message: nlmsghdr type and flags, and the payload. */
export interface GoldenMessage {
  type: number;
  flags: number;
  payload: Uint8Array;
}

/** The captured corpus: rtnetlink dump replies, generic netlink controller replies, nfnetlink messages. */
export interface Golden {
  route: GoldenMessage[];
  genl: GoldenMessage[];
  netfilter: GoldenMessage[];
}

/** Loads test/fixtures/fuzz/golden.json. */
export function loadGolden(): Golden {
  const file = new URL('../../../test/fixtures/fuzz/golden.json', import.meta.url);
  const j = JSON.parse(readFileSync(file, 'utf8')) as Record<'route' | 'genl' | 'netfilter', { type: number; flags: number; payload: string }[]>;
  const conv = (a: { type: number; flags: number; payload: string }[] = []) =>
    a.map((m) => ({ type: m.type, flags: m.flags, payload: Uint8Array.from(Buffer.from(m.payload, 'hex')) }));
  return { route: conv(j.route), genl: conv(j.genl), netfilter: conv(j.netfilter) };
}

/** A message (nlmsghdr + payload), as MessageWriter makes it. */
export function message(type: number, flags: number, payload: Uint8Array, seq = 1): Uint8Array {
  const w = new MessageWriter(payload.byteLength + 32);
  w.begin(type, flags, seq, 0);
  w.bytes(payload);
  w.end();
  return w.toBytes();
}

// ---------------------------------------------------------------- wire

/** Walks every attribute at every depth, checking that nothing loops and that parsed runs re-encode. */
function walkAttributes(name: string, input: Uint8Array, buf: Uint8Array, start: number, end: number): void {
  let steps = 0;
  const limit = 4 * (end - start) + 64;
  const stack: [number, number][] = [[start, end]];
  while (stack.length) {
    const [s, e] = stack.pop()!;
    const r = new AttributeReader(buf, s, e);
    while (r.next()) {
      if (++steps > limit) throw new FuzzFailure(name, 'AttributeReader does not terminate', input);
      if (r.end > e || r.start < s) throw new FuzzFailure(name, `attribute [${r.start}, ${r.end}) outside its parent [${s}, ${e})`, input);
      if ((steps & 7) === 0) void r.u8(), r.u16(), r.u32(), r.s32(), r.u64(), r.string();
      if (r.nested) stack.push([r.start, r.end]);
    }
    if (r.error !== null && !(r.error instanceof WireError)) throw new FuzzFailure(name, 'reader error is not a WireError', input);
  }
  // The copying parser and the writer agree: a parsed run re-encodes to bytes that parse alike.
  const attrs = decoding(name, input, 'parseAttributes', () => parseAttributes(buf, start, end));
  if (!attrs) return;
  const w = new MessageWriter();
  for (const a of attrs) w.attr(a.type | (a.nested ? NLA_F_NESTED : 0) | (a.netByteOrder ? NLA_F_NET_BYTEORDER : 0), a.value);
  const again = parseAttributes(w.finish());
  if (again.length !== attrs.length || again.some((a, i) => a.type !== attrs[i]!.type || a.nested !== attrs[i]!.nested || !equalBytes(a.value, attrs[i]!.value))) {
    throw new FuzzFailure(name, 'parsed attributes do not re-encode', input);
  }
}

function wireTarget(name: string, corpus: Uint8Array[], headerSize: (type: number) => number): Target {
  return {
    name, corpus, datagrams: true,
    attrStart: (m) => NLMSG_HDRLEN + (m.byteLength >= 6 ? headerSize(m[4]! | (m[5]! << 8)) : 0),
    check(input, rand) {
      const r = new MessageReader(input);
      let n = 0;
      while (r.next()) {
        if (++n > input.byteLength / NLMSG_HDRLEN + 1) throw new FuzzFailure(name, 'MessageReader does not terminate', input);
        if (r.payloadStart < r.offset || r.payloadEnd > input.byteLength) throw new FuzzFailure(name, 'message bounds outside the datagram', input);
        if (r.type === NLMSG_ERROR) {
          const ack = decoding(name, input, 'parseAck', () => parseAck(r.buf, r.payloadStart, r.payloadEnd, r.flags));
          if (ack && !(ack instanceof WireError) && ack.requestPayload && ack.requestPayload.byteLength > r.payloadEnd - r.payloadStart) {
            throw new FuzzFailure(name, 'echoed request payload larger than the message', input);
          }
          if (ack && !(ack instanceof WireError) && ack.requestPayload && ack.offset !== undefined) {
            const p = ack.requestPayload;
            decoding(name, input, 'attributePathAt', () => attributePathAt(p, 0, p.byteLength, ack.offset! - NLMSG_HDRLEN));
          }
        } else if (r.type === NLMSG_DONE) {
          decoding(name, input, 'readAckTlvs', () => readAckTlvs(r.buf, r.payloadStart + 4, r.payloadEnd, {}));
        } else {
          const start = Math.min(r.payloadStart + headerSize(r.type), r.payloadEnd);
          walkAttributes(name, input, r.buf, start, r.payloadEnd);
          const target = start + below(rand, r.payloadEnd - start + 8);
          const path = decoding(name, input, 'attributePathAt', () => attributePathAt(r.buf, start, r.payloadEnd, target));
          if (path && path.length > (r.payloadEnd - start) / 4) throw new FuzzFailure(name, 'attribute path deeper than the bytes allow', input);
        }
      }
      if (r.error !== null && !(r.error instanceof WireError)) throw new FuzzFailure(name, 'reader error is not a WireError', input);
      decoding(name, input, 'parseMessages', () => parseMessages(input));
    },
  };
}

/** NLMSG_ERROR and NLMSG_DONE messages with extended-ACK TLVs, as the kernel sends them. */
function ackMessages(requests: Uint8Array[]): Uint8Array[] {
  const out: Uint8Array[] = [];
  for (const [i, req] of requests.entries()) {
    const capped = i % 2 === 0;
    const w = new MessageWriter();
    w.begin(NLMSG_ERROR, (capped ? 0x100 : 0) | 0x200, 7, 1234); // NLM_F_CAPPED, NLM_F_ACK_TLVS
    w.view.setInt32(w.struct(4), -22, true);
    w.bytes(capped ? req.subarray(0, NLMSG_HDRLEN) : req);
    w.attrString(1, 'Attribute failed policy validation'); // NLMSGERR_ATTR_MSG
    w.attrU32(2, NLMSG_HDRLEN + 4); // NLMSGERR_ATTR_OFFS
    const p = w.beginNest(5); // NLMSGERR_ATTR_POLICY
    w.attrU32(1, 4);
    w.attrU64(5, 100n);
    w.endNest(p);
    w.attrU32(6, 3); // NLMSGERR_ATTR_MISS_TYPE
    w.end();
    w.begin(NLMSG_DONE, 0x2 | 0x200, 8, 1234); // NLM_F_MULTI, NLM_F_ACK_TLVS
    w.view.setInt32(w.struct(4), -4, true);
    w.attrString(1, 'dump interrupted');
    w.end();
    out.push(w.toBytes());
  }
  return out;
}

// ---------------------------------------------------------------- rtnetlink

type Codec = FlatMessageCodec<unknown, unknown>;

/** Every rtnetlink codec, and the message types whose replies it decodes. */
const ROUTE_CODECS: [string, Codec, number[]][] = [
  ['link', linkCodec as Codec, [RTM.NEWLINK]],
  ['address', addressCodec as Codec, [RTM.NEWADDR]],
  ['route', routeCodec as Codec, [RTM.NEWROUTE]],
  ['neigh', neighCodec as Codec, [RTM.NEWNEIGH]],
  ['rule', ruleCodec as Codec, [RTM.NEWRULE]],
  ['nexthop', nexthopCodec as Codec, [RTM.NEWNEXTHOP]],
  ['netconf', netconfCodec as Codec, [RTM.NEWNETCONF]],
  ['nsid', nsidCodec as Codec, [RTM.NEWNSID]],
];

/** Header size of an rtnetlink message type (what its codec declares). */
function routeHeaderSize(type: number): number {
  for (const [, c, types] of ROUTE_CODECS) if (types.includes(type)) return align4(c.headerSize);
  return 0;
}

/**
 * One target per rtnetlink codec. Its corpus is every captured rtnetlink payload (its own type
 * and the others: an address decoded as a link is hostile input too); goldens of its own type
 * must re-encode byte for byte.
 */
function routeTargets(g: Golden): Target[] {
  const all = g.route.map((m) => m.payload);
  return ROUTE_CODECS.map(([what, codec, types]) => {
    const name = `route ${what}Codec`;
    const type = types[0]!;
    const own = g.route.filter((m) => types.includes(m.type)).map((m) => m.payload);
    return {
      name, corpus: own.length ? [...own, ...own, ...all] : all,
      attrStart: () => align4(codec.headerSize),
      check(input, rand) {
        const obj = decoding(name, input, 'decodePayload', () => codec.decodePayload(input));
        if (obj === undefined) return;
        roundTrip(name, input, obj, (v) => codec.encode(type, 0, v), (m) => codec.decodePayload(m.subarray(NLMSG_HDRLEN)), rand);
        if (rand() < 0.125) {
          // The monitor's decoder, on the same bytes as a notification.
          const r = new MessageReader(message(type, 0, input));
          if (r.next()) decoding(name, input, 'decodeRouteEvent', () => decodeRouteEvent(r, { group: 0, nsid: undefined }));
        }
      },
      checkGolden(input) {
        if (!own.includes(input)) return;
        const back = codec.encode(type, 0, codec.decodePayload(input) as never).subarray(NLMSG_HDRLEN);
        if (!equalBytes(back, input)) throw new FuzzFailure(name, 'a kernel message does not re-encode byte for byte', input);
      },
    };
  });
}

// ---------------------------------------------------------------- generic netlink

/** An operation whose replies can be encoded again (encodeOp builds requests: use the reply number). */
function replyOp(o: OpDef<any>): OpDef<any> {
  return { ...o, request: o.reply ?? o.request ?? 1 };
}

function familyOpsTarget(name: string, families: FamilyDef[], corpus: Uint8Array[], own?: (input: Uint8Array) => OpDef<any> | undefined): Target {
  const ops = families.flatMap((f) => Object.values(f.ops).map((o) => [f, o] as const));
  return {
    name, corpus,
    attrStart: (input) => {
      const f = families[0]!;
      const o = own?.(input);
      return (f.protocol === 'genetlink' ? 4 : 0) + (o?.header ? sizeOfHeader(f, o) : 0);
    },
    check(input, rand) {
      const fromOwn = own && rand() < 0.5 ? own(input) : undefined;
      const [f, o] = fromOwn ? [families[0]!, fromOwn] as const : pick(rand, ops);
      const op = replyOp(o);
      const obj = decoding(name, input, `${f.name} ${o.name} decode`, () => decodeOpPayload(f, o, input));
      if (obj === undefined) return;
      roundTrip(`${name} (${f.name} ${o.name})`, input, obj, (v) => encodeOp(f, op, 0x20, 0, v), (m) => decodeOpPayload(f, o, m.subarray(NLMSG_HDRLEN)), rand);
    },
    checkGolden(input) {
      const o = own?.(input);
      if (!o) return;
      const f = families[0]!;
      // genlmsghdr's version is the sender's (the kernel's family version), not part of the value.
      const skip = f.protocol === 'genetlink' ? 4 : 0;
      const back = encodeOp(f, replyOp(o), 0x20, 0, decodeOpPayload(f, o, input)).subarray(NLMSG_HDRLEN + skip);
      if (!equalBytes(back, input.subarray(skip))) throw new FuzzFailure(name, `a kernel ${o.name} reply does not re-encode byte for byte`, input);
    },
  };
}

function sizeOfHeader(f: FamilyDef, o: OpDef<any>): number {
  // Fixed headers are small structs; their aligned size is where attributes start.
  const probe = encodeOp(f, replyOp(o), 0x20, 0, {});
  return probe.byteLength - NLMSG_HDRLEN - (f.protocol === 'genetlink' ? 4 : 0);
}

/** The op whose reply a genetlink golden is, by its command (genlmsghdr.cmd). */
function byCommand(f: FamilyDef): (input: Uint8Array) => OpDef<any> | undefined {
  const m = new Map<number, OpDef<any>>();
  for (const o of Object.values(f.ops)) if (o.reply !== undefined && !m.has(o.reply)) m.set(o.reply, o);
  return (input) => (input.byteLength ? m.get(input[0]!) : undefined);
}

/** The op of a netlink-raw spec whose reply an rtnetlink golden is (its message type). */
function byType(f: FamilyDef, types: Map<Uint8Array, number>): (input: Uint8Array) => OpDef<any> | undefined {
  const m = new Map<number, OpDef<any>>();
  for (const o of Object.values(f.ops)) if (o.reply !== undefined && !m.has(o.reply)) m.set(o.reply, o);
  return (input) => {
    const t = types.get(input);
    return t === undefined ? undefined : m.get(t);
  };
}

const specs = new Map<string, YnlFamily>();

/** A YNL spec by name (rt_link, ovs_flow, …), loaded once. */
function spec(n: string): YnlFamily {
  let f = specs.get(n);
  if (!f) {
    f = loadSpecFile(existsSync(`${YNL_SPECS}/${n}.yaml.gz`) ? `${YNL_SPECS}/${n}.yaml.gz` : `${YNL_SPECS}/${n}.yaml`);
    specs.set(n, f);
  }
  return f;
}

/** YNL-loaded decoders, or why there are none. */
export function ynlTargets(g: Golden): Target[] | string {
  if (!existsSync(YNL_SPECS)) return `${YNL_SPECS} is missing (install linux-doc-6.12)`;
  const genl = g.genl.map((m) => m.payload);
  const out: Target[] = [];
  const ctrl = spec('nlctrl');
  out.push(familyOpsTarget('ynl nlctrl', [ctrl], genl, byCommand(ctrl)));
  const types = new Map(g.route.map((m) => [m.payload, m.type]));
  for (const n of ['rt_link', 'rt_addr', 'rt_route']) {
    const f = spec(n);
    const own = byType(f, types);
    const corpus = g.route.map((m) => m.payload).filter((p) => own(p) !== undefined);
    out.push(familyOpsTarget(`ynl ${n}`, [f], corpus.length ? corpus : g.route.map((m) => m.payload), own));
  }
  // Specs with no kernel messages captured: every operation decodes the controller's bytes.
  const others = ['ethtool', 'netdev', 'ovs_flow'].map(spec);
  out.push(familyOpsTarget('ynl ethtool/netdev/ovs_flow', others, genl));
  return out;
}

function genlTargets(g: Golden): Target[] {
  const genl = g.genl.map((m) => m.payload);
  return [
    familyOpsTarget('genl nlctrl', [nlctrl as FamilyDef], genl, byCommand(nlctrl as FamilyDef)),
    familyOpsTarget('genl ethtool/netdev/taskstats/tcp-metrics/mptcp-pm',
      [ethtool, netdev, taskstats, tcpMetrics, mptcpPm] as FamilyDef[], genl),
  ];
}

// ---------------------------------------------------------------- nfnetlink

/**
 * Every nfnetlink codec, the message types (subsystem << 8 | message) whose captured messages it
 * decodes, and what the library makes of a decoded message (the object users get, printed as
 * the CLI prints it). IPCTNL_MSG_EXP_GET_STATS_CPU replies come as subsystem CTNETLINK (0x103):
 * the kernel's ctnetlink_exp_stat_fill_info() says so.
 */
const NETFILTER_CODECS: [string, Codec, number[], (o: any) => unknown][] = [
  ['nfqaCodec (queued packets)', nfqaCodec as Codec, [0x300], (o) => packetMeta(o)],
  ['nfulaCodec (logged packets)', nfulaCodec as Codec, [0x400], (o) => packetMeta(o)],
  ['ctaCodec (conntrack entries)', ctaCodec as Codec, [0x100, 0x102], (o) => formatConntrack(toConntrack(o))],
  ['ctaExpectCodec (expectations)', ctaExpectCodec as Codec, [0x200, 0x202], (o) => formatExpect(toExpect(o))],
  ['ctaStatsCodec (per-CPU counters)', ctaStatsCodec as Codec, [0x104], () => undefined],
  ['ctaStatsExpCodec', ctaStatsExpCodec as Codec, [0x103], () => undefined],
  ['ctaStatsGlobalCodec', ctaStatsGlobalCodec as Codec, [0x105], () => undefined],
];

/**
 * One target per nfnetlink codec, as routeTargets: every captured nfnetlink payload is its
 * corpus (its own type twice over), what decodes re-encodes, and the library's object is made
 * from it; its own kernel messages re-encode byte for byte.
 */
function netfilterTargets(g: Golden): Target[] {
  const all = g.netfilter.map((m) => m.payload);
  return NETFILTER_CODECS.map(([what, codec, types, use]) => {
    const name = `netfilter ${what}`;
    const type = types[0]!;
    const own = g.netfilter.filter((m) => types.includes(m.type)).map((m) => m.payload);
    return {
      name, corpus: own.length ? [...own, ...own, ...all] : all,
      attrStart: () => 4,
      check(input, rand) {
        const obj = decoding(name, input, 'decodePayload', () => codec.decodePayload(input));
        if (obj === undefined) return;
        decoding(name, input, 'the library object', () => use(obj));
        if (codec === (ctaCodec as Codec)) {
          // nlkit conntrack -L's line straight from the bytes, without the decoded object.
          const m = message(type, 0, input);
          decoding(name, input, 'conntrackLineAt', () => conntrackLineAt(m, viewOf(m), 0));
        }
        roundTrip(name, input, obj, (v) => codec.encode(type, 0, v), (m) => codec.decodePayload(m.subarray(NLMSG_HDRLEN)), rand);
      },
      checkGolden(input) {
        if (!own.includes(input)) return;
        let back = codec.encode(type, 0, codec.decodePayload(input) as never).subarray(NLMSG_HDRLEN);
        // nfqnl_build_packet_message() leaves the last attribute (the payload) unpadded; an encoder pads it.
        if (back.byteLength === align4(input.byteLength) && back.subarray(input.byteLength).every((x) => x === 0)) back = back.subarray(0, input.byteLength);
        if (!equalBytes(back, input)) throw new FuzzFailure(name, 'a kernel message does not re-encode byte for byte', input);
      },
    };
  });
}

// ---------------------------------------------------------------- server

/** Policies the server validates requests against: every NLA_* type, ranges, nests, arrays, recursion. */
export function serverPolicies(): Policy[] {
  const inner = definePolicy({ 1: nla.u32({ max: 1000 }), 2: nla.string({ maxLen: 15 }), 3: nla.flag() });
  const rec = definePolicy({ 1: nla.u16(), 2: nla.nulString({ maxLen: 8 }) }, 4);
  // A policy that nests itself, as the kernel's recursive policies do (bounded by MAX_POLICY_RECURSION_DEPTH).
  (rec.attrs as Map<number, ReturnType<typeof nla.nested>>).set(3, nla.nested(rec));
  (rec.attrs as Map<number, ReturnType<typeof nla.nested>>).set(4, nla.nestedArray(rec));
  const all = definePolicy({
    1: nla.u32(), 2: nla.string({ maxLen: 15 }), 3: nla.u8({ min: 1, max: 200 }), 4: nla.u16(), 5: nla.u64({ max: 1n << 40n }),
    6: nla.nested(inner), 7: nla.nestedArray(inner), 8: nla.s8({ min: -5, max: 5 }), 9: nla.s16(), 10: nla.s32({ min: -1000 }),
    11: nla.s64(), 12: nla.nulString({ maxLen: 4 }), 13: nla.binary({ min: 2, max: 6 }), 14: nla.flag(), 15: nla.unspec({ minLen: 4 }),
    16: nla.reject('no such thing'), 17: nla.nested(rec), 18: nla.binary({ maxLen: 3 }),
  }, 40);
  return [all, rec, inner];
}

const PEERS: PeerInfo[] = [
  { extAck: true, capAck: true, privileged: true },
  { extAck: true, capAck: false, privileged: false },
  { extAck: false, capAck: false, privileged: true },
];
const ERRNOS = new Set([0, -errno.EINVAL, -errno.ERANGE]);

function serverTarget(g: Golden): Target {
  const name = 'server request validation';
  const policies = serverPolicies();
  const corpus = [...g.genl, ...g.route].map((m, i) => message(0x20 + (i % 3), 0x5 /* NLM_F_REQUEST | NLM_F_ACK */, m.payload, i));
  // Two requests in one datagram, as batches send them.
  for (let i = 0; i + 1 < corpus.length && i < 40; i += 2) {
    const a = corpus[i]!, b = corpus[i + 1]!;
    const d = new Uint8Array(a.byteLength + b.byteLength);
    d.set(a);
    d.set(b, a.byteLength);
    corpus.push(d);
  }
  return {
    name, corpus, datagrams: true,
    attrStart: () => NLMSG_HDRLEN + 4,
    check(input, rand) {
      const policy = pick(rand, policies);
      const validate = rand() < 0.5 ? NL_VALIDATE_STRICT : rand() < 0.5 ? NL_VALIDATE_LIBERAL : below(rand, 32);
      const peer = pick(rand, PEERS);
      let handled = 0;
      const handler = (req: Request): number => {
        handled++;
        const attrs = parseMessage(req.buf, req.view, req.offset, req.length, 4, policy, validate, req.extack);
        if (typeof attrs === 'number') {
          if (!ERRNOS.has(attrs)) throw new FuzzFailure(name, `validation returned ${attrs}`, input);
          return attrs;
        }
        // What the policy let through reads without surprises.
        for (let t = 1; t <= policy.maxtype; t++) {
          void attrs.u8(t), attrs.u16(t), attrs.u32(t), attrs.u64(t), attrs.s8(t), attrs.s16(t), attrs.s32(t), attrs.s64(t);
          void attrs.string(t), attrs.bytes(t);
          const nest = attrs.nest(t);
          if (nest) while (nest.next()) void nest.u32();
        }
        return 0;
      };
      const ack = (req: Request, err: number): void => {
        const bytes = buildAck(req.buf, req.offset, req.length, 99, err, req.extack, peer);
        const r = new MessageReader(bytes);
        if (!r.next()) throw new FuzzFailure(name, 'the ACK does not parse', input);
        const a = parseAck(r.buf, r.payloadStart, r.payloadEnd, r.flags);
        if (a instanceof WireError) throw new FuzzFailure(name, `the ACK does not parse: ${a.message}`, input);
        if (a.error !== err) throw new FuzzFailure(name, `the ACK says ${a.error}, the handler ${err}`, input);
        if (a.offset !== undefined && a.offset >= req.length) throw new FuzzFailure(name, `extended-ACK offset ${a.offset} outside the ${req.length}-byte request`, input);
      };
      try {
        netlinkRcvSkb(input, 42, peer, handler, ack);
      } catch (e) {
        if (e instanceof FuzzFailure) throw e;
        throw new FuzzFailure(name, 'netlink_rcv_skb threw', input, e);
      }
      if (handled > input.byteLength / NLMSG_HDRLEN) throw new FuzzFailure(name, 'more requests handled than fit the datagram', input);
      // The raw validator on the bytes after the headers, as a nest's contents.
      const start = Math.min(NLMSG_HDRLEN + 4, input.byteLength);
      const r = validateAttributes(input, viewOf(input), start, input.byteLength, policy, validate, new ExtAck());
      if (!ERRNOS.has(r)) throw new FuzzFailure(name, `validateAttributes returned ${r}`, input);
    },
  };
}

// ---------------------------------------------------------------- all targets

/** Every target, and the reasons for those that cannot run here. */
export function allTargets(g: Golden = loadGolden()): { targets: Target[]; skipped: string[] } {
  const routeMsgs = g.route.map((m) => message(m.type, m.flags, m.payload));
  const genlMsgs = g.genl.map((m) => message(m.type, m.flags, m.payload));
  const nfMsgs = g.netfilter.map((m) => message(m.type, m.flags, m.payload));
  const acks = ackMessages([...routeMsgs.slice(0, 8), ...genlMsgs.slice(0, 8)]);
  const skipped: string[] = [];
  const ynl = ynlTargets(g);
  if (typeof ynl === 'string') skipped.push(`YNL decoders: ${ynl}`);
  return {
    targets: [
      wireTarget('wire rtnetlink datagrams', [...routeMsgs, ...acks], routeHeaderSize),
      wireTarget('wire genl datagrams', [...genlMsgs, ...acks], () => 4),
      wireTarget('wire nfnetlink datagrams (nfgenmsg framing)', [...nfMsgs, ...ackMessages(nfMsgs.slice(0, 8))], () => 4),
      ...routeTargets(g),
      ...netfilterTargets(g),
      ...genlTargets(g),
      ...(typeof ynl === 'string' ? [] : ynl),
      serverTarget(g),
    ],
    skipped,
  };
}

/** One kind of broken property: how often it happened, and the first input that showed it. */
export interface FailureKind {
  kind: string;
  count: number;
  first: FuzzFailure;
}

/** What a run did. */
export interface FuzzStats {
  seed: number;
  messages: number;
  perTarget: Map<string, number>;
  /** Broken properties by kind (target and message with the numbers taken out). */
  failures: Map<string, FailureKind>;
  ms: number;
}

/** The kind of a failure: its message without the numbers (lengths, offsets) that vary per input. */
export function failureKind(f: FuzzFailure): string {
  return f.message.replace(/ \(seed \d+, message \d+\)$/, '').replace(/\d+/g, 'N');
}

/**
 * Runs `count` mutated messages (or until `until`, a Date.now() deadline), spread evenly over
 * the targets, from `seed`. A broken property does not stop the run: failures are grouped by
 * kind, each with the first input that showed it (message index and seed in its message).
 */
export function fuzz(targets: readonly Target[], seed: number, count: number, until = Infinity): FuzzStats {
  const t0 = Date.now();
  const rand = xorshift(seed);
  const perTarget = new Map<string, number>(targets.map((t) => [t.name, 0]));
  const failures = new Map<string, FailureKind>();
  let i = 0;
  for (; i < count; i++) {
    if ((i & 1023) === 0 && Date.now() > until) break;
    const t = targets[i % targets.length]!;
    const input = mutate(rand, t);
    try {
      t.check(input, rand);
    } catch (e) {
      const f = e instanceof FuzzFailure ? e : new FuzzFailure(t.name, 'check threw', input, e);
      f.message = `${f.message} (seed ${seed}, message ${i})`;
      const kind = failureKind(f);
      const k = failures.get(kind);
      if (k) k.count++;
      else failures.set(kind, { kind, count: 1, first: f });
    }
    perTarget.set(t.name, perTarget.get(t.name)! + 1);
  }
  return { seed, messages: i, perTarget, failures, ms: Date.now() - t0 };
}

/** The unmutated golden inputs: each target's own kernel messages re-encode byte for byte. Returns the failures. */
export function checkGoldens(targets: readonly Target[]): FuzzFailure[] {
  const out: FuzzFailure[] = [];
  for (const t of targets) {
    for (const g of new Set(t.corpus)) {
      try {
        t.checkGolden?.(g);
      } catch (e) {
        out.push(e instanceof FuzzFailure ? e : new FuzzFailure(t.name, 'golden check threw', g, e));
      }
    }
  }
  return out;
}

// ---------------------------------------------------------------- deep nesting

/** True for V8's stack overflow, the one RangeError that is never an answer. */
export function isStackOverflow(e: unknown): boolean {
  return e instanceof RangeError && /call stack/i.test(e.message);
}

/** A hand-built input nested `levels` deep, and how each decoder must take it. */
export interface DeepCase {
  name: string;
  /** Throws FuzzFailure when the decoder or encoder runs out of stack or throws what it must not. */
  run(): void;
}

/** `levels` nested attributes of `type`, each holding only the next (4 bytes a level): 16,383 fit in one nla_len. */
export function nestedChain(levels: number, type: number, flag = NLA_F_NESTED): Uint8Array {
  const b = new Uint8Array(4 * levels);
  const dv = viewOf(b);
  for (let i = 0; i < levels; i++) {
    dv.setUint16(4 * i, 4 * (levels - i), true);
    dv.setUint16(4 * i + 2, type | flag, true);
  }
  return b;
}

/** A link whose veth peer is a link whose veth peer is …, `levels` deep (40 bytes a level). */
function vethChain(levels: number): Uint8Array {
  const w = new MessageWriter(levels * 48 + 64);
  const open: number[] = [];
  for (let i = 0; i < levels; i++) {
    w.struct(16); // ifinfomsg
    if (i === levels - 1) {
      w.attrString(3, 'last'); // IFLA_IFNAME
      break;
    }
    open.push(w.beginNest(18, false)); // IFLA_LINKINFO
    w.attrString(1, 'veth'); // IFLA_INFO_KIND
    open.push(w.beginNest(2, false)); // IFLA_INFO_DATA
    open.push(w.beginNest(1, false)); // VETH_INFO_PEER
  }
  while (open.length) w.endNest(open.pop()!);
  return w.toBytes();
}

/** Decodes: the answer is a value or a WireError; never a stack overflow or another exception. */
function deepDecode<T>(name: string, input: Uint8Array, fn: () => T): T | undefined {
  try {
    return fn();
  } catch (e) {
    if (e instanceof WireError) return undefined;
    throw new FuzzFailure(name, isStackOverflow(e) ? 'the decoder ran out of stack' : 'the decoder threw', input, e);
  }
}

/** Encodes a hostile value: refusing it with a TypeError, RangeError or WireError that says why is fine, running out of stack is not. */
function deepEncode(name: string, fn: () => unknown): void {
  try {
    fn();
  } catch (e) {
    if (!isStackOverflow(e) && (e instanceof TypeError || e instanceof RangeError || e instanceof WireError)) return;
    throw new FuzzFailure(name, isStackOverflow(e) ? 'the encoder ran out of stack' : 'the encoder threw', new Uint8Array(0), e);
  }
}

/** Every deep-nesting case: wire, rtnetlink (veth peers), YNL (ovs_flow's key-attrs encap), server policies. */
export function deepCases(levels = 5000): DeepCase[] {
  const cases: DeepCase[] = [];
  cases.push({
    name: `wire: 16,383 nested attributes (the most one nla_len holds), walked and resolved to a path`,
    run() {
      const name = 'wire deep';
      const L = 16383;
      const b = nestedChain(L, 1);
      walkAttributes(name, b, b, 0, b.byteLength);
      const path = deepDecode(name, b, () => attributePathAt(b, 0, b.byteLength, 4 * (L - 1)));
      if (path?.length !== L) throw new FuzzFailure(name, `path of ${path?.length} levels, not ${L}`, b);
    },
  });
  cases.push({
    name: 'route linkCodec: veth peers nested as deep as 64 KiB allows (1,638), decoded and re-encoded',
    run() {
      const name = 'route linkCodec deep';
      const b = vethChain(1638);
      const obj = deepDecode(name, b, () => linkCodec.decodePayload(b));
      if (obj === undefined) return;
      try {
        linkCodec.encode(RTM.NEWLINK, 0, obj as never);
      } catch (e) {
        throw new FuzzFailure(name, isStackOverflow(e) ? 'the encoder ran out of stack on a decoded value' : 'the encoder threw on a decoded value', b, e);
      }
    },
  });
  cases.push({
    name: `route linkCodec.encode: a link whose veth peers nest ${levels} deep is refused, not a stack overflow`,
    run() {
      let deep: Record<string, unknown> = { ifname: 'x' };
      for (let i = 0; i < levels; i++) deep = { ifname: 'x', linkinfo: { kind: 'veth', data: { peer: deep } } };
      deepEncode('route linkCodec.encode deep', () => linkCodec.encode(RTM.NEWLINK, 0, deep as never));
    },
  });
  cases.push({
    name: `server: a request nested ${levels} deep in a recursive policy is EINVAL (MAX_POLICY_RECURSION_DEPTH)`,
    run() {
      const name = 'server deep';
      const rec = serverPolicies()[1]!;
      const b = nestedChain(levels, 3);
      const ext = new ExtAck();
      let r: number;
      try {
        r = validateAttributes(b, viewOf(b), 0, b.byteLength, rec, NL_VALIDATE_STRICT, ext);
      } catch (e) {
        throw new FuzzFailure(name, 'validateAttributes threw', b, e);
      }
      if (r !== -errno.EINVAL) throw new FuzzFailure(name, `validateAttributes returned ${r}, not -EINVAL`, b);
    },
  });
  if (existsSync(YNL_SPECS)) {
    const ovs = spec('ovs_flow');
    const get = ovs.ops.get!;
    const keyType = ovs.sets.get('flow-attrs').attrs.find((a) => a.name === 'key')!.type;
    const encapType = ovs.sets.get('key-attrs').attrs.find((a) => a.name === 'encap')!.type;
    const payload = (inner: Uint8Array): Uint8Array => {
      // genlmsghdr, struct ovs_header, then OVS_FLOW_ATTR_KEY holding the chain of OVS_KEY_ATTR_ENCAP.
      const w = new MessageWriter(inner.byteLength + 32);
      w.struct(8);
      w.attr(keyType | NLA_F_NESTED, inner);
      return w.toBytes();
    };
    cases.push({
      name: `ynl ovs_flow: key-attrs encap nested ${levels} deep (${4 * levels} bytes) decodes without running out of stack`,
      run() {
        const name = 'ynl ovs_flow deep';
        const b = payload(nestedChain(levels, encapType));
        const obj = deepDecode(name, b, () => decodeOpPayload(ovs, get, b));
        if (obj === undefined) return;
        try {
          encodeOp(ovs, get, 0x20, 0, obj);
        } catch (e) {
          throw new FuzzFailure(name, isStackOverflow(e) ? 'the encoder ran out of stack on a decoded value' : 'the encoder threw on a decoded value', b, e);
        }
      },
    });
    cases.push({
      name: `ynl ovs_flow: encoding key-attrs encap nested ${levels} deep is refused, not a stack overflow`,
      run() {
        let deep: Record<string, unknown> = { priority: 1 };
        for (let i = 0; i < levels; i++) deep = { encap: deep };
        deepEncode('ynl ovs_flow encode deep', () => encodeOp(ovs, get, 0x20, 0, { dpIfindex: 0, key: deep }));
      },
    });
  }
  return cases;
}

/** A broken property found by this fuzzer in code another part of issue 10 owns, until it is fixed there. */
export interface KnownFailure {
  /** Matches the failure kind (see failureKind). */
  pattern: RegExp;
  /** What is wrong and where. */
  issue: string;
}

/** Failures found and reported, not fixed here (they are outside src/wire and src/server). */
export const KNOWN_FAILURES: readonly KnownFailure[] = [];

/** The known failure a kind is, if any. */
export function knownFailure(kind: string): KnownFailure | undefined {
  return KNOWN_FAILURES.find((k) => k.pattern.test(kind));
}
