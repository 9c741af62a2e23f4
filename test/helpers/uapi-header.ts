// A small parser of C UAPI headers for the route constant checks: #define values, enum members
// (skipping the `#define X X` lines the kernel puts inside enums, so counting stays right), and
// sizes of structs made of fixed-width fields (natural alignment, tail padding only). Parsed,
// not compiled: runs wherever the headers are installed.
import { existsSync, readFileSync } from 'node:fs';

const TYPE_SIZES: Record<string, number> = {
  __u8: 1, __s8: 1, __u16: 2, __s16: 2, __be16: 2, __u32: 4, __s32: 4, __be32: 4, __u64: 8, __s64: 8, __be64: 8,
  'unsigned char': 1, 'unsigned short': 2, int: 4, unsigned: 4, 'unsigned int': 4, __kernel_sa_family_t: 2,
};

/** Parsed header values: name -> value, and struct sizes. */
export interface Header {
  values: Map<string, number>;
  structs: Map<string, number>;
}

/** Parses the given headers (missing files are skipped). */
export function parseUapiHeaders(files: string[]): Header {
  const values = new Map<string, number>();
  const raw = new Map<string, string>();
  const structs = new Map<string, number>();
  for (const f of files) {
    if (!existsSync(f)) continue;
    const text = readFileSync(f, 'utf8').replace(/\/\*[\s\S]*?\*\//g, ' ').replace(/\/\/.*$/gm, '');
    for (const m of text.matchAll(/^[ \t]*#[ \t]*define[ \t]+([A-Za-z_]\w*)[ \t]+(.+)$/gm)) {
      if (!raw.has(m[1]!)) raw.set(m[1]!, m[2]!.trim());
    }
    for (const m of text.matchAll(/\benum\s*\w*\s*\{([^}]*)\}/g)) {
      let next = 0;
      for (const part of m[1]!.replace(/^\s*#.*$/gm, '').split(',')) {
        const mm = /^\s*([A-Za-z_]\w*)\s*(?:=\s*([\s\S]+?))?\s*$/.exec(part);
        if (!mm) continue;
        if (mm[2] !== undefined) {
          const v = evaluate(mm[2], values, raw);
          if (v === undefined) continue;
          next = v;
        }
        values.set(mm[1]!, next++);
      }
    }
    for (const m of text.matchAll(/\bstruct\s+(\w+)\s*\{([^}]*)\}/g)) {
      let size = 0;
      let align = 1;
      let ok = true;
      for (const field of m[2]!.replace(/^\s*#.*$/gm, '').split(';')) {
        const fm = /^\s*((?:unsigned\s+)?\w+)\s+(\w+)(?:\s*\[\s*(\d*)\s*\])?\s*$/.exec(field.replace(/\s+/g, ' '));
        if (!fm) {
          if (field.trim()) ok = false;
          continue;
        }
        const s = TYPE_SIZES[fm[1]!];
        if (s === undefined) ok = false;
        else {
          size += s * (fm[3] === undefined ? 1 : fm[3] === '' ? 0 : Number(fm[3]));
          align = Math.max(align, s);
        }
      }
      if (ok) structs.set(m[1]!, Math.ceil(size / align) * align);
    }
  }
  for (const [name, expr] of raw) {
    if (values.has(name)) continue;
    const v = evaluate(expr, values, raw);
    if (v !== undefined) values.set(name, v);
  }
  return { values, structs };
}

function evaluate(expr: string, values: Map<string, number>, raw: Map<string, string>, depth = 0): number | undefined {
  if (depth > 10) return undefined;
  let e = expr.replace(/\b(0x[0-9a-fA-F]+|\d+)[uUlL]+\b/g, '$1').replace(/\(\s*(?:int|unsigned int|__u32)\s*\)/g, '');
  let bad = false;
  e = e.replace(/\b([A-Za-z_]\w*)\b/g, (name: string) => {
    if (/^0x/.test(name)) return name;
    if (values.has(name)) return String(values.get(name));
    const r = raw.get(name);
    if (r !== undefined && r !== name) {
      const v = evaluate(r, values, raw, depth + 1);
      if (v !== undefined) return String(v);
    }
    bad = true;
    return name;
  });
  if (bad || !/^[\s\d()xa-fA-F|&~<>+\-*]+$/.test(e)) return undefined;
  try {
    const v = new Function(`return (${e});`)() as number;
    return Number.isInteger(v) ? v : undefined;
  } catch {
    return undefined;
  }
}
