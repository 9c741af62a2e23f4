// `nlkit bridge vlan { add | del | show | tunnelshow }`: port VLANs (ranges, pvid, untagged)
// and VLAN-to-tunnel-id mappings, in bridge vlan's columns and JSON ("vlans"/"tunnels").
import { addBridgeVlan, deleteBridgeVlan, dumpBridgePorts, type BridgeVlanSpec, type Link } from '../../route/index.js';
import { BRIDGE_VLAN_INFO } from '../../route/constants.js';
import { bridgeVlanFlags } from '../../route/enums.js';
import { flagsNum, type PrintContext } from '../ip/common.js';
import type { Output } from '../ip/output.js';
import { Session } from '../ip/session.js';
import { BridgeDumpTerminated, bridgeError, bridgeExit, parseDevVid, type BridgeContext } from './index.js';

const USAGE = `Usage: bridge vlan { add | del } vid VLAN_ID dev DEV [ tunnel_info id TUNNEL_ID ]
                                                     [ pvid ] [ untagged ]
                                                     [ self ] [ master ]
       bridge vlan { show } [ dev DEV ] [ vid VLAN_ID ]
       bridge vlan { tunnelshow } [ dev DEV ] [ vid VLAN_ID ]
`;

const IFNAMSIZ = 16;
const VLAN_ID_LEN = 9;

/** print_range: `START[-END]`, "vlan"/"vlanEnd" in JSON; returns the text width. */
function printRange(o: Output, name: string, start: number, end: number): number {
  o.field(name, start, `${start}`);
  let w = String(start).length;
  if (start !== end) {
    o.field(`${name}End`, end, `-${end}`);
    w += 1 + String(end).length;
  }
  return w;
}

/** The VLANs of one port (range ends folded into their starts), with their flags. */
function vlanRanges(list: { flags: (string | number)[]; vid: number }[], filterVid: number): { start: number; end: number; flags: number }[] {
  const out: { start: number; end: number; flags: number }[] = [];
  let start = 0;
  for (const v of list) {
    const f = flagsNum(bridgeVlanFlags, v.flags);
    if (f & BRIDGE_VLAN_INFO.RANGE_BEGIN) {
      start = v.vid;
      continue;
    }
    const s = f & BRIDGE_VLAN_INFO.RANGE_END ? start : v.vid;
    if (filterVid && (filterVid < s || filterVid > v.vid)) continue;
    out.push({ start: s, end: v.vid, flags: f });
  }
  return out;
}

function printFlags(o: Output, f: number): void {
  if (!(f & (BRIDGE_VLAN_INFO.PVID | BRIDGE_VLAN_INFO.UNTAGGED))) return;
  o.openArray('flags');
  if (f & BRIDGE_VLAN_INFO.PVID) o.item('PVID', ' PVID');
  if (f & BRIDGE_VLAN_INFO.UNTAGGED) o.item('Egress Untagged', ' Egress Untagged');
  o.closeArray();
}

/** The VLAN list of `bridge -d link show` (the "vlans" array after the port's fields). */
export function printVlanInfo(o: Output, list: { flags: (string | number)[]; vid: number }[]): void {
  o.openArray('vlans');
  for (const r of vlanRanges(list, 0)) {
    o.openObject();
    o.fp(' ');
    printRange(o, 'vlan', r.start, r.end);
    printFlags(o, r.flags);
    o.closeObject();
  }
  o.closeArray();
}

function printPortVlans(o: Output, ctx: PrintContext, l: Link, filterVid: number, tunnels: boolean): void {
  const af = l.af_spec as { vlan_info?: { flags: (string | number)[]; vid: number }[]; vlan_tunnel_info?: { id?: number; vid?: number; flags?: (string | number)[] }[] } | undefined;
  if (!af || af instanceof Uint8Array) return;
  const name = ctx.names.name(l.ifindex);
  let opened = false;
  const open = () => {
    if (!opened) {
      o.openObject();
      o.field('ifname', name, `${name.padEnd(IFNAMSIZ, ' ')}  `);
      o.openArray(tunnels ? 'tunnels' : 'vlans');
      opened = true;
    } else o.fp(`${''.padEnd(IFNAMSIZ, ' ')}  `);
  };
  if (!tunnels) {
    for (const r of vlanRanges(af.vlan_info ?? [], filterVid)) {
      open();
      o.openObject();
      printRange(o, 'vlan', r.start, r.end);
      printFlags(o, r.flags);
      o.closeObject();
      o.nl();
    }
  } else {
    let vStart = 0, tStart = 0;
    for (const t of af.vlan_tunnel_info ?? []) {
      if (t.vid === undefined) continue;
      const f = flagsNum(bridgeVlanFlags, t.flags ?? []);
      if (!(f & BRIDGE_VLAN_INFO.RANGE_END)) {
        vStart = t.vid;
        tStart = t.id ?? 0;
      }
      if (f & BRIDGE_VLAN_INFO.RANGE_BEGIN) continue;
      if (filterVid && (filterVid < vStart || filterVid > t.vid)) continue;
      open();
      o.openObject();
      const w = printRange(o, 'vlan', vStart, t.vid);
      o.fp(w <= VLAN_ID_LEN ? `${''.padEnd(VLAN_ID_LEN - w, ' ')}  ` : '  ');
      printRange(o, 'tunid', tStart, t.id ?? 0);
      o.closeObject();
      o.nl();
    }
  }
  if (opened) {
    o.closeArray();
    o.closeObject();
  }
}

async function show(ctx: BridgeContext, args: string[], tunnels: boolean): Promise<number> {
  const { dev, vid } = parseDevVid(args);
  const s = new Session(ctx.ip);
  try {
    const filterIndex = dev !== undefined ? await s.ifindex(dev) : 0;
    const pctx = await s.printContext();
    const o = ctx.out;
    o.begin();
    o.fp(`${'port'.padEnd(IFNAMSIZ, ' ')}  ${'vlan-id'.padEnd(VLAN_ID_LEN, ' ')}${tunnels ? `  ${'tunnel-id'.padEnd(VLAN_ID_LEN, ' ')}` : ''}\n`);
    try {
      for await (const l of dumpBridgePorts({ vlans: ctx.opts.compressVlans || tunnels ? 'compressed' : true }, s.opts)) {
        if (l.family !== 'bridge') continue;
        if (filterIndex && l.ifindex !== filterIndex) continue;
        printPortVlans(o, pctx, l, vid, tunnels);
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

async function modify(ctx: BridgeContext, args: string[], op: typeof addBridgeVlan): Promise<number> {
  let dev: string | undefined, vid = -1, vidEnd = -1, range = false, tunStart: number | undefined, tunEnd: number | undefined;
  const spec: Partial<BridgeVlanSpec> = {};
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    const next = () => {
      const v = args[++i];
      if (v === undefined) throw bridgeExit(`Command line is not complete. Try option "help"`);
      return v;
    };
    if (a === 'dev') dev = next();
    else if (a === 'vid') {
      const v = next();
      const dash = v.indexOf('-');
      if (dash >= 0) {
        vid = Number.parseInt(v.slice(0, dash), 10) || 0;
        vidEnd = Number.parseInt(v.slice(dash + 1), 10) || 0;
        range = true;
      } else vid = Number.parseInt(v, 10) || 0;
    } else if (a === 'self') spec.self = true;
    else if (a === 'master') spec.master = true;
    else if (a === 'pvid') spec.pvid = true;
    else if (a === 'untagged') spec.untagged = true;
    else if (a === 'tunnel_info') {
      const kw = next();
      if (!'id'.startsWith(kw)) throw bridgeExit(`Error: argument "${kw}" is wrong: tunnel id expected`);
      const v = next();
      const [x, y] = v.split('-');
      const parse = (t: string | undefined) => {
        const n = t !== undefined && /^(0x[0-9a-f]+|[0-9]+)$/i.test(t) ? Number(t) : NaN;
        if (!(n < 1 << 24)) throw bridgeExit(`Error: argument "${x}" is wrong: invalid tun id`);
        return n;
      };
      tunStart = parse(x);
      if (y !== undefined) tunEnd = parse(y);
    } else if ('help'.startsWith(a)) throw bridgeExit(USAGE.trimEnd());
  }
  if (dev === undefined || vid === -1) throw bridgeError('Device and VLAN ID are required arguments.');
  const s = new Session(ctx.ip);
  try {
    const ifindex = (await s.linkNames()).index(dev);
    if (!ifindex) throw bridgeError(`Cannot find bridge device "${dev}"`);
    if (vid >= 4096) throw bridgeError(`Invalid VLAN ID "${vid}"`);
    if (range) {
      if (vidEnd >= 4096 || vid >= vidEnd) throw bridgeError(`Invalid VLAN range "${vid}-${vidEnd}"`);
      if (spec.pvid) throw bridgeError('pvid cannot be configured for a vlan range');
    }
    const full: BridgeVlanSpec = { ...spec, dev: ifindex, vid, ...(range ? { vid_end: vidEnd } : {}) };
    if (tunStart !== undefined) full.tunnel_id = tunStart;
    if (tunEnd !== undefined) full.tunnel_id_end = tunEnd;
    await op(full, s.opts);
    return 0;
  } finally {
    s.close();
  }
}

/** `nlkit bridge vlan …`. */
export async function run(ctx: BridgeContext, args: string[]): Promise<number> {
  const [cmd, ...rest] = args;
  if (cmd === undefined) return show(ctx, [], false);
  const m = (kw: string) => cmd.length > 0 && kw.startsWith(cmd);
  if (m('add')) return modify(ctx, rest, addBridgeVlan);
  if (m('delete')) return modify(ctx, rest, deleteBridgeVlan);
  if (m('show') || m('lst') || m('list')) return show(ctx, rest, false);
  if (m('tunnelshow')) return show(ctx, rest, true);
  if (m('help')) throw bridgeExit(USAGE.trimEnd());
  throw bridgeExit(`Command "${cmd}" is unknown, try "bridge vlan help".`);
}
