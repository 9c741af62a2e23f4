// `nlkit ip maddr` (ipmaddr.c): multicast addresses per device. ip reads them from
// /proc/net/{dev_mcast,igmp,igmp6} (no rtnetlink dump covers the link-layer list), so nlkit
// does too — in the namespace of -n through nsenter, as `ip -n` reads its own /proc/net there —
// and adds/deletes link-layer addresses with SIOCADDMULTI/SIOCDELMULTI through the addon.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { netnsPath } from '../../socket/index.js';
import { UsageError } from '../errors.js';
import { Args, IP_EXIT, matches, parseLladdr } from './argv.js';
import { command, objectRunner } from './dispatch.js';
import type { IpContext } from './index.js';
import { IoctlError, ifreq, runIoctls, SIOCADDMULTI, SIOCDELMULTI } from './ioctl.js';
import { Color, Output } from './output.js';
import { formatIp } from '../../schema/addresses.js';

const USAGE = `Usage: ip maddr [ add | del ] MULTIADDR dev STRING
       ip maddr show [ dev STRING ]
`;

/** Runs `ip maddr …`. */
export const run = objectRunner({
  object: 'maddr',
  usage: USAGE,
  default: (ctx, args) => list(ctx, args),
  commands: [
    command(['add'], (ctx, args) => modify(ctx, args, true)),
    command(['delete'], (ctx, args) => modify(ctx, args, false)),
    command(['list', 'show', 'lst'], (ctx, args) => list(ctx, args)),
  ],
});

/** One multicast address of a device (ip's struct ma_info). */
interface MaInfo {
  index: number;
  name: string;
  users: number;
  features?: string;
  family: 'link' | 'inet' | 'inet6';
  addr: string;
}

const SEP = '\n@@nlkit-maddr@@\n';

/** The three /proc/net files, read here or in the namespace of -n (missing files are empty). */
function readProcNet(netns: string | undefined): [string, string, string] {
  const files = ['dev_mcast', 'igmp', 'igmp6'];
  if (netns === undefined) {
    return files.map((f) => {
      try {
        return readFileSync(`/proc/net/${f}`, 'latin1');
      } catch {
        return '';
      }
    }) as [string, string, string];
  }
  const script = files.map((f) => `cat /proc/self/net/${f} 2>/dev/null`).join(`; printf '${SEP.replace(/\n/g, '\\n')}'; `);
  const r = spawnSync('nsenter', [`--net=${netnsPath(netns)}`, '--', 'sh', '-c', script], { encoding: 'latin1' });
  if (r.error || r.status !== 0) {
    throw new UsageError(`nlkit ip maddr: cannot read /proc/net in namespace "${netns}" (util-linux nsenter): ${r.error?.message ?? r.stderr.trim()}`);
  }
  const parts = (r.stdout ?? '').split(SEP);
  return [parts[0] ?? '', parts[1] ?? '', parts[2] ?? ''];
}

/** maddr_ins: sorted by index, in arrival order within one. */
function insert(list: MaInfo[], m: MaInfo): void {
  let i = 0;
  while (i < list.length && list[i]!.index <= m.index) i++;
  list.splice(i, 0, m);
}

function hexBytes(h: string): Uint8Array {
  const b = new Uint8Array(h.length >> 1);
  for (let i = 0; i < b.length; i++) b[i] = parseInt(h.slice(2 * i, 2 * i + 2), 16);
  return b;
}

/** multiaddr_list. */
async function list(ctx: IpContext, args: Args): Promise<number> {
  let dev: string | undefined;
  for (let a = args.next(); a !== undefined; a = args.next()) {
    let v = a;
    if (a === 'dev') v = args.value('dev');
    else if (matches(a, 'help')) {
      process.stderr.write(USAGE);
      return IP_EXIT.INVARG;
    }
    if (dev !== undefined) throw args.duplicate('dev', v);
    dev = v;
  }
  const fam = ctx.opts.family;
  const [devMcast, igmp, igmp6] = readProcNet(ctx.opts.netns);
  const all: MaInfo[] = [];
  if (!fam || fam === 17) {
    for (const line of devMcast.split('\n')) {
      const f = line.trim().split(/\s+/);
      if (f.length < 5) continue;
      if (dev !== undefined && f[1] !== dev) continue;
      const m: MaInfo = { index: Number(f[0]), name: f[1]!, users: Number(f[2]), family: 'link', addr: [...hexBytes(f[4]!)].map((x) => x.toString(16).padStart(2, '0')).join(':') };
      if (Number(f[3])) m.features = 'static';
      insert(all, m);
    }
  }
  if (!fam || fam === 4) {
    let index = 0;
    let name = '';
    for (const line of igmp.split('\n').slice(1)) {
      if (line === '') continue;
      if (line[0] !== '\t') {
        const f = line.trim().split(/\s+/);
        index = Number(f[0]);
        name = (f[1] ?? '').replace(/:$/, '');
        continue;
      }
      if (dev !== undefined && name !== dev) continue;
      const f = line.trim().split(/\s+/);
      const v = parseInt(f[0]!, 16) >>> 0;
      const b = new Uint8Array([v & 0xff, (v >>> 8) & 0xff, (v >>> 16) & 0xff, v >>> 24]);
      insert(all, { index, name, users: Number(f[1]), family: 'inet', addr: formatIp(b, 0, 4) });
    }
  }
  if (!fam || fam === 6) {
    for (const line of igmp6.split('\n')) {
      const f = line.trim().split(/\s+/);
      if (f.length < 4) continue;
      if (dev !== undefined && f[1] !== dev) continue;
      insert(all, { index: Number(f[0]), name: f[1]!, users: Number(f[3]), family: 'inet6', addr: formatIp(hexBytes(f[2]!), 0, 16) });
    }
  }
  printList(ctx.out, all, ctx.opts.oneline);
  await ctx.out.end();
  return 0;
}

/** print_mlist / print_maddr. */
function printList(o: Output, list: MaInfo[], oneline: boolean): void {
  o.begin();
  let cur = 0;
  for (const m of list) {
    if (m.index !== cur || oneline) {
      if (cur) {
        o.closeArray();
        o.closeObject();
      }
      o.openObject();
      o.field('ifindex', m.index, `${m.index}:`);
      o.field('ifname', m.name, o.color(Color.IFNAME, `\t${m.name}`));
      o.fp(o.sl);
      o.openArray('maddr');
      cur = m.index;
    }
    o.fp('\t');
    o.openObject();
    if (m.family === 'link') {
      o.fp('link  ');
      o.field('link', m.addr, o.color(Color.MAC, m.addr));
    } else {
      o.field('family', m.family, `${m.family.padEnd(5, ' ')} `);
      o.field('address', m.addr, o.addrColor(m.family, m.addr));
    }
    if (m.users !== 1) o.field('users', m.users, ` users ${m.users}`);
    if (m.features) o.field('features', m.features, ` ${m.features}`);
    o.fp('\n');
    o.closeObject();
  }
  if (cur) {
    o.closeArray();
    o.closeObject();
  }
}

/** multiaddr_modify: SIOCADDMULTI / SIOCDELMULTI with the address in ifr_hwaddr. */
async function modify(ctx: IpContext, args: Args, add: boolean): Promise<number> {
  let dev = '';
  let addr: Uint8Array | undefined;
  for (let a = args.next(); a !== undefined; a = args.next()) {
    if (a === 'dev') {
      const v = args.value('dev');
      if (dev) throw args.duplicate('dev', v);
      if (v === '' || Buffer.byteLength(v) >= 16 || /[\s/:]/.test(v)) throw args.invalid(v, '"dev" not a valid ifname');
      dev = v;
      continue;
    }
    let v = a;
    if (matches(a, 'address')) v = args.value(a);
    if (matches(v, 'help')) {
      process.stderr.write(USAGE);
      return IP_EXIT.INVARG;
    }
    if (addr && addr[0]) throw args.duplicate('address', v);
    let bytes: Uint8Array | undefined;
    if (v.includes('.')) {
      const p = v.split('.');
      if (p.length === 4 && p.every((x) => /^\d{1,3}$/.test(x) && Number(x) < 256)) bytes = new Uint8Array(p.map(Number));
    } else {
      const mac = parseLladdr(v);
      if (mac) bytes = new Uint8Array(mac.split(':').map((x) => parseInt(x, 16)));
    }
    if (!bytes) {
      process.stderr.write(`"${v}" is invalid lladdr.\n`);
      return IP_EXIT.FAILURE;
    }
    if (bytes.length !== 6) {
      process.stderr.write(`Error: Invalid address length ${bytes.length} - must be 6 bytes\n`);
      return IP_EXIT.FAILURE;
    }
    addr = bytes;
  }
  if (!dev) throw args.error('Not enough information: "dev" is required.', IP_EXIT.INVARG);
  // struct sockaddr ifr_hwaddr: sa_family (left 0, as ip leaves it), then sa_data.
  const req = ifreq(dev, (v) => {
    if (addr) for (let i = 0; i < addr.length; i++) v.setUint8(2 + i, addr[i]!);
  });
  try {
    runIoctls(ctx.opts.netns, 'inet', [['', add ? SIOCADDMULTI : SIOCDELMULTI, req]]);
  } catch (e) {
    if (!(e instanceof IoctlError)) throw e;
    process.stderr.write(e.op === 'open' ? `Cannot create socket: ${e.message.replace(/^ioctl\(open\): /, '')}\n` : `ioctl: ${e.message.replace(/^ioctl\(\): /, '')}\n`);
    return IP_EXIT.FAILURE;
  }
  return 0;
}
