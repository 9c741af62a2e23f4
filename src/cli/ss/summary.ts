// `ss -s`: the kernel's socket counters in ss's layout (print_summary), or one JSON object.
import type { SocketSummary } from '../../diag/index.js';

const count = (s: SocketSummary, line: string, key: string): number => s.sockstat[line]?.[key] ?? 0;

/** The summary's numbers as ss derives them from sockstat (TCP's total counts time-wait too). */
export function summaryCounts(s: SocketSummary) {
  const tw = count(s, 'TCP', 'tw');
  const alloc = count(s, 'TCP', 'alloc');
  const tcp4 = count(s, 'TCP', 'inuse');
  const tcp6 = count(s, 'TCP6', 'inuse');
  const row = (v4: number, v6: number) => ({ total: v4 + v6, ipv4: v4, ipv6: v6 });
  const raw = row(count(s, 'RAW', 'inuse'), count(s, 'RAW6', 'inuse'));
  const udp = row(count(s, 'UDP', 'inuse'), count(s, 'UDP6', 'inuse'));
  const tcp = row(tcp4, tcp6);
  return {
    total: count(s, 'sockets', 'used'),
    tcpSummary: { total: alloc + tw, estab: s.tcpEstablished, closed: alloc - (tcp4 + tcp6 - tw), orphaned: count(s, 'TCP', 'orphan'), timewait: tw },
    raw, udp, tcp,
    inet: row(raw.ipv4 + udp.ipv4 + tcp.ipv4, raw.ipv6 + udp.ipv6 + tcp.ipv6),
    frag: row(count(s, 'FRAG', 'inuse'), count(s, 'FRAG6', 'inuse')),
  };
}

/** The summary as `ss -s` prints it. */
export function summaryText(s: SocketSummary): string {
  const c = summaryCounts(s);
  const t = c.tcpSummary;
  const col = (n: number) => String(n).padEnd(9);
  const row = (name: string, r: { total: number; ipv4: number; ipv6: number }) => `${name}\t  ${col(r.total)} ${col(r.ipv4)} ${col(r.ipv6)}\n`;
  return `Total: ${c.total}\n`
    + `TCP:   ${t.total} (estab ${t.estab}, closed ${t.closed}, orphaned ${t.orphaned}, timewait ${t.timewait})\n\n`
    + 'Transport Total     IP        IPv6\n'
    + row('RAW', c.raw) + row('UDP', c.udp) + row('TCP', c.tcp) + row('INET', c.inet) + row('FRAG', c.frag) + '\n';
}
