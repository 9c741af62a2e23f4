// Link attributes (IFLA_*): everything a 6.x kernel sends in RTM_NEWLINK, with linkinfo kind
// data for veth, bridge (and bridge ports), vxlan, macvlan/macvtap, tun, ifb and vlan, the
// per-family af_spec and protinfo nests, alt names, xdp and proto-down reasons. Property names
// are the C names without their prefix, lower case (IFLA_IFNAME -> ifname).
import {
  always, attrs, array, binary, custom, flag, int, ipaddr, mac, message, nest, string, struct, subMessage, u16, u32, u64, u8, uint,
  type AttributeSet, type CustomCodec, type Decoded,
} from '../schema/index.js';
import { HOST_LE } from '../wire/index.js';
import {
  AF, DEVCONF, IFLA, IFLA_BR, IFLA_BRIDGE, IFLA_BRPORT, IFLA_INET, IFLA_INET6, IFLA_INFO, IFLA_MACVLAN,
  IFLA_PROTO_DOWN_REASON, IFLA_TUN, IFLA_VLAN, IFLA_VLAN_QOS, IFLA_VXLAN, IFLA_XDP, IPV4_DEVCONF, VETH_INFO,
} from './constants.js';
import {
  addrGenMode, bridgePortState, linkMode, macvlanFlags, macvlanMacaddrMode, macvlanMode, operState, vlanProtocol,
  vxlanDf, xdpAttached, xdpFlags,
} from './enums.js';
import {
  brBoolopt, bridgeId, bridgeVlanInfo, iflaCacheinfo, ifinfomsg, linkIfmap, linkStats32, linkStats64, vlanFlags, vlanQosMapping,
  vxlanPortRange,
} from './structs.js';
import { vlanTunnelAttrs } from './bridge-attrs.js';

// ---- per-family devconf arrays ----

/** Names of a devconf array by index: lower-cased C names, ordered by value. */
function devconfNames(table: Record<string, number>, base: number): string[] {
  const names: string[] = [];
  for (const [k, v] of Object.entries(table)) names[v - base] = k.toLowerCase();
  return names;
}

/**
 * A packed array of 32-bit integers indexed by a devconf enum, decoded to an object keyed by
 * name (`{ forwarding: 1, rp_filter: 2, … }`); entries a newer kernel adds past the known names
 * are keyed by their index ('59'). Re-encodes to the same length.
 */
function devconf(names: readonly string[], signed: boolean): CustomCodec<Record<string, number>> {
  const index = new Map(names.map((n, i) => [n, i]));
  return {
    decode(_buf, dv, s, e) {
      if ((e - s) % 4) throw new RangeError('devconf length');
      const out: Record<string, number> = {};
      for (let i = 0, p = s; p < e; i++, p += 4) {
        out[names[i] ?? String(i)] = signed ? dv.getInt32(p, HOST_LE) : dv.getUint32(p, HOST_LE);
      }
      return out;
    },
    encode(v) {
      let n = 0;
      for (const k of Object.keys(v)) n = Math.max(n, (index.get(k) ?? Number(k)) + 1);
      const out = new Uint8Array(n * 4);
      const dv = new DataView(out.buffer);
      for (const [k, x] of Object.entries(v)) {
        const i = index.get(k) ?? Number(k);
        if (!Number.isInteger(i) || i < 0) throw new TypeError(`devconf: unknown entry "${k}"`);
        if (signed) dv.setInt32(i * 4, x, HOST_LE);
        else dv.setUint32(i * 4, x >>> 0, HOST_LE);
      }
      return out;
    },
  };
}

/** IPV4_DEVCONF_* names, IFLA_INET_CONF index i holding IPV4_DEVCONF value i+1. */
export const IPV4_DEVCONF_NAMES: readonly string[] = devconfNames(IPV4_DEVCONF, 1);
/** DEVCONF_* (IPv6) names, IFLA_INET6_CONF index i holding DEVCONF value i. */
export const IPV6_DEVCONF_NAMES: readonly string[] = devconfNames(DEVCONF, 0);

/** AF_INET's IFLA_AF_SPEC nest. */
export const inetAfSpec = attrs('ifla_inet', {
  conf: [IFLA_INET.CONF, custom(devconf(IPV4_DEVCONF_NAMES, false))],
});

/** AF_INET6's IFLA_AF_SPEC nest (and IFLA_PROTINFO in AF_INET6 link dumps). */
export const inet6AfSpec = attrs('ifla_inet6', {
  flags: [IFLA_INET6.FLAGS, u32()],
  conf: [IFLA_INET6.CONF, custom(devconf(IPV6_DEVCONF_NAMES, true))],
  stats: [IFLA_INET6.STATS, binary()],
  mcast: [IFLA_INET6.MCAST, binary()],
  cacheinfo: [IFLA_INET6.CACHEINFO, struct(iflaCacheinfo)],
  icmp6stats: [IFLA_INET6.ICMP6STATS, binary()],
  token: [IFLA_INET6.TOKEN, ipaddr()],
  addr_gen_mode: [IFLA_INET6.ADDR_GEN_MODE, int('u8', { enum: addrGenMode })],
  ra_mtu: [IFLA_INET6.RA_MTU, u32()],
});

/** IFLA_AF_SPEC of AF_UNSPEC/AF_INET/AF_INET6 link messages: one nest per address family. */
export const afSpec = attrs('ifla_af_spec', {
  inet: [AF.INET, nest(inetAfSpec)],
  inet6: [AF.INET6, nest(inet6AfSpec)],
});

/** IFLA_AF_SPEC of AF_BRIDGE link messages (`bridge link`, `bridge vlan`). */
export const bridgeAfSpec = attrs('ifla_bridge', {
  flags: [IFLA_BRIDGE.FLAGS, u16()],
  mode: [IFLA_BRIDGE.MODE, u16()],
  vlan_info: [IFLA_BRIDGE.VLAN_INFO, array(struct(bridgeVlanInfo))],
  vlan_tunnel_info: [IFLA_BRIDGE.VLAN_TUNNEL_INFO, array(nest(vlanTunnelAttrs))],
});

// ---- linkinfo kinds ----

/** IFLA_BRPORT_*: a bridge port (linkinfo slave data of kind 'bridge', and IFLA_PROTINFO of AF_BRIDGE). */
export const bridgePortAttrs = attrs('ifla_brport', {
  state: [IFLA_BRPORT.STATE, int('u8', { enum: bridgePortState })],
  priority: [IFLA_BRPORT.PRIORITY, u16()],
  cost: [IFLA_BRPORT.COST, u32()],
  mode: [IFLA_BRPORT.MODE, u8()],
  guard: [IFLA_BRPORT.GUARD, u8()],
  protect: [IFLA_BRPORT.PROTECT, u8()],
  fast_leave: [IFLA_BRPORT.FAST_LEAVE, u8()],
  learning: [IFLA_BRPORT.LEARNING, u8()],
  unicast_flood: [IFLA_BRPORT.UNICAST_FLOOD, u8()],
  proxyarp: [IFLA_BRPORT.PROXYARP, u8()],
  learning_sync: [IFLA_BRPORT.LEARNING_SYNC, u8()],
  proxyarp_wifi: [IFLA_BRPORT.PROXYARP_WIFI, u8()],
  root_id: [IFLA_BRPORT.ROOT_ID, struct(bridgeId)],
  bridge_id: [IFLA_BRPORT.BRIDGE_ID, struct(bridgeId)],
  designated_port: [IFLA_BRPORT.DESIGNATED_PORT, u16()],
  designated_cost: [IFLA_BRPORT.DESIGNATED_COST, u16()],
  id: [IFLA_BRPORT.ID, u16()],
  no: [IFLA_BRPORT.NO, u16()],
  topology_change_ack: [IFLA_BRPORT.TOPOLOGY_CHANGE_ACK, u8()],
  config_pending: [IFLA_BRPORT.CONFIG_PENDING, u8()],
  message_age_timer: [IFLA_BRPORT.MESSAGE_AGE_TIMER, u64()],
  forward_delay_timer: [IFLA_BRPORT.FORWARD_DELAY_TIMER, u64()],
  hold_timer: [IFLA_BRPORT.HOLD_TIMER, u64()],
  flush: [IFLA_BRPORT.FLUSH, flag()],
  multicast_router: [IFLA_BRPORT.MULTICAST_ROUTER, u8()],
  pad: [IFLA_BRPORT.PAD, binary()],
  mcast_flood: [IFLA_BRPORT.MCAST_FLOOD, u8()],
  mcast_to_ucast: [IFLA_BRPORT.MCAST_TO_UCAST, u8()],
  vlan_tunnel: [IFLA_BRPORT.VLAN_TUNNEL, u8()],
  bcast_flood: [IFLA_BRPORT.BCAST_FLOOD, u8()],
  group_fwd_mask: [IFLA_BRPORT.GROUP_FWD_MASK, u16()],
  neigh_suppress: [IFLA_BRPORT.NEIGH_SUPPRESS, u8()],
  isolated: [IFLA_BRPORT.ISOLATED, u8()],
  backup_port: [IFLA_BRPORT.BACKUP_PORT, u32()],
  mrp_ring_open: [IFLA_BRPORT.MRP_RING_OPEN, u8()],
  mrp_in_open: [IFLA_BRPORT.MRP_IN_OPEN, u8()],
  mcast_eht_hosts_limit: [IFLA_BRPORT.MCAST_EHT_HOSTS_LIMIT, u32()],
  mcast_eht_hosts_cnt: [IFLA_BRPORT.MCAST_EHT_HOSTS_CNT, u32()],
  locked: [IFLA_BRPORT.LOCKED, u8()],
  mab: [IFLA_BRPORT.MAB, u8()],
  mcast_n_groups: [IFLA_BRPORT.MCAST_N_GROUPS, u32()],
  mcast_max_groups: [IFLA_BRPORT.MCAST_MAX_GROUPS, u32()],
  neigh_vlan_suppress: [IFLA_BRPORT.NEIGH_VLAN_SUPPRESS, u8()],
  backup_nhid: [IFLA_BRPORT.BACKUP_NHID, u32()],
});

/** IFLA_BR_*: linkinfo data of kind 'bridge'. Times are in centiseconds (USER_HZ), timers too. */
export const bridgeAttrs = attrs('ifla_br', {
  forward_delay: [IFLA_BR.FORWARD_DELAY, u32()],
  hello_time: [IFLA_BR.HELLO_TIME, u32()],
  max_age: [IFLA_BR.MAX_AGE, u32()],
  ageing_time: [IFLA_BR.AGEING_TIME, u32()],
  stp_state: [IFLA_BR.STP_STATE, u32()],
  priority: [IFLA_BR.PRIORITY, u16()],
  vlan_filtering: [IFLA_BR.VLAN_FILTERING, u8()],
  vlan_protocol: [IFLA_BR.VLAN_PROTOCOL, int('u16be', { enum: vlanProtocol })],
  group_fwd_mask: [IFLA_BR.GROUP_FWD_MASK, u16()],
  root_id: [IFLA_BR.ROOT_ID, struct(bridgeId)],
  bridge_id: [IFLA_BR.BRIDGE_ID, struct(bridgeId)],
  root_port: [IFLA_BR.ROOT_PORT, u16()],
  root_path_cost: [IFLA_BR.ROOT_PATH_COST, u32()],
  topology_change: [IFLA_BR.TOPOLOGY_CHANGE, u8()],
  topology_change_detected: [IFLA_BR.TOPOLOGY_CHANGE_DETECTED, u8()],
  hello_timer: [IFLA_BR.HELLO_TIMER, u64()],
  tcn_timer: [IFLA_BR.TCN_TIMER, u64()],
  topology_change_timer: [IFLA_BR.TOPOLOGY_CHANGE_TIMER, u64()],
  gc_timer: [IFLA_BR.GC_TIMER, u64()],
  group_addr: [IFLA_BR.GROUP_ADDR, mac()],
  fdb_flush: [IFLA_BR.FDB_FLUSH, flag()],
  mcast_router: [IFLA_BR.MCAST_ROUTER, u8()],
  mcast_snooping: [IFLA_BR.MCAST_SNOOPING, u8()],
  mcast_query_use_ifaddr: [IFLA_BR.MCAST_QUERY_USE_IFADDR, u8()],
  mcast_querier: [IFLA_BR.MCAST_QUERIER, u8()],
  mcast_hash_elasticity: [IFLA_BR.MCAST_HASH_ELASTICITY, u32()],
  mcast_hash_max: [IFLA_BR.MCAST_HASH_MAX, u32()],
  mcast_last_member_cnt: [IFLA_BR.MCAST_LAST_MEMBER_CNT, u32()],
  mcast_startup_query_cnt: [IFLA_BR.MCAST_STARTUP_QUERY_CNT, u32()],
  mcast_last_member_intvl: [IFLA_BR.MCAST_LAST_MEMBER_INTVL, u64()],
  mcast_membership_intvl: [IFLA_BR.MCAST_MEMBERSHIP_INTVL, u64()],
  mcast_querier_intvl: [IFLA_BR.MCAST_QUERIER_INTVL, u64()],
  mcast_query_intvl: [IFLA_BR.MCAST_QUERY_INTVL, u64()],
  mcast_query_response_intvl: [IFLA_BR.MCAST_QUERY_RESPONSE_INTVL, u64()],
  mcast_startup_query_intvl: [IFLA_BR.MCAST_STARTUP_QUERY_INTVL, u64()],
  nf_call_iptables: [IFLA_BR.NF_CALL_IPTABLES, u8()],
  nf_call_ip6tables: [IFLA_BR.NF_CALL_IP6TABLES, u8()],
  nf_call_arptables: [IFLA_BR.NF_CALL_ARPTABLES, u8()],
  vlan_default_pvid: [IFLA_BR.VLAN_DEFAULT_PVID, u16()],
  pad: [IFLA_BR.PAD, binary()],
  vlan_stats_enabled: [IFLA_BR.VLAN_STATS_ENABLED, u8()],
  mcast_stats_enabled: [IFLA_BR.MCAST_STATS_ENABLED, u8()],
  mcast_igmp_version: [IFLA_BR.MCAST_IGMP_VERSION, u8()],
  mcast_mld_version: [IFLA_BR.MCAST_MLD_VERSION, u8()],
  vlan_stats_per_port: [IFLA_BR.VLAN_STATS_PER_PORT, u8()],
  multi_boolopt: [IFLA_BR.MULTI_BOOLOPT, struct(brBoolopt)],
  mcast_querier_state: [IFLA_BR.MCAST_QUERIER_STATE, binary()],
  fdb_n_learned: [IFLA_BR.FDB_N_LEARNED, u32()],
  fdb_max_learned: [IFLA_BR.FDB_MAX_LEARNED, u32()],
});

/** IFLA_VXLAN_*: linkinfo data of kind 'vxlan'. Ports are in network order (decoded as numbers). */
export const vxlanAttrs = attrs('ifla_vxlan', {
  id: [IFLA_VXLAN.ID, u32()],
  group: [IFLA_VXLAN.GROUP, ipaddr()],
  link: [IFLA_VXLAN.LINK, u32()],
  local: [IFLA_VXLAN.LOCAL, ipaddr()],
  ttl: [IFLA_VXLAN.TTL, u8()],
  tos: [IFLA_VXLAN.TOS, u8()],
  learning: [IFLA_VXLAN.LEARNING, u8()],
  ageing: [IFLA_VXLAN.AGEING, u32()],
  limit: [IFLA_VXLAN.LIMIT, u32()],
  port_range: [IFLA_VXLAN.PORT_RANGE, struct(vxlanPortRange)],
  proxy: [IFLA_VXLAN.PROXY, u8()],
  rsc: [IFLA_VXLAN.RSC, u8()],
  l2miss: [IFLA_VXLAN.L2MISS, u8()],
  l3miss: [IFLA_VXLAN.L3MISS, u8()],
  port: [IFLA_VXLAN.PORT, int('u16be')],
  group6: [IFLA_VXLAN.GROUP6, ipaddr()],
  local6: [IFLA_VXLAN.LOCAL6, ipaddr()],
  udp_csum: [IFLA_VXLAN.UDP_CSUM, u8()],
  udp_zero_csum6_tx: [IFLA_VXLAN.UDP_ZERO_CSUM6_TX, u8()],
  udp_zero_csum6_rx: [IFLA_VXLAN.UDP_ZERO_CSUM6_RX, u8()],
  remcsum_tx: [IFLA_VXLAN.REMCSUM_TX, u8()],
  remcsum_rx: [IFLA_VXLAN.REMCSUM_RX, u8()],
  gbp: [IFLA_VXLAN.GBP, flag()],
  remcsum_nopartial: [IFLA_VXLAN.REMCSUM_NOPARTIAL, flag()],
  collect_metadata: [IFLA_VXLAN.COLLECT_METADATA, u8()],
  label: [IFLA_VXLAN.LABEL, int('u32be')],
  gpe: [IFLA_VXLAN.GPE, flag()],
  ttl_inherit: [IFLA_VXLAN.TTL_INHERIT, flag()],
  df: [IFLA_VXLAN.DF, int('u8', { enum: vxlanDf })],
  vnifilter: [IFLA_VXLAN.VNIFILTER, u8()],
  localbypass: [IFLA_VXLAN.LOCALBYPASS, u8()],
  label_policy: [IFLA_VXLAN.LABEL_POLICY, u32()],
  reserved_bits: [IFLA_VXLAN.RESERVED_BITS, binary()],
  mc_route: [IFLA_VXLAN.MC_ROUTE, u8()],
});

/** IFLA_MACVLAN_MACADDR_DATA: the source-mode address list. */
export const macvlanMacaddrData = attrs('ifla_macvlan_macaddr_data', {
  macaddr: [IFLA_MACVLAN.MACADDR, array(mac())],
});

/** IFLA_MACVLAN_*: linkinfo data of kinds 'macvlan' and 'macvtap'. */
export const macvlanAttrs = attrs('ifla_macvlan', {
  mode: [IFLA_MACVLAN.MODE, int('u32', { enum: macvlanMode })],
  flags: [IFLA_MACVLAN.FLAGS, int('u16', { flags: macvlanFlags })],
  macaddr_mode: [IFLA_MACVLAN.MACADDR_MODE, int('u32', { enum: macvlanMacaddrMode })],
  macaddr: [IFLA_MACVLAN.MACADDR, mac()],
  macaddr_data: [IFLA_MACVLAN.MACADDR_DATA, nest(macvlanMacaddrData)],
  macaddr_count: [IFLA_MACVLAN.MACADDR_COUNT, u32()],
  bc_queue_len: [IFLA_MACVLAN.BC_QUEUE_LEN, u32()],
  bc_queue_len_used: [IFLA_MACVLAN.BC_QUEUE_LEN_USED, u32()],
  bc_cutoff: [IFLA_MACVLAN.BC_CUTOFF, int('s32')],
});

/** IFLA_TUN_*: linkinfo data of kind 'tun' (type 1 = tun, 2 = tap). */
export const tunAttrs = attrs('ifla_tun', {
  owner: [IFLA_TUN.OWNER, u32()],
  group: [IFLA_TUN.GROUP, u32()],
  type: [IFLA_TUN.TYPE, u8()],
  pi: [IFLA_TUN.PI, u8()],
  vnet_hdr: [IFLA_TUN.VNET_HDR, u8()],
  persist: [IFLA_TUN.PERSIST, u8()],
  multi_queue: [IFLA_TUN.MULTI_QUEUE, u8()],
  num_queues: [IFLA_TUN.NUM_QUEUES, u32()],
  num_disabled_queues: [IFLA_TUN.NUM_DISABLED_QUEUES, u32()],
});

/** IFLA_VLAN_EGRESS_QOS / INGRESS_QOS: priority mappings. */
export const vlanQos = attrs('ifla_vlan_qos', {
  mapping: [IFLA_VLAN_QOS.MAPPING, array(struct(vlanQosMapping))],
});

/** IFLA_VLAN_*: linkinfo data of kind 'vlan'. */
export const vlanAttrs = attrs('ifla_vlan', {
  id: [IFLA_VLAN.ID, u16()],
  flags: [IFLA_VLAN.FLAGS, struct(vlanFlags)],
  egress_qos: [IFLA_VLAN.EGRESS_QOS, nest(vlanQos)],
  ingress_qos: [IFLA_VLAN.INGRESS_QOS, nest(vlanQos)],
  protocol: [IFLA_VLAN.PROTOCOL, int('u16be', { enum: vlanProtocol })],
});

/**
 * VETH_INFO_PEER: a whole ifinfomsg + IFLA_* attributes describing the peer (sent when
 * creating a veth pair; the kernel never reports it).
 */
export const vethAttrs: AttributeSet<{ peer?: LinkMessage }> = attrs('veth_info', {
  peer: [VETH_INFO.PEER, message(ifinfomsg, () => linkAttrs as unknown as AttributeSet<LinkMessage>)],
});

/** IFLA_INFO_*: the linkinfo nest; `data` and `slave_data` are declared by `kind` / `slave_kind`. */
export const linkinfoAttrs = attrs('ifla_linkinfo', {
  kind: [IFLA_INFO.KIND, string()],
  data: [IFLA_INFO.DATA, subMessage('kind', {
    veth: nest(vethAttrs),
    bridge: nest(bridgeAttrs),
    vxlan: nest(vxlanAttrs),
    macvlan: nest(macvlanAttrs),
    macvtap: nest(macvlanAttrs),
    tun: nest(tunAttrs),
    vlan: nest(vlanAttrs),
  })],
  xstats: [IFLA_INFO.XSTATS, binary()],
  slave_kind: [IFLA_INFO.SLAVE_KIND, string()],
  slave_data: [IFLA_INFO.SLAVE_DATA, subMessage('slave_kind', {
    bridge: nest(bridgePortAttrs),
  })],
});

/** IFLA_XDP_*. */
export const xdpAttrs = attrs('ifla_xdp', {
  fd: [IFLA_XDP.FD, int('s32')],
  attached: [IFLA_XDP.ATTACHED, int('u8', { enum: xdpAttached })],
  flags: [IFLA_XDP.FLAGS, int('u32', { flags: xdpFlags })],
  prog_id: [IFLA_XDP.PROG_ID, u32()],
  drv_prog_id: [IFLA_XDP.DRV_PROG_ID, u32()],
  skb_prog_id: [IFLA_XDP.SKB_PROG_ID, u32()],
  hw_prog_id: [IFLA_XDP.HW_PROG_ID, u32()],
  expected_fd: [IFLA_XDP.EXPECTED_FD, int('s32')],
});

/** IFLA_PROP_LIST: alternative names. */
export const propListAttrs = attrs('ifla_prop_list', {
  alt_ifname: [IFLA.ALT_IFNAME, array(string())],
});

/** IFLA_PROTO_DOWN_REASON. */
export const protoDownReasonAttrs = attrs('ifla_proto_down_reason', {
  mask: [IFLA_PROTO_DOWN_REASON.MASK, u32()],
  value: [IFLA_PROTO_DOWN_REASON.VALUE, u32()],
});

/**
 * IFLA_*: the attributes of a link message. Always sent: IFLA_IFNAME, IFLA_MTU and
 * IFLA_OPERSTATE, which every fill function of a link message puts unconditionally
 * (rtnl_fill_ifinfo, br_fill_ifinfo and ndo_dflt_bridge_getlink for AF_BRIDGE,
 * inet6_fill_ifinfo for AF_INET6).
 */
export const linkAttrs = attrs('ifla', {
  address: [IFLA.ADDRESS, mac()],
  broadcast: [IFLA.BROADCAST, mac()],
  ifname: [IFLA.IFNAME, always(string())],
  mtu: [IFLA.MTU, always(u32())],
  link: [IFLA.LINK, u32()],
  qdisc: [IFLA.QDISC, string()],
  stats: [IFLA.STATS, struct(linkStats32)],
  cost: [IFLA.COST, binary()],
  priority: [IFLA.PRIORITY, binary()],
  master: [IFLA.MASTER, u32()],
  wireless: [IFLA.WIRELESS, binary()],
  protinfo: [IFLA.PROTINFO, subMessage('family', {
    inet6: nest(inet6AfSpec),
    bridge: nest(bridgePortAttrs),
  })],
  txqlen: [IFLA.TXQLEN, u32()],
  map: [IFLA.MAP, struct(linkIfmap)],
  weight: [IFLA.WEIGHT, u32()],
  operstate: [IFLA.OPERSTATE, always(int('u8', { enum: operState }))],
  linkmode: [IFLA.LINKMODE, int('u8', { enum: linkMode })],
  linkinfo: [IFLA.LINKINFO, nest(linkinfoAttrs)],
  net_ns_pid: [IFLA.NET_NS_PID, u32()],
  ifalias: [IFLA.IFALIAS, string()],
  num_vf: [IFLA.NUM_VF, u32()],
  vfinfo_list: [IFLA.VFINFO_LIST, binary()],
  stats64: [IFLA.STATS64, struct(linkStats64)],
  vf_ports: [IFLA.VF_PORTS, binary()],
  port_self: [IFLA.PORT_SELF, binary()],
  af_spec: [IFLA.AF_SPEC, subMessage('family', {
    unspec: nest(afSpec),
    inet: nest(afSpec),
    inet6: nest(afSpec),
    bridge: nest(bridgeAfSpec),
  })],
  group: [IFLA.GROUP, u32()],
  net_ns_fd: [IFLA.NET_NS_FD, u32()],
  ext_mask: [IFLA.EXT_MASK, u32()],
  promiscuity: [IFLA.PROMISCUITY, u32()],
  num_tx_queues: [IFLA.NUM_TX_QUEUES, u32()],
  num_rx_queues: [IFLA.NUM_RX_QUEUES, u32()],
  carrier: [IFLA.CARRIER, u8()],
  phys_port_id: [IFLA.PHYS_PORT_ID, binary()],
  carrier_changes: [IFLA.CARRIER_CHANGES, u32()],
  phys_switch_id: [IFLA.PHYS_SWITCH_ID, binary()],
  link_netnsid: [IFLA.LINK_NETNSID, int('s32')],
  phys_port_name: [IFLA.PHYS_PORT_NAME, string()],
  proto_down: [IFLA.PROTO_DOWN, u8()],
  gso_max_segs: [IFLA.GSO_MAX_SEGS, u32()],
  gso_max_size: [IFLA.GSO_MAX_SIZE, u32()],
  pad: [IFLA.PAD, binary()],
  xdp: [IFLA.XDP, nest(xdpAttrs)],
  event: [IFLA.EVENT, u32()],
  new_netnsid: [IFLA.NEW_NETNSID, int('s32')],
  target_netnsid: [IFLA.TARGET_NETNSID, int('s32')],
  carrier_up_count: [IFLA.CARRIER_UP_COUNT, u32()],
  carrier_down_count: [IFLA.CARRIER_DOWN_COUNT, u32()],
  new_ifindex: [IFLA.NEW_IFINDEX, int('s32')],
  min_mtu: [IFLA.MIN_MTU, u32()],
  max_mtu: [IFLA.MAX_MTU, u32()],
  prop_list: [IFLA.PROP_LIST, nest(propListAttrs)],
  alt_ifname: [IFLA.ALT_IFNAME, string()],
  perm_address: [IFLA.PERM_ADDRESS, mac()],
  proto_down_reason: [IFLA.PROTO_DOWN_REASON, nest(protoDownReasonAttrs)],
  parent_dev_name: [IFLA.PARENT_DEV_NAME, string()],
  parent_dev_bus_name: [IFLA.PARENT_DEV_BUS_NAME, string()],
  gro_max_size: [IFLA.GRO_MAX_SIZE, u32()],
  tso_max_size: [IFLA.TSO_MAX_SIZE, u32()],
  tso_max_segs: [IFLA.TSO_MAX_SEGS, u32()],
  allmulti: [IFLA.ALLMULTI, u32()],
  devlink_port: [IFLA.DEVLINK_PORT, binary()],
  gso_ipv4_max_size: [IFLA.GSO_IPV4_MAX_SIZE, u32()],
  gro_ipv4_max_size: [IFLA.GRO_IPV4_MAX_SIZE, u32()],
  dpll_pin: [IFLA.DPLL_PIN, binary()],
  max_pacing_offload_horizon: [IFLA.MAX_PACING_OFFLOAD_HORIZON, uint()],
  netns_immutable: [IFLA.NETNS_IMMUTABLE, u8()],
  headroom: [IFLA.HEADROOM, u16()],
  tailroom: [IFLA.TAILROOM, u16()],
});

/** The decoded IFLA_* attributes of a link. */
export type LinkAttrs = Decoded<typeof linkAttrs>;
/** A decoded link message before the flat merge (see links.ts for `Link`). */
export type LinkMessage = Record<string, unknown>;
