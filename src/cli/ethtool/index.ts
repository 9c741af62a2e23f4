// nlkit ethtool: ethtool's command line over the ethtool generic netlink family, printing what
// ethtool 6.1 prints, with its exit statuses and error words. `--netns NAME` is nlkit's own
// (ethtool itself is run under `ip netns exec`); ethtool's -n is its RX flow command.
import { FamilyClient, ethtool } from '../../genl/index.js';
import { NetlinkError } from '../../socket/index.js';
import { globalArgs } from '../genl/args.js';
import { ETHTOOL_COMMANDS, ethtoolCommand, type EthtoolCommand } from './commands.js';
import { badCommandLine, EthtoolUsage, refusalText } from './errors.js';
import { featuresJson, featuresText, featureStates, setFeatures } from './features.js';
import { parseParams } from './params.js';
import { settingsText, type Settings } from './settings.js';
import { driverText, EthtoolFailure, statsText } from './ioctl.js';
import { channelsText, coalesceText, pauseText, ringsText } from './show.js';

type Client = FamilyClient<typeof ethtool.ops>;

/** NETIF_MSG_* bit names, as ethtool prints them (its flags_msglvl table). */
const MSG_LEVELS = ['drv', 'probe', 'link', 'timer', 'ifdown', 'ifup', 'rx_err', 'tx_err', 'tx_queued', 'intr', 'tx_done', 'rx_status', 'pktdata', 'hw', 'wol'];

const HELP = `Usage: nlkit ethtool [--netns NAME] [--json] [ COMMAND ] DEVNAME [ ARGS ]
        ethtool DEVNAME\tDisplay standard information about device
${ETHTOOL_COMMANDS.map((c) => `        ethtool ${c.names.join('|')}${c.noDevice ? '' : ' DEVNAME'}\t${c.help[0]!.toUpperCase()}${c.help.slice(1)}` +
  (c.params ? `\n${c.params.map((p) => `\t\t[ ${p.arg} ${p.kind === 'u32' ? 'N' : p.kind === 'bool' ? 'on|off' : Object.keys(p.kind).join('|')} ]`).join('\n')}` : '')).join('\n')}
`;

/** Runs a get operation; EOPNOTSUPP (the driver lacks it) resolves undefined. */
async function optional<T>(p: Promise<T>): Promise<T | undefined> {
  try {
    return await p;
  } catch (e) {
    if (e instanceof NetlinkError && e.code === 'EOPNOTSUPP') return undefined;
    throw e;
  }
}

/**
 * What `ethtool DEV` asks for, in its order: link modes, link info, message level, link state.
 * A refusal other than EOPNOTSUPP is printed (as ethtool does, request by request) and the rest
 * still asked; when nothing answers, ethtool's "No data available" and exit 75.
 */
async function settings(c: Client, dev: string, err: (s: string) => void): Promise<Settings> {
  const header = { devName: dev };
  let answered = false;
  const ask = async <T>(p: Promise<T>): Promise<T | undefined> => {
    try {
      const r = await p;
      answered = true;
      return r;
    } catch (e) {
      if (!(e instanceof NetlinkError)) throw e;
      if (e.code !== 'EOPNOTSUPP') err(refusalText(e));
      return undefined;
    }
  };
  const modes = await ask(c.do('linkmodes-get', { header }));
  const info = await ask(c.do('linkinfo-get', { header }));
  const wolReply = await ask(c.do('wol-get', { header: { ...header, flags: ['compact-bitsets'] } }));
  const debug = await ask(c.do('debug-get', { header: { ...header, flags: ['compact-bitsets'] } }));
  const state = await ask(c.do('linkstate-get', { header }));
  if (!answered) throw new EthtoolFailure('No data available', 75);
  // The message level is the first word of the compact bitset; its names are the NETIF_MSG_* bits.
  const words = debug?.msgmask?.value;
  const value = words && words.byteLength >= 4 ? new DataView(words.buffer, words.byteOffset, 4).getUint32(0, true) : undefined;
  const msglvl = value === undefined ? undefined : { value, names: MSG_LEVELS.filter((_, i) => value & (1 << i)) };
  const word = (b: Uint8Array | undefined) => (b && b.byteLength >= 4 ? new DataView(b.buffer, b.byteOffset, 4).getUint32(0, true) : 0);
  const wolModes = wolReply ? { supported: word(wolReply.modes?.mask), enabled: word(wolReply.modes?.value) } : undefined;
  return { dev, info, modes, state, msglvl, wol: wolModes };
}

// Pause frames as autonegotiated: both ends' Pause and Asym_Pause link modes (ethtool's pause_autoneg_cb).
async function negotiatedPause(c: Client, dev: string): Promise<{ rx: boolean; tx: boolean } | undefined> {
  const m = await optional(c.do('linkmodes-get', { header: { devName: dev } }));
  const has = (bs: typeof m extends undefined ? never : any, name: string) => (bs?.bits?.bit ?? []).some((b: { name?: string; value?: boolean }) => b.name === name && (bs.nomask || b.value));
  if (!m?.ours || !m.peer) return undefined;
  const ours = { pause: has(m.ours, 'Pause'), asym: has(m.ours, 'Asym_Pause') };
  const peer = { pause: has(m.peer, 'Pause'), asym: has(m.peer, 'Asym_Pause') };
  if (ours.pause && peer.pause) return { rx: true, tx: true };
  if (ours.asym && peer.asym) return { rx: ours.pause, tx: !ours.pause && peer.pause };
  return { rx: false, tx: false };
}

async function perform(c: Client, cmd: EthtoolCommand | undefined, dev: string, args: string[], json: boolean, err: (s: string) => void): Promise<string> {
  const header = { devName: dev };
  const params = (): Record<string, number> => parseParams(cmd!.params!, args, cmd!.names[0]!).get(undefined) ?? {};
  switch (cmd?.action) {
    case undefined: return settingsText(await settings(c, dev, err));
    case 'features': {
      const fs = await featureStates(c, dev);
      return json ? featuresJson(dev, fs) : featuresText(dev, fs);
    }
    case 'set-features': return setFeatures(c, dev, args);
    case 'rings': return ringsText(dev, await c.do('rings-get', { header }));
    case 'set-rings': await c.do('rings-set', { header, ...params() }); return '';
    case 'channels': return channelsText(dev, await c.do('channels-get', { header }));
    case 'set-channels': await c.do('channels-set', { header, ...params() }); return '';
    case 'pause': {
      const r = await c.do('pause-get', { header });
      return pauseText(dev, r, r?.autoneg ? await negotiatedPause(c, dev) : undefined);
    }
    case 'set-pause': await c.do('pause-set', { header, ...params() }); return '';
    case 'coalesce': return coalesceText(dev, await c.do('coalesce-get', { header }));
    case 'set-coalesce': await c.do('coalesce-set', { header, ...params() }); return '';
    case 'change': {
      const byMsg = parseParams(cmd.params!, args, cmd.names[0]!);
      const info = byMsg.get('linkinfo');
      const modes = byMsg.get('linkmodes');
      if (info) await c.do('linkinfo-set', { header, ...info });
      if (modes) await c.do('linkmodes-set', { header, ...modes });
      const debug = byMsg.get('debug');
      if (debug?.msgmask !== undefined) {
        // The whole message level: a compact bitset of 32 bits without a mask (every bit set as given).
        const value = new Uint8Array(4);
        new DataView(value.buffer).setUint32(0, debug.msgmask, true);
        await c.do('debug-set', { header, msgmask: { nomask: true, size: 32, value } });
      }
      return '';
    }
    case 'driver': return driverText(c.socket, dev);
    case 'statistics': return statsText(c.socket, dev);
    default:
      return '';
  }
}

/** Where the command writes (stdout and stderr, or a test's buffers). */
export interface EthtoolIo {
  out(s: string): void;
  err(s: string): void;
}

const stdio: EthtoolIo = { out: (s) => void process.stdout.write(s), err: (s) => void process.stderr.write(s) };

/** Runs `nlkit ethtool …`. */
export async function run(args: string[], io: EthtoolIo = stdio): Promise<number> {
  const g = globalArgs(args, 'ethtool', { untilObject: true });
  let json = false;
  let i = 0;
  const words = g.rest;
  for (; i < words.length && (words[i] === '--json' || words[i] === '--debug' || words[i] === '-I' || words[i] === '--include-statistics'); i++) {
    if (words[i] === '--json') json = true;
    if (words[i] === '--debug') i++;
  }
  const first = words[i];
  if (first === undefined) throw badCommandLine();
  const cmd = first.startsWith('-') ? ethtoolCommand(first) : undefined;
  if (first.startsWith('-') && !cmd) throw badCommandLine();
  if (cmd?.action === 'help') {
    io.out(HELP);
    return 0;
  }
  if (cmd?.action === 'version') {
    io.out('ethtool version 6.1 (nlkit: ethtool netlink)\n');
    return 0;
  }
  const dev = cmd ? words[i + 1] : first;
  const rest = words.slice(cmd ? i + 2 : i + 1);
  if (dev === undefined) throw badCommandLine();
  // --json is ethtool's for -k only (6.1); elsewhere it refuses the line.
  if (json && cmd?.action !== 'features') throw badCommandLine();
  if (!cmd?.params && cmd?.action !== 'set-features' && rest.length) throw new EthtoolUsage(`ethtool: unexpected parameter '${rest[0]}'`);
  if (cmd?.params) parseParams(cmd.params, rest, cmd.names[0]!); // refuse a bad line before opening anything
  const c = await FamilyClient.open(ethtool, g.netns ? { netns: g.netns } : {});
  try {
    io.out(await perform(c, cmd, dev, rest, json, io.err));
    return 0;
  } catch (e) {
    if (e instanceof NetlinkError) {
      io.err(refusalText(e));
      return cmd?.refused ?? 1;
    }
    if (e instanceof EthtoolFailure) {
      // ethtool's perror() lines go to stderr; "No data available" to stdout.
      (e.status === 75 ? io.out : io.err)(`${e.message}\n`);
      return e.status;
    }
    throw e;
  } finally {
    c.close();
  }
}
