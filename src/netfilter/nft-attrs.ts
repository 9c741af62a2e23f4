// The first nf_tables attribute set: NFTA_TABLE_* (tables). Sets, chains and elements are left.
import { FlatMessageCodec, attrs, binary, int, string } from '../schema/index.js';
import { NFTA_TABLE } from './constants.js';
import { nfgenmsg } from './structs.js';

/** NFTA_TABLE_*: a table. */
export const nftaTableAttrs = attrs('nfta_table', {
  name: [NFTA_TABLE.NAME, string()],
  flags: [NFTA_TABLE.FLAGS, int('u32be')],
  use: [NFTA_TABLE.USE, int('u32be')],
  handle: [NFTA_TABLE.HANDLE, int('u64be')],
  userdata: [NFTA_TABLE.USERDATA, binary()],
  owner: [NFTA_TABLE.OWNER, int('u32be')],
});

/** nfgenmsg + NFTA_TABLE_*. */
export const nftTableCodec = new FlatMessageCodec(nfgenmsg, nftaTableAttrs);
