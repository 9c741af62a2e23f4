// Conntrack expectations, updates and statistics against the real kernel, in a namespace of the
// test's own, with the conntrack tool (in the same namespace) as the oracle: an expectation nlkit
// creates on a connection with the ftp helper and one `conntrack -I expect` creates are listed
// by nlkit as `conntrack -L expect` lists them, get/delete/flush agree, a new one arrives as an
// event; `nlkit conntrack -U` changes the mark `conntrack -L` then shows (and exits 1 when it
// changed nothing, as conntrack does); -S, -S expect and -C print what conntrack prints; the
// README's expectations block runs as written.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import {
  createConntrack, createExpect, deleteExpect, dumpConntrack, dumpConntrackStats, dumpConntrackText, dumpExpect, formatConntrack, expectEvents, flushExpect, formatExpect,
  getConntrackCount, getExpect, type ExpectEvent, type Tuple,
} from '../src/netfilter/index.js';
import { cliEnv, nlkit } from './helpers/cli.js';
import { requireRoot, requireTool, withNetns } from './helpers/netns.js';

/** Runs `conntrack ARGS…` in `ns`: its status, stdout and stderr. */
function conntrack(ns: string, args: string[]): { status: number | null; stdout: string; stderr: string } {
  return spawnSync('ip', ['netns', 'exec', ns, 'conntrack', ...args], { encoding: 'utf8' });
}
/** An expectation line without its timeout (first field), which counts down between listings. */
const untimed = (line: string) => line.trim().split(/\s+/).slice(1).join(' ');
const lines = (s: string) => s.trim().split('\n').filter(Boolean);

const master = (sport: number): Tuple => ({ src: '10.0.0.1', dst: '10.0.0.2', protocol: 6, sport, dport: 21 });

test('conntrack expectations, -U, -S and -C agree with the conntrack tool', { timeout: 60_000 }, async (t) => {
  if (!requireRoot(t) || !requireTool(t, 'conntrack')) return;
  await withNetns(async (ns) => {
    const o = { netns: ns };
    // Listening first: the kernel gives a connection its event cache (which expectation events
    // of that master need) only while someone listens (nf_conntrack_events=2).
    const events = expectEvents(['new'], o);
    const it = events[Symbol.asyncIterator]();
    // Two masters with the ftp helper (it allows one expectation each), and a plain entry.
    try {
      for (const sport of [40000, 40001]) await createConntrack({ orig: master(sport), timeout: 300, tcpState: 'ESTABLISHED', helper: 'ftp' }, o);
    } catch (e) {
      events.close();
      if (['EOPNOTSUPP', 'ENOENT', 'EAGAIN'].includes((e as { code?: string }).code ?? '')) return t.skip(`the ftp conntrack helper is not available here (${(e as Error).message})`);
      throw e;
    }
    await createConntrack({ orig: { src: '10.0.0.3', dst: '10.0.0.4', protocol: 17, sport: 53, dport: 5353 }, timeout: 300, mark: 1 }, o);
    // nlkit conntrack -L's lines straight from the datagrams are formatConntrack's lines (timeouts aside: they tick).
    const noTimeout = (l: string) => l.split(' ').filter((w, i, a) => !(/^\d+$/.test(w) && /^\d+$/.test(a[i - 1] ?? ''))).join(' ');
    assert.deepEqual((await dumpConntrackText({}, o).toArray()).map(noTimeout),
      (await dumpConntrack({}, o).toArray()).map(formatConntrack).map(noTimeout));

    // One expectation made by nlkit (seen as an event), one by conntrack -I expect.
    const expected: Tuple = { src: '10.0.0.2', dst: '10.0.0.1', protocol: 6, sport: 0, dport: 50000 };
    await createExpect({
      master: master(40000), tuple: expected, timeout: 200,
      mask: { src: '255.255.255.255', dst: '255.255.255.255', protocol: 6, sport: 0, dport: 0xffff },
    }, o);
    const ev = (await it.next()).value as ExpectEvent;
    events.close();
    assert.equal(ev.event, 'new');
    assert.deepEqual(ev.expect.tuple, expected);
    assert.deepEqual(ev.expect.master, master(40000));
    assert.equal(ev.expect.helper, 'ftp');
    const made = conntrack(ns, ['-I', 'expect', '-p', 'tcp', '-s', '10.0.0.1', '-d', '10.0.0.2', '--sport', '40001', '--dport', '21',
      '--tuple-src', '10.0.0.2', '--tuple-dst', '10.0.0.1', '--mask-src', '255.255.255.255', '--mask-dst', '255.255.255.255',
      '--tuple-port-src', '0', '--tuple-port-dst', '50001', '--mask-port-src', '0', '--mask-port-dst', '65535', '-t', '200']);
    assert.equal(made.status, 0, made.stderr);

    const theirs = conntrack(ns, ['-L', 'expect']);
    const ours = (await dumpExpect({}, o).toArray()).map(formatExpect);
    assert.equal(ours.length, 2);
    assert.deepEqual(ours.map(untimed).sort(), lines(theirs.stdout).map(untimed).sort());
    assert.match(theirs.stderr, /2 expectations have been shown/);
    const cli = nlkit(['conntrack', '-L', 'expect', '--netns', ns]);
    assert.equal(cli.status, 0, cli.stderr);
    assert.deepEqual(lines(cli.stdout).map(untimed).sort(), ours.map(untimed).sort());
    assert.match(cli.stderr, /: 2 expectations have been shown\.\n$/);
    const got = await getExpect(expected, o);
    assert.equal(untimed(formatExpect(got)), untimed(ours.find((l) => l.includes('dport=50000'))!));

    // -U: select by the tuple options, set the mark; conntrack -L shows it. Again: nothing changes, exit 1.
    const up = nlkit(['conntrack', '-U', '-p', 'udp', '--sport', '53', '--mark', '5', '--netns', ns]);
    assert.equal(up.status, 0, up.stderr);
    assert.match(up.stdout, /^udp +17 \d+ src=10\.0\.0\.3 .* mark=5 /);
    assert.match(up.stderr, /: 1 flow entries have been updated\.\n$/);
    assert.match(conntrack(ns, ['-L', '-p', 'udp']).stdout, /src=10\.0\.0\.3 dst=10\.0\.0\.4 sport=53 dport=5353 .* mark=5 /);
    const again = nlkit(['conntrack', '-U', '-p', 'udp', '--sport', '53', '--mark', '5', '--netns', ns]);
    const toolAgain = conntrack(ns, ['-U', '-p', 'udp', '--sport', '53', '--mark', '5']);
    assert.equal(again.status, toolAgain.status);
    assert.equal(again.status, 1);
    assert.match(again.stderr, /: 0 flow entries have been updated\.\n$/);

    // -S, -S expect, -C: the same counts (nothing runs in this namespace meanwhile).
    for (const args of [['-S'], ['-S', 'expect'], ['-C']]) {
      const a = nlkit(['conntrack', ...args, '--netns', ns]);
      assert.equal(a.status, 0, a.stderr);
      assert.equal(a.stdout, conntrack(ns, args).stdout, args.join(' '));
    }
    const cpus = await dumpConntrackStats(o).toArray();
    assert.ok(cpus.length >= 1 && cpus.every((c, i) => c.cpu === i && c.found !== undefined));
    assert.equal(cpus.reduce((n, c) => n + (c.insert ?? 0), 0), 3); // the three entries made above
    assert.equal((await getConntrackCount(o)).entries, 3);

    // Delete one, flush the rest: conntrack sees them go.
    await deleteExpect(expected, o);
    assert.deepEqual(lines(conntrack(ns, ['-L', 'expect']).stdout).map((l) => l.includes('dport=50000')), [false]);
    await assert.rejects(getExpect(expected, o), { code: 'ENOENT' });
    await flushExpect(undefined, o);
    assert.equal(conntrack(ns, ['-L', 'expect']).stdout, '');
  });
});

test('README: the expectations and statistics block runs as written', { timeout: 60_000 }, async (t) => {
  if (!requireRoot(t)) return;
  const root = fileURLToPath(new URL('../../', import.meta.url));
  const readme = readFileSync(path.join(root, 'README.md'), 'utf8');
  const block = [...readme.matchAll(/```ts\n([\s\S]*?)```/g)].map((m) => m[1]!).find((b) => b.includes('createExpect('));
  assert.ok(block, 'the README has a block with createExpect()');
  const dir = mkdtempSync(path.join(tmpdir(), 'nlkit-exp-readme-'));
  try {
    mkdirSync(path.join(dir, 'node_modules'));
    symlinkSync(root, path.join(dir, 'node_modules', 'nlkit'));
    await withNetns(async (ns) => {
      writeFileSync(path.join(dir, 'exp.mjs'), block.replaceAll(`'demo'`, `'${ns}'`));
      const r = spawnSync(process.execPath, ['exp.mjs'], { cwd: dir, encoding: 'utf8', env: cliEnv() });
      assert.equal(r.stderr, '');
      assert.equal(r.status, 0);
      const [exp, count, ...cpus] = lines(r.stdout);
      assert.match(exp!, /^(299|300) proto=6 src=10\.0\.0\.2 dst=10\.0\.0\.1 sport=0 dport=50000 mask-src=255\.255\.255\.255 mask-dst=255\.255\.255\.255 sport=0 dport=65535 master-src=10\.0\.0\.1 master-dst=10\.0\.0\.2 sport=40000 dport=21 class=0 helper=ftp$/);
      assert.equal(count, '1');
      assert.deepEqual(cpus.map((l) => l.replace(/\s+$/, '')), lines(conntrack(ns, ['-S']).stdout).map((l) => l.replace(/\s+$/, '')));
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
