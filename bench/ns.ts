// Namespace and process helpers for the benchmarks. The benchmarks own the namespace named
// `nlbench` (and `nlbench-2` for bulk runs): they delete and recreate it, and delete it when done.
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** Package root (dist/bench/.. /..). */
export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

/** The environment for timed commands: without NODE_EXTRA_CA_CERTS (a CA bundle read at every Node start) and NODE_OPTIONS. */
export function timedEnv(): NodeJS.ProcessEnv {
  const env = { ...process.env };
  delete env.NODE_EXTRA_CA_CERTS;
  delete env.NODE_OPTIONS;
  return env;
}

/** Runs a command, throwing with its stderr when it fails. */
export function sh(cmd: string, args: string[], input?: string): string {
  return execFileSync(cmd, args, { encoding: 'utf8', input, stdio: ['pipe', 'pipe', 'pipe'], maxBuffer: 1 << 30 });
}

/** Creates namespace `name` (deleting a leftover first) with lo up. */
/** Runs `cmd args…` from the repository root in the background; resolves with its stdout when it exits 0. */
export function run(cmd: string, args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    const p = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'inherit'], cwd: ROOT });
    let out = '';
    p.stdout.on('data', (d) => (out += d));
    p.on('close', (code) => (code === 0 ? resolve(out) : reject(new Error(`${cmd} exited ${code}`))));
  });
}

export function makeNetns(name: string): void {
  spawnSync('ip', ['netns', 'del', name], { stdio: 'ignore' });
  sh('ip', ['netns', 'add', name]);
  sh('ip', ['-n', name, 'link', 'set', 'lo', 'up']);
}

/** Deletes namespace `name`; never throws. */
export function deleteNetns(name: string): void {
  spawnSync('ip', ['netns', 'del', name], { stdio: 'ignore' });
}

/** The i-th benchmark prefix: distinct /32s from 10.0.0.0/8 (a namespace-local table). */
export function prefix(i: number): string {
  return `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}/32`;
}

/** A device with a gateway behind it in `ns`, so routes look like real ones (gateway, oif, proto). */
export function addGatewayDevice(ns: string): void {
  sh('ip', ['-n', ns, 'link', 'add', 'bench0', 'type', 'veth', 'peer', 'name', 'bench1']);
  sh('ip', ['-n', ns, 'addr', 'add', '192.0.2.1/24', 'dev', 'bench0']);
  sh('ip', ['-n', ns, 'link', 'set', 'bench0', 'up']);
  sh('ip', ['-n', ns, 'link', 'set', 'bench1', 'up']);
}

/** Fills `ns` with n routes via the gateway using one `ip -batch`. */
export function fillRoutes(ns: string, n: number, from = 0): void {
  const lines: string[] = [];
  for (let i = from; i < from + n; i++) lines.push(`route add ${prefix(i)} via 192.0.2.2 dev bench0 proto static metric 10`);
  sh('ip', ['-n', ns, '-batch', '-'], lines.join('\n') + '\n');
}

/** Compiles the C helpers in bench/c into dist/bench/bin once. */
export function buildC(): { floor: string; measure: string; ssfloor: string } {
  const out = path.join(ROOT, 'dist', 'bench', 'bin');
  mkdirSync(out, { recursive: true });
  const bins = { floor: path.join(out, 'floor'), measure: path.join(out, 'measure'), ssfloor: path.join(out, 'ssfloor') };
  for (const [name, bin] of Object.entries(bins)) {
    if (!existsSync(bin)) sh('cc', ['-O2', '-Wall', '-o', bin, path.join(ROOT, 'bench', 'c', `${name}.c`)]);
  }
  return bins;
}

/** One measured run of a whole process: wall time and peak RSS (from wait4 in bench/c/measure.c). */
export interface Sample {
  ms: number;
  rssKiB: number;
}

/** Runs `cmd` under the measure helper. */
export function measure(measureBin: string, cmd: string[]): Sample {
  const out = execFileSync(measureBin, cmd, { encoding: 'utf8', env: timedEnv() }).trim().split(/\s+/).map(Number);
  if (out[2] !== 0) throw new Error(`${cmd.join(' ')} exited with ${out[2]}`);
  return { ms: out[0]! / 1000, rssKiB: out[1]! };
}

/** The median of numbers. */
export function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

type Entries = { '': typeof import('../src/index.js'); '/route': typeof import('../src/route/index.js') };

/**
 * Imports an entry point the way a user of the package does (`nlkit`, `nlkit/route`: the
 * bundled build the exports map points at), typed by the sources.
 */
export async function importNlkit<K extends keyof Entries>(sub: K): Promise<Entries[K]> {
  return (await import(`nlkit${sub}`)) as Entries[K];
}
