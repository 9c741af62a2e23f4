// vxlan (iplink_vxlan.c): options and -d details.
import { matches, parseAddress } from '../argv.js';
import type { PrintContext } from '../common.js';
import { parseUnsigned } from '../names.js';
import type { Output } from '../output.js';
import { argNum as num, HelpShown, num as dnum, onOff, registerKind, type Data } from './kinds.js';

/** ip's explain() text for vxlan, printed after an unknown option (as ip prints it). */
const EXPLAIN = "Usage: ... vxlan id VNI\n\t\t[ { group | remote } IP_ADDRESS ]\n\t\t[ local ADDR ]\n\t\t[ ttl TTL ]\n\t\t[ tos TOS ]\n\t\t[ df DF ]\n\t\t[ flowlabel LABEL ]\n\t\t[ dev PHYS_DEV ]\n\t\t[ dstport PORT ]\n\t\t[ srcport MIN MAX ]\n\t\t[ [no]learning ]\n\t\t[ [no]proxy ]\n\t\t[ [no]rsc ]\n\t\t[ [no]l2miss ]\n\t\t[ [no]l3miss ]\n\t\t[ ageing SECONDS ]\n\t\t[ maxaddress NUMBER ]\n\t\t[ [no]udpcsum ]\n\t\t[ [no]udp6zerocsumtx ]\n\t\t[ [no]udp6zerocsumrx ]\n\t\t[ [no]remcsumtx ] [ [no]remcsumrx ]\n\t\t[ [no]external ] [ gbp ] [ gpe ]\n\t\t[ [no]vnifilter ]\n\nWhere:\tVNI\t:= 0-16777215\n\tADDR\t:= { IP_ADDRESS | any }\n\tTOS\t:= { NUMBER | inherit }\n\tTTL\t:= { 1..255 | auto | inherit }\n\tDF\t:= { unset | set | inherit }\n\tLABEL := 0-1048575\n";

registerKind(['vxlan'], {
  async parse({ args, s, data, mode, usage }) {
    const USAGE = usage;
    let dstportGiven = false;
    while (args.left) {
      const a = args.next()!;
      if (a === 'id' || a === 'vni') data.id = num(args, a, 0xffffff);
      else if (a === 'group' || a === 'remote') {
        const v = parseAddress(args, args.value(a));
        if (v.family === 4) data.group = v.addr;
        else data.group6 = v.addr;
      } else if (a === 'local') {
        const v = parseAddress(args, args.value(a));
        if (v.family === 4) data.local = v.addr;
        else data.local6 = v.addr;
      } else if (a === 'dev') data.link = await s.ifindex(args.value(a));
      else if (a === 'ttl' || a === 'hoplimit') {
        const v = args.value(a);
        if (v === 'inherit') data.ttl_inherit = true;
        else if (v === 'auto') data.ttl = 0;
        else {
          const n = parseUnsigned(v, 255);
          if (n === undefined) throw args.invalid(v, 'invalid TTL');
          data.ttl = n;
        }
      } else if (a === 'tos' || a === 'dsfield') {
        const v = args.value(a);
        if (v === 'inherit') data.tos = 1;
        else {
          const n = parseUnsigned(v, 255);
          if (n === undefined) throw args.invalid(v, 'bad TOS value');
          data.tos = n;
        }
      } else if (a === 'dstport') {
        data.port = num(args, a, 0xffff);
        dstportGiven = true;
      } else if (a === 'srcport') {
        const low = num(args, 'srcport', 0xffff);
        const high = num(args, 'srcport', 0xffff);
        data.port_range = { low, high };
      } else if (a === 'learning') data.learning = 1;
      else if (a === 'nolearning') data.learning = 0;
      else if (a === 'ageing') {
        const v = args.value(a);
        data.ageing = v === 'none' ? 0 : (() => { const n = parseUnsigned(v); if (n === undefined) throw args.invalid(v, 'ageing timer'); return n; })();
      } else if (a === 'maxaddress') {
        const v = args.value(a);
        data.limit = v === 'unlimited' ? 0 : (() => { const n = parseUnsigned(v); if (n === undefined) throw args.invalid(v, 'max addresses'); return n; })();
      } else if (a === 'udpcsum') data.udp_csum = 1;
      else if (a === 'noudpcsum') data.udp_csum = 0;
      else if (a === 'udp6zerocsumtx') data.udp_zero_csum6_tx = 1;
      else if (a === 'noudp6zerocsumtx') data.udp_zero_csum6_tx = 0;
      else if (a === 'udp6zerocsumrx') data.udp_zero_csum6_rx = 1;
      else if (a === 'noudp6zerocsumrx') data.udp_zero_csum6_rx = 0;
      else if (a === 'external') {
        data.collect_metadata = 1;
        data.learning = 0;
      } else if (a === 'noexternal') data.collect_metadata = 0;
      else if (a === 'proxy') data.proxy = 1;
      else if (a === 'noproxy') data.proxy = 0;
      else if (a === 'l2miss') data.l2miss = 1;
      else if (a === 'nol2miss') data.l2miss = 0;
      else if (a === 'l3miss') data.l3miss = 1;
      else if (a === 'nol3miss') data.l3miss = 0;
      else if (a === 'rsc') data.rsc = 1;
      else if (a === 'norsc') data.rsc = 0;
      else if (a === 'df') {
        const v = args.value(a);
        if (v !== 'unset' && v !== 'set' && v !== 'inherit') throw args.invalid(v, 'df must be "unset", "set" or "inherit"');
        data.df = v;
      } else if (a === 'flowlabel') data.label = num(args, a, 0xfffff);
      else if (a === 'gbp') data.gbp = true;
      else if (a === 'gpe') data.gpe = true;
      else if (matches(a, 'help')) {
        process.stderr.write(USAGE);
        throw new HelpShown();
      } else throw args.error(`vxlan: unknown command "${a}"?\n${EXPLAIN.trimEnd()}`);
    }
    // ip 6.1 sends a vxlan without VNI and lets the kernel refuse it.
    if (mode === 'add' && !dstportGiven && !data.gpe) {
      process.stderr.write('vxlan: destination port not specified\nWill use Linux kernel default (non-standard value)\n' +
        "Use 'dstport 4789' to get the IANA assigned value\nUse 'dstport 0' to get default and quiet this message\n");
    }
  },
  print: (o, c, d) => printVxlan(o, c, d),
});

function isMulticast4(a: string): boolean {
  const first = Number(a.split('.')[0]);
  return first >= 224 && first <= 239;
}

function printVxlan(o: Output, ctx: PrintContext, d: Data): void {
  if (dnum(d, 'collect_metadata')) o.field('external', true, 'external ');
  if (dnum(d, 'vnifilter')) o.field('vnifilter', true, 'vnifilter ');
  const id = dnum(d, 'id');
  if (id !== undefined) o.field('id', id, `id ${id} `);
  const group = d.group as string | undefined;
  const group6 = d.group6 as string | undefined;
  if (group !== undefined) {
    if (group !== '0.0.0.0') {
      if (isMulticast4(group)) o.field('group', group, `group ${group} `);
      else o.field('remote', group, `remote ${group} `);
    }
  } else if (group6 !== undefined && group6 !== '::') {
    if (group6.toLowerCase().startsWith('ff')) o.field('group6', group6, `group ${group6} `);
    else o.field('remote6', group6, `remote ${group6} `);
  }
  const local = d.local as string | undefined;
  const local6 = d.local6 as string | undefined;
  if (local !== undefined) {
    if (local !== '0.0.0.0') o.field('local', local, `local ${local} `);
  } else if (local6 !== undefined && local6 !== '::') {
    o.field('local6', local6, `local ${local6} `);
  }
  const link = dnum(d, 'link');
  if (link) {
    const n = ctx.names.name(link);
    o.field('link', n, `dev ${n} `);
  }
  const pr = d.port_range as { low: number; high: number } | undefined;
  if (pr) {
    if (o.json) {
      o.openObject('port_range');
      o.jfield('low', pr.low);
      o.jfield('high', pr.high);
      o.closeObject();
    } else o.fp(`srcport ${pr.low} ${pr.high} `);
  }
  const port = dnum(d, 'port');
  if (port !== undefined) o.field('port', port, `dstport ${port} `);
  const learning = dnum(d, 'learning');
  if (learning !== undefined) {
    o.jfield('learning', learning !== 0);
    if (!learning) o.fp('nolearning ');
  }
  if (dnum(d, 'proxy')) o.field('proxy', true, 'proxy ');
  if (dnum(d, 'rsc')) o.field('rsc', true, 'rsc ');
  if (dnum(d, 'l2miss')) o.field('l2miss', true, 'l2miss ');
  if (dnum(d, 'l3miss')) o.field('l3miss', true, 'l3miss ');
  const tos = dnum(d, 'tos') ?? 0;
  if (tos) {
    if (o.json || tos !== 1) o.field('tos', `0x${tos.toString(16)}`, `tos 0x${tos.toString(16)} `);
    else o.fp('tos inherit ');
  }
  if (d.ttl_inherit) o.field('ttl', 'inherit', 'ttl inherit ');
  else {
    const ttl = dnum(d, 'ttl') ?? 0;
    if (o.json || ttl) o.field('ttl', ttl, `ttl ${ttl} `);
    else o.fp('ttl auto ');
  }
  if (d.df !== undefined) {
    const df = String(d.df);
    if (df === 'unset') o.jfield('df', 'unset');
    else o.field('df', df, `df ${df} `);
  }
  const label = dnum(d, 'label');
  if (label) o.field('label', `0x${label.toString(16)}`, `flowlabel 0x${label.toString(16)} `);
  const age = dnum(d, 'ageing');
  if (age !== undefined) o.field('ageing', age, age === 0 ? 'ageing none ' : `ageing ${age} `);
  const limit = dnum(d, 'limit');
  if (limit) o.field('limit', limit, `maxaddr ${limit} `);
  const csum = (key: string, word: string) => {
    const v = dnum(d, key);
    if (v === undefined) return;
    if (o.json) o.jfield(key, v !== 0);
    else o.fp(`${v ? '' : 'no'}${word} `);
  };
  csum('udp_csum', 'udpcsum');
  csum('udp_zero_csum6_tx', 'udp6zerocsumtx');
  csum('udp_zero_csum6_rx', 'udp6zerocsumrx');
  if (dnum(d, 'remcsum_tx')) o.field('remcsum_tx', true, 'remcsumtx ');
  if (dnum(d, 'remcsum_rx')) o.field('remcsum_rx', true, 'remcsumrx ');
  if (d.gbp) o.field('gbp', true, 'gbp ');
  if (d.gpe) o.field('gpe', true, 'gpe ');
}
