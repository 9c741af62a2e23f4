// `nlkit genl call` against the behaviour of the kernel's YNL CLI (tools/net/ynl/pyynl/cli.py and
// its lib, as documented there): --family finds the installed spec, --json is the request,
// fixed-header fields (ifinfomsg, tcmsg) and sub-messages (linkinfo.data) are settable,
// --create/--excl go on the request as nlmsg_flags, names print as the spec spells them,
// nlctrl's type-value maps name their keys, a missing attribute is named (extack miss-type),
// and bad values end in one line and exit 1. Oracles: the kernel (`ip -j -d`, `tc -j`) and
// nlkit's controller. Most cases run in-process (run() with captured output); two runs of the
// shipped CLI check what a user sees: exit statuses and no stack trace.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { test } from 'node:test';
import { run as genl } from '../src/cli/genl/index.js';
import { reportError } from '../src/cli/errors.js';
import { GenlClient } from '../src/genl/index.js';
import { nlkit } from './helpers/cli.js';
import { ip, ipJson, requireRoot, requireTool, sh, withNetns } from './helpers/netns.js';

const SPECS = '/usr/share/doc/linux-doc-6.12/Documentation/netlink/specs';

/** Runs `nlkit genl ARGS…` in this process: its exit status and output, as main.ts would report them. */
async function call(...args: string[]): Promise<{ status: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const io = { out: (s: string) => void (stdout += s), err: (s: string) => void (stderr += s) };
  try {
    return { status: await genl(args, io), stdout, stderr };
  } catch (e) {
    const status = reportError(e, (s) => void (stderr += s));
    return { status, stdout, stderr };
  }
}

test('rt-link by --family: newlink with --json, a sub-message, --create/--excl as YNL sends them; getlink in the spec\'s names', async (t) => {
  if (!requireRoot(t)) return;
  if (!existsSync(SPECS)) return t.skip(`${SPECS} is missing (install linux-doc-6.12; .ci/run does)`);
  await withNetns(async (ns) => {
    const make = await call('-n', ns, 'call', '--family', 'rt-link', '--do', 'newlink', '--create', '--excl',
      '--json', '{"ifname":"br0","linkinfo":{"kind":"bridge","data":{"stp-state":1}}}');
    assert.equal(make.status, 0, make.stderr);
    const br = ipJson(ns, '-d link show br0')[0];
    assert.equal(br.linkinfo.info_kind, 'bridge');
    assert.equal(br.linkinfo.info_data.stp_state, 1);
    // The same request again: --excl makes the kernel refuse (EEXIST), exit 1 as YNL's NlError.
    const again = await call('-n', ns, 'call', '--family', 'rt-link', '--do', 'newlink', '--create', '--excl', 'ifname=br0', 'linkinfo.kind=bridge');
    assert.equal(again.status, 1);
    assert.equal(again.stderr, 'Netlink error: File exists\n');
    // Without flags the kernel changes the link of that name (what YNL sends, what the kernel does).
    const change = await call('-n', ns, 'call', '--family', 'rt-link', '--do', 'newlink', 'ifname=br0', 'linkinfo.kind=bridge', 'linkinfo.data.stp-state=0');
    assert.equal(change.status, 0, change.stderr);
    assert.equal(ipJson(ns, '-d link show br0')[0].linkinfo.info_data.stp_state, 0);
    // A fixed-header field selects the link; the reply prints in kebab-case, header fields too.
    const get = await call('-n', ns, 'call', '--family', 'rt-link', '--do', 'getlink', `ifi-index=${br.ifindex}`, '--output-json');
    assert.equal(get.status, 0, get.stderr);
    const reply = JSON.parse(get.stdout);
    assert.equal(reply['ifi-index'], br.ifindex);
    assert.equal(reply.ifname, 'br0');
    assert.equal(reply.mtu, br.mtu);
    assert.equal(reply['max-mtu'], br.max_mtu);
    assert.equal(reply.linkinfo.kind, 'bridge');
    assert.equal(reply.linkinfo.data['stp-state'], 0, 'the sub-message decoded by its selector');
    assert.ok(!Object.keys(reply).some((k) => /[A-Z]/.test(k)), `no camelCase: ${Object.keys(reply).join(' ')}`);
    // --multi: several do operations, their replies as one list in order.
    const multi = await call('-n', ns, 'call', '--family', 'rt-link', '--multi', 'getlink', '{"ifname":"br0"}', '--multi', 'getlink', '{"ifi-index":1}', '--output-json');
    assert.equal(multi.status, 0, multi.stderr);
    assert.deepEqual((JSON.parse(multi.stdout) as { ifname: string }[]).map((l) => l.ifname), ['br0', 'lo']);
    const dump = JSON.parse((await call('-n', ns, 'call', '--family', 'rt-link', '--dump', 'getlink', '--output-json')).stdout) as { ifname: string }[];
    assert.deepEqual(dump.map((l) => l.ifname).sort(), ipJson(ns, 'link show').map((l: { ifname: string }) => l.ifname).sort());

    // tc: tcmsg fields by name (and by their tcm- spelling), a qdisc made and dumped.
    if (!requireTool(t, 'tc')) return;
    const q = await call('-n', ns, 'call', '--family', 'tc', '--do', 'newqdisc', '--create', `tcm-ifindex=${br.ifindex}`,
      'tcm-handle=0x10000', 'parent=0xffffffff', 'kind=pfifo', 'options.limit=1234');
    assert.equal(q.status, 0, q.stderr);
    const theirs = JSON.parse(sh(`tc -n ${ns} -j qdisc show dev br0`));
    assert.deepEqual([theirs[0].kind, theirs[0].handle, theirs[0].options.limit], ['pfifo', '1:', 1234]);
    const qd = JSON.parse((await call('-n', ns, 'call', '--family', 'tc', '--dump', 'getqdisc', '--output-json')).stdout) as Record<string, any>[];
    const mine = qd.find((x) => x.ifindex === br.ifindex)!;
    assert.deepEqual([mine.kind, mine.handle, mine.parent, mine.options.limit], ['pfifo', 0x10000, 0xffffffff, 1234]);
  });
});

test('bad values end in one line naming the attribute, exit 1; a missing attribute is named as YNL names it', async (t) => {
  if (!requireRoot(t)) return;
  await withNetns(async (ns) => {
    ip(ns, 'link add va type veth peer name vb');
    const bad: [string[], RegExp][] = [
      [['header.dev-index=abc'], /^header\.dev-index: expected a number, got "abc"\n$/],
      [['header.dev-index=-1'], /^header\.dev-index: -1 does not fit u32\n$/],
      [['header.dev-index=4294967296'], /^header\.dev-index: 4294967296 does not fit u32\n$/],
      [['header.flags=no-such-flag'], /^header\.flags: "no-such-flag" is not a header-flags flag\n$/],
      [['header.nosuch=1'], /^header\.nosuch: header has no attribute "nosuch"\nKnown: dev-index, dev-name, flags, phy-index\n$/],
      [['--json', '{"header":{"dev-index":"x"}}'], /^header\.dev-index: expected a number/],
      [['--json', '{not json'], /^genl call: --json: /],
    ];
    for (const [words, want] of bad) {
      const r = await call('-n', ns, 'call', 'ethtool', 'linkinfo-get', ...words);
      assert.equal(r.status, 1, words.join(' '));
      assert.match(r.stderr, want, words.join(' '));
      assert.equal(r.stdout, '');
    }
    // rt-link's enums: an unknown name is refused before anything is sent.
    if (existsSync(SPECS)) {
      const r = await call('-n', ns, 'call', '--family', 'rt-link', '--do', 'getlink', 'ifname=va', 'ifi-type=not-a-type');
      assert.equal(r.status, 1);
      assert.match(r.stderr, /^ifi-type: expected a number, got "not-a-type"\n$|^ifi-type: "not-a-type" is not/);
    }
    // No header at all: the kernel's NLMSGERR_ATTR_MISS_TYPE, named from the set.
    const miss = await call('-n', ns, 'call', 'ethtool', 'linkinfo-get');
    assert.equal(miss.status, 1);
    assert.equal(miss.stderr, 'Netlink error: Invalid argument\n\textack: {\'miss-type\': \'header\'}\n');
    // The offending attribute's offset as a path of names.
    const off = await call('-n', ns, 'call', 'ethtool', 'strset-get', 'header.dev-name=va', 'stringsets.stringset.0.count=1');
    assert.equal(off.status, 1);
    assert.match(off.stderr, /'bad-attr': '\.stringsets\.stringset\.count'/);
    // Usage errors keep argparse's status 2.
    const usage = await call('call', 'ethtool', 'linkinfo-get', '--no-such-option');
    assert.equal(usage.status, 2);
    // What a user sees from the shipped CLI: the same line, no stack trace, the same statuses.
    const cli = nlkit(['genl', '--netns', ns, 'call', 'ethtool', 'linkinfo-get', 'header.dev-index=4294967296']);
    assert.deepEqual([cli.status, cli.stderr], [1, 'header.dev-index: 4294967296 does not fit u32\n']);
  });
});

test('nlctrl getpolicy: the type-value keys are named (op-id, policy-id, attr-id) and agree with the controller', async () => {
  const r = await call('call', 'nlctrl', 'getpolicy', 'family-name=ethtool', 'op=2', '--output-json');
  assert.equal(r.status, 0, r.stderr);
  const msgs = JSON.parse(r.stdout) as Record<string, any>[];
  await using c = GenlClient.open();
  const p = await c.controller.getPolicy('ethtool', { op: 2 });
  const ops = msgs.filter((m) => m['op-policy']).map((m) => m['op-policy']);
  assert.deepEqual(ops.map((o) => o['op-id']), [...p.ops.keys()]);
  const rules = msgs.filter((m) => m.policy).map((m) => m.policy);
  assert.ok(rules.length > 0);
  for (const x of rules) {
    const rule = p.policies.get(x['policy-id'])?.get(x['attr-id']);
    assert.ok(rule, `policy ${x['policy-id']} attr ${x['attr-id']}`);
    assert.equal(x.type, rule.type);
  }
  assert.equal(rules.length, [...p.policies.values()].reduce((n, m) => n + m.size, 0));
});

test('--family finds installed specs; --list-families, --list-ops and --list-attrs read them', async (t) => {
  if (!existsSync(SPECS)) return t.skip(`${SPECS} is missing (install linux-doc-6.12; .ci/run does)`);
  const fams = (await call('call', '--list-families')).stdout.split('\n').filter(Boolean);
  for (const f of ['ethtool', 'netdev', 'nlctrl', 'rt_link']) assert.ok(fams.includes(f), f);
  const ops = (await call('call', '--family', 'netdev', '--list-ops')).stdout;
  assert.match(ops, /^dev-get {2}\[ do, dump \]$/m);
  assert.match(ops, /^qstats-get {2}\[ dump \]$/m);
  const attrs = (await call('call', '--family', 'rt-link', '--list-attrs', 'getlink')).stdout;
  assert.match(attrs, /^Operation: getlink\n\nDo request attributes:\n {2}- ifi-index\n {2}- ifname\n/);
  const none = await call('call', '--family', 'no-such-family', '--do', 'x');
  assert.equal(none.status, 1);
  assert.match(none.stderr, /no spec of family "no-such-family"/);
  // netdev's dev-get by the spec: every device of this namespace, as the kernel reports it.
  const devs = JSON.parse((await call('call', '--family', 'netdev', '--dump', 'dev-get', '--output-json')).stdout) as Record<string, unknown>[];
  assert.ok(devs.length >= 1 && devs.every((d) => typeof d.ifindex === 'number' && Array.isArray(d['xdp-features'])));
});
