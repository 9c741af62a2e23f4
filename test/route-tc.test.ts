// Traffic control in nlkit/route against the real kernel and iproute2's tc, in a throwaway
// namespace: what tc builds (htb tree, tbf, u32 filter with a mirred action, clsact with a
// classic-bpf filter) nlkit reads field for field as `tc -j` shows it; what nlkit builds tc
// reads back; deletes, events, and rates/sizes/times parsed and printed as tc does.
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import {
  addTc, changeTc, deleteTc, dumpClasses, dumpFilters, dumpQdiscs, events, formatTcHandle, formatTcRate, formatTcSize,
  formatTcTime, getTc, parseTcHandle, parseTcRate, parseTcSize, parseTcTime, replaceTc, tcXmitSize, tcXmitTime,
  TC_PARENT_INGRESS, ETH_P, TC_ACT, TCA_EGRESS, type TcObject, type U32Sel,
} from '../src/route/index.js';
import { ip, requireRoot, requireTool, withNetns } from './helpers/netns.js';

function tc(ns: string, args: string | string[]): string {
  const argv = typeof args === 'string' ? args.trim().split(/\s+/) : args;
  return execFileSync('tc', ['-n', ns, ...argv], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}
function tcJson<T = any>(ns: string, args: string): T {
  const out = tc(ns, `-j ${args}`).trim();
  return (out === '' ? [] : JSON.parse(out)) as T;
}
/** Two veth ends, up, in the namespace. */
function veth(ns: string): void {
  ip(ns, 'link add d0 type veth peer name d1');
  ip(ns, 'link set d0 up');
  ip(ns, 'link set d1 up');
}
function ifindexOf(ns: string, dev: string): number {
  return (JSON.parse(ip(ns, `-j link show dev ${dev}`)) as { ifindex: number }[])[0]!.ifindex;
}
/** Whether tc can make this qdisc/filter here (modules present); skips the test with the reason otherwise. */
function can(t: { skip(r: string): void }, ns: string, cmd: string | string[]): boolean {
  try {
    tc(ns, cmd);
    return true;
  } catch (e) {
    t.skip(`kernel lacks what "tc ${([] as string[]).concat(cmd).join(' ')}" needs: ${(e as Error).message.split('\n').slice(-2).join(' ')}`);
    return false;
  }
}

const hex8 = (n: number): string => n.toString(16);

test('tc builds, nlkit reads: htb tree, tbf, u32 + mirred, clsact + bpf equal tc -j', async (t) => {
  if (!requireRoot(t) || !requireTool(t, 'tc')) return;
  await withNetns(async (ns) => {
    veth(ns);
    if (!can(t, ns, 'qdisc add dev d0 root handle 1: htb default 10')) return;
    tc(ns, 'class add dev d0 parent 1: classid 1:1 htb rate 10mbit ceil 20mbit');
    tc(ns, 'class add dev d0 parent 1:1 classid 1:10 htb rate 1mbit burst 15k');
    if (!can(t, ns, 'qdisc add dev d1 root handle 5: tbf rate 1mbit burst 32kb latency 50ms')) return;
    if (!can(t, ns, 'filter add dev d0 parent 1: protocol ip prio 1 u32 match ip dst 10.0.0.1/32 flowid 1:10 action mirred egress redirect dev d1')) return;
    if (!can(t, ns, 'qdisc add dev d1 clsact')) return;
    if (!can(t, ns, ['filter', 'add', 'dev', 'd1', 'ingress', 'bpf', 'bytecode', '1,6 0 0 4294967295,'])) return;
    const d1 = ifindexOf(ns, 'd1');

    const mine = await dumpQdiscs({}, { netns: ns }).toArray();
    const theirs = tcJson<any[]>(ns, 'qdisc show');
    const key = (q: { dev?: string; handle: string }) => q.handle;
    for (const q of theirs.filter((x) => ['htb', 'tbf', 'clsact'].includes(x.kind))) {
      const m = mine.find((x) => formatTcHandle(x.handle) === key(q) && x.kind === q.kind);
      assert.ok(m, `nlkit has qdisc ${q.kind} ${q.handle}`);
      assert.equal(m.parent === 0xffffffff, q.root === true, `${q.kind} root`);
      if (q.parent) assert.equal(formatTcHandle(m.parent), q.parent);
      const o = m.options as any;
      if (q.kind === 'htb') {
        assert.equal(o.init.rate2quantum, q.options.r2q);
        assert.equal(`0x${hex8(o.init.defcls)}`, q.options.default);
        assert.equal(o.init.direct_pkts, q.options.direct_packets_stat);
        assert.equal(o.direct_qlen, q.options.direct_qlen);
      }
      if (q.kind === 'tbf') {
        assert.equal(o.parms.rate_rate, q.options.rate);
        assert.equal(tcXmitSize(o.parms.rate_rate, o.parms.buffer), q.options.burst);
      }
    }
    assert.equal(mine.filter((x) => ['htb', 'tbf', 'clsact'].includes(x.kind!)).length, 3);

    // Classes: tc 6.1 prints htb classes as text even with -j, so compare with its text.
    const classes = await dumpClasses({ dev: 'd0' }, { netns: ns }).toArray();
    const text = tc(ns, 'class show dev d0');
    for (const c of classes) {
      const p = (c.options as any).parms;
      const line = text.split('\n').find((l) => l.startsWith(`class htb ${formatTcHandle(c.handle)} `));
      assert.ok(line, `tc shows class ${formatTcHandle(c.handle)}`);
      assert.match(line, new RegExp(` rate ${formatTcRate(p.rate_rate)} ceil ${formatTcRate(p.ceil_rate)} burst ${formatTcSize(tcXmitSize(p.rate_rate, p.buffer))} cburst ${formatTcSize(tcXmitSize(p.ceil_rate, p.cbuffer))}`));
      assert.ok(c.stats2?.basic, 'class statistics');
    }
    assert.equal(classes.length, 2);

    // u32 with mirred.
    const filters = await dumpFilters({ dev: 'd0', parent: parseTcHandle('1:') }, { netns: ns }).toArray();
    const tf = tcJson<any[]>(ns, 'filter show dev d0 parent 1:');
    assert.equal(filters.length, tf.length);
    const rule = filters.find((f) => (f.options as any)?.sel);
    const trule = tf.find((f) => f.options?.match);
    assert.ok(rule && trule);
    assert.equal(rule.prio, trule.pref);
    assert.equal(rule.protocol, ETH_P.IP);
    const o = rule.options as any;
    const sel = o.sel as U32Sel;
    assert.equal(formatTcHandle(o.classid), trule.options.flowid);
    assert.equal(hex8(sel.keys[0]!.val), trule.options.match.value);
    assert.equal(hex8(sel.keys[0]!.mask), trule.options.match.mask);
    assert.equal(sel.keys[0]!.off, trule.options.match.off);
    const act = o.act[0];
    const tact = trule.options.actions[0];
    assert.equal(act.kind, tact.kind);
    assert.equal(act.options.parms.ifindex, d1);
    assert.equal(act.options.parms.index, tact.index);
    assert.equal(act.options.parms.bindcnt, tact.bind);

    // clsact + classic bpf.
    const bpf = (await dumpFilters({ dev: 'd1', parent: TC_PARENT_INGRESS }, { netns: ns }).toArray()).find((f) => (f.options as any)?.ops);
    const tbpf = tcJson<any[]>(ns, 'filter show dev d1 ingress').find((f) => f.options?.bytecode);
    assert.ok(bpf && tbpf);
    assert.equal(bpf.prio, tbpf.pref);
    assert.deepEqual((bpf.options as any).ops, tbpf.options.bytecode.insns);
  });
});

test('nlkit builds, tc reads: htb qdisc, classes, tbf, u32 + mirred, clsact + bpf; change, replace, get, delete', async (t) => {
  if (!requireRoot(t) || !requireTool(t, 'tc')) return;
  await withNetns(async (ns) => {
    veth(ns);
    const opts = { netns: ns, timeout: 5000 };
    const d1 = ifindexOf(ns, 'd1');
    const q = await addTc('qdisc', { dev: 'd0', handle: parseTcHandle('1:'), kind: 'htb', options: { init: { version: 3, rate2quantum: 10, defcls: 0x10 } } as any }, opts);
    assert.equal(q.kind, 'htb');
    const rate = parseTcRate('10mbit')!;
    const ceil = parseTcRate('20mbit')!;
    const burst = parseTcSize('15k')!;
    const parms = (r: number, c: number) => ({
      rate_rate: r, rate_linklayer: 1, ceil_rate: c, ceil_linklayer: 1, buffer: tcXmitTime(r, burst), cbuffer: tcXmitTime(c, burst), quantum: 0, level: 0, prio: 0,
    });
    await addTc('class', { dev: 'd0', parent: parseTcHandle('1:'), handle: parseTcHandle('1:1'), kind: 'htb', options: { parms: parms(rate, ceil) } as any }, opts);
    await addTc('class', { dev: 'd0', parent: parseTcHandle('1:1'), handle: parseTcHandle('1:10'), kind: 'htb', options: { parms: parms(rate / 10, rate) } as any }, opts);
    const text = tc(ns, 'class show dev d0');
    assert.match(text, /class htb 1:1 root rate 10Mbit ceil 20Mbit burst 15Kb cburst 15Kb/);
    assert.match(text, /class htb 1:10 parent 1:1 prio 0 rate 1Mbit ceil 10Mbit burst 15Kb cburst 15Kb/);

    // change the class's rate; tc sees the new one.
    await changeTc('class', { dev: 'd0', parent: parseTcHandle('1:1'), handle: parseTcHandle('1:10'), kind: 'htb', options: { parms: parms(rate / 5, rate) } as any }, opts);
    assert.match(tc(ns, 'class show dev d0 classid 1:10'), /rate 2Mbit ceil 10Mbit/);

    // tbf by latency, as tc computes limit.
    const trate = parseTcRate('1mbit')!;
    const tburst = parseTcSize('32kb')!;
    const latency = parseTcTime('50ms')!;
    const buffer = tcXmitTime(trate, tburst);
    const limit = Math.trunc((trate * latency) / 1e6 + tburst);
    await replaceTc('qdisc', { dev: 'd1', handle: parseTcHandle('5:'), kind: 'tbf', options: { parms: { rate_rate: trate, rate_linklayer: 1, limit, buffer, mtu: 0 } } as any }, opts);
    const tbf = tcJson<any[]>(ns, 'qdisc show dev d1').find((x) => x.kind === 'tbf');
    assert.equal(tbf.handle, '5:');
    assert.equal(tbf.options.rate, trate);
    assert.equal(tbf.options.burst, tburst);
    assert.equal(formatTcTime(tbf.options.lat), '50ms');

    // u32: match ip dst 10.0.0.1/32 (32 bits at offset 16), flowid 1:10, mirred egress redirect to d1.
    const sel: U32Sel = { flags: ['terminal'], offshift: 0, offmask: 0, off: 0, offoff: 0, hoff: 0, hmask: 0, keys: [{ mask: 0xffffffff, val: 0x0a000001, off: 16, offmask: 0 }] };
    const mirred = { kind: 'mirred', options: { parms: { action: TC_ACT.STOLEN, eaction: TCA_EGRESS.REDIR, ifindex: d1 } } };
    await addTc('filter', {
      dev: 'd0', parent: parseTcHandle('1:'), prio: 1, protocol: ETH_P.IP, kind: 'u32',
      options: { classid: parseTcHandle('1:10'), sel, act: [mirred] } as any,
    }, opts);
    const tf = tcJson<any[]>(ns, 'filter show dev d0 parent 1:').find((f) => f.options?.match);
    assert.ok(tf, 'tc shows the u32 rule');
    assert.equal(tf.protocol, 'ip');
    assert.equal(tf.pref, 1);
    assert.equal(tf.options.flowid, '1:10');
    assert.deepEqual(tf.options.match, { value: 'a000001', mask: 'ffffffff', offmask: '', off: 16 });
    assert.equal(tf.options.actions[0].kind, 'mirred');
    assert.equal(tf.options.actions[0].mirred_action, 'redirect');
    assert.equal(tf.options.actions[0].direction, 'egress');
    assert.equal(tf.options.actions[0].to_dev, 'd1');

    // clsact + classic bpf (return 0xffffffff: accept whole packet).
    await addTc('qdisc', { dev: 'd1', parent: parseTcHandle('clsact'), handle: parseTcHandle('ffff:'), kind: 'clsact' }, opts);
    await addTc('filter', { dev: 'd1', parent: TC_PARENT_INGRESS, prio: 7, kind: 'bpf', options: { ops_len: 1, ops: [{ code: 6, jt: 0, jf: 0, k: 0xffffffff }] } as any }, opts);
    const tb = tcJson<any[]>(ns, 'filter show dev d1 ingress').find((f) => f.options?.bytecode);
    assert.ok(tb, 'tc shows the bpf filter');
    assert.equal(tb.pref, 7);
    assert.equal(tb.protocol, 'all');
    assert.deepEqual(tb.options.bytecode.insns, [{ code: 6, jt: 0, jf: 0, k: 4294967295 }]);

    // get, then delete: tc sees them gone.
    const got = await getTc('qdisc', { dev: 'd1', handle: parseTcHandle('5:'), parent: parseTcHandle('root') }, opts);
    assert.equal(got.kind, 'tbf');
    await deleteTc('filter', { dev: 'd0', parent: parseTcHandle('1:'), prio: 1, protocol: ETH_P.IP }, opts);
    assert.deepEqual(tcJson(ns, 'filter show dev d0 parent 1:'), []);
    await deleteTc('class', { dev: 'd0', handle: parseTcHandle('1:10'), parent: parseTcHandle('1:1') }, opts);
    assert.doesNotMatch(tc(ns, 'class show dev d0'), /1:10/);
    await deleteTc('qdisc', { dev: 'd0', parent: parseTcHandle('root') }, opts);
    assert.equal(tcJson<any[]>(ns, 'qdisc show dev d0').filter((x) => x.kind === 'htb').length, 0);
    await assert.rejects(deleteTc('qdisc', { dev: 'd0', handle: parseTcHandle('9:'), parent: parseTcHandle('root') }, opts), (e: any) => typeof e.code === 'string');

    // bfifo by nlkit, read by tc; pfifo by tc, read by nlkit.
    await addTc('qdisc', { dev: 'd0', handle: parseTcHandle('7:'), kind: 'bfifo', options: { limit: parseTcSize('30kb') } as any }, opts);
    const bf = tcJson<any[]>(ns, 'qdisc show dev d0').find((x) => x.kind === 'bfifo');
    assert.equal(bf?.handle, '7:');
    assert.equal(bf?.options.limit, 30720);
    tc(ns, 'qdisc replace dev d0 root handle 8: pfifo limit 77');
    const pf = (await dumpQdiscs({ dev: 'd0' }, opts).toArray()).find((x) => x.kind === 'pfifo');
    assert.equal(formatTcHandle(pf!.handle), '8:');
    assert.deepEqual({ limit: (pf!.options as any).limit }, { limit: tcJson<any[]>(ns, 'qdisc show dev d0').find((x) => x.kind === 'pfifo').options.limit });
  });
});

test('tc events: a qdisc tc adds and deletes arrives on the tc group', async (t) => {
  if (!requireRoot(t) || !requireTool(t, 'tc')) return;
  await withNetns(async (ns) => {
    veth(ns);
    const sub = events(['tc'], { netns: ns });
    try {
      tc(ns, 'qdisc add dev d0 root handle 3: htb');
      tc(ns, 'qdisc del dev d0 root');
      const seen: string[] = [];
      for await (const ev of sub) {
        if ('overrun' in ev) continue;
        if (ev.kind === 'qdisc' && (ev.object as TcObject).kind === 'htb') seen.push(`${ev.event} ${formatTcHandle((ev.object as TcObject).handle)}`);
        if (seen.length === 2) break;
      }
      assert.deepEqual(seen, ['new 3:', 'del 3:']);
    } finally {
      sub.close();
    }
  });
});

test('rates, sizes, times and handles: parsed and printed as tc does', () => {
  assert.equal(parseTcRate('10mbit'), 1250000);
  assert.equal(parseTcRate('1Kibit'), 128);
  assert.equal(parseTcRate('100kbps'), 100000);
  assert.equal(parseTcRate('8'), 1);
  assert.equal(parseTcRate('10furlongs'), undefined);
  assert.equal(parseTcSize('1500b'), 1500);
  assert.equal(parseTcSize('32kb'), 32768);
  assert.equal(parseTcSize('2m'), 2 * 1024 * 1024);
  assert.equal(parseTcTime('1ms'), 1000);
  assert.equal(parseTcTime('1.5s'), 1500000);
  assert.equal(formatTcRate(1250000), '10Mbit');
  assert.equal(formatTcRate(125), '1Kbit');
  assert.equal(formatTcRate(1250001), '10Mbit');
  assert.equal(formatTcRate(125125), '1001Kbit');
  assert.equal(formatTcSize(1600), '1600b');
  assert.equal(formatTcSize(15360), '15Kb');
  assert.equal(formatTcTime(50000), '50ms');
  assert.equal(formatTcTime(200), '200us');
  assert.equal(parseTcHandle('1:10'), 0x10010);
  assert.equal(formatTcHandle(0x10000), '1:');
  assert.equal(formatTcHandle(0xffffffff), 'root');
  assert.equal(formatTcHandle(0xfffffff2), 'ffff:fff2');
  assert.throws(() => parseTcHandle('1:2:3'), TypeError);
});

test('tc structs have the UAPI headers\' sizes (sizeof by the C compiler)', async (t) => {
  const cc = process.env.CC || 'cc';
  if (spawnSync(cc, ['--version']).status !== 0) return t.skip(`no C compiler (${cc})`);
  const structs = await import('../src/route/tc-structs.js');
  const { structSize } = await import('../src/schema/layout.js');
  const specs = Object.values(structs).filter((s): s is typeof structs.tcmsg => typeof s === 'object' && s !== null && 'name' in s);
  const dir = mkdtempSync(path.join(tmpdir(), 'nlkit-tc-uapi-'));
  try {
    const src = [
      '#include <linux/rtnetlink.h>', '#include <linux/pkt_sched.h>', '#include <linux/pkt_cls.h>', '#include <linux/gen_stats.h>',
      '#include <linux/tc_act/tc_mirred.h>', '#include <linux/tc_act/tc_gact.h>', '#include <linux/netlink.h>', '#include <linux/filter.h>', '#include <stdio.h>', 'int main(void) {',
      ...specs.map((s) => `  printf("%s %zu\\n", "${s.name}", sizeof(struct ${s.name}));`), '  return 0;', '}',
    ].join('\n');
    writeFileSync(path.join(dir, 'sizes.c'), src);
    execFileSync(cc, ['-o', path.join(dir, 'sizes'), path.join(dir, 'sizes.c')]);
    const sizes = new Map(execFileSync(path.join(dir, 'sizes'), { encoding: 'utf8' }).trim().split('\n').map((l) => l.split(' ') as [string, string]));
    assert.ok(specs.length >= 15);
    for (const s of specs) assert.equal(structSize(s), Number(sizes.get(s.name)), `sizeof(struct ${s.name})`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
