// nlkit/socket: NetlinkSocket and what it reports, and the shapes every family shares.
export {
  NetlinkSocket, DumpIterable, copyMessage,
  type OpenOptions, type RequestOptions, type DumpOptions, type Decoder, type BatchDecoder, type Reply, type NetlinkEvent,
  type Overrun, type EventMeta, type EventOptions, type BatchRequest, type BatchOptions, type BatchResult,
} from './netlink-socket.js';
export { Dump, type DumpSource } from './family-dump.js';
export { retryInterrupted, type RetryInterruptedOptions } from './retry.js';
export { Subscription, type SubscriptionSource } from './subscription.js';
export type { FamilyOptions } from './family-options.js';
export { NetlinkError, SocketError } from './netlink-error.js';
export { errnoName, errnoMessage, errnoValue } from './errno.js';
export { netnsPath, type NetnsSpec } from './netns.js';
export { PcapWriter, LINKTYPE_NETLINK, ARPHRD_NETLINK } from './pcap.js';
export type { Transport, TransportFactory, RecvCallback } from './native.js';
