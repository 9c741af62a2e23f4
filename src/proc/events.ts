// Connector process events (NETLINK_CONNECTOR, CN_IDX_PROC): the PROC_CN_MCAST_LISTEN handshake
// and struct proc_event decoded. Host-wide: the kernel sends them from the initial namespaces.
import { NetlinkSocket, Subscription, type EventMeta } from '../socket/index.js';
import { MessageWriter, NETLINK_CONNECTOR, NLMSG_DONE, type MessageReader } from '../wire/index.js';
import {
  CN_IDX_PROC, CN_VAL_PROC, PROC_CN_MCAST_IGNORE, PROC_CN_MCAST_LISTEN, PROC_EVENT_COMM, PROC_EVENT_COREDUMP, PROC_EVENT_EXEC,
  PROC_EVENT_EXIT, PROC_EVENT_FORK, PROC_EVENT_GID, PROC_EVENT_NONE, PROC_EVENT_PTRACE, PROC_EVENT_SID, PROC_EVENT_UID,
} from './gen/cn_proc.js';
import { decodeText } from '../wire/text.js';

/** One process event (struct proc_event); `what` names its kind, the other fields are its data. */
export type ProcEvent =
  | ProcBase & { what: 'ack'; err: number }
  | ProcBase & { what: 'fork'; parentPid: number; parentTgid: number; childPid: number; childTgid: number }
  | ProcBase & { what: 'exec' | 'sid'; pid: number; tgid: number }
  | ProcBase & { what: 'uid' | 'gid'; pid: number; tgid: number; real: number; effective: number }
  | ProcBase & { what: 'ptrace'; pid: number; tgid: number; tracerPid: number; tracerTgid: number }
  | ProcBase & { what: 'comm'; pid: number; tgid: number; comm: string }
  | ProcBase & { what: 'coredump'; pid: number; tgid: number; parentPid: number; parentTgid: number }
  | ProcBase & { what: 'exit'; pid: number; tgid: number; exitCode: number; exitSignal: number; parentPid: number; parentTgid: number }
  | ProcBase & { what: 'unknown'; type: number; data: Uint8Array };

/** Fields every process event has. */
export interface ProcBase {
  /** The CPU it happened on. */
  cpu: number;
  /** Nanoseconds since boot (CLOCK_MONOTONIC). */
  timestampNs: bigint;
}

// sizeof(struct cn_msg) and the offset of proc_event.event_data.
const CN_MSG = 20;
const EVENT_DATA = 16;

/** The control message that subscribes (PROC_CN_MCAST_LISTEN) or unsubscribes. */
function control(op: number): Uint8Array {
  const w = new MessageWriter(64);
  w.begin(NLMSG_DONE, 0, 0, 0);
  const at = w.struct(CN_MSG + 4);
  w.end();
  const msg = w.finish();
  const dv = new DataView(msg.buffer, msg.byteOffset, msg.byteLength);
  dv.setUint32(at, CN_IDX_PROC, true);
  dv.setUint32(at + 4, CN_VAL_PROC, true);
  dv.setUint16(at + 16, 4, true);
  dv.setUint32(at + CN_MSG, op, true);
  return msg;
}

/** Decodes one connector message into a process event; undefined for other connector users. */
export function decodeProcEvent(b: Uint8Array): ProcEvent | undefined {
  if (b.byteLength < CN_MSG + EVENT_DATA) return undefined;
  const dv = new DataView(b.buffer, b.byteOffset, b.byteLength);
  if (dv.getUint32(0, true) !== CN_IDX_PROC || dv.getUint32(4, true) !== CN_VAL_PROC) return undefined;
  const p = CN_MSG;
  const len = Math.min(dv.getUint16(16, true), b.byteLength - p);
  const type = dv.getUint32(p, true);
  const base: ProcBase = { cpu: dv.getUint32(p + 4, true), timestampNs: dv.getBigUint64(p + 8, true) };
  const d = p + EVENT_DATA;
  const room = len - EVENT_DATA;
  const u = (i: number) => dv.getUint32(d + 4 * i, true);
  const i = (k: number) => dv.getInt32(d + 4 * k, true);
  const need = (n: number) => room >= n;
  switch (type) {
    case PROC_EVENT_NONE: if (need(4)) return { ...base, what: 'ack', err: u(0) }; break;
    case PROC_EVENT_FORK: if (need(16)) return { ...base, what: 'fork', parentPid: i(0), parentTgid: i(1), childPid: i(2), childTgid: i(3) }; break;
    case PROC_EVENT_EXEC: if (need(8)) return { ...base, what: 'exec', pid: i(0), tgid: i(1) }; break;
    case PROC_EVENT_SID: if (need(8)) return { ...base, what: 'sid', pid: i(0), tgid: i(1) }; break;
    case PROC_EVENT_UID: case PROC_EVENT_GID:
      if (need(16)) return { ...base, what: type === PROC_EVENT_UID ? 'uid' : 'gid', pid: i(0), tgid: i(1), real: u(2), effective: u(3) };
      break;
    case PROC_EVENT_PTRACE: if (need(16)) return { ...base, what: 'ptrace', pid: i(0), tgid: i(1), tracerPid: i(2), tracerTgid: i(3) }; break;
    case PROC_EVENT_COMM:
      if (need(24)) {
        const raw = b.subarray(d + 8, d + 24);
        const nul = raw.indexOf(0);
        return { ...base, what: 'comm', pid: i(0), tgid: i(1), comm: decodeText(raw.subarray(0, nul < 0 ? raw.byteLength : nul)) };
      }
      break;
    case PROC_EVENT_COREDUMP: if (need(16)) return { ...base, what: 'coredump', pid: i(0), tgid: i(1), parentPid: i(2), parentTgid: i(3) }; break;
    case PROC_EVENT_EXIT:
      if (need(24)) return { ...base, what: 'exit', pid: i(0), tgid: i(1), exitCode: u(2), exitSignal: u(3), parentPid: i(4), parentTgid: i(5) };
      break;
  }
  return { ...base, what: 'unknown', type, data: b.slice(d, p + len) };
}

/** Options of {@link procEvents}. */
export interface ProcEventOptions {
  /** Ends the subscription. */
  signal?: AbortSignal;
}

/**
 * Subscribes to process events: joins CN_IDX_PROC and sends PROC_CN_MCAST_LISTEN (the kernel
 * counts listeners; close() sends PROC_CN_MCAST_IGNORE). Needs CAP_NET_ADMIN in the initial
 * user namespace. Every process of the host is reported: filter by pid.
 */
export function procEvents(opts: ProcEventOptions = {}): Subscription<ProcEvent> {
  const sock = NetlinkSocket.open(NETLINK_CONNECTOR);
  const decode = (r: MessageReader, _meta: EventMeta) => decodeProcEvent(r.buf.slice(r.payloadStart, r.payloadEnd));
  const sub = new Subscription<ProcEvent>({
    socket: sock,
    owned: true,
    decode,
    join: (s) => {
      s.join(CN_IDX_PROC);
      s.send(control(PROC_CN_MCAST_LISTEN), 0, 0);
    },
    ...(opts.signal ? { signal: opts.signal } : {}),
  });
  const close = sub.close.bind(sub);
  let done = false;
  sub.close = () => {
    if (!done) {
      done = true;
      try {
        sock.send(control(PROC_CN_MCAST_IGNORE), 0, 0);
      } catch {
        // The socket is gone already; the kernel's count drops when it closes.
      }
    }
    close();
  };
  return sub;
}
