// The bridge (FDB, port options, VLANs, MDB), neighbour tables and IPv6 address labels in
// nlkit/route and `nlkit bridge` / `nlkit ip ntable|addrlabel`, against the real kernel and
// iproute2's bridge and ip, in one throwaway namespace: a bridge with two veth ports and a vxlan
// port. What nlkit writes the tools read back, what the tools write nlkit reads, and the CLI's
// text and JSON equal the tools' byte for byte (shows batched into one process per tool).
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import {
  addAddrLabel, addBridgeVlan, addFdb, addMdb, flushFdb, getFdb, changeNeighTable, deleteAddrLabel, deleteFdb, deleteMdb, dumpAddrLabels,
  dumpBridgePorts, dumpFdb, dumpMdb, dumpNeighTables, events, linkCodec, openRoute, replaceFdb, RTM, setBridgePort,
  type Link, type MdbMessage, type RouteEvent,
} from '../src/route/index.js';
import { brMdbEntry, brPortMsg } from '../src/route/bridge-attrs.js';
import { compileStruct } from '../src/schema/index.js';
import { cliEnv } from './helpers/cli.js';
import { ip, requireRoot, requireTool, withNetns } from './helpers/netns.js';

type Ran = { status: number | null; stdout: string; stderr: string };
let batches = 0;
/**
 * Runs many `nlkit …` command lines in ONE node process (each Node start costs ~0.2 s of CPU):
 * the CLI's command modules from dist/, stdout and stderr captured per run.
 */
function nlkitMany(runs: string[][]): Ran[] {
  const commands = new URL('../src/cli/commands.js', import.meta.url).href;
  const script = `
    const { commands } = await import(${JSON.stringify(commands)});
    const runs = JSON.parse(require('node:fs').readFileSync(0, 'utf8'));
    const out = [], w1 = process.stdout.write, w2 = process.stderr.write;
    for (const [cmd, ...rest] of runs) {
      let stdout = '', stderr = '';
      process.stdout.write = (s) => ((stdout += s), true);
      process.stderr.write = (s) => ((stderr += s), true);
      let status;
      try { status = await (await commands[cmd].load()).run(rest); } catch (e) { stderr += String(e && e.stack || e); status = -1; }
      process.stdout.write = w1; process.stderr.write = w2;
      out.push({ status, stdout, stderr });
    }
    process.stdout.write(JSON.stringify(out));`.replace('require(', "(await import('node:module')).createRequire(import.meta.url)(");
  const r = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8', input: JSON.stringify(runs), env: cliEnv(), maxBuffer: 64 << 20 });
  if (r.status !== 0) throw new Error(`nlkit runner failed: ${r.stderr}`);
  return JSON.parse(r.stdout) as Ran[];
}

/** Writes a batch file for the tool and for nlkit (error lines name the file: one file for both). */
function batchFile(lines: string[], dir: string): string {
  const file = path.join(dir, `batch-${batches++}`);
  writeFileSync(file, lines.join('\n') + '\n');
  return file;
}
function tool(cmd: string, argv: string[]): Ran {
  const r = spawnSync(cmd, argv, { encoding: 'utf8' });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}
function bridgeJson<T = any>(ns: string, args: string): T {
  const out = execFileSync('bridge', ['-n', ns, '-j', ...args.split(' ')], { encoding: 'utf8' }).trim();
  return (out === '' ? [] : JSON.parse(out)) as T;
}

/** The bridge, its ports and the vxlan port; returns the kernel's answer to VLAN filtering (an error text or ''). */
function topology(ns: string): void {
  ip(ns, 'link add br0 type bridge mcast_snooping 1');
  ip(ns, 'link add v0 type veth peer name v0p');
  ip(ns, 'link add v1 type veth peer name v1p');
  ip(ns, 'link add vx0 type vxlan id 100 dstport 4789 local 10.0.0.1 nolearning');
  for (const d of ['v0', 'v1', 'vx0']) ip(ns, `link set ${d} master br0`);
  for (const d of ['br0', 'v0', 'v0p', 'v1', 'v1p', 'vx0']) ip(ns, `link set ${d} up`);
}

test('bridge: FDB, port options, MDB, ntable and addrlabel agree with bridge -j / ip -j, both ways; CLI output equals the tools\'', async (t) => {
  if (!requireRoot(t) || !requireTool(t, 'bridge')) return;
  const dir = mkdtempSync(path.join(tmpdir(), 'nlkit-bridge-'));
  try {
    await withNetns(async (ns) => {
      topology(ns);
      const o = { netns: ns };
      const sock = openRoute({ netns: ns });
      const on = { socket: sock };
      try {
        // --- nlkit writes, bridge reads ---
        const stored = await addFdb({ lladdr: '02:00:00:00:00:11', dev: 'v0', master: true, state: 'static' }, on);
        assert.deepEqual([stored.family, stored.lladdr, stored.state, stored.master !== undefined], ['bridge', '02:00:00:00:00:11', ['noarp'], true]);
        await addFdb({ lladdr: '02:00:00:00:00:12', dev: 'v0', master: true }, on);
        await addFdb({ lladdr: '02:00:00:00:00:13', dev: 'v1' }, on); // self, permanent: iproute2's defaults
        await addFdb({ lladdr: '00:00:00:00:00:00', dev: 'vx0', dst: '10.0.0.2' }, on);
        await addFdb({ lladdr: '02:00:00:00:00:14', dev: 'vx0', dst: '10.0.0.3', vni: 200, port: 4790, via: 'v1p' }, on);
        await replaceFdb({ lladdr: '02:00:00:00:00:12', dev: 'v0', master: true, state: 'dynamic' }, on);
        const fdb = bridgeJson<{ mac: string; ifname: string; flags: string[]; master?: string; state: string; dst?: string; vni?: number; port?: number; viaIf?: string }[]>(ns, 'fdb show');
        const find = (mac: string, dev: string) => fdb.find((e) => e.mac === mac && e.ifname === dev);
        assert.deepEqual(find('02:00:00:00:00:11', 'v0'), { mac: '02:00:00:00:00:11', ifname: 'v0', flags: [], master: 'br0', state: 'static' });
        assert.deepEqual(find('02:00:00:00:00:12', 'v0'), { mac: '02:00:00:00:00:12', ifname: 'v0', flags: [], master: 'br0', state: '' });
        assert.deepEqual(find('02:00:00:00:00:13', 'v1'), { mac: '02:00:00:00:00:13', ifname: 'v1', flags: ['self'], state: 'permanent' });
        assert.deepEqual(find('00:00:00:00:00:00', 'vx0'), { mac: '00:00:00:00:00:00', ifname: 'vx0', dst: '10.0.0.2', flags: ['self'], state: 'permanent' });
        assert.deepEqual(find('02:00:00:00:00:14', 'vx0'),
          { mac: '02:00:00:00:00:14', ifname: 'vx0', dst: '10.0.0.3', port: 4790, vni: 200, viaIf: 'v1p', flags: ['self'], state: 'permanent' });

        // A VLAN-tagged entry needs VLAN filtering on the bridge (CONFIG_BRIDGE_VLAN_FILTERING).
        const vlanOk = spawnSync('ip', ['-n', ns, 'link', 'set', 'br0', 'type', 'bridge', 'vlan_filtering', '1'], { encoding: 'utf8' });
        await t.test('FDB entry with a VLAN, port VLANs (range, pvid untagged) and a VLAN-to-tunnel mapping', async (st) => {
          if (vlanOk.status !== 0) {
            st.skip(`kernel without bridge VLAN filtering: ${vlanOk.stderr.trim()}`);
            return;
          }
          ip(ns, 'link set vx0 type vxlan external');
          await setBridgePort('vx0', { vlan_tunnel: 1 }, on);
          await addBridgeVlan({ dev: 'v0', vid: 10, pvid: true, untagged: true }, on);
          await addBridgeVlan({ dev: 'v1', vid: 20, vid_end: 25 }, on);
          await addBridgeVlan({ dev: 'vx0', vid: 30 }, on);
          await addBridgeVlan({ dev: 'vx0', vid: 30, tunnel_id: 3000 }, on);
          await addFdb({ lladdr: '02:00:00:00:00:15', dev: 'v0', master: true, vlan: 10, state: 'static' }, on);
          const vl = bridgeJson(ns, 'vlan show');
          const v0 = vl.find((p: { ifname: string }) => p.ifname === 'v0');
          assert.deepEqual(v0.vlans.find((v: { vlan: number }) => v.vlan === 10), { vlan: 10, flags: ['PVID', 'Egress Untagged'] });
          assert.ok(vl.find((p: { ifname: string }) => p.ifname === 'v1').vlans.some((v: { vlan: number; vlanEnd?: number }) => v.vlan === 20 && v.vlanEnd === 25));
          assert.ok(JSON.stringify(bridgeJson(ns, 'vlan tunnelshow')).includes('"tunid":3000'));
          assert.ok(bridgeJson<{ mac: string; vlan?: number }[]>(ns, 'fdb show').some((e) => e.mac === '02:00:00:00:00:15' && e.vlan === 10));
          const ports = await dumpBridgePorts({ vlans: true }, on).toArray();
          const p0 = ports.find((l) => l.ifname === 'v0')!.af_spec as { vlan_info: { vid: number; flags: string[] }[] };
          assert.ok(p0.vlan_info.some((v) => v.vid === 10 && v.flags.includes('pvid') && v.flags.includes('untagged')));
          const [mine] = nlkitMany([['bridge', '-n', ns, '-j', 'vlan', 'show']]);
          assert.equal(mine!.stdout, execFileSync('bridge', ['-n', ns, '-j', 'vlan', 'show'], { encoding: 'utf8' }));
        });

        await setBridgePort('v0', { cost: 7, priority: 3, mode: 1, learning: 0, isolated: 1, unicast_flood: 0, state: 'disabled' }, on);
        const ports = bridgeJson<Record<string, unknown>[]>(ns, '-d link show');
        const p0 = ports.find((p) => p.ifname === 'v0')!;
        assert.equal(p0.cost, 7);
        assert.equal(p0.priority, 3);
        assert.equal(p0.state, 'disabled');
        assert.equal(p0.hairpin, true);
        assert.equal(p0.learning, false);
        assert.equal(p0.flood, false);
        assert.equal(p0.isolated, true);

        const g = await addMdb({ dev: 'br0', port: 'v0', grp: '239.1.1.1', permanent: true }, on);
        assert.deepEqual([g.grp, g.state, g.vid], ['239.1.1.1', 'permanent', 0]);
        await addMdb({ dev: 'br0', port: 'v1', grp: 'ff0e::5' }, on);
        await addMdb({ dev: 'br0', port: 'v1', grp: '01:00:5e:01:02:03', permanent: true }, on);
        const mdb = bridgeJson<{ mdb: { dev: string; port: string; grp: string; state: string }[] }[]>(ns, 'mdb show')[0]!.mdb;
        const has = (port: string, grp: string, state: string) => mdb.some((e) => e.dev === 'br0' && e.port === port && e.grp === grp && e.state === state);
        assert.ok(has('v0', '239.1.1.1', 'permanent'), JSON.stringify(mdb));
        assert.ok(has('v1', 'ff0e::5', 'temp'));
        assert.ok(has('v1', '01:00:5e:01:02:03', 'permanent'));

        await changeNeighTable({ family: 'inet', name: 'arp_cache', dev: 'v0', parms: { queue_len: 55, app_probes: 2 } }, on);
        // Thresholds and the gc interval are the initial namespace's only: the kernel says ENOENT elsewhere, to ip too.
        await assert.rejects(changeNeighTable({ family: 'inet', name: 'arp_cache', thresh1: 100, gc_interval: 45000 }, on), { code: 'ENOENT' });
        assert.notEqual(spawnSync('ip', ['-n', ns, 'ntable', 'change', 'name', 'arp_cache', 'thresh1', '100'], { encoding: 'utf8' }).status, 0);
        const nt = ip(ns, 'ntable show name arp_cache dev v0');
        assert.match(nt, /queue 55 /);
        assert.match(nt, /app_probes 2 /);
        await addAddrLabel({ prefix: '2001:db8::/32', label: 99, dev: 'v0' }, on);
        await addAddrLabel({ prefix: '2001:db9::1', label: 7 }, on);
        const labels = JSON.parse(ip(ns, '-j addrlabel list'));
        assert.ok(labels.some((l: Record<string, unknown>) => l.address === '2001:db8::' && l.prefixlen === 32 && l.ifname === 'v0' && l.label === 99));
        assert.ok(labels.some((l: Record<string, unknown>) => l.address === '2001:db9::1' && l.prefixlen === 128 && l.label === 7));

        // --- bridge and ip write, nlkit reads ---
        const w = tool('bridge', ['-n', ns, '-batch', batchFile([
          'fdb add 02:00:00:00:00:21 dev v1 master static',
          'fdb add 02:00:00:00:00:22 dev vx0 dst 10.0.0.9 vni 300 self',
          'link set dev v1 cost 9 priority 5 guard on fastleave on neigh_suppress on',
          'mdb add dev br0 port v0 grp 239.2.2.2 permanent',
        ], dir)]);
        assert.equal(w.status, 0, w.stderr);
        ip(ns, 'ntable change name ndisc_cache dev v1 retrans 1500 ucast_probes 4');
        ip(ns, 'addrlabel add prefix 2001:dbb::/48 label 42');
        const entries = await dumpFdb({ br: 'br0' }, on).toArray();
        const e21 = entries.find((e) => e.lladdr === '02:00:00:00:00:21')!;
        assert.deepEqual([e21.state, e21.flags, e21.master !== undefined], [['noarp', 'reachable'].filter((s) => (e21.state as string[]).includes(s)), [], true]);
        assert.ok((e21.state as string[]).includes('noarp'));
        const vx = await dumpFdb({ dev: 'vx0' }, on).toArray();
        const e22 = vx.find((e) => e.lladdr === '02:00:00:00:00:22')!;
        assert.deepEqual([e22.dst, e22.vni, e22.flags], ['10.0.0.9', 300, ['self']]);
        const v1 = (await dumpBridgePorts({ dev: 'v1' }, on).toArray())[0]!.protinfo as Record<string, unknown>;
        assert.deepEqual([v1.cost, v1.priority, v1.guard, v1.fast_leave, v1.neigh_suppress], [9, 5, 1, 1, 1]);
        const groups = await dumpMdb({ dev: 'br0' }, on).toArray();
        assert.ok(groups.some((g) => g.grp === '239.2.2.2' && g.state === 'permanent' && g.rtprot === 'static'));
        assert.ok(groups.some((g) => g.grp === '01:00:5e:01:02:03'));
        const tables = await dumpNeighTables({ family: 'inet6', name: 'ndisc_cache' }, on).toArray();
        const t1 = tables.find((x) => x.parms?.ifindex !== undefined && x.parms.ifindex === (ip(ns, '-j link show dev v1').match(/"ifindex":(\d+)/)?.[1] ? Number(ip(ns, '-j link show dev v1').match(/"ifindex":(\d+)/)![1]) : -1))!;
        assert.deepEqual([t1.parms!.retrans_time, t1.parms!.ucast_probes], [1500, 4]);
        assert.ok((await dumpAddrLabels({}, on).toArray()).some((l) => l.address === '2001:dbb::' && l.prefixlen === 48 && l.label === 42));

        // --- the CLI prints what the tools print, byte for byte (one process per tool and mode) ---
        // bridge keeps a command's filters (static in fdb.c, link.c, …) for the rest of a batch:
        // a filtered show comes last among its object's lines.
        const plain = batchFile(['fdb get 02:00:00:00:00:11 br br0', 'fdb get 02:00:00:00:00:14 dev vx0 self', 'fdb show', 'link show', 'mdb show', 'vlan show', 'vlan tunnelshow', 'fdb show br br0 state static', 'link show dev v1'], dir);
        const detailed = batchFile(['link show', 'mdb show', 'fdb show dev v0'], dir);
        const ishows = batchFile(['ntable show', 'ntable show dev v0', 'ntable show dev none name arp_cache'], dir);
        const labels6 = batchFile(['addrlabel list', 'ntable show dev none'], dir);
        // Mistakes and refusals: same words, same statuses (bridge: 255 each, a -force batch 1).
        const bad = batchFile([
          'fdb add 02:00:00:00:00:11 dev v0 master static', 'fdb add 02:00:00:00:00:99 dev nope', 'fdb add zz dev v0',
          'fdb del 02:00:00:00:00:98 dev v0 master', 'fdb show dev nope', 'foo', 'mdb add dev br0 port v0 grp 239.1.1.1 permanent',
          'link set dev v0 state bogus', 'mdb show dev nope', 'fdb add 02:00:00:00:00:97', 'mdb add dev br0 port v0', 'link set dev nope cost 3',
          'mdb del dev br0 port v0 grp 239.9.9.9', 'link set dev v0 hairpin maybe', 'fdb get 02:00:00:00:00:99 br br0',
          'fdb flush', 'fdb flush dev br0 brport nope',
          // one of bridge's exit(-1)s: the batch ends there, -force or not (the last line never runs)
          'fdb foo', 'fdb show',
        ], dir);
        const cases: [string, string[]][] = [];
        for (const opts of [[], ['-j'], ['-j', '-p']]) {
          cases.push(['bridge', [...opts, '-batch', plain]], ['bridge', [...opts, '-d', '-batch', detailed]]);
        }
        for (const opts of [[], ['-j'], ['-o'], ['-4']]) cases.push(['ip', [...opts, '-batch', ishows]]);
        // The kernel has labels for IPv6 only: `ip -4 addrlabel` fails with EOPNOTSUPP, "Dump terminated", exit 255.
        cases.push(['ip', ['-4', 'addrlabel']], ['ip', ['-batch', labels6]], ['ip', ['-j', '-batch', labels6]]);
        cases.push(['bridge', ['-force', '-batch', bad]], ['bridge', ['fdb', 'add', '02:00:00:00:00:11', 'dev', 'v0', 'master', 'static']], ['bridge', ['fdb', 'foo']]);
        const mine = nlkitMany(cases.map(([cmd, argv]) => [cmd, '-n', ns, ...argv]));
        // NDTPA_REACHABLE_TIME is re-randomised by the kernel every few minutes (between base/2 and
        // 3*base/2), and a table's parms refcnt moves as the kernel adds and drops neighbours (an
        // IPv6 ndisc entry appearing between the two runs): those two are compared by form.
        const reach = (r: Ran) => ({
          ...r,
          stdout: r.stdout.replace(/(reachable"?:? ?)(\d+)/g, (_m, k: string, v: string) => `${k}${Number(v) >= 500 ? 'R' : v}`).replace(/(refcnt"?:? ?)\d+/g, '$1N'),
        });
        cases.forEach(([cmd, argv], i) => {
          const theirs = tool(cmd, ['-n', ns, ...argv]);
          assert.deepEqual(reach(mine[i]!), reach(theirs), `${cmd} ${argv.join(' ')}`);
        });

        // --- deletes ---
        assert.deepEqual((await getFdb({ lladdr: '02:00:00:00:00:21', br: 'br0' }, on)).ifindex, (await dumpFdb({ dev: 'v1' }, on).toArray()).find((e) => e.lladdr === '02:00:00:00:00:21')!.ifindex);
        await flushFdb({ dev: 'br0', brport: 'v1', match: { static: true } }, on);   // bridge fdb flush dev br0 brport v1 static
        const left = bridgeJson<{ mac: string; ifname: string }[]>(ns, 'fdb show');
        assert.ok(!left.some((e) => e.mac === '02:00:00:00:00:21'), 'the static entry of v1 is flushed');
        assert.ok(left.some((e) => e.mac === '02:00:00:00:00:11' && e.ifname === 'v0'), 'v0\'s static entry stays');
        assert.ok(left.some((e) => e.mac === '02:00:00:00:00:13' && e.ifname === 'v1'), 'v1\'s own (self) entry stays');
        await deleteFdb({ lladdr: '02:00:00:00:00:11', dev: 'v0', master: true }, on);
        await deleteMdb({ dev: 'br0', port: 'v0', grp: '239.1.1.1' }, on);
        await deleteAddrLabel({ prefix: '2001:db8::/32', label: 99, dev: 'v0' }, on);
        assert.ok(!bridgeJson<{ mac: string }[]>(ns, 'fdb show').some((e) => e.mac === '02:00:00:00:00:11'));
        assert.ok(!bridgeJson<{ mdb: { grp: string }[] }[]>(ns, 'mdb show')[0]!.mdb.some((e) => e.grp === '239.1.1.1'));
        assert.ok(!JSON.parse(ip(ns, '-j addrlabel list')).some((l: { address: string }) => l.address === '2001:db8::'));

        // --- events: an FDB add (RTNLGRP_NEIGH, AF_BRIDGE) and an MDB add (RTNLGRP_MDB) ---
        const sub = events(['neigh', 'mdb'], o);
        const seen: RouteEvent[] = [];
        const wait = (async () => {
          for await (const ev of sub) {
            if ('overrun' in ev) continue;
            seen.push(ev);
            const fdbSeen = seen.some((x) => x.kind === 'neighbour' && x.event === 'new' && x.object.family === 'bridge' && x.object.lladdr === '02:00:00:00:00:31');
            const mdbSeen = seen.some((x) => x.kind === 'mdb' && x.event === 'new' && JSON.stringify((x.object as MdbMessage).mdb?.entry ?? []).includes('ifindex'));
            if (fdbSeen && mdbSeen) break;
          }
        })();
        await addFdb({ lladdr: '02:00:00:00:00:31', dev: 'v1', master: true, state: 'static' }, on);
        await addMdb({ dev: 'br0', port: 'v1', grp: '239.3.3.3', permanent: true }, on);
        await wait;
        sub.close();
        const m = seen.find((x) => x.kind === 'mdb')!;
        assert.equal(m.type, RTM.NEWMDB);
      } finally {
        sock.close();
      }
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('bridge VLAN requests: the AF_SPEC nests nlkit sends decode to the ranges, flags and tunnel ids asked for', () => {
  // Encoded as addBridgeVlan encodes them (no kernel needed: this one may lack VLAN filtering).
  const msg = linkCodec.encode(RTM.SETLINK, 0, {
    family: 'bridge', ifindex: 3, af_spec: {
      flags: 2, vlan_info: [{ flags: ['untagged', 'range_begin'], vid: 20 }, { flags: ['untagged', 'range_end'], vid: 25 }],
      vlan_tunnel_info: [{ id: 3000, vid: 30, flags: [] }],
    },
  } as Partial<Link>);
  const back = linkCodec.decodePayload(msg.subarray(16)) as Link;
  const af = back.af_spec as { flags: number; vlan_info: unknown[]; vlan_tunnel_info: unknown[] };
  assert.equal(back.family, 'bridge');
  assert.equal(af.flags, 2);
  assert.deepEqual(af.vlan_info.map((v) => ({ ...(v as object) })), [{ flags: ['untagged', 'range_begin'], vid: 20 }, { flags: ['untagged', 'range_end'], vid: 25 }]);
  assert.deepEqual(af.vlan_tunnel_info.map((v) => ({ ...(v as object) })), [{ id: 3000, vid: 30, flags: [] }]);
  // struct bridge_vlan_info is { u16 flags; u16 vid }: untagged|range_begin = 0x0c, vid 20, in host order.
  const at = Buffer.from(msg).indexOf(Buffer.from([0x0c, 0x00, 0x14, 0x00]));
  assert.ok(at > 0, 'bridge_vlan_info bytes');
});

test('struct br_mdb_entry (a union of group addresses inside) has the C compiler\'s size', (t) => {
  const cc = spawnSync('cc', ['--version'], { encoding: 'utf8' });
  if (cc.status !== 0) {
    t.skip('no C compiler to ask sizeof(struct br_mdb_entry)');
    return;
  }
  const dir = mkdtempSync(path.join(tmpdir(), 'nlkit-mdb-size-'));
  try {
    writeFileSync(path.join(dir, 's.c'), '#include <stdio.h>\n#include <linux/if_bridge.h>\nint main(void){printf("%zu %zu", sizeof(struct br_mdb_entry), sizeof(struct br_port_msg));return 0;}\n');
    execFileSync('cc', ['-o', path.join(dir, 's'), path.join(dir, 's.c')]);
    const [entry, port] = execFileSync(path.join(dir, 's'), { encoding: 'utf8' }).split(' ').map(Number);
    assert.equal(compileStruct(brMdbEntry).size, entry);
    assert.equal(compileStruct(brPortMsg).size, port);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
