// pcap capture (LINKTYPE_NETLINK): what the socket sent and received, decoded by tshark.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { LINKTYPE_NETLINK, NETLINK_ROUTE, NetlinkSocket } from '../src/index.js';
import { ip, requireRoot, requireTool, withNetns } from './helpers/netns.js';
import { getLinks } from './helpers/rtnl.js';

function tshark(args: string[]): string {
  const r = spawnSync('tshark', args, { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  assert.equal(r.status, 0, r.stderr);
  return r.stdout;
}

test('a capture of a dump opens in tshark and decodes as rtnetlink', async (t) => {
  if (!requireRoot(t) || !requireTool(t, 'tshark')) return;
  const dir = mkdtempSync(path.join(tmpdir(), 'nlkit-pcap-'));
  const file = path.join(dir, 'dump.pcap');
  try {
    let count = 0;
    await withNetns(async (ns) => {
      ip(ns, 'link add pcap0 type veth peer name pcap1');
      const s = NetlinkSocket.open(NETLINK_ROUTE, { netns: ns, capture: file });
      try {
        count = (await s.dump(getLinks()).toArray()).length;
      } finally {
        s.close();
      }
    });
    assert.equal(count, 3);

    // The global header says LINKTYPE_NETLINK (253).
    const bytes = readFileSync(file);
    assert.equal(bytes.readUInt32LE(0), 0xa1b2c3d4);
    assert.equal(bytes.readUInt32LE(20), LINKTYPE_NETLINK);

    const verbose = tshark(['-r', file, '-V']);
    assert.match(verbose, /Linux netlink \(cooked header\)/);
    assert.match(verbose, /Link-layer address type: Netlink \(824\)/);
    assert.match(verbose, /Linux rtnetlink \(route netlink\) protocol/);
    assert.match(verbose, /Message type: Get network interface info \(18\)/);
    for (const name of ['lo', 'pcap0', 'pcap1']) assert.match(verbose, new RegExp(`Device name: ${name}\\b`));

    // One frame for the request, then one per datagram received, the last ending with DONE.
    const frames = tshark(['-r', file, '-T', 'fields', '-e', 'netlink-route.nltype', '-e', 'netlink-route.ifla_ifname', '-e', 'netlink.hdr_type'])
      .trimEnd().split('\n').map((l) => l.split('\t'));
    assert.ok(frames.length >= 2, `${frames.length} frames`);
    assert.equal(frames[0]![0], '18'); // RTM_GETLINK, sent
    const names = frames.slice(1).flatMap((f) => (f[1] ? f[1].split(',') : []));
    assert.deepEqual(names.sort(), ['lo', 'pcap0', 'pcap1']);
    assert.match(frames.at(-1)![2]!, /0x0003$/); // NLMSG_DONE closes the dump
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
