// The rtnetlink codecs against real kernel messages: every message of every dump decodes and
// re-encodes byte for byte; unknown attributes (top level and nested) and longer structs are
// kept; malformed and hostile input never throws out of a decoder.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  addAddress, addLink, addNeighbour, addNexthop, addRoute, addRule, changeLink, decodeRouteEvent, openRoute, RTM,
  addressCodec, linkCodec, neighCodec, netconfCodec, nexthopCodec, routeCodec, ruleCodec, nsidCodec,
} from '../src/route/index.js';
import type { FlatMessageCodec } from '../src/schema/index.js';
import type { NetlinkMessage } from '../src/wire/index.js';
import { MessageReader, MessageWriter } from '../src/wire/index.js';
import { ip, requireRoot, withNetns } from './helpers/netns.js';

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

/** A namespace with one of everything. */
async function populate(ns: string): Promise<void> {
  const o = { netns: ns };
  await addLink({ ifname: 'v0', kind: 'veth', peer: { ifname: 'v1' }, up: true }, o);
  await addLink({ ifname: 'br0', kind: 'bridge', up: true }, o);
  await changeLink('v1', { master: 'br0', up: true }, o);
  await addLink({ ifname: 'vx0', kind: 'vxlan', data: { id: 5, port: 4789 } }, o);
  await addLink({ ifname: 'mv0', kind: 'macvlan', link: 'v0', data: { mode: 'bridge' } }, o);
  ip(ns, 'tuntap add tap0 mode tap');
  ip(ns, 'link property add dev v0 altname a-long-alternative-name');
  await addAddress({ dev: 'v0', address: '10.0.0.1/24', broadcast: '+', label: 'v0:a' }, o);
  await addAddress({ dev: 'v0', address: '2001:db8::1/64', flags: ['nodad'], valid_lft: 600, preferred_lft: 300 }, o);
  await addRoute({ dst: '10.1.0.0/16', gateway: '10.0.0.254', metrics: { mtu: 1400, cc_algo: 'reno' } }, o);
  await addRoute({ dst: '10.2.0.0/16', multipath: [{ gateway: '10.0.0.2', dev: 'v0', weight: 4 }, { gateway: '10.0.0.3', dev: 'v0' }] }, o);
  await addRoute({ dst: '10.3.0.0/16', type: 'blackhole', table: 5000 }, o);
  await addRoute({ dst: '2001:db8:9::/48', gateway: '2001:db8::9', pref: 'high', table: 300 }, o);
  ip(ns, 'route add 10.4.0.0/16 via inet6 2001:db8::4 dev v0');
  await addNeighbour({ dst: '10.0.0.7', lladdr: '02:00:00:00:00:07', dev: 'v0' }, o);
  await addRule({ priority: 10, src: '10.5.0.0/16', uid_range: { start: 1, end: 2 }, dport_range: '80-90', ip_proto: 6, table: 50 }, o);
  await addNexthop({ id: 1, gateway: '10.0.0.2', dev: 'v0' }, o);
  await addNexthop({ id: 2, group: [{ id: 1, weight: 9 }] }, o);
  await addRoute({ dst: '10.6.0.0/16', nh_id: 2 }, o);
}

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
