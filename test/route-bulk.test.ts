// addRoutes/deleteRoutes: addRoute's defaults over requestBatch, against the kernel in a namespace,
// read back by iproute2.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { addAddress, addLink, addRoutes, deleteRoutes, type RouteSpec } from '../src/route/index.js';
import { ipJson, requireRoot, withNetns } from './helpers/netns.js';

interface IpRoute { dst: string; protocol?: string; scope?: string; type?: string; dev?: string; gateway?: string }

test('route bulk: addRoutes applies addRoute defaults (main table, boot protocol, scopes), refusals by index; deleteRoutes removes them', async (t) => {
  if (!requireRoot(t)) return;
  await withNetns(async (ns) => {
    const o = { netns: ns };
    await addLink({ ifname: 'd0', kind: 'veth', peer: { ifname: 'd1' }, up: true }, o);
    await addAddress({ dev: 'd0', address: '10.9.0.1/24' }, o);
    const N = 300;
    const specs: (RouteSpec & { dst: string })[] = Array.from({ length: N }, (_, i) => ({ dst: `10.${100 + (i >> 8)}.${i & 255}.0/24`, gateway: '10.9.0.2' }));
    specs.push({ dst: '192.0.2.0/24', dev: 'd0' });
    specs.push(specs[0]!); // a duplicate: EEXIST under NLM_F_EXCL, the rest still added
    const res = await addRoutes(specs, o);
    assert.equal(res.sent, N + 2);
    assert.equal(res.acked, N + 1);
    assert.deepEqual(res.errors.map((e) => [e.index, e.error.code]), [[N + 1, 'EEXIST']]);

    const routes = ipJson<IpRoute[]>(ns, '-d route show table main'); // -d: protocol and scope always shown
    const byDst = new Map(routes.map((r) => [r.dst, r]));
    for (const s of specs.slice(0, N)) {
      const r = byDst.get(s.dst);
      assert.ok(r, `${s.dst} in table main`);
      assert.equal(r.gateway, '10.9.0.2');
      assert.equal(r.protocol, 'boot'); // ip route add's default protocol
      assert.equal(r.scope, 'global'); // RT_SCOPE_UNIVERSE with a gateway
    }
    assert.equal(byDst.get('192.0.2.0/24')?.scope, 'link');
    assert.equal(byDst.get('192.0.2.0/24')?.type, 'unicast'); // no gateway: link scope, as ip route add picks

    const del = await deleteRoutes(specs.slice(0, N + 1), o);
    assert.equal(del.acked, N + 1);
    assert.deepEqual(del.errors, []);
    const left = ipJson<IpRoute[]>(ns, 'route show table main').map((r) => r.dst);
    assert.deepEqual(left, ['10.9.0.0/24']);
  });
});
