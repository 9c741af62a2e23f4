// `conntrack -L`'s lines straight from the dump's datagrams: each CTA_* message is walked once
// and written as formatConntrack() writes the decoded entry, without building the entry's
// objects (nlkit conntrack -L without client-side filters or JSON: 100,000 entries).
import { formatIp } from '../schema/index.js';
import { Dump, type FamilyOptions } from '../socket/index.js';
import { decodeText } from '../wire/index.js';
import { conntrackDumpRequest, PROTO_NAMES, TCP_STATE_NAMES, type ConntrackFilter } from './conntrack.js';
import { CTA, CTA_COUNTERS, CTA_HELP, CTA_IP, CTA_PROTO, CTA_PROTOINFO, CTA_PROTOINFO_TCP, CTA_TUPLE, IPS } from './constants.js';
import { openNetfilter } from './nfnetlink.js';

const NLA_TYPE_MASK = 0x3fff;

/**
 * Calls `fn(type, start, end)` for each attribute in [start, end) of `dv` (payload bounds); stops
 * at the first one whose length does not fit, as the kernel's nla_for_each_attr does.
 */
function eachAttr(dv: DataView, start: number, end: number, fn: (type: number, at: number, stop: number) => void): void {
  let at = start;
  while (at + 4 <= end) {
    const len = dv.getUint16(at, true);
    if (len < 4 || at + len > end) return;
    fn(dv.getUint16(at + 2, true) & NLA_TYPE_MASK, at + 4, at + len);
    at += (len + 3) & ~3;
  }
}

interface TupleText {
  src: string;
  dst: string;
  protocol: number;
  sport: number | undefined;
  dport: number | undefined;
  type: number | undefined;
  code: number | undefined;
  id: number | undefined;
}

function tupleAt(buf: Uint8Array, dv: DataView, start: number, end: number): TupleText {
  const t: TupleText = { src: '', dst: '', protocol: 0, sport: undefined, dport: undefined, type: undefined, code: undefined, id: undefined };
  eachAttr(dv, start, end, (type, a, b) => {
    if (type === CTA_TUPLE.IP) {
      eachAttr(dv, a, b, (k, x, y) => {
        if (k === CTA_IP.V4_SRC || k === CTA_IP.V6_SRC) t.src = formatIp(buf, x, y - x);
        else if (k === CTA_IP.V4_DST || k === CTA_IP.V6_DST) t.dst = formatIp(buf, x, y - x);
      });
    } else if (type === CTA_TUPLE.PROTO) {
      eachAttr(dv, a, b, (k, x, y) => {
        const n = y - x;
        if (k === CTA_PROTO.NUM && n >= 1) t.protocol = buf[x]!;
        else if (k === CTA_PROTO.SRC_PORT && n >= 2) t.sport = dv.getUint16(x);
        else if (k === CTA_PROTO.DST_PORT && n >= 2) t.dport = dv.getUint16(x);
        else if ((k === CTA_PROTO.ICMP_ID || k === CTA_PROTO.ICMPV6_ID) && n >= 2) t.id = dv.getUint16(x);
        else if ((k === CTA_PROTO.ICMP_TYPE || k === CTA_PROTO.ICMPV6_TYPE) && n >= 1) t.type = buf[x]!;
        else if ((k === CTA_PROTO.ICMP_CODE || k === CTA_PROTO.ICMPV6_CODE) && n >= 1) t.code = buf[x]!;
      });
    }
  });
  return t;
}

function tupleText(t: TupleText): string {
  let s = `src=${t.src} dst=${t.dst} `;
  if (t.sport !== undefined || t.dport !== undefined) s += `sport=${t.sport ?? 0} dport=${t.dport ?? 0} `;
  else if (t.type !== undefined) s += `type=${t.type} code=${t.code ?? 0} id=${t.id ?? 0} `;
  return s;
}

function countersAt(dv: DataView, start: number, end: number): string {
  let packets = 0n;
  let bytes = 0n;
  eachAttr(dv, start, end, (k, x, y) => {
    if (y - x < 8) return;
    if (k === CTA_COUNTERS.PACKETS) packets = dv.getBigUint64(x);
    else if (k === CTA_COUNTERS.BYTES) bytes = dv.getBigUint64(x);
  });
  return `packets=${packets} bytes=${bytes} `;
}

/** The `conntrack -L` line of the CTA_* message whose nlmsghdr starts at `off` (as formatConntrack(toConntrack(…)) writes it). */
export function conntrackLineAt(buf: Uint8Array, dv: DataView, off: number): string {
  const end = Math.min(off + dv.getUint32(off, true), buf.byteLength);
  let orig: TupleText | undefined;
  let reply: TupleText | undefined;
  let status = 0;
  let timeout: number | undefined;
  let mark: number | undefined;
  let use: number | undefined;
  let secmark: number | undefined;
  let zone: number | undefined;
  let helper: string | undefined;
  let tcpState: number | undefined;
  let countersOrig: string | undefined;
  let countersReply: string | undefined;
  eachAttr(dv, off + 16 + 4, end, (type, a, b) => {
    const u32 = () => (b - a >= 4 ? dv.getUint32(a) : undefined);
    switch (type) {
      case CTA.TUPLE_ORIG: orig = tupleAt(buf, dv, a, b); break;
      case CTA.TUPLE_REPLY: reply = tupleAt(buf, dv, a, b); break;
      case CTA.STATUS: status = u32() ?? 0; break;
      case CTA.TIMEOUT: timeout = u32(); break;
      case CTA.MARK: mark = u32(); break;
      case CTA.USE: use = u32(); break;
      case CTA.SECMARK: secmark = u32(); break;
      case CTA.ZONE: if (b - a >= 2) zone = dv.getUint16(a); break;
      case CTA.COUNTERS_ORIG: countersOrig = countersAt(dv, a, b); break;
      case CTA.COUNTERS_REPLY: countersReply = countersAt(dv, a, b); break;
      case CTA.PROTOINFO:
        eachAttr(dv, a, b, (k, x, y) => {
          if (k === CTA_PROTOINFO.TCP) eachAttr(dv, x, y, (j, p, q) => {
            if (j === CTA_PROTOINFO_TCP.STATE && q > p) tcpState = buf[p]!;
          });
        });
        break;
      case CTA.HELP:
        eachAttr(dv, a, b, (k, x, y) => {
          if (k !== CTA_HELP.NAME) return;
          let z = x;
          while (z < y && buf[z] !== 0) z++;
          helper = decodeText(buf.subarray(x, z));
        });
        break;
    }
  });
  const none: TupleText = { src: '', dst: '', protocol: 0, sport: undefined, dport: undefined, type: undefined, code: undefined, id: undefined };
  const o = orig ?? none;
  const p = o.protocol;
  let s = `${(PROTO_NAMES[p] ?? 'unknown').padEnd(8)} ${p} `;
  if (timeout !== undefined) s += `${timeout} `;
  if (tcpState !== undefined) s += `${TCP_STATE_NAMES[tcpState] ?? String(tcpState)} `;
  s += tupleText(o);
  if (countersOrig !== undefined || countersReply !== undefined) s += countersOrig ?? 'packets=0 bytes=0 ';
  if (!(status & IPS.SEEN_REPLY)) s += '[UNREPLIED] ';
  s += tupleText(reply ?? none);
  if (countersOrig !== undefined || countersReply !== undefined) s += countersReply ?? 'packets=0 bytes=0 ';
  if (status & IPS.ASSURED) s += '[ASSURED] ';
  if (mark !== undefined) s += `mark=${mark} `;
  if (secmark) s += `secmark=${secmark} `;
  if (zone !== undefined) s += `zone=${zone} `;
  if (helper !== undefined) s += `helper=${helper} `;
  if (use !== undefined) s += `use=${use} `;
  return s.trimEnd();
}

/** Dumps the connection table as `conntrack -L` lines (one array a datagram), filtered by the kernel. */
export function dumpConntrackText(filter: ConntrackFilter = {}, opts: FamilyOptions = {}): Dump<string> {
  const netns = opts.netns;
  return new Dump<string>({
    socket: opts.socket,
    open: () => openNetfilter({ readAhead: true, ...(netns !== undefined ? { netns } : {}) }),
    request: conntrackDumpRequest(filter),
    decodeBatch: ((buf: Uint8Array, dv: DataView, offsets: readonly number[], out: string[]) => {
      for (const off of offsets) out.push(conntrackLineAt(buf, dv, off));
    }) as never,
    headerSize: 4,
    signal: opts.signal,
    ...(opts.timeout !== undefined ? { timeout: opts.timeout } : {}),
  });
}
