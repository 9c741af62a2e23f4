// nlkit uevent monitor: kernel uevents printed as `udevadm monitor --kernel --property` prints
// them, or one JSON object per event (-j), which udevadm lacks.
import { uevents, type Uevent } from '../uevent/index.js';
import type { NetnsSpec } from '../socket/index.js';
import { UsageError } from './errors.js';

const HELP = `Usage: nlkit uevent monitor [--subsystem S]... [--udev] [--netns NAME] [--count N] [-j]
  Prints device events as \`udevadm monitor --kernel --property\` does (-j: one JSON object a line).
  --subsystem S, -s S     only events of subsystem S (repeatable; udevadm's --subsystem-match)
  --udev                  udevd's processed events (libudev framing) instead of the kernel's
  --netns NAME, -n NAME   listen in that network namespace (its net devices' events go there only)
  --count N               exit after N events
`;

interface Opts {
  subsystems: string[];
  udev: boolean;
  netns: NetnsSpec | undefined;
  count: number | undefined;
  json: boolean;
}

function parse(args: string[]): Opts {
  const o: Opts = { subsystems: [], udev: false, netns: undefined, count: undefined, json: false };
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    const value = () => {
      const v = args[++i];
      if (v === undefined) throw new UsageError(`uevent: ${a} needs a value`, 'Try "nlkit uevent help".');
      return v;
    };
    if (a.startsWith('--subsystem-match=') || a.startsWith('--subsystem=')) o.subsystems.push(a.slice(a.indexOf('=') + 1));
    else switch (a) {
      case '--subsystem': case '--subsystem-match': case '-s': o.subsystems.push(value()); break;
      case '--udev': o.udev = true; break;
      case '--kernel': case '-k': case '--property': case '-p': break;
      case '--netns': case '-n': o.netns = value(); break;
      case '--count': {
        const v = value();
        if (!/^\d+$/.test(v)) throw new UsageError(`uevent: count "${v}" is not a number`, 'Try "nlkit uevent help".');
        o.count = Number(v);
        break;
      }
      case '-j': case '--json': o.json = true; break;
      default: throw new UsageError(`uevent: unknown option "${a}"`, 'Try "nlkit uevent help".');
    }
  }
  return o;
}

/** udevadm's event line: SOURCE[monotonic seconds.micros] ACTION DEVPATH (SUBSYSTEM). */
function headLine(ev: Uevent): string {
  const us = process.hrtime.bigint() / 1000n;
  const source = ev.source === 'udev' ? 'UDEV' : 'KERNEL';
  return `${source.padEnd(6)}[${us / 1_000_000n}.${String(us % 1_000_000n).padStart(6, '0')}] ${ev.action.padEnd(8)} ${ev.devpath} (${ev.subsystem})\n`;
}

/** Runs `nlkit uevent ARGS`; resolves with the exit status. */
export async function run(args: string[]): Promise<number> {
  const [cmd, ...rest] = args;
  if (cmd === undefined || cmd === 'help' || cmd === '-h' || cmd === '--help') {
    process.stdout.write(HELP);
    return cmd === undefined ? 1 : 0;
  }
  if (cmd !== 'monitor') throw new UsageError(`uevent: unknown command "${cmd}"`, 'Try "nlkit uevent help".');
  const o = parse(rest);
  const stop = new AbortController();
  const onSignal = () => stop.abort();
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  const mon = uevents({
    signal: stop.signal,
    ...(o.udev ? { source: 'udev' as const } : {}),
    ...(o.netns !== undefined ? { netns: o.netns } : {}),
    ...(o.subsystems.length ? { subsystem: o.subsystems } : {}),
  });
  if (!o.json) process.stdout.write(`monitor will print the received events for:\n${o.udev ? 'UDEV - the event which udev sends out after rule processing' : 'KERNEL - the kernel uevent'}\n\n`);
  let n = 0;
  try {
    for await (const ev of mon) {
      if ('overrun' in ev) {
        process.stderr.write(`uevent: events lost (${ev.code})\n`);
        continue;
      }
      if (o.json) process.stdout.write(`${JSON.stringify({ source: ev.source, ...ev.properties })}\n`);
      else process.stdout.write(headLine(ev) + Object.entries(ev.properties).map(([k, v]) => `${k}=${v}\n`).join('') + '\n');
      if (o.count !== undefined && ++n >= o.count) break;
    }
  } finally {
    mon.close();
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
  return 0;
}
