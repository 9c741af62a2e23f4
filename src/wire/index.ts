// nlkit/wire: the pure Netlink codec. No I/O and no Node APIs: runs anywhere Uint8Array does.
export * from './constants.js';
export { align4 } from './align.js';
export { HOST_LE, viewOf } from './endian.js';
export { WireError } from './errors.js';
export { MessageReader, parseMessages, type NetlinkMessage } from './message-reader.js';
export { AttributeReader, parseAttributes, attributePathAt, type Attribute } from './attribute-reader.js';
export { MessageWriter } from './message-writer.js';
export { parseAck, readAckTlvs, type Ack, type AckTlvs, type EchoedHeader } from './ack.js';
export { decodeText, encodeText, hasEscapedBytes } from './text.js';
