// The README's examples run as written. Each ```js block is saved as a .mjs file in a temp
// directory where `nlkit` resolves to this package, the namespace name 'demo' is replaced by a
// throwaway namespace set up as the README says, and the output is checked.
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { test } from 'node:test';
import { joined, runSync, start, until } from './helpers/cli.js';
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

const run = (dir: string, file: string) => runSync(process.execPath, [file], { cwd: dir, timeout: 20_000 });

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
        const child = start(process.execPath, [save(dir, 2, ns)], { cwd: dir });
        // Ready once its socket in the namespace has joined RTNLGRP_LINK (group 1).
        await until(() => joined(child.pid, 0 /* NETLINK_ROUTE */, 1, ns) || !child.running(), 'the listener joined its group');
        ip(ns, 'link add veth2 type veth peer name veth3');
        const r = await child.exited;
        assert.equal(r.status, 0, r.stderr);
        assert.match(r.stdout, /^link event 16 from group 1$/m);
      });

      await t.test('pcap capture', () => {
        const r = run(dir, save(dir, 3, ns));
        assert.equal(r.stderr, '');
        assert.match(r.stdout, /^\d+ links captured in links\.pcap\n$/);
        assert.ok(existsSync(path.join(dir, 'links.pcap')));
        if (hasTool('tshark')) {
          const v = runSync('tshark', ['-r', path.join(dir, 'links.pcap'), '-V']);
          assert.match(v.stdout, /Linux rtnetlink \(route netlink\) protocol/);
        }
      });
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
