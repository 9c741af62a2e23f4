// The README's nftables block runs as written: saved as an .mjs file where `nlkit` resolves to
// this package, with 'demo' replaced by a namespace of the test's own; it prints what its
// comments promise, and `nft -j` lists the elements it added.
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { test } from 'node:test';
import { requireRoot, requireTool, withNetns } from './helpers/netns.js';

const root = fileURLToPath(new URL('../../', import.meta.url));

function block(): string {
  const readme = readFileSync(path.join(root, 'README.md'), 'utf8');
  const at = readme.indexOf('### nftables');
  assert.ok(at >= 0, 'the README has the nftables section');
  const end = readme.indexOf('\n### ', at + 1);
  const m = /```ts\n([\s\S]*?)```/.exec(readme.slice(at, end));
  assert.ok(m, 'the nftables section has a ts block');
  return m[1]!;
}

test('README: the nftables block runs as written', async (t) => {
  if (!requireRoot(t) || !requireTool(t, 'nft')) return;
  const dir = mkdtempSync(path.join(tmpdir(), 'nlkit-nft-readme-'));
  try {
    mkdirSync(path.join(dir, 'node_modules'));
    symlinkSync(root, path.join(dir, 'node_modules', 'nlkit'));
    await withNetns(async (ns) => {
      const file = path.join(dir, 'nft.mjs');
      writeFileSync(file, block().replaceAll(`'demo'`, `'${ns}'`));
      const r = spawnSync(process.execPath, [file], { cwd: dir, encoding: 'utf8', timeout: 60_000 });
      assert.equal(r.stderr, '');
      assert.equal(r.status, 0);
      const lines = r.stdout.trim().split('\n');
      assert.equal(lines[0], '10.0.0.0/8 . 22');
      assert.match(lines[1]!, /^192\.0\.2\.1-192\.0\.2\.9 \. 80-88 timeout 1h expires 59m\d+s(\d+ms)?$/);
      assert.equal(lines[2], 'add blocked 1');
      const listed = JSON.parse(execFileSync('ip', ['netns', 'exec', ns, 'nft', '-j', 'list', 'set', 'inet', 'filter', 'blocked'], { encoding: 'utf8' }));
      const set = listed.nftables[1].set;
      assert.deepEqual([set.type, set.flags], [['ipv4_addr', 'inet_service'], ['interval', 'timeout']]);
      assert.deepEqual(set.elem[0], { concat: [{ prefix: { addr: '10.0.0.0', len: 8 } }, 22] });
      assert.deepEqual(set.elem[1].elem.val, { concat: [{ range: ['192.0.2.1', '192.0.2.9'] }, { range: [80, 88] }] });
      assert.equal(set.elem[1].elem.timeout, 3600);
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
