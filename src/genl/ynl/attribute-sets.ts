// YNL `attribute-sets:` (and `sub-messages:`) -> schema attribute sets.
import {
  array, binary, flag, indexedArray, int, intArray, ipaddr, mac, nest, nestArray, string, struct, structSpec,
  subMessage, typeValue, type AttrDecl, type AttributeSet, type Field,
} from '../../schema/index.js';
import { SpecError, camel, intType, type Definitions, type Yaml } from './definitions.js';

/** One attribute of a set as the spec says it, after subset-of is resolved. */
interface AttrSpec extends Yaml {
  name: string;
  value: number;
}

/** The attribute sets of a spec by YNL name, built lazily (sets refer to each other). */
export class AttributeSets {
  private readonly raw = new Map<string, AttrSpec[]>();
  private readonly built = new Map<string, AttributeSet>();
  private readonly subMessages = new Map<string, Yaml>();

  constructor(private readonly y: Yaml, private readonly defs: Definitions, private readonly spec: string, private readonly nestedFlag: boolean) {
    const sets = (y['attribute-sets'] ?? []) as Yaml[];
    for (const s of sets) if (!s['subset-of']) this.raw.set(s.name, numbered(s));
    for (const s of sets) {
      if (!s['subset-of']) continue;
      const parent = this.raw.get(s['subset-of']);
      if (!parent) throw new SpecError(spec, `attribute-sets.${s.name}`, `subset-of unknown set ${s['subset-of']}`);
      this.raw.set(s.name, (s.attributes as Yaml[]).map((a) => {
        const p = parent.find((x) => x.name === a.name);
        if (!p) throw new SpecError(spec, `attribute-sets.${s.name}.${a.name}`, `not in ${s['subset-of']}`);
        return { ...p, ...a, value: p.value };
      }));
    }
    for (const m of (y['sub-messages'] ?? []) as Yaml[]) this.subMessages.set(m.name, m);
  }

  /** YNL names of every set. */
  names(): string[] {
    return [...this.raw.keys()];
  }

  /** The attribute spec (YNL) of one attribute, for value parsing and documentation. */
  attrSpec(set: string, attr: string): Yaml | undefined {
    return this.raw.get(set)?.find((a) => a.name === attr || camel(a.name) === attr);
  }

  /** The set by YNL name (built once; nests resolve when first used). */
  get(name: string): AttributeSet {
    let s = this.built.get(name);
    if (s) return s;
    const attrs = this.raw.get(name);
    if (!attrs) throw new SpecError(this.spec, `attribute set ${name}`, 'is not defined');
    const list: AttrDecl[] = [];
    s = { name, attrs: list, nestedFlag: this.nestedFlag };
    this.built.set(name, s);
    for (const a of attrs) {
      const f = this.field(a, `attribute-sets.${name}.${a.name}`);
      if (f) list.push({ type: a.value, name: camel(a.name), field: a['multi-attr'] ? array(f) : f });
    }
    return s;
  }

  private setRef(name: unknown, where: string): () => AttributeSet {
    if (typeof name !== 'string' || !this.raw.has(name)) throw new SpecError(this.spec, where, `nested-attributes ${JSON.stringify(name)} is not a set`);
    return () => this.get(name);
  }

  private named(a: Yaml, where: string): { enum?: never; flags?: never } | Record<string, unknown> {
    if (!a.enum) return {};
    if (this.defs.flags.has(a.enum) || a['enum-as-flags']) return { flags: this.defs.bitsOf(a.enum) };
    const en = this.defs.enums.get(a.enum);
    if (!en) throw new SpecError(this.spec, where, `enum ${a.enum} is not defined`);
    return { enum: en };
  }

  private scalar(type: string, a: Yaml, where: string): Field | undefined {
    const t = intType(type, a['byte-order']);
    if (!t) return undefined;
    return int(t, this.named(a, where) as never) as Field;
  }

  private structField(name: string, where: string): Field {
    const st = this.defs.structs.get(name);
    if (!st) throw new SpecError(this.spec, where, `struct ${name} is not defined`);
    return struct(st) as Field;
  }

  private field(a: Yaml, where: string): Field | undefined {
    // An address kept in a u32 (network order) reads best as text, as ynl shows it.
    if (a.type === 'u32' && !a.enum && (a['display-hint'] === 'ipv4' || a['display-hint'] === 'ipv6')) return ipaddr();
    const sc = this.scalar(a.type, a, where);
    if (sc) return sc;
    switch (a.type) {
      case 'unused': return undefined;
      case 'pad': return binary();
      case 'flag': return flag();
      case 'string': return string();
      case 'binary': {
        if (a.struct) return this.structField(a.struct, where);
        const sub = a['sub-type'] ? intType(a['sub-type'], a['byte-order']) : undefined;
        if (sub) return intArray(sub) as Field;
        const hint = a['display-hint'];
        if (hint === 'mac') return mac();
        if (hint === 'ipv4' || hint === 'ipv6') return ipaddr();
        return binary();
      }
      case 'bitfield32': {
        const names = this.named(a, where) as Record<string, unknown>;
        return struct(structSpec('bitfield32', [
          { name: 'value', type: 'u32', ...names }, { name: 'selector', type: 'u32', ...names },
        ] as never)) as Field;
      }
      case 'nest': return nest(this.setRef(a['nested-attributes'], where));
      case 'indexed-array': case 'array-nest': {
        const sub = a['sub-type'] ?? 'nest';
        if (sub === 'nest') return nestArray(this.setRef(a['nested-attributes'], where));
        const item = this.scalar(sub, a, where) ?? (sub === 'binary' ? (a.struct ? this.structField(a.struct, where) : binary()) : undefined);
        if (!item) throw new SpecError(this.spec, where, `indexed-array of ${sub} is not supported`);
        return indexedArray(item);
      }
      case 'nest-type-value': {
        let f: Field = nest(this.setRef(a['nested-attributes'], where));
        const keys = (a['type-value'] as unknown[] | undefined) ?? [undefined];
        // Innermost first: the last name in type-value keys the innermost map.
        for (let i = keys.length - 1; i >= 0; i--) f = typeValue(f, typeof keys[i] === 'string' ? keys[i] as string : undefined);
        return f;
      }
      case 'sub-message': return this.subMessage(a, where);
      default:
        throw new SpecError(this.spec, where, `unknown attribute type ${JSON.stringify(a.type)}`);
    }
  }

  private subMessage(a: Yaml, where: string): Field {
    const m = this.subMessages.get(a['sub-message']);
    if (!m) throw new SpecError(this.spec, where, `sub-message ${a['sub-message']} is not defined`);
    if (!a.selector) throw new SpecError(this.spec, where, 'sub-message without a selector');
    const map: Record<string, Field> = {};
    for (const fmt of m.formats as Yaml[]) {
      const header = fmt['fixed-header'] ? this.defs.structs.get(fmt['fixed-header']) : undefined;
      if (fmt['fixed-header'] && !header) throw new SpecError(this.spec, `sub-messages.${m.name}.${fmt.value}`, `struct ${fmt['fixed-header']} is not defined`);
      if (fmt['attribute-set']) {
        const ref = this.setRef(fmt['attribute-set'], `sub-messages.${m.name}.${fmt.value}`);
        map[String(fmt.value)] = header ? nest(ref, { header }) : nest(ref);
      } else if (header) map[String(fmt.value)] = struct(header) as Field;
      else map[String(fmt.value)] = binary();
    }
    return subMessage(camel(a.selector), map) as Field;
  }
}

/** Numbers a set's attributes: from 1, or from an explicit `value`, each next one plus 1. */
function numbered(s: Yaml): AttrSpec[] {
  let next = 1;
  return (s.attributes as Yaml[]).map((a) => {
    const value = typeof a.value === 'number' ? a.value : next;
    next = value + 1;
    return { ...a, name: a.name, value };
  });
}
