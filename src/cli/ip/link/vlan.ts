// vlan (iplink_vlan.c): `id VLANID [ protocol { 802.1q | 802.1ad } ]` and -d details.
import { matches } from '../argv.js';
import type { Output } from '../output.js';
import { argNum as num, HelpShown, num as dnum, registerKind, type Data } from './kinds.js';

/** ip's explain() text for vlan, printed after an unknown option (as ip prints it). */
const EXPLAIN = "Usage: ... vlan id VLANID\n\t\t[ protocol VLANPROTO ]\n\t\t[ reorder_hdr { on | off } ]\n\t\t[ gvrp { on | off } ]\n\t\t[ mvrp { on | off } ]\n\t\t[ loose_binding { on | off } ]\n\t\t[ bridge_binding { on | off } ]\n\t\t[ ingress-qos-map QOS-MAP ]\n\t\t[ egress-qos-map QOS-MAP ]\n\nVLANID := 0-4095\nVLANPROTO: [ 802.1Q | 802.1ad ]\nQOS-MAP := [ QOS-MAP ] QOS-MAPPING\nQOS-MAPPING := FROM:TO\n";

registerKind(['vlan'], {
  parse({ args, data, usage }) {
    const USAGE = usage;
    while (args.left) {
      const a = args.next()!;
      if (a === 'id') data.id = num(args, a, 0xffff); // get_u16: the kernel judges the range
      else if (a === 'protocol') {
        const v = args.value(a).toLowerCase();
        if (v === '802.1q') data.protocol = '802.1Q';
        else if (v === '802.1ad') data.protocol = '802.1ad';
        else throw args.invalid(v, 'protocol is invalid');
      } else if (matches(a, 'help')) {
        process.stderr.write(USAGE);
        throw new HelpShown();
      } else throw args.error(`vlan: unknown command "${a}"?\n${EXPLAIN.trimEnd()}`);
    }
  },
  print: (o, _c, d) => printVlan(o, d),
});

function printVlan(o: Output, d: Data): void {
  const id = dnum(d, 'id');
  if (id === undefined) return;
  // Without IFLA_VLAN_PROTOCOL ip names the default in lower case.
  const protocol = d.protocol !== undefined ? String(d.protocol) : '802.1q';
  o.field('protocol', protocol, `protocol ${protocol} `);
  o.field('id', id, `id ${id} `);
}
