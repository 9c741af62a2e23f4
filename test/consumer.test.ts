// The package as a user gets it: npm pack, install the tarball into an empty project (offline,
// from npm's cache), compile a file importing every entry point with `tsc --strict` (no
// skipLibCheck) on the pinned TypeScript and on npm's latest, run it as ESM, require() it from
// CommonJS, and `npx nlkit --help`.
// Uses what `npm test` already built (dist/); packs with --ignore-scripts so tsc does not run again.
// Takes 15-50 s (node-gyp compiles the addon in the consumer, tsc checks it), too long beside the
// rest of `npm test` on a loaded machine: it runs when NLKIT_CONSUMER_TEST=1 (as .ci/run sets).
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const pkg = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as {
  name: string; exports: Record<string, unknown>;
};
const TSC = path.join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc');
/** Entry points as a user imports them: nlkit, nlkit/route, … (not ./package.json). */
const ENTRIES = Object.entries(pkg.exports)
  .filter(([, t]) => typeof t !== 'string')
  .map(([k]) => (k === '.' ? pkg.name : `${pkg.name}/${k.slice(2)}`));

function npm(args: string[], cwd: string): string {
  const r = spawnSync('npm', [...args, '--no-audit', '--no-fund', '--loglevel=error'], { cwd, encoding: 'utf8' });
  assert.equal(r.status, 0, `npm ${args.join(' ')}: ${r.stderr}`);
  return r.stdout;
}

test('packed tarball installs, type-checks under tsc --strict (pinned and newest TypeScript), runs as ESM and from CommonJS, and runs its bin', { timeout: 240_000 }, async (t) => {
  if (process.env.NLKIT_CONSUMER_TEST !== '1') return t.skip('set NLKIT_CONSUMER_TEST=1 to pack and install into a temporary project');
  const dir = mkdtempSync(path.join(tmpdir(), 'nlkit-consumer-'));
  try {
    const packed = JSON.parse(npm(['pack', '--ignore-scripts', '--json', '--pack-destination', dir], ROOT)) as { filename: string; files: { path: string }[] }[];
    const files = packed[0]!.files.map((f) => f.path);
    assert.ok(!files.some((f) => /^dist\/(test|bench|scripts)\//.test(f) || /^dist\/src\/.*\.js$/.test(f)), `tarball ships only what runs: ${files.filter((f) => !f.startsWith('dist/bundle')).join(' ')}`);
    for (const f of ['LICENSE', 'README.md', 'CHANGELOG.md', 'binding.gyp', 'native/nlsock.c', 'dist/bundle/main.js', 'dist/bundle/main.js.map']) assert.ok(files.includes(f), `tarball has ${f}`);

    const app = path.join(dir, 'app');
    execFileSync('mkdir', [app]);
    writeFileSync(path.join(app, 'package.json'), JSON.stringify({ name: 'app', private: true, type: 'module' }));
    // From the cache this checkout's install filled (--prefer-offline: the registry only for what is
    // missing); @types/node is the project's own copy (a link), the optional peer a user adds.
    npm(['install', '--prefer-offline', path.join(dir, packed[0]!.filename), path.join(ROOT, 'node_modules', '@types', 'node')], app);

    const names = ENTRIES.map((_, i) => `m${i}`);
    writeFileSync(path.join(app, 'main.ts'), [
      ...ENTRIES.map((e, i) => `import * as ${names[i]} from '${e}';`),
      `const counts: Record<string, number> = {};`,
      ...ENTRIES.map((e, i) => `counts[${JSON.stringify(e)}] = Object.keys(${names[i]}).length;`),
      `console.log(JSON.stringify(counts));`,
      '',
    ].join('\n'));
    writeFileSync(path.join(app, 'tsconfig.json'), JSON.stringify({
      // No "types": TypeScript 7 then loads no @types package by itself, so the declarations
      // must bring Node's types (AbortSignal, AsyncDisposable) themselves.
      compilerOptions: { strict: true, target: 'ES2022', module: 'NodeNext', moduleResolution: 'NodeNext' },
      files: ['main.ts'],
    }));
    const tsc = spawnSync(process.execPath, [TSC, '-p', 'tsconfig.json'], { cwd: app, encoding: 'utf8' });
    assert.equal(tsc.status, 0, `tsc --strict in a consumer: ${tsc.stdout}${tsc.stderr}`);

    await t.test('the newest TypeScript (npm\'s latest) type-checks it too', (st) => {
      const latest = path.join(dir, 'ts-latest');
      execFileSync('mkdir', [latest]);
      writeFileSync(path.join(latest, 'package.json'), JSON.stringify({ name: 'ts-latest', private: true }));
      const r = spawnSync('npm', ['install', '--no-audit', '--no-fund', '--loglevel=error', 'typescript@latest'], { cwd: latest, encoding: 'utf8', timeout: 120_000 });
      if (r.status !== 0) return st.skip(`npm install typescript@latest failed (no registry?): ${r.stderr.trim().split('\n')[0]}`);
      const bin = path.join(latest, 'node_modules', 'typescript', 'bin', 'tsc');
      const version = execFileSync(process.execPath, [bin, '--version'], { encoding: 'utf8' }).trim();
      st.diagnostic(version);
      const newest = spawnSync(process.execPath, [bin, '-p', 'tsconfig.json', '--noEmit'], { cwd: app, encoding: 'utf8' });
      assert.equal(newest.status, 0, `${version} --strict in a consumer: ${newest.stdout}${newest.stderr}`);
    });

    const esm = JSON.parse(execFileSync(process.execPath, ['main.js'], { cwd: app, encoding: 'utf8' })) as Record<string, number>;
    assert.deepEqual(Object.keys(esm), ENTRIES);
    for (const e of ENTRIES) assert.ok(esm[e]! > 0, `${e} exports something`);

    // ESM-only package: require() works where Node can require ES modules, else fails with ERR_REQUIRE_ESM.
    writeFileSync(path.join(app, 'main.cjs'), `try { console.log(Object.keys(require('${pkg.name}/wire')).length); } catch (e) { console.log(e.code); }`);
    const cjs = execFileSync(process.execPath, ['main.cjs'], { cwd: app, encoding: 'utf8' }).trim();
    if ((process.features as { require_module?: boolean }).require_module) assert.ok(Number(cjs) > 0, `require('nlkit/wire'): ${cjs}`);
    else assert.equal(cjs, 'ERR_REQUIRE_ESM');

    // Source maps: a throw inside the library names its src/….ts line.
    const trace = execFileSync(process.execPath, ['--enable-source-maps', '--input-type=module', '-e',
      `import { MessageWriter } from '${pkg.name}/wire'; try { new MessageWriter().end(); } catch (e) { console.log(e.stack); }`], { cwd: app, encoding: 'utf8' });
    assert.match(trace, /src\/wire\/message-writer\.ts:\d+/, trace);

    const help = spawnSync('npx', ['--offline', '--no-install', 'nlkit', '--help'], { cwd: app, encoding: 'utf8' });
    assert.equal(help.status, 0, help.stderr);
    assert.match(help.stdout, /^Usage: nlkit COMMAND/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
