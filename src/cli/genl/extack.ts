// A refusal as the kernel's YNL CLI reports it: "Netlink error: <strerror>" and the extended
// ACK with attributes named from the spec — 'bad-attr' (NLMSGERR_ATTR_OFFS as a path),
// 'miss-type' and 'miss-nest' (NLMSGERR_ATTR_MISS_TYPE / _MISS_NEST).
import { fixedSize } from '../../genl/codec.js';
import type { FamilyDef, OpDef } from '../../genl/index.js';
import type { AttributeSet, Field } from '../../schema/index.js';
import { errnoMessage, type NetlinkError } from '../../socket/index.js';
import { NLMSG_HDRLEN } from '../../wire/index.js';
import { opAttributeSet } from '../../genl/codec.js';
import type { Speller } from './spell.js';

const NLA_TYPE_MASK = 0x3fff;

/** The attribute set inside an attribute of field `f`, when it is a nest of one. */
function innerSet(f: Field): AttributeSet | undefined {
  switch (f.kind) {
    case 'nest': case 'nest-array': return f.set();
    case 'array': case 'indexed-array': case 'type-value': return innerSet(f.item);
    default: return undefined;
  }
}

/** Entries of an array or map nest are numbered, not named: their attributes are the items. */
function itemsAreEntries(f: Field): boolean {
  return f.kind === 'nest-array' || f.kind === 'indexed-array' || f.kind === 'type-value' || (f.kind === 'array' && itemsAreEntries(f.item));
}

interface Found {
  set: AttributeSet;
  path: string;
}

// Walks the attributes in buf[start, end) typed by `set`; returns the nest starting at `target`.
function nestAt(buf: Uint8Array, start: number, end: number, set: AttributeSet, path: string, target: number, sp: Speller): Found | undefined {
  const dv = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  for (let p = start; p + 4 <= end;) {
    const len = dv.getUint16(p, true);
    if (len < 4 || p + len > end) return undefined;
    const a = set.attrs.find((d) => d.type === (dv.getUint16(p + 2, true) & NLA_TYPE_MASK));
    const inner = a ? innerSet(a.field) : undefined;
    if (a && inner) {
      const here = `${path}.${sp.ynl(a.name)}`;
      if (p === target && !itemsAreEntries(a.field)) return { set: inner, path: here };
      if (itemsAreEntries(a.field)) {
        // Each entry is a nest of `inner`.
        for (let q = p + 4; q + 4 <= p + len;) {
          const l = dv.getUint16(q, true);
          if (l < 4) break;
          if (q === target) return { set: inner, path: here };
          const r = nestAt(buf, q + 4, q + l, inner, here, target, sp);
          if (r) return r;
          q += (l + 3) & ~3;
        }
      } else {
        const r = nestAt(buf, p + 4, p + len, inner, here, target, sp);
        if (r) return r;
      }
    }
    p += (len + 3) & ~3;
  }
  return undefined;
}

function pathOf(set: AttributeSet, types: readonly number[], sp: Speller): string {
  let s: AttributeSet | undefined = set;
  let out = '';
  let entries = false;
  for (const t of types) {
    if (!s) {
      out += `.${t}`;
      continue;
    }
    if (entries) {
      out += `[${t}]`;
      entries = false;
      continue;
    }
    const a = s.attrs.find((d) => d.type === (t & NLA_TYPE_MASK));
    if (!a) {
      out += `.${t}`;
      s = undefined;
      continue;
    }
    out += `.${sp.ynl(a.name)}`;
    entries = itemsAreEntries(a.field);
    s = innerSet(a.field);
  }
  return out;
}

/** The extended ACK of a refusal with the attributes it points at named from the spec. */
export function extack(e: NetlinkError, def: FamilyDef, op: OpDef, sp: Speller): Record<string, string | number> {
  const out: Record<string, string | number> = {};
  if (e.kernelMessage !== undefined) out.msg = e.kernelMessage;
  const top = opAttributeSet(op) as AttributeSet;
  if (e.attributePath) out['bad-attr'] = pathOf(top, e.attributePath, sp);
  else if (e.offset !== undefined) out['bad-attr-offs'] = e.offset;
  if (e.missingType !== undefined) {
    let where: Found | undefined = { set: top, path: '' };
    if (e.missingNest !== undefined) {
      where = e.request ? nestAt(e.request, NLMSG_HDRLEN + fixedSize(def, op), e.request.byteLength, top, '', e.missingNest, sp) : undefined;
      out['miss-nest'] = where ? where.path : e.missingNest;
    }
    const a = where?.set.attrs.find((d) => d.type === e.missingType);
    out['miss-type'] = a ? sp.ynl(a.name) : e.missingType;
  }
  return out;
}

/** "Netlink error: Invalid argument" and, when the kernel said more, its extended ACK on a second line. */
export function refusalText(e: NetlinkError, def: FamilyDef, op: OpDef, sp: Speller): string {
  const ack = extack(e, def, op, sp);
  const fields = Object.entries(ack).map(([k, v]) => `'${k}': ${typeof v === 'number' ? v : `'${v.replace(/'/g, "\\'")}'`}`);
  return `Netlink error: ${errnoMessage(e.errno)}\n` + (fields.length ? `\textack: {${fields.join(', ')}}\n` : '');
}
