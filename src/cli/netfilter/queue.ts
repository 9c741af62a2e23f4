// nlkit queue NUM: binds an nfnetlink queue (what `-j NFQUEUE --queue-num NUM` sends packets to),
// prints each packet and answers it (--verdict accept|drop, accept by default). -j prints one
// JSON object a line; -c COUNT stops after COUNT packets; --netns NAME binds in that namespace.
import { formatIp } from '../../schema/index.js';
import { openQueue, type QueuedPacket, type Verdict } from '../../netfilter/index.js';
import { UsageError } from '../usage.js';
import { parseListenArgs } from './nflog-queue-args.js';

const PROTOS: Record<number, string> = { 1: 'icmp', 6: 'tcp', 17: 'udp', 58: 'icmpv6', 132: 'sctp' };

/** src, dst and protocol read from the payload's IP header, when the payload has one. */
function ipOf(p: QueuedPacket): { src: string; dst: string; proto: string } | undefined {
  const b = p.payload;
  if (!b || b.length < 20) return undefined;
  if (b[0]! >> 4 === 4) return { src: formatIp(b, 12, 4), dst: formatIp(b, 16, 4), proto: PROTOS[b[9]!] ?? String(b[9]) };
  if (b[0]! >> 4 === 6 && b.length >= 40) return { src: formatIp(b, 8, 16), dst: formatIp(b, 24, 16), proto: PROTOS[b[6]!] ?? String(b[6]) };
  return undefined;
}

function line(p: QueuedPacket, verdict: string): string {
  const ip = ipOf(p);
  const parts = [`id=${p.id}`, `hook=${p.hook}`, `hw=0x${p.hwProtocol.toString(16).padStart(4, '0')}`];
  if (p.indev !== undefined) parts.push(`indev=${p.indev}`);
  if (p.outdev !== undefined) parts.push(`outdev=${p.outdev}`);
  if (p.hwaddr !== undefined) parts.push(`hwaddr=${p.hwaddr}`);
  if (p.mark !== undefined) parts.push(`mark=${p.mark}`);
  parts.push(`len=${p.capLen ?? p.payload?.length ?? 0}`);
  if (ip) parts.push(`${ip.proto}`, `src=${ip.src}`, `dst=${ip.dst}`);
  parts.push(`verdict=${verdict}`);
  return parts.join(' ');
}

/** Runs `nlkit queue ARGS`; resolves with the exit status. */
export async function run(args: string[]): Promise<number> {
  const { num, json, count, netns, extra } = parseListenArgs('queue', args, ['verdict']);
  let verdict: 'accept' | 'drop' = 'accept';
  if (extra.verdict !== undefined) {
    const v = extra.verdict;
    if (v !== 'accept' && v !== 'drop') throw new UsageError(`queue: verdict must be accept or drop, not "${v}"`);
    verdict = v;
  }
  if (num === undefined || num > 65535) throw new UsageError('usage: nlkit queue NUM [--verdict accept|drop] [-c COUNT] [-j] [--netns NAME]');
  if (!(count > 0)) throw new UsageError('queue: -c needs a positive count');
  const q = await openQueue(num, { ...(netns !== undefined ? { netns } : {}), copy: 'packet', range: 0xffff });
  const stop = () => q.close();
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  let n = 0;
  try {
    for await (const p of q) {
      if ('overrun' in p) {
        process.stderr.write('queue: WARNING: packets lost (receive buffer overrun)\n');
        continue;
      }
      const v: Verdict = verdict;
      q.verdict(p, v);
      const { payload, ...meta } = p;
      process.stdout.write(json
        ? `${JSON.stringify({ ...meta, ...(p.timestamp !== undefined ? { timestamp: p.timestamp.toString() } : {}), ...(payload ? { payload: Buffer.from(payload).toString('hex') } : {}), verdict }, (_k, x) => (typeof x === 'bigint' ? x.toString() : x))}\n`
        : `${line(p, verdict)}\n`);
      if (++n >= count) break;
    }
  } finally {
    process.off('SIGINT', stop);
    process.off('SIGTERM', stop);
    q.close();
  }
  return 0;
}
