// Names of sock_diag values. States are the kernel's TCP_* names in lower case with dashes
// ('established', 'syn-sent', 'listen'); unknown values decode to their number.
import { enumSpec, flagsSpec } from '../schema/index.js';
import { AF, IPPROTO, NDIAG_FLAG, PDI, TCP, TCP_CA, TCPI_OPT } from './constants.js';

const dashed = <T extends Record<string, number>>(o: T) =>
  Object.fromEntries(Object.entries(o).map(([k, v]) => [k.toLowerCase().replace(/_/g, '-'), v])) as Record<string, number>;

/** Socket families sock_diag reports. */
export const family = enumSpec('family', { unspec: 0, unix: AF.UNIX, inet: AF.INET, inet6: AF.INET6, netlink: AF.NETLINK, packet: AF.PACKET });
/** A family name. */
export type Family = 'unspec' | 'unix' | 'inet' | 'inet6' | 'netlink' | 'packet';

/** TCP states (also the states of unix sockets). */
export const tcpState = enumSpec('tcp_state', dashed(TCP) as Record<TcpState, number>);
/** A TCP state name. */
export type TcpState =
  | 'established' | 'syn-sent' | 'syn-recv' | 'fin-wait1' | 'fin-wait2' | 'time-wait' | 'close' | 'close-wait'
  | 'last-ack' | 'listen' | 'closing' | 'new-syn-recv' | 'bound-inactive';

/** IP protocols inet_diag dumps. */
export const protocol = enumSpec('protocol', dashed(IPPROTO) as Record<Protocol, number>);
/** An IP protocol name. */
export type Protocol = 'icmp' | 'tcp' | 'udp' | 'dccp' | 'icmpv6' | 'sctp' | 'udplite' | 'raw' | 'mptcp';

/** Socket types (SOCK_* of <bits/socket_type.h>). */
export const sockType = enumSpec('sock_type', { stream: 1, dgram: 2, raw: 3, rdm: 4, seqpacket: 5, dccp: 6, packet: 10 });

/** tcp_info.tcpi_options. */
export const tcpiOptions = flagsSpec('tcpi_options', dashed(TCPI_OPT));
/** tcp_info.tcpi_ca_state. */
export const tcpCaState = enumSpec('tcp_ca_state', dashed(TCP_CA));
/** NETLINK_DIAG_FLAGS. */
export const ndiagFlags = flagsSpec('ndiag_flags', dashed(NDIAG_FLAG));
/** packet_diag_info.pdi_flags. */
export const pdiFlags = flagsSpec('pdi_flags', dashed(PDI));
/** idiag_timer: which timer runs (ss's names). */
export const inetTimer = enumSpec('idiag_timer', { off: 0, on: 1, keepalive: 2, timewait: 3, persist: 4, unknown: 5 });
