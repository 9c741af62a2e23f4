// A message type's codec: a fixed header struct followed by an attribute set.
import { MessageWriter, NLMSG_HDRLEN, type MessageReader, align4 } from '../wire/index.js';
import { build, prop } from './codegen.js';
import { genFlatDecoder, type FlatDecode, type FlatDecodeAll } from './flat.js';
import { enumName, flagNames, intReadExpr, intSize, intValue } from './ints.js';
import { structLayout, structSize } from './layout.js';
import { compileSet, compileStruct, registry } from './registry.js';
import type { SetCodec } from './set.js';
import type { StructCodec } from './struct.js';
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
 * reproduce a message whose header disagrees with, or stands in for, an attribute; the
 * header's own `$tail` and `$len` are those of any struct.
 */
export interface FlatExtras extends StructExtras {
  /** Raw header values of shadowed fields that differ from what encoding would derive. */
  $header?: Record<string, number>;
  /** Shadowed fields whose attribute was absent: the value came from the header alone. */
  $absent?: string[];
}

/** An intersection as one object type: editors then show its fields, not the alias. */
export type Expand<T> = T extends infer O ? { [K in keyof O]: O[K] } : never;

type HeaderOf<S> = S extends { _t?: infer T } ? T : never;
type AttrsOf<S> = S extends AttributeSet<infer T> ? T : never;

/**
 * A flat message as decoded: header fields and attributes side by side, plus the extras that
 * make it lossless. The kernel sends the whole fixed header in every message, so its fields
 * are not optional; attributes are, except those their declaration marks always().
 */
export type Flat<S extends StructSpec, A extends AttributeSet<unknown>> = Expand<HeaderOf<S> & AttrsOf<A> & FlatExtras>;

/** Options of {@link FlatMessageCodec}. */
export interface FlatOptions {
  /**
   * Header fields that an attribute of the same name supersedes (rtm_table by RTA_TABLE,
   * ifa_flags by IFA_FLAGS), with how the narrow header value derives from the attribute's
   * integer value (e.g. `v => v < 256 ? v : 252`).
   */
  shadow?: Record<string, (value: number) => number>;
}

/** What a FlatMessageCodec compiles on first use. */
interface FlatCompiled {
  header: StructCodec<Record<string, unknown> & StructExtras>;
  attrs: SetCodec<unknown>;
  shadowed: Shadowed[];
  skip: Set<string>;
  decode: FlatDecode;
  decodeAll: FlatDecodeAll;
}

interface Shadowed {
  name: string;
  at: number;
  type: IntType;
  narrow: (v: number) => number;
  enum?: EnumSpec;
  flags?: FlagsSpec;
  dec: (v: number) => unknown;
}

/**
 * FlatMessageCodec decodes a message into ONE object holding the family header's fields and
 * the attributes side by side (`{ family, dst_len, table, dst, gateway, … }`), the shape
 * pyroute2 and vishvananda users expect, without an intermediate object per message. Header
 * and attribute names must differ, except for shadowed fields (see FlatOptions), which the
 * attribute supersedes. Encoding reproduces decoded kernel messages byte for byte.
 *
 * The codec compiles on first use: a program that imports every rtnetlink codec and dumps
 * routes pays for the route codec only.
 */
export class FlatMessageCodec<H, A> {
  /** The fixed header size. */
  readonly headerSize: number;
  private compiled: FlatCompiled | undefined;

  constructor(
    private readonly headerSpec: StructSpec & { _t?: H },
    private readonly attrSet: AttributeSet<A>,
    private readonly opts: FlatOptions = {},
  ) {
    this.headerSize = structSize(headerSpec);
  }

  /** The compiled header struct (all fields). */
  get header(): StructCodec<H & StructExtras> {
    return this.compile().header as StructCodec<H & StructExtras>;
  }

  /** The compiled attribute set. */
  get attrs(): SetCodec<A> {
    return this.compile().attrs as SetCodec<A>;
  }

  /** Decodes the message the reader is on into one object (copying only what it keeps). */
  decode(r: MessageReader): H & A & FlatExtras {
    return (this.compiled ?? this.compile()).decode(r.buf, r.view, r.payloadStart, r.payloadEnd) as H & A & FlatExtras;
  }

  /** Decodes a payload (bytes after the nlmsghdr). */
  decodePayload(payload: Uint8Array): H & A & FlatExtras {
    return this.decodeRange(payload, new DataView(payload.buffer, payload.byteOffset, payload.byteLength), 0, payload.byteLength);
  }

  /** Decodes header and attributes from `start` to `end` of `buf` (a payload or a nested message). */
  decodeRange(buf: Uint8Array, dv: DataView, start: number, end: number): H & A & FlatExtras {
    return (this.compiled ?? this.compile()).decode(buf, dv, start, end) as H & A & FlatExtras;
  }

  /**
   * Decodes the messages starting at `offsets` of `buf` (each from its nlmsghdr) and appends
   * them to `out`: a dump's datagram in one call (see DumpOptions.decodeBatch).
   */
  decodeAll(buf: Uint8Array, dv: DataView, offsets: readonly number[], out: (H & A & FlatExtras)[]): void {
    (this.compiled ?? this.compile()).decodeAll(buf, dv, offsets, out);
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
    const c = this.compiled ?? this.compile();
    const o = obj as Record<string, unknown> & FlatExtras;
    let h: Record<string, unknown> = o;
    if (c.shadowed.length) {
      h = { ...o };
      for (const s of c.shadowed) {
        const raw = o.$header?.[s.name];
        if (raw !== undefined) h[s.name] = raw;
        else if (o[s.name] !== undefined) h[s.name] = s.narrow(Number(intValue(o[s.name], 'u32', s.enum, s.flags, s.name)));
      }
    }
    const at = w.struct(this.headerSize);
    c.header.write(w.view, w.finish(), at, h);
    if (o.$tail) w.bytes(o.$tail);
    let skip = c.skip;
    if (o.$absent?.length) {
      skip = new Set(skip);
      for (const n of o.$absent) skip.add(n);
    }
    c.attrs.encode(w, obj, skip);
  }

  private compile(): FlatCompiled {
    if (this.compiled) return this.compiled;
    const header = this.headerSpec;
    const shadow = this.opts.shadow ?? {};
    const shadowed: Shadowed[] = [];
    // The header decoded first lacks the shadowed fields (they become padding), so that the
    // attribute decoder sees them unset; they are filled in after the attributes.
    const fields = structLayout(header).map(({ f, size, at }) => {
      const narrow = shadow[f.name];
      if (!narrow || f.type === 'pad' || f.type === 'binary' || f.type === 'mac' || f.type === 'string' || f.type === 'ip4' || f.type === 'ip6' || f.type === 'ipaddr') return f;
      const en = f.enum, fl = f.flags;
      shadowed.push({
        name: f.name, at, type: f.type, narrow, ...(en ? { enum: en } : {}), ...(fl ? { flags: fl } : {}),
        dec: en ? (v) => enumName(en, v) : fl ? (v) => flagNames(fl, v) : (v) => v,
      });
      return { name: f.name, type: 'pad' as const, len: size };
    });
    const fullHeader = compileStruct<Record<string, unknown> & StructExtras>(header);
    const attrs = compileSet(this.attrSet as AttributeSet<unknown>);
    const leadSpec = shadowed.length ? { name: header.name, fields } : header;
    const lead = compileStruct<Record<string, unknown>>(leadSpec);
    const fix = shadowFix(shadowed);
    const fixShadowed = build<(obj: Record<string, unknown>, buf: Uint8Array, dv: DataView, hs: number, he: number) => void>(
      fix.env, `return function fixShadowed(obj, buf, dv, hs, he) {\n  ${fix.source}\n};`);
    const headerSize = this.headerSize;
    // A header shorter than declared: decoded field by field (it records $len).
    const slow: FlatDecode = (buf, dv, start, end, up) => {
      const he = Math.min(start + headerSize, end);
      const obj = lead.decode(buf, dv, start, he) as Record<string, unknown>;
      attrs.decode(buf, dv, start + align4(headerSize), end, obj, up);
      fixShadowed(obj, buf, dv, start, he);
      return obj;
    };
    const skip = new Set(['$header', '$absent', '$tail', '$len']);
    for (const f of header.fields) if (f.type !== 'pad' && !shadow[f.name]) skip.add(f.name);
    const gen = genFlatDecoder(leadSpec, this.attrSet as AttributeSet<unknown>, fix.source, fix.env, slow, registry);
    this.compiled = { header: fullHeader, attrs, shadowed, skip, decode: gen.one, decodeAll: gen.all };
    return this.compiled;
  }
}

/**
 * Generated source (and what it refers to) of the step that settles shadowed header fields
 * after the attributes: the header's value when no attribute gave one (remembered in
 * $absent), else the header's raw value when it is not what the attribute's value narrows to
 * (remembered in $header, for byte-exact encoding). It uses obj, buf, dv, hs (header start) and
 * he (header end).
 */
function shadowFix(sh: Shadowed[]): { source: string; env: Record<string, unknown> } {
  const env: Record<string, unknown> = { u64num: Number, s64num: Number };
  const parts = sh.map((x, i) => {
    env[`sdec${i}`] = x.dec;
    env[`snarrow${i}`] = x.narrow;
    env[`svals${i}`] = x.enum ? x.enum.values : {};
    env[`sslow${i}`] = (v: unknown) => {
      try {
        return Number(intValue(v, 'u32', x.enum, x.flags, x.name));
      } catch {
        return NaN;
      }
    };
    const P = prop(x.name);
    return `if (he - hs >= ${x.at + intSize(x.type)}) {
    const raw = Number(${intReadExpr(x.type, `hs + ${x.at}`)});
    const v = obj${P};
    if (v === undefined) {
      obj${P} = sdec${i}(raw);
      (obj.$absent ??= []).push(${JSON.stringify(x.name)});
    } else {
      let n = typeof v === 'number' ? v : typeof v === 'string' ? svals${i}[v] : undefined;
      if (n === undefined) n = sslow${i}(v);
      if (snarrow${i}(n) !== raw) (obj.$header ??= {})${P} = raw;
    }
  }`;
  });
  return { source: parts.join('\n  '), env };
}
