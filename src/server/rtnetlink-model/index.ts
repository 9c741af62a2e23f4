// rtnetlinkModel(): the kernel's rtnetlink for links, addresses, routes and neighbours, served
// on an in-process bus, so code written against nlkit/route runs unchanged without root.
import { cpus } from 'node:os';
import { rtmName } from '../../route/codecs.js';
import { RTM } from '../../route/constants.js';
import { NetlinkSocket } from '../../socket/index.js';
import { NETLINK_ROUTE } from '../../wire/index.js';
import { NetlinkBus, type BusTransportOptions } from '../bus.js';
import { ClassicServer } from '../classic.js';
import { AddressModel } from './addresses.js';
import { LinkModel, iflaPolicy } from './links.js';
import { NeighbourModel } from './neighbours.js';
import { RouteModel } from './routes.js';
import { NetState } from './state.js';

/** Options of {@link rtnetlinkModel}. */
export interface RtnetlinkModelOptions {
  /** A bus to serve on (default a new one); its NETLINK_ROUTE kernel port must be free. */
  bus?: NetlinkBus;
  /** Possible CPUs: veth creates one queue per CPU (default: this machine's). */
  cpus?: number;
}

/**
 * RtnetlinkModel is one modelled network namespace: lo at ifindex 1, then what the calls
 * make of it. `connect()` gives a NETLINK_ROUTE socket on it for `{ socket }`.
 */
export class RtnetlinkModel {
  /** The bus the model serves on. */
  readonly bus: NetlinkBus;
  /** The model's state: links, addresses, routes, neighbours. */
  readonly state = new NetState();
  /** The rtnetlink server. */
  readonly server = new ClassicServer();
  private readonly sockets = new Set<NetlinkSocket>();

  constructor(opts: RtnetlinkModelOptions = {}) {
    this.bus = opts.bus ?? new NetlinkBus();
    const links = new LinkModel(this.state, this.server, opts.cpus ?? cpus().length);
    const routes = new RouteModel(this.state, this.server);
    const addrs = new AddressModel(this.state, this.server, routes);
    const neigh = new NeighbourModel(this.state, this.server);
    addrs.onDisableIp = (ifindex) => neigh.flushFamily(ifindex, 'inet');
    links.createLoopback();
    // What goes with a link, in the kernel's order. NETDEV_DOWN: ARP entries, IPv4 routes
    // (silently), IPv6 routes, entries and addresses; NETDEV_UNREGISTER: the IPv4 addresses.
    const down = (ifindex: number) => {
      neigh.flushFamily(ifindex, 'inet');
      routes.flushIpv4(ifindex);
      routes.dropIpv6(ifindex);
      neigh.flushFamily(ifindex, 'inet6');
      addrs.linkGone(ifindex, ['inet6']);
    };
    links.onUp = (l, up) => (up ? addrs.linkUp(l) : down(l.ifindex));
    const gone = (ifindex: number) => {
      addrs.linkGone(ifindex, ['inet']);
      routes.linkGone(ifindex);
      neigh.linkGone(ifindex);
    };
    const s = this.server;
    s.on(RTM.NEWLINK, { hdrsize: 16, policy: iflaPolicy, admin: true, doit: (r) => links.newLink(r) });
    s.on(RTM.DELLINK, { hdrsize: 16, policy: iflaPolicy, admin: true, doit: (r) => links.delLink(r, down, gone) });
    s.on<number>(RTM.GETLINK, { hdrsize: 16, policy: iflaPolicy, doit: (r) => links.getLink(r), dump: { init: () => 0, dump: (cb) => links.dumpLinks(cb) } });
    addrs.register();
    routes.register();
    neigh.register();
    this.bus.serve(NETLINK_ROUTE, this.server);
  }

  /**
   * A NETLINK_ROUTE socket on the model, for nlkit/route's `{ socket }` option. By default its
   * owner is root; `{ uid: 1001 }` plays an unprivileged caller (changes get EPERM).
   */
  connect(opts: BusTransportOptions = {}): NetlinkSocket {
    const sock = NetlinkSocket.open(NETLINK_ROUTE, { transport: this.bus.transport(opts), typeName: rtmName });
    this.sockets.add(sock);
    return sock;
  }

  /** Closes every socket connect() gave and stops serving. */
  close(): void {
    for (const s of this.sockets) s.close();
    this.sockets.clear();
    this.bus.unserve(this.server);
  }
}

/**
 * A modelled network namespace, served on an in-process bus:
 *
 *   const kernel = rtnetlinkModel();
 *   const opts = { socket: kernel.connect() };
 *   await addLink({ ifname: 'v0', kind: 'veth', peer: { ifname: 'v1' } }, opts);
 *   for await (const l of dumpLinks({}, opts)) console.log(l.ifindex, l.ifname);
 */
export function rtnetlinkModel(opts: RtnetlinkModelOptions = {}): RtnetlinkModel {
  return new RtnetlinkModel(opts);
}
