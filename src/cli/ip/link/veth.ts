// veth (iplink_veth.c): `type veth [ peer [ name ] NAME [ OPTIONS ] ]`; ip prints no info_data for it.
import type { LinkSpec } from '../../../route/index.js';
import { matches } from '../argv.js';
import { applyFlags, HelpShown, registerKind } from './kinds.js';

registerKind(['veth'], {
  async parse({ args, s, p, parseLink }) {
    if (args.left === 0) return;
    const a = args.next()!;
    if (a !== 'peer') {
      if (matches(a, 'help')) {
        process.stdout.write('Usage: nlkit ip link <options> type veth [peer <options>]\n');
        throw new HelpShown();
      }
      throw args.error('Usage: ip link <options> type veth [peer <options>]');
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
