// The in-process bus: netlink's routing (af_netlink.c) between BusPorts and servers, in memory.
// Deterministic, needs no privileges, and can inject the faults a kernel produces only under
// load: overruns, lost or truncated datagrams, delays, datagrams from an unexpected port.
import type { TransportFactory } from '../socket/native.js';
import { NETLINK_CAP_ACK, NETLINK_EXT_ACK, NETLINK_GENERIC } from '../wire/index.js';
import { BusPort, type PortHost } from './bus-port.js';
import { EADDRINUSE, EAGAIN, ECONNREFUSED, EINVAL } from './errno.js';
import { FaultRule, type Delivery, type Fault } from './faults.js';
import { KERNEL_CREDENTIALS, type Credentials } from './credentials.js';
import type { PeerInfo, ServerLink } from './link.js';
import type { NetlinkServer } from './server.js';

/** Options of {@link NetlinkBus.transport}. */
export interface BusTransportOptions {
  /**
   * The socket's owner has CAP_NET_ADMIN: admin-only operations succeed. Default: true, or
   * `uid === 0` when a uid is given.
   */
  privileged?: boolean;
  /** The owner's uid as servers see it in SCM_CREDENTIALS (default this process's). */
  uid?: number;
  /** The owner's gid (default this process's). */
  gid?: number;
  /** The owner's pid (default this process's). */
  pid?: number;
}

/** Options of {@link NetlinkBus.serve}. */
export interface ServeOptions {
  /**
   * The server's port id: 0 (default) makes it the protocol's kernel socket; another value
   * makes it a user-space peer at that port, as a NETLINK_USERSOCK server is.
   */
  portid?: number;
}

interface Served {
  server: NetlinkServer;
  portid: number;
}

/** One protocol's port table, groups and servers. */
class Protocol implements PortHost {
  readonly ports = new Map<number, BusPort>();
  readonly servers = new Map<number, Served>();
  private rover = 0xfffff000;

  constructor(readonly bus: NetlinkBus, readonly protocol: number, readonly ngroups: number) {}

  bindPort(port: BusPort, portid: number): number {
    if (portid !== 0) {
      if (this.ports.has(portid) || this.servers.has(portid)) return -EADDRINUSE;
      this.ports.set(portid, port);
      return portid;
    }
    // netlink_autobind(): the process id first, then descending ids from -4096.
    let id = process.pid >>> 0;
    while (this.ports.has(id) || this.servers.has(id) || id === 0) id = this.rover--;
    this.ports.set(id, port);
    return id;
  }

  route(port: BusPort, data: Uint8Array, portid: number, groups: number): number {
    // An unbound socket is bound on its first send (netlink_autobind()).
    if (port.portid === 0) port.portid = this.bindPort(port, 0);
    const group = lowestGroup(groups);
    if (group) this.broadcast(port.portid, data, group, portid, port, port.creds);
    // netlink_sendmsg() always unicasts to nl_pid too: for a group send to 0 without a kernel
    // socket that takes input, this is the ECONNREFUSED NETLINK_USERSOCK answers.
    const served = this.servers.get(portid);
    if (served) {
      served.server.input(data.slice(), port.portid);
      return data.byteLength;
    }
    const target = this.ports.get(portid);
    if (!target || portid === 0) return -ECONNREFUSED;
    const r = this.deliver({ to: portid, from: port.portid, group: 0, data: data.slice(), creds: port.creds }, false, true);
    return r < 0 ? r : data.byteLength;
  }

  closed(port: BusPort): void {
    if (this.ports.get(port.portid) === port) this.ports.delete(port.portid);
    for (const s of this.servers.values()) s.server.release(port.portid);
  }

  /** netlink_broadcast(): to every member of `group` but `exclude` and the sender; returns the count. */
  broadcast(from: number, data: Uint8Array, group: number, exclude: number, sender?: BusPort, creds?: Credentials): number {
    let n = 0;
    for (const [id, p] of this.ports) {
      if (p === sender || id === exclude || !p.member(group)) continue;
      if (this.deliver({ to: id, from, group, data, creds }, false, false) >= 0) n++;
    }
    return n;
  }

  /**
   * Hands a datagram to a port through the fault rules. `fromUser` marks user-to-user unicast,
   * which the kernel refuses with EAGAIN when the receiver is full instead of overrunning it.
   */
  deliver(d: Delivery, dumpPart: boolean, fromUser: boolean): number {
    const port = this.ports.get(d.to);
    if (!port) return -ECONNREFUSED;
    let truncate = false;
    let delay = 0;
    for (const rule of this.bus.rules) {
      if (!rule.take(d)) continue;
      switch (rule.fault.action) {
        case 'drop': return d.data.byteLength;
        case 'overrun':
          port.overrun();
          return -EAGAIN;
        case 'truncate': truncate = true; break;
        case 'delay': delay += rule.fault.ms ?? 0; break;
        case 'spoof': d = { ...d, from: rule.fault.portid ?? 0 }; break;
      }
    }
    return port.enqueue(d, { dumpPart: dumpPart || fromUser, truncate, delay });
  }
}

function lowestGroup(mask: number): number {
  for (let i = 0; i < 32; i++) if (mask & (1 << i)) return i + 1;
  return 0;
}

/**
 * NetlinkBus is a netlink "kernel" in one process: NetlinkSocket.open(protocol,
 * { transport: bus.transport() }) gives a client socket on it, and bus.serve(protocol, server)
 * puts a server where the kernel would be (port 0) or at a user-space port id.
 */
export class NetlinkBus {
  /** Installed fault rules, applied in order to every datagram a port receives. */
  readonly rules: FaultRule[] = [];
  private readonly protocols = new Map<number, Protocol>();
  private readonly groupsOf: (protocol: number) => number;

  constructor(opts: { ngroups?: (protocol: number) => number } = {}) {
    // Generic netlink grows its group space on demand; other protocols have 32 groups.
    this.groupsOf = opts.ngroups ?? ((p) => (p === NETLINK_GENERIC ? 0xffffffff : 32));
  }

  /** A TransportFactory for NetlinkSocket.open(): each call makes a new socket on this bus. */
  transport(opts: BusTransportOptions = {}): TransportFactory {
    return (protocol, nspath) => {
      if (nspath !== null) {
        throw Object.assign(new Error('the in-process bus has no network namespaces'), { errno: EINVAL, code: 'EINVAL', syscall: 'socket' });
      }
      const creds: Credentials = { pid: opts.pid ?? process.pid, uid: opts.uid ?? process.getuid!(), gid: opts.gid ?? process.getgid!() };
      return new BusPort(this.table(protocol), protocol, opts.privileged ?? (opts.uid === undefined || opts.uid === 0), creds);
    };
  }

  /** Serves `server` for `protocol`: as its kernel socket (port 0) or at a user-space port id. */
  serve(protocol: number, server: NetlinkServer, opts: ServeOptions = {}): void {
    const t = this.table(protocol);
    const portid = (opts.portid ?? 0) >>> 0;
    if (t.servers.has(portid) || t.ports.has(portid)) throw new Error(`port ${portid} of protocol ${protocol} is taken (EADDRINUSE)`);
    t.servers.set(portid, { server, portid });
    server.attach(this.link(t, portid));
  }

  /** Stops serving `server`; its dumps end. */
  unserve(server: NetlinkServer): void {
    for (const t of this.protocols.values()) {
      for (const [id, s] of t.servers) {
        if (s.server === server) {
          t.servers.delete(id);
          server.detach();
        }
      }
    }
  }

  /** Installs a fault rule; the returned rule counts the datagrams it affected. */
  fault(f: Fault): FaultRule {
    const r = new FaultRule(f);
    this.rules.push(r);
    return r;
  }

  /** Removes every fault rule. */
  clearFaults(): void {
    this.rules.length = 0;
  }

  /** The sockets bound on a protocol, by port id (for tests that look inside). */
  ports(protocol: number): ReadonlyMap<number, BusPort> {
    return this.table(protocol).ports;
  }

  private table(protocol: number): Protocol {
    let t = this.protocols.get(protocol);
    if (!t) {
      t = new Protocol(this, protocol, this.groupsOf(protocol));
      this.protocols.set(protocol, t);
    }
    return t;
  }

  private link(t: Protocol, portid: number): ServerLink {
    // What the server's datagrams carry: the kernel's credentials at port 0, else this process's.
    const creds: Credentials = portid === 0 ? KERNEL_CREDENTIALS : { pid: process.pid, uid: process.getuid!(), gid: process.getgid!() };
    return {
      ngroups: t.ngroups,
      unicast: (to, data, dumpPart) => t.deliver({ to, from: portid, group: 0, data, creds }, dumpPart ?? false, false),
      multicast: (group, data, exclude) => t.broadcast(portid, data, group, exclude, undefined, creds),
      echo: (group, data, origin) => {
        t.broadcast(portid, data, group, origin, undefined, creds);
        const r = t.deliver({ to: origin, from: portid, group, data, creds }, false, false);
        return r < 0 ? r : 0;
      },
      peer: (id): PeerInfo => {
        const p = t.ports.get(id);
        return {
          extAck: p?.option(NETLINK_EXT_ACK) ?? false,
          capAck: p?.option(NETLINK_CAP_ACK) ?? false,
          privileged: p?.privileged ?? false,
          ...(p ? { creds: p.creds } : {}),
        };
      },
      whenWritable: (id, fn) => {
        const p = t.ports.get(id);
        if (p) p.whenWritable(fn);
        else setImmediate(fn);
      },
    };
  }
}
