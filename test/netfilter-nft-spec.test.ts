// The nf_tables attribute sets nlkit declares, checked against linux-doc-6.12's nftables.yaml:
// every attribute the spec names has the spec's number and integer type, except where the spec
// itself is wrong. Those are listed here: the spec leaves out the PAD attributes of chains,
// rules and set elements (NFTA_*_PAD in <linux/netfilter/nf_tables.h>) and so numbers what
// follows one too low, and it gives a few big-endian integers no byte order. Also without a
// kernel: nft's element grammar read into keys and written back as nft writes it.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { test } from 'node:test';
import { loadSpecFile } from '../src/genl/index.js';
import {
  nftaChainAttrs, nftaDataAttrs, nftaGenAttrs, nftaHookAttrs, nftaRuleAttrs, nftaSetAttrs, nftaSetDescAttrs, nftaSetElemAttrs,
  nftaSetElemListAttrs, nftaSetFieldAttrs, nftaTableAttrs, nftaVerdictAttrs,
} from '../src/netfilter/index.js';
import {
  concatKeyType, concatTypes, elementJson, formatElement, formatTime, fromRawElements, parseElement, parseTime, splitElements, toRawElements,
  NFT_SET, NFT_SET_ELEM, type NftSetKey,
} from '../src/netfilter/index.js';
import type { AttributeSet } from '../src/schema/index.js';

const SPEC = '/usr/share/doc/linux-doc-6.12/Documentation/netlink/specs/nftables.yaml.gz';
const camel = (s: string) => s.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());

test('nft attribute sets: numbers and integer types are nftables.yaml\'s, where the spec is right', (t) => {
  if (!existsSync(SPEC)) {
    t.skip(`${SPEC} is missing (install linux-doc-6.12; .ci/run does)`);
    return;
  }
  const spec = loadSpecFile(SPEC);
  const pairs = ([
    ['table-attrs', nftaTableAttrs], ['chain-attrs', nftaChainAttrs], ['nft-hook-attrs', nftaHookAttrs], ['rule-attrs', nftaRuleAttrs],
    ['set-attrs', nftaSetAttrs], ['set-desc-attrs', nftaSetDescAttrs], ['set-field-attrs', nftaSetFieldAttrs],
    ['setelem-attrs', nftaSetElemAttrs], ['setelem-list-attrs', nftaSetElemListAttrs], ['gen-attrs', nftaGenAttrs],
    ['data-attrs', nftaDataAttrs], ['verdict-attrs', nftaVerdictAttrs],
  ] as [string, unknown][]) as [string, AttributeSet][];
  const differences: string[] = [];
  let checked = 0;
  for (const [name, ours] of pairs) {
    const theirs = new Map(spec.sets.get(name).attrs.map((a) => [a.name, a]));
    for (const a of ours.attrs) {
      const s = theirs.get(camel(a.name));
      if (!s) continue;
      checked++;
      if (s.type !== a.type) differences.push(`${name} ${s.name}: spec ${s.type}, header ${a.type}`);
      const f = a.field as { kind: string; type?: string };
      const g = s.field as { kind: string; type?: string };
      if (f.kind === 'int' && g.kind === 'int' && f.type !== g.type) differences.push(`${name} ${s.name}: spec ${g.type}, kernel ${f.type}`);
    }
  }
  assert.ok(checked >= 60, `${checked} attributes compared`);
  assert.deepEqual(differences, [
    'table-attrs userdata: spec 5, header 6',
    'chain-attrs flags: spec 9, header 10',
    'chain-attrs id: spec 10, header 11',
    'chain-attrs userdata: spec 11, header 12',
    'rule-attrs id: spec 8, header 9',
    'rule-attrs id: spec u32, kernel u32be',
    'rule-attrs positionId: spec 9, header 10',
    'rule-attrs positionId: spec u32, kernel u32be',
    'rule-attrs chainId: spec 10, header 11',
    'rule-attrs chainId: spec u32, kernel u32be',
    'set-attrs id: spec u32, kernel u32be',
    'set-attrs timeout: spec u64, kernel u64be',
    'set-attrs gcInterval: spec u32, kernel u32be',
    'setelem-attrs timeout: spec u64, kernel u64be',
    'setelem-attrs expiration: spec u64, kernel u64be',
    'setelem-attrs objref: spec 8, header 9',
    'setelem-attrs keyEnd: spec 9, header 10',
    'setelem-attrs expressions: spec 10, header 11',
    'setelem-list-attrs setId: spec u32, kernel u32be',
    'verdict-attrs code: spec u32be, kernel s32be',
    'verdict-attrs chainId: spec u32, kernel u32be',
  ]);
});

test('nft element grammar: parsed into the kernel\'s keys and written back as nft writes it', () => {
  const v4: NftSetKey = { flags: 0, keyType: 7, keyLen: 4 };
  const ranges: NftSetKey = { flags: NFT_SET.INTERVAL, keyType: 7, keyLen: 4 };
  const pairs: NftSetKey = { flags: NFT_SET.INTERVAL | NFT_SET.CONCAT, keyType: concatKeyType([7, 13]), keyLen: 8, fieldLen: [4, 2] };
  assert.deepEqual(concatTypes(pairs.keyType), [7, 13]);
  assert.deepEqual(splitElements('{ 1.2.3.4, 5.6.7.8 timeout 30s , "a,b" }'), ['1.2.3.4', '5.6.7.8 timeout 30s', '"a,b"']);
  assert.deepEqual(splitElements('{ }'), []);
  assert.throws(() => splitElements('{ 1.2.3.4,, 5.6.7.8 }'), /unexpected comma/);

  // A prefix is a start element and, flagged INTERVAL_END, the first address after it.
  const raw = toRawElements(ranges, [parseElement(ranges, '10.0.0.0/8'), parseElement(ranges, '192.0.2.1-192.0.2.9'), parseElement(ranges, '255.255.255.0/24')]);
  assert.deepEqual(raw.map((r) => [Array.from(r.key!).join('.'), r.flags]), [
    ['10.0.0.0', 0], ['11.0.0.0', NFT_SET_ELEM.INTERVAL_END], ['192.0.2.1', 0], ['192.0.2.10', NFT_SET_ELEM.INTERVAL_END], ['255.255.255.0', 0],
  ]);
  // Read back in any order (the kernel dumps an rbtree backwards), merged and sorted.
  assert.deepEqual(fromRawElements(ranges, raw.slice().reverse()).map((e) => formatElement(ranges, e)), ['10.0.0.0/8', '192.0.2.1-192.0.2.9', '255.255.255.0/24']);

  // A concatenation pads each field to 4 bytes; a range of one keeps a key end.
  const [pr] = toRawElements(pairs, [parseElement(pairs, '10.0.0.0/8 . 80-90 timeout 1m30s')]);
  assert.deepEqual([Array.from(pr!.key!), Array.from(pr!.keyEnd!), pr!.timeout], [[10, 0, 0, 0, 0, 80, 0, 0], [10, 255, 255, 255, 0, 90, 0, 0], 90_000]);
  const [back] = fromRawElements(pairs, [pr!]);
  assert.equal(formatElement(pairs, back!), '10.0.0.0/8 . 80-90 timeout 1m30s');
  assert.deepEqual(elementJson(pairs, back!), { elem: { val: { concat: [{ prefix: { addr: '10.0.0.0', len: 8 } }, { range: [80, 90] }] }, timeout: 90 } });

  assert.throws(() => parseElement(v4, '10.0.0.0/8'), /flags interval/);
  assert.throws(() => parseElement(v4, '1.2.3.4 . 80'), /datatype mismatch/);
  assert.throws(() => parseElement(v4, '300.1.1.1'), /Could not resolve hostname/);
  assert.deepEqual([parseTime('1d2h3m4s5ms'), parseTime('30'), formatTime(93_784_005), formatTime(0)], [93_784_005, 30_000, '1d2h3m4s5ms', '0s']);
  assert.throws(() => parseTime('30x'), /Wrong time format/);
});
