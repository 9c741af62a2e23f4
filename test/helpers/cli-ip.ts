// Helpers for the `nlkit ip` tests: run the CLI (through ./cli.ts) next to ip, compare their
// outputs, and wait for a namespace to settle.
import { spawnSync } from 'node:child_process';
import { cliEnv, nlkit, nlkitAsync, ok, run } from './cli.js';
import { ip, ipBatch } from './netns.js';

/** Runs `nlkit ip -n NS ARGS…`; throws with stderr unless it exits 0. */
export function nlkitIp(ns: string, args: string | string[]): string {
  const argv = typeof args === 'string' ? args.trim().split(/\s+/) : args;
  const r = nlkit(['ip', '-n', ns, ...argv]);
  if (r.status !== 0) throw new Error(`nlkit ip -n ${ns} ${argv.join(' ')} exited ${r.status}: ${r.stderr}`);
  return r.stdout;
}

/** Runs `nlkit ip -n NS -j ARGS…` and parses it. */
export function nlkitIpJson<T = unknown>(ns: string, args: string | string[]): T {
  const argv = typeof args === 'string' ? args.trim().split(/\s+/) : args;
  const out = nlkitIp(ns, ['-j', ...argv]).trim();
  return JSON.parse(out) as T;
}

/** Runs `ip -n NS -j ARGS…` and parses it (ip prints nothing for some empty listings). */
export function ipJsonRaw<T = unknown>(ns: string, args: string | string[]): T {
  const argv = typeof args === 'string' ? args.trim().split(/\s+/) : args;
  const out = ip(ns, ['-j', ...argv]).trim();
  return (out === '' ? [] : JSON.parse(out)) as T;
}

/** Waits until `cond()` holds, polling every 20 ms, for at most `ms`. */
export async function waitFor(cond: () => boolean, ms = 5000): Promise<boolean> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (cond()) return true;
    await new Promise((r) => setTimeout(r, 20));
  }
  return cond();
}

/** JSON text with keys in their order: equal strings mean equal names, types, values and order. */
export function ordered(v: unknown): string {
  return JSON.stringify(v, null, 1);
}

/**
 * Replaces the values at the given keys (anywhere in the tree) with "<masked>": for fields that
 * legitimately change between two runs a few milliseconds apart (counters, timers). The key
 * stays, so its presence and position are still compared.
 */
export function mask<T>(v: T, keys: readonly string[]): T {
  const set = new Set(keys);
  const walk = (x: unknown): unknown => {
    if (Array.isArray(x)) return x.map(walk);
    if (x && typeof x === 'object') {
      const o: Record<string, unknown> = {};
      for (const [k, val] of Object.entries(x)) o[k] = set.has(k) ? '<masked>' : walk(val);
      return o;
    }
    return x;
  };
  return walk(v) as T;
}

/** Disables IPv6 duplicate address detection in a namespace so addresses do not change state under a test. */
export function noDad(ns: string): void {
  spawnSync('ip', ['netns', 'exec', ns, 'sysctl', '-qw', 'net.ipv6.conf.all.accept_dad=0', 'net.ipv6.conf.default.accept_dad=0'], { stdio: 'ignore' });
}

// Values that change between two runs a few milliseconds apart, masked on both sides (the key
// stays, so presence and order are still compared):
export const LINK_VOLATILE = [
  // bridge and bridge-port timers tick in centiseconds
  'hello_timer', 'tcn_timer', 'topology_change_timer', 'gc_timer', 'hold_timer', 'message_age_timer', 'forward_delay_timer',
];
// interface counters move with every neighbour solicitation or multicast report
export const STATS_VOLATILE = ['stats64', 'stats'];
// neighbour cache ages (seconds since last use/confirmation/update)
export const NEIGH_VOLATILE = ['used', 'confirmed', 'updated'];

/** A namespace with every kind of object the show tests compare. */
export const SETUP = [
  'link add v0 type veth peer name v1',
  'link add br0 type bridge',
  'link set v1 master br0',
  'link add vx0 type vxlan id 42 dstport 4789 local 10.0.0.1',
  'link add mv0 link v0 type macvlan mode bridge',
  'link set v0 up',
  'link set v1 up',
  'link set br0 up',
  'link set mv0 up',
  'link property add dev v0 altname vethzero',
  'link set v0 alias "the alias"',
  'addr add 10.0.0.1/24 dev v0 broadcast + label v0:1',
  'addr add 10.0.1.1/24 dev v0',
  'addr add 10.0.0.7/24 dev v0',
  'addr add 10.9.9.9/24 dev v0 metric 5 noprefixroute',
  'addr add 10.10.10.1 peer 10.10.10.2/32 dev v0',
  'addr add 2001:db8::1/64 dev v0',
  'addr add 2001:db8:5::1/64 dev v0 nodad',
  'addr add 192.168.5.1/16 dev br0',
  'route add 10.1.0.0/16 via 10.0.0.2 dev v0 metric 100 proto static',
  'route add blackhole 10.2.0.0/16',
  'route add unreachable 10.3.0.0/16',
  'route add prohibit 10.4.0.0/16',
  'route add throw 10.8.0.0/16',
  'route add 10.5.0.0/16 dev v0 scope link src 10.0.0.1 table 100',
  'route add 10.6.0.0/16 nexthop via 10.0.0.2 dev v0 weight 2 nexthop via 10.0.1.2 dev v0 weight 3',
  'route add 2001:db8:1::/64 via 2001:db8::2 dev v0',
  'route add 2001:db8:9::/48 dev v0 pref high metric 50',
  'route add default via 10.0.0.254 dev v0',
  'route add 10.7.0.0/16 dev v0 mtu lock 1400 advmss 1300 rtt 50ms',
  'route add 10.11.0.0/16 via 10.0.0.2 realms 3/4 tos 0x10',
  'neigh add 10.0.0.5 lladdr 02:00:00:00:00:05 dev v0 nud permanent',
  'neigh add 10.0.0.6 lladdr 02:00:00:00:00:06 dev v0 nud stale',
  'neigh add 10.0.0.20 lladdr 02:00:00:00:00:20 dev v0 router nud stale',
  'neigh add proxy 10.0.0.21 dev v0',
  'neigh add 10.0.0.24 lladdr 02:00:00:00:00:24 dev v0 protocol static',
  'neigh add 2001:db8::5 lladdr 02:00:00:00:00:07 dev v0 nud noarp',
  'rule add from 10.0.0.0/8 table 100 priority 1000',
  'rule add to 10.9.0.0/16 iif v0 table 100 priority 1001 fwmark 0x10/0xff',
  'rule add uidrange 100-200 ipproto tcp sport 80 dport 1000-2000 table 100 priority 1002',
  'rule add oif v0 table main priority 1003',
  'rule add ipproto 253 table 100 priority 2000',
  'rule add not from 1.2.3.0/24 table 7 prio 3000',
  'rule add iif v0 goto 32766 prio 3001',
  'rule add fwmark 5 prohibit prio 3002',
  'rule add from all lookup 9 suppress_prefixlength 0 prio 3003 proto static',
  'nexthop add id 1 via 10.0.0.2 dev v0',
  'nexthop add id 2 via 10.0.1.2 dev v0',
  'nexthop add id 3 group 1,2/2,3',
  'nexthop add id 4 blackhole',
  'nexthop add id 5 via 10.0.0.9 dev v0 onlink',
  'nexthop add id 6 group 1/2 type resilient buckets 8',
  'route add 10.12.0.0/16 nhid 3',
];

/** Both outputs of one command, run concurrently. */
export function both(ns: string, args: string[]): Promise<[string, string, string]> {
  const label = args.join(' ');
  return Promise.all([ok(run('ip', ['-n', ns, ...args]), `ip ${label}`), ok(nlkitAsync(['ip', '-n', ns, ...args]), `nlkit ip ${label}`), Promise.resolve(label)]);
}

/** Runs the cases a few at a time (2 cores: ip and node in parallel). */
export async function pairs(ns: string, cases: string[][]): Promise<[string, string, string][]> {
  const out: [string, string, string][] = [];
  for (let i = 0; i < cases.length; i += 3) out.push(...await Promise.all(cases.slice(i, i + 3).map((c) => both(ns, c))));
  return out;
}

export async function settle(ns: string): Promise<void> {
  // Links come up through linkwatch (operstate follows the carrier a moment later).
  await waitFor(() => {
    const links = ipJsonRaw<{ ifname: string; operstate: string; flags: string[] }[]>(ns, 'link show');
    return links.every((l) => !l.flags.includes('UP') || l.operstate === 'UP' || l.operstate === 'UNKNOWN');
  });
  // IPv6 multicast joins add NOARP neighbours and local routes shortly after the links come up.
  let last = '';
  await waitFor(() => {
    const now = ip(ns, 'neigh show nud all') + ip(ns, '-6 route show table all') + ip(ns, 'addr show');
    const same = now === last;
    last = now;
    return same;
  }, 3000);
}

/** Builds SETUP in `ns` (IPv6 DAD off) and waits until it is quiet. */
export async function buildShowcase(ns: string): Promise<void> {
  noDad(ns);
  ipBatch(ns, SETUP);
  ip(ns, ['-6', 'rule', 'add', 'from', '2001:db8::/32', 'table', '50', 'prio', '100']);
  await settle(ns);
}

/**
 * Compares `ip -j CASE` and `nlkit ip -j CASE` for each case: ordered JSON equality, volatile
 * keys masked. A mismatching case is run once more before `check` sees it: the two runs may
 * straddle a change the kernel makes on its own (a multicast join, a carrier settling).
 */
export async function compareJson(ns: string, cases: readonly (readonly [string, readonly string[]])[], check: (ip: unknown, nl: unknown, label: string) => void): Promise<void> {
  const parse = (a: string, b: string, volatile: readonly string[]) => [mask(a.trim() === '' ? [] : JSON.parse(a), volatile), mask(JSON.parse(b), volatile)] as const;
  const results = await batched(ns, cases.map(([c]) => ['-j', ...c.split(' ')]), true);
  for (let i = 0; i < cases.length; i++) {
    const [c, volatile] = cases[i]!;
    let [ja, jb] = parse(results[i]![0], results[i]![1], volatile);
    if (ordered(ja) !== ordered(jb)) {
      if (process.env.CLI_IP_DEBUG) console.error(`retry ${c}`);
      const [again] = await pairs(ns, [['-j', ...c.split(' ')]]);
      [ja, jb] = parse(again![0], again![1], volatile);
    }
    check(ja, jb, c);
  }
}

/**
 * Runs many cases with few processes: cases are grouped by their leading options and object, and
 * each group goes through `-batch -` of both tools (ip prints one result per command). With
 * `perLine` each command's output is one line (plain JSON) and the pairs come back per case;
 * otherwise one pair per group, labelled with its commands.
 */
export async function batched(ns: string, cases: string[][], perLine: boolean): Promise<[string, string, string][]> {
  const groups = new Map<string, { opts: string[]; lines: string[]; index: number[] }>();
  cases.forEach((c, i) => {
    let k = 0;
    while (k < c.length && c[k]!.startsWith('-')) k++;
    const opts = c.slice(0, k);
    // One object a batch: ip -batch carries state from one command to the next (after a `link
    // show`, an `address show` prints "mode DEFAULT"), so link and address lines never share one.
    const key = `${opts.join(' ')}|${c[k] ?? ''}`;
    let g = groups.get(key);
    if (!g) groups.set(key, (g = { opts, lines: [], index: [] }));
    g.lines.push(c.slice(k).join(' '));
    g.index.push(i);
  });
  const out: [string, string, string][] = perLine ? new Array(cases.length) : [];
  for (const g of groups.values()) {
    const input = g.lines.join('\n') + '\n';
    const [a, b] = await Promise.all([
      ok(run('ip', ['-n', ns, ...g.opts, '-batch', '-'], { input }), `ip ${g.opts.join(' ')} -batch`),
      ok(nlkitAsync(['ip', '-n', ns, ...g.opts, '-batch', '-'], { input }), `nlkit ip ${g.opts.join(' ')} -batch`),
    ]);
    if (!perLine) {
      out.push([a, b, `${g.opts.join(' ')} -batch: ${g.lines.join('; ')}`]);
      continue;
    }
    const la = a.split('\n').filter(Boolean);
    const lb = b.split('\n').filter(Boolean);
    if (la.length !== g.lines.length || lb.length !== g.lines.length) {
      throw new Error(`batch of ${g.lines.length} commands printed ${la.length} (ip) and ${lb.length} (nlkit) lines`);
    }
    g.index.forEach((ci, j) => (out[ci] = [la[j]!, lb[j]!, cases[ci]!.join(' ')]));
  }
  return out;
}

/**
 * Runs many `nlkit ip` command lines in ONE child process (run() of src/cli/ip, stdout and
 * stderr captured per line): a process start per case costs ~0.15 s of CPU, this one start.
 * Returns what each line printed and its exit status, in order.
 */
export function nlkitIpMany(cases: string[][]): { status: number | null; stdout: string; stderr: string }[] {
  const entry = new URL('../../src/cli/ip/index.js', import.meta.url).href;
  const script = `
    const { run } = await import(${JSON.stringify(entry)});
    const cases = JSON.parse(process.argv[1]);
    const real = { out: process.stdout.write.bind(process.stdout), err: process.stderr.write.bind(process.stderr) };
    const res = [];
    for (const argv of cases) {
      let stdout = '', stderr = '', status;
      process.stdout.write = (c) => { stdout += String(c); return true; };
      process.stderr.write = (c) => { stderr += String(c); return true; };
      try { status = await run(argv); } catch (e) { status = -1; stderr += String(e && e.stack || e); }
      process.stdout.write = real.out; process.stderr.write = real.err;
      res.push({ status, stdout, stderr });
    }
    real.out(JSON.stringify(res));
  `;
  const r = spawnSync(process.execPath, ['--input-type=module', '-e', script, JSON.stringify(cases)], {
    encoding: 'utf8', env: cliEnv(), maxBuffer: 64 * 1024 * 1024,
  });
  if (r.status !== 0) throw new Error(`nlkitIpMany: exit ${r.status}: ${r.stderr}`);
  return JSON.parse(r.stdout);
}
