// The README's `nlkit ip` block runs as written: `nlkit` is this package's CLI (a shim on PATH)
// and the namespace name is replaced by one of the test's own.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { netnsName, requireRoot } from './helpers/netns.js';
import { CLI, cliEnv } from './helpers/cli.js';

const root = fileURLToPath(new URL('../../', import.meta.url));

/** The first ```sh block of the README's "### `nlkit ip`" section. */
function block(): string {
  const readme = readFileSync(path.join(root, 'README.md'), 'utf8');
  const at = readme.indexOf('### `nlkit ip`');
  assert.ok(at >= 0, 'the README has an nlkit ip section');
  const m = /```sh\n([\s\S]*?)```/.exec(readme.slice(at));
  assert.ok(m, 'the section has a sh block');
  return m[1]!;
}

test('the README\'s nlkit ip block runs as written', (t) => {
  if (!requireRoot(t)) return;
  const ns = netnsName();
  const dir = mkdtempSync(path.join(tmpdir(), 'nlkit-ip-readme-'));
  try {
    const shim = path.join(dir, 'nlkit');
    writeFileSync(shim, `#!/bin/sh\nexec "${process.execPath}" "${CLI}" "$@"\n`);
    chmodSync(shim, 0o755);
    // The README gives the monitor a second (`& sleep 1`) to join RTNLGRP_IPV4_ROUTE; here the
    // shell waits for the join itself (an rtnetlink socket in the namespace with group 7's bit,
    // 0x40, in /proc/net/netlink), however long a loaded machine takes.
    const joined = `ip netns exec ${ns} cat /proc/net/netlink | awk '$2 == 0 && $4 ~ /[4-7c-f].$/ { f = 1 } END { exit !f }'`;
    // It stops waiting if the monitor is gone (its 2 s ran out first): then the assertion on the
    // deletion fails instead of the block hanging.
    // Likewise its 2 s are a hang guard here, not a window: the monitor writes to a file and is
    // stopped once it has printed the deletion (or has died), so a slow start cannot lose it.
    const out = path.join(dir, 'monitor.out');
    assert.ok(/timeout --preserve-status 2 (nlkit [^&\n]*monitor route) & sleep 1\n/.test(block()), 'the block starts the monitor under timeout 2 with & sleep 1');
    assert.ok(block().includes('\nwait\n'), 'and waits for it');
    const script = block()
      .replace(/timeout --preserve-status 2 (nlkit [^&\n]*monitor route) & sleep 1\n/, `timeout --preserve-status 120 $1 > ${out} & mon=$!\nuntil ${joined} || ! kill -0 $mon 2>/dev/null; do sleep 0.02; done\n`)
      .replace('\nwait\n', `\nuntil grep -q '"deleted":true' ${out} || ! kill -0 $mon 2>/dev/null; do sleep 0.02; done; kill $mon 2>/dev/null; wait; cat ${out}\n`)
      .replaceAll('demo-ip', ns);
    const r = spawnSync('bash', ['-c', script], {
      encoding: 'utf8', env: { ...cliEnv(), PATH: `${dir}:${process.env.PATH}` }, timeout: 120_000, // a hang guard: 13 CLI starts on a loaded machine
    });
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /^v0@v1 +[A-Z]+ +10\.0\.0\.1\/24 /m, '-br address');
    const pretty = /^\[ \{\n[\s\S]*?\n {4}\} \]\n/m.exec(r.stdout);
    assert.ok(pretty, '-j -p route show table all');
    const routes = JSON.parse(pretty[0]) as { dst: string; nexthops?: { weight: number }[] }[];
    assert.deepEqual(routes.find((x) => x.dst === '10.2.0.0/16')?.nexthops?.map((n) => n.weight), [2, 1]);
    assert.match(r.stdout, /^3: v0@v1: <[A-Z_,-]*UP[A-Z_,-]*>[^\n]*\n {4}link\/ether [^\n]* promiscuity 0 [^\n]*\n {4}veth addrgenmode /m, '-d link show');
    assert.match(r.stderr, /^Error: Unknown device type\.\n/m);
    assert.match(r.stdout, /^exit 2$/m);
    const event = r.stdout.split('\n').find((l) => l.startsWith('{"object":"route","deleted":true'));
    assert.ok(event, 'the monitor printed the deletion');
    assert.equal(JSON.parse(event).dst, '10.1.0.0/16');
    assert.ok(!existsSync(`/run/netns/${ns}`), 'the namespace is gone');
  } finally {
    if (existsSync(`/run/netns/${ns}`)) spawnSync('ip', ['netns', 'del', ns], { stdio: 'ignore' });
    rmSync(dir, { recursive: true, force: true });
  }
});
