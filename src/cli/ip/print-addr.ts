// An address as `ip address` prints it (ipaddress.c's print_addrinfo): the `inet …` line with
// its lifetimes, in text, brief (-br) and JSON forms.
import type { Address } from '../../route/codecs.js';
import { IFA_F } from '../../route/constants.js';
import { addressFlags } from '../../route/enums.js';
import { flagsNum, printHeader, scopeText, type PrintContext } from './common.js';
import type { Output } from './output.js';

const INFINITY = 0xffffffff;

/** ifa flag names in ip's print order, value order (IFA_F_PERMANENT prints as "dynamic" when absent). */
const IFA_FLAG_ORDER: [number, string][] = Object.entries(addressFlags.bits).map(([name, bit]) => [bit, name]);

function familyName(f: string | number | undefined): string | number {
  return f === 'inet' || f === 'inet6' || f === 'dnet' || f === 'ipx' ? f : (f ?? 0);
}

/** How an address line starts: full (`    inet …`), after `N: dev` (-o, flush), or brief. */
export interface AddrPrintMode {
  brief: boolean;
  /** -o (or flush listing): prefix each address with "index: dev". */
  oneline: boolean;
}

/** The numeric ifa flags of a decoded address. */
export function addrFlagsNum(a: Address): number {
  return flagsNum(addressFlags, a.flags as (string | number)[] | undefined);
}

/** print_addrinfo: one address (inside an addr_info array in JSON). */
export function printAddr(o: Output, ctx: PrintContext, a: Address, mode: AddrPrintMode, deleted = false): void {
  const flags = addrFlagsNum(a);
  const local = a.local ?? a.address;
  const address = a.address ?? a.local;
  o.openObject();
  printHeader(o, ctx, '[ADDR]');
  if (deleted) o.field('deleted', true, 'Deleted ');
  if (!mode.brief) {
    if (mode.oneline) {
      const dev = ctx.names.name(a.ifindex ?? 0);
      if (o.json) {
        o.jfield('index', a.ifindex ?? 0);
        o.jfield('dev', dev);
      } else o.fp(`${a.ifindex ?? 0}: ${dev}`);
    }
    const fam = familyName(a.family as string | number | undefined);
    if (fam === 'ipx') o.field('family', fam, `     ${fam} `);
    else if (typeof fam === 'string') o.field('family', fam, `    ${fam} `);
    else o.field('family_index', fam, `    family ${fam} `);
  }
  if (local !== undefined) {
    o.field('local', local, o.addrColor(a.family, local));
    if (address !== undefined && address !== local) {
      o.fp(' peer ');
      o.field('address', address, o.addrColor(a.family, address));
    }
    o.field('prefixlen', a.prefixlen ?? 0, `/${a.prefixlen ?? 0} `);
  }
  if (a.rt_priority !== undefined) o.field('metric', a.rt_priority, `metric ${a.rt_priority} `);
  if (mode.brief) {
    o.closeObject();
    return;
  }
  if (a.broadcast !== undefined) o.field('broadcast', a.broadcast, `brd ${o.addrColor(a.family, `${a.broadcast} `)}`);
  if (a.anycast !== undefined) o.field('anycast', a.anycast, `any ${a.anycast} `);
  const scope = scopeText(a.scope as string | number | undefined);
  o.field('scope', scope, `scope ${scope} `);
  let rest = flags;
  for (const [mask, name] of IFA_FLAG_ORDER) {
    if (mask === IFA_F.PERMANENT) {
      if (!(rest & mask)) o.field('dynamic', true, 'dynamic ');
    } else if (rest & mask) {
      if (mask === IFA_F.TEMPORARY && a.family === 'inet6') o.field('temporary', true, 'temporary ');
      else o.field(name, true, `${name} `);
    }
    rest &= ~mask;
  }
  if (rest) {
    const h = rest.toString(16).padStart(2, '0');
    o.field('ifa_flags', h, `flags ${h} `);
  }
  if (a.label !== undefined) o.field('label', a.label, a.label);
  const ci = a.cacheinfo;
  if (ci) {
    o.fp(`${o.sl}       valid_lft `);
    if (ci.valid === INFINITY) {
      o.jfield('valid_life_time', INFINITY);
      o.fp('forever');
    } else o.field('valid_life_time', ci.valid, `${ci.valid}sec`);
    o.fp(' preferred_lft ');
    if (ci.preferred === INFINITY) {
      o.jfield('preferred_life_time', INFINITY);
      o.fp('forever');
    } else if (flags & IFA_F.DEPRECATED) {
      const v = ci.preferred | 0;
      o.field('preferred_life_time', v, `${v}sec`);
    } else o.field('preferred_life_time', ci.preferred, `${ci.preferred}sec`);
  }
  o.fp('\n');
  o.closeObject();
}
