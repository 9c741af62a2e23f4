// `nlkit bridge fdb { add | append | replace | del | show }`: bridge fdb's grammar, its line
// format and its JSON (`bridge -j fdb show`) field for field.
import {
  addFdb, appendFdb, deleteFdb, dumpFdb, flushFdb, getFdb, replaceFdb, type FdbEntry, type FdbFlushMatch, type FdbFlushSpec, type FdbQuery,
  type FdbSpec,
} from '../../route/index.js';
import { neighFlags, neighFlagsExt, neighState } from '../../route/enums.js';
import { NTF, NTF_EXT, NUD } from '../../route/constants.js';
import { flagsNum, type PrintContext } from '../ip/common.js';
import type { Output } from '../ip/output.js';
import { Session } from '../ip/session.js';
import { BridgeDumpTerminated, bridgeError, bridgeExit, reportBridgeError, type BridgeContext } from './index.js';

const USAGE = `Usage: bridge fdb { add | append | del | replace } ADDR dev DEV
              [ self ] [ master ] [ use ] [ router ] [ extern_learn ]
              [ sticky ] [ local | static | dynamic ] [ vlan VID ]
              { [ dst IPADDR ] [ port PORT] [ vni VNI ] | [ nhid NHID ] }
	       [ via DEV ] [ src_vni VNI ]
       bridge fdb [ show [ br BRDEV ] [ brport DEV ] [ vlan VID ]
              [ state STATE ] [ dynamic ] ]
       bridge fdb get [ to ] LLADDR [ br BRDEV ] { brport | dev } DEV
              [ vlan VID ] [ vni VNI ] [ self ] [ master ] [ dynamic ]
       bridge fdb flush dev DEV [ brport DEV ] [ vlan VID ]
              [ self ] [ master ] [ [no]permanent | [no]static | [no]dynamic ]
              [ [no]added_by_user ] [ [no]extern_learn ] [ [no]sticky ]
              [ [no]offloaded ]
`;

function usage(): never {
  throw bridgeExit(USAGE.trimEnd());
}

/** bridge's state_n2a. */
function stateText(s: number, json: boolean): string {
  if (s & NUD.PERMANENT) return 'permanent';
  if (s & NUD.NOARP) return 'static';
  if (s & NUD.STALE) return 'stale';
  if (s & NUD.REACHABLE) return '';
  const hex = s === 0 ? '0' : `0x${s.toString(16)}`;
  return json ? hex : `state=${hex}`;
}

/** bridge's state_a2n: a state word (or number) to NUD bits. */
function stateBits(arg: string): number | undefined {
  if ('permanent'.startsWith(arg)) return NUD.PERMANENT;
  if ('static'.startsWith(arg) || 'temp'.startsWith(arg)) return NUD.NOARP;
  if ('stale'.startsWith(arg)) return NUD.STALE;
  if ('reachable'.startsWith(arg) || 'dynamic'.startsWith(arg)) return NUD.REACHABLE;
  if (arg === 'all') return ~0 >>> 0;
  return /^(0x[0-9a-f]+|[0-9]+)$/i.test(arg) ? Number(arg) >>> 0 : undefined;
}

const USER_HZ = 100;

/** print_fdb: one entry in text or JSON; `filterIndex` hides "dev" as bridge does when showing one port. */
export function printFdb(o: Output, ctx: PrintContext, n: FdbEntry, filterIndex: number, deleted = false): void {
  o.openObject();
  if (deleted) o.field('deleted', true, 'Deleted ');
  if (n.lladdr !== undefined) o.field('mac', n.lladdr, `${n.lladdr} `);
  if (!filterIndex && n.ifindex) {
    const dev = ctx.names.name(n.ifindex);
    o.field('ifname', dev, `dev ${dev} `);
  }
  if (n.dst !== undefined) o.field('dst', n.dst, `dst ${n.dst} `);
  if (n.vlan) o.field('vlan', n.vlan, `vlan ${n.vlan} `);
  if (n.port !== undefined) o.field('port', n.port, `port ${n.port} `);
  if (n.vni !== undefined) o.field('vni', n.vni, `vni ${n.vni} `);
  if (n.src_vni !== undefined) o.field('src_vni', n.src_vni, `src_vni ${n.src_vni} `);
  if (n.nda_ifindex !== undefined) {
    if (n.link_netnsid !== undefined) o.field('viaIfIndex', n.nda_ifindex, `via ifindex ${n.nda_ifindex} `);
    else {
      const via = ctx.names.name(n.nda_ifindex);
      o.field('viaIf', via, `via ${via} `);
    }
  }
  if (n.nh_id !== undefined) o.field('nhid', n.nh_id, `nhid ${n.nh_id} `);
  if (n.link_netnsid !== undefined) o.field('linkNetNsId', n.link_netnsid, `link-netnsid ${n.link_netnsid} `);
  if (ctx.stats && n.cacheinfo) {
    const used = Math.floor(n.cacheinfo.used / USER_HZ), updated = Math.floor(n.cacheinfo.updated / USER_HZ);
    o.jfield('used', used);
    o.jfield('updated', updated);
    o.fp(`used ${used}/${updated} `);
  }
  const flags = flagsNum(neighFlags, n.flags as (string | number)[]);
  const ext = flagsNum(neighFlagsExt, (n.flags_ext ?? []) as (string | number)[]);
  o.openArray('flags');
  const flag = (w: string) => o.item(w, `${w} `);
  if (flags & NTF.SELF) flag('self');
  if (flags & NTF.ROUTER) flag('router');
  if (flags & NTF.EXT_LEARNED) flag('extern_learn');
  if (flags & NTF.OFFLOADED) flag('offload');
  if (flags & NTF.MASTER) flag('master');
  if (flags & NTF.STICKY) flag('sticky');
  if (ext & NTF_EXT.LOCKED) flag('locked');
  o.closeArray();
  if (n.master !== undefined) {
    const m = ctx.names.name(n.master);
    o.field('master', m, `master ${m} `);
  }
  const st = stateText(flagsNum(neighState, n.state as (string | number)[]), o.json);
  o.field('state', st, `${st}\n`);
  o.closeObject();
}

async function show(ctx: BridgeContext, args: string[]): Promise<number> {
  let dev: string | undefined, br: string | undefined, vlan = 0, state = 0, dynamic = false;
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    const next = () => {
      const v = args[++i];
      if (v === undefined) throw bridgeExit(`Command line is not complete. Try option "help"`);
      return v;
    };
    if (a === 'brport' || a === 'dev') dev = next();
    else if (a === 'br') br = next();
    else if (a === 'vlan') {
      const v = next();
      if (vlan) throw bridgeExit(`Error: duplicate "vlan": "${v}" is the second value.`);
      vlan = Number.parseInt(v, 10) || 0;
    } else if (a === 'state') {
      const v = next();
      const s = stateBits(v);
      if (s === undefined) throw bridgeExit(`Error: argument "${v}" is wrong: invalid state`);
      state |= s;
    } else if (a === 'dynamic') dynamic = true;
    else if ('help'.startsWith(a)) usage();
  }
  const s = new Session(ctx.ip);
  try {
    let brIndex: number | undefined;
    if (br !== undefined) {
      const names = await s.linkNames();
      brIndex = names.index(br) || undefined;
      if (!brIndex) throw bridgeError(`Cannot find bridge device "${br}"`);
    }
    const filterIndex = dev !== undefined ? await s.ifindex(dev) : 0;
    const pctx = await s.printContext();
    const o = ctx.out;
    o.begin();
    try {
      const filter = { ...(filterIndex ? { dev: filterIndex } : {}), ...(brIndex ? { br: brIndex } : {}) };
      for await (const n of dumpFdb(filter, s.opts)) {
        if (n.family !== 'bridge') continue;
        if (filterIndex && n.ifindex !== filterIndex) continue;
        const st = flagsNum(neighState, n.state as (string | number)[]);
        if (state && !(st & state)) continue;
        if (vlan && (n.vlan ?? 0) !== vlan) continue;
        if (dynamic && st & NUD.PERMANENT) continue;
        printFdb(o, pctx, n, filterIndex);
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

async function modify(ctx: BridgeContext, args: string[], op: (spec: FdbSpec, opts: { socket: never }) => Promise<unknown>): Promise<number> {
  let addr: string | undefined, d: string | undefined, dst: string | undefined, via: string | undefined;
  const spec: Partial<FdbSpec> = {};
  let vid = -1;
  for (let i = 0; i < args.length; i++) {
    let a = args[i]!;
    const next = () => {
      const v = args[++i];
      if (v === undefined) throw bridgeExit(`Command line is not complete. Try option "help"`);
      return v;
    };
    const m = (kw: string) => a.length > 0 && kw.startsWith(a);
    if (a === 'dev') d = next();
    else if (a === 'dst') {
      const v = next();
      if (dst !== undefined) throw bridgeExit(`Error: either "dst" is duplicate, or "${v}" is a garbage.`);
      dst = v;
    } else if (a === 'nhid') {
      const v = next();
      if (!/^(0x[0-9a-f]+|[0-9]+)$/i.test(v)) throw bridgeExit(`Error: argument "${v}" is wrong: "id" value is invalid\n`);
      spec.nhid = Number(v);
    } else if (a === 'port') {
      const v = next();
      const p = /^(0x[0-9a-f]+|[0-9]+)$/i.test(v) ? Number(v) : NaN;
      if (!(p <= 0xffff)) throw bridgeExit(`Error: argument "${v}" is wrong: invalid port\n`);
      spec.port = p;
    } else if (a === 'vni' || a === 'src_vni') {
      const v = next();
      const n = /^(0x[0-9a-f]+|[0-9]+)$/i.test(v) ? Number(v) : NaN;
      if (!(n < 1 << 24)) throw bridgeExit(`Error: argument "${v}" is wrong: ${a === 'vni' ? 'invalid VNI' : 'invalid src VNI'}\n`);
      if (a === 'vni') spec.vni = n;
      else spec.src_vni = n;
    } else if (a === 'via') via = next();
    else if (a === 'self') spec.self = true;
    else if (m('master')) spec.master = true;
    else if (m('router')) spec.router = true;
    else if (m('local') || m('permanent')) spec.state = spec.state === 'static' ? 'static' : 'permanent';
    else if (m('temp') || m('static')) spec.state = spec.state === 'permanent' ? 'permanent' : 'static';
    else if (m('dynamic')) spec.state = 'dynamic';
    else if (m('vlan')) {
      if (vid >= 0) throw bridgeExit(`Error: either "vlan" is duplicate, or "${args[i + 1] ?? ''}" is a garbage.`);
      vid = Number.parseInt(next(), 10) || 0;
    } else if (m('use')) spec.use = true;
    else if (m('extern_learn')) spec.extern_learn = true;
    else if (m('sticky')) spec.sticky = true;
    else {
      if (a === 'to') a = next();
      if ('help'.startsWith(a)) usage();
      if (addr !== undefined) throw bridgeExit(`Error: either "to" is duplicate, or "${a}" is a garbage.`);
      addr = a;
    }
  }
  if (d === undefined || addr === undefined) throw bridgeError('Device and address are required arguments.');
  if (spec.nhid && (dst !== undefined || spec.port || spec.vni !== undefined)) throw bridgeError('dst, port, vni are mutually exclusive with nhid');
  const parts = addr.split(':');
  if (parts.length < 6 || !parts.slice(0, 6).every((p) => /^[0-9a-f]{1,2}$/i.test(p))) throw bridgeError(`Invalid mac address ${addr}`);
  const s = new Session(ctx.ip);
  try {
    const full: FdbSpec = { ...spec, lladdr: parts.slice(0, 6).join(':'), dev: await s.ifindex(d) };
    if (vid >= 0) full.vlan = vid;
    if (dst !== undefined) full.dst = dst;
    if (via !== undefined) full.via = await s.ifindex(via);
    await op(full, s.opts as never);
    return 0;
  } finally {
    s.close();
  }
}

async function get(ctx: BridgeContext, args: string[]): Promise<number> {
  let d: string | undefined, br: string | undefined, addr: string | undefined, vlan = -1, vni: number | undefined;
  let self = false, master = false, dynamic = false;
  for (let i = 0; i < args.length; i++) {
    let a = args[i]!;
    const next = () => {
      const v = args[++i];
      if (v === undefined) throw bridgeExit(`Command line is not complete. Try option "help"`);
      return v;
    };
    const m = (kw: string) => a.length > 0 && kw.startsWith(a);
    if (a === 'brport' || a === 'dev') d = next();
    else if (a === 'br') br = next();
    else if (a === 'vni') {
      const v = next();
      const n = /^(0x[0-9a-f]+|[0-9]+)$/i.test(v) ? Number(v) : NaN;
      if (!(n < 1 << 24)) throw bridgeExit(`Error: argument "${v}" is wrong: invalid VNI\n`);
      vni = n;
    } else if (a === 'self') self = true;
    else if (m('master')) master = true;
    else if (m('vlan')) {
      if (vlan >= 0) throw bridgeExit(`Error: either "vlan" is duplicate, or "${args[i + 1] ?? ''}" is a garbage.`);
      vlan = Number.parseInt(next(), 10) || 0;
    } else if (m('dynamic')) dynamic = true;
    else {
      if (a === 'to') a = next();
      if ('help'.startsWith(a)) usage();
      if (addr !== undefined) throw bridgeExit(`Error: either "to" is duplicate, or "${a}" is a garbage.`);
      addr = a;
    }
  }
  if ((d === undefined && br === undefined) || addr === undefined) throw bridgeError('Device or master and address are required arguments.');
  const parts = addr.split(':');
  if (parts.length < 6 || !parts.slice(0, 6).every((p) => /^[0-9a-f]{1,2}$/i.test(p))) throw bridgeError(`Invalid mac address ${addr}`);
  const s = new Session(ctx.ip);
  try {
    const names = await s.linkNames();
    const q: FdbQuery = { lladdr: parts.slice(0, 6).join(':'), self, master };
    if (d !== undefined) {
      const i = names.index(d);
      if (!i) throw bridgeError(`Cannot find device "${d}"`);
      q.dev = i;
    }
    if (br !== undefined) {
      const i = names.index(br);
      if (!i) throw bridgeError(`Cannot find bridge device "${br}"`);
      q.br = i;
    }
    if (vlan >= 0) q.vlan = vlan;
    if (vni !== undefined) q.vni = vni;
    let n: FdbEntry;
    try {
      n = await getFdb(q, s.opts);
    } catch (e) {
      // fdb_get returns -2 when the kernel refuses: exit 254.
      reportBridgeError(e);
      return 254;
    }
    const o = ctx.out;
    o.begin();
    if (!(dynamic && flagsNum(neighState, n.state as (string | number)[]) & NUD.PERMANENT)) printFdb(o, await s.printContext(), n, 0);
    await o.end();
    return 0;
  } finally {
    s.close();
  }
}

async function flush(ctx: BridgeContext, args: string[]): Promise<number> {
  let d: string | undefined, brport: string | undefined, vid = -1;
  const spec: Partial<FdbFlushSpec> & { match: FdbFlushMatch } = { match: {} };
  const WORDS = ['permanent', 'static', 'dynamic', 'added_by_user', 'extern_learn', 'sticky', 'offloaded'] as const;
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    const next = () => {
      const v = args[++i];
      if (v === undefined) throw bridgeExit(`Command line is not complete. Try option "help"`);
      return v;
    };
    const w = WORDS.find((x) => a === x || a === `no${x}`);
    if (a === 'dev') d = next();
    else if (a === 'master') spec.master = true;
    else if (a === 'self') spec.self = true;
    else if (w) spec.match[w] = a === w;
    else if (a === 'brport') {
      if (brport !== undefined) throw bridgeExit(`Error: either "brport" is duplicate, or "${a}" is a garbage.`);
      brport = next();
    } else if (a === 'vlan') {
      if (vid >= 0) throw bridgeExit(`Error: either "vlan" is duplicate, or "${a}" is a garbage.`);
      vid = Number.parseInt(next(), 10) || 0;
    } else if (a === 'help') next();
  }
  if (d === undefined) throw bridgeError('Device is a required argument.');
  const s = new Session(ctx.ip);
  try {
    const names = await s.linkNames();
    const dev = names.index(d);
    if (!dev) throw bridgeError(`Cannot find bridge device "${d}"`);
    let port: number | undefined;
    if (brport !== undefined) {
      port = names.index(brport);
      if (!port) throw bridgeError(`Cannot find bridge port device "${brport}"`);
    }
    if (vid >= 4096) throw bridgeError(`Invalid VLAN ID "${vid}"`);
    await flushFdb({ ...spec, dev, ...(port ? { brport: port } : {}), ...(vid >= 0 ? { vlan: vid } : {}) }, s.opts);
    return 0;
  } finally {
    s.close();
  }
}

/** `nlkit bridge fdb …`. */
export async function run(ctx: BridgeContext, args: string[]): Promise<number> {
  const [cmd, ...rest] = args;
  if (cmd === undefined) return show(ctx, []);
  const m = (kw: string) => kw.startsWith(cmd) && cmd.length > 0;
  if (m('add')) return modify(ctx, rest, addFdb);
  if (m('append')) return modify(ctx, rest, appendFdb);
  if (m('replace')) return modify(ctx, rest, replaceFdb);
  if (m('delete')) return modify(ctx, rest, deleteFdb);
  if (m('show') || m('lst') || m('list')) return show(ctx, rest);
  if (m('get')) return get(ctx, rest);
  if (m('flush')) return flush(ctx, rest);
  if (m('help')) usage();
  throw bridgeExit(`Command "${cmd}" is unknown, try "bridge fdb help".`);
}

