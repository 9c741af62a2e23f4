// The README's generic netlink examples (its ```javascript blocks) run as written: each is saved
// as an .mjs file where `nlkit` resolves to this package, 'demo' becomes a throwaway namespace
// set up as the README says, and the output is checked.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { test } from 'node:test';
import { GenlClient } from '../src/genl/index.js';
import { NETLINK_GENERIC } from '../src/wire/index.js';
import { joined, runSync, start, until } from './helpers/cli.js';
import { ip, requireRoot, withNetns } from './helpers/netns.js';

const root = fileURLToPath(new URL('../../', import.meta.url));
const examples = [...readFileSync(path.join(root, 'README.md'), 'utf8').matchAll(/```javascript\n([\s\S]*?)```/g)].map((m) => m[1]!);
const SPECS = '/usr/share/doc/linux-doc-6.12/Documentation/netlink/specs';

function sandbox(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'nlkit-genl-readme-'));
  mkdirSync(path.join(dir, 'node_modules'));
  symlinkSync(root, path.join(dir, 'node_modules', 'nlkit'));
  return dir;
}

function save(dir: string, i: number, ns: string): string {
  const file = path.join(dir, `genl-${i}.mjs`);
  writeFileSync(file, examples[i]!.replaceAll(`'demo'`, `'${ns}'`));
  return file;
}

const run = (dir: string, file: string) => runSync(process.execPath, [file], { cwd: dir, timeout: 20_000 });

test('the README has the four generic netlink examples this test knows', () => {
  assert.equal(examples.length, 4);
  for (const code of examples) assert.match(code, /from 'nlkit\/genl'/);
});

test('README generic netlink examples run as written', async (t) => {
  if (!requireRoot(t)) return;
  const dir = sandbox();
  try {
    await withNetns(async (ns) => {
      ip(ns, 'link add veth0 type veth peer name veth1');

      await t.test('resolve a family', () => {
        const r = run(dir, save(dir, 0, ns));
        assert.equal(r.stderr, '');
        assert.match(r.stdout, /^ethtool id \d+ \d+ ops monitor\n$/);
      });

      await t.test('call commands', () => {
        const r = run(dir, save(dir, 1, ns));
        assert.equal(r.stderr, '');
        assert.match(r.stdout, /^veth0 link down, rx queues 1 of \d+\n$/);
      });

      await t.test('a family from its YNL spec', (tt) => {
        if (!existsSync(SPECS)) {
          tt.skip(`${SPECS} is missing`);
          return;
        }
        const r = run(dir, save(dir, 2, ns));
        assert.equal(r.stderr, '');
        assert.equal(r.stdout.trim().split('\n').length, 3, r.stdout); // lo, veth0, veth1
        assert.match(r.stdout, /basic/);
      });

      await t.test('subscribe to a group', async () => {
        await using genl = GenlClient.open({ netns: ns });
        const monitor = (await genl.resolve('ethtool')).groups.find((g) => g.name === 'monitor')!;
        const child = start(process.execPath, [save(dir, 3, ns)], { cwd: dir });
        // Ready once its socket has joined ethtool's monitor group; then one change is enough.
        await until(() => joined(child.pid, NETLINK_GENERIC, monitor.id, ns) || !child.running(), 'the example joined monitor');
        execFileSync('ip', ['netns', 'exec', ns, 'ethtool', '-K', 'veth0', 'tso', 'off']);
        const r = await child.exited;
        assert.equal(r.stderr, '');
        assert.equal(r.status, 0);
        assert.match(r.stdout, /^features-ntf veth0$/m);
      });
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

/** The README's `nlkit genl` and `nlkit ethtool` shell lines, as words (single quotes honoured). */
function shellLines(): string[][] {
  const text = readFileSync(path.join(root, 'README.md'), 'utf8');
  const out: string[][] = [];
  for (const m of text.matchAll(/```sh\n([\s\S]*?)```/g)) {
    for (const raw of m[1]!.split('\n')) {
      const line = raw.replace(/\s+#.*$/, '').trim();
      // A monitor runs until stopped: not a line to run here (genl-ctrl.test.ts runs it).
      if (!/^nlkit (genl|ethtool) /.test(line) || / monitor$/.test(line)) continue;
      out.push([...line.matchAll(/'([^']*)'|(\S+)/g)].map((w) => w[1] ?? w[2]!));
    }
  }
  return out;
}

test('README `nlkit genl` and `nlkit ethtool` lines run as written (in-process, in a namespace set up as the README says)', async (t) => {
  if (!requireRoot(t)) return;
  const lines = shellLines();
  assert.ok(lines.length >= 12, `${lines.length} lines`);
  const { run: genl } = await import('../src/cli/genl/index.js');
  const { run: ethtool } = await import('../src/cli/ethtool/index.js');
  await withNetns(async (ns) => {
    ip(ns, 'link add veth0 type veth peer name veth1');
    for (const words of lines) {
      if (!existsSync(SPECS) && words.some((w) => w.startsWith('--family') || w.includes(SPECS))) continue;
      const argv = words.slice(2).map((w) => (w === 'demo' ? ns : w));
      let out = '';
      let err = '';
      const io = { out: (s: string) => void (out += s), err: (s: string) => void (err += s) };
      const status = await (words[1] === 'genl' ? genl(argv, io) : ethtool(argv, io));
      assert.equal(status, 0, `${words.join(' ')}: ${err}`);
      assert.equal(err, '', words.join(' '));
      // Every line but a set prints something.
      if (!words.includes('-K') && !words.includes('newlink')) assert.ok(out.length > 0, words.join(' '));
    }
  });
});
