// Fixed structs of NETLINK_SOCK_DIAG: requests, the family headers that follow nlmsghdr and
// the structs inside attributes. Field names are the kernel's without their prefix
// (idiag_sport -> sport, tcpi_rtt -> rtt); sizes are checked against the headers by
// test/diag-uapi.test.ts. Bit fields are one byte here (tcpi_snd_wscale:4 + tcpi_rcv_wscale:4
// -> `wscale`); inet.ts splits them.
import { structSpec } from '../schema/index.js';
import { family, inetTimer, ndiagFlags, pdiFlags, protocol, sockType, tcpCaState, tcpiOptions, tcpState } from './enums.js';

// struct inet_diag_sockid is inlined: addresses are 16 bytes (IPv4 in the first 4), the cookie
// two host-order u32 read as one u64 (cookie[0] low on little-endian hosts, as ss prints it).

/** struct inet_diag_req_v2 (= inet_diag_req_raw, whose pad byte is sdiag_raw_protocol): an inet dump or lookup (56 bytes). */
export const inetDiagReqV2 = structSpec('inet_diag_req_v2', [
  { name: 'family', type: 'u8', enum: family },
  { name: 'protocol', type: 'u8', enum: protocol },
  { name: 'ext', type: 'u8' },
  { name: 'raw_protocol', type: 'u8' },
  { name: 'states', type: 'u32' },
  { name: 'sport', type: 'u16be' },
  { name: 'dport', type: 'u16be' },
  { name: 'src', type: 'binary', len: 16 },
  { name: 'dst', type: 'binary', len: 16 },
  { name: 'if', type: 'u32' },
  { name: 'cookie', type: 'u64' },
] as const);

/** struct inet_diag_msg: the header of an inet socket (72 bytes). */
export const inetDiagMsg = structSpec('inet_diag_msg', [
  { name: 'family', type: 'u8', enum: family },
  { name: 'state', type: 'u8', enum: tcpState },
  { name: 'timer', type: 'u8', enum: inetTimer },
  { name: 'retrans', type: 'u8' },
  { name: 'sport', type: 'u16be' },
  { name: 'dport', type: 'u16be' },
  { name: 'src', type: 'binary', len: 16 },
  { name: 'dst', type: 'binary', len: 16 },
  { name: 'if', type: 'u32' },
  { name: 'cookie', type: 'u64' },
  { name: 'expires', type: 'u32' },
  { name: 'rqueue', type: 'u32' },
  { name: 'wqueue', type: 'u32' },
  { name: 'uid', type: 'u32' },
  { name: 'inode', type: 'u32' },
] as const);

/** struct inet_diag_meminfo (INET_DIAG_MEMINFO). */
export const inetDiagMeminfo = structSpec('inet_diag_meminfo', [
  { name: 'rmem', type: 'u32' },
  { name: 'wmem', type: 'u32' },
  { name: 'fmem', type: 'u32' },
  { name: 'tmem', type: 'u32' },
] as const);

/** struct inet_diag_sockopt (INET_DIAG_SOCKOPT): two bytes of bit fields, split in inet.ts. */
export const inetDiagSockopt = structSpec('inet_diag_sockopt', [
  { name: 'bits0', type: 'u8' },
  { name: 'bits1', type: 'u8' },
] as const);

/** struct tcpvegas_info (INET_DIAG_VEGASINFO). */
export const tcpvegasInfo = structSpec('tcpvegas_info', [
  { name: 'enabled', type: 'u32' },
  { name: 'rttcnt', type: 'u32' },
  { name: 'rtt', type: 'u32' },
  { name: 'minrtt', type: 'u32' },
] as const);

/** struct tcp_dctcp_info (INET_DIAG_DCTCPINFO). */
export const tcpDctcpInfo = structSpec('tcp_dctcp_info', [
  { name: 'enabled', type: 'u16' },
  { name: 'ce_state', type: 'u16' },
  { name: 'alpha', type: 'u32' },
  { name: 'ab_ecn', type: 'u32' },
  { name: 'ab_tot', type: 'u32' },
] as const);

/** struct tcp_bbr_info (INET_DIAG_BBRINFO): bw is bw_hi << 32 | bw_lo bytes per second. */
export const tcpBbrInfo = structSpec('tcp_bbr_info', [
  { name: 'bw_lo', type: 'u32' },
  { name: 'bw_hi', type: 'u32' },
  { name: 'min_rtt', type: 'u32' },
  { name: 'pacing_gain', type: 'u32' },
  { name: 'cwnd_gain', type: 'u32' },
] as const);

/** struct tcp_info (INET_DIAG_INFO of TCP): every field of <linux/tcp.h>; a newer kernel's longer struct keeps its tail. */
export const tcpInfo = structSpec('tcp_info', [
  { name: 'state', type: 'u8', enum: tcpState },
  { name: 'ca_state', type: 'u8', enum: tcpCaState },
  { name: 'retransmits', type: 'u8' },
  { name: 'probes', type: 'u8' },
  { name: 'backoff', type: 'u8' },
  { name: 'options', type: 'u8', flags: tcpiOptions },
  { name: 'wscale', type: 'u8' },
  { name: 'bits', type: 'u8' },
  { name: 'rto', type: 'u32' },
  { name: 'ato', type: 'u32' },
  { name: 'snd_mss', type: 'u32' },
  { name: 'rcv_mss', type: 'u32' },
  { name: 'unacked', type: 'u32' },
  { name: 'sacked', type: 'u32' },
  { name: 'lost', type: 'u32' },
  { name: 'retrans', type: 'u32' },
  { name: 'fackets', type: 'u32' },
  { name: 'last_data_sent', type: 'u32' },
  { name: 'last_ack_sent', type: 'u32' },
  { name: 'last_data_recv', type: 'u32' },
  { name: 'last_ack_recv', type: 'u32' },
  { name: 'pmtu', type: 'u32' },
  { name: 'rcv_ssthresh', type: 'u32' },
  { name: 'rtt', type: 'u32' },
  { name: 'rttvar', type: 'u32' },
  { name: 'snd_ssthresh', type: 'u32' },
  { name: 'snd_cwnd', type: 'u32' },
  { name: 'advmss', type: 'u32' },
  { name: 'reordering', type: 'u32' },
  { name: 'rcv_rtt', type: 'u32' },
  { name: 'rcv_space', type: 'u32' },
  { name: 'total_retrans', type: 'u32' },
  { name: 'pacing_rate', type: 'u64' },
  { name: 'max_pacing_rate', type: 'u64' },
  { name: 'bytes_acked', type: 'u64' },
  { name: 'bytes_received', type: 'u64' },
  { name: 'segs_out', type: 'u32' },
  { name: 'segs_in', type: 'u32' },
  { name: 'notsent_bytes', type: 'u32' },
  { name: 'min_rtt', type: 'u32' },
  { name: 'data_segs_in', type: 'u32' },
  { name: 'data_segs_out', type: 'u32' },
  { name: 'delivery_rate', type: 'u64' },
  { name: 'busy_time', type: 'u64' },
  { name: 'rwnd_limited', type: 'u64' },
  { name: 'sndbuf_limited', type: 'u64' },
  { name: 'delivered', type: 'u32' },
  { name: 'delivered_ce', type: 'u32' },
  { name: 'bytes_sent', type: 'u64' },
  { name: 'bytes_retrans', type: 'u64' },
  { name: 'dsack_dups', type: 'u32' },
  { name: 'reord_seen', type: 'u32' },
  { name: 'rcv_ooopack', type: 'u32' },
  { name: 'snd_wnd', type: 'u32' },
  // Newer than the installed headers (Linux 6.2: rcv_wnd, rehash; 6.7: total_rto*); later
  // fields stay in $tail.
  { name: 'rcv_wnd', type: 'u32' },
  { name: 'rehash', type: 'u32' },
  { name: 'total_rto', type: 'u16' },
  { name: 'total_rto_recoveries', type: 'u16' },
  { name: 'total_rto_time', type: 'u32' },
] as const);

/** struct unix_diag_req (24 bytes). */
export const unixDiagReq = structSpec('unix_diag_req', [
  { name: 'family', type: 'u8', enum: family },
  { name: 'protocol', type: 'u8' },
  { name: '_pad', type: 'pad', len: 2 },
  { name: 'states', type: 'u32' },
  { name: 'ino', type: 'u32' },
  { name: 'show', type: 'u32' },
  { name: 'cookie', type: 'u64' },
] as const);

/** struct unix_diag_msg: the header of a unix socket (16 bytes). */
export const unixDiagMsg = structSpec('unix_diag_msg', [
  { name: 'family', type: 'u8', enum: family },
  { name: 'type', type: 'u8', enum: sockType },
  { name: 'state', type: 'u8', enum: tcpState },
  { name: '_pad', type: 'pad', len: 1 },
  { name: 'ino', type: 'u32' },
  { name: 'cookie', type: 'u64' },
] as const);

/** struct unix_diag_vfs (UNIX_DIAG_VFS): the bound file's inode and device. */
export const unixDiagVfs = structSpec('unix_diag_vfs', [
  { name: 'ino', type: 'u32' },
  { name: 'dev', type: 'u32' },
] as const);

/** struct unix_diag_rqlen (UNIX_DIAG_RQLEN): for a listener, pending and backlog; else queued bytes. */
export const unixDiagRqlen = structSpec('unix_diag_rqlen', [
  { name: 'rqueue', type: 'u32' },
  { name: 'wqueue', type: 'u32' },
] as const);

/** struct netlink_diag_req (20 bytes). */
export const netlinkDiagReq = structSpec('netlink_diag_req', [
  { name: 'family', type: 'u8', enum: family },
  { name: 'protocol', type: 'u8' },
  { name: '_pad', type: 'pad', len: 2 },
  { name: 'ino', type: 'u32' },
  { name: 'show', type: 'u32' },
  { name: 'cookie', type: 'u64' },
] as const);

/** struct netlink_diag_msg: the header of a netlink socket (28 bytes). */
export const netlinkDiagMsg = structSpec('netlink_diag_msg', [
  { name: 'family', type: 'u8', enum: family },
  { name: 'type', type: 'u8', enum: sockType },
  { name: 'protocol', type: 'u8' },
  { name: 'state', type: 'u8' },
  { name: 'portid', type: 'u32' },
  { name: 'dst_portid', type: 'u32' },
  { name: 'dst_group', type: 'u32' },
  { name: 'ino', type: 'u32' },
  { name: 'cookie', type: 'u64' },
] as const);

/** struct netlink_diag_ring (NETLINK_DIAG_RX_RING / TX_RING). */
export const netlinkDiagRing = structSpec('netlink_diag_ring', [
  { name: 'block_size', type: 'u32' },
  { name: 'block_nr', type: 'u32' },
  { name: 'frame_size', type: 'u32' },
  { name: 'frame_nr', type: 'u32' },
] as const);

/** struct packet_diag_req (20 bytes). */
export const packetDiagReq = structSpec('packet_diag_req', [
  { name: 'family', type: 'u8', enum: family },
  { name: 'protocol', type: 'u8' },
  { name: '_pad', type: 'pad', len: 2 },
  { name: 'ino', type: 'u32' },
  { name: 'show', type: 'u32' },
  { name: 'cookie', type: 'u64' },
] as const);

/** struct packet_diag_msg: the header of a packet socket (16 bytes); `num` is the bound ethertype (host order, as ntohs(po->num)). */
export const packetDiagMsg = structSpec('packet_diag_msg', [
  { name: 'family', type: 'u8', enum: family },
  { name: 'type', type: 'u8', enum: sockType },
  { name: 'num', type: 'u16' },
  { name: 'ino', type: 'u32' },
  { name: 'cookie', type: 'u64' },
] as const);

/** struct packet_diag_info (PACKET_DIAG_INFO). */
export const packetDiagInfo = structSpec('packet_diag_info', [
  { name: 'index', type: 'u32' },
  { name: 'version', type: 'u32' },
  { name: 'reserve', type: 'u32' },
  { name: 'copy_thresh', type: 'u32' },
  { name: 'tstamp', type: 'u32' },
  { name: 'flags', type: 'u32', flags: pdiFlags },
] as const);

/** struct packet_diag_mclist (one entry of PACKET_DIAG_MCLIST). */
export const packetDiagMclist = structSpec('packet_diag_mclist', [
  { name: 'index', type: 'u32' },
  { name: 'count', type: 'u32' },
  { name: 'type', type: 'u16' },
  { name: 'alen', type: 'u16' },
  { name: 'addr', type: 'binary', len: 32 },
] as const);

/** struct packet_diag_ring (PACKET_DIAG_RX_RING / TX_RING). */
export const packetDiagRing = structSpec('packet_diag_ring', [
  { name: 'block_size', type: 'u32' },
  { name: 'block_nr', type: 'u32' },
  { name: 'frame_size', type: 'u32' },
  { name: 'frame_nr', type: 'u32' },
  { name: 'retire_tmo', type: 'u32' },
  { name: 'sizeof_priv', type: 'u32' },
  { name: 'features', type: 'u32' },
] as const);

/** struct inet_diag_bc_op: one bytecode operation; `yes`/`no` are byte offsets forward from it. */
export const inetDiagBcOp = structSpec('inet_diag_bc_op', [
  { name: 'code', type: 'u8' },
  { name: 'yes', type: 'u8' },
  { name: 'no', type: 'u16' },
] as const);

/** struct inet_diag_hostcond: an address prefix and port (-1: any) for S_COND/D_COND; the address follows. */
export const inetDiagHostcond = structSpec('inet_diag_hostcond', [
  { name: 'family', type: 'u8', enum: family },
  { name: 'prefix_len', type: 'u8' },
  { name: '_pad', type: 'pad', len: 2 },
  { name: 'port', type: 's32' },
] as const);

/** struct inet_diag_markcond (MARK_COND). */
export const inetDiagMarkcond = structSpec('inet_diag_markcond', [
  { name: 'mark', type: 'u32' },
  { name: 'mask', type: 'u32' },
] as const);

/** Sizes of the fixed headers, for offsets in errors. */
export const HEADER_SIZES = {
  inet_diag_req_v2: 56, inet_diag_msg: 72, unix_diag_req: 24, unix_diag_msg: 16, netlink_diag_req: 20,
  netlink_diag_msg: 28, packet_diag_req: 20, packet_diag_msg: 16,
} as const;
