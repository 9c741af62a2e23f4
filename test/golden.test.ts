// Golden byte fixtures: real kernel replies captured once by `npm run fixtures`
// (scripts/capture-fixtures.ts, as root, in a throwaway namespace) and stored as hex in
// test/fixtures/*.json with what iproute2 said about the same objects at the same time. Each
// message decodes with the library's codec to the oracle's values and re-encodes byte for byte.
// Needs no root, no namespace and no kernel feature: it runs everywhere.
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { describe, test } from 'node:test';
import { ctrlAttrs } from '../src/genl/families/nlctrl.js';
import { addressCodec, linkCodec, neighCodec, netconfCodec, nexthopCodec, routeCodec, ruleCodec } from '../src/route/index.js';
import { compileSet } from '../src/schema/index.js';
import { ExtAck, buildAck } from '../src/server/index.js';
import { MessageReader, MessageWriter, NLM_F_CAPPED, NLMSG_HDRLEN, parseAck, viewOf } from '../src/wire/index.js';

/** One captured message, as scripts/capture-fixtures.ts writes it. */
interface Fixture {
  name: string;
  codec: string;
  hex: string;
  expect: Record<string, unknown>;
}

const DIR = new URL('../../test/fixtures/', import.meta.url);
const files = readdirSync(DIR).filter((f) => f.endsWith('.json')).sort();

type Flat = { decodePayload(p: Uint8Array): unknown; encode(type: number, flags: number, obj: never): Uint8Array };
const rtnetlink: Record<string, Flat> = {
  link: linkCodec as unknown as Flat,
  address: addressCodec as unknown as Flat,
  route: routeCodec as unknown as Flat,
  neigh: neighCodec as unknown as Flat,
  rule: ruleCodec as unknown as Flat,
  nexthop: nexthopCodec as unknown as Flat,
  netconf: netconfCodec as unknown as Flat,
};

/** The value at a dotted path ("linkinfo.data.id", "multipath.0.gateway"). */
function at(obj: unknown, path: string): unknown {
  let v: unknown = obj;
  for (const k of path.split('.')) v = v === undefined || v === null ? undefined : (v as Record<string, unknown>)[k];
  return v;
}

/** Checks every expected field of `decoded` against the oracle's value. */
function agrees(decoded: unknown, f: Fixture): void {
  assert.ok(Object.keys(f.expect).length > 0, `${f.name}: the fixture names fields to check`);
  for (const [path, want] of Object.entries(f.expect)) {
    const got = at(decoded, path);
    assert.deepEqual(typeof got === 'bigint' ? Number(got) : got, want, `${f.name}: ${path}`);
  }
}

/** Decodes one fixture, checks it, and returns the bytes the library writes back for it. */
function roundTrip(f: Fixture, m: Uint8Array): Uint8Array {
  const r = new MessageReader(m);
  assert.ok(r.next(), `${f.name}: a whole message`);
  assert.equal(r.length, m.byteLength, `${f.name}: one message, nlmsg_len covers it`);
  const flat = rtnetlink[f.codec];
  if (flat) {
    const obj = flat.decodePayload(m.subarray(NLMSG_HDRLEN)) as Record<string, unknown>;
    agrees(obj, f);
    const back = flat.encode(r.type, r.flags, obj as never);
    // The codec writes a request header (seq and port id 0); the kernel's were its own.
    viewOf(back).setUint32(8, r.seq, true);
    viewOf(back).setUint32(12, r.pid, true);
    return back;
  }
  if (f.codec === 'nlctrl') {
    const set = compileSet(ctrlAttrs);
    const start = NLMSG_HDRLEN + 4; // after genlmsghdr
    const obj = set.decode(m, viewOf(m), start, m.byteLength);
    agrees(obj, f);
    const w = new MessageWriter();
    w.begin(r.type, r.flags, r.seq, r.pid);
    w.bytes(m.subarray(NLMSG_HDRLEN, start));
    set.encode(w, obj);
    w.end();
    return w.toBytes();
  }
  if (f.codec === 'ack') {
    const ack = parseAck(m, NLMSG_HDRLEN, m.byteLength, r.flags);
    assert.ok(!(ack instanceof Error), `${f.name}: ${String(ack)}`);
    agrees(ack, f);
    assert.equal(ack.policy, undefined, `${f.name}: a fixture without a policy (buildAck takes a policy object, not bytes)`);
    // Write it again the way the kernel side in user space does: the echoed request, then TLVs.
    const req = new Uint8Array(ack.request.length);
    const rv = viewOf(req);
    rv.setUint32(0, ack.request.length, true);
    rv.setUint16(4, ack.request.type, true);
    rv.setUint16(6, ack.request.flags, true);
    rv.setUint32(8, ack.request.seq, true);
    rv.setUint32(12, ack.request.pid, true);
    if (ack.requestPayload) req.set(ack.requestPayload.subarray(0, req.byteLength - NLMSG_HDRLEN), NLMSG_HDRLEN);
    const ext = new ExtAck();
    if (ack.message !== undefined) ext.setMessage(ack.message);
    if (ack.offset !== undefined) ext.badAttr = ack.offset;
    if (ack.missingType !== undefined) ext.setMissing(ack.missingType, ack.missingNest);
    return buildAck(req, 0, req.byteLength, r.pid, ack.error, ext, { extAck: true, capAck: (r.flags & NLM_F_CAPPED) !== 0, privileged: true });
  }
  throw new Error(`${f.name}: no codec named ${f.codec}`);
}

test('the fixtures are there and small', () => {
  assert.deepEqual(files, ['extack.json', 'genl.json', 'rtnetlink.json']);
  for (const file of files) assert.ok(readFileSync(new URL(file, DIR)).byteLength < 64 * 1024, `${file} stays small`);
});

/**
 * Codecs whose re-encoding is known to differ from the kernel's bytes, with the reason: their
 * byte comparison is reported as a TODO (visible in every run) until the library is fixed; the
 * decoded values are checked all the same.
 */
const KNOWN: Record<string, string> = {};

for (const file of files) {
  const data = JSON.parse(readFileSync(new URL(file, DIR), 'utf8')) as { kernel: string; oracle: string; fixtures: Fixture[] };
  describe(`${file} (Linux ${data.kernel}, ${data.oracle})`, () => {
    for (const f of data.fixtures) {
      const m = new Uint8Array(Buffer.from(f.hex, 'hex'));
      let back: Uint8Array | undefined;
      test(`${f.name}: decodes to what the oracle printed`, () => {
        back = roundTrip(f, m);
      });
      test(`${f.name}: re-encodes byte for byte`, { todo: KNOWN[f.codec] ?? false }, () => {
        assert.ok(back, 'decoded');
        assert.equal(Buffer.from(back).toString('hex'), f.hex, `${f.name}: re-encoded`);
      });
    }
  });
}
