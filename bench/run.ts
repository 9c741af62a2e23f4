// nlkit benchmarks: full routing tables, event storms and bulk changes, measured in one run
// against iproute2 and a C floor. Run as root: `npm run bench` (options: --routes N, --runs K,
// --storm M, --bulk N, --conns N, --conntracks N, --packets N, --elements N, --filters N, --million; --only
// dump,storm,bulk,ss,nft,queue,conntrack,tc). Creates and deletes its own namespaces (nlbench-PID, nlbench-PID-2).
//
// Timed commands run without NODE_EXTRA_CA_CERTS and NODE_OPTIONS: that variable makes every
// Node start read a CA bundle (~95 ms here), which has nothing to do with Netlink.
import { spawn } from 'node:child_process';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import {
  ROOT, addGatewayDevice, buildC, deleteNetns, fillRoutes, makeNetns, measure, median, prefix, sh, timedEnv, type Sample,
} from './ns.js';
import { nftBench } from './nft.js';
import { conntrackBench } from './conntrack.js';
import { queueBench } from './queue.js';
import { ssBench } from './ss.js';
import { tcBench } from './tc.js';

const { values: opt } = parseArgs({
  options: {
    routes: { type: 'string', default: '100000' },
    runs: { type: 'string', default: '7' },
    storm: { type: 'string', default: '40000' }, // route events in the burst
    bulk: { type: 'string', default: '100000' },
    million: { type: 'boolean', default: false },
    only: { type: 'string' },
    conns: { type: 'string', default: '20000' }, // TCP connections of the ss bench
    elements: { type: 'string', default: '100000' }, // set elements of the nft bench
    conntracks: { type: 'string', default: '100000' }, // entries of the conntrack dump bench
    packets: { type: 'string', default: '200000' }, // UDP datagrams a run of the queue bench
    filters: { type: 'string', default: '10000' }, // u32 filters of the tc bench
  },
});
const N = Number(opt.routes);
const RUNS = Number(opt.runs);
// Unique per run: two benches at once on one machine must not delete each other's namespace.
const NS = `nlbench-${process.pid}`;
const NS2 = `nlbench-${process.pid}-2`;
const node = process.execPath;
const cli = path.join(ROOT, 'dist', 'bundle', 'main.js'); // the nlkit bin, run as an executable like npx does
const child = (name: string) => path.join(ROOT, 'dist', 'bench', `${name}.js`);

interface Row {
  name: string;
  ms: number;
  rssMiB: number;
  note?: string;
}

/** A whole process's median wall time and peak RSS. */
type Timed = { ms: number; rssMiB: number };

/**
 * Times whole processes: each command once to warm up (page cache, kernel caches), then RUNS
 * rounds that run every command once, in turn, so that a machine getting faster or slower
 * during the run weighs on all of them alike. Returns the median wall time and the peak RSS of
 * each; a command that fails is left out (NaN).
 */
function timeAll(bin: string, cmds: string[][]): Timed[] {
  const ok = cmds.map((cmd) => {
    try {
      measure(bin, cmd);
      return true;
    } catch (e) {
      console.error(`  (${(e as Error).message}: row left out)`);
      return false;
    }
  });
  const samples: Sample[][] = cmds.map(() => []);
  for (let i = 0; i < RUNS; i++) cmds.forEach((cmd, k) => ok[k] && samples[k]!.push(measure(bin, cmd)));
  return samples.map((ss, k) => ok[k]
    ? { ms: median(ss.map((x) => x.ms)), rssMiB: Math.max(...ss.map((x) => x.rssKiB)) / 1024 }
    : { ms: NaN, rssMiB: NaN });
}

/** Runs a child script that reports JSON on stdout; returns the parsed medians of `runs` runs. */
function inProcess(script: string, args: string[]): { ms: number; warmMs: number; rssMiB: number; count: number } {
  type R = { ms: number; warmMs?: number; rssMiB: number; count: number };
  const run = () => JSON.parse(sh(node, [script, ...args, '--warm']).trim().split('\n').pop()!) as R;
  run();
  const rs = Array.from({ length: RUNS }, run);
  return {
    ms: median(rs.map((r) => r.ms)), warmMs: median(rs.map((r) => r.warmMs ?? NaN)),
    rssMiB: Math.max(...rs.map((r) => r.rssMiB)), count: rs[0]!.count,
  };
}

function table(title: string, rows: Row[], base: number): void {
  console.log(`\n${title}`);
  console.log(`${'what'.padEnd(44)} ${'median ms'.padStart(10)} ${'x floor'.padStart(8)} ${'peak RSS MiB'.padStart(13)}`);
  for (const r of rows) {
    console.log(`${r.name.padEnd(44)} ${r.ms.toFixed(1).padStart(10)} ${(r.ms / base).toFixed(2).padStart(8)} ${r.rssMiB.toFixed(1).padStart(13)}${r.note ? '  ' + r.note : ''}`);
  }
}

async function dumpBench(bins: { floor: string; measure: string }): Promise<void> {
  makeNetns(NS);
  try {
    addGatewayDevice(NS);
    fillRoutes(NS, N);
    const [floor, ipText, ipJson, nlkitJson, nlkitText, libWhole] = timeAll(bins.measure, [
      [bins.floor, NS],
      ['ip', '-n', NS, 'route', 'show'],
      ['ip', '-n', NS, '-j', 'route', 'show'],
      [cli, 'ip', '-n', NS, '-j', 'route', 'show'],
      [cli, 'ip', '-n', NS, 'route', 'show'],
      [node, child('lib-dump'), NS, 'typed'],
    ]) as [Timed, Timed, Timed, Timed, Timed, Timed];
    const lib = inProcess(child('lib-dump'), [NS, 'typed']);
    const raw = inProcess(child('lib-dump'), [NS, 'raw']);
    const rows: Row[] = [
      { name: 'C floor (whole process)', ...floor },
      { name: 'ip route show', ...ipText },
      { name: 'ip -j route show', ...ipJson },
      { name: 'nlkit ip route show (whole process)', ...nlkitText },
      { name: 'nlkit ip -j route show (whole process)', ...nlkitJson },
      { name: 'nlkit library: typed routes (whole process)', ...libWhole, note: 'node start + import + one dump' },
      { name: 'nlkit library: typed routes, first dump', ms: lib.ms, rssMiB: lib.rssMiB, note: `in-process, cold JIT, ${lib.count} routes` },
      { name: 'nlkit library: typed routes, warm', ms: lib.warmMs, rssMiB: lib.rssMiB, note: 'in-process, later dumps' },
      { name: 'nlkit library: raw dump(), first dump', ms: raw.ms, rssMiB: raw.rssMiB, note: 'in-process, no decoding' },
      { name: 'nlkit library: raw dump(), warm', ms: raw.warmMs, rssMiB: raw.rssMiB, note: 'in-process, no decoding' },
    ];
    table(`Dump of ${N} IPv4 routes (${RUNS} runs, medians)`, rows, floor.ms);
    console.log(`ratios: library typed dump, whole process / ip -j = ${(libWhole.ms / ipJson.ms).toFixed(2)} (target < 1), ` +
      `/ ip route show = ${(libWhole.ms / ipText.ms).toFixed(2)} (target <= 2)`);
    console.log(`ratios: nlkit -j / ip -j = ${(nlkitJson.ms / ipJson.ms).toFixed(2)} (target <= 0.8); ` +
      `library typed / C floor = ${(lib.warmMs / floor.ms).toFixed(2)} warm, ${(lib.ms / floor.ms).toFixed(2)} first dump (target <= 2); ` +
      `nlkit -j / ip route show = ${(nlkitJson.ms / ipText.ms).toFixed(2)}`);
  } finally {
    deleteNetns(NS);
  }
}

async function millionBench(): Promise<void> {
  const M = 1_000_000;
  makeNetns(NS);
  try {
    addGatewayDevice(NS);
    for (let i = 0; i < M; i += 200_000) fillRoutes(NS, Math.min(200_000, M - i), i);
    const r = JSON.parse(sh(node, [child('lib-dump'), NS, 'items']).trim()) as { ms: number; rssMiB: number; count: number };
    console.log(`\n1,000,000 routes through for await (const route of dumpRoutes()): ${r.count} routes, ${r.ms.toFixed(0)} ms, peak RSS ${r.rssMiB.toFixed(1)} MiB (target < 120 MiB)`);
  } finally {
    deleteNetns(NS);
  }
}

/**
 * Counts route events seen by `ip monitor route` and by an nlkit listener (each its own process)
 * during a burst of `events` route changes: half adds, half deletes; or, with the forced-loss
 * run, all adds, so that the resync dump after the overrun must find every route.
 */
async function stormBench(events: number, tinyBuffer: boolean): Promise<void> {
  const fs = await import('node:fs');
  const monFile = path.join(os.tmpdir(), `nlbench-monitor-${process.pid}.txt`);
  makeNetns(NS);
  try {
    addGatewayDevice(NS);
    // ip monitor writes to a file: through a pipe, a busy reader would make it block and lose events.
    const out = fs.openSync(monFile, 'w');
    const mon = spawn('ip', ['-n', NS, 'monitor', 'route'], { stdio: ['ignore', out, 'ignore'] });
    fs.closeSync(out);
    const lis = spawn(node, [child('listen'), NS, String(events), tinyBuffer ? 'tiny' : 'default'], { stdio: ['ignore', 'pipe', 'inherit'], env: timedEnv() });
    let lisOut = '';
    lis.stdout.on('data', (b: Buffer) => (lisOut += b.toString()));
    await waitFor(() => lisOut.includes('ready'), 10_000);
    await sleep(300);
    const adds: string[] = [];
    const dels: string[] = [];
    const nAdd = tinyBuffer ? events : events >> 1;
    for (let i = 0; i < nAdd; i++) adds.push(`route add ${prefix(i)} via 192.0.2.2 dev bench0`);
    if (!tinyBuffer) for (let i = 0; i < events - nAdd; i++) dels.push(`route del ${prefix(i)} via 192.0.2.2 dev bench0`);
    const t0 = performance.now();
    await run('ip', ['-n', NS, '-batch', '-'], adds.join('\n') + '\n');
    if (dels.length) await run('ip', ['-n', NS, '-batch', '-'], dels.join('\n') + '\n');
    const burstMs = performance.now() - t0;
    const monLines = () => fs.readFileSync(monFile, 'latin1').split('\n').filter((l) => l.includes('10.')).length;
    // Wait for both listeners to see everything, or to go quiet having lost some.
    await waitFor(() => lisOut.includes('done') && monLines() >= events, 20_000).catch(() => undefined);
    await sleep(500);
    if (!lisOut.includes('done')) lis.kill('SIGINT');
    await waitFor(() => lisOut.includes('done'), 60_000).catch(() => lis.kill('SIGKILL'));
    mon.kill();
    const seen = monLines();
    const res = JSON.parse(lisOut.trim().split('\n').filter((l) => l.startsWith('{')).pop() ?? '{}') as
      { events?: number; overruns?: number; resyncRoutes?: number; resyncMs?: number };
    console.log(`\nEvent storm${tinyBuffer ? ' (forced loss: 4 KiB receive buffer, adds only)' : ''}: ${nAdd} adds + ${events - nAdd} deletes in ${burstMs.toFixed(0)} ms`);
    console.log(`  ip monitor route: ${seen} received, ${events - seen} lost`);
    console.log(`  nlkit listener:   ${res.events} received, ${events - (res.events ?? 0)} lost, ${res.overruns} overruns reported` +
      (res.resyncRoutes !== undefined ? `; the resync dump found ${res.resyncRoutes} of ${nAdd} routes in ${res.resyncMs?.toFixed(0)} ms` : ''));
  } finally {
    deleteNetns(NS);
    fs.rmSync(monFile, { force: true });
  }
}

/** Runs a command asynchronously (so this process keeps reading its children), rejecting on failure. */
function run(cmd: string, args: string[], input: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const p = spawn(cmd, args, { stdio: ['pipe', 'ignore', 'inherit'] });
    p.on('error', reject);
    p.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`${cmd} ${args.join(' ')} exited with ${code}`))));
    p.stdin.end(input);
  });
}

async function bulkBench(bins: { floor: string; measure: string }, B: number): Promise<void> {
  const file = path.join(os.tmpdir(), `nlbench-batch-${process.pid}.txt`);
  const lines: string[] = [];
  for (let i = 0; i < B; i++) lines.push(`route add ${prefix(i)} via 192.0.2.2 dev bench0 proto static metric 10`);
  (await import('node:fs')).writeFileSync(file, lines.join('\n') + '\n');
  const ipRuns: number[] = [];
  const nlRuns: number[] = [];
  try {
    for (let i = 0; i < Math.max(3, Math.min(RUNS, 5)); i++) {
      for (const [ns, which] of [[NS, 'ip'], [NS2, 'nlkit']] as const) {
        makeNetns(ns);
        try {
          addGatewayDevice(ns);
          const s = which === 'ip'
            ? measure(bins.measure, ['ip', '-n', ns, '-batch', file])
            : measure(bins.measure, [node, child('bulk'), ns, String(B)]);
          (which === 'ip' ? ipRuns : nlRuns).push(s.ms);
          const count = sh('ip', ['-n', ns, 'route', 'show']).split('\n').filter((l) => l.startsWith('10.')).length;
          if (count !== B) throw new Error(`${which}: ${count} routes installed, expected ${B}`);
        } finally {
          deleteNetns(ns);
        }
      }
    }
  } finally {
    (await import('node:fs')).rmSync(file, { force: true });
  }
  const ip = median(ipRuns);
  const nl = median(nlRuns);
  console.log(`\nBulk add of ${B} routes (whole process, medians of ${ipRuns.length}): ip -batch ${ip.toFixed(0)} ms, ` +
    `nlkit requestBatch ${nl.toFixed(0)} ms, ratio ${(nl / ip).toFixed(2)} (target < 1)`);
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

async function waitFor(cond: () => boolean, timeoutMs: number): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!cond()) {
    if (Date.now() > end) throw new Error('timed out');
    await sleep(50);
  }
}

async function main(): Promise<void> {
  if (process.getuid?.() !== 0) {
    console.error('The benchmarks need root (they create network namespaces).');
    process.exitCode = 2;
    return;
  }
  const bins = buildC();
  console.log(`nlkit benchmarks — ${new Date().toISOString().slice(0, 10)}, ${os.cpus()[0]?.model ?? 'cpu'} x${os.cpus().length}, ` +
    `${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, Linux ${os.release()}, Node ${process.version}, ${sh('ip', ['-V']).trim()}`);
  const only = opt.only?.split(',');
  const want = (k: string) => !only || only.includes(k);
  if (want('dump')) await dumpBench(bins);
  if (want('storm')) {
    await stormBench(Number(opt.storm), false);
    await stormBench(Number(opt.storm), true);
  }
  if (want('bulk')) await bulkBench(bins, Number(opt.bulk));
  if (want('ss')) {
    const conns = Number(opt.conns);
    const { rows, floorMs } = await ssBench(conns, RUNS);
    table(`Socket list: ${conns} established TCP connections (${2 * conns} sockets; ${RUNS} runs, medians)`, rows, floorMs);
  }
  if (want('nft')) {
    const elements = Number(opt.elements);
    const rows = await nftBench(elements, Math.max(3, Math.min(RUNS, 5)));
    table(`nftables: ${elements} set elements added in one transaction (medians)`, rows, rows[0]!.ms);
  }
  if (want('queue')) await queueBench(Number(opt.packets), RUNS);
  if (want('conntrack')) await conntrackBench(bins.measure, Number(opt.conntracks), RUNS);
  if (want('tc')) {
    const filters = Number(opt.filters);
    const { rows, floorMs, ratios } = await tcBench(filters, RUNS);
    table(`Filter list: ${filters} u32 filters on one link (${RUNS} runs, medians)`, rows, floorMs);
    console.log(ratios);
  }
  if (opt.million || only?.includes('million')) await millionBench();
}

await main();
