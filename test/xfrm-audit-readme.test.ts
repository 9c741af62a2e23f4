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
import { addState } from '../src/xfrm/index.js';
import { ip, requireRoot, withNetns } from './helpers/netns.js';

const root = fileURLToPath(new URL('../../', import.meta.url));

/** The `n`th ts block after `heading`. */
function example(heading: string, n = 0): string {
  const readme = readFileSync(path.join(root, 'README.md'), 'utf8');
  const at = readme.indexOf(heading);
  assert.ok(at >= 0, `the README has "${heading}"`);
  const m = [...readme.slice(at).matchAll(/```ts\n([\s\S]*?)```/g)][n];
  assert.ok(m, `the section has ts block ${n}`);
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
    return r.stdout.trim() === '' ? [] : r.stdout.trim().split('\n');
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
    await t.test('the addState block (needs the kernel\'s ESP type)', async (st) => {
      try {
        await addState({ id: { daddr: '192.0.2.9', spi: 9, proto: 'esp' }, saddr: '192.0.2.1', alg_crypt: { alg_name: 'cbc(aes)', alg_key: new Uint8Array(16) } }, { netns: ns });
      } catch (e) {
        if ((e as { code?: string }).code !== 'EPROTONOSUPPORT') throw e;
        st.skip('this kernel has no ESP xfrm type (CONFIG_INET_ESP is not set)');
        return;
      }
      runExample(example('### IPsec', 1).replaceAll(`'demo'`, `'${ns}'`));
      assert.match(ip(ns, 'xfrm state'), /^src 192\.0\.2\.1 dst 192\.0\.2\.2\n\tproto esp spi 0x00000100 reqid 1 mode tunnel\n/m);
    });
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
