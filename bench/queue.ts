// Queue benchmark: packets per second answered with NF_ACCEPT. In a namespace of its own, an
// iptables NFQUEUE rule on OUTPUT sends every UDP datagram to 127.0.0.1:9999 to queue 7;
// bench/c/udpflood.c sends COUNT of them as fast as it can while one listener answers each
// packet with its own verdict: the C floor on raw nfnetlink (bench/c/nfqfloor.c) or nlkit's
// openQueue() (bench/queue-listen.ts). Both bind alike (copy mode packet, fail-open, queue
// length 8192, 8 MiB receive buffer) and time from their first packet to their last; runs
// alternate between the two. Part of `npm run bench -- --only queue`.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { ROOT, deleteNetns, makeNetns, median, sh, timedEnv } from './ns.js';

const PORT = 9999;
const QUEUE = 7;
const MAXLEN = 8192;

/** Compiles the queue benchmark's C programs into dist/bench/bin once. */
function buildQueueC(): { nfqfloor: string; udpflood: string } {
  const out = path.join(ROOT, 'dist', 'bench', 'bin');
  mkdirSync(out, { recursive: true });
  const bins = { nfqfloor: path.join(out, 'nfqfloor'), udpflood: path.join(out, 'udpflood') };
  for (const [name, bin] of Object.entries(bins)) {
    if (!existsSync(bin)) sh('cc', ['-O2', '-Wall', '-o', bin, path.join(ROOT, 'bench', 'c', `${name}.c`)]);
  }
  return bins;
}

/** Starts a listener, floods once it is bound, and returns what it reports. */
function once(listener: string[], flood: string[]): Promise<{ count: number; ms: number }> {
  return new Promise((resolve, reject) => {
    const p = spawn(listener[0]!, listener.slice(1), { stdio: ['ignore', 'pipe', 'pipe'], env: timedEnv() });
    let out = '';
    let err = '';
    p.stdout.on('data', (b: Buffer) => (out += b.toString()));
    p.stderr.on('data', (b: Buffer) => {
      err += b.toString();
      if (err.includes('ready') && !err.includes('flooded')) {
        err += 'flooded';
        const f = spawnSync(flood[0]!, flood.slice(1), { encoding: 'utf8' });
        if (f.status !== 0) reject(new Error(`udpflood: ${f.stderr}`));
      }
    });
    p.on('exit', (code) => {
      if (code !== 0) return reject(new Error(`${listener.join(' ')} exited ${code}: ${err}`));
      resolve(JSON.parse(out.trim().split('\n').pop()!) as { count: number; ms: number });
    });
  });
}

/** Runs the benchmark: `count` datagrams a run, `runs` runs of each listener; prints a table. */
export async function queueBench(count: number, runs: number): Promise<void> {
  const bins = buildQueueC();
  const NS = `nlbench-q-${process.pid}`;
  makeNetns(NS);
  try {
    sh('ip', ['netns', 'exec', NS, 'iptables', '-A', 'OUTPUT', '-p', 'udp', '--dport', String(PORT), '-j', 'NFQUEUE', '--queue-num', String(QUEUE)]);
    const flood = [bins.udpflood, NS, String(PORT), String(count)];
    const listeners: [string, string[]][] = [
      ['C floor (raw nfnetlink, one verdict a packet)', [bins.nfqfloor, NS, String(QUEUE), String(count), String(MAXLEN)]],
      ['nlkit openQueue(), verdict(p, \'accept\')', [process.execPath, path.join(ROOT, 'dist', 'bench', 'queue-listen.js'), NS, String(QUEUE), String(count), String(MAXLEN)]],
    ];
    const pps: number[][] = listeners.map(() => []);
    const seen: number[][] = listeners.map(() => []);
    for (const [, cmd] of listeners) await once(cmd, flood); // warm-up
    for (let i = 0; i < runs; i++) {
      for (const [k, [, cmd]] of listeners.entries()) {
        const r = await once(cmd, flood);
        pps[k]!.push((r.count / r.ms) * 1000);
        seen[k]!.push(r.count);
      }
    }
    const floor = median(pps[0]!);
    console.log(`\nQueue: ${count} UDP datagrams through -j NFQUEUE a run, each answered NF_ACCEPT (${runs} runs, medians)`);
    console.log(`${'listener'.padEnd(50)} ${'packets/s'.padStart(10)} ${'x floor'.padStart(8)} ${'queued'.padStart(8)}`);
    for (const [k, [name]] of listeners.entries()) {
      const v = median(pps[k]!);
      console.log(`${name.padEnd(50)} ${v.toFixed(0).padStart(10)} ${(v / floor).toFixed(2).padStart(8)} ${median(seen[k]!).toFixed(0).padStart(8)}`);
    }
    console.log('  (queued: packets that reached the listener; the rest passed by fail-open when the queue was full)');
  } finally {
    deleteNetns(NS);
  }
}
