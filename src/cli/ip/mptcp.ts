// `nlkit ip mptcp { endpoint | limits }` (ipmptcp.c) over the mptcp_pm generic netlink family
// (nlkit/genl's mptcpPm): endpoints added, changed, deleted, shown and flushed; limits shown and set.
import { FamilyClient, mptcpPm } from '../../genl/index.js';
import { formatIp } from '../../schema/addresses.js';
import { Args, IP_EXIT, matches, parseAddress } from './argv.js';
import type { IpContext } from './index.js';
import { Output } from './output.js';
import { withSession, type Session } from './session.js';

const USAGE = `Usage:\tip mptcp endpoint add ADDRESS [ dev NAME ] [ id ID ]
\t\t\t\t      [ port NR ] [ FLAG-LIST ]
\tip mptcp endpoint delete id ID [ ADDRESS ]
\tip mptcp endpoint change [ id ID ] [ ADDRESS ] [ port NR ] CHANGE-OPT
\tip mptcp endpoint show [ id ID ]
\tip mptcp endpoint flush
\tip mptcp limits set [ subflows NR ] [ add_addr_accepted NR ]
\tip mptcp limits show
\tip mptcp monitor
FLAG-LIST := [ FLAG-LIST ] FLAG
FLAG  := [ signal | subflow | backup | fullmesh ]
CHANGE-OPT := [ backup | nobackup | fullmesh | nofullmesh ]
`;

/** MPTCP_PM_ADDR_FLAG_* by ip's names, in its print order. */
const FLAGS: [string, number][] = [['signal', 1], ['subflow', 2], ['backup', 4], ['fullmesh', 8]];
const AF_INET = 2;
const AF_INET6 = 10;

type Client = Awaited<ReturnType<typeof FamilyClient.open<typeof mptcpPm.ops>>>;

/** Runs `ip mptcp …` (its own dispatch: two levels of words, as ipmptcp.c). */
export async function run(ctx: IpContext, argv: string[]): Promise<number> {
  const args = new Args(argv, 'mptcp');
  const w = args.next();
  if (w === undefined || matches(w, 'help')) {
    process.stderr.write(USAGE);
    return IP_EXIT.INVARG;
  }
  const unknown = (x: string) => args.unknownCommand(x);
  if (matches(w, 'endpoint')) {
    const c = args.next();
    if (c === undefined) return withClient(ctx, (cl, s) => show(ctx, cl, s, args));
    if (matches(c, 'add')) return withClient(ctx, (cl, s) => modify(ctx, cl, s, args, 'add-addr'));
    if (matches(c, 'change')) return withClient(ctx, (cl, s) => modify(ctx, cl, s, args, 'set-flags'));
    if (matches(c, 'delete')) return withClient(ctx, (cl, s) => modify(ctx, cl, s, args, 'del-addr'));
    if (matches(c, 'show') || matches(c, 'list')) return withClient(ctx, (cl, s) => show(ctx, cl, s, args));
    if (matches(c, 'flush')) return withClient(ctx, async (cl) => (await cl.do('flush-addrs', {}), 0));
    throw unknown(c);
  }
  if (matches(w, 'limits')) {
    const c = args.next();
    if (c === undefined || matches(c, 'show')) return withClient(ctx, (cl) => limits(cl));
    if (matches(c, 'set')) return withClient(ctx, (cl) => setLimits(cl, args));
    throw unknown(c);
  }
  if (matches(w, 'monitor')) throw args.error('nlkit ip: "mptcp monitor" is not supported.');
  throw unknown(w);
}

async function withClient(ctx: IpContext, fn: (c: Client, s: Session) => Promise<number>): Promise<number> {
  return withSession(ctx, async (s) => {
    const c = await FamilyClient.open(mptcpPm, ctx.opts.netns !== undefined ? { netns: ctx.opts.netns } : {});
    try {
      return await fn(c, s);
    } finally {
      c.close();
    }
  });
}

/** mptcp_parse_opt: an endpoint's address, id, device, port and flags. */
async function parseEndpoint(args: Args, s: Session, cmd: 'add-addr' | 'set-flags' | 'del-addr'): Promise<Record<string, unknown>> {
  const adding = cmd === 'add-addr';
  let flags = 0;
  let id: number | undefined;
  let ifIdx = 0;
  let port = 0;
  let addr: { family: 4 | 6; addr: string } | undefined;
  for (let a = args.next(); a !== undefined; a = args.next()) {
    const flag = FLAGS.find(([n]) => n === a);
    const clear = a === 'nobackup' ? 4 : a === 'nofullmesh' ? 8 : 0;
    if (flag || clear) {
      if (flag) flags |= flag[1];
      if (adding && flags & 1 && flags & 8) throw args.invalid(a, "flags mustn't have both signal and fullmesh");
      if (cmd === 'set-flags' && flags & ~(4 | 8)) throw args.invalid(a, 'invalid flags, backup and fullmesh only');
    } else if (matches(a, 'id')) {
      const v = args.value(a);
      id = args.u32(a, v, 255, 'invalid ID\n');
    } else if (matches(a, 'dev')) {
      const v = args.value(a);
      if (v === '' || Buffer.byteLength(v) >= 16 || /[\s/:]/.test(v)) throw args.invalid(v, 'invalid interface name\n');
      const names = await s.linkNames();
      ifIdx = names.index(v);
      if (!ifIdx) throw args.invalid(v, 'device does not exist\n');
    } else if (matches(a, 'port')) {
      const v = args.value(a);
      port = args.u32(a, v, 0xffff, 'expected port');
    } else {
      try {
        addr = parseAddress(args, a);
      } catch {
        throw args.invalid(a, 'unknown argument');
      }
    }
  }
  if (!addr && adding) throw args.error('Error: argument "ADDRESS" is required', IP_EXIT.INVARG);
  if (cmd === 'del-addr') {
    if (id === undefined) throw args.error('Error: argument "ID" is required', IP_EXIT.INVARG);
    if (id && addr) throw args.invalid('ADDRESS', 'invalid for non-zero id address\n');
    if (!id && !addr) throw args.invalid('ID', 'address is needed for deleting id 0 address\n');
  }
  if (adding && port && !(flags & 1)) throw args.invalid('port', 'flags must have signal when using port');
  const a: Record<string, unknown> = {};
  if (id !== undefined) a.id = id;
  if (flags) a.flags = flags;
  if (ifIdx) a.ifIdx = ifIdx;
  if (port) a.port = port;
  if (addr) {
    a.family = addr.family === 4 ? AF_INET : AF_INET6;
    if (addr.family === 4) a.addr4 = addr.addr.split('.').reduce((n, x) => n * 256 + Number(x), 0);
    else a.addr6 = Buffer.from(addr.addr.split(':').length ? ipv6Bytes(addr.addr) : []);
  }
  return a;
}

function ipv6Bytes(s: string): Uint8Array {
  const [head, tail] = s.includes('::') ? s.split('::') as [string, string] : [s, undefined];
  const h = head ? head.split(':') : [];
  const t = tail !== undefined && tail !== '' ? tail.split(':') : [];
  const words = [...h, ...Array(8 - h.length - t.length).fill('0'), ...t];
  const b = new Uint8Array(16);
  words.forEach((w, i) => {
    const n = parseInt(w || '0', 16);
    b[2 * i] = n >> 8;
    b[2 * i + 1] = n & 0xff;
  });
  return b;
}

async function modify(_ctx: IpContext, c: Client, s: Session, args: Args, cmd: 'add-addr' | 'set-flags' | 'del-addr'): Promise<number> {
  const addr = await parseEndpoint(args, s, cmd);
  if (cmd === 'set-flags') await c.do('set-flags', { addr } as never);
  else await c.do(cmd, { addr } as never);
  return 0;
}

/** print_mptcp_addr. */
function printAddr(o: Output, names: { name(i: number): string }, a: Record<string, unknown>): void {
  o.openObject();
  if (typeof a.addr4 === 'number') {
    const v = a.addr4 >>> 0;
    const t = formatIp(new Uint8Array([v >>> 24, (v >>> 16) & 255, (v >>> 8) & 255, v & 255]), 0, 4);
    o.field('address', t, `${t} `);
  }
  if (a.addr6 instanceof Uint8Array) {
    const t = formatIp(a.addr6, 0, 16);
    o.field('address', t, `${t} `);
  }
  if (typeof a.port === 'number' && a.port) o.field('port', a.port, `port ${a.port} `);
  if (typeof a.id === 'number') o.field('id', a.id, `id ${a.id} `);
  if (typeof a.flags === 'number') {
    let f = a.flags;
    for (const [n, m] of FLAGS) {
      if (f & m) {
        o.fp(`${n} `);
        o.jfield(n, true);
        f &= ~m;
      }
    }
    if (f) {
      o.fp(`0x${f.toString(16)}`);
      o.jfield('rawflags', f);
    }
  }
  if (typeof a.ifIdx === 'number' && a.ifIdx) {
    const d = names.name(a.ifIdx);
    o.field('dev', d, `dev ${d} `);
  }
  o.closeObject();
  o.fp('\n');
}

/** mptcp_addr_show: one endpoint by id, or all. */
async function show(ctx: IpContext, c: Client, s: Session, args: Args): Promise<number> {
  let id: number | undefined;
  for (let a = args.next(); a !== undefined; a = args.next()) {
    if (matches(a, 'id')) id = args.u32(a, args.value(a), 255, 'invalid ID\n');
    else throw args.invalid(a, 'unknown argument');
  }
  const names = await s.linkNames();
  const o = ctx.out;
  o.begin();
  if (id !== undefined) {
    const r = await c.do('get-addr', { addr: { id } } as never);
    const addr = (r as { addr?: Record<string, unknown> } | undefined)?.addr;
    if (addr) printAddr(o, names, addr);
  } else {
    for (const r of await c.dump('get-addr', {}).toArray()) {
      const addr = (r as { addr?: Record<string, unknown> }).addr;
      if (addr) printAddr(o, names, addr);
    }
  }
  await o.end();
  return 0;
}

/** mptcp_limit_get_set(GET): ip prints it outside its JSON writer, text even under -j. */
async function limits(c: Client): Promise<number> {
  const r = (await c.do('get-limits', {})) as { rcvAddAddrs?: number; subflows?: number } | undefined;
  let t = '';
  if (r?.rcvAddAddrs !== undefined) t += `add_addr_accepted ${r.rcvAddAddrs} `;
  if (r?.subflows !== undefined) t += `subflows ${r.subflows} `;
  process.stdout.write(`${t}\n`);
  return 0;
}

async function setLimits(c: Client, args: Args): Promise<number> {
  const v: Record<string, number> = {};
  for (let a = args.next(); a !== undefined; a = args.next()) {
    if (matches(a, 'subflows')) v.subflows = args.u32(a, args.value(a), 0xffffffff, 'invalid subflows\n');
    else if (matches(a, 'add_addr_accepted')) v.rcvAddAddrs = args.u32(a, args.value(a), 0xffffffff, 'invalid add_addr_accepted\n');
    else throw args.invalid(a, 'unknown limit');
  }
  await c.do('set-limits', v as never);
  return 0;
}
