// `npm run fuzz`: the fuzz test for long. Rounds of mutated golden messages through every decoder
// (see test/helpers/fuzz.ts), each round from its own seed, until --n messages or --minutes
// have passed. Every failure is printed with the seed and message index that reproduce it:
//
//   NLKIT_FUZZ_SEED=<seed> NLKIT_FUZZ_N=<round> node --test dist/test/fuzz.test.js
//
//   npm run fuzz -- --minutes 30 --round 200000 --seed 42
// Exit status 1 when a failure that is not known (KNOWN_FAILURES) was found.
import { randomInt } from 'node:crypto';
import { parseArgs } from 'node:util';
import {
  allTargets, deepCases, fuzz, knownFailure, loadGolden, setStableEvery, type FailureKind,
} from '../test/helpers/fuzz.js';

const { values: opt } = parseArgs({
  options: {
    n: { type: 'string', default: '10000000' }, // messages in all
    minutes: { type: 'string', default: '60' }, // or until this much time has passed
    round: { type: 'string', default: '100000' }, // messages per seed
    seed: { type: 'string' }, // the first round's seed (random by default)
  },
});
const total = Number(opt.n);
const round = Number(opt.round);
const deadline = Date.now() + Number(opt.minutes) * 60_000;

setStableEvery(1); // the fixed-point check on every input: long runs can afford it
const { targets, skipped } = allTargets(loadGolden());
for (const s of skipped) console.log(`skipped: ${s}`);
console.log(`${targets.length} targets; up to ${total} messages or ${opt.minutes} minutes, ${round} a seed`);

let bad = 0;
for (const c of deepCases()) {
  try {
    c.run();
    console.log(`deep nesting ok: ${c.name}`);
  } catch (e) {
    bad++;
    console.log(`deep nesting FAILED: ${c.name}: ${e instanceof Error ? e.message : String(e)}`);
  }
}

const kinds = new Map<string, FailureKind>();
let done = 0;
let seed = opt.seed !== undefined ? Number(opt.seed) : randomInt(0x7fffffff);
const t0 = Date.now();
while (done < total && Date.now() < deadline) {
  const stats = fuzz(targets, seed, Math.min(round, total - done), deadline);
  done += stats.messages;
  for (const k of stats.failures.values()) {
    const seen = kinds.get(k.kind);
    if (seen) {
      seen.count += k.count;
      continue;
    }
    kinds.set(k.kind, { ...k });
    const known = knownFailure(k.kind);
    if (!known) bad++;
    console.log(`${known ? 'known' : 'NEW'} failure: ${k.first.message}`);
    console.log(`  reproduce: NLKIT_FUZZ_SEED=${seed} NLKIT_FUZZ_N=${round} node --test dist/test/fuzz.test.js`);
    console.log(`  input: ${Buffer.from(k.first.input).toString('hex')}`);
  }
  const rate = Math.round(done / ((Date.now() - t0) / 1000));
  console.log(`seed ${seed}: ${stats.messages} messages in ${stats.ms} ms (${done} in all, ${rate}/s)`);
  seed = (Math.imul(seed, 1103515245) + 12345) & 0x7fffffff; // the next round's seed (an LCG: exact in 32 bits)
}
console.log(`${done} messages, ${kinds.size} kinds of failure (${[...kinds.values()].filter((k) => !knownFailure(k.kind)).length} new)`);
for (const k of kinds.values()) console.log(`  ${k.count}x ${k.kind}`);
process.exitCode = bad ? 1 : 0;
