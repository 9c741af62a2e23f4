// The README's section on the kernel side in user space runs as written: its `console`
// sessions (serve, watch, then resolve/set/get, on a port of this test's own) and its `mjs`
// examples (saved where `nlkit` resolves to this package).
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { test } from 'node:test';
import { nlkit, run, startNlkit, type Running } from './helpers/cli.js';
import { requireRoot, withNetns } from './helpers/netns.js';

const root = fileURLToPath(new URL('../../', import.meta.url));
const readme = readFileSync(path.join(root, 'README.md'), 'utf8');
const start = readme.indexOf('### The kernel side in user space');
const section = readme.slice(start, readme.indexOf('\n## ', start));
const consoles = [...section.matchAll(/```console\n([\s\S]*?)```/g)].map((m) => m[1]!);
const examples = [...section.matchAll(/```mjs\n([\s\S]*?)```/g)].map((m) => m[1]!);

/** `$ command` lines and the output each is shown with. */
function session(block: string): { cmd: string[]; out: string }[] {
  const steps: { cmd: string[]; out: string }[] = [];
  for (const line of block.split('\n')) {
    if (line.startsWith('$ ')) steps.push({ cmd: line.slice(2).split(' '), out: '' });
    else if (line !== '') steps[steps.length - 1]!.out += `${line}\n`;
  }
  return steps;
}

test('the section has its three sessions and four examples', () => {
  assert.ok(start > 0);
  assert.equal(consoles.length, 3);
  assert.equal(examples.length, 4);
});

test('the nlex session from serve to watch runs as shown', { timeout: 60_000 }, async (t) => {
  if (!requireRoot(t)) return;
  // In a namespace of its own: NETLINK_USERSOCK ports and groups are per namespace, so other
  // tests' nlex servers and watchers (and the host's) never meet this one.
  await withNetns(async (ns) => {
    const port = 0x40000000 + Math.floor(Math.random() * 0x3fffffff);
    const portArgs = ['--port', String(port), '--netns', ns];
    const [serve, watch] = [session(consoles[0]!)[0]!, session(consoles[1]!)[0]!];
    assert.deepEqual(serve.cmd, ['nlkit', 'nlex', 'serve']);
    assert.deepEqual(watch.cmd, ['nlkit', 'nlex', 'watch']);
    const server = startNlkit([...serve.cmd.slice(1), ...portArgs]);
    let watcher: Running | undefined;
    try {
      await server.waitFor('out', /\n/);
      watcher = startNlkit([...watch.cmd.slice(1), '--count', String(watch.out.split('\n').length - 1), ...portArgs]);
      await watcher.waitFor('err', /watching/);
      for (const step of session(consoles[2]!)) {
        assert.equal(step.cmd[0], 'nlkit');
        const r = nlkit([...step.cmd.slice(1), ...portArgs], { timeout: 10_000 });
        assert.equal(r.status, 0, `${step.cmd.join(' ')}: ${r.stderr}`);
        assert.equal(r.stdout, step.out, step.cmd.join(' '));
      }
      const watched = await watcher.exited;
      assert.equal(watched.status, 0, watched.stderr);
      assert.equal(watched.stdout, watch.out);
      const lines = serve.out.split('\n').length - 1;
      await server.waitFor('out', new RegExp(`^(?:.*\n){${lines}}`));
      const hexPort = `0x${port.toString(16)}`;
      assert.equal(server.stdout(), serve.out.replace('0x4e4c4558', hexPort));
    } finally {
      await watcher?.stop('SIGTERM');
      await server.stop('SIGTERM');
    }
  });
});

test('the mjs examples print what the README says', async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'nlkit-server-readme-'));
  try {
    mkdirSync(path.join(dir, 'node_modules'));
    symlinkSync(root, path.join(dir, 'node_modules', 'nlkit'));
    const want = [
      "19 [ { name: 'changes', id: 2 } ]\nERANGE integer out of range [ 1 ]\ncounter 7\n",
      'lost events (ENOBUFS)\nevent from group 2\nevent from group 2\n',
      'called by uid 1001 pid 4242\nEPERM\n',
      // The rtnetlink model's output is shown after its example, in a `text` block.
      [...section.slice(section.indexOf('#### rtnetlink without root')).matchAll(/```text\n([\s\S]*?)```/g)][0]![1]!,
    ];
    // The examples share nothing (each has its own in-process bus): they run side by side.
    const ran = await Promise.all(examples.map((code, i) => {
      const file = path.join(dir, `server-${i}.mjs`);
      writeFileSync(file, code);
      return run(process.execPath, [file], { cwd: dir, timeout: 20_000 });
    }));
    ran.forEach((r, i) => {
      assert.equal(r.stderr, '', `example ${i}`);
      assert.equal(r.stdout, want[i], `example ${i}`);
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
