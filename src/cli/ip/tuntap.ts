// `nlkit ip tuntap { add | del | show }` (iptuntap.c): tun/tap devices are made by TUNSETIFF on
// /dev/net/tun (the kernel refuses RTM_NEWLINK kind "tun": "tun/tap creation via rtnetlink is not
// supported"), so add/del go through the addon's deviceIoctl in the namespace; show reads the
// links' IFLA_TUN_* attributes from a link dump where ip reads sysfs.
import { readFileSync } from 'node:fs';
import { dumpLinks, type Link } from '../../route/index.js';
import { Args, IP_EXIT, matches } from './argv.js';
import { command, objectRunner } from './dispatch.js';
import type { IpContext } from './index.js';
import { IFF_TUNTAP as IFF, IoctlError, ifreq, runIoctls, TUNSETGROUP, TUNSETIFF, TUNSETOWNER, TUNSETPERSIST } from './ioctl.js';
import { Color } from './output.js';
import { withSession } from './session.js';

const USAGE = `Usage: ip tuntap { add | del | show | list | lst | help } [ dev PHYS_DEV ]
       [ mode { tun | tap } ] [ user USER ] [ group GROUP ]
       [ one_queue ] [ pi ] [ vnet_hdr ] [ multi_queue ] [ name NAME ]

Where: USER  := { STRING | NUMBER }
       GROUP := { STRING | NUMBER }
`;

/** Runs `ip tuntap …`. */
export const run = objectRunner({
  object: 'tuntap',
  usage: USAGE,
  default: (ctx) => show(ctx),
  commands: [
    command(['add'], (ctx, args) => add(ctx, args, true)),
    command(['delete'], (ctx, args) => add(ctx, args, false)),
    command(['show', 'lst', 'list'], (ctx) => show(ctx)),
  ],
});

/** A user or group by number or by name in /etc/passwd or /etc/group (getpwnam/getgrnam). */
function lookupId(file: string, v: string): number | undefined {
  if (/^-?\d+$/.test(v)) return Number(v);
  try {
    for (const line of readFileSync(file, 'utf8').split('\n')) {
      const f = line.split(':');
      if (f[0] === v && f[2] !== undefined) return Number(f[2]);
    }
  } catch {
    // no such file: no names
  }
  return undefined;
}

function ifnameOk(name: string): boolean {
  return name !== '' && Buffer.byteLength(name) < 16 && !/[\s/:]/.test(name);
}

/** parse_args, then tap_add_ioctl / tap_del_ioctl. */
async function add(ctx: IpContext, args: Args, create: boolean): Promise<number> {
  let flags = IFF.NO_PI;
  let name = '';
  let uid = -1;
  let gid = -1;
  const usageExit = (msg: string) => args.error(msg, IP_EXIT.INVARG);
  for (let a = args.next(); a !== undefined; a = args.next()) {
    if (matches(a, 'mode')) {
      const v = args.value(a);
      if (matches(v, 'tun')) {
        if (flags & IFF.TAP) throw usageExit('You managed to ask for more than one tunnel mode.');
        flags |= IFF.TUN;
      } else if (matches(v, 'tap')) {
        if (flags & IFF.TUN) throw usageExit('You managed to ask for more than one tunnel mode.');
        flags |= IFF.TAP;
      } else throw usageExit(`Unknown tunnel mode "${v}"`);
    } else if (create && matches(a, 'user')) {
      const v = args.value(a);
      const id = lookupId('/etc/passwd', v);
      if (id === undefined) throw usageExit(`invalid user "${v}"`);
      uid = id;
    } else if (create && matches(a, 'group')) {
      const v = args.value(a);
      const id = lookupId('/etc/group', v);
      if (id === undefined) throw usageExit(`invalid group "${v}"`);
      gid = id;
    } else if (matches(a, 'pi')) flags &= ~IFF.NO_PI;
    else if (matches(a, 'one_queue')) flags |= IFF.ONE_QUEUE;
    else if (matches(a, 'vnet_hdr')) flags |= IFF.VNET_HDR;
    else if (matches(a, 'multi_queue')) flags |= IFF.MULTI_QUEUE;
    else if (matches(a, 'dev')) {
      const v = args.value(a);
      if (!ifnameOk(v)) throw args.invalid(v, '"dev" not a valid ifname');
      name = v;
    } else {
      let v = a;
      if (matches(a, 'name')) v = args.value(a);
      else if (matches(a, 'help')) {
        process.stderr.write(USAGE);
        return IP_EXIT.INVARG;
      }
      if (name) throw args.duplicate('name', v);
      if (!ifnameOk(v)) throw args.invalid(v, '"name" not a valid ifname');
      name = v;
    }
  }
  if (!(flags & (IFF.TUN | IFF.TAP))) {
    process.stderr.write('You failed to specify a tunnel mode\n');
    return IP_EXIT.FAILURE;
  }
  const req = ifreq(name, (v) => v.setUint16(0, create ? flags | IFF.TUN_EXCL : flags, true));
  const ops: [string, number, Uint8Array | number][] = [['TUNSETIFF', TUNSETIFF, req]];
  if (create) {
    if (uid !== -1) ops.push(['TUNSETOWNER', TUNSETOWNER, uid]);
    if (gid !== -1) ops.push(['TUNSETGROUP', TUNSETGROUP, gid]);
  }
  ops.push(['TUNSETPERSIST', TUNSETPERSIST, create ? 1 : 0]);
  try {
    runIoctls(ctx.opts.netns, 'tun', ops);
  } catch (e) {
    if (!(e instanceof IoctlError)) throw e;
    process.stderr.write(e.op === 'open' ? `open: ${e.message.slice('ioctl(open): '.length)}\n` : `${e.message}\n`);
    return IP_EXIT.FAILURE;
  }
  return 0;
}

/** The tun_flags ip reads from sysfs, rebuilt from IFLA_TUN_* (one_queue and napi are not there). */
function tunFlags(d: Record<string, unknown>): number {
  const type = d.type === 'tap' || d.type === 2 ? IFF.TAP : IFF.TUN;
  let f = type;
  if (!d.pi) f |= IFF.NO_PI;
  if (d.vnet_hdr) f |= IFF.VNET_HDR;
  if (d.multi_queue) f |= IFF.MULTI_QUEUE;
  if (d.persist) f |= IFF.PERSIST;
  return f;
}

/** print_flags' words, in ip's order. */
const FLAG_WORDS: [string, (f: number) => boolean][] = [
  ['tun', (f) => (f & IFF.TUN) !== 0],
  ['tap', (f) => (f & IFF.TAP) !== 0],
  ['pi', (f) => !(f & IFF.NO_PI)],
  ['one_queue', (f) => (f & IFF.ONE_QUEUE) !== 0],
  ['vnet_hdr', (f) => (f & IFF.VNET_HDR) !== 0],
  ['multi_queue', (f) => (f & IFF.MULTI_QUEUE) !== 0],
  ['persist', (f) => (f & IFF.PERSIST) !== 0],
  // IFF_NOFILTER is IFF_NO_PI's bit: ip says "filter" when it is clear.
  ['filter', (f) => !(f & IFF.NO_PI)],
];

/** do_show: every link of kind tun. */
async function show(ctx: IpContext): Promise<number> {
  return withSession(ctx, async (s) => {
    const links: Link[] = await dumpLinks({ stats: false }, s.opts).toArray();
    const o = ctx.out;
    o.begin();
    for (const l of links) {
      if (l.ifname === undefined || l.linkinfo?.kind !== 'tun') continue;
      const d = (l.linkinfo.data ?? {}) as Record<string, unknown>;
      const flags = tunFlags(d);
      o.openObject();
      o.field('ifname', l.ifname, o.color(Color.IFNAME, `${l.ifname}:`));
      o.openArray('flags');
      for (const [w, on] of FLAG_WORDS) if (on(flags)) o.item(w, ` ${w}`);
      o.closeArray();
      if (typeof d.owner === 'number') o.field('user', d.owner, ` user ${d.owner}`);
      if (typeof d.group === 'number') o.field('group', d.group, ` group ${d.group}`);
      if (ctx.opts.details) o.fp('\n\tAttached to processes:');
      o.closeObject();
      o.fp('\n');
    }
    await o.end();
    return 0;
  });
}
