// The README's "Traffic control" block runs as written: saved as an .mjs file where `nlkit`
// resolves to this package, in a throwaway namespace with a veth pair d0/d1, printing what its
// comment promises; tc then shows the tbf it made.
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { test } from 'node:test';
import { ip, requireRoot, requireTool, withNetns } from './helpers/netns.js';

const root = fileURLToPath(new URL('../../', import.meta.url));

function example(): string {
  const readme = readFileSync(path.join(root, 'README.md'), 'utf8');
  const at = readme.indexOf('### Traffic control');
  assert.ok(at >= 0, 'the README has the traffic control section');
  const m = /```ts\n([\s\S]*?)```/.exec(readme.slice(at));
  assert.ok(m, 'the section has a ts block');
  return m[1]!;
}

test('README: traffic control runs as written', async (t) => {
  if (!requireRoot(t) || !requireTool(t, 'tc')) return;
  const dir = mkdtempSync(path.join(tmpdir(), 'nlkit-tc-readme-'));
  try {
    mkdirSync(path.join(dir, 'node_modules'));
    symlinkSync(root, path.join(dir, 'node_modules', 'nlkit'));
    await withNetns(async (ns) => {
      ip(ns, 'link add d0 type veth peer name d1');
      const file = path.join(dir, 'tc.mjs');
      writeFileSync(file, example().replaceAll(`'demo'`, `'${ns}'`));
      const r = spawnSync(process.execPath, [file], { cwd: dir, encoding: 'utf8', timeout: 20_000 });
      assert.equal(r.stderr, '');
      assert.equal(r.stdout, 'tbf 5: 1Mbit\n');
      const shown = execFileSync('tc', ['-n', ns, 'qdisc', 'show', 'dev', 'd1'], { encoding: 'utf8' });
      assert.match(shown, /^qdisc tbf 5: root refcnt \d+ rate 1Mbit burst 32Kb lat 50ms/m);
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
