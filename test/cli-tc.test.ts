// `nlkit tc` against iproute2's tc 6.1 on the real kernel, in throwaway namespaces: the same
// -batch file (htb tree with classes, u32 filters with mirred actions, a shared action bound by
// index, tbf, fifos, clsact with classic-bpf filters, a chain) built by tc in one namespace and
// by nlkit in a twin shows the same to tc; what tc built nlkit shows byte for byte as tc (text,
// -s, -d, -j); errors read and exit as tc's; a tbf measurably limits traffic; the monitor
// prints NDJSON; actions on their own through the library.
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import {
  actionCodec, addActions, deleteActions, dumpQdiscs, flushActions, formatTcRate, formatTcSize, getAction, listActions, RTM, TC_ACT, TCA_EGRESS,
} from '../src/route/index.js';
import { StringSink } from '../src/cli/ip/output.js';
import { runWith } from '../src/cli/tc/index.js';
import { cliEnv, nlkit, startNlkit } from './helpers/cli.js';
import { ip, requireRoot, requireTool, withNetns } from './helpers/netns.js';

/** Runs `tc -n NS ARGS…`: status, stdout, stderr. */
function tc(ns: string, args: string[], input?: string): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync('tc', ['-n', ns, ...args], { encoding: 'utf8', input, env: cliEnv() });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/**
 * `nlkit tc ARGS…` run in this process (what main.ts runs, with the output collected): a Node
 * start per comparison would cost more than the whole test. Whole processes run the batch
 * build and the monitor.
 */
async function nlkitTc(args: string[]): Promise<{ status: number; stdout: string; stderr: string }> {
  const sink = new StringSink();
  let stderr = '';
  const status = await runWith(args, { stdout: sink, stderr: (s) => { stderr += s; } });
  return { status, stdout: sink.text, stderr };
}

/**
 * The same veth pairs in each namespace (so ifindexes agree), down, so no packet moves a
 * counter; `up` brings d0/d1 up with IPv6 off (nothing but the test's own packets then).
 */
function links(ns: string, opts: { pairs?: number; up?: boolean } = {}): void {
  const pairs = [['d0', 'd1'], ['e0', 'f0'], ['e1', 'f1']].slice(0, opts.pairs ?? 3);
  if (opts.up) execFileSync('ip', ['netns', 'exec', ns, 'sysctl', '-qw', 'net.ipv6.conf.all.disable_ipv6=1', 'net.ipv6.conf.default.disable_ipv6=1']);
  ip(ns, ['-batch', '-'], {
    input: [...pairs.map(([x, y]) => `link add ${x} type veth peer name ${y}`), ...(opts.up ? ['link set d0 up', 'link set d1 up'] : [])].join('\n') + '\n',
  });
}

const BUILD = `
qdisc add dev d0 root handle 1: htb default 10 r2q 5
class add dev d0 parent 1: classid 1:1 htb rate 10mbit ceil 20mbit
class add dev d0 parent 1:1 classid 1:10 htb rate 1mbit burst 15k prio 2
class add dev d0 parent 1:1 classid 1:20 htb rate 2mbit ceil 5mbit cburst 20k quantum 3000
filter add dev d0 parent 1: protocol ip prio 1 u32 match ip dst 10.0.0.1/32 flowid 1:10 action mirred egress redirect dev d1
filter add dev d0 parent 1: protocol ip prio 2 u32 match ip src 10.1.0.0/16 match ip dport 80 0xffff match ip protocol 6 0xff flowid 1:20
filter add dev d0 parent 1: protocol ip prio 3 u32 match u32 0x12345678 0xffff0000 at 12 match u16 0x0800 0xffff at 20 match u8 5 0xf at 0 classid 1:10
filter add dev d0 parent 1: protocol ip prio 4 u32 match tcp dst 22 0xffff flowid 1:20 action mirred ingress mirror dev d1
qdisc add dev d1 root handle 5: tbf rate 1mbit burst 32kb latency 50ms
qdisc add dev d1 clsact
filter add dev d1 ingress bpf bytecode '4,40 0 0 12,21 0 1 2048,6 0 0 4294967295,6 0 0 0,'
filter add dev d1 egress prio 7 bpf da bytecode '1,6 0 0 0,' classid 1:3
actions add action mirred egress mirror dev d0 index 40
filter add dev d0 parent 1: protocol ip prio 5 u32 match ip dst 10.9.9.9 flowid 1:10 action mirred index 40
filter add dev d0 parent 1: protocol ip prio 6 u32 match ip dst 10.9.9.8 flowid 1:10 action mirred index 40
chain add dev d0 parent 1: chain 3
qdisc add dev e0 root handle 7: tbf rate 10mbit burst 10kb limit 30000 peakrate 20mbit mtu 1600
qdisc add dev e1 root handle 8: bfifo limit 30kb
qdisc add dev f1 root handle 9: estimator 1sec 8sec pfifo limit 77
qdisc add dev f0 root handle 6: htb default 1
`;

// Each show line of tc -batch prints its own output; nlkit's must be the same bytes.
const SHOW = `
qdisc show
qdisc show dev d0
class show dev d0
class show dev d0 parent 1:1
filter show dev d0
filter show dev d0 parent 1: prio 2
filter show dev d1 ingress
filter show dev d1 egress
actions list action mirred
actions get action mirred index 40
chain show dev d0
`;

test('nlkit tc: one -batch built by tc and by nlkit reads the same to tc; what tc built nlkit shows as tc (text, -s, -d, -j, -p)', async (t) => {
  if (!requireRoot(t) || !requireTool(t, 'tc')) return;
  const dir = mkdtempSync(path.join(tmpdir(), 'nlkit-tc-'));
  try {
    await withNetns(async (a) => withNetns(async (b) => {
      links(a);
      links(b);
      const build = path.join(dir, 'build');
      writeFileSync(build, BUILD);
      const byTc = tc(a, ['-batch', build]);
      if (byTc.status !== 0) return t.skip(`tc cannot build the tree here: ${byTc.stderr.trim()}`);
      const byNlkit = nlkit(['tc', '-n', b, '-batch', build]);
      assert.equal(byNlkit.stderr, byTc.stderr, 'the same warnings and errors');
      assert.equal(byNlkit.status, 0);

      // tc reads both namespaces the same: text, JSON, details (statistics without traffic are equal too).
      const show = path.join(dir, 'show');
      writeFileSync(show, SHOW);
      // Actions' install/use times (-s) are whole seconds since they were made: equal unless a second ticked between two runs.
      const times = (s: string) => s.replace(/ installed \d+ sec used \d+ sec/g, '');
      for (const opts of [[], ['-j'], ['-d'], ['-s']]) {
        const ta = tc(a, [...opts, '-batch', show]);
        const tb = tc(b, [...opts, '-batch', show]);
        assert.equal(ta.status, 0, ta.stderr);
        assert.equal(times(tb.stdout), times(ta.stdout), `tc ${opts.join(' ')} shows what nlkit built as what tc built`);
      }
      // The shared action: made once, bound by index from two filters.
      const shared = JSON.parse(tc(b, ['-j', 'actions', 'get', 'action', 'mirred', 'index', '40']).stdout);
      assert.equal(shared[1].actions[0].bind, 2);
      assert.equal(shared[1].actions[0].mirred_action, 'mirror');

      // nlkit shows what tc built byte for byte, in the same modes. tc 6.1 prints classes as text
      // even with -j; nlkit prints them as JSON, checked against tc's text (the -j file ends with them).
      const json = path.join(dir, 'json');
      writeFileSync(json, `${SHOW.replace(/^class .*\n/gm, '')}class show dev d0\n`);
      for (const [opts, file] of [[[], show], [['-d'], show], [['-j'], json], [['-p'], show], [['-s'], show]] as [string[], string][]) {
        const mine = await nlkitTc(['-n', a, ...opts, '-batch', file]);
        const theirs = tc(a, [...opts, '-batch', file]);
        assert.equal(mine.status, 0, mine.stderr);
        if (file !== json) {
          assert.equal(times(mine.stdout), times(theirs.stdout), `nlkit tc ${opts.join(' ')} shows as tc`);
          continue;
        }
        const at = theirs.stdout.indexOf('class htb ');
        assert.equal(mine.stdout.slice(0, at), theirs.stdout.slice(0, at), 'nlkit tc -j shows as tc -j');
        const classes = JSON.parse(mine.stdout.slice(at)) as any[];
        const text = theirs.stdout.slice(at);
        assert.equal(classes.length, 3);
        for (const c of classes) {
          const line = text.split('\n').find((l) => l.startsWith(`class htb ${c.handle} `))!;
          assert.match(line, new RegExp(`${c.root ? 'root' : `parent ${c.parent}`} .*rate ${formatTcRate(c.options.rate)} ceil ${formatTcRate(c.options.ceil)} burst ${formatTcSize(c.options.burst)} cburst ${formatTcSize(c.options.cburst)}`));
        }
      }
    }));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

const MISTAKES = `
qdisc add dev d0 root prio
qdisc add dev nosuch root htb
qdisc add dev d0 root handle 1: htb
qdisc add dev d0 root handle 1: htb
qdisc foo
nosuchobject
qdisc add dev d0 root blah
qdisc show dev nosuch
qdisc show bogus
filter add dev d0 parent 1: u32 match ip bogus 1
qdisc del dev d1 root
filter add dev d0 parent 1: bogus
qdisc add dev d0 parent 1:1 handle 20: tbf rate 1mbit
class add dev d0 parent 1: classid 1:30 htb
actions get action mirred index 99
actions del action mirred index 77
filter del dev d0 parent 1: prio 99
qdisc del dev d0 parent 7:
chain del dev d0 parent 1: chain 77
qdisc add dev d0
qdisc add dev d0 parent 1: handle 3: bfifo limit x
qdisc add dev d0 parent 1: tbf rate 1mbit burst 1k limit 1k extra
qdisc help
filter help
filter add dev d0 parent 1: u32 match
qdisc show dev lo
`;

// Four checks on one namespace (d0/d1 up, IPv6 off), in an order that leaves each the state it expects.
test('nlkit tc in one namespace: mistakes, actions by index, monitor, a tbf limiting traffic', async (t) => {
  if (!requireRoot(t) || !requireTool(t, 'tc')) return;
  const dir = mkdtempSync(path.join(tmpdir(), 'nlkit-tc-'));
  try {
    await withNetns(async (ns) => {
      links(ns, { pairs: 1, up: true });
      await t.test('mistakes and refusals read and exit as tc\'s', () => mistakes(ns, dir));
      await t.test('actions on their own: add, get, list (as tc -j shows them), delete, flush; bound by index, delete and flush refused', () => actions(ns));
      await t.test('monitor -j: one JSON object per event, as the changes happen', () => monitor(ns));
      if (requireTool(t, 'python3')) await t.test('a tbf limits what leaves the link (its own counters: drops, overlimits, bytes within rate x time)', () => tbf(ns));
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

async function mistakes(ns: string, dir: string): Promise<void> {
  const file = path.join(dir, 'mistakes');
  writeFileSync(file, MISTAKES);
  // -force runs every line after a failure: one run each says it all.
  const theirs = tc(ns, ['-force', '-batch', file]);
  tc(ns, ['qdisc', 'del', 'dev', 'd0', 'root']);
  const mine = await nlkitTc(['-n', ns, '-force', '-batch', file]);
  tc(ns, ['qdisc', 'del', 'dev', 'd0', 'root']);
  assert.equal(mine.stderr, theirs.stderr);
  assert.equal(mine.stdout, theirs.stdout);
  assert.equal(mine.status, theirs.status);
  assert.equal(mine.status, 255, 'the last line is a mistake tc exits on');
  // Statuses of single commands: a kernel refusal 2, a missing device 1, a mistake 255.
  for (const argv of [['qdisc', 'add', 'dev', 'd0', 'root', 'prio'], ['qdisc', 'add', 'dev', 'nosuch', 'root', 'htb'], ['qdisc', 'foo'], ['actions', 'add', 'action', 'bogus']]) {
    const m = await nlkitTc(['-n', ns, ...argv]);
    const r = tc(ns, argv);
    assert.deepEqual({ status: m.status, stderr: m.stderr }, { status: r.status, stderr: r.stderr }, argv.join(' '));
  }
}

async function actions(ns: string): Promise<void> {
  const opts = { netns: ns };
  const d1 = (JSON.parse(ip(ns, '-j link show dev d1')) as { ifindex: number }[])[0]!.ifindex;
  const mirror = (index: number) => ({ kind: 'mirred', options: { parms: { index, action: TC_ACT.PIPE, eaction: TCA_EGRESS.MIRROR, ifindex: d1 } } as never });
  const added = await addActions([mirror(11), { kind: 'mirred', options: { parms: { index: 12, action: TC_ACT.STOLEN, eaction: TCA_EGRESS.REDIR, ifindex: d1 } } as never }], opts);
  assert.deepEqual(added.map((a) => (a.options as any).parms.index), [11, 12]);
  const listed = await listActions('mirred', opts);
  const theirs = JSON.parse(tc(ns, ['-j', 'actions', 'ls', 'action', 'mirred']).stdout);
  assert.equal(theirs[0]['total acts'], listed.length);
  assert.deepEqual(listed.map((a) => ({ order: a.order, index: (a.options as any).parms.index })),
    theirs[1].actions.map((a: any) => ({ order: a.order, index: a.index })));
  const got = await getAction('mirred', 12, opts);
  assert.equal((got.options as any).parms.eaction, TCA_EGRESS.REDIR);
  await deleteActions([{ kind: 'mirred', index: 12 }], opts);
  await assert.rejects(getAction('mirred', 12, opts), (e: any) => e.code === 'ENOENT');
  // Nothing bound: a flush empties the kind.
  await flushActions('mirred', opts);
  assert.deepEqual(await listActions('mirred', opts), []);

  // Bind 11 from a filter: the kernel counts the binding; deleting or flushing it is refused.
  await addActions([mirror(11)], opts);
  tc(ns, ['qdisc', 'add', 'dev', 'd0', 'clsact']);
  const f = tc(ns, ['filter', 'add', 'dev', 'd0', 'ingress', 'bpf', 'bytecode', '1,6 0 0 0,', 'action', 'mirred', 'index', '11']);
  assert.equal(f.status, 0, f.stderr);
  assert.equal(((await getAction('mirred', 11, opts)).options as any).parms.bindcnt, 1);
  await assert.rejects(deleteActions([{ kind: 'mirred', index: 11 }], opts), (e: any) => e.code === 'EPERM');
  await assert.rejects(flushActions('mirred', opts), (e: any) => e.code === 'EPERM');
}

async function monitor(ns: string): Promise<void> {
  tc(ns, ['qdisc', 'add', 'dev', 'd1', 'clsact']);
  const mon = startNlkit(['tc', '-n', ns, '-j', 'monitor']);
  try {
    // Until the monitor has joined the group nothing shows: probe with a changing limit until one does.
    let seen = false;
    for (let limit = 10; limit < 60 && !seen; limit++) {
      tc(ns, ['qdisc', 'replace', 'dev', 'd0', 'root', 'handle', '4:', 'pfifo', 'limit', String(limit)]);
      seen = await mon.waitFor('out', /"kind":"pfifo"/, 300).then(() => true, () => false);
    }
    assert.ok(seen, `the monitor printed a probe: ${mon.stderr()}`);
    const f = tc(ns, ['filter', 'add', 'dev', 'd1', 'ingress', 'prio', '9', 'protocol', 'ip', 'u32', 'match', 'ip', 'src', '1.2.3.4', 'classid', '4:1']);
    assert.equal(f.status, 0, f.stderr);
    await mon.waitFor('out', /"object":"filter".*"pref":9.*\n/);
    const lines = mon.stdout().trim().split('\n').map((l) => JSON.parse(l));
    const filt = lines.find((l) => l.object === 'filter' && l.options?.match);
    assert.ok(filt?.added);
    assert.equal(filt.protocol, 'ip');
    assert.deepEqual(filt.options.match, { value: '1020304', mask: 'ffffffff', offmask: '', off: 12 });
    assert.ok(lines.every((l) => typeof l.object === 'string'));
  } finally {
    await mon.stop();
    tc(ns, ['qdisc', 'del', 'dev', 'd0', 'root']);
  }
}

async function tbf(ns: string): Promise<void> {
  ip(ns, ['-batch', '-'], { input: 'addr add 10.77.0.1/24 dev d0\nneigh add 10.77.0.9 lladdr 02:00:00:00:00:09 dev d0 nud permanent\n' });
  const rate = 125_000; // 1mbit
  const burst = 10 * 1024;
  const r = await nlkitTc(['-n', ns, 'qdisc', 'add', 'dev', 'd0', 'root', 'handle', '2:', 'tbf', 'rate', '1mbit', 'burst', '10kb', 'limit', '20kb']);
  assert.equal(r.status, 0, r.stderr);
  const offered = 600;
  const size = 1000;
  const started = process.hrtime.bigint();
  // 600 datagrams of 1042 bytes on the wire (625 KB) offered at once: at 1 Mbit/s they would need 5 s.
  execFileSync('ip', ['netns', 'exec', ns, 'python3', '-c', `
import socket
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
for i in range(${offered}):
    try:
        s.sendto(b'x' * ${size}, ('10.77.0.9', 9))
    except OSError:
        pass
`]);
  const q = (await dumpQdiscs({ dev: 'd0' }, { netns: ns }).toArray()).find((x) => x.kind === 'tbf')!;
  const elapsed = Number(process.hrtime.bigint() - started) / 1e9;
  const s = q.stats2!;
  const sent = Number(s.basic!.bytes);
  const wire = size + 28 + 14;
  assert.ok(s.queue!.drops > 0, `tbf dropped (${s.queue!.drops})`);
  assert.ok(s.queue!.overlimits > 0, `tbf was over its limit (${s.queue!.overlimits})`);
  assert.equal(s.basic!.packets + s.queue!.drops + s.queue!.qlen, offered, 'every datagram was sent, dropped or is queued');
  // Never more than the bucket plus the rate over the whole time it could have been sending.
  assert.ok(sent <= burst + rate * elapsed + wire, `sent ${sent} bytes in at most ${elapsed.toFixed(2)} s at ${rate} B/s`);
  assert.ok(sent >= burst - wire, `the bucket's burst went out (${sent})`);
}

test('gact (a kind this kernel may lack): encoded and decoded through RTM_NEWACTION, printed as m_gact.c prints it', async () => {
  const gact = { kind: 'gact', options: { parms: { index: 5, capab: 0, action: TC_ACT.SHOT, refcnt: 0, bindcnt: 0 }, prob: { ptype: 1, pval: 100, paction: TC_ACT.OK } } };
  const bytes = actionCodec.encode(RTM.NEWACTION, 0, { family: 'unspec', tab: [gact] } as never);
  const back = actionCodec.decodePayload(bytes.subarray(16)) as any;
  assert.deepEqual(back.tab[0].options.parms, gact.options.parms);
  assert.deepEqual(back.tab[0].options.prob, gact.options.prob);
  // TCA_ACT_TAB > [1] > TCA_ACT_KIND "gact", TCA_ACT_OPTIONS > TCA_GACT_PARMS (20 bytes), TCA_GACT_PROB (8 bytes).
  const dv = new DataView(bytes.buffer, bytes.byteOffset);
  assert.equal(dv.getUint16(20 + 2, true) & 0x3fff, 1, 'TCA_ROOT_TAB');
  const { Output, StringSink } = await import('../src/cli/ip/output.js');
  const { printActions } = await import('../src/cli/tc/actions.js');
  const { TcContext } = await import('../src/cli/tc/context.js');
  const sink = new StringSink();
  const out = new Output({ sink });
  printActions(out, [{ ...back.tab[0], order: 1 }], new TcContext({ stats: 0, details: 0, json: false, pretty: false, oneline: false, timestamp: 0, netns: undefined, force: false }, out));
  await out.flush();
  assert.equal(sink.text, '\n\taction order 1: gact action drop\n\t random type netrand pass val 100\n\t index 5 ref 0 bind 0\n');
});
