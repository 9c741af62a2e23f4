// nfnetlink_queue (the successor of ip_queue / NETLINK_FIREWALL): bind a queue number, set the
// copy mode, receive each queued packet, answer it with a verdict. Packets arrive as an async
// iterable; the socket stops reading when `highWaterMark` packets wait unanswered in JS, so the
// kernel queue fills and its counters (or fail-open) say so instead of packets vanishing.
import { type EventMeta, type NetlinkSocket, type NetnsSpec, type Overrun } from '../socket/index.js';
import { NLM_F_ACK, NLM_F_REQUEST, type MessageReader } from '../wire/index.js';
import { nfqaCfgCodec, nfqaCodec } from './codecs.js';
import { NF, NFQA_CFG_F, NFQA_SKB, NFNL_SUBSYS, NFQNL_CFG_CMD, NFQNL_COPY, NFQNL_MSG, IP_CT } from './constants.js';
import { nfnlType, openNetfilter } from './nfnetlink.js';
import { packetMeta, type PacketMeta } from './packet-meta.js';

/** How much of each packet the kernel copies: nothing, metadata only, or the packet up to `range` bytes. */
export type CopyMode = 'none' | 'meta' | 'packet';

/** NFQA_CFG_F_* by name. */
export type QueueFlag = 'fail-open' | 'conntrack' | 'gso' | 'uid-gid' | 'secctx';

const FLAG_BITS: Record<QueueFlag, number> = {
  'fail-open': NFQA_CFG_F.FAIL_OPEN, conntrack: NFQA_CFG_F.CONNTRACK, gso: NFQA_CFG_F.GSO, 'uid-gid': NFQA_CFG_F.UID_GID,
  secctx: NFQA_CFG_F.SECCTX,
};
const COPY: Record<CopyMode, number> = { none: NFQNL_COPY.NONE, meta: NFQNL_COPY.META, packet: NFQNL_COPY.PACKET };
const CT_INFO_NAMES = Object.fromEntries(Object.entries(IP_CT).map(([k, v]) => [v, k.toLowerCase().replace(/_/g, '-')])) as Record<number, string>;

/** Options of {@link openQueue}. */
export interface QueueOptions {
  /** Bind in this network namespace. */
  netns?: NetnsSpec;
  /** Copy mode (default 'packet'). */
  copy?: CopyMode;
  /** Bytes of each packet copied in 'packet' mode (default 0xffff). */
  range?: number;
  /** NFQA_CFG_QUEUE_MAXLEN: packets the kernel holds for this queue before dropping (or failing open). */
  maxlen?: number;
  /** NFQA_CFG_FLAGS to set. */
  flags?: readonly QueueFlag[];
  /** Packets buffered in JS before the socket stops reading (default 1024). */
  highWaterMark?: number;
  /** SO_RCVBUF of the queue's socket. */
  rcvbuf?: number;
}

/** A verdict: the netfilter verdict name, or QUEUE to another queue number. */
export type Verdict = 'accept' | 'drop' | 'repeat' | 'stop' | { queue: number; bypass?: boolean };

/** What a verdict may change besides the verdict itself. */
export interface VerdictOptions {
  /** The packet's new nfmark (NFQA_MARK). */
  mark?: number;
  /** The connection's new ctmark (NFQA_CT / CTA_MARK). */
  ctmark?: number;
  /** The packet rewritten (NFQA_PAYLOAD); the kernel takes it as the new network-layer packet. */
  payload?: Uint8Array;
}

/** A queued packet with its metadata (NFQA_*); optional fields are absent when the kernel did not send them. */
export interface QueuedPacket extends PacketMeta {
  /** The queue it came from. */
  queue: number;
  /** packet_id: the id a verdict names. */
  id: number;
  /** The packet's full length when the payload was cut (NFQA_CAP_LEN). */
  capLen?: number;
  /** The conntrack state (IP_CT_*: 'established', 'related', 'new', 'established-reply', …). */
  ctInfo?: string | number;
  /** The connection's mark, when the queue has the 'conntrack' flag. */
  ctmark?: number;
  /** NFQA_SKB_* bits: checksum not ready, GSO, checksum not verified. */
  skbInfo?: { csumNotReady: boolean; gso: boolean; csumNotVerified: boolean };
  secctx?: string;
  vlan?: { proto: number; tci: number };
  l2hdr?: Uint8Array;
  priority?: number;
  /** Attributes this version does not know, kept as bytes. */
  $unknown?: unknown;
}

/** The 32-bit verdict word of a Verdict. */
export function verdictValue(v: Verdict): number {
  if (typeof v === 'object') return (((v.queue & 0xffff) << 16) | (v.bypass ? 0x8000 : 0) | NF.QUEUE) >>> 0;
  switch (v) {
    case 'accept': return NF.ACCEPT;
    case 'drop': return NF.DROP;
    case 'repeat': return NF.REPEAT;
    case 'stop': return NF.STOP;
    default: throw new TypeError(`unknown verdict "${String(v)}"`);
  }
}

/** Turns a decoded NFQA_* message into a QueuedPacket. */
function toPacket(o: Record<string, any>): QueuedPacket | undefined {
  const hdr = o.packet_hdr;
  if (!hdr || hdr.packet_id === undefined) return undefined;
  const p: QueuedPacket = { queue: o.res_id, id: hdr.packet_id, ...packetMeta(o) };
  if (o.cap_len !== undefined) p.capLen = o.cap_len;
  if (o.ct_info !== undefined) p.ctInfo = CT_INFO_NAMES[o.ct_info] ?? o.ct_info;
  if (o.ct?.mark !== undefined) p.ctmark = o.ct.mark;
  if (o.skb_info !== undefined) {
    p.skbInfo = { csumNotReady: !!(o.skb_info & NFQA_SKB.CSUMNOTREADY), gso: !!(o.skb_info & NFQA_SKB.GSO), csumNotVerified: !!(o.skb_info & NFQA_SKB.CSUM_NOTVERIFIED) };
  }
  if (o.secctx !== undefined) p.secctx = o.secctx;
  if (o.vlan) p.vlan = { proto: o.vlan.proto ?? 0, tci: o.vlan.tci ?? 0 };
  if (o.l2hdr !== undefined) p.l2hdr = o.l2hdr;
  if (o.priority !== undefined) p.priority = o.priority;
  if (o.$unknown !== undefined) p.$unknown = o.$unknown;
  return p;
}

const PACKET_TYPE = nfnlType(NFNL_SUBSYS.QUEUE, NFQNL_MSG.PACKET);
const CONFIG_TYPE = nfnlType(NFNL_SUBSYS.QUEUE, NFQNL_MSG.CONFIG);
const VERDICT_TYPE = nfnlType(NFNL_SUBSYS.QUEUE, NFQNL_MSG.VERDICT);
const VERDICT_BATCH_TYPE = nfnlType(NFNL_SUBSYS.QUEUE, NFQNL_MSG.VERDICT_BATCH);

/**
 * A bound queue: iterate it for packets, answer each with verdict() (or many at once with
 * verdictBatch()). A packet without a verdict waits in the kernel; closing the queue drops it.
 * When the kernel queue is full, new packets are dropped, or accepted with 'fail-open'.
 */
export class NfQueue implements AsyncIterable<QueuedPacket | Overrun>, AsyncDisposable {
  /** The queue number. */
  readonly num: number;
  /** The queue's socket. */
  readonly socket: NetlinkSocket;
  private readonly iter: AsyncIterableIterator<QueuedPacket | Overrun>;

  /** @internal use openQueue(). */
  constructor(num: number, socket: NetlinkSocket, highWaterMark: number) {
    this.num = num;
    this.socket = socket;
    this.iter = socket.events<QueuedPacket>({
      highWaterMark,
      decode: (r: MessageReader, _meta: EventMeta) => {
        if (r.type !== PACKET_TYPE) return undefined;
        return toPacket(nfqaCodec.decode(r) as unknown as Record<string, unknown>);
      },
    });
  }

  [Symbol.asyncIterator](): AsyncIterableIterator<QueuedPacket | Overrun> {
    return this.iter;
  }

  /** Answers one packet (by itself or its id). Sent without waiting for an acknowledgement. */
  verdict(packet: QueuedPacket | number, verdict: Verdict, opts: VerdictOptions = {}): void {
    this.sendVerdict(VERDICT_TYPE, typeof packet === 'number' ? packet : packet.id, verdict, opts);
  }

  /** Answers every packet with an id up to `id` still waiting in this queue (NFQNL_MSG_VERDICT_BATCH), with one verdict and mark. */
  verdictBatch(id: QueuedPacket | number, verdict: Verdict, opts: Pick<VerdictOptions, 'mark'> = {}): void {
    this.sendVerdict(VERDICT_BATCH_TYPE, typeof id === 'number' ? id : id.id, verdict, opts);
  }

  private sendVerdict(type: number, id: number, verdict: Verdict, opts: VerdictOptions): void {
    const msg = nfqaCodec.encode(type, NLM_F_REQUEST, {
      family: 0, version: 0, res_id: this.num,
      verdict_hdr: { verdict: verdictValue(verdict), id },
      ...(opts.mark !== undefined ? { mark: opts.mark >>> 0 } : {}),
      ...(opts.ctmark !== undefined ? { ct: { mark: opts.ctmark >>> 0 } } : {}),
      ...(opts.payload ? { payload: opts.payload } : {}),
    } as never);
    this.socket.send(msg);
  }

  /** Unbinds the queue and closes its socket (packets without a verdict are dropped by the kernel). */
  close(): void {
    if (this.socket.closed) return;
    void this.iter.return?.();
    this.socket.close();
  }

  async [Symbol.asyncDispose](): Promise<void> {
    this.close();
  }
}

/** Sends one NFQNL_MSG_CONFIG and waits for its acknowledgement. */
async function config(sock: NetlinkSocket, num: number, fields: Record<string, unknown>): Promise<void> {
  await sock.request(nfqaCfgCodec.encode(CONFIG_TYPE, NLM_F_ACK, { family: 0, version: 0, res_id: num, ...fields } as never), { headerSize: 4 });
}

/**
 * Binds queue `num` (what `-j NFQUEUE --queue-num NUM` sends packets to) and configures it.
 * Rejects with EBUSY when another socket holds the queue.
 */
export async function openQueue(num: number, opts: QueueOptions = {}): Promise<NfQueue> {
  const sock = openNetfilter({ ...(opts.netns !== undefined ? { netns: opts.netns } : {}), rcvbuf: opts.rcvbuf ?? 8 * 1024 * 1024 });
  try {
    const q = new NfQueue(num, sock, opts.highWaterMark ?? 1024);
    await config(sock, num, { cmd: { command: NFQNL_CFG_CMD.BIND, pf: 0 } });
    const copy = COPY[opts.copy ?? 'packet'];
    if (copy === undefined) throw new TypeError(`unknown copy mode "${String(opts.copy)}"`);
    await config(sock, num, { params: { copy_range: opts.range ?? 0xffff, copy_mode: copy, $len: 5 } });
    if (opts.maxlen !== undefined) await config(sock, num, { queue_maxlen: opts.maxlen });
    if (opts.flags && opts.flags.length > 0) {
      let bits = 0;
      for (const f of opts.flags) {
        const b = FLAG_BITS[f];
        if (b === undefined) throw new TypeError(`unknown queue flag "${f}"`);
        bits |= b;
      }
      await config(sock, num, { mask: bits, flags: bits });
    }
    return q;
  } catch (e) {
    sock.close();
    throw e;
  }
}
