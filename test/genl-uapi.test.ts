// Every number nlkit's generic netlink code uses, checked against the kernel UAPI headers:
// controller constants, each family's attribute and command numbers, and struct taskstats'
// layout (offsets compiled by the C compiler when one is installed).
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test, type TestContext } from 'node:test';
import * as genlConstants from '../src/genl/constants.js';
import * as eth from '../src/genl/families/ethtool.js';
import * as mp from '../src/genl/families/mptcp-pm.js';
import * as nd from '../src/genl/families/netdev.js';
import * as nl from '../src/genl/families/nlctrl.js';
import * as ts from '../src/genl/families/taskstats.js';
import * as tm from '../src/genl/families/tcp-metrics.js';
import * as ethCli from '../src/cli/ethtool/settings.js';
import * as ethIoctl from '../src/cli/ethtool/ioctl.js';
import { intSize, type AttributeSet, type StructSpec } from '../src/schema/index.js';
import type { FamilyDef } from '../src/genl/index.js';
import { cConstants, upperSnake } from './helpers/c-header.js';
import { hasTool } from './helpers/netns.js';

const INC = '/usr/include/linux';

function requireHeader(t: TestContext, file: string): boolean {
  if (existsSync(`${INC}/${file}`)) return true;
  t.skip(`${INC}/${file} is not installed (linux-libc-dev too old or missing)`);
  return false;
}

/** Checks each attribute of each set against PREFIX + NAME; returns how many were found. */
function checkSets(h: Map<string, number>, sets: [AttributeSet<any>, string][], rename: Record<string, string> = {}): { checked: number; missing: string[] } {
  const bad: string[] = [];
  const missing: string[] = [];
  let checked = 0;
  for (const [set, prefix] of sets) {
    for (const a of set.attrs) {
      const name = prefix + (rename[`${set.name}.${a.name}`] ?? upperSnake(a.name));
      const v = h.get(name);
      if (v === undefined) {
        missing.push(name);
        continue;
      }
      checked++;
      if (v !== a.type) bad.push(`${name}: nlkit ${a.type}, header ${v}`);
    }
  }
  assert.deepEqual(bad, []);
  return { checked, missing };
}

/** Checks commands: request values against PREFIX + NAME, replies against the given naming. */
function checkOps(h: Map<string, number>, def: FamilyDef, req: (op: string) => string, rep: (op: string) => string): { checked: number; missing: string[] } {
  const bad: string[] = [];
  const missing: string[] = [];
  let checked = 0;
  for (const o of Object.values(def.ops)) {
    for (const [v, name] of [[o.request, o.notify === undefined ? req(o.name) : undefined], [o.reply, rep(o.name)]] as const) {
      if (v === undefined || name === undefined) continue;
      const hv = h.get(name);
      if (hv === undefined) {
        missing.push(name);
        continue;
      }
      checked++;
      if (hv !== v) bad.push(`${name}: nlkit ${v}, header ${hv}`);
    }
  }
  assert.deepEqual(bad, []);
  return { checked, missing };
}

test('src/genl/constants.ts equals <linux/genetlink.h> and <linux/netlink.h>', (t) => {
  if (!requireHeader(t, 'genetlink.h')) return;
  const h = cConstants(`${INC}/netlink.h`, `${INC}/genetlink.h`);
  const bad: string[] = [];
  let checked = 0;
  for (const [name, v] of Object.entries(genlConstants)) {
    if (name === 'GENL_HDRLEN') continue; // NLMSG_ALIGN(sizeof(struct genlmsghdr)): checked below
    const hv = h.get(name);
    if (hv === undefined) {
      bad.push(`${name}: not in the headers`);
      continue;
    }
    checked++;
    if (hv !== v) bad.push(`${name}: nlkit ${v}, header ${hv}`);
  }
  assert.deepEqual(bad, []);
  assert.ok(checked >= 60, `checked ${checked}`);
  assert.equal(genlConstants.GENL_HDRLEN, 4); // struct genlmsghdr { __u8 cmd; __u8 version; __u16 reserved; }
});

test('nlctrl declaration equals <linux/genetlink.h>', (t) => {
  if (!requireHeader(t, 'genetlink.h')) return;
  const h = cConstants(`${INC}/netlink.h`, `${INC}/genetlink.h`);
  const { checked } = checkSets(h, [
    [nl.ctrlAttrs, 'CTRL_ATTR_'], [nl.opAttrs, 'CTRL_ATTR_OP_'], [nl.mcastGroupAttrs, 'CTRL_ATTR_MCAST_GRP_'],
    [nl.policyAttrs, 'NL_POLICY_TYPE_ATTR_'], [nl.opPolicyAttrs, 'CTRL_ATTR_POLICY_'],
  ]);
  assert.equal(checked, 10 + 2 + 2 + 12 + 2);
  checkOps(h, nl.nlctrl, (o) => `CTRL_CMD_${upperSnake(o)}`, (o) => `CTRL_CMD_${{ getfamily: 'NEWFAMILY', getpolicy: 'GETPOLICY' }[o] ?? upperSnake(o)}`);
  for (const [n, v] of Object.entries(nl.attrType.values)) {
    const hv = h.get(`NL_ATTR_TYPE_${upperSnake(n)}`);
    if (hv !== undefined) assert.equal(v, hv, n);
  }
  for (const [n, v] of Object.entries(nl.opFlags.bits)) assert.equal(v, h.get(`GENL_${upperSnake(n).replace(/^CMD_CAP_HASPOL$/, 'CMD_CAP_HASPOL')}`), n);
});

test('ethtool declaration equals <linux/ethtool_netlink.h> and <linux/ethtool.h>', (t) => {
  if (!requireHeader(t, 'ethtool_netlink.h')) return;
  const h = cConstants(`${INC}/ethtool.h`, `${INC}/ethtool_netlink.h`);
  const sets = checkSets(h, [
    [eth.header, 'ETHTOOL_A_HEADER_'], [eth.bitsetBit, 'ETHTOOL_A_BITSET_BIT_'], [eth.bitsetBits, 'ETHTOOL_A_BITSET_BITS_'],
    [eth.bitset, 'ETHTOOL_A_BITSET_'], [eth.stringAttrs, 'ETHTOOL_A_STRING_'], [eth.strings, 'ETHTOOL_A_STRINGS_'],
    [eth.stringset, 'ETHTOOL_A_STRINGSET_'], [eth.stringsets, 'ETHTOOL_A_STRINGSETS_'], [eth.strset, 'ETHTOOL_A_STRSET_'],
    [eth.linkinfo, 'ETHTOOL_A_LINKINFO_'], [eth.linkmodes, 'ETHTOOL_A_LINKMODES_'], [eth.linkstate, 'ETHTOOL_A_LINKSTATE_'],
    [eth.features, 'ETHTOOL_A_FEATURES_'], [eth.rings, 'ETHTOOL_A_RINGS_'], [eth.channels, 'ETHTOOL_A_CHANNELS_'],
    [eth.coalesce, 'ETHTOOL_A_COALESCE_'], [eth.pause, 'ETHTOOL_A_PAUSE_'], [eth.pauseStat, 'ETHTOOL_A_PAUSE_STAT_'],
    [eth.debug, 'ETHTOOL_A_DEBUG_'], [eth.wol, 'ETHTOOL_A_WOL_'],
  ]);
  assert.ok(sets.checked >= 70, `checked ${sets.checked}; newer than the headers: ${sets.missing.join(', ')}`);
  const ops = checkOps(h, eth.ethtool, (o) => `ETHTOOL_MSG_${upperSnake(o)}`,
    (o) => `ETHTOOL_MSG_${upperSnake(o)}${o.endsWith('-ntf') ? '' : '_REPLY'}`);
  assert.ok(ops.checked >= 25, `checked ${ops.checked}`);
  for (const n of ['ETHTOOL_FLAG_COMPACT_BITSETS', 'ETHTOOL_FLAG_OMIT_REPLY', 'ETHTOOL_FLAG_STATS', 'ETH_SS_FEATURES', 'ETH_SS_LINK_MODES'] as const) {
    assert.equal(eth[n], h.get(n), n);
  }
  for (const n of ['ETH_TP_MDI_INVALID', 'ETH_TP_MDI', 'ETH_TP_MDI_X', 'ETH_TP_MDI_AUTO'] as const) assert.equal(ethCli[n], h.get(n), n);
  // The ioctl commands `nlkit ethtool -i`/`-S` send, and their sizes.
  for (const n of ['ETHTOOL_GDRVINFO', 'ETHTOOL_GSTRINGS', 'ETHTOOL_GSTATS', 'ETHTOOL_GSSET_INFO', 'ETH_SS_STATS', 'ETH_GSTRING_LEN'] as const) assert.equal(ethIoctl[n], h.get(n), n);
  assert.equal(ethCli.SPEED_UNKNOWN, (h.get('SPEED_UNKNOWN') ?? -1) >>> 0);
  for (const [v, name] of Object.entries({ PORT_TP: 0, PORT_AUI: 1, PORT_MII: 2, PORT_FIBRE: 3, PORT_BNC: 4, PORT_DA: 5, PORT_NONE: 0xef, PORT_OTHER: 0xff })) {
    assert.equal(h.get(v), name, v);
  }
});

test('tcp_metrics declaration equals <linux/tcp_metrics.h>', (t) => {
  if (!requireHeader(t, 'tcp_metrics.h')) return;
  const h = cConstants(`${INC}/tcp_metrics.h`);
  const { checked } = checkSets(h, [[tm.tcpMetricsAttrs, 'TCP_METRICS_ATTR_']]);
  assert.equal(checked, 13);
  // The metrics nest is numbered TCP_METRIC_* + 1.
  for (const a of tm.metrics.attrs) {
    const name = `TCP_METRIC_${a.name === 'reodering' ? 'REORDERING' : upperSnake(a.name)}`;
    assert.equal(a.type, h.get(name)! + 1, name);
  }
  checkOps(h, tm.tcpMetrics, (o) => `TCP_METRICS_CMD_${upperSnake(o)}`, (o) => `TCP_METRICS_CMD_${upperSnake(o)}`);
});

test('taskstats declaration equals <linux/taskstats.h>', (t) => {
  if (!requireHeader(t, 'taskstats.h')) return;
  const h = cConstants(`${INC}/taskstats.h`);
  checkSets(h, [[ts.taskstatsAttrs, 'TASKSTATS_TYPE_'], [ts.aggrAttrs, 'TASKSTATS_TYPE_'], [ts.cpumaskAttrs, 'TASKSTATS_CMD_ATTR_']]);
  assert.equal(h.get('TASKSTATS_CMD_ATTR_PID'), ts.taskstatsAttrs.attrs.find((a) => a.name === 'pid')!.type);
  assert.equal(h.get('TASKSTATS_CMD_ATTR_TGID'), ts.taskstatsAttrs.attrs.find((a) => a.name === 'tgid')!.type);
  assert.equal(ts.taskstats.ops.get.request, h.get('TASKSTATS_CMD_GET'));
  assert.equal(ts.taskstats.ops.get.reply, h.get('TASKSTATS_CMD_NEW'));
  assert.equal(ts.TASKSTATS_VERSION, h.get('TASKSTATS_VERSION'));
  assert.equal(ts.TS_COMM_LEN, h.get('TS_COMM_LEN'));
});

function layout(spec: StructSpec): Map<string, number> {
  const out = new Map<string, number>();
  let at = 0;
  for (const f of spec.fields) {
    if (f.type !== 'pad') out.set(f.name, at);
    at += f.len ?? intSize(f.type as never);
  }
  out.set('$size', at);
  return out;
}

test('struct taskstats offsets equal the C compiler\'s', (t) => {
  if (!requireHeader(t, 'taskstats.h')) return;
  const cc = ['cc', 'gcc', 'g++'].find(hasTool);
  if (!cc) {
    t.skip('no C compiler to compute offsetof()');
    return;
  }
  const ours = layout(ts.taskstatsStruct);
  const cName = (n: string) => n.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`).replace(/(\D)(\d)/g, '$1$2');
  const fields = [...ours.keys()].filter((k) => k !== '$size');
  const dir = mkdtempSync(join(tmpdir(), 'nlkit-ts-'));
  try {
    const src = `#include <stdio.h>\n#include <stddef.h>\n#include <linux/taskstats.h>\nint main(void){\n` +
      fields.map((f) => `printf("${f} %zu\\n", offsetof(struct taskstats, ${cName(f)}));`).join('\n') +
      `\nprintf("$size %zu\\n", sizeof(struct taskstats));return 0;}\n`;
    writeFileSync(join(dir, 'o.c'), src);
    const build = spawnSync(cc, ['-x', 'c', '-o', join(dir, 'o'), join(dir, 'o.c')], { encoding: 'utf8' });
    assert.equal(build.status, 0, build.stderr);
    const out = spawnSync(join(dir, 'o'), { encoding: 'utf8' }).stdout;
    const theirs = new Map(out.trim().split('\n').map((l) => [l.split(' ')[0]!, Number(l.split(' ')[1])] as [string, number]));
    assert.deepEqual([...ours], [...theirs]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('mptcp_pm declaration equals <linux/mptcp.h>', (t) => {
  if (!requireHeader(t, 'mptcp.h')) return;
  const h = cConstants(`${INC}/mptcp.h`);
  const { checked, missing } = checkSets(h, [[mp.address, 'MPTCP_PM_ADDR_ATTR_'], [mp.pmAttrs, 'MPTCP_PM_ATTR_'], [mp.eventAttrs, 'MPTCP_ATTR_']]);
  assert.ok(checked >= 28, `checked ${checked}, missing ${missing.join(', ')}`);
  checkOps(h, { ...mp.mptcpPm, ops: Object.fromEntries(Object.entries(mp.mptcpPm.ops).filter(([, o]) => o.notify === undefined)) },
    (o) => `MPTCP_PM_CMD_${upperSnake(o)}`, (o) => `MPTCP_PM_CMD_${upperSnake(o)}`);
  let events = 0;
  for (const [n, v] of Object.entries(mp.eventType.values)) {
    const hv = h.get(`MPTCP_EVENT_${upperSnake(n)}`);
    if (hv === undefined) continue;
    events++;
    assert.equal(v, hv, n);
  }
  assert.ok(events >= 8);
  for (const n of ['SIGNAL', 'SUBFLOW', 'BACKUP', 'FULLMESH'] as const) assert.equal(mp[`MPTCP_PM_ADDR_FLAG_${n}`], h.get(`MPTCP_PM_ADDR_FLAG_${n}`), n);
});

test('netdev declaration equals <linux/netdev.h>', (t) => {
  if (!requireHeader(t, 'netdev.h')) return;
  const h = cConstants(`${INC}/netdev.h`);
  const { checked } = checkSets(h, [[nd.dev, 'NETDEV_A_DEV_'], [nd.pagePool, 'NETDEV_A_PAGE_POOL_'], [nd.napi, 'NETDEV_A_NAPI_'], [nd.queue, 'NETDEV_A_QUEUE_']]);
  assert.ok(checked >= 5);
  checkOps(h, nd.netdev, (o) => `NETDEV_CMD_${upperSnake(o)}`, (o) => `NETDEV_CMD_${upperSnake(o)}`);
});
