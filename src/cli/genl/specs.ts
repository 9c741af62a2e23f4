// Where the kernel's YNL specs are installed, and a family's spec by name (YNL's --family).
import { existsSync, readdirSync } from 'node:fs';

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
