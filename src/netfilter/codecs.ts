// One flat message codec per nfnetlink object: nfgenmsg's fields and the attributes decode into
// one object.
import { FlatMessageCodec } from '../schema/index.js';
import { nfqaAttrs, nfqaCfgAttrs } from './attrs.js';
import { nfgenmsg } from './structs.js';

/** nfgenmsg + NFQA_* (queued packets and verdicts). */
export const nfqaCodec = new FlatMessageCodec(nfgenmsg, nfqaAttrs);
/** nfgenmsg + NFQA_CFG_* (queue configuration). */
export const nfqaCfgCodec = new FlatMessageCodec(nfgenmsg, nfqaCfgAttrs);
