// RTM_NEWADDR, RTM_DELADDR and RTM_GETADDR of the model, IPv4 and IPv6: the kernel's checks
// and extended-ACK texts, and the routes an address brings (local table, prefix route).
import { addressCodec } from '../../route/codecs.js';
import { RTM, RTNLGRP } from '../../route/constants.js';
import { formatIp, parseIp } from '../../schema/addresses.js';
import { NLM_F_CREATE, NLM_F_EXCL, NLM_F_REPLACE } from '../../wire/index.js';
import type { ClassicServer } from '../classic.js';
import type { DumpCallback } from '../dump.js';
import { EADDRNOTAVAIL, EEXIST, EINVAL, ENODEV, ENOENT } from '../errno.js';
import { buildMessage } from '../message.js';
import type { Request } from '../request.js';
import type { RouteModel } from './routes.js';
import type { ModelAddress, ModelLink, NetState } from './state.js';

const FOREVER = 0xffffffff;

/** The prefix of `addr` (text) of length `len`, as text. */
export function prefixOf(addr: string, len: number): string {
  const b = parseIp(addr);
  for (let i = 0; i < b.length; i++) {
    const keep = Math.max(0, Math.min(8, len - i * 8));
    b[i]! &= (0xff << (8 - keep)) & 0xff;
  }
  return formatIp(b, 0, b.length);
}

/** The IPv4 network broadcast of `addr`/`len`. */
function broadcastOf(addr: string, len: number): string {
  const b = parseIp(addr);
  for (let i = 0; i < 4; i++) {
    const keep = Math.max(0, Math.min(8, len - i * 8));
    b[i]! |= ~(0xff << (8 - keep)) & 0xff;
  }
  return formatIp(b, 0, 4);
}

/** The address handlers of one namespace. */
export class AddressModel {
  constructor(private readonly state: NetState, private readonly server: ClassicServer, private readonly routes: RouteModel) {}

  /** Registers RTM_NEWADDR, RTM_DELADDR and RTM_GETADDR. */
  register(): void {
    this.server.on(RTM.NEWADDR, { hdrsize: 8, admin: true, doit: (r) => this.newAddr(r) });
    this.server.on(RTM.DELADDR, { hdrsize: 8, admin: true, doit: (r) => this.delAddr(r) });
    this.server.on<number>(RTM.GETADDR, { hdrsize: 8, dump: { init: () => 0, dump: (cb) => this.dump(cb) } });
  }

  private notify(type: number, a: ModelAddress, req?: Request): void {
    const group = a.family === 'inet' ? RTNLGRP.IPV4_IFADDR : RTNLGRP.IPV6_IFADDR;
    const data = buildMessage(type, 0, req?.seq ?? 0, req?.portid ?? 0, (w) => addressCodec.encodeBody(w, a as never));
    this.server.notify(data, group, req?.portid ?? 0, req?.echo ?? false);
  }

  /** The routes an address brings while its link is up (fib_add_ifaddr(), addrconf_prefix_route()). */
  private addRoutes(a: ModelAddress, l: ModelLink, req?: Request): void {
    const local = a.local;
    if (a.family === 'inet') {
      this.routes.kernelRoute({ family: 'inet', table: 'local', type: 'local', scope: 'host', dst: local, dst_len: 32, prefsrc: local, oif: l.ifindex }, req);
      if (!l.up) return;
      const flags = (a.flags as string[] | undefined) ?? [];
      if (a.prefixlen < 32 && !flags.includes('noprefixroute')) {
        this.routes.kernelRoute({ family: 'inet', table: 'main', type: 'unicast', scope: 'link', dst: prefixOf(local, a.prefixlen), dst_len: a.prefixlen, prefsrc: local, oif: l.ifindex, ...(a.rt_priority ? { priority: a.rt_priority } : {}) }, req);
      }
      if (a.prefixlen < 31) {
        this.routes.kernelRoute({ family: 'inet', table: 'local', type: 'broadcast', scope: 'link', dst: broadcastOf(local, a.prefixlen), dst_len: 32, prefsrc: local, oif: l.ifindex }, req);
      }
      return;
    }
    if (!l.up) return;
    if (a.prefixlen < 128 && !((a.flags as string[] | undefined) ?? []).includes('noprefixroute')) {
      this.routes.kernelRoute({ family: 'inet6', table: 'main', type: 'unicast', scope: 'global', dst: prefixOf(local, a.prefixlen), dst_len: a.prefixlen, oif: l.ifindex, priority: a.rt_priority ?? 256, pref: 'medium' }, req);
    }
  }

  /** IPv6's local route comes after the RTM_NEWADDR (__ipv6_ifa_notify()). */
  private addLocal6(a: ModelAddress, l: ModelLink, req?: Request): void {
    if (a.family === 'inet6' && l.up) {
      this.routes.kernelRoute({ family: 'inet6', table: 'local', type: 'local', scope: 'global', dst: a.local, dst_len: 128, oif: l.ifindex, priority: 0, pref: 'medium' }, req);
    }
  }

  private newAddr(req: Request): number {
    const o = addressCodec.decodeRange(req.buf, req.view, req.payloadStart, req.payloadEnd) as unknown as Record<string, unknown>;
    const family = o.family === 'inet' || o.family === 'inet6' ? o.family : undefined;
    if (!family) return -EINVAL;
    const v4 = family === 'inet';
    const max = v4 ? 32 : 128;
    const local = (o.local ?? o.address) as string | undefined;
    if ((o.prefixlen as number) > max) {
      req.extack.setMessage(v4 ? 'ipv4: Invalid prefix length' : 'ipv6: Invalid prefix length');
      return -EINVAL;
    }
    if (local === undefined) {
      req.extack.setMessage(v4 ? 'ipv4: Local address is not supplied' : 'ipv6: Local address is not supplied');
      return -EINVAL;
    }
    const l = this.state.links.get(o.ifindex as number);
    if (!l) {
      req.extack.setMessage(v4 ? 'ipv4: Device not found' : 'ipv6: Unable to find the interface');
      return -ENODEV;
    }
    const same = this.state.addresses.find((a) => a.family === family && a.ifindex === l.ifindex && a.local === local && (v4 ? a.prefixlen === o.prefixlen && a.address === (o.address ?? local) : true));
    if (same) {
      if (req.flags & NLM_F_EXCL || !(req.flags & NLM_F_REPLACE)) {
        req.extack.setMessage(v4 ? 'ipv4: Address already assigned' : 'ipv6: address already assigned');
        return -EEXIST;
      }
      return 0;
    }
    if (!(req.flags & NLM_F_CREATE)) {
      req.extack.setMessage(v4 ? 'ipv4: Address not found' : 'ipv6: address not found');
      return -ENOENT;
    }
    const flags = new Set(((o.flags as string[] | undefined) ?? []).filter((f) => f !== 'secondary'));
    flags.add('permanent');
    const ci = o.cacheinfo as { preferred: number; valid: number } | undefined;
    const a: ModelAddress = {
      family, prefixlen: o.prefixlen as number, flags: [...flags].sort(flagOrder) as never,
      scope: (o.scope as never) ?? 'global', ifindex: l.ifindex,
      ...(v4 ? { address: (o.address as string | undefined) ?? local } : { address: local }),
      local,
      ...(v4 ? { label: (o.label as string | undefined) ?? l.ifname } : {}),
      ...(o.broadcast !== undefined ? { broadcast: o.broadcast as string } : {}),
      cacheinfo: { preferred: ci?.preferred ?? FOREVER, valid: ci?.valid ?? FOREVER, cstamp: 0, tstamp: 0 },
      ...(o.rt_priority !== undefined ? { rt_priority: o.rt_priority as number } : {}),
    } as ModelAddress;
    // IPv6 keeps no IFA_LOCAL apart from IFA_ADDRESS: it reports the address once.
    if (!v4) delete (a as Record<string, unknown>).local;
    const stored = { ...a, local } as ModelAddress;
    this.state.addresses.push(stored);
    if (v4) {
      this.notify(RTM.NEWADDR, a, req);
      this.addRoutes(stored, l, req);
    } else {
      this.addRoutes(stored, l, req);
      this.notify(RTM.NEWADDR, a, req);
      this.addLocal6(stored, l, req);
    }
    return 0;
  }

  private delAddr(req: Request): number {
    const o = addressCodec.decodeRange(req.buf, req.view, req.payloadStart, req.payloadEnd) as unknown as Record<string, unknown>;
    const v4 = o.family === 'inet';
    const local = (o.local ?? o.address) as string | undefined;
    const l = this.state.links.get(o.ifindex as number);
    if (!l && o.ifindex) {
      req.extack.setMessage(v4 ? 'ipv4: Device not found' : 'ipv6: Unable to find the interface');
      return -ENODEV;
    }
    const i = this.state.addresses.findIndex((a) => a.family === o.family && (!o.ifindex || a.ifindex === o.ifindex) && (local === undefined || a.local === local) && (!v4 || a.prefixlen === o.prefixlen));
    if (i < 0) {
      req.extack.setMessage(v4 ? 'ipv4: Address not found' : 'ipv6: address not found');
      return -EADDRNOTAVAIL;
    }
    const [a] = this.state.addresses.splice(i, 1);
    this.removed(a!, req);
    // The last IPv4 address gone: fib_disable_ip() flushes the link's IPv4 routes (silently)
    // and its ARP entries (each notified).
    if (v4 && !this.state.addresses.some((b) => b.family === 'inet' && b.ifindex === a!.ifindex)) {
      this.routes.flush(a!.ifindex, 'inet');
      this.onDisableIp?.(a!.ifindex);
    }
    return 0;
  }

  /** Called when a link loses its last IPv4 address (its ARP entries go). */
  onDisableIp: ((ifindex: number) => void) | undefined;

  /** Reports an address gone, and takes its routes along. */
  private removed(a: ModelAddress, req?: Request): void {
    const shown = { ...a } as Record<string, unknown>;
    if (a.family === 'inet6') delete shown.local;
    if (a.family === 'inet6') this.routes.dropFor(a, req, 'local');
    this.notify(RTM.DELADDR, shown as ModelAddress, req);
    this.routes.dropFor(a, req);
  }

  /**
   * A link going away drops its addresses of one family: addrconf_ifdown() its IPv6 ones when
   * it goes down, inetdev_destroy() its IPv4 ones when it is unregistered, each of these
   * followed by the removal of its local route.
   */
  linkGone(ifindex: number, families: readonly ('inet' | 'inet6')[] = ['inet6', 'inet']): void {
    for (const family of families) {
      for (const a of this.state.addresses.filter((x) => x.ifindex === ifindex && x.family === family)) {
        this.state.addresses.splice(this.state.addresses.indexOf(a), 1);
        const shown = { ...a } as Record<string, unknown>;
        if (family === 'inet6') delete shown.local;
        this.notify(RTM.DELADDR, shown as ModelAddress);
        if (family === 'inet') this.routes.dropLocal4(a);
      }
    }
  }

  /** A link came up (NETDEV_UP): its IPv4 addresses bring the routes they lack. */
  linkUp(l: ModelLink): void {
    for (const a of this.state.addresses) if (a.ifindex === l.ifindex && a.family === 'inet') this.addRoutes(a, l);
  }

  private dump(cb: DumpCallback<number>): void {
    const o = cb.request.byteLength >= 16 + 8 ? addressCodec.decodeRange(cb.request, cb.requestView, 16, cb.request.byteLength) as unknown as Record<string, unknown> : {};
    const fam = o.family === 'inet' || o.family === 'inet6' ? o.family : undefined;
    const ifindex = (o.ifindex as number | undefined) || undefined;
    // In the kernel's order: IPv4 addresses of every link, then IPv6, each by ifindex.
    const list = [...this.state.addresses]
      .filter((a) => (!fam || a.family === fam) && (!ifindex || a.ifindex === ifindex))
      .sort((a, b) => (a.family === b.family ? a.ifindex - b.ifindex : a.family === 'inet' ? -1 : 1));
    for (let i = cb.state; i < list.length; i++) {
      const a = { ...list[i]! } as Record<string, unknown>;
      if (a.family === 'inet6') delete a.local;
      if (!cb.put(RTM.NEWADDR, (w) => addressCodec.encodeBody(w, a as never))) return;
      cb.state = i + 1;
    }
  }
}

const ORDER = ['secondary', 'nodad', 'optimistic', 'dadfailed', 'homeaddress', 'deprecated', 'tentative', 'permanent', 'managetempaddr', 'noprefixroute', 'mcautojoin', 'stable-privacy'];
function flagOrder(a: string, b: string): number {
  return ORDER.indexOf(a) - ORDER.indexOf(b);
}
