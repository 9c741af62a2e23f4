// sock_diag benchmark: a namespace holding N established TCP connections (2N sockets), listed by
// the C floor (bench/c/ssfloor.c), `ss -tn` and `nlkit ss -tn` (whole processes, under the
// measure helper) and by the library in-process (dumpInetSockets, warm). Run as root after a
// build: `node dist/bench/ss.js [--conns N] [--runs K]`, or within `npm run bench -- --only ss`.
// Creates and deletes its own namespace (nlbench-ss-PID).
import { spawn } from 'node:child_process';
import { writeFileSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { ROOT, buildC, deleteNetns, makeNetns, measure, median, run } from './ns.js';

const NS = `nlbench-ss-${process.pid}`;

// Holds n connections to a listener on 127.0.0.1:PORT, clients spread over 127.0.0.2.. so
// ephemeral ports never run out; prints "ready" once all are established. Several holders share
// the N connections (a process may not hold more than RLIMIT_NOFILE sockets).
const HOLDER = `
import net from 'node:net';
const n = Number(process.argv[2]);
const port = Number(process.argv[3]);
const keep = [];
const srv = net.createServer((c) => keep.push(c));
await new Promise((r) => srv.listen({ port, host: '127.0.0.1', backlog: 4096 }, r));
for (let i = 0; i < n; i += 500) {
  await Promise.all(Array.from({ length: Math.min(500, n - i) }, (_, j) => new Promise((r, x) => {
    const c = net.connect({ port, host: '127.0.0.1', localAddress: '127.0.0.' + (2 + ((i + j) % 200)) }, () => r(undefined));
    c.on('error', x);
    keep.push(c);
  })));
}
process.stdout.write('ready\\n');
process.stdin.resume();
process.stdin.on('end', () => process.exit(0));
`;

const LIB = (RUNS: number) => `
const { dumpInetSockets } = await import('nlkit/diag');
const ns = process.argv[2];
const times = [];
let count = 0;
for (let i = 0; i < ${RUNS} + 1; i++) {
  const t0 = performance.now();
  count = 0;
  for await (const b of dumpInetSockets({ protocol: 'tcp', states: ['established'] }, { netns: ns }).batches()) count += b.length;
  times.push(performance.now() - t0);
}
times.shift();
times.sort((a, b) => a - b);
console.log(JSON.stringify({ count, ms: times[times.length >> 1], rssMiB: process.memoryUsage.rss() / 1048576 }));
`;

/** One row of the ss bench: what, median wall time, peak RSS. */
export interface SsRow {
  name: string;
  ms: number;
  rssMiB: number;
}

/** Runs the ss bench on N connections, RUNS runs each; the rows, and the C floor's median. */
export async function ssBench(N: number, RUNS: number): Promise<{ rows: SsRow[]; floorMs: number }> {
  const { measure: measureBin, ssfloor } = buildC();
  const dir = mkdtempSync(path.join(os.tmpdir(), 'nlbench-ss-'));
  makeNetns(NS);
  const holderFile = path.join(dir, 'holder.mjs');
  writeFileSync(holderFile, HOLDER);
  const PER = 4000;
  const holders = Array.from({ length: Math.ceil(N / PER) }, (_, k) => spawn('ip', ['netns', 'exec', NS, process.execPath, holderFile,
    String(Math.min(PER, N - k * PER)), String(7000 + k)], { stdio: ['pipe', 'pipe', 'inherit'] }));
  try {
    for (const holder of holders) {
      const first = await createInterface({ input: holder.stdout })[Symbol.asyncIterator]().next();
      if (first.value !== 'ready') throw new Error('holder did not start');
    }
    const cli = path.join(ROOT, 'dist', 'bundle', 'main.js');
    const rows: SsRow[] = [];
    const time = (name: string, cmd: string[]) => {
      const xs = Array.from({ length: RUNS }, () => measure(measureBin, cmd));
      rows.push({ name, ms: median(xs.map((x) => x.ms)), rssMiB: Math.max(...xs.map((x) => x.rssKiB)) / 1024 });
    };
    time('C floor (bench/c/ssfloor.c, whole process)', [ssfloor, NS]);
    time('`ss -tn` (ip netns exec)', ['ip', 'netns', 'exec', NS, 'ss', '-tn']);
    time('`ip netns exec` alone (true)', ['ip', 'netns', 'exec', NS, 'true']);
    time('`nlkit ss -N NS -tn` (whole process)', [process.execPath, cli, 'ss', '-N', NS, '-tn']);
    time('`nlkit ss -N NS -tn -j` (whole process)', [process.execPath, cli, 'ss', '-N', NS, '-tn', '-j']);
    const libFile = path.join(ROOT, 'dist', 'bench', 'ss-lib.mjs');
    writeFileSync(libFile, LIB(RUNS));
    const lib = JSON.parse((await run(process.execPath, [libFile, NS])).trim()) as { count: number; ms: number; rssMiB: number };
    rmSync(libFile);
    rows.push({ name: `library: \`dumpInetSockets()\` typed, warm (${lib.count} sockets)`, ms: lib.ms, rssMiB: lib.rssMiB });
    return { rows, floorMs: rows[0]!.ms };
  } finally {
    for (const holder of holders) {
      holder.stdin.end();
      holder.kill();
    }
    deleteNetns(NS);
    rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const { values: opt } = parseArgs({ options: { conns: { type: 'string', default: '20000' }, runs: { type: 'string', default: '7' } } });
  const N = Number(opt.conns);
  const RUNS = Number(opt.runs);
  const { rows, floorMs } = await ssBench(N, RUNS);
  console.log(`${N} established connections (${2 * N} sockets), median of ${RUNS}:`);
  console.log('| what | median ms | x floor | peak RSS MiB |\n|---|---:|---:|---:|');
  for (const r of rows) console.log(`| ${r.name} | ${r.ms.toFixed(1)} | ${(r.ms / floorMs).toFixed(2)} | ${r.rssMiB.toFixed(1)} |`);
}
