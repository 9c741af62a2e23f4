// The one way tests run the nlkit CLI (and the other programs they run beside it): `node
// dist/bundle/main.js ARGS…`, synchronously, asynchronously or in the background, always with
// the same environment.
//
//   const r = nlkit(['ip', '-n', ns, 'link', 'show']);        // { status, stdout, stderr }
//   const [a, b] = await Promise.all([run('ip', argv), nlkitAsync(argv)]);
//   const mon = startNlkit(['ip', 'monitor']);                 // background; mon.waitFor('err', /…/)
import { spawn, spawnSync } from 'node:child_process';
import { MessageChannel, receiveMessageOnPort, Worker } from 'node:worker_threads';
import type { JobResult } from './cli-worker.js';
import { readdirSync, readlinkSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { netlinkSockets } from './netns.js';

/**
 * The CLI as it ships (package.json's bin): the esbuild bundle, which also starts faster than
 * the module graph under dist/src (fewer files to load).
 */
export const CLI = fileURLToPath(new URL('../../bundle/main.js', import.meta.url));

/**
 * The environment for every program a test starts: without NODE_EXTRA_CA_CERTS (each Node start
 * would read a CA bundle, ~95 ms, unrelated to Netlink) and without NODE_OPTIONS (the test
 * runner's own flags are not the CLI's).
 */
export function cliEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const env = { ...process.env, ...extra };
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

/** Options of one run. */
export interface RunOpts {
  /** Text written to stdin (stdin is closed either way). */
  input?: string;
  /** Killed after this many ms (default 30 s). */
  timeout?: number;
  /** Working directory. */
  cwd?: string;
  /** Variables added to cliEnv(). */
  env?: NodeJS.ProcessEnv;
}

/**
 * True when a run failed because the module graph was caught half-written: a `tsc` elsewhere
 * rewriting dist/ while this process imported it (consistent failures are not this).
 */
export function halfBuilt(status: number | null, stderr: string): boolean {
  return status !== 0 && /SyntaxError: The requested module '[^']+' does not provide an export named/.test(stderr);
}

/** Runs `cmd args…` synchronously (a half-built dist/ is retried twice). */
export function runSync(cmd: string, args: string[], opts: RunOpts = {}): Ran {
  for (let attempt = 0; ; attempt++) {
    const r = spawnSync(cmd, args, {
      encoding: 'utf8', env: cliEnv(opts.env), input: opts.input, cwd: opts.cwd, maxBuffer: 256 * 1024 * 1024,
      timeout: opts.timeout ?? 30_000,
    });
    const ran = { status: r.status, stdout: r.stdout ?? '', stderr: r.stderr ?? '' };
    if (attempt < 2 && halfBuilt(ran.status, ran.stderr)) continue;
    return ran;
  }
}

/** Runs `cmd args…` in the background and resolves with what it did (a half-built dist/ is retried twice). */
export async function run(cmd: string, args: string[], opts: RunOpts = {}): Promise<Ran> {
  for (let attempt = 0; ; attempt++) {
    const ran = await new Promise<Ran>((resolve, reject) => {
      const c = spawn(cmd, args, { env: cliEnv(opts.env), cwd: opts.cwd, stdio: ['pipe', 'pipe', 'pipe'], timeout: opts.timeout ?? 30_000 });
      let stdout = '';
      let stderr = '';
      c.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
      c.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
      c.on('error', reject);
      c.on('close', (status) => resolve({ status, stdout, stderr }));
      c.stdin.on('error', () => {}); // a program that exits without reading its input
      c.stdin.end(opts.input ?? '');
    });
    if (attempt < 2 && halfBuilt(ran.status, ran.stderr)) continue;
    return ran;
  }
}

// Command lines run in one worker of the test's process (cli-worker.ts: the bundle's runCli with
// its own stdout, stderr and stdin), not a process each: a process costs ~0.2 s of CPU, which
// made up most of the suite's time. A real process is still used where one is the point: a
// working directory or environment of its own, arguments that are not UTF-8 (their bytes reach
// the CLI through /proc/self/cmdline), `exec` (its command writes to the process's own stdout),
// and everything with NLKIT_TEST_PROCESS=1. The real
// process's own parts (argv bytes, exit code, SIGPIPE) have tests that start processes.
let worker: Worker | undefined;

function cliWorker(): Worker {
  if (worker) return worker;
  const w = new Worker(new URL('./cli-worker.js', import.meta.url), { env: cliEnv(), execArgv: [], stdout: true, stderr: true });
  w.unref();
  const forget = () => {
    if (worker === w) worker = undefined;
  };
  w.on('exit', forget);
  w.on('error', forget);
  worker = w;
  return w;
}

function inProcess(args: string[], opts: RunOpts): boolean {
  return opts.env === undefined && opts.cwd === undefined && process.env.NLKIT_TEST_PROCESS !== '1'
    && !args.some((a) => /[\ud800-\udfff]/.test(a))
    // `ip netns exec`/`vrf exec` hand the process's own stdout and stderr to the command they run.
    && !args.includes('exec');
}

function post(args: string[], opts: RunOpts) {
  const channel = new MessageChannel();
  const done = new Int32Array(new SharedArrayBuffer(4));
  cliWorker().postMessage({ args, input: opts.input, port: channel.port2, done }, [channel.port2]);
  return { port: channel.port1, done };
}

function ran(r: JobResult): Ran {
  return { status: r.status, stdout: Buffer.from(r.stdout).toString('utf8'), stderr: Buffer.from(r.stderr).toString('utf8') };
}

function timedOut(): Ran {
  void worker?.terminate();
  worker = undefined;
  return { status: null, stdout: '', stderr: 'in-process CLI: timed out' };
}

/** Runs `nlkit ARGS…` synchronously. */
export function nlkit(args: string[], opts: RunOpts | string = {}): Ran {
  const o = typeof opts === 'string' ? { input: opts } : opts;
  if (!inProcess(args, o)) return runSync(process.execPath, [CLI, ...args], o);
  const { port, done } = post(args, o);
  try {
    if (Atomics.wait(done, 0, 0, o.timeout ?? 30_000) === 'timed-out') return timedOut();
    return ran(receiveMessageOnPort(port)!.message as JobResult);
  } finally {
    port.close();
  }
}

/** Runs `nlkit ARGS…` in the background. */
export async function nlkitAsync(args: string[], opts: RunOpts = {}): Promise<Ran> {
  if (!inProcess(args, opts)) return run(process.execPath, [CLI, ...args], opts);
  const { port } = post(args, opts);
  let timer: NodeJS.Timeout | undefined;
  try {
    return await new Promise<Ran>((resolve) => {
      port.once('message', (r: JobResult) => resolve(ran(r)));
      timer = setTimeout(() => resolve(timedOut()), opts.timeout ?? 30_000);
    });
  } finally {
    clearTimeout(timer);
    port.close();
  }
}

/** Resolves with stdout when `r` exited 0; rejects with its stderr otherwise. */
export async function ok(r: Promise<Ran> | Ran, what: string): Promise<string> {
  const ran = await r;
  if (ran.status !== 0) throw new Error(`${what} exited ${ran.status}: ${ran.stderr}`);
  return ran.stdout;
}

/** A long-running process (a server, a monitor) with its output collected. */
export interface Running {
  /** Its pid. */
  readonly pid: number;
  stdout(): string;
  stderr(): string;
  /** False once it has exited. */
  running(): boolean;
  /** Resolves with what it did once it has exited (by itself or stopped). */
  readonly exited: Promise<Ran>;
  /**
   * Resolves when `re` matches the stream's text so far (checked on each chunk that arrives: a
   * readiness signal, not a poll); rejects when the process exits first or after `ms`.
   */
  waitFor(stream: 'out' | 'err', re: RegExp, ms?: number): Promise<RegExpMatchArray>;
  /** Sends `signal` (SIGINT unless given) if it still runs; SIGKILL after 5 s; resolves with what it did. */
  stop(signal?: NodeJS.Signals): Promise<Ran>;
}

/** Starts `cmd args…` in the background with cliEnv(). */
export function start(cmd: string, args: string[], opts: Omit<RunOpts, 'input' | 'timeout'> = {}): Running {
  const child = spawn(cmd, args, { env: cliEnv(opts.env), cwd: opts.cwd, stdio: ['ignore', 'pipe', 'pipe'] });
  const text = { out: '', err: '' };
  const watchers = new Set<() => void>();
  const changed = () => { for (const w of [...watchers]) w(); };
  child.stdout.setEncoding('utf8').on('data', (d: string) => { text.out += d; changed(); });
  child.stderr.setEncoding('utf8').on('data', (d: string) => { text.err += d; changed(); });
  let done = false;
  const exited = new Promise<Ran>((resolve) => child.on('close', (status) => {
    done = true;
    changed();
    resolve({ status, stdout: text.out, stderr: text.err });
  }));
  return {
    pid: child.pid!,
    stdout: () => text.out,
    stderr: () => text.err,
    running: () => !done && child.exitCode === null && child.signalCode === null,
    exited,
    waitFor: (stream, re, ms = 10_000) => new Promise<RegExpMatchArray>((resolve, reject) => {
      const timer = setTimeout(() => finish(new Error(`no ${re} on std${stream} of ${cmd} within ${ms} ms; stdout ${JSON.stringify(text.out)}, stderr ${JSON.stringify(text.err)}`)), ms);
      const finish = (e?: Error, m?: RegExpMatchArray) => {
        clearTimeout(timer);
        watchers.delete(check);
        if (e) reject(e);
        else resolve(m!);
      };
      const check = () => {
        const m = re.exec(text[stream]);
        if (m) finish(undefined, m);
        else if (done) finish(new Error(`${cmd} exited before ${re} appeared on std${stream}: stdout ${JSON.stringify(text.out)}, stderr ${JSON.stringify(text.err)}`));
      };
      watchers.add(check);
      check();
    }),
    stop: async (signal = 'SIGINT') => {
      if (!done && child.exitCode === null && child.signalCode === null) child.kill(signal);
      const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
      try {
        return await exited;
      } finally {
        clearTimeout(timer);
      }
    },
  };
}

/** Starts `nlkit ARGS…` in the background. */
export function startNlkit(args: string[], opts: Omit<RunOpts, 'input' | 'timeout'> = {}): Running {
  return start(process.execPath, [CLI, ...args], opts);
}

/** The socket inodes among `pid`'s open files. */
export function socketInodes(pid: number): Set<string> {
  const out = new Set<string>();
  let fds: string[] = [];
  try {
    fds = readdirSync(`/proc/${pid}/fd`);
  } catch {
    return out; // exited
  }
  for (const fd of fds) {
    try {
      const m = /^socket:\[(\d+)\]$/.exec(readlinkSync(`/proc/${pid}/fd/${fd}`));
      if (m) out.add(m[1]!);
    } catch {
      // closed meanwhile
    }
  }
  return out;
}

/**
 * True when process `pid` holds a Netlink socket of `protocol` that has joined multicast group
 * `group` (1…32: /proc/net/netlink shows the first 32 groups), in the namespace `netns` (the
 * caller's own when not given). The kernel's own record: a process that shows this will see
 * every event sent from now on.
 */
export function joined(pid: number, protocol: number, group: number, netns?: string): boolean {
  const inodes = socketInodes(pid);
  if (inodes.size === 0) return false;
  return netlinkSockets(netns).some((r) => r.protocol === protocol && inodes.has(r.inode) && ((r.groups >>> (group - 1)) & 1) === 1);
}

/**
 * Resolves once `ready()` holds, checking every 10 ms (for a state only the kernel or another
 * process knows, such as joined()); rejects after `ms` naming `what`.
 */
export async function until(ready: () => boolean, what: string, ms = 10_000): Promise<void> {
  const end = Date.now() + ms;
  while (!ready()) {
    if (Date.now() > end) throw new Error(`not within ${ms} ms: ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}
