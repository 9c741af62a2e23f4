// NETLINK_SOCK_DIAG constants, each written once, named so that TABLE_KEY is the C name in
// <linux/sock_diag.h>, inet_diag.h, unix_diag.h, netlink_diag.h, packet_diag.h and tcp.h
// (checked by test/diag-uapi.test.ts).

/** nlmsg_type of a sock_diag dump or lookup (any family). */
export const SOCK_DIAG_BY_FAMILY = 20;
/** nlmsg_type that closes a socket (CAP_NET_ADMIN; `ss -K`). */
export const SOCK_DESTROY = 21;
/** idiag_cookie value meaning "any socket with this address". */
export const INET_DIAG_NOCOOKIE = 0xffffffff;

/** INET_DIAG_REQ_*: attributes of an inet_diag request. */
export const INET_DIAG_REQ = { NONE: 0, BYTECODE: 1, SK_BPF_STORAGES: 2, PROTOCOL: 3 } as const;

/** INET_DIAG_BC_*: inet_diag bytecode operations. */
export const INET_DIAG_BC = {
  NOP: 0, JMP: 1, S_GE: 2, S_LE: 3, D_GE: 4, D_LE: 5, AUTO: 6, S_COND: 7, D_COND: 8, DEV_COND: 9, MARK_COND: 10,
  S_EQ: 11, D_EQ: 12, CGROUP_COND: 13,
} as const;

/** INET_DIAG_*: attributes of an inet socket (and bit numbers of idiag_ext, minus one). */
export const INET_DIAG = {
  NONE: 0, MEMINFO: 1, INFO: 2, VEGASINFO: 3, CONG: 4, TOS: 5, TCLASS: 6, SKMEMINFO: 7, SHUTDOWN: 8, DCTCPINFO: 9,
  PROTOCOL: 10, SKV6ONLY: 11, LOCALS: 12, PEERS: 13, PAD: 14, MARK: 15, BBRINFO: 16, CLASS_ID: 17, MD5SIG: 18,
  ULP_INFO: 19, SK_BPF_STORAGES: 20, CGROUP_ID: 21, SOCKOPT: 22,
} as const;

/** INET_ULP_INFO_*: the INET_DIAG_ULP_INFO nest. */
export const INET_ULP_INFO = { UNSPEC: 0, NAME: 1, TLS: 2, MPTCP: 3 } as const;

/** SK_MEMINFO_*: indexes of the u32 array in INET_DIAG_SKMEMINFO / UNIX_DIAG_MEMINFO / …. */
export const SK_MEMINFO = {
  RMEM_ALLOC: 0, RCVBUF: 1, WMEM_ALLOC: 2, SNDBUF: 3, FWD_ALLOC: 4, WMEM_QUEUED: 5, OPTMEM: 6, BACKLOG: 7, DROPS: 8,
} as const;

/** SKNLGRP_*: NETLINK_SOCK_DIAG multicast groups (destroyed sockets, `ss -E`). */
export const SKNLGRP = { NONE: 0, INET_TCP_DESTROY: 1, INET_UDP_DESTROY: 2, INET6_TCP_DESTROY: 3, INET6_UDP_DESTROY: 4 } as const;

/** SK_DIAG_BPF_STORAGE_*: the INET_DIAG_SK_BPF_STORAGES nest. */
export const SK_DIAG_BPF_STORAGE = { NONE: 0, PAD: 1, MAP_ID: 2, MAP_VALUE: 3 } as const;

/** UDIAG_SHOW_*: what a unix_diag dump asks for. */
export const UDIAG_SHOW = { NAME: 0x1, VFS: 0x2, PEER: 0x4, ICONS: 0x8, RQLEN: 0x10, MEMINFO: 0x20, UID: 0x40 } as const;

/** UNIX_DIAG_*: attributes of a unix socket. */
export const UNIX_DIAG = { NAME: 0, VFS: 1, PEER: 2, ICONS: 3, RQLEN: 4, MEMINFO: 5, SHUTDOWN: 6, UID: 7 } as const;

/** NETLINK_DIAG_*: attributes of a netlink socket. */
export const NETLINK_DIAG = { MEMINFO: 0, GROUPS: 1, RX_RING: 2, TX_RING: 3, FLAGS: 4 } as const;

/** NDIAG_SHOW_*: what a netlink_diag dump asks for. */
export const NDIAG_SHOW = { MEMINFO: 0x1, GROUPS: 0x2, RING_CFG: 0x4, FLAGS: 0x8 } as const;

/** NDIAG_FLAG_*: NETLINK_DIAG_FLAGS bits. */
export const NDIAG_FLAG = {
  CB_RUNNING: 0x1, PKTINFO: 0x2, BROADCAST_ERROR: 0x4, NO_ENOBUFS: 0x8, LISTEN_ALL_NSID: 0x10, CAP_ACK: 0x20,
} as const;

/** NDIAG_PROTO_ALL: every netlink protocol. */
export const NDIAG_PROTO_ALL = 0xff;

/** PACKET_SHOW_*: what a packet_diag dump asks for. */
export const PACKET_SHOW = { INFO: 0x1, MCLIST: 0x2, RING_CFG: 0x4, FANOUT: 0x8, MEMINFO: 0x10, FILTER: 0x20 } as const;

/** PACKET_DIAG_*: attributes of a packet socket. */
export const PACKET_DIAG = { INFO: 0, MCLIST: 1, RX_RING: 2, TX_RING: 3, FANOUT: 4, UID: 5, MEMINFO: 6, FILTER: 7 } as const;

/** PDI_*: packet_diag_info.pdi_flags bits. */
export const PDI = { RUNNING: 0x1, AUXDATA: 0x2, ORIGDEV: 0x4, VNETHDR: 0x8, LOSS: 0x10 } as const;

/** TCP_*: TCP states (include/net/tcp_states.h; <netinet/tcp.h> has the first eleven). */
export const TCP = {
  ESTABLISHED: 1, SYN_SENT: 2, SYN_RECV: 3, FIN_WAIT1: 4, FIN_WAIT2: 5, TIME_WAIT: 6, CLOSE: 7, CLOSE_WAIT: 8,
  LAST_ACK: 9, LISTEN: 10, CLOSING: 11, NEW_SYN_RECV: 12, BOUND_INACTIVE: 13,
} as const;

/** TCPI_OPT_*: tcp_info.tcpi_options bits. */
export const TCPI_OPT = { TIMESTAMPS: 1, SACK: 2, WSCALE: 4, ECN: 8, ECN_SEEN: 16, SYN_DATA: 32, USEC_TS: 64, TFO_CHILD: 128 } as const;

/** TCP_CA_*: tcp_info.tcpi_ca_state. */
export const TCP_CA = { Open: 0, Disorder: 1, CWR: 2, Recovery: 3, Loss: 4 } as const;

/** Address families sock_diag dumps (AF_*). */
export const AF = { UNIX: 1, INET: 2, INET6: 10, NETLINK: 16, PACKET: 17 } as const;

/** IPPROTO_*: inet_diag protocols (MPTCP, above 255, goes in INET_DIAG_REQ_PROTOCOL). */
export const IPPROTO = { ICMP: 1, TCP: 6, UDP: 17, DCCP: 33, ICMPV6: 58, SCTP: 132, UDPLITE: 136, RAW: 255, MPTCP: 262 } as const;
