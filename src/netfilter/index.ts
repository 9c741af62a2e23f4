// nlkit/netfilter: nfnetlink (NETLINK_NETFILTER) — framing and batches, and the packet queue
// (nfnetlink_queue, the successor of ip_queue), connection tracking (ctnetlink) and NFLOG.
export * from './constants.js';
export * as structs from './structs.js';
export { nfqaAttrs, nfqaCfgAttrs, nfqaVlanAttrs, nfqaCtAttrs } from './attrs.js';
export { nfqaCodec, nfqaCfgCodec } from './codecs.js';
export {
  NFNETLINK_V0, nfnlType, nfnlSubsys, nfnlMsg, nfnlMsgName, openNetfilter, withNetfilterSocket, writeNfgenmsg,
} from './nfnetlink.js';
export {
  openQueue, NfQueue, verdictValue,
  type QueuedPacket, type QueueOptions, type Verdict, type VerdictOptions, type CopyMode, type QueueFlag,
} from './queue.js';
export {
  ctaHelpAttrs, ctaStatsAttrs, ctaStatsGlobalAttrs, ctaAttrs, ctaTupleAttrs, ctaIpAttrs, ctaProtoAttrs, ctaProtoinfoAttrs, ctaProtoinfoTcpAttrs, ctaCountersAttrs, ctaTimestampAttrs, ctaFilterAttrs,
} from './conntrack-attrs.js';
export {
  ctaCodec, toConntrack, dumpConntrack, getConntrack, deleteConntrack, flushConntrack, createConntrack, updateConntrack, conntrackEvents, formatConntrack,
  type Conntrack, type Tuple, type ConntrackFilter, type ConntrackSpec, type ConntrackEvent,
} from './conntrack.js';
export { dumpConntrackText, conntrackLineAt } from './conntrack-text.js';
export {
  ctaStatsCodec, ctaStatsGlobalCodec, ctaStatsExpCodec, dumpConntrackStats, dumpExpectStats, getConntrackCount, formatCpuStats,
  CONNTRACK_STATS, EXPECT_STATS, type ConntrackCpuStats, type ExpectCpuStats, type ConntrackCount,
} from './conntrack-stats.js';
export { ctaExpectAttrs, ctaExpectNatAttrs, ctaStatsExpAttrs } from './expect-attrs.js';
export {
  ctaExpectCodec, toExpect, dumpExpect, getExpect, createExpect, deleteExpect, flushExpect, expectEvents, formatExpect,
  type Expect, type ExpectSpec, type ExpectEvent,
} from './expect.js';
export { nfulaAttrs, nfulaCfgAttrs } from './log-attrs.js';
export { logGroup, nfulaCodec, nfulaCfgCodec, type LoggedPacket, type LogOptions } from './log.js';
export { sendTransaction, type TransactionResult } from './batch.js';
export {
  nftaTableAttrs, nftaHookAttrs, nftaChainAttrs, nftaRuleAttrs, nftaSetAttrs, nftaSetDescAttrs, nftaSetDescConcatAttrs, nftaSetFieldAttrs,
  nftaSetElemAttrs, nftaSetElemListAttrs, nftaSetElemListElemAttrs, nftaDataAttrs, nftaVerdictAttrs, nftaGenAttrs,
  nftTableCodec, nftChainCodec, nftRuleCodec, nftSetCodec, nftSetElemListCodec, nftGenCodec,
} from './nft-attrs.js';
export {
  NFT_FAMILIES, nftFamily, nftFamilyName, listTables, listChains, listSets, listRules, getSet, listRawElements, listElements,
  getGeneration, consistently, addElements, deleteElements, flushSet, addTable, deleteTable, addSet, deleteSet, addChain, deleteChain, decodeNftEvent, nftEvents,
  type NftFamily, type NftTable, type NftChain, type NftSet, type NftRule, type NftFilter, type NftSetRef, type NftSetSpec,
  type NftElementInput, type NftEvent, type NftChainSpec,
} from './nftables.js';
export {
  NFT_HOOKS, hookName, priorityText, setTypeNames, formatTableLine, formatChain, formatSet, formatSetInline, formatChainInline,
  formatElementsInline, tableJson, chainJson, setJson, nftJsonText, listedSet,
} from './nftables-format.js';
export {
  keyLayout, splitElements, parseElement, elementParser, toRawElements, fromRawElements, formatElement, elementJson, formatElementList,
  type NftSetKey, type NftRawElement, type NftElement, type NftFieldRange, type KeyLayout,
} from './nftables-elements.js';
export {
  NFT_DATATYPES, NFT_TYPE_BITS, nftDatatype, concatTypes, concatKeyType, parseValue, formatValue, jsonValue, formatTime, parseTime,
  NftValueError, type NftDatatype,
} from './nftables-types.js';
