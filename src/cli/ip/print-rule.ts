// A rule as `ip rule` prints it (iprule.c's print_rule).
import type { Rule } from '../../route/codecs.js';
import { FIB_RULE, RTN } from '../../route/constants.js';
import { ruleFlags } from '../../route/enums.js';
import { flagsNum, hostLen, printHeader, protoText, tableId, tableText, type PrintContext } from './common.js';
import { dsfieldName, groups, ipProtoName, realms } from './names.js';
import type { Output } from './output.js';

const {
  INVERT: FIB_RULE_INVERT, UNRESOLVED: FIB_RULE_UNRESOLVED, IIF_DETACHED: FIB_RULE_IIF_DETACHED, OIF_DETACHED: FIB_RULE_OIF_DETACHED,
} = FIB_RULE;

/** print_rule: one rule. */
export function printRule(o: Output, ctx: PrintContext, r: Rule, deleted = false): void {
  const flags = flagsNum(ruleFlags, r.flags as (string | number)[] | undefined);
  const host = hostLen(r.family);
  o.openObject();
  printHeader(o, ctx, '[RULE]');
  if (deleted) o.field('deleted', true, 'Deleted ');
  const prio = r.priority ?? 0;
  o.field('priority', prio, `${prio}:\t`);
  if (flags & FIB_RULE_INVERT) o.field('not', null, 'not ');
  if (r.src !== undefined) {
    o.fp('from ');
    o.field('src', r.src, o.addrColor(r.family, r.src));
    if (r.src_len !== host) o.field('srclen', r.src_len ?? 0, `/${r.src_len ?? 0}`);
  } else if (r.src_len) {
    o.field('src', '0', 'from 0');
    o.field('srclen', r.src_len, `/${r.src_len}`);
  } else {
    o.field('src', 'all', 'from all');
  }
  if (r.dst !== undefined) {
    o.fp(' to ');
    o.field('dst', r.dst, o.addrColor(r.family, r.dst));
    if (r.dst_len !== host) o.field('dstlen', r.dst_len ?? 0, `/${r.dst_len ?? 0}`);
  } else if (r.dst_len) {
    o.field('dst', '0', ' to 0');
    o.field('dstlen', r.dst_len, `/${r.dst_len}`);
  }
  if (r.tos) {
    const t = dsfieldName(r.tos);
    o.field('tos', t, ` tos ${t}`);
  }
  if (r.fwmark !== undefined || r.fwmask !== undefined) {
    const mark = (r.fwmark ?? 0) >>> 0;
    const hx = (v: number) => (v ? `0x${v.toString(16)}` : '0');
    o.field('fwmark', hx(mark), ` fwmark ${hx(mark)}`);
    if (r.fwmask !== undefined && r.fwmask >>> 0 !== 0xffffffff) o.field('fwmask', hx(r.fwmask >>> 0), `/${hx(r.fwmask >>> 0)}`);
  }
  if (r.iifname !== undefined) {
    o.field('iif', r.iifname, ` iif ${r.iifname}`);
    if (flags & FIB_RULE_IIF_DETACHED) o.field('iif_detached', null, ' [detached]');
  }
  if (r.oifname !== undefined) {
    o.field('oif', r.oifname, ` oif ${r.oifname}`);
    if (flags & FIB_RULE_OIF_DETACHED) o.field('oif_detached', null, ' [detached]');
  }
  if (r.l3mdev) o.field('l3mdev', null, ' lookup [l3mdev-table]');
  if (r.uid_range) {
    o.field('uid_start', r.uid_range.start, ` uidrange ${r.uid_range.start}`);
    o.field('uid_end', r.uid_range.end, `-${r.uid_range.end}`);
  }
  if (r.ip_proto !== undefined) {
    const p = ipProtoName(r.ip_proto);
    o.field('ipproto', p, ` ipproto ${p}`);
  }
  for (const [key, range] of [['sport', r.sport_range], ['dport', r.dport_range]] as const) {
    if (!range) continue;
    if (range.start === range.end) o.field(key, range.start, ` ${key} ${range.start}`);
    else {
      o.field(`${key}_start`, range.start, ` ${key} ${range.start}`);
      o.field(`${key}_end`, range.end, `-${range.end}`);
    }
  }
  if (r.tun_id !== undefined) o.field('tun_id', r.tun_id, ` tun_id ${String(r.tun_id)}`);
  const table = tableId(r.table);
  if (table) {
    const t = tableText(r.table);
    o.field('table', t, ` lookup ${t}`);
    if (r.suppress_prefixlen !== undefined && (r.suppress_prefixlen | 0) !== -1) {
      o.field('suppress_prefixlen', r.suppress_prefixlen | 0, ` suppress_prefixlength ${r.suppress_prefixlen | 0}`);
    }
    if (r.suppress_ifgroup !== undefined && (r.suppress_ifgroup | 0) !== -1) {
      const g = groups.n2a(r.suppress_ifgroup);
      o.field('suppress_ifgroup', g, ` suppress_ifgroup ${g}`);
    }
  }
  if (r.flow !== undefined) {
    const to = r.flow & 0xffff, from = r.flow >>> 16;
    if (from) o.field('flow_from', realms.n2a(from), ` realms ${realms.n2a(from)}/`);
    else o.fp(' realms ');
    o.field('flow_to', realms.n2a(to), realms.n2a(to));
  }
  const action = r.action ?? 'to_tbl';
  if (action === 'goto') {
    if (r.goto !== undefined) o.field('goto', r.goto, ` goto ${r.goto}`);
    else o.field('goto', 'none', ' goto none');
    if (flags & FIB_RULE_UNRESOLVED) o.field('unresolved', null, ' [unresolved]');
  } else if (action === 'nop') {
    o.field('nop', null, ' nop');
  } else if (action === RTN.NAT) {
    // iproute2 prints a rule whose action is RTN_NAT's number as "masquerade".
    o.field('masquerade', null, ' masquerade');
  } else if (action !== 'to_tbl') {
    const a = typeof action === 'number' ? String(action) : action;
    o.field('action', a, ` ${a}`);
  }
  const proto = r.protocol as string | number | undefined;
  if (proto !== undefined) {
    if ((proto !== 'unspec' && proto !== 0 && proto !== 'kernel') || ctx.details > 0) {
      const p = protoText(proto);
      o.field('protocol', p, ` proto ${p}`);
    }
  }
  o.fp('\n');
  o.closeObject();
}
