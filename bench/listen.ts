// Child of run.ts: listens to IPv4 route events with default settings (or a 4 KiB receive
// buffer with `tiny`), counts them until `expected` arrived or SIGINT, and prints one JSON
// line { events, overruns, resyncRoutes?, resyncMs? }. After an overrun it resynchronises with
// a dump, as a routing daemon would.
import { importNlkit } from './ns.js';

const { NETLINK_ROUTE, NetlinkSocket } = await importNlkit('');
const { RTM, RTNLGRP, dumpRoutes, routeCodec } = await importNlkit('/route');

const [ns = 'nlbench', expected = '0', size = 'default'] = process.argv.slice(2);
const sock = NetlinkSocket.open(NETLINK_ROUTE, {
  netns: ns, groups: [RTNLGRP.IPV4_ROUTE], ...(size === 'tiny' ? { rcvbuf: 4096 } : {}),
});
let events = 0;
let overruns = 0;
let resync: { routes: number; ms: number } | undefined;
const report = () => {
  console.log(JSON.stringify({ events, overruns, ...(resync ? { resyncRoutes: resync.routes, resyncMs: resync.ms } : {}) }));
};
// SIGINT from run.ts means the burst is over: stop listening, then resync if needed.
const stop = new AbortController();
process.on('SIGINT', () => stop.abort());
console.log('ready');
const iter = sock.events({
  signal: stop.signal,
  decode: (r) => (r.type === RTM.NEWROUTE || r.type === RTM.DELROUTE ? routeCodec.decode(r) : undefined),
});
for await (const ev of iter) {
  if ('overrun' in ev) {
    overruns++;
    continue;
  }
  events++;
  if (events >= Number(expected)) break;
}
if (overruns > 0) {
  // Events were lost: read the table again, which is what a resync means.
  const t0 = performance.now();
  let routes = 0;
  for await (const b of dumpRoutes({ family: 'inet', table: 'main' }, { netns: ns }).batches()) {
    for (const r of b) if (r.dst?.startsWith('10.')) routes++;
  }
  resync = { routes, ms: performance.now() - t0 };
}
report();
console.log('done');
sock.close();
