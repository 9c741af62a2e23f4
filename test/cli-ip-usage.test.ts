// The grammar of `nlkit ip` without the kernel (option and object abbreviations in ip's order,
// ip's JSON layout, batch lines), hostile command lines (a clear message and ip's exit status, never a
// stack trace), random argument soup run in a throwaway namespace, and `nlkit ip addr` on this
// host (read-only) against `ip -j addr`.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { hasTool, requireRoot, withNetns } from './helpers/netns.js';
import { mask, nlkitIpMany, ordered } from './helpers/cli-ip.js';
import { cliEnv, nlkit } from './helpers/cli.js';
import { parseOptions, resolveObject, splitBatchLine } from '../src/cli/ip/index.js';
import { matches } from '../src/cli/ip/argv.js';
import { Output, RawJson, StringSink } from '../src/cli/ip/output.js';

test('matches() is ip\'s prefix match', () => {
  const cases: [string | undefined, string, boolean][] = [
    ['a', 'address', true], ['addr', 'address', true], ['address', 'address', true], ['addresss', 'address', false],
    ['', 'address', false], [undefined, 'address', false], ['x', 'address', false],
  ];
  for (const [arg, kw, want] of cases) assert.equal(matches(arg, kw), want, `${arg} / ${kw}`);
});

test('objects resolve by abbreviation in ip\'s order', () => {
  const want: Record<string, string> = {
    a: 'address', addr: 'address', r: 'route', ro: 'route', ru: 'rule', l: 'link', li: 'link', n: 'neigh', ne: 'neigh',
    neighbor: 'neigh', neighbour: 'neigh', mo: 'monitor', net: 'netns', netns: 'netns', nex: 'nexthop', nexthop: 'nexthop',
    nh: 'nexthop',
  };
  for (const [w, name] of Object.entries(want)) assert.equal(resolveObject(w).name, name, w);
  assert.equal(resolveObject('m').name, 'maddress');
  assert.throws(() => resolveObject('l2tp'), /Object "l2tp" is not supported/);
  assert.throws(() => resolveObject('foo'), /Object "foo" is unknown/);
});

test('global options parse like ip\'s', () => {
  const { opts, rest } = parseOptions(['-j', '-p', '-d', '-s', '-s', '-4', '-n', 'ns1', '-br', '-o', 'route', 'show']);
  assert.deepEqual(
    [opts.json, opts.pretty, opts.details, opts.stats, opts.family, opts.netns, opts.brief, opts.oneline],
    [true, true, 1, 2, 4, 'ns1', true, true],
  );
  assert.deepEqual(rest, ['route', 'show']);
  assert.equal(parseOptions(['--netns', 'x', '-6', 'a']).opts.netns, 'x');
  assert.equal(parseOptions(['-6', 'a']).opts.family, 6);
  assert.equal(parseOptions(['-0', 'a']).opts.family, 17);
  assert.equal(parseOptions(['-f', 'inet6', 'a']).opts.family, 6);
  assert.equal(parseOptions(['-ts', 'monitor']).opts.timestamp, 2);
  assert.equal(parseOptions(['-t', 'monitor']).opts.timestamp, 1);
  assert.equal(parseOptions(['-json', '-stat', '-details', 'l']).opts.json, true);
  assert.throws(() => parseOptions(['-x', 'link']), /Option "-x" is unknown/);
  assert.throws(() => parseOptions(['-n']), /needs an argument/);
  assert.throws(() => parseOptions(['-n', '../etc', 'link']), /Invalid netns name/);
});

test('JSON is laid out like iproute2\'s writer, plain and -p', () => {
  const emit = (pretty: boolean) => {
    const sink = new StringSink();
    const o = new Output({ json: true, pretty, sink });
    o.begin();
    o.openObject();
    o.field('ifindex', 1);
    o.field('ifname', 'lo "quoted"');
    o.openArray('flags');
    o.item('UP');
    o.item('LOWER_UP');
    o.closeArray();
    o.openArray('empty');
    o.closeArray();
    o.openObject('linkinfo');
    o.field('info_kind', 'veth');
    o.field('timer', new RawJson('0.00'));
    o.field('n', null);
    o.closeObject();
    o.openArray('addr_info');
    o.openObject();
    o.field('local', '::1');
    o.closeObject();
    o.openObject();
    o.closeObject();
    o.closeArray();
    o.closeObject();
    o.openObject();
    o.closeObject();
    void o.end();
    return sink.text;
  };
  assert.equal(emit(false),
    '[{"ifindex":1,"ifname":"lo \\"quoted\\"","flags":["UP","LOWER_UP"],"empty":[],"linkinfo":{"info_kind":"veth","timer":0.00,"n":null},' +
    '"addr_info":[{"local":"::1"},{}]},{}]\n');
  assert.equal(emit(true), [
    '[ {',
    '        "ifindex": 1,',
    '        "ifname": "lo \\"quoted\\"",',
    '        "flags": [ "UP","LOWER_UP" ],',
    '        "empty": [ ],',
    '        "linkinfo": {',
    '            "info_kind": "veth",',
    '            "timer": 0.00,',
    '            "n": null',
    '        },',
    '        "addr_info": [ {',
    '                "local": "::1"',
    '            },{} ]',
    '    },{} ]',
    '',
  ].join('\n'));
  const empty = new StringSink();
  const o = new Output({ json: true, pretty: true, sink: empty });
  o.begin();
  void o.end();
  assert.equal(empty.text, '[ ]\n');
});

test('batch lines split like iproute2\'s makeargs', () => {
  assert.deepEqual(splitBatchLine('link set v0 alias "a b"  # comment'), ['link', 'set', 'v0', 'alias', 'a b']);
  assert.deepEqual(splitBatchLine("route add 10.0.0.0/8 dev 'x y'"), ['route', 'add', '10.0.0.0/8', 'dev', 'x y']);
  assert.deepEqual(splitBatchLine('   # only a comment'), []);
  assert.throws(() => splitBatchLine('link set "v0'), /Unterminated/);
});

const HOSTILE: [string, RegExp][] = [
  ['foo', /^Object "foo" is unknown, try "ip help"\.\n$/],
  ['-x link', /^Option "-x" is unknown, try "ip -help"\.\n$/],
  ['route fly', /^Command "fly" is unknown, try "ip route help"\.\n$/],
  ['route add 10.0.0.0/33 dev lo', /^Error: any valid prefix is expected rather than "10\.0\.0\.0\/33"\.\n/],
  ['route add 300.1.1.1/24 dev lo', /^Error: any valid prefix is expected rather than "300\.1\.1\.1\/24"\.\n/],
  ['route add fe80::zz/64 dev lo', /prefix is expected rather than "fe80::zz\/64"/],
  ['address add 10.0.0.9/24', /^Not enough information: "dev" argument is required\.\n/],
  ['route add 10.50.0.0/16 dev lo metric 99999999999', /^Error: argument "99999999999" is wrong: "metric" value is invalid\n\n$/],
  ['link set dev lo netns nlkit-no-such-ns', /^Error: argument "nlkit-no-such-ns" is wrong: Invalid "netns" value\n\n$/],
  ['route add 10.50.0.0/16 dev lo table 99999999999', /"table" value is invalid/],
  ['link set dev lo mtu 18446744073709551616', /Invalid "mtu" value/],
  ['link set dev lo mtu -1', /Invalid "mtu" value/],
  ['neigh add 10.0.0.9 lladdr zz dev lo', /^"zz" is invalid lladdr\.\n/],
  ['rule add priority abc', /preference value is invalid/],
  ['rule add uidrange 5 table 7', /invalid UID range/],
  ['link add', /^Not enough information: "type" argument is required\n/],
  ['link set up', /^Not enough information: "dev" argument is required\.\n/],
  ['route add', /^Usage: nlkit ip route/],
  ['route get', /^need at least a destination address\n/],
  ['route add 10.0.0.0/8 via 1.2.3.4 via 1.2.3.5', /use nexthop syntax to specify multiple via/],
  ['route add 10.0.0.0/8 nexthop via 1.2.3.4 weight 0', /"weight" is invalid/],
  ['route add 10.0.0.0/8 nexthop', /unexpected end of line after "nexthop"/],
  ['link set lo name', /^Command line is not complete\. Try option "help"\n$/],
  ['link set lo name aaaaaaaaaaaaaaaaaaaaaaaaaaa', /"name" not a valid ifname/],
  ['nexthop add id abc', /invalid id value/],
  ['nexthop del', /Nexthop id is missing/],
  ['monitor bogus', /^Argument "bogus" is unknown, try "ip monitor help"\.\n$/],
  ['netns add a/b', /^Invalid netns name "a\/b"\n/],
  ['route add \u00ff\u00fe\u0001 dev lo', /prefix is expected rather than/],
  ['link show \u{1F600}', /(does not exist|not a valid)/],
  ['-n', /Option "-n" needs an argument/],
  ['route flush', /"ip route flush" requires arguments/],
  ['neigh flush', /Flush requires arguments/],
];

test('hostile command lines: a clear message, ip\'s exit status, no stack trace', async (t) => {
  if (!requireRoot(t)) return;
  await withNetns(async (ns) => {
    const wrongStatus: string[] = [];
    for (const [cmd, re] of HOSTILE) {
      const argv = cmd.startsWith('-n') ? ['ip', ...cmd.split(' ')] : ['ip', '-n', ns, ...cmd.split(' ')];
      const r = nlkit(argv);
      // ip's own status for the same line. Where ip sends what nlkit rejects while parsing (ip
      // reads `mtu -1` as 4294967295 and the kernel refuses it, exit 2), one of ip's usage statuses.
      const want = spawnSync('ip', argv.slice(1), { encoding: 'utf8' }).status;
      const expected = want !== 0 && want !== 2 ? want : r.status === 255 ? 255 : 1;
      if (r.status !== expected && r.status !== want) wrongStatus.push(`${cmd}: exit ${expected}, got ${r.status}: ${r.stderr}`);
      assert.match(r.stderr, re, cmd);
      assert.doesNotMatch(r.stderr, /\n\s+at |TypeError|RangeError|SyntaxError/, `${cmd}: no stack trace`);
      assert.equal(r.stdout, '', `${cmd}: nothing on stdout`);
    }
    assert.deepEqual(wrongStatus, [], 'exit statuses other than ip\'s');
  });
});

// Deterministic soup of real keywords, numbers and junk (a small LCG, so failures reproduce).
function soup(seed: number, n: number): string[][] {
  let x = seed;
  const rnd = (k: number) => {
    x = (Math.imul(x, 1103515245) + 12345) >>> 0;
    return x % k;
  };
  const objects = ['link', 'address', 'route', 'neigh', 'rule', 'nexthop', 'a', 'r', 'l', 'nh'];
  const words = [
    'show', 'add', 'del', 'delete', 'change', 'replace', 'flush', 'get', 'set', 'list', 'dev', 'lo', 'v0', 'via', 'table',
    'metric', 'proto', 'scope', 'type', 'nexthop', 'weight', 'lladdr', 'nud', 'from', 'to', 'priority', 'fwmark', 'uidrange',
    'id', 'group', 'up', 'down', 'mtu', 'address', 'master', 'name', 'label', 'broadcast', '+', 'peer', 'local', 'blackhole',
    '10.0.0.0/8', '10.1.2.3', '::1', 'fe80::1/64', 'default', 'all', '0', '1', '4294967295', '4294967296', '-1', '0x10/0xff',
    '1-2', '02:00:00:00:00:01', 'zz', '', ' ', '%s%n', '\u00e9', '../../etc', '\\', '"', 'veth', 'bridge', 'vxlan', 'peer',
  ];
  const out: string[][] = [];
  for (let i = 0; i < n; i++) {
    const argv = [objects[rnd(objects.length)]!];
    const len = rnd(8);
    for (let j = 0; j < len; j++) argv.push(words[rnd(words.length)]!);
    out.push(argv);
  }
  return out;
}

test('random argument soup in a namespace: every run ends with exit 0, 1, 2 or 255 (as ip) and no stack trace', async (t) => {
  if (!requireRoot(t)) return;
  await withNetns(async (ns) => {
    execFileSync('ip', ['-n', ns, 'link', 'add', 'v0', 'type', 'veth', 'peer', 'name', 'v1']);
    // All runs in one child process (a spawn each would take minutes), its output captured there.
    const entry = new URL('../src/cli/ip/index.js', import.meta.url).href;
    const script = `
      const { run } = await import(${JSON.stringify(entry)});
      const cases = JSON.parse(process.argv[1]);
      const real = { out: process.stdout.write.bind(process.stdout), err: process.stderr.write.bind(process.stderr) };
      const bad = [];
      for (const argv of cases) {
        let text = '';
        process.stdout.write = process.stderr.write = (c) => { text += String(c); return true; };
        let code, thrown;
        try { code = await run(argv); } catch (e) { thrown = String(e && e.stack || e); }
        process.stdout.write = real.out; process.stderr.write = real.err;
        if (thrown || ![0, 1, 2, 255].includes(code) || /\\n\\s+at [\\w.<]+ \\(/.test(text)) bad.push({ argv, code, thrown, text: text.slice(0, 500) });
      }
      real.out(JSON.stringify(bad));
    `;
    const cases = soup(20261122, 400).map((argv) => ['-n', ns, ...argv]);
    const r = spawnSync(process.execPath, ['--input-type=module', '-e', script, JSON.stringify(cases)], {
      encoding: 'utf8', env: cliEnv(), timeout: 120_000, maxBuffer: 64 * 1024 * 1024,
    });
    assert.equal(r.status, 0, r.stderr);
    const bad = JSON.parse(r.stdout) as unknown[];
    assert.deepEqual(bad, [], 'runs that threw, exited otherwise than 0/1/2/255 or printed a stack trace');
  });
});

test('nlkit ip addr with nothing else shows this host\'s addresses like ip -j addr (read-only)', (t) => {
  if (!hasTool('ip')) return t.skip('needs iproute2 (ip)');
  const a = JSON.parse(execFileSync('ip', ['-j', 'addr'], { encoding: 'utf8' }));
  const r = nlkit(['ip', '-j', 'addr']);
  assert.equal(r.status, 0, r.stderr);
  // Lifetimes of dynamic addresses count down between the two runs.
  const volatile = ['valid_life_time', 'preferred_life_time'];
  assert.equal(ordered(mask(JSON.parse(r.stdout), volatile)), ordered(mask(a, volatile)));
  const text = nlkit(['ip', 'addr']);
  assert.equal(text.status, 0);
  assert.match(text.stdout, /^1: lo: <LOOPBACK/);
});

// Command lines ip rejects, with the words ip uses (invarg's, duparg's, "is unknown, try …", the
// usage): nlkit's stderr and status must be ip's, byte for byte. All of nlkit's in one process.
const WORDED = [
  'route add 10.0.0.0/33 dev v0', 'route add 300.1.1.1/24 dev v0', 'address add 10.0.0.9/24',
  'route add 10.50.0.0/16 dev v0 metric 99999999999', 'route add 10.50.0.0/16 dev v0 table 99999999999',
  'link set dev v0 mtu 18446744073709551616', 'neigh add 10.0.0.9 lladdr zz dev v0', 'rule add priority abc', 'rule add uidrange 5 table 7',
  'link add', 'link set up', 'route add', 'route get', 'route add 10.0.0.0/8 via 1.2.3.4 via 1.2.3.5',
  'route add 10.0.0.0/8 nexthop via 1.2.3.4 weight 0', 'route add 10.0.0.0/8 nexthop', 'link set v0 name aaaaaaaaaaaaaaaaaaaaaaaaaaa',
  'nexthop add id abc', 'nexthop del', 'netns add a/b', 'route flush', 'neigh flush', 'addr flush', 'link set v0 foo',
  'route add 10.0.0.0/8 dev v0 proto foo', 'route add 10.0.0.0/8 dev v0 scope foo', 'route show table foo', 'rule add from 1.2.3.4/40',
  'neigh add 10.0.0.9 dev v0 nud foo', 'addr add 10.0.0.1/24 dev v0 scope foo', 'link set v0 address zz', 'link set v0 txqueuelen x',
  'route add 10.0.0.0/8 dev v0 mtu abc', 'route add 10.0.0.0/8 dev v0 window abc', 'route add 10.0.0.0/8 dev v0 rtt abc',
  'route add 10.0.0.0/8 dev v0 realms foo', 'route add 10.0.0.0/8 dev v0 tos foo', 'route add 10.0.0.0/8 dev v0 advmss abc',
  'route add 10.0.0.0/8 dev v0 hoplimit abc', 'route add 10.0.0.0/8 dev v0 expires abc', 'rule add table foo', 'rule add fwmark foo',
  'rule add tos foo', 'rule add realms foo', 'rule add goto foo', 'link set v0 group foo', 'link set v0 netns nlkit-no-such-ns',
  'addr add 10.0.0.1/24 dev v0 valid_lft abc', 'addr add 10.0.0.1/24 dev v0 metric abc', 'link set lo name', 'foo', '-x link',
  'route fly', 'link foo', 'address foo', 'neigh foo', 'rule foo', 'nexthop foo', 'netns foo', 'monitor bogus', 'maddr foo', 'tuntap foo',
  'link add x type bridge foo 1', 'link add x type vxlan foo', 'link add x type macvlan foo', 'link add x type macvtap foo',
  'link add x type vlan foo', 'link add x type veth foo',
];

test('usage errors are worded as ip words them (stderr and exit status, byte for byte)', async (t) => {
  if (!requireRoot(t)) return;
  await withNetns(async (ns) => {
    execFileSync('ip', ['-n', ns, 'link', 'add', 'v0', 'type', 'veth', 'peer', 'name', 'v1']);
    const mine = nlkitIpMany(WORDED.map((l) => ['-n', ns, ...l.split(' ')]));
    const wrong: string[] = [];
    WORDED.forEach((l, i) => {
      const theirs = spawnSync('ip', ['-n', ns, ...l.split(' ')], { encoding: 'utf8' });
      const m = mine[i]!;
      // ip's usage texts name "ip"; nlkit's name "nlkit ip" and list what it has.
      const isUsage = /^Usage:/.test(theirs.stderr);
      if (isUsage ? !/^Usage: nlkit ip /.test(m.stderr) : m.stderr !== theirs.stderr) wrong.push(`${l}:\n  ip:    ${JSON.stringify(theirs.stderr)}\n  nlkit: ${JSON.stringify(m.stderr)}`);
      if (m.status !== theirs.status) wrong.push(`${l}: exit ${m.status}, ip ${theirs.status}`);
      if (m.stdout !== theirs.stdout) wrong.push(`${l}: stdout ${JSON.stringify(m.stdout)}, ip ${JSON.stringify(theirs.stdout)}`);
    });
    assert.deepEqual(wrong, [], 'lines whose stderr or status differ from ip\'s');
  });
});
