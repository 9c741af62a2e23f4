// Conntrack dump benchmark: N entries made in a namespace of its own (ctnetlink creates, sent
// packed by requestBatch: `conntrack -I` would take minutes), then listed by `conntrack -L` and
// `nlkit conntrack -L` (whole processes under the measure helper, output to /dev/null) and by
// dumpConntrack() in this process (first dump and warm). Part of `npm run bench -- --only
// conntrack`; the namespace is nlbench-ct-PID.
import path from 'node:path';
import { IPCTNL_MSG, NFNL_SUBSYS, NFPROTO, ctaCodec, dumpConntrack, nfnlType, openNetfilter } from '../src/netfilter/index.js';
import { NLM_F_CREATE, NLM_F_EXCL } from '../src/wire/index.js';
import { ROOT, deleteNetns, makeNetns, measure, median, type Sample } from './ns.js';

/** Creates n UDP entries 10.x.y.z:1000 -> 10.255.0.1:53 in `ns`; returns how many the kernel took. */
async function fill(ns: string, n: number): Promise<number> {
  const sock = openNetfilter({ netns: ns });
  const type = nfnlType(NFNL_SUBSYS.CTNETLINK, IPCTNL_MSG.CT_NEW);
  const msgs = function* () {
    for (let i = 0; i < n; i++) {
      const src = `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`;
      yield ctaCodec.encode(type, NLM_F_CREATE | NLM_F_EXCL, {
        family: NFPROTO.IPV4, version: 0, res_id: 0, timeout: 3600,
        tuple_orig: { ip: { v4_src: src, v4_dst: '10.255.0.1' }, proto: { num: 17, src_port: 1000, dst_port: 53 } },
        tuple_reply: { ip: { v4_src: '10.255.0.1', v4_dst: src }, proto: { num: 17, src_port: 53, dst_port: 1000 } },
      } as never);
    }
  };
  try {
    return (await sock.requestBatch(msgs())).acked;
  } finally {
    sock.close();
  }
}

/** One in-process dump: milliseconds and entries. */
async function libDump(ns: string): Promise<{ ms: number; count: number }> {
  const t0 = performance.now();
  let count = 0;
  for await (const batch of dumpConntrack({}, { netns: ns }).batches()) count += batch.length;
  return { ms: performance.now() - t0, count };
}

/** Runs the benchmark with `n` entries and `runs` runs; prints a table with ratios to `conntrack -L`. */
export async function conntrackBench(measureBin: string, n: number, runs: number): Promise<void> {
  const ns = `nlbench-ct-${process.pid}`;
  makeNetns(ns);
  try {
    const t0 = performance.now();
    const made = await fill(ns, n);
    console.log(`\nConntrack: ${made} of ${n} entries created by nlkit in ${(performance.now() - t0).toFixed(0)} ms (requestBatch)`);
    const cli = path.join(ROOT, 'dist', 'bundle', 'main.js');
    const cmds = [['ip', 'netns', 'exec', ns, 'conntrack', '-L'], [process.execPath, cli, 'conntrack', '-L', '--netns', ns]];
    const samples: Sample[][] = cmds.map(() => []);
    for (const c of cmds) measure(measureBin, c); // warm-up
    for (let i = 0; i < runs; i++) cmds.forEach((c, k) => samples[k]!.push(measure(measureBin, c)));
    const [tool, ours] = samples.map((s) => ({ ms: median(s.map((x) => x.ms)), rssMiB: Math.max(...s.map((x) => x.rssKiB)) / 1024 })) as [
      { ms: number; rssMiB: number }, { ms: number; rssMiB: number },
    ];
    const first = await libDump(ns);
    const warm: number[] = [];
    for (let i = 0; i < runs; i++) warm.push((await libDump(ns)).ms);
    const lib = median(warm);
    const rows: [string, number, number | undefined, string][] = [
      ['conntrack -L', tool.ms, tool.rssMiB, 'conntrack-tools, whole process'],
      ['nlkit conntrack -L', ours.ms, ours.rssMiB, 'whole process (node start included)'],
      ['nlkit library: dumpConntrack(), first dump', first.ms, undefined, `in-process, ${first.count} entries`],
      ['nlkit library: dumpConntrack(), warm', lib, undefined, 'in-process, later dumps'],
    ];
    console.log(`Dump of ${made} conntrack entries (${runs} runs, medians)`);
    console.log(`${'what'.padEnd(44)} ${'median ms'.padStart(10)} ${'x conntrack'.padStart(12)} ${'peak RSS MiB'.padStart(13)}`);
    for (const [name, ms, rss, note] of rows) {
      console.log(`${name.padEnd(44)} ${ms.toFixed(1).padStart(10)} ${(ms / tool.ms).toFixed(2).padStart(12)} ${(rss === undefined ? '' : rss.toFixed(1)).padStart(13)}  ${note}`);
    }
  } finally {
    deleteNetns(ns);
  }
}
