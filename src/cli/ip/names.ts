// The names iproute2 gives numbers: routing tables, protocols, scopes, realms, groups and DS
// fields from its configuration files (/etc/iproute2/rt_tables, …) over built-in defaults, and
// the fixed tables for route types and hardware types. Files are read lazily, once.

export { NameTable, parseUnsigned } from '../../route/name-table.js';
import { readFileSync } from 'node:fs';
import { NameTable, parseUnsigned } from '../../route/name-table.js';

/** Routing table ids (rt_tables). */
export const tables = new NameTable('rt_tables', { 253: 'default', 254: 'main', 255: 'local' });
/** Route protocols (rt_protos). */
export const protocols = new NameTable('rt_protos', {
  0: 'unspec', 1: 'redirect', 2: 'kernel', 3: 'boot', 4: 'static', 8: 'gated', 9: 'ra', 10: 'mrt', 11: 'zebra',
  12: 'bird', 13: 'dnrouted', 14: 'xorp', 15: 'ntk', 16: 'dhcp', 18: 'keepalived', 42: 'babel', 99: 'openr',
  186: 'bgp', 187: 'isis', 188: 'ospf', 189: 'rip', 192: 'eigrp',
}, 255);
/** Route and address scopes (rt_scopes). */
export const scopes = new NameTable('rt_scopes', { 0: 'global', 255: 'nowhere', 254: 'host', 253: 'link', 200: 'site' }, 255);
/** Route realms (rt_realms). */
export const realms = new NameTable('rt_realms', { 0: 'cosmos' }, 0xffff);
/** Link groups (group). */
export const groups = new NameTable('group', { 0: 'default' });
/** DS field / TOS names (rt_dsfield). */
export const dsfields = new NameTable('rt_dsfield', {}, 255);

/** iproute2's text for a TOS value: its rt_dsfield name or 0x%02x. */
export function dsfieldName(tos: number): string {
  return dsfields.name(tos) ?? `0x${tos.toString(16).padStart(2, '0')}`;
}

/** Route types (RTN_*) by number, as iproute2 names them. */
export const ROUTE_TYPES = [
  'unspec', 'unicast', 'local', 'broadcast', 'anycast', 'multicast', 'blackhole', 'unreachable', 'prohibit',
  'throw', 'nat', 'xresolve',
] as const;

/** iproute2's name of a route type. */
export function routeTypeName(t: number): string {
  return ROUTE_TYPES[t] ?? String(t);
}

/** The RTN_* number of a route type name, or undefined. */
export function routeTypeNumber(s: string): number | undefined {
  const i = (ROUTE_TYPES as readonly string[]).indexOf(s);
  if (i >= 0) return i;
  const v = parseUnsigned(s, 255);
  return v;
}

/** Hardware types (ARPHRD_*) as iproute2 prints them after "link/". */
const LL_TYPES: Record<number, string> = {
  0: 'netrom', 1: 'ether', 2: 'eether', 3: 'ax25', 4: 'pronet', 5: 'chaos', 6: 'ieee802', 7: 'arcnet', 8: 'atalk',
  15: 'dlci', 19: 'atm', 23: 'metricom', 24: 'ieee1394', 32: 'infiniband', 256: 'slip', 257: 'cslip', 258: 'slip6',
  259: 'cslip6', 260: 'rsrvd', 264: 'adapt', 270: 'rose', 271: 'x25', 272: 'hwx25', 280: 'can', 512: 'ppp',
  513: 'cisco', 516: 'lapb', 517: 'ddcmp', 518: 'rawhdlc', 519: 'rawip', 768: 'ipip', 769: 'tunnel6', 770: 'frad',
  771: 'skip', 772: 'loopback', 773: 'ltalk', 774: 'fddi', 775: 'bif', 776: 'sit', 777: 'ip/ddp', 778: 'gre',
  779: 'pimreg', 780: 'hippi', 781: 'ash', 782: 'econet', 783: 'irda', 784: 'fcpp', 785: 'fcal', 786: 'fcpl',
  787: 'fcfb0', 800: 'tr', 801: 'ieee802.11', 802: 'ieee802.11/prism', 803: 'ieee802.11/radiotap',
  804: 'ieee802.15.4', 805: 'ieee802.15.4/monitor', 820: 'phonet', 821: 'phonet_pipe', 822: 'caif', 823: 'gre6',
  824: 'netlink', 825: '6lowpan', 0xfffe: 'none', 0xffff: 'void',
};

/** iproute2's name of a hardware type. */
export function llTypeName(t: number): string {
  return LL_TYPES[t] ?? `[${t}]`;
}

const ARPHRD_TUNNEL = 768, ARPHRD_SIT = 776, ARPHRD_IPGRE = 778, ARPHRD_TUNNEL6 = 769, ARPHRD_IP6GRE = 823;

/** A link-layer address as iproute2 prints it: IPv4/IPv6 text for tunnels, else hex pairs. */
export function llAddrText(bytes: Uint8Array, type: number): string {
  if (bytes.length === 4 && (type === ARPHRD_TUNNEL || type === ARPHRD_SIT || type === ARPHRD_IPGRE)) {
    return `${bytes[0]}.${bytes[1]}.${bytes[2]}.${bytes[3]}`;
  }
  if (bytes.length === 16 && (type === ARPHRD_TUNNEL6 || type === ARPHRD_IP6GRE)) return ip6Text(bytes);
  let out = '';
  for (let i = 0; i < bytes.length; i++) {
    const v = bytes[i]!;
    out += (i ? ':' : '') + (v < 16 ? '0' : '') + v.toString(16);
  }
  return out;
}

function ip6Text(b: Uint8Array): string {
  const w: number[] = [];
  for (let i = 0; i < 8; i++) w.push((b[2 * i]! << 8) | b[2 * i + 1]!);
  let bs = -1, bl = 0;
  for (let i = 0; i < 8;) {
    if (w[i] !== 0) { i++; continue; }
    let j = i;
    while (j < 8 && w[j] === 0) j++;
    if (j - i > bl && j - i >= 2) { bs = i; bl = j - i; }
    i = j;
  }
  const h = w.map((x) => x.toString(16));
  return bs < 0 ? h.join(':') : `${h.slice(0, bs).join(':')}::${h.slice(bs + bl).join(':')}`;
}

/** IP protocol names as iproute2 prints them (inet_proto_n2a: /etc/protocols, else number). */
let protoByNum: Map<number, string> | null = null;
let protoByName: Map<string, number> | null = null;
const BUILTIN_PROTOS: Record<number, string> = { 1: 'icmp', 6: 'tcp', 17: 'udp', 58: 'ipv6-icmp', 132: 'sctp', 136: 'udplite' };
function loadProtos(): void {
  if (protoByNum) return;
  protoByNum = new Map();
  protoByName = new Map();
  let found = false;
  try {
    for (const raw of readFileSync('/etc/protocols', 'utf8').split('\n')) {
      const line = raw.replace(/#.*/, '').trim();
      const m = /^(\S+)\s+(\d+)/.exec(line);
      if (!m) continue;
      if (!protoByNum.has(Number(m[2]))) protoByNum.set(Number(m[2]), m[1]!);
      protoByName.set(m[1]!, Number(m[2]));
      found = true;
    }
  } catch {
    // no /etc/protocols: the built-in names below
  }
  if (!found) {
    for (const [k, v] of Object.entries(BUILTIN_PROTOS)) {
      protoByNum.set(Number(k), v);
      protoByName.set(v, Number(k));
    }
  }
}

/** The name of an IP protocol number (getprotobynumber, /etc/protocols), else `ipproto-N`. */
export function ipProtoName(n: number): string {
  loadProtos();
  return protoByNum!.get(n) ?? `ipproto-${n}`;
}

/** The number of an IP protocol name or number, or undefined. */
export function ipProtoNumber(s: string): number | undefined {
  const v = parseUnsigned(s.startsWith('ipproto-') ? s.slice(8) : s, 255);
  if (v !== undefined) return v;
  loadProtos();
  return protoByName!.get(s.toLowerCase());
}
