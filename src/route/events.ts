// events(): rtnetlink multicast notifications as typed events, `ip monitor` as an async
// iterable, with the socket layer's overrun marker when the kernel dropped events.
import { Subscription, type FamilyOptions } from '../socket/index.js';
import { NETLINK_LISTEN_ALL_NSID, SOL_NETLINK, type MessageReader } from '../wire/index.js';
import {
  addressCodec, linkCodec, neighCodec, netconfCodec, nexthopCodec, nsidCodec, routeCodec, ruleCodec, tcCodec,
  type TcObject, type Address, type Link, type Neighbour, type Netconf, type Nexthop, type Nsid, type Route, type Rule,
} from './codecs.js';
import { RTM, RTNLGRP } from './constants.js';
import { mdbCodec, type MdbMessage } from './bridge-attrs.js';
import { neighTableCodec, type NeighTable } from './neightbl.js';
import { addrLabelCodec, type AddrLabel } from './addrlabel.js';
import { openRoute } from './socket.js';
import { actionCodec, type ActionMessage } from './tc-actions.js';

/** What an event is about. */
export type RouteEventKind = 'link' | 'address' | 'route' | 'neighbour' | 'rule' | 'nexthop' | 'netconf' | 'nsid' | 'qdisc' | 'class' | 'filter' | 'chain' | 'mdb' | 'ntable' | 'addrlabel' | 'action';

interface EventBase {
  /** 'new' for RTM_NEW*, 'del' for RTM_DEL*. */
  event: 'new' | 'del';
  /** The message type (RTM_*). */
  type: number;
  /** Its nlmsg_flags: NLM_F_CREATE|NLM_F_EXCL on what was added, NLM_F_REPLACE on what was replaced (tc monitor prints them). */
  flags?: number;
  /** The multicast group it came in on (RTNLGRP_*). */
  group: number;
  /** The peer namespace's id with `listenAllNsid`, else undefined. */
  nsid: number | undefined;
}

/** A typed rtnetlink notification. */
export type RouteEvent =
  | (EventBase & { kind: 'link'; object: Link })
  | (EventBase & { kind: 'address'; object: Address })
  | (EventBase & { kind: 'route'; object: Route })
  | (EventBase & { kind: 'neighbour'; object: Neighbour })
  | (EventBase & { kind: 'rule'; object: Rule })
  | (EventBase & { kind: 'nexthop'; object: Nexthop })
  | (EventBase & { kind: 'netconf'; object: Netconf })
  | (EventBase & { kind: 'nsid'; object: Nsid })
  | (EventBase & { kind: 'qdisc' | 'class' | 'filter' | 'chain'; object: TcObject })
  | (EventBase & { kind: 'mdb'; object: MdbMessage })
  | (EventBase & { kind: 'ntable'; object: NeighTable })
  | (EventBase & { kind: 'addrlabel'; object: AddrLabel })
  | (EventBase & { kind: 'action'; object: ActionMessage })
  | (Omit<EventBase, 'event'> & { event: 'new' | 'del' | 'other'; kind: 'other'; object: Uint8Array });

/**
 * Groups by the object names `ip monitor` takes, plus every RTNLGRP_* by its lower-case name
 * ('ipv4_route'); numbers are group numbers.
 */
export const EVENT_GROUPS: Readonly<Record<string, readonly number[]>> = {
  link: [RTNLGRP.LINK],
  address: [RTNLGRP.IPV4_IFADDR, RTNLGRP.IPV6_IFADDR],
  route: [RTNLGRP.IPV4_ROUTE, RTNLGRP.IPV6_ROUTE, RTNLGRP.MPLS_ROUTE],
  neigh: [RTNLGRP.NEIGH],
  neighbour: [RTNLGRP.NEIGH],
  rule: [RTNLGRP.IPV4_RULE, RTNLGRP.IPV6_RULE],
  nexthop: [RTNLGRP.NEXTHOP],
  netconf: [RTNLGRP.IPV4_NETCONF, RTNLGRP.IPV6_NETCONF, RTNLGRP.MPLS_NETCONF],
  nsid: [RTNLGRP.NSID],
  prefix: [RTNLGRP.IPV6_PREFIX],
  /** The bridge's multicast database (RTM_NEWMDB/DELMDB). FDB entries come on 'neigh', port changes on 'link'. */
  mdb: [RTNLGRP.MDB],
  /** What `bridge monitor` joins: FDB (neigh), MDB and ports (link). */
  bridge: [RTNLGRP.NEIGH, RTNLGRP.MDB, RTNLGRP.LINK],
  ...Object.fromEntries(Object.entries(RTNLGRP).filter(([k]) => k !== 'NONE').map(([k, v]) => [k.toLowerCase(), [v]])),
};

/** The groups `events()` joins by default: what `ip monitor all` shows of these objects. */
export const DEFAULT_EVENT_GROUPS = ['link', 'address', 'route', 'neigh', 'rule', 'nexthop', 'netconf', 'nsid'] as const;

type Kinded = { kind: RouteEventKind; event: 'new' | 'del'; decode: (r: MessageReader) => unknown };
const BY_TYPE = new Map<number, Kinded>();
function reg(newType: number, delType: number, kind: RouteEventKind, decode: (r: MessageReader) => unknown): void {
  BY_TYPE.set(newType, { kind, event: 'new', decode });
  BY_TYPE.set(delType, { kind, event: 'del', decode });
}
reg(RTM.NEWLINK, RTM.DELLINK, 'link', (r) => linkCodec.decode(r));
reg(RTM.NEWADDR, RTM.DELADDR, 'address', (r) => addressCodec.decode(r));
reg(RTM.NEWROUTE, RTM.DELROUTE, 'route', (r) => routeCodec.decode(r));
reg(RTM.NEWNEIGH, RTM.DELNEIGH, 'neighbour', (r) => neighCodec.decode(r));
reg(RTM.NEWRULE, RTM.DELRULE, 'rule', (r) => ruleCodec.decode(r));
reg(RTM.NEWNEXTHOP, RTM.DELNEXTHOP, 'nexthop', (r) => nexthopCodec.decode(r));
reg(RTM.NEWNETCONF, RTM.DELNETCONF, 'netconf', (r) => netconfCodec.decode(r));
reg(RTM.NEWNSID, RTM.DELNSID, 'nsid', (r) => nsidCodec.decode(r));
reg(RTM.NEWQDISC, RTM.DELQDISC, 'qdisc', (r) => tcCodec.decode(r));
reg(RTM.NEWTCLASS, RTM.DELTCLASS, 'class', (r) => tcCodec.decode(r));
reg(RTM.NEWTFILTER, RTM.DELTFILTER, 'filter', (r) => tcCodec.decode(r));
reg(RTM.NEWCHAIN, RTM.DELCHAIN, 'chain', (r) => tcCodec.decode(r));
reg(RTM.NEWMDB, RTM.DELMDB, 'mdb', (r) => mdbCodec.decode(r));
reg(RTM.NEWADDRLABEL, RTM.DELADDRLABEL, 'addrlabel', (r) => addrLabelCodec.decode(r));
// Neighbour tables have no RTM_DELNEIGHTBL; RTM_NEWNEIGHTBL is what a table dump or change sends.
BY_TYPE.set(RTM.NEWNEIGHTBL, { kind: 'ntable', event: 'new', decode: (r) => neighTableCodec.decode(r) });
reg(RTM.NEWACTION, RTM.DELACTION, 'action', (r) => actionCodec.decode(r));

/** Decodes one notification into a RouteEvent (never throws: undecodable messages come as kind 'other'). */
export function decodeRouteEvent(r: MessageReader, meta: { group: number; nsid: number | undefined }): RouteEvent {
  const k = BY_TYPE.get(r.type);
  if (k) {
    try {
      return { event: k.event, kind: k.kind, type: r.type, flags: r.flags, group: meta.group, nsid: meta.nsid, object: k.decode(r) } as RouteEvent;
    } catch {
      // fall through to the raw form
    }
  }
  return { event: 'other', kind: 'other', type: r.type, group: meta.group, nsid: meta.nsid, object: r.buf.slice(r.payloadStart, r.payloadEnd) };
}

/** Options of {@link events}. */
export interface RouteEventOptions extends FamilyOptions {
  /** Also receive the events of peer namespaces that have an id here (NETLINK_LISTEN_ALL_NSID). */
  listenAllNsid?: boolean;
  /** SO_RCVBUF for the listening socket (bytes). */
  rcvbuf?: number;
}

/**
 * Subscribes to rtnetlink notifications (`ip monitor`): groups by object name ('link',
 * 'address', 'route', 'neigh', 'rule', 'nexthop', 'netconf', 'nsid'), RTNLGRP name
 * ('ipv4_route') or number; all of those objects by default. Joined when it returns.
 *
 *   const sub = events(['route'], { netns: 'ns1' });
 *   for await (const ev of sub) {
 *     if ('overrun' in ev) { resync(); continue; }
 *     console.log(ev.event, ev.kind, ev.object);
 *   }
 */
export function events(groups: readonly (string | number)[] = DEFAULT_EVENT_GROUPS, opts: RouteEventOptions = {}): Subscription<RouteEvent> {
  const nums = new Set<number>();
  for (const g of groups) {
    if (typeof g === 'number') nums.add(g);
    else {
      const list = EVENT_GROUPS[g.toLowerCase().replace(/-/g, '_')];
      if (!list) throw new TypeError(`events: unknown group "${g}"`);
      for (const n of list) nums.add(n);
    }
  }
  return new Subscription<RouteEvent>({
    socket: opts.socket ?? openRoute({
      ...(opts.netns !== undefined ? { netns: opts.netns } : {}), ...(opts.rcvbuf ? { rcvbuf: opts.rcvbuf } : {}),
    }),
    owned: !opts.socket,
    decode: decodeRouteEvent,
    signal: opts.signal,
    join: (sock) => {
      if (opts.listenAllNsid) sock.setOption(SOL_NETLINK, NETLINK_LISTEN_ALL_NSID, 1);
      for (const n of nums) {
        try {
          sock.join(n);
        } catch (e) {
          // Groups of modules that are not loaded (MPLS) cannot be joined; the rest still work.
          if (groups.includes(n)) throw e;
        }
      }
    },
  });
}
