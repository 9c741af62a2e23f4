// One emit/parse pair for every operation of every family: nlmsghdr, then genlmsghdr (genetlink
// only), then the operation's fixed header, then its attributes.
//
//   0        16      17       18          20                     20+align4(hdr)
//   +--------+-------+--------+-----------+----------------------+-------------
//   | nlmsg  | cmd   | version| reserved  | fixed header (opt.)  | attributes…
//   +--------+-------+--------+-----------+----------------------+-------------
//
// Decoded messages are flat objects, as YNL makes them: the fixed header's fields and the
// attributes side by side ({ ifiIndex: 1, ifname: 'lo', … }).
import { attrFlagsOf, compileSet, compileStruct, setAttrFlags, type AttributeSet } from '../schema/index.js';
import { HOST_LE, MessageWriter, align4, viewOf, type MessageReader } from '../wire/index.js';
import { GENL_HDRLEN } from './constants.js';
import type { FamilyDef, OpDef } from './family-def.js';

/** The genlmsghdr of a message. */
export interface GenlHeader {
  /** The command. */
  cmd: number;
  /** The family version the sender used. */
  version: number;
}

/** Reads the genlmsghdr of the message the reader is on (zeros when the payload is short). */
export function readGenlHeader(r: MessageReader): GenlHeader {
  if (r.payloadEnd - r.payloadStart < GENL_HDRLEN) return { cmd: 0, version: 0 };
  return { cmd: r.buf[r.payloadStart]!, version: r.buf[r.payloadStart + 1]! };
}

/** Starts a generic netlink message: nlmsghdr (type = family id) and genlmsghdr. */
export function beginGenl(w: MessageWriter, familyId: number, flags: number, cmd: number, version: number): void {
  w.begin(familyId, flags);
  const at = w.struct(GENL_HDRLEN);
  w.view.setUint8(at, cmd);
  w.view.setUint8(at + 1, version);
  w.view.setUint16(at + 2, 0, HOST_LE);
}

function headerKeys(o: OpDef<any>): Set<string> {
  const keys = new Set<string>(['$tail', '$len']);
  for (const f of o.header?.fields ?? []) if (f.type !== 'pad') keys.add(f.name);
  return keys;
}

const opSets = new WeakMap<OpDef<any>, AttributeSet<unknown>>();

/**
 * The attribute set an operation's flat objects use: its own, except that an attribute named
 * like a fixed-header field (rt-addr's IFA_FLAGS and ifaddrmsg.ifa_flags, both "ifa-flags")
 * is renamed `<name>Attr`, so both values are kept side by side. YNL's python library has no
 * answer to copy: it lets the header overwrite the attribute when decoding (IFA_FLAGS is lost)
 * and writes one value to both when encoding.
 */
export function opAttributeSet(o: OpDef<any>): AttributeSet<unknown> {
  const set = o.set as AttributeSet<unknown>;
  if (!o.header) return set;
  let s = opSets.get(o);
  if (s) return s;
  const keys = headerKeys(o);
  if (!set.attrs.some((a) => keys.has(a.name))) s = set;
  else {
    const taken = new Set([...keys, ...set.attrs.map((a) => a.name)]);
    const alias = (name: string): string => {
      let n = `${name}Attr`;
      while (taken.has(n)) n += '_';
      taken.add(n);
      return n;
    };
    s = { ...set, attrs: set.attrs.map((a) => (keys.has(a.name) ? { ...a, name: alias(a.name) } : a)) };
  }
  opSets.set(o, s);
  return s;
}

/** Splits a flat message object into its fixed-header part and its attribute part. */
export function splitMessage(o: OpDef<any>, value: Record<string, unknown>): { header: Record<string, unknown>; attrs: Record<string, unknown> } {
  if (!o.header) return { header: {}, attrs: value };
  const keys = headerKeys(o);
  const header: Record<string, unknown> = {};
  const attrs: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) (keys.has(k) ? header : attrs)[k] = v;
  // The flag bits a decoded message kept for its attributes (see ATTR_FLAGS) go with them.
  const flags = attrFlagsOf(value);
  if (flags) setAttrFlags(attrs, flags);
  return { header, attrs };
}

/**
 * Encodes a request of operation `o`: `type` is the family id (genetlink) or ignored in favour
 * of the operation's request message type (netlink-raw). Throws TypeError when the operation
 * takes no request or a value does not fit its declaration.
 */
export function encodeOp(def: FamilyDef, o: OpDef<any>, familyId: number, flags: number, value: Record<string, unknown>): Uint8Array {
  if (o.request === undefined) throw new TypeError(`${def.name}: operation "${o.name}" takes no request`);
  const w = new MessageWriter(256);
  if (def.protocol === 'genetlink') beginGenl(w, familyId, flags, o.request, def.version);
  else w.begin(o.request, flags);
  const { header, attrs } = splitMessage(o, value);
  if (o.header) compileStruct(o.header).encode(w, header);
  compileSet(opAttributeSet(o)).encode(w, attrs);
  w.end();
  return w.toBytes();
}

/** Where the fixed header of a message of this family starts, relative to the payload. */
export function headerOffset(def: FamilyDef): number {
  return def.protocol === 'genetlink' ? GENL_HDRLEN : 0;
}

/** Size of everything before the attributes (genlmsghdr and fixed header), for error paths. */
export function fixedSize(def: FamilyDef, o: OpDef<any>): number {
  return headerOffset(def) + (o.header ? align4(compileStruct(o.header).size) : 0);
}

/** Decodes the message the reader is on as operation `o` into a flat object (copies what it keeps). */
export function decodeOp(def: FamilyDef, o: OpDef<any>, r: MessageReader): Record<string, unknown> {
  return decodeRange(def, o, r.buf, r.view, r.payloadStart, r.payloadEnd);
}

/** Decodes a message payload (the bytes after nlmsghdr) as operation `o`. */
export function decodeOpPayload(def: FamilyDef, o: OpDef<any>, payload: Uint8Array): Record<string, unknown> {
  return decodeRange(def, o, payload, viewOf(payload), 0, payload.byteLength);
}

function decodeRange(def: FamilyDef, o: OpDef<any>, buf: Uint8Array, view: DataView, start: number, end: number): Record<string, unknown> {
  // A payload shorter than genlmsghdr leaves nothing for the fixed header: never a start past the end (a negative $len).
  let at = Math.min(start + headerOffset(def), end);
  let out: Record<string, unknown> = {};
  if (o.header) {
    const c = compileStruct<Record<string, unknown>>(o.header);
    out = c.decode(buf, view, at, Math.min(at + c.size, end));
    at += align4(c.size);
  }
  // The attributes join the header's object (no attribute takes a header field's name: see opAttributeSet).
  return compileSet(opAttributeSet(o)).decode(buf, view, Math.min(at, end), end, o.header ? out : undefined) as Record<string, unknown>;
}
