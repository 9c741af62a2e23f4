// Sockets mapped to processes (`ss -p`), as ss does it: every /proc/PID/fd/N that links to
// "socket:[INODE]". Processes of other network namespaces share the pid namespace, so this
// works for sockets dumped with `netns` too.
import { readdirSync, readFileSync, readlinkSync } from 'node:fs';

/** A process holding a socket. */
export interface SocketUser {
  /** The command name (/proc/PID/comm, as ss shows it). */
  comm: string;
  pid: number;
  fd: number;
}

/** Reads /proc: socket inode -> the processes (and fds) holding it. Unreadable entries are skipped. */
export function socketUsers(proc = '/proc'): Map<number, SocketUser[]> {
  const out = new Map<number, SocketUser[]>();
  let pids: string[];
  try {
    pids = readdirSync(proc).filter((d) => /^\d+$/.test(d));
  } catch {
    return out;
  }
  for (const p of pids) {
    let fds: string[];
    try {
      fds = readdirSync(`${proc}/${p}/fd`);
    } catch {
      continue;
    }
    let comm: string | undefined;
    for (const fd of fds) {
      let link: string;
      try {
        link = readlinkSync(`${proc}/${p}/fd/${fd}`);
      } catch {
        continue;
      }
      if (!link.startsWith('socket:[')) continue;
      const ino = Number(link.slice(8, -1));
      if (comm === undefined) {
        try {
          comm = readFileSync(`${proc}/${p}/comm`, 'latin1').replace(/\n$/, '');
        } catch {
          comm = '';
        }
      }
      const list = out.get(ino);
      const u = { comm, pid: Number(p), fd: Number(fd) };
      if (list) list.push(u);
      else out.set(ino, [u]);
    }
  }
  return out;
}
