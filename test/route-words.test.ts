// iproute2's words for UAPI values, derived from the generated tables (route/words.ts), against
// iproute2 itself: its configuration files (rt_protos, rt_scopes, rt_tables) and the
// link/TYPE names `ip` prints for links of many hardware types made in a throwaway namespace.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { test } from 'node:test';
import { dumpLinks, enums, RT_SCOPE, RTN, RTPROT } from '../src/route/index.js';
import { words } from '../src/route/words.js';
import { ipJson, requireRoot, withNetns } from './helpers/netns.js';

/** `N name` lines of an iproute2 configuration file. */
function confFile(name: string): Map<string, number> | undefined {
  for (const dir of ['/etc/iproute2', '/usr/share/iproute2', '/usr/lib/iproute2']) {
    const f = `${dir}/${name}`;
    if (!existsSync(f)) continue;
    const out = new Map<string, number>();
    for (const line of readFileSync(f, 'utf8').split('\n')) {
      const m = /^\s*(0x[0-9a-f]+|\d+)\s+(\S+)/i.exec(line.replace(/#.*/, ''));
      if (m) out.set(m[2]!, Number(m[1]));
    }
    return out;
  }
  return undefined;
}

test('words(): lower-cased C suffixes, renames, dropped keys; numbers only from the table', () => {
  assert.deepEqual(words(RT_SCOPE, { UNIVERSE: 'global' }), { global: 0, site: 200, link: 253, host: 254, nowhere: 255 });
  const types = words(RTN, { UNSPEC: 'none', XRESOLVE: false });
  assert.equal(types.none, RTN.UNSPEC);
  assert.equal(types.unicast, RTN.UNICAST);
  assert.equal('xresolve' in types, false);
});

for (const [file, spec] of [['rt_protos', enums.protocol], ['rt_scopes', enums.scope], ['rt_tables', enums.table]] as const) {
  test(`the ${spec.name} words are iproute2's ${file}`, (t) => {
    const conf = confFile(file);
    if (!conf) {
      t.skip(`no iproute2 ${file} file (iproute2 not installed)`);
      return;
    }
    // Every number the file names, the enum names alike; the enum names nothing the file does not.
    const ours = new Map(Object.entries(spec.values as Record<string, number>));
    assert.deepEqual([...ours].sort((a, b) => a[1] - b[1]), [...conf].sort((a, b) => a[1] - b[1]));
  });
}

test('RTPROT_MROUTED has no word: iproute2 does not name protocol 17', () => {
  assert.equal(Object.values(enums.protocol.values).includes(RTPROT.MROUTED), false);
});

test('link types: nlkit\'s decoded type is the link/TYPE ip prints, for every type this kernel can make', async (t) => {
  if (!requireRoot(t)) return;
  await withNetns(async (ns) => {
    // Devices of different ARPHRD_* types; those this kernel cannot make are left out (and named).
    const made: string[] = [];
    const missing: string[] = [];
    const tries: [string, string][] = [
      ['d0', 'type dummy'], ['ipip0', 'type ipip remote 10.9.9.1 local 10.9.9.2'], ['sit0x', 'type sit remote 10.9.9.1 local 10.9.9.2'],
      ['gre0x', 'type gre remote 10.9.9.1 local 10.9.9.2'], ['t6', 'type ip6tnl remote 2001:db8::1 local 2001:db8::2'],
      ['g6', 'type ip6gre remote 2001:db8::1 local 2001:db8::2'], ['wg0', 'type wireguard'], ['nlmon0', 'type nlmon'],
      ['can0', 'type vcan'], ['ifb0x', 'type ifb'],
    ];
    for (const [name, spec] of tries) {
      const r = spawnSync('ip', ['-n', ns, 'link', 'add', name, ...spec.split(' ')], { encoding: 'utf8' });
      (r.status === 0 ? made : missing).push(name);
    }
    if (missing.length) t.diagnostic(`not made here: ${missing.join(' ')}`);
    const theirs = ipJson<{ ifname: string; link_type: string }[]>(ns, 'link show');
    const ours = await dumpLinks({}, { netns: ns }).toArray();
    const types = new Set<string>();
    for (const l of theirs) {
      const o = ours.find((x) => x.ifname === l.ifname);
      assert.ok(o, l.ifname);
      assert.equal(o.type, l.link_type, `${l.ifname}: ip says link/${l.link_type}`);
      types.add(l.link_type);
    }
    // lo and the dummy at least: loopback and ether; with tunnels many more.
    assert.ok(types.has('loopback') && types.has('ether'), [...types].join(' '));
    t.diagnostic(`types compared: ${[...types].sort().join(' ')}`);
  });
});
