// Child of run.ts: dumps the IPv4 routes of a namespace in-process and prints one JSON line
// { count, ms, rssMiB }. `typed` decodes into route objects (dumpRoutes, one array per datagram), `items` the same
// one route per await, `raw` yields raw
// messages (NetlinkSocket.dump, no attribute decoding). Time counts from before the socket opens.
//
// As a whole process it stands for a program that dumps routes: it imports `nlkit/route` and
// nothing else (no bench helpers: node:child_process alone costs milliseconds to load).
type RouteEntry = typeof import('../src/route/index.js');
type RootEntry = typeof import('../src/index.js');

const { dumpRoutes } = (await import('nlkit/route')) as RouteEntry;

const [ns = 'nlbench', mode = 'typed'] = process.argv.slice(2);
const root = mode === 'raw' ? ((await import('nlkit')) as RootEntry) : undefined;
let count = 0;
let peak = 0;
const sample = () => {
  const rss = process.memoryUsage.rss();
  if (rss > peak) peak = rss;
};
/** CPU time (user + system, all threads: the read-ahead thread's too) of the last dump. */
let lastCpuMs = 0;
async function once(): Promise<number> {
  count = 0;
  const t0 = performance.now();
  const c0 = process.cpuUsage();
  if (mode === 'raw') {
    const { MessageWriter, NETLINK_ROUTE, NLM_F_DUMP, NLM_F_REQUEST, NetlinkSocket } = root!;
    const sock = NetlinkSocket.open(NETLINK_ROUTE, { netns: ns, readAhead: true });
    const w = new MessageWriter();
    w.begin(26 /* RTM_GETROUTE */, NLM_F_REQUEST | NLM_F_DUMP);
    const at = w.struct(12);
    w.view.setUint8(at, 2 /* AF_INET */);
    w.end();
    for await (const batch of sock.dump(w.toBytes()).batches()) {
      count += batch.length;
      if ((count & 0x3fff) < batch.length) sample();
    }
    sock.close();
  } else if (mode === 'items') {
    // One await per route: the plain `for await (const route of dumpRoutes())` a user writes.
    for await (const route of dumpRoutes({ family: 'inet' }, { netns: ns })) {
      if (route.dst_len !== undefined) count++;
      if ((count & 0x3fff) === 0) sample();
    }
  } else {
    for await (const batch of dumpRoutes({ family: 'inet' }, { netns: ns }).batches()) {
      count += batch.length;
      if ((count & 0x3fff) < batch.length) sample();
    }
  }
  sample();
  const c = process.cpuUsage(c0);
  lastCpuMs = (c.user + c.system) / 1000;
  return performance.now() - t0;
}

// The first dump in a process runs cold (the generated decoders are not yet optimised); a
// daemon dumps again and again, so report both: `ms` is the first, `warmMs` the median of the
// next three.
const ms = await once();
const cpuMs = lastCpuMs;
const warm: number[] = [];
const warmCpu: number[] = [];
if (process.argv.includes('--warm')) {
  for (let i = 0; i < 3; i++) {
    warm.push(await once());
    warmCpu.push(lastCpuMs);
  }
}
warm.sort((a, b) => a - b);
warmCpu.sort((a, b) => a - b);
console.log(JSON.stringify({ count, ms, cpuMs, ...(warm.length ? { warmMs: warm[1], warmCpuMs: warmCpu[1] } : {}), rssMiB: peak / 2 ** 20 }));
