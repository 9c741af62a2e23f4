// Child of the queue benchmark (bench/queue.ts): nlkit's queue listener. Binds queue NUM in
// NETNS as bench/c/nfqfloor.c does (copy mode packet, queue length MAXLEN, fail-open, 8 MiB
// receive buffer), answers every packet with verdict(p, 'accept') as it arrives, and stops after
// COUNT packets or when none came for 300 ms. Prints "ready" on stderr once bound, then
// {"count": N, "ms": first to last packet} on stdout.
//
//   node dist/bench/queue-listen.js NETNS NUM COUNT MAXLEN
type NetfilterEntry = typeof import('../src/netfilter/index.js');

const { openQueue } = (await import('nlkit/netfilter')) as NetfilterEntry;
const [ns = '', num = '7', want = '100000', maxlen = '8192'] = process.argv.slice(2);
const q = await openQueue(Number(num), { netns: ns, copy: 'packet', range: 0xffff, maxlen: Number(maxlen), flags: ['fail-open'], rcvbuf: 8 << 20 });
process.stderr.write('ready\n');
let count = 0;
let first = 0;
let last = 0;
const idle = setInterval(() => {
  if (count > 0 && performance.now() - last > 300) q.close();
}, 50);
for await (const p of q) {
  if ('overrun' in p) continue;
  q.verdict(p, 'accept');
  last = performance.now();
  if (count++ === 0) first = last;
  if (count >= Number(want)) break;
}
clearInterval(idle);
q.close();
console.log(JSON.stringify({ count, ms: last - first }));
