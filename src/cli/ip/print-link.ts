// A link as `ip link` / `ip address` print it (ipaddress.c's print_linkinfo; each kind's
// print_opt lives with its parser in link/): text in ip's layout, JSON with ip -j's keys and
// order, -d details and -s statistics included.
import type { Link } from '../../route/codecs.js';
import { AF, IFF, IFLA_EVENT } from '../../route/constants.js';
import { linkFlags, linkType } from '../../route/enums.js';
import { pick } from '../../route/words.js';
import { enumNum, flagsNum, printHeader, type PrintContext } from './common.js';
import { groups, isIp4Tunnel, linkTypeText } from './names.js';
import { Color, type Output } from './output.js';
import './link/index.js';
import { linkKind, type Data } from './link/kinds.js';

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
  if (o.json) {
    o.openArray('flags');
    for (const n of names) o.item(n);
    if (mdown) o.item('M-DOWN');
    o.closeArray();
  } else {
    // ip prints M-DOWN with a comma before it even when no flag precedes it.
    o.fp(`<${names.join(',')}${mdown ? ',M-DOWN' : ''}> `);
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

/** print_linktype: the "linkinfo" object with info_kind/info_data and the slave kind. */
function printLinkinfo(o: Output, ctx: PrintContext, li: NonNullable<Link['linkinfo']>): void {
  o.openObject('linkinfo');
  const kind = li.kind as string | undefined;
  if (kind !== undefined) {
    o.fp(o.sl);
    o.field('info_kind', kind, `    ${kind} `);
    const data = li.data && !(li.data instanceof Uint8Array) ? (li.data as Data) : undefined;
    const printer = linkKind(kind)?.print;
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
    const slavePrinter = linkKind(skind)?.printSlave;
    if (slavePrinter) {
      o.openObject('info_slave_data');
      const sd = li.slave_data;
      if (sd && !(sd instanceof Uint8Array)) slavePrinter(o, ctx, sd as Data);
      o.closeObject();
    }
  }
  o.closeObject();
}

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
/** print_name_and_link: `name@peer` in text, "link"/"link_index" and "ifname" in JSON; true when the peer is down (M-DOWN). */
export function printNameAndLink(o: Output, ctx: PrintContext, l: Link, suffix: string, width = 0): boolean {
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
