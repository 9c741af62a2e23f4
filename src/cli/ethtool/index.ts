// nlkit ethtool [--netns NAME] [-j] [-k | -g | -l] DEV: device settings, features, rings and
// channels over the ethtool generic netlink family, printed as the ethtool tool prints them.
import { FamilyClient, bitsetBitsSet, ethtool } from '../../genl/index.js';
import { NetlinkError } from '../../socket/index.js';
import { UsageError } from '../errors.js';
import { globalArgs } from '../genl/args.js';
import { toJson } from '../genl/json.js';
import { settingsText, type Settings } from './settings.js';

const HELP = `Usage: nlkit ethtool [--netns NAME] [-j] DEV        settings (speed, duplex, port, link)
       nlkit ethtool [--netns NAME] [-j] -k DEV     features
       nlkit ethtool [--netns NAME] [-j] -g DEV     ring sizes
       nlkit ethtool [--netns NAME] [-j] -l DEV     channels
`;

type Client = FamilyClient<typeof ethtool.ops>;

/** Runs a get operation; EOPNOTSUPP (the driver lacks it) resolves undefined. */
async function optional<T>(p: Promise<T>): Promise<T | undefined> {
  try {
    return await p;
  } catch (e) {
    if (e instanceof NetlinkError && e.code === 'EOPNOTSUPP') return undefined;
    throw e;
  }
}

async function settings(c: Client, dev: string): Promise<Settings> {
  const header = { devName: dev };
  const [info, modes, state] = [
    await optional(c.do('linkinfo-get', { header })),
    await optional(c.do('linkmodes-get', { header })),
    await c.do('linkstate-get', { header }),
  ];
  return { dev, info, modes, state };
}

function onOff(b: boolean): string {
  return b ? 'on' : 'off';
}

async function features(c: Client, dev: string, json: boolean): Promise<string> {
  const r = await c.do('features-get', { header: { devName: dev } });
  const hw = new Set(bitsetBitsSet(r?.hw));
  const active = new Set(bitsetBitsSet(r?.active));
  const wanted = new Set(bitsetBitsSet(r?.wanted));
  const nochange = new Set(bitsetBitsSet(r?.nochange));
  // Every feature the kernel names, in its order (the strings of ETH_SS_FEATURES).
  const names = (r?.hw?.bits?.bit ?? []).length ? await featureNames(c, dev) : [];
  const rows = names.filter((n) => n !== '').map((n) => ({
    name: n, active: active.has(n), fixed: !hw.has(n) || nochange.has(n), requested: wanted.has(n) || (active.has(n) && !hw.has(n)),
  }));
  if (json) return toJson({ ifname: dev, features: rows }, 2) + '\n';
  return `Features for ${dev}:\n` + rows.map((f) => {
    let s = `${f.name}: ${onOff(f.active)}`;
    if (f.fixed) s += ' [fixed]';
    else if (f.requested !== f.active) s += ` [requested ${onOff(f.requested)}]`;
    return s + '\n';
  }).join('');
}

async function featureNames(c: Client, dev: string): Promise<string[]> {
  const r = await c.do('strset-get', { header: { devName: dev }, stringsets: { stringset: [{ id: 4 /* ETH_SS_FEATURES */ }] } });
  const set = r?.stringsets?.stringset?.find((s) => s.id === 4);
  const out: string[] = [];
  for (const group of set?.strings ?? []) for (const s of group.string ?? []) out[s.index ?? out.length] = s.value ?? '';
  return out;
}

function val(v: number | undefined): string {
  return v === undefined ? 'n/a' : String(v);
}

async function ringsText(c: Client, dev: string, json: boolean): Promise<string> {
  const r = await c.do('rings-get', { header: { devName: dev } });
  if (json) return toJson({ ifname: dev, ...r, header: undefined }, 2) + '\n';
  return `Ring parameters for ${dev}:\nPre-set maximums:\n` +
    `RX:\t\t${val(r?.rxMax)}\nRX Mini:\t${val(r?.rxMiniMax)}\nRX Jumbo:\t${val(r?.rxJumboMax)}\nTX:\t\t${val(r?.txMax)}\n` +
    `Current hardware settings:\n` +
    `RX:\t\t${val(r?.rx)}\nRX Mini:\t${val(r?.rxMini)}\nRX Jumbo:\t${val(r?.rxJumbo)}\nTX:\t\t${val(r?.tx)}\n`;
}

async function channelsText(c: Client, dev: string, json: boolean): Promise<string> {
  const r = await c.do('channels-get', { header: { devName: dev } });
  if (json) return toJson({ ifname: dev, ...r, header: undefined }, 2) + '\n';
  const v = (x: number | undefined) => (x ? String(x) : 'n/a');
  return `Channel parameters for ${dev}:\nPre-set maximums:\n` +
    `RX:\t\t${v(r?.rxMax)}\nTX:\t\t${v(r?.txMax)}\nOther:\t\t${v(r?.otherMax)}\nCombined:\t${v(r?.combinedMax)}\n` +
    `Current hardware settings:\n` +
    `RX:\t\t${v(r?.rxCount)}\nTX:\t\t${v(r?.txCount)}\nOther:\t\t${v(r?.otherCount)}\nCombined:\t${v(r?.combinedCount)}\n`;
}

/** Runs `nlkit ethtool …`. */
export async function run(args: string[]): Promise<number> {
  const g = globalArgs(args, 'ethtool');
  let mode: 'settings' | 'features' | 'rings' | 'channels' = 'settings';
  const pos: string[] = [];
  for (const a of g.rest) {
    if (a === '-k' || a === '--show-features' || a === '--show-offload') mode = 'features';
    else if (a === '-g' || a === '--show-ring') mode = 'rings';
    else if (a === '-l' || a === '--show-channels') mode = 'channels';
    else if (a === '-h' || a === '--help') {
      process.stdout.write(HELP);
      return 0;
    } else if (a.startsWith('-')) throw new UsageError(`ethtool: unknown option "${a}"`, 'Try "nlkit ethtool --help".');
    else pos.push(a);
  }
  const dev = pos[0];
  if (!dev || pos.length > 1) throw new UsageError('ethtool: give one device name', 'Try "nlkit ethtool --help".');
  const c = await FamilyClient.open(ethtool, g.netns ? { netns: g.netns } : {});
  try {
    let out: string;
    switch (mode) {
      case 'features': out = await features(c, dev, g.json); break;
      case 'rings': out = await ringsText(c, dev, g.json); break;
      case 'channels': out = await channelsText(c, dev, g.json); break;
      default: {
        const s = await settings(c, dev);
        out = g.json ? toJson({ ifname: dev, linkinfo: s.info, linkmodes: s.modes, linkstate: s.state }, 2) + '\n' : settingsText(s);
      }
    }
    process.stdout.write(out);
    return 0;
  } finally {
    c.close();
  }
}
