// `nlkit bridge link { show | set }`: bridge ports with their STP state, cost, priority and,
// with -d, their flags (hairpin, learning, flood, isolated, …), as `bridge link` prints them.
import { dumpBridgePorts, setBridgePort, type BridgePortOptions, type Link } from '../../route/index.js';
import { BR_STATE, BRIDGE_MODE } from '../../route/constants.js';
import type { PrintContext } from '../ip/common.js';
import type { Output } from '../ip/output.js';
import { linkFlagsNum, printLinkFlags, printNameAndLink } from '../ip/print-link.js';
import { Session } from '../ip/session.js';
import { UsageError } from '../errors.js';
import { BridgeDumpTerminated, bridgeError, bridgeExit, type BridgeContext } from './index.js';
import { printVlanInfo } from './vlan.js';

const USAGE = `Usage: bridge link set dev DEV [ cost COST ] [ priority PRIO ] [ state STATE ]
                               [ guard {on | off} ]
                               [ hairpin {on | off} ]
                               [ fastleave {on | off} ]
                               [ root_block {on | off} ]
                               [ learning {on | off} ]
                               [ learning_sync {on | off} ]
                               [ flood {on | off} ]
                               [ mcast_router MULTICAST_ROUTER ]
                               [ mcast_flood {on | off} ]
                               [ bcast_flood {on | off} ]
                               [ mcast_to_unicast {on | off} ]
                               [ neigh_suppress {on | off} ]
                               [ vlan_tunnel {on | off} ]
                               [ isolated {on | off} ]
                               [ locked {on | off} ]
                               [ hwmode {vepa | veb} ]
                               [ backup_port DEVICE ] [ nobackup_port ]
                               [ self ] [ master ]
       bridge link show [dev DEV]
`;

const PORT_STATES = ['disabled', 'listening', 'learning', 'forwarding', 'blocking'];

function stateNum(v: string | number | undefined): number {
  if (typeof v === 'number') return v;
  const i = PORT_STATES.indexOf(v ?? '');
  return i < 0 ? 0 : i;
}

/** The flags `bridge -d link` prints as on/off (or a number), in its order. */
const DETAIL: [keyof BridgePortOptions, string, 'onoff' | 'uint' | 'dev'][] = [
  ['mode', 'hairpin', 'onoff'], ['guard', 'guard', 'onoff'], ['protect', 'root_block', 'onoff'], ['fast_leave', 'fastleave', 'onoff'],
  ['learning', 'learning', 'onoff'], ['learning_sync', 'learning_sync', 'onoff'], ['unicast_flood', 'flood', 'onoff'],
  ['mcast_flood', 'mcast_flood', 'onoff'], ['bcast_flood', 'bcast_flood', 'onoff'], ['multicast_router', 'mcast_router', 'uint'],
  ['mcast_to_ucast', 'mcast_to_unicast', 'onoff'], ['neigh_suppress', 'neigh_suppress', 'onoff'], ['vlan_tunnel', 'vlan_tunnel', 'onoff'],
  ['isolated', 'isolated', 'onoff'], ['backup_port', 'backup_port', 'dev'], ['locked', 'locked', 'onoff'],
];

/** print_linkinfo of bridge/link.c: one port. */
export function printBridgeLink(o: Output, ctx: PrintContext, l: Link, deleted = false): void {
  o.openObject();
  if (deleted) o.field('deleted', true, 'Deleted ');
  o.field('ifindex', l.ifindex, `${l.ifindex}: `);
  const mdown = printNameAndLink(o, ctx, l, ': ');
  printLinkFlags(o, linkFlagsNum(l), mdown);
  if (l.mtu !== undefined) o.field('mtu', l.mtu, `mtu ${l.mtu} `);
  if (l.master !== undefined) {
    const m = ctx.names.name(l.master);
    o.field('master', m, `master ${m} `);
  }
  const p = l.protinfo;
  if (p && !(p instanceof Uint8Array)) {
    const pi = p as Record<string, unknown>;
    if (pi.state !== undefined) {
      const s = stateNum(pi.state as string | number);
      if (s <= BR_STATE.BLOCKING) o.field('state', PORT_STATES[s]!, `state ${PORT_STATES[s]} `);
      else o.field('state', s, `state (${s}) `);
    }
    if (pi.priority !== undefined) o.field('priority', pi.priority as number, `priority ${pi.priority} `);
    if (pi.cost !== undefined) o.field('cost', pi.cost as number, `cost ${pi.cost} `);
    if (ctx.details) {
      o.fp(`${o.sl}    `);
      for (const [key, word, kind] of DETAIL) {
        const v = pi[key];
        if (v === undefined) continue;
        if (kind === 'onoff') o.field(word, v !== 0, `${word} ${v ? 'on' : 'off'} `);
        else if (kind === 'uint') o.field(word, v as number, `${word} ${v} `);
        else {
          const dev = ctx.names.name(v as number);
          o.field(word, dev, `${word} ${dev} `);
        }
      }
    }
  }
  const af = l.af_spec;
  if (af && !(af instanceof Uint8Array)) {
    const a = af as { mode?: number; vlan_info?: { flags: (string | number)[]; vid: number }[] };
    if (a.mode !== undefined) {
      const hw = a.mode === BRIDGE_MODE.VEB ? 'VEB' : a.mode === BRIDGE_MODE.VEPA ? 'VEPA' : undefined;
      if (hw) o.field('hwmode', hw, `hwmode ${hw} `);
      else o.field('hwmode', `0x${a.mode.toString(16)}`, `hwmode 0x${a.mode.toString(16)} `);
    }
    if (ctx.details && a.vlan_info) printVlanInfo(o, a.vlan_info);
  }
  o.fp('\n');
  o.closeObject();
}

async function show(ctx: BridgeContext, args: string[]): Promise<number> {
  let dev: string | undefined;
  for (let i = 0; i < args.length; i++) {
    if (args[i] === 'dev') {
      const v = args[++i];
      if (v === undefined) throw bridgeExit(`Command line is not complete. Try option "help"`);
      if (dev !== undefined) throw bridgeExit(`Error: duplicate "dev": "${v}" is the second value.`);
      dev = v;
    }
  }
  const s = new Session(ctx.ip);
  try {
    const filterIndex = dev !== undefined ? await s.ifindex(dev) : 0;
    const pctx = await s.printContext();
    const o = ctx.out;
    o.begin();
    try {
      // bridge 6.1 asks for no VLANs here, -d or not (the kernel would add the bridge itself).
      for await (const l of dumpBridgePorts({}, s.opts)) {
        if (l.family !== 'bridge' && l.family !== 'unspec') continue;
        if (filterIndex && l.ifindex !== filterIndex) continue;
        printBridgeLink(o, pctx, l);
        await o.drain();
      }
    } catch (e) {
      throw new BridgeDumpTerminated(e);
    }
    await o.end();
    return 0;
  } finally {
    s.close();
  }
}

const ON_OFF: Record<string, keyof BridgePortOptions> = {
  guard: 'guard', hairpin: 'mode', fastleave: 'fast_leave', root_block: 'protect', learning: 'learning',
  learning_sync: 'learning_sync', flood: 'unicast_flood', mcast_flood: 'mcast_flood', bcast_flood: 'bcast_flood',
  mcast_to_unicast: 'mcast_to_ucast', neigh_suppress: 'neigh_suppress', vlan_tunnel: 'vlan_tunnel', isolated: 'isolated',
  locked: 'locked',
};

async function set(ctx: BridgeContext, args: string[]): Promise<number> {
  let dev: string | undefined, backup: string | undefined;
  const o: Record<string, number> = {};
  const target: ('self' | 'master')[] = [];
  let hwmode: 'veb' | 'vepa' | undefined;
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    const next = () => {
      const v = args[++i];
      if (v === undefined) throw bridgeExit(`Command line is not complete. Try option "help"`);
      return v;
    };
    if (a === 'dev') dev = next();
    else if (ON_OFF[a]) {
      const v = next();
      // bridge's parse_on_off: its -EINVAL becomes the exit status (234).
      if (v !== 'on' && v !== 'off') throw new UsageError(`Error: argument of "${a}" must be one of "off", "on", not "${v}"`, undefined, 234);
      o[ON_OFF[a]!] = v === 'on' ? 1 : 0;
    } else if (a === 'cost') {
      const c = Number.parseInt(next(), 10) || 0;
      if (c > 0) o.cost = c;
    } else if (a === 'priority') o.priority = Number.parseInt(next(), 10) || 0;
    else if (a === 'state') {
      const v = next();
      let st = /^-?\d+$/.test(v) ? Number(v) : PORT_STATES.indexOf(v);
      if (st < 0) throw bridgeError('Error: invalid STP port state');
      st &= 0xff;
      o.state = st;
    } else if (a === 'mcast_router') {
      const v = next();
      if (!/^\d+$/.test(v) || Number(v) > 255) throw bridgeExit(`Error: argument "${v}" is wrong: invalid mcast_router`);
      o.multicast_router = Number(v);
    } else if (a === 'hwmode') {
      const v = next();
      if (v !== 'vepa' && v !== 'veb') throw bridgeError('Mode argument must be "vepa" or "veb".');
      hwmode = v;
    } else if (a === 'self') target.push('self');
    else if (a === 'master') target.push('master');
    else if (a === 'backup_port') backup = next();
    else if (a === 'nobackup_port') o.backup_port = 0;
    else throw bridgeExit(USAGE.trimEnd());
  }
  if (dev === undefined) throw bridgeError('Device is a required argument.');
  const s = new Session(ctx.ip);
  try {
    const names = await s.linkNames();
    const ifindex = names.index(dev);
    if (!ifindex) throw bridgeError(`Cannot find bridge device "${dev}"`);
    if (backup !== undefined) o.backup_port = await s.ifindex(backup);
    await setBridgePort(ifindex, o as BridgePortOptions, { ...s.opts, target, ...(hwmode ? { hwmode } : {}) });
    return 0;
  } finally {
    s.close();
  }
}

/** `nlkit bridge link …`. */
export async function run(ctx: BridgeContext, args: string[]): Promise<number> {
  const [cmd, ...rest] = args;
  if (cmd === undefined) return show(ctx, []);
  const m = (kw: string) => cmd.length > 0 && kw.startsWith(cmd);
  if (m('set') || m('change')) return set(ctx, rest);
  if (m('show') || m('lst') || m('list')) return show(ctx, rest);
  if (m('help')) throw bridgeExit(USAGE.trimEnd());
  throw bridgeExit(`Command "${cmd}" is unknown, try "bridge link help".`);
}
