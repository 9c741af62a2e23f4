#!/usr/bin/env -S node --min-semi-space-size=32
// The larger young generation spares a long listing (100,000 routes) dozens of scavenges: about
// a quarter of `nlkit ip -j route show`'s time, measured with bench/run.ts.
// nlkit: the command line. Subcommands follow iproute2's grammar where one exists.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { packageRoot } from '../package-root.js';
import { commands } from './commands.js';
import { commandLineArgs, dieOfBrokenPipe, writeRawBytes } from './stdio.js';
import { EXIT_USAGE, UsageError } from './usage.js';

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

async function main(argv: string[]): Promise<number> {
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

// Names that are not UTF-8 pass through byte for byte: in from the command line, out on stdout
// and stderr (every printer writes through these two streams).
writeRawBytes(process.stdout);
writeRawBytes(process.stderr);
// A reader that goes away (`| head`) ends nlkit as it ends ip: by SIGPIPE, without a word.
dieOfBrokenPipe(process.stdout);
dieOfBrokenPipe(process.stderr);

main(commandLineArgs()).then(
  (code) => {
    process.exitCode = code;
  },
  async (e: unknown) => {
    try {
      const { reportError } = await import('./errors.js');
      process.exitCode = reportError(e);
    } catch {
      console.error(e);
      process.exitCode = EXIT_USAGE + 1;
    }
  },
);
