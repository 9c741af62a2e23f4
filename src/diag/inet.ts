// Inet sockets (TCP, UDP, UDP-Lite, raw, SCTP, MPTCP; IPv4 and IPv6): dumps filtered by the
// kernel (family, protocol, state bitmask, bytecode), single-socket lookup, SOCK_DESTROY and
// the destroy notifications.
import { formatIp, parseIp } from '../schema/index.js';
import { Subscription, type Dump, type FamilyOptions } from '../socket/index.js';
import { NLM_F_ACK, type MessageReader } from '../wire/index.js';
import { inetCodec, inetReqCodec, type RawInetSocket } from './codecs.js';
import { INET_DIAG, INET_DIAG_NOCOOKIE, IPPROTO, SKNLGRP, SOCK_DESTROY, SOCK_DIAG_BY_FAMILY, TCP } from './constants.js';
import { protocol as protocolEnum, tcpState, type Protocol, type TcpState } from './enums.js';
import { compileFilter, type FilterExpr } from './filter.js';
import { ChainedDump, diagDump, openDiag, withDiagSocket } from './socket.js';
import { HEADER_SIZES } from './structs.js';
import { enumName, type EnumSpec } from '../schema/index.js';

const valueOf = (spec: EnumSpec, name: string): number | undefined => (spec.values as Record<string, number>)[name];

/** Extensions an inet dump can ask for (idiag_ext bits; the kernel adds others unasked). */
export type InetExtension = 'meminfo' | 'info' | 'vegasinfo' | 'cong' | 'tos' | 'tclass' | 'skmeminfo' | 'shutdown';

/** tcp_info with its bit fields split. */
export type TcpInfo = NonNullable<RawInetSocket['info']> & {
  snd_wscale: number;
  rcv_wscale: number;
  delivery_rate_app_limited: number;
  fastopen_client_fail: number;
};

/** inet_diag_sockopt's bits by name. */
export interface InetSockopt {
  recverr: boolean; is_icsk: boolean; freebind: boolean; hdrincl: boolean; mc_loop: boolean; transparent: boolean;
  mc_all: boolean; nodefrag: boolean; bind_address_no_port: boolean; recverr_rfc4884: boolean; defer_connect: boolean;
}

/**
 * An inet socket: inet_diag_msg fields (`family`, `state`, `timer`, `retrans`, `sport`, `dport`,
 * `src`, `dst`, `if`, `cookie`, `expires`, `rqueue`, `wqueue`, `uid`, `inode`) with addresses as
 * text, `protocol` (INET_DIAG_PROTOCOL, or the one dumped), and the INET_DIAG_* extensions.
 */
export type InetSocket = Omit<RawInetSocket, 'src' | 'dst' | 'protocol' | 'info' | 'sockopt'> & {
  src: string;
  dst: string;
  protocol: Protocol | number;
  info?: TcpInfo;
  sockopt?: InetSockopt;
};

/** Filters of {@link dumpInetSockets}; all but `predicate` are applied by the kernel where it can. */
export interface InetFilter {
  /** 'inet' or 'inet6'; both (two requests) when absent. */
  family?: 'inet' | 'inet6';
  /** 'tcp' (default), 'udp', 'udplite', 'raw', 'sctp', 'mptcp', 'dccp', or a number. */
  protocol?: Protocol | number;
  /** For raw sockets: only this IP protocol (sdiag_raw_protocol); 0 = any. */
  rawProtocol?: number;
  /** States to dump: names or a bit mask (1 << TCP_*); all when absent. */
  states?: readonly (TcpState | number)[] | number;
  /** Extensions to ask for. */
  extensions?: readonly InetExtension[];
  /** A filter expression (`dport = :22 and src 10.0.0.0/8`) or a parsed one: kernel bytecode, the rest in user space. */
  expression?: string | FilterExpr;
  /** Kept only when it returns true (applied here). */
  predicate?: (s: InetSocket) => boolean;
}

/** The state mask for a list of state names or numbers. */
export function stateMask(states: readonly (TcpState | number)[] | number | undefined): number {
  if (states === undefined) return 0xffffffff;
  if (typeof states === 'number') return states >>> 0;
  let m = 0;
  for (const s of states) {
    const v = typeof s === 'number' ? s : valueOf(tcpState, s);
    if (v === undefined) throw new TypeError(`unknown TCP state "${s}"`);
    m |= 1 << v;
  }
  return m >>> 0;
}

const EXT_BITS: Record<InetExtension, number> = {
  meminfo: INET_DIAG.MEMINFO, info: INET_DIAG.INFO, vegasinfo: INET_DIAG.VEGASINFO, cong: INET_DIAG.CONG,
  tos: INET_DIAG.TOS, tclass: INET_DIAG.TCLASS, skmeminfo: INET_DIAG.SKMEMINFO, shutdown: INET_DIAG.SHUTDOWN,
};

function extMask(ext: readonly InetExtension[] | undefined): number {
  let m = 0;
  for (const e of ext ?? []) {
    const b = EXT_BITS[e];
    if (b === undefined) throw new TypeError(`unknown inet_diag extension "${e}"`);
    m |= 1 << (b - 1);
  }
  return m;
}

/** The protocol number of a name ('tcp' → 6); TCP when absent. */
export function protoNumber(p: Protocol | number | undefined): number {
  if (p === undefined) return IPPROTO.TCP;
  if (typeof p === 'number') return p;
  const v = valueOf(protocolEnum, p);
  if (v === undefined) throw new TypeError(`unknown protocol "${p}"`);
  return v;
}

const SOCKOPT_BITS = ['recverr', 'is_icsk', 'freebind', 'hdrincl', 'mc_loop', 'transparent', 'mc_all', 'nodefrag',
  'bind_address_no_port', 'recverr_rfc4884', 'defer_connect'] as const;

/** Turns a decoded inet_diag_msg into an InetSocket in place: addresses as text, bit fields split. */
function finish(o: Record<string, unknown>, proto: number): InetSocket {
  const len = o.family === 'inet' ? 4 : 16;
  const src = o.src as Uint8Array | undefined;
  const dst = o.dst as Uint8Array | undefined;
  o.src = src ? formatIp(src, 0, Math.min(len, src.length)) : '';
  o.dst = dst ? formatIp(dst, 0, Math.min(len, dst.length)) : '';
  if (o.protocol === undefined) o.protocol = enumName(protocolEnum, proto);
  const info = o.info as Record<string, number> | undefined;
  if (info && info.wscale !== undefined) {
    info.snd_wscale = info.wscale & 0xf;
    info.rcv_wscale = info.wscale >> 4;
    info.delivery_rate_app_limited = info.bits! & 1;
    info.fastopen_client_fail = (info.bits! >> 1) & 3;
  }
  const so = o.sockopt as { bits0?: number; bits1?: number } | undefined;
  if (so && so.bits0 !== undefined) {
    const word = so.bits0 | ((so.bits1 ?? 0) << 8);
    const out: Record<string, boolean> = {};
    SOCKOPT_BITS.forEach((n, i) => (out[n] = (word & (1 << i)) !== 0));
    o.sockopt = out;
  }
  return o as unknown as InetSocket;
}

function decoderFor(proto: number) {
  return (buf: Uint8Array, dv: DataView, offsets: readonly number[], out: InetSocket[]) => {
    const from = out.length;
    inetCodec.decodeAll(buf, dv, offsets, out as unknown as RawInetSocket[]);
    for (let i = from; i < out.length; i++) finish(out[i] as unknown as Record<string, unknown>, proto);
  };
}

function addrBytes(text: string | undefined): Uint8Array {
  const out = new Uint8Array(16);
  if (text) out.set(parseIp(text));
  return out;
}

/** Builds an inet_diag_req_v2 message (type SOCK_DIAG_BY_FAMILY or SOCK_DESTROY). */
function inetRequest(type: number, flags: number, fields: {
  family: 'inet' | 'inet6'; protocol: number; rawProtocol?: number; ext?: number; states?: number;
  sport?: number; dport?: number; src?: string; dst?: string; if?: number; cookie?: number | bigint; bytecode?: Uint8Array;
}): Uint8Array {
  const big = fields.protocol > 255;
  return inetReqCodec.encode(type, flags, {
    family: fields.family,
    protocol: big ? 0 : fields.protocol,
    raw_protocol: fields.rawProtocol ?? 0,
    ext: fields.ext ?? 0,
    states: fields.states ?? 0xffffffff,
    sport: fields.sport ?? 0,
    dport: fields.dport ?? 0,
    src: addrBytes(fields.src),
    dst: addrBytes(fields.dst),
    if: fields.if ?? 0,
    cookie: fields.cookie ?? (0xffffffffffffffffn as bigint),
    ...(fields.bytecode ? { bytecode: fields.bytecode } : {}),
    ...(big ? { full_protocol: fields.protocol } : {}),
  } as never);
}

/** The dump request of one address family for `filter` (its expression already compiled to `bytecode`). */
export function inetDumpRequest(family: 'inet' | 'inet6', proto: number, filter: Pick<InetFilter, 'rawProtocol' | 'states' | 'extensions'>, bytecode?: Uint8Array): Uint8Array {
  return inetRequest(SOCK_DIAG_BY_FAMILY, 0, {
    family, protocol: proto, ext: extMask(filter.extensions), states: stateMask(filter.states),
    ...(filter.rawProtocol !== undefined ? { rawProtocol: filter.rawProtocol } : {}),
    ...(bytecode ? { bytecode } : {}),
  });
}

/**
 * Dumps inet sockets (SOCK_DIAG_BY_FAMILY, NLM_F_DUMP) as typed objects, like `ss -t`/`-u`/`-w`:
 * family, protocol, states, and the ports and prefixes of `expression` are filtered by the
 * kernel; what its bytecode cannot say is checked here.
 *
 *   for await (const s of dumpInetSockets({ protocol: 'tcp', states: ['listen'] }, { netns: 'ns1' }))
 *     console.log(s.src, s.sport);
 */
export function dumpInetSockets(filter: InetFilter = {}, opts: FamilyOptions = {}): Dump<InetSocket> {
  const proto = protoNumber(filter.protocol);
  const compiled = filter.expression !== undefined ? compileFilter(filter.expression) : undefined;
  const user = filter.predicate;
  const pred = compiled?.residual || user
    ? (s: InetSocket) => (!compiled?.residual || compiled.residual(s)) && (!user || user(s))
    : undefined;
  const families = filter.family ? [filter.family] : (['inet', 'inet6'] as const);
  const make = (fam: 'inet' | 'inet6') => (o: FamilyOptions) =>
    diagDump<InetSocket>(o, inetDumpRequest(fam, proto, filter, compiled?.bytecode), decoderFor(proto), HEADER_SIZES.inet_diag_req_v2, pred);
  if (families.length === 1) return make(families[0]!)(opts);
  return new ChainedDump<InetSocket>(opts, families.map(make));
}

/** Which socket: its addresses and ports (and, to be exact, its cookie). */
export interface InetSocketId {
  family?: 'inet' | 'inet6';
  protocol?: Protocol | number;
  src: string;
  sport: number;
  dst: string;
  dport: number;
  /** idiag_if (0: any). */
  if?: number;
  /** The socket's cookie; any socket with these addresses when absent. */
  cookie?: number | bigint;
}

function idFields(id: InetSocketId) {
  const family = id.family ?? (id.src.includes(':') || id.dst.includes(':') ? 'inet6' : 'inet');
  return {
    family, protocol: protoNumber(id.protocol), sport: id.sport, dport: id.dport, src: id.src, dst: id.dst, if: id.if ?? 0,
    cookie: id.cookie ?? (BigInt(INET_DIAG_NOCOOKIE) << 32n) + BigInt(INET_DIAG_NOCOOKIE),
  } as const;
}

/**
 * Looks up one inet socket by its addresses and ports (SOCK_DIAG_BY_FAMILY without NLM_F_DUMP).
 * Rejects with ENOENT when there is none.
 */
export async function getInetSocket(id: InetSocketId, opts: FamilyOptions & { extensions?: readonly InetExtension[] } = {}): Promise<InetSocket> {
  const f = idFields(id);
  return withDiagSocket(opts, async (sock) => {
    const reply = await sock.request(inetRequest(SOCK_DIAG_BY_FAMILY, 0, { ...f, ext: extMask(opts.extensions) }), {
      headerSize: HEADER_SIZES.inet_diag_req_v2, ...(opts.signal ? { signal: opts.signal } : {}), ...(opts.timeout !== undefined ? { timeout: opts.timeout } : {}),
    });
    const m = reply.messages.find((x) => x.type === SOCK_DIAG_BY_FAMILY);
    if (!m) throw new Error('SOCK_DIAG_BY_FAMILY: the kernel answered without a socket');
    return finish(inetCodec.decodePayload(m.payload) as unknown as Record<string, unknown>, f.protocol);
  });
}

/**
 * Closes a socket from outside (SOCK_DESTROY, what `ss -K` does; needs CAP_NET_ADMIN and a
 * kernel with CONFIG_INET_DIAG_DESTROY). Its peer sees a reset; its owner gets ECONNABORTED.
 */
export async function destroyInetSocket(id: InetSocketId | InetSocket, opts: FamilyOptions = {}): Promise<void> {
  const f = idFields(id as InetSocketId);
  await withDiagSocket(opts, async (sock) => {
    await sock.request(inetRequest(SOCK_DESTROY, NLM_F_ACK, { ...f, states: 0xffffffff }), {
      headerSize: HEADER_SIZES.inet_diag_req_v2, ...(opts.signal ? { signal: opts.signal } : {}), ...(opts.timeout !== undefined ? { timeout: opts.timeout } : {}),
    });
  });
}

/** A socket the kernel destroyed (SKNLGRP_*_DESTROY, `ss -E`). */
export interface InetDestroyEvent {
  event: 'destroy';
  /** The group it came in on (SKNLGRP_*). */
  group: number;
  socket: InetSocket;
}

/** Destroy-notification groups by name; numbers are SKNLGRP_* values. */
export const EVENT_GROUPS: Readonly<Record<string, readonly number[]>> = {
  tcp: [SKNLGRP.INET_TCP_DESTROY, SKNLGRP.INET6_TCP_DESTROY],
  udp: [SKNLGRP.INET_UDP_DESTROY, SKNLGRP.INET6_UDP_DESTROY],
  ...Object.fromEntries(Object.entries(SKNLGRP).filter(([k]) => k !== 'NONE').map(([k, v]) => [k.toLowerCase().replace(/_/g, '-'), [v]])),
};

const GROUP_PROTO: Record<number, number> = {
  [SKNLGRP.INET_TCP_DESTROY]: IPPROTO.TCP, [SKNLGRP.INET6_TCP_DESTROY]: IPPROTO.TCP,
  [SKNLGRP.INET_UDP_DESTROY]: IPPROTO.UDP, [SKNLGRP.INET6_UDP_DESTROY]: IPPROTO.UDP,
};

/**
 * Subscribes to destroyed inet sockets (`ss -E`): groups 'tcp', 'udp', or SKNLGRP names
 * ('inet6-tcp-destroy'); both protocols by default. Joined when it returns.
 */
export function events(groups: readonly (string | number)[] = ['tcp', 'udp'], opts: FamilyOptions = {}): Subscription<InetDestroyEvent> {
  const nums = new Set<number>();
  for (const g of groups) {
    if (typeof g === 'number') nums.add(g);
    else {
      const list = EVENT_GROUPS[g.toLowerCase().replace(/_/g, '-')];
      if (!list) throw new TypeError(`events: unknown group "${g}"`);
      for (const n of list) nums.add(n);
    }
  }
  return new Subscription<InetDestroyEvent>({
    socket: opts.socket ?? openDiag(opts.netns !== undefined ? { netns: opts.netns } : {}),
    owned: !opts.socket,
    signal: opts.signal,
    decode: (r: MessageReader, meta) => {
      if (r.type !== SOCK_DIAG_BY_FAMILY) return undefined;
      try {
        const raw = inetCodec.decode(r) as unknown as Record<string, unknown>;
        return { event: 'destroy', group: meta.group, socket: finish(raw, GROUP_PROTO[meta.group] ?? 0) };
      } catch {
        return undefined;
      }
    },
    join: (sock) => {
      for (const n of nums) sock.join(n);
    },
  });
}

/** True for TCP states ss calls "connected" (not listen, not close). */
export function isConnected(state: TcpState | number): boolean {
  const v = typeof state === 'number' ? state : valueOf(tcpState, state);
  return v !== TCP.LISTEN && v !== TCP.CLOSE;
}

