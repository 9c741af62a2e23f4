// A link as `ip link` / `ip address` print it (ipaddress.c's print_linkinfo and the per-kind
// print_opt of veth, bridge, bridge_slave, vxlan, macvlan, tun): text in ip's layout, JSON
// with ip -j's keys and order, -d details and -s statistics included.
import type { Link } from '../../route/codecs.js';
import { AF, IFF, IFLA_EVENT } from '../../route/constants.js';
import { linkFlags, linkType } from '../../route/enums.js';
import { pick } from '../../route/words.js';
import { enumNum, flagsNum, printHeader, type PrintContext } from './common.js';
import { groups, isIp4Tunnel, linkTypeText } from './names.js';
import { Color, RawJson, type Output } from './output.js';

/** How ip reached print_linkinfo: `ip link` (do_link) shows more than `ip addr`. */
export interface LinkPrintMode {
  /** `ip link …` (mode, addrgenmode, alias, stats); false for `ip addr`. */
  doLink: boolean;
  /** Print "qlen N" (ip link/addr show; not monitor). */
  showQueue: boolean;
  /** -0/-4/-6: the link/ether line is printed only for unspecified or link family (or -d). */
  family: 0 | 4 | 6 | 17;
}

const { UP: IFF_UP, RUNNING: IFF_RUNNING, POINTOPOINT: IFF_POINTOPOINT } = IFF;

/** ip's flag names in its print order: the link flag enum's, RUNNING aside (ip prints NO-CARRIER). */
const FLAG_ORDER: [number, string][] = Object.entries(linkFlags.bits)
  .filter(([name]) => name !== 'RUNNING')
  .map(([name, bit]) => [bit, name]);

/** IFLA_EVENT_* as ip prints them. */
const LINK_EVENTS: Record<number, string> = Object.fromEntries(Object.entries(pick(IFLA_EVENT, {
  NONE: 'NONE', REBOOT: 'REBOOT', FEATURES: 'FEATURE CHANGE', BONDING_FAILOVER: 'BONDING FAILOVER',
  NOTIFY_PEERS: 'NOTIFY PEERS', IGMP_RESEND: 'RESEND IGMP', BONDING_OPTIONS: 'BONDING OPTION',
})).map(([word, v]) => [v, word]));

/** print_link_flags: `<A,B,C> ` in text, the "flags" array in JSON. */
export function printLinkFlags(o: Output, flags: number, mdown: boolean): void {
  let f = flags >>> 0;
  const names: string[] = [];
  if (f & IFF_UP && !(f & IFF_RUNNING)) names.push('NO-CARRIER');
  f &= ~IFF_RUNNING;
  for (const [bit, name] of FLAG_ORDER) {
    if (f & bit) {
      f &= ~bit;
      names.push(name);
    }
  }
  if (f) names.push(f.toString(16));
  if (mdown) names.push('M-DOWN');
  if (o.json) {
    o.openArray('flags');
    for (const n of names) o.item(n);
    o.closeArray();
  } else {
    o.fp(`<${names.join(',')}> `);
  }
}

/** ARPHRD number of a decoded link type. */
export function linkTypeNum(l: Link): number {
  return enumNum(linkType, l.type as string | number | undefined);
}

/** The IFF_* bits of a decoded link. */
export function linkFlagsNum(l: Link): number {
  return flagsNum(linkFlags, l.flags as (string | number)[] | undefined);
}

function bytesOfMac(s: string): Uint8Array {
  return Uint8Array.from(s.split(':').map((x) => parseInt(x, 16)));
}

/** ll_addr_n2a for a decoded MAC string and decoded link type. */
function llText(addr: string, type: string | number | undefined): string {
  if (isIp4Tunnel(type)) {
    const b = bytesOfMac(addr);
    if (b.length === 4) return `${b[0]}.${b[1]}.${b[2]}.${b[3]}`;
  }
  return addr;
}

function operstateName(v: string | number | undefined): string | number {
  return v ?? 'UNKNOWN';
}

const USER_HZ = 100;

function timer(o: Output, name: string, v: number | bigint | undefined): void {
  if (v === undefined) return;
  const j = Number(v);
  const sec = Math.trunc(j / USER_HZ);
  const cs = Math.trunc(((j % USER_HZ) * 1000000) / USER_HZ / 10000);
  const txt = `${sec}.${String(cs).padStart(2, '0')}`;
  o.field(name, new RawJson(txt), `${name} ${txt.padStart(7, ' ')} `);
}

function onOff(o: Output, key: string, label: string, v: number | undefined): void {
  if (v === undefined) return;
  o.field(key, v !== 0, `${label} ${v ? 'on' : 'off'} `);
}

function hex(v: number): string {
  return v ? `0x${v.toString(16)}` : '0';
}

function bridgeIdText(id: { prio: number; addr: string } | undefined): string | undefined {
  if (!id) return undefined;
  const p = id.prio >>> 0;
  // ether_ntoa_r: hex bytes without zero padding ("2:11:a:…").
  const mac = id.addr.split(':').map((b) => parseInt(b, 16).toString(16)).join(':');
  return `${((p >> 8) & 0xff).toString(16).padStart(2, '0')}${(p & 0xff).toString(16).padStart(2, '0')}.${mac}`;
}

type Data = Record<string, unknown>;
const num = (d: Data, k: string): number | undefined => (d[k] === undefined ? undefined : Number(d[k]));

function printBridge(o: Output, d: Data): void {
  const u = (key: string, label = key) => {
    const v = num(d, key);
    if (v !== undefined) o.field(key, v, `${label} ${v} `);
  };
  u('forward_delay'); u('hello_time'); u('max_age'); u('ageing_time'); u('stp_state'); u('priority'); u('vlan_filtering');
  if (d.vlan_protocol !== undefined) o.field('vlan_protocol', String(d.vlan_protocol), `vlan_protocol ${String(d.vlan_protocol)} `);
  const bid = bridgeIdText(d.bridge_id as { prio: number; addr: string } | undefined);
  if (bid !== undefined) o.field('bridge_id', bid, `bridge_id ${bid} `);
  // ip 6.1 prints the bridge id again as the root id (it reads IFLA_BR_BRIDGE_ID there).
  if (d.root_id !== undefined && bid !== undefined) o.field('root_id', bid, `designated_root ${bid} `);
  u('root_port'); u('root_path_cost'); u('topology_change'); u('topology_change_detected');
  timer(o, 'hello_timer', d.hello_timer as number | undefined);
  timer(o, 'tcn_timer', d.tcn_timer as number | undefined);
  timer(o, 'topology_change_timer', d.topology_change_timer as number | undefined);
  timer(o, 'gc_timer', d.gc_timer as number | undefined);
  u('vlan_default_pvid'); u('vlan_stats_enabled'); u('vlan_stats_per_port');
  const gfm = num(d, 'group_fwd_mask');
  if (gfm !== undefined) o.field('group_fwd_mask', hex(gfm), `group_fwd_mask ${hex(gfm)} `);
  if (d.group_addr !== undefined) o.field('group_addr', String(d.group_addr), `group_address ${String(d.group_addr)} `);
  u('mcast_snooping');
  const bo = d.multi_boolopt as { optval: number; optmask: number } | undefined;
  if (bo) {
    const noLl = 1 << 0, mcvl = 1 << 1;
    if (bo.optmask & noLl) o.field('no_linklocal_learn', bo.optval & noLl ? 1 : 0, `no_linklocal_learn ${bo.optval & noLl ? 1 : 0} `);
    if (bo.optmask & mcvl) o.field('mcast_vlan_snooping', bo.optval & mcvl ? 1 : 0, `mcast_vlan_snooping ${bo.optval & mcvl ? 1 : 0} `);
  }
  u('mcast_router'); u('mcast_query_use_ifaddr'); u('mcast_querier'); u('mcast_hash_elasticity'); u('mcast_hash_max');
  u('mcast_last_member_cnt', 'mcast_last_member_count'); u('mcast_startup_query_cnt', 'mcast_startup_query_count');
  u('mcast_last_member_intvl', 'mcast_last_member_interval'); u('mcast_membership_intvl', 'mcast_membership_interval');
  u('mcast_querier_intvl', 'mcast_querier_interval'); u('mcast_query_intvl', 'mcast_query_interval');
  u('mcast_query_response_intvl', 'mcast_query_response_interval');
  u('mcast_startup_query_intvl', 'mcast_startup_query_interval');
  u('mcast_stats_enabled'); u('mcast_igmp_version'); u('mcast_mld_version');
  u('nf_call_iptables'); u('nf_call_ip6tables'); u('nf_call_arptables');
}

const FWD_MASK_NAMES: Record<number, string> = { 0: 'stp', 2: 'lacp', 14: 'lldp' };

function printBridgeSlave(o: Output, ctx: PrintContext, d: Data): void {
  if (d.state !== undefined) {
    const s = typeof d.state === 'number' ? String(d.state) : String(d.state);
    o.field('state', s, `state ${s} `);
  }
  const i = (key: string, label = key) => {
    const v = num(d, key);
    if (v !== undefined) o.field(key, v, `${label} ${v} `);
  };
  i('priority'); i('cost');
  onOff(o, 'hairpin', 'hairpin', num(d, 'mode'));
  onOff(o, 'guard', 'guard', num(d, 'guard'));
  onOff(o, 'root_block', 'root_block', num(d, 'protect'));
  onOff(o, 'fastleave', 'fastleave', num(d, 'fast_leave'));
  onOff(o, 'learning', 'learning', num(d, 'learning'));
  onOff(o, 'flood', 'flood', num(d, 'unicast_flood'));
  const id = num(d, 'id');
  if (id !== undefined) o.field('id', hex(id), `port_id ${hex(id)} `);
  const no = num(d, 'no');
  if (no !== undefined) o.field('no', hex(no), `port_no ${hex(no)} `);
  i('designated_port'); i('designated_cost');
  const bid = bridgeIdText(d.bridge_id as { prio: number; addr: string } | undefined);
  if (bid !== undefined) o.field('bridge_id', bid, `designated_bridge ${bid} `);
  const rid = bridgeIdText(d.root_id as { prio: number; addr: string } | undefined);
  if (rid !== undefined) o.field('root_id', rid, `designated_root ${rid} `);
  timer(o, 'hold_timer', d.hold_timer as number | undefined);
  timer(o, 'message_age_timer', d.message_age_timer as number | undefined);
  timer(o, 'forward_delay_timer', d.forward_delay_timer as number | undefined);
  i('topology_change_ack'); i('config_pending');
  onOff(o, 'proxy_arp', 'proxy_arp', num(d, 'proxyarp'));
  onOff(o, 'proxy_arp_wifi', 'proxy_arp_wifi', num(d, 'proxyarp_wifi'));
  i('multicast_router', 'mcast_router');
  if (d.fast_leave !== undefined) o.fp(`mcast_fast_leave ${num(d, 'fast_leave') ? 'on' : 'off'} `);
  onOff(o, 'mcast_flood', 'mcast_flood', num(d, 'mcast_flood'));
  onOff(o, 'bcast_flood', 'bcast_flood', num(d, 'bcast_flood'));
  onOff(o, 'mcast_to_unicast', 'mcast_to_unicast', num(d, 'mcast_to_ucast'));
  onOff(o, 'neigh_suppress', 'neigh_suppress', num(d, 'neigh_suppress'));
  const gfm = num(d, 'group_fwd_mask');
  if (gfm !== undefined) {
    o.field('group_fwd_mask', hex(gfm), `group_fwd_mask ${hex(gfm)} `);
    const parts: string[] = [];
    for (let b = 0; b < 16; b++) if (gfm & (1 << b)) parts.push(FWD_MASK_NAMES[b] ?? `0x${(1 << b).toString(16)}`);
    const s = parts.length ? parts.join(',') : '0x0';
    o.field('group_fwd_mask_str', s, `group_fwd_mask_str ${s} `);
  }
  onOff(o, 'vlan_tunnel', 'vlan_tunnel', num(d, 'vlan_tunnel'));
  onOff(o, 'isolated', 'isolated', num(d, 'isolated'));
  if (d.backup_port !== undefined) {
    const n = ctx.names.name(Number(d.backup_port));
    o.field('backup_port', n, `backup_port ${n} `);
  }
  onOff(o, 'locked', 'locked', num(d, 'locked'));
}

function isMulticast4(a: string): boolean {
  const first = Number(a.split('.')[0]);
  return first >= 224 && first <= 239;
}

function printVxlan(o: Output, ctx: PrintContext, d: Data): void {
  if (num(d, 'collect_metadata')) o.field('external', true, 'external ');
  if (num(d, 'vnifilter')) o.field('vnifilter', true, 'vnifilter ');
  const id = num(d, 'id');
  if (id !== undefined) o.field('id', id, `id ${id} `);
  const group = d.group as string | undefined;
  const group6 = d.group6 as string | undefined;
  if (group !== undefined) {
    if (group !== '0.0.0.0') {
      if (isMulticast4(group)) o.field('group', group, `group ${group} `);
      else o.field('remote', group, `remote ${group} `);
    }
  } else if (group6 !== undefined && group6 !== '::') {
    if (group6.toLowerCase().startsWith('ff')) o.field('group6', group6, `group ${group6} `);
    else o.field('remote6', group6, `remote ${group6} `);
  }
  const local = d.local as string | undefined;
  const local6 = d.local6 as string | undefined;
  if (local !== undefined) {
    if (local !== '0.0.0.0') o.field('local', local, `local ${local} `);
  } else if (local6 !== undefined && local6 !== '::') {
    o.field('local6', local6, `local ${local6} `);
  }
  const link = num(d, 'link');
  if (link) {
    const n = ctx.names.name(link);
    o.field('link', n, `dev ${n} `);
  }
  const pr = d.port_range as { low: number; high: number } | undefined;
  if (pr) {
    if (o.json) {
      o.openObject('port_range');
      o.jfield('low', pr.low);
      o.jfield('high', pr.high);
      o.closeObject();
    } else o.fp(`srcport ${pr.low} ${pr.high} `);
  }
  const port = num(d, 'port');
  if (port !== undefined) o.field('port', port, `dstport ${port} `);
  const learning = num(d, 'learning');
  if (learning !== undefined) {
    o.jfield('learning', learning !== 0);
    if (!learning) o.fp('nolearning ');
  }
  if (num(d, 'proxy')) o.field('proxy', true, 'proxy ');
  if (num(d, 'rsc')) o.field('rsc', true, 'rsc ');
  if (num(d, 'l2miss')) o.field('l2miss', true, 'l2miss ');
  if (num(d, 'l3miss')) o.field('l3miss', true, 'l3miss ');
  const tos = num(d, 'tos') ?? 0;
  if (tos) {
    if (o.json || tos !== 1) o.field('tos', `0x${tos.toString(16)}`, `tos 0x${tos.toString(16)} `);
    else o.fp('tos inherit ');
  }
  if (d.ttl_inherit) o.field('ttl', 'inherit', 'ttl inherit ');
  else {
    const ttl = num(d, 'ttl') ?? 0;
    if (o.json || ttl) o.field('ttl', ttl, `ttl ${ttl} `);
    else o.fp('ttl auto ');
  }
  if (d.df !== undefined) {
    const df = String(d.df);
    if (df === 'unset') o.jfield('df', 'unset');
    else o.field('df', df, `df ${df} `);
  }
  const label = num(d, 'label');
  if (label) o.field('label', `0x${label.toString(16)}`, `flowlabel 0x${label.toString(16)} `);
  const age = num(d, 'ageing');
  if (age !== undefined) o.field('ageing', age, age === 0 ? 'ageing none ' : `ageing ${age} `);
  const limit = num(d, 'limit');
  if (limit) o.field('limit', limit, `maxaddr ${limit} `);
  const csum = (key: string, word: string) => {
    const v = num(d, key);
    if (v === undefined) return;
    if (o.json) o.jfield(key, v !== 0);
    else o.fp(`${v ? '' : 'no'}${word} `);
  };
  csum('udp_csum', 'udpcsum');
  csum('udp_zero_csum6_tx', 'udp6zerocsumtx');
  csum('udp_zero_csum6_rx', 'udp6zerocsumrx');
  if (num(d, 'remcsum_tx')) o.field('remcsum_tx', true, 'remcsumtx ');
  if (num(d, 'remcsum_rx')) o.field('remcsum_rx', true, 'remcsumrx ');
  if (d.gbp) o.field('gbp', true, 'gbp ');
  if (d.gpe) o.field('gpe', true, 'gpe ');
}

function printMacvlan(o: Output, d: Data): void {
  if (d.mode !== undefined) {
    const m = String(d.mode);
    o.field('mode', m, `mode ${m} `);
  }
  const flags = d.flags as (string | number)[] | undefined;
  if (flags && flags.includes('nopromisc')) o.field('nopromisc', true, 'nopromisc ');
  if (flags && flags.includes('nodst')) o.field('nodst', true, 'nodst ');
  const count = num(d, 'macaddr_count');
  if (count !== undefined && d.mode === 'source') {
    o.field('macaddr_count', count, `remotes (${count}) `);
    const list = (d.macaddr_data as { macaddr?: string[] } | undefined)?.macaddr ?? [];
    o.openArray('macaddr_data');
    for (const m of list) o.item(m, `${m} `);
    o.closeArray();
  }
  const bql = num(d, 'bc_queue_len');
  if (bql !== undefined) o.field('bcqueuelen', bql, `bcqueuelen ${bql} `);
  const used = num(d, 'bc_queue_len_used');
  if (used !== undefined && used !== bql) o.field('usedbcqueuelen', used, `usedbcqueuelen ${used} `);
  else if (used !== undefined) o.field('usedbcqueuelen', used, `usedbcqueuelen ${used} `);
}

function printTun(o: Output, d: Data): void {
  const t = num(d, 'type');
  if (t !== undefined) {
    const s = t === 1 ? 'tun' : t === 2 ? 'tap' : 'UNKNOWN';
    o.field('type', s, `type ${s} `);
  }
  onOff(o, 'pi', 'pi', num(d, 'pi'));
  onOff(o, 'vnet_hdr', 'vnet_hdr', num(d, 'vnet_hdr'));
  const mq = num(d, 'multi_queue');
  if (mq !== undefined) {
    o.jfield('multi_queue', mq !== 0);
    if (mq) {
      o.fp('multi_queue ');
      const q = num(d, 'num_queues');
      if (q !== undefined) o.field('numqueues', q, `numqueues ${q} `);
      const dq = num(d, 'num_disabled_queues');
      if (dq !== undefined) o.field('numdisabled', dq, `numdisabled ${dq} `);
    }
  }
  onOff(o, 'persist', 'persist', num(d, 'persist'));
  const owner = num(d, 'owner');
  if (owner !== undefined && owner !== 0xffffffff) o.field('user', owner, `user ${owner} `);
  const group = num(d, 'group');
  if (group !== undefined && group !== 0xffffffff) o.field('group', group, `group ${group} `);
}

function printVlan(o: Output, d: Data): void {
  if (d.protocol !== undefined) o.field('protocol', String(d.protocol), `protocol ${String(d.protocol)} `);
  const id = num(d, 'id');
  if (id !== undefined) o.field('id', id, `id ${id} `);
}

/** print_linktype: the "linkinfo" object with info_kind/info_data and the slave kind. */
function printLinkinfo(o: Output, ctx: PrintContext, li: NonNullable<Link['linkinfo']>): void {
  o.openObject('linkinfo');
  const kind = li.kind as string | undefined;
  if (kind !== undefined) {
    o.fp(o.sl);
    o.field('info_kind', kind, `    ${kind} `);
    const data = li.data && !(li.data instanceof Uint8Array) ? (li.data as Data) : undefined;
    const printer = KIND_PRINTERS[kind];
    if (printer) {
      o.openObject('info_data');
      if (data) printer(o, ctx, data);
      o.closeObject();
    }
  }
  const skind = li.slave_kind as string | undefined;
  if (skind !== undefined) {
    o.fp(o.sl);
    o.field('info_slave_kind', skind, `    ${skind}_slave `);
    if (skind === 'bridge') {
      o.openObject('info_slave_data');
      const sd = li.slave_data;
      if (sd && !(sd instanceof Uint8Array)) printBridgeSlave(o, ctx, sd as Data);
      o.closeObject();
    }
  }
  o.closeObject();
}

/** Kinds ip 6.1 has a print_opt for (an empty info_data object is printed for those). */
const KIND_PRINTERS: Record<string, (o: Output, ctx: PrintContext, d: Data) => void> = {
  bridge: (o, _c, d) => printBridge(o, d),
  vxlan: (o, c, d) => printVxlan(o, c, d),
  macvlan: (o, _c, d) => printMacvlan(o, d),
  macvtap: (o, _c, d) => printMacvlan(o, d),
  tun: (o, _c, d) => printTun(o, d),
  vlan: (o, _c, d) => printVlan(o, d),
};

const ADDR_GEN: Record<string, string> = { eui64: 'eui64', none: 'none', stable_secret: 'stable_secret', random: 'random' };

type Stats = Record<string, number | bigint>;

/** size_columns: widths grow to fit values, computed as ip does (its digit count of 10^k is k). */
function sizeColumns(cols: number[], vals: (number | bigint)[], human = false): void {
  if (human) return;
  for (let i = 0; i < vals.length; i++) {
    const v = BigInt(vals[i]!);
    let len = 1;
    for (let p = 10n; p < v; p *= 10n) len++;
    if (len > cols[i]!) cols[i] = len;
  }
}

const rpad = (n: number, s: string) => s.padStart(n, ' ');

/** ip's print_num under -h: 1.23k, 45.6M (powers of 1000, or of 1024 with "Ki" under -iec). */
export function humanNum(v: number | bigint, iec: boolean): string {
  const count = BigInt(v);
  const base = iec ? 1024n : 1000n;
  if (count < base) return String(count);
  const prefixes = 'kMGTPE';
  let p = 0;
  let powi = 1n;
  for (;;) {
    powi *= base;
    if (count / base < powi) break;
    if (p + 1 >= prefixes.length) break;
    p++;
  }
  let precision = 2;
  let powj = 1n;
  for (; precision > 0; precision--) {
    powj *= 10n;
    if (count / powi < powj) break;
  }
  return `${(Number(count) / Number(powi)).toFixed(precision)}${prefixes[p]}${iec ? 'i' : ''}`;
}

/** print_stats64 (text and JSON): `ip -s link` and `ip stats show group link`. */
export function printStats(o: Output, ctx: PrintContext, s: Stats, carrierChanges: number | undefined, key: string): void {
  const g = (k: string) => s[k] ?? 0;
  const nz = (k: string) => BigInt(g(k)) !== 0n;
  const n = (k: string) => (typeof g(k) === 'bigint' ? (g(k) as bigint) : Number(g(k)));
  if (o.json) {
    o.openObject(key);
    o.openObject('rx');
    o.jfield('bytes', n('rx_bytes'));
    o.jfield('packets', n('rx_packets'));
    o.jfield('errors', n('rx_errors'));
    o.jfield('dropped', n('rx_dropped'));
    o.jfield('over_errors', n('rx_over_errors'));
    o.jfield('multicast', n('multicast'));
    if (nz('rx_compressed')) o.jfield('compressed', n('rx_compressed'));
    if (ctx.stats > 1) {
      o.jfield('length_errors', n('rx_length_errors'));
      o.jfield('crc_errors', n('rx_crc_errors'));
      o.jfield('frame_errors', n('rx_frame_errors'));
      o.jfield('fifo_errors', n('rx_fifo_errors'));
      o.jfield('missed_errors', n('rx_missed_errors'));
      if (nz('rx_nohandler')) o.jfield('nohandler', n('rx_nohandler'));
      if (nz('rx_otherhost_dropped')) o.jfield('otherhost', n('rx_otherhost_dropped'));
    }
    o.closeObject();
    o.openObject('tx');
    o.jfield('bytes', n('tx_bytes'));
    o.jfield('packets', n('tx_packets'));
    o.jfield('errors', n('tx_errors'));
    o.jfield('dropped', n('tx_dropped'));
    o.jfield('carrier_errors', n('tx_carrier_errors'));
    o.jfield('collisions', n('collisions'));
    if (nz('tx_compressed')) o.jfield('compressed', n('tx_compressed'));
    if (ctx.stats > 1) {
      o.jfield('aborted_errors', n('tx_aborted_errors'));
      o.jfield('fifo_errors', n('tx_fifo_errors'));
      o.jfield('window_errors', n('tx_window_errors'));
      o.jfield('heartbeat_errors', n('tx_heartbeat_errors'));
      if (carrierChanges !== undefined) o.jfield('carrier_changes', carrierChanges);
    }
    o.closeObject();
    o.closeObject();
    return;
  }
  const cols = [10, 7, 6, 7, 7, 7, 10, 9];
  sizeColumns(cols, [g('rx_bytes'), g('rx_packets'), g('rx_errors'), g('rx_dropped'), g('rx_missed_errors'), g('multicast'), g('rx_compressed')], !!ctx.human);
  if (ctx.stats > 1) {
    sizeColumns(cols, [0, g('rx_length_errors'), g('rx_crc_errors'), g('rx_frame_errors'), g('rx_fifo_errors'), g('rx_over_errors'), g('rx_nohandler'), g('rx_otherhost_dropped')], !!ctx.human);
  }
  sizeColumns(cols, [g('tx_bytes'), g('tx_packets'), g('tx_errors'), g('tx_dropped'), g('tx_carrier_errors'), g('collisions'), g('tx_compressed')], !!ctx.human);
  if (ctx.stats > 1) {
    sizeColumns(cols, [0, 0, g('tx_aborted_errors'), g('tx_fifo_errors'), g('tx_window_errors'), g('tx_heartbeat_errors'), carrierChanges ?? 0], !!ctx.human);
  }
  const c = cols;
  const num = (w: number, v: number | bigint) => `${rpad(w, ctx.human ? humanNum(v, ctx.iec === true) : String(v))} `;
  const sl = o.sl;
  let t = `    RX: ${rpad(c[0]! - 4, 'bytes')} ${rpad(c[1]!, 'packets')} ${rpad(c[2]!, 'errors')} ${rpad(c[3]!, 'dropped')} ${rpad(c[4]!, 'missed')} ${rpad(c[5]!, 'mcast')} ${rpad(c[6]!, nz('rx_compressed') ? 'compressed' : '')}${sl}`;
  t += `    ${num(c[0]!, g('rx_bytes'))}${num(c[1]!, g('rx_packets'))}${num(c[2]!, g('rx_errors'))}${num(c[3]!, g('rx_dropped'))}${num(c[4]!, g('rx_missed_errors'))}${num(c[5]!, g('multicast'))}`;
  if (nz('rx_compressed')) t += num(c[6]!, g('rx_compressed'));
  if (ctx.stats > 1) {
    t += sl;
    t += `    RX errors:${rpad(c[0]! - 10, '')} ${rpad(c[1]!, 'length')} ${rpad(c[2]!, 'crc')} ${rpad(c[3]!, 'frame')} ${rpad(c[4]!, 'fifo')} ${rpad(c[5]!, 'overrun')}`;
    t += nz('rx_nohandler') ? rpad(c[6]! + 1, ' nohandler') : '';
    t += nz('rx_otherhost_dropped') ? rpad(c[7]! + 1, ' otherhost') : '';
    t += sl;
    t += `${rpad(c[0]! + 5, '')}${num(c[1]!, g('rx_length_errors'))}${num(c[2]!, g('rx_crc_errors'))}${num(c[3]!, g('rx_frame_errors'))}${num(c[4]!, g('rx_fifo_errors'))}${num(c[5]!, g('rx_over_errors'))}`;
    if (nz('rx_nohandler')) t += num(c[6]!, g('rx_nohandler'));
    if (nz('rx_otherhost_dropped')) t += num(c[7]!, g('rx_otherhost_dropped'));
  }
  t += sl;
  t += `    TX: ${rpad(c[0]! - 4, 'bytes')} ${rpad(c[1]!, 'packets')} ${rpad(c[2]!, 'errors')} ${rpad(c[3]!, 'dropped')} ${rpad(c[4]!, 'carrier')} ${rpad(c[5]!, 'collsns')} ${rpad(c[6]!, nz('tx_compressed') ? 'compressed' : '')}${sl}`;
  t += `    ${num(c[0]!, g('tx_bytes'))}${num(c[1]!, g('tx_packets'))}${num(c[2]!, g('tx_errors'))}${num(c[3]!, g('tx_dropped'))}${num(c[4]!, g('tx_carrier_errors'))}${num(c[5]!, g('collisions'))}`;
  if (nz('tx_compressed')) t += num(c[6]!, g('tx_compressed'));
  if (ctx.stats > 1) {
    t += sl;
    t += `    TX errors:${rpad(c[0]! - 10, '')} ${rpad(c[1]!, 'aborted')} ${rpad(c[2]!, 'fifo')} ${rpad(c[3]!, 'window')} ${rpad(c[4]!, 'heartbt')} ${rpad(c[5]!, carrierChanges !== undefined ? 'transns' : '')}${sl}`;
    t += `${rpad(c[0]! + 5, '')}${num(c[1]!, g('tx_aborted_errors'))}${num(c[2]!, g('tx_fifo_errors'))}${num(c[3]!, g('tx_window_errors'))}${num(c[4]!, g('tx_heartbeat_errors'))}`;
    if (carrierChanges !== undefined) t += num(c[5]!, carrierChanges);
  }
  o.fp(t);
}

/** print_link_stats: a link's counters alone, then a newline (`ip -s address` prints them after the addresses). */
export function printLinkStats(o: Output, ctx: PrintContext, l: Link): void {
  const s = (l.stats64 ?? l.stats) as Stats | undefined;
  if (!s) return;
  printStats(o, ctx, s, l.carrier_changes, l.stats64 ? 'stats64' : 'stats');
  o.fp('\n');
}

/** True when the link passes `ip link show`'s own filters (up, master, type, group). */
export interface LinkShowFilter {
  up?: boolean;
  master?: number;
  nomaster?: boolean;
  kind?: string;
  slaveKind?: string;
  group?: number;
}

/** Applies ip's print-time link filters. */
export function linkMatches(l: Link, f: LinkShowFilter): boolean {
  if (f.up && !(linkFlagsNum(l) & IFF_UP)) return false;
  if (f.group !== undefined && (l.group ?? 0) !== f.group) return false;
  if (f.master !== undefined && l.master !== f.master) return false;
  if (f.nomaster && l.master !== undefined && l.master !== 0) return false;
  if (f.kind !== undefined && (l.linkinfo?.kind as string | undefined) !== f.kind) return false;
  if (f.slaveKind !== undefined && (l.linkinfo?.slave_kind as string | undefined) !== f.slaveKind) return false;
  return true;
}

/**
 * print_linkinfo: one link in its own JSON object. With `closeRecord` false it writes into the
 * caller's open object (ip addr appends its addr_info array) and no text newline.
 */
export function printLink(o: Output, ctx: PrintContext, l: Link, mode: LinkPrintMode, deleted = false, closeRecord = true): void {
  const flags = linkFlagsNum(l);
  const type = l.type as string | number | undefined;
  if (closeRecord) o.openObject();
  printHeader(o, ctx, '[LINK]');
  if (deleted) o.field('deleted', true, 'Deleted ');
  o.field('ifindex', l.ifindex ?? 0, `${l.ifindex ?? 0}: `);
  const mdown = printNameAndLink(o, ctx, l, ': ');
  printLinkFlags(o, flags, mdown);
  if (l.mtu !== undefined) o.field('mtu', l.mtu, `mtu ${l.mtu} `);
  if (l.qdisc !== undefined) o.field('qdisc', l.qdisc, `qdisc ${l.qdisc} `);
  if (l.master !== undefined) {
    const m = ctx.names.name(l.master);
    o.field('master', m, `master ${m} `);
  }
  if (l.operstate !== undefined) {
    const s = operstateName(l.operstate as string | number);
    if (typeof s === 'number') {
      if (o.json) o.jfield('operstate_index', s);
      else o.fp(`state 0x${s.toString(16)} `);
    } else o.field('operstate', s, `state ${operColor(o, s, `${s} `)}`);
  }
  if (mode.doLink && l.linkmode !== undefined) {
    const m = l.linkmode as string | number;
    if (typeof m === 'number') o.field('linkmode_index', m, `mode ${m} `);
    else o.field('linkmode', m, `mode ${m} `);
  }
  if (l.group !== undefined) {
    const g = groups.n2a(l.group);
    o.field('group', g, `group ${g} `);
  }
  if (mode.showQueue && l.txqlen) o.field('txqlen', l.txqlen, `qlen ${l.txqlen}`);
  if (l.event) {
    const e = LINK_EVENTS[l.event];
    if (e) o.field('event', e, `event ${e} `);
    else o.field('event', l.event, `event ${l.event} `);
  }
  if (!mode.family || mode.family === AF.PACKET || ctx.details) {
    o.fp(o.sl);
    const tn = linkTypeText(type);
    o.field('link_type', tn, `    link/${tn} `);
    if (l.address !== undefined) {
      const a = llText(l.address, type);
      o.field('address', a, o.color(Color.MAC, a));
    }
    if (l.broadcast !== undefined) {
      if (flags & IFF_POINTOPOINT) {
        o.fp(' peer ');
        o.jfield('link_pointtopoint', true);
      } else o.fp(' brd ');
      const b = llText(l.broadcast, type);
      o.field('broadcast', b, o.color(Color.MAC, b));
    }
    if (l.perm_address !== undefined && l.perm_address !== l.address) {
      const p = llText(l.perm_address, type);
      o.field('permaddr', p, ` permaddr ${o.color(Color.MAC, p)}`);
    }
  }
  if (l.link_netnsid !== undefined) {
    if (o.json) o.jfield('link_netnsid', l.link_netnsid);
    else if (l.link_netnsid < 0) o.fp(' link-netnsid unknown');
    else {
      const name = ctx.nsNames?.get(l.link_netnsid);
      o.fp(name !== undefined ? ` link-netns ${name}` : ` link-netnsid ${l.link_netnsid}`);
    }
  }
  if (l.proto_down) o.field('proto_down', true, ' protodown on ');
  if (ctx.details) {
    if (l.promiscuity !== undefined) o.field('promiscuity', l.promiscuity, ` promiscuity ${l.promiscuity} `);
    if (l.allmulti !== undefined) o.field('allmulti', l.allmulti, ` allmulti ${l.allmulti} `);
    if (l.min_mtu !== undefined) o.field('min_mtu', l.min_mtu, `minmtu ${l.min_mtu} `);
    if (l.max_mtu !== undefined) o.field('max_mtu', l.max_mtu, `maxmtu ${l.max_mtu} `);
    if (l.linkinfo) printLinkinfo(o, ctx, l.linkinfo);
    if (mode.doLink && l.af_spec && !(l.af_spec instanceof Uint8Array)) {
      const inet6 = (l.af_spec as { inet6?: { addr_gen_mode?: string | number } }).inet6;
      const m = inet6?.addr_gen_mode;
      if (m !== undefined) {
        const s = typeof m === 'string' ? ADDR_GEN[m] ?? m : `0x${m.toString(16).padStart(2, '0')}`;
        o.field('inet6_addr_gen_mode', s, `addrgenmode ${s} `);
      }
    }
    const u = (key: keyof Link, jkey: string, label: string) => {
      const v = l[key] as number | undefined;
      if (v !== undefined) o.field(jkey, v, `${label} ${v} `);
    };
    u('num_tx_queues', 'num_tx_queues', 'numtxqueues');
    u('num_rx_queues', 'num_rx_queues', 'numrxqueues');
    u('gso_max_size', 'gso_max_size', 'gso_max_size');
    u('gso_max_segs', 'gso_max_segs', 'gso_max_segs');
    u('tso_max_size', 'tso_max_size', 'tso_max_size');
    u('tso_max_segs', 'tso_max_segs', 'tso_max_segs');
    u('gro_max_size', 'gro_max_size', 'gro_max_size');
    if (l.phys_port_name !== undefined) o.field('phys_port_name', l.phys_port_name, `portname ${l.phys_port_name} `);
    if (l.phys_port_id !== undefined) {
      const h = Buffer.from(l.phys_port_id).toString('hex');
      o.field('phys_port_id', h, `portid ${h} `);
    }
    if (l.phys_switch_id !== undefined) {
      const h = Buffer.from(l.phys_switch_id).toString('hex');
      o.field('phys_switch_id', h, `switchid ${h} `);
    }
    if (l.parent_dev_bus_name !== undefined) o.field('parentbus', l.parent_dev_bus_name, `parentbus ${l.parent_dev_bus_name} `);
    if (l.parent_dev_name !== undefined) o.field('parentdev', l.parent_dev_name, `parentdev ${l.parent_dev_name} `);
  }
  if ((mode.doLink || ctx.details) && l.ifalias !== undefined) {
    o.fp(`${o.sl}    `);
    o.field('ifalias', l.ifalias, `alias ${l.ifalias}`);
  }
  if (mode.doLink && ctx.stats) {
    const s = (l.stats64 ?? l.stats) as Stats | undefined;
    if (s) {
      o.fp(o.sl);
      printStats(o, ctx, s, l.carrier_changes, l.stats64 ? 'stats64' : 'stats');
    }
  }
  const alt = l.prop_list?.alt_ifname;
  if (alt && alt.length) {
    o.openArray('altnames');
    for (const a of alt) {
      o.fp(`${o.sl}    altname `);
      o.item(a, a);
    }
    o.closeArray();
  }
  if (closeRecord) {
    o.fp('\n');
    o.closeObject();
  }
}

/**
 * print_name_and_link: "name@link" in text (padded by `pad`), and in JSON "link" (or
 * "link_index" for a peer in another namespace) before "ifname". Returns M-DOWN: the lower
 * link is down.
 */
function printNameAndLink(o: Output, ctx: PrintContext, l: Link, suffix: string, width = 0): boolean {
  let name = l.ifname ?? '<nil>';
  let mdown = false;
  if (l.link !== undefined) {
    if (l.link === 0) {
      if (o.json) o.jfield('link', null);
      else name = `${name}@NONE`;
    } else if (l.link_netnsid !== undefined) {
      if (o.json) o.jfield('link_index', l.link);
      else name = `${name}@if${l.link}`;
    } else {
      const ln = ctx.names.name(l.link);
      if (o.json) o.jfield('link', ln);
      else name = `${name}@${ln}`;
      const peer = ctx.names.get(l.link);
      mdown = peer ? !(peer.flags & IFF_UP) : false;
    }
  }
  if (o.json) {
    if (l.ifname !== undefined) o.jfield('ifname', l.ifname);
    else o.jfield('ifname', null);
  } else o.fp(o.color(Color.IFNAME, `${width ? name.padEnd(width, ' ') : name}${suffix}`));
  return mdown;
}

/** ip's oper_state_color: UP green, DOWN red, other states plain. */
function operColor(o: Output, state: string, text: string): string {
  return state === 'UP' ? o.color(Color.UP, text) : state === 'DOWN' ? o.color(Color.DOWN, text) : text;
}

/** print_linkinfo_brief: `name@link  STATE  [address <flags>]` (the caller opens and closes the JSON object). */
export function printLinkBrief(o: Output, ctx: PrintContext, l: Link, withLink: boolean, deleted = false): void {
  if (deleted) o.field('deleted', true, 'Deleted ');
  const mdown = printNameAndLink(o, ctx, l, ' ', 16);
  if (l.operstate !== undefined) {
    const s = operstateName(l.operstate as string | number);
    if (typeof s === 'number') o.jfield('operstate_index', s);
    else o.field('operstate', s, operColor(o, s, `${s.padEnd(14, ' ')} `));
  }
  if (withLink) {
    const type = l.type as string | number | undefined;
    if (l.address !== undefined) {
      const a = llText(l.address, type);
      o.field('address', a, o.color(Color.MAC, `${a} `));
    }
    printLinkFlags(o, linkFlagsNum(l), mdown);
    o.fp('\n');
  }
}
