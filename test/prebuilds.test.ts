// The prebuilt addons (scripts/prebuild.sh, `npm run prebuilds`): linux-x64 for glibc and musl,
// linux-arm64 for glibc, built with Debian's compilers in a copy of the package, each for its
// machine and libc, each found by node-gyp-build for that machine, and the one for this machine
// loaded and used. Slow (three compiles): runs with NLKIT_CONSUMER_TEST=1, as .ci/run sets.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const EM_X86_64 = 62;
const EM_AARCH64 = 183;

/** An ELF file's machine (e_machine) and whether it needs glibc's libc.so.6 or musl's libc.so. */
function elf(file: string): { machine: number; libc: 'glibc' | 'musl' | 'none' } {
  const b = readFileSync(file);
  assert.equal(b.subarray(0, 4).toString('latin1'), '\x7fELF', `${file} is ELF`);
  const text = b.toString('latin1');
  return { machine: b.readUInt16LE(18), libc: text.includes('libc.so.6\0') ? 'glibc' : text.includes('libc.so\0') ? 'musl' : 'none' };
}

test('npm run prebuilds builds linux-x64 glibc and musl and linux-arm64 glibc; node-gyp-build picks each; this machine\'s loads', { timeout: 600_000 }, (t) => {
  if (process.env.NLKIT_CONSUMER_TEST !== '1') return t.skip('set NLKIT_CONSUMER_TEST=1 to build the prebuilds (three compiles)');
  if (process.arch !== 'x64') return t.skip(`prebuilds are built on x86-64 (this is ${process.arch})`);
  const missing = ['musl-gcc', 'aarch64-linux-gnu-gcc'].filter((c) => spawnSync('sh', ['-c', `command -v ${c}`]).status !== 0);
  if (missing.length) return t.skip(`no ${missing.join(', ')} (Debian: musl-tools, gcc-aarch64-linux-gnu; .ci/run installs them)`);

  const dir = mkdtempSync(path.join(tmpdir(), 'nlkit-prebuilds-'));
  try {
    for (const f of ['package.json', 'binding.gyp', 'native', 'scripts/prebuild.sh']) cpSync(path.join(ROOT, f), path.join(dir, f), { recursive: true });
    symlinkSync(path.join(ROOT, 'node_modules'), path.join(dir, 'node_modules'));
    const r = spawnSync('npm', ['run', '--silent', 'prebuilds'], { cwd: dir, encoding: 'utf8', timeout: 540_000 });
    assert.equal(r.status, 0, `npm run prebuilds: ${r.stdout.slice(-2000)}${r.stderr.slice(-2000)}`);
    // A warning is a bug waiting on one of the three (musl has no strerrorname_np, for one).
    assert.doesNotMatch(r.stdout + r.stderr, /warning:/, `the compilers warned: ${(r.stdout + r.stderr).split('\n').filter((l) => /warning:/.test(l)).join('\n')}`);

    const want = {
      'prebuilds/linux-x64/nlkit.glibc.node': { machine: EM_X86_64, libc: 'glibc' },
      'prebuilds/linux-x64/nlkit.musl.node': { machine: EM_X86_64, libc: 'musl' },
      'prebuilds/linux-arm64/nlkit.glibc.node': { machine: EM_AARCH64, libc: 'glibc' },
    } as const;
    assert.deepEqual(r.stdout.trim().split('\n').slice(-3), Object.keys(want).sort(), 'the script lists what it built');
    for (const [file, w] of Object.entries(want)) assert.deepEqual(elf(path.join(dir, file)), w, file);

    // The musl build cannot be loaded here; what it needs from libc must at least be in musl's
    // (Node gives the napi_ and uv_ symbols).
    const nm = (args: string[]) => spawnSync('nm', ['-D', ...args], { encoding: 'utf8' }).stdout;
    const needed = nm(['--undefined-only', path.join(dir, 'prebuilds/linux-x64/nlkit.musl.node')]).split('\n')
      .map((l) => /^\s+U (\S+)/.exec(l)?.[1]).filter((n): n is string => n !== undefined && !/^(napi_|uv_)/.test(n));
    const muslLibc = nm(['--defined-only', '/lib/x86_64-linux-musl/libc.so']);
    assert.ok(needed.length > 10 && muslLibc.length > 0, 'nm read both');
    for (const sym of needed) assert.match(muslLibc, new RegExp(`\\s${sym}\n`), `musl's libc defines ${sym}`);

    // node-gyp-build's choice per machine and libc (npm_config_arch and LIBC are its overrides),
    // with no build/ to prefer.
    const resolve = (env: NodeJS.ProcessEnv) => {
      const c = spawnSync(process.execPath, ['-e', `console.log(require('node-gyp-build').resolve(${JSON.stringify(dir)}))`], {
        cwd: dir, encoding: 'utf8', env: { ...process.env, PREBUILDS_ONLY: '1', ...env },
      });
      assert.equal(c.status, 0, c.stderr);
      return path.relative(dir, c.stdout.trim());
    };
    assert.equal(resolve({ LIBC: 'glibc' }), 'prebuilds/linux-x64/nlkit.glibc.node');
    assert.equal(resolve({ LIBC: 'musl' }), 'prebuilds/linux-x64/nlkit.musl.node');
    assert.equal(resolve({ LIBC: 'glibc', npm_config_arch: 'arm64' }), 'prebuilds/linux-arm64/nlkit.glibc.node');

    // This machine's prebuild opens a NETLINK_ROUTE socket.
    const use = spawnSync(process.execPath, ['-e', `
      const m = { exports: {} };
      process.dlopen(m, ${JSON.stringify(path.join(dir, 'prebuilds/linux-x64/nlkit.glibc.node'))});
      const s = new m.exports.NativeSocket(0, null);
      console.log(s.fd() > 2);
      s.close();`], { encoding: 'utf8' });
    assert.equal(use.status, 0, use.stderr);
    assert.equal(use.stdout, 'true\n');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
