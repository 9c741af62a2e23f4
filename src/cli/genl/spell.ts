// Names as a spec spells them. The library's objects use camelCase property names (camel() of
// the YNL name); the command line reads and prints the spec's own spelling ('dev-name',
// 'ifi-index', 'IFLA_…'-free kebab-case), as the kernel's YNL CLI does.
import { camel, type FamilyDef } from '../../genl/index.js';

/** Maps property names to the spec's spelling and back, for one family. */
export interface Speller {
  /** The spec's spelling of a property name ('devName' -> 'dev-name'). */
  ynl(prop: string): string;
}

/** 'devName' -> 'dev-name': the spelling of families declared in TypeScript (no YAML to ask). */
export function kebab(prop: string): string {
  return prop.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
}

function collect(v: unknown, out: Map<string, string>): void {
  if (Array.isArray(v)) for (const x of v) collect(x, out);
  else if (v && typeof v === 'object') {
    const name = (v as { name?: unknown }).name;
    if (typeof name === 'string' && !out.has(camel(name))) out.set(camel(name), name);
    for (const x of Object.values(v)) if (x && typeof x === 'object') collect(x, out);
  }
}

const cache = new WeakMap<FamilyDef, Speller>();

/**
 * The speller of a family: a loaded spec answers with the names its YAML uses (attributes,
 * struct members, sub-message sets); a TypeScript declaration with kebab-case of its property
 * names, which is what its YNL spec says for every family nlkit ships.
 */
export function speller(def: FamilyDef): Speller {
  let s = cache.get(def);
  if (s) return s;
  const y = (def as { yaml?: Record<string, unknown> }).yaml;
  const names = new Map<string, string>();
  if (y) for (const k of ['attribute-sets', 'definitions', 'sub-messages']) collect(y[k], names);
  s = {
    ynl(prop) {
      const n = names.get(prop);
      if (n !== undefined) return n;
      // An attribute renamed beside a header field of the same name (codec.ts: 'ifaFlagsAttr').
      const m = /^(.*)Attr_*$/.exec(prop);
      if (m && names.has(m[1]!)) return `${names.get(m[1]!)}-attr`;
      return kebab(prop);
    },
  };
  cache.set(def, s);
  return s;
}
