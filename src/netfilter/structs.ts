// Fixed structs of nfnetlink: the family header every message carries and the queue's structs
// inside attributes. Field names are the kernel's without their prefix; sizes are the packed
// sizes of <linux/netfilter/nfnetlink*.h>.
import { structSpec } from '../schema/index.js';

/** struct nfgenmsg: family (NFPROTO_*), version (NFNETLINK_V0) and res_id (queue number, group, subsystem of a batch), 4 bytes. */
export const nfgenmsg = structSpec('nfgenmsg', [
  { name: 'family', type: 'u8' },
  { name: 'version', type: 'u8' },
  { name: 'res_id', type: 'u16be' },
] as const);

/** struct nfqnl_msg_packet_hdr (packed, 7 bytes). */
export const nfqnlMsgPacketHdr = structSpec('nfqnl_msg_packet_hdr', [
  { name: 'packet_id', type: 'u32be' },
  { name: 'hw_protocol', type: 'u16be' },
  { name: 'hook', type: 'u8' },
] as const);

/** struct nfqnl_msg_packet_hw: the link-layer source address, hw_addrlen bytes of hw_addr. */
export const nfqnlMsgPacketHw = structSpec('nfqnl_msg_packet_hw', [
  { name: 'hw_addrlen', type: 'u16be' },
  { name: '_pad', type: 'pad', len: 2 },
  { name: 'hw_addr', type: 'binary', len: 8 },
] as const);

/** struct nfqnl_msg_packet_timestamp. */
export const nfqnlMsgPacketTimestamp = structSpec('nfqnl_msg_packet_timestamp', [
  { name: 'sec', type: 'u64be' },
  { name: 'usec', type: 'u64be' },
] as const);

/** struct nfqnl_msg_verdict_hdr. */
export const nfqnlMsgVerdictHdr = structSpec('nfqnl_msg_verdict_hdr', [
  { name: 'verdict', type: 'u32be' },
  { name: 'id', type: 'u32be' },
] as const);

/** struct nfqnl_msg_config_cmd. */
export const nfqnlMsgConfigCmd = structSpec('nfqnl_msg_config_cmd', [
  { name: 'command', type: 'u8' },
  { name: '_pad', type: 'pad', len: 1 },
  { name: 'pf', type: 'u16be' },
] as const);

/** struct nfqnl_msg_config_params (packed, 5 bytes). */
export const nfqnlMsgConfigParams = structSpec('nfqnl_msg_config_params', [
  { name: 'copy_range', type: 'u32be' },
  { name: 'copy_mode', type: 'u8' },
] as const);

/** struct nfulnl_msg_packet_hdr (4 bytes). */
export const nfulnlMsgPacketHdr = structSpec('nfulnl_msg_packet_hdr', [
  { name: 'hw_protocol', type: 'u16be' },
  { name: 'hook', type: 'u8' },
  { name: '_pad', type: 'pad', len: 1 },
] as const);

/** struct nfulnl_msg_config_cmd (packed, 1 byte). */
export const nfulnlMsgConfigCmd = structSpec('nfulnl_msg_config_cmd', [
  { name: 'command', type: 'u8' },
] as const);

/** struct nfulnl_msg_config_mode (packed, 6 bytes). */
export const nfulnlMsgConfigMode = structSpec('nfulnl_msg_config_mode', [
  { name: 'copy_range', type: 'u32be' },
  { name: 'copy_mode', type: 'u8' },
  { name: '_pad', type: 'pad', len: 1 },
] as const);
