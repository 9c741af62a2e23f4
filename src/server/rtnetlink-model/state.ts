// The state of one modelled network namespace: its links, addresses, routes and neighbours,
// kept as the flat objects nlkit/route decodes (so a dump is the codec encoding them back).
import type { Address, Link, Neighbour, Route } from '../../route/codecs.js';

/** A link of the model: what RTM_NEWLINK set, and what the kernel derives from it. */
export interface ModelLink {
  ifindex: number;
  ifname: string;
  /** IFLA_INFO_KIND, or 'loopback' for lo. */
  kind: string;
  /** The attributes reported as they are (mtu, txqlen, address, group, …). */
  attrs: Partial<Link> & Record<string, unknown>;
  /** IFF_UP as set by the user. */
  up: boolean;
  /** The veth peer's ifindex. */
  peer?: number;
  /** The bridge this link is a port of. */
  master?: number;
  /** Base ifi_flags of the kind (BROADCAST, MULTICAST, NOARP, LOOPBACK). */
  baseFlags: string[];
  /** Carrier while down (ifb, bridge and lo report one; veth does not). */
  carrierWhenDown: boolean;
}

/** An address of the model, as RTM_NEWADDR reports it. */
export type ModelAddress = Partial<Address> & Record<string, unknown> & { family: 'inet' | 'inet6'; ifindex: number; prefixlen: number; local: string };

/** A route of the model (a decoded Route). */
export type ModelRoute = Partial<Route> & Record<string, unknown>;

/** A neighbour entry of the model (a decoded Neighbour). */
export type ModelNeighbour = Partial<Neighbour> & Record<string, unknown>;

/** One network namespace. */
export class NetState {
  /** Links by ifindex. */
  readonly links = new Map<number, ModelLink>();
  /** Addresses, in the order they were added (IPv6 ones keep `local` here, not on the wire). */
  readonly addresses: ModelAddress[] = [];
  /** Routes of every table, the kernel's own (proto kernel) included. */
  readonly routes: ModelRoute[] = [];
  /** Static neighbour entries. */
  readonly neighbours: ModelNeighbour[] = [];
  /** The last ifindex handed out (net->ifindex: allocation is cyclic, never reusing at once). */
  private lastIfindex = 0;

  /** dev_index_reserve(): the next free ifindex after the last one given. */
  allocIfindex(): number {
    let i = this.lastIfindex + 1;
    while (this.links.has(i)) i++;
    this.lastIfindex = i;
    return i;
  }

  /** Takes a specific ifindex (ifi_index on create), if free; the cyclic cursor stays. */
  claimIfindex(i: number): boolean {
    return !this.links.has(i);
  }

  /** A link by name. */
  byName(name: string): ModelLink | undefined {
    for (const l of this.links.values()) if (l.ifname === name) return l;
    return undefined;
  }

  /** IFF_LOWER_UP: the link is up and has a carrier. */
  carrier(l: ModelLink): boolean {
    if (l.kind === 'veth') {
      const p = l.peer !== undefined ? this.links.get(l.peer) : undefined;
      return l.up && !!p && p.up;
    }
    if (l.kind === 'bridge') {
      // A bridge has a carrier while one of its ports is up with one (STP off: forwarding at
      // once); without ports it keeps the carrier it was registered with until it goes up.
      let ports = 0;
      for (const p of this.links.values()) {
        if (p.master !== l.ifindex) continue;
        ports++;
        if (p.up && this.carrier(p)) return true;
      }
      return ports === 0 && !l.up;
    }
    return l.up || l.carrierWhenDown;
  }
}
