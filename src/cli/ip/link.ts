// `nlkit ip link`: show/list, add, set/change, replace and delete — over nlkit/route. The
// options of each kind (`type KIND ARGS`) are parsed by its file in link/.
import { existsSync } from 'node:fs';
import { addLink, changeLink, deleteLink, dumpLinks, getLink, RTM, encodeLink, type Link, type LinkSpec } from '../../route/index.js';
import { NLM_F_CREATE, NLM_F_REPLACE } from '../../wire/index.js';
import { UsageError } from '../errors.js';
import { Args, IP_EXIT, matches, parseAddress, parseLladdr, usage } from './argv.js';
import type { IpContext } from './index.js';
import { command, objectRunner } from './dispatch.js';
import './link/index.js';
import { applyFlags, HelpShown, linkKind, type KindMode, type Parsed } from './link/kinds.js';
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


/** iplink_parse: the common link options, up to (and including) `type KIND ARGS`. */
async function parseLink(args: Args, s: Session, mode: KindMode): Promise<Parsed> {
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
      if (n === undefined) throw args.invalid(v, 'Invalid "txqueuelen" value\n');
      p.spec.txqlen = n;
    } else if (a === 'mtu') {
      const v = args.value('mtu');
      const n = parseUnsigned(v);
      if (n === undefined) throw args.invalid(v, 'Invalid "mtu" value\n');
      p.spec.mtu = n;
    } else if (a === 'netns') {
      const v = args.value('netns');
      if (/^\d+$/.test(v)) p.spec.netns = Number(v);
      else {
        if (v.includes('/') || v === '.' || v === '..') throw args.error(`Invalid netns name "${v}"`);
        // ip's netns_get_fd fails first: the name must be a namespace under /run/netns.
        if (!existsSync(`/run/netns/${v}`)) throw args.invalid(v, 'Invalid "netns" value\n');
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


function checkIfname(args: Args, name: string): void {
  if (name === '' || Buffer.byteLength(name) >= 16 || /[\s/:]/.test(name)) {
    throw args.invalid(name, `"name" not a valid ifname`);
  }
}


/** The per-kind ARGS after `type KIND`: each kind's parser (link/*.ts), or none allowed. */
async function parseKind(args: Args, s: Session, kind: string, p: Parsed, mode: KindMode): Promise<void> {
  const data: Record<string, unknown> = {};
  const k = linkKind(kind);
  if (k?.parse) {
    await k.parse({ args, s, kind, mode, data, p, usage: USAGE, parseLink });
  } else if (args.left > 0) {
    throw args.error(`Garbage instead of arguments "${args.rest().join(' ')} ...".`);
  }
  if (Object.keys(data).length) p.spec.data = data;
}


type LinkCmd = 'add' | 'set' | 'replace' | 'delete';

async function modify(ctx: IpContext, args: Args, cmd: LinkCmd): Promise<number> {
  return withSession(ctx, async (s) => {
    let p: Parsed;
    try {
      p = await parseLink(args, s, cmd);
    } catch (e) {
      if (e instanceof HelpShown) return e.status;
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
