// The rtnetlink codecs against real kernel messages: every message of every dump decodes and
// re-encodes byte for byte; unknown attributes (top level and nested) and longer structs are
// kept; malformed and hostile input never throws out of a decoder.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  decodeRouteEvent, openRoute, RTM,
  addressCodec, linkCodec, neighCodec, netconfCodec, nexthopCodec, routeCodec, ruleCodec, nsidCodec,
} from '../src/route/index.js';
import type { FlatMessageCodec } from '../src/schema/index.js';
import type { NetlinkMessage } from '../src/wire/index.js';
import { MessageReader, MessageWriter } from '../src/wire/index.js';
import { requireRoot, withNetns } from './helpers/netns.js';
import { populate } from './helpers/populate.js';

type Codec = FlatMessageCodec<unknown, unknown>;

const DUMPS: [string, number, Codec, Record<string, unknown>][] = [
  ['links', RTM.GETLINK, linkCodec as Codec, { family: 'unspec', ext_mask: 1 }],
  ['bridge ports', RTM.GETLINK, linkCodec as Codec, { family: 'bridge' }],
  ['addresses', RTM.GETADDR, addressCodec as Codec, { family: 'unspec' }],
  ['routes', RTM.GETROUTE, routeCodec as Codec, { family: 'unspec' }],
  ['neighbours', RTM.GETNEIGH, neighCodec as Codec, { family: 'unspec' }],
  ['rules', RTM.GETRULE, ruleCodec as Codec, { family: 'unspec' }],
  ['nexthops', RTM.GETNEXTHOP, nexthopCodec as Codec, { family: 'unspec' }],
  ['netconf', RTM.GETNETCONF, netconfCodec as Codec, { family: 'unspec' }],
];


async function rawDump(ns: string, type: number, codec: Codec, req: Record<string, unknown>): Promise<NetlinkMessage[]> {
  const sock = openRoute({ netns: ns });
  try {
    return await sock.dump(codec.encode(type, 0, req as never)).toArray();
  } finally {
    sock.close();
  }
}

test('kernel messages of every dump decode and re-encode byte for byte', async (t) => {
  if (!requireRoot(t)) return;
  await withNetns(async (ns) => {
    await populate(ns);
    for (const [what, type, codec, req] of DUMPS) {
      const msgs = await rawDump(ns, type, codec, req);
      assert.ok(msgs.length > 0, `${what}: some messages`);
      for (const m of msgs) {
        const obj = codec.decodePayload(m.payload) as Record<string, unknown>;
        assert.equal(obj.$unknown, undefined, `${what}: every attribute is declared (${JSON.stringify((obj.$unknown as unknown[] | undefined)?.map((u: any) => u.type))})`);
        const back = codec.encode(m.type, m.flags, obj as never);
        assert.deepEqual(back.subarray(16), m.payload, `${what}: ${String(obj.ifname ?? obj.dst ?? obj.local ?? obj.id ?? '')} re-encodes`);
      }
    }
  });
});

function withAttr(payload: Uint8Array, hdr: number, type: number, value: number[]): Uint8Array {
  const w = new MessageWriter();
  w.bytes(payload);
  w.attr(type, Uint8Array.from(value));
  void hdr;
  return w.toBytes();
}

test('unknown attributes (top level and nested) and longer structs are kept and re-encoded', async (t) => {
  if (!requireRoot(t)) return;
  await withNetns(async (ns) => {
    await populate(ns);
    // A route with an attribute type no kernel uses yet, appended after the known ones.
    const routes = await rawDump(ns, RTM.GETROUTE, routeCodec as Codec, { family: 'inet' });
    const r = routes.find((m) => (routeCodec.decodePayload(m.payload) as { dst?: string }).dst === '10.1.0.0')!;
    const extended = withAttr(r.payload, 12, 1000, [1, 2, 3, 4, 5]);
    const obj = routeCodec.decodePayload(extended);
    assert.deepEqual(obj.$unknown?.map((u) => [u.type, [...u.bytes]]), [[1000, [1, 2, 3, 4, 5]]]);
    assert.equal(obj.gateway, '10.0.0.254');
    assert.deepEqual(routeCodec.encode(RTM.NEWROUTE, 0, obj).subarray(16), extended);

    // A link whose linkinfo data carries an unknown attribute, and whose stats64 is 8 bytes longer.
    const links = await rawDump(ns, RTM.GETLINK, linkCodec as Codec, { family: 'unspec', ext_mask: 1 });
    const vx = links.map((m) => linkCodec.decodePayload(m.payload)).find((l) => l.ifname === 'vx0')!;
    (vx.linkinfo!.data as { $unknown?: unknown[] }).$unknown = [{ type: 900, bytes: Uint8Array.of(9, 9), at: 2 }];
    (vx.stats64 as { $tail?: Uint8Array }).$tail = Uint8Array.of(1, 2, 3, 4, 5, 6, 7, 8);
    const bytes = linkCodec.encode(RTM.NEWLINK, 0, vx);
    const again = linkCodec.decodePayload(bytes.subarray(16));
    assert.deepEqual((again.linkinfo!.data as { $unknown?: { type: number }[] }).$unknown?.map((u) => u.type), [900]);
    assert.deepEqual([...(again.stats64 as { $tail: Uint8Array }).$tail], [1, 2, 3, 4, 5, 6, 7, 8]);
    assert.deepEqual(linkCodec.encode(RTM.NEWLINK, 0, again), bytes);
  });
});

/** A deterministic PRNG (xorshift32). */
function rng(seed: number): () => number {
  let x = seed >>> 0 || 1;
  return () => {
    x ^= x << 13;
    x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    return x / 0x100000000;
  };
}

test('malformed and hostile input never throws out of a decoder', async (t) => {
  if (!requireRoot(t)) return;
  await withNetns(async (ns) => {
    await populate(ns);
    const rand = rng(0x5eed);
    let decoded = 0;
    const codecs = [linkCodec, addressCodec, routeCodec, neighCodec, ruleCodec, nexthopCodec, netconfCodec, nsidCodec] as Codec[];
    for (const [what, type, codec, req] of DUMPS) {
      for (const m of await rawDump(ns, type, codec, req)) {
        for (let k = 0; k < 40; k++) {
          const p = m.payload.slice();
          const mode = k % 4;
          let bytes: Uint8Array;
          if (mode === 0) bytes = p.subarray(0, Math.floor(rand() * p.length)); // truncated
          else if (mode === 1) { // random bytes flipped
            for (let i = 0; i < 1 + rand() * 8; i++) p[Math.floor(rand() * p.length)] = Math.floor(rand() * 256);
            bytes = p;
          } else if (mode === 2) { // an attribute length pointing anywhere
            const at = 12 + 4 * Math.floor(rand() * ((p.length - 12) / 4));
            if (at + 1 < p.length) { p[at] = Math.floor(rand() * 256); p[at + 1] = Math.floor(rand() * 256); }
            bytes = p;
          } else bytes = Uint8Array.from({ length: Math.floor(rand() * 200) }, () => Math.floor(rand() * 256)); // noise
          for (const c of codecs) {
            assert.doesNotThrow(() => c.decodePayload(bytes), `${what} mutation ${k}`);
            decoded++;
          }
          // The monitor's decoder, on the same bytes wrapped in a message of each type.
          const w = new MessageWriter();
          w.begin(m.type, 0);
          w.bytes(bytes);
          w.end();
          const r = new MessageReader(w.toBytes());
          if (r.next()) assert.doesNotThrow(() => decodeRouteEvent(r, { group: 0, nsid: undefined }));
        }
      }
    }
    t.diagnostic(`${decoded} decodes of mutated kernel messages`);
  });
});
