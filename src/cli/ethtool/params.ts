// The `NAME VALUE` parameters of ethtool's set commands (-G, -L, -A, -C, -s) as tables: the
// parser below and shell completion read the same rows. Each row names the attribute of the
// ethtool netlink message it sets, as ethtool's netlink/*.c param_parser tables do.
import { EthtoolUsage } from './errors.js';

/** How a parameter's value is read. */
export type ParamKind = 'u32' | 'bool' | { readonly [word: string]: number };

/** One parameter: its word, the property it sets, and how its value reads. */
export interface Param {
  readonly arg: string;
  readonly prop: string;
  readonly kind: ParamKind;
  /** For -s: which message it belongs to (link modes or link info). */
  readonly msg?: 'linkmodes' | 'linkinfo' | 'debug';
}

const u32 = (arg: string, prop: string, msg?: Param['msg']): Param => ({ arg, prop, kind: 'u32', ...(msg ? { msg } : {}) });
const bool = (arg: string, prop: string, msg?: Param['msg']): Param => ({ arg, prop, kind: 'bool', ...(msg ? { msg } : {}) });

/** -G: ring sizes (rings-set). */
export const RING_PARAMS: readonly Param[] = [
  u32('rx', 'rx'), u32('rx-mini', 'rxMini'), u32('rx-jumbo', 'rxJumbo'), u32('tx', 'tx'), u32('rx-buf-len', 'rxBufLen'),
  u32('cqe-size', 'cqeSize'), bool('tx-push', 'txPush'), bool('rx-push', 'rxPush'),
];

/** -L: channel counts (channels-set). */
export const CHANNEL_PARAMS: readonly Param[] = [
  u32('rx', 'rxCount'), u32('tx', 'txCount'), u32('other', 'otherCount'), u32('combined', 'combinedCount'),
];

/** -A: pause frames (pause-set). */
export const PAUSE_PARAMS: readonly Param[] = [bool('autoneg', 'autoneg'), bool('rx', 'rx'), bool('tx', 'tx')];

/** -C: interrupt coalescing (coalesce-set), ethtool 6.1's words. */
export const COALESCE_PARAMS: readonly Param[] = [
  bool('adaptive-rx', 'useAdaptiveRx'), bool('adaptive-tx', 'useAdaptiveTx'), u32('sample-interval', 'rateSampleInterval'),
  u32('stats-block-usecs', 'statsBlockUsecs'), u32('pkt-rate-low', 'pktRateLow'), u32('pkt-rate-high', 'pktRateHigh'),
  u32('rx-usecs', 'rxUsecs'), u32('rx-frames', 'rxMaxFrames'), u32('rx-usecs-irq', 'rxUsecsIrq'), u32('rx-frames-irq', 'rxMaxFramesIrq'),
  u32('tx-usecs', 'txUsecs'), u32('tx-frames', 'txMaxFrames'), u32('tx-usecs-irq', 'txUsecsIrq'), u32('tx-frames-irq', 'txMaxFramesIrq'),
  u32('rx-usecs-low', 'rxUsecsLow'), u32('rx-frames-low', 'rxMaxFramesLow'), u32('tx-usecs-low', 'txUsecsLow'), u32('tx-frames-low', 'txMaxFramesLow'),
  u32('rx-usecs-high', 'rxUsecsHigh'), u32('rx-frames-high', 'rxMaxFramesHigh'), u32('tx-usecs-high', 'txUsecsHigh'), u32('tx-frames-high', 'txMaxFramesHigh'),
  bool('cqe-mode-rx', 'useCqeModeRx'), bool('cqe-mode-tx', 'useCqeModeTx'),
];

/** -s: link settings (linkmodes-set and linkinfo-set); values per <linux/ethtool.h> DUPLEX_*, PORT_*, ETH_TP_MDI*, XCVR_*. */
export const SETTINGS_PARAMS: readonly Param[] = [
  u32('speed', 'speed', 'linkmodes'),
  { arg: 'duplex', prop: 'duplex', kind: { half: 0, full: 1 }, msg: 'linkmodes' },
  bool('autoneg', 'autoneg', 'linkmodes'),
  u32('lanes', 'lanes', 'linkmodes'),
  { arg: 'port', prop: 'port', kind: { tp: 0x00, aui: 0x01, mii: 0x02, fibre: 0x03, bnc: 0x04, da: 0x05 }, msg: 'linkinfo' },
  { arg: 'mdix', prop: 'tpMdixCtrl', kind: { off: 1, on: 2, auto: 3 }, msg: 'linkinfo' },
  u32('phyad', 'phyaddr', 'linkinfo'),
  { arg: 'xcvr', prop: 'transceiver', kind: { internal: 0, external: 1 }, msg: 'linkinfo' },
  u32('msglvl', 'msgmask', 'debug'),
];

function value(p: Param, text: string, cmd: string): number {
  const bad = () => new EthtoolUsage(`ethtool (${cmd}): invalid value '${text}' for parameter '${p.arg}'`);
  if (p.kind === 'u32') {
    // strtoul(…, 0): decimal, 0x hex or 0 octal; nothing negative, nothing past u32.
    if (!/^(0x[0-9a-f]+|0[0-7]*|[1-9]\d*)$/i.test(text)) throw bad();
    const n = /^0[0-7]+$/.test(text) ? parseInt(text, 8) : Number(text);
    if (!(n <= 0xffffffff)) throw bad();
    return n;
  }
  if (p.kind === 'bool') {
    if (text === 'on') return 1;
    if (text === 'off') return 0;
    throw bad();
  }
  const n = p.kind[text];
  if (n === undefined) throw bad();
  return n;
}

/** Reads `NAME VALUE …` words by a parameter table: the property values, by message for -s. */
export function parseParams(table: readonly Param[], words: readonly string[], cmd: string): Map<Param['msg'] | undefined, Record<string, number>> {
  const out = new Map<Param['msg'] | undefined, Record<string, number>>();
  for (let i = 0; i < words.length; i += 2) {
    const p = table.find((x) => x.arg === words[i]);
    if (!p) throw new EthtoolUsage(`ethtool (${cmd}): unknown parameter '${words[i]}'`);
    const text = words[i + 1];
    if (text === undefined) throw new EthtoolUsage(`ethtool (${cmd}): no value for parameter '${p.arg}'`);
    let m = out.get(p.msg);
    if (!m) out.set(p.msg, (m = {}));
    m[p.prop] = value(p, text, cmd);
  }
  return out;
}
