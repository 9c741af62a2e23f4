// Every constant nlkit's wire layer exports must equal the kernel UAPI header's value. The
// headers are parsed (#define and enum), not compiled, so this runs wherever they are installed.
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { test } from 'node:test';
import * as constants from '../src/wire/constants.js';

const NETLINK_H = '/usr/include/linux/netlink.h';

/** Where each exported constant is defined, when not in <linux/netlink.h>. */
function headerFiles(): string[] {
  const files = [NETLINK_H, '/usr/include/asm-generic/socket.h', '/usr/include/linux/capability.h'];
  // SOL_NETLINK is not in the kernel's UAPI but in the libc's <bits/socket.h>.
  for (const d of readdirSync('/usr/include')) {
    const f = `/usr/include/${d}/bits/socket.h`;
    if (existsSync(f)) files.push(f);
  }
  return files.filter((f) => existsSync(f));
}

const TYPE_SIZES: Record<string, number> = { __u8: 1, __u16: 2, __u32: 4, __s32: 4, __s16: 2, int: 4 };

/** Parses #defines, enums and struct sizes of C headers into name -> value. */
function parseHeaders(files: string[]): Map<string, number> {
  const raw = new Map<string, string>();
  const values = new Map<string, number>();
  const sizes = new Map<string, number>();
  for (const f of files) {
    const text = readFileSync(f, 'utf8').replace(/\/\*[\s\S]*?\*\//g, ' ').replace(/\/\/.*$/gm, '');
    for (const m of text.matchAll(/^[ \t]*#[ \t]*define[ \t]+([A-Za-z_]\w*)[ \t]+(.+)$/gm)) {
      if (!raw.has(m[1]!)) raw.set(m[1]!, m[2]!.trim());
    }
    for (const m of text.matchAll(/\benum\s*\w*\s*\{([^}]*)\}/g)) {
      let next = 0;
      for (const part of m[1]!.split(',')) {
        const mm = /^\s*([A-Za-z_]\w*)\s*(?:=\s*(.+?))?\s*$/.exec(part);
        if (!mm) continue;
        if (mm[2] !== undefined) {
          const v = evaluate(mm[2], values, sizes, raw);
          if (v === undefined) continue;
          next = v;
        }
        values.set(mm[1]!, next++);
      }
    }
    for (const m of text.matchAll(/\bstruct\s+(\w+)\s*\{([^}]*)\}/g)) {
      let size = 0;
      let ok = true;
      for (const field of m[2]!.split(';')) {
        const fm = /^\s*(\w+)\s+\w+\s*$/.exec(field);
        if (!fm) continue;
        const s = TYPE_SIZES[fm[1]!];
        if (s === undefined) ok = false;
        else size += s;
      }
      if (ok) sizes.set(m[1]!, size);
    }
  }
  for (const name of raw.keys()) {
    const v = evaluate(raw.get(name)!, values, sizes, raw);
    if (v !== undefined && !values.has(name)) values.set(name, v);
  }
  return values;
}

/** Evaluates a constant C expression of numbers, known names, casts, NL*_ALIGN() and sizeof(struct). */
function evaluate(expr: string, values: Map<string, number>, sizes: Map<string, number>, raw: Map<string, string>, depth = 0): number | undefined {
  if (depth > 10) return undefined;
  let e = expr
    .replace(/\(\s*(?:int|unsigned int|__u32)\s*\)/g, '')
    .replace(/sizeof\s*\(\s*struct\s+(\w+)\s*\)/g, (_, s: string) => (sizes.has(s) ? String(sizes.get(s)) : 'NaN'))
    .replace(/\b(?:NLMSG_ALIGN|NLA_ALIGN)\s*\(/g, 'align4(')
    .replace(/\b(0x[0-9a-fA-F]+|\d+)[uUlL]+\b/g, '$1');
  e = e.replace(/\b([A-Za-z_]\w*)\b/g, (name: string) => {
    if (name === 'align4' || name === 'NaN') return name;
    if (values.has(name)) return String(values.get(name));
    if (raw.has(name)) {
      const v = evaluate(raw.get(name)!, values, sizes, raw, depth + 1);
      return v === undefined ? 'NaN' : String(v);
    }
    return 'NaN';
  });
  if (!/^[\s\d()xa-fA-F|&~<>+\-*]*(align4[\s\d()x|&~<>+\-*]*)*$/.test(e.replace(/align4/g, ''))) return undefined;
  try {
    const v = new Function('align4', `return (${e});`)((n: number) => (n + 3) & ~3) as number;
    return Number.isInteger(v) ? v : undefined;
  } catch {
    return undefined;
  }
}

test('every constant in src/wire/constants.ts equals the kernel UAPI header', (t) => {
  if (!existsSync(NETLINK_H)) {
    t.skip(`${NETLINK_H} is missing (install linux-libc-dev)`);
    return;
  }
  const header = parseHeaders(headerFiles());
  // The parser must understand the header at all before its silence means anything.
  assert.equal(header.get('NLMSG_HDRLEN'), 16);
  assert.equal(header.get('NLMSGERR_ATTR_MISS_NEST'), 6);

  const mismatches: string[] = [];
  const missing: string[] = [];
  let checked = 0;
  for (const [name, ours] of Object.entries(constants)) {
    if (typeof ours !== 'number') continue;
    let theirs = header.get(name);
    if (theirs === undefined) {
      missing.push(name);
      continue;
    }
    // nla_type is a __u16: the header's ~(…) mask is compared in 16 bits.
    if (name === 'NLA_TYPE_MASK') theirs &= 0xffff;
    if (theirs !== ours) mismatches.push(`${name}: nlkit ${ours}, header ${theirs}`);
    checked++;
  }
  assert.deepEqual(missing, [], 'constants not found in any header');
  assert.deepEqual(mismatches, []);
  assert.ok(checked >= 50, `checked ${checked} constants`);
});
