// Struct layout: where each member of a fixed struct lies, and which field kind it is.
import { intSize } from './ints.js';
import type { Field, StructField, StructSpec } from './types.js';

/** One member of a struct: its declaration, size, offset and field kind (undefined for padding). */
export interface Member {
  readonly f: StructField;
  readonly size: number;
  readonly at: number;
  readonly field: Field | undefined;
}

/** Each member of a struct with its size, offset and kind. */
export type Layout = Member[];

/** The field kind a struct member decodes and encodes as (see kinds.ts); undefined for padding. */
export function memberField(f: StructField): Field | undefined {
  switch (f.type) {
    case 'pad': return undefined;
    case 'binary': return f.struct ? { kind: 'struct', struct: f.struct } : { kind: 'binary' };
    case 'mac': return { kind: 'mac' };
    case 'ip4': case 'ip6': case 'ipaddr': return { kind: 'ipaddr' };
    case 'string': return { kind: 'string' };
    default: return { kind: 'int', type: f.type, ...(f.enum ? { enum: f.enum } : {}), ...(f.flags ? { flags: f.flags } : {}) };
  }
}

function memberSize(f: StructField): number {
  switch (f.type) {
    case 'binary': return f.len ?? (f.struct ? structSize(f.struct) : 0);
    case 'pad': case 'mac': case 'ip4': case 'ip6': case 'ipaddr': case 'string':
      return f.len ?? (f.type === 'ip4' ? 4 : f.type === 'ip6' ? 16 : f.type === 'mac' ? 6 : 0);
    default: return intSize(f.type);
  }
}

/** The layout of a struct declaration: each member with its size and offset. */
export function structLayout(spec: StructSpec): Layout {
  let off = 0;
  return spec.fields.map((f) => {
    const size = memberSize(f);
    const at = off;
    off += size;
    return { f, size, at, field: memberField(f) };
  });
}

/** The declared size of a struct in bytes, without compiling it. */
export function structSize(spec: StructSpec): number {
  let n = 0;
  for (const f of spec.fields) n += memberSize(f);
  return n;
}
