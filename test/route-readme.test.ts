// The README's "rtnetlink from TypeScript" block runs as written: saved as an .mjs file (it is
// plain JavaScript) where `nlkit` resolves to this package, in a throwaway namespace set up as
// the README says, with the output the comments promise.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { test } from 'node:test';
import { runSync } from './helpers/cli.js';
import { ip, requireRoot, withNetns } from './helpers/netns.js';

const root = fileURLToPath(new URL('../../', import.meta.url));

function example(): string {
  const readme = readFileSync(path.join(root, 'README.md'), 'utf8');
  const at = readme.indexOf('### rtnetlink from TypeScript');
  assert.ok(at >= 0, 'the README has the rtnetlink section');
  const m = /```ts\n([\s\S]*?)```/.exec(readme.slice(at));
  assert.ok(m, 'the section has a ts block');
  return m[1]!;
}

test('README: rtnetlink from TypeScript runs as written', async (t) => {
  if (!requireRoot(t)) return;
  const code = example();
  const dir = mkdtempSync(path.join(tmpdir(), 'nlkit-route-readme-'));
  try {
    mkdirSync(path.join(dir, 'node_modules'));
    symlinkSync(root, path.join(dir, 'node_modules', 'nlkit'));
    await withNetns(async (ns) => {
      ip(ns, 'link add veth0 type veth peer name veth1'); // the README's set-up line
      const file = path.join(dir, 'route.mjs');
      writeFileSync(file, code.replaceAll(`'demo'`, `'${ns}'`));
      const r = runSync(process.execPath, [file], { cwd: dir, timeout: 20_000 });
      assert.equal(r.stderr, '');
      assert.deepEqual(r.stdout.trim().split('\n'), [
        '10.0.0.1 24 10.0.0.255 global',
        'main boot global 10',
        '10.0.0.0/24 via - dev veth0 proto kernel',
        '10.1.0.0/16 via 10.0.0.254 dev veth0 proto boot',
        '2',
        'new route 10.1.0.0',
      ]);
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
