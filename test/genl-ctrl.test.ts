// The controller against the real kernel, with iproute2's `genl` as the oracle: the family list
// family for family (ops with capabilities, groups), iproute2's text byte for byte, a missing
// family's ENOENT, and a policy dump that predicts what the kernel refuses.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { test } from 'node:test';
import {
  CTRL_CMD_GETFAMILY, FamilyNotFoundError, GenlClient, GENL_ID_CTRL, decodeControllerEvent, type FamilyInfo,
} from '../src/genl/index.js';
import { policyAttrs } from '../src/genl/families/nlctrl.js';
import { compileSet } from '../src/schema/index.js';
import { NetlinkError, NetlinkSocket } from '../src/socket/index.js';
import { MessageReader, MessageWriter, NETLINK_GENERIC, viewOf } from '../src/wire/index.js';
import { joined, nlkit, startNlkit, until } from './helpers/cli.js';
import { hasTool, requireRoot, skipUnless, withNetns } from './helpers/netns.js';


/** Parses iproute2's `genl ctrl list` text into families (the oracle's view). */
function parseGenl(text: string): Map<string, { id: number; version: number; hdrsize: number; maxattr: number; ops: number[]; groups: [string, number][] }> {
  const out = new Map();
  for (const block of text.split(/\nName: /).slice(1)) {
    const name = block.split('\n')[0]!.trim();
    const m = /ID: 0x([0-9a-f]+)\s+Version: 0x([0-9a-f]+)\s+header size: (\d+)\s+max attribs: (\d+)/.exec(block)!;
    const ops = [...block.matchAll(/#\d+:\s+ID-0x([0-9a-f]+) \n/g)].map((x) => parseInt(x[1]!, 16));
    const groups = [...block.matchAll(/#\d+:\s+ID-0x([0-9a-f]+)\s+name: (\S+)/g)].map((x) => [x[2]!, parseInt(x[1]!, 16)] as [string, number]);
    out.set(name, { id: parseInt(m[1]!, 16), version: parseInt(m[2]!, 16), hdrsize: Number(m[3]), maxattr: Number(m[4]), ops, groups });
  }
  return out;
}

test('dumpFamilies equals `genl ctrl list`, family for family, with ops and groups', async (t) => {
  if (!skipUnless(t, hasTool('genl'), 'iproute2 genl is not installed')) return;
  await using c = GenlClient.open();
  const ours = await c.controller.dumpFamilies().toArray();
  const theirs = parseGenl(execFileSync('genl', ['ctrl', 'list'], { encoding: 'utf8' }));
  assert.deepEqual(ours.map((f) => f.name).sort(), [...theirs.keys()].sort());
  for (const f of ours) {
    const o = theirs.get(f.name)!;
    assert.deepEqual(
      { id: f.id, version: f.version, hdrsize: f.hdrsize, maxattr: f.maxattr, ops: f.ops.map((x) => x.id), groups: f.groups.map((g) => [g.name, g.id]) },
      o, f.name);
  }
  const ctrl = ours.find((f) => f.name === 'nlctrl')!;
  assert.equal(ctrl.id, GENL_ID_CTRL);
  assert.deepEqual(ctrl.ops.find((x) => x.id === CTRL_CMD_GETFAMILY)!.capabilities, ['do', 'dump', 'has-policy']);
});

test('`nlkit genl ctrl list` and `ctrl get name` print exactly what iproute2 prints', (t) => {
  if (!skipUnless(t, hasTool('genl'), 'iproute2 genl is not installed')) return;
  const list = nlkit(['genl', 'ctrl', 'list']);
  assert.equal(list.status, 0, list.stderr);
  assert.equal(list.stdout, execFileSync('genl', ['ctrl', 'list'], { encoding: 'utf8' }));
  for (const name of ['nlctrl', 'ethtool', 'TASKSTATS']) {
    const r = nlkit(['genl', 'ctrl', 'get', 'name', name]);
    assert.equal(r.stdout, execFileSync('genl', ['ctrl', 'get', 'name', name], { encoding: 'utf8' }), name);
  }
});

test('`nlkit genl -j ctrl list` is JSON with the same families', async () => {
  const r = nlkit(['genl', '-j', 'ctrl', 'list']);
  assert.equal(r.status, 0, r.stderr);
  const fams = JSON.parse(r.stdout) as { name: string; id: number; ops: { id: number; capabilities: string[] }[]; mcast_groups: { name: string }[] }[];
  await using c = GenlClient.open();
  const ours = await c.controller.dumpFamilies().toArray();
  assert.deepEqual(fams.map((f) => f.name), ours.map((f) => f.name));
  assert.deepEqual(fams.find((f) => f.name === 'nlctrl')!.mcast_groups.map((g) => g.name), ['notify']);
});

test('a family that does not exist: ENOENT naming it, from the library and the CLI', async () => {
  await using c = GenlClient.open();
  await assert.rejects(c.resolve('nlkit-nosuch'), (e: unknown) => {
    assert.ok(e instanceof FamilyNotFoundError);
    assert.ok(e instanceof NetlinkError);
    assert.equal(e.code, 'ENOENT');
    assert.equal(e.family, 'nlkit-nosuch');
    assert.match(e.message, /^nlctrl\.getfamily: no generic netlink family "nlkit-nosuch"/);
    assert.ok(e.cause instanceof NetlinkError && e.cause.code === 'ENOENT', 'the kernel\'s error is its cause');
    return true;
  });
  assert.deepEqual(c.cached, [], 'a failed resolution is not cached');
  const r = nlkit(['genl', 'ctrl', 'get', 'name', 'nlkit-nosuch']);
  assert.equal(r.status, 1);
  assert.match(r.stderr, /^Error: no generic netlink family "nlkit-nosuch"/);
});

test('resolution is cached and invalidate() makes the next use ask again', async () => {
  await using c = GenlClient.open();
  const a = await c.resolve('ethtool');
  assert.equal(await c.resolve('ethtool'), a, 'same object from the cache');
  c.invalidate('ethtool');
  const b = await c.resolve('ethtool');
  assert.notEqual(b, a);
  assert.deepEqual(b, a);
});

test('the policy dump of GETFAMILY predicts what the kernel refuses, with its extended ACK', async () => {
  await using c = GenlClient.open();
  const p = await c.controller.getPolicy('nlctrl', { op: CTRL_CMD_GETFAMILY });
  const idx = p.ops.get(CTRL_CMD_GETFAMILY)!.do!;
  const rule = p.policies.get(idx)!.get(2 /* CTRL_ATTR_FAMILY_NAME */)!;
  assert.equal(rule.type, 'nul-string');
  const max = rule.maxLength!;
  assert.equal(max, 15);
  // At the limit the policy passes (the family is simply unknown) …
  await assert.rejects(c.controller.getFamily('x'.repeat(max)), (e: NetlinkError) => e.code === 'ENOENT');
  // … one byte over, validation refuses it and says so, pointing at the attribute and the rule.
  await assert.rejects(c.controller.getFamily('x'.repeat(max + 1)), (e: unknown) => {
    assert.ok(e instanceof NetlinkError && !(e instanceof FamilyNotFoundError));
    assert.equal(e.code, 'EINVAL');
    assert.equal(e.kernelMessage, 'Attribute failed policy validation');
    assert.match(e.message, /^nlctrl\.getfamily: Attribute failed policy validation \(EINVAL\)$/, 'the operation and the kernel\'s words');
    assert.ok(e.cause instanceof NetlinkError && e.cause.op === 'nlctrl', 'the socket\'s error is the cause');
    assert.deepEqual(e.attributePath, [2]);
    const pol = compileSet(policyAttrs).decode(e.policy!, viewOf(e.policy!), 0, e.policy!.byteLength);
    assert.deepEqual({ type: pol.type, maxLength: pol.maxLength }, { type: rule.type, maxLength: max });
    return true;
  });
});

test('a whole-family policy dump lists every op of families with per-op policies (maxattr 0)', async () => {
  await using c = GenlClient.open();
  const info = await c.resolve('ethtool');
  assert.equal(info.maxattr, 0);
  const p = await c.controller.getPolicy('ethtool');
  for (const o of info.ops.filter((x) => x.capabilities.includes('has-policy'))) assert.ok(p.ops.has(o.id), `op ${o.id}`);
  const r = nlkit(['genl', 'ctrl', 'policy', 'name', 'ethtool', 'op', '2']);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /op 2 policies: do=\d+ dump=\d+/);
  assert.match(r.stdout, /attr\[2\]: type=nul-string max len:\d+/);
});

test('controller notifications decode (NEWFAMILY has the GETFAMILY reply layout); events() joins notify', async () => {
  await using c = GenlClient.open();
  // The kernel answers GETFAMILY with CTRL_CMD_NEWFAMILY, the very message it multicasts when a
  // family registers: decode real reply bytes as an event.
  const id = (await c.resolve('nlctrl')).id;
  const w = new MessageWriter();
  w.begin(GENL_ID_CTRL, 0);
  w.struct(4);
  w.view.setUint8(16, CTRL_CMD_GETFAMILY);
  w.attrString(2, 'ethtool');
  w.end();
  const { messages } = await c.socket.request(w.toBytes());
  const m = messages[0]!;
  const buf = new Uint8Array(16 + m.payload.byteLength);
  new DataView(buf.buffer).setUint32(0, buf.byteLength, true);
  new DataView(buf.buffer).setUint16(4, m.type, true);
  buf.set(m.payload, 16);
  const r = new MessageReader(buf);
  assert.ok(r.next());
  const ev = decodeControllerEvent(r)!;
  assert.equal(ev.kind, 'new-family');
  const expected: FamilyInfo = await c.resolve('ethtool');
  assert.deepEqual(ev.family, expected);
  assert.equal(id, GENL_ID_CTRL);
  const ac = new AbortController();
  const it = c.controller.events(['notify'], { signal: ac.signal });
  // A round trip on the watching socket after the join: whatever the kernel queued before its
  // reply has been delivered by the time it arrives.
  const barrier = c.socket.request(w.toBytes()).then(() => ac.abort());
  const seen: unknown[] = [];
  for await (const e of it) seen.push(e);
  await barrier;
  assert.deepEqual(seen, [], 'no family came or went (this kernel loads no modules)');
});

test('`nlkit genl -j ctrl monitor` runs until stopped', async () => {
  const mon = startNlkit(['genl', '-j', 'ctrl', 'monitor']);
  // Ready when its socket has joined nlctrl's notify group (its signal handlers come first).
  try {
    await until(() => joined(mon.pid, NETLINK_GENERIC, GENL_ID_CTRL) || !mon.running(), 'the monitor joined notify');
    assert.ok(mon.running(), `exited early: ${mon.stderr()}`);
  } finally {
    await mon.stop('SIGINT');
  }
  const r = await mon.exited;
  assert.equal(r.status, 0, r.stderr);
});

test('the cache forgets a family when the controller says it went away (DELFAMILY on notify)', async (t) => {
  if (!requireRoot(t)) return;
  await withNetns(async (ns) => {
    await using c = GenlClient.open({ netns: ns });
    await c.resolve('ethtool');
    await c.resolve('netdev');
    // Let the watcher join the notify group, then play the controller: root may multicast to a
    // generic netlink group, and the namespace keeps the message to this test.
    for (let i = 0; i < 50 && c.socket.getOption(270 /* SOL_NETLINK */, 9 /* LIST_MEMBERSHIPS */) === 0; i++) await new Promise((r) => setTimeout(r, 10));
    const w = new MessageWriter();
    w.begin(GENL_ID_CTRL, 0);
    w.struct(4);
    w.view.setUint8(16, 2 /* CTRL_CMD_DELFAMILY */);
    w.attrString(2, 'ethtool');
    w.end();
    const peer = NetlinkSocket.open(NETLINK_GENERIC, { netns: ns });
    try {
      peer.send(w.toBytes(), 0, 1 << (GENL_ID_CTRL - 1));
      for (let i = 0; i < 100 && c.cached.includes('ethtool'); i++) await new Promise((r) => setTimeout(r, 10));
    } finally {
      peer.close();
    }
    assert.deepEqual(c.cached.sort(), ['netdev', 'nlctrl'].filter((n) => c.cached.includes(n)).sort());
    assert.ok(!c.cached.includes('ethtool'), 'ethtool was forgotten');
    assert.ok(c.cached.includes('netdev'), 'other families stay cached');
    assert.equal((await c.resolve('ethtool')).name, 'ethtool', 'and is resolved again on next use');
  });
});

test('GenlClient.events joins groups by id or as family/group of a resolved family, when it returns', async () => {
  await using c = GenlClient.open();
  assert.throws(() => c.events(['ethtool/monitor']), /resolve\('ethtool'\) first/);
  const eth = await c.resolve('ethtool');
  assert.throws(() => c.events(['ethtool/nosuch']), (e: unknown) => e instanceof TypeError && /has no multicast group "nosuch" \(it has: monitor\)/.test(e.message));
  const monitor = eth.groups.find((g) => g.name === 'monitor')!.id;
  const sub = c.events(['ethtool/monitor'], { family: 'ethtool' });
  // NETLINK_LIST_MEMBERSHIPS' first word holds groups 1..32 (ethtool's group is a low number).
  if (monitor <= 32) assert.ok(c.socket.getOption(270 /* SOL_NETLINK */, 9 /* NETLINK_LIST_MEMBERSHIPS */) & (1 << (monitor - 1)), 'joined when events() returned');
  sub.close();
});
