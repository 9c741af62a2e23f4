// Traffic-control benchmark: a namespace whose veth carries an htb root with N u32 filters (one
// hash table, N keys), listed by the C floor (bench/c/tcfloor.c), `tc [-j] filter show` and
// `nlkit tc [-j] filter show` (whole processes, under the measure helper), and by the library
// in-process (dumpFilters, warm). Run as root after a build: `node dist/bench/tc.js [--filters N]
// [--runs K]`, or within `npm run bench -- --only tc`. Creates and deletes its own namespace.
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { ROOT, buildC, deleteNetns, makeNetns, measure, median, run, sh } from './ns.js';

const NS = `nlbench-tc-${process.pid}`;

const LIB = (RUNS: number) => `
const { dumpFilters } = await import('nlkit/route');
const ns = process.argv[2];
const times = [];
let count = 0;
for (let i = 0; i < ${RUNS} + 1; i++) {
  const t0 = performance.now();
  count = 0;
  for await (const b of dumpFilters({ dev: 'd0' }, { netns: ns }).batches()) count += b.length;
  times.push(performance.now() - t0);
}
const first = times.shift();
times.sort((a, b) => a - b);
console.log(JSON.stringify({ count, first, ms: times[times.length >> 1], rssMiB: process.memoryUsage.rss() / 1048576 }));
`;

/** One row of the tc bench: what, median wall time, peak RSS. */
export interface TcRow {
  name: string;
  ms: number;
  rssMiB: number;
}

/** The C floor, compiled beside the other helpers. */
function buildFloor(): string {
  const bin = path.join(path.dirname(buildC().measure), 'tcfloor');
  if (!existsSync(bin)) sh('cc', ['-O2', '-Wall', '-o', bin, path.join(ROOT, 'bench', 'c', 'tcfloor.c')]);
  return bin;
}

/** Runs the tc bench on N filters, RUNS runs each: the rows, the C floor's median, tc -j's and nlkit -j's. */
export async function tcBench(N: number, RUNS: number): Promise<{ rows: TcRow[]; floorMs: number; ratios: string }> {
  const { measure: measureBin } = buildC();
  const floor = buildFloor();
  const dir = mkdtempSync(path.join(os.tmpdir(), 'nlbench-tc-'));
  makeNetns(NS);
  try {
    sh('ip', ['-n', NS, 'link', 'add', 'd0', 'type', 'veth', 'peer', 'name', 'd1']);
    const batch = path.join(dir, 'filters');
    const lines = ['qdisc add dev d0 root handle 1: htb default 1'];
    for (let i = 0; i < N; i++) {
      lines.push(`filter add dev d0 parent 1: protocol ip prio 1 u32 match ip dst 10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}/32 flowid 1:${((i % 4000) + 1).toString(16)}`);
    }
    writeFileSync(batch, lines.join('\n') + '\n');
    sh('tc', ['-n', NS, '-batch', batch]);
    const cli = path.join(ROOT, 'dist', 'bundle', 'main.js');
    const cmds: [string, string[]][] = [
      ['C floor (bench/c/tcfloor.c, whole process)', [floor, NS, 'd0']],
      ['`tc filter show dev d0`', ['tc', '-n', NS, 'filter', 'show', 'dev', 'd0']],
      ['`tc -j filter show dev d0`', ['tc', '-n', NS, '-j', 'filter', 'show', 'dev', 'd0']],
      ['`nlkit tc filter show dev d0` (whole process)', [cli, 'tc', '-n', NS, 'filter', 'show', 'dev', 'd0']],
      ['`nlkit tc -j filter show dev d0` (whole process)', [cli, 'tc', '-n', NS, '-j', 'filter', 'show', 'dev', 'd0']],
    ];
    // Each command once to warm caches, then RUNS rounds, interleaved so drift hits all alike.
    for (const [, cmd] of cmds) measure(measureBin, cmd);
    const samples = cmds.map(() => [] as { ms: number; rssKiB: number }[]);
    for (let i = 0; i < RUNS; i++) cmds.forEach(([, cmd], k) => samples[k]!.push(measure(measureBin, cmd)));
    const rows: TcRow[] = cmds.map(([name], k) => ({
      name, ms: median(samples[k]!.map((x) => x.ms)), rssMiB: Math.max(...samples[k]!.map((x) => x.rssKiB)) / 1024,
    }));
    const libFile = path.join(ROOT, 'dist', 'bench', 'tc-lib.mjs');
    writeFileSync(libFile, LIB(RUNS));
    const lib = JSON.parse((await run(process.execPath, [libFile, NS])).trim()) as { count: number; first: number; ms: number; rssMiB: number };
    rmSync(libFile);
    rows.push({ name: `library: \`dumpFilters()\` typed, first dump (${lib.count} filters)`, ms: lib.first, rssMiB: lib.rssMiB });
    rows.push({ name: 'library: `dumpFilters()` typed, warm', ms: lib.ms, rssMiB: lib.rssMiB });
    const ratios = `ratios: nlkit tc -j / tc -j = ${(rows[4]!.ms / rows[2]!.ms).toFixed(2)}, nlkit tc / tc = ${(rows[3]!.ms / rows[1]!.ms).toFixed(2)}, ` +
      `library warm / C floor = ${(lib.ms / rows[0]!.ms).toFixed(2)}`;
    return { rows, floorMs: rows[0]!.ms, ratios };
  } finally {
    deleteNetns(NS);
    rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const { values: opt } = parseArgs({ options: { filters: { type: 'string', default: '10000' }, runs: { type: 'string', default: '7' } } });
  const N = Number(opt.filters);
  const RUNS = Number(opt.runs);
  const { rows, floorMs, ratios } = await tcBench(N, RUNS);
  console.log(`${N} u32 filters on one link, median of ${RUNS}:`);
  console.log('| what | median ms | x floor | peak RSS MiB |\n|---|---:|---:|---:|');
  for (const r of rows) console.log(`| ${r.name} | ${r.ms.toFixed(1)} | ${(r.ms / floorMs).toFixed(2)} | ${r.rssMiB.toFixed(1)} |`);
  console.log(ratios);
}
