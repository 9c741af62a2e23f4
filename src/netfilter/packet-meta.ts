// What nfnetlink_queue and nfnetlink_log both say about a packet: the packet header's hook and
// EtherType, and the mark, timestamp, devices, hardware address, payload and owner attributes
// that NFQA_* and NFULA_* number alike. Decoded once here for both.
import { formatMac } from '../schema/index.js';
import { NF_INET } from './constants.js';

/** The netfilter hooks by number, as iptables names them ('pre-routing', 'local-in', …). */
const HOOK_NAMES = Object.fromEntries(Object.entries(NF_INET).map(([k, v]) => [v, k.toLowerCase().replace(/_/g, '-')])) as Record<number, string>;

/** A packet's metadata as queue and log report it; optional fields are absent when the kernel did not send them. */
export interface PacketMeta {
  /** The netfilter hook ('pre-routing', 'local-in', 'forward', 'local-out', 'post-routing') or its number. */
  hook: string | number;
  /** hw_protocol: the EtherType (0x0800 IPv4, 0x86dd IPv6). */
  hwProtocol: number;
  /** The nfgenmsg family (NFPROTO_*: 2 IPv4, 10 IPv6). */
  family: number;
  mark?: number;
  /** The receive time in microseconds since the epoch. */
  timestamp?: bigint;
  indev?: number;
  outdev?: number;
  physindev?: number;
  physoutdev?: number;
  /** The link-layer source address. */
  hwaddr?: string;
  /** The packet (network layer), as much as the copy range allows. */
  payload?: Uint8Array;
  uid?: number;
  gid?: number;
}

/** Reads the metadata both protocols share from a decoded NFQA_* or NFULA_* message. */
export function packetMeta(o: Record<string, any>): PacketMeta {
  const hdr = o.packet_hdr ?? {};
  const p: PacketMeta = { hook: HOOK_NAMES[hdr.hook] ?? hdr.hook ?? 0, hwProtocol: hdr.hw_protocol ?? 0, family: o.family };
  if (o.mark !== undefined) p.mark = o.mark;
  if (o.timestamp?.sec !== undefined) p.timestamp = BigInt(o.timestamp.sec) * 1_000_000n + BigInt(o.timestamp.usec ?? 0);
  if (o.ifindex_indev !== undefined) p.indev = o.ifindex_indev;
  if (o.ifindex_outdev !== undefined) p.outdev = o.ifindex_outdev;
  if (o.ifindex_physindev !== undefined) p.physindev = o.ifindex_physindev;
  if (o.ifindex_physoutdev !== undefined) p.physoutdev = o.ifindex_physoutdev;
  if (o.hwaddr?.hw_addr) p.hwaddr = formatMac(o.hwaddr.hw_addr, 0, Math.min(8, o.hwaddr.hw_addrlen));
  if (o.payload !== undefined) p.payload = o.payload;
  if (o.uid !== undefined) p.uid = o.uid;
  if (o.gid !== undefined) p.gid = o.gid;
  return p;
}
