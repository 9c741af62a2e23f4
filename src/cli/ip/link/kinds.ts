// The link kinds of `ip link … type KIND [ARGS]`, each in a file of its own with its parser and
// printer (iproute2's iplink_*.c): this registry, the types they share, and their helpers.
import type { LinkSpec } from '../../../route/index.js';
import type { Args } from '../argv.js';
import { parseUnsigned } from '../names.js';
import type { PrintContext } from '../common.js';
import { RawJson, type Output } from '../output.js';
import type { Session } from '../session.js';

/** A decoded IFLA_INFO_DATA (or slave data). */
export type Data = Record<string, unknown>;

/** Which command a link's options belong to ('peer': veth's peer options). */
export type KindMode = 'add' | 'set' | 'replace' | 'delete' | 'peer';

/** What iplink_parse collected: the spec, the names, flags to set and clear. */
export interface Parsed {
  spec: LinkSpec & Record<string, unknown>;
  dev?: string;
  name?: string;
  kind?: string;
  flagsOn: Set<string>;
  flagsOff: Set<string>;
}

/** What a kind's parser gets: the arguments after `type KIND`, and where its results go. */
export interface KindParseContext {
  args: Args;
  s: Session;
  kind: string;
  mode: KindMode;
  /** IFLA_INFO_DATA being built. */
  data: Record<string, unknown>;
  /** The link being parsed (veth puts its peer here). */
  p: Parsed;
  /** `ip link help`'s text. */
  usage: string;
  /** iplink_parse itself, for options nested in a kind's (veth's peer). */
  parseLink: (args: Args, s: Session, mode: KindMode) => Promise<Parsed>;
}

/** One kind: its parser (none: the kind takes no ARGS) and its printers of -d details. */
export interface LinkKind {
  parse?: (c: KindParseContext) => Promise<void> | void;
  print?: (o: Output, ctx: PrintContext, d: Data) => void;
  /** The printer of IFLA_INFO_SLAVE_DATA for ports of this kind (bridge_slave). */
  printSlave?: (o: Output, ctx: PrintContext, d: Data) => void;
}

/** Thrown after a usage text was printed: the command ends with `status` (ip's usage(): 255). */
export class HelpShown extends Error {
  constructor(readonly status = 255) {
    super('usage shown');
  }
}

const KINDS = new Map<string, LinkKind>();

/** Registers a kind under its names (macvlan and macvtap share one). */
export function registerKind(names: readonly string[], k: LinkKind): void {
  for (const n of names) KINDS.set(n, k);
}

/** The kind a name stands for, if nlkit knows its options. */
export function linkKind(name: string): LinkKind | undefined {
  return KINDS.get(name);
}

/** An unsigned value after keyword `kw` (strtoul rules), or ip's invarg. */
export function argNum(args: Args, kw: string, max = 0xffffffff): number {
  const v = args.value(kw);
  const n = parseUnsigned(v, max);
  if (n === undefined) throw args.invalid(v, `invalid ${kw}`);
  return n;
}

/** The IFF_* flags a parsed link sets and clears, as ifi_flags/ifi_change. */
export function applyFlags(spec: LinkSpec & Record<string, unknown>, p: Parsed): void {
  if (p.flagsOn.size === 0 && p.flagsOff.size === 0) return;
  const IFF: Record<string, number> = { UP: 0x1, MULTICAST: 0x1000, ALLMULTI: 0x200, PROMISC: 0x100, NOTRAILERS: 0x20, NOARP: 0x80, DYNAMIC: 0x8000 };
  let change = 0;
  for (const f of [...p.flagsOn, ...p.flagsOff]) change |= IFF[f] ?? 0;
  spec.flags = [...p.flagsOn] as never;
  spec.change = change;
}

const USER_HZ = 100;

/** A jiffies timer as ip prints it (seconds with centiseconds). */
export function timer(o: Output, name: string, v: number | bigint | undefined): void {
  if (v === undefined) return;
  const j = Number(v);
  const sec = Math.trunc(j / USER_HZ);
  const cs = Math.trunc(((j % USER_HZ) * 1000000) / USER_HZ / 10000);
  const txt = `${sec}.${String(cs).padStart(2, '0')}`;
  o.field(name, new RawJson(txt), `${name} ${txt.padStart(7, ' ')} `);
}

/** An on/off u8 attribute. */
export function onOff(o: Output, key: string, label: string, v: number | undefined): void {
  if (v === undefined) return;
  o.field(key, v !== 0, `${label} ${v ? 'on' : 'off'} `);
}

/** 0x… or 0. */
export function hex(v: number): string {
  return v ? `0x${v.toString(16)}` : '0';
}

/** struct ifla_bridge_id as ip prints it (8000.2:11:a:…). */
export function bridgeIdText(id: { prio: number; addr: string } | undefined): string | undefined {
  if (!id) return undefined;
  const p = id.prio >>> 0;
  // ether_ntoa_r: hex bytes without zero padding ("2:11:a:…").
  const mac = id.addr.split(':').map((b) => parseInt(b, 16).toString(16)).join(':');
  return `${((p >> 8) & 0xff).toString(16).padStart(2, '0')}${(p & 0xff).toString(16).padStart(2, '0')}.${mac}`;
}

export const num = (d: Data, k: string): number | undefined => (d[k] === undefined ? undefined : Number(d[k]));
