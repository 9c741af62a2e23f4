// Bundles every entry point package.json "exports" names (plus the CLI in "bin") from src/*.ts
// into dist/bundle with source maps: adding an entry point is one line in "exports".
// An export's "types" path names its source: ./dist/src/route/index.d.ts <- src/route/index.ts.
import { chmodSync, readFileSync, rmSync } from 'node:fs';
import { build } from 'esbuild';

const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
const OUT = 'dist/bundle/';
const entryPoints = {};
const add = (bundlePath, source) => {
  if (!bundlePath.startsWith(`./${OUT}`) || !bundlePath.endsWith('.js')) throw new Error(`bundle: ${bundlePath} is not in ${OUT}`);
  entryPoints[bundlePath.slice(OUT.length + 2, -3)] = source;
};
for (const [name, target] of Object.entries(pkg.exports)) {
  if (typeof target === 'string') continue; // ./package.json
  const types = target.types;
  if (!types?.startsWith('./dist/src/') || !types.endsWith('.d.ts')) throw new Error(`bundle: export ${name} has no ./dist/src/….d.ts types`);
  add(target.default, `src/${types.slice('./dist/src/'.length, -'.d.ts'.length)}.ts`);
}
const bin = Object.values(pkg.bin ?? {});
for (const b of bin) add(`./${b}`, 'src/cli/main.ts');
// The CLI without its process (runCli): the tests run many command lines in one worker with it.
add(`./${OUT}cli-run.js`, 'src/cli/run.ts');

rmSync(OUT, { recursive: true, force: true });
await build({
  entryPoints,
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  splitting: true,
  outdir: OUT,
  // Stack traces (node --enable-source-maps) name src/….ts lines; the sources are not shipped.
  sourcemap: true,
  sourcesContent: false,
  external: Object.keys(pkg.dependencies ?? {}),
  logLevel: 'warning',
});
for (const b of bin) chmodSync(b, 0o755);
