// nlkit nflog GROUP: binds an NFLOG group (what `-j NFLOG --nflog-group GROUP` logs to) and
// prints each logged packet with the rule's prefix. -j prints one JSON object a line; -c COUNT
// stops after COUNT packets; --netns NAME binds in that namespace.
import { formatIp } from '../../schema/index.js';
import { logGroup, type LoggedPacket } from '../../netfilter/index.js';
import { UsageError } from '../usage.js';
import { parseListenArgs } from './nflog-queue-args.js';

const PROTOS: Record<number, string> = { 1: 'icmp', 6: 'tcp', 17: 'udp', 58: 'icmpv6', 132: 'sctp' };

function line(p: LoggedPacket): string {
  const parts = [`prefix="${p.prefix ?? ''}"`, `hook=${p.hook}`, `hw=0x${p.hwProtocol.toString(16).padStart(4, '0')}`];
  if (p.indev !== undefined) parts.push(`indev=${p.indev}`);
  if (p.outdev !== undefined) parts.push(`outdev=${p.outdev}`);
  if (p.mark !== undefined) parts.push(`mark=${p.mark}`);
  const b = p.payload;
  if (b && b.length >= 20 && b[0]! >> 4 === 4) parts.push(PROTOS[b[9]!] ?? String(b[9]), `src=${formatIp(b, 12, 4)}`, `dst=${formatIp(b, 16, 4)}`, `len=${b.length}`);
  else if (b && b.length >= 40 && b[0]! >> 4 === 6) parts.push(PROTOS[b[6]!] ?? String(b[6]), `src=${formatIp(b, 8, 16)}`, `dst=${formatIp(b, 24, 16)}`, `len=${b.length}`);
  return parts.join(' ');
}

/** Runs `nlkit nflog ARGS`; resolves with the exit status. */
export async function run(args: string[]): Promise<number> {
  const { num: group, json, count, netns } = parseListenArgs('nflog', args);
  if (group === undefined || group > 65535) throw new UsageError('usage: nlkit nflog GROUP [-c COUNT] [-j] [--netns NAME]');
  if (!(count > 0)) throw new UsageError('nflog: -c needs a positive count');
  const ac = new AbortController();
  const stop = () => ac.abort();
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  const sub = await logGroup(group, { ...(netns !== undefined ? { netns } : {}), signal: ac.signal });
  let n = 0;
  try {
    for await (const p of sub) {
      if ('overrun' in p) {
        process.stderr.write('nflog: WARNING: log messages lost (receive buffer overrun)\n');
        continue;
      }
      const { payload, ...meta } = p;
      process.stdout.write(json
        ? `${JSON.stringify({ ...meta, ...(payload ? { payload: Buffer.from(payload).toString('hex') } : {}) }, (_k, x) => (typeof x === 'bigint' ? x.toString() : x))}\n`
        : `${line(p)}\n`);
      if (++n >= count) break;
    }
  } catch (e) {
    if (!ac.signal.aborted) throw e;
  } finally {
    process.off('SIGINT', stop);
    process.off('SIGTERM', stop);
    sub.close();
  }
  return 0;
}
