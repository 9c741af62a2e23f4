// `nlkit ip route`: show/list (with iproute2's selectors, `table all`, -d), add, del, change,
// replace, append, prepend, flush and get — over nlkit/route.
import {
  addRoute, appendRoute, changeRoute, deleteRoute, dumpNexthops, dumpRoutes, encodeRoute, flushRoutes, getRoute, prependRoute, replaceRoute, RT_TABLE, RTM,
  type Route, type RouteSpec, type NexthopSpec, type RouteQuery, type Metrics,
} from '../../route/index.js';
import { NetlinkError } from '../../socket/index.js';
import { UsageError } from '../errors.js';
import { addrBytes, Args, DumpTerminated, IP_EXIT, inPrefix, matches, parseAddress, parsePrefix, type Family, type Prefix, usage } from './argv.js';
import type { IpContext } from './index.js';
import type { NetlinkSocket } from '../../socket/index.js';
import { flushRounds } from './flush.js';
import { applyVerb, command, objectRunner, verbCommands, type VerbTable } from './dispatch.js';
import { dsfields, ipProtoNumber, isRouteTypeWord, parseUnsigned, protocols, realms, routeTypeNumber, scopes, tables } from './names.js';
import { decodedIs, tableId } from './common.js';
import { protocol, routeType, scope } from '../../route/enums.js';
import { printRoute, type RouteFilter } from './print-route.js';
import { withSession, type Session } from './session.js';

const USAGE = `Usage: nlkit ip route { list | flush } SELECTOR
       nlkit ip route get ADDRESS [ from ADDRESS iif STRING ] [ oif STRING ] [ mark NUMBER ]
                                  [ uid NUMBER ] [ ipproto PROTOCOL ] [ sport NUMBER ] [ dport NUMBER ]
       nlkit ip route { add | del | change | append | replace | prepend } ROUTE
SELECTOR := [ root PREFIX ] [ match PREFIX ] [ exact PREFIX ] [ table TABLE_ID ]
            [ proto RTPROTO ] [ type TYPE ] [ scope SCOPE ] [ dev STRING ] [ via ADDRESS ] [ src ADDRESS ]
ROUTE := NODE_SPEC [ INFO_SPEC ]
NODE_SPEC := [ TYPE ] PREFIX [ tos TOS ] [ table TABLE_ID ] [ proto RTPROTO ] [ scope SCOPE ] [ metric METRIC ]
INFO_SPEC := { NH | nhid ID } OPTIONS FLAGS [ nexthop NH ]...
NH := [ via [ FAMILY ] ADDRESS ] [ dev STRING ] [ weight NUMBER ] NHFLAGS
OPTIONS := FLAGS [ mtu NUMBER ] [ advmss NUMBER ] [ rtt TIME ] [ rttvar TIME ] [ reordering NUMBER ]
           [ window NUMBER ] [ cwnd NUMBER ] [ initcwnd NUMBER ] [ ssthresh NUMBER ] [ realms REALM ]
           [ src ADDRESS ] [ rto_min TIME ] [ hoplimit NUMBER ] [ initrwnd NUMBER ] [ features ecn ]
           [ quickack BOOL ] [ congctl NAME ] [ pref PREF ] [ expires TIME ] [ fastopen_no_cookie BOOL ]
TYPE := { unicast | local | broadcast | multicast | throw | unreachable | prohibit | blackhole | nat }
TABLE_ID := [ local | main | default | all | NUMBER ]
SCOPE := [ host | link | global | NUMBER ]
NHFLAGS := [ onlink | pervasive ]
RTPROTO := [ kernel | boot | static | NUMBER ]
PREF := [ low | medium | high ]
`;

/** Runs `ip route …`. */
export const run = objectRunner({
  object: 'route',
  usage: USAGE,
  default: (ctx, args) => list(ctx, args, 'list'),
  commands: [
    ...verbCommands(['add', 'change', 'replace', 'prepend', 'append', 'delete'], modify),
    command(['list', 'show', 'lst'], (ctx, args) => list(ctx, args, 'list')),
    command(['get'], (ctx, args) => get(ctx, args)),
    command(['flush'], (ctx, args) => list(ctx, args, 'flush')),
  ],
});

function familyName(f: Family | undefined): 'inet' | 'inet6' | undefined {
  return f === 4 ? 'inet' : f === 6 ? 'inet6' : undefined;
}

function ctxFamily(ctx: IpContext): Family | undefined {
  return ctx.opts.family === 4 || ctx.opts.family === 6 ? ctx.opts.family : undefined;
}

/** A table name or id as ip's rtnl_rttable_a2n reads it. */
function parseTable(args: Args, v: string, what = '"table" value is invalid\n'): number {
  const n = tables.a2n(v);
  if (n === undefined) throw args.invalid(v, what);
  return n;
}

function parseScope(args: Args, v: string): number {
  const n = scopes.a2n(v);
  if (n === undefined) throw args.invalid(v, 'invalid "scope" value\n');
  return n;
}

function parseProto(args: Args, v: string): number {
  const n = protocols.a2n(v);
  if (n === undefined) throw args.invalid(v, '"protocol" value is invalid\n');
  return n;
}

function parseTos(args: Args, v: string): number {
  const n = dsfields.a2n(v) ?? parseUnsigned(v, 255);
  if (n === undefined) throw args.invalid(v, '"tos" value is invalid\n');
  return n;
}

function parseRealms(args: Args, v: string): number {
  const part = (s: string) => {
    if (s === '') return 0;
    const n = realms.a2n(s);
    if (n === undefined) throw args.invalid(v, '"realm" value is invalid\n');
    return n;
  };
  const slash = v.indexOf('/');
  if (slash < 0) return part(v);
  return ((part(v.slice(0, slash)) << 16) | part(v.slice(slash + 1))) >>> 0;
}

/** get_time_rtt: "NUMBER[s|ms]", milliseconds; a bare number is raw. */
function parseTime(args: Args, kw: string, v: string): { ms: number; raw: boolean } {
  const m = /^(\d+(?:\.\d+)?)(s|ms|msec|msecs|sec|secs)?$/.exec(v);
  if (!m) throw args.invalid(v, `"${kw}" value is invalid\n`);
  const n = Number(m[1]);
  if (!m[2]) {
    if (!Number.isInteger(n) || n > 0xffffffff) throw args.invalid(v, `"${kw}" value is invalid\n`);
    return { ms: n, raw: true };
  }
  const ms = m[2].startsWith('s') ? n * 1000 : n;
  if (ms > 0xffffffff) throw args.invalid(v, `"${kw}" value is invalid\n`);
  return { ms: Math.trunc(ms), raw: false };
}

const RTAX: Record<string, number> = {
  mtu: 2, window: 3, rtt: 4, rttvar: 5, ssthresh: 6, cwnd: 7, advmss: 8, reordering: 9, hoplimit: 10,
  initcwnd: 11, features: 12, rto_min: 13, initrwnd: 14, quickack: 15, cc_algo: 16, fastopen_no_cookie: 17,
};

/** Parses one `nexthop …` group (parse_one_nh) until the next keyword it does not know. */
async function parseNexthop(args: Args, s: Session, family: Family | undefined): Promise<NexthopSpec & { family?: Family }> {
  const nh: NexthopSpec & { family?: Family } = {};
  const flags: string[] = [];
  for (;;) {
    const a = args.peek();
    if (a === undefined || a === 'nexthop') break;
    args.next();
    if (a === 'via') {
      let v = args.value('via');
      let fam = family;
      if (v === 'inet' || v === 'inet6') {
        fam = v === 'inet' ? 4 : 6;
        v = args.value('via');
      }
      const addr = parseAddress(args, v, fam);
      if (family === undefined || addr.family === family) {
        nh.gateway = addr.addr;
        nh.family = addr.family;
      } else nh.via = { family: addr.family === 4 ? 'inet' : 'inet6', addr: addr.addr };
    } else if (a === 'dev') {
      nh.ifindex = await s.ifindex(args.value('dev'));
    } else if (a === 'weight') {
      const v = args.value('weight');
      const w = parseUnsigned(v);
      if (w === undefined || w === 0 || w > 256) throw args.invalid(v, '"weight" is invalid\n');
      nh.weight = w;
    } else if (a === 'onlink') {
      flags.push('onlink');
    } else if (matches(a, 'realms')) {
      nh.flow = parseRealms(args, args.value('realms'));
    } else if (a === 'encap') {
      throw args.error('nlkit ip: "encap" is not supported.');
    } else {
      args.back();
      break;
    }
  }
  if (flags.length) nh.flags = flags;
  return nh;
}

type ModifyCmd = 'add' | 'change' | 'replace' | 'prepend' | 'append' | 'delete';

/** What each verb calls in nlkit/route. */
const ROUTE_VERBS: VerbTable<RouteSpec, { socket: NetlinkSocket }> = {
  add: addRoute, change: changeRoute, replace: replaceRoute, prepend: prependRoute, append: appendRoute, delete: deleteRoute,
};

/** iproute_modify: builds a RouteSpec from ip's grammar and sends it. */
async function modify(ctx: IpContext, args: Args, cmd: ModifyCmd): Promise<number> {
  return withSession(ctx, async (s) => {
    const spec: RouteSpec & Record<string, unknown> = {};
    let family = ctxFamily(ctx);
    const metrics: Record<string, number | string> = {};
    let lock = 0;
    let dst: Prefix | undefined;
    let gwOk = false;
    const setFamily = (f: Family) => {
      family ??= f;
    };
    const metricValue = (kw: string, key: string, max = 0xffffffff) => {
      let v = args.value(kw);
      if (v === 'lock') {
        lock |= 1 << RTAX[key]!;
        v = args.value(kw);
      }
      const n = parseUnsigned(v, max);
      if (n === undefined) throw args.invalid(v, `"${kw}" value is invalid\n`);
      metrics[key] = n;
    };
    const timeMetric = (kw: string, key: string, scale: number) => {
      let v = args.value(kw);
      if (v === 'lock') {
        lock |= 1 << RTAX[key]!;
        v = args.value(kw);
      }
      const t = parseTime(args, kw, v);
      metrics[key] = t.raw ? t.ms : t.ms * scale;
    };
    for (;;) {
      const a = args.next();
      if (a === undefined) break;
      if (a === 'src') {
        const p = parseAddress(args, args.value('src'), family);
        setFamily(p.family);
        spec.prefsrc = p.addr;
      } else if (a === 'as') {
        throw args.error('nlkit ip: "as" (MPLS) is not supported.');
      } else if (a === 'via') {
        if (gwOk) throw args.invalid('via', 'use nexthop syntax to specify multiple via\n');
        gwOk = true;
        let v = args.value('via');
        let fam = family;
        if (v === 'inet' || v === 'inet6') {
          fam = v === 'inet' ? 4 : 6;
          v = args.value('via');
        }
        const p = parseAddress(args, v, fam);
        if (family === undefined || p.family === family) {
          setFamily(p.family);
          spec.gateway = p.addr;
        } else spec.via = { family: p.family === 4 ? 'inet' : 'inet6', addr: p.addr };
      } else if (a === 'from') {
        const p = parsePrefix(args, args.value('from'), family);
        setFamily(p.family);
        spec.src = p.any ? 'default' : `${p.addr}/${p.len}`;
      } else if (a === 'tos' || matches(a, 'dsfield')) {
        spec.tos = parseTos(args, args.value(a));
      } else if (a === 'expires') {
        const v = args.value('expires');
        const n = parseUnsigned(v);
        if (n === undefined) throw args.invalid(v, '"expires" value is invalid\n');
        spec.expires = n;
      } else if (matches(a, 'metric') || matches(a, 'priority') || a === 'preference') {
        const v = args.value(a);
        const n = parseUnsigned(v);
        if (n === undefined) throw args.invalid(v, '"metric" value is invalid\n');
        spec.metric = n;
      } else if (a === 'scope') {
        spec.scope = parseScope(args, args.value('scope'));
      } else if (a === 'mtu') {
        metricValue('mtu', 'mtu');
      } else if (a === 'hoplimit') {
        metricValue('hoplimit', 'hoplimit', 255);
      } else if (a === 'advmss') {
        metricValue('mss', 'advmss');
      } else if (matches(a, 'reordering')) {
        metricValue(a, 'reordering');
      } else if (a === 'rtt') {
        timeMetric('rtt', 'rtt', 8);
      } else if (a === 'rto_min') {
        lock |= 1 << RTAX.rto_min!;
        const t = parseTime(args, 'rto_min', args.value('rto_min'));
        metrics.rto_min = t.ms;
      } else if (matches(a, 'window')) {
        metricValue(a, 'window');
      } else if (matches(a, 'cwnd')) {
        metricValue(a, 'cwnd');
      } else if (matches(a, 'initcwnd')) {
        metricValue(a, 'initcwnd');
      } else if (matches(a, 'initrwnd')) {
        metricValue(a, 'initrwnd');
      } else if (matches(a, 'features')) {
        const v = args.value(a);
        if (v !== 'ecn') throw args.invalid(v, '"features" value not valid');
        metrics.features = 1;
      } else if (matches(a, 'quickack')) {
        const v = args.value(a);
        if (v !== '0' && v !== '1') throw args.invalid(v, '"quickack" value should be 0 or 1');
        metrics.quickack = Number(v);
      } else if (matches(a, 'congctl')) {
        let v = args.value(a);
        if (v === 'lock') {
          lock |= 1 << RTAX.cc_algo!;
          v = args.value(a);
        }
        metrics.cc_algo = v;
      } else if (matches(a, 'rttvar')) {
        timeMetric(a, 'rttvar', 4);
      } else if (matches(a, 'ssthresh')) {
        metricValue(a, 'ssthresh');
      } else if (matches(a, 'realms')) {
        spec.flow = parseRealms(args, args.value(a));
      } else if (a === 'onlink') {
        spec.onlink = true;
      } else if (a === 'nexthop') {
        args.back();
        break;
      } else if (a === 'nhid') {
        const v = args.value('nhid');
        const n = parseUnsigned(v);
        if (n === undefined) throw args.invalid(v, '"id" value is invalid');
        spec.nh_id = n;
      } else if (matches(a, 'protocol')) {
        spec.protocol = parseProto(args, args.value(a));
      } else if (matches(a, 'table')) {
        spec.table = parseTable(args, args.value(a));
      } else if (matches(a, 'vrf')) {
        throw args.error('nlkit ip: "vrf" is not supported.');
      } else if (a === 'dev' || a === 'oif') {
        spec.oif = await s.ifindex(args.value(a));
      } else if (matches(a, 'pref')) {
        const v = args.value(a);
        if (v === 'low' || v === 'medium' || v === 'high') spec.pref = v;
        else {
          const n = parseUnsigned(v, 255);
          if (n === undefined) throw args.invalid(v, '"pref" value is invalid');
          spec.pref = n as never;
        }
      } else if (a === 'encap') {
        throw args.error('nlkit ip: "encap" is not supported.');
      } else if (a === 'ttl-propagate') {
        const v = args.value(a);
        if (matches(v, 'enabled')) spec.ttl_propagate = 1;
        else if (matches(v, 'disabled')) spec.ttl_propagate = 0;
        else throw args.invalid(v, '"ttl-propagate" value is invalid');
      } else if (matches(a, 'fastopen_no_cookie')) {
        const v = args.value(a);
        if (v !== '0' && v !== '1') throw args.invalid(v, '"fastopen_no_cookie" value should be 0 or 1');
        metrics.fastopen_no_cookie = Number(v);
      } else {
        let word = a;
        if (word === 'to') word = args.value('to');
        if (!/^[0-9]/.test(word)) {
          if (isRouteTypeWord(word)) {
            spec.type = word as never;
            word = args.value(word);
          }
        }
        if (matches(word, 'help')) {
          return usage(USAGE);
        }
        if (dst) throw args.duplicate('to', word);
        dst = parsePrefix(args, word, family);
        setFamily(dst.family);
      }
    }
    // ip's iproute_modify ends in usage() when no destination was given.
    if (!dst) return usage(USAGE);
    if (args.peek() === 'nexthop') {
      const hops: NexthopSpec[] = [];
      while (args.peek() !== undefined) {
        const a = args.next()!;
        if (a !== 'nexthop') throw args.error(`Error: "nexthop" or end of line is expected instead of "${a}"`);
        if (args.peek() === undefined) throw args.error('Error: unexpected end of line after "nexthop"', IP_EXIT.INVARG);
        const nh = await parseNexthop(args, s, family);
        if (nh.family) setFamily(nh.family);
        delete nh.family;
        hops.push(nh);
      }
      spec.multipath = hops;
    }
    if (Object.keys(metrics).length) {
      if (lock) metrics.lock = lock;
      spec.metrics = metrics as Metrics;
    }
    const fam = family ?? dst.family;
    spec.family = familyName(fam) ?? 'inet';
    spec.dst = dst.any ? 'default' : `${dst.addr}/${dst.len}`;
    spec.dst_len = dst.len;
    if (dst.any && family === undefined) spec.family = 'inet';
    await applyVerb(ROUTE_VERBS, cmd, spec, s.opts);
    return 0;
  });
}

/** The listing filter (iproute2's filter_nlmsg), applied to each dumped route. */
interface ListFilter {
  table: number | 'all' | 'cache';
  protocol?: number;
  scope?: number;
  types?: Set<number>;
  tos?: number;
  rdst?: Prefix;
  mdst?: Prefix;
  rsrc?: Prefix;
  msrc?: Prefix;
  via?: Prefix;
  prefsrc?: Prefix;
  oif?: number;
  iif?: number;
  mark?: number;
  metric?: number;
  realm?: { value: number; mask: number };
}

function routeMatches(r: Route, f: ListFilter): boolean {
  if (f.protocol !== undefined && !decodedIs(protocol, r.protocol, f.protocol)) return false;
  if (f.scope !== undefined && !decodedIs(scope, r.scope, f.scope)) return false;
  if (f.types && ![...f.types].some((t) => decodedIs(routeType, r.type, t))) return false;
  if (f.tos !== undefined && (r.tos ?? 0) !== f.tos) return false;
  const fam: Family | undefined = r.family === 'inet' ? 4 : r.family === 'inet6' ? 6 : undefined;
  const dstLen = r.dst_len ?? 0;
  const prefixTest = (p: Prefix | undefined, addr: string | undefined, len: number, root: boolean) => {
    if (!p) return true;
    if (!p.any && p.family !== fam) return false;
    if (root ? p.len > len : p.len < len) return false;
    const a = addr !== undefined ? addrBytes(addr) : new Uint8Array(fam === 6 ? 16 : 4);
    const pb = p.any ? new Uint8Array(a.length) : addrBytes(p.addr);
    return inPrefix(a, pb, root ? p.len : len);
  };
  if (!prefixTest(f.rdst, r.dst, dstLen, true)) return false;
  if (!prefixTest(f.mdst, r.dst, dstLen, false)) return false;
  if (!prefixTest(f.rsrc, r.src, r.src_len ?? 0, true)) return false;
  if (!prefixTest(f.msrc, r.src, r.src_len ?? 0, false)) return false;
  if (f.via) {
    const gw = r.gateway ?? r.via?.addr;
    if (gw === undefined || !f.via.any && f.via.family !== (gw.includes(':') ? 6 : 4)) return false;
    if (!inPrefix(addrBytes(gw), addrBytes(f.via.addr), f.via.len)) return false;
  }
  if (f.prefsrc) {
    if (r.prefsrc === undefined) return false;
    if (!inPrefix(addrBytes(r.prefsrc), addrBytes(f.prefsrc.addr), f.prefsrc.len)) return false;
  }
  if (f.oif !== undefined && (r.oif ?? 0) !== f.oif) return false;
  if (f.iif !== undefined && (r.iif ?? 0) !== f.iif) return false;
  if (f.mark !== undefined && (r.mark ?? 0) !== f.mark) return false;
  if (f.metric !== undefined && (r.priority ?? 0) !== f.metric) return false;
  if (f.realm && (((r.flow ?? 0) ^ f.realm.value) & f.realm.mask) !== 0) return false;
  return true;
}

/** iproute_list_flush_or_save: `ip route show` and `ip route flush`. */
async function list(ctx: IpContext, args: Args, action: 'list' | 'flush'): Promise<number> {
  if (action === 'flush' && args.left === 0) throw args.error('"ip route flush" requires arguments.');
  const f: ListFilter = { table: 254 };
  const shown: RouteFilter = { table: true };
  let family = ctxFamily(ctx);
  let dev: string | undefined;
  let iifDev: string | undefined;
  for (;;) {
    const a = args.next();
    if (a === undefined) break;
    if (matches(a, 'table')) {
      const v = args.value(a);
      if (v === 'all') f.table = 'all';
      else if (v === 'cache') f.table = 'cache';
      else f.table = parseTable(args, v, 'table id value is invalid\n');
    } else if (matches(a, 'vrf')) {
      throw args.error('nlkit ip: "vrf" is not supported.');
    } else if (matches(a, 'cached') || matches(a, 'cloned')) {
      f.table = 'cache';
    } else if (a === 'tos' || matches(a, 'dsfield')) {
      f.tos = parseTos(args, args.value(a));
      shown.tos = true;
    } else if (matches(a, 'protocol')) {
      const v = args.value(a);
      if (v !== 'all') {
        f.protocol = parseProto(args, v);
        shown.protocol = true;
      }
    } else if (matches(a, 'scope')) {
      const v = args.value(a);
      if (v !== 'all') {
        f.scope = parseScope(args, v);
        shown.scope = true;
      }
    } else if (matches(a, 'type')) {
      const v = args.value(a);
      const t = routeTypeNumber(v);
      if (t === undefined) throw args.invalid(v, 'node type value is invalid');
      f.types = new Set([t]);
    } else if (a === 'dev' || a === 'oif') {
      dev = args.value(a);
    } else if (a === 'iif') {
      iifDev = args.value(a);
    } else if (a === 'mark') {
      const v = args.value(a);
      const n = parseUnsigned(v);
      if (n === undefined) throw args.invalid(v, 'invalid mark value');
      f.mark = n;
    } else if (matches(a, 'metric') || matches(a, 'priority') || a === 'preference') {
      const v = args.value(a);
      const n = parseUnsigned(v);
      if (n === undefined) throw args.invalid(v, '"metric" value is invalid\n');
      f.metric = n;
      shown.metric = true;
    } else if (a === 'via') {
      let v = args.value(a);
      let fam = family;
      if (v === 'inet' || v === 'inet6') {
        fam = v === 'inet' ? 4 : 6;
        v = args.value(a);
      }
      f.via = parsePrefix(args, v, fam);
      if (f.via.len === (f.via.family === 4 ? 32 : 128)) shown.viaHost = true;
    } else if (a === 'src') {
      f.prefsrc = parsePrefix(args, args.value(a), family);
      if (f.prefsrc.len === (f.prefsrc.family === 4 ? 32 : 128)) shown.prefsrcHost = true;
    } else if (matches(a, 'realms')) {
      const v = args.value(a);
      const value = parseRealms(args, v);
      let mask = 0xffffffff;
      if ((value & 0xffff) === 0 && v.endsWith('/')) mask &= ~0xffff;
      if ((value & 0xffff0000) === 0 && (!v.includes('/') || v.startsWith('/'))) mask &= ~0xffff0000;
      f.realm = { value, mask: mask >>> 0 };
      shown.realms = true;
    } else if (matches(a, 'from')) {
      let v = args.value(a);
      if (matches(v, 'root')) f.rsrc = parsePrefix(args, args.value('root'), family);
      else if (matches(v, 'match')) f.msrc = parsePrefix(args, args.value('match'), family);
      else {
        if (matches(v, 'exact')) v = args.value('exact');
        f.msrc = parsePrefix(args, v, family);
        f.rsrc = f.msrc;
      }
    } else {
      let v = a;
      if (matches(v, 'to')) v = args.value(v);
      if (matches(v, 'root')) f.rdst = parsePrefix(args, args.value('root'), family);
      else if (matches(v, 'match')) f.mdst = parsePrefix(args, args.value('match'), family);
      else {
        // ip's list takes `help` here as a prefix to parse (and fails with exit 1).
        if (matches(v, 'exact')) v = args.value('exact');
        f.mdst = parsePrefix(args, v, family);
        f.rdst = f.mdst;
      }
    }
  }
  // `ip route show` is IPv4 unless -6 or `table all`.
  const fam: 4 | 6 | undefined = family ?? (f.table === 'all' ? undefined : 4);
  shown.table = f.table !== 'all';
  return withSession(ctx, async (s) => {
    if (dev !== undefined) {
      f.oif = await s.ifindex(dev);
      shown.oif = true;
    }
    if (iifDev !== undefined) {
      f.iif = await s.ifindex(iifDev);
      shown.iif = true;
    }
    const pctx = await s.printContext();
    if (ctx.opts.details) {
      // -d prints a route's nexthop object ("nh_info"); ip looks each one up, one dump does here.
      pctx.nexthops = new Map();
      try {
        for await (const nh of dumpNexthops({}, s.opts)) if (nh.id !== undefined) pctx.nexthops.set(nh.id, nh);
      } catch {
        // kernels without nexthop objects
      }
    }
    const cloned = f.table === 'cache';
    if (action === 'flush') return flush(ctx, s, f, cloned, fam);
    const dump = dumpRoutes({
      ...(fam ? { family: familyName(fam)! } : {}),
      ...(typeof f.table === 'number' ? { table: f.table } : {}),
      ...(f.table === 'cache' ? { cloned: true } : {}),
      ...(f.protocol !== undefined ? { protocol: f.protocol } : {}),
      ...(f.oif !== undefined ? { oif: f.oif } : {}),
    }, s.opts);
    const out = ctx.out;
    out.begin();
    try {
      for await (const batch of dump.batches()) {
        for (const r of batch) {
          const isCloned = Array.isArray(r.flags) && r.flags.includes('cloned');
          if (isCloned !== cloned) continue;
          if (typeof f.table === 'number' && tableId(r.table) !== f.table) continue;
          if (!routeMatches(r, f)) continue;
          printRoute(out, pctx, r, shown);
        }
        const d = out.drain();
        if (d) await d;
      }
    } catch (e) {
      // A namespace without routes has no main table yet: ip shows it empty. Any other table
      // that does not exist, like other failures, ends the dump with the kernel's text.
      if (!(e instanceof NetlinkError && e.code === 'ENOENT' && f.table === RT_TABLE.MAIN)) throw new DumpTerminated(e);
    }
    await out.end();
    return 0;
  });
}

/**
 * ip route flush through flushRoutes: every round dumps the listing's family (ip flushes IPv4
 * only when a table is selected, main by default, and no family is given) and deletes what the
 * listing's filter selects.
 */
async function flush(ctx: IpContext, s: Session, f: ListFilter, cloned: boolean, fam: 4 | 6 | undefined): Promise<number> {
  const pctx = await s.printContext();
  return flushRounds<Route>(ctx, s, {
    noun: 'entries',
    where: (r) => {
      if (fam !== undefined && r.family !== familyName(fam)) return false;
      const isCloned = Array.isArray(r.flags) && r.flags.includes('cloned');
      if (isCloned !== cloned) return false;
      if (typeof f.table === 'number' && tableId(r.table) !== f.table) return false;
      // ip never flushes the IPv6 "unreachable default" placeholder (metric -1).
      if (r.family === 'inet6' && (r.dst_len ?? 0) === 0 && r.type === 'unreachable' && (r.priority ?? 0) === 0xffffffff) return false;
      return routeMatches(r, f);
    },
    print: (r) => printRoute(ctx.out, pctx, r, { table: false }, true),
    call: (opts) => flushRoutes({
      ...(fam ? { family: familyName(fam)! } : {}),
      table: typeof f.table === 'number' ? f.table : 'all',
      ...(cloned ? { cloned: true } : {}),
      ...(f.oif !== undefined ? { oif: f.oif } : {}),
    }, opts),
  });
}

/** iproute_get: `ip route get ADDRESS …`. */
async function get(ctx: IpContext, args: Args): Promise<number> {
  const q: Partial<RouteQuery> & { iifDev?: string; oifDev?: string } = {};
  let family = ctxFamily(ctx);
  for (;;) {
    const a = args.next();
    if (a === undefined) break;
    if (a === 'tos' || matches(a, 'dsfield')) {
      throw args.error('nlkit ip: "route get tos" is not supported.');
    } else if (matches(a, 'from')) {
      const p = parsePrefix(args, args.value(a), family);
      family ??= p.family;
      q.src = p.addr;
    } else if (matches(a, 'iif')) {
      q.iifDev = args.value(a);
    } else if (matches(a, 'mark')) {
      const v = args.value(a);
      const n = parseUnsigned(v);
      if (n === undefined) throw args.invalid(v, 'invalid mark value');
      q.mark = n;
    } else if (matches(a, 'oif') || a === 'dev') {
      q.oifDev = args.value(a);
    } else if (matches(a, 'uid')) {
      const v = args.value(a);
      const n = parseUnsigned(v);
      if (n === undefined) throw args.invalid(v, 'invalid UID');
      q.uid = n;
    } else if (matches(a, 'fibmatch')) {
      q.fibmatch = true;
    } else if (matches(a, 'ipproto')) {
      const v = args.value(a);
      const n = ipProtoNumber(v);
      if (n === undefined) throw args.invalid(v, 'Invalid "ipproto" value');
      q.ip_proto = n;
    } else if (matches(a, 'sport') || matches(a, 'dport')) {
      const v = args.value(a);
      const n = parseUnsigned(v, 0xffff);
      if (n === undefined) throw args.invalid(v, `invalid ${a.startsWith('s') ? 'sport' : 'dport'}`);
      if (a.startsWith('s')) q.sport = n;
      else q.dport = n;
    } else if (matches(a, 'connected') || matches(a, 'notify') || matches(a, 'vrf') || a === 'as') {
      throw args.error(`nlkit ip: "route get ${a}" is not supported.`);
    } else {
      let v = a;
      if (v === 'to') v = args.value('to');
      if (matches(v, 'help')) {
        return usage(USAGE);
      }
      const p = parsePrefix(args, v, family);
      family ??= p.family;
      const max = p.family === 4 ? 32 : 128;
      if (!p.host && p.len !== max) {
        process.stderr.write(`Warning: /${p.len} as prefix is invalid, only /${max} (or none) is supported.\n`);
      }
      q.dst = p.addr;
    }
  }
  if (q.dst === undefined) throw args.error('need at least a destination address');
  return withSession(ctx, async (s) => {
    const { iifDev, oifDev, ...rest } = q;
    const query = rest as RouteQuery;
    if (iifDev !== undefined) query.iif = await s.ifindex(iifDev);
    if (oifDev !== undefined) query.oif = await s.ifindex(oifDev);
    const r = await getRoute(query, s.opts);
    const pctx = await s.printContext();
    ctx.out.begin();
    printRoute(ctx.out, pctx, r, { table: false });
    await ctx.out.end();
    return 0;
  });
}
