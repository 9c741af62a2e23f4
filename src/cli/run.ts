// One nlkit command line, run to its exit status. main.ts owns what belongs to the process (the
// argument bytes, the exit code, the streams' bytes and SIGPIPE); this part does not, so that a
// program can run many command lines in one process — the tests do, in a worker of their own.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { packageRoot } from '../package-root.js';
import { commands } from './commands.js';
import { withStdin } from './stdio.js';
import { EXIT_USAGE, UsageError } from './usage.js';

export { writeRawBytes } from './stdio.js';

function version(): string {
  const file = path.join(packageRoot(import.meta.url), 'package.json');
  const pkg = JSON.parse(readFileSync(file, 'utf8')) as { version: string };
  return pkg.version;
}

function help(): string {
  const names = Object.keys(commands);
  const width = Math.max(8, ...names.map((n) => n.length));
  const lines = names.map((n) => `  ${n.padEnd(width)}  ${commands[n]!.summary}`);
  return [
    'Usage: nlkit COMMAND [ARGS…]',
    '',
    'The Netlink toolkit: talk to the Linux kernel about links, addresses, routes, families and more.',
    '',
    'Commands:',
    ...lines,
    '',
    'Network namespace: --netns NAME; also -n NAME for ip, tc, bridge, genl, queue, nflog, uevent and',
    'nlex (as iproute2), -N NAME for conntrack, and ss takes only -N NAME or --net=NAME (as ss). proc',
    'has none: the kernel sends process events to the initial namespace only.',
    'JSON: -j/--json (ethtool: --json -k, as ethtool). Help: nlkit COMMAND --help.',
    'Exit status: 0 success, 1 the kernel refused, 2 usage error; a command that mirrors a tool exits as',
    'it does (ip: 2 refused, 1 or 255 usage; ethtool: ethtool\'s; genl call: YNL\'s, 1 for a bad value).',
    '',
  ].join('\n');
}

async function dispatch(argv: string[]): Promise<number> {
  const [cmd, ...rest] = argv;
  if (cmd === undefined || cmd === '--help' || cmd === '-h' || cmd === 'help') {
    process.stdout.write(help());
    return cmd === undefined ? EXIT_USAGE : 0;
  }
  if (cmd === '--version' || cmd === '-V') {
    process.stdout.write(`nlkit ${version()}\n`);
    return 0;
  }
  const entry = commands[cmd];
  if (!entry) throw new UsageError(`nlkit: unknown command "${cmd}"`, 'Try "nlkit --help".');
  const mod = await entry.load();
  return mod.run(rest);
}

/** How runCli runs a command line. */
export interface RunCliOptions {
  /** The standard input's text (`-batch -`); fd 0 when absent. */
  stdin?: string;
}

/**
 * Runs `nlkit ARGV…` and resolves with its exit status: expected errors are printed as the
 * mirrored tool prints them; anything else is a bug, printed with its stack (status 3).
 */
export async function runCli(argv: string[], opts: RunCliOptions = {}): Promise<number> {
  try {
    return await withStdin(opts.stdin, () => dispatch(argv));
  } catch (e) {
    try {
      const { reportError } = await import('./errors.js');
      return reportError(e);
    } catch (bug) {
      console.error(bug);
      return EXIT_USAGE + 1;
    }
  }
}
