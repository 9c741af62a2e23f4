// nlkit/schema: families are data. Declarations in, compiled codecs and TypeScript types out.
export * from './types.js';
export * from './declare.js';
export { compileSet, compileStruct, Registry, type Codecs, type MessageDecoder } from './registry.js';
export { ATTR_FLAGS, type SetCodec } from './set.js';
export type { StructCodec } from './struct.js';
export { enumName, flagNames, intValue, intSize } from './ints.js';
export { MAX_DEPTH, attrFlagsOf, setAttrFlags, type Frame } from './context.js';
export { MessageCodec, FlatMessageCodec, type DecodedMessage, type Expand, type Flat, type FlatExtras, type FlatOptions } from './message.js';
export { formatIp, formatMac, parseIp, parseMac } from './addresses.js';
