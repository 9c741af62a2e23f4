// RTM_NEWNEIGH, RTM_DELNEIGH and RTM_GETNEIGH (dump) of the model: static (permanent) ARP and
// NDISC entries, with the kernel's create/replace rules, errors and RTNLGRP_NEIGH events.
import { neighCodec } from '../../route/codecs.js';
import { RTM, RTNLGRP } from '../../route/constants.js';
import { NLM_F_CREATE, NLM_F_EXCL, NLM_F_REPLACE } from '../../wire/index.js';
import type { ClassicServer } from '../classic.js';
import type { DumpCallback } from '../dump.js';
import { EEXIST, EINVAL, ENODEV, ENOENT } from '../errno.js';
import { buildMessage } from '../message.js';
import type { Request } from '../request.js';
import type { ModelNeighbour, NetState } from './state.js';

/** The neighbour handlers of one namespace. */
export class NeighbourModel {
  constructor(private readonly state: NetState, private readonly server: ClassicServer) {}

  /** Registers RTM_NEWNEIGH, RTM_DELNEIGH and RTM_GETNEIGH. */
  register(): void {
    this.server.on(RTM.NEWNEIGH, { hdrsize: 12, admin: true, doit: (r) => this.newNeigh(r) });
    this.server.on(RTM.DELNEIGH, { hdrsize: 12, admin: true, doit: (r) => this.delNeigh(r) });
    this.server.on<number>(RTM.GETNEIGH, { hdrsize: 12, dump: { init: () => 0, dump: (cb) => this.dump(cb) } });
  }

  private notify(type: number, n: ModelNeighbour, req?: Request): void {
    const data = buildMessage(type, 0, req?.seq ?? 0, req?.portid ?? 0, (w) => neighCodec.encodeBody(w, n as never));
    this.server.notify(data, RTNLGRP.NEIGH, req?.portid ?? 0, req?.echo ?? false);
  }

  private decode(req: Request): ModelNeighbour | number {
    const o = neighCodec.decodeRange(req.buf, req.view, req.payloadStart, req.payloadEnd) as unknown as ModelNeighbour;
    if (o.dst === undefined) {
      req.extack.setMessage('Network address not specified');
      return -EINVAL;
    }
    if (o.family !== 'inet' && o.family !== 'inet6') return -EINVAL;
    if (!o.ifindex || !this.state.links.get(o.ifindex as number)) return -ENODEV;
    return o;
  }

  private find(o: ModelNeighbour): number {
    return this.state.neighbours.findIndex((n) => n.family === o.family && n.ifindex === o.ifindex && n.dst === o.dst);
  }

  private newNeigh(req: Request): number {
    const o = this.decode(req);
    if (typeof o === 'number') return o;
    const i = this.find(o);
    const n: ModelNeighbour = {
      family: o.family, ifindex: o.ifindex, state: o.state ?? ['permanent'], flags: o.flags ?? [], type: 'unicast',
      dst: o.dst, ...(o.lladdr !== undefined ? { lladdr: o.lladdr } : {}),
      cacheinfo: { confirmed: 0, used: 0, updated: 0, refcnt: 0 }, probes: 0,
    };
    if (i >= 0) {
      if (req.flags & NLM_F_EXCL) return -EEXIST;
      if (!(req.flags & NLM_F_REPLACE) && o.lladdr !== undefined && this.state.neighbours[i]!.lladdr !== o.lladdr) return 0;
      this.state.neighbours[i] = n;
      this.notify(RTM.NEWNEIGH, n, req);
      return 0;
    }
    if (!(req.flags & NLM_F_CREATE)) return -ENOENT;
    this.state.neighbours.push(n);
    this.notify(RTM.NEWNEIGH, n, req);
    return 0;
  }

  private delNeigh(req: Request): number {
    const o = this.decode(req);
    if (typeof o === 'number') return o;
    const i = this.find(o);
    if (i < 0) return -ENOENT;
    const [n] = this.state.neighbours.splice(i, 1);
    // neigh_update() to NUD_FAILED first: the deletion is reported failed, without lladdr.
    const { lladdr: _gone, ...rest } = n!;
    this.notify(RTM.DELNEIGH, { ...rest, state: ['failed'] } as ModelNeighbour, req);
    return 0;
  }

  /** neigh_ifdown(): a link's entries of one family go, each announced. */
  flushFamily(ifindex: number, family: string): void {
    const ns = this.state.neighbours;
    for (let i = 0; i < ns.length; i++) {
      const n = ns[i]!;
      if (n.ifindex !== ifindex || n.family !== family) continue;
      ns.splice(i--, 1);
      this.notify(RTM.DELNEIGH, n);
    }
  }

  /** A link went away: its entries go with it. */
  linkGone(ifindex: number): void {
    const ns = this.state.neighbours;
    for (let i = ns.length - 1; i >= 0; i--) if (ns[i]!.ifindex === ifindex) ns.splice(i, 1);
  }

  private dump(cb: DumpCallback<number>): void {
    const o = cb.request.byteLength >= 16 + 12 ? neighCodec.decodeRange(cb.request, cb.requestView, 16, cb.request.byteLength) as unknown as ModelNeighbour : {};
    const fam = o.family === 'inet' || o.family === 'inet6' ? o.family : undefined;
    // neigh_dump_table()'s filters: NDA_IFINDEX and NDA_MASTER; proxy entries are not modelled.
    const ifindex = (o.nda_ifindex as number | undefined) ?? 0;
    const master = (o.master as number | undefined) ?? 0;
    const proxy = ((o.flags as string[] | undefined) ?? []).includes('proxy');
    const list = this.state.neighbours.filter((n) => !proxy && (!fam || n.family === fam) && (!ifindex || n.ifindex === ifindex)
      && (!master || this.state.links.get(n.ifindex as number)?.master === master)).sort((a, b) => (a.family === b.family ? 0 : a.family === 'inet' ? -1 : 1));
    for (let i = cb.state; i < list.length; i++) {
      const n = list[i]!;
      if (!cb.put(RTM.NEWNEIGH, (w) => neighCodec.encodeBody(w, n as never))) return;
      cb.state = i + 1;
    }
  }
}
