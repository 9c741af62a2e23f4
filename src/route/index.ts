/**
 * nlkit/route: the typed rtnetlink API — links, addresses, routes, neighbours, rules,
 * nexthops, netconf, namespace ids, and events() for their changes.
 *
 * ## Decoded objects
 *
 * Every object is ONE flat object: the fields of its fixed header and its attributes side by
 * side, named as Netlink names them without the C prefix (ifi_index -> `ifindex`, IFLA_IFNAME ->
 * `ifname`, rtm_dst_len -> `dst_len`, RTA_GATEWAY -> `gateway`). Enums decode to iproute2's names
 * ('unicast', 'kernel', 'host', 'main', 'reachable'; numbers when a value has no name), bit
 * flags to name lists, addresses to text, 64-bit counters to numbers (bigint past 2^53).
 *
 *   Link       { family, type: 'ether'|'loopback'|…, ifindex, flags: ['BROADCAST','MULTICAST','UP','LOWER_UP'],
 *                change, ifname, mtu, address (MAC), broadcast, operstate: 'UP'|'DOWN'|…, linkmode,
 *                txqlen, master?, link?, qdisc, group, promiscuity, carrier, min_mtu, max_mtu,
 *                linkinfo?: { kind, data?, slave_kind?, slave_data? }, stats64?: { rx_packets, … },
 *                af_spec?: { inet: { conf: { forwarding, … } }, inet6: { flags, conf, addr_gen_mode, … } },
 *                prop_list?: { alt_ifname: [] }, xdp?: { attached, prog_id? }, proto_down, perm_address?, … }
 *   Address    { family: 'inet'|'inet6', prefixlen, flags: ['permanent', …], scope: 'global'|'link'|'host',
 *                ifindex, address, local?, label?, broadcast?, cacheinfo?: { preferred, valid, cstamp, tstamp },
 *                rt_priority?, proto? }
 *   Route      { family, dst_len, src_len, tos, table: 'main'|'local'|number, protocol: 'kernel'|'boot'|…,
 *                scope, type: 'unicast'|'local'|…, flags: [], dst?, src?, gateway?, oif?, iif?, priority?
 *                (ip's "metric"), prefsrc?, metrics?: { mtu, … }, multipath?: [{ ifindex, weight, flags,
 *                gateway?, via? }], via?: { family, addr }, pref?, encap_type?, encap?, nh_id?, cacheinfo?, … }
 *   Neighbour  { family, ifindex, state: ['reachable'], flags: ['router'], type, dst, lladdr?, cacheinfo?,
 *                probes?, vlan?, master?, protocol?, … }
 *   Rule       { family, dst_len, src_len, tos, table, action: 'to_tbl'|'goto'|…, flags, priority?, src?,
 *                dst?, iifname?, oifname?, fwmark?, fwmask?, goto?, uid_range?: { start, end },
 *                sport_range?, dport_range?, ip_proto?, protocol?, l3mdev?, suppress_prefixlen?, … }
 *   Nexthop    { family, scope, protocol, flags, id, oif?, gateway?, blackhole?, group?: [{ id, weight }],
 *                group_type?: 'mpath'|'resilient', fdb?, encap?, res_group?, … }
 *   Netconf    { family, ifindex: number|'all'|'default', forwarding?, rp_filter?, mc_forwarding?, … }
 *   Nsid       { family, nsid, current_nsid?, … }
 *   FdbEntry   a Neighbour of family 'bridge': { ifindex, lladdr, state: ['permanent'|'noarp'|'reachable'], flags: ['self'|'master'|…],
 *                vlan?, master?, dst?, port?, vni?, src_vni?, nda_ifindex? (via), … }
 *   MdbEntry   { ifindex (the bridge), port, grp, state: 'temp'|'permanent', flags, vid, timer?, src?, rtprot?, … }
 *   NeighTable { family, name, thresh1..3?, gc_interval?, config?, stats?, parms?: { ifindex?, reachable_time, queue_len, … } }
 *   AddrLabel  { family, prefixlen, ifindex, address, label }
 *   Bridge ports are Links of family 'bridge' (dumpBridgePorts): `protinfo` holds IFLA_BRPORT_* (state, cost, …),
 *   `af_spec` their VLANs (vlan_info) and tunnel mappings (vlan_tunnel_info).
 *
 * Attributes the declarations do not know stay in `$unknown` as bytes with their position;
 * re-encoding a decoded object (`encodeRoute(RTM.DELROUTE, 0, route)`) reproduces the
 * kernel's bytes. The `Decoded` types in attrs.ts/link-attrs.ts spell every property out.
 *
 * ## Calls
 *
 * Everything takes `{ netns, socket, signal, timeout }` (FamilyOptions): without `socket` a
 * NETLINK_ROUTE socket is opened for the call (in `netns`) and closed after it;
 * `openRoute({ netns })` gives one to share. Dumps return a `Dump` at once:
 * `for await (const r of dumpRoutes())`, `.batches()`, `.toArray()`; `events(groups)` returns
 * a Subscription, joined when it returns.
 * Failures reject with the socket layer's NetlinkError (`code`, `kernelMessage`, …), whose
 * operation is named after the message type ('RTM_NEWROUTE').
 */
export * from './constants.js';
export * as enums from './enums.js';
export type {
  Family, RouteType, Scope, Protocol, TableName, RouteFlag, NexthopFlag, LinkFlag, LinkType, AddressFlag, NeighState, NeighFlag,
  RuleAction,
} from './enums.js';
export * from './structs.js';
export * from './attrs.js';
export * from './link-attrs.js';
export { linkCodec, addressCodec, routeCodec, neighCodec, ruleCodec, nexthopCodec, netconfCodec, nsidCodec, rtmName, type Flat } from './codecs.js';
export type { Link, Address, Route, Neighbour, Rule, Nexthop, Netconf, Nsid } from './codecs.js';
export { openRoute, withSocket } from './socket.js';
export { tableName, tableId, protocolName, protocolId } from './tables.js';
export {
  dumpLinks, getLink, addLink, changeLink, setLink, deleteLink, linkIndex, linkName, resolveLink, encodeLink,
  type LinkRef, type LinkFilter, type LinkSpec, type LinkGetOptions, type LinkChangeOptions,
} from './links.js';
export {
  dumpAddresses, addAddress, replaceAddress, changeAddress, deleteAddress, flushAddresses,
  type AddressFilter, type AddressSpec, type AddressChangeOptions,
} from './addresses.js';
export {
  dumpRoutes, getRoute, addRoute, replaceRoute, changeRoute, appendRoute, prependRoute, deleteRoute, flushRoutes, encodeRoute,
  addRoutes, deleteRoutes, type RouteBatchOptions, type RouteFilter, type RouteSpec, type NexthopSpec, type RouteQuery, type RouteChangeOptions,
} from './routes.js';
export {
  dumpNeighbours, getNeighbour, addNeighbour, replaceNeighbour, changeNeighbour, deleteNeighbour, flushNeighbours,
  type NeighbourFilter, type NeighbourSpec, type NeighbourChangeOptions,
} from './neighbours.js';
export {
  dumpQdiscs, dumpClasses, dumpFilters, dumpChains, addTc, replaceTc, changeTc, deleteTc, getTc, addQdisc, deleteQdisc, addClass,
  deleteClass, addFilter, deleteFilter, tcHandle, parseTcHandle, formatTcHandle, TC_PARENT_INGRESS, TC_PARENT_EGRESS,
  type Qdisc, type TcClass, type TcFilter, type TcObject, type TcSpec, type TcChangeOptions, type TcObjectKind, type QdiscFilter,
  type ClassFilter, type FilterFilter,
} from './tc.js';
export { tcCodec } from './codecs.js';
export {
  parseTcRate, parseTcSize, parseTcTime, formatTcRate, formatTcSize, formatTcTime, tcTicksPerUsec, tcXmitTime, tcXmitSize,
} from './tc-units.js';
export type { U32Sel, U32Key, SockFilter, TcStats, TcAction } from './tc-attrs.js';
export {
  actionCodec, actionsOf, dumpActions, listActions, addActions, replaceActions, changeActions, getAction, deleteActions, flushActions,
  type ActionMessage, type TcActionEntry, type TcActionSpec,
} from './tc-actions.js';
export { dumpRules, addRule, deleteRule, flushRules, type RuleSpec, type RuleChangeOptions } from './rules.js';
export type { FlushOptions } from './flush.js';
export {
  dumpNexthops, getNexthop, addNexthop, replaceNexthop, deleteNexthop, flushNexthops,
  type NexthopFilter, type NexthopObjectSpec, type NexthopChangeOptions,
} from './nexthops.js';
export { dumpNetconf, getNetconf, dumpNsids, getNsid, addNsid } from './netconf.js';
export {
  events, decodeRouteEvent, EVENT_GROUPS, DEFAULT_EVENT_GROUPS, type RouteEvent, type RouteEventKind, type RouteEventOptions,
} from './events.js';
export {
  dumpFdb, getFdb, addFdb, replaceFdb, appendFdb, deleteFdb, flushFdb, type FdbQuery, type FdbFlushSpec, type FdbFlushMatch, dumpBridgePorts, setBridgePort, addBridgeVlan, deleteBridgeVlan, dumpMdb,
  dumpMdbMessages, addMdb, replaceMdb, deleteMdb, mdbEntries, mdbGroup, type FdbEntry, type FdbFilter, type FdbSpec,
  type BridgePortFilter, type BridgePortOptions, type BridgePortAttrs, type BridgePortSetOptions, type BridgeVlanSpec, type MdbEntry,
  type MdbSpec,
} from './bridge.js';
// br_mdb_entry (a union inside) is checked against the C compiler's sizeof in test/route-bridge.test.ts.
export { mdbCodec, mdbSetCodec, brPortMsg, type MdbMessage } from './bridge-attrs.js';
export {
  dumpNeighTables, changeNeighTable, neighTableCodec, ndtmsg, ndtConfig, ndtStats, type NeighTable, type NeighTableFilter, type NeighTableChange,
} from './neightbl.js';
export {
  dumpAddrLabels, addAddrLabel, deleteAddrLabel, flushAddrLabels, addrLabelCodec, ifaddrlblmsg, type AddrLabel, type AddrLabelSpec,
} from './addrlabel.js';
