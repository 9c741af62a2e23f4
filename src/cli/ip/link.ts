// `nlkit ip link`: show/list, add (veth, bridge, vxlan, macvlan/macvtap, vlan, ifb, dummy, …),
// set/change, replace and delete — over nlkit/route.
import { addLink, changeLink, deleteLink, dumpLinks, getLink, RTM, encodeLink, type Link, type LinkSpec } from '../../route/index.js';
import { NLM_F_CREATE, NLM_F_REPLACE } from '../../wire/index.js';
import { UsageError } from '../errors.js';
import { Args, IP_EXIT, matches, parseAddress, parseLladdr, usage } from './argv.js';
import type { IpContext } from './index.js';
import { command, objectRunner } from './dispatch.js';
import { groups, parseUnsigned } from './names.js';
import { linkMatches, printLink, printLinkBrief, type LinkShowFilter } from './print-link.js';
import { withSession, type Session } from './session.js';

const USAGE = `Usage: nlkit ip link add [ link DEV ] [ name ] NAME [ txqueuelen PACKETS ] [ address LLADDR ]
                         [ broadcast LLADDR ] [ mtu MTU ] [ index IDX ] [ numtxqueues QUEUE_COUNT ]
                         [ numrxqueues QUEUE_COUNT ] [ netns { PID | NAME } ] type TYPE [ ARGS ]
       nlkit ip link delete { DEVICE | dev DEVICE } [ type TYPE ]
       nlkit ip link set { DEVICE | dev DEVICE } [ up | down ] [ type TYPE ARGS ] [ arp { on | off } ]
                         [ multicast { on | off } ] [ allmulticast { on | off } ] [ promisc { on | off } ]
                         [ txqueuelen PACKETS ] [ name NEWNAME ] [ address LLADDR ] [ broadcast LLADDR ]
                         [ mtu MTU ] [ netns { PID | NAME } ] [ alias NAME ] [ master DEVICE ] [ nomaster ]
                         [ group GROUP ] [ addrgenmode { eui64 | none | stable_secret | random } ]
                         [ protodown { on | off } ]
       nlkit ip link show [ DEVICE | group GROUP ] [ up ] [ master DEV ] [ type TYPE ] [ nomaster ]
TYPE := { veth | bridge | vxlan | macvlan | macvtap | vlan | ifb | dummy | ... }
  veth:    [ peer [ name ] NAME [ OPTIONS ] ]
  bridge:  [ stp_state 0|1 ] [ forward_delay N ] [ hello_time N ] [ max_age N ] [ ageing_time N ]
           [ priority N ] [ vlan_filtering 0|1 ] [ mcast_snooping 0|1 ] [ group_fwd_mask N ] ...
  vxlan:   id VNI [ { group | remote } ADDR ] [ local ADDR ] [ dev DEV ] [ dstport PORT ]
           [ srcport MIN MAX ] [ ttl TTL ] [ tos TOS ] [ [no]learning ] [ ageing SECONDS ]
           [ maxaddress N ] [ [no]udpcsum ] [ [no]external ] [ proxy ] [ l2miss ] [ l3miss ]
  macvlan: mode { private | vepa | bridge | passthru | source } [ nopromisc ] [ bcqueuelen N ]
  vlan:    id VLANID [ protocol { 802.1q | 802.1ad } ]
`;

/** Runs `ip link …`. */
export const run = objectRunner({
  object: 'link',
  usage: USAGE,
  default: (ctx, args) => show(ctx, args),
  commands: [
    command(['add'], (ctx, args) => modify(ctx, args, 'add')),
    command(['set', 'change'], (ctx, args) => modify(ctx, args, 'set')),
    command(['replace'], (ctx, args) => modify(ctx, args, 'replace')),
    command(['delete'], (ctx, args) => modify(ctx, args, 'delete')),
    command(['show', 'lst', 'list'], (ctx, args) => show(ctx, args)),
  ],
});

function onOff(args: Args, kw: string): boolean {
  const v = args.value(kw);
  if (v === 'on') return true;
  if (v === 'off') return false;
  throw args.error(`Error: argument of "${kw}" must be "on" or "off", not "${v}"`);
}

interface Parsed {
  spec: LinkSpec & Record<string, unknown>;
  dev?: string;
  name?: string;
  kind?: string;
  flagsOn: Set<string>;
  flagsOff: Set<string>;
}

/** iplink_parse: the common link options, up to (and including) `type KIND ARGS`. */
async function parseLink(args: Args, s: Session, mode: 'add' | 'set' | 'replace' | 'delete' | 'peer'): Promise<Parsed> {
  const p: Parsed = { spec: {}, flagsOn: new Set(), flagsOff: new Set() };
  const flag = (name: string, on: boolean) => {
    (on ? p.flagsOn : p.flagsOff).add(name);
    (on ? p.flagsOff : p.flagsOn).delete(name);
  };
  for (;;) {
    const a = args.next();
    if (a === undefined) break;
    if (a === 'up') flag('UP', true);
    else if (a === 'down') flag('UP', false);
    else if (a === 'name') {
      const v = args.value('name');
      checkIfname(args, v);
      if (p.name !== undefined) throw args.duplicate('name', v);
      p.name = v;
    } else if (a === 'index') {
      const v = args.value('index');
      const n = parseUnsigned(v, 0x7fffffff);
      if (n === undefined || n === 0) throw args.invalid(v, 'Invalid "index" value');
      p.spec.ifindex = n;
    } else if (matches(a, 'link')) {
      p.spec.link = await s.ifindex(args.value('link'));
    } else if (matches(a, 'address')) {
      const v = args.value('address');
      const mac = parseLladdr(v);
      if (!mac) throw args.error(`"${v}" is invalid lladdr.`);
      p.spec.address = mac;
    } else if (matches(a, 'broadcast') || a === 'brd') {
      const v = args.value(a);
      const mac = parseLladdr(v);
      if (!mac) throw args.error(`"${v}" is invalid lladdr.`);
      p.spec.broadcast = mac;
    } else if (matches(a, 'txqueuelen') || a === 'qlen' || matches(a, 'txqlen')) {
      const v = args.value(a);
      const n = parseUnsigned(v);
      if (n === undefined) throw args.invalid(v, 'Invalid "txqueuelen" value');
      p.spec.txqlen = n;
    } else if (a === 'mtu') {
      const v = args.value('mtu');
      const n = parseUnsigned(v);
      if (n === undefined) throw args.invalid(v, 'Invalid "mtu" value');
      p.spec.mtu = n;
    } else if (a === 'netns') {
      const v = args.value('netns');
      if (/^\d+$/.test(v)) p.spec.netns = Number(v);
      else {
        if (v.includes('/') || v === '.' || v === '..') throw args.error(`Invalid netns name "${v}"`);
        p.spec.netns = v;
      }
    } else if (a === 'multicast') flag('MULTICAST', onOff(args, a));
    else if (a === 'allmulticast') flag('ALLMULTI', onOff(args, a));
    else if (a === 'promisc') flag('PROMISC', onOff(args, a));
    else if (a === 'trailers') flag('NOTRAILERS', !onOff(args, a));
    else if (a === 'arp') flag('NOARP', !onOff(args, a));
    else if (a === 'dynamic') flag('DYNAMIC', onOff(args, a));
    else if (a === 'carrier') p.spec.carrier = onOff(args, a) ? 1 : 0;
    else if (matches(a, 'master')) {
      p.spec.master = await s.ifindex(args.value(a));
    } else if (matches(a, 'nomaster')) {
      p.spec.master = null;
    } else if (matches(a, 'alias')) {
      const v = args.value(a);
      if (Buffer.byteLength(v) >= 256) throw args.invalid(v, '"alias" too long');
      p.spec.ifalias = v;
    } else if (a === 'group') {
      const v = args.value('group');
      const g = groups.a2n(v);
      if (g === undefined) throw args.invalid(v, 'Invalid "group" value\n');
      p.spec.group = g;
    } else if (a === 'mode') {
      const v = args.value('mode');
      if (v === 'default') p.spec.linkmode = 'DEFAULT' as never;
      else if (v === 'dormant') p.spec.linkmode = 'DORMANT' as never;
      else throw args.invalid(v, 'Invalid link mode');
    } else if (a === 'state') {
      const v = args.value('state').toUpperCase();
      const ok = ['UNKNOWN', 'NOTPRESENT', 'DOWN', 'LOWERLAYERDOWN', 'TESTING', 'DORMANT', 'UP'];
      if (!ok.includes(v)) throw args.invalid(v, 'Invalid operstate');
      p.spec.operstate = v as never;
    } else if (matches(a, 'numtxqueues') || matches(a, 'numrxqueues')) {
      const v = args.value(a);
      const n = parseUnsigned(v);
      if (n === undefined) throw args.invalid(v, `Invalid "${a}" value`);
      if (a.startsWith('numt')) p.spec.num_tx_queues = n;
      else p.spec.num_rx_queues = n;
    } else if (matches(a, 'protodown')) {
      p.spec.proto_down = onOff(args, 'protodown') ? 1 : 0;
    } else if (a === 'gso_max_size' || a === 'gso_max_segs' || a === 'gro_max_size') {
      const v = args.value(a);
      const n = parseUnsigned(v);
      if (n === undefined) throw args.invalid(v, `Invalid "${a}" value`);
      p.spec[a] = n;
    } else if (matches(a, 'addrgenmode')) {
      const v = args.value(a);
      if (!['eui64', 'none', 'stable_secret', 'random'].includes(v)) throw args.invalid(v, 'Invalid address generation mode');
      p.spec.af_spec = { inet6: { addr_gen_mode: v } } as never;
    } else if (a === 'dev') {
      const v = args.value('dev');
      if (p.dev !== undefined) throw args.duplicate('dev', v);
      checkIfname(args, v);
      p.dev = v;
    } else if (matches(a, 'type')) {
      const kind = args.value('type');
      p.kind = kind;
      await parseKind(args, s, kind, p, mode);
      break;
    } else if (matches(a, 'help')) {
      process.stderr.write(USAGE);
      throw new HelpShown();
    } else if (a === 'vf' || a.startsWith('xdp') || a === 'vrf' || a === 'link-netns' || a === 'link-netnsid' || a === 'protodown_reason') {
      throw args.error(`nlkit ip: "link ${a}" is not supported.`);
    } else {
      if (mode === 'peer' && p.name === undefined) {
        checkIfname(args, a);
        p.name = a;
        continue;
      }
      if (p.dev !== undefined) throw args.duplicate('dev', a);
      checkIfname(args, a);
      p.dev = a;
    }
  }
  return p;
}

/** Thrown after `help` printed the usage: the command ends with exit 0. */
class HelpShown extends Error {}

function checkIfname(args: Args, name: string): void {
  if (name === '' || Buffer.byteLength(name) >= 16 || /[\s/:]/.test(name)) {
    throw args.invalid(name, `"name" not a valid ifname`);
  }
}

function num(args: Args, kw: string, max = 0xffffffff): number {
  const v = args.value(kw);
  const n = parseUnsigned(v, max);
  if (n === undefined) throw args.invalid(v, `invalid ${kw}`);
  return n;
}

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

/** The per-kind ARGS after `type KIND`. */
async function parseKind(args: Args, s: Session, kind: string, p: Parsed, mode: 'add' | 'set' | 'replace' | 'delete' | 'peer'): Promise<void> {
  const data: Record<string, unknown> = {};
  const garbage = () => args.error(`Garbage instead of arguments "${args.rest().join(' ')} ...".`);
  switch (kind) {
    case 'veth': {
      if (args.left === 0) break;
      const a = args.next()!;
      if (a !== 'peer') {
        if (matches(a, 'help')) {
          process.stdout.write('Usage: nlkit ip link <options> type veth [peer <options>]\n');
          throw new HelpShown();
        }
        throw args.error('Usage: ip link <options> type veth [peer <options>]');
      }
      const peer = await parseLink(args, s, 'peer');
      const ps: LinkSpec & Record<string, unknown> = { ...peer.spec };
      const pname = peer.name ?? peer.dev;
      if (pname !== undefined) ps.ifname = pname;
      applyFlags(ps, peer);
      p.spec.peer = ps;
      return;
    }
    case 'bridge':
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
        } else throw args.error(`bridge: unknown command "${a}"?`);
      }
      break;
    case 'vxlan': {
      let dstportGiven = false;
      while (args.left) {
        const a = args.next()!;
        if (a === 'id' || a === 'vni') data.id = num(args, a, 0xffffff);
        else if (a === 'group' || a === 'remote') {
          const v = parseAddress(args, args.value(a));
          if (v.family === 4) data.group = v.addr;
          else data.group6 = v.addr;
        } else if (a === 'local') {
          const v = parseAddress(args, args.value(a));
          if (v.family === 4) data.local = v.addr;
          else data.local6 = v.addr;
        } else if (a === 'dev') data.link = await s.ifindex(args.value(a));
        else if (a === 'ttl' || a === 'hoplimit') {
          const v = args.value(a);
          if (v === 'inherit') data.ttl_inherit = true;
          else if (v === 'auto') data.ttl = 0;
          else {
            const n = parseUnsigned(v, 255);
            if (n === undefined) throw args.invalid(v, 'invalid TTL');
            data.ttl = n;
          }
        } else if (a === 'tos' || a === 'dsfield') {
          const v = args.value(a);
          if (v === 'inherit') data.tos = 1;
          else {
            const n = parseUnsigned(v, 255);
            if (n === undefined) throw args.invalid(v, 'bad TOS value');
            data.tos = n;
          }
        } else if (a === 'dstport') {
          data.port = num(args, a, 0xffff);
          dstportGiven = true;
        } else if (a === 'srcport') {
          const low = num(args, 'srcport', 0xffff);
          const high = num(args, 'srcport', 0xffff);
          data.port_range = { low, high };
        } else if (a === 'learning') data.learning = 1;
        else if (a === 'nolearning') data.learning = 0;
        else if (a === 'ageing') {
          const v = args.value(a);
          data.ageing = v === 'none' ? 0 : (() => { const n = parseUnsigned(v); if (n === undefined) throw args.invalid(v, 'ageing timer'); return n; })();
        } else if (a === 'maxaddress') {
          const v = args.value(a);
          data.limit = v === 'unlimited' ? 0 : (() => { const n = parseUnsigned(v); if (n === undefined) throw args.invalid(v, 'max addresses'); return n; })();
        } else if (a === 'udpcsum') data.udp_csum = 1;
        else if (a === 'noudpcsum') data.udp_csum = 0;
        else if (a === 'udp6zerocsumtx') data.udp_zero_csum6_tx = 1;
        else if (a === 'noudp6zerocsumtx') data.udp_zero_csum6_tx = 0;
        else if (a === 'udp6zerocsumrx') data.udp_zero_csum6_rx = 1;
        else if (a === 'noudp6zerocsumrx') data.udp_zero_csum6_rx = 0;
        else if (a === 'external') {
          data.collect_metadata = 1;
          data.learning = 0;
        } else if (a === 'noexternal') data.collect_metadata = 0;
        else if (a === 'proxy') data.proxy = 1;
        else if (a === 'noproxy') data.proxy = 0;
        else if (a === 'l2miss') data.l2miss = 1;
        else if (a === 'nol2miss') data.l2miss = 0;
        else if (a === 'l3miss') data.l3miss = 1;
        else if (a === 'nol3miss') data.l3miss = 0;
        else if (a === 'rsc') data.rsc = 1;
        else if (a === 'norsc') data.rsc = 0;
        else if (a === 'df') {
          const v = args.value(a);
          if (v !== 'unset' && v !== 'set' && v !== 'inherit') throw args.invalid(v, 'df must be "unset", "set" or "inherit"');
          data.df = v;
        } else if (a === 'flowlabel') data.label = num(args, a, 0xfffff);
        else if (a === 'gbp') data.gbp = true;
        else if (a === 'gpe') data.gpe = true;
        else if (matches(a, 'help')) {
          process.stderr.write(USAGE);
          throw new HelpShown();
        } else throw args.error(`vxlan: unknown command "${a}"?`);
      }
      if (mode === 'add' && data.id === undefined && !data.collect_metadata) throw args.error('vxlan: missing virtual network identifier');
      if (mode === 'add' && !dstportGiven && !data.gpe) {
        process.stderr.write('vxlan: destination port not specified\nWill use Linux kernel default (non-standard value)\n' +
          "Use 'dstport 4789' to get the IANA assigned value\nUse 'dstport 0' to get default and quiet this message\n");
      }
      break;
    }
    case 'macvlan':
    case 'macvtap':
      while (args.left) {
        const a = args.next()!;
        if (a === 'mode') {
          const v = args.value(a);
          if (!['private', 'vepa', 'bridge', 'passthru', 'source'].includes(v)) {
            throw args.error(`Error: argument of "mode" must be "private", "vepa", "bridge", "passthru" or "source", not "${v}"`);
          }
          data.mode = v;
        } else if (a === 'nopromisc') data.flags = ['nopromisc'];
        else if (a === 'bcqueuelen') data.bc_queue_len = num(args, a);
        else if (matches(a, 'help')) {
          process.stderr.write(USAGE);
          throw new HelpShown();
        } else throw args.error(`${kind}: unknown option "${a}"?`);
      }
      break;
    case 'vlan':
      while (args.left) {
        const a = args.next()!;
        if (a === 'id') data.id = num(args, a, 4095);
        else if (a === 'protocol') {
          const v = args.value(a).toLowerCase();
          if (v === '802.1q') data.protocol = '802.1Q';
          else if (v === '802.1ad') data.protocol = '802.1ad';
          else throw args.invalid(v, 'protocol is invalid');
        } else if (matches(a, 'help')) {
          process.stderr.write(USAGE);
          throw new HelpShown();
        } else throw args.error(`vlan: unknown command "${a}"?`);
      }
      if (mode === 'add' && data.id === undefined) throw args.error('8021q: VLAN properties not specified.');
      break;
    default:
      if (args.left) throw garbage();
  }
  if (Object.keys(data).length) p.spec.data = data;
}

function applyFlags(spec: LinkSpec & Record<string, unknown>, p: Parsed): void {
  if (p.flagsOn.size === 0 && p.flagsOff.size === 0) return;
  const IFF: Record<string, number> = { UP: 0x1, MULTICAST: 0x1000, ALLMULTI: 0x200, PROMISC: 0x100, NOTRAILERS: 0x20, NOARP: 0x80, DYNAMIC: 0x8000 };
  let change = 0;
  for (const f of [...p.flagsOn, ...p.flagsOff]) change |= IFF[f] ?? 0;
  spec.flags = [...p.flagsOn] as never;
  spec.change = change;
}

type LinkCmd = 'add' | 'set' | 'replace' | 'delete';

async function modify(ctx: IpContext, args: Args, cmd: LinkCmd): Promise<number> {
  return withSession(ctx, async (s) => {
    let p: Parsed;
    try {
      p = await parseLink(args, s, cmd);
    } catch (e) {
      if (e instanceof HelpShown) return IP_EXIT.INVARG;
      throw e;
    }
    const spec = p.spec;
    applyFlags(spec, p);
    if (p.kind !== undefined) spec.kind = p.kind;
    if (cmd === 'add' || cmd === 'replace') {
      const name = p.name ?? p.dev;
      if (p.kind === undefined) throw args.error('Not enough information: "type" argument is required');
      if (name !== undefined) spec.ifname = name;
      if (cmd === 'add') await addLink(spec, s.opts);
      else {
        // replace: NLM_F_CREATE|NLM_F_REPLACE on the named link (created when absent).
        const msg = await buildReplace(s, spec, name);
        await s.sock.request(msg, { headerSize: 16 });
      }
      return 0;
    }
    if (p.dev === undefined && spec.group !== undefined && (cmd === 'delete' || cmd === 'set')) {
      // ip's group form: ifindex 0 and IFLA_GROUP, and the kernel applies it to every link of
      // the group (RTM_DELLINK deletes them; RTM_NEWLINK changes them).
      const msg: Record<string, unknown> = { family: 'unspec', ifindex: 0, group: spec.group };
      if (cmd === 'set') Object.assign(msg, spec);
      await s.sock.request(encodeLink(cmd === 'delete' ? RTM.DELLINK : RTM.NEWLINK, 0, msg as Partial<Link>), { headerSize: 16 });
      return 0;
    }
    if (p.dev === undefined) throw args.error('Not enough information: "dev" argument is required.', IP_EXIT.INVARG);
    const index = await s.ifindex(p.dev);
    if (cmd === 'delete') {
      await deleteLink(index, s.opts);
      return 0;
    }
    if (p.name !== undefined) spec.ifname = p.name;
    if (p.kind !== undefined) {
      spec.kind = p.kind;
    }
    await changeLink(index, spec, s.opts);
    return 0;
  });
}

async function buildReplace(s: Session, spec: LinkSpec & Record<string, unknown>, name: string | undefined): Promise<Uint8Array> {
  // addLink applies NLM_F_EXCL; a replace is the same request with NLM_F_REPLACE instead, so
  // build it through addLink's encoder path: an existing link is changed, a missing one created.
  if (name !== undefined) {
    try {
      const l = await getLink(name, { ...s.opts, stats: false });
      spec.ifindex = l.ifindex;
    } catch {
      // not there yet: created
    }
  }
  const { kind, data, ...rest } = spec;
  const msg: Record<string, unknown> = { family: 'unspec', ...rest };
  if (kind !== undefined) msg.linkinfo = { kind, ...(data ? { data } : {}) };
  delete msg.peer;
  delete msg.up;
  return encodeLink(RTM.NEWLINK, NLM_F_CREATE | NLM_F_REPLACE, msg as Partial<Link>);
}

/** ipaddr_list_link: `ip link show`. */
async function show(ctx: IpContext, args: Args): Promise<number> {
  const f: LinkShowFilter = {};
  let dev: string | undefined;
  let masterDev: string | undefined;
  for (;;) {
    const a = args.next();
    if (a === undefined) break;
    if (a === 'up') f.up = true;
    else if (a === 'master') masterDev = args.value(a);
    else if (a === 'nomaster') f.nomaster = true;
    else if (a === 'type') {
      let k = args.value(a);
      if (k.endsWith('_slave')) f.slaveKind = k.slice(0, -6);
      else f.kind = k;
      k = '';
    } else if (a === 'group') {
      const v = args.value(a);
      const g = groups.a2n(v);
      if (g === undefined) throw args.invalid(v, 'Invalid "group" value\n');
      f.group = g;
    } else if (a === 'vrf') {
      throw args.error('nlkit ip: "vrf" is not supported.');
    } else if (matches(a, 'help')) {
      return usage(USAGE);
    } else {
      let v = a;
      if (v === 'dev') v = args.value('dev');
      if (dev !== undefined) throw args.duplicate('dev', v);
      dev = v;
    }
  }
  return withSession(ctx, async (s) => {
    let index: number | undefined;
    if (dev !== undefined) {
      const i = await s.showDevIndex(dev);
      if (i === null) return 1;
      index = i;
    }
    if (masterDev !== undefined) f.master = await s.ifindex(masterDev);
    const pctx = await s.printContext();
    const out = ctx.out;
    const mode = { doLink: true, showQueue: true, family: 17 as const };
    out.begin();
    const links = index !== undefined
      ? [await getLink(index, { ...s.opts, stats: ctx.opts.stats > 0 })]
      : await dumpLinks({
        stats: ctx.opts.stats > 0, ...(f.kind ? { kind: f.kind } : {}), ...(f.master !== undefined ? { master: f.master } : {}),
      }, s.opts).toArray();
    await s.peerNamespaces(pctx, links);
    for (const l of links) {
      if (f.nomaster && l.master) continue;
      if (!linkMatches(l, f)) {
        // ip opens each link's JSON object before its print-time filters (up, group, slave
        // type) reject it, and leaves an empty {} behind; the kernel-side ones (master, type,
        // nomaster) never reach it.
        out.openObject();
        out.closeObject();
        continue;
      }
      if (ctx.opts.brief) {
        out.openObject();
        printLinkBrief(out, pctx, l, true);
        out.closeObject();
      } else printLink(out, pctx, l, mode);
    }
    await out.end();
    return 0;
  });
}
