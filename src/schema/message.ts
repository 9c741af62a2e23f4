// A message type's codec: a fixed header struct followed by an attribute set.
import { HOST_LE, MessageWriter, NLMSG_HDRLEN, type MessageReader, align4 } from '../wire/index.js';
import { compileSet, compileStruct, enumName, flagNames, intSize, intValue, type SetCodec, type StructCodec } from './compile.js';
import { build, intReadExpr, prop } from './codegen.js';
import type { AttributeSet, EnumSpec, FlagsSpec, IntType, StructExtras, StructSpec } from './types.js';


// Encoding is synchronous and returns a copy, so one scratch writer serves every call (a
// nested encode while it is in use gets a writer of its own).
const scratch = new MessageWriter(4096);
let scratchBusy = false;

function encodeWith(w: MessageWriter | undefined, fn: (w: MessageWriter) => void): Uint8Array {
  if (w) {
    fn(w);
    return w.toBytes();
  }
  if (scratchBusy) {
    const own = new MessageWriter(256);
    fn(own);
    return own.toBytes();
  }
  scratchBusy = true;
  try {
    fn(scratch.reset());
    return scratch.toBytes();
  } finally {
    scratchBusy = false;
  }
}

/** A decoded message: its fixed header and its attributes. */
export interface DecodedMessage<H, A> {
  header: H & StructExtras;
  attrs: A;
}

/**
 * MessageCodec decodes and encodes one family's messages: `header` (ifinfomsg, rtmsg,
 * genlmsghdr+family header, …) then attributes. One emit/parse pair for every message type
 * of the family that shares the layout.
 */
export class MessageCodec<H, A> {
  /** The compiled header struct. */
  readonly header: StructCodec<H & StructExtras>;
  /** The compiled attribute set. */
  readonly attrs: SetCodec<A>;
  /** The fixed header size, the offset where attributes start in the payload. */
  readonly headerSize: number;

  constructor(header: StructSpec & { _t?: H }, attrs: AttributeSet<A>) {
    this.header = compileStruct<H & StructExtras>(header);
    this.attrs = compileSet(attrs);
    this.headerSize = this.header.size;
  }

  /** Decodes the message the reader is on (in place, copying only what it keeps). */
  decode(r: MessageReader): DecodedMessage<H, A> {
    const hs = r.payloadStart;
    const he = Math.min(hs + this.headerSize, r.payloadEnd);
    const header = this.header.decode(r.buf, r.view, hs, he);
    const attrs = this.attrs.decode(r.buf, r.view, hs + align4(this.headerSize), r.payloadEnd);
    return { header, attrs };
  }

  /** Decodes a payload (bytes after the nlmsghdr). */
  decodePayload(payload: Uint8Array): DecodedMessage<H, A> {
    const dv = new DataView(payload.buffer, payload.byteOffset, payload.byteLength);
    const he = Math.min(this.headerSize, payload.byteLength);
    return {
      header: this.header.decode(payload, dv, 0, he),
      attrs: this.attrs.decode(payload, dv, align4(this.headerSize), payload.byteLength),
    };
  }

  /** Encodes one message (type, flags, header, attributes) into a new buffer or the given writer. */
  encode(type: number, flags: number, msg: { header?: Partial<H>; attrs?: A }, writer?: MessageWriter): Uint8Array {
    return encodeWith(writer, (w) => {
      w.begin(type, flags);
      const at = w.struct(this.headerSize);
      this.header.write(w.view, w.finish(), at, (msg.header ?? {}) as Partial<H & StructExtras>);
      if (msg.attrs) this.attrs.encode(w, msg.attrs);
      w.end();
    });
  }
}

/** Size of struct nlmsghdr, re-exported for families computing offsets. */
export const HEADER_LEN = NLMSG_HDRLEN;

/**
 * Extras of a flat message object (see {@link FlatMessageCodec}): what re-encoding needs to
 * reproduce a message whose header disagrees with, or stands in for, an attribute.
 */
export interface FlatExtras {
  /** Raw header values of shadowed fields that differ from what encoding would derive. */
  $header?: Record<string, number>;
  /** Shadowed fields whose attribute was absent: the value came from the header alone. */
  $absent?: string[];
  /** Header bytes past the declared struct. */
  $tail?: Uint8Array;
  /** The received header length when shorter than declared. */
  $len?: number;
}

/** Options of {@link FlatMessageCodec}. */
export interface FlatOptions {
  /**
   * Header fields that an attribute of the same name supersedes (rtm_table by RTA_TABLE,
   * ifa_flags by IFA_FLAGS), with how the narrow header value derives from the attribute's
   * integer value (e.g. `v => v < 256 ? v : 252`).
   */
  shadow?: Record<string, (value: number) => number>;
}

/**
 * FlatMessageCodec decodes a message into ONE object holding the family header's fields and
 * the attributes side by side (`{ family, dst_len, table, dst, gateway, … }`), the shape
 * pyroute2 and vishvananda users expect, without an intermediate object per message. Header
 * and attribute names must differ, except for shadowed fields (see FlatOptions), which the
 * attribute supersedes. Encoding reproduces decoded kernel messages byte for byte.
 */
export class FlatMessageCodec<H, A> {
  /** The compiled header struct (all fields). */
  readonly header: StructCodec<H & StructExtras>;
  /** The compiled attribute set. */
  readonly attrs: SetCodec<A>;
  /** The fixed header size. */
  readonly headerSize: number;
  private readonly lead: StructCodec<Record<string, unknown>>;
  private readonly shadowed: { name: string; at: number; type: IntType; narrow: (v: number) => number; enum?: EnumSpec; flags?: FlagsSpec; dec: (v: number) => unknown }[];
  private readonly skip: Set<string>;
  private readonly fixShadowed: (obj: Record<string, unknown>, dv: DataView, start: number, he: number) => void;

  constructor(header: StructSpec & { _t?: H }, attrs: AttributeSet<A>, opts: FlatOptions = {}) {
    this.header = compileStruct<H & StructExtras>(header);
    this.attrs = compileSet(attrs);
    this.headerSize = this.header.size;
    const shadow = opts.shadow ?? {};
    this.shadowed = [];
    // The header decoded first lacks the shadowed fields (they become padding), so that the
    // attribute decoder sees them unset; they are filled in after the attributes.
    let at = 0;
    const fields = header.fields.map((f) => {
      const size = f.type === 'pad' || f.type === 'binary' || f.type === 'mac' || f.type === 'string' || f.type === 'ip4' || f.type === 'ip6' || f.type === 'ipaddr'
        ? (f.len ?? (f.type === 'ip4' ? 4 : f.type === 'ip6' ? 16 : f.type === 'mac' ? 6 : 0))
        : intSize(f.type);
      const here = at;
      at += size;
      const narrow = shadow[f.name];
      if (!narrow || f.type === 'pad' || f.type === 'binary' || f.type === 'mac' || f.type === 'string' || f.type === 'ip4' || f.type === 'ip6' || f.type === 'ipaddr') return f;
      const en = f.enum, fl = f.flags;
      this.shadowed.push({
        name: f.name, at: here, type: f.type, narrow, ...(en ? { enum: en } : {}), ...(fl ? { flags: fl } : {}),
        dec: en ? (v) => enumName(en, v) : fl ? (v) => flagNames(fl, v) : (v) => v,
      });
      return { name: f.name, type: 'pad' as const, len: size };
    });
    this.lead = this.shadowed.length ? compileStruct({ name: header.name, fields }) : (this.header as unknown as StructCodec<Record<string, unknown>>);
    this.fixShadowed = genShadowFix(this.shadowed);
    this.skip = new Set(['$header', '$absent', '$tail', '$len']);
    for (const f of header.fields) if (f.type !== 'pad' && !shadow[f.name]) this.skip.add(f.name);
  }

  /** Decodes the message the reader is on into one object (copying only what it keeps). */
  decode(r: MessageReader): H & A & FlatExtras {
    return this.decodeRange(r.buf, r.view, r.payloadStart, r.payloadEnd);
  }

  /** Decodes a payload (bytes after the nlmsghdr). */
  decodePayload(payload: Uint8Array): H & A & FlatExtras {
    return this.decodeRange(payload, new DataView(payload.buffer, payload.byteOffset, payload.byteLength), 0, payload.byteLength);
  }

  /** Decodes header and attributes from `start` to `end` of `buf` (a payload or a nested message). */
  decodeRange(buf: Uint8Array, dv: DataView, start: number, end: number): H & A & FlatExtras {
    const he = Math.min(start + this.headerSize, end);
    const obj = this.lead.decode(buf, dv, start, he) as Record<string, unknown>;
    this.attrs.decode(buf, dv, start + align4(this.headerSize), end, obj);
    this.fixShadowed(obj, dv, start, he);
    return obj as H & A & FlatExtras;
  }

  /** Appends one message to a writer without copying it out (e.g. a requestBatch item). */
  encodeInto(w: MessageWriter, type: number, flags: number, obj: Partial<H> & Partial<A> & FlatExtras): void {
    w.begin(type, flags);
    this.encodeBody(w, obj);
    w.end();
  }

  /** Encodes one message from a flat object (header fields and attributes side by side). */
  encode(type: number, flags: number, obj: Partial<H> & Partial<A> & FlatExtras, writer?: MessageWriter): Uint8Array {
    return encodeWith(writer, (w) => {
      w.begin(type, flags);
      this.encodeBody(w, obj);
      w.end();
    });
  }

  /** Appends the header and attributes (no nlmsghdr) to the writer, e.g. inside a nest. */
  encodeBody(w: MessageWriter, obj: Partial<H> & Partial<A> & FlatExtras): void {
    const o = obj as Record<string, unknown> & FlatExtras;
    let h: Record<string, unknown> = o;
    if (this.shadowed.length) {
      h = { ...o };
      for (const s of this.shadowed) {
        const raw = o.$header?.[s.name];
        if (raw !== undefined) h[s.name] = raw;
        else if (o[s.name] !== undefined) h[s.name] = s.narrow(Number(intValue(o[s.name], 'u32', s.enum, s.flags, s.name)));
      }
    }
    const at = w.struct(this.headerSize);
    this.header.write(w.view, w.finish(), at, h as Partial<H & StructExtras>);
    if (o.$tail) w.bytes(o.$tail);
    let skip = this.skip;
    if (o.$absent?.length) {
      skip = new Set(skip);
      for (const n of o.$absent) skip.add(n);
    }
    this.attrs.encode(w, obj as A, skip);
  }
}

/**
 * Generates the step that settles shadowed header fields after the attributes: the header's
 * value when no attribute gave one (remembered in $absent), else the header's raw value when it
 * is not what the attribute's value narrows to (remembered in $header, for byte-exact encoding).
 */
function genShadowFix(sh: FlatMessageCodec<unknown, unknown>['shadowed']): (obj: Record<string, unknown>, dv: DataView, start: number, he: number) => void {
  const env: Record<string, unknown> = { u64num: Number, s64num: Number };
  const parts = sh.map((x, i) => {
    env[`dec${i}`] = x.dec;
    env[`narrow${i}`] = x.narrow;
    env[`vals${i}`] = x.enum ? x.enum.values : {};
    env[`slow${i}`] = (v: unknown) => {
      try {
        return Number(intValue(v, 'u32', x.enum, x.flags, x.name));
      } catch {
        return NaN;
      }
    };
    const P = prop(x.name);
    return `if (he - start >= ${x.at + intSize(x.type)}) {
    const raw = Number(${intReadExpr(x.type, `start + ${x.at}`)});
    const v = obj${P};
    if (v === undefined) {
      obj${P} = dec${i}(raw);
      (obj.$absent ??= []).push(${JSON.stringify(x.name)});
    } else {
      let n = typeof v === 'number' ? v : typeof v === 'string' ? vals${i}[v] : undefined;
      if (n === undefined) n = slow${i}(v);
      if (narrow${i}(n) !== raw) (obj.$header ??= {})${P} = raw;
    }
  }`;
  });
  return build(env, `return function fixShadowed(obj, dv, start, he) {\n  ${parts.join('\n  ')}\n};`);
}

