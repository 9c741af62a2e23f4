// Helpers for the `nlkit ip` tests: run the CLI (as `node dist/src/cli/main.js`) next to ip,
// compare their outputs, and wait for a namespace to settle.
import { spawn, spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { ip } from './netns.js';

/** The built CLI entry point. */
export const CLI = fileURLToPath(new URL('../../src/cli/main.js', import.meta.url));

/** The environment for spawned CLIs: without the CA bundle every Node start would read (~95 ms, unrelated to Netlink). */
export function cliEnv(): NodeJS.ProcessEnv {
  const env = { ...process.env };
  delete env.NODE_EXTRA_CA_CERTS;
  delete env.NODE_OPTIONS;
  return env;
}

/** What a process did. */
export interface Ran {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** Runs `nlkit ARGS…` synchronously. */
export function nlkit(args: string[], input?: string): Ran {
  const r = spawnSync(process.execPath, [CLI, ...args], {
    encoding: 'utf8', env: cliEnv(), input, maxBuffer: 256 * 1024 * 1024, timeout: 30_000,
  });
  return { status: r.status, stdout: r.stdout ?? '', stderr: r.stderr ?? '' };
}

/** Runs `nlkit ip -n NS ARGS…`; throws with stderr unless it exits 0. */
export function nlkitIp(ns: string, args: string | string[]): string {
  const argv = typeof args === 'string' ? args.trim().split(/\s+/) : args;
  const r = nlkit(['ip', '-n', ns, ...argv]);
  if (r.status !== 0) throw new Error(`nlkit ip -n ${ns} ${argv.join(' ')} exited ${r.status}: ${r.stderr}`);
  return r.stdout;
}

/** Runs `nlkit ip -n NS -j ARGS…` and parses it. */
export function nlkitIpJson<T = unknown>(ns: string, args: string | string[]): T {
  const argv = typeof args === 'string' ? args.trim().split(/\s+/) : args;
  const out = nlkitIp(ns, ['-j', ...argv]).trim();
  return JSON.parse(out) as T;
}

/** Runs `ip -n NS -j ARGS…` and parses it (ip prints nothing for some empty listings). */
export function ipJsonRaw<T = unknown>(ns: string, args: string | string[]): T {
  const argv = typeof args === 'string' ? args.trim().split(/\s+/) : args;
  const out = ip(ns, ['-j', ...argv]).trim();
  return (out === '' ? [] : JSON.parse(out)) as T;
}

/** A long-running process (monitor) with its output collected. */
export interface Running {
  stdout(): string;
  stderr(): string;
  stop(): Promise<Ran>;
}

/** Starts `cmd args…` in the background. */
export function start(cmd: string, args: string[]): Running {
  const child = spawn(cmd, args, { env: cliEnv(), stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stdout.setEncoding('utf8').on('data', (d: string) => (out += d));
  child.stderr.setEncoding('utf8').on('data', (d: string) => (err += d));
  const done = new Promise<Ran>((resolve) => child.on('close', (status) => resolve({ status, stdout: out, stderr: err })));
  return {
    stdout: () => out,
    stderr: () => err,
    stop: async () => {
      if (child.exitCode === null) child.kill('SIGINT');
      return done;
    },
  };
}

/** Waits until `cond()` holds, polling every 20 ms, for at most `ms`. */
export async function waitFor(cond: () => boolean, ms = 5000): Promise<boolean> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (cond()) return true;
    await new Promise((r) => setTimeout(r, 20));
  }
  return cond();
}

/** JSON text with keys in their order: equal strings mean equal names, types, values and order. */
export function ordered(v: unknown): string {
  return JSON.stringify(v, null, 1);
}

/**
 * Replaces the values at the given keys (anywhere in the tree) with "<masked>": for fields that
 * legitimately change between two runs a few milliseconds apart (counters, timers). The key
 * stays, so its presence and position are still compared.
 */
export function mask<T>(v: T, keys: readonly string[]): T {
  const set = new Set(keys);
  const walk = (x: unknown): unknown => {
    if (Array.isArray(x)) return x.map(walk);
    if (x && typeof x === 'object') {
      const o: Record<string, unknown> = {};
      for (const [k, val] of Object.entries(x)) o[k] = set.has(k) ? '<masked>' : walk(val);
      return o;
    }
    return x;
  };
  return walk(v) as T;
}

/** Disables IPv6 duplicate address detection in a namespace so addresses do not change state under a test. */
export function noDad(ns: string): void {
  spawnSync('ip', ['netns', 'exec', ns, 'sysctl', '-qw', 'net.ipv6.conf.all.accept_dad=0', 'net.ipv6.conf.default.accept_dad=0'], { stdio: 'ignore' });
}
