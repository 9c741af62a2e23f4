// `nlkit ip rule`: show/list (with ip's selectors), add, delete and flush — over nlkit/route.
import { addRule, deleteRule, dumpRules, flushRules, type Rule, type RuleSpec } from '../../route/index.js';
import { UsageError } from '../errors.js';
import { addrBytes, Args, inPrefix, matches, parsePrefix, type Family, type Prefix, usage } from './argv.js';
import type { IpContext } from './index.js';
import { applyVerb, command, objectRunner, verbCommands } from './dispatch.js';
import { dsfields, groups, ipProtoNumber, parseUnsigned, protocols, realms, routeTypeNumber, tables } from './names.js';
import { printRule } from './print-rule.js';
import { protocol, ruleAction } from '../../route/enums.js';
import { enumName } from '../../schema/index.js';
import { decodedIs, tableId } from './common.js';
import { withSession } from './session.js';

const USAGE = `Usage: nlkit ip rule { add | del } SELECTOR ACTION
       nlkit ip rule { flush | list } [ SELECTOR ]
SELECTOR := [ not ] [ from PREFIX ] [ to PREFIX ] [ tos TOS ] [ fwmark FWMARK[/MASK] ]
            [ iif STRING ] [ oif STRING ] [ pref NUMBER ] [ l3mdev ] [ uidrange NUMBER-NUMBER ]
            [ ipproto PROTOCOL ] [ sport [ NUMBER | NUMBER-NUMBER ] ] [ dport [ NUMBER | NUMBER-NUMBER ] ]
ACTION := [ table TABLE_ID ] [ protocol PROTO ] [ realms [SRCREALM/]DSTREALM ] [ goto NUMBER ]
          SUPPRESSOR
SUPPRESSOR := [ suppress_prefixlength NUMBER ] [ suppress_ifgroup DEVGROUP ]
TABLE_ID := [ local | main | default | NUMBER ]
`;

/** Runs `ip rule …`. */
export const run = objectRunner({
  object: 'rule',
  usage: USAGE,
  default: (ctx, args) => list(ctx, args, false),
  commands: [
    command(['list', 'lst', 'show'], (ctx, args) => list(ctx, args, false)),
    command(['save', 'restore'], async (_ctx, args, word) => {
      throw new UsageError(`nlkit ip: "rule ${word}" is not supported.`, args.hint());
    }),
    ...verbCommands(['add', 'delete'], modify),
    command(['flush'], (ctx, args) => list(ctx, args, true)),
  ],
});

function ctxFamily(ctx: IpContext): Family | undefined {
  return ctx.opts.family === 4 || ctx.opts.family === 6 ? ctx.opts.family : undefined;
}

function portRange(args: Args, v: string, what: string): { start: number; end: number } {
  const m = /^(\d+)(?:-(\d+))?$/.exec(v);
  if (!m || Number(m[1]) > 0xffff || (m[2] !== undefined && Number(m[2]) > 0xffff)) throw args.invalid(v, `invalid ${what}`);
  const start = Number(m[1]);
  return { start, end: m[2] !== undefined ? Number(m[2]) : start };
}

function ifname(args: Args, v: string, kw: string): string {
  if (v === '' || Buffer.byteLength(v) >= 16 || /[\s/]/.test(v)) throw args.invalid(v, `"${kw}" not a valid ifname`);
  return v;
}

function realmsOf(args: Args, v: string): number {
  const part = (s: string) => {
    if (s === '') return 0;
    const n = realms.a2n(s);
    if (n === undefined) throw args.invalid(v, 'invalid realms\n');
    return n;
  };
  const i = v.indexOf('/');
  return i < 0 ? part(v) : ((part(v.slice(0, i)) << 16) | part(v.slice(i + 1))) >>> 0;
}

/** iprule_modify. */
async function modify(ctx: IpContext, args: Args, cmd: 'add' | 'delete'): Promise<number> {
  if (args.left === 0) throw args.error(`"ip rule ${cmd === 'add' ? 'add' : 'del'}" requires arguments.`);
  let family = ctxFamily(ctx);
  const spec: RuleSpec & Record<string, unknown> = {};
  let tableGiven = false;
  let l3mdev = false;
  for (;;) {
    const a = args.next();
    if (a === undefined) break;
    if (a === 'not') spec.not = true;
    else if (a === 'from' || a === 'to') {
      const p = parsePrefix(args, args.value(a), family);
      family ??= p.family;
      spec[a === 'from' ? 'src' : 'dst'] = p.any ? 'all' : `${p.addr}/${p.len}`;
      if (p.any) spec[a === 'from' ? 'src_len' : 'dst_len'] = 0;
    } else if (matches(a, 'preference') || matches(a, 'order') || matches(a, 'priority')) {
      const v = args.value(a);
      const n = parseUnsigned(v);
      if (n === undefined) throw args.invalid(v, 'preference value is invalid\n');
      spec.priority = n;
    } else if (a === 'tos' || matches(a, 'dsfield')) {
      const v = args.value(a);
      const n = dsfields.a2n(v);
      if (n === undefined) throw args.invalid(v, 'TOS value is invalid\n');
      spec.tos = n;
    } else if (a === 'fwmark') {
      const v = args.value(a);
      const [mark, mask] = v.split('/');
      const m = parseUnsigned(mark!);
      if (m === undefined) throw args.invalid(mark!, 'fwmark value is invalid\n');
      spec.fwmark = m;
      if (mask !== undefined) {
        const k = parseUnsigned(mask);
        if (k === undefined) throw args.invalid(mask, 'fwmask value is invalid');
        spec.fwmask = k;
      }
    } else if (matches(a, 'realms')) {
      spec.flow = realmsOf(args, args.value(a));
    } else if (matches(a, 'protocol')) {
      const v = args.value(a);
      const n = protocols.a2n(v);
      if (n === undefined) throw args.invalid(v, '"protocol" value is invalid');
      spec.protocol = n;
    } else if (matches(a, 'tun_id')) {
      const v = args.value(a);
      if (!/^(0x[0-9a-f]+|\d+)$/i.test(v)) throw args.invalid(v, '"tun_id" value is invalid');
      spec.tun_id = BigInt(v) as never;
    } else if (matches(a, 'table') || a === 'lookup') {
      const v = args.value(a);
      const n = tables.a2n(v);
      if (n === undefined) throw args.invalid(v, 'invalid table ID\n');
      spec.table = n;
      tableGiven = true;
    } else if (matches(a, 'suppress_prefixlength') || a === 'sup_pl') {
      const v = args.value(a);
      const n = parseUnsigned(v, 0x7fffffff);
      if (n === undefined) throw args.invalid(v, 'suppress_prefixlength value is invalid');
      spec.suppress_prefixlen = n;
    } else if (matches(a, 'suppress_ifgroup') || a === 'sup_group') {
      const v = args.value(a);
      const g = groups.a2n(v);
      if (g === undefined) throw args.invalid(v, 'Invalid "suppress_ifgroup" value');
      spec.suppress_ifgroup = g;
    } else if (a === 'dev' || a === 'iif') {
      spec.iifname = ifname(args, args.value(a), 'iif"/"dev');
    } else if (a === 'oif') {
      spec.oifname = ifname(args, args.value(a), 'oif');
    } else if (a === 'l3mdev') {
      spec.l3mdev = 1;
      l3mdev = true;
    } else if (a === 'uidrange') {
      const v = args.value(a);
      const m = /^(\d+)-(\d+)$/.exec(v);
      if (!m || Number(m[1]) > 0xffffffff || Number(m[2]) > 0xffffffff) throw args.invalid(v, 'invalid UID range\n');
      spec.uid_range = { start: Number(m[1]), end: Number(m[2]) };
    } else if (a === 'ipproto') {
      const v = args.value(a);
      const n = ipProtoNumber(v);
      if (n === undefined) throw args.invalid(v, 'Invalid "ipproto" value');
      spec.ip_proto = n;
    } else if (a === 'sport' || a === 'dport') {
      spec[a === 'sport' ? 'sport_range' : 'dport_range'] = portRange(args, args.value(a), a === 'sport' ? 'port range' : 'dport range');
    } else if (a === 'nat' || matches(a, 'map-to')) {
      throw args.error('nlkit ip: rule NAT is not supported (removed from Linux).');
    } else {
      let v = a;
      if (v === 'type') v = args.value('type');
      if (matches(v, 'help')) {
        return usage(USAGE);
      }
      if (matches(v, 'goto')) {
        const t = args.value('goto');
        const n = parseUnsigned(t);
        if (n === undefined) throw args.invalid(t, 'invalid target\n');
        spec.goto = n;
        spec.action = 'goto';
      } else if (matches(v, 'nop')) {
        spec.action = 'nop';
      } else {
        // iproute2 reads a route type here and uses its RTN_* number as the FR_ACT_* action
        // (RTN_UNICAST is FR_ACT_TO_TBL, RTN_BLACKHOLE FR_ACT_BLACKHOLE, …).
        const t = routeTypeNumber(v);
        const action = t === undefined ? undefined : enumName(ruleAction, t);
        if (action !== 'to_tbl' && action !== 'blackhole' && action !== 'unreachable' && action !== 'prohibit') {
          throw args.invalid(v, 'Failed to parse rule type');
        }
        spec.action = action;
      }
      tableGiven = true;
    }
  }
  if (l3mdev && spec.table !== undefined) throw args.error('table can not be specified for l3mdev rules');
  spec.family = family === 6 ? 'inet6' : 'inet';
  if (cmd === 'delete') {
    // ip sends FR_ACT_UNSPEC and table 0 unless given.
    spec.action ??= 'unspec';
  } else if (!tableGiven) {
    spec.table = 'main';
  }
  return withSession(ctx, async (s) => {
    await applyVerb({ add: addRule, delete: deleteRule }, cmd, spec, s.opts);
    return 0;
  });
}

interface RuleFilter {
  pref?: number;
  not: boolean;
  tos?: number;
  fwmark?: number;
  fwmask?: number;
  iif?: string;
  oif?: string;
  l3mdev: boolean;
  uid?: { start: number; end: number };
  ipproto?: number;
  sport?: { start: number; end: number };
  dport?: { start: number; end: number };
  tunId?: bigint;
  table?: number;
  src?: Prefix;
  dst?: Prefix;
  protocol?: number;
}

function ruleMatches(r: Rule, f: RuleFilter): boolean {
  if (f.pref !== undefined && (r.priority ?? 0) !== f.pref) return false;
  const flags = Array.isArray(r.flags) ? r.flags : [];
  if (f.not && !flags.includes('invert')) return false;
  const fam: Family = r.family === 'inet6' ? 6 : 4;
  const pfx = (p: Prefix | undefined, addr: string | undefined, len: number | undefined) => {
    if (!p) return true;
    if (p.family !== fam || p.len > (len ?? 0)) return false;
    const a = addr !== undefined ? addrBytes(addr) : new Uint8Array(fam === 6 ? 16 : 4);
    return inPrefix(a, addrBytes(p.addr), p.len);
  };
  if (!pfx(f.src, r.src, r.src_len)) return false;
  if (!pfx(f.dst, r.dst, r.dst_len)) return false;
  if (f.tos !== undefined && (r.tos ?? 0) !== f.tos) return false;
  if (f.fwmark && (r.fwmark ?? 0) !== f.fwmark) return false;
  if (f.fwmask && (r.fwmask ?? 0) !== f.fwmask) return false;
  if (f.iif !== undefined && r.iifname !== f.iif) return false;
  if (f.oif !== undefined && r.oifname !== f.oif) return false;
  if (f.l3mdev && !r.l3mdev) return false;
  if (f.uid && (!r.uid_range || r.uid_range.start !== f.uid.start || r.uid_range.end !== f.uid.end)) return false;
  if (f.ipproto && (r.ip_proto ?? 0) !== f.ipproto) return false;
  if (f.sport?.start && (!r.sport_range || r.sport_range.start !== f.sport.start || r.sport_range.end !== f.sport.end)) return false;
  if (f.dport?.start && (!r.dport_range || r.dport_range.start !== f.dport.start || r.dport_range.end !== f.dport.end)) return false;
  if (f.tunId !== undefined && (r.tun_id === undefined || BigInt(r.tun_id) !== f.tunId)) return false;
  if (f.table && tableId(r.table) !== f.table) return false;
  if (f.protocol !== undefined && !decodedIs(protocol, r.protocol as string | number | undefined, f.protocol)) return false;
  return true;
}

/** iprule_list_flush_or_save. */
async function list(ctx: IpContext, args: Args, flush: boolean): Promise<number> {
  const af: Family = ctxFamily(ctx) ?? 4;
  const f: RuleFilter = { not: false, l3mdev: false };
  for (;;) {
    const a = args.next();
    if (a === undefined) break;
    if (matches(a, 'preference') || matches(a, 'order') || matches(a, 'priority')) {
      const v = args.value(a);
      const n = parseUnsigned(v);
      if (n === undefined) throw args.invalid(v, 'preference value is invalid\n');
      f.pref = n;
    } else if (a === 'not') f.not = true;
    else if (a === 'tos') {
      const v = args.value(a);
      const n = dsfields.a2n(v);
      if (n === undefined) throw args.invalid(v, 'TOS value is invalid\n');
      f.tos = n;
    } else if (a === 'fwmark') {
      const [mark, mask] = args.value(a).split('/');
      const m = parseUnsigned(mark!);
      if (m === undefined) throw args.invalid(mark!, 'fwmark value is invalid\n');
      f.fwmark = m;
      if (mask !== undefined) {
        const k = parseUnsigned(mask);
        if (k === undefined) throw args.invalid(mask, 'fwmask value is invalid');
        f.fwmask = k;
      }
    } else if (a === 'dev' || a === 'iif') f.iif = ifname(args, args.value(a), 'iif"/"dev');
    else if (a === 'oif') f.oif = ifname(args, args.value(a), 'oif');
    else if (a === 'l3mdev') f.l3mdev = true;
    else if (a === 'uidrange') {
      const v = args.value(a);
      const m = /^(\d+)-(\d+)$/.exec(v);
      if (!m) throw args.invalid(v, 'invalid UID range\n');
      f.uid = { start: Number(m[1]), end: Number(m[2]) };
    } else if (matches(a, 'tun_id')) {
      const v = args.value(a);
      if (!/^(0x[0-9a-f]+|\d+)$/i.test(v)) throw args.invalid(v, '"tun_id" value is invalid');
      f.tunId = BigInt(v);
    } else if (matches(a, 'lookup') || matches(a, 'table')) {
      const v = args.value(a);
      const n = tables.a2n(v);
      if (n === undefined) throw args.invalid(v, 'table id value is invalid\n');
      f.table = n;
    } else if (matches(a, 'from') || matches(a, 'src')) {
      f.src = parsePrefix(args, args.value(a), af);
    } else if (matches(a, 'protocol')) {
      const v = args.value(a);
      const n = protocols.a2n(v);
      if (n === undefined && v !== 'all') throw args.invalid(v, 'invalid "protocol"');
      if (n !== undefined) f.protocol = n;
    } else if (a === 'ipproto') {
      const v = args.value(a);
      const n = ipProtoNumber(v);
      if (n === undefined) throw args.invalid(v, 'Invalid "ipproto" value');
      f.ipproto = n;
    } else if (a === 'sport' || a === 'dport') {
      const r = portRange(args, args.value(a), a === 'sport' ? 'port range' : 'dport range');
      if (a === 'sport') f.sport = r;
      else f.dport = r;
    } else {
      let v = a;
      // ip's list takes `help` here as a prefix to parse (and fails with exit 1).
      if (matches(v, 'dst') || matches(v, 'to')) v = args.value(v);
      f.dst = parsePrefix(args, v, af);
    }
  }
  return withSession(ctx, async (s) => {
    if (flush) {
      // One pass, as ip's: a rule flush has no rounds.
      await flushRules({ family: af === 6 ? 'inet6' : 'inet' }, { socket: s.sock, where: (r) => ruleMatches(r, f) && r.priority !== undefined });
      return 0;
    }
    const dump = dumpRules({ family: af === 6 ? 'inet6' : 'inet' }, s.opts);
    const pctx = await s.printContext();
    const out = ctx.out;
    out.begin();
    for await (const r of dump) if (ruleMatches(r, f)) printRule(out, pctx, r);
    await out.end();
    return 0;
  });
}
