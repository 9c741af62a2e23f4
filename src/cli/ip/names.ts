// The names iproute2 gives numbers: routing tables, protocols, scopes, realms, groups and DS
// fields from its configuration files (/etc/iproute2/rt_tables, …) over built-in names, and
// the fixed names of route types and hardware types. The built-in names are the route enums'
// (route/enums.ts, iproute2's words over the generated UAPI tables), never typed again here.
// Files are read lazily, once.

export { NameTable, parseUnsigned } from '../../route/name-table.js';
import { readFileSync } from 'node:fs';
import { linkType, protocol, routeType, scope, table } from '../../route/enums.js';
import { NameTable, parseUnsigned } from '../../route/name-table.js';
import type { EnumSpec } from '../../schema/index.js';

/** value -> name of an enum (the first name, where names share a value). */
function byValue(spec: EnumSpec): Record<number, string> {
  const out: Record<number, string> = {};
  for (const [name, v] of Object.entries(spec.values) as [string, number][]) if (!(v in out)) out[v] = name;
  return out;
}

/** Routing table ids (rt_tables). */
export const tables = new NameTable('rt_tables', byValue(table));
/** Route protocols (rt_protos). */
export const protocols = new NameTable('rt_protos', byValue(protocol), 255);
/** Route and address scopes (rt_scopes). */
export const scopes = new NameTable('rt_scopes', byValue(scope), 255);
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

/**
 * Whether `word` is a route type iproute2 accepts by name (`ip route add blackhole …`):
 * the route type enum's words except 'none', which iproute2 only prints.
 */
export function isRouteTypeWord(word: string): boolean {
  return word !== 'none' && Object.hasOwn(routeType.values, word);
}

/** The RTN_* number of a route type word or number, or undefined (rtnl_rtntype_a2n). */
export function routeTypeNumber(s: string): number | undefined {
  if (isRouteTypeWord(s)) return (routeType.values as Record<string, number>)[s];
  return parseUnsigned(s, 255);
}

/** A decoded link type as iproute2 prints it after "link/": its name, or `[N]` for a number. */
export function linkTypeText(t: string | number | undefined): string {
  return typeof t === 'string' ? t : `[${t ?? 0}]`;
}

/** Whether a decoded link type is one whose addresses are IPv4 addresses (ipip, sit, gre). */
export function isIp4Tunnel(t: string | number | undefined): boolean {
  return t === 'ipip' || t === 'sit' || t === 'gre';
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
