// The README's examples run as written. Each ```js block is saved as a .mjs file in a temp
// directory where `nlkit` resolves to this package, the namespace name 'demo' is replaced by a
// throwaway namespace set up as the README says, and the output is checked.
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { hasTool, ip, requireRoot, withNetns } from './helpers/netns.js';

const root = fileURLToPath(new URL('../../', import.meta.url));
const examples = [...readFileSync(path.join(root, 'README.md'), 'utf8').matchAll(/```js\n([\s\S]*?)```/g)].map((m) => m[1]!);

/** A temp dir where `import … from 'nlkit'` loads this package. */
function sandbox(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'nlkit-readme-'));
  mkdirSync(path.join(dir, 'node_modules'));
  symlinkSync(root, path.join(dir, 'node_modules', 'nlkit'));
  return dir;
}

function save(dir: string, i: number, ns: string): string {
  const file = path.join(dir, `example-${i}.mjs`);
  writeFileSync(file, examples[i]!.replaceAll(`'demo'`, `'${ns}'`));
  return file;
}

const run = (dir: string, file: string) => spawnSync(process.execPath, [file], { cwd: dir, encoding: 'utf8', timeout: 20_000 });

test('the README has the four examples this test knows', () => {
  assert.equal(examples.length, 4);
  for (const code of examples) assert.match(code, /from 'nlkit'/);
});

test('README examples run as written', async (t) => {
  if (!requireRoot(t)) return;
  const dir = sandbox();
  try {
    await withNetns(async (ns) => {
      ip(ns, 'link add veth0 type veth peer name veth1'); // the README's set-up line

      await t.test('dump links in a namespace', () => {
        const r = run(dir, save(dir, 0, ns));
        assert.equal(r.stderr, '');
        assert.deepEqual(r.stdout.trim().split('\n').sort(), ['lo', 'veth0', 'veth1']);
      });

      await t.test('catch NetlinkError', () => {
        const r = run(dir, save(dir, 1, ns));
        assert.equal(r.stderr, '');
        assert.equal(r.stdout, 'EOPNOTSUPP 95 Unknown device type\n');
      });

      await t.test('listen for events', async () => {
        const child = spawn(process.execPath, [save(dir, 2, ns)], { cwd: dir });
        let out = '';
        let err = '';
        child.stdout.on('data', (d: Buffer) => (out += d));
        child.stderr.on('data', (d: Buffer) => (err += d));
        const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
        await sleep(500); // the listener has joined its group by now
        ip(ns, 'link add veth2 type veth peer name veth3');
        assert.equal(await exited, 0, err);
        assert.match(out, /^link event 16 from group 1$/m);
      });

      await t.test('pcap capture', () => {
        const r = run(dir, save(dir, 3, ns));
        assert.equal(r.stderr, '');
        assert.match(r.stdout, /^\d+ links captured in links\.pcap\n$/);
        assert.ok(existsSync(path.join(dir, 'links.pcap')));
        if (hasTool('tshark')) {
          const v = spawnSync('tshark', ['-r', path.join(dir, 'links.pcap'), '-V'], { encoding: 'utf8' });
          assert.match(v.stdout, /Linux rtnetlink \(route netlink\) protocol/);
        }
      });
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
