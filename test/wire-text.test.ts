// Strings from the kernel are bytes: decodeText/encodeText (surrogateescape) round-trip any byte
// string, agree with UTF-8 where the bytes are UTF-8, and keep each other byte as U+DC00 + byte.
// Pure: no kernel, no root.
import assert from 'node:assert/strict';
import { randomInt } from 'node:crypto';
import { test } from 'node:test';
import { AttributeReader, MessageWriter, decodeText, encodeText, hasEscapedBytes } from '../src/wire/index.js';

/** xorshift32 in [0, 1): the seed alone reproduces a run. */
function xorshift(seed: number): () => number {
  let x = seed >>> 0 || 0x9e3779b9;
  return () => {
    x ^= x << 13;
    x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    return x / 0x100000000;
  };
}

const seed = process.env.NLKIT_FUZZ_SEED ? Number(process.env.NLKIT_FUZZ_SEED) : randomInt(0x7fffffff);

/** Random byte strings biased towards the hard cases: lead bytes, continuations, cut sequences. */
function randomBytes(rand: () => number): Uint8Array {
  const n = Math.floor(rand() * 24);
  const out = new Uint8Array(n);
  const pool = [0x00, 0x41, 0x7f, 0x80, 0xbf, 0xc0, 0xc1, 0xc2, 0xdf, 0xe0, 0xed, 0xef, 0xf0, 0xf4, 0xf5, 0xfe, 0xff];
  for (let i = 0; i < n; i++) out[i] = rand() < 0.5 ? pool[Math.floor(rand() * pool.length)]! : Math.floor(rand() * 256);
  return out;
}

test('100,000 random byte strings: encodeText(decodeText(b)) is b, and valid UTF-8 decodes as TextDecoder does', (t) => {
  t.diagnostic(`seed ${seed} (NLKIT_FUZZ_SEED)`);
  const rand = xorshift(seed);
  const strict = new TextDecoder('utf-8', { fatal: true });
  let valid = 0;
  let escaped = 0;
  for (let i = 0; i < 100_000; i++) {
    const b = randomBytes(rand);
    const s = decodeText(b);
    assert.deepEqual(encodeText(s), b, `bytes ${Buffer.from(b).toString('hex')} (seed ${seed}, string ${i})`);
    let utf8: string | undefined;
    try {
      utf8 = strict.decode(b);
    } catch {
      utf8 = undefined;
    }
    if (utf8 !== undefined) {
      valid++;
      assert.equal(s, utf8, `valid UTF-8 ${Buffer.from(b).toString('hex')} decodes as UTF-8`);
    } else {
      escaped++;
      assert.ok(/[\udc80-\udcff]/u.test(s), `invalid ${Buffer.from(b).toString('hex')} holds an escaped byte`);
    }
  }
  // Both kinds were exercised, or the test proves nothing.
  assert.ok(valid > 5_000 && escaped > 5_000, `${valid} valid, ${escaped} not`);
});

test('each byte that is not UTF-8 becomes U+DC00 + byte; valid sequences around it are kept', () => {
  const cases: [number[], string][] = [
    [[0xfe], '\udcfe'],
    [[0xef, 0xbf, 0xbd], '\ufffd'], // U+FFFD itself is valid UTF-8 and stays distinct from \xfe
    [[0x61, 0xe2, 0x82, 0x62], 'a\udce2\udc82b'], // a sequence cut short: each byte escaped
    [[0xc0, 0xaf], '\udcc0\udcaf'], // overlong
    [[0xed, 0xa0, 0x80], '\udced\udca0\udc80'], // an encoded surrogate
    [[0xf4, 0x90, 0x80, 0x80], '\udcf4\udc90\udc80\udc80'], // past U+10FFFF
    [[0xf0, 0x9f, 0x92, 0x80, 0xff], '\u{1f480}\udcff'], // a pair whose low half is in U+DC80..U+DCFF, then a byte
  ];
  for (const [bytes, text] of cases) {
    const b = Uint8Array.from(bytes);
    assert.equal(decodeText(b), text, Buffer.from(b).toString('hex'));
    assert.deepEqual(encodeText(text), b);
  }
  assert.equal(hasEscapedBytes('\ufffd'), false);
  assert.equal(hasEscapedBytes('\udcfe'), true);
});

test('a string attribute that is not UTF-8 survives the writer and the reader', () => {
  const rand = xorshift(seed ^ 0x5a5a5a5a);
  for (let i = 0; i < 2000; i++) {
    const b = randomBytes(rand).filter((x) => x !== 0); // a NUL ends a netlink string
    const w = new MessageWriter();
    w.attrString(3, decodeText(b));
    const r = new AttributeReader(w.finish());
    assert.ok(r.next());
    assert.deepEqual(encodeText(r.string()), b);
    assert.deepEqual(r.bytes(), Uint8Array.from([...b, 0]));
  }
});
