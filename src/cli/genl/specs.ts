// Where the kernel's YNL specs are installed, and a family's spec by name (YNL's --family).
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { parse } from 'yaml';
import { loadSpec, type YnlFamily } from '../../genl/index.js';

/** YNL's own install directory, then Debian's linux-doc packages (newest first). */
export function specDirs(): string[] {
  const out: string[] = [];
  if (existsSync('/usr/share/ynl/specs')) out.push('/usr/share/ynl/specs');
  try {
    const docs = readdirSync('/usr/share/doc').filter((d) => d.startsWith('linux-doc')).sort().reverse();
    for (const d of docs) {
      const p = `/usr/share/doc/${d}/Documentation/netlink/specs`;
      if (existsSync(p)) out.push(p);
    }
  } catch { /* no docs */ }
  return out;
}

const EXTS = ['.yaml', '.yaml.gz'];

/** Finds the installed spec of a family: its file name is the family's (rt-link as rt_link too). */
export function findSpec(family: string): string | undefined {
  const names = [family, family.replace(/-/g, '_'), family.replace(/_/g, '-')];
  for (const dir of specDirs()) {
    for (const n of names) for (const ext of EXTS) if (existsSync(`${dir}/${n}${ext}`)) return `${dir}/${n}${ext}`;
  }
  return undefined;
}

/** The families with an installed spec (YNL's --list-families), sorted. */
export function specFamilies(): string[] {
  const out = new Set<string>();
  for (const dir of specDirs()) {
    for (const f of readdirSync(dir)) {
      const ext = EXTS.find((e) => f.endsWith(e));
      if (ext) out.add(f.slice(0, -ext.length));
    }
  }
  return [...out].sort();
}

/**
 * Loads a spec file through a cache of its parsed YAML (as JSON, keyed by path, size and mtime,
 * under $XDG_CACHE_HOME/nlkit or ~/.cache/nlkit): the YAML parser takes about a second on the
 * larger specs (ethtool, rt-link) when cold, JSON.parse a few milliseconds. A cache that cannot
 * be read or written is skipped.
 */
export function loadSpecCached(file: string): YnlFamily {
  let cached: string | undefined;
  try {
    const st = statSync(file);
    const dir = path.join(process.env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache'), 'nlkit', 'specs');
    cached = path.join(dir, `${path.basename(file).replace(/\.yaml(\.gz)?$/, '')}-${createHash('sha1').update(file).digest('hex').slice(0, 12)}-${st.size}-${Math.floor(st.mtimeMs)}.json`);
    if (existsSync(cached)) return loadSpec(JSON.parse(readFileSync(cached, 'utf8')) as Record<string, unknown>, file);
  } catch { /* no cache: parse the YAML */ }
  const bytes = readFileSync(file);
  const y = parse((file.endsWith('.gz') ? gunzipSync(bytes) : bytes).toString('utf8')) as Record<string, unknown>;
  const spec = loadSpec(y, file);
  if (cached) {
    try {
      mkdirSync(path.dirname(cached), { recursive: true });
      const tmp = `${cached}.${process.pid}.tmp`;
      writeFileSync(tmp, JSON.stringify(y));
      renameSync(tmp, cached);
    } catch { /* read-only home: no cache */ }
  }
  return spec;
}
