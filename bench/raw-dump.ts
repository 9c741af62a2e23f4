// The cost of dumping a large IPv4 routing table through NetlinkSocket.dump() (raw messages,
// no attribute decoding) next to `ip route show`, measured in one run on one namespace.
//
//   npm run build && node dist/bench/raw-dump.js [--routes 100000] [--runs 7]
//
// Run as root. Creates its own namespace (nlkit-bench-raw-<pid>), fills it with blackhole /32
// routes through `ip -batch`, and deletes it when done, whatever happens. Reports medians.
// Timed child processes run without NODE_EXTRA_CA_CERTS and NODE_OPTIONS: on these machines
// that variable makes every Node start read a CA bundle (~95 ms), nothing to do with Netlink.
import { execFileSync, spawnSync } from 'node:child_process';
import { closeSync, openSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { MessageWriter, NETLINK_ROUTE, NLM_F_DUMP, NLM_F_REQUEST, NetlinkSocket } from '../src/index.js';

const RTM_GETROUTE = 26;
const AF_INET = 2;

/** RTM_GETROUTE dump request for IPv4 (rtmsg zeroed but for the family), as `ip route show` sends. */
function getRoutes(): Uint8Array {
  const w = new MessageWriter();
  w.begin(RTM_GETROUTE, NLM_F_REQUEST | NLM_F_DUMP);
  const at = w.struct(12);
  w.view.setUint8(at, AF_INET);
  w.end();
  return w.toBytes();
}

/** One dump: open, stream every message, close. Returns [milliseconds, messages]. */
async function dumpOnce(ns: string, mode: 'copy' | 'count'): Promise<[number, number]> {
  const t0 = process.hrtime.bigint();
  const s = NetlinkSocket.open(NETLINK_ROUTE, { netns: ns });
  let n = 0;
  try {
    if (mode === 'copy') {
      // The default decoder: each message copied out as { type, flags, seq, pid, payload }.
      for await (const batch of s.dump(getRoutes()).batches()) n += batch.length;
    } else {
      // A decoder that reads the header in the borrowed buffer and keeps nothing.
      for await (const batch of s.dump(getRoutes(), { decode: (r) => r.type }).batches()) n += batch.length;
    }
  } finally {
    s.close();
  }
  return [Number(process.hrtime.bigint() - t0) / 1e6, n];
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

/** Environment for timed child processes (see the header comment). */
function timedEnv(): NodeJS.ProcessEnv {
  const env = { ...process.env };
  delete env.NODE_EXTRA_CA_CERTS;
  delete env.NODE_OPTIONS;
  return env;
}

/** Wall-clock milliseconds of a child process, stdout to /dev/null. */
function timeProcess(cmd: string, args: string[]): number {
  const devnull = openSync('/dev/null', 'w');
  try {
    const t0 = process.hrtime.bigint();
    const r = spawnSync(cmd, args, { stdio: ['ignore', devnull, 'pipe'], env: timedEnv() });
    const ms = Number(process.hrtime.bigint() - t0) / 1e6;
    if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed: ${r.stderr}`);
    return ms;
  } finally {
    closeSync(devnull);
  }
}

async function main(): Promise<void> {
  const { values: opt } = parseArgs({
    options: {
      routes: { type: 'string', default: '100000' },
      runs: { type: 'string', default: '7' },
      child: { type: 'string' }, // internal: one dump in this process, result on stdout
    },
  });
  if (opt.child) {
    const [ms, n] = await dumpOnce(opt.child, 'copy');
    process.stdout.write(`${JSON.stringify({ ms, n })}\n`);
    return;
  }
  const N = Number(opt.routes);
  const RUNS = Number(opt.runs);
  const ns = `nlkit-bench-raw-${process.pid}`;
  execFileSync('ip', ['netns', 'add', ns]);
  try {
    execFileSync('ip', ['-n', ns, 'link', 'set', 'lo', 'up']);
    const lines: string[] = [];
    for (let i = 0; i < N; i++) lines.push(`route add blackhole 10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}/32`);
    execFileSync('ip', ['-n', ns, '-batch', '-'], { input: lines.join('\n') + '\n', maxBuffer: 1 << 30 });
    const self = fileURLToPath(import.meta.url);

    const rows: Record<string, number[]> = {
      'ip -n NS route show            (process, text to /dev/null)': [],
      'ip -n NS -j route show         (process, JSON to /dev/null)': [],
      'node raw-dump.js --child NS    (process: node start + dump())': [],
      'node -e 0                      (process: node start alone)': [],
      'dump() in process, messages copied (default decoder)': [],
      'dump() in process, counted in place (decode: r => r.type)': [],
    };
    const keys = Object.keys(rows);
    let count = 0;
    // One warm-up round, then RUNS rounds; within a round the variants alternate so that
    // drift (page cache, CPU frequency) affects them alike.
    for (let run = -1; run < RUNS; run++) {
      const sample = [
        timeProcess('ip', ['-n', ns, 'route', 'show']),
        timeProcess('ip', ['-n', ns, '-j', 'route', 'show']),
        timeProcess(process.execPath, [self, '--child', ns]),
        timeProcess(process.execPath, ['-e', '0']),
        (await dumpOnce(ns, 'copy'))[0],
        await dumpOnce(ns, 'count').then(([ms, n]) => ((count = n), ms)),
      ];
      if (run >= 0) sample.forEach((ms, i) => rows[keys[i]!]!.push(ms));
    }
    const ipLines = execFileSync('ip', ['-n', ns, 'route', 'show'], { maxBuffer: 1 << 30 }).toString().split('\n').length - 1;
    const base = median(rows[keys[0]!]!);
    console.log(`IPv4 routes: ${N} added, dump() saw ${count} messages, ip route show printed ${ipLines} lines`);
    console.log(`median of ${RUNS} runs (after one warm-up), Node ${process.version}, NODE_EXTRA_CA_CERTS/NODE_OPTIONS unset for child processes\n`);
    for (const k of keys) {
      const m = median(rows[k]!);
      console.log(`${k.padEnd(62)} ${m.toFixed(1).padStart(8)} ms   ${(m / base).toFixed(2)}x ip   [${rows[k]!.map((x) => x.toFixed(0)).join(' ')}]`);
    }
  } finally {
    spawnSync('ip', ['netns', 'delete', ns], { stdio: 'ignore' });
  }
}

await main();
