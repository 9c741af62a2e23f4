// The README's "IPsec" and "Audit" blocks run as written: saved as .mjs files where `nlkit`
// resolves to this package (the XFRM one in a throwaway namespace), with the output the
// comments promise. The audit block only reads the host's status and sends a user message.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { test } from 'node:test';
import { getStatus } from '../src/audit/index.js';
import { requireRoot, withNetns } from './helpers/netns.js';

const root = fileURLToPath(new URL('../../', import.meta.url));

function example(heading: string): string {
  const readme = readFileSync(path.join(root, 'README.md'), 'utf8');
  const at = readme.indexOf(heading);
  assert.ok(at >= 0, `the README has "${heading}"`);
  const m = /```ts\n([\s\S]*?)```/.exec(readme.slice(at));
  assert.ok(m, 'the section has a ts block');
  return m[1]!;
}

/** Runs `code` as an .mjs file beside a node_modules/nlkit link; returns stdout lines. */
function runExample(code: string): string[] {
  const dir = mkdtempSync(path.join(tmpdir(), 'nlkit-readme-'));
  try {
    mkdirSync(path.join(dir, 'node_modules'));
    symlinkSync(root, path.join(dir, 'node_modules', 'nlkit'));
    const file = path.join(dir, 'example.mjs');
    writeFileSync(file, code);
    const r = spawnSync(process.execPath, [file], { cwd: dir, encoding: 'utf8', timeout: 20_000 });
    assert.equal(r.stderr, '');
    assert.equal(r.status, 0);
    return r.stdout.trim().split('\n');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The `// …` comments of lines that print, in order. */
const promised = (code: string) => [...code.matchAll(/console\.log\(.*\/\/ (.*)$/gm)].map((m) => m[1]!.trim());

test('README: IPsec runs as written', async (t) => {
  if (!requireRoot(t)) return;
  const code = example('### IPsec');
  await withNetns(async (ns) => {
    assert.deepEqual(runExample(code.replaceAll(`'demo'`, `'${ns}'`)), promised(code));
  });
});

test('README: audit runs as written', async (t) => {
  if (!requireRoot(t)) return;
  const code = example('### Audit');
  const s = await getStatus();
  const [first, ...rest] = runExample(code);
  assert.equal(first, `enabled ${s.enabled} failure ${s.failure} backlog_limit ${s.backlog_limit}`);
  assert.deepEqual(rest, promised(code));
});
