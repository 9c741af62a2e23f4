// `nlkit ip` as a drop-in for iproute2 in scripts: flush deletes what ip deletes, exit statuses
// are ip's, and a closed pipe ends it quietly. Each case runs the real `ip` on a namespace set
// up the same way and compares.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { ip, ipBatch, requireRoot, withNetns } from './helpers/netns.js';
import { nlkitIpMany, noDad, ordered } from './helpers/cli-ip.js';
import { CLI, cliEnv, nlkit } from './helpers/cli.js';

/**
 * Routes of both families, in every table: what a flush may have left. Sorted (links come up in
 * either order) and without the local routes of link-local addresses (random MACs).
 */
function routes(ns: string): string {
  const fams = [ip(ns, '-j -4 route show table all'), ip(ns, '-j -6 route show table all')];
  return ordered(fams.map((s) => (JSON.parse(s.trim() || '[]') as { dst: string }[])
    .filter((r) => !/^fe80::[^/]+$/.test(r.dst)).map((r) => JSON.stringify(r)).sort()));
}

const FLUSH_SETUP = [
  'link add v0 type veth peer name v1',
  'link set v0 up',
  'link set v1 up',
  'addr add 10.0.0.1/24 dev v0',
  'addr add 10.0.1.1/24 dev v1',
  'addr add 2001:db8::1/64 dev v0 nodad',
  'route add 10.5.0.0/16 via 10.0.0.2',
  'route add 10.6.0.0/16 via 10.0.1.2',
  'route add 10.7.0.0/16 via 10.0.0.2 table 100',
  'route add 2001:db8:5::/64 via 2001:db8::2',
  'route add 2001:db8:6::/64 dev v0 table 100',
];

test('route flush deletes what ip route flush deletes (IPv4 only under a table selector)', async (t) => {
  if (!requireRoot(t)) return;
  const cases = ['flush table main', 'flush dev v0', 'flush dev v0 table 100', 'flush table 100', 'flush table all', '-6 flush dev v0', '-4 flush table all'];
  const argvOf = (c: string) => {
    const words = c.split(' ');
    const opts = words[0]!.startsWith('-') ? [words.shift()!] : [];
    return [...opts, 'route', ...words];
  };
  // Two namespaces per case set up alike; ip flushes one, and nlkit's flushes of the others all
  // run in one process.
  const names: string[] = [];
  const hold: Promise<void>[] = [];
  let release!: () => void;
  const done = new Promise<void>((r) => (release = r));
  try {
    for (let i = 0; i < cases.length * 2; i++) {
      await new Promise<void>((ready) => {
        hold.push(withNetns(async (ns) => {
          noDad(ns);
          ipBatch(ns, FLUSH_SETUP);
          names.push(ns);
          ready();
          await done;
        }));
      });
    }
    const mine = nlkitIpMany(cases.map((c, i) => ['-n', names[2 * i + 1]!, ...argvOf(c)]));
    cases.forEach((c, i) => {
      const r = spawnSync('ip', ['-n', names[2 * i]!, ...argvOf(c)], { encoding: 'utf8' });
      assert.equal(r.status, 0, `ip ${c}: ${r.stderr}`);
      assert.equal(mine[i]!.status, 0, `nlkit ${c}: ${mine[i]!.stderr}`);
      assert.equal(routes(names[2 * i + 1]!), routes(names[2 * i]!), `route ${c}: nlkit left what ip left`);
    });
  } finally {
    release();
    await Promise.all(hold);
  }
});

// Bad command lines and refusals, each run by ip and by nlkit ip on the same namespace.
const STATUS_CASES = [
  'link show dev v9', 'link del v9', 'link set dev v9 up', 'neigh add 10.0.0.9 dev v9', 'addr show dev v9',
  'route add 10.0.0.0/33 dev v0', 'foo', 'link foo', 'neigh foo', 'rule foo', 'nexthop foo', 'netns foo', 'addr foo',
  'monitor foo', 'route add 1.2.3.0/24 via 9.9.9.9', 'addr add 10.0.0.1/24 dev v0', 'route get 300.1.1.1', '-zz link',
  'link add x type nosuchkind', 'route flush', 'route del 1.2.3.4/32', 'link set v0 mtu abc', '-n nlkit-no-such-ns link',
  'rule add table 999999999999', '-f foo link', 'route add 10.9.0.0/16 via', 'link set dev', 'route show table foo',
  '-b /nonexistent/batch', 'route get', 'link add',
  // help: ip prints the usage on stderr and exits 255 (or fails to parse `help` as a prefix)
  'help', '-help', 'link help', 'route help', 'address help', 'neigh help', 'rule help', 'nexthop help', 'netns help',
  'monitor help', 'route add help', 'link add help', 'link set help', 'route show help', 'route flush help',
  'neigh show help', 'address show help', 'nexthop show help', 'rule show help',
];

test('exit statuses and stderr are ip\'s for bad command lines and kernel refusals', async (t) => {
  if (!requireRoot(t)) return;
  await withNetns(async (ns) => {
    ipBatch(ns, ['link add v0 type veth peer name v1', 'link set v0 up', 'addr add 10.0.0.1/24 dev v0']);
    const wrong: string[] = [];
    const argvs = STATUS_CASES.map((c) => (c.startsWith('-n') ? c.split(' ') : ['-n', ns, ...c.split(' ')]));
    // nlkit's side of every case in one process (a start each was most of this file's CPU).
    const mine = nlkitIpMany(argvs);
    for (const [i, c] of STATUS_CASES.entries()) {
      const argv = argvs[i]!;
      const a = spawnSync('ip', argv, { encoding: 'utf8' });
      const b = mine[i]!;
      assert.notEqual(a.status, 0, `ip ${c} fails`);
      if (b.status !== a.status) wrong.push(`${c}: exit ${b.status}, ip ${a.status} (${b.stderr.split('\n')[0]})`);
      assert.doesNotMatch(b.stderr, /\n\s+at /, `${c}: no stack trace`);
      assert.equal(b.stdout, a.stdout, `${c}: stdout as ip's (usage goes to stderr)`);
      // Where ip's message is the kernel's text or names a device, nlkit's first line is the same.
      if (/^(Error: [A-Z]|RTNETLINK|Cannot find device|Device ")/.test(a.stderr) && !/argument/.test(a.stderr)) {
        assert.equal(b.stderr.split('\n')[0], a.stderr.split('\n')[0], `${c}: stderr`);
      }
    }
    assert.deepEqual(wrong, [], 'exit statuses as ip\'s');
    // -batch and -batch -force: a failed line makes the status 1; a line ip rejects with exit(-1) ends the batch with 255.
    const batches = [['link del v9', 'link show lo'], ['link foo', 'link show lo'], ['route add 1.2.3.0/24 via 9.9.9.9', 'link show lo']];
    for (const lines of batches) {
      for (const force of [[], ['-force']]) {
        const input = lines.join('\n') + '\n';
        const a = spawnSync('ip', ['-n', ns, ...force, '-batch', '-'], { encoding: 'utf8', input });
        const b = nlkit(['ip', '-n', ns, ...force, '-batch', '-'], { input });
        assert.equal(b.status, a.status, `${force.join('')} -batch ${lines[0]}: exit ${a.status} as ip (${b.stderr})`);
        assert.equal(b.stdout, a.stdout, `${force.join('')} -batch ${lines[0]}: stdout (lines after the failure run only with -force)`);
      }
    }
  });
});

test('a reader that closes the pipe ends nlkit ip by SIGPIPE, silently, as it ends ip', async (t) => {
  if (!requireRoot(t)) return;
  await withNetns(async (ns) => {
    // Enough output (about 300 kB of JSON) to fill the pipe after the reader has gone.
    const lines = ['link add d0 type veth peer name d1', 'link set d0 up'];
    for (let i = 0; i < 3000; i++) lines.push(`route add 10.${i >> 8}.${i & 255}.0/24 dev d0`);
    ipBatch(ns, lines);
    for (const args of [['-j', 'route', 'show'], ['route', 'show'], ['-j', '-p', 'route', 'show']]) {
      const statuses: string[] = [];
      for (const tool of [['ip'], [process.execPath, CLI, 'ip']]) {
        const cmd = [...tool, '-n', ns, ...args].map((w) => `'${w}'`).join(' ');
        // PIPESTATUS[0] is the writer's status: 141 (128 + SIGPIPE) when a signal ended it.
        const r = spawnSync('bash', ['-c', `${cmd} 2>/tmp/nlkit-sigpipe-$$ | head -c 10 >/dev/null; s=\${PIPESTATUS[0]}; cat /tmp/nlkit-sigpipe-$$ >&2; rm -f /tmp/nlkit-sigpipe-$$; echo $s`], { encoding: 'utf8', env: cliEnv() });
        assert.equal(r.stderr, '', `${tool.at(-1)} ${args.join(' ')} | head: nothing on stderr`);
        statuses.push(r.stdout.trim());
      }
      assert.equal(statuses[0], '141', `ip ${args.join(' ')} | head: ip dies of SIGPIPE`);
      assert.equal(statuses[1], statuses[0], `nlkit ip ${args.join(' ')} | head: status as ip's`);
    }
  });
});
