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

// Attribute walks without callbacks: a closure a call would be garbage per entry, and 100,000
// entries make the collector the biggest cost. attrAt() steps through [start, end) and leaves
// the current attribute in these four (type, payload bounds, the next one's offset), as
// nla_for_each_attr does; a loop that walks a nest inside saves its own next offset first.
let aType = 0;
let aStart = 0;
let aEnd = 0;
let aNext = 0;

/** Steps to the attribute at `at` (below `end`); false when none fits (a bad length ends the walk). */
function attrAt(dv: DataView, at: number, end: number): boolean {
  if (at + 4 > end) return false;
  const len = dv.getUint16(at, true);
  if (len < 4 || at + len > end) return false;
  aType = dv.getUint16(at + 2, true) & NLA_TYPE_MASK;
  aStart = at + 4;
  aEnd = at + len;
  aNext = at + ((len + 3) & ~3);
  return true;
}

/** One direction's text as conntrack prints it: `src=… dst=… sport=… dport=… ` (or ICMP's type, code, id). */
function tupleText(buf: Uint8Array, dv: DataView, start: number, end: number): { text: string; protocol: number } {
  let src = '';
  let dst = '';
  let protocol = 0;
  let sport = -1;
  let dport = -1;
  let type = -1;
  let code = -1;
  let id = -1;
  for (let at = start; attrAt(dv, at, end);) {
    const t = aType;
    const e = aEnd;
    const next = aNext;
    if (t === CTA_TUPLE.IP) {
      for (let x = aStart; attrAt(dv, x, e); x = aNext) {
        if (aType === CTA_IP.V4_SRC || aType === CTA_IP.V6_SRC) src = formatIp(buf, aStart, aEnd - aStart);
        else if (aType === CTA_IP.V4_DST || aType === CTA_IP.V6_DST) dst = formatIp(buf, aStart, aEnd - aStart);
      }
    } else if (t === CTA_TUPLE.PROTO) {
      for (let x = aStart; attrAt(dv, x, e); x = aNext) {
        const k = aType;
        const n = aEnd - aStart;
        if (k === CTA_PROTO.NUM && n >= 1) protocol = buf[aStart]!;
        else if (k === CTA_PROTO.SRC_PORT && n >= 2) sport = dv.getUint16(aStart);
        else if (k === CTA_PROTO.DST_PORT && n >= 2) dport = dv.getUint16(aStart);
        else if ((k === CTA_PROTO.ICMP_ID || k === CTA_PROTO.ICMPV6_ID) && n >= 2) id = dv.getUint16(aStart);
        else if ((k === CTA_PROTO.ICMP_TYPE || k === CTA_PROTO.ICMPV6_TYPE) && n >= 1) type = buf[aStart]!;
        else if ((k === CTA_PROTO.ICMP_CODE || k === CTA_PROTO.ICMPV6_CODE) && n >= 1) code = buf[aStart]!;
      }
    }
    at = next;
  }
  let text = `src=${src} dst=${dst} `;
  if (sport >= 0 || dport >= 0) text += `sport=${Math.max(sport, 0)} dport=${Math.max(dport, 0)} `;
  else if (type >= 0) text += `type=${type} code=${Math.max(code, 0)} id=${Math.max(id, 0)} `;
  return { text, protocol };
}

/** `packets=… bytes=… ` of a CTA_COUNTERS_* nest. */
function countersText(dv: DataView, start: number, end: number): string {
  let packets = 0n;
  let bytes = 0n;
  for (let at = start; attrAt(dv, at, end); at = aNext) {
    if (aEnd - aStart < 8) continue;
    if (aType === CTA_COUNTERS.PACKETS) packets = dv.getBigUint64(aStart);
    else if (aType === CTA_COUNTERS.BYTES) bytes = dv.getBigUint64(aStart);
  }
  return `packets=${packets} bytes=${bytes} `;
}

/** The TCP state in a CTA_PROTOINFO nest, or -1. */
function tcpStateIn(buf: Uint8Array, dv: DataView, start: number, end: number): number {
  let state = -1;
  for (let at = start; attrAt(dv, at, end);) {
    const next = aNext;
    if (aType === CTA_PROTOINFO.TCP) {
      for (let x = aStart, e = aEnd; attrAt(dv, x, e); x = aNext) if (aType === CTA_PROTOINFO_TCP.STATE && aEnd > aStart) state = buf[aStart]!;
    }
    at = next;
  }
  return state;
}

/** The helper's name in a CTA_HELP nest. */
function helperIn(buf: Uint8Array, dv: DataView, start: number, end: number): string | undefined {
  let name: string | undefined;
  for (let at = start; attrAt(dv, at, end); at = aNext) {
    if (aType !== CTA_HELP.NAME) continue;
    let z = aStart;
    while (z < aEnd && buf[z] !== 0) z++;
    name = decodeText(buf.subarray(aStart, z));
  }
  return name;
}

const NO_TUPLE = { text: 'src= dst= ', protocol: 0 };

/** The `conntrack -L` line of the CTA_* message whose nlmsghdr starts at `off` (as formatConntrack(toConntrack(…)) writes it). */
export function conntrackLineAt(buf: Uint8Array, dv: DataView, off: number): string {
  const end = Math.min(off + dv.getUint32(off, true), buf.byteLength);
  let orig = NO_TUPLE;
  let reply = NO_TUPLE;
  let status = 0;
  let timeout = -1;
  let mark = -1;
  let use = -1;
  let secmark = 0;
  let zone = -1;
  let helper: string | undefined;
  let tcpState = -1;
  let countersOrig: string | undefined;
  let countersReply: string | undefined;
  for (let at = off + 16 + 4; attrAt(dv, at, end);) {
    const a = aStart;
    const b = aEnd;
    const next = aNext;
    const u32 = b - a >= 4 ? dv.getUint32(a) : -1;
    switch (aType) {
      case CTA.TUPLE_ORIG: orig = tupleText(buf, dv, a, b); break;
      case CTA.TUPLE_REPLY: reply = tupleText(buf, dv, a, b); break;
      case CTA.STATUS: status = Math.max(u32, 0); break;
      case CTA.TIMEOUT: timeout = u32; break;
      case CTA.MARK: mark = u32; break;
      case CTA.USE: use = u32; break;
      case CTA.SECMARK: secmark = Math.max(u32, 0); break;
      case CTA.ZONE: if (b - a >= 2) zone = dv.getUint16(a); break;
      case CTA.COUNTERS_ORIG: countersOrig = countersText(dv, a, b); break;
      case CTA.COUNTERS_REPLY: countersReply = countersText(dv, a, b); break;
      case CTA.PROTOINFO: tcpState = tcpStateIn(buf, dv, a, b); break;
      case CTA.HELP: helper = helperIn(buf, dv, a, b); break;
    }
    at = next;
  }
  const p = orig.protocol;
  let s = `${(PROTO_NAMES[p] ?? 'unknown').padEnd(8)} ${p} `;
  if (timeout >= 0) s += `${timeout} `;
  if (tcpState >= 0) s += `${TCP_STATE_NAMES[tcpState] ?? String(tcpState)} `;
  s += orig.text;
  const counters = countersOrig !== undefined || countersReply !== undefined;
  if (counters) s += countersOrig ?? 'packets=0 bytes=0 ';
  if (!(status & IPS.SEEN_REPLY)) s += '[UNREPLIED] ';
  s += reply.text;
  if (counters) s += countersReply ?? 'packets=0 bytes=0 ';
  if (status & IPS.ASSURED) s += '[ASSURED] ';
  if (mark >= 0) s += `mark=${mark} `;
  if (secmark) s += `secmark=${secmark} `;
  if (zone >= 0) s += `zone=${zone} `;
  if (helper !== undefined) s += `helper=${helper} `;
  if (use >= 0) s += `use=${use} `;
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
