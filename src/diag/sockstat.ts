// The kernel's socket counters (/proc/net/sockstat, sockstat6 and snmp's Tcp line): what `ss -s`
// summarises. Netlink has no message for them.
import type { NetnsSpec } from '../socket/index.js';
import { procNetReader } from './proc-net.js';

/** Counters of one sockstat line (`TCP: inuse 1 orphan 0 tw 0 alloc 1 mem 83`), by key. */
export type SockstatLine = Record<string, number>;

/** A namespace's socket counters, as `ss -s` reads them. */
export interface SocketSummary {
  /** sockstat's and sockstat6's lines by name (`sockets`, `TCP`, `UDP`, `RAW`, `FRAG`, `TCP6`, …). */
  sockstat: Record<string, SockstatLine>;
  /** Established TCP connections (snmp's Tcp CurrEstab). */
  tcpEstablished: number;
}

/** Parses sockstat text: one `NAME: key value key value…` per line. */
export function parseSockstat(text: string): Record<string, SockstatLine> {
  const out: Record<string, SockstatLine> = {};
  for (const line of text.split('\n')) {
    const m = /^(\w+):\s*(.*)$/.exec(line);
    if (!m) continue;
    const words = m[2]!.trim().split(/\s+/);
    const counters: SockstatLine = {};
    for (let i = 0; i + 1 < words.length; i += 2) counters[words[i]!] = Number(words[i + 1]);
    out[m[1]!] = counters;
  }
  return out;
}

/** One field of /proc/net/snmp: its lines come in pairs, names then values. */
export function snmpField(text: string, group: string, name: string): number | undefined {
  const lines = text.split('\n').filter((l) => l.startsWith(`${group}:`));
  for (let i = 0; i + 1 < lines.length; i += 2) {
    const names = lines[i]!.split(/\s+/);
    const k = names.indexOf(name);
    if (k > 0) return Number(lines[i + 1]!.split(/\s+/)[k]);
  }
  return undefined;
}

/** The socket counters of the namespace (this process's when absent). */
export function socketSummary(netns?: NetnsSpec): SocketSummary {
  const read = procNetReader(netns);
  const sockstat = parseSockstat(read('sockstat'));
  try {
    Object.assign(sockstat, parseSockstat(read('sockstat6')));
  } catch {
    // no IPv6 in this kernel: its counters stay absent, as zeros
  }
  return { sockstat, tcpEstablished: snmpField(read('snmp'), 'Tcp', 'CurrEstab') ?? 0 };
}
