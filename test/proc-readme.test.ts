// The README's "Process events" block runs as written: saved as an .mjs file where `nlkit`
// resolves to this package (host-wide and read-only: it watches a child of its own), with the
// output the comments promise.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { test } from 'node:test';
import { requireRoot } from './helpers/netns.js';

const root = fileURLToPath(new URL('../../', import.meta.url));

function example(): string {
  const readme = readFileSync(path.join(root, 'README.md'), 'utf8');
  const at = readme.indexOf('### Process events');
  assert.ok(at >= 0, 'the README has the proc section');
  const m = /```ts\n([\s\S]*?)```/.exec(readme.slice(at));
  assert.ok(m, 'the section has a ts block');
  return m[1]!;
}

test('README: process events runs as written', async (t) => {
  if (!requireRoot(t)) return;
  const dir = mkdtempSync(path.join(tmpdir(), 'nlkit-proc-readme-'));
  try {
    mkdirSync(path.join(dir, 'node_modules'));
    symlinkSync(root, path.join(dir, 'node_modules', 'nlkit'));
    const file = path.join(dir, 'proc.mjs');
    writeFileSync(file, example());
    const r = spawnSync(process.execPath, [file], { cwd: dir, encoding: 'utf8', timeout: 20_000 });
    assert.equal(r.stderr, '');
    // The comments' promised lines, in order.
    const promised = [...example().matchAll(/\/\/ ((exec|exit).*)$/gm)].map((m) => m[1]!.trim());
    assert.deepEqual(r.stdout.split('\n').map((l) => l.trim()).filter(Boolean), promised);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
