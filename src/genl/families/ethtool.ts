// ethtool over generic netlink, declared from <linux/ethtool_netlink.h>: link info, link modes,
// link state, features, rings, channels and string sets, with their notifications on the
// "monitor" group. Property names are the YNL spec's (ethtool.yaml) in camelCase.
import { attrs, array, binary, flag, int, nest, string, u32, u8, type Decoded } from '../../schema/index.js';
import { HOST_LE } from '../../wire/index.js';
import { genlFamily, op, type OpMode } from '../family-def.js';

/** ETHTOOL_FLAG_*: request header flags. */
export const ETHTOOL_FLAG_COMPACT_BITSETS = 1 << 0;
export const ETHTOOL_FLAG_OMIT_REPLY = 1 << 1;
export const ETHTOOL_FLAG_STATS = 1 << 2;

/** ETHTOOL_A_HEADER_*: which device a request is about, and how to answer. */
export const header = attrs('header', {
  devIndex: [1, u32()],
  devName: [2, string()],
  flags: [3, int('u32', { flags: { name: 'header-flags', bits: { 'compact-bitsets': 1, 'omit-reply': 2, stats: 4 } } })],
  phyIndex: [4, u32()],
}, { nestedFlag: true });

/** ETHTOOL_A_BITSET_BIT_*: one bit of a verbose bitset. */
export const bitsetBit = attrs('bitset-bit', { index: [1, u32()], name: [2, string()], value: [3, flag()] }, { nestedFlag: true });
/** ETHTOOL_A_BITSET_BITS_*. */
export const bitsetBits = attrs('bitset-bits', { bit: [1, array(nest(bitsetBit))] }, { nestedFlag: true });
/** ETHTOOL_A_BITSET_*: a bitset, verbose (bits with names) or compact (value and mask words). */
export const bitset = attrs('bitset', {
  nomask: [1, flag()],
  size: [2, u32()],
  bits: [3, nest(bitsetBits)],
  value: [4, binary()],
  mask: [5, binary()],
}, { nestedFlag: true });

/** ETHTOOL_A_STRING_*, _STRINGS_*, _STRINGSET_*, _STRINGSETS_*, _STRSET_*: string sets. */
export const stringAttrs = attrs('string', { index: [1, u32()], value: [2, string()] }, { nestedFlag: true });
export const strings = attrs('strings', { string: [1, array(nest(stringAttrs))] }, { nestedFlag: true });
export const stringset = attrs('stringset', { id: [1, u32()], count: [2, u32()], strings: [3, array(nest(strings))] }, { nestedFlag: true });
export const stringsets = attrs('stringsets', { stringset: [1, array(nest(stringset))] }, { nestedFlag: true });
export const strset = attrs('strset', { header: [1, nest(header)], stringsets: [2, nest(stringsets)], countsOnly: [3, flag()] }, { nestedFlag: true });

/** ETHTOOL_A_LINKINFO_*: port, PHY address, MDI-X, transceiver. */
export const linkinfo = attrs('linkinfo', {
  header: [1, nest(header)], port: [2, u8()], phyaddr: [3, u8()], tpMdix: [4, u8()], tpMdixCtrl: [5, u8()], transceiver: [6, u8()],
}, { nestedFlag: true });

/** ETHTOOL_A_LINKMODES_*: autonegotiation, supported/advertised (ours) and peer modes, speed, duplex. */
export const linkmodes = attrs('linkmodes', {
  header: [1, nest(header)], autoneg: [2, u8()], ours: [3, nest(bitset)], peer: [4, nest(bitset)], speed: [5, u32()],
  duplex: [6, u8()], masterSlaveCfg: [7, u8()], masterSlaveState: [8, u8()], lanes: [9, u32()], rateMatching: [10, u8()],
}, { nestedFlag: true });

/** ETHTOOL_A_LINKSTATE_*: carrier, signal quality, extended state. */
export const linkstate = attrs('linkstate', {
  header: [1, nest(header)], link: [2, u8()], sqi: [3, u32()], sqiMax: [4, u32()], extState: [5, u8()],
  extSubstate: [6, u8()], extDownCnt: [7, u32()],
}, { nestedFlag: true });

/** ETHTOOL_A_FEATURES_*: netdev features as bitsets. */
export const features = attrs('features', {
  header: [1, nest(header)], hw: [2, nest(bitset)], wanted: [3, nest(bitset)], active: [4, nest(bitset)], nochange: [5, nest(bitset)],
}, { nestedFlag: true });

/** ETHTOOL_A_RINGS_*: ring sizes and limits. */
export const rings = attrs('rings', {
  header: [1, nest(header)], rxMax: [2, u32()], rxMiniMax: [3, u32()], rxJumboMax: [4, u32()], txMax: [5, u32()],
  rx: [6, u32()], rxMini: [7, u32()], rxJumbo: [8, u32()], tx: [9, u32()], rxBufLen: [10, u32()], tcpDataSplit: [11, u8()],
  cqeSize: [12, u32()], txPush: [13, u8()], rxPush: [14, u8()], txPushBufLen: [15, u32()], txPushBufLenMax: [16, u32()],
}, { nestedFlag: true });

/** ETHTOOL_A_CHANNELS_*: queue counts and limits. */
export const channels = attrs('channels', {
  header: [1, nest(header)], rxMax: [2, u32()], txMax: [3, u32()], otherMax: [4, u32()], combinedMax: [5, u32()],
  rxCount: [6, u32()], txCount: [7, u32()], otherCount: [8, u32()], combinedCount: [9, u32()],
}, { nestedFlag: true });

/** ETHTOOL_A_DEBUG_*: the driver's message level (msglvl) as a bitset. */
export const debug = attrs('debug', { header: [1, nest(header)], msgmask: [2, nest(bitset)] }, { nestedFlag: true });

/** ETHTOOL_A_WOL_*: wake-on-LAN modes (a bitset of WAKE_* bits) and the SecureOn password. */
export const wol = attrs('wol', { header: [1, nest(header)], modes: [2, nest(bitset)], sopass: [3, binary()] }, { nestedFlag: true });

/** ETHTOOL_A_COALESCE_*: interrupt coalescing. */
export const coalesce = attrs('coalesce', {
  header: [1, nest(header)], rxUsecs: [2, u32()], rxMaxFrames: [3, u32()], rxUsecsIrq: [4, u32()], rxMaxFramesIrq: [5, u32()],
  txUsecs: [6, u32()], txMaxFrames: [7, u32()], txUsecsIrq: [8, u32()], txMaxFramesIrq: [9, u32()], statsBlockUsecs: [10, u32()],
  useAdaptiveRx: [11, u8()], useAdaptiveTx: [12, u8()], pktRateLow: [13, u32()], rxUsecsLow: [14, u32()], rxMaxFramesLow: [15, u32()],
  txUsecsLow: [16, u32()], txMaxFramesLow: [17, u32()], pktRateHigh: [18, u32()], rxUsecsHigh: [19, u32()], rxMaxFramesHigh: [20, u32()],
  txUsecsHigh: [21, u32()], txMaxFramesHigh: [22, u32()], rateSampleInterval: [23, u32()], useCqeModeTx: [24, u8()], useCqeModeRx: [25, u8()],
  txAggrMaxBytes: [26, u32()], txAggrMaxFrames: [27, u32()], txAggrTimeUsecs: [28, u32()],
}, { nestedFlag: true });

/** ETHTOOL_A_PAUSE_STAT_*: pause frame counters. */
export const pauseStat = attrs('pause-stat', { pad: [1, binary()], txFrames: [2, int('u64')], rxFrames: [3, int('u64')] }, { nestedFlag: true });

/** ETHTOOL_A_PAUSE_*: flow control (pause frames). */
export const pause = attrs('pause', {
  header: [1, nest(header)], autoneg: [2, u8()], rx: [3, u8()], tx: [4, u8()], stats: [5, nest(pauseStat)], statsSrc: [6, u32()],
}, { nestedFlag: true });

const get = (reply: string[]): OpMode => ({ request: { attributes: ['header'] }, reply: { attributes: ['header', ...reply] } });
const set = (a: string[]): OpMode => ({ request: { attributes: ['header', ...a] } });

/** The ethtool family (commands numbered per <linux/ethtool_netlink.h>, requests and replies apart). */
export const ethtool = genlFamily('ethtool', 1, {
  'strset-get': op({ name: 'strset-get', request: 1, reply: 1, set: strset,
    do: { request: { attributes: ['header', 'stringsets', 'countsOnly'] }, reply: { attributes: ['header', 'stringsets'] } },
    dump: { request: { attributes: ['header', 'stringsets', 'countsOnly'] }, reply: { attributes: ['header', 'stringsets'] } } }),
  'linkinfo-get': op({ name: 'linkinfo-get', request: 2, reply: 2, set: linkinfo, do: get(['port', 'phyaddr', 'tpMdix', 'tpMdixCtrl', 'transceiver']), dump: get(['port', 'phyaddr', 'tpMdix', 'tpMdixCtrl', 'transceiver']) }),
  'linkinfo-set': op({ name: 'linkinfo-set', request: 3, set: linkinfo, do: set(['port', 'phyaddr', 'tpMdix', 'tpMdixCtrl', 'transceiver']) }),
  'linkinfo-ntf': op({ name: 'linkinfo-ntf', reply: 3, set: linkinfo, notify: 'linkinfo-get', mcgrp: 'monitor' }),
  'linkmodes-get': op({ name: 'linkmodes-get', request: 4, reply: 4, set: linkmodes, do: get(['autoneg', 'ours', 'peer', 'speed', 'duplex']), dump: get(['autoneg', 'ours', 'peer', 'speed', 'duplex']) }),
  'linkmodes-set': op({ name: 'linkmodes-set', request: 5, set: linkmodes, do: set(['autoneg', 'ours', 'speed', 'duplex', 'lanes']) }),
  'linkmodes-ntf': op({ name: 'linkmodes-ntf', reply: 5, set: linkmodes, notify: 'linkmodes-get', mcgrp: 'monitor' }),
  'linkstate-get': op({ name: 'linkstate-get', request: 6, reply: 6, set: linkstate, do: get(['link', 'sqi', 'sqiMax', 'extState', 'extSubstate', 'extDownCnt']), dump: get(['link', 'sqi', 'sqiMax', 'extState', 'extSubstate', 'extDownCnt']) }),
  'debug-get': op({ name: 'debug-get', request: 7, reply: 7, set: debug, do: get(['msgmask']), dump: get(['msgmask']) }),
  'debug-set': op({ name: 'debug-set', request: 8, set: debug, do: set(['msgmask']) }),
  'debug-ntf': op({ name: 'debug-ntf', reply: 8, set: debug, notify: 'debug-get', mcgrp: 'monitor' }),
  'wol-get': op({ name: 'wol-get', request: 9, reply: 9, set: wol, do: get(['modes', 'sopass']), dump: get(['modes', 'sopass']) }),
  'wol-set': op({ name: 'wol-set', request: 10, set: wol, do: set(['modes', 'sopass']) }),
  'wol-ntf': op({ name: 'wol-ntf', reply: 10, set: wol, notify: 'wol-get', mcgrp: 'monitor' }),
  'features-get': op({ name: 'features-get', request: 11, reply: 11, set: features, do: get(['hw', 'wanted', 'active', 'nochange']), dump: get(['hw', 'wanted', 'active', 'nochange']) }),
  'features-set': op({ name: 'features-set', request: 12, reply: 12, set: features,
    do: { request: { attributes: ['header', 'wanted'] }, reply: { attributes: ['header', 'wanted', 'active'] } } }),
  'features-ntf': op({ name: 'features-ntf', reply: 13, set: features, notify: 'features-get', mcgrp: 'monitor' }),
  'rings-get': op({ name: 'rings-get', request: 15, reply: 16, set: rings, do: get(['rxMax', 'txMax', 'rx', 'tx']), dump: get(['rxMax', 'txMax', 'rx', 'tx']) }),
  'rings-set': op({ name: 'rings-set', request: 16, set: rings, do: set(['rx', 'rxMini', 'rxJumbo', 'tx', 'rxBufLen']) }),
  'rings-ntf': op({ name: 'rings-ntf', reply: 17, set: rings, notify: 'rings-get', mcgrp: 'monitor' }),
  'channels-get': op({ name: 'channels-get', request: 17, reply: 18, set: channels, do: get(['rxMax', 'txMax', 'rxCount', 'txCount']), dump: get(['rxMax', 'txMax', 'rxCount', 'txCount']) }),
  'channels-set': op({ name: 'channels-set', request: 18, set: channels, do: set(['rxCount', 'txCount', 'otherCount', 'combinedCount']) }),
  'channels-ntf': op({ name: 'channels-ntf', reply: 19, set: channels, notify: 'channels-get', mcgrp: 'monitor' }),
  'coalesce-get': op({ name: 'coalesce-get', request: 19, reply: 20, set: coalesce, do: get(['rxUsecs', 'rxMaxFrames', 'txUsecs', 'txMaxFrames']), dump: get(['rxUsecs', 'rxMaxFrames', 'txUsecs', 'txMaxFrames']) }),
  'coalesce-set': op({ name: 'coalesce-set', request: 20, set: coalesce, do: set(['rxUsecs', 'rxMaxFrames', 'txUsecs', 'txMaxFrames', 'useAdaptiveRx', 'useAdaptiveTx']) }),
  'coalesce-ntf': op({ name: 'coalesce-ntf', reply: 21, set: coalesce, notify: 'coalesce-get', mcgrp: 'monitor' }),
  'pause-get': op({ name: 'pause-get', request: 21, reply: 22, set: pause, do: get(['autoneg', 'rx', 'tx', 'stats']), dump: get(['autoneg', 'rx', 'tx', 'stats']) }),
  'pause-set': op({ name: 'pause-set', request: 22, set: pause, do: set(['autoneg', 'rx', 'tx']) }),
  'pause-ntf': op({ name: 'pause-ntf', reply: 23, set: pause, notify: 'pause-get', mcgrp: 'monitor' }),
}, ['monitor']);

/** A decoded bitset. */
export type Bitset = Decoded<typeof bitset>;

/**
 * The bits of a bitset that are set, by name (verbose form) or index (compact form, or bits
 * the kernel did not name). With `mask: true`, the bits present in the mask instead.
 */
export function bitsetBitsSet(bs: Bitset | undefined, names: readonly string[] = []): (string | number)[] {
  if (!bs) return [];
  const out: (string | number)[] = [];
  const list = bs.bits?.bit;
  if (list) {
    for (const b of list) if (bs.nomask || b.value) out.push(b.name || names[b.index ?? -1] || (b.index ?? -1));
    return out;
  }
  const v = bs.value;
  if (!v) return out;
  for (let i = 0; i < (bs.size ?? v.byteLength * 8); i++) {
    // Compact bitsets are arrays of u32 in host order; bit i is in word i/32.
    const word = new DataView(v.buffer, v.byteOffset, v.byteLength).getUint32((i >> 5) * 4, HOST_LE);
    if (word & (1 << (i & 31))) out.push(names[i] ?? i);
  }
  return out;
}

/** ETH_SS_*: string set ids (<linux/ethtool.h>). */
export const ETH_SS_FEATURES = 4;
export const ETH_SS_LINK_MODES = 9;
