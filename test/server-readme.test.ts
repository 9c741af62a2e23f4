// The README's section on the kernel side in user space runs as written: its `console`
// sessions (serve, watch, then resolve/set/get, on a port of this test's own) and its `mjs`
// examples (saved where `nlkit` resolves to this package).
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { test } from 'node:test';

const root = fileURLToPath(new URL('../../', import.meta.url));
const CLI = fileURLToPath(new URL('../src/cli/main.js', import.meta.url));
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

test('the section has its three sessions and three examples', () => {
  assert.ok(start > 0);
  assert.equal(consoles.length, 3);
  assert.equal(examples.length, 3);
});

test('the nlex session from serve to watch runs as shown', { timeout: 60_000 }, async () => {
  const port = 0x40000000 + Math.floor(Math.random() * 0x3fffffff);
  const portArgs = ['--port', String(port)];
  const [serve, watch] = [session(consoles[0]!)[0]!, session(consoles[1]!)[0]!];
  assert.deepEqual(serve.cmd, ['nlkit', 'nlex', 'serve']);
  assert.deepEqual(watch.cmd, ['nlkit', 'nlex', 'watch']);
  const spawnCli = (args: string[]) => {
    const child = spawn(process.execPath, [CLI, ...args, ...portArgs], { stdio: ['ignore', 'pipe', 'pipe'] });
    const io = { out: '', err: '', exited: new Promise<number | null>((r) => child.on('exit', r)) };
    child.stdout.setEncoding('utf8').on('data', (d: string) => (io.out += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (io.err += d));
    return { child, io };
  };
  const until = async (f: () => boolean, what: string) => {
    for (let i = 0; i < 500 && !f(); i++) await new Promise((r) => setTimeout(r, 10));
    assert.ok(f(), what);
  };
  const server = spawnCli(serve.cmd.slice(1));
  let watcher: ReturnType<typeof spawnCli> | undefined;
  try {
    await until(() => server.io.out.includes('\n'), 'the server is ready');
    watcher = spawnCli([...watch.cmd.slice(1), '--count', String(watch.out.split('\n').length - 1)]);
    await until(() => watcher!.io.err.includes('watching'), 'the watcher has joined');
    for (const step of session(consoles[2]!)) {
      assert.equal(step.cmd[0], 'nlkit');
      const r = spawnSync(process.execPath, [CLI, ...step.cmd.slice(1), ...portArgs], { encoding: 'utf8', timeout: 10_000 });
      assert.equal(r.status, 0, `${step.cmd.join(' ')}: ${r.stderr}`);
      assert.equal(r.stdout, step.out, step.cmd.join(' '));
    }
    assert.equal(await watcher.io.exited, 0);
    assert.equal(watcher.io.out, watch.out);
    await until(() => server.io.out.split('\n').length >= serve.out.split('\n').length, 'the server printed the changes');
    const hexPort = `0x${port.toString(16)}`;
    assert.equal(server.io.out, serve.out.replace('0x4e4c4558', hexPort));
  } finally {
    watcher?.child.kill('SIGTERM');
    server.child.kill('SIGTERM');
    await server.io.exited;
  }
});

test('the mjs examples print what the README says', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'nlkit-server-readme-'));
  try {
    mkdirSync(path.join(dir, 'node_modules'));
    symlinkSync(root, path.join(dir, 'node_modules', 'nlkit'));
    const want = [
      "19 [ { name: 'changes', id: 2 } ]\nERANGE integer out of range [ 1 ]\ncounter 7\n",
      'lost events (ENOBUFS)\nevent from group 2\nevent from group 2\n',
      'called by uid 1001 pid 4242\nEPERM\n',
    ];
    examples.forEach((code, i) => {
      const file = path.join(dir, `server-${i}.mjs`);
      writeFileSync(file, code);
      const r = spawnSync(process.execPath, [file], { cwd: dir, encoding: 'utf8', timeout: 20_000 });
      assert.equal(r.stderr, '', `example ${i}`);
      assert.equal(r.stdout, want[i], `example ${i}`);
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
