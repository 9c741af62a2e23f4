// A decoded reply as the kernel's YNL CLI shows it: names in the spec's spelling, sub-messages
// read by their selector, and nest-type-value maps as objects that name their keys
// (nlctrl getpolicy: {"policy-id": 0, "attr-id": 1, "type": "u32"}), not bare numbers.
import { opAttributeSet } from '../../genl/codec.js';
import type { OpDef } from '../../genl/index.js';
import type { AttributeSet, Field } from '../../schema/index.js';
import type { Speller } from './spell.js';

type Obj = Record<string, unknown>;

interface Up {
  obj: Obj;
  up: Up | undefined;
}

const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof Uint8Array) && !(v instanceof Map);

/** Plain objects (structs) with their keys respelled. */
function keys(v: unknown, sp: Speller): unknown {
  if (Array.isArray(v)) return v.map((x) => keys(x, sp));
  if (!isObj(v)) return v;
  return Object.fromEntries(Object.entries(v).map(([k, x]) => [k.startsWith('$') ? k : sp.ynl(k), keys(x, sp)]));
}

// The entries of a type-value map, each an object naming its key(s): YNL's shape, all entries kept.
function typeValueEntries(f: Extract<Field, { kind: 'type-value' }>, v: Obj, up: Up | undefined, sp: Speller): Obj[] {
  const out: Obj[] = [];
  const key = f.key ?? 'type';
  for (const [k, x] of Object.entries(v)) {
    const base: Obj = { [key]: Number(k) };
    if (f.item.kind === 'type-value' && isObj(x)) {
      for (const inner of typeValueEntries(f.item, x, up, sp)) out.push({ ...base, ...inner });
      continue;
    }
    const r = field(f.item, x, up, sp);
    out.push(isObj(r) ? { ...base, ...r } : { ...base, value: r });
  }
  return out;
}

function field(f: Field, v: unknown, up: Up | undefined, sp: Speller): unknown {
  if (v instanceof Uint8Array) return v;
  switch (f.kind) {
    case 'array': return Array.isArray(v) ? v.map((x) => field(f.item, x, up, sp)) : v;
    case 'nest': return isObj(v) ? set(f.set(), v, up, sp) : v;
    case 'nest-array': return Array.isArray(v) ? v.map((x) => (isObj(x) ? set(f.set(), x, up, sp) : x)) : v;
    case 'indexed-array': return Array.isArray(v) ? v.map((x) => field(f.item, x, up, sp)) : v;
    case 'type-value': {
      if (!isObj(v)) return v;
      const entries = typeValueEntries(f, v, up, sp);
      return entries.length === 1 ? entries[0] : entries;
    }
    case 'sub-message': {
      let sel: unknown;
      for (let u = up; sel === undefined && u; u = u.up) sel = u.obj[f.selector];
      const sub = sel === undefined ? undefined : f.map[String(sel)];
      return sub ? field(sub, v, up, sp) : keys(v, sp);
    }
    default: return keys(v, sp);
  }
}

function set(s: AttributeSet, v: Obj, up: Up | undefined, sp: Speller): Obj {
  const here: Up = { obj: v, up };
  const out: Obj = {};
  for (const [k, x] of Object.entries(v)) {
    if (k.startsWith('$')) {
      out[k] = x;
      continue;
    }
    const a = s.attrs.find((d) => d.name === k);
    out[sp.ynl(k)] = a ? field(a.field, x, here, sp) : keys(x, sp);
  }
  return out;
}

/** A decoded message of `op` (fixed-header fields and attributes) in the spec's spelling. */
export function renderMessage(op: OpDef, value: Obj, sp: Speller): Obj {
  return set(opAttributeSet(op) as AttributeSet, value, undefined, sp);
}
