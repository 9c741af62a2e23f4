// A route as `ip route` prints it (iproute.c's print_route): text in ip's order and wording,
// JSON with ip -j's keys, value types and order.
import type { Route } from '../../route/codecs.js';
import type { MultipathNexthop } from '../../route/attrs.js';
import { RT_TABLE, RTCF, RTM_F } from '../../route/constants.js';
import { metricFeatures, routeFlags, table as tableEnum } from '../../route/enums.js';
import { pick } from '../../route/words.js';
import { decodedIs, flagsNum, hostLen, printHeader, printRtFlags, protoText, scopeText, tableText, typeText, type PrintContext } from './common.js';
import { dsfieldName, realms } from './names.js';
import { printNexthop } from './print-nexthop.js';
import { Color, type Output } from './output.js';

/** What the listing filtered on: ip leaves out what every printed route shares. */
export interface RouteFilter {
  /** A table was selected (`ip route show` selects main): `table` is not printed. */
  table: boolean;
  /** Printing only one route type (`type X`): the type is not printed. */
  type?: boolean;
  /** `dev X` given: dev is not printed. */
  oif?: boolean;
  /** `proto X` given. */
  protocol?: boolean;
  /** `scope X` given. */
  scope?: boolean;
  /** `tos X` given. */
  tos?: boolean;
  /** `metric X` given. */
  metric?: boolean;
  /** `via ADDR` given as a full host address. */
  viaHost?: boolean;
  /** `src ADDR` given as a full host address. */
  prefsrcHost?: boolean;
  /** `iif X` given. */
  iif?: boolean;
  /** `realms X` given. */
  realms?: boolean;
}

/** Writes a realm value ("realms FROM/TO" / JSON flow object) as print_rta_flow does. */
function printFlow(o: Output, flow: number): void {
  const from = flow >>> 16;
  const to = flow & 0xffff;
  if (o.json) {
    o.openObject('flow');
    if (from) o.jfield('from', realms.n2a(from));
    o.jfield('to', realms.n2a(to));
    o.closeObject();
  } else {
    o.fp(`realm${from ? 's' : ''} `);
    if (from) o.fp(`${realms.n2a(from)}/`);
    o.fp(`${realms.n2a(to)} `);
  }
}

const MX_ORDER = [
  'mtu', 'window', 'rtt', 'rttvar', 'ssthresh', 'cwnd', 'advmss', 'reordering', 'hoplimit', 'initcwnd', 'features',
  'rto_min', 'initrwnd', 'quickack', 'cc_algo', 'fastopen_no_cookie',
] as const;
const MX_INDEX: Record<string, number> = Object.fromEntries(MX_ORDER.map((n, i) => [n, i + 2]));

function msText(v: number): string {
  return v >= 1000 ? `${+(v / 1e3).toPrecision(6)}s ` : `${v}ms `;
}

/** print_rta_metrics. */
function printMetrics(o: Output, m: NonNullable<Route['metrics']>): void {
  o.openArray('metrics');
  o.openObject();
  const lock = (m.lock ?? 0) >>> 0;
  const mm = m as Record<string, unknown>;
  for (const name of MX_ORDER) {
    const i = MX_INDEX[name]!;
    const present = mm[name] !== undefined;
    const locked = (lock & (1 << i)) !== 0;
    if (!present && !locked) continue;
    let val = 0;
    if (present && name !== 'cc_algo') val = name === 'features' ? flagsNum(metricFeatures, mm[name] as (string | number)[]) : Number(mm[name]);
    if (name === 'hoplimit' && (val | 0) === -1) continue;
    const key = name === 'cc_algo' ? 'congestion' : name;
    o.fp(`${name === 'cc_algo' ? 'congctl' : name} `);
    if (locked) o.fp('lock ');
    switch (name) {
      case 'features':
        if (val & 1) o.field('ecn', null, 'ecn ');
        if (val & ~1) o.field('features', `0x${val.toString(16)}`, `0x${val.toString(16)} `);
        break;
      case 'rtt':
      case 'rttvar':
      case 'rto_min': {
        const v = name === 'rtt' ? Math.floor(val / 8) : name === 'rttvar' ? Math.floor(val / 4) : val;
        o.field(key, v, msText(v));
        break;
      }
      case 'cc_algo':
        o.field(key, String(mm[name] ?? ''), `${String(mm[name] ?? '')} `);
        break;
      default:
        o.field(key, val >>> 0, `${val >>> 0} `);
    }
  }
  o.closeObject();
  o.closeArray();
}

function printVia(o: Output, via: { family: string | number; addr: string }): void {
  const fam = typeof via.family === 'string' ? via.family : String(via.family);
  if (o.json) {
    o.openObject('via');
    o.jfield('family', fam);
    o.jfield('host', via.addr);
    o.closeObject();
  } else {
    o.fp(`via ${fam} ${via.addr} `);
  }
}

/** lwt_print_encap for the encapsulations nlkit decodes (ip, ip6, mpls); others by type only. */
function printEncap(o: Output, type: string | number | undefined, encap: unknown): void {
  const t = typeof type === 'string' ? type : String(type ?? '');
  o.field('encap', t, `encap ${t} `);
  if (!encap || encap instanceof Uint8Array || typeof encap !== 'object') return;
  const e = encap as Record<string, unknown>;
  if (t === 'ip' || t === 'ip6') {
    if (e.id !== undefined) o.field('id', Number(e.id), `id ${String(e.id)} `);
    if (e.src !== undefined) o.field('src', String(e.src), `src ${String(e.src)} `);
    if (e.dst !== undefined) o.field('dst', String(e.dst), `dst ${String(e.dst)} `);
    const ttl = t === 'ip' ? e.ttl : e.hoplimit;
    if (ttl !== undefined) o.field(t === 'ip' ? 'ttl' : 'hoplimit', Number(ttl), `${t === 'ip' ? 'ttl' : 'hoplimit'} ${String(ttl)} `);
    const tos = t === 'ip' ? e.tos : e.tc;
    if (tos !== undefined && Number(tos)) o.field(t === 'ip' ? 'tos' : 'tc', dsfieldName(Number(tos)), `${t === 'ip' ? 'tos' : 'tc'} ${dsfieldName(Number(tos))} `);
  } else if (t === 'mpls' && e.dst instanceof Uint8Array) {
    const labels: number[] = [];
    const b = e.dst;
    for (let i = 0; i + 4 <= b.length; i += 4) labels.push(((b[i]! << 12) | (b[i + 1]! << 4) | (b[i + 2]! >> 4)) >>> 0);
    o.field('dst', labels.join('/'), `${labels.join('/')} `);
    if (e.ttl !== undefined) o.field('ttl', Number(e.ttl), `ttl ${String(e.ttl)} `);
  }
}

/** print_rta_multipath. */
function printMultipath(o: Output, ctx: PrintContext, r: Route, list: MultipathNexthop[]): void {
  o.openArray('nexthops');
  for (const nh of list) {
    o.openObject();
    o.fp(`${o.sl}\tnexthop `);
    if (nh.encap !== undefined || nh.encap_type !== undefined) printEncap(o, nh.encap_type, nh.encap);
    if (nh.newdst !== undefined) o.field('to', String(nh.newdst), `as to ${String(nh.newdst)} `);
    if (nh.gateway !== undefined) o.field('gateway', nh.gateway, `via ${o.addrColor(r.family, `${nh.gateway} `)}`);
    if (nh.via !== undefined) printVia(o, nh.via);
    if (nh.flow !== undefined) printFlow(o, nh.flow);
    const dev = ctx.names.name(nh.ifindex);
    // ip colours a multipath hop's gateway, not its device.
    o.field('dev', dev, `dev ${dev} `);
    if (r.family !== 'mpls') o.field('weight', nh.weight, `weight ${nh.weight} `);
    printRtFlags(o, flagsNum(routeFlags, nh.flags));
    o.closeObject();
  }
  o.closeArray();
}

/** RTCF_* flags under iproute2's words, in its print order. */
const CACHE_FLAGS: [number, string][] = Object.entries(pick(RTCF, {
  LOCAL: 'local', REJECT: 'reject', MULTICAST: 'mc', BROADCAST: 'brd', DNAT: 'dst-nat', SNAT: 'src-nat', MASQ: 'masq',
  DIRECTDST: 'dst-direct', DIRECTSRC: 'src-direct', REDIRECTED: 'redirected', DOREDIRECT: 'redirect', FAST: 'fastroute',
  NOTIFY: 'notify', TPROXY: 'proxy',
})).map(([word, bit]) => [bit, word]);

function cacheFlags(o: Output, flags: number): void {
  // Cloned IPv4 routes (route cache, "ip route get"): RTCF_* in the high bits.
  const names = CACHE_FLAGS;
  let f = flags & ~0xffff;
  if (o.json) {
    o.openArray('cache');
    for (const [bit, n] of names) if (f & bit) { f &= ~bit; o.item(n); }
    if (f) o.jfield('flags', f.toString(16));
    o.closeArray();
    return;
  }
  o.fp(`${o.sl}    cache `);
  if (f === 0) return;
  o.fp('<');
  for (const [bit, n] of names) {
    if (!(f & bit)) continue;
    f &= ~bit;
    o.fp(`${n}${f ? ',' : '> '}`);
  }
  if (f) o.fp(`${f.toString(16)}>`);
}

const USER_HZ = 100;

/** Prints one route. `deleted` marks an RTM_DELROUTE (monitor, flush -s -s). */
export function printRoute(o: Output, ctx: PrintContext, r: Route, filter: RouteFilter, deleted = false): void {
  const flags = flagsNum(routeFlags, r.flags as (string | number)[] | undefined);
  const cloned = (flags & RTM_F.CLONED) !== 0;
  const host = hostLen(r.family);
  // Text only in text mode: a 100,000-route JSON dump should not build strings it throws away.
  const T = !o.json;
  o.openObject();
  printHeader(o, ctx, '[ROUTE]');
  if (deleted) o.field('deleted', true, 'Deleted ');
  const type = r.type ?? 'unicast';
  if ((type !== 'unicast' || ctx.details > 0) && !filter.type) {
    const t = typeText(type);
    o.field('type', t, `${t} `);
  }
  let dst: string;
  if (r.dst !== undefined) dst = r.dst_len !== host ? `${r.dst}/${r.dst_len ?? 0}` : r.dst;
  else if (r.dst_len) dst = `0/${r.dst_len} `;
  else dst = 'default';
  o.field('dst', dst, T ? (r.dst !== undefined ? o.addrColor(r.family, dst + ' ') : dst + ' ') : undefined);
  if (r.src !== undefined) {
    const s = r.src_len !== host ? `${r.src}/${r.src_len ?? 0}` : r.src;
    o.field('from', s, `from ${s} `);
  } else if (r.src_len) {
    o.field('src', `0/${r.src_len}`, `from 0/${r.src_len} `);
  }
  if (r.nh_id !== undefined) o.field('nhid', r.nh_id, `nhid ${r.nh_id} `);
  if (r.newdst !== undefined) o.field('to', String(r.newdst), `as to ${String(r.newdst)} `);
  if (r.encap !== undefined) printEncap(o, r.encap_type, r.encap);
  if (r.tos && !filter.tos) {
    const t = dsfieldName(r.tos);
    o.field('tos', t, `tos ${t} `);
  }
  if (r.gateway !== undefined && !filter.viaHost) o.field('gateway', r.gateway, T ? `via ${o.addrColor(r.family, `${r.gateway} `)}` : undefined);
  if (r.via !== undefined) printVia(o, r.via);
  if (r.oif !== undefined && !filter.oif) {
    const dev = ctx.names.name(r.oif);
    o.field('dev', dev, T ? `dev ${o.color(Color.IFNAME, `${dev} `)}` : undefined);
  }
  const inTable = (n: number) => decodedIs(tableEnum, r.table as string | number | undefined, n);
  if (!inTable(RT_TABLE.UNSPEC) && (!inTable(RT_TABLE.MAIN) || ctx.details > 0) && !filter.table) {
    const t = tableText(r.table);
    o.field('table', t, T ? `table ${t} ` : undefined);
  }
  if (!cloned) {
    if ((r.protocol !== 'boot' || ctx.details > 0) && !filter.protocol) {
      const p = protoText(r.protocol);
      o.field('protocol', p, T ? `proto ${p} ` : undefined);
    }
    if (((r.scope ?? 'global') !== 'global' || ctx.details > 0) && !filter.scope) {
      const s = scopeText(r.scope ?? 'global');
      o.field('scope', s, T ? `scope ${s} ` : undefined);
    }
  }
  if (r.prefsrc !== undefined && !filter.prefsrcHost) o.field('prefsrc', r.prefsrc, T ? `src ${o.addrColor(r.family, `${r.prefsrc} `)}` : undefined);
  if (r.priority !== undefined && !filter.metric) o.field('metric', r.priority, T ? `metric ${r.priority} ` : undefined);
  printRtFlags(o, flags);
  if (r.mark) {
    if (o.json) o.jfield('mark', r.mark);
    else o.fp(r.mark >= 16 ? `mark 0x${r.mark.toString(16)} ` : `mark ${r.mark} `);
  }
  if (r.flow !== undefined && !filter.realms) printFlow(o, r.flow);
  if (r.uid !== undefined) o.field('uid', r.uid, `uid ${r.uid} `);
  if (r.family === 'inet' && cloned) cacheFlags(o, flags);
  if ((r.family === 'inet' || r.family === 'inet6') && r.cacheinfo) {
    const ci = r.cacheinfo;
    if (ci.expires) o.field('expires', Math.trunc(ci.expires / USER_HZ), `expires ${Math.trunc(ci.expires / USER_HZ)}sec `);
    if (ci.error) o.field('error', ci.error >>> 0, `error ${ci.error >>> 0} `);
    if (ctx.stats) {
      if (ci.clntref) o.field('users', ci.clntref, `users ${ci.clntref} `);
      if (ci.used) o.field('used', ci.used, `used ${ci.used} `);
      if (ci.lastuse) o.field('age', Math.trunc(ci.lastuse / USER_HZ), `age ${Math.trunc(ci.lastuse / USER_HZ)}sec `);
    }
    if (ci.id) o.field('ipid', `0x${ci.id.toString(16).padStart(4, '0')}`, `ipid 0x${ci.id.toString(16).padStart(4, '0')} `);
    if (ci.ts || ci.tsage) {
      o.field('ts', `0x${ci.ts.toString(16)}`, `ts 0x${ci.ts.toString(16)}`);
      o.field('tsage', ci.tsage, `tsage ${ci.tsage}sec `);
    }
  }
  if (r.metrics) printMetrics(o, r.metrics);
  if (r.iif !== undefined && !filter.iif) {
    const i = ctx.names.name(r.iif);
    o.field('iif', i, `iif ${i} `);
  }
  if (r.pref !== undefined) {
    if (typeof r.pref === 'string' && r.pref !== 'invalid') o.field('pref', r.pref, `pref ${r.pref}`);
    else {
      const n = typeof r.pref === 'number' ? r.pref : 2;
      o.field('pref', n, `${n}`);
    }
  }
  if (r.ttl_propagate !== undefined) {
    if (o.json) o.jfield('ttl-propogate', r.ttl_propagate !== 0);
    else o.fp(`ttl-propogate ${r.ttl_propagate ? 'enabled' : 'disabled'}`);
  }
  if (r.nh_id !== undefined && ctx.details > 0) {
    const nh = ctx.nexthops?.get(r.nh_id);
    if (nh) {
      o.fp(`${o.sl}\tnh_info `);
      printNexthop(o, ctx, nh, false, 'nh_info');
    }
  }
  if (r.multipath) printMultipath(o, ctx, r, r.multipath);
  o.fp('\n');
  o.closeObject();
}
