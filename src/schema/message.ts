// A message type's codec: a fixed header struct followed by an attribute set.
import { MessageWriter, NLMSG_HDRLEN, type MessageReader, align4 } from '../wire/index.js';
import { compileSet, compileStruct, type SetCodec, type StructCodec } from './compile.js';
import type { AttributeSet, StructExtras, StructSpec } from './types.js';

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
  encode(type: number, flags: number, msg: { header?: Partial<H>; attrs?: A }, w = new MessageWriter(256)): Uint8Array {
    w.begin(type, flags);
    const at = w.struct(this.headerSize);
    this.header.write(w.view, w.finish(), at, (msg.header ?? {}) as Partial<H & StructExtras>);
    if (msg.attrs) this.attrs.encode(w, msg.attrs);
    w.end();
    return w.toBytes();
  }
}

/** Size of struct nlmsghdr, re-exported for families computing offsets. */
export const HEADER_LEN = NLMSG_HDRLEN;
