import { MessageWriter } from '../wire/index.js';

/** Writes a message's payload into an open message of a MessageWriter. */
export type Fill = (w: MessageWriter) => void;

/**
 * nlmsg_put() + fill + nlmsg_end(): one complete message. Replies and notifications carry the
 * requester's sequence number and port id (the destination), as the kernel's do.
 */
export function buildMessage(type: number, flags: number, seq: number, portid: number, fill?: Fill): Uint8Array {
  const w = new MessageWriter(128);
  w.begin(type, flags, seq, portid);
  fill?.(w);
  w.end();
  return w.toBytes();
}
