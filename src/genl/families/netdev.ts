// netdev: XDP and AF_XDP capabilities, page pools, queues and NAPI instances of network devices
// (genetlink, YNL spec netdev.yaml; kernel headers <linux/netdev.h>). Property names are the spec's in camelCase.
import { array, attrs, binary, enumSpec, flagsSpec, int, nest, u32, uint, type Decoded } from '../../schema/index.js';
import { genlFamily, op } from '../family-def.js';

/** enum netdev_xdp_act (bits). */
export const xdpAct = flagsSpec('xdp-act', {
  basic: 1, redirect: 2, 'ndo-xmit': 4, 'xsk-zerocopy': 8, 'hw-offload': 16, 'rx-sg': 32, 'ndo-xmit-sg': 64,
});
/** enum netdev_xdp_rx_metadata (bits). */
export const xdpRxMetadata = flagsSpec('xdp-rx-metadata', { timestamp: 1, hash: 2, 'vlan-tag': 4 });
/** enum netdev_xsk_flags (bits). */
export const xskFlags = flagsSpec('xsk-flags', { 'tx-timestamp': 1, 'tx-checksum': 2 });
/** enum netdev_queue_type. */
export const queueType = enumSpec('queue-type', { rx: 0, tx: 1 });
/** enum netdev_qstats_scope (bits). */
export const qstatsScope = flagsSpec('qstats-scope', { queue: 1 });

/** NETDEV_A_DEV_*. */
export const dev = attrs('dev', {
  ifindex: [1, u32()], pad: [2, binary()], xdpFeatures: [3, int('u64', { flags: xdpAct })], xdpZcMaxSegs: [4, u32()],
  xdpRxMetadataFeatures: [5, int('u64', { flags: xdpRxMetadata })], xskFeatures: [6, int('u64', { flags: xskFlags })],
}, { nestedFlag: true });

/** NETDEV_A_PAGE_POOL_*. */
export const pagePool = attrs('page-pool', {
  id: [1, uint()], ifindex: [2, u32()], napiId: [3, uint()], inflight: [4, uint()], inflightMem: [5, uint()],
  detachTime: [6, uint()], dmabuf: [7, u32()],
}, { nestedFlag: true });

/** The page pool selector inside page-pool-stats (a subset of page-pool). */
export const pagePoolInfo = attrs('page-pool-info', { id: [1, uint()], ifindex: [2, u32()] }, { nestedFlag: true });

/** NETDEV_A_PAGE_POOL_STATS_*. */
export const pagePoolStats = attrs('page-pool-stats', {
  info: [1, nest(pagePoolInfo)], allocFast: [8, uint()], allocSlow: [9, uint()], allocSlowHighOrder: [10, uint()],
  allocEmpty: [11, uint()], allocRefill: [12, uint()], allocWaive: [13, uint()], recycleCached: [14, uint()],
  recycleCacheFull: [15, uint()], recycleRing: [16, uint()], recycleRingFull: [17, uint()], recycleReleasedRefcnt: [18, uint()],
}, { nestedFlag: true });

/** NETDEV_A_NAPI_*. */
export const napi = attrs('napi', { ifindex: [1, u32()], id: [2, u32()], irq: [3, u32()], pid: [4, u32()] }, { nestedFlag: true });

/** NETDEV_A_QUEUE_*. */
export const queue = attrs('queue', {
  id: [1, u32()], ifindex: [2, u32()], type: [3, int('u32', { enum: queueType })], napiId: [4, u32()], dmabuf: [5, u32()],
}, { nestedFlag: true });

/** The queue selector inside dmabuf (a subset of queue). */
export const queueId = attrs('queue-id', { id: [1, u32()], type: [3, int('u32', { enum: queueType })] }, { nestedFlag: true });

/** NETDEV_A_DMABUF_*. */
export const dmabuf = attrs('dmabuf', {
  ifindex: [1, u32()], queues: [2, array(nest(queueId))], fd: [3, u32()], id: [4, u32()],
}, { nestedFlag: true });

const qstatNames = ['rxPackets', 'rxBytes', 'txPackets', 'txBytes', 'rxAllocFail', 'rxHwDrops', 'rxHwDropOverruns',
  'rxCsumComplete', 'rxCsumUnnecessary', 'rxCsumNone', 'rxCsumBad', 'rxHwGroPackets', 'rxHwGroBytes',
  'rxHwGroWirePackets', 'rxHwGroWireBytes', 'rxHwDropRatelimits', 'txHwDrops', 'txHwDropErrors', 'txCsumNone',
  'txNeedsCsum', 'txHwGsoPackets', 'txHwGsoBytes', 'txHwGsoWirePackets', 'txHwGsoWireBytes', 'txHwDropRatelimits',
  'txStop', 'txWake'] as const;

/** NETDEV_A_QSTATS_*: per-device or per-queue counters (all uint, numbered from 8). */
export const qstats = attrs('qstats', {
  ifindex: [1, u32()], queueType: [2, int('u32', { enum: queueType })], queueId: [3, u32()],
  scope: [4, int('uint', { flags: qstatsScope })],
  ...(Object.fromEntries(qstatNames.map((n, i) => [n, [8 + i, uint()] as const])) as Record<(typeof qstatNames)[number], readonly [number, ReturnType<typeof uint>]>),
}, { nestedFlag: true });

/** A decoded device. */
export type NetdevDev = Decoded<typeof dev>;

const both = (req: string[], reply: string[]) => ({ request: { attributes: req }, reply: { attributes: reply } });

/** The netdev family (unified command numbering, <linux/netdev.h>). */
export const netdev = genlFamily('netdev', 1, {
  'dev-get': op({ name: 'dev-get', request: 1, reply: 1, set: dev, do: both(['ifindex'], ['ifindex', 'xdpFeatures', 'xdpZcMaxSegs', 'xdpRxMetadataFeatures', 'xskFeatures']), dump: both([], ['ifindex', 'xdpFeatures', 'xdpZcMaxSegs', 'xdpRxMetadataFeatures', 'xskFeatures']) }),
  'dev-add-ntf': op({ name: 'dev-add-ntf', reply: 2, set: dev, notify: 'dev-get', mcgrp: 'mgmt' }),
  'dev-del-ntf': op({ name: 'dev-del-ntf', reply: 3, set: dev, notify: 'dev-get', mcgrp: 'mgmt' }),
  'dev-change-ntf': op({ name: 'dev-change-ntf', reply: 4, set: dev, notify: 'dev-get', mcgrp: 'mgmt' }),
  'page-pool-get': op({ name: 'page-pool-get', request: 5, reply: 5, set: pagePool, do: both(['id'], ['id', 'ifindex', 'napiId', 'inflight', 'inflightMem', 'detachTime', 'dmabuf']), dump: both([], ['id', 'ifindex', 'napiId', 'inflight', 'inflightMem', 'detachTime', 'dmabuf']) }),
  'page-pool-add-ntf': op({ name: 'page-pool-add-ntf', reply: 6, set: pagePool, notify: 'page-pool-get', mcgrp: 'page-pool' }),
  'page-pool-del-ntf': op({ name: 'page-pool-del-ntf', reply: 7, set: pagePool, notify: 'page-pool-get', mcgrp: 'page-pool' }),
  'page-pool-change-ntf': op({ name: 'page-pool-change-ntf', reply: 8, set: pagePool, notify: 'page-pool-get', mcgrp: 'page-pool' }),
  'page-pool-stats-get': op({ name: 'page-pool-stats-get', request: 9, reply: 9, set: pagePoolStats, do: both(['info'], ['info']), dump: both([], ['info']) }),
  'queue-get': op({ name: 'queue-get', request: 10, reply: 10, set: queue, do: both(['ifindex', 'type', 'id'], ['id', 'type', 'napiId', 'ifindex', 'dmabuf']), dump: both(['ifindex'], ['id', 'type', 'napiId', 'ifindex', 'dmabuf']) }),
  'napi-get': op({ name: 'napi-get', request: 11, reply: 11, set: napi, do: both(['id'], ['id', 'ifindex', 'irq', 'pid']), dump: both(['ifindex'], ['id', 'ifindex', 'irq', 'pid']) }),
  'qstats-get': op({ name: 'qstats-get', request: 12, reply: 12, set: qstats, dump: both(['ifindex', 'scope'], ['ifindex', 'queueType', 'queueId']) }),
  'bind-rx': op({ name: 'bind-rx', request: 13, reply: 13, set: dmabuf, do: both(['ifindex', 'fd', 'queues'], ['id']) }),
}, ['mgmt', 'page-pool']);
