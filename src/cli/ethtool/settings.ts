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

/** The settings block as ethtool prints it (the lines nlkit knows how to fill). */
export function settingsText(s: Settings): string {
  let out = `Settings for ${s.dev}:\n`;
  const m = s.modes;
  if (m) {
    const ours = m.ours;
    // Supported modes are the mask of "ours", advertised its value (verbose bitsets list both).
    const supported = ours?.bits?.bit?.map((b) => b.name ?? b.index ?? -1) ?? [];
    const advertised = bitsetBitsSet(ours);
    out += modesLine('Supported link modes:   ', supported.filter((n) => typeof n === 'string' && /base/.test(n)));
    out += modesLine('Advertised link modes:  ', advertised.filter((n) => typeof n === 'string' && /base/.test(n)));
    const speed = m.speed;
    out += `\tSpeed: ${speed === undefined || speed === SPEED_UNKNOWN ? 'Unknown!' : `${speed}Mb/s`}\n`;
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
  if (s.state?.link !== undefined) out += `\tLink detected: ${s.state.link ? 'yes' : 'no'}\n`;
  return out;
}
