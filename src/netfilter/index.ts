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
export { nftaTableAttrs, nftTableCodec } from './nft-attrs.js';
