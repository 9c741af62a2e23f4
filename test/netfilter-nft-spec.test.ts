// The nf_tables attribute sets nlkit declares, checked against linux-doc-6.12's nftables.yaml:
// every attribute the spec names has the spec's number and integer type, except where the spec
// itself is wrong. Those are listed here: the spec leaves out the PAD attributes of chains,
// rules and set elements (NFTA_*_PAD in <linux/netfilter/nf_tables.h>) and so numbers what
// follows one too low, and it gives a few big-endian integers no byte order.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { test } from 'node:test';
import { loadSpecFile } from '../src/genl/index.js';
import {
  nftaChainAttrs, nftaDataAttrs, nftaGenAttrs, nftaHookAttrs, nftaRuleAttrs, nftaSetAttrs, nftaSetDescAttrs, nftaSetElemAttrs,
  nftaSetElemListAttrs, nftaSetFieldAttrs, nftaTableAttrs, nftaVerdictAttrs,
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
