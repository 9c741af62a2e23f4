// Interface names that are not UTF-8, on the command line: `nlkit ip` reads its arguments byte
// for byte (Node's process.argv turns \xfe into U+FFFD, which named a different link) and writes
// names as the bytes `ip` writes. Two links in a throwaway namespace: \xfe and the UTF-8 of U+FFFD.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { test } from 'node:test';
import { CLI, cliEnv } from './helpers/cli.js';
import { requireRoot, withNetns } from './helpers/netns.js';

/** Runs a bash command line (so that $'\xfe' reaches the program as the byte 0xfe); stdout as bytes. */
function bash(cmd: string): Buffer {
  return execFileSync('bash', ['-c', cmd], { encoding: 'buffer', env: cliEnv(), stdio: ['ignore', 'pipe', 'pipe'] });
}

const FE = "$'\\xfe'";
const FFFD = "$'\\xef\\xbf\\xbd'";

/** The link names `ip -j` reports, each as a byte string (one char per byte, latin1). */
function linkNames(ns: string): string[] {
  const json = JSON.parse(bash(`ip -n ${ns} -j link show`).toString('latin1')) as { ifname: string }[];
  return json.map((l) => l.ifname).sort();
}

test('nlkit ip link show prints names that are not UTF-8 byte for byte as ip does, text and JSON', async (t) => {
  if (!requireRoot(t)) return;
  await withNetns((ns) => {
    bash(`ip -n ${ns} link add ${FE} type veth peer name p0 && ip -n ${ns} link add ${FFFD} type veth peer name p1`);
    for (const args of ['link show', '-j link show', `link show dev ${FE}`, `-j link show dev ${FFFD}`]) {
      const ours = bash(`exec ${JSON.stringify(process.execPath)} ${JSON.stringify(CLI)} ip -n ${ns} ${args}`);
      const theirs = bash(`ip -n ${ns} ${args}`);
      assert.ok(theirs.includes(0xfe) || theirs.includes(Buffer.from([0xef, 0xbf, 0xbd])), `ip ${args} printed a name`);
      assert.deepEqual(ours, theirs, `nlkit ip ${args}\n${ours.toString('latin1')}\nip ${args}\n${theirs.toString('latin1')}`);
    }
  });
});

test("nlkit ip link del $'\\xfe' deletes the link named \\xfe, not the one named U+FFFD", async (t) => {
  if (!requireRoot(t)) return;
  await withNetns((ns) => {
    // U+FFFD first: a CLI that turned \xfe into U+FFFD would find that link first and delete it.
    bash(`ip -n ${ns} link add ${FFFD} type veth peer name p1 && ip -n ${ns} link add ${FE} type veth peer name p0`);
    assert.deepEqual(linkNames(ns), ['lo', 'p0', 'p1', '\xef\xbf\xbd', '\xfe'].sort());
    bash(`exec ${JSON.stringify(process.execPath)} ${JSON.stringify(CLI)} ip -n ${ns} link del ${FE}`);
    // The \xfe end and its peer p0 are gone; the U+FFFD link and p1 are still there.
    assert.deepEqual(linkNames(ns), ['lo', 'p1', '\xef\xbf\xbd'].sort());
    bash(`exec ${JSON.stringify(process.execPath)} ${JSON.stringify(CLI)} ip -n ${ns} link del ${FFFD}`);
    assert.deepEqual(linkNames(ns), ['lo']);
  });
});
