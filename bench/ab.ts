// A/B comparison of the dump path: this checkout against another build of nlkit (`--base DIR`,
// e.g. a copy of main with `npm install` run), on one namespace of N routes, every command of
// both builds once per round, in turn, so that a shared machine's load weighs on both alike.
// Prints each command's median for both and the ratio this/base (below 1: this one is faster);
// the in-process dumps also by CPU time (all threads), steadier than wall time under load.
//
//   node dist/bench/ab.js --base /path/to/other/nlkit [--routes 100000] [--runs 9]
import path from 'node:path';
import { parseArgs } from 'node:util';
import { ROOT, addGatewayDevice, buildC, deleteNetns, fillRoutes, makeNetns, measure, median, sh } from './ns.js';

const { values: opt } = parseArgs({
  options: {
    base: { type: 'string' },
    routes: { type: 'string', default: '100000' },
    runs: { type: 'string', default: '9' },
  },
});
if (!opt.base || process.getuid?.() !== 0) {
  console.error('usage (as root): node dist/bench/ab.js --base DIR [--routes N] [--runs K]');
  process.exit(2);
}
const NS = `nlbench-ab-${process.pid}`;
const RUNS = Number(opt.runs);
const trees = { this: ROOT, base: path.resolve(opt.base) };
const node = process.execPath;

/** The commands timed, per tree: whole processes, and in-process dumps reported by lib-dump. */
const whole = (root: string): Record<string, string[]> => ({
  'nlkit ip -j route show (whole process)': [path.join(root, 'dist', 'bundle', 'main.js'), 'ip', '-n', NS, '-j', 'route', 'show'],
  'library typed dump (whole process)': [node, path.join(root, 'dist', 'bench', 'lib-dump.js'), NS, 'typed'],
});
const inProcess = (root: string, mode: string): string[] => [path.join(root, 'dist', 'bench', 'lib-dump.js'), NS, mode, '--warm'];

type R = { ms: number; warmMs: number; cpuMs: number; warmCpuMs: number };
const samples = new Map<string, number[]>();
const add = (k: string, v: number) => (samples.get(k) ?? samples.set(k, []).get(k)!).push(v);

const bins = buildC();
makeNetns(NS);
try {
  addGatewayDevice(NS);
  fillRoutes(NS, Number(opt.routes));
  for (let round = -1; round < RUNS; round++) { // round -1 warms caches and is not counted
    for (const [tree, root] of Object.entries(trees)) {
      for (const [name, cmd] of Object.entries(whole(root))) {
        const s = measure(bins.measure, cmd);
        if (round >= 0) add(`${name}|${tree}`, s.ms);
      }
      for (const mode of ['typed', 'raw']) {
        const r = JSON.parse(sh(node, inProcess(root, mode)).trim().split('\n').pop()!) as R;
        if (round >= 0) {
          add(`library ${mode} dump, first (in-process)|${tree}`, r.ms);
          add(`library ${mode} dump, warm (in-process)|${tree}`, r.warmMs);
          // CPU time: on a shared machine, less at the mercy of other processes than wall time.
          add(`library ${mode} dump, first, CPU ms|${tree}`, r.cpuMs);
          add(`library ${mode} dump, warm, CPU ms|${tree}`, r.warmCpuMs);
        }
      }
    }
  }
} finally {
  deleteNetns(NS);
}
console.log(`A/B, ${opt.routes} routes, ${RUNS} interleaved rounds, medians (ms): this = ${trees.this}, base = ${trees.base}`);
console.log(`${'what'.padEnd(44)} ${'this'.padStart(9)} ${'base'.padStart(9)} ${'this/base'.padStart(10)}`);
const names = [...new Set([...samples.keys()].map((k) => k.split('|')[0]!))];
for (const n of names) {
  // A base build older than this bench reports no CPU time: its rows are left out.
  const sa = samples.get(`${n}|this`)?.filter(Number.isFinite) ?? [];
  const sb = samples.get(`${n}|base`)?.filter(Number.isFinite) ?? [];
  if (sa.length === 0 || sb.length === 0) continue;
  const a = median(sa);
  const b = median(sb);
  console.log(`${n.padEnd(44)} ${a.toFixed(1).padStart(9)} ${b.toFixed(1).padStart(9)} ${(a / b).toFixed(2).padStart(10)}`);
}
