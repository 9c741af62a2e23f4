// nfnetlink transactions against nf_tables in a namespace of the test's own, with `nft` as the
// oracle: a batch is applied whole, and a batch with one bad message is applied not at all,
// with the error reported for that message's index.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { test } from 'node:test';
import { NFNL_SUBSYS, NFPROTO, NFT_MSG, nfnlType, nftTableCodec, sendTransaction } from '../src/netfilter/index.js';
import { requireRoot, requireTool, withNetns } from './helpers/netns.js';

const table = (msg: number, name: string) => nftTableCodec.encode(nfnlType(NFNL_SUBSYS.NFTABLES, msg), 0, { family: NFPROTO.INET, version: 0, res_id: 0, name } as never);
function tables(ns: string): string[] {
  const j = JSON.parse(execFileSync('ip', ['netns', 'exec', ns, 'nft', '-j', 'list', 'tables'], { encoding: 'utf8' }));
  return j.nftables.filter((x: { table?: unknown }) => x.table).map((x: { table: { family: string; name: string } }) => `${x.table.family} ${x.table.name}`).sort();
}

test('batch: an nf_tables transaction is applied whole; one refused message cancels it and is named by index', async (t) => {
  if (!requireRoot(t) || !requireTool(t, 'nft')) return;
  await withNetns(async (ns) => {
    const ok = await sendTransaction(NFNL_SUBSYS.NFTABLES, [table(NFT_MSG.NEWTABLE, 'nlkit_a'), table(NFT_MSG.NEWTABLE, 'nlkit_b')], { netns: ns });
    assert.deepEqual(ok, { committed: true, errors: [] });
    assert.deepEqual(tables(ns), ['inet nlkit_a', 'inet nlkit_b']);

    const bad = await sendTransaction(NFNL_SUBSYS.NFTABLES, [
      table(NFT_MSG.NEWTABLE, 'nlkit_c'), table(NFT_MSG.DELTABLE, 'nlkit_missing'), table(NFT_MSG.DELTABLE, 'nlkit_a'),
    ], { netns: ns });
    assert.equal(bad.committed, false);
    assert.deepEqual(bad.errors.map((e) => [e.index, e.error.code]), [[1, 'ENOENT']]);
    assert.deepEqual(tables(ns), ['inet nlkit_a', 'inet nlkit_b']);
  });
});
