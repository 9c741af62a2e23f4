// `npm run docs` (scripts/docs.mjs): TypeDoc's API reference from the doc comments, one module per
// entry point of package.json "exports", without errors. Slow (TypeDoc type-checks the whole
// source): runs with NLKIT_CONSUMER_TEST=1, as .ci/run sets.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

test('npm run docs writes the API reference: a module per entry point, doc comments as text', { timeout: 600_000 }, (t) => {
  if (process.env.NLKIT_CONSUMER_TEST !== '1') return t.skip('set NLKIT_CONSUMER_TEST=1 to generate the docs (TypeDoc checks the whole source)');
  const out = mkdtempSync(path.join(tmpdir(), 'nlkit-docs-'));
  try {
    const r = spawnSync(process.execPath, ['scripts/docs.mjs', out], { cwd: ROOT, encoding: 'utf8', timeout: 540_000 });
    assert.equal(r.status, 0, `docs: ${r.stdout}${r.stderr}`);
    assert.equal(r.stderr.includes('[error]'), false, r.stderr);
    const pkg = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { exports: Record<string, unknown> };
    const entries = Object.entries(pkg.exports).filter(([, v]) => typeof v !== 'string').map(([k]) => (k === '.' ? 'index' : k.slice(2)));
    assert.match(r.stdout, new RegExp(`docs: ${entries.length} entry points`));
    assert.ok(existsSync(path.join(out, 'index.html')));
    const pages = readdirSync(path.join(out, 'modules'));
    for (const e of entries) assert.ok(pages.includes(`${e}.html`), `a page for ${e}: ${pages.join(' ')}`);
    // A function's page carries its doc comment.
    const fn = readdirSync(path.join(out, 'functions')).find((f) => /retryInterrupted\.html$/.test(f));
    assert.ok(fn, 'retryInterrupted has a page');
    assert.match(readFileSync(path.join(out, 'functions', fn), 'utf8'), /dumping again while it flags the\s+result interrupted|dumps again/);
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
});
