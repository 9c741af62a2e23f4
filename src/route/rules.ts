// Routing policy rules: dump, add with iproute2's defaults (family inet, action to_tbl, table
// main), delete and flush.
import { NLM_F_CREATE, NLM_F_ECHO, NLM_F_EXCL } from '../wire/index.js';
import { parseIp } from '../schema/index.js';
import { ruleCodec, type Rule } from './codecs.js';
import { RTM } from './constants.js';
import type { Family, RuleAction } from './enums.js';
import type { Dump, FamilyOptions } from '../socket/index.js';
import { chooseVictims, deleteAll, type FlushOptions } from './flush.js';
import { callOptions, routeDump, withSocket } from './socket.js';
import { HEADER_SIZES } from './structs.js';
import { protocolId, tableId } from './tables.js';

export type { Rule } from './codecs.js';

const HDR = HEADER_SIZES.fib_rule_hdr;


/** Dumps rules (RTM_GETRULE, NLM_F_DUMP); the kernel filters by family only. */
export function dumpRules(filter: { family?: Family | number } = {}, opts: FamilyOptions = {}): Dump<Rule> {
  return routeDump(opts, ruleCodec.encode(RTM.GETRULE, 0, { family: filter.family ?? 'unspec' } as Partial<Rule>), ruleCodec);
}

/** A rule to add or delete (a decoded Rule works too). */
export interface RuleSpec extends Partial<Omit<Rule, 'src' | 'dst' | 'table' | 'protocol' | 'action' | 'family' | 'sport_range' | 'dport_range'>> {
  family?: Family | number;
  /** Source prefix 'PREFIX/LEN' (or 'all'). */
  src?: string;
  /** Destination prefix 'PREFIX/LEN' (or 'all'). */
  dst?: string;
  /** Table by id or name (default main for to_tbl rules). */
  table?: string | number;
  protocol?: string | number;
  action?: RuleAction | number;
  /** `ip rule`'s pref/priority. */
  priority?: number;
  /** 'LOW-HIGH' or { start, end }. */
  sport_range?: { start: number; end: number } | string | number;
  dport_range?: { start: number; end: number } | string | number;
  /** Invert the selector (`not`). */
  not?: boolean;
}

function range(v: { start: number; end: number } | string | number): { start: number; end: number } {
  if (typeof v === 'object') return v;
  const [a, b] = String(v).split('-');
  return { start: Number(a), end: Number(b ?? a) };
}

function ruleMessage(spec: RuleSpec, cmd: 'new' | 'del'): Record<string, unknown> {
  const o: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(spec)) if (k !== 'not' && v !== undefined) o[k] = v;
  let fam = spec.family;
  for (const [k, lenKey] of [['src', 'src_len'], ['dst', 'dst_len']] as const) {
    const text = spec[k];
    if (text === undefined) continue;
    if (text === 'all' || text === 'default') {
      delete o[k];
      continue;
    }
    const i = text.indexOf('/');
    const addr = i < 0 ? text : text.slice(0, i);
    const bytes = parseIp(addr).length;
    o[k] = addr;
    o[lenKey] = i < 0 ? (spec[lenKey] ?? bytes * 8) : Number(text.slice(i + 1));
    fam ??= bytes === 4 ? 'inet' : 'inet6';
  }
  o.family = fam ?? 'inet';
  if (spec.sport_range !== undefined) o.sport_range = range(spec.sport_range);
  if (spec.dport_range !== undefined) o.dport_range = range(spec.dport_range);
  if (spec.protocol !== undefined) o.protocol = protocolId(spec.protocol);
  if (spec.not) o.flags = [...((o.flags as unknown[]) ?? []), 'invert'];
  if (spec.table !== undefined) o.table = tableId(spec.table);
  if (cmd === 'new') {
    o.action ??= spec.goto !== undefined ? 'goto' : 'to_tbl';
    if (o.action === 'to_tbl' && o.table === undefined) o.table = 'main';
  }
  return o;
}

/** Options of rule changes. */
export interface RuleChangeOptions extends FamilyOptions {
  /** Extra nlmsg_flags to OR into the request. */
  flags?: number;
}

/**
 * Adds a rule (RTM_NEWRULE, NLM_F_CREATE|NLM_F_EXCL, `ip rule add`) and resolves with it.
 *
 *   await addRule({ src: '10.5.0.0/16', table: 100, priority: 1000 });
 *   await addRule({ fwmark: 7, table: 'main', uid_range: { start: 1000, end: 1999 } });
 */
export async function addRule(spec: RuleSpec, opts: RuleChangeOptions = {}): Promise<Rule> {
  return withSocket(opts, async (sock) => {
    const msg = ruleMessage(spec, 'new');
    const reply = await sock.request(ruleCodec.encode(RTM.NEWRULE, NLM_F_CREATE | NLM_F_EXCL | NLM_F_ECHO | (opts.flags ?? 0), msg as Partial<Rule>), {
      headerSize: HDR, ...callOptions(opts),
    });
    const echoed = reply.messages.find((m) => m.type === RTM.NEWRULE);
    return (echoed ? ruleCodec.decodePayload(echoed.payload) : msg) as Rule;
  });
}

/** Deletes the first rule matching the spec (RTM_DELRULE, `ip rule del`). */
export async function deleteRule(spec: RuleSpec | Rule, opts: FamilyOptions = {}): Promise<void> {
  await withSocket(opts, async (sock) => {
    const msg = ruleMessage(spec as RuleSpec, 'del');
    await sock.request(ruleCodec.encode(RTM.DELRULE, 0, msg as Partial<Rule>), { headerSize: HDR, ...callOptions(opts) });
  });
}

/**
 * Deletes every rule with a priority (`ip rule flush`: all but the priority-0 local rule, the
 * main and default rules included). Resolves with the number deleted.
 */
export async function flushRules(filter: { family?: Family | number } = {}, opts: FlushOptions<Rule> = {}): Promise<number> {
  return withSocket(opts, async (sock) => {
    const families: (Family | number)[] = filter.family !== undefined ? [filter.family] : ['inet', 'inet6'];
    let n = 0;
    for (const family of families) {
      const list = await dumpRules({ family }, { ...callOptions(opts), socket: sock }).toArray();
      const victims = chooseVictims(list, opts, (r) => r.priority !== undefined);
      n += await deleteAll(sock, victims, (r) => ruleCodec.encode(RTM.DELRULE, 0, r), HDR, ['ENOENT']);
    }
    return n;
  });
}
