// `nlkit ethtool` against the ethtool tool (6.1) on a veth, a tap and a bridge in one throwaway
// namespace: stdout, stderr and exit status of each command compared byte for byte — shows
// (-k, --json -k, -l, -c, -g, -a, and -i/-S through the ioctl), sets (-K, -L, -C, -G, -A, -s) with the state they leave
// behind read back by ethtool, refusals ("netlink error: …" with the extended ACK's offset)
// and bad command lines. Commands run in-process (run() with captured output, as main.ts
// reports errors); one run of the shipped CLI checks the same from outside.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { test } from 'node:test';
import { run as ethtool } from '../src/cli/ethtool/index.js';
import { reportError } from '../src/cli/errors.js';
import { NetlinkSocket, SocketError } from '../src/socket/index.js';
import { nlkit } from './helpers/cli.js';
import { ip, requireRoot, requireTool, withNetns } from './helpers/netns.js';

interface Ran {
  status: number;
  out: string;
}

/** The ethtool tool in the namespace: stdout and stderr together (each in order), and its status. */
function theirs(ns: string, args: string[]): Ran {
  const r = spawnSync('ip', ['netns', 'exec', ns, 'ethtool', ...args], { encoding: 'utf8' });
  return { status: r.status ?? -1, out: r.stdout + r.stderr };
}

/** Many ethtool runs in one shell in the namespace (one `ip netns exec` for all): each one's output and status. */
function theirsAll(ns: string, cases: string[][]): Ran[] {
  const q = (w: string) => `'${w.replace(/'/g, `'\\''`)}'`;
  const script = cases.map((args) => `ethtool ${args.map(q).join(' ')} 2>&1; echo "@@rc=$?"`).join('\n');
  const r = spawnSync('ip', ['netns', 'exec', ns, 'sh', '-c', script], { encoding: 'utf8' });
  const parts = r.stdout.split(/@@rc=(\d+)\n/);
  return cases.map((_, i) => ({ out: parts[2 * i]!, status: Number(parts[2 * i + 1]) }));
}

/** nlkit ethtool in this process, as main.ts would end it: stdout and stderr in the order written. */
async function ours(ns: string, args: string[]): Promise<Ran> {
  let out = '';
  const write = (s: string) => void (out += s);
  try {
    return { status: await ethtool(['--netns', ns, ...args], { out: write, err: write }), out };
  } catch (e) {
    return { status: reportError(e, write), out };
  }
}

test('nlkit ethtool prints, sets and refuses as ethtool does (veth, tap, bridge)', async (t) => {
  if (!requireRoot(t) || !requireTool(t, 'ethtool')) return;
  await withNetns(async (ns) => {
    ip(ns, 'link add va type veth peer name vb');
    ip(ns, 'link add br9 type bridge');
    ip(ns, 'tuntap add dev tp0 mode tap');
    // Shows, and lines ethtool refuses: the same text and status, case by case.
    const shows = [
      ['va'], ['tp0'], ['br9'], ['lo'], ['nosuchdev'],
      ['-k', 'va'], ['-k', 'br9'], ['-k', 'tp0'], ['--json', '-k', 'va'], ['--show-features', 'tp0'],
      ['-l', 'va'], ['-l', 'tp0'], ['-c', 'tp0'], ['-c', 'va'], ['-g', 'va'], ['-a', 'va'], ['-a', 'tp0'],
      ['-k', 'nosuchdev'], ['-l', 'nosuchdev'],
      // Driver information and statistics: the SIOCETHTOOL ioctl, as ethtool.
      ['-i', 'va'], ['-i', 'br9'], ['-i', 'tp0'], ['-i', 'nosuchdev'], ['-S', 'va'], ['-S', 'tp0'], ['-S', 'nosuchdev'],
      ['-G', 'va', 'foo', '1'], ['-G', 'va', 'rx', 'abc'], ['-G', 'va', 'rx'], ['-A', 'va', 'rx', 'maybe'],
      ['-L', 'va', 'rx', '4294967296'], ['-L', 'va', 'rx', '-1'], ['-K', 'va', 'tso'], ['-K', 'va', 'tso', 'maybe'],
      ['-k'], ['-k', 'va', 'extra'], ['-s', 'va', 'duplex', 'bogus'], ['-C', 'va', 'rx-usecs', 'x'], ['-x'], ['--bogus', 'va'],
      ['--json', '-l', 'va'],
      // The kernel refuses: extack message with its offset, then strerror; each command's status.
      ['-C', 'va', 'rx-usecs', '10'], ['-A', 'va', 'rx', 'on'], ['-G', 'va', 'rx', '10'], ['-s', 'va', 'speed', '100'], ['-s', 'va', 'msglvl', '5'],
      ['-L', 'va', 'rx', '9'], ['-K', 'va', 'nosuch', 'on'],
    ];
    const expected = theirsAll(ns, shows);
    for (const [i, args] of shows.entries()) assert.deepEqual(await ours(ns, args), expected[i], args.join(' '));

    // Sets: nlkit changes one of two like devices (va, tp0), ethtool the other (vb, tp1); the
    // same output, and the same state after, as ethtool reads it.
    ip(ns, 'tuntap add dev tp1 mode tap');
    const sets: [string[], string[]][] = [
      [['-K', 'DEV', 'tso', 'off', 'gro', 'on'], ['-k', 'DEV']],
      [['-K', 'DEV', 'tx', 'off'], ['-k', 'DEV']],
      [['-K', 'DEV', 'tx', 'on'], ['-k', 'DEV']],
      [['-K', 'DEV', 'rx-gro-list', 'on', 'highdma', 'off'], ['-k', 'DEV']],
      [['-L', 'DEV', 'rx', '2', 'tx', '2'], ['-l', 'DEV']],
    ];
    const tapSets: [string[], string[]][] = [
      [['-C', 'DEV', 'rx-frames', '10'], ['-c', 'DEV']],
      [['-s', 'DEV', 'speed', '100', 'duplex', 'full'], ['DEV']],
      [['-s', 'DEV', 'msglvl', '5'], ['DEV']],
    ];
    const on = (args: string[], dev: string) => args.map((w) => (w === 'DEV' ? dev : w));
    for (const [[set, show], [mine, other]] of [...sets.map((x) => [x, ['va', 'vb']] as const), ...tapSets.map((x) => [x, ['tp0', 'tp1']] as const)]) {
      const [before] = theirsAll(ns, [on(show, mine)]);
      const a = await ours(ns, on(set, mine));
      const [b, after, afterOther] = theirsAll(ns, [on(set, other), on(show, mine), on(show, other)]);
      assert.deepEqual(a, b, set.join(' '));
      assert.equal(after!.out.replaceAll(mine, other), afterOther!.out, `state after ${set.join(' ')}`);
      assert.notEqual(after!.out, before!.out, `${set.join(' ')} changed something`);
    }
    // The ioctl takes only the four commands netlink lacks, and only with room for the answer.
    await using sock = NetlinkSocket.open(16, { netns: ns });
    const bad = (cmd: number, len: number, count = 0) => {
      const b = new Uint8Array(len);
      new DataView(b.buffer).setUint32(0, cmd, true);
      new DataView(b.buffer).setUint32(4, count, true);
      return () => sock.ethtoolIoctl('va', b);
    };
    assert.throws(bad(0x01 /* ETHTOOL_GSET */, 64), (e: SocketError) => e.code === 'EINVAL');
    assert.throws(bad(0x1d /* ETHTOOL_GSTATS */, 16, 10), (e: SocketError) => e.code === 'EINVAL', 'n_stats 10 needs 88 bytes');
    assert.throws(bad(0x03 /* ETHTOOL_GDRVINFO */, 100), (e: SocketError) => e.code === 'EINVAL');
    // The shipped CLI: the same bytes and status from outside.
    const cli = nlkit(['ethtool', '--netns', ns, '-L', 'va', 'rx', '9']);
    const them = theirs(ns, ['-L', 'va', 'rx', '9']);
    assert.equal(cli.stderr, them.out);
    assert.equal(cli.status, them.status);
  });
});
