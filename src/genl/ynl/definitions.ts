// YNL `definitions:` -> schema enums, flags, structs and constants.
import type { EnumSpec, FlagsSpec, IntType, StructField, StructSpec } from '../../schema/index.js';
import { compileStruct } from '../../schema/index.js';

/** A YNL spec as parsed YAML: only the shape this loader reads. */
export type Yaml = Record<string, any>;

/** Converts a YNL name ('dev-index') to the property name nlkit uses ('devIndex'). */
export function camel(name: string): string {
  return name.replace(/[-_]+([a-z0-9])/gi, (_, c: string) => c.toUpperCase());
}

/** The definitions of one spec, by YNL name. */
export interface Definitions {
  consts: Map<string, number | string>;
  enums: Map<string, EnumSpec>;
  flags: Map<string, FlagsSpec>;
  structs: Map<string, StructSpec>;
  /** Enums read as bit numbers (enum-as-flags), built on demand. */
  bitsOf(name: string): FlagsSpec;
}

/** Throws a SpecError naming the spec and where in it. */
export class SpecError extends Error {
  constructor(spec: string, where: string, what: string) {
    super(`${spec}: ${where}: ${what}`);
    this.name = 'SpecError';
  }
}

/** A YNL scalar type with a byte order, as the schema engine names it. */
export function intType(type: string, byteOrder: string | undefined): IntType | undefined {
  const scalar = ['u8', 'u16', 'u32', 'u64', 's8', 's16', 's32', 's64', 'uint', 'sint'];
  if (!scalar.includes(type)) return undefined;
  if (byteOrder === 'big-endian' && type !== 'u8' && type !== 's8' && type !== 'uint' && type !== 'sint') {
    const be = `${type}be`;
    if (['u16be', 'u32be', 'u64be', 's16be', 's32be'].includes(be)) return be as IntType;
  }
  return type as IntType;
}

function entryList(d: Yaml): { name: string; value?: number }[] {
  return (d.entries ?? []).map((e: unknown) => (typeof e === 'string' ? { name: e } : (e as { name: string; value?: number })));
}

/** Resolves a length: a number, a constant's name, or "NAME - 1". */
export function resolveLen(defs: Definitions, v: unknown, spec: string, where: string): number {
  if (typeof v === 'number') return v;
  if (typeof v === 'string') {
    const m = /^([\w-]+)(?:\s*-\s*1)?$/.exec(v.trim());
    const c = m ? defs.consts.get(m[1]!) : undefined;
    if (typeof c === 'number') return v.includes('-') && /-\s*1$/.test(v) ? c - 1 : c;
    if (/^\d+$/.test(v)) return Number(v);
  }
  throw new SpecError(spec, where, `cannot resolve length ${JSON.stringify(v)}`);
}

/** Reads `definitions:` (constants, enums, flags, structs in their order). */
export function loadDefinitions(y: Yaml, spec: string): Definitions {
  const bitsCache = new Map<string, FlagsSpec>();
  const defs: Definitions = {
    consts: new Map(), enums: new Map(), flags: new Map(), structs: new Map(),
    bitsOf(name) {
      const f = defs.flags.get(name);
      if (f) return f;
      let b = bitsCache.get(name);
      if (!b) {
        const en = defs.enums.get(name);
        if (!en) throw new SpecError(spec, `enum ${name}`, 'is not defined');
        const bits: Record<string, number> = {};
        for (const [k, v] of Object.entries(en.values)) if (v < 32) bits[k] = (2 ** v) >>> 0;
        b = { name, bits };
        bitsCache.set(name, b);
      }
      return b;
    },
  };
  const all = (y.definitions ?? []) as Yaml[];
  // Constants, enums and flags first: structs may name ones defined after them.
  for (const d of all) {
    const where = `definitions.${d.name}`;
    switch (d.type) {
      case 'const':
        defs.consts.set(d.name, typeof d.value === 'number' ? d.value : String(d.value));
        break;
      case 'enum': {
        const values: Record<string, number> = {};
        let next = typeof d['value-start'] === 'number' ? d['value-start'] : 0;
        for (const e of entryList(d)) {
          const v = e.value ?? next;
          values[e.name] = v;
          next = v + 1;
        }
        defs.enums.set(d.name, { name: d.name, values });
        break;
      }
      case 'flags': {
        const bits: Record<string, number> = {};
        let next = typeof d['value-start'] === 'number' ? d['value-start'] : 0;
        for (const e of entryList(d)) {
          const v = e.value ?? next;
          bits[e.name] = (2 ** v) >>> 0;
          next = v + 1;
        }
        defs.flags.set(d.name, { name: d.name, bits });
        break;
      }
      case 'struct':
        break;
      default:
        throw new SpecError(spec, where, `unknown definition type ${JSON.stringify(d.type)}`);
    }
  }
  // Structs, each after the structs it contains (in any order in the file; a cycle is an error).
  const structs = new Map(all.filter((d) => d.type === 'struct').map((d) => [d.name as string, d]));
  const busy = new Set<string>();
  const build = (name: string, where: string): StructSpec => {
    const done = defs.structs.get(name);
    if (done) return done;
    const d = structs.get(name);
    if (!d) throw new SpecError(spec, where, `struct ${name} is not defined`);
    if (busy.has(name)) throw new SpecError(spec, where, `struct ${name} contains itself`);
    busy.add(name);
    const st = { name, fields: (d.members ?? []).map((m: Yaml) => member(defs, m, spec, `definitions.${name}.${m.name}`, build)) };
    busy.delete(name);
    defs.structs.set(name, st);
    return st;
  };
  for (const name of structs.keys()) build(name, `definitions.${name}`);
  return defs;
}

function named(defs: Definitions, m: Yaml, spec: string, where: string): { enum?: EnumSpec; flags?: FlagsSpec } {
  if (!m.enum) return {};
  if (defs.flags.has(m.enum) || m['enum-as-flags']) return { flags: defs.bitsOf(m.enum) };
  const en = defs.enums.get(m.enum);
  if (!en) throw new SpecError(spec, where, `enum ${m.enum} is not defined`);
  return { enum: en };
}

function member(defs: Definitions, m: Yaml, spec: string, where: string, structOf: (name: string, where: string) => StructSpec): StructField {
  const name = camel(m.name);
  const t = intType(m.type, m['byte-order']);
  if (t) return { name, type: t, ...named(defs, m, spec, where) };
  switch (m.type) {
    case 'pad': return { name, type: 'pad', len: resolveLen(defs, m.len, spec, where) };
    case 'string': return { name, type: 'string', len: resolveLen(defs, m.len, spec, where) };
    case 'binary': {
      if (m.struct) {
        const s = structOf(m.struct, where);
        return { name, type: 'binary', len: compileStruct(s).size, struct: s };
      }
      const len = resolveLen(defs, m.len, spec, where);
      if (m['display-hint'] === 'mac') return { name, type: 'mac', len };
      if (m['display-hint'] === 'ipv4' && len === 4) return { name, type: 'ip4', len };
      if (m['display-hint'] === 'ipv6' && len === 16) return { name, type: 'ip6', len };
      return { name, type: 'binary', len };
    }
    default:
      throw new SpecError(spec, where, `unknown member type ${JSON.stringify(m.type)}`);
  }
}
