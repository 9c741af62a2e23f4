// The README's "Device events" block runs as written: saved as an .mjs file where `nlkit`
// resolves to this package, in a throwaway namespace, with the output the comments promise.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { test } from 'node:test';
import { requireRoot, withNetns } from './helpers/netns.js';

const root = fileURLToPath(new URL('../../', import.meta.url));

function example(): string {
  const readme = readFileSync(path.join(root, 'README.md'), 'utf8');
  const at = readme.indexOf('### Device events');
  assert.ok(at >= 0, 'the README has the uevent section');
  const m = /```ts\n([\s\S]*?)```/.exec(readme.slice(at));
  assert.ok(m, 'the section has a ts block');
  return m[1]!;
}

test('README: device events runs as written', async (t) => {
  if (!requireRoot(t)) return;
  const dir = mkdtempSync(path.join(tmpdir(), 'nlkit-uevent-readme-'));
  try {
    mkdirSync(path.join(dir, 'node_modules'));
    symlinkSync(root, path.join(dir, 'node_modules', 'nlkit'));
    await withNetns(async (ns) => {
      const file = path.join(dir, 'uevent.mjs');
      writeFileSync(file, example().replaceAll(`'demo'`, `'${ns}'`));
      const r = spawnSync(process.execPath, [file], { cwd: dir, encoding: 'utf8', timeout: 20_000 });
      assert.equal(r.stderr, '');
      // The comments' promised lines, in order.
      const promised = [...example().matchAll(/\/\/ (add .*)$/gm)].map((m) => m[1]!.trim());
      assert.deepEqual(r.stdout.trim().split('\n'), promised);
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
