// nlkit/proc against the real kernel: the process events of a child this test spawns (fork,
// exec, exit with its status). The connector is host-wide and read-only: events are filtered
// to the child's pid.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { constants } from 'node:os';
import { test } from 'node:test';
import { procEvents, type ProcEvent } from '../src/proc/index.js';
import { joined, startNlkit, until } from './helpers/cli.js';
import { requireRoot } from './helpers/netns.js';

/** Spawns `sh -c script` and collects its events up to its exit. */
async function eventsOf(script: string): Promise<{ pid: number; status: number | null; signal: string | null; evs: ProcEvent[] }> {
  const sub = procEvents();
  const child = spawn('sh', ['-c', script], { stdio: 'ignore' });
  const exited = new Promise<[number | null, string | null]>((r) => child.on('exit', (c, s) => r([c, s])));
  const pid = child.pid!;
  const evs: ProcEvent[] = [];
  for await (const ev of sub) {
    assert.ok(!('overrun' in ev), 'no events lost');
    const e = ev as ProcEvent;
    const mine = ('pid' in e && e.pid === pid) || (e.what === 'fork' && e.childTgid === pid);
    if (!mine) continue;
    evs.push(e);
    if (e.what === 'exit') break;
  }
  const [status, signal] = await exited;
  return { pid, status, signal, evs };
}

test('procEvents: fork, exec and exit of a child, with its exit status', async (t) => {
  if (!requireRoot(t)) return;
  const { pid, status, evs } = await eventsOf('exit 3');
  assert.equal(status, 3);
  const fork = evs.find((e) => e.what === 'fork');
  assert.ok(fork && fork.what === 'fork');
  assert.equal(fork.parentTgid, process.pid);
  assert.equal(fork.childPid, pid);
  assert.ok(evs.some((e) => e.what === 'exec' && e.tgid === pid), 'exec of sh');
  const exit = evs.at(-1)!;
  assert.ok(exit.what === 'exit');
  // task->exit_code is a wait status: the code in bits 8..15, as waitpid() reports it.
  assert.equal(exit.exitCode, 3 << 8);
  assert.equal(exit.exitSignal, constants.signals.SIGCHLD);
  assert.equal(exit.parentTgid, process.pid);
  assert.ok(exit.timestampNs > fork.timestampNs);
  assert.deepEqual(evs.map((e) => e.what).filter((w) => w !== 'comm'), ['fork', 'exec', 'exit']);
});

test('procEvents: a child killed by a signal exits with that signal in its status', async (t) => {
  if (!requireRoot(t)) return;
  const { signal, evs } = await eventsOf('kill -TERM $$');
  assert.equal(signal, 'SIGTERM');
  const exit = evs.at(-1)!;
  assert.ok(exit.what === 'exit');
  assert.equal(exit.exitCode & 0x7f, constants.signals.SIGTERM);
});

test('nlkit proc monitor --pid -j: the fork of a child, as JSON', async (t) => {
  if (!requireRoot(t)) return;
  const mon = startNlkit(['proc', 'monitor', '--pid', String(process.pid), '-j']);
  try {
    await until(() => joined(mon.pid, 11, 1), 'the monitor joined CN_IDX_PROC');
    // The LISTEN request follows the join within microseconds: spawn children until the fork of
    // one of them is seen (other lines may come first: this process's own threads fork too).
    const spawned = new Set<number>();
    let pid = 0;
    let polls = 0;
    const lines = () => mon.stdout().split('\n').filter(Boolean).map((l) => JSON.parse(l) as Record<string, unknown>);
    await until(() => {
      const seen = lines().find((e) => e.what === 'fork' && spawned.has(e.childTgid as number));
      if (seen) {
        pid = seen.childTgid as number;
        return true;
      }
      // A new child every tenth check (100 ms): the last one's fork may still be on its way.
      if (polls++ % 10 === 0) spawned.add(spawn('sh', ['-c', 'exit 4'], { stdio: 'ignore' }).pid!);
      return false;
    }, 'a child fork reported');
    await mon.waitFor('out', new RegExp(`"what":"fork".*"childTgid":${pid}`));
    const fork = lines().find((e) => e.what === 'fork' && e.childTgid === pid)!;
    assert.equal(fork.parentTgid, process.pid);
    assert.match(String(fork.timestampNs), /^\d+$/);
  } finally {
    await mon.stop();
  }
});
