// ethtool's commands as a table: the option words, what each does, its parameters and the exit
// status ethtool gives when the kernel refuses it (netlink/*.c: -K 92, -A 76, -G 81, -s 75,
// the rest 1). The parser (index.ts) and shell completion (completion.ts) both read it.
import { CHANNEL_PARAMS, COALESCE_PARAMS, PAUSE_PARAMS, RING_PARAMS, SETTINGS_PARAMS, type Param } from './params.js';

/** What a command does. */
export type EthtoolAction =
  | 'settings' | 'change' | 'features' | 'set-features' | 'driver' | 'statistics'
  | 'rings' | 'set-rings' | 'channels' | 'set-channels' | 'pause' | 'set-pause' | 'coalesce' | 'set-coalesce'
  | 'help' | 'version';

/** One ethtool command. */
export interface EthtoolCommand {
  readonly names: readonly string[];
  readonly action: EthtoolAction;
  readonly help: string;
  /** `NAME VALUE` parameters after the device (set commands). */
  readonly params?: readonly Param[];
  /** Exit status when the kernel refuses. */
  readonly refused: number;
  /** Takes no device (-h, --version). */
  readonly noDevice?: boolean;
}

/** The commands nlkit's ethtool has, in ethtool's help order. */
export const ETHTOOL_COMMANDS: readonly EthtoolCommand[] = [
  { names: ['-s', '--change'], action: 'change', help: 'change generic options', params: SETTINGS_PARAMS, refused: 75 },
  { names: ['-a', '--show-pause'], action: 'pause', help: 'show pause options', refused: 1 },
  { names: ['-A', '--pause'], action: 'set-pause', help: 'set pause options', params: PAUSE_PARAMS, refused: 76 },
  { names: ['-c', '--show-coalesce'], action: 'coalesce', help: 'show coalesce options', refused: 1 },
  { names: ['-C', '--coalesce'], action: 'set-coalesce', help: 'set coalesce options', params: COALESCE_PARAMS, refused: 1 },
  { names: ['-g', '--show-ring'], action: 'rings', help: 'query RX/TX ring parameters', refused: 1 },
  { names: ['-G', '--set-ring'], action: 'set-rings', help: 'set RX/TX ring parameters', params: RING_PARAMS, refused: 81 },
  { names: ['-k', '--show-features', '--show-offload'], action: 'features', help: 'get state of protocol offload and other features', refused: 1 },
  { names: ['-K', '--features', '--offload'], action: 'set-features', help: 'set protocol offload and other features', refused: 92 },
  { names: ['-i', '--driver'], action: 'driver', help: 'show driver information', refused: 71 },
  { names: ['-S', '--statistics'], action: 'statistics', help: 'show adapter statistics', refused: 96 },
  { names: ['-l', '--show-channels'], action: 'channels', help: 'query channels', refused: 1 },
  { names: ['-L', '--set-channels'], action: 'set-channels', help: 'set channels', params: CHANNEL_PARAMS, refused: 1 },
  { names: ['-h', '--help'], action: 'help', help: 'show this help', refused: 0, noDevice: true },
  { names: ['--version'], action: 'version', help: 'show version number', refused: 0, noDevice: true },
];

/** Options before the command (ethtool's and nlkit's own --netns). */
export const ETHTOOL_GLOBALS: readonly { names: readonly string[]; arg?: 'netns'; help: string }[] = [
  { names: ['--json'], help: 'JSON output (for -k, as ethtool)' },
  { names: ['--netns'], arg: 'netns', help: 'run in this network namespace (nlkit\'s; ethtool is run with ip netns exec)' },
];

/** The command spelled `word`. */
export function ethtoolCommand(word: string): EthtoolCommand | undefined {
  return ETHTOOL_COMMANDS.find((c) => c.names.includes(word));
}
