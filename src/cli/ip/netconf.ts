// `nlkit ip netconf [ show [ dev DEV ] ]`: per-device IPv4/IPv6 settings (ipnetconf.c), over
// nlkit/route's dumpNetconf/getNetconf.
import { dumpNetconf, getNetconf, type Netconf } from '../../route/index.js';
import { command, objectRunner } from './dispatch.js';
import type { Args } from './argv.js';
import type { IpContext } from './index.js';
import { Output } from './output.js';
import { printNetconf } from './print-netconf.js';
import { withSession } from './session.js';

const USAGE = 'Usage: ip netconf show [ dev STRING ]\n';

/** Runs `ip netconf …`. */
export const run = objectRunner({
  object: 'netconf',
  usage: USAGE,
  default: (ctx, args) => show(ctx, args),
  commands: [command(['show', 'lst', 'list'], (ctx, args) => show(ctx, args))],
});

/** do_show: words other than `dev NAME` are skipped, as ip skips them. */
async function show(ctx: IpContext, args: Args): Promise<number> {
  let dev: string | undefined;
  for (let a = args.next(); a !== undefined; a = args.next()) {
    if (a === 'dev') dev = args.value('dev');
  }
  return withSession(ctx, async (s) => {
    let ifindex = 0;
    if (dev !== undefined) {
      const i = await s.showDevIndex(dev);
      if (i === null) return 1;
      ifindex = i;
    }
    const fam = ctx.opts.family === 4 ? 'inet' : ctx.opts.family === 6 ? 'inet6' : undefined;
    const pctx = await s.printContext();
    const out = ctx.out;
    if (ifindex && fam) {
      // ip answers this one with rtnl_listen's printer outside its JSON writer: text even under -j.
      const text = new Output({ color: ctx.opts.color === true });
      printNetconf(text, pctx, await getNetconf({ family: fam, dev: ifindex }, s.opts), false);
      await text.flush();
      return 0;
    }
    const list: Netconf[] = await dumpNetconf(fam ? { family: fam } : {}, s.opts).toArray();
    out.begin();
    for (const c of list) {
      if (ifindex && c.ifindex !== ifindex) continue;
      printNetconf(out, pctx, c, false);
    }
    await out.end();
    return 0;
  });
}
