// Every sock_diag constant nlkit/diag uses equals the kernel UAPI headers' value, and every
// struct it declares has the header's size (bit fields read as the bytes they occupy). Values
// newer than the installed headers must lie past the last value the headers know in their table.
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import * as diag from '../src/diag/index.js';
import { compileStruct, type StructSpec } from '../src/schema/index.js';
import { parseUapiHeaders } from './helpers/uapi-header.js';

const DIR = '/usr/include/linux';
const FILES = ['sock_diag.h', 'inet_diag.h', 'unix_diag.h', 'netlink_diag.h', 'packet_diag.h', 'tcp.h', 'in.h', 'in6.h'].map((f) => `${DIR}/${f}`);

function libcSocketHeaders(): string[] {
  return readdirSync('/usr/include').map((d) => `/usr/include/${d}/bits/socket.h`).filter(existsSync);
}

/** The headers with bit-field runs turned into the bytes they occupy, so struct sizes parse. */
function headers(): ReturnType<typeof parseUapiHeaders> {
  const dir = mkdtempSync(path.join(tmpdir(), 'nlkit-diag-uapi-'));
  try {
    const files = [...FILES, '/usr/include/netinet/tcp.h', ...libcSocketHeaders()].filter(existsSync).map((f, i) => {
      let n = 0;
      const text = readFileSync(f, 'utf8').replace(/\b(__u8)\s+[^;{}]*?:\s*\d+[^;{}]*;/g, (_m, t: string) => `${t} bits_${n++};`);
      const out = path.join(dir, `${i}-${path.basename(f)}`);
      writeFileSync(out, text);
      return out;
    });
    return parseUapiHeaders(files);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

test('diag constants equal the kernel UAPI headers', (t) => {
  if (!existsSync(`${DIR}/inet_diag.h`)) {
    t.skip(`${DIR}/inet_diag.h is missing (install linux-libc-dev)`);
    return;
  }
  const h = headers();
  assert.equal(h.values.get('INET_DIAG_SOCKOPT'), 22, 'the parser reads inet_diag.h');
  assert.equal(h.values.get('AF_NETLINK'), 16, 'the parser reads bits/socket.h');
  const mismatches: string[] = [];
  const unexplained: string[] = [];
  let checked = 0;
  for (const [table, value] of Object.entries(diag)) {
    if (!/^[A-Z][A-Z0-9_]*$/.test(table)) continue;
    if (typeof value === 'number') {
      const raw = h.values.get(table);
      if (raw === undefined) continue;
      // ~0U parses as -1: compare as the unsigned value it is.
      const theirs = raw < 0 ? raw >>> 0 : raw;
      checked++;
      if (theirs !== value) mismatches.push(`${table}: nlkit ${value}, header ${theirs}`);
      continue;
    }
    if (typeof value !== 'object' || value === null || table === 'EVENT_GROUPS') continue;
    const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => typeof v === 'number') as [string, number][];
    const known = entries.filter(([k]) => h.values.has(`${table}_${k}`));
    const maxKnown = Math.max(-Infinity, ...known.map(([, v]) => v));
    for (const [key, ours] of entries) {
      const name = `${table}_${key}`;
      const theirs = h.values.get(name);
      if (theirs === undefined) {
        if (!(ours > maxKnown)) unexplained.push(`${name} = ${ours} (headers go up to ${maxKnown})`);
        continue;
      }
      checked++;
      if (theirs !== ours) mismatches.push(`${name}: nlkit ${ours}, header ${theirs}`);
    }
  }
  assert.deepEqual(mismatches, []);
  assert.deepEqual(unexplained, []);
  assert.ok(checked >= 120, `checked ${checked} constants`);
});

test('diag structs have the headers\' sizes', (t) => {
  if (!existsSync(`${DIR}/inet_diag.h`)) {
    t.skip(`${DIR}/inet_diag.h is missing (install linux-libc-dev)`);
    return;
  }
  const h = headers();
  const s = diag.structs;
  const size = (spec: StructSpec) => compileStruct(spec).size;
  const sockid = h.structs.get('inet_diag_sockid');
  assert.equal(sockid, 48);
  // Structs with struct inet_diag_sockid inside: their fixed fields plus the sockid.
  assert.equal(size(s.inetDiagReqV2), 8 + sockid!, 'inet_diag_req_v2');
  assert.equal(size(s.inetDiagMsg), 4 + sockid! + 20, 'inet_diag_msg');
  const pairs: [StructSpec, string][] = [
    [s.inetDiagMeminfo, 'inet_diag_meminfo'], [s.inetDiagSockopt, 'inet_diag_sockopt'], [s.tcpvegasInfo, 'tcpvegas_info'],
    [s.tcpDctcpInfo, 'tcp_dctcp_info'], [s.tcpBbrInfo, 'tcp_bbr_info'], [s.unixDiagReq, 'unix_diag_req'], [s.unixDiagMsg, 'unix_diag_msg'],
    [s.unixDiagVfs, 'unix_diag_vfs'], [s.unixDiagRqlen, 'unix_diag_rqlen'], [s.netlinkDiagReq, 'netlink_diag_req'],
    [s.netlinkDiagMsg, 'netlink_diag_msg'], [s.netlinkDiagRing, 'netlink_diag_ring'], [s.packetDiagReq, 'packet_diag_req'],
    [s.packetDiagMsg, 'packet_diag_msg'], [s.packetDiagInfo, 'packet_diag_info'], [s.packetDiagMclist, 'packet_diag_mclist'],
    [s.packetDiagRing, 'packet_diag_ring'], [s.inetDiagBcOp, 'inet_diag_bc_op'], [s.inetDiagHostcond, 'inet_diag_hostcond'],
    [s.inetDiagMarkcond, 'inet_diag_markcond'],
  ];
  for (const [spec, name] of pairs) assert.equal(size(spec), h.structs.get(name), name);
  for (const [k, v] of Object.entries(s.HEADER_SIZES)) {
    const spec = Object.values(s).find((x) => (x as StructSpec).name === k) as StructSpec;
    assert.equal(size(spec), v, `HEADER_SIZES.${k}`);
  }
  // tcp_info: the header's struct is a prefix of ours (newer kernels append; we declare up to total_rto_time).
  const tcpInfo = h.structs.get('tcp_info');
  assert.ok(tcpInfo !== undefined, 'tcp_info parses');
  const fields = s.tcpInfo.fields;
  let at = 0;
  let i = 0;
  for (; i < fields.length && at < tcpInfo!; i++) at += compileStruct({ name: 'x', fields: [fields[i]!] }).size;
  assert.equal(at, tcpInfo, 'tcp_info fields line up with the header\'s size');
});
