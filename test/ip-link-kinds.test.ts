// Every link kind nlkit ip parses and prints that this kernel lacks, against ip's own encoding
// and printing (see helpers/link-kinds.ts): one batch through each tool for all kinds' lines,
// one `monitor file` through each for all their messages, and the mistakes one by one.
import assert from 'node:assert/strict';
import test from 'node:test';
import { attributeLines, cannotCompareRequests, linkMessage, mistakesOfBoth, printedByBoth, requestsOfBoth } from './helpers/link-kinds.js';
import { ip, requireRoot, withNetns } from './helpers/netns.js';
import { NLM_F_ECHO } from '../src/wire/index.js';
import type { KindTable } from './link-kinds/table.js';
import { vlan } from './link-kinds/vlan.js';

const TABLES: readonly KindTable[] = [vlan];

/** The links of the namespace, by name. */
function linkNames(ns: string): Set<string> {
  return new Set((JSON.parse(ip(ns, '-j link show')) as { ifname: string }[]).map((l) => l.ifname));
}

test('link kinds this kernel lacks: the requests ip sends, its text, its words for mistakes', async (t) => {
  if (!requireRoot(t)) return;
  await withNetns(async (ns) => {
    // d0: the lower device lines name with `link d0` / `dev d0` (index 2 in both runs).
    ip(ns, 'link add d0 type ifb');
    const before = linkNames(ns);
    const lines = TABLES.flatMap((k) => k.lines);

    await t.test('requests: the same bytes for every line', (st) => {
      const why = cannotCompareRequests();
      if (why) return st.skip(why);
      const r = requestsOfBoth(ns, lines, () => {
        // A kernel that has a kind made ip's link: gone before nlkit sends the same line.
        for (const n of linkNames(ns)) if (!before.has(n)) ip(ns, ['link', 'del', n]);
      });
      for (const p of r.pairs) {
        assert.deepEqual(attributeLines(p.nlkit.payload), attributeLines(p.ip.payload), p.line);
        // nlkit asks for an echo of what it made (the library returns the new link); ip does not.
        assert.deepEqual([p.nlkit.type, p.nlkit.flags & ~NLM_F_ECHO], [p.ip.type, p.ip.flags], `${p.line}: type and flags`);
      }
      assert.equal(r.nlkit.stderr, r.ip.stderr, 'what both say of the kernel\'s answers');
      assert.equal(r.nlkit.status, r.ip.status);
    });

    await t.test('printing: ip -d monitor file and nlkit ip -d monitor file agree', (st) => {
      const why = cannotCompareRequests();
      const msgs: Uint8Array[] = [];
      if (!why) {
        const r = requestsOfBoth(ns, lines, () => {
          for (const n of linkNames(ns)) if (!before.has(n)) ip(ns, ['link', 'del', n]);
        });
        let i = 0;
        for (const k of TABLES) for (const _ of k.lines) {
          msgs.push(linkMessage(r.pairs[i]!.ip.payload, 100 + i, k.arphrd));
          i++;
        }
      } else st.diagnostic(`${why}: only the tables' own messages are printed`);
      for (const k of TABLES) msgs.push(...(k.messages?.() ?? []));
      for (const opts of [['-d'], ['-d', '-s'], []]) {
        const p = printedByBoth(ns, msgs, opts);
        assert.equal(p.nlkitErr, p.ipErr, `${opts.join(' ')}: stderr`);
        assert.equal(p.nlkit, p.ip, `ip ${opts.join(' ')} monitor file`);
      }
    });

    await t.test('mistakes: the same words and exit status', () => {
      for (const m of mistakesOfBoth(ns, TABLES.flatMap((k) => k.mistakes ?? []))) assert.equal(m.nlkit, m.ip, m.line);
    });
  });
});
