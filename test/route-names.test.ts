// Interface names are bytes: the kernel accepts any byte but '/', ':', NUL and whitespace (its
// ctype counts 0xa0 as a space), not only UTF-8. nlkit decodes a byte that is not UTF-8 to U+DC00+byte (surrogateescape), so the
// name it shows is the name it sends back: the link it finds, changes and deletes is that one,
// not a link whose name is U+FFFD. Checked against iproute2's bytes in a throwaway namespace.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { test } from 'node:test';
import { addLink, deleteLink, dumpLinks, getLink } from '../src/route/index.js';
import { requireRoot, sh, withNetns } from './helpers/netns.js';

/** `ip -n NS -o link show` as bytes (its names are not text). */
function ipLinkBytes(ns: string): Buffer {
  return execFileSync('ip', ['-n', ns, '-o', 'link', 'show']);
}

test('non-UTF-8 interface names: read from the kernel, named back, deleted exactly', async (t) => {
  if (!requireRoot(t)) return;
  await withNetns(async (ns) => {
    const o = { netns: ns };
    // One name made by iproute2 from raw bytes, one that is U+FFFD in UTF-8 (what a lossy decoder would show).
    sh(`ip -n ${ns} link add $'\\xfe\\xff' type veth peer name p0`);
    sh(`ip -n ${ns} link add $'\\xef\\xbf\\xbd' type veth peer name p1`);
    const names = (await dumpLinks({}, o).toArray()).map((l) => l.ifname);
    assert.ok(names.includes('\udcfe\udcff'), `names: ${JSON.stringify(names)}`);
    assert.ok(names.includes('\ufffd'));

    // Made by nlkit, the veth peer's name too (a whole link message inside IFLA_INFO_DATA): the
    // kernel stores the bytes themselves.
    await addLink({ ifname: 'x\udcfe', kind: 'veth', peer: { ifname: 'y\udcfd' } }, o);
    assert.ok(ipLinkBytes(ns).includes(Buffer.from([0x3a, 0x20, 0x78, 0xfe, 0x40, 0x79, 0xfd, 0x3a])), 'ip -o link shows ": x\\xfe@y\\xfd:"');
    assert.equal((await getLink('x\udcfe', o)).ifname, 'x\udcfe');
    assert.equal((await getLink('y\udcfd', o)).ifname, 'y\udcfd');

    // Deleting by the decoded name deletes that link (and its peer) and no other.
    await deleteLink('\udcfe\udcff', o);
    const left = ipLinkBytes(ns);
    assert.ok(!left.includes(Buffer.from([0x20, 0xfe, 0xff])), 'the \\xfe\\xff link is gone');
    assert.ok(left.includes(Buffer.from([0x3a, 0x20, 0xef, 0xbf, 0xbd, 0x40])), 'the U+FFFD link is still there');
    assert.ok(left.includes(Buffer.from([0x78, 0xfe])));
  });
});
