// bridge and bridge_slave (iplink_bridge.c, iplink_bridge_slave.c): options and -d details.
import { matches, parseLladdr } from '../argv.js';
import type { PrintContext } from '../common.js';
import type { Output } from '../output.js';
import { argNum as num, bridgeIdText, hex, HelpShown, num as dnum, onOff, registerKind, timer, type Data } from './kinds.js';

/** ip's explain() text for bridge, printed after an unknown option (as ip prints it). */
const EXPLAIN = "Usage: ... bridge [ fdb_flush ]\n\t\t  [ forward_delay FORWARD_DELAY ]\n\t\t  [ hello_time HELLO_TIME ]\n\t\t  [ max_age MAX_AGE ]\n\t\t  [ ageing_time AGEING_TIME ]\n\t\t  [ stp_state STP_STATE ]\n\t\t  [ priority PRIORITY ]\n\t\t  [ group_fwd_mask MASK ]\n\t\t  [ group_address ADDRESS ]\n\t\t  [ no_linklocal_learn NO_LINKLOCAL_LEARN ]\n\t\t  [ vlan_filtering VLAN_FILTERING ]\n\t\t  [ vlan_protocol VLAN_PROTOCOL ]\n\t\t  [ vlan_default_pvid VLAN_DEFAULT_PVID ]\n\t\t  [ vlan_stats_enabled VLAN_STATS_ENABLED ]\n\t\t  [ vlan_stats_per_port VLAN_STATS_PER_PORT ]\n\t\t  [ mcast_snooping MULTICAST_SNOOPING ]\n\t\t  [ mcast_vlan_snooping MULTICAST_VLAN_SNOOPING ]\n\t\t  [ mcast_router MULTICAST_ROUTER ]\n\t\t  [ mcast_query_use_ifaddr MCAST_QUERY_USE_IFADDR ]\n\t\t  [ mcast_querier MULTICAST_QUERIER ]\n\t\t  [ mcast_hash_elasticity HASH_ELASTICITY ]\n\t\t  [ mcast_hash_max HASH_MAX ]\n\t\t  [ mcast_last_member_count LAST_MEMBER_COUNT ]\n\t\t  [ mcast_startup_query_count STARTUP_QUERY_COUNT ]\n\t\t  [ mcast_last_member_interval LAST_MEMBER_INTERVAL ]\n\t\t  [ mcast_membership_interval MEMBERSHIP_INTERVAL ]\n\t\t  [ mcast_querier_interval QUERIER_INTERVAL ]\n\t\t  [ mcast_query_interval QUERY_INTERVAL ]\n\t\t  [ mcast_query_response_interval QUERY_RESPONSE_INTERVAL ]\n\t\t  [ mcast_startup_query_interval STARTUP_QUERY_INTERVAL ]\n\t\t  [ mcast_stats_enabled MCAST_STATS_ENABLED ]\n\t\t  [ mcast_igmp_version IGMP_VERSION ]\n\t\t  [ mcast_mld_version MLD_VERSION ]\n\t\t  [ nf_call_iptables NF_CALL_IPTABLES ]\n\t\t  [ nf_call_ip6tables NF_CALL_IP6TABLES ]\n\t\t  [ nf_call_arptables NF_CALL_ARPTABLES ]\n\nWhere: VLAN_PROTOCOL := { 802.1Q | 802.1ad }\n";

const BRIDGE_U32 = ['forward_delay', 'hello_time', 'max_age', 'ageing_time', 'stp_state', 'mcast_hash_elasticity', 'mcast_hash_max',
  'mcast_last_member_count', 'mcast_startup_query_count'];
const BRIDGE_U64 = ['mcast_last_member_interval', 'mcast_membership_interval', 'mcast_querier_interval', 'mcast_query_interval',
  'mcast_query_response_interval', 'mcast_startup_query_interval'];
const BRIDGE_U8 = ['vlan_filtering', 'mcast_snooping', 'mcast_querier', 'mcast_router', 'mcast_query_use_ifaddr', 'nf_call_iptables',
  'nf_call_ip6tables', 'nf_call_arptables', 'vlan_stats_enabled', 'mcast_stats_enabled', 'mcast_igmp_version', 'mcast_mld_version'];
const BRIDGE_KEY: Record<string, string> = {
  mcast_last_member_count: 'mcast_last_member_cnt', mcast_startup_query_count: 'mcast_startup_query_cnt',
  mcast_last_member_interval: 'mcast_last_member_intvl', mcast_membership_interval: 'mcast_membership_intvl',
  mcast_querier_interval: 'mcast_querier_intvl', mcast_query_interval: 'mcast_query_intvl',
  mcast_query_response_interval: 'mcast_query_response_intvl', mcast_startup_query_interval: 'mcast_startup_query_intvl',
};

registerKind(['bridge'], {
  parse({ args, data, usage }) {
    const USAGE = usage;
    while (args.left) {
      const a = args.next()!;
      if (BRIDGE_U32.includes(a)) data[BRIDGE_KEY[a] ?? a] = num(args, a);
      else if (BRIDGE_U64.includes(a)) data[BRIDGE_KEY[a] ?? a] = num(args, a, Number.MAX_SAFE_INTEGER);
      else if (BRIDGE_U8.includes(a)) data[a] = num(args, a, 255);
      else if (a === 'priority' || a === 'vlan_default_pvid') data[a] = num(args, a, 0xffff);
      else if (a === 'group_fwd_mask') data[a] = num(args, a, 0xffff);
      else if (a === 'group_address') {
        const v = args.value(a);
        const mac = parseLladdr(v);
        if (!mac) throw args.invalid(v, 'invalid group address');
        data.group_addr = mac;
      } else if (a === 'vlan_protocol') {
        const v = args.value(a).toLowerCase();
        data.vlan_protocol = v === '802.1q' ? '802.1Q' : v === '802.1ad' ? '802.1ad' : (() => { throw args.invalid(v, 'invalid vlan_protocol'); })();
      } else if (matches(a, 'help')) {
        process.stderr.write(USAGE);
        throw new HelpShown();
      } else throw args.error(`bridge: unknown command "${a}"?\n${EXPLAIN.trimEnd()}`);
    }
  },
  print: (o, _c, d) => printBridge(o, d),
  printSlave: (o, c, d) => printBridgeSlave(o, c, d),
});

function printBridge(o: Output, d: Data): void {
  const u = (key: string, label = key) => {
    const v = dnum(d, key);
    if (v !== undefined) o.field(key, v, `${label} ${v} `);
  };
  u('forward_delay'); u('hello_time'); u('max_age'); u('ageing_time'); u('stp_state'); u('priority'); u('vlan_filtering');
  if (d.vlan_protocol !== undefined) o.field('vlan_protocol', String(d.vlan_protocol), `vlan_protocol ${String(d.vlan_protocol)} `);
  const bid = bridgeIdText(d.bridge_id as { prio: number; addr: string } | undefined);
  if (bid !== undefined) o.field('bridge_id', bid, `bridge_id ${bid} `);
  // ip 6.1 prints the bridge id again as the root id (it reads IFLA_BR_BRIDGE_ID there).
  if (d.root_id !== undefined && bid !== undefined) o.field('root_id', bid, `designated_root ${bid} `);
  u('root_port'); u('root_path_cost'); u('topology_change'); u('topology_change_detected');
  timer(o, 'hello_timer', d.hello_timer as number | undefined);
  timer(o, 'tcn_timer', d.tcn_timer as number | undefined);
  timer(o, 'topology_change_timer', d.topology_change_timer as number | undefined);
  timer(o, 'gc_timer', d.gc_timer as number | undefined);
  u('vlan_default_pvid'); u('vlan_stats_enabled'); u('vlan_stats_per_port');
  const gfm = dnum(d, 'group_fwd_mask');
  if (gfm !== undefined) o.field('group_fwd_mask', hex(gfm), `group_fwd_mask ${hex(gfm)} `);
  if (d.group_addr !== undefined) o.field('group_addr', String(d.group_addr), `group_address ${String(d.group_addr)} `);
  u('mcast_snooping');
  const bo = d.multi_boolopt as { optval: number; optmask: number } | undefined;
  if (bo) {
    const noLl = 1 << 0, mcvl = 1 << 1;
    if (bo.optmask & noLl) o.field('no_linklocal_learn', bo.optval & noLl ? 1 : 0, `no_linklocal_learn ${bo.optval & noLl ? 1 : 0} `);
    if (bo.optmask & mcvl) o.field('mcast_vlan_snooping', bo.optval & mcvl ? 1 : 0, `mcast_vlan_snooping ${bo.optval & mcvl ? 1 : 0} `);
  }
  u('mcast_router'); u('mcast_query_use_ifaddr'); u('mcast_querier'); u('mcast_hash_elasticity'); u('mcast_hash_max');
  u('mcast_last_member_cnt', 'mcast_last_member_count'); u('mcast_startup_query_cnt', 'mcast_startup_query_count');
  u('mcast_last_member_intvl', 'mcast_last_member_interval'); u('mcast_membership_intvl', 'mcast_membership_interval');
  u('mcast_querier_intvl', 'mcast_querier_interval'); u('mcast_query_intvl', 'mcast_query_interval');
  u('mcast_query_response_intvl', 'mcast_query_response_interval');
  u('mcast_startup_query_intvl', 'mcast_startup_query_interval');
  u('mcast_stats_enabled'); u('mcast_igmp_version'); u('mcast_mld_version');
  u('nf_call_iptables'); u('nf_call_ip6tables'); u('nf_call_arptables');
}

const FWD_MASK_NAMES: Record<number, string> = { 0: 'stp', 2: 'lacp', 14: 'lldp' };

function printBridgeSlave(o: Output, ctx: PrintContext, d: Data): void {
  if (d.state !== undefined) {
    const s = typeof d.state === 'number' ? String(d.state) : String(d.state);
    o.field('state', s, `state ${s} `);
  }
  const i = (key: string, label = key) => {
    const v = dnum(d, key);
    if (v !== undefined) o.field(key, v, `${label} ${v} `);
  };
  i('priority'); i('cost');
  onOff(o, 'hairpin', 'hairpin', dnum(d, 'mode'));
  onOff(o, 'guard', 'guard', dnum(d, 'guard'));
  onOff(o, 'root_block', 'root_block', dnum(d, 'protect'));
  onOff(o, 'fastleave', 'fastleave', dnum(d, 'fast_leave'));
  onOff(o, 'learning', 'learning', dnum(d, 'learning'));
  onOff(o, 'flood', 'flood', dnum(d, 'unicast_flood'));
  const id = dnum(d, 'id');
  if (id !== undefined) o.field('id', hex(id), `port_id ${hex(id)} `);
  const no = dnum(d, 'no');
  if (no !== undefined) o.field('no', hex(no), `port_no ${hex(no)} `);
  i('designated_port'); i('designated_cost');
  const bid = bridgeIdText(d.bridge_id as { prio: number; addr: string } | undefined);
  if (bid !== undefined) o.field('bridge_id', bid, `designated_bridge ${bid} `);
  const rid = bridgeIdText(d.root_id as { prio: number; addr: string } | undefined);
  if (rid !== undefined) o.field('root_id', rid, `designated_root ${rid} `);
  timer(o, 'hold_timer', d.hold_timer as number | undefined);
  timer(o, 'message_age_timer', d.message_age_timer as number | undefined);
  timer(o, 'forward_delay_timer', d.forward_delay_timer as number | undefined);
  i('topology_change_ack'); i('config_pending');
  onOff(o, 'proxy_arp', 'proxy_arp', dnum(d, 'proxyarp'));
  onOff(o, 'proxy_arp_wifi', 'proxy_arp_wifi', dnum(d, 'proxyarp_wifi'));
  i('multicast_router', 'mcast_router');
  if (d.fast_leave !== undefined) o.fp(`mcast_fast_leave ${dnum(d, 'fast_leave') ? 'on' : 'off'} `);
  onOff(o, 'mcast_flood', 'mcast_flood', dnum(d, 'mcast_flood'));
  onOff(o, 'bcast_flood', 'bcast_flood', dnum(d, 'bcast_flood'));
  onOff(o, 'mcast_to_unicast', 'mcast_to_unicast', dnum(d, 'mcast_to_ucast'));
  onOff(o, 'neigh_suppress', 'neigh_suppress', dnum(d, 'neigh_suppress'));
  const gfm = dnum(d, 'group_fwd_mask');
  if (gfm !== undefined) {
    o.field('group_fwd_mask', hex(gfm), `group_fwd_mask ${hex(gfm)} `);
    const parts: string[] = [];
    for (let b = 0; b < 16; b++) if (gfm & (1 << b)) parts.push(FWD_MASK_NAMES[b] ?? `0x${(1 << b).toString(16)}`);
    const s = parts.length ? parts.join(',') : '0x0';
    o.field('group_fwd_mask_str', s, `group_fwd_mask_str ${s} `);
  }
  onOff(o, 'vlan_tunnel', 'vlan_tunnel', dnum(d, 'vlan_tunnel'));
  onOff(o, 'isolated', 'isolated', dnum(d, 'isolated'));
  if (d.backup_port !== undefined) {
    const n = ctx.names.name(Number(d.backup_port));
    o.field('backup_port', n, `backup_port ${n} `);
  }
  onOff(o, 'locked', 'locked', dnum(d, 'locked'));
}
