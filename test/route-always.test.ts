// What the decoded types promise is there: attributes declared always() are in every message
// the kernel sends — links of every family that dumps them (rtnl_fill_ifinfo, br_fill_ifinfo,
// inet6_fill_ifinfo) and nexthops (nh_fill_node) — and so is every fixed-header field of links,
// addresses, routes, neighbours, rules and nexthops.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  RTM, dumpAddresses, dumpLinks, dumpNeighbours, dumpNexthops, dumpRoutes, dumpRules, fibRuleHdr, ifaddrmsg, linkAttrs, linkCodec,
  ndmsg, nexthopAttrs, openRoute, rtmsg, type Link, type Nexthop,
} from '../src/route/index.js';
import type { AttributeSet, StructSpec } from '../src/schema/index.js';
import { ip, ipBatch, requireRoot, withNetns } from './helpers/netns.js';

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

test('always() attributes and every fixed-header field are in every message the kernel sends', async (t) => {
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
    // Every fixed-header field (non-optional in the types) is in every object of every dump.
    ip(ns, ['addr', 'add', '10.7.0.1/24', 'dev', 'v1']);
    ip(ns, ['neigh', 'add', '10.7.0.9', 'lladdr', '02:00:00:00:00:09', 'dev', 'v1']);
    const fieldsOf = (s: StructSpec) => s.fields.filter((f) => f.type !== 'pad').map((f) => f.name);
    assertAlways('addresses', await dumpAddresses({}, { netns: ns }).toArray(), fieldsOf(ifaddrmsg));
    assertAlways('routes', await dumpRoutes({}, { netns: ns }).toArray(), fieldsOf(rtmsg));
    assertAlways('neighbours', await dumpNeighbours({}, { netns: ns }).toArray(), fieldsOf(ndmsg));
    assertAlways('rules', await dumpRules({}, { netns: ns }).toArray(), fieldsOf(fibRuleHdr));
    const nh = await dumpNexthops({}, { netns: ns }).toArray().catch((e: { code?: string }) => e);
    if (!Array.isArray(nh)) {
      t.diagnostic(`no nexthop objects on this kernel (${nh.code})`);
      return;
    }
    const nhHeaders = ['family', 'scope', 'protocol', 'flags'] satisfies (keyof Nexthop)[];
    assertAlways('nexthops', nh, [...alwaysNames(nexthopAttrs), ...nhHeaders]);
  });
});
