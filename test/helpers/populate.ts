// A namespace with one of everything rtnetlink has: what the codec tests dump and decode, and
// what bench/fuzz-capture.ts records as the fuzz test's golden messages.
import { addAddress, addLink, addNeighbour, addNexthop, addRoute, addRule, changeLink } from '../../src/route/index.js';
import { ip } from './netns.js';

/** Fills `ns` with one rtnetlink object of every kind (the codec tests' and the fuzz capture's). */
export async function populate(ns: string): Promise<void> {
  const o = { netns: ns };
  await addLink({ ifname: 'v0', kind: 'veth', peer: { ifname: 'v1' }, up: true }, o);
  await addLink({ ifname: 'br0', kind: 'bridge', up: true }, o);
  await changeLink('v1', { master: 'br0', up: true }, o);
  await addLink({ ifname: 'vx0', kind: 'vxlan', data: { id: 5, port: 4789 } }, o);
  await addLink({ ifname: 'mv0', kind: 'macvlan', link: 'v0', data: { mode: 'bridge' } }, o);
  ip(ns, 'tuntap add tap0 mode tap');
  ip(ns, 'link property add dev v0 altname a-long-alternative-name');
  await addAddress({ dev: 'v0', address: '10.0.0.1/24', broadcast: '+', label: 'v0:a' }, o);
  await addAddress({ dev: 'v0', address: '2001:db8::1/64', flags: ['nodad'], valid_lft: 600, preferred_lft: 300 }, o);
  await addRoute({ dst: '10.1.0.0/16', gateway: '10.0.0.254', metrics: { mtu: 1400, cc_algo: 'reno' } }, o);
  await addRoute({ dst: '10.2.0.0/16', multipath: [{ gateway: '10.0.0.2', dev: 'v0', weight: 4 }, { gateway: '10.0.0.3', dev: 'v0' }] }, o);
  await addRoute({ dst: '10.3.0.0/16', type: 'blackhole', table: 5000 }, o);
  await addRoute({ dst: '2001:db8:9::/48', gateway: '2001:db8::9', pref: 'high', table: 300 }, o);
  ip(ns, 'route add 10.4.0.0/16 via inet6 2001:db8::4 dev v0');
  await addNeighbour({ dst: '10.0.0.7', lladdr: '02:00:00:00:00:07', dev: 'v0' }, o);
  await addRule({ priority: 10, src: '10.5.0.0/16', uid_range: { start: 1, end: 2 }, dport_range: '80-90', ip_proto: 6, table: 50 }, o);
  await addNexthop({ id: 1, gateway: '10.0.0.2', dev: 'v0' }, o);
  await addNexthop({ id: 2, group: [{ id: 1, weight: 9 }] }, o);
  await addRoute({ dst: '10.6.0.0/16', nh_id: 2 }, o);
}
