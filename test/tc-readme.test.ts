// The README's "Traffic control" blocks run as written: the ts block saved as an .mjs file where
// `nlkit` resolves to this package, in a throwaway namespace with a veth pair d0/d1, printing what
// its comment promises (tc then shows the tbf it made); the `nlkit tc` lines in another, each
// printing what its comment promises and what tc prints for the same words.
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { test } from 'node:test';
import { splitBatchLine } from '../src/cli/ip/index.js';
import { StringSink } from '../src/cli/ip/output.js';
import { runWith } from '../src/cli/tc/index.js';
import { nlkit } from './helpers/cli.js';
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

/** The `nlkit tc` lines of the section: each `nlkit tc -n demo WORDS… # what it prints`. */
function cliLines(): { words: string[]; comment: string }[] {
  const readme = readFileSync(path.join(root, 'README.md'), 'utf8');
  const at = readme.indexOf('### Traffic control');
  const m = /```sh\n([\s\S]*?)```/.exec(readme.slice(at));
  assert.ok(m, 'the section has an sh block');
  return m[1]!.trim().split('\n').map((line) => {
    const hash = line.indexOf(' #');
    const cmd = hash < 0 ? line : line.slice(0, hash);
    const words = splitBatchLine(cmd);
    assert.deepEqual(words.slice(0, 4), ['nlkit', 'tc', '-n', 'demo'], line);
    return { words: words.slice(4), comment: hash < 0 ? '' : line.slice(hash + 2).trim() };
  });
}

/** A comment as a pattern: `…` stands for anything; a trailing `(exit N, …)` is the status. */
function promise(comment: string): { re: RegExp; status: number } {
  const m = /^(.*?)\s+\(exit (\d+)[^)]*\)$/.exec(comment);
  const text = m ? m[1]! : comment;
  const re = new RegExp(text.split('…').map((p) => p.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('[\\s\\S]*?'));
  return { re, status: m ? Number(m[2]) : 0 };
}

test('README: the nlkit tc lines run as written and print what tc prints', async (t) => {
  if (!requireRoot(t) || !requireTool(t, 'tc')) return;
  const dir = mkdtempSync(path.join(tmpdir(), 'nlkit-tc-readme-'));
  try {
    await withNetns(async (ns) => {
      ip(ns, 'link add d0 type veth peer name d1');
      const lines = cliLines();
      // Lines without options of their own run in one process (-batch), the others one each.
      const plain = lines.filter((l) => !l.words[0]!.startsWith('-') && !l.comment.includes('(exit'));
      const file = path.join(dir, 'lines');
      writeFileSync(file, plain.map((l) => l.words.map((w) => (w.includes(' ') ? `'${w}'` : w)).join(' ')).join('\n') + '\n');
      const batch = nlkit(['tc', '-n', ns, '-batch', file]);
      assert.equal(batch.stderr, '');
      assert.equal(batch.status, 0);
      let shown = '';
      for (const l of plain.filter((x) => /^(show|list)$/.test(x.words[1]!))) {
        const theirs = execFileSync('tc', ['-n', ns, ...l.words], { encoding: 'utf8' });
        shown += theirs;
        assert.match(theirs, promise(l.comment).re, l.words.join(' '));
      }
      assert.equal(batch.stdout, shown, 'nlkit tc shows what tc shows');
      for (const l of lines.filter((x) => !plain.includes(x))) {
        // In this process (the batch above ran the shipped binary): a Node start each would cost more than the test.
        const sink = new StringSink();
        let stderr = '';
        const status = await runWith(['-n', ns, ...l.words], { stdout: sink, stderr: (x) => { stderr += x; } });
        const mine = { status, stdout: sink.text, stderr };
        const theirs = spawnSync('tc', ['-n', ns, ...l.words], { encoding: 'utf8' });
        const p = promise(l.comment);
        assert.equal(mine.status, p.status, l.words.join(' '));
        assert.equal(mine.status, theirs.status);
        assert.equal(mine.stderr, theirs.stderr, l.words.join(' '));
        assert.equal(mine.stdout, theirs.stdout, l.words.join(' '));
        assert.match(mine.stdout + mine.stderr, p.re, l.words.join(' '));
      }
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
