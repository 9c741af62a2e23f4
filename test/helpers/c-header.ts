// Reads the values of enums and plain #defines from a C UAPI header (no compiler needed), for
// tests that check nlkit's declarations against the kernel's own numbers.
import { existsSync, readFileSync } from 'node:fs';

/** name -> value of every enumerator and every numeric/aliased #define in the given headers. */
export function cConstants(...files: string[]): Map<string, number> {
  const out = new Map<string, number>();
  const defines = new Map<string, string>();
  for (const f of files) {
    if (!existsSync(f)) continue;
    const text = readFileSync(f, 'utf8').replace(/\/\*[\s\S]*?\*\//g, ' ').replace(/\/\/.*$/gm, '');
    for (const m of text.matchAll(/^[ \t]*#[ \t]*define[ \t]+([A-Za-z_]\w*)[ \t]+(.+)$/gm)) defines.set(m[1]!, m[2]!.trim());
    for (const m of text.matchAll(/\benum\s*\w*\s*\{([^}]*)\}/g)) {
      let next = 0;
      for (const part of m[1]!.split(',')) {
        const mm = /^\s*([A-Za-z_]\w*)\s*(?:=\s*(.+?))?\s*$/.exec(part);
        if (!mm) continue;
        if (mm[2] !== undefined) {
          const v = evalExpr(mm[2], out);
          if (v === undefined) continue;
          next = v;
        }
        out.set(mm[1]!, next++);
      }
    }
  }
  for (let pass = 0; pass < 3; pass++) {
    for (const [k, e] of defines) {
      if (out.has(k)) continue;
      const v = evalExpr(e, out);
      if (v !== undefined) out.set(k, v);
    }
  }
  return out;
}

function evalExpr(e: string, known: Map<string, number>): number | undefined {
  const s = e.replace(/\b(0x[0-9a-f]+|\d+)[uUlL]*\b/gi, '$1').replace(/\b([A-Za-z_]\w*)\b/g, (n) => (known.has(n) ? String(known.get(n)) : 'NaN'));
  if (!/^[\s\d()xa-fA-FN|&~<>+\-*]*$/.test(s)) return undefined;
  try {
    const v = new Function(`return (${s});`)() as number;
    return Number.isInteger(v) ? v : undefined;
  } catch {
    return undefined;
  }
}

/** 'devIndex' -> 'DEV_INDEX', 'bitfield32Mask' -> 'BITFIELD32_MASK'. */
export function upperSnake(camel: string): string {
  return camel.replace(/([a-z0-9])([A-Z])/g, '$1_$2').replace(/-/g, '_').toUpperCase();
}
