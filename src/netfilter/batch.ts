// nfnetlink transactions: messages of one subsystem (nf_tables) sent in one datagram between
// NFNL_MSG_BATCH_BEGIN and NFNL_MSG_BATCH_END. The kernel applies them all or none, and answers
// each message that asked for an ACK (all of them, here) after the whole batch, with its own
// error, so a refusal names the message that caused it.
import { ackError } from '../socket/ack-error.js';
import type { Exchange, Outcome } from '../socket/exchange.js';
import { NetlinkError, type FamilyOptions, type NetlinkSocket } from '../socket/index.js';
import { HOST_LE, MessageWriter, NLM_F_ACK, NLM_F_REQUEST, NLMSG_ERROR, NLMSG_HDRLEN, parseAck, viewOf, type Ack, type MessageReader } from '../wire/index.js';
import { NFNL_MSG } from './constants.js';
import { withNetfilterSocket, writeNfgenmsg } from './nfnetlink.js';

/** What {@link sendTransaction} resolves with: the messages the kernel refused, by index. */
export interface TransactionResult {
  /** True when every message was accepted (the kernel committed the batch). */
  committed: boolean;
  errors: { index: number; error: NetlinkError }[];
}

class TxItem implements Exchange {
  readonly lossy = true;
  reserved = 0;
  constructor(readonly seq: number, readonly peer: number, private readonly bytes: Uint8Array, private readonly sock: NetlinkSocket,
    private readonly done: (err: Error | null) => void) {}

  onMessage(r: MessageReader): Outcome {
    if (r.type !== NLMSG_ERROR) return undefined;
    const code = r.payloadEnd - r.payloadStart >= 4 ? r.view.getInt32(r.payloadStart, HOST_LE) : 0;
    if (code === 0) return null;
    const ack = parseAck(r.buf, r.payloadStart, r.payloadEnd, r.flags);
    const a: Ack = ack instanceof Error ? { error: code, request: { length: 0, type: 0, flags: 0, seq: this.seq, pid: 0 } } : ack;
    return ackError(this.sock.opName(viewOf(this.bytes).getUint16(4, HOST_LE)), a, this.bytes, 4);
  }

  settled(err: Error | null): void {
    this.done(err);
  }
}

/**
 * Sends `messages` (complete netlink messages of subsystem `subsys`, e.g. NFNL_SUBSYS_NFTABLES)
 * as one transaction and waits for every message's answer. Refusals are returned by index,
 * not thrown: when there is any, the kernel applied none of the batch.
 */
export async function sendTransaction(subsys: number, messages: readonly Uint8Array[], opts: FamilyOptions = {}): Promise<TransactionResult> {
  return withNetfilterSocket(opts, async (sock) => {
    const d = sock.dispatcher;
    const w = new MessageWriter(64 + messages.reduce((n, m) => n + m.byteLength, 0));
    w.begin(NFNL_MSG.BATCH_BEGIN, NLM_F_REQUEST, d.nextSeq());
    writeNfgenmsg(w, 0, subsys);
    w.end();
    const items: { at: number; seq: number }[] = [];
    for (const m of messages) {
      if (m.byteLength < NLMSG_HDRLEN) throw new TypeError('a transaction message is not a complete netlink message');
      const at = w.bytes(m);
      const dv = w.view;
      const seq = d.nextSeq();
      dv.setUint16(at + 6, dv.getUint16(at + 6, HOST_LE) | NLM_F_REQUEST | NLM_F_ACK, HOST_LE);
      dv.setUint32(at + 8, seq, HOST_LE);
      items.push({ at, seq });
    }
    w.begin(NFNL_MSG.BATCH_END, NLM_F_REQUEST, d.nextSeq());
    writeNfgenmsg(w, 0, subsys);
    w.end();
    const pack = w.finish().slice();
    const errors: { index: number; error: NetlinkError }[] = [];
    let failure: Error | null = null;
    const waits = items.map(({ at, seq }, index) => new Promise<void>((resolve) => {
      const bytes = pack.slice(at, at + viewOf(pack).getUint32(at, HOST_LE));
      d.register(new TxItem(seq, sock.peer, bytes, sock, (err) => {
        if (err instanceof NetlinkError) errors.push({ index, error: err });
        else if (err) failure ??= err;
        resolve();
      }));
    }));
    sock.growReceiveBuffer(items.length * 2048);
    sock.sendToPeer(pack);
    sock.updateReading();
    await Promise.all(waits);
    if (failure) throw failure;
    errors.sort((a, b) => a.index - b.index);
    return { committed: errors.length === 0, errors };
  });
}
