// One `nlkit ip` run's connection to the kernel: a NETLINK_ROUTE socket in the chosen
// namespace, the link-name cache printers use, and name -> index lookups that fail like ip's.
import { existsSync } from 'node:fs';
import { dumpLinks, openRoute } from '../../route/index.js';
import type { Link } from '../../route/index.js';
import type { NetlinkSocket } from '../../socket/index.js';
import { NoDeviceError } from './argv.js';
import { LinkNames, type PrintContext } from './common.js';
import type { IpContext } from './index.js';
import { linkFlagsNum, linkTypeNum } from './print-link.js';

/** Raised when -n names a namespace that does not exist: exit 1 with ip's wording. */
export class NetnsMissingError extends Error {
  constructor(readonly ns: string) {
    super(`Cannot open network namespace "${ns}": No such file or directory`);
    this.name = 'NetnsMissingError';
  }
}

/** The socket and caches of one command. */
export class Session {
  readonly sock: NetlinkSocket;
  private names: LinkNames | undefined;
  private links: Link[] | undefined;

  constructor(readonly ctx: IpContext) {
    const ns = ctx.opts.netns;
    if (ns !== undefined && !existsSync(`/run/netns/${ns}`)) throw new NetnsMissingError(ns);
    // A command is mostly dumps: the kernel builds the next chunks while one is printed.
    this.sock = openRoute({ readAhead: true, ...(ns !== undefined ? { netns: ns } : {}) });
  }

  /** `{ socket }` for route/ calls. */
  get opts(): { socket: NetlinkSocket } {
    return { socket: this.sock };
  }

  /** The print context of this run (names loaded on first use). */
  async printContext(): Promise<PrintContext> {
    const o = this.ctx.opts;
    return { names: await this.linkNames(), details: o.details, stats: o.stats, ...(o.human ? { human: o.human, iec: o.iec === true } : {}) };
  }

  /** For text output: names of the peer namespaces the links point into (link-netns NAME). */
  async peerNamespaces(ctx: PrintContext, links: Iterable<Link>): Promise<void> {
    if (this.ctx.opts.json) return;
    for (const l of links) {
      if (l.link_netnsid !== undefined && l.link_netnsid >= 0) {
        const { nsidNames } = await import('./netns.js');
        ctx.nsNames = await nsidNames(this.sock);
        return;
      }
    }
  }

  /** All links (without statistics), dumped once. */
  async allLinks(): Promise<Link[]> {
    if (!this.links) this.links = await dumpLinks({ stats: false }, this.opts).toArray();
    return this.links;
  }

  /** The index -> name cache (ip's ll_map), from one link dump. */
  async linkNames(): Promise<LinkNames> {
    if (this.names) return this.names;
    const names = new LinkNames();
    for (const l of await this.allLinks()) rememberLink(names, l);
    this.names = names;
    return names;
  }

  /** The index of a device name; NoDeviceError (`Cannot find device "X"`, exit 1) when absent. */
  async ifindex(dev: string): Promise<number> {
    const names = await this.linkNames();
    const i = names.index(dev);
    if (i) return i;
    if (/^\d+$/.test(dev) && names.get(Number(dev))) return Number(dev);
    // Alternative names are known to the kernel only.
    const l = (await this.allLinks()).find((x) => x.prop_list?.alt_ifname?.includes(dev));
    if (l?.ifindex) return l.ifindex;
    throw new NoDeviceError(dev);
  }

  /** For `show dev X`: the index, or null once ip's `Device "X" does not exist.` is printed. */
  async showDevIndex(dev: string): Promise<number | null> {
    try {
      return await this.ifindex(dev);
    } catch (e) {
      if (!(e instanceof NoDeviceError)) throw e;
      process.stderr.write(`Device "${dev}" does not exist.\n`);
      return null;
    }
  }

  close(): void {
    this.sock.close();
  }
}

/** Puts a decoded link into a name cache. */
export function rememberLink(names: LinkNames, l: Link): void {
  if (l.ifindex === undefined) return;
  names.set(l.ifindex, { name: l.ifname ?? `if${l.ifindex}`, type: linkTypeNum(l), flags: linkFlagsNum(l) });
}

/** Runs `fn` with a session and closes it after. */
export async function withSession<T>(ctx: IpContext, fn: (s: Session) => Promise<T>): Promise<T> {
  const s = new Session(ctx);
  try {
    return await fn(s);
  } finally {
    s.close();
  }
}
