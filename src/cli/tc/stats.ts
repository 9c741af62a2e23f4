// Statistics as tc prints them (print_tcstats2_attr): basic counters, the queue, rate
// estimators, in text after a prefix and in JSON as flat fields of the object being printed.
import { formatTcRate, formatTcSize, type TcStats } from '../../route/index.js';
import type { Output } from '../ip/output.js';

const num = (v: number | bigint | undefined): number | bigint => v ?? 0;

/** Prints TCA_STATS2 the way tc does, each line started by `prefix` (" " for qdiscs and classes, "\t" for actions). */
export function printStats(out: Output, s: TcStats, prefix: string): void {
  const sl = out.sl;
  if (s.basic) {
    const packets = s.pkt64 ? s.pkt64 : s.basic.packets;
    out.fp(prefix);
    out.field('bytes', num(s.basic.bytes), `Sent ${num(s.basic.bytes)} bytes`);
    out.field('packets', packets, ` ${packets} pkt`);
  }
  if (s.queue) {
    out.field('drops', s.queue.drops, ` (dropped ${s.queue.drops}`);
    out.field('overlimits', s.queue.overlimits, `, overlimits ${s.queue.overlimits}`);
    out.field('requeues', s.queue.requeues, ` requeues ${s.queue.requeues}) `);
  }
  const est = s.rate_est64 ?? s.rate_est;
  if (est) {
    out.fp(sl + prefix);
    out.jfield('rate', est.bps);
    out.fp(`rate ${formatTcRate(est.bps)}`);
    out.field('pps', est.pps, ` ${est.pps}pps`);
  }
  if (s.queue) {
    if (!s.rate_est) out.fp(sl);
    out.fp(prefix);
    out.field('backlog', s.queue.backlog, `backlog ${formatTcSize(s.queue.backlog)}`);
    out.field('qlen', s.queue.qlen, ` ${s.queue.qlen}p`);
    out.fp(` requeues ${s.queue.requeues}`);
  }
}
