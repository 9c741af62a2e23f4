// Files of /proc/net as a namespace sees them. /proc/self/net is this process's namespace; for
// another one the file is read through a process living there (/proc/PID/net), else nsenter.
import { spawnSync } from 'node:child_process';
import { readFileSync, readdirSync, readlinkSync, statSync } from 'node:fs';
import { netnsPath, type NetnsSpec } from '../socket/index.js';

/** The /proc/PID/net directory of a process in the namespace, or undefined. */
function procNetOf(ns: NetnsSpec): string | undefined {
  const want = statSync(netnsPath(ns)).ino;
  const link = `net:[${want}]`;
  for (const pid of readdirSync('/proc')) {
    if (!/^\d+$/.test(pid)) continue;
    try {
      if (readlinkSync(`/proc/${pid}/ns/net`) === link) return `/proc/${pid}/net`;
    } catch {
      // gone, or not ours to read
    }
  }
  return undefined;
}

/**
 * A reader of /proc/net/FILE in the namespace (this process's when absent): the namespace's
 * /proc/PID/net is found once, for every file read through it.
 */
export function procNetReader(netns?: NetnsSpec): (file: string) => string {
  if (netns === undefined) return (file) => readFileSync(`/proc/self/net/${file}`, 'latin1');
  let dir = procNetOf(netns);
  return (file) => {
    if (dir) {
      try {
        return readFileSync(`${dir}/${file}`, 'latin1');
      } catch {
        dir = undefined; // the process left meanwhile: nsenter from now on
      }
    }
    const r = spawnSync('nsenter', [`--net=${netnsPath(netns)}`, 'cat', `/proc/net/${file}`], { encoding: 'latin1' });
    if (r.status !== 0) throw new Error(`nsenter: ${(r.stderr || r.error?.message || '').trim()}`);
    return r.stdout;
  };
}

/** The text of /proc/net/FILE in the namespace (this process's when absent). */
export function readProcNet(file: string, netns?: NetnsSpec): string {
  return procNetReader(netns)(file);
}
