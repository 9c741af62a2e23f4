// Decoded netlink values as JSON: bigints as bare numbers, bytes as hex, unknown attributes
// as {type, hex}. One line (NDJSON) or indented.

/** Serialises a decoded value; `indent` 0 writes one line. */
export function toJson(v: unknown, indent = 2): string {
  return write(v, indent, 0);
}

function hex(b: Uint8Array): string {
  return Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString('hex');
}

function write(v: unknown, indent: number, depth: number): string {
  if (v === undefined || v === null) return 'null';
  if (typeof v === 'bigint') return v.toString();
  if (typeof v === 'number') return Number.isFinite(v) ? String(v) : 'null';
  if (typeof v === 'string' || typeof v === 'boolean') return JSON.stringify(v);
  if (v instanceof Uint8Array) return JSON.stringify(hex(v));
  if (v instanceof Map) return write(Object.fromEntries(v), indent, depth);
  const nl = indent ? '\n' + ' '.repeat(indent * (depth + 1)) : '';
  const end = indent ? '\n' + ' '.repeat(indent * depth) : '';
  const sep = indent ? ': ' : ':';
  if (Array.isArray(v)) {
    if (v.length === 0) return '[]';
    return `[${v.map((x) => nl + write(x, indent, depth + 1)).join(',')}${end}]`;
  }
  const entries = Object.entries(v as Record<string, unknown>).filter(([, x]) => x !== undefined).map(([k, x]) => {
    if (k === '$unknown' && Array.isArray(x)) {
      return [k, x.map((u: { type: number; bytes: Uint8Array }) => ({ type: u.type, hex: hex(u.bytes) }))] as const;
    }
    return [k, x] as const;
  });
  if (entries.length === 0) return '{}';
  return `{${entries.map(([k, x]) => nl + JSON.stringify(k) + sep + write(x, indent, depth + 1)).join(',')}${end}}`;
}
