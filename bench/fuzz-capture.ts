// Captures the golden messages the fuzz test mutates (test/fixtures/fuzz/golden.json): every
// rtnetlink dump of a throwaway namespace with one of everything, generic netlink controller
// replies (families, policies), and nfnetlink messages (conntrack entries, expectations and
// statistics, their events, queued and logged packets). Run as root after a build:
//
//   node dist/bench/fuzz-capture.js              # everything
//   node dist/bench/fuzz-capture.js netfilter    # only the nfnetlink section, the rest kept
//
// The fixture is committed so that a seed reproduces the same run on any machine, root or not.
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { beginGenl, CTRL_CMD_GETFAMILY, CTRL_CMD_GETPOLICY, GENL_ID_CTRL } from '../src/genl/index.js';
import {
  RTM, openRoute,
  addressCodec, linkCodec, neighCodec, netconfCodec, nexthopCodec, routeCodec, ruleCodec,
} from '../src/route/index.js';
import {
  IPCTNL_MSG, IPCTNL_MSG_EXP, NFNLGRP, NFNL_SUBSYS, NFQNL_CFG_CMD, NFQNL_COPY, NFQNL_MSG, NFULNL_CFG_CMD, NFULNL_COPY, NFULNL_MSG,
  createConntrack, createExpect, ctaCodec, ctaExpectCodec, ctaStatsCodec, ctaStatsExpCodec, ctaStatsGlobalCodec, nfnlType,
  nfqaCfgCodec, nfqaCodec, nfulaCfgCodec, openNetfilter,
} from '../src/netfilter/index.js';
import { NetlinkSocket, Subscription } from '../src/socket/index.js';
import { MessageWriter, NLM_F_ACK, NLM_F_DUMP, NLM_F_REQUEST, type MessageReader, type NetlinkMessage } from '../src/wire/index.js';
import { withNetns } from '../test/helpers/netns.js';
import { populate } from '../test/helpers/populate.js';

/** One captured message: its header's type and flags, and its payload in hex. */
interface Golden {
  type: number;
  flags: number;
  payload: string;
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

/** Runs `cmd ARGS…` in `ns`. */
const inNs = (ns: string, cmd: string, args: string[]) => execFileSync('ip', ['netns', 'exec', ns, cmd, ...args], { stdio: 'ignore' });
/** A notification as a Golden (the reader points into a datagram that is reused). */
const raw = (r: MessageReader): Golden => ({ type: r.type, flags: r.flags, payload: Buffer.from(r.buf.subarray(r.payloadStart, r.payloadEnd)).toString('hex') });

/** Collects `n` notifications of `sub` (or what came before `ms` passed). */
async function take(sub: Subscription<Golden>, n: number, ms: number): Promise<Golden[]> {
  const out: Golden[] = [];
  const timer = setTimeout(() => sub.close(), ms);
  try {
    for await (const g of sub) {
      if ('overrun' in g) continue;
      out.push(g);
      if (out.length >= n) break;
    }
  } catch {
    // closed by the timer
  }
  clearTimeout(timer);
  sub.close();
  return out;
}

/**
 * nfnetlink: conntrack entries (TCP with the ftp helper, UDP over IPv4 and IPv6 with a mark,
 * ICMP from a ping), an expectation, their events, the per-CPU and global statistics, and
 * packets queued by -j NFQUEUE and logged by -j NFLOG with a prefix.
 */
async function netfilterDumps(ns: string): Promise<Golden[]> {
  const o = { netns: ns };
  const out: Golden[] = [];
  inNs(ns, 'iptables', ['-t', 'mangle', '-A', 'OUTPUT', '-m', 'conntrack', '--ctstate', 'NEW']);
  inNs(ns, 'iptables', ['-A', 'OUTPUT', '-p', 'icmp', '-j', 'NFLOG', '--nflog-group', '5', '--nflog-prefix', 'fuzz']);
  inNs(ns, 'iptables', ['-A', 'OUTPUT', '-p', 'udp', '--dport', '9999', '-j', 'NFQUEUE', '--queue-num', '6', '--queue-bypass']);
  const events = new Subscription<Golden>({
    socket: openNetfilter(o), owned: true, decode: raw,
    join: (sock) => {
      for (const g of [NFNLGRP.CONNTRACK_NEW, NFNLGRP.CONNTRACK_UPDATE, NFNLGRP.CONNTRACK_DESTROY, NFNLGRP.CONNTRACK_EXP_NEW, NFNLGRP.CONNTRACK_EXP_DESTROY]) sock.join(g);
    },
  });
  const master = { src: '10.0.0.1', dst: '10.0.0.2', protocol: 6, sport: 40000, dport: 21 };
  await createConntrack({ orig: master, timeout: 300, tcpState: 'ESTABLISHED', helper: 'ftp', mark: 3 }, o);
  await createConntrack({ orig: { src: '10.0.0.3', dst: '10.0.0.4', protocol: 17, sport: 53, dport: 5353 }, timeout: 300, mark: 7, status: 4 | 2 | 8 }, o);
  await createConntrack({ orig: { src: 'fd00::1', dst: 'fd00::2', protocol: 17, sport: 53, dport: 5353 }, timeout: 300, zone: 9 }, o);
  await createExpect({ master, tuple: { src: '10.0.0.2', dst: '10.0.0.1', protocol: 6, sport: 0, dport: 50000 }, timeout: 200 }, o);

  // Queued and logged packets: bind queue 6 and log group 5, then send what the rules catch.
  const qsock = openNetfilter(o);
  const queued = new Subscription<Golden>({ socket: qsock, owned: false, decode: raw, join: () => {} });
  const qtype = nfnlType(NFNL_SUBSYS.QUEUE, NFQNL_MSG.CONFIG);
  await qsock.request(nfqaCfgCodec.encode(qtype, NLM_F_ACK, { family: 0, version: 0, res_id: 6, cmd: { command: NFQNL_CFG_CMD.BIND, pf: 0 } } as never), { headerSize: 4 });
  await qsock.request(nfqaCfgCodec.encode(qtype, NLM_F_ACK, { family: 0, version: 0, res_id: 6, params: { copy_range: 0xffff, copy_mode: NFQNL_COPY.PACKET, $len: 5 } } as never), { headerSize: 4 });
  await qsock.request(nfqaCfgCodec.encode(qtype, NLM_F_ACK, { family: 0, version: 0, res_id: 6, mask: 0x09, flags: 0x09 } as never), { headerSize: 4 }); // fail-open, uid-gid (conntrack needs NETFILTER_NETLINK_GLUE_CT)
  const lsock = openNetfilter(o);
  const logged = new Subscription<Golden>({ socket: lsock, owned: true, decode: raw, join: () => {} });
  const ltype = nfnlType(NFNL_SUBSYS.ULOG, NFULNL_MSG.CONFIG);
  await lsock.request(nfulaCfgCodec.encode(ltype, NLM_F_ACK, { family: 0, version: 0, res_id: 5, cmd: { command: NFULNL_CFG_CMD.BIND } } as never), { headerSize: 4 });
  await lsock.request(nfulaCfgCodec.encode(ltype, NLM_F_ACK, { family: 0, version: 0, res_id: 5, mode: { copy_range: 0xffff, copy_mode: NFULNL_COPY.PACKET } } as never), { headerSize: 4 });
  await lsock.request(nfulaCfgCodec.encode(ltype, NLM_F_ACK, { family: 0, version: 0, res_id: 5, qthresh: 1 } as never), { headerSize: 4 });
  await lsock.request(nfulaCfgCodec.encode(ltype, NLM_F_ACK, { family: 0, version: 0, res_id: 5, flags: 3 } as never), { headerSize: 4 }); // seq, seq-global
  inNs(ns, 'ping', ['-c', '2', '-i', '0.2', '127.0.0.1']);
  inNs(ns, 'bash', ['-c', 'for i in 1 2 3; do printf x > /dev/udp/127.0.0.1/9999; done']);
  const packets = await take(queued, 3, 3000);
  for (const p of packets) {
    const id = nfqaCodec.decodePayload(Buffer.from(p.payload, 'hex')) as { packet_hdr?: { packet_id: number } };
    qsock.send(nfqaCodec.encode(nfnlType(NFNL_SUBSYS.QUEUE, NFQNL_MSG.VERDICT), NLM_F_REQUEST, {
      family: 0, version: 0, res_id: 6, verdict_hdr: { verdict: 1, id: id.packet_hdr?.packet_id ?? 0 },
    } as never));
  }
  qsock.close();
  out.push(...packets, ...await take(logged, 4, 2000));

  const sock = openNetfilter(o);
  try {
    const dump = async (codec: { encode(type: number, flags: number, o: never): Uint8Array }, subsys: number, msg: number) => {
      for (const m of await sock.dump(codec.encode(nfnlType(subsys, msg), 0, { family: 0, version: 0, res_id: 0 } as never)).toArray()) out.push(hex(m));
    };
    await dump(ctaCodec, NFNL_SUBSYS.CTNETLINK, IPCTNL_MSG.CT_GET);
    await dump(ctaExpectCodec, NFNL_SUBSYS.CTNETLINK_EXP, IPCTNL_MSG_EXP.GET);
    await dump(ctaStatsCodec, NFNL_SUBSYS.CTNETLINK, IPCTNL_MSG.CT_GET_STATS_CPU);
    await dump(ctaStatsExpCodec, NFNL_SUBSYS.CTNETLINK_EXP, IPCTNL_MSG_EXP.GET_STATS_CPU);
    const r = await sock.request(ctaStatsGlobalCodec.encode(nfnlType(NFNL_SUBSYS.CTNETLINK, IPCTNL_MSG.CT_GET_STATS), NLM_F_ACK, { family: 0, version: 0, res_id: 0 } as never), { headerSize: 4 });
    for (const m of r.messages) out.push(hex(m));
  } finally {
    sock.close();
  }
  inNs(ns, 'conntrack', ['-D', '-p', 'udp', '--sport', '53']);
  out.push(...await take(events, 40, 1000));
  return out;
}

const file = path.join(path.dirname(new URL(import.meta.url).pathname), '..', '..', 'test', 'fixtures', 'fuzz', 'golden.json');
const onlyNetfilter = process.argv.includes('netfilter');
const golden = await withNetns(async (ns) => {
  if (onlyNetfilter) return { netfilter: await netfilterDumps(ns) };
  await populate(ns);
  return { route: await routeDumps(ns), genl: await genlDumps(ns), netfilter: await withNetns(netfilterDumps) };
});
const previous = onlyNetfilter ? JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown> : {};
const captured = onlyNetfilter ? previous.captured : `Linux ${process.version} kernel ${(await import('node:os')).release()}`;
writeFileSync(file, JSON.stringify({ ...previous, captured, ...golden }, null, 1) + '\n');
const count = (k: string) => ((golden as Record<string, unknown[]>)[k] ?? (previous[k] as unknown[] | undefined) ?? []).length;
console.log(`${file}: ${count('route')} rtnetlink, ${count('genl')} generic netlink and ${count('netfilter')} nfnetlink messages`);
