// Declarations of the bridge's own messages: the MDB (struct br_port_msg + MDBA_*, with struct
// br_mdb_entry inside), and the VLAN tunnel mapping nest of IFLA_AF_SPEC. FDB entries are
// neighbour messages of family AF_BRIDGE (ndmsg + NDA_*), port options IFLA_PROTINFO nests of
// IFLA_BRPORT_* and port VLANs IFLA_BRIDGE_VLAN_INFO structs: those are declared with links and
// neighbours (attrs.ts, link-attrs.ts).
import { array, attrs, enumSpec, flagsSpec, FlatMessageCodec, int, ipaddr, nest, struct, structSpec, u16, u32, u8, type Decoded } from '../schema/index.js';
import {
  IFLA_BRIDGE_VLAN_TUNNEL, MDB, MDB_FLAGS, MDB_RTR_TYPE, MDBA, MDBA_MDB, MDBA_MDB_EATTR, MDBA_MDB_ENTRY, MDBA_MDB_SRCATTR,
  MDBA_MDB_SRCLIST, MDBA_ROUTER, MDBA_ROUTER_PATTR, MDBA_SET, MDBE_ATTR,
} from './constants.js';
import { bridgeVlanFlags, family, protocol } from './enums.js';
import { words } from './words.js';

/** br_mdb_entry.state (MDB_TEMPORARY / MDB_PERMANENT), as `bridge mdb` names them. */
export const mdbState = enumSpec('mdb_state', words(MDB, { TEMPORARY: 'temp' }));
/** br_mdb_entry.flags (MDB_FLAGS_*), as `bridge mdb` prints them. */
export const mdbFlags = flagsSpec('mdb_flags', words(MDB_FLAGS, { STAR_EXCL: 'added_by_star_ex' }));
/** MDBA_ROUTER_PATTR_TYPE (MDB_RTR_TYPE_*). */
export const mdbRouterType = enumSpec('mdb_rtr_type', words(MDB_RTR_TYPE));

/** struct br_port_msg: the header of RTM_NEWMDB/DELMDB/GETMDB (8 bytes): the bridge's ifindex. */
export const brPortMsg = structSpec('br_port_msg', [
  { name: 'family', type: 'u8', enum: family },
  { name: '_pad', type: 'pad', len: 3 },
  { name: 'ifindex', type: 'u32' },
] as const);

/**
 * struct br_mdb_entry (28 bytes): the port, state, flags, VLAN and group. `addr` is the union
 * of an IPv4, IPv6 or MAC group as bytes; `proto` (ETH_P_IP, ETH_P_IPV6, or 0 for a MAC
 * group) says which — bridge.ts turns the two into the group's text.
 */
export const brMdbEntry = structSpec('br_mdb_entry', [
  { name: 'ifindex', type: 'u32' },
  { name: 'state', type: 'u8', enum: mdbState },
  { name: 'flags', type: 'u8', flags: mdbFlags },
  { name: 'vid', type: 'u16' },
  { name: 'addr', type: 'binary', len: 16 },
  { name: 'proto', type: 'u16be' },
  { name: '_pad', type: 'pad', len: 2 },
] as const);

/** MDBA_MDB_SRCATTR_*: one source of an (S, G) entry's source list. */
export const mdbSrcAttrs = attrs('mdba_mdb_srcattr', {
  address: [MDBA_MDB_SRCATTR.ADDRESS, ipaddr()],
  timer: [MDBA_MDB_SRCATTR.TIMER, u32()],
});

/** MDBA_MDB_SRCLIST_*: the source list. */
export const mdbSrcListAttrs = attrs('mdba_mdb_srclist', {
  entry: [MDBA_MDB_SRCLIST.ENTRY, array(nest(mdbSrcAttrs))],
});

/** MDBA_MDB_EATTR_*: what follows a br_mdb_entry inside MDBA_MDB_ENTRY_INFO. Timers in centiseconds. */
export const mdbEntryAttrs = attrs('mdba_mdb_eattr', {
  timer: [MDBA_MDB_EATTR.TIMER, u32()],
  src_list: [MDBA_MDB_EATTR.SRC_LIST, nest(mdbSrcListAttrs)],
  group_mode: [MDBA_MDB_EATTR.GROUP_MODE, u8()],
  source: [MDBA_MDB_EATTR.SOURCE, ipaddr()],
  rtprot: [MDBA_MDB_EATTR.RTPROT, int('u8', { enum: protocol })],
});

/** MDBA_MDB_ENTRY_*: the entries of one group (each a br_mdb_entry followed by MDBA_MDB_EATTR_*). */
export const mdbGroupAttrs = attrs('mdba_mdb_entry', {
  info: [MDBA_MDB_ENTRY.INFO, array(nest(mdbEntryAttrs, { header: brMdbEntry }))],
});

/** MDBA_MDB_*: the groups. */
export const mdbDbAttrs = attrs('mdba_mdb', {
  entry: [MDBA_MDB.ENTRY, array(nest(mdbGroupAttrs))],
});

/** MDBA_ROUTER_PATTR_*: what follows a router port's ifindex. */
export const mdbRouterPortAttrs = attrs('mdba_router_pattr', {
  timer: [MDBA_ROUTER_PATTR.TIMER, u32()],
  type: [MDBA_ROUTER_PATTR.TYPE, int('u8', { enum: mdbRouterType })],
  inet_timer: [MDBA_ROUTER_PATTR.INET_TIMER, u32()],
  inet6_timer: [MDBA_ROUTER_PATTR.INET6_TIMER, u32()],
  vid: [MDBA_ROUTER_PATTR.VID, u16()],
});

/** The u32 ifindex that starts each MDBA_ROUTER_PORT. */
const routerPortHeader = structSpec('mdba_router_port', [{ name: 'ifindex', type: 'u32' }] as const);

/** MDBA_ROUTER_*: the multicast router ports. */
export const mdbRouterAttrs = attrs('mdba_router', {
  port: [MDBA_ROUTER.PORT, array(nest(mdbRouterPortAttrs, { header: routerPortHeader }))],
});

/** MDBA_*: the attributes of an MDB dump or notification. */
export const mdbAttrs = attrs('mdba', {
  mdb: [MDBA.MDB, nest(mdbDbAttrs)],
  router: [MDBA.ROUTER, nest(mdbRouterAttrs)],
});

/** MDBE_ATTR_*: MDBA_SET_ENTRY_ATTRS of a request. */
export const mdbSetEntryAttrs = attrs('mdbe_attr', {
  source: [MDBE_ATTR.SOURCE, ipaddr()],
});

/** MDBA_SET_ENTRY*: the attributes of an RTM_NEWMDB/DELMDB request (numbered apart from MDBA_*). */
export const mdbSetAttrs = attrs('mdba_set_entry', {
  entry: [MDBA_SET.ENTRY, struct(brMdbEntry)],
  entry_attrs: [MDBA_SET.ENTRY_ATTRS, nest(mdbSetEntryAttrs)],
});

/** RTM_*MDB dumps and notifications: struct br_port_msg + MDBA_*. */
export const mdbCodec = new FlatMessageCodec(brPortMsg, mdbAttrs);
/** RTM_NEWMDB/DELMDB requests: struct br_port_msg + MDBA_SET_ENTRY*. */
export const mdbSetCodec = new FlatMessageCodec(brPortMsg, mdbSetAttrs);

/** A decoded MDB message: the bridge (`family`, `ifindex`) and its groups and router ports as the kernel nests them. */
export type MdbMessage = Decoded<typeof mdbAttrs> & { family: string | number; ifindex: number };

/** IFLA_BRIDGE_VLAN_TUNNEL_*: one VLAN-to-tunnel-id mapping (or a range end) of IFLA_BRIDGE_VLAN_TUNNEL_INFO. */
export const vlanTunnelAttrs = attrs('ifla_bridge_vlan_tunnel', {
  id: [IFLA_BRIDGE_VLAN_TUNNEL.ID, u32()],
  vid: [IFLA_BRIDGE_VLAN_TUNNEL.VID, u16()],
  flags: [IFLA_BRIDGE_VLAN_TUNNEL.FLAGS, int('u16', { flags: bridgeVlanFlags })],
});

