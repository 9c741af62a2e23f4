// Inet sockets decoded for listing (`ss -tn`): inet_diag_msg's header read straight from the
// datagram (addresses as text from its bytes, no copied buffer, no extension objects), the one
// attribute a listing needs (INET_DIAG_SKV6ONLY). A dump of 40,000 sockets then makes 40,000
// small objects and nothing else for the collector.
import { formatIp } from '../schema/index.js';
import type { Dump, FamilyOptions } from '../socket/index.js';
import { INET_DIAG } from './constants.js';
import { tcpState, type TcpState } from './enums.js';
import { compileFilter } from './filter.js';
import { type InetFilter, inetDumpRequest, protoNumber } from './inet.js';
import { ChainedDump, diagDump } from './socket.js';
import { HEADER_SIZES } from './structs.js';

/** An inet socket as a listing shows it: inet_diag_msg's fields, addresses as text, and skv6only. */
export interface InetSocketBrief {
  family: 'inet' | 'inet6';
  state: TcpState | number;
  /** idiag_timer (0 off, 1 on, 2 keepalive, 3 timewait, 4 persist). */
  timer: number;
  retrans: number;
  sport: number;
  dport: number;
  src: string;
  dst: string;
  if: number;
  expires: number;
  rqueue: number;
  wqueue: number;
  uid: number;
  inode: number;
  /** INET_DIAG_SKV6ONLY (IPv6 sockets). */
  skv6only?: number;
}

const NLMSG_HDRLEN = 16;
const AF_INET = 2;
const STATE_NAMES: (TcpState | undefined)[] = [];
for (const [name, v] of Object.entries(tcpState.values as Record<string, number>)) STATE_NAMES[v] = name as TcpState;

/** Decodes inet_diag_msg headers (and SKV6ONLY) of one datagram's messages into `out`. */
export function decodeBriefBatch(buf: Uint8Array, dv: DataView, offsets: readonly number[], out: InetSocketBrief[]): void {
  for (let m = 0; m < offsets.length; m++) {
    const at = offsets[m]!;
    const end = at + dv.getUint32(at, true);
    const p = at + NLMSG_HDRLEN;
    if (end > buf.length || p + HEADER_SIZES.inet_diag_msg > end) continue;
    const v4 = buf[p] === AF_INET;
    const st = buf[p + 1]!;
    const s: InetSocketBrief = {
      family: v4 ? 'inet' : 'inet6',
      state: STATE_NAMES[st] ?? st,
      timer: buf[p + 2]!,
      retrans: buf[p + 3]!,
      sport: (buf[p + 4]! << 8) | buf[p + 5]!,
      dport: (buf[p + 6]! << 8) | buf[p + 7]!,
      src: formatIp(buf, p + 8, v4 ? 4 : 16),
      dst: formatIp(buf, p + 24, v4 ? 4 : 16),
      if: dv.getUint32(p + 40, true),
      expires: dv.getUint32(p + 52, true),
      rqueue: dv.getUint32(p + 56, true),
      wqueue: dv.getUint32(p + 60, true),
      uid: dv.getUint32(p + 64, true),
      inode: dv.getUint32(p + 68, true),
    };
    // Attributes: only SKV6ONLY is read; a malformed length ends the walk.
    for (let a = p + HEADER_SIZES.inet_diag_msg; a + 4 <= end;) {
      const len = dv.getUint16(a, true);
      if (len < 4 || a + len > end) break;
      if ((dv.getUint16(a + 2, true) & 0x3fff) === INET_DIAG.SKV6ONLY && len >= 5) s.skv6only = buf[a + 4]!;
      a += (len + 3) & ~3;
    }
    out.push(s);
  }
}

/**
 * Dumps inet sockets like {@link dumpInetSockets} (same filters; `extensions` are not asked
 * for), decoding only what a listing shows: the fast path behind `nlkit ss` without -e/-m/-i.
 */
export function dumpInetSocketsBrief(filter: Omit<InetFilter, 'extensions' | 'predicate'> & { predicate?: (s: InetSocketBrief) => boolean } = {}, opts: FamilyOptions = {}): Dump<InetSocketBrief> {
  const proto = protoNumber(filter.protocol);
  const compiled = filter.expression !== undefined ? compileFilter(filter.expression) : undefined;
  const user = filter.predicate;
  const residual = compiled?.residual as ((s: InetSocketBrief) => boolean) | undefined;
  const pred = residual || user ? (s: InetSocketBrief) => (!residual || residual(s)) && (!user || user(s)) : undefined;
  const families = filter.family ? [filter.family] : (['inet', 'inet6'] as const);
  const make = (fam: 'inet' | 'inet6') => (o: FamilyOptions) =>
    diagDump<InetSocketBrief>(o, inetDumpRequest(fam, proto, { ...filter, extensions: [] }, compiled?.bytecode), decodeBriefBatch, HEADER_SIZES.inet_diag_req_v2, pred);
  if (families.length === 1) return make(families[0]!)(opts);
  return new ChainedDump<InetSocketBrief>(opts, families.map(make));
}
