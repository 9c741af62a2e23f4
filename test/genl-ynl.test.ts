// The YNL spec loader on every spec the kernel documentation ships (linux-doc-6.12), checked
// against the kernel itself: operations and groups the controller reports, command numbers in
// the UAPI headers, the same kernel bytes decoded alike by a spec and by nlkit's own
// declaration, netlink-raw specs (rt-link, rt-addr) against `ip -j`, and `nlkit genl call`.
import assert from 'node:assert/strict';
import { existsSync, readdirSync } from 'node:fs';
import { test, type TestContext } from 'node:test';
import {
  FamilyClient, GenlClient, decodeOpPayload, encodeOp, ethtool, loadSpecFile, mptcpPm, netdev, nlctrl, tcpMetrics,
  type FamilyDef, type YnlFamily,
} from '../src/genl/index.js';
import { NLM_F_DUMP, type NetlinkMessage } from '../src/wire/index.js';
import { cConstants, upperSnake } from './helpers/c-header.js';
import { ip, ipJson, requireRoot, withNetns } from './helpers/netns.js';
import { nlkit } from './helpers/cli.js';

const SPECS = '/usr/share/doc/linux-doc-6.12/Documentation/netlink/specs';

function specs(t: TestContext): string[] | undefined {
  if (existsSync(SPECS)) return readdirSync(SPECS).filter((f) => /\.yaml(\.gz)?$/.test(f)).sort();
  t.skip(`${SPECS} is missing (install linux-doc-6.12; .ci/run does)`);
  return undefined;
}

function spec(name: string): YnlFamily {
  const f = existsSync(`${SPECS}/${name}.yaml.gz`) ? `${SPECS}/${name}.yaml.gz` : `${SPECS}/${name}.yaml`;
  return loadSpecFile(f);
}

test('every spec in linux-doc loads: genetlink, genetlink-c, genetlink-legacy and netlink-raw', (t) => {
  const files = specs(t);
  if (!files) return;
  assert.ok(files.length >= 15, files.join(' '));
  const levels = new Set<string>();
  for (const f of files) {
    const s = loadSpecFile(`${SPECS}/${f}`);
    levels.add(s.level);
    assert.ok(Object.keys(s.ops).length > 0, `${f}: operations`);
    for (const o of Object.values(s.ops)) {
      assert.ok(o.request !== undefined || o.reply !== undefined, `${f} ${o.name}: has a number`);
      // Every request can be built (empty) and every set walked: nothing left unresolved.
      if (o.request !== undefined) assert.ok(encodeOp(s, o, 0x20, 0, {}).byteLength >= 16, `${f} ${o.name}`);
      for (const a of o.set.attrs) assert.ok(a.field, `${f} ${o.set.name}.${a.name}`);
    }
    if (s.protocol === 'netlink-raw') assert.equal(typeof s.protonum, 'number');
  }
  assert.deepEqual([...levels].sort().filter((l) => l !== 'genetlink-c'), ['genetlink', 'genetlink-legacy', 'netlink-raw']);
});

test('specs of families this kernel has: their operations and groups are the kernel\'s', async (t) => {
  const files = specs(t);
  if (!files) return;
  await using c = GenlClient.open();
  const kernel = new Map((await c.controller.dumpFamilies().toArray()).map((f) => [f.name, f]));
  let families = 0;
  for (const f of files) {
    const s = loadSpecFile(`${SPECS}/${f}`);
    const k = s.protocol === 'genetlink' ? kernel.get(s.name) : undefined;
    if (!k) continue;
    families++;
    const ids = new Set(k.ops.map((o) => o.id));
    for (const o of Object.values(s.ops)) {
      if (o.request === undefined || (!o.do && !o.dump)) continue;
      if (!ids.has(o.request)) continue; // ops behind a kernel config option (netdev's bind-rx, …)
      const caps = k.ops.find((x) => x.id === o.request)!.capabilities;
      if (o.do && o.request !== 0) assert.ok(caps.includes('do') || caps.includes('dump'), `${s.name} ${o.name}`);
      if (o.dump && !o.do) assert.ok(caps.includes('dump'), `${s.name} ${o.name} can dump`);
    }
    const known = Object.values(s.ops).filter((o) => o.request !== undefined && (o.do || o.dump)).map((o) => o.request);
    assert.ok(k.ops.filter((o) => known.includes(o.id)).length >= Math.min(k.ops.length, known.length) * 0.7, `${s.name}: most kernel ops are in the spec`);
    for (const g of s.groups) assert.ok(k.groups.some((x) => x.name === g.name), `${s.name} group ${g.name}`);
  }
  assert.ok(families >= 5, `${families} families`);
});

test('the loader numbers ethtool\'s directional commands as <linux/ethtool_netlink.h> does', (t) => {
  if (!specs(t)) return;
  const h = cConstants('/usr/include/linux/ethtool_netlink.h');
  if (!h.size) {
    t.skip('ethtool_netlink.h is missing');
    return;
  }
  const s = spec('ethtool');
  let checked = 0;
  for (const o of Object.values(s.ops)) {
    const base = `ETHTOOL_MSG_${upperSnake(o.name)}`;
    const req = h.get(base);
    const rep = h.get(o.name.endsWith('-ntf') ? base : `${base}_REPLY`);
    if (o.request !== undefined && o.notify === undefined && req !== undefined) {
      assert.equal(o.request, req, base);
      checked++;
    }
    if (o.reply !== undefined && rep !== undefined) {
      assert.equal(o.reply, rep, `${base} reply`);
      checked++;
    }
  }
  assert.ok(checked >= 60, `checked ${checked}`);
});

/** Raw kernel replies (payloads) of one operation, do or dump. */
async function replies(c: FamilyClient, def: FamilyDef, op: string, value: Record<string, unknown>, dump: boolean): Promise<NetlinkMessage[]> {
  const id = (await c.info())!.id;
  const bytes = encodeOp(def, def.ops[op]!, id, dump ? NLM_F_DUMP : 0, value);
  if (dump) return c.socket.dump(bytes).toArray();
  return (await c.socket.request(bytes)).messages;
}

/** Decodes the same bytes with the spec and with nlkit's declaration; they must agree. */
function agree(specDef: FamilyDef, ours: FamilyDef, op: string, msgs: NetlinkMessage[]): number {
  for (const m of msgs) {
    const a = decodeOpPayload(specDef, specDef.ops[op]!, m.payload);
    const b = decodeOpPayload(ours, ours.ops[op]!, m.payload);
    assert.deepEqual(b, a, `${ours.name} ${op}`);
    assert.equal(a.$unknown, undefined, `${ours.name} ${op}: the spec knows every attribute`);
  }
  return msgs.length;
}

test('a YAML spec and nlkit\'s own declaration decode the same kernel bytes alike', async (t) => {
  if (!specs(t) || !requireRoot(t)) return;
  await withNetns(async (ns) => {
    ip(ns, 'link add va type veth peer name vb');
    ip(ns, 'link set va up');
    ip(ns, 'link set vb up');
    let n = 0;
    {
      await using c = await FamilyClient.open(nlctrl, { netns: ns });
      n += agree(spec('nlctrl'), nlctrl as unknown as FamilyDef, 'getfamily', await replies(c, nlctrl as unknown as FamilyDef, 'getfamily', {}, true));
    }
    {
      const s = spec('ethtool');
      await using c = await FamilyClient.open(ethtool, { netns: ns });
      const e = ethtool as unknown as FamilyDef;
      for (const op of ['linkinfo-get', 'linkmodes-get', 'linkstate-get', 'features-get', 'channels-get']) {
        n += agree(s, e, op, await replies(c, e, op, {}, true));
        n += agree(s, e, op, await replies(c, e, op, { header: { devName: 'va' } }, false));
      }
      n += agree(s, e, 'strset-get', await replies(c, e, 'strset-get', { header: { devName: 'va' }, stringsets: { stringset: [{ id: 4 }] } }, false));
    }
    {
      await using c = await FamilyClient.open(netdev, { netns: ns });
      n += agree(spec('netdev'), netdev as unknown as FamilyDef, 'dev-get', await replies(c, netdev as unknown as FamilyDef, 'dev-get', {}, true));
    }
    {
      await using c = await FamilyClient.open(mptcpPm, { netns: ns });
      await c.do('set-limits', { rcvAddAddrs: 2, subflows: 4 });
      await c.do('add-addr', { addr: { family: 2, addr4: 0x0a000002, id: 3, flags: 2 } });
      const m = mptcpPm as unknown as FamilyDef;
      n += agree(spec('mptcp_pm'), m, 'get-limits', await replies(c, m, 'get-limits', {}, false));
      n += agree(spec('mptcp_pm'), m, 'get-addr', await replies(c, m, 'get-addr', {}, true));
    }
    {
      await using c = await FamilyClient.open(tcpMetrics, { netns: ns });
      const tdef = tcpMetrics as unknown as FamilyDef;
      n += agree(spec('tcp_metrics'), tdef, 'get', await replies(c, tdef, 'get', {}, true));
    }
    assert.ok(n >= 15, `${n} messages compared`);
  });
});

test('netlink-raw specs speak rtnetlink: rt-link and rt-addr dumps agree with `ip -j`', async (t) => {
  if (!specs(t) || !requireRoot(t)) return;
  await withNetns(async (ns) => {
    ip(ns, 'link add va type veth peer name vb');
    ip(ns, 'link set va mtu 1400 up');
    ip(ns, 'addr add 192.0.2.1/24 dev va noprefixroute');
    {
      await using c = await FamilyClient.open(spec('rt_link'), { netns: ns });
      const links = await c.dump('getlink').toArray();
      const theirs = ipJson<{ ifindex: number; ifname: string; mtu: number; address: string }[]>(ns, 'link show');
      assert.deepEqual(
        links.map((l) => ({ ifindex: l.ifiIndex, ifname: l.ifname, mtu: l.mtu, address: l.address })),
        theirs.map((l) => ({ ifindex: l.ifindex, ifname: l.ifname, mtu: l.mtu, address: l.address })));
      const va = links.find((l) => l.ifname === 'va') as Record<string, any>;
      assert.equal(va.linkinfo.kind, 'veth', 'sub-message selected by kind');
    }
    {
      await using c = await FamilyClient.open(spec('rt_addr'), { netns: ns });
      const addrs = await c.dump('getaddr', { ifaFamily: 2 }).toArray();
      const mine = addrs.find((a) => a.ifaLocal === '192.0.2.1');
      assert.ok(mine, JSON.stringify(addrs));
      assert.equal(mine.ifaPrefixlen, 24);
      // ifaddrmsg.ifa_flags (u8) and IFA_FLAGS (u32) share the name ifa-flags: both are kept,
      // the attribute as ifaFlagsAttr; only it holds bits past 0xff (noprefixroute is 0x200).
      const theirs = ipJson<{ addr_info: { local: string; noprefixroute?: boolean }[] }[]>(ns, 'addr show dev va')[0]!
        .addr_info.find((a) => a.local === '192.0.2.1')!;
      assert.equal(theirs.noprefixroute, true);
      assert.ok((mine.ifaFlagsAttr as string[]).includes('noprefixroute'), JSON.stringify(mine));
      assert.ok(!(mine.ifaFlags as string[]).includes('noprefixroute'), JSON.stringify(mine));
      assert.ok((mine.ifaFlags as string[]).includes('permanent') && (mine.ifaFlagsAttr as string[]).includes('permanent'));
      // And the decoded message encodes both back where they came from.
      const f = spec('rt_addr'), op = f.ops.getaddr!;
      const again = decodeOpPayload(f, op, encodeOp(f, { ...op, request: op.reply }, 0, 0, mine).subarray(16));
      assert.deepEqual(again, mine);
    }
  });
});

test('`nlkit genl call`: shipped declarations, installed specs and --spec files, do and dump', async (t) => {
  if (!requireRoot(t)) return;
  const r = nlkit(['genl', 'call', 'nlctrl', 'getfamily', 'family-name=nlctrl']);
  assert.equal(r.status, 0, r.stderr);
  const fam = JSON.parse(r.stdout);
  assert.equal(fam['family-name'], 'nlctrl', 'names as the spec spells them');
  assert.equal(fam['family-id'], 0x10);
  if (!existsSync(SPECS)) return;
  await withNetns((ns) => {
    ip(ns, 'link add va type veth peer name vb');
    const links = nlkit(['genl', '--netns', ns, '-j', 'call', '--spec', `${SPECS}/rt_link.yaml.gz`, 'getlink', '--dump']);
    assert.equal(links.status, 0, links.stderr);
    assert.deepEqual(links.stdout.trim().split('\n').map((l) => JSON.parse(l).ifname).sort(), ['lo', 'va', 'vb']);
    const dev = nlkit(['genl', '-n', ns, 'call', 'netdev', 'dev-get', '--dump']);
    assert.equal(JSON.parse(dev.stdout).length, 3);
    const refused = nlkit(['genl', '-n', ns, 'call', 'ethtool', 'linkinfo-get', 'header.dev-name=nosuch']);
    assert.equal(refused.status, 1);
    assert.equal(refused.stderr, 'Netlink error: No such device\n\textack: {\'msg\': \'no device matches name\', \'bad-attr\': \'.header.dev-name\'}\n');
  });
});
