// Attributes declared always() — non-optional in the decoded types — are in every message the
// kernel sends: links of every family that dumps them (rtnl_fill_ifinfo, br_fill_ifinfo,
// inet6_fill_ifinfo) and nexthops (nh_fill_node), bridges, their ports and veth pairs.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { RTM, dumpLinks, dumpNexthops, linkAttrs, linkCodec, nexthopAttrs, openRoute, type Link, type Nexthop } from '../src/route/index.js';
import type { AttributeSet } from '../src/schema/index.js';
import { ipBatch, requireRoot, withNetns } from './helpers/netns.js';

/** The property names a set declares always(). */
function alwaysNames(set: AttributeSet<unknown>): string[] {
  return set.attrs.filter((a) => (a.field as { always?: boolean }).always === true).map((a) => a.name);
}

function assertAlways(label: string, objects: readonly object[], names: readonly string[]): void {
  assert.ok(objects.length > 0, `${label}: the kernel sent objects`);
  for (const o of objects) {
    for (const n of names) assert.ok(n in o && (o as Record<string, unknown>)[n] !== undefined, `${label}: ${n} missing in ${JSON.stringify(o, (_, v) => (typeof v === 'bigint' ? String(v) : v))}`);
  }
}

test('always() attributes are in every link and nexthop message the kernel sends', async (t) => {
  if (!requireRoot(t)) return;
  await withNetns(async (ns) => {
    ipBatch(ns, [
      'link add br0 type bridge', 'link add v0 type veth peer name v1', 'link set v0 master br0',
      'link set br0 up', 'link set v0 up', 'link set v1 up',
      'nexthop add id 7 dev v1', 'nexthop add id 8 blackhole', 'nexthop add id 6 dev v0', 'nexthop add id 9 group 7/6',
    ]);
    const links = alwaysNames(linkAttrs);
    assert.deepEqual(links.sort(), ['ifname', 'mtu', 'operstate']);
    const headers = ['family', 'type', 'ifindex', 'flags', 'change'] satisfies (keyof Link)[];
    for (const family of ['unspec', 'bridge'] as const) {
      const got = await dumpLinks({ family }, { netns: ns }).toArray();
      t.diagnostic(`${family}: ${got.length} links`);
      assertAlways(`links (${family})`, got, [...headers, ...links]);
    }
    // AF_INET6 (inet6_dump_ifinfo) takes no IFLA_EXT_MASK under strict checking: a bare request.
    const sock = openRoute({ netns: ns });
    try {
      const got = await sock.dump(linkCodec.encode(RTM.GETLINK, 0, { family: 'inet6' }), { decode: (r) => linkCodec.decode(r) }).toArray();
      t.diagnostic(`inet6: ${got.length} links`);
      assertAlways('links (inet6)', got, [...headers, ...links]);
    } finally {
      sock.close();
    }
    const nh = await dumpNexthops({}, { netns: ns }).toArray().catch((e: { code?: string }) => e);
    if (!Array.isArray(nh)) {
      t.diagnostic(`no nexthop objects on this kernel (${nh.code})`);
      return;
    }
    const nhHeaders = ['family', 'scope', 'protocol', 'flags'] satisfies (keyof Nexthop)[];
    assertAlways('nexthops', nh, [...alwaysNames(nexthopAttrs), ...nhHeaders]);
  });
});
