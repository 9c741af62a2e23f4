// RTM_NEWROUTE, RTM_DELROUTE and RTM_GETROUTE (dump) of the model: IPv4 and IPv6 unicast
// routes in any table, via a gateway or a device, with create/replace/exclusive semantics, the
// kernel's own routes for addresses, and the kernel's errors.
import { routeCodec } from '../../route/codecs.js';
import { RTM, RTN, RTNLGRP } from '../../route/constants.js';
import { protocolId, tableId } from '../../route/tables.js';
import { parseIp } from '../../schema/addresses.js';
import { NLM_F_APPEND, NLM_F_CREATE, NLM_F_EXCL, NLM_F_REPLACE } from '../../wire/index.js';
import type { ClassicServer } from '../classic.js';
import type { DumpCallback } from '../dump.js';
import { EEXIST, EHOSTUNREACH, EINVAL, ENETDOWN, ENETUNREACH, ENODEV, ENOENT, ESRCH } from '../errno.js';
import { buildMessage } from '../message.js';
import type { Request } from '../request.js';
import { prefixOf } from './addresses.js';
import type { ModelAddress, ModelRoute, NetState } from './state.js';

const RTN_OF: Readonly<Record<string, number>> = Object.fromEntries(Object.entries(RTN).map(([k, v]) => [k.toLowerCase(), v]));

const num = (t: unknown): number => (typeof t === 'number' ? t : tableId(String(t)));

function covers(r: ModelRoute, addr: string): boolean {
  const len = (r.dst_len as number) ?? 0;
  if (len === 0) return true;
  return prefixOf(addr, len) === prefixOf(String(r.dst), len);
}

/**
 * The kernel's dump order: IPv4 before IPv6, tables by id (the table hash is walked in
 * order), then by destination, a shorter prefix of the same key first.
 */
function dumpOrder(a: ModelRoute, b: ModelRoute): number {
  if (a.family !== b.family) return a.family === 'inet' ? -1 : 1;
  const t = num(a.table) - num(b.table);
  if (t) return t;
  const x = a.dst !== undefined ? parseIp(String(a.dst)) : new Uint8Array(a.family === 'inet' ? 4 : 16);
  const y = b.dst !== undefined ? parseIp(String(b.dst)) : new Uint8Array(b.family === 'inet' ? 4 : 16);
  for (let i = 0; i < x.length; i++) if (x[i] !== y[i]) return x[i]! - y[i]!;
  return ((a.dst_len as number) ?? 0) - ((b.dst_len as number) ?? 0);
}

/** The route handlers of one namespace. */
export class RouteModel {
  constructor(private readonly state: NetState, private readonly server: ClassicServer) {}

  /** Registers RTM_NEWROUTE, RTM_DELROUTE and RTM_GETROUTE. */
  register(): void {
    this.server.on(RTM.NEWROUTE, { hdrsize: 12, admin: true, doit: (r) => this.newRoute(r) });
    this.server.on(RTM.DELROUTE, { hdrsize: 12, admin: true, doit: (r) => this.delRoute(r) });
    this.server.on<number>(RTM.GETROUTE, { hdrsize: 12, dump: { init: () => 0, dump: (cb) => this.dump(cb) } });
  }

  private notify(type: number, r: ModelRoute, req?: Request): void {
    const group = r.family === 'inet' ? RTNLGRP.IPV4_ROUTE : RTNLGRP.IPV6_ROUTE;
    const data = buildMessage(type, 0, req?.seq ?? 0, req?.portid ?? 0, (w) => routeCodec.encodeBody(w, r as never));
    this.server.notify(data, group, req?.portid ?? 0, req?.echo ?? false);
  }

  /** A route the kernel adds itself (proto kernel), notified as the request's consequence. */
  kernelRoute(r: ModelRoute, req?: Request): void {
    const full: ModelRoute = { src_len: 0, tos: 0, protocol: 'kernel', flags: [], ...r };
    // fib_magic() of a route that exists already is a no-op (the local route survives a down).
    if (this.state.routes.some((x) => x.family === full.family && x.type === full.type && num(x.table) === num(full.table) && x.dst === full.dst && x.dst_len === full.dst_len && x.oif === full.oif)) return;
    this.state.routes.push(full);
    this.notify(RTM.NEWROUTE, full, req);
  }

  /** Removes the kernel routes an address brought ('local': only its IPv6 local route). */
  dropFor(a: ModelAddress, req: Request | undefined, which: 'all' | 'local' = 'all'): void {
    const rs = this.state.routes;
    // fib_del_ifaddr() order: the prefix route, the broadcasts, then the local route.
    const rank = (r: ModelRoute) => (r.type === 'unicast' ? 0 : r.type === 'broadcast' ? 1 : 2);
    for (const r of [...rs].sort((x, y) => rank(x) - rank(y))) {
      const i = rs.indexOf(r);
      if (r.protocol !== 'kernel' || r.oif !== a.ifindex || r.family !== a.family) continue;
      const isLocal = r.type === 'local';
      if (which === 'local' && !isLocal) continue;
      const mine = a.family === 'inet' ? r.prefsrc === a.local : r.dst === a.local || (r.dst_len === a.prefixlen && r.dst === prefixOf(a.local, a.prefixlen));
      if (!mine) continue;
      // Another address of the same prefix keeps the prefix route.
      if (!isLocal && this.state.addresses.some((b) => b !== a && b.family === a.family && b.ifindex === a.ifindex && b.prefixlen === a.prefixlen && prefixOf(b.local, b.prefixlen) === prefixOf(a.local, a.prefixlen))) continue;
      rs.splice(i, 1);
      this.notify(RTM.DELROUTE, r, req);
    }
  }

  /** fib_flush() after fib_sync_down_dev(): a link's routes of one family go, unannounced. */
  flush(ifindex: number, family: string): void {
    const rs = this.state.routes;
    for (let i = rs.length - 1; i >= 0; i--) if (rs[i]!.oif === ifindex && rs[i]!.family === family) rs.splice(i, 1);
  }

  /**
   * rt6_disable_ip(): a link going away takes its IPv6 routes along, each notified, in the
   * order the FIB is walked.
   */
  dropIpv6(ifindex: number): void {
    const mine = this.state.routes.filter((r) => r.family === 'inet6' && r.oif === ifindex).sort(dumpOrder);
    for (const r of mine) {
      this.state.routes.splice(this.state.routes.indexOf(r), 1);
      this.notify(RTM.DELROUTE, r);
    }
  }

  /** The local route of an IPv4 address, removed with notification (fib_del_ifaddr()). */
  dropLocal4(a: ModelAddress): void {
    const i = this.state.routes.findIndex((r) => r.family === 'inet' && r.type === 'local' && r.oif === a.ifindex && r.dst === a.local);
    if (i < 0) return;
    const [r] = this.state.routes.splice(i, 1);
    this.notify(RTM.DELROUTE, r!);
  }

  /** fib_disable_ip(): a link's IPv4 routes but the local ones go, unannounced. */
  flushIpv4(ifindex: number): void {
    const rs = this.state.routes;
    for (let i = rs.length - 1; i >= 0; i--) if (rs[i]!.oif === ifindex && rs[i]!.family === 'inet' && rs[i]!.type !== 'local') rs.splice(i, 1);
  }

  /** A link went away: what is left of its routes goes, silently. */
  linkGone(ifindex: number): void {
    const rs = this.state.routes;
    for (let i = rs.length - 1; i >= 0; i--) if (rs[i]!.oif === ifindex) rs.splice(i, 1);
  }

  private key(r: ModelRoute): string {
    return [r.family, num(r.table ?? 'main'), r.dst ?? '', r.dst_len ?? 0, r.tos ?? 0, r.family === 'inet6' ? (r.priority ?? 1024) : (r.priority ?? 0)].join(' ');
  }

  private newRoute(req: Request): number {
    const o = routeCodec.decodeRange(req.buf, req.view, req.payloadStart, req.payloadEnd) as unknown as ModelRoute;
    const v4 = o.family === 'inet';
    if (!v4 && o.family !== 'inet6') return -EINVAL;
    if ((o.dst_len as number) > (v4 ? 32 : 128)) {
      req.extack.setMessage('Invalid prefix for given prefix length');
      return -EINVAL;
    }
    const oif = o.oif as number | undefined;
    const dev = oif ? this.state.links.get(oif) : undefined;
    if (oif && !dev) return -ENODEV;
    const gw = o.gateway as string | undefined;
    let out = dev;
    if (gw !== undefined) {
      // fib_check_nh_v4_gw() / ip6_validate_gw(): the gateway must be on a connected route.
      const via = this.state.routes.find((r) => r.family === o.family && r.protocol === 'kernel' && r.type === 'unicast' && (!oif || r.oif === oif) && r.dst_len && covers(r, gw));
      if (!via) {
        if (!v4) return -EHOSTUNREACH;
        req.extack.setMessage('Nexthop has invalid gateway');
        return -ENETUNREACH;
      }
      out = this.state.links.get(via.oif as number);
    }
    if (!out) {
      req.extack.setMessage(v4 ? 'Device not found' : 'Nexthop device does not exist');
      return -ENODEV;
    }
    if (!out.up) {
      req.extack.setMessage('Device for nexthop is not up');
      return -ENETDOWN;
    }
    const dst = o.dst !== undefined ? prefixOf(String(o.dst), o.dst_len as number) : undefined;
    const r: ModelRoute = {
      family: o.family, dst_len: o.dst_len, src_len: 0, tos: o.tos ?? 0, table: o.table ?? 'main', protocol: o.protocol ?? 'boot',
      scope: o.scope ?? 'global', type: o.type ?? 'unicast', flags: [],
      ...(dst !== undefined ? { dst } : {}),
      ...(v4 ? {} : { priority: o.priority ?? 1024 }),
      ...(v4 && o.priority !== undefined ? { priority: o.priority } : {}),
      ...(gw !== undefined ? { gateway: gw } : {}),
      oif: out.ifindex,
      ...(o.prefsrc !== undefined ? { prefsrc: o.prefsrc } : {}),
      ...(v4 ? {} : { pref: 'medium' }),
    };
    const k = this.key(r);
    const i = this.state.routes.findIndex((x) => this.key(x) === k);
    if (i >= 0) {
      if (req.flags & NLM_F_EXCL) return -EEXIST;
      if (req.flags & NLM_F_REPLACE) {
        this.state.routes[i] = r;
        this.notify(RTM.NEWROUTE, r, req);
        return 0;
      }
      if (!(req.flags & NLM_F_APPEND)) return -EEXIST;
    } else if (!(req.flags & NLM_F_CREATE)) {
      // IPv4 warns and adds anyway; IPv6 refuses.
      if (!v4) {
        req.extack.setMessage('Route not found');
        return -ENOENT;
      }
      req.extack.setMessage('NLM_F_CREATE should be specified when creating new route');
    }
    this.state.routes.push(r);
    this.notify(RTM.NEWROUTE, r, req);
    return 0;
  }

  private delRoute(req: Request): number {
    const o = routeCodec.decodeRange(req.buf, req.view, req.payloadStart, req.payloadEnd) as unknown as ModelRoute;
    const v4 = o.family === 'inet';
    const dst = o.dst !== undefined ? String(o.dst) : undefined;
    const table = num(o.table ?? 'main');
    const i = this.state.routes.findIndex((r) => r.family === o.family && num(r.table) === table && (r.dst ?? undefined) === dst && r.dst_len === o.dst_len
      && (o.gateway === undefined || r.gateway === o.gateway) && (!o.oif || r.oif === o.oif)
      && (o.priority === undefined || r.priority === o.priority) && (!v4 || o.type === undefined || o.type === 'none' || o.type === 0 || r.type === o.type));
    if (i < 0) return -ESRCH;
    const [r] = this.state.routes.splice(i, 1);
    this.notify(RTM.DELROUTE, r!, req);
    return 0;
  }

  private dump(cb: DumpCallback<number>): void {
    const o = cb.request.byteLength >= 16 + 12 ? routeCodec.decodeRange(cb.request, cb.requestView, 16, cb.request.byteLength) as unknown as ModelRoute : {};
    const fam = o.family === 'inet' || o.family === 'inet6' ? o.family : undefined;
    // The filters a strict dump request carries (rtm_table or RTA_TABLE, rtm_protocol,
    // rtm_type, RTA_OIF); zero means any.
    const v = cb.requestView;
    const hdr = cb.request.byteLength >= 16 + 12;
    const table = o.table !== undefined && num(o.table) !== 0 ? num(o.table) : 0;
    const protocol = hdr ? v.getUint8(16 + 5) : 0;
    const type = hdr ? v.getUint8(16 + 7) : 0;
    const oif = (o.oif as number | undefined) ?? 0;
    const list = this.state.routes.filter((r) => (!fam || r.family === fam) && (!table || num(r.table) === table)
      && (!protocol || protocolId(String(r.protocol)) === protocol) && (!type || RTN_OF[String(r.type)] === type) && (!oif || r.oif === oif))
      .sort(dumpOrder);
    for (let i = cb.state; i < list.length; i++) {
      const r = list[i]!;
      if (!cb.put(RTM.NEWROUTE, (w) => routeCodec.encodeBody(w, r as never))) return;
      cb.state = i + 1;
    }
  }
}

