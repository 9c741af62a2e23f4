// `nlkit ip stats show [ dev DEV ] group link` (ipstats.c): RTM_GETSTATS with the
// IFLA_STATS_LINK_64 filter, printed as ip prints the link group. Other groups (offload,
// xstats, afstats) are refused by name rather than printed differently from ip.
import { RTM } from '../../route/index.js';
import { linkStats64 } from '../../route/structs.js';
import { MessageWriter, NLM_F_DUMP, NLM_F_REQUEST, HOST_LE } from '../../wire/index.js';
import { UsageError } from '../errors.js';
import { Args, IP_EXIT, matches } from './argv.js';
import { command, objectRunner } from './dispatch.js';
import type { IpContext } from './index.js';
import { Color } from './output.js';
import { printStats } from './print-link.js';
import { withSession } from './session.js';

const USAGE = `Usage: ip stats help
       ip stats show [ dev DEV ] [ group GROUP [ subgroup SUBGROUP [ suite SUITE ] ... ] ... ] ...
       ip stats set dev DEV l3_stats { on | off }
GROUP := { link | xstats | xstats_slave | offload | afstats }
xstats SUBGROUP := { bridge [ suite stp ] [ suite mcast ] | bond [ suite 802.3ad ] }
xstats_slave SUBGROUP := { bridge [ suite stp ] [ suite mcast ] | bond [ suite 802.3ad ] }
offload SUBGROUP := { cpu_hit | hw_stats_info | l3_stats }
afstats SUBGROUP := { mpls }
`;

/** IFLA_STATS_LINK_64 (linux/if_link.h) and its filter_mask bit. */
const IFLA_STATS_LINK_64 = 1;
const GROUPS = ['link', 'xstats', 'xstats_slave', 'offload', 'afstats'];
/** struct if_stats_msg: family, pad, ifindex, filter_mask. */
const IF_STATS_MSG = 12;

/** Runs `ip stats …`. */
export const run = objectRunner({
  object: 'stats',
  usage: USAGE,
  default: (ctx, args) => show(ctx, args),
  commands: [
    command(['show'], (ctx, args) => show(ctx, args)),
    // ip stats help prints the usage and succeeds, unlike other objects' help.
    command(['help'], async () => {
      process.stderr.write(USAGE);
      return 0;
    }),
  ],
  unknown: (args, word) => args.error(`Command "${word}" is unknown, try "ip stats help".`, IP_EXIT.FAILURE),
});

const FIELDS = linkStats64.fields.map((f) => f.name);

/** struct rtnl_link_stats64 from an attribute's bytes. */
function decodeStats64(b: Uint8Array): Record<string, number | bigint> {
  const v = new DataView(b.buffer, b.byteOffset, b.byteLength);
  const out: Record<string, number | bigint> = {};
  FIELDS.forEach((name, i) => {
    if (i * 8 + 8 > b.byteLength) return;
    const n = v.getBigUint64(i * 8, HOST_LE);
    out[name] = n <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(n) : n;
  });
  return out;
}

/** ipstats_show: only `group link` is printed. */
async function show(ctx: IpContext, args: Args): Promise<number> {
  let dev: string | undefined;
  const groups: string[] = [];
  for (let a = args.next(); a !== undefined; a = args.next()) {
    if (a === 'dev') dev = args.value('dev');
    else if (a === 'group') {
      const g = args.value('group');
      if (!GROUPS.includes(g)) {
        process.stderr.write(`Error: no group named ${g} found inside top-level\n`);
        return 22;
      }
      groups.push(g);
    } else if (matches(a, 'help')) {
      process.stderr.write(USAGE);
      return IP_EXIT.INVARG;
    } else throw args.error(`What is "${a}"?`, IP_EXIT.INVARG);
  }
  if (groups.length === 0 || groups.some((g) => g !== 'link')) {
    throw new UsageError(`nlkit ip: "stats show" prints "group link" only (not ${groups.filter((g) => g !== 'link').join(', ') || 'every group'}).`);
  }
  return withSession(ctx, async (s) => {
    const ifindex = dev !== undefined ? await s.ifindex(dev) : 0;
    const pctx = await s.printContext();
    const w = new MessageWriter(64);
    w.begin(RTM.GETSTATS, NLM_F_REQUEST | (ifindex ? 0 : NLM_F_DUMP));
    const at = w.struct(IF_STATS_MSG);
    const view = w.view;
    view.setUint32(at + 4, ifindex, HOST_LE);
    view.setUint32(at + 8, 1 << (IFLA_STATS_LINK_64 - 1), HOST_LE);
    w.end();
    const msgs = ifindex
      ? (await s.sock.request(w.toBytes(), { ack: false, headerSize: IF_STATS_MSG })).messages
      : await s.sock.dump(w.toBytes(), { headerSize: IF_STATS_MSG }).toArray();
    const o = ctx.out;
    o.begin();
    for (const m of msgs) {
      const p = m.payload;
      const index = new DataView(p.buffer, p.byteOffset, p.byteLength).getUint32(4, HOST_LE);
      let stats: Record<string, number | bigint> | undefined;
      for (let off = IF_STATS_MSG; off + 4 <= p.byteLength;) {
        const dv = new DataView(p.buffer, p.byteOffset + off, 4);
        const len = dv.getUint16(0, HOST_LE);
        const type = dv.getUint16(2, HOST_LE) & 0x3fff;
        if (len < 4 || off + len > p.byteLength) break;
        if (type === IFLA_STATS_LINK_64) stats = decodeStats64(p.subarray(off + 4, off + len));
        off += (len + 3) & ~3;
      }
      const name = pctx.names.name(index);
      o.openObject();
      o.field('ifindex', index, `${index}: `);
      o.field('ifname', name, o.color(Color.IFNAME, name));
      o.fp(': ');
      o.field('group', 'link', 'group link');
      o.fp('\n');
      if (stats) printStats(o, { ...pctx, stats: pctx.stats + 1 }, stats, undefined, 'stats64');
      o.closeObject();
      o.fp('\n');
      if (!ifindex) o.fp('\n');
    }
    await o.end();
    return 0;
  });
}
