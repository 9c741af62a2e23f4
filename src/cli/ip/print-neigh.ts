// A neighbour as `ip neigh` prints it (ipneigh.c's print_neigh).
import type { Neighbour } from '../../route/codecs.js';
import { NTF } from '../../route/constants.js';
import { neighFlags, neighState } from '../../route/enums.js';
import { flagsNum, printHeader, protoText, type PrintContext } from './common.js';
import { Color, type Output } from './output.js';

/** NUD_* states as ip prints them: the state words in upper case, in value order. */
const NUD_ORDER: [number, string][] = Object.entries(neighState.bits).map(([name, bit]) => [bit, name.toUpperCase()]);

const { PROXY: NTF_PROXY, ROUTER: NTF_ROUTER, EXT_LEARNED: NTF_EXT_LEARNED, OFFLOADED: NTF_OFFLOADED } = NTF;
const USER_HZ = 100;

/** The NUD_* bits of a decoded neighbour. */
export function neighStateNum(n: Neighbour): number {
  return flagsNum(neighState, n.state as (string | number)[] | undefined);
}

/** The NTF_* bits of a decoded neighbour. */
export function neighFlagsNum(n: Neighbour): number {
  return flagsNum(neighFlags, n.flags as (string | number)[] | undefined);
}

/** What the listing filtered on. */
export interface NeighFilter {
  /** `dev X` given: dev is not printed. */
  dev?: boolean;
}

/** print_neigh: one neighbour. `kind` marks RTM_DELNEIGH (deleted) and RTM_GETNEIGH (miss) in monitor. */
export function printNeigh(o: Output, ctx: PrintContext, n: Neighbour, filter: NeighFilter, kind: 'new' | 'del' | 'get' = 'new'): void {
  const state = neighStateNum(n);
  const flags = neighFlagsNum(n);
  o.openObject();
  printHeader(o, ctx, '[NEIGH]');
  if (kind === 'del') o.field('deleted', true, 'Deleted ');
  else if (kind === 'get') o.field('miss', null, 'miss ');
  if (n.dst !== undefined) o.field('dst', n.dst, o.addrColor(n.family, `${n.dst} `));
  if (!filter.dev && n.ifindex) {
    const dev = ctx.names.name(n.ifindex);
    o.field('dev', dev, `dev ${o.color(Color.IFNAME, `${dev} `)}`);
  }
  if (n.lladdr !== undefined) o.field('lladdr', n.lladdr, `lladdr ${o.color(Color.MAC, `${n.lladdr} `)}`);
  if (flags & NTF_ROUTER) o.field('router', null, 'router ');
  if (flags & NTF_PROXY) o.field('proxy', null, 'proxy ');
  if (flags & NTF_EXT_LEARNED) o.field('extern_learn', null, 'extern_learn ');
  if (flags & NTF_OFFLOADED) o.field('offload', null, 'offload ');
  if (ctx.stats) {
    const ci = n.cacheinfo;
    if (ci) {
      if (ci.refcnt) o.field('refcnt', ci.refcnt, ` ref ${ci.refcnt}`);
      const used = Math.trunc(ci.used / USER_HZ), conf = Math.trunc(ci.confirmed / USER_HZ), upd = Math.trunc(ci.updated / USER_HZ);
      o.field('used', used, ` used ${used}`);
      o.field('confirmed', conf, `/${conf}`);
      o.field('updated', upd, `/${upd}`);
    }
    if (n.probes !== undefined) o.field('probes', n.probes, `probes ${n.probes} `);
  }
  if (state) {
    o.openArray('state');
    for (const [bit, name] of NUD_ORDER) if (state & bit) o.item(name, `${name} `);
    o.closeArray();
  }
  const proto = n.protocol as string | number | undefined;
  if (proto !== undefined && proto !== 0 && proto !== 'unspec') {
    const p = protoText(proto);
    o.field('protocol', p, `proto ${p} `);
  }
  o.fp('\n');
  o.closeObject();
}
