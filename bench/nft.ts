// nftables benchmark: adding N set elements (distinct IPv4 addresses) to a set in one
// transaction, by `nft -f FILE` and by the nlkit library (addElements, from the same nft text),
// both as whole processes under the measure helper, and the library's own time in-process.
// The set is flushed (untimed) before each add. Run as root after a build:
// `node dist/bench/nft.js [--elements N] [--runs K]`, or `npm run bench -- --only nft`.
// Creates and deletes its own namespace (nlbench-nft-PID).
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { buildC, deleteNetns, makeNetns, measure, median, sh } from './ns.js';

const NS = `nlbench-nft-${process.pid}`;

// Reads the nft file's element list and adds it with the library; prints its own time.
const LIB = `
const { addElements, getSet } = await import('nlkit/netfilter');
const { readFileSync } = await import('node:fs');
const [ns, file] = process.argv.slice(2);
const text = readFileSync(file, 'utf8');
const body = text.slice(text.indexOf('{'));
const set = await getSet({ family: 'inet', table: 'b', name: 's' }, { netns: ns });
const t0 = performance.now();
await addElements(set, [body], { netns: ns });
console.log(JSON.stringify({ ms: performance.now() - t0 }));
`;

/** One row of the nft bench: what, median wall time, peak RSS. */
export interface NftRow {
  name: string;
  ms: number;
  rssMiB: number;
  note?: string;
}

/** The i-th element: distinct addresses in 10.0.0.0/8. */
const addr = (i: number) => `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`;

/** Runs the bench; returns its rows (nft first: the base of the ratio). */
export async function nftBench(n: number, runs: number): Promise<NftRow[]> {
  const bins = buildC();
  const dir = mkdtempSync(path.join(os.tmpdir(), 'nlbench-nft-'));
  const file = path.join(dir, 'elements.nft');
  const lib = path.join(dir, 'lib.mjs');
  const elements = Array.from({ length: n }, (_, i) => addr(i));
  writeFileSync(file, `add element inet b s { ${elements.join(', ')} }\n`);
  // The script imports nlkit/netfilter as a user would: from the package (this checkout).
  const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
  writeFileSync(lib, LIB.replace("'nlkit/netfilter'", JSON.stringify(path.join(root, 'dist', 'bundle', 'netfilter.js'))));
  makeNetns(NS);
  const nft: number[] = [];
  const nftRss: number[] = [];
  const whole: number[] = [];
  const wholeRss: number[] = [];
  const inproc: number[] = [];
  try {
    sh('ip', ['netns', 'exec', NS, 'nft', 'add table inet b; add set inet b s { type ipv4_addr; }']);
    const flush = () => sh('ip', ['netns', 'exec', NS, 'nft', 'flush', 'set', 'inet', 'b', 's']);
    const count = () => (JSON.parse(sh('ip', ['netns', 'exec', NS, 'nft', '-j', 'list', 'set', 'inet', 'b', 's'])).nftables[1].set.elem ?? []).length;
    for (let r = 0; r < runs + 1; r++) {
      flush();
      const a = measure(bins.measure, ['ip', 'netns', 'exec', NS, 'nft', '-f', file]);
      if (r === 0 && count() !== n) throw new Error(`nft -f added ${count()} elements, not ${n}`);
      flush();
      const b = measure(bins.measure, [process.execPath, lib, NS, file]);
      if (r === 0 && count() !== n) throw new Error(`nlkit added ${count()} elements, not ${n}`);
      if (r === 0) continue; // warm-up round
      nft.push(a.ms);
      nftRss.push(a.rssKiB / 1024);
      whole.push(b.ms);
      wholeRss.push(b.rssKiB / 1024);
      // The library's own time, from a separate run that prints it (measure keeps stdout to itself).
      flush();
      inproc.push(JSON.parse(sh(process.execPath, [lib, NS, file])).ms);
    }
  } finally {
    deleteNetns(NS);
    rmSync(dir, { recursive: true, force: true });
  }
  return [
    { name: 'nft -f FILE (ip netns exec)', ms: median(nft), rssMiB: Math.max(...nftRss) },
    { name: 'nlkit library, whole process', ms: median(whole), rssMiB: Math.max(...wholeRss), note: 'node start + import + getSet + addElements' },
    { name: 'nlkit library addElements (in-process)', ms: median(inproc), rssMiB: NaN, note: 'parse + encode + one transaction' },
  ];
}

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
  const { values } = parseArgs({ options: { elements: { type: 'string', default: '100000' }, runs: { type: 'string', default: '5' } } });
  const rows = await nftBench(Number(values.elements), Number(values.runs));
  for (const r of rows) console.log(`${r.name.padEnd(44)} ${r.ms.toFixed(1).padStart(10)} ${(r.ms / rows[0]!.ms).toFixed(2).padStart(8)} ${r.rssMiB.toFixed(1).padStart(10)}${r.note ? '  ' + r.note : ''}`);
}
