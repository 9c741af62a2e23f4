// The README's netfilter blocks run as written: saved as .mjs files where `nlkit` resolves to
// this package, with 'demo' replaced by a namespace of the test's own; the output is what the
// comments promise, and the queued ping gets through.
import assert from 'node:assert/strict';
import { execFile, execFileSync, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { test } from 'node:test';
import { ip, requireRoot, requireTool, withNetns } from './helpers/netns.js';

const root = fileURLToPath(new URL('../../', import.meta.url));

function blocks(): string[] {
  const readme = readFileSync(path.join(root, 'README.md'), 'utf8');
  const at = readme.indexOf('### Netfilter');
  assert.ok(at >= 0, 'the README has the netfilter section');
  const end = readme.indexOf('\n### ', at + 1);
  return [...readme.slice(at, end).matchAll(/```ts\n([\s\S]*?)```/g)].map((m) => m[1]!);
}

function scratch(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'nlkit-nf-readme-'));
  mkdirSync(path.join(dir, 'node_modules'));
  symlinkSync(root, path.join(dir, 'node_modules', 'nlkit'));
  return dir;
}

/** Runs node on `file`; resolves with its exit status and output. */
function runNode(file: string, cwd: string): Promise<{ code: number | null; out: string; err: string }> {
  return new Promise((resolve) => {
    const c = spawn(process.execPath, [file], { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    c.stdout.setEncoding('utf8').on('data', (d: string) => (out += d));
    c.stderr.setEncoding('utf8').on('data', (d: string) => (err += d));
    c.on('close', (code) => resolve({ code, out, err }));
  });
}

test('README: the conntrack block runs as written', async (t) => {
  if (!requireRoot(t)) return;
  const dir = scratch();
  try {
    await withNetns(async (ns) => {
      const file = path.join(dir, 'ct.mjs');
      writeFileSync(file, blocks()[0]!.replaceAll(`'demo'`, `'${ns}'`));
      const r = await runNode(file, dir);
      assert.equal(r.err, '');
      assert.equal(r.code, 0);
      const lines = r.out.trim().split('\n');
      assert.match(lines[0]!, /^udp +17 \d+ src=10\.0\.0\.1 dst=10\.0\.0\.2 sport=5000 dport=53 \[UNREPLIED\] src=10\.0\.0\.2 dst=10\.0\.0\.1 sport=53 dport=5000 mark=7 use=1$/);
      assert.deepEqual(lines.slice(1), ['new 53', 'destroy 53']);
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('README: the queue block runs as written (a ping through queue 3 is printed and accepted)', async (t) => {
  if (!requireRoot(t) || !requireTool(t, 'iptables') || !requireTool(t, 'ping')) return;
  const dir = scratch();
  try {
    await withNetns(async (a) => {
      await withNetns(async (b) => {
        ip(a, ['link', 'add', 'va', 'type', 'veth', 'peer', 'name', 'vb', 'netns', b]);
        ip(a, 'addr add 10.99.0.1/24 dev va');
        ip(b, 'addr add 10.99.0.2/24 dev vb');
        ip(a, 'link set va up');
        ip(b, 'link set vb up');
        execFileSync('ip', ['netns', 'exec', b, 'iptables', '-A', 'INPUT', '-p', 'icmp', '-j', 'NFQUEUE', '--queue-num', '3']);
        const file = path.join(dir, 'queue.mjs');
        writeFileSync(file, blocks()[1]!.replaceAll(`'demo'`, `'${b}'`));
        const run = runNode(file, dir);
        // Ping once the queue is bound (/proc/net/netfilter/nfnetlink_queue lists it).
        const deadline = Date.now() + 20_000;
        while (!execFileSync('ip', ['netns', 'exec', b, 'cat', '/proc/net/netfilter/nfnetlink_queue'], { encoding: 'utf8' }).split('\n').some((l) => l.trim().startsWith('3 '))) {
          assert.ok(Date.now() < deadline, 'queue 3 never bound');
          await new Promise((r) => setTimeout(r, 20));
        }
        const ping = await new Promise<number>((resolve) => {
          execFile('ip', ['netns', 'exec', a, 'ping', '-c', '1', '-W', '5', '10.99.0.2'], (err) => resolve(err ? 1 : 0));
        });
        const r = await run;
        assert.equal(r.err, '');
        assert.equal(r.code, 0);
        assert.equal(r.out, 'local-in 800 84\n');
        assert.equal(ping, 0);
      });
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
