// `attr=value` words into a message object, each value parsed per the attribute's declaration:
//
//   header.dev-name=veth0        nested attribute (names in YNL or camelCase spelling)
//   stringsets.stringset.0.id=4  a repeated attribute's first item
//   flags=compact-bitsets,stats  flag names (or numbers) joined by commas
//   counts-only                  a flag attribute: present
//   cookie=0a0b0c                bytes as hex
import type { AttributeSet, Field } from '../../schema/index.js';
import { camel } from '../../genl/index.js';
import { UsageError } from '../errors.js';

function findAttr(set: AttributeSet, name: string): { name: string; field: Field } | undefined {
  const c = camel(name);
  const a = set.attrs.find((x) => x.name === c || x.name === name);
  return a ? { name: a.name, field: a.field } : undefined;
}

function hexBytes(s: string, what: string): Uint8Array {
  const h = s.replace(/^0x/i, '').replace(/[:\s-]/g, '');
  if (!/^([0-9a-f]{2})*$/i.test(h)) throw new UsageError(`${what}: "${s}" is not hex bytes`);
  return Uint8Array.from(h.match(/../g) ?? [], (x) => parseInt(x, 16));
}

/** Converts the text of a leaf value per its field. */
export function leafValue(f: Field, text: string | undefined, what: string): unknown {
  switch (f.kind) {
    case 'flag':
      return text === undefined || !/^(0|false|no|off)$/i.test(text) ? true : undefined;
    case 'int':
      if (text === undefined) throw new UsageError(`${what} needs a value`);
      if (f.flags) return text.split(',').filter(Boolean).map((x) => (/^\d+$/.test(x) ? Number(x) : x));
      return /^-?\d+$/.test(text) && Math.abs(Number(text)) <= Number.MAX_SAFE_INTEGER ? Number(text) : text;
    case 'binary':
      return hexBytes(text ?? '', what);
    case 'int-array':
      return (text ?? '').split(',').filter(Boolean).map((x) => Number(x));
    case 'array':
      return leafValue(f.item, text, what);
    case 'string': case 'mac': case 'ipaddr':
      if (text === undefined) throw new UsageError(`${what} needs a value`);
      return text;
    default:
      if (text === undefined) throw new UsageError(`${what} needs a value`);
      try {
        return JSON.parse(text);
      } catch {
        throw new UsageError(`${what}: give a nested value as path.to.attr=value, or JSON`);
      }
  }
}

function innerSet(f: Field): AttributeSet | undefined {
  if (f.kind === 'nest' || f.kind === 'nest-array') return f.set();
  if ((f.kind === 'array' || f.kind === 'indexed-array') && f.item.kind === 'nest') return f.item.set();
  return undefined;
}

function isList(f: Field): boolean {
  return f.kind === 'array' || f.kind === 'nest-array' || f.kind === 'indexed-array';
}

/** Applies one `path=value` word to `obj` (typed by `set`). */
export function assign(set: AttributeSet, obj: Record<string, unknown>, word: string): void {
  const eq = word.indexOf('=');
  const path = (eq < 0 ? word : word.slice(0, eq)).split('.');
  const text = eq < 0 ? undefined : word.slice(eq + 1);
  let cur: Record<string, unknown> = obj;
  let curSet = set;
  for (let i = 0; i < path.length; i++) {
    const a = findAttr(curSet, path[i]!);
    if (!a) throw new UsageError(`"${path.slice(0, i + 1).join('.')}": ${curSet.name} has no attribute "${path[i]}"`, `Known: ${curSet.attrs.map((x) => x.name).join(', ')}`);
    const last = i === path.length - 1;
    const list = isList(a.field);
    let idx: number | undefined;
    if (list && !last && /^\d+$/.test(path[i + 1]!)) idx = Number(path[++i]);
    const sub = innerSet(a.field);
    if (i === path.length - 1) {
      const v = leafValue(a.field, text, path.join('.'));
      if (list && sub === undefined) ((cur[a.name] ??= []) as unknown[]).push(v);
      else if (list && idx !== undefined) ((cur[a.name] ??= []) as unknown[])[idx] = v;
      else cur[a.name] = v;
      return;
    }
    if (!sub) throw new UsageError(`"${path.slice(0, i + 1).join('.')}" is not a nest`);
    if (list) {
      const arr = (cur[a.name] ??= []) as Record<string, unknown>[];
      const k = idx ?? 0;
      cur = arr[k] ??= {};
    } else cur = (cur[a.name] ??= {}) as Record<string, unknown>;
    curSet = sub;
  }
}

/** Rewrites the keys of a JSON request to the declaration's property names (kebab -> camel). */
export function camelKeys(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(camelKeys);
  if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [camel(k), camelKeys(x)]));
  return v;
}
