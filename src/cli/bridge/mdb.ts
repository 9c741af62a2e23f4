// `nlkit bridge mdb { add | del | replace | show }`: the multicast database as `bridge mdb`
// prints it: `dev BR port PORT grp GROUP STATE [proto P] [vid V] [TIMER]`, and its JSON
// `[{"mdb":[…],"router":{…}}]`.
import { addMdb, deleteMdb, dumpMdbMessages, mdbEntries, replaceMdb, type MdbEntry, type MdbMessage, type MdbSpec } from '../../route/index.js';
import { flagsNum, protoText, type PrintContext } from '../ip/common.js';
import type { Output } from '../ip/output.js';
import { Session } from '../ip/session.js';
import { mdbFlags } from '../../route/bridge-attrs.js';
import { MDB_FLAGS } from '../../route/constants.js';
import { BridgeDumpTerminated, bridgeError, bridgeExit, parseDevVid, type BridgeContext } from './index.js';

const USAGE = `Usage: bridge mdb { add | del | replace } dev DEV port PORT grp GROUP [src SOURCE] [permanent | temp] [vid VID]
       bridge mdb {show} [ dev DEV ] [ vid VID ]
`;

/** The kernel's centiseconds as bridge's `%4i.%.2i`. */
function timerText(cs: number): string {
  return `${String(Math.floor(cs / 100)).padStart(4, ' ')}.${String(cs % 100).padStart(2, '0')}`;
}

/** print_mdb_entry: one entry. */
export function printMdbEntry(o: Output, ctx: PrintContext, e: MdbEntry, deleted = false): void {
  o.openObject();
  if (deleted) o.field('deleted', true, 'Deleted ');
  o.jfield('index', e.ifindex);
  const dev = ctx.names.name(e.ifindex), port = ctx.names.name(e.port);
  o.field('dev', dev, `dev ${dev}`);
  o.field('port', port, ` port ${port}`);
  o.field('grp', e.grp, ` grp ${e.grp}`);
  if (e.src !== undefined) o.field('src', e.src, ` src ${e.src}`);
  const st = e.state === 'permanent' || e.state === 1 ? 'permanent' : 'temp';
  o.field('state', st, ` ${st}`);
  if (ctx.details) {
    if (e.group_mode !== undefined) {
      const m = e.group_mode ? 'include' : 'exclude';
      o.field('filter_mode', m, ` filter_mode ${m}`);
    }
    if (e.src_list) {
      o.openArray('source_list');
      o.fp(' source_list ');
      e.src_list.forEach((s, i) => {
        o.openObject();
        o.field('address', s.address ?? '', `${i ? ',' : ''}${s.address ?? ''}`);
        if (s.timer !== undefined) o.field('timer', timerText(s.timer), `/${timerText(s.timer).trim()}`);
        o.closeObject();
      });
      o.closeArray();
    }
    if (e.rtprot !== undefined) {
      const p = protoText(e.rtprot);
      o.field('protocol', p, ` proto ${p} `);
    }
  }
  const f = flagsNum(mdbFlags, e.flags);
  o.openArray('flags');
  if (f & MDB_FLAGS.OFFLOAD) o.item('offload', ' offload');
  if (f & MDB_FLAGS.FAST_LEAVE) o.item('fast_leave', ' fast_leave');
  if (f & MDB_FLAGS.STAR_EXCL) o.item('added_by_star_ex', ' added_by_star_ex');
  if (f & MDB_FLAGS.BLOCKED) o.item('blocked', ' blocked');
  o.closeArray();
  if (e.vid) o.field('vid', e.vid, ` vid ${e.vid}`);
  if (ctx.stats && e.timer !== undefined) {
    const t = timerText(e.timer);
    o.field('timer', t, ` ${t}`);
  }
  o.nl();
  o.closeObject();
}

/** The router ports of one MDB message ("router": {"br0": [{"port": …}]}; text with -d). */
function printRouters(o: Output, ctx: PrintContext, m: MdbMessage, deleted = false): void {
  const ports = m.router?.port ?? [];
  if (!ports.length) return;
  const br = ctx.names.name(m.ifindex);
  o.openArray(br);
  for (const p of ports) {
    const rp = p as unknown as { ifindex: number; timer?: number; type?: string | number };
    const name = ctx.names.name(rp.ifindex);
    o.openObject();
    if (deleted) o.field('deleted', true, 'Deleted ');
    o.field('port', name, `router port dev ${name} master ${br}`);
    if (ctx.stats && rp.timer !== undefined) o.field('timer', timerText(rp.timer), ` ${timerText(rp.timer)}`);
    if (ctx.stats && rp.type !== undefined) {
      const temp = rp.type === 'temp_query' || rp.type === 'temp';
      o.field('type', temp ? 'temp' : 'permanent', ` ${temp ? 'temp' : 'permanent'}`);
    }
    o.nl();
    o.closeObject();
  }
  o.closeArray();
}

async function show(ctx: BridgeContext, args: string[]): Promise<number> {
  const { dev, vid } = parseDevVid(args);
  const s = new Session(ctx.ip);
  try {
    const filterIndex = dev !== undefined ? await s.ifindex(dev) : 0;
    const pctx = await s.printContext();
    const o = ctx.out;
    let msgs: MdbMessage[];
    try {
      msgs = (await dumpMdbMessages(s.opts).toArray()).filter((m) => !filterIndex || m.ifindex === filterIndex);
    } catch (e) {
      throw new BridgeDumpTerminated(e);
    }
    o.begin();
    o.openObject();
    o.openArray('mdb');
    for (const m of msgs) {
      for (const e of mdbEntries(m)) if (!vid || e.vid === vid) printMdbEntry(o, pctx, e);
      await o.drain();
    }
    o.closeArray();
    o.openObject('router');
    if (ctx.opts.details || o.json) for (const m of msgs) printRouters(o, pctx, m);
    o.closeObject();
    o.closeObject();
    await o.end();
    return 0;
  } finally {
    s.close();
  }
}

async function modify(ctx: BridgeContext, args: string[], op: (spec: MdbSpec, opts: { socket: never }) => Promise<unknown>): Promise<number> {
  let d: string | undefined, p: string | undefined, grp: string | undefined, src: string | undefined, permanent = false, vid = 0;
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    const next = () => {
      const v = args[++i];
      if (v === undefined) throw bridgeExit(`Command line is not complete. Try option "help"`);
      return v;
    };
    if (a === 'dev') d = next();
    else if (a === 'grp') grp = next();
    else if (a === 'port') p = next();
    else if (a === 'src') src = next();
    else if (a === 'permanent') permanent = op !== deleteMdb;
    else if (a === 'temp') { /* the default */ }
    else if (a === 'vid') vid = Number.parseInt(next(), 10) || 0;
    else if ('help'.startsWith(a)) throw bridgeExit(USAGE.trimEnd());
  }
  if (d === undefined || grp === undefined || p === undefined) throw bridgeError('Device, group address and port name are required arguments.');
  const s = new Session(ctx.ip);
  try {
    const names = await s.linkNames();
    const br = names.index(d);
    if (!br) throw bridgeError(`Cannot find device "${d}"`);
    const port = names.index(p);
    if (!port) throw bridgeError(`Cannot find device "${p}"`);
    const isMac = /^[0-9a-f]{1,2}(:[0-9a-f]{1,2}){5}$/i.test(grp);
    if (!isMac && !/^[0-9.]+$/.test(grp) && !grp.includes(':')) throw bridgeError(`Invalid address "${grp}"`);
    const spec: MdbSpec = { dev: br, port, grp, permanent, vid, ...(src !== undefined ? { src } : {}) };
    try {
      await op(spec, s.opts as never);
    } catch (e) {
      if (e instanceof TypeError || e instanceof RangeError) throw bridgeError(`Invalid address "${grp}"`);
      throw e;
    }
    return 0;
  } finally {
    s.close();
  }
}

/** `nlkit bridge mdb …`. */
export async function run(ctx: BridgeContext, args: string[]): Promise<number> {
  const [cmd, ...rest] = args;
  if (cmd === undefined) return show(ctx, []);
  const m = (kw: string) => cmd.length > 0 && kw.startsWith(cmd);
  if (m('add')) return modify(ctx, rest, addMdb);
  if (m('delete')) return modify(ctx, rest, deleteMdb);
  if (m('replace')) return modify(ctx, rest, replaceMdb);
  if (m('show') || m('lst') || m('list')) return show(ctx, rest);
  if (m('help')) throw bridgeExit(USAGE.trimEnd());
  throw bridgeExit(`Command "${cmd}" is unknown, try "bridge mdb help".`);
}
