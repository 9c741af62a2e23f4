// A two-way number <-> name table read from an iproute2 configuration file (rt_tables,
// rt_protos, …) over built-in names, as iproute2 itself resolves them. Files are read lazily, once.
import { fs } from '../builtins.js';

const CONF_DIRS = ['/etc/iproute2', '/usr/share/iproute2', '/usr/lib/iproute2'];

/** A two-way table number <-> name. */
export class NameTable {
  private byNum: Map<number, string> | null = null;
  private byName: Map<string, number> | null = null;

  constructor(private readonly file: string, private readonly builtin: Record<number, string>, private readonly max = 0xffffffff) {}

  private load(): void {
    if (this.byNum) return;
    const byNum = new Map<number, string>();
    const byName = new Map<string, number>();
    for (const [k, v] of Object.entries(this.builtin)) {
      byNum.set(Number(k), v);
      byName.set(v, Number(k));
    }
    const read = (path: string) => {
      let text: string;
      try {
        text = fs.readFileSync(path, 'utf8');
      } catch {
        return false;
      }
      for (const raw of text.split('\n')) {
        const line = raw.replace(/#.*/, '').trim();
        if (!line) continue;
        const m = /^(0x[0-9a-fA-F]+|\d+)\s+(\S+)/.exec(line);
        if (!m) continue;
        const n = Number(m[1]);
        if (n > this.max) continue;
        byNum.set(n, m[2]!);
        byName.set(m[2]!, n);
      }
      return true;
    };
    for (const dir of CONF_DIRS) {
      if (!read(`${dir}/${this.file}`)) continue;
      try {
        for (const f of fs.readdirSync(`${dir}/${this.file}.d`).sort()) if (f.endsWith('.conf')) read(`${dir}/${this.file}.d/${f}`);
      } catch {
        // no .d directory
      }
      break;
    }
    this.byNum = byNum;
    this.byName = byName;
  }

  /** The name of `n`, or undefined. */
  name(n: number): string | undefined {
    if (n in this.builtin) return this.builtin[n];
    this.load();
    return this.byNum!.get(n);
  }

  /** The name of `n`, or `n` as decimal text (iproute2's n2a). */
  n2a(n: number): string {
    return this.name(n) ?? String(n);
  }

  /** The number for a name (or a number in decimal/hex), or undefined. */
  a2n(s: string): number | undefined {
    for (const [k, v] of Object.entries(this.builtin)) if (v === s) return Number(k);
    this.load();
    const n = this.byName!.get(s);
    if (n !== undefined) return n;
    const v = parseUnsigned(s);
    return v !== undefined && v <= this.max ? v : undefined;
  }
}

/** Parses an unsigned integer as strtoul(s, 0) does for a whole string: decimal, 0x hex, 0 octal. */
export function parseUnsigned(s: string, max = 0xffffffff): number | undefined {
  let v: number;
  if (/^0[xX][0-9a-fA-F]+$/.test(s)) v = parseInt(s.slice(2), 16);
  else if (/^0[0-7]+$/.test(s)) v = parseInt(s, 8);
  else if (/^[0-9]+$/.test(s)) v = Number(s);
  else return undefined;
  return Number.isSafeInteger(v) && v <= max ? v : undefined;
}
