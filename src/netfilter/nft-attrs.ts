// Attribute sets of nf_tables (NFNL_SUBSYS_NFTABLES): tables, chains, rules, sets, set elements,
// data, verdicts and the generation. Property names are linux-doc-6.12's nftables.yaml names
// (kebab-case as snake_case); numbers and byte orders are <linux/netfilter/nf_tables.h>'s, since
// the spec leaves out the PAD attributes of several sets and so misnumbers what follows them
// (test/netfilter-nft-spec.test.ts lists where). Rule expressions stay bytes ($unknown keeps
// what is not declared), and every integer is big-endian as nf_tables sends it.
import { FlatMessageCodec, array, attrs, binary, int, nest, string } from '../schema/index.js';
import {
  NFTA_CHAIN, NFTA_DATA, NFTA_GEN, NFTA_HOOK, NFTA_LIST, NFTA_RULE, NFTA_SET, NFTA_SET_DESC, NFTA_SET_ELEM, NFTA_SET_ELEM_LIST,
  NFTA_SET_FIELD, NFTA_TABLE, NFTA_VERDICT,
} from './constants.js';
import { nfgenmsg } from './structs.js';

/** NFTA_TABLE_*: a table. */
export const nftaTableAttrs = attrs('nfta_table', {
  name: [NFTA_TABLE.NAME, string()],
  flags: [NFTA_TABLE.FLAGS, int('u32be')],
  use: [NFTA_TABLE.USE, int('u32be')],
  handle: [NFTA_TABLE.HANDLE, int('u64be')],
  userdata: [NFTA_TABLE.USERDATA, binary()],
  owner: [NFTA_TABLE.OWNER, int('u32be')],
}, { nestedFlag: true });

/** NFTA_HOOK_*: where a base chain hooks in (hook number, priority, devices). */
export const nftaHookAttrs = attrs('nfta_hook', {
  num: [NFTA_HOOK.HOOKNUM, int('u32be')],
  priority: [NFTA_HOOK.PRIORITY, int('s32be')],
  dev: [NFTA_HOOK.DEV, string()],
  devs: [NFTA_HOOK.DEVS, binary()],
}, { nestedFlag: true });

/** NFTA_CHAIN_*: a chain. */
export const nftaChainAttrs = attrs('nfta_chain', {
  table: [NFTA_CHAIN.TABLE, string()],
  handle: [NFTA_CHAIN.HANDLE, int('u64be')],
  name: [NFTA_CHAIN.NAME, string()],
  hook: [NFTA_CHAIN.HOOK, nest(nftaHookAttrs)],
  policy: [NFTA_CHAIN.POLICY, int('u32be')],
  use: [NFTA_CHAIN.USE, int('u32be')],
  type: [NFTA_CHAIN.TYPE, string()],
  counters: [NFTA_CHAIN.COUNTERS, binary()],
  flags: [NFTA_CHAIN.FLAGS, int('u32be')],
  id: [NFTA_CHAIN.ID, int('u32be')],
  userdata: [NFTA_CHAIN.USERDATA, binary()],
}, { nestedFlag: true });

/** NFTA_RULE_*: a rule; its expressions are kept as the kernel's bytes. */
export const nftaRuleAttrs = attrs('nfta_rule', {
  table: [NFTA_RULE.TABLE, string()],
  chain: [NFTA_RULE.CHAIN, string()],
  handle: [NFTA_RULE.HANDLE, int('u64be')],
  expressions: [NFTA_RULE.EXPRESSIONS, binary()],
  compat: [NFTA_RULE.COMPAT, binary()],
  position: [NFTA_RULE.POSITION, int('u64be')],
  userdata: [NFTA_RULE.USERDATA, binary()],
  id: [NFTA_RULE.ID, int('u32be')],
  position_id: [NFTA_RULE.POSITION_ID, int('u32be')],
  chain_id: [NFTA_RULE.CHAIN_ID, int('u32be')],
}, { nestedFlag: true });

/** NFTA_SET_FIELD_*: one field of a concatenation (its length in bytes). */
export const nftaSetFieldAttrs = attrs('nfta_set_field', {
  len: [NFTA_SET_FIELD.LEN, int('u32be')],
}, { nestedFlag: true });

/** NFTA_LIST_*: a list of nests (here: the fields of a concatenation). */
export const nftaSetDescConcatAttrs = attrs('nfta_set_desc_concat', {
  elem: [NFTA_LIST.ELEM, array(nest(nftaSetFieldAttrs))],
}, { nestedFlag: true });

/** NFTA_SET_DESC_*: a set's size and the field lengths of a concatenated key. */
export const nftaSetDescAttrs = attrs('nfta_set_desc', {
  size: [NFTA_SET_DESC.SIZE, int('u32be')],
  concat: [NFTA_SET_DESC.CONCAT, nest(nftaSetDescConcatAttrs)],
}, { nestedFlag: true });

/** NFTA_SET_*: a set (or map). Timeouts are milliseconds. */
export const nftaSetAttrs = attrs('nfta_set', {
  table: [NFTA_SET.TABLE, string()],
  name: [NFTA_SET.NAME, string()],
  flags: [NFTA_SET.FLAGS, int('u32be')],
  key_type: [NFTA_SET.KEY_TYPE, int('u32be')],
  key_len: [NFTA_SET.KEY_LEN, int('u32be')],
  data_type: [NFTA_SET.DATA_TYPE, int('u32be')],
  data_len: [NFTA_SET.DATA_LEN, int('u32be')],
  policy: [NFTA_SET.POLICY, int('u32be')],
  desc: [NFTA_SET.DESC, nest(nftaSetDescAttrs)],
  id: [NFTA_SET.ID, int('u32be')],
  timeout: [NFTA_SET.TIMEOUT, int('u64be')],
  gc_interval: [NFTA_SET.GC_INTERVAL, int('u32be')],
  userdata: [NFTA_SET.USERDATA, binary()],
  obj_type: [NFTA_SET.OBJ_TYPE, int('u32be')],
  handle: [NFTA_SET.HANDLE, int('u64be')],
  expr: [NFTA_SET.EXPR, binary()],
  expressions: [NFTA_SET.EXPRESSIONS, binary()],
}, { nestedFlag: true });

/** NFTA_VERDICT_*: a verdict (NF_ACCEPT, NFT_JUMP to a chain, …). */
export const nftaVerdictAttrs = attrs('nfta_verdict', {
  code: [NFTA_VERDICT.CODE, int('s32be')],
  chain: [NFTA_VERDICT.CHAIN, string()],
  chain_id: [NFTA_VERDICT.CHAIN_ID, int('u32be')],
}, { nestedFlag: true });

/** NFTA_DATA_*: a key or map value: bytes, or a verdict. */
export const nftaDataAttrs = attrs('nfta_data', {
  value: [NFTA_DATA.VALUE, binary()],
  verdict: [NFTA_DATA.VERDICT, nest(nftaVerdictAttrs)],
}, { nestedFlag: true });

/** NFTA_SET_ELEM_*: one element. Timeout and expiration are milliseconds. */
export const nftaSetElemAttrs = attrs('nfta_set_elem', {
  key: [NFTA_SET_ELEM.KEY, nest(nftaDataAttrs)],
  data: [NFTA_SET_ELEM.DATA, nest(nftaDataAttrs)],
  flags: [NFTA_SET_ELEM.FLAGS, int('u32be')],
  timeout: [NFTA_SET_ELEM.TIMEOUT, int('u64be')],
  expiration: [NFTA_SET_ELEM.EXPIRATION, int('u64be')],
  userdata: [NFTA_SET_ELEM.USERDATA, binary()],
  expr: [NFTA_SET_ELEM.EXPR, binary()],
  objref: [NFTA_SET_ELEM.OBJREF, string()],
  key_end: [NFTA_SET_ELEM.KEY_END, nest(nftaDataAttrs)],
  expressions: [NFTA_SET_ELEM.EXPRESSIONS, binary()],
}, { nestedFlag: true });

/** NFTA_LIST_*: the elements of a NFTA_SET_ELEM_LIST_ELEMENTS nest. */
export const nftaSetElemListElemAttrs = attrs('nfta_set_elem_list_elem', {
  elem: [NFTA_LIST.ELEM, array(nest(nftaSetElemAttrs))],
}, { nestedFlag: true });

/** NFTA_SET_ELEM_LIST_*: elements of one set. */
export const nftaSetElemListAttrs = attrs('nfta_set_elem_list', {
  table: [NFTA_SET_ELEM_LIST.TABLE, string()],
  set: [NFTA_SET_ELEM_LIST.SET, string()],
  elements: [NFTA_SET_ELEM_LIST.ELEMENTS, nest(nftaSetElemListElemAttrs)],
  set_id: [NFTA_SET_ELEM_LIST.SET_ID, int('u32be')],
}, { nestedFlag: true });

/** NFTA_GEN_*: the ruleset's generation, and who committed it. */
export const nftaGenAttrs = attrs('nfta_gen', {
  id: [NFTA_GEN.ID, int('u32be')],
  proc_pid: [NFTA_GEN.PROC_PID, int('u32be')],
  proc_name: [NFTA_GEN.PROC_NAME, string()],
}, { nestedFlag: true });

/** nfgenmsg + NFTA_TABLE_*. */
export const nftTableCodec = new FlatMessageCodec(nfgenmsg, nftaTableAttrs);
/** nfgenmsg + NFTA_CHAIN_*. */
export const nftChainCodec = new FlatMessageCodec(nfgenmsg, nftaChainAttrs);
/** nfgenmsg + NFTA_RULE_*. */
export const nftRuleCodec = new FlatMessageCodec(nfgenmsg, nftaRuleAttrs);
/** nfgenmsg + NFTA_SET_*. */
export const nftSetCodec = new FlatMessageCodec(nfgenmsg, nftaSetAttrs);
/** nfgenmsg + NFTA_SET_ELEM_LIST_*. */
export const nftSetElemListCodec = new FlatMessageCodec(nfgenmsg, nftaSetElemListAttrs);
/** nfgenmsg + NFTA_GEN_*. */
export const nftGenCodec = new FlatMessageCodec(nfgenmsg, nftaGenAttrs);
