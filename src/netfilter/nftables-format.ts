// Tables, chains and sets as nft 1.0 prints them: the text of `nft list …` and the objects of
// `nft -j list …` (and of `nft monitor`).
import { NFT_SET } from './constants.js';
import { elementJson, formatElement, formatElementList, type NftElement } from './nftables-elements.js';
import { formatTime, nftDatatype } from './nftables-types.js';
import type { NftChain, NftSet, NftTable } from './nftables.js';

const INET_HOOKS = ['prerouting', 'input', 'forward', 'output', 'postrouting', 'ingress'];
/** nft's hook names by family, indexed by hook number (NF_INET_*, NF_ARP_*, NF_NETDEV_*). */
export const NFT_HOOKS: Readonly<Record<string, readonly string[]>> = {
  ip: INET_HOOKS, ip6: INET_HOOKS, inet: INET_HOOKS, bridge: INET_HOOKS, arp: ['input', 'output', 'forward'], netdev: ['ingress', 'egress'],
};

/** A chain's hook name ('input'), or its number when the family has no name for it. */
export function hookName(c: NftChain): string {
  return NFT_HOOKS[String(c.family)]?.[c.hooknum ?? -1] ?? String(c.hooknum);
}

// nft's standard priorities: name, value, and the hooks it is named at (all when absent).
const STD_PRIO: { name: string; value: number; hooks?: string[] }[] = [
  { name: 'raw', value: -300 }, { name: 'mangle', value: -150 }, { name: 'dstnat', value: -100, hooks: ['prerouting'] },
  { name: 'filter', value: 0 }, { name: 'security', value: 50 }, { name: 'srcnat', value: 100, hooks: ['postrouting'] },
];
const BRIDGE_PRIO: { name: string; value: number; hooks?: string[] }[] = [
  { name: 'dstnat', value: -300, hooks: ['prerouting'] }, { name: 'filter', value: -200 }, { name: 'out', value: 100, hooks: ['output'] },
  { name: 'srcnat', value: 300, hooks: ['postrouting'] },
];

/** A base chain's priority as nft prints it: 'filter', 'dstnat', 'filter + 10', or the number. */
export function priorityText(c: NftChain): string {
  const p = c.priority ?? 0;
  const hook = hookName(c);
  const list = c.family === 'bridge' ? BRIDGE_PRIO : (c.family === 'arp' || c.family === 'netdev' ? STD_PRIO.filter((s) => s.name === 'filter') : STD_PRIO);
  for (const s of list) {
    if (s.hooks && !s.hooks.includes(hook)) continue;
    const off = p - s.value;
    if (off === 0) return s.name;
    if (Math.abs(off) <= 10) return `${s.name} ${off > 0 ? '+' : '-'} ${Math.abs(off)}`;
  }
  return String(p);
}

/** A priority in nft's grammar ('filter', 'dstnat - 5', '-150') as a number; undefined when it is not one. */
export function priorityValue(family: string, text: string): number | undefined {
  const t = text.trim();
  if (/^-?\d+$/.test(t)) return Number(t);
  const m = /^([a-z]+)(?:\s*([+-])\s*(\d+))?$/.exec(t);
  const base = m && (family === 'bridge' ? BRIDGE_PRIO : STD_PRIO).find((p) => p.name === m[1]);
  if (!m || !base) return undefined;
  return base.value + (m[2] === '-' ? -1 : 1) * Number(m[3] ?? 0);
}

const policyName = (p: number | undefined) => (p === 0 ? 'drop' : 'accept');

/** A set's key type as nft prints it ('ipv4_addr . inet_service'). */
export function setTypeNames(s: NftSet): string[] {
  return s.types.map((t) => nftDatatype(t)?.name ?? 'invalid');
}

function setFlagNames(s: NftSet, json: boolean): string[] {
  const out: string[] = [];
  // A default timeout implies the timeout flag: nft's text names it only beside another flag.
  if (!json && s.timeout !== undefined && !(s.flags & (NFT_SET.CONSTANT | NFT_SET.INTERVAL | NFT_SET.EVAL))) return out;
  if (s.flags & NFT_SET.CONSTANT) out.push('constant');
  if (s.flags & NFT_SET.EVAL && !json) out.push('dynamic');
  if (s.flags & NFT_SET.INTERVAL) out.push('interval');
  if (s.flags & NFT_SET.TIMEOUT) out.push('timeout');
  return out;
}

/** `table FAMILY NAME` (a line of `nft list tables`). */
export function formatTableLine(t: NftTable): string {
  return `table ${t.family} ${t.name}`;
}

/** One chain's block, as inside `nft list chains` (tab-indented by one level). */
export function formatChain(c: NftChain, body = ''): string {
  let s = `\tchain ${c.name} {\n`;
  if (c.hooknum !== undefined) {
    s += `\t\ttype ${c.type ?? 'filter'} hook ${hookName(c)}${c.dev !== undefined ? ` device "${c.dev}"` : ''} priority ${priorityText(c)}; policy ${policyName(c.policy)};\n`;
  }
  return `${s}${body}\t}\n`;
}

/** One set's block, as inside `nft list set(s)`, with its elements when given. */
export function formatSet(s: NftSet, elements?: readonly NftElement[]): string {
  let out = `\tset ${s.name} {\n\t\ttype ${setTypeNames(s).join(' . ')}\n`;
  if (s.size !== undefined && !(s.flags & NFT_SET.CONSTANT)) out += `\t\tsize ${s.size}\n`; // nft sizes a constant set itself
  const flags = setFlagNames(s, false);
  if (flags.length) out += `\t\tflags ${flags.join(',')}\n`;
  if (s.timeout !== undefined) out += `\t\ttimeout ${formatTime(s.timeout)}\n`;
  if (s.gcInterval !== undefined) out += `\t\tgc-interval ${formatTime(s.gcInterval)}\n`;
  if (elements?.length) out += `\t\telements = ${formatElementList(s, elements)}\n`;
  return `${out}\t}\n`;
}

/** A set in `nft monitor`'s one-line form: `{ type ipv4_addr; flags interval; }`. */
export function formatSetInline(s: NftSet): string {
  let out = `{ type ${setTypeNames(s).join(' . ')};`;
  const flags = setFlagNames(s, false);
  if (flags.length) out += ` flags ${flags.join(',')};`;
  if (s.timeout !== undefined) out += ` timeout ${formatTime(s.timeout)};`;
  return `${out} }`;
}

/** A base chain in `nft monitor`'s one-line form. */
export function formatChainInline(c: NftChain): string {
  if (c.hooknum === undefined) return '';
  return ` { type ${c.type ?? 'filter'} hook ${hookName(c)}${c.dev !== undefined ? ` device "${c.dev}"` : ''} priority ${priorityText(c)}; policy ${policyName(c.policy)}; }`;
}

/** Elements in `nft monitor`'s form: `{ 1.2.3.4, 10.0.0.0/8 }`. */
export function formatElementsInline(s: NftSet, elements: readonly NftElement[]): string {
  return `{ ${elements.map((e) => formatElement(s, e)).join(', ')} }`;
}

/** A table as `nft -j` prints it. */
export function tableJson(t: NftTable): Record<string, unknown> {
  return { family: t.family, name: t.name, handle: t.handle };
}

/** A chain as `nft -j` prints it. */
export function chainJson(c: NftChain): Record<string, unknown> {
  const o: Record<string, unknown> = { family: c.family, table: c.table, name: c.name, handle: c.handle };
  if (c.hooknum !== undefined) Object.assign(o, { type: c.type ?? 'filter', hook: hookName(c), prio: c.priority ?? 0, policy: policyName(c.policy) });
  return o;
}

/** A set as `nft -j` prints it, with its elements when given. */
export function setJson(s: NftSet, elements?: readonly NftElement[]): Record<string, unknown> {
  const names = setTypeNames(s);
  const o: Record<string, unknown> = { family: s.family, name: s.name, table: s.table, type: names.length === 1 ? names[0] : names, handle: s.handle };
  if (s.size !== undefined && !(s.flags & NFT_SET.CONSTANT)) o.size = s.size;
  const flags = setFlagNames(s, true);
  if (flags.length) o.flags = flags;
  if (s.timeout !== undefined) o.timeout = Math.floor(s.timeout / 1000);
  if (s.gcInterval !== undefined) o['gc-interval'] = Math.floor(s.gcInterval / 1000);
  if (elements?.length) o.elem = elements.map((e) => elementJson(s, e));
  return o;
}

/** JSON as nft writes it (jansson's ", " and ": " separators, one line). */
export function nftJsonText(x: unknown): string {
  if (Array.isArray(x)) return `[${x.map(nftJsonText).join(', ')}]`;
  if (x !== null && typeof x === 'object') return `{${Object.entries(x).map(([k, v]) => `${JSON.stringify(k)}: ${nftJsonText(v)}`).join(', ')}}`;
  return JSON.stringify(x);
}

/** Whether a set is one nft lists (anonymous sets belong to rules). */
export function listedSet(s: NftSet): boolean {
  return !(s.flags & NFT_SET.ANONYMOUS);
}
