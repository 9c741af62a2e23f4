// A nexthop object as `ip nexthop` prints it (ipnexthop.c's print_nexthop).
import type { Nexthop } from '../../route/codecs.js';
import { nexthopFlags } from '../../route/enums.js';
import { flagsNum, printHeader, printRtFlags, protoText, scopeText, type PrintContext } from './common.js';
import { Color, type Output } from './output.js';

/**
 * print_nexthop: one nexthop object or group. `key` nests it as a JSON field and leaves the text
 * line open (a route's "nh_info" with -d).
 */
export function printNexthop(o: Output, ctx: PrintContext, nh: Nexthop, deleted = false, key?: string): void {
  o.openObject(key);
  if (key === undefined) printHeader(o, ctx, '[NEXTHOP]');
  if (deleted) o.field('deleted', true, 'Deleted ');
  if (nh.id !== undefined) o.field('id', nh.id, `id ${nh.id} `);
  if (nh.group) {
    o.openArray('group');
    o.fp('group ');
    nh.group.forEach((m, i) => {
      o.openObject();
      if (i) o.fp('/');
      o.field('id', m.id, String(m.id));
      if (m.weight !== 1) o.field('weight', m.weight, `,${m.weight}`);
      o.closeObject();
    });
    o.fp(' ');
    o.closeArray();
    if (nh.group_type === 'resilient') {
      o.field('type', 'resilient', 'type resilient ');
      const rg = nh.res_group;
      if (rg) {
        o.openObject('resilient_args');
        if (rg.buckets !== undefined) o.field('buckets', rg.buckets, `buckets ${rg.buckets} `);
        if (rg.idle_timer !== undefined) o.field('idle_timer', Math.trunc(rg.idle_timer / 100), `idle_timer ${Math.trunc(rg.idle_timer / 100)} `);
        if (rg.unbalanced_timer !== undefined) o.field('unbalanced_timer', Math.trunc(rg.unbalanced_timer / 100), `unbalanced_timer ${Math.trunc(rg.unbalanced_timer / 100)} `);
        if (rg.unbalanced_time !== undefined) o.field('unbalanced_time', Math.trunc(Number(rg.unbalanced_time) / 100), `unbalanced_time ${Math.trunc(Number(rg.unbalanced_time) / 100)} `);
        o.closeObject();
      }
    }
  }
  if (nh.encap_type !== undefined) {
    const t = String(nh.encap_type);
    o.field('encap', t, `encap ${t} `);
  }
  if (nh.gateway !== undefined) o.field('gateway', nh.gateway, `via ${o.addrColor(nh.family, `${nh.gateway} `)}`);
  if (nh.oif !== undefined) {
    const dev = ctx.names.name(nh.oif);
    o.field('dev', dev, `dev ${o.color(Color.IFNAME, `${dev} `)}`);
  }
  const scope = nh.scope ?? 'global';
  if (scope !== 'global' || ctx.details > 0) {
    const s = scopeText(scope);
    o.field('scope', s, `scope ${s} `);
  }
  if (nh.blackhole) o.field('blackhole', null, 'blackhole ');
  const proto = nh.protocol ?? 'unspec';
  if (proto !== 'unspec' || ctx.details > 0) {
    const p = protoText(proto);
    o.field('protocol', p, `proto ${p} `);
  }
  printRtFlags(o, flagsNum(nexthopFlags, nh.flags as (string | number)[] | undefined));
  if (nh.fdb) o.field('fdb', null, 'fdb');
  if (key === undefined) o.fp('\n');
  o.closeObject();
}
