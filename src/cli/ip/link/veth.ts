// veth (iplink_veth.c): `type veth [ peer [ name ] NAME [ OPTIONS ] ]`; ip prints no info_data for it.
import type { LinkSpec } from '../../../route/index.js';
import { applyFlags, HelpShown, registerKind } from './kinds.js';

registerKind(['veth'], {
  async parse({ args, s, p, parseLink }) {
    if (args.left === 0) return;
    const a = args.next()!;
    if (a !== 'peer') {
      // iplink_veth.c's usage(), on stdout, for `help` and anything but `peer` alike (exit 1).
      process.stdout.write("Usage: ip link <options> type veth [peer <options>]\nTo get <options> type 'ip link add help'\n");
      throw new HelpShown(1);
    }
    const peer = await parseLink(args, s, 'peer');
    const ps: LinkSpec & Record<string, unknown> = { ...peer.spec };
    const pname = peer.name ?? peer.dev;
    if (pname !== undefined) ps.ifname = pname;
    applyFlags(ps, peer);
    p.spec.peer = ps;
  },
  // ip 6.1's veth has no print_opt: no info_data object.
});
