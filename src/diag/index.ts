// nlkit/diag: socket diagnostics (NETLINK_SOCK_DIAG) — inet, unix, netlink and packet sockets,
// kernel-side filters, SOCK_DESTROY, destroy notifications, and sockets mapped to processes.
export * from './constants.js';
export { family, tcpState, protocol, sockType, tcpiOptions, tcpCaState, ndiagFlags, pdiFlags, inetTimer, type Family, type TcpState, type Protocol } from './enums.js';
export * as structs from './structs.js';
export { inetDiagAttrs, unixDiagAttrs, netlinkDiagAttrs, packetDiagAttrs, inetDiagReqAttrs, ulpInfoAttrs, type SockFilter, type PacketMclist } from './attrs.js';
export { inetCodec, inetReqCodec, unixCodec, netlinkCodec, packetCodec, type UnixSocket, type NetlinkSock, type PacketSocket } from './codecs.js';
export {
  dumpInetSockets, getInetSocket, destroyInetSocket, events, stateMask, isConnected, EVENT_GROUPS,
  type InetSocket, type InetFilter, type InetSocketId, type InetExtension, type InetDestroyEvent, type TcpInfo, type InetSockopt,
} from './inet.js';
export { dumpInetSocketsBrief, decodeBriefBatch, type InetSocketBrief } from './inet-brief.js';
export { procRawSockets, parseProcRaw } from './proc-raw.js';
export { readProcNet } from './proc-net.js';
export { socketSummary, parseSockstat, snmpField, type SocketSummary, type SockstatLine } from './sockstat.js';
export { dumpUnixSockets, type UnixFilter } from './unix.js';
export { dumpNetlinkSockets, type NetlinkFilter, type NetlinkSocketInfo } from './netlink.js';
export { dumpPacketSockets, type PacketFilter } from './packet.js';
export { parseFilter, compileFilter, matchFilter, fnmatch, type FilterExpr, type FilterSubject, type CompiledFilter, type PortOp, type ParseFilterOptions } from './filter.js';
export { compileBytecode } from './filter-bytecode.js';
export { socketUsers, type SocketUser } from './processes.js';
export { openDiag, diagMsgName } from './socket.js';
