// The text of ethtool 6.1's -g, -l, -a and -c, from the decoded replies: an attribute the kernel
// did not send (the driver lacks it) prints as "n/a", as ethtool's show_u32/show_bool do.

type Reply = Record<string, unknown> | undefined;

function u32(r: Reply, k: string): string {
  const v = r?.[k];
  return typeof v === 'number' ? String(v) : 'n/a';
}

function onOff(r: Reply, k: string): string {
  const v = r?.[k];
  return typeof v === 'number' ? (v ? 'on' : 'off') : 'n/a';
}

/** `ethtool -g DEV` (ethtool 6.1's lines). */
export function ringsText(dev: string, r: Reply): string {
  const split = typeof r?.tcpDataSplit === 'number' ? r.tcpDataSplit : 0;
  // ETHTOOL_TCP_DATA_SPLIT_UNKNOWN, _DISABLED, _ENABLED.
  const tcp = split === 0 ? 'n/a' : split === 1 ? 'off' : split === 2 ? 'on' : `unknown(${split})\n`;
  return `Ring parameters for ${dev}:\nPre-set maximums:\n` +
    `RX:\t\t\t${u32(r, 'rxMax')}\nRX Mini:\t\t${u32(r, 'rxMiniMax')}\nRX Jumbo:\t\t${u32(r, 'rxJumboMax')}\nTX:\t\t\t${u32(r, 'txMax')}\n` +
    'Current hardware settings:\n' +
    `RX:\t\t\t${u32(r, 'rx')}\nRX Mini:\t\t${u32(r, 'rxMini')}\nRX Jumbo:\t\t${u32(r, 'rxJumbo')}\nTX:\t\t\t${u32(r, 'tx')}\n` +
    `RX Buf Len:\t\t${u32(r, 'rxBufLen')}\nCQE Size:\t\t${u32(r, 'cqeSize')}\nTX Push:\t\t${onOff(r, 'txPush')}\nTCP data split:\t\t${tcp}\n`;
}

/** `ethtool -l DEV`. */
export function channelsText(dev: string, r: Reply): string {
  return `Channel parameters for ${dev}:\nPre-set maximums:\n` +
    `RX:\t\t${u32(r, 'rxMax')}\nTX:\t\t${u32(r, 'txMax')}\nOther:\t\t${u32(r, 'otherMax')}\nCombined:\t${u32(r, 'combinedMax')}\n` +
    'Current hardware settings:\n' +
    `RX:\t\t${u32(r, 'rxCount')}\nTX:\t\t${u32(r, 'txCount')}\nOther:\t\t${u32(r, 'otherCount')}\nCombined:\t${u32(r, 'combinedCount')}\n`;
}

/** `ethtool -a DEV`; `negotiated` is what link modes say when autonegotiation is on. */
export function pauseText(dev: string, r: Reply, negotiated?: { rx: boolean; tx: boolean }): string {
  let s = `Pause parameters for ${dev}:\nAutonegotiate:\t${onOff(r, 'autoneg')}\nRX:\t\t${onOff(r, 'rx')}\nTX:\t\t${onOff(r, 'tx')}\n`;
  if (negotiated) s += `RX negotiated: ${negotiated.rx ? 'on' : 'off'}\nTX negotiated: ${negotiated.tx ? 'on' : 'off'}\n`;
  const st = r?.stats as Record<string, unknown> | undefined;
  if (st && (st.txFrames !== undefined || st.rxFrames !== undefined)) {
    s += 'Statistics:\n';
    if (st.txFrames !== undefined) s += `  tx_pause_frames: ${String(st.txFrames)}\n`;
    if (st.rxFrames !== undefined) s += `  rx_pause_frames: ${String(st.rxFrames)}\n`;
  }
  return s + '\n';
}

/** `ethtool -c DEV` (ethtool 6.1's lines and blank lines). */
export function coalesceText(dev: string, r: Reply): string {
  const q = (k: string) => u32(r, k);
  return `Coalesce parameters for ${dev}:\n` +
    `Adaptive RX: ${onOff(r, 'useAdaptiveRx')}  TX: ${onOff(r, 'useAdaptiveTx')}\n` +
    `stats-block-usecs: ${q('statsBlockUsecs')}\nsample-interval: ${q('rateSampleInterval')}\n` +
    `pkt-rate-low: ${q('pktRateLow')}\npkt-rate-high: ${q('pktRateHigh')}\n\n` +
    `rx-usecs: ${q('rxUsecs')}\nrx-frames: ${q('rxMaxFrames')}\nrx-usecs-irq: ${q('rxUsecsIrq')}\nrx-frames-irq: ${q('rxMaxFramesIrq')}\n\n` +
    `tx-usecs: ${q('txUsecs')}\ntx-frames: ${q('txMaxFrames')}\ntx-usecs-irq: ${q('txUsecsIrq')}\ntx-frames-irq: ${q('txMaxFramesIrq')}\n\n` +
    `rx-usecs-low: ${q('rxUsecsLow')}\nrx-frame-low: ${q('rxMaxFramesLow')}\ntx-usecs-low: ${q('txUsecsLow')}\ntx-frame-low: ${q('txMaxFramesLow')}\n\n` +
    `rx-usecs-high: ${q('rxUsecsHigh')}\nrx-frame-high: ${q('rxMaxFramesHigh')}\ntx-usecs-high: ${q('txUsecsHigh')}\ntx-frame-high: ${q('txMaxFramesHigh')}\n\n` +
    `CQE mode RX: ${onOff(r, 'useCqeModeRx')}  TX: ${onOff(r, 'useCqeModeTx')}\n\n`;
}
