// nfnetlink_log (the NFLOG target): bind a group number, set the copy mode, receive each logged
// packet with the rule's prefix and the packet's metadata. Logging never holds packets back, so
// a slow reader loses log messages (reported as an Overrun item), not traffic.
import { FlatMessageCodec } from '../schema/index.js';
import { Subscription, type FamilyOptions, type NetlinkSocket } from '../socket/index.js';
import { NLM_F_ACK, type MessageReader } from '../wire/index.js';
import { nfulaAttrs, nfulaCfgAttrs } from './log-attrs.js';
import { NFNL_SUBSYS, NFULNL_CFG_CMD, NFULNL_CFG_F, NFULNL_COPY, NFULNL_MSG } from './constants.js';
import { nfnlType, openNetfilter } from './nfnetlink.js';
import { packetMeta, type PacketMeta } from './packet-meta.js';
import type { CopyMode } from './queue.js';
import { nfgenmsg } from './structs.js';

/** nfgenmsg + NFULA_* (logged packets). */
export const nfulaCodec = new FlatMessageCodec(nfgenmsg, nfulaAttrs);
/** nfgenmsg + NFULA_CFG_* (log group configuration). */
export const nfulaCfgCodec = new FlatMessageCodec(nfgenmsg, nfulaCfgAttrs);

const COPY: Record<CopyMode, number> = { none: NFULNL_COPY.NONE, meta: NFULNL_COPY.META, packet: NFULNL_COPY.PACKET };
const PACKET_TYPE = nfnlType(NFNL_SUBSYS.ULOG, NFULNL_MSG.PACKET);
const CONFIG_TYPE = nfnlType(NFNL_SUBSYS.ULOG, NFULNL_MSG.CONFIG);

/** A logged packet; optional fields are absent when the kernel did not send them. */
export interface LoggedPacket extends PacketMeta {
  /** The group it was logged to. */
  group: number;
  /** The rule's --nflog-prefix. */
  prefix?: string;
  hwtype?: number;
  hwheader?: Uint8Array;
  /** Per-group and global sequence numbers, with the 'seq' and 'seq-global' flags. */
  seq?: number;
  seqGlobal?: number;
  /** Attributes this version does not know, kept as bytes. */
  $unknown?: unknown;
}

/** Options of {@link logGroup}. */
export interface LogOptions extends FamilyOptions {
  /** Copy mode (default 'packet'). */
  copy?: CopyMode;
  /** Bytes of each packet copied in 'packet' mode (default 0xffff). */
  range?: number;
  /** Packets the kernel gathers before sending (NFULA_CFG_QTHRESH; default 1: each at once). */
  qthresh?: number;
  /** Hundredths of a second the kernel waits before sending a partial batch (NFULA_CFG_TIMEOUT). */
  flushTimeout?: number;
  /** Sequence numbers to add. */
  flags?: readonly ('seq' | 'seq-global' | 'conntrack')[];
}

function toLogged(o: Record<string, any>): LoggedPacket {
  const p: LoggedPacket = { group: o.res_id, ...packetMeta(o) };
  if (o.prefix !== undefined) p.prefix = o.prefix;
  if (o.hwtype !== undefined) p.hwtype = o.hwtype;
  if (o.hwheader !== undefined) p.hwheader = o.hwheader;
  if (o.seq !== undefined) p.seq = o.seq;
  if (o.seq_global !== undefined) p.seqGlobal = o.seq_global;
  if (o.$unknown !== undefined) p.$unknown = o.$unknown;
  return p;
}

async function config(sock: NetlinkSocket, group: number, fields: Record<string, unknown>): Promise<void> {
  await sock.request(nfulaCfgCodec.encode(CONFIG_TYPE, NLM_F_ACK, { family: 0, version: 0, res_id: group, ...fields } as never), { headerSize: 4 });
}

/**
 * Binds NFLOG group `group` (what `-j NFLOG --nflog-group N` logs to) and returns its packets
 * as a Subscription. Rejects with EBUSY when another socket has the group.
 */
export async function logGroup(group: number, opts: LogOptions = {}): Promise<Subscription<LoggedPacket>> {
  const owned = !opts.socket;
  const sock = opts.socket ?? openNetfilter({ ...(opts.netns !== undefined ? { netns: opts.netns } : {}), rcvbuf: 8 * 1024 * 1024 });
  try {
    const sub = new Subscription<LoggedPacket>({
      socket: sock, owned, signal: opts.signal,
      decode: (r: MessageReader) => (r.type === PACKET_TYPE ? toLogged(nfulaCodec.decode(r) as never) : undefined),
      join: () => {},
    });
    await config(sock, group, { cmd: { command: NFULNL_CFG_CMD.BIND } });
    const copy = COPY[opts.copy ?? 'packet'];
    if (copy === undefined) throw new TypeError(`unknown copy mode "${String(opts.copy)}"`);
    await config(sock, group, { mode: { copy_range: opts.range ?? 0xffff, copy_mode: copy } });
    await config(sock, group, { qthresh: opts.qthresh ?? 1 });
    if (opts.flushTimeout !== undefined) await config(sock, group, { timeout: opts.flushTimeout });
    if (opts.flags?.length) {
      let bits = 0;
      for (const f of opts.flags) {
        const b = f === 'seq' ? NFULNL_CFG_F.SEQ : f === 'seq-global' ? NFULNL_CFG_F.SEQ_GLOBAL : f === 'conntrack' ? NFULNL_CFG_F.CONNTRACK : undefined;
        if (b === undefined) throw new TypeError(`unknown log flag "${f}"`);
        bits |= b;
      }
      await config(sock, group, { flags: bits });
    }
    return sub;
  } catch (e) {
    if (owned) sock.close();
    throw e;
  }
}
