// The YNL spec loader: the kernel's YAML family specs (Documentation/netlink/specs, protocol
// levels genetlink, genetlink-c, genetlink-legacy and netlink-raw) into a FamilyDef that
// FamilyClient speaks, with every attribute set compiled by the schema engine.
import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { parse } from 'yaml';
import type { AttributeSet, StructSpec } from '../../schema/index.js';
import type { FamilyDef, GroupDef, OpDef, OpMode, OpTable } from '../family-def.js';
import { AttributeSets } from './attribute-sets.js';
import { SpecError, camel, loadDefinitions, type Definitions, type Yaml } from './definitions.js';

/** A loaded spec: the family, and its definitions and attribute sets by YNL name. */
export interface YnlFamily extends FamilyDef<OpTable> {
  /** The spec's protocol level as written ('genetlink-legacy', 'netlink-raw', …). */
  readonly level: string;
  /** Enums, flags, structs and constants by YNL name. */
  readonly definitions: Definitions;
  /** Attribute sets by YNL name. */
  readonly sets: AttributeSets;
  /** The parsed YAML, for what the loader does not model (docs, checks, kernel-side hints). */
  readonly yaml: Yaml;
}

/** Loads a spec from YAML text (or an already parsed object). Throws SpecError on what it cannot model. */
export function loadSpec(source: string | Yaml, specName = 'spec'): YnlFamily {
  const y: Yaml = typeof source === 'string' ? parse(source) : source;
  if (!y || typeof y !== 'object' || typeof y.name !== 'string') throw new SpecError(specName, 'top', 'not a YNL spec (no name)');
  const spec = y.name as string;
  const level = (y.protocol as string | undefined) ?? 'genetlink';
  const raw = level === 'netlink-raw';
  if (!raw && !['genetlink', 'genetlink-c', 'genetlink-legacy'].includes(level)) throw new SpecError(spec, 'protocol', `unknown protocol ${level}`);
  if (raw && typeof y.protonum !== 'number') throw new SpecError(spec, 'protonum', 'netlink-raw needs a protocol number');
  const definitions = loadDefinitions(y, spec);
  const sets = new AttributeSets(y, definitions, spec, !raw);
  // Build every set now so a spec the engine cannot model fails at load time, not at first use.
  for (const n of sets.names()) sets.get(n);
  const ops = loadOps(y, spec, definitions, sets, !raw);
  const groups: GroupDef[] = ((y['mcast-groups']?.list ?? []) as Yaml[]).map((g) => ({
    name: g.name, ...(typeof g.value === 'number' ? { value: g.value } : {}),
  }));
  return {
    name: spec, protocol: raw ? 'netlink-raw' : 'genetlink', protonum: raw ? y.protonum : 16,
    version: typeof y.version === 'number' ? y.version : 1, ops, groups, level, definitions, sets, yaml: y,
  };
}

/** Loads a spec file (plain or .gz). */
export function loadSpecFile(path: string): YnlFamily {
  const bytes = readFileSync(path);
  const text = (path.endsWith('.gz') ? gunzipSync(bytes) : bytes).toString('utf8');
  return loadSpec(text, path);
}

function mode(m: Yaml | undefined): OpMode | undefined {
  if (!m) return undefined;
  const msg = (x: Yaml | undefined) => (x ? { attributes: ((x.attributes ?? []) as string[]).map(camel) } : undefined);
  const request = msg(m.request);
  const reply = msg(m.reply);
  return { ...(request ? { request } : {}), ...(reply ? { reply } : {}) };
}

function loadOps(y: Yaml, spec: string, defs: Definitions, sets: AttributeSets, nestedFlag: boolean): OpTable {
  const o = (y.operations ?? {}) as Yaml;
  const list = (o.list ?? []) as Yaml[];
  const directional = o['enum-model'] === 'directional';
  const header = (name: unknown, where: string): StructSpec | undefined => {
    if (name === undefined) return undefined;
    const s = defs.structs.get(String(name));
    if (!s) throw new SpecError(spec, where, `fixed-header struct ${String(name)} is not defined`);
    return s;
  };
  const globalHeader = header(o['fixed-header'], 'operations.fixed-header');
  const out: OpTable = {};
  const byName = new Map(list.map((e) => [e.name as string, e]));
  let reqNext = 1;
  let rspNext = 1;
  let uniNext = 1;
  for (const e of list) {
    const where = `operations.${e.name}`;
    let request: number | undefined;
    let reply: number | undefined;
    const main = (e.do ?? e.dump) as Yaml | undefined;
    if (!directional) {
      const v = typeof e.value === 'number' ? e.value : uniNext;
      uniNext = v + 1;
      request = e.notify !== undefined || e.event !== undefined ? undefined : v;
      reply = v;
    } else if (e.notify !== undefined || e.event !== undefined) {
      reply = typeof e.value === 'number' ? e.value : rspNext;
      rspNext = reply + 1;
    } else if (main) {
      if (main.request) {
        const r: number = typeof main.request.value === 'number' ? main.request.value : reqNext;
        request = r;
        reqNext = r + 1;
      }
      if (main.reply) {
        const r: number = typeof main.reply.value === 'number' ? main.reply.value : rspNext;
        reply = r;
        rspNext = r + 1;
      }
    }
    // A notification shares the attribute set (and header) of the operation it names.
    const target = typeof e.notify === 'string' ? byName.get(e.notify) : undefined;
    if (e.notify !== undefined && typeof e.notify === 'string' && !target) throw new SpecError(spec, where, `notify names unknown operation ${e.notify}`);
    const setName = (e['attribute-set'] ?? target?.['attribute-set']) as string | undefined;
    // Placeholders such as mptcp_pm's "unspec" only take a number; they get an empty set.
    if (!setName && (e.do || e.dump || e.notify || e.event)) throw new SpecError(spec, where, 'no attribute-set');
    const set: AttributeSet = setName ? sets.get(setName) : { name: `${e.name}-none`, attrs: [], nestedFlag };
    const hdr = header(e['fixed-header'] ?? target?.['fixed-header'], where) ?? globalHeader;
    const doMode = mode(e.do);
    const dumpMode = mode(e.dump);
    const def: OpDef = {
      name: e.name, request, reply, set,
      ...(hdr ? { header: hdr } : {}),
      ...(doMode ? { do: doMode } : {}),
      ...(dumpMode ? { dump: dumpMode } : {}),
      ...(e.notify !== undefined ? { notify: String(e.notify) } : e.event !== undefined ? { notify: true as const } : {}),
      ...(e.mcgrp ? { mcgrp: e.mcgrp } : {}),
      ...(e.flags ? { flags: e.flags } : {}),
    };
    out[e.name] = def;
  }
  return out;
}
