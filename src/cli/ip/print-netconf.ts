// A netconf entry as ip prints it (ipnetconf.c's print_netconf): `ip netconf` and `ip monitor netconf`.
import type { Netconf } from '../../route/index.js';
import { printHeader, type PrintContext } from './common.js';
import { Color, type Output } from './output.js';

const ON_OFF = (v: number) => (v ? 'on' : 'off');

/** print_netconf. */
export function printNetconf(o: Output, ctx: PrintContext, c: Netconf, deleted: boolean): void {
  o.openObject();
  printHeader(o, ctx, '[NETCONF]');
  if (deleted) o.field('deleted', true, 'Deleted ');
  const fam = typeof c.family === 'string' ? c.family : String(c.family ?? '');
  o.field('family', fam, `${fam} `);
  if (c.ifindex !== undefined) {
    const dev = c.ifindex === 'all' ? 'all' : c.ifindex === 'default' ? 'default' : ctx.names.name(Number(c.ifindex));
    o.field('interface', dev, o.color(Color.IFNAME, `${dev} `));
  }
  const onOff = (key: string, v: number | undefined) => {
    if (v !== undefined) o.field(key, v !== 0, `${key} ${ON_OFF(v)} `);
  };
  onOff('forwarding', c.forwarding);
  if (c.rp_filter !== undefined) {
    const m = c.rp_filter === 0 ? 'off' : c.rp_filter === 1 ? 'strict' : c.rp_filter === 2 ? 'loose' : 'unknown mode';
    o.field('rp_filter', m, `rp_filter ${m} `);
  }
  onOff('mc_forwarding', c.mc_forwarding);
  onOff('proxy_neigh', c.proxy_neigh);
  onOff('ignore_routes_with_linkdown', c.ignore_routes_with_linkdown);
  onOff('input', c.input);
  o.fp('\n');
  o.closeObject();
}

