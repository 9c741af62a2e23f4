// nlkit/schema: families are data. Declarations in, compiled codecs and TypeScript types out.
export * from './types.js';
export * from './declare.js';
export { compileSet, compileStruct, enumName, flagNames, intValue, intSize, ATTR_FLAGS, type SetCodec, type StructCodec } from './compile.js';
export { MessageCodec, FlatMessageCodec, type DecodedMessage, type FlatExtras, type FlatOptions } from './message.js';
export { formatIp, formatMac, parseIp, parseMac } from './addresses.js';
