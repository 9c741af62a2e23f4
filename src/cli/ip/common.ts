// What every printer of `nlkit ip` shares: the interface-name cache (ip's ll_map), enum and
// flag values back to numbers, and the monitor's line headers.
import { AF } from '../../route/constants.js';
import { routeFlags, table as tableEnum } from '../../route/enums.js';
import type { Nexthop } from '../../route/index.js';
import { enumName, type EnumSpec, type FlagsSpec } from '../../schema/index.js';
import { protocols, scopes, tables } from './names.js';
import type { Output } from './output.js';

/** What a printer needs to know about a link by index: its name, hardware type and flags. */
export interface LinkInfo {
  name: string;
  /** ARPHRD_* number. */
  type: number;
  /** IFF_* bits. */
  flags: number;
}

/** Index -> link, like ip's ll_map: filled from a link dump, updated by monitor events. */
export class LinkNames {
  private readonly byIndex = new Map<number, LinkInfo>();

  /** Remembers a link. */
  set(index: number, info: LinkInfo): void {
    this.byIndex.set(index, info);
  }

  /** Forgets a link. */
  delete(index: number): void {
    this.byIndex.delete(index);
  }

  /** The link at `index`, if known. */
  get(index: number): LinkInfo | undefined {
    return this.byIndex.get(index);
  }

  /** ip's ll_index_to_name: the name, `*` for 0, `if<N>` when unknown. */
  name(index: number): string {
    if (index === 0) return '*';
    return this.byIndex.get(index)?.name ?? `if${index}`;
  }

  /** The index of a name, or 0. */
  index(name: string): number {
    for (const [i, l] of this.byIndex) if (l.name === name) return i;
    return 0;
  }

  /** All known links, by index. */
  entries(): IterableIterator<[number, LinkInfo]> {
    return this.byIndex.entries();
  }
}

/** The number an enum-decoded value stands for (names back to numbers; numbers stay). */
export function enumNum(spec: EnumSpec, v: string | number | undefined): number {
  if (v === undefined) return 0;
  if (typeof v === 'number') return v;
  return (spec.values as Record<string, number>)[v] ?? 0;
}

/**
 * Whether an enum-decoded value is the number `n` (a filter's value against a decoded object):
 * `n` is decoded the way the object was, so names are never mapped back to numbers.
 * A missing value is the enum's 0, as the kernel's zeroed field is.
 */
export function decodedIs(spec: EnumSpec, v: string | number | undefined, n: number): boolean {
  return (v ?? enumName(spec, 0)) === enumName(spec, n);
}

/** The bit mask a flag-decoded value stands for. */
export function flagsNum(spec: FlagsSpec, v: readonly (string | number)[] | number | undefined): number {
  if (v === undefined) return 0;
  if (typeof v === 'number') return v >>> 0;
  let m = 0;
  const bits = spec.bits as Record<string, number>;
  for (const f of v) m |= typeof f === 'number' ? f : bits[f] ?? 0;
  return m >>> 0;
}

/** Address bits of a family name: 32 for inet, 128 for inet6, 20 for mpls. */
export function hostLen(family: string | number | undefined): number {
  switch (family) {
    case 'inet': case AF.INET: return 32;
    case 'inet6': case AF.INET6: return 128;
    case 'mpls': case AF.MPLS: return 20;
    case 'dnet': case AF.DECnet: return 16;
    default: return -1;
  }
}

/** Shared display state: the options of one `nlkit ip` run. */
export interface PrintContext {
  names: LinkNames;
  /** -d count. */
  details: number;
  /** -s count. */
  stats: number;
  /** -h: counters as ip's print_num shows them (1.2k); -iec: powers of 1024. */
  human?: number;
  iec?: boolean;
  /** Set when printing monitor events: `[LABEL]` prefixes (with `all`/`label`) and timestamps. */
  monitor?: MonitorHeader;
  /** Nexthop objects by id, for a route's "nh_info" under -d. */
  nexthops?: Map<number, Nexthop>;
  /** Names of peer namespaces by nsid (text "link-netns NAME"). */
  nsNames?: Map<number, string>;
}

/** How monitor events are introduced: ip's print_headers(). */
export interface MonitorHeader {
  /** Print `[ROUTE]`, `[LINK]`, … before each event (`ip monitor all` / `label`). */
  label: boolean;
  /** -t: a `Timestamp: …` line; -ts: `[ISO-time] `. */
  timestamp: 0 | 1 | 2;
}

const WEEKDAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const pad = (n: number, w = 2) => String(n).padStart(w, '0');

/** Writes ip's event header in text mode: the timestamp (with -t/-ts) and the `[LABEL]`. */
export function printHeader(o: Output, ctx: PrintContext, label: string): void {
  const m = ctx.monitor;
  if (!m || o.json) return;
  if (m.timestamp) {
    const now = new Date();
    const usec = pad(now.getMilliseconds() * 1000 + Number(process.hrtime.bigint() % 1000n), 6);
    if (m.timestamp === 1) {
      // ctime()-style, like ip -t: "Timestamp: Sun Nov 22 13:21:36 2026 821419 usec"
      const day = String(now.getDate()).padStart(2, ' ');
      o.fp(`Timestamp: ${WEEKDAYS[now.getDay()]} ${MONTHS[now.getMonth()]} ${day} ${pad(now.getHours())}:${pad(now.getMinutes())}:${pad(now.getSeconds())} ${now.getFullYear()} ${usec} usec\n`);
    } else {
      o.fp(`[${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}T${pad(now.getHours())}:${pad(now.getMinutes())}:${pad(now.getSeconds())}.${usec}] `);
    }
  }
  if (m.label) o.fp(label);
}

/** A table value as decoded ('main', 'local', 100) -> ip's name ("main", "100" or rt_tables' name). */
export function tableText(t: string | number | undefined): string {
  if (typeof t === 'string') return t;
  return tables.n2a(t ?? 0);
}

/** The numeric table id of a decoded value. */
export function tableId(t: string | number | undefined): number {
  return enumNum(tableEnum, t);
}

/** A protocol as decoded -> ip's name. */
export function protoText(p: string | number | undefined): string {
  return typeof p === 'string' ? p : protocols.n2a(p ?? 0);
}

/** A scope as decoded -> ip's name. */
export function scopeText(s: string | number | undefined): string {
  return typeof s === 'string' ? s : scopes.n2a(s ?? 0);
}

/** A route type as decoded -> ip's name (RTN_UNSPEC is "none"). */
export function typeText(t: string | number | undefined): string {
  return typeof t === 'string' ? t : String(t ?? 0);
}

/** print_rt_flags' order of the route flag words. */
const RT_FLAG_ORDER: [number, string][] = ([
  'dead', 'onlink', 'pervasive', 'offload', 'trap', 'notify', 'linkdown', 'unresolved', 'rt_offload', 'rt_trap', 'rt_offload_failed',
] as const).map((name) => [routeFlags.bits[name], name]);

/** print_rt_flags: a JSON array always, the names in text. */
export function printRtFlags(o: Output, flags: number): void {
  o.openArray('flags');
  if (flags) for (const [bit, name] of RT_FLAG_ORDER) if (flags & bit) o.item(name, `${name} `);
  o.closeArray();
}

