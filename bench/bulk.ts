// Child of run.ts: adds N routes (the same ones run.ts gives `ip -batch`) with the pipelined
// requestBatch API, and exits non-zero if any was refused.
import type { MessageWriter } from '../src/index.js';
import { importNlkit, prefix } from './ns.js';

const { NLM_F_CREATE, NLM_F_EXCL } = await importNlkit('');
const { RTM, routeCodec, linkIndex, openRoute } = await importNlkit('/route');

const [ns = 'nlbench', n = '100000'] = process.argv.slice(2);
const N = Number(n);
const sock = openRoute({ netns: ns });
const oif = await linkIndex('bench0', { socket: sock });
// Each request is written straight into the batch's datagram (no copy per route).
function* routes(): Generator<(w: MessageWriter) => void> {
  for (let i = 0; i < N; i++) {
    const route = {
      family: 'inet', dst_len: 32, table: 'main', protocol: 'static', scope: 'global', type: 'unicast',
      dst: prefix(i).slice(0, -3), gateway: '192.0.2.2', oif, priority: 10,
    } as const;
    yield (w) => routeCodec.encodeInto(w, RTM.NEWROUTE, NLM_F_CREATE | NLM_F_EXCL, route);
  }
}
const res = await sock.requestBatch(routes(), { headerSize: 12 });
sock.close();
if (res.errors.length) {
  console.error(`${res.errors.length} refused, first: ${res.errors[0]!.error.message}`);
  process.exitCode = 1;
}
