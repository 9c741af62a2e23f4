// Every rtnetlink constant nlkit/route uses equals the kernel UAPI headers' value, and every
// struct it declares has the header's size. Values newer than the installed headers must lie
// past the last value the headers know in the same table (they were appended to the enum).
import assert from 'node:assert/strict';
import { existsSync, readdirSync } from 'node:fs';
import { test } from 'node:test';
import * as route from '../src/route/index.js';
import { compileStruct, type StructSpec } from '../src/schema/index.js';
import { parseUapiHeaders } from './helpers/uapi-header.js';

const DIR = '/usr/include/linux';
const FILES = [
  'rtnetlink.h', 'if_link.h', 'if_addr.h', 'neighbour.h', 'fib_rules.h', 'nexthop.h', 'netconf.h', 'net_namespace.h', 'in_route.h',
  'if.h', 'if_arp.h', 'if_bridge.h', 'veth.h', 'if_tun.h', 'lwtunnel.h', 'mpls_iptunnel.h', 'ip.h', 'ipv6.h', 'icmpv6.h',
  'if_ether.h', 'if_addrlabel.h',
].map((f) => `${DIR}/${f}`);

function libcSocketHeaders(): string[] {
  const out: string[] = [];
  for (const d of readdirSync('/usr/include')) if (existsSync(`/usr/include/${d}/bits/socket.h`)) out.push(`/usr/include/${d}/bits/socket.h`);
  return out;
}

/** Names the headers lack although not appended at the end of their table (kernel >= 6.14 RTM_*MULTICAST/ANYCAST notifications). */
const NEWER_INSIDE = new Set(['RTM_NEWMULTICAST', 'RTM_DELMULTICAST', 'RTM_NEWANYCAST', 'RTM_DELANYCAST']);

test('route constants equal the kernel UAPI headers', (t) => {
  if (!existsSync(`${DIR}/rtnetlink.h`)) {
    t.skip(`${DIR}/rtnetlink.h is missing (install linux-libc-dev)`);
    return;
  }
  const h = parseUapiHeaders([...FILES, ...libcSocketHeaders()]);
  // The parser must get the tricky enums right before its silence means anything.
  assert.equal(h.values.get('IFLA_MASTER'), 10, 'enum members after "#define X X" lines');
  assert.equal(h.values.get('RTNLGRP_IPV4_ROUTE'), 7);
  assert.equal(h.values.get('NUD_PERMANENT'), 0x80);

  const mismatches: string[] = [];
  const unexplained: string[] = [];
  const newer: string[] = [];
  let checked = 0;
  for (const [table, value] of Object.entries(route)) {
    if (!/^[A-Z][A-Z0-9_]*$/.test(table) || table === 'HEADER_SIZES' || typeof value !== 'object' || value === null) continue;
    const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => typeof v === 'number') as [string, number][];
    if (entries.length === 0) continue;
    const known = entries.filter(([k]) => h.values.has(`${table}_${k}`));
    const maxKnown = Math.max(-Infinity, ...known.map(([, v]) => v));
    for (const [key, ours] of entries) {
      const name = `${table}_${key}`;
      const theirs = h.values.get(name);
      if (theirs === undefined) {
        if (ours > maxKnown || NEWER_INSIDE.has(name)) newer.push(name);
        else unexplained.push(`${name} = ${ours} (the headers' ${table}_* go up to ${maxKnown})`);
        continue;
      }
      checked++;
      if (theirs !== ours) mismatches.push(`${name}: nlkit ${ours}, header ${theirs}`);
    }
  }
  assert.deepEqual(mismatches, []);
  assert.deepEqual(unexplained, [], 'constants missing from the headers and not appended after their last value');
  assert.ok(checked > 800, `checked ${checked} constants`);
  t.diagnostic(`${checked} constants checked; ${newer.length} newer than the installed headers: ${newer.join(' ')}`);
});

test('route structs have the kernel UAPI headers\' sizes', (t) => {
  if (!existsSync(`${DIR}/rtnetlink.h`)) {
    t.skip(`${DIR}/rtnetlink.h is missing (install linux-libc-dev)`);
    return;
  }
  const h = parseUapiHeaders(FILES);
  const specs = Object.values(route).filter((v): v is StructSpec => typeof v === 'object' && v !== null && 'fields' in v && 'name' in v);
  assert.ok(specs.length >= 20, `found ${specs.length} structs`);
  const bad: string[] = [];
  for (const s of specs) {
    const theirs = h.structs.get(s.name);
    const ours = compileStruct(s).size;
    if (theirs === undefined) bad.push(`${s.name}: not in the headers`);
    else if (theirs !== ours) bad.push(`${s.name}: nlkit ${ours} bytes, header ${theirs}`);
  }
  assert.deepEqual(bad, []);
  for (const [name, size] of Object.entries(route.HEADER_SIZES)) assert.equal(h.structs.get(name), size, name);
});
