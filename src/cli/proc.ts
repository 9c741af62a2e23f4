// nlkit proc monitor: connector process events, one line each (`what key=value …`), or one
// JSON object per event with -j. No standard tool prints these; the keys are cn_proc.h's.
import { procEvents, type ProcEvent } from '../proc/index.js';
import { UsageError } from './errors.js';

const HELP = `Usage: nlkit proc monitor [--pid PID]... [--count N] [-j]
  Prints process events (fork, exec, uid, gid, sid, ptrace, comm, coredump, exit) host-wide.
  --pid PID    only events of process PID (and forks whose child or parent it is)
  --count N    exit after N events
`;

const SNAKE = (k: string) => k.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);

/** One text line: the kind, then the event's fields in cn_proc.h's names. */
function line(ev: ProcEvent): string {
  const parts: string[] = [ev.what];
  for (const [k, v] of Object.entries(ev)) {
    if (k === 'what' || k === 'cpu' || k === 'timestampNs') continue;
    parts.push(`${SNAKE(k)}=${v instanceof Uint8Array ? Buffer.from(v).toString('hex') : String(v)}`);
  }
  return `${parts.join(' ')}\n`;
}

function mentions(ev: ProcEvent, pids: Set<number>): boolean {
  for (const k of ['pid', 'tgid', 'childPid', 'childTgid', 'parentPid', 'parentTgid'] as const) {
    const v = (ev as unknown as Record<string, unknown>)[k];
    if (typeof v === 'number' && pids.has(v)) return true;
  }
  return false;
}

/** Runs `nlkit proc ARGS`; resolves with the exit status. */
export async function run(args: string[]): Promise<number> {
  const [cmd, ...rest] = args;
  if (cmd === undefined || cmd === 'help' || cmd === '-h' || cmd === '--help') {
    process.stdout.write(HELP);
    return cmd === undefined ? 1 : 0;
  }
  if (cmd !== 'monitor') throw new UsageError(`proc: unknown command "${cmd}"`, 'Try "nlkit proc help".');
  const pids = new Set<number>();
  let count: number | undefined;
  let json = false;
  for (let i = 0; i < rest.length; i++) {
    const a = rest[i]!;
    const num = () => {
      const v = rest[++i];
      if (v === undefined || !/^\d+$/.test(v)) throw new UsageError(`proc: ${a} needs a number`, 'Try "nlkit proc help".');
      return Number(v);
    };
    if (a === '--pid') pids.add(num());
    else if (a === '--count') count = num();
    else if (a === '-j' || a === '--json') json = true;
    else throw new UsageError(`proc: unknown option "${a}"`, 'Try "nlkit proc help".');
  }
  const stop = new AbortController();
  const onSignal = () => stop.abort();
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  const sub = procEvents({ signal: stop.signal });
  let n = 0;
  try {
    for await (const ev of sub) {
      if ('overrun' in ev) {
        process.stderr.write(`proc: events lost (${ev.code})\n`);
        continue;
      }
      if (ev.what === 'ack' || (pids.size > 0 && !mentions(ev, pids))) continue;
      if (json) process.stdout.write(`${JSON.stringify(ev, (_k, v) => (typeof v === 'bigint' ? String(v) : v instanceof Uint8Array ? Buffer.from(v).toString('hex') : v))}\n`);
      else process.stdout.write(line(ev));
      if (count !== undefined && ++n >= count) break;
    }
  } finally {
    sub.close();
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
  return 0;
}
