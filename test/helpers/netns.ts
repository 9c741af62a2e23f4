// Test helpers for real-kernel tests: throwaway network namespaces and oracle commands.
//
//   import { withNetns, ipJson, ip, sh, requireRoot, requireTool } from './helpers/netns.js';
//
//   test('sees lo', async (t) => {
//     if (!requireRoot(t)) return;                 // t.skip(reason) and return: never a silent pass
//     await withNetns(async (ns) => {              // ns = 'nlkit-test-<pid>-<random>'
//       ip(ns, 'link add d0 type dummy');          // `ip -n ns link add d0 type dummy`
//       const links = ipJson(ns, 'link show');     // `ip -n ns -j link show`, parsed
//       …
//     });                                          // the namespace is deleted, pass or fail
//   });
//
// Every state change a test makes belongs inside a namespace it created; nothing here touches
// the host's interfaces.
import { execFileSync, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import type { TestContext } from 'node:test';

/** Runs a shell command (bash -c), returns stdout; throws with stderr on a non-zero exit. */
export function sh(cmd: string, opts: { input?: string } = {}): string {
  const r = spawnSync('bash', ['-c', cmd], { encoding: 'utf8', input: opts.input, maxBuffer: 256 * 1024 * 1024 });
  if (r.error) throw r.error;
  if (r.status !== 0) throw new Error(`command failed (exit ${r.status}): ${cmd}\n${r.stderr}`);
  return r.stdout;
}

/** Runs `ip -n NS ARGS…` (args split on whitespace, or given as an array) and returns stdout. */
export function ip(ns: string, args: string | string[], opts: { input?: string } = {}): string {
  const argv = typeof args === 'string' ? args.trim().split(/\s+/) : args;
  return execFileSync('ip', ['-n', ns, ...argv], {
    encoding: 'utf8', input: opts.input, maxBuffer: 256 * 1024 * 1024, stdio: ['pipe', 'pipe', 'pipe'],
  });
}

/** Runs `ip -n NS -j ARGS…` and parses its JSON (an empty output parses as []). */
export function ipJson<T = any>(ns: string, args: string | string[]): T {
  const argv = typeof args === 'string' ? args.trim().split(/\s+/) : args;
  const out = ip(ns, ['-j', ...argv]).trim();
  return (out === '' ? [] : JSON.parse(out)) as T;
}

/** Feeds `lines` to `ip -n NS -batch -` (e.g. thousands of `route add …`). */
export function ipBatch(ns: string, lines: string[]): void {
  ip(ns, ['-batch', '-'], { input: lines.join('\n') + '\n' });
}

/** A fresh, unique namespace name: nlkit-test-<pid>-<random>. */
export function netnsName(): string {
  return `nlkit-test-${process.pid}-${randomBytes(4).toString('hex')}`;
}

/**
 * Creates a network namespace (`ip netns add`), brings its `lo` up, runs `fn(name)` and deletes
 * the namespace in `finally`, whatever `fn` did. Returns what `fn` returns.
 */
export async function withNetns<T>(fn: (ns: string) => Promise<T> | T, opts: { loUp?: boolean } = {}): Promise<T> {
  const ns = netnsName();
  execFileSync('ip', ['netns', 'add', ns], { stdio: ['ignore', 'ignore', 'pipe'] });
  try {
    if (opts.loUp ?? true) ip(ns, 'link set lo up');
    return await fn(ns);
  } finally {
    spawnSync('ip', ['netns', 'delete', ns], { stdio: 'ignore' });
  }
}

/** True when running as root (uid 0). */
export function isRoot(): boolean {
  return process.getuid?.() === 0;
}

/** True when `name` is an executable on PATH. */
export function hasTool(name: string): boolean {
  return spawnSync('bash', ['-c', `command -v ${name}`], { stdio: 'ignore' }).status === 0;
}

/**
 * Skips the test with `reason` unless `ok`. Returns `ok`, so a test reads
 * `if (!skipUnless(t, cond, 'why')) return;` — a skipped test is reported as skipped, never as passed.
 */
export function skipUnless(t: TestContext, ok: boolean, reason: string): boolean {
  if (!ok) t.skip(reason);
  return ok;
}

/** Skips unless root and `ip netns` works (both are needed to make namespaces). */
export function requireRoot(t: TestContext): boolean {
  if (!isRoot()) return skipUnless(t, false, 'needs root to create network namespaces');
  return skipUnless(t, hasTool('ip'), 'needs iproute2 (ip) to create network namespaces');
}

/** Skips unless the executable `name` is installed. */
export function requireTool(t: TestContext, name: string): boolean {
  return skipUnless(t, hasTool(name), `${name} is not installed`);
}

/** Skips unless `path` exists (a header, a /proc or /sys file). */
export function requireFile(t: TestContext, path: string): boolean {
  return skipUnless(t, existsSync(path), `${path} is missing`);
}

/** One row of /proc/net/netlink: a Netlink socket the kernel knows in a namespace. */
export interface NetlinkSocketRow {
  protocol: number;
  portid: number;
  /** The first 32 multicast groups joined, as a bit mask (bit 0 = group 1). */
  groups: number;
  /** Bytes queued for the reader (Rmem). */
  rmem: number;
  inode: string;
}

/** The Netlink sockets of namespace `ns` (the caller's own when not given), from /proc/net/netlink. */
export function netlinkSockets(ns?: string): NetlinkSocketRow[] {
  const table = ns === undefined
    ? readFileSync('/proc/net/netlink', 'utf8')
    : execFileSync('ip', ['netns', 'exec', ns, 'cat', '/proc/net/netlink'], { encoding: 'utf8' });
  const rows: NetlinkSocketRow[] = [];
  for (const line of table.split('\n').slice(1)) {
    const f = line.trim().split(/\s+/);
    if (f.length < 10) continue;
    rows.push({ protocol: Number(f[1]), portid: Number(f[2]) >>> 0, groups: parseInt(f[3]!, 16) >>> 0, rmem: Number(f[4]), inode: f[9]! });
  }
  return rows;
}
