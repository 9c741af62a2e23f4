// `ethtool DEV` text: the settings block, from linkinfo, linkmodes and linkstate replies.
// Values per <linux/ethtool.h>: PORT_*, XCVR_*, DUPLEX_*, AUTONEG_*, ETH_TP_MDI*, SPEED_UNKNOWN.
import { bitsetBitsSet } from '../../genl/index.js';
import type { Decoded } from '../../schema/index.js';
import type { linkinfo, linkmodes, linkstate } from '../../genl/families/ethtool.js';

/** What `nlkit ethtool DEV` shows. */
export interface Settings {
  dev: string;
  info: Decoded<typeof linkinfo> | undefined;
  modes: Decoded<typeof linkmodes> | undefined;
  state: Decoded<typeof linkstate> | undefined;
  /** The driver's message level (debug-get), when it has one. */
  msglvl?: { value: number; names: string[] } | undefined;
  /** Wake-on-LAN: the WAKE_* bits the device supports and those enabled (wol-get). */
  wol?: { supported: number; enabled: number } | undefined;
}

/** WAKE_* bits (<linux/ethtool.h>) as ethtool's letters, in its order; none is 'd'. */
const WAKE: [number, string][] = [[1 << 0, 'p'], [1 << 1, 'u'], [1 << 2, 'm'], [1 << 3, 'b'], [1 << 4, 'a'], [1 << 5, 'g'], [1 << 6, 's'], [1 << 7, 'f']];

function wakeText(bits: number): string {
  const s = WAKE.filter(([b]) => bits & b).map(([, c]) => c).join('');
  return s || 'd';
}

/** PORT_* names as ethtool prints them. */
export const PORTS: Record<number, string> = {
  0x00: 'Twisted Pair', 0x01: 'AUI', 0x02: 'MII', 0x03: 'FIBRE', 0x04: 'BNC', 0x05: 'Direct Attach Copper', 0xef: 'None', 0xff: 'Other',
};
/** SPEED_UNKNOWN. */
export const SPEED_UNKNOWN = 0xffffffff;
/** ETH_TP_MDI_* values. */
export const ETH_TP_MDI_INVALID = 0;
export const ETH_TP_MDI = 1;
export const ETH_TP_MDI_X = 2;
export const ETH_TP_MDI_AUTO = 3;

function modesLine(title: string, names: (string | number)[]): string {
  return `\t${title}${names.length ? names.join(' ') : 'Not reported'}\n`;
}

/** Link-mode bits that are not speeds/media (<linux/ethtool.h> ETHTOOL_LINK_MODE_*_BIT names). */
const PORT_BITS: [string, string][] = [['TP', 'TP'], ['AUI', 'AUI'], ['MII', 'MII'], ['FIBRE', 'FIBRE'], ['BNC', 'BNC'], ['Backplane', 'Backplane']];
const FEC_BITS: [string, string][] = [['FEC_NONE', 'None'], ['FEC_RS', 'RS'], ['FEC_BASER', 'BASER'], ['FEC_LLRS', 'LLRS']];

// ethtool's words for the Pause and Asym_Pause bits.
function pauseUse(set: ReadonlySet<string | number>): string {
  const p = set.has('Pause');
  const a = set.has('Asym_Pause');
  return p ? (a ? 'Symmetric Receive-only' : 'Symmetric') : a ? 'Transmit-only' : 'No';
}

// One side (supported or advertised) of ethtool's "our modes" block.
function side(label: 'Supported' | 'Advertised', set: ReadonlySet<string | number>, withPorts: boolean): string {
  let out = '';
  if (withPorts) out += `\tSupported ports: [ ${PORT_BITS.filter(([b]) => set.has(b)).map(([, n]) => n).join(' ')} ]\n`;
  out += modesLine(label === 'Supported' ? 'Supported link modes:   ' : 'Advertised link modes:  ', [...set].filter((n) => typeof n === 'string' && /base/.test(n)));
  out += `\t${label} pause frame use: ${pauseUse(set)}\n`;
  out += label === 'Supported' ? `\tSupports auto-negotiation: ${set.has('Autoneg') ? 'Yes' : 'No'}\n` : `\tAdvertised auto-negotiation: ${set.has('Autoneg') ? 'Yes' : 'No'}\n`;
  const fec = FEC_BITS.filter(([b]) => set.has(b)).map(([, n]) => n);
  out += `\t${label} FEC modes: ${fec.length ? fec.join(' ') : 'Not reported'}\n`;
  return out;
}

/** The settings block as ethtool 6.1 prints it (netlink/settings.c), for what the kernel sends. */
export function settingsText(s: Settings): string {
  let out = `Settings for ${s.dev}:\n`;
  const m = s.modes;
  if (m) {
    const ours = m.ours;
    // Supported modes are the mask of "ours" (verbose bitsets list every bit of it), advertised its value.
    const supported = new Set(ours?.bits?.bit?.map((b) => b.name ?? b.index ?? -1) ?? []);
    const advertised = new Set(bitsetBitsSet(ours));
    out += side('Supported', supported, true);
    out += side('Advertised', advertised, false);
    if (m.autoneg && m.peer) {
      const peer = new Set(bitsetBitsSet(m.peer));
      out += modesLine('Link partner advertised link modes:  ', [...peer].filter((n) => typeof n === 'string' && /base/.test(n)));
      out += `\tLink partner advertised pause frame use: ${pauseUse(peer)}\n`;
      out += `\tLink partner advertised auto-negotiation: ${peer.has('Autoneg') ? 'Yes' : 'No'}\n`;
      const fec = FEC_BITS.filter(([b]) => peer.has(b)).map(([, n]) => n);
      out += `\tLink partner advertised FEC modes: ${fec.length ? fec.join(' ') : 'Not reported'}\n`;
    }
    const speed = m.speed;
    out += `\tSpeed: ${speed === undefined || speed === SPEED_UNKNOWN ? 'Unknown!' : `${speed}Mb/s`}\n`;
    if (m.lanes) out += `\tLanes: ${m.lanes}\n`;
    const duplex = m.duplex;
    out += `\tDuplex: ${duplex === 0 ? 'Half' : duplex === 1 ? 'Full' : `Unknown! (${duplex ?? 255})`}\n`;
    out += `\tAuto-negotiation: ${m.autoneg ? 'on' : 'off'}\n`;
  }
  const i = s.info;
  if (i) {
    if (i.port !== undefined) out += `\tPort: ${PORTS[i.port] ?? `Unknown! (${i.port})`}\n`;
    if (i.phyaddr !== undefined) out += `\tPHYAD: ${i.phyaddr}\n`;
    if (i.transceiver !== undefined) out += `\tTransceiver: ${i.transceiver === 0 ? 'internal' : i.transceiver === 1 ? 'external' : 'Unknown!'}\n`;
    if (i.tpMdix !== undefined && i.port === 0) {
      let t = i.tpMdix === ETH_TP_MDI ? 'off' : i.tpMdix === ETH_TP_MDI_X ? 'on' : 'Unknown';
      if (i.tpMdixCtrl === ETH_TP_MDI_AUTO) t += ' (auto)';
      else if (i.tpMdixCtrl !== undefined && i.tpMdixCtrl !== ETH_TP_MDI_INVALID) t += ' (forced)';
      out += `\tMDI-X: ${t}\n`;
    }
  }
  if (s.wol) out += `\tSupports Wake-on: ${wakeText(s.wol.supported)}\n\tWake-on: ${wakeText(s.wol.enabled)}\n`;
  if (s.msglvl !== undefined) {
    // ethtool prints the level, then its flag names on a line indented to the value's column.
    out += `        Current message level: 0x${s.msglvl.value.toString(16).padStart(8, '0')} (${s.msglvl.value})\n`;
    out += `                              ${s.msglvl.names.map((n) => ` ${n}`).join('')}\n`;
  }
  if (s.state?.link !== undefined) out += `\tLink detected: ${s.state.link ? 'yes' : 'no'}\n`;
  return out;
}
