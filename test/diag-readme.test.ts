// The README's "Socket diagnostics" block runs as written: saved as an .mjs file where `nlkit`
// resolves to this package, in a throwaway namespace where a server listens on 127.0.0.1:8080
// with one client connected (a child process run there), with the output the comments promise.
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { test } from 'node:test';
import { requireRoot, withNetns } from './helpers/netns.js';

const root = fileURLToPath(new URL('../../', import.meta.url));

function example(): string {
  const readme = readFileSync(path.join(root, 'README.md'), 'utf8');
  const at = readme.indexOf('### Socket diagnostics');
  assert.ok(at >= 0, 'the README has the sock_diag section');
  const m = /```ts\n([\s\S]*?)```/.exec(readme.slice(at));
  assert.ok(m, 'the section has a ts block');
  return m[1]!;
}

const SERVER = `
import net from 'node:net';
const srv = net.createServer((c) => c.on('error', () => {}));
srv.listen(8080, '127.0.0.1', () => {
  const c = net.connect(8080, '127.0.0.1', () => process.stdout.write('ready\\n'));
  c.on('error', () => {});
});
process.stdin.resume();
process.stdin.on('end', () => process.exit(0));
`;

test('README: socket diagnostics runs as written', async (t) => {
  if (!requireRoot(t)) return;
  const dir = mkdtempSync(path.join(tmpdir(), 'nlkit-diag-readme-'));
  try {
    mkdirSync(path.join(dir, 'node_modules'));
    symlinkSync(root, path.join(dir, 'node_modules', 'nlkit'));
    writeFileSync(path.join(dir, 'server.mjs'), SERVER);
    await withNetns(async (ns) => {
      const server = spawn('ip', ['netns', 'exec', ns, process.execPath, path.join(dir, 'server.mjs')], { stdio: 'pipe' });
      try {
        const first = await createInterface({ input: server.stdout })[Symbol.asyncIterator]().next();
        assert.equal(first.value, 'ready');
        const file = path.join(dir, 'diag.mjs');
        writeFileSync(file, example().replaceAll(`'demo'`, `'${ns}'`));
        const r = spawnSync(process.execPath, [file], { cwd: dir, encoding: 'utf8', timeout: 20_000 });
        assert.equal(r.stderr, '');
        const lines = r.stdout.trim().split('\n');
        assert.deepEqual(lines.slice(0, 3), ['listen 127.0.0.1:8080', 'established established true', '0']);
        assert.match(lines[3]!, /^destroyed 127\.0\.0\.1:\d+ -> 8080$/);
        assert.equal(lines.length, 4);
      } finally {
        server.stdin.end();
        server.kill();
      }
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
