// RTM_NEWLINK, RTM_DELLINK and RTM_GETLINK of the model: veth pairs, bridges with ports, ifb
// and lo, with the kernel's defaults (mtu 1500, txqlen 1000, …), errors and extended ACKs.
import { linkCodec, type Link } from '../../route/codecs.js';
import { IFLA, IFLA_INFO, RTM, RTNLGRP } from '../../route/constants.js';
import type { MessageWriter } from '../../wire/index.js';
import { NLM_F_CREATE, NLM_F_EXCL, NLM_F_REPLACE } from '../../wire/index.js';
import type { ClassicServer } from '../classic.js';
import type { DumpCallback } from '../dump.js';
import { EEXIST, EINVAL, ENODEV, EOPNOTSUPP } from '../errno.js';
import { buildMessage } from '../message.js';
import { definePolicy, nla } from '../policy.js';
import type { Request } from '../request.js';
import type { ModelLink, NetState } from './state.js';

const IFNAMSIZ = 16;

/** ifla_info_policy: IFLA_LINKINFO's contents. */
const infoPolicy = definePolicy({ [IFLA_INFO.KIND]: nla.string(), [IFLA_INFO.DATA]: nla.nested(), [IFLA_INFO.SLAVE_KIND]: nla.string(), [IFLA_INFO.SLAVE_DATA]: nla.nested() });
/** The part of ifla_policy the model validates (rtnl_newlink() parses with it, liberally). */
export const iflaPolicy = definePolicy({
  [IFLA.ADDRESS]: nla.binary({ maxLen: 32 }), [IFLA.BROADCAST]: nla.binary({ maxLen: 32 }),
  [IFLA.IFNAME]: nla.string({ maxLen: IFNAMSIZ - 1 }), [IFLA.MTU]: nla.u32(), [IFLA.LINK]: nla.u32(),
  [IFLA.MASTER]: nla.u32(), [IFLA.TXQLEN]: nla.u32(), [IFLA.LINKINFO]: nla.nested(infoPolicy), [IFLA.GROUP]: nla.u32(),
}, IFLA.TAILROOM);

/** What each kind starts with (register_netdevice() after the kind's setup()). */
interface KindDefaults {
  type: string;
  baseFlags: string[];
  carrierWhenDown: boolean;
  attrs: Record<string, unknown>;
  /** qdisc once up (IFF_NO_QUEUE devices get noqueue; others the default qdisc). */
  upQdisc: string;
}

const COMMON = {
  txqlen: 1000, linkmode: 'DEFAULT', netns_immutable: 0, mtu: 1500, min_mtu: 68, max_mtu: 65535, group: 0, promiscuity: 0, allmulti: 0,
  num_tx_queues: 1, gso_max_segs: 65535, gso_max_size: 65536, gro_max_size: 65536, gso_ipv4_max_size: 65536, gro_ipv4_max_size: 65536,
  tso_max_size: 524280, tso_max_segs: 65535, max_pacing_offload_horizon: 0, num_rx_queues: 1, headroom: 0, tailroom: 0, proto_down: 0,
  broadcast: 'ff:ff:ff:ff:ff:ff', xdp: { attached: 'none' },
};

function kindDefaults(kind: string, cpus: number): KindDefaults | undefined {
  switch (kind) {
    case 'loopback':
      return {
        type: 'loopback', baseFlags: ['LOOPBACK'], carrierWhenDown: true, upQdisc: 'noqueue',
        attrs: { ...COMMON, netns_immutable: 1, mtu: 65536, min_mtu: 0, max_mtu: 0, address: '00:00:00:00:00:00', broadcast: '00:00:00:00:00:00' },
      };
    case 'veth':
      return { type: 'ether', baseFlags: ['BROADCAST', 'MULTICAST'], carrierWhenDown: false, upQdisc: 'noqueue', attrs: { ...COMMON, num_tx_queues: cpus, num_rx_queues: cpus } };
    case 'bridge':
      return { type: 'ether', baseFlags: ['BROADCAST', 'MULTICAST'], carrierWhenDown: true, upQdisc: 'noqueue', attrs: { ...COMMON, netns_immutable: 1, tso_max_size: 65536 } };
    case 'ifb':
      return { type: 'ether', baseFlags: ['BROADCAST', 'NOARP'], carrierWhenDown: true, upQdisc: 'fq_codel', attrs: { ...COMMON, txqlen: 32, min_mtu: 0, max_mtu: 0 } };
    default:
      return undefined;
  }
}

/** The link handlers, bound to one namespace's state. */
export class LinkModel {
  /** Called when a link goes up or down (addresses bring or take their routes). */
  onUp: ((l: ModelLink, up: boolean) => void) | undefined;
  private macs = 0;

  constructor(private readonly state: NetState, private readonly server: ClassicServer, private readonly cpus: number) {}

  /** Creates lo, as every namespace has it (ifindex 1, down). */
  createLoopback(): void {
    this.create('lo', 'loopback', {});
  }

  /** eth_hw_addr_random(): locally administered, unicast; deterministic here. */
  private mac(): string {
    const n = ++this.macs;
    return `02:6e:6c:6d:${((n >> 8) & 0xff).toString(16).padStart(2, '0')}:${(n & 0xff).toString(16).padStart(2, '0')}`;
  }

  private create(ifname: string, kind: string, given: Record<string, unknown>, wanted?: number): ModelLink {
    const d = kindDefaults(kind, this.cpus)!;
    const ifindex = wanted ?? this.state.allocIfindex();
    const attrs: Record<string, unknown> = { type: d.type, ...d.attrs };
    if (attrs.address === undefined) attrs.address = this.mac();
    for (const k of ['mtu', 'txqlen', 'address', 'group']) if (given[k] !== undefined) attrs[k] = given[k];
    const l: ModelLink = { ifindex, ifname, kind, attrs, up: false, baseFlags: d.baseFlags, carrierWhenDown: d.carrierWhenDown };
    this.state.links.set(ifindex, l);
    return l;
  }

  /** The flat object a link is reported as (rtnl_fill_ifinfo()). */
  fill(l: ModelLink): Partial<Link> & Record<string, unknown> {
    const carrier = this.state.carrier(l);
    const flags = [...l.baseFlags];
    if (l.up) flags.push('UP');
    if (l.up && carrier) flags.push('RUNNING', 'LOWER_UP');
    const d = kindDefaults(l.kind, this.cpus)!;
    const o: Record<string, unknown> = {
      family: 'unspec', ifindex: l.ifindex, flags, change: 0, ifname: l.ifname, ...l.attrs,
      operstate: l.up ? (carrier ? (l.kind === 'loopback' ? 'UNKNOWN' : 'UP') : l.kind === 'veth' ? 'LOWERLAYERDOWN' : 'DOWN') : 'DOWN',
      carrier: carrier ? 1 : 0,
      qdisc: l.up ? d.upQdisc : 'noop',
    };
    if (l.master !== undefined) {
      // br_add_if() makes the port promiscuous and allmulti (counts, not the user's ifi_flags).
      o.master = l.master;
      o.promiscuity = 1;
      o.allmulti = 1;
    }
    if (l.kind === 'bridge') {
      // A bridge takes the smallest TSO limit of its ports (netif_inherit_tso_max()).
      const ports = [...this.state.links.values()].filter((p) => p.master === l.ifindex);
      if (ports.length) o.tso_max_size = Math.min(...ports.map((p) => p.attrs.tso_max_size as number));
    }
    if (l.peer !== undefined) o.link = l.peer;
    if (l.kind !== 'loopback') {
      const li: Record<string, unknown> = { kind: l.kind };
      if (l.master !== undefined) li.slave_kind = 'bridge';
      o.linkinfo = li;
    }
    return o as Partial<Link> & Record<string, unknown>;
  }

  private write(l: ModelLink): (w: MessageWriter) => void {
    const obj = this.fill(l);
    return (w) => linkCodec.encodeBody(w, obj as never);
  }

  /** rtmsg_ifinfo(): a link notification to RTNLGRP_LINK (echoed to `req`'s sender with NLM_F_ECHO). */
  notify(type: number, l: ModelLink, req?: Request): void {
    const data = buildMessage(type, 0, req?.seq ?? 0, req?.portid ?? 0, this.write(l));
    this.server.notify(data, RTNLGRP.LINK, req?.portid ?? 0, req?.echo ?? false);
  }

  private find(req: Request, o: Record<string, unknown>): ModelLink | undefined | number {
    const ifindex = o.ifindex as number | undefined;
    if (ifindex) return this.state.links.get(ifindex) ?? -ENODEV;
    if (typeof o.ifname === 'string') return this.state.byName(o.ifname);
    if (typeof o.alt_ifname === 'string') return this.state.byName(o.alt_ifname);
    req.extack.setMessage('Interface name or index is required');
    return -EINVAL;
  }

  /** RTM_NEWLINK: create (NLM_F_CREATE) or change. */
  newLink(req: Request): number {
    const o = decode(req);
    const found = this.find(req, { ...o, ifname: o.ifindex ? undefined : o.ifname });
    // A create may ask for its ifindex (ifi_index): a missing one is not an error then.
    const wanted = found === -ENODEV && req.flags & NLM_F_CREATE ? (o.ifindex as number) : undefined;
    if (typeof found === 'number' && found !== -EINVAL && wanted === undefined) return found;
    const existing = typeof found === 'object' ? found : undefined;
    if (existing) {
      if (req.flags & NLM_F_EXCL) return -EEXIST;
      if (req.flags & NLM_F_REPLACE) return -EOPNOTSUPP;
      return this.change(req, existing, o);
    }
    if (!(req.flags & NLM_F_CREATE)) return -ENODEV;
    const li = o.linkinfo as { kind?: string; data?: Record<string, unknown> } | undefined;
    const kind = li?.kind;
    if (!kind || !kindDefaults(kind, this.cpus) || kind === 'loopback') {
      req.extack.setMessage('Unknown device type');
      return -EOPNOTSUPP;
    }
    const err = this.checkMtu(req, kind, o.mtu as number | undefined);
    if (err) return err;
    const ifname = typeof o.ifname === 'string' ? o.ifname : this.pickName(kind === 'veth' ? 'veth' : kind);
    if (this.state.byName(ifname)) return -EEXIST;
    if (kind === 'veth') {
      const peerSpec = (li?.data?.peer ?? {}) as Record<string, unknown>;
      const peerName = typeof peerSpec.ifname === 'string' ? peerSpec.ifname : this.pickName('veth');
      if (this.state.byName(peerName) || peerName === ifname) return -EEXIST;
      // veth_newlink() registers the peer first: it gets the lower ifindex.
      const peer = this.create(peerName, 'veth', peerSpec);
      this.notify(RTM.NEWLINK, peer);
      const dev = this.create(ifname, 'veth', o);
      dev.peer = peer.ifindex;
      peer.peer = dev.ifindex;
      this.notify(RTM.NEWLINK, dev, req);
      return 0;
    }
    const dev = this.create(ifname, kind, o, wanted);
    this.notify(RTM.NEWLINK, dev, req);
    return this.change(req, dev, { master: o.master, flags: o.flags, change: o.change }, false);
  }

  /** dev_get_valid_name() for a kind's default "%d" template. */
  private pickName(prefix: string): string {
    for (let i = 0; ; i++) if (!this.state.byName(`${prefix}${i}`)) return `${prefix}${i}`;
  }

  private checkMtu(req: Request, kind: string, mtu: number | undefined): number {
    if (mtu === undefined) return 0;
    const d = kindDefaults(kind, this.cpus)!.attrs;
    const min = d.min_mtu as number;
    const max = d.max_mtu as number;
    if (min && mtu < min) {
      req.extack.setMessage('mtu less than device minimum');
      return -EINVAL;
    }
    if (max && mtu > max) {
      req.extack.setMessage('mtu greater than device maximum');
      return -EINVAL;
    }
    return 0;
  }

  /** do_setlink(): the changes of an RTM_NEWLINK to an existing link. */
  private change(req: Request, l: ModelLink, o: Record<string, unknown>, notify = true): number {
    if (o.mtu !== undefined) {
      const err = this.checkMtu(req, l.kind, o.mtu as number);
      if (err) return err;
    }
    if (typeof o.ifname === 'string' && o.ifname !== l.ifname && o.ifindex) {
      if (this.state.byName(o.ifname)) return -EEXIST;
      l.ifname = o.ifname;
    }
    let changed = false;
    for (const k of ['mtu', 'txqlen', 'address', 'group']) {
      if (o[k] !== undefined && l.attrs[k] !== o[k]) {
        l.attrs[k] = o[k];
        changed = true;
      }
    }
    if (o.master !== undefined) {
      const m = o.master as number;
      if (m === 0) {
        if (l.master !== undefined) {
          l.master = undefined;
          changed = true;
        }
      } else {
        const master = this.state.links.get(m);
        if (!master) return -EINVAL;
        // do_set_master(): a device without ndo_add_slave.
        if (master.kind !== 'bridge') return -EOPNOTSUPP;
        if (l.master !== m) {
          l.master = m;
          changed = true;
        }
      }
    }
    const change = (o.change as number | undefined) ?? 0;
    const flags = new Set((o.flags as string[] | undefined) ?? []);
    if (change & 1 || (o.flags !== undefined && o.change === undefined)) {
      const up = flags.has('UP');
      if (up !== l.up) {
        l.up = up;
        changed = true;
        this.onUp?.(l, up);
        // The peer's carrier follows: its state is reported too.
        const peer = l.peer !== undefined ? this.state.links.get(l.peer) : undefined;
        if (peer && notify) this.notify(RTM.NEWLINK, peer);
      }
    }
    if (changed && notify) this.notify(RTM.NEWLINK, l, req);
    return 0;
  }

  /**
   * RTM_DELLINK: a veth takes its peer along; ports leave a deleted bridge. The links go as
   * one batch, as unregister_netdevice_many() does: `down` runs for each (NETDEV_DOWN), then
   * `gone` for each (NETDEV_UNREGISTER).
   */
  delLink(req: Request, down: (ifindex: number) => void, gone: (ifindex: number) => void): number {
    const o = decode(req);
    const found = this.find(req, o);
    if (typeof found === 'number') return found;
    if (!found) return -ENODEV;
    if (found.kind === 'loopback') return -EOPNOTSUPP;
    const batch = [found];
    if (found.peer !== undefined) batch.push(this.state.links.get(found.peer)!);
    // Only links that are up go down first (dev_close_many()).
    for (const l of batch) if (l.up) down(l.ifindex);
    for (const l of batch) {
      for (const p of this.state.links.values()) if (p.master === l.ifindex) p.master = undefined;
      gone(l.ifindex);
      this.state.links.delete(l.ifindex);
      this.notify(RTM.DELLINK, l, l === found ? req : undefined);
    }
    return 0;
  }

  /** RTM_GETLINK do: one link by index or name. */
  getLink(req: Request): number {
    const o = decode(req);
    const found = this.find(req, o);
    if (typeof found === 'number') return found;
    if (!found) return -ENODEV;
    return this.server.reply(req, RTM.NEWLINK, this.write(found));
  }

  /** RTM_GETLINK dump, with the kernel's filters (IFLA_MASTER, IFLA_LINKINFO kind). */
  dumpLinks(cb: DumpCallback<number>): void {
    const view = cb.requestView;
    const o = cb.request.byteLength > 16 + 16 ? linkCodec.decodeRange(cb.request, view, 16, cb.request.byteLength) as unknown as Record<string, unknown> : {};
    const master = o.master as number | undefined;
    const kind = (o.linkinfo as { kind?: string } | undefined)?.kind;
    const all = [...this.state.links.values()].sort((a, b) => a.ifindex - b.ifindex).filter((l) => l.ifindex > cb.state);
    for (const l of all) {
      if (master !== undefined && l.master !== master) continue;
      if (kind !== undefined && l.kind !== kind) continue;
      if (!cb.put(RTM.NEWLINK, this.write(l), 0)) return;
      cb.state = l.ifindex;
    }
  }
}

function decode(req: Request): Record<string, unknown> {
  return linkCodec.decodeRange(req.buf, req.view, req.payloadStart, req.payloadEnd) as unknown as Record<string, unknown>;
}

