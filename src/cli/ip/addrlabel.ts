// `nlkit ip addrlabel { list | add | del | flush }`: the IPv6 address label table as
// `ip addrlabel` prints it (`prefix ADDR/LEN [dev DEV] label N`), JSON like `ip -j addrlabel`.
import { addAddrLabel, deleteAddrLabel, dumpAddrLabels, flushAddrLabels, type AddrLabel } from '../../route/index.js';
import { UsageError } from '../errors.js';
import { Args, IP_EXIT, matches, parsePrefix, usage } from './argv.js';
import type { PrintContext } from './common.js';
import { reportIpError, type IpContext } from './index.js';
import type { Output } from './output.js';
import { withSession } from './session.js';

const USAGE = 'Usage: nlkit ip addrlabel { add | del } prefix PREFIX [ dev DEV ] [ label LABEL ]\n       nlkit ip addrlabel [ list | flush | help ]\n';

/** print_addrlabel. */
export function printAddrLabel(o: Output, ctx: PrintContext, l: AddrLabel, deleted = false): void {
  o.openObject();
  if (deleted) o.field('deleted', true, 'Deleted ');
  if (l.address !== undefined) {
    o.fp('prefix ');
    o.field('address', l.address, l.address);
    o.field('prefixlen', l.prefixlen, `/${l.prefixlen} `);
  }
  if (l.ifindex) {
    const dev = ctx.names.name(l.ifindex);
    o.fp('dev ');
    o.field('ifname', dev, `${dev} `);
  }
  if (l.label !== undefined) o.field('label', l.label, `label ${l.label} `);
  o.fp('\n');
  o.closeObject();
}

async function list(ctx: IpContext, args: Args): Promise<number> {
  if (args.left) throw new UsageError('"ip addrlabel show" does not take any arguments.', undefined, IP_EXIT.FAILURE);
  return withSession(ctx, async (s) => {
    const pctx = await s.printContext();
    const o = ctx.out;
    o.begin();
    const family = ctx.opts.family === 4 ? 'inet' : 'inet6';
    try {
      for await (const l of dumpAddrLabels({ family }, s.opts)) printAddrLabel(o, pctx, l);
    } catch (e) {
      // ipaddrlabel_list: the kernel's error, "Dump terminated", and return 1 (exit 255).
      await o.flush();
      reportIpError(e);
      process.stderr.write('Dump terminated\n');
      return IP_EXIT.INVARG;
    }
    await o.end();
    return 0;
  });
}

async function modify(ctx: IpContext, args: Args, del: boolean): Promise<number> {
  let prefix: string | undefined, dev: string | undefined, label: number | undefined;
  while (args.left) {
    const a = args.next()!;
    if (a === 'prefix') {
      const p = parsePrefix(args, args.value(a), ctx.opts.family === 4 ? 4 : ctx.opts.family === 6 ? 6 : undefined);
      prefix = `${p.addr}/${p.len}`;
    } else if (a === 'dev') dev = args.value(a);
    else if (a === 'label') {
      const v = args.value(a);
      const n = args.u32(a, v, 0xffffffff, 'label is invalid\n');
      if (n === 0xffffffff) throw args.invalid(v, 'label is invalid\n');
      label = n;
    }
  }
  if (prefix === undefined) throw new UsageError('Not enough information: "prefix" argument is required.', undefined, IP_EXIT.FAILURE);
  if (label === undefined) throw new UsageError('Not enough information: "label" argument is required.', undefined, IP_EXIT.FAILURE);
  return withSession(ctx, async (s) => {
    let ifindex: number | undefined;
    if (dev !== undefined) {
      ifindex = (await s.linkNames()).index(dev);
      if (!ifindex) throw args.invalid(dev, 'dev is invalid\n');
    }
    const spec = { prefix, label: label!, ...(ifindex ? { dev: ifindex } : {}) };
    await (del ? deleteAddrLabel(spec, s.opts) : addAddrLabel(spec, s.opts));
    return 0;
  });
}

/** `nlkit ip addrlabel …`. */
export async function run(ctx: IpContext, argv: string[]): Promise<number> {
  const args = new Args(argv, 'addrlabel');
  const cmd = args.next();
  if (cmd === undefined) return list(ctx, new Args([], 'addrlabel'));
  if (matches(cmd, 'list') || matches(cmd, 'show')) return list(ctx, args);
  if (matches(cmd, 'add')) return modify(ctx, args, false);
  if (matches(cmd, 'delete')) return modify(ctx, args, true);
  if (matches(cmd, 'flush')) {
    if (args.left) throw new UsageError('"ip addrlabel flush" does not allow extra arguments', undefined, IP_EXIT.FAILURE);
    return withSession(ctx, async (s) => {
      await flushAddrLabels(s.opts);
      return 0;
    });
  }
  if (matches(cmd, 'help')) return usage(USAGE);
  throw new UsageError(`Command "${cmd}" is unknown, try "ip addrlabel help".`, undefined, IP_EXIT.INVARG);
}
