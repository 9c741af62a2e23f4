// Code generation for decoders: each declaration becomes one straight-line function (object
// literals of a fixed shape, a switch on the attribute type, integer reads inlined), which is
// several times faster than walking a table per attribute. Built once per declaration.
import { HOST_LE } from '../wire/index.js';
import type { IntType } from './types.js';

/** How to read one integer type at byte offset expression `p` (`buf` and its DataView `dv` in scope). */
export function intReadExpr(t: IntType, p: string): string {
  const le = String(HOST_LE);
  switch (t) {
    case 'u8': return `buf[${p}]`; // an element load: cheaper than a DataView call before optimisation
    case 's8': return `dv.getInt8(${p})`;
    case 'u16': return `dv.getUint16(${p}, ${le})`;
    case 's16': return `dv.getInt16(${p}, ${le})`;
    case 'u32': return `dv.getUint32(${p}, ${le})`;
    case 's32': return `dv.getInt32(${p}, ${le})`;
    case 'u16be': return `dv.getUint16(${p}, false)`;
    case 's16be': return `dv.getInt16(${p}, false)`;
    case 'u32be': return `dv.getUint32(${p}, false)`;
    case 's32be': return `dv.getInt32(${p}, false)`;
    case 'u64': return `u64num(dv.getBigUint64(${p}, ${le}))`;
    case 's64': return `s64num(dv.getBigInt64(${p}, ${le}))`;
    case 'u64be': return `u64num(dv.getBigUint64(${p}, false))`;
    case 'uint': return `dv.getUint32(${p}, ${le})`;
    case 'sint': return `dv.getInt32(${p}, ${le})`;
  }
}

/** A property access that works for any name. */
export function prop(name: string): string {
  return /^[A-Za-z_$][\w$]*$/.test(name) ? `.${name}` : `[${JSON.stringify(name)}]`;
}

/** Compiles generated source into a function; `env` names become constants in its scope. */
export function build<F>(env: Record<string, unknown>, body: string): F {
  const names = Object.keys(env);
  // eslint-disable-next-line @typescript-eslint/no-implied-eval
  const factory = new Function(...names, `"use strict";\n${body}`) as (...a: unknown[]) => F;
  return factory(...names.map((n) => env[n]));
}
