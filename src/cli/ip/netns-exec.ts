// `ip [-all] netns exec NAME CMD…`: runs CMD in the named network namespace, in a mount namespace
// of its own where /sys shows that namespace's devices and /etc/netns/NAME/* is bound over /etc,
// as ip does. Node cannot setns() its own (threaded) process, so util-linux's nsenter and unshare
// (which `netns add` already uses) enter the namespaces and a shell does ip's mounts before exec;
// the exit status, or the signal that ended CMD, is passed on as ip's would be.
import { spawnSync } from 'node:child_process';
import { accessSync, constants as fsc, existsSync, readdirSync, statSync } from 'node:fs';
import type { Args } from './argv.js';
import { IP_EXIT } from './argv.js';
import type { IpContext } from './index.js';

// ip's netns_switch + bind_etc, then exec: $1 is the namespace name, the rest CMD and its args.
const SETUP = [
  'ns=$1; shift',
  'umount -l /sys 2>/dev/null',
  'mount -t sysfs "$ns" /sys 2>/dev/null',
  'if [ -d "/etc/netns/$ns" ]; then for f in "/etc/netns/$ns"/* "/etc/netns/$ns"/.*; do',
  '  b=${f##*/}; [ "$b" = . ] || [ "$b" = .. ] || [ ! -e "$f" ] && continue',
  '  mount --bind "$f" "/etc/$b" 2>/dev/null || echo "Bind $f -> /etc/$b failed" >&2',
  'done; fi',
  'exec "$@"',
].join('\n');

/** Where CMD resolves on PATH (execvp's search), or the errno text execvp would fail with. */
function resolveCommand(cmd: string): { ok: true } | { ok: false; why: string } {
  const candidates = cmd.includes('/') ? [cmd] : (process.env.PATH ?? '/usr/local/bin:/usr/bin:/bin').split(':').map((d) => `${d || '.'}/${cmd}`);
  let denied = false;
  for (const c of candidates) {
    try {
      if (!statSync(c).isFile()) continue;
      accessSync(c, fsc.X_OK);
      return { ok: true };
    } catch (e) {
      if ((e as { code?: string }).code === 'EACCES') denied = true;
    }
  }
  return { ok: false, why: denied ? 'Permission denied' : 'No such file or directory' };
}

/** Runs CMD in one namespace; returns its exit status, or the signal that killed it. */
function execOne(name: string, path: string, cmd: string[]): { status: number } | { signal: NodeJS.Signals } {
  const r = spawnSync('nsenter', [`--net=${path}`, '--', 'unshare', '--mount', '--propagation', 'slave', '--', 'sh', '-c', SETUP, 'sh', name, ...cmd], {
    stdio: 'inherit',
  });
  if (r.error) {
    process.stderr.write(`exec of "nsenter" failed: ${r.error.message}\n`);
    return { status: 1 };
  }
  if (r.signal) return { signal: r.signal };
  return { status: r.status ?? 1 };
}

/** `ip netns exec`: the namespace, the command, and ip's errors and exit status. */
export async function execIn(ctx: IpContext, args: Args, runDir: string): Promise<number> {
  if (ctx.opts.all) {
    const cmd = args.rest();
    if (cmd.length === 0) {
      process.stderr.write('No command specified\n');
      return IP_EXIT.FAILURE;
    }
    let names: string[] = [];
    try {
      names = readdirSync(runDir);
    } catch {
      // none
    }
    // ip -all netns exec: each namespace in turn, a header before each, failures reported.
    for (const name of names) {
      process.stdout.write(`\nnetns: ${name}\n`);
      const r = execOne(name, `${runDir}/${name}`, cmd);
      if ('signal' in r || r.status !== 0) process.stderr.write(`netns: ${name} failed!\n`);
    }
    return 0;
  }
  const name = args.next();
  if (name === undefined) {
    process.stderr.write('No netns name specified\n');
    return IP_EXIT.FAILURE;
  }
  const cmd = args.rest();
  if (cmd.length === 0) {
    process.stderr.write('No command specified\n');
    return IP_EXIT.FAILURE;
  }
  const path = name.includes('/') ? name : `${runDir}/${name}`;
  if (!existsSync(path)) {
    process.stderr.write(`Cannot open network namespace "${name}": No such file or directory\n`);
    return IP_EXIT.INVARG;
  }
  const found = resolveCommand(cmd[0]!);
  if (!found.ok) {
    process.stderr.write(`exec of "${cmd[0]}" failed: ${found.why}\n`);
    return IP_EXIT.FAILURE;
  }
  const r = execOne(name, path, cmd);
  if ('signal' in r) {
    // ip has exec'd CMD: the signal that ended CMD ends "ip" too.
    process.kill(process.pid, r.signal);
    return 128;
  }
  return r.status;
}
