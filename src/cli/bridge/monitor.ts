// `nlkit bridge monitor [ all | link | fdb | mdb ]`: bridge notifications as `bridge monitor`
// prints them (FDB entries, MDB entries, port changes; `Deleted ` prefixes; `[NEIGH]`, `[MDB]`,
// `[LINK]` banners with `all`), or with -j one JSON object per line (NDJSON) led by "object".
import { events, getLink, mdbEntries, RTNLGRP, type RouteEvent } from '../../route/index.js';
import type { PrintContext } from '../ip/common.js';
import { rememberLink, Session } from '../ip/session.js';
import { printFdb } from './fdb.js';
import { printBridgeLink } from './link.js';
import { printMdbEntry } from './mdb.js';
import { bridgeError, bridgeExit, type BridgeContext } from './index.js';

const USAGE = 'Usage: bridge monitor [file | link | fdb | mdb | vlan | all]';

/** `nlkit bridge monitor …`. */
export async function run(ctx: BridgeContext, args: string[]): Promise<number> {
  let link = false, fdb = false, mdb = false, banner = false, any = false;
  for (const a of args) {
    const m = (kw: string) => a.length > 0 && kw.startsWith(a);
    if (m('link')) (link = true), (any = true);
    else if (m('fdb')) (fdb = true), (any = true);
    else if (m('mdb')) (mdb = true), (any = true);
    else if (m('vlan')) any = true;
    else if (m('all')) banner = true;
    else if (m('help')) throw bridgeExit(USAGE);
    else throw bridgeExit(`Argument "${a}" is unknown, try "bridge monitor help".`);
  }
  if (!any) link = fdb = mdb = true;
  const groups: number[] = [];
  if (link) groups.push(RTNLGRP.LINK);
  if (fdb) groups.push(RTNLGRP.NEIGH);
  if (mdb) groups.push(RTNLGRP.MDB);
  const s = new Session(ctx.ip);
  const pctx: PrintContext = await s.printContext();
  const out = ctx.out;
  const ndjson = out.json;
  const ac = new AbortController();
  const stop = () => ac.abort();
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  process.stdout.on('error', stop);
  const sub = events(groups, { ...(ctx.opts.netns !== undefined ? { netns: ctx.opts.netns } : {}), signal: ac.signal, rcvbuf: 4 << 20 });
  const record = (object: string, print: () => void) => {
    if (ndjson) out.setRecordPrefix([['object', object]]);
    else if (banner) out.fp(`[${object === 'fdb' ? 'NEIGH' : object.toUpperCase()}]`);
    print();
    if (ndjson) out.endRecord();
    out.flushNow();
  };
  try {
    for await (const ev of sub) {
      if ('overrun' in ev) {
        if (ndjson) record('overrun', () => { out.openObject(); out.jfield('code', ev.code); out.closeObject(); });
        else process.stderr.write(`nlkit bridge monitor: the kernel dropped events (${ev.code}); what follows may miss changes\n`);
        continue;
      }
      await learn(s, pctx, ev);
      const del = ev.event === 'del';
      if (ev.kind === 'neighbour' && ev.object.family === 'bridge') record('fdb', () => printFdb(out, pctx, ev.object, 0, del));
      else if (ev.kind === 'mdb') {
        for (const e of mdbEntries(ev.object)) record('mdb', () => printMdbEntry(out, pctx, e, del));
      } else if (ev.kind === 'link' && ev.object.family === 'bridge') {
        if (!del) rememberLink(pctx.names, ev.object);
        record('link', () => printBridgeLink(out, pctx, ev.object, del));
      }
    }
  } catch (e) {
    if (!ac.signal.aborted) throw e;
  } finally {
    process.removeListener('SIGINT', stop);
    process.removeListener('SIGTERM', stop);
    sub.close();
    s.close();
  }
  await out.flush().catch(() => undefined);
  return 0;
}

/** Names of links first seen in an event, asked of the kernel before printing (bridge's ll_index_to_name does). */
async function learn(s: Session, ctx: PrintContext, ev: RouteEvent): Promise<void> {
  const o = ev.object as unknown as Record<string, unknown>;
  const idx: number[] = [];
  for (const k of ['ifindex', 'master', 'nda_ifindex']) if (typeof o[k] === 'number' && (o[k] as number) > 0) idx.push(o[k] as number);
  if (ev.kind === 'mdb') for (const e of mdbEntries(ev.object)) idx.push(e.port);
  for (const i of idx) {
    if (ctx.names.get(i)) continue;
    try {
      rememberLink(ctx.names, await getLink(i, { ...s.opts, stats: false }));
    } catch {
      // gone already: printed as if<N>
    }
  }
}
