// The README's "Bridge, neighbour tables and address labels" block runs as written: saved as an
// .mjs file where `nlkit` resolves to this package, in a throwaway namespace with a bridge br0
// (multicast snooping on, up) and its port v0, printing what its comments promise; bridge and
// ip then show what it made, and `nlkit bridge monitor` prints the changes as `bridge monitor` does.
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { test } from 'node:test';
import { joined, start, startNlkit, until } from './helpers/cli.js';
import { ip, requireRoot, requireTool, withNetns } from './helpers/netns.js';
import { RTNLGRP } from '../src/route/index.js';
import { NETLINK_ROUTE } from '../src/wire/index.js';

const root = fileURLToPath(new URL('../../', import.meta.url));

function example(): string {
  const readme = readFileSync(path.join(root, 'README.md'), 'utf8');
  const at = readme.indexOf('### Bridge, neighbour tables and address labels');
  assert.ok(at >= 0, 'the README has the bridge section');
  const m = /```ts\n([\s\S]*?)```/.exec(readme.slice(at));
  assert.ok(m, 'the section has a ts block');
  return m[1]!;
}

test('README: bridge, neighbour tables and address labels run as written', async (t) => {
  if (!requireRoot(t) || !requireTool(t, 'bridge') || !requireTool(t, 'stdbuf')) return;
  const dir = mkdtempSync(path.join(tmpdir(), 'nlkit-bridge-readme-'));
  try {
    mkdirSync(path.join(dir, 'node_modules'));
    symlinkSync(root, path.join(dir, 'node_modules', 'nlkit'));
    await withNetns(async (ns) => {
      ip(ns, 'link add br0 type bridge mcast_snooping 1');
      ip(ns, 'link add v0 type veth peer name v0p');
      ip(ns, 'link set v0 master br0');
      for (const d of ['br0', 'v0', 'v0p']) ip(ns, `link set ${d} up`);
      const code = example();
      const promised = [...code.matchAll(/\/\/ (\S.*)$/gm)].map((m) => m[1]!).filter((c) => !/^(bridge|ip) /.test(c));
      const file = path.join(dir, 'bridge.mjs');
      writeFileSync(file, code.replaceAll(`'demo'`, `'${ns}'`));
      // `bridge monitor` and `nlkit bridge monitor` watch the example: the same lines about what it changed.
      // (bridge does not flush its MDB lines into a pipe: stdbuf makes its stdout line-buffered.)
      const theirs = start('stdbuf', ['-oL', 'bridge', '-n', ns, 'monitor']), mine = startNlkit(['bridge', '-n', ns, 'monitor']);
      try {
        for (const m of [theirs, mine]) await until(() => joined(m.pid, NETLINK_ROUTE, RTNLGRP.MDB, ns), 'the monitor joined RTNLGRP_MDB');
        const r = spawnSync(process.execPath, [file], { cwd: dir, encoding: 'utf8', timeout: 20_000 });
        assert.equal(r.stderr, '');
        assert.equal(r.stdout, promised.map((c) => `${c}\n`).join(''));
        for (const m of [theirs, mine]) await m.waitFor('out', /grp 239\.1\.1\.1 permanent\n/);
      } finally {
        await Promise.all([theirs.stop(), mine.stop()]);
      }
      const about = (text: string) => text.split('\n').filter((l) => /02:00:00:00:00:01|239\.1\.1\.1|v0@v0p: .* cost 10 /.test(l));
      const lines = about(theirs.stdout());
      assert.equal(lines.length, 3, theirs.stdout());
      assert.deepEqual(about(mine.stdout()), lines);
      const fdb = execFileSync('bridge', ['-n', ns, 'fdb', 'show', 'br', 'br0'], { encoding: 'utf8' });
      assert.match(fdb, /^02:00:00:00:00:01 dev v0 master br0 static$/m);
      assert.match(execFileSync('bridge', ['-n', ns, 'mdb', 'show'], { encoding: 'utf8' }), /^dev br0 port v0 grp 239\.1\.1\.1 permanent$/m);
      assert.match(execFileSync('bridge', ['-n', ns, '-d', 'link', 'show', 'dev', 'v0'], { encoding: 'utf8' }), /cost 10 [\s\S]* learning off /);
      assert.match(ip(ns, 'addrlabel list'), /^prefix 2001:db8::\/32 label 99 $/m);
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
