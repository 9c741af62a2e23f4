// Attribute sets of addresses (IFA_*), routes (RTA_*), neighbours (NDA_*), rules (FRA_*),
// nexthops (NHA_*), netconf (NETCONFA_*) and namespace ids (NETNSA_*). Property names are the
// C names without their prefix, lower case. Values are decoded to iproute2's names where
// iproute2 names them (enums.ts).
import {
  always, attrs, binary, compileSet, custom, flag, int, ipaddr, mac, nest, string, struct, subMessage, u16, u32, u64, u8,
  enumSpec, formatIp, parseIp, intValue, enumName, flagNames, type CustomCodec, type Decoded,
} from '../schema/index.js';
import { HOST_LE, MessageWriter } from '../wire/index.js';
import {
  FRA, IFA, LWTUNNEL_IP, LWTUNNEL_IP6, MPLS_IPTUNNEL, NDA, NETCONFA, NETCONFA_IFINDEX, NETNSA, NHA, NHA_RES_BUCKET,
  NHA_RES_GROUP, RTA, RTAX,
} from './constants.js';
import {
  addressFlags, addressProto, encapType, family, metricFeatures, neighFlagsExt, nexthopFlags, nexthopGroupType, protocol,
  routerPref, table,
} from './enums.js';
import { ifaCacheinfo, ndaCacheinfo, portRange, rtaCacheinfo, uidRange } from './structs.js';

// ---- addresses ----

/** IFA_*: the attributes of an address message. */
export const addressAttrs = attrs('ifa', {
  address: [IFA.ADDRESS, ipaddr()],
  local: [IFA.LOCAL, ipaddr()],
  label: [IFA.LABEL, string()],
  broadcast: [IFA.BROADCAST, ipaddr()],
  anycast: [IFA.ANYCAST, ipaddr()],
  cacheinfo: [IFA.CACHEINFO, struct(ifaCacheinfo)],
  multicast: [IFA.MULTICAST, ipaddr()],
  flags: [IFA.FLAGS, int('u32', { flags: addressFlags })],
  rt_priority: [IFA.RT_PRIORITY, u32()],
  target_netnsid: [IFA.TARGET_NETNSID, int('s32')],
  proto: [IFA.PROTO, int('u8', { enum: addressProto })],
});
/** The decoded IFA_* attributes. */
export type AddressAttrs = Decoded<typeof addressAttrs>;

// ---- lightweight tunnel encapsulation (RTA_ENCAP / NHA_ENCAP) ----

/** LWTUNNEL_IP_*: encap ip. */
export const lwtIpAttrs = attrs('lwtunnel_ip', {
  id: [LWTUNNEL_IP.ID, int('u64be')],
  dst: [LWTUNNEL_IP.DST, ipaddr()],
  src: [LWTUNNEL_IP.SRC, ipaddr()],
  ttl: [LWTUNNEL_IP.TTL, u8()],
  tos: [LWTUNNEL_IP.TOS, u8()],
  flags: [LWTUNNEL_IP.FLAGS, int('u16be')],
  pad: [LWTUNNEL_IP.PAD, binary()],
  opts: [LWTUNNEL_IP.OPTS, binary()],
});

/** LWTUNNEL_IP6_*: encap ip6. */
export const lwtIp6Attrs = attrs('lwtunnel_ip6', {
  id: [LWTUNNEL_IP6.ID, int('u64be')],
  dst: [LWTUNNEL_IP6.DST, ipaddr()],
  src: [LWTUNNEL_IP6.SRC, ipaddr()],
  hoplimit: [LWTUNNEL_IP6.HOPLIMIT, u8()],
  tc: [LWTUNNEL_IP6.TC, u8()],
  flags: [LWTUNNEL_IP6.FLAGS, int('u16be')],
  pad: [LWTUNNEL_IP6.PAD, binary()],
  opts: [LWTUNNEL_IP6.OPTS, binary()],
});

/** MPLS_IPTUNNEL_*: encap mpls (the label stack kept as its 4-byte label entries). */
export const mplsIptunnelAttrs = attrs('mpls_iptunnel', {
  dst: [MPLS_IPTUNNEL.DST, binary()],
  ttl: [MPLS_IPTUNNEL.TTL, u8()],
});

/** The RTA_ENCAP / NHA_ENCAP value by encap type; other types stay bytes. */
const encap = () => subMessage('encap_type', {
  ip: nest(lwtIpAttrs),
  ip6: nest(lwtIp6Attrs),
  mpls: nest(mplsIptunnelAttrs),
});

// ---- routes ----

/** RTAX_*: the RTA_METRICS nest. `lock` is a mask of 1 << RTAX_x. */
export const metricsAttrs = attrs('rtax', {
  lock: [RTAX.LOCK, u32()],
  mtu: [RTAX.MTU, u32()],
  window: [RTAX.WINDOW, u32()],
  rtt: [RTAX.RTT, u32()],
  rttvar: [RTAX.RTTVAR, u32()],
  ssthresh: [RTAX.SSTHRESH, u32()],
  cwnd: [RTAX.CWND, u32()],
  advmss: [RTAX.ADVMSS, u32()],
  reordering: [RTAX.REORDERING, u32()],
  hoplimit: [RTAX.HOPLIMIT, u32()],
  initcwnd: [RTAX.INITCWND, u32()],
  features: [RTAX.FEATURES, int('u32', { flags: metricFeatures })],
  rto_min: [RTAX.RTO_MIN, u32()],
  initrwnd: [RTAX.INITRWND, u32()],
  quickack: [RTAX.QUICKACK, u32()],
  cc_algo: [RTAX.CC_ALGO, string()],
  fastopen_no_cookie: [RTAX.FASTOPEN_NO_COOKIE, u32()],
});
/** Decoded route metrics. */
export type Metrics = Decoded<typeof metricsAttrs>;

/** struct rtvia (RTA_VIA): a gateway of another family, e.g. an IPv6 gateway of an IPv4 route. */
export interface Via {
  family: string | number;
  addr: string;
}

const viaCodec: CustomCodec<Via> = {
  decode(buf, dv, s, e) {
    if (e - s < 2) throw new RangeError('rtvia');
    const fam = dv.getUint16(s, HOST_LE);
    const n = e - s - 2;
    if (n !== 4 && n !== 16) throw new RangeError('rtvia address'); // kept as bytes
    return { family: enumName(family, fam), addr: formatIp(buf, s + 2, n) };
  },
  encode(v) {
    const a = parseIp(v.addr);
    const out = new Uint8Array(2 + a.length);
    new DataView(out.buffer).setUint16(0, Number(intValue(v.family, 'u16', family, undefined, 'rtvia.family')), HOST_LE);
    out.set(a, 2);
    return out;
  },
};

/** RTA_* that may appear inside one RTA_MULTIPATH entry. */
export const nexthopRtaAttrs = attrs('rta_nexthop', {
  gateway: [RTA.GATEWAY, ipaddr()],
  via: [RTA.VIA, custom(viaCodec)],
  newdst: [RTA.NEWDST, binary()],
  flow: [RTA.FLOW, u32()],
  encap_type: [RTA.ENCAP_TYPE, int('u16', { enum: encapType })],
  encap: [RTA.ENCAP, encap()],
});

/**
 * One RTA_MULTIPATH entry: struct rtnexthop (flags, hops, ifindex) and its attributes.
 * `weight` is rtnh_hops + 1, as `ip route` shows and takes it.
 */
export type MultipathNexthop = {
  flags: (string | number)[];
  weight: number;
  ifindex: number;
} & Decoded<typeof nexthopRtaAttrs>;

const RTNH_LEN = 8;

/** RTA_MULTIPATH: a packed list of struct rtnexthop, each followed by its attributes. */
export const multipathCodec: CustomCodec<MultipathNexthop[]> = {
  decode(buf, dv, s, e) {
    const set = compileSet(nexthopRtaAttrs);
    const out: MultipathNexthop[] = [];
    let p = s;
    while (e - p >= RTNH_LEN) {
      const len = dv.getUint16(p, HOST_LE);
      if (len < RTNH_LEN || len > e - p) throw new RangeError('rtnexthop length'); // kept as bytes
      const nh = { flags: flagNames(nexthopFlags, buf[p + 2]!), weight: buf[p + 3]! + 1, ifindex: dv.getInt32(p + 4, HOST_LE) };
      set.decode(buf, dv, p + RTNH_LEN, p + len, nh);
      out.push(nh as MultipathNexthop);
      p += (len + 3) & ~3;
    }
    if (p !== e) throw new RangeError('rtnexthop tail');
    return out;
  },
  encode(list) {
    const set = compileSet(nexthopRtaAttrs);
    const w = new MessageWriter(64 * Math.max(1, list.length));
    const skip = new Set(['flags', 'weight', 'ifindex', 'hops']);
    for (const nh of list) {
      const at = w.struct(RTNH_LEN);
      const o = nh as MultipathNexthop & { hops?: number };
      const hops = o.hops ?? (o.weight ?? 1) - 1;
      if (!Number.isInteger(hops) || hops < 0 || hops > 255) throw new TypeError(`multipath: weight ${o.weight} is not 1..256`);
      w.view.setUint8(at + 2, Number(intValue(o.flags ?? [], 'u8', undefined, nexthopFlags, 'rtnh_flags')));
      w.view.setUint8(at + 3, hops);
      w.view.setInt32(at + 4, o.ifindex ?? 0, HOST_LE);
      set.encode(w, o, skip);
      w.view.setUint16(at, w.length - at, HOST_LE);
    }
    return w.toBytes();
  },
};

/** struct rta_mfc_stats (RTA_MFC_STATS). */
const mfcStats = { name: 'rta_mfc_stats', fields: [{ name: 'packets', type: 'u64' }, { name: 'bytes', type: 'u64' }, { name: 'wrong_if', type: 'u64' }] } as const;

/** RTA_*: the attributes of a route message. */
export const routeAttrs = attrs('rta', {
  dst: [RTA.DST, ipaddr()],
  src: [RTA.SRC, ipaddr()],
  iif: [RTA.IIF, u32()],
  oif: [RTA.OIF, u32()],
  gateway: [RTA.GATEWAY, ipaddr()],
  priority: [RTA.PRIORITY, u32()],
  prefsrc: [RTA.PREFSRC, ipaddr()],
  metrics: [RTA.METRICS, nest(metricsAttrs)],
  multipath: [RTA.MULTIPATH, custom(multipathCodec)],
  protoinfo: [RTA.PROTOINFO, binary()],
  flow: [RTA.FLOW, u32()],
  cacheinfo: [RTA.CACHEINFO, struct(rtaCacheinfo)],
  session: [RTA.SESSION, binary()],
  mp_algo: [RTA.MP_ALGO, binary()],
  table: [RTA.TABLE, int('u32', { enum: table })],
  mark: [RTA.MARK, u32()],
  mfc_stats: [RTA.MFC_STATS, struct<{ packets: number | bigint; bytes: number | bigint; wrong_if: number | bigint }>(mfcStats)],
  via: [RTA.VIA, custom(viaCodec)],
  newdst: [RTA.NEWDST, binary()],
  pref: [RTA.PREF, int('u8', { enum: routerPref })],
  encap_type: [RTA.ENCAP_TYPE, int('u16', { enum: encapType })],
  encap: [RTA.ENCAP, encap()],
  expires: [RTA.EXPIRES, u32()],
  pad: [RTA.PAD, binary()],
  uid: [RTA.UID, u32()],
  ttl_propagate: [RTA.TTL_PROPAGATE, u8()],
  ip_proto: [RTA.IP_PROTO, u8()],
  sport: [RTA.SPORT, u16()],
  dport: [RTA.DPORT, u16()],
  nh_id: [RTA.NH_ID, u32()],
  flowlabel: [RTA.FLOWLABEL, int('u32be')],
});
/** The decoded RTA_* attributes. */
export type RouteAttrs = Decoded<typeof routeAttrs>;

// ---- neighbours ----

/** NDA_*: the attributes of a neighbour message. */
export const neighAttrs = attrs('nda', {
  dst: [NDA.DST, ipaddr()],
  lladdr: [NDA.LLADDR, mac()],
  cacheinfo: [NDA.CACHEINFO, struct(ndaCacheinfo)],
  probes: [NDA.PROBES, u32()],
  vlan: [NDA.VLAN, u16()],
  port: [NDA.PORT, int('u16be')],
  vni: [NDA.VNI, u32()],
  /** NDA_IFINDEX (a dump filter; named apart from ndmsg's ifindex). */
  nda_ifindex: [NDA.IFINDEX, u32()],
  master: [NDA.MASTER, u32()],
  link_netnsid: [NDA.LINK_NETNSID, int('s32')],
  src_vni: [NDA.SRC_VNI, u32()],
  protocol: [NDA.PROTOCOL, int('u8', { enum: protocol })],
  nh_id: [NDA.NH_ID, u32()],
  fdb_ext_attrs: [NDA.FDB_EXT_ATTRS, binary()],
  flags_ext: [NDA.FLAGS_EXT, int('u32', { flags: neighFlagsExt })],
  ndm_state_mask: [NDA.NDM_STATE_MASK, u16()],
  ndm_flags_mask: [NDA.NDM_FLAGS_MASK, u8()],
});
/** The decoded NDA_* attributes. */
export type NeighAttrs = Decoded<typeof neighAttrs>;

// ---- rules ----

/** FRA_*: the attributes of a rule message. */
export const ruleAttrs = attrs('fra', {
  dst: [FRA.DST, ipaddr()],
  src: [FRA.SRC, ipaddr()],
  iifname: [FRA.IIFNAME, string()],
  goto: [FRA.GOTO, u32()],
  priority: [FRA.PRIORITY, u32()],
  fwmark: [FRA.FWMARK, u32()],
  flow: [FRA.FLOW, u32()],
  tun_id: [FRA.TUN_ID, int('u64be')],
  suppress_ifgroup: [FRA.SUPPRESS_IFGROUP, u32()],
  suppress_prefixlen: [FRA.SUPPRESS_PREFIXLEN, u32()],
  table: [FRA.TABLE, int('u32', { enum: table })],
  fwmask: [FRA.FWMASK, u32()],
  oifname: [FRA.OIFNAME, string()],
  pad: [FRA.PAD, binary()],
  l3mdev: [FRA.L3MDEV, u8()],
  uid_range: [FRA.UID_RANGE, struct(uidRange)],
  protocol: [FRA.PROTOCOL, int('u8', { enum: protocol })],
  ip_proto: [FRA.IP_PROTO, u8()],
  sport_range: [FRA.SPORT_RANGE, struct(portRange)],
  dport_range: [FRA.DPORT_RANGE, struct(portRange)],
  dscp: [FRA.DSCP, u8()],
  flowlabel: [FRA.FLOWLABEL, int('u32be')],
  flowlabel_mask: [FRA.FLOWLABEL_MASK, int('u32be')],
  sport_mask: [FRA.SPORT_MASK, u16()],
  dport_mask: [FRA.DPORT_MASK, u16()],
  dscp_mask: [FRA.DSCP_MASK, u8()],
});
/** The decoded FRA_* attributes. */
export type RuleAttrs = Decoded<typeof ruleAttrs>;

// ---- nexthops ----

/** One member of a nexthop group: its id and weight (1..65536). */
export interface NexthopGroupMember {
  id: number;
  weight: number;
}

/** NHA_GROUP: packed struct nexthop_grp { u32 id; u8 weight; u8 weight_high; u16 resvd2; }, weight stored minus one. */
const nexthopGroupCodec: CustomCodec<NexthopGroupMember[]> = {
  decode(_buf, dv, s, e) {
    if ((e - s) % 8) throw new RangeError('nexthop_grp length');
    const out: NexthopGroupMember[] = [];
    for (let p = s; p < e; p += 8) {
      if (dv.getUint16(p + 6, HOST_LE) !== 0) throw new RangeError('nexthop_grp reserved bits'); // kept as bytes
      out.push({ id: dv.getUint32(p, HOST_LE), weight: ((dv.getUint8(p + 5) << 8) | dv.getUint8(p + 4)) + 1 });
    }
    return out;
  },
  encode(list) {
    const out = new Uint8Array(8 * list.length);
    const dv = new DataView(out.buffer);
    list.forEach((m, i) => {
      const w = (m.weight ?? 1) - 1;
      if (!Number.isInteger(w) || w < 0 || w > 0xffff) throw new TypeError(`nexthop group: weight ${m.weight} is not 1..65536`);
      dv.setUint32(i * 8, m.id, HOST_LE);
      dv.setUint8(i * 8 + 4, w & 0xff);
      dv.setUint8(i * 8 + 5, w >> 8);
    });
    return out;
  },
};

/** NHA_RES_GROUP_*: resilient group parameters. */
export const nexthopResGroupAttrs = attrs('nha_res_group', {
  buckets: [NHA_RES_GROUP.BUCKETS, u16()],
  idle_timer: [NHA_RES_GROUP.IDLE_TIMER, u32()],
  unbalanced_timer: [NHA_RES_GROUP.UNBALANCED_TIMER, u32()],
  unbalanced_time: [NHA_RES_GROUP.UNBALANCED_TIME, u64()],
});

/** NHA_RES_BUCKET_*: one bucket of a resilient group. */
export const nexthopResBucketAttrs = attrs('nha_res_bucket', {
  index: [NHA_RES_BUCKET.INDEX, u16()],
  idle_time: [NHA_RES_BUCKET.IDLE_TIME, u64()],
  nh_id: [NHA_RES_BUCKET.NH_ID, u32()],
});

/** NHA_*: the attributes of a nexthop message. NHA_ID is always sent (nh_fill_node). */
export const nexthopAttrs = attrs('nha', {
  id: [NHA.ID, always(u32())],
  group: [NHA.GROUP, custom(nexthopGroupCodec)],
  group_type: [NHA.GROUP_TYPE, int('u16', { enum: nexthopGroupType })],
  blackhole: [NHA.BLACKHOLE, flag()],
  oif: [NHA.OIF, u32()],
  gateway: [NHA.GATEWAY, ipaddr()],
  encap_type: [NHA.ENCAP_TYPE, int('u16', { enum: encapType })],
  encap: [NHA.ENCAP, encap()],
  groups: [NHA.GROUPS, flag()],
  master: [NHA.MASTER, u32()],
  fdb: [NHA.FDB, flag()],
  res_group: [NHA.RES_GROUP, nest(nexthopResGroupAttrs)],
  res_bucket: [NHA.RES_BUCKET, nest(nexthopResBucketAttrs)],
  op_flags: [NHA.OP_FLAGS, u32()],
  group_stats: [NHA.GROUP_STATS, binary()],
  hw_stats_enable: [NHA.HW_STATS_ENABLE, u32()],
  hw_stats_used: [NHA.HW_STATS_USED, u32()],
});
/** The decoded NHA_* attributes. */
export type NexthopAttrs = Decoded<typeof nexthopAttrs>;

// ---- netconf ----

/** NETCONFA_IFINDEX's special values. */
export const netconfIfindex = enumSpec('netconfa_ifindex', {
  all: NETCONFA_IFINDEX.ALL,
  default: NETCONFA_IFINDEX.DEFAULT,
});

/** NETCONFA_*: per-device (or all/default) forwarding configuration. */
export const netconfAttrs = attrs('netconfa', {
  ifindex: [NETCONFA.IFINDEX, int('s32', { enum: netconfIfindex })],
  forwarding: [NETCONFA.FORWARDING, int('s32')],
  rp_filter: [NETCONFA.RP_FILTER, int('s32')],
  mc_forwarding: [NETCONFA.MC_FORWARDING, int('s32')],
  proxy_neigh: [NETCONFA.PROXY_NEIGH, int('s32')],
  ignore_routes_with_linkdown: [NETCONFA.IGNORE_ROUTES_WITH_LINKDOWN, int('s32')],
  input: [NETCONFA.INPUT, int('s32')],
  bc_forwarding: [NETCONFA.BC_FORWARDING, int('s32')],
});
/** The decoded NETCONFA_* attributes. */
export type NetconfAttrs = Decoded<typeof netconfAttrs>;

// ---- namespace ids ----

/** NETNSA_*: a peer namespace's id. */
export const nsidAttrs = attrs('netnsa', {
  nsid: [NETNSA.NSID, int('s32')],
  pid: [NETNSA.PID, u32()],
  fd: [NETNSA.FD, u32()],
  target_nsid: [NETNSA.TARGET_NSID, int('s32')],
  current_nsid: [NETNSA.CURRENT_NSID, int('s32')],
});
/** The decoded NETNSA_* attributes. */
export type NsidAttrs = Decoded<typeof nsidAttrs>;

