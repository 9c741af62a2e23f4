// Conntrack dump benchmark: N entries made in a throwaway namespace (ctnetlink creates packed
// by requestBatch), then listed by `conntrack -L`, by `nlkit conntrack -L` and by dumpConntrack
// in process; median wall time of RUNS runs after one warm-up each.
//   node dist/bench/conntrack.js [N] [RUNS]
import { execFileSync, spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { IPCTNL_MSG, NFNL_SUBSYS, NFPROTO, ctaCodec, dumpConntrack, nfnlType, openNetfilter } from '../src/netfilter/index.js';
import { NLM_F_CREATE, NLM_F_EXCL } from '../src/wire/index.js';

const N = Number(process.argv[2] ?? 100_000);
const RUNS = Number(process.argv[3] ?? 5);
const NS = `nlbench-ct-${process.pid}`;
const CLI = fileURLToPath(new URL('../bundle/main.js', import.meta.url));

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[s.length >> 1]!;
}

async function timeIt(fn: () => unknown | Promise<unknown>): Promise<number> {
  await fn();
  const t: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const t0 = performance.now();
    await fn();
    t.push(performance.now() - t0);
  }
  return median(t);
}

execFileSync('ip', ['netns', 'add', NS]);
try {
  const sock = openNetfilter({ netns: NS });
  const type = nfnlType(NFNL_SUBSYS.CTNETLINK, IPCTNL_MSG.CT_NEW);
  const msgs = function* () {
    for (let i = 0; i < N; i++) {
      const src = `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`;
      yield ctaCodec.encode(type, NLM_F_CREATE | NLM_F_EXCL, {
        family: NFPROTO.IPV4, version: 0, res_id: 0, timeout: 600,
        tuple_orig: { ip: { v4_src: src, v4_dst: '10.255.0.1' }, proto: { num: 17, src_port: 1000, dst_port: 53 } },
        tuple_reply: { ip: { v4_src: '10.255.0.1', v4_dst: src }, proto: { num: 17, src_port: 53, dst_port: 1000 } },
      } as never);
    }
  };
  const t0 = performance.now();
  const r = await sock.requestBatch(msgs());
  sock.close();
  console.log(`created ${r.acked} of ${N} entries in ${(performance.now() - t0).toFixed(0)} ms (${r.errors.length} refused)`);
  const run = (cmd: string, args: string[]) => () => {
    const p = spawnSync(cmd, args, { stdio: ['ignore', 'ignore', 'ignore'], maxBuffer: 1 << 30 });
    if (p.status !== 0) throw new Error(`${cmd} exited ${p.status}`);
  };
  const tool = await timeIt(run('ip', ['netns', 'exec', NS, 'conntrack', '-L']));
  const cli = await timeIt(run(process.execPath, [CLI, 'conntrack', '-L', '--netns', NS]));
  let n = 0;
  const lib = await timeIt(async () => {
    n = 0;
    for await (const batch of dumpConntrack({}, { netns: NS }).batches()) n += batch.length;
  });
  console.log(`conntrack -L: ${tool.toFixed(0)} ms | nlkit conntrack -L: ${cli.toFixed(0)} ms | dumpConntrack (${n} entries): ${lib.toFixed(0)} ms`);
} finally {
  spawnSync('ip', ['netns', 'delete', NS]);
}
