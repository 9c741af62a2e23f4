// Captures the golden messages the fuzz test mutates (test/fixtures/fuzz/golden.json): every
// rtnetlink dump of a throwaway namespace with one of everything, and generic netlink
// controller replies (families, policies). Run as root after a build:
//
//   node dist/bench/fuzz-capture.js
//
// The fixture is committed so that a seed reproduces the same run on any machine, root or not.
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { beginGenl, CTRL_CMD_GETFAMILY, CTRL_CMD_GETPOLICY, GENL_ID_CTRL } from '../src/genl/index.js';
import {
  RTM, addAddress, addLink, addNeighbour, addNexthop, addRoute, addRule, changeLink, openRoute,
  addressCodec, linkCodec, neighCodec, netconfCodec, nexthopCodec, routeCodec, ruleCodec,
} from '../src/route/index.js';
import { NetlinkSocket } from '../src/socket/index.js';
import { MessageWriter, NLM_F_DUMP, NLM_F_REQUEST, type NetlinkMessage } from '../src/wire/index.js';
import { ip, withNetns } from '../test/helpers/netns.js';

/** One captured message: its header's type and flags, and its payload in hex. */
interface Golden {
  type: number;
  flags: number;
  payload: string;
}

async function populate(ns: string): Promise<void> {
  const o = { netns: ns };
  await addLink({ ifname: 'v0', kind: 'veth', peer: { ifname: 'v1' }, up: true }, o);
  await addLink({ ifname: 'br0', kind: 'bridge', up: true }, o);
  await changeLink('v1', { master: 'br0', up: true }, o);
  await addLink({ ifname: 'vx0', kind: 'vxlan', data: { id: 5, port: 4789 } }, o);
  await addLink({ ifname: 'mv0', kind: 'macvlan', link: 'v0', data: { mode: 'bridge' } }, o);
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

const hex = (m: NetlinkMessage): Golden => ({ type: m.type, flags: m.flags, payload: Buffer.from(m.payload).toString('hex') });

async function routeDumps(ns: string): Promise<Golden[]> {
  const dumps: [number, { encode(type: number, flags: number, o: never): Uint8Array }, Record<string, unknown>][] = [
    [RTM.GETLINK, linkCodec, { family: 'unspec', ext_mask: 1 }],
    [RTM.GETLINK, linkCodec, { family: 'bridge' }],
    [RTM.GETADDR, addressCodec, { family: 'unspec' }],
    [RTM.GETROUTE, routeCodec, { family: 'unspec' }],
    [RTM.GETNEIGH, neighCodec, { family: 'unspec' }],
    [RTM.GETRULE, ruleCodec, { family: 'unspec' }],
    [RTM.GETNEXTHOP, nexthopCodec, { family: 'unspec' }],
    [RTM.GETNETCONF, netconfCodec, { family: 'unspec' }],
  ];
  const out: Golden[] = [];
  const sock = openRoute({ netns: ns });
  try {
    for (const [type, codec, req] of dumps) {
      for (const m of await sock.dump(codec.encode(type, 0, req as never)).toArray()) out.push(hex(m));
    }
  } finally {
    sock.close();
  }
  return out;
}

function ctrlRequest(cmd: number, family?: string): Uint8Array {
  const w = new MessageWriter();
  beginGenl(w, GENL_ID_CTRL, NLM_F_REQUEST | NLM_F_DUMP, cmd, 1);
  if (family) w.attrString(2 /* CTRL_ATTR_FAMILY_NAME */, family);
  w.end();
  return w.toBytes();
}

async function genlDumps(ns: string): Promise<Golden[]> {
  const sock = NetlinkSocket.open(16 /* NETLINK_GENERIC */, { netns: ns });
  try {
    const out: Golden[] = [];
    for (const m of await sock.dump(ctrlRequest(CTRL_CMD_GETFAMILY)).toArray()) out.push(hex(m));
    for (const f of ['nlctrl', 'ethtool', 'netdev']) {
      const ms = await sock.dump(ctrlRequest(CTRL_CMD_GETPOLICY, f)).toArray().catch(() => []);
      for (const m of ms.slice(0, 40)) out.push(hex(m));
    }
    return out;
  } finally {
    sock.close();
  }
}

const golden = await withNetns(async (ns) => {
  await populate(ns);
  return { route: await routeDumps(ns), genl: await genlDumps(ns) };
});
const file = path.join(path.dirname(new URL(import.meta.url).pathname), '..', '..', 'test', 'fixtures', 'fuzz', 'golden.json');
writeFileSync(file, JSON.stringify({ captured: `Linux ${process.version} kernel ${(await import('node:os')).release()}`, ...golden }, null, 1) + '\n');
console.log(`${file}: ${golden.route.length} rtnetlink and ${golden.genl.length} generic netlink messages`);
