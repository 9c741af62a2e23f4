// ss filter expressions without a kernel: what parses and what does not, the bytecode's jumps
// (every one lands on an op or on the accept/reject ends, as inet_diag_bc_audit requires), and
// decoding of arbitrary bytes as sock_diag messages (never throws).
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';

const readFileSafe = (f: string): string => {
  try {
    return readFileSync(f, 'utf8');
  } catch {
    return '';
  }
};
import { compileFilter, fnmatch, inetCodec, matchFilter, netlinkCodec, packetCodec, parseFilter, unixCodec } from '../src/diag/index.js';

test('filter expressions parse as ss reads them', () => {
  assert.deepEqual(parseFilter('dport = :22'), { op: 'port', side: 'dst', cmp: 'eq', port: 22 });
  if (readFileSafe('/etc/services').includes('\nssh')) assert.deepEqual(parseFilter('dport = :ssh'), { op: 'port', side: 'dst', cmp: 'eq', port: 22 });
  assert.deepEqual(parseFilter('sport gt :1024'), { op: 'port', side: 'src', cmp: 'gt', port: 1024 });
  const e = parseFilter('src 10.0.0.0/8 and ( dport = :80 or not dport = :443 )');
  assert.equal(e?.op, 'and');
  assert.equal(parseFilter(''), undefined);
  const implicit = parseFilter('sport = :1 dport = :2');
  assert.equal(implicit?.op, 'and', 'terms side by side are and-ed, as in ss');
  for (const bad of ['dport = :http-nope', 'src 10.0.0.0/33', '( sport = :1', 'bogus 1', 'sport = :70000', 'src 1.2.3.4 )']) {
    assert.throws(() => parseFilter(bad), SyntaxError, bad);
  }
});

/** Checks every jump of a program the way inet_diag_bc_audit does. */
function audit(bc: Uint8Array): void {
  const dv = new DataView(bc.buffer, bc.byteOffset, bc.byteLength);
  const starts = new Set<number>();
  for (let at = 0; at < bc.length;) {
    starts.add(at);
    const yes = dv.getUint8(at + 1);
    assert.ok(yes >= 4 && yes % 4 === 0, `op at ${at}: yes ${yes}`);
    at += yes;
  }
  for (const at of starts) {
    const code = dv.getUint8(at);
    const no = dv.getUint16(at + 2, true);
    if (code === 0) continue;
    const target = at + (code === 1 ? no : dv.getUint8(at + 1));
    assert.ok(starts.has(target) || target === bc.length || target === bc.length + 4, `op at ${at} jumps to ${target}`);
    if (code !== 1 && !(code >= 2 && code <= 5)) {
      const fail = at + no;
      assert.ok(starts.has(fail) || fail === bc.length || fail === bc.length + 4, `op at ${at} fails to ${fail}`);
    }
  }
}

test('bytecode jumps land on ops or on the ends', () => {
  for (const expr of [
    'dport = :22', 'sport gt :1024', 'src 10.0.0.0/8', 'dst [::1]:443', 'not src 127.0.0.1',
    'sport = :1 or dport = :2 or src 10.0.0.0/8', '( sport = :1 or dport = :2 ) and not ( src ::/0 or dst 1.2.3.4 )',
  ]) {
    const c = compileFilter(expr);
    assert.ok(c.bytecode, expr);
    assert.equal(c.residual, undefined);
    audit(c.bytecode!);
  }
});

test('user-space evaluation follows the kernel: v4 prefixes match v4-mapped sockets', () => {
  const s = { family: 'inet6', src: '::ffff:10.1.2.3', dst: '::1', sport: 5000, dport: 22 };
  assert.equal(matchFilter(parseFilter('src 10.0.0.0/8'), s), true);
  assert.equal(matchFilter(parseFilter('src ::/0'), s), true);
  assert.equal(matchFilter(parseFilter('src 0.0.0.0/0'), { ...s, src: '2001:db8::1' }), false);
  assert.equal(matchFilter(parseFilter('sport gt :1024 and dport = :22'), s), true);
  assert.equal(matchFilter(parseFilter('not ( sport gt :1024 )'), s), false);
});

test('arbitrary bytes decode as sock_diag messages without throwing', () => {
  for (const codec of [inetCodec, unixCodec, netlinkCodec, packetCodec] as const) {
    for (let i = 0; i < 2000; i++) {
      const len = i % 200;
      const buf = randomBytes(len);
      // Some attribute runs: a plausible header then random attributes.
      assert.doesNotThrow(() => (codec as typeof inetCodec).decodePayload(new Uint8Array(buf)), `len ${len}`);
    }
  }
});

test('fnmatch matches unix names as fnmatch(3) without flags does', () => {
  const cases: [string, string, boolean][] = [
    ['*', '', true], ['*', '/tmp/x.sock', true], ['*.sock', '/tmp/a/x.sock', true], ['/tmp/?.sock', '/tmp/x.sock', true],
    ['/tmp/?.sock', '/tmp/xy.sock', false], ['[@]*', '@abstract', true], ['[!@]*', '@abstract', false], ['[^@]*', '/p', true],
    ['/r/[a-c]', '/r/b', true], ['/r/[a-c]', '/r/d', false], ['[]x]', ']', true], ['\\*', '*', true], ['\\*', 'a', false],
    ['[unclosed', '[unclosed', true], ['a*b*c', 'aXbYbZc', true], ['a*b*c', 'aXbYbZ', false], ['', '', true], ['', 'a', false],
  ];
  for (const [pattern, text, want] of cases) assert.equal(fnmatch(pattern, text), want, `fnmatch(${pattern}, ${text})`);
});

test('unix name patterns: parsed where unix is preferred or written unix:, never compiled to inet bytecode', () => {
  const unix = { family: 'unix', src: '/run/x.sock', dst: '', sport: 10, dport: 11 };
  const inet = { family: 'inet', src: '127.0.0.1', dst: '127.0.0.1', sport: 80, dport: 9 };
  const e = parseFilter('src /run/*.sock', { unix: true })!;
  assert.equal(matchFilter(e, unix), true);
  assert.equal(matchFilter(e, inet), false);
  assert.equal(matchFilter(parseFilter('sport = /run/*', { unix: true })!, unix), true);
  assert.equal(matchFilter(parseFilter('dport != :0', { unix: true })!, unix), true);
  assert.equal(matchFilter(parseFilter('sport gt :9', { unix: true })!, unix), true);
  assert.equal(matchFilter(parseFilter('src unix:/run/x.*')!, unix), true);
  assert.throws(() => parseFilter('src /run/*.sock'), /SyntaxError|bad|parse|address/i);
  assert.equal(compileFilter('src unix:/run/*').bytecode, undefined);
});
