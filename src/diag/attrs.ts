// Attribute sets of NETLINK_SOCK_DIAG: INET_DIAG_* (inet sockets), UNIX_DIAG_*, NETLINK_DIAG_*,
// PACKET_DIAG_* and the inet request's INET_DIAG_REQ_*. Property names are the C names without
// their prefix, lower case. Every attribute this kernel sends is declared; others are kept as
// bytes ($unknown).
import { attrs, binary, compileStruct, custom, int, intArray, nest, string, struct, u32, u64, u8, type CustomCodec } from '../schema/index.js';
import { decodeText, encodeText, HOST_LE } from '../wire/index.js';
import { INET_DIAG, INET_DIAG_REQ, INET_ULP_INFO, NETLINK_DIAG, PACKET_DIAG, UNIX_DIAG } from './constants.js';
import { ndiagFlags, protocol } from './enums.js';
import {
  inetDiagMeminfo, inetDiagSockopt, netlinkDiagRing, packetDiagInfo, packetDiagMclist, packetDiagRing, tcpBbrInfo,
  tcpDctcpInfo, tcpInfo, tcpvegasInfo, unixDiagRqlen, unixDiagVfs,
} from './structs.js';

/** INET_ULP_INFO_*: the upper layer protocol (tls, mptcp) of a TCP socket; its info kept as bytes. */
export const ulpInfoAttrs = attrs('inet_ulp_info', {
  name: [INET_ULP_INFO.NAME, string()],
  tls: [INET_ULP_INFO.TLS, binary()],
  mptcp: [INET_ULP_INFO.MPTCP, binary()],
});

/** INET_DIAG_*: what the kernel adds to an inet socket (the extensions asked for in idiag_ext, and more). */
export const inetDiagAttrs = attrs('inet_diag', {
  meminfo: [INET_DIAG.MEMINFO, struct(inetDiagMeminfo)],
  info: [INET_DIAG.INFO, struct(tcpInfo)],
  vegasinfo: [INET_DIAG.VEGASINFO, struct(tcpvegasInfo)],
  cong: [INET_DIAG.CONG, string()],
  tos: [INET_DIAG.TOS, u8()],
  tclass: [INET_DIAG.TCLASS, u8()],
  skmeminfo: [INET_DIAG.SKMEMINFO, intArray('u32')],
  shutdown: [INET_DIAG.SHUTDOWN, u8()],
  dctcpinfo: [INET_DIAG.DCTCPINFO, struct(tcpDctcpInfo)],
  protocol: [INET_DIAG.PROTOCOL, int('u8', { enum: protocol })],
  skv6only: [INET_DIAG.SKV6ONLY, u8()],
  locals: [INET_DIAG.LOCALS, binary()],
  peers: [INET_DIAG.PEERS, binary()],
  pad: [INET_DIAG.PAD, binary()],
  mark: [INET_DIAG.MARK, u32()],
  bbrinfo: [INET_DIAG.BBRINFO, struct(tcpBbrInfo)],
  class_id: [INET_DIAG.CLASS_ID, u32()],
  md5sig: [INET_DIAG.MD5SIG, binary()],
  ulp_info: [INET_DIAG.ULP_INFO, nest(ulpInfoAttrs)],
  sk_bpf_storages: [INET_DIAG.SK_BPF_STORAGES, binary()],
  cgroup_id: [INET_DIAG.CGROUP_ID, u64()],
  sockopt: [INET_DIAG.SOCKOPT, struct(inetDiagSockopt)],
});

/** INET_DIAG_REQ_*: the attributes of an inet request. */
export const inetDiagReqAttrs = attrs('inet_diag_req', {
  bytecode: [INET_DIAG_REQ.BYTECODE, binary()],
  sk_bpf_storages: [INET_DIAG_REQ.SK_BPF_STORAGES, binary()],
  /** INET_DIAG_REQ_PROTOCOL: the protocol when it does not fit sdiag_protocol (MPTCP, 262). */
  full_protocol: [INET_DIAG_REQ.PROTOCOL, u32()],
});

/**
 * A unix socket's name: a path, or '@name' for an abstract one (its leading NUL shown as ss
 * shows it). Path bytes after the first NUL are not part of the name.
 */
const unixName: CustomCodec<string> = {
  decode(buf, _dv, s, e) {
    if (e > s && buf[s] === 0) return '@' + decodeText(buf.subarray(s + 1, e));
    let end = s;
    while (end < e && buf[end] !== 0) end++;
    return decodeText(buf.subarray(s, end));
  },
  encode(v) {
    if (v.startsWith('@')) {
      const t = encodeText(v.slice(1));
      const out = new Uint8Array(t.length + 1);
      out.set(t, 1);
      return out;
    }
    return encodeText(v);
  },
};

/** UNIX_DIAG_*: what the kernel adds to a unix socket (as asked for in udiag_show). */
export const unixDiagAttrs = attrs('unix_diag', {
  name: [UNIX_DIAG.NAME, custom(unixName)],
  vfs: [UNIX_DIAG.VFS, struct(unixDiagVfs)],
  peer: [UNIX_DIAG.PEER, u32()],
  icons: [UNIX_DIAG.ICONS, intArray('u32')],
  rqlen: [UNIX_DIAG.RQLEN, struct(unixDiagRqlen)],
  meminfo: [UNIX_DIAG.MEMINFO, intArray('u32')],
  shutdown: [UNIX_DIAG.SHUTDOWN, u8()],
  uid: [UNIX_DIAG.UID, u32()],
});

/** NETLINK_DIAG_GROUPS: a bitmap of unsigned longs; decoded to the group numbers (bit n = group n + 1), any count. */
const groupBitmap: CustomCodec<number[]> = {
  decode(buf, _dv, s, e) {
    const out: number[] = [];
    const le = HOST_LE;
    const word = 8;
    for (let w = s; w + word <= e; w += word) {
      for (let i = 0; i < word; i++) {
        const b = buf[w + (le ? i : word - 1 - i)]!;
        for (let bit = 0; bit < 8; bit++) if (b & (1 << bit)) out.push((w - s) * 8 + i * 8 + bit + 1);
      }
    }
    return out;
  },
  encode(groups) {
    const max = Math.max(0, ...groups);
    const out = new Uint8Array(Math.ceil(max / 64) * 8);
    const le = HOST_LE;
    for (const g of groups) {
      const bit = g - 1;
      const w = Math.floor(bit / 64) * 8;
      const i = Math.floor((bit % 64) / 8);
      out[w + (le ? i : 7 - i)]! |= 1 << (bit % 8);
    }
    return out;
  },
};

/** NETLINK_DIAG_*: what the kernel adds to a netlink socket (as asked for in ndiag_show). */
export const netlinkDiagAttrs = attrs('netlink_diag', {
  meminfo: [NETLINK_DIAG.MEMINFO, intArray('u32')],
  groups: [NETLINK_DIAG.GROUPS, custom(groupBitmap)],
  rx_ring: [NETLINK_DIAG.RX_RING, struct(netlinkDiagRing)],
  tx_ring: [NETLINK_DIAG.TX_RING, struct(netlinkDiagRing)],
  flags: [NETLINK_DIAG.FLAGS, int('u32', { flags: ndiagFlags })],
});

/** A packed array of fixed structs in one attribute (PACKET_DIAG_MCLIST). */
function structArray<T>(spec: Parameters<typeof compileStruct>[0]): CustomCodec<T[]> {
  const c = compileStruct<T>(spec);
  return {
    decode(buf, dv, s, e) {
      const out: T[] = [];
      for (let p = s; p + c.size <= e; p += c.size) out.push(c.decode(buf, dv, p, p + c.size));
      return out;
    },
    encode(items) {
      const out = new Uint8Array(items.length * c.size);
      const dv = new DataView(out.buffer);
      items.forEach((it, i) => c.write(dv, out, i * c.size, it as Partial<T>));
      return out;
    },
  };
}

/** One classic BPF instruction of PACKET_DIAG_FILTER (struct sock_filter). */
export interface SockFilter {
  code: number;
  jt: number;
  jf: number;
  k: number;
}

const sockFilters: CustomCodec<SockFilter[]> = {
  decode(_buf, dv, s, e) {
    const out: SockFilter[] = [];
    for (let p = s; p + 8 <= e; p += 8) {
      out.push({ code: dv.getUint16(p, HOST_LE), jt: dv.getUint8(p + 2), jf: dv.getUint8(p + 3), k: dv.getUint32(p + 4, HOST_LE) });
    }
    return out;
  },
  encode(list) {
    const out = new Uint8Array(list.length * 8);
    const dv = new DataView(out.buffer);
    list.forEach((f, i) => {
      dv.setUint16(i * 8, f.code, HOST_LE);
      dv.setUint8(i * 8 + 2, f.jt);
      dv.setUint8(i * 8 + 3, f.jf);
      dv.setUint32(i * 8 + 4, f.k, HOST_LE);
    });
    return out;
  },
};

/** A packet_diag_mclist entry. */
export type PacketMclist = { index: number; count: number; type: number; alen: number; addr: Uint8Array };

/** PACKET_DIAG_*: what the kernel adds to a packet socket (as asked for in pdiag_show). */
export const packetDiagAttrs = attrs('packet_diag', {
  info: [PACKET_DIAG.INFO, struct(packetDiagInfo)],
  mclist: [PACKET_DIAG.MCLIST, custom(structArray<PacketMclist>(packetDiagMclist))],
  rx_ring: [PACKET_DIAG.RX_RING, struct(packetDiagRing)],
  tx_ring: [PACKET_DIAG.TX_RING, struct(packetDiagRing)],
  fanout: [PACKET_DIAG.FANOUT, u32()],
  uid: [PACKET_DIAG.UID, u32()],
  meminfo: [PACKET_DIAG.MEMINFO, intArray('u32')],
  filter: [PACKET_DIAG.FILTER, custom(sockFilters)],
});
