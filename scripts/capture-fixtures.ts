// Captures the golden byte fixtures of test/golden.test.ts from the running kernel: `npm run
// fixtures` (as root). Builds one of everything in a throwaway namespace (links of four kinds,
// IPv4/IPv6 addresses, routes with multipath and metrics, neighbours, rules, nexthops, netconf,
// the generic netlink controller, two extended ACKs), receives the kernel's replies on a raw
// socket, keeps a few messages of each kind as hex, and stores beside each what iproute2 (`ip
// -j`, `genl`) says about the same object at the same time: the test decodes the bytes with the
// library and checks them against that independent oracle, with no root and no kernel.
//
// Expected values are stored by the library's field path ("linkinfo.data.id"), each taken from
// the oracle's own field; where the oracle prints a value another way (a name for an ifindex,
// "true" for 1), the conversion is written here, next to the field it is for.
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { GENL_ID_CTRL } from '../src/genl/index.js';
import { RTM, addressCodec, linkCodec, neighCodec, netconfCodec, nexthopCodec, routeCodec, ruleCodec } from '../src/route/index.js';
import { loadAddon } from '../src/socket/native.js';
import {
  MessageReader, MessageWriter, NETLINK_EXT_ACK, NETLINK_GENERIC, NETLINK_ROUTE, NLM_F_ACK, NLM_F_CREATE, NLM_F_DUMP,
  NLM_F_EXCL, NLM_F_REQUEST, NLMSG_DONE, NLMSG_ERROR, SOL_NETLINK,
} from '../src/wire/index.js';

/** One captured message and what the oracle says about it. */
export interface Fixture {
  /** What it is, for messages. */
  name: string;
  /** Which library codec decodes it (see test/golden.test.ts). */
  codec: string;
  /** The whole message (header included) as the kernel sent it, hex. */
  hex: string;
  /** Library field path -> the oracle's value for it. */
  expect: Record<string, unknown>;
}

const OUT = fileURLToPath(new URL('../../test/fixtures/', import.meta.url));
const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');

/** `ip -n NS ARGS…` */
function ip(ns: string, args: string): string {
  return execFileSync('ip', ['-n', ns, ...args.split(' ')], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}
/** `ip -n NS -j ARGS…`, parsed. */
function ipj(ns: string, args: string): any[] {
  const out = ip(ns, `-j ${args}`).trim();
  return out === '' ? [] : JSON.parse(out);
}

/**
 * Sends `req` on a raw socket of `protocol` in `ns` (NETLINK_EXT_ACK on) and returns every
 * message of the reply as its own bytes, up to NLMSG_DONE or NLMSG_ERROR.
 */
function exchange(ns: string, protocol: number, req: Uint8Array): Promise<Uint8Array[]> {
  const { NativeSocket } = loadAddon();
  const s = new NativeSocket(protocol, `/run/netns/${ns}`);
  s.setsockopt(SOL_NETLINK, NETLINK_EXT_ACK, 1);
  s.bind(0, 0);
  const buf = new Uint8Array(1 << 17);
  const out: Uint8Array[] = [];
  return new Promise((resolve, reject) => {
    s.start((status: number, len: number) => {
      if (status < 0) {
        s.close();
        reject(new Error(`receive failed: ${status}`));
        return;
      }
      const r = new MessageReader(buf.subarray(0, len));
      let end = false;
      while (r.next()) {
        out.push(buf.slice(r.offset, r.offset + r.length));
        if (r.type === NLMSG_DONE || r.type === NLMSG_ERROR) end = true;
      }
      if (end) {
        s.close();
        resolve(out);
      }
    }, buf);
    s.send(req, 0, 0);
  });
}

/** The payload of a captured message, decoded with `codec`. */
function decoded(codec: { decodePayload(p: Uint8Array): unknown }, m: Uint8Array): any {
  return codec.decodePayload(m.subarray(16));
}

/** Dumps `type` with a request the codec builds, and returns the messages before NLMSG_DONE. */
async function dump(ns: string, type: number, codec: { encode(t: number, f: number, o: never): Uint8Array }, req: Record<string, unknown>): Promise<Uint8Array[]> {
  const msgs = await exchange(ns, NETLINK_ROUTE, codec.encode(type, NLM_F_REQUEST | NLM_F_DUMP, req as never));
  return msgs.filter((m) => new DataView(m.buffer, m.byteOffset).getUint16(4, true) === type - 2); // RTM_GETx - 2 = RTM_NEWx
}

const SETUP = [
  'link add v0 type veth peer name v1',
  'link add br0 type bridge forward_delay 400',
  'link set v1 master br0',
  'link add vx0 type vxlan id 42 dstport 4789 local 10.0.0.1 ttl 5',
  'link add mv0 link v0 type macvlan mode bridge',
  'link set v0 up', 'link set v1 up', 'link set br0 up', 'link set mv0 up',
  'link set v0 mtu 1400',
  'addr add 10.0.0.1/24 dev v0 broadcast + label v0:1',
  'addr add 2001:db8::1/64 dev v0 nodad',
  'route add 10.1.0.0/16 via 10.0.0.2 dev v0 metric 100 proto static',
  'route add 10.6.0.0/16 nexthop via 10.0.0.2 dev v0 weight 2 nexthop via 10.0.0.3 dev v0 weight 3',
  'route add 10.7.0.0/16 via 10.0.0.2 dev v0 mtu lock 1300 advmss 1200',
  'route add blackhole 10.2.0.0/16 table 100',
  'route add 2001:db8:1::/64 via 2001:db8::2 dev v0 metric 50',
  'neigh add 10.0.0.5 lladdr 02:00:00:00:00:05 dev v0 nud permanent',
  'neigh add 2001:db8::5 lladdr 02:00:00:00:00:07 dev v0 nud noarp',
  'rule add from 10.0.0.0/8 table 100 priority 1000',
  'rule add to 10.9.0.0/16 iif v0 table 100 priority 1001 fwmark 0x10/0xff',
  'nexthop add id 1 via 10.0.0.2 dev v0',
  'nexthop add id 2 via 10.0.0.3 dev v0',
  'nexthop add id 3 group 1,2/2,3',
];

async function links(ns: string): Promise<Fixture[]> {
  const all = ipj(ns, '-d link show');
  const byName = new Map(all.map((l) => [l.ifname, l.ifindex]));
  const msgs = await dump(ns, RTM.GETLINK, linkCodec as never, { family: 'unspec', ext_mask: 0 });
  const out: Fixture[] = [];
  for (const name of ['v0', 'v1', 'br0', 'vx0', 'mv0']) {
    const m = msgs.find((x) => decoded(linkCodec, x).ifname === name)!;
    const j = all.find((l) => l.ifname === name);
    const info = j.linkinfo ?? {};
    const expect: Record<string, unknown> = {
      ifindex: j.ifindex, ifname: j.ifname, mtu: j.mtu, address: j.address, broadcast: j.broadcast, txqlen: j.txqlen,
      operstate: j.operstate, min_mtu: j.min_mtu, max_mtu: j.max_mtu, num_tx_queues: j.num_tx_queues, num_rx_queues: j.num_rx_queues,
      promiscuity: j.promiscuity, 'linkinfo.kind': info.info_kind,
    };
    if (j.link !== undefined) expect.link = byName.get(j.link); // ip prints the peer's name
    if (j.master !== undefined) expect.master = byName.get(j.master); // and the master's
    if (info.info_slave_kind !== undefined) expect['linkinfo.slave_kind'] = info.info_slave_kind;
    const d = info.info_data ?? {};
    if (name === 'vx0') Object.assign(expect, { 'linkinfo.data.id': d.id, 'linkinfo.data.port': d.port, 'linkinfo.data.local': d.local, 'linkinfo.data.ttl': d.ttl });
    if (name === 'mv0') expect['linkinfo.data.mode'] = d.mode;
    if (name === 'br0') Object.assign(expect, { 'linkinfo.data.forward_delay': d.forward_delay, 'linkinfo.data.stp_state': d.stp_state, 'linkinfo.data.priority': d.priority });
    out.push({ name: `link ${name} (${info.info_kind})`, codec: 'link', hex: hex(m), expect });
  }
  return out;
}

async function addresses(ns: string): Promise<Fixture[]> {
  const j = ipj(ns, 'addr show dev v0')[0];
  const msgs = await dump(ns, RTM.GETADDR, addressCodec as never, { family: 'unspec' });
  const out: Fixture[] = [];
  for (const local of ['10.0.0.1', '2001:db8::1']) {
    const m = msgs.find((x) => decoded(addressCodec, x).local === local || decoded(addressCodec, x).address === local)!;
    const a = j.addr_info.find((x: any) => x.local === local);
    const expect: Record<string, unknown> = { ifindex: j.ifindex, family: a.family, prefixlen: a.prefixlen, scope: a.scope, 'cacheinfo.valid': a.valid_life_time, 'cacheinfo.preferred': a.preferred_life_time };
    if (a.family === 'inet') Object.assign(expect, { local: a.local, label: a.label, broadcast: a.broadcast });
    else expect.address = a.local; // IPv6 has IFA_ADDRESS only; ip prints it as "local"
    out.push({ name: `address ${local}/${a.prefixlen}`, codec: 'address', hex: hex(m), expect });
  }
  return out;
}

async function routes(ns: string): Promise<Fixture[]> {
  const names = new Map(ipj(ns, 'link show').map((l) => [l.ifname, l.ifindex]));
  const v4 = ipj(ns, '-d route show table all');
  const v6 = ipj(ns, '-6 -d route show table all');
  const msgs = await dump(ns, RTM.GETROUTE, routeCodec as never, { family: 'unspec' });
  const out: Fixture[] = [];
  for (const [dst, jj] of [['10.1.0.0/16', v4], ['10.6.0.0/16', v4], ['10.7.0.0/16', v4], ['10.2.0.0/16', v4], ['2001:db8:1::/64', v6]] as const) {
    const j = jj.find((r) => r.dst === dst);
    const [addr, len] = dst.split('/');
    const m = msgs.find((x) => { const r = decoded(routeCodec, x); return r.dst === addr && r.dst_len === Number(len); })!;
    const expect: Record<string, unknown> = {
      dst: addr, dst_len: Number(len), type: j.type, protocol: j.protocol, scope: j.scope,
      // ip names the tables it knows and prints others as a number in a string
      table: /^\d+$/.test(String(j.table)) ? Number(j.table) : j.table,
    };
    if (j.gateway !== undefined) expect.gateway = j.gateway;
    if (j.dev !== undefined) expect.oif = names.get(j.dev);
    if (j.metric !== undefined) expect.priority = j.metric;
    (j.nexthops ?? []).forEach((h: any, i: number) => Object.assign(expect, {
      [`multipath.${i}.gateway`]: h.gateway, [`multipath.${i}.ifindex`]: names.get(h.dev), [`multipath.${i}.weight`]: h.weight,
    }));
    for (const [k, v] of Object.entries(j.metrics?.[0] ?? {})) {
      // ip -d prints a locked metric as { "lock": true, "value": N }... or a bare number
      if (typeof v === 'number') expect[`metrics.${k}`] = v;
      else if (v && typeof v === 'object' && 'value' in (v as object)) expect[`metrics.${k}`] = (v as { value: number }).value;
    }
    out.push({ name: `route ${dst}${j.nexthops ? ' multipath' : ''}${j.metrics ? ' metrics' : ''}`, codec: 'route', hex: hex(m), expect });
  }
  return out;
}

async function neighbours(ns: string): Promise<Fixture[]> {
  const names = new Map(ipj(ns, 'link show').map((l) => [l.ifname, l.ifindex]));
  const j = ipj(ns, 'neigh show nud all');
  const msgs = await dump(ns, RTM.GETNEIGH, neighCodec as never, { family: 'unspec' });
  return ['10.0.0.5', '2001:db8::5'].map((dst) => {
    const n = j.find((x) => x.dst === dst);
    const m = msgs.find((x) => decoded(neighCodec, x).dst === dst)!;
    return {
      name: `neighbour ${dst}`, codec: 'neigh', hex: hex(m),
      // ip prints NUD states in capitals
      expect: { dst, lladdr: n.lladdr, ifindex: names.get(n.dev), state: n.state.map((s: string) => s.toLowerCase()) },
    };
  });
}

async function rules(ns: string): Promise<Fixture[]> {
  const j = ipj(ns, 'rule show');
  const msgs = await dump(ns, RTM.GETRULE, ruleCodec as never, { family: 'inet' });
  return [1000, 1001].map((prio) => {
    const r = j.find((x) => x.priority === prio);
    const m = msgs.find((x) => decoded(ruleCodec, x).priority === prio)!;
    const expect: Record<string, unknown> = { priority: prio, table: Number(r.table) };
    if (r.src !== 'all') Object.assign(expect, { src: r.src, src_len: r.srclen });
    if (r.dst !== undefined) Object.assign(expect, { dst: r.dst, dst_len: r.dstlen });
    if (r.iif !== undefined) expect.iifname = r.iif;
    if (r.fwmark !== undefined) expect.fwmark = Number(r.fwmark);
    if (r.fwmask !== undefined) expect.fwmask = Number(r.fwmask);
    return { name: `rule ${prio}`, codec: 'rule', hex: hex(m), expect };
  });
}

async function nexthops(ns: string): Promise<Fixture[]> {
  const names = new Map(ipj(ns, 'link show').map((l) => [l.ifname, l.ifindex]));
  const j = ipj(ns, 'nexthop show');
  const msgs = await dump(ns, RTM.GETNEXTHOP, nexthopCodec as never, { family: 'unspec' });
  return [1, 3].map((id) => {
    const n = j.find((x) => x.id === id);
    const m = msgs.find((x) => decoded(nexthopCodec, x).id === id)!;
    const expect: Record<string, unknown> = { id };
    if (n.gateway !== undefined) Object.assign(expect, { gateway: n.gateway, oif: names.get(n.dev), scope: n.scope });
    (n.group ?? []).forEach((g: any, i: number) => Object.assign(expect, { [`group.${i}.id`]: g.id, [`group.${i}.weight`]: g.weight ?? 1 }));
    return { name: `nexthop ${id}${n.group ? ' group' : ''}`, codec: 'nexthop', hex: hex(m), expect };
  });
}

async function netconf(ns: string): Promise<Fixture[]> {
  const names = new Map(ipj(ns, 'link show').map((l) => [l.ifname, l.ifindex]));
  const j = ipj(ns, 'netconf show dev v0')[0];
  const msgs = await dump(ns, RTM.GETNETCONF, netconfCodec as never, { family: 'inet' });
  const m = msgs.find((x) => decoded(netconfCodec, x).ifindex === names.get('v0'))!;
  const bool = (v: boolean) => (v ? 1 : 0); // ip prints the kernel's 0/1 as false/true
  return [{
    name: 'netconf inet v0', codec: 'netconf', hex: hex(m),
    expect: {
      family: j.family, ifindex: names.get(j.interface), forwarding: bool(j.forwarding), mc_forwarding: bool(j.mc_forwarding),
      proxy_neigh: bool(j.proxy_neigh), ignore_routes_with_linkdown: bool(j.ignore_routes_with_linkdown),
      rp_filter: ({ off: 0, strict: 1, loose: 2 } as Record<string, number>)[j.rp_filter],
    },
  }];
}

async function genl(ns: string): Promise<Fixture[]> {
  const w = new MessageWriter();
  w.begin(GENL_ID_CTRL, NLM_F_REQUEST | NLM_F_ACK); // the ACK ends the exchange
  const h = w.struct(4);
  w.view.setUint8(h, 3 /* CTRL_CMD_GETFAMILY */);
  w.view.setUint8(h + 1, 1);
  w.attrString(2 /* CTRL_ATTR_FAMILY_NAME */, 'nlctrl');
  w.end();
  const [m] = await exchange(ns, NETLINK_GENERIC, w.toBytes());
  // iproute2's text: "Name: nlctrl\n\tID: 0x10  Version: 0x2  header size: 0  max attribs: 10", ops, groups
  const text = execFileSync('ip', ['netns', 'exec', ns, 'genl', 'ctrl', 'get', 'name', 'nlctrl'], { encoding: 'utf8' });
  const head = /ID: 0x([0-9a-f]+)\s+Version: 0x([0-9a-f]+)\s+header size: (\d+)\s+max attribs: (\d+)/.exec(text)!;
  const ops = [...text.matchAll(/#\d+:\s+ID-0x([0-9a-f]+) \n/g)].map((x) => parseInt(x[1]!, 16)); // groups have a name after the id
  const groups = [...text.matchAll(/#\d+:\s+ID-0x([0-9a-f]+)\s+name: (\S+)/g)];
  const expect: Record<string, unknown> = {
    familyName: 'nlctrl', familyId: parseInt(head[1]!, 16), version: parseInt(head[2]!, 16), hdrsize: Number(head[3]), maxattr: Number(head[4]),
  };
  ops.forEach((id, i) => (expect[`ops.${i}.id`] = id));
  groups.forEach((g, i) => Object.assign(expect, { [`mcastGroups.${i}.id`]: parseInt(g[1]!, 16), [`mcastGroups.${i}.name`]: g[2] }));
  return [{ name: 'genl ctrl getfamily nlctrl', codec: 'nlctrl', hex: hex(m!), expect }];
}

async function extacks(ns: string): Promise<Fixture[]> {
  const out: Fixture[] = [];
  // 1. An attribute the strict nexthop policy does not know: the kernel names it by offset.
  const w = new MessageWriter();
  w.begin(RTM.NEWNEXTHOP, NLM_F_REQUEST | NLM_F_ACK | NLM_F_CREATE | NLM_F_EXCL, 1);
  w.struct(8);
  w.view.setUint8(16, 2 /* AF_INET */);
  w.attrU32(1 /* NHA_ID */, 77);
  const bad = w.length;
  w.attrU32(200, 0);
  w.end();
  const [e1] = await exchange(ns, NETLINK_ROUTE, w.toBytes());
  out.push({ name: 'extended ACK: unknown attribute, with offset', codec: 'ack', hex: hex(e1!), expect: { error: -22, message: 'Unknown attribute type', offset: bad, 'request.seq': 1 } });
  // 2. What ip prints for the same refusal is the oracle of the message: a nexthop on a link without carrier.
  ip(ns, 'link add d0 type veth peer name d1');
  const refusal = (() => {
    try {
      ip(ns, 'nexthop add id 9 via 10.0.0.2 dev d0');
      return '';
    } catch (e) {
      // ip prints "Error: MESSAGE.", adding the full stop when the kernel's message has none
      return String((e as { stderr: string }).stderr).trim().replace(/^Error: /, '').replace(/\.$/, '');
    }
  })();
  const ifindex = ipj(ns, 'link show dev d0')[0].ifindex;
  const w2 = new MessageWriter();
  w2.begin(RTM.NEWNEXTHOP, NLM_F_REQUEST | NLM_F_ACK | NLM_F_CREATE | NLM_F_EXCL, 2);
  w2.struct(8);
  w2.view.setUint8(16, 2 /* AF_INET */);
  w2.attrU32(1 /* NHA_ID */, 9);
  w2.attr(6 /* NHA_GATEWAY */, new Uint8Array([10, 0, 0, 2]));
  w2.attrU32(5 /* NHA_OIF */, ifindex);
  w2.end();
  const [e2] = await exchange(ns, NETLINK_ROUTE, w2.toBytes());
  out.push({ name: 'extended ACK: ip nexthop add on a link that is down', codec: 'ack', hex: hex(e2!), expect: { message: refusal, 'request.seq': 2 } });
  return out;
}

async function main(): Promise<void> {
  if (process.getuid?.() !== 0) throw new Error('capture-fixtures: run as root (it creates a network namespace)');
  const ns = `nlkit-fixtures-${process.pid}-${randomBytes(4).toString('hex')}`;
  execFileSync('ip', ['netns', 'add', ns]);
  try {
    ip(ns, 'link set lo up');
    execFileSync('ip', ['netns', 'exec', ns, 'sysctl', '-qw', 'net.ipv6.conf.all.accept_dad=0', 'net.ipv6.conf.default.accept_dad=0']);
    for (const line of SETUP) ip(ns, line);
    const about = {
      captured: new Date().toISOString().slice(0, 10),
      kernel: execFileSync('uname', ['-r'], { encoding: 'utf8' }).trim(),
      oracle: execFileSync('ip', ['-V'], { encoding: 'utf8' }).trim(),
      by: 'npm run fixtures (scripts/capture-fixtures.ts)',
    };
    const files: Record<string, Fixture[]> = {
      'rtnetlink.json': [
        ...await links(ns), ...await addresses(ns), ...await routes(ns), ...await neighbours(ns), ...await rules(ns),
        ...await nexthops(ns), ...await netconf(ns),
      ],
      'genl.json': await genl(ns),
      'extack.json': await extacks(ns),
    };
    for (const [file, fixtures] of Object.entries(files)) {
      writeFileSync(`${OUT}${file}`, JSON.stringify({ ...about, fixtures }, null, 1) + '\n');
      console.log(`${file}: ${fixtures.length} messages`);
    }
  } finally {
    execFileSync('ip', ['netns', 'delete', ns]);
  }
}

await main();
