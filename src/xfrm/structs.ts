// The fixed structs of <linux/xfrm.h>. XFRM has no family header shared by its messages: each
// message type starts with its own struct (xfrm_usersa_info for NEWSA, xfrm_usersa_id for
// GETSA/DELSA, xfrm_userpolicy_info, …). Addresses (xfrm_address_t) are 16 bytes whose meaning
// depends on a family field elsewhere; they are declared as bytes here and become text in
// address.ts. The explicit 'pad' members are the compiler's (x86-64 and every 64-bit ABI: the
// u64 lifetimes align xfrm_usersa_info to 8, so it is 224 bytes, not 217). Sizes and offsets are
// checked against the C compiler by test/xfrm.test.ts.
import { structSpec } from '../schema/index.js';
import { action, dir, encapType, family, mode, policyFlags, ptype, share, stateFlags, xfrmProto } from './enums.js';

/** struct xfrm_selector (56 bytes): what traffic an SA or policy applies to. */
export const xfrmSelector = structSpec('xfrm_selector', [
  { name: 'daddr', type: 'binary', len: 16 },
  { name: 'saddr', type: 'binary', len: 16 },
  { name: 'dport', type: 'u16be' },
  { name: 'dport_mask', type: 'u16be' },
  { name: 'sport', type: 'u16be' },
  { name: 'sport_mask', type: 'u16be' },
  { name: 'family', type: 'u16', enum: family },
  { name: 'prefixlen_d', type: 'u8' },
  { name: 'prefixlen_s', type: 'u8' },
  { name: 'proto', type: 'u8' },
  { name: 'pad0', type: 'pad', len: 3 },
  { name: 'ifindex', type: 's32' },
  { name: 'user', type: 'u32' },
] as const);

/** struct xfrm_id (24 bytes): an SA's destination, SPI (network order on the wire) and protocol. */
export const xfrmId = structSpec('xfrm_id', [
  { name: 'daddr', type: 'binary', len: 16 },
  { name: 'spi', type: 'u32be' },
  { name: 'proto', type: 'u8', enum: xfrmProto },
  { name: 'pad0', type: 'pad', len: 3 },
] as const);

/** struct xfrm_lifetime_cfg (64 bytes): limits; XFRM_INF (2^64-1) is no limit. */
export const xfrmLifetimeCfg = structSpec('xfrm_lifetime_cfg', [
  { name: 'soft_byte_limit', type: 'u64' },
  { name: 'hard_byte_limit', type: 'u64' },
  { name: 'soft_packet_limit', type: 'u64' },
  { name: 'hard_packet_limit', type: 'u64' },
  { name: 'soft_add_expires_seconds', type: 'u64' },
  { name: 'hard_add_expires_seconds', type: 'u64' },
  { name: 'soft_use_expires_seconds', type: 'u64' },
  { name: 'hard_use_expires_seconds', type: 'u64' },
] as const);

/** struct xfrm_lifetime_cur (32 bytes): use so far; times are seconds since the epoch. */
export const xfrmLifetimeCur = structSpec('xfrm_lifetime_cur', [
  { name: 'bytes', type: 'u64' },
  { name: 'packets', type: 'u64' },
  { name: 'add_time', type: 'u64' },
  { name: 'use_time', type: 'u64' },
] as const);

/** struct xfrm_stats (12 bytes). */
export const xfrmStats = structSpec('xfrm_stats', [
  { name: 'replay_window', type: 'u32' },
  { name: 'replay', type: 'u32' },
  { name: 'integrity_failed', type: 'u32' },
] as const);

/** struct xfrm_usersa_info (224 bytes): an SA (NEWSA, UPDSA, a GETSA reply, XFRMA_SA). */
export const xfrmUsersaInfo = structSpec('xfrm_usersa_info', [
  { name: 'sel', type: 'binary', struct: xfrmSelector },
  { name: 'id', type: 'binary', struct: xfrmId },
  { name: 'saddr', type: 'binary', len: 16 },
  { name: 'lft', type: 'binary', struct: xfrmLifetimeCfg },
  { name: 'curlft', type: 'binary', struct: xfrmLifetimeCur },
  { name: 'stats', type: 'binary', struct: xfrmStats },
  { name: 'seq', type: 'u32' },
  { name: 'reqid', type: 'u32' },
  { name: 'family', type: 'u16', enum: family },
  { name: 'mode', type: 'u8', enum: mode },
  { name: 'replay_window', type: 'u8' },
  { name: 'flags', type: 'u8', flags: stateFlags },
  { name: 'pad0', type: 'pad', len: 7 },
] as const);

/** struct xfrm_usersa_id (24 bytes): which SA (GETSA, DELSA; XFRMA_SRCADDR and XFRMA_MARK narrow it). */
export const xfrmUsersaId = structSpec('xfrm_usersa_id', [
  { name: 'daddr', type: 'binary', len: 16 },
  { name: 'spi', type: 'u32be' },
  { name: 'family', type: 'u16', enum: family },
  { name: 'proto', type: 'u8', enum: xfrmProto },
  { name: 'pad0', type: 'pad', len: 1 },
] as const);

/** struct xfrm_userspi_info (232 bytes): ALLOCSPI, an SPI picked from min..max. */
export const xfrmUserspiInfo = structSpec('xfrm_userspi_info', [
  { name: 'info', type: 'binary', struct: xfrmUsersaInfo },
  { name: 'min', type: 'u32' },
  { name: 'max', type: 'u32' },
] as const);

/** struct xfrm_userpolicy_info (168 bytes): a policy. */
export const xfrmUserpolicyInfo = structSpec('xfrm_userpolicy_info', [
  { name: 'sel', type: 'binary', struct: xfrmSelector },
  { name: 'lft', type: 'binary', struct: xfrmLifetimeCfg },
  { name: 'curlft', type: 'binary', struct: xfrmLifetimeCur },
  { name: 'priority', type: 'u32' },
  { name: 'index', type: 'u32' },
  { name: 'dir', type: 'u8', enum: dir },
  { name: 'action', type: 'u8', enum: action },
  { name: 'flags', type: 'u8', flags: policyFlags },
  { name: 'share', type: 'u8', enum: share },
  { name: 'pad0', type: 'pad', len: 4 },
] as const);

/** struct xfrm_userpolicy_id (64 bytes): which policy (by selector and direction, or by index). */
export const xfrmUserpolicyId = structSpec('xfrm_userpolicy_id', [
  { name: 'sel', type: 'binary', struct: xfrmSelector },
  { name: 'index', type: 'u32' },
  { name: 'dir', type: 'u8', enum: dir },
  { name: 'pad0', type: 'pad', len: 3 },
] as const);

/** struct xfrm_user_tmpl (64 bytes): one template of a policy (XFRMA_TMPL is an array of them). */
export const xfrmUserTmpl = structSpec('xfrm_user_tmpl', [
  { name: 'id', type: 'binary', struct: xfrmId },
  { name: 'family', type: 'u16', enum: family },
  { name: 'pad0', type: 'pad', len: 2 },
  { name: 'saddr', type: 'binary', len: 16 },
  { name: 'reqid', type: 'u32' },
  { name: 'mode', type: 'u8', enum: mode },
  { name: 'share', type: 'u8', enum: share },
  { name: 'optional', type: 'u8' },
  { name: 'pad1', type: 'pad', len: 1 },
  { name: 'aalgos', type: 'u32' },
  { name: 'ealgos', type: 'u32' },
  { name: 'calgos', type: 'u32' },
] as const);

/** struct xfrm_encap_tmpl (24 bytes): NAT traversal (XFRMA_ENCAP). */
export const xfrmEncapTmpl = structSpec('xfrm_encap_tmpl', [
  { name: 'encap_type', type: 'u16', enum: encapType },
  { name: 'encap_sport', type: 'u16be' },
  { name: 'encap_dport', type: 'u16be' },
  { name: 'pad0', type: 'pad', len: 2 },
  { name: 'encap_oa', type: 'binary', len: 16 },
] as const);

/** struct xfrm_mark (XFRMA_MARK): value and mask. */
export const xfrmMark = structSpec('xfrm_mark', [
  { name: 'v', type: 'u32' },
  { name: 'm', type: 'u32' },
] as const);

/** struct xfrm_replay_state (XFRMA_REPLAY_VAL). */
export const xfrmReplayState = structSpec('xfrm_replay_state', [
  { name: 'oseq', type: 'u32' },
  { name: 'seq', type: 'u32' },
  { name: 'bitmap', type: 'u32' },
] as const);

/** struct xfrm_userpolicy_type (XFRMA_POLICY_TYPE, 6 bytes). */
export const xfrmUserpolicyType = structSpec('xfrm_userpolicy_type', [
  { name: 'type', type: 'u8', enum: ptype },
  { name: 'pad0', type: 'pad', len: 1 },
  { name: 'reserved1', type: 'u16' },
  { name: 'reserved2', type: 'u8' },
  { name: 'pad1', type: 'pad', len: 1 },
] as const);

/** struct xfrm_address_filter (XFRMA_ADDRESS_FILTER of a GETSA dump, 36 bytes). */
export const xfrmAddressFilter = structSpec('xfrm_address_filter', [
  { name: 'saddr', type: 'binary', len: 16 },
  { name: 'daddr', type: 'binary', len: 16 },
  { name: 'family', type: 'u16', enum: family },
  { name: 'splen', type: 'u8' },
  { name: 'dplen', type: 'u8' },
] as const);

/** struct xfrm_user_offload (XFRMA_OFFLOAD_DEV). */
export const xfrmUserOffload = structSpec('xfrm_user_offload', [
  { name: 'ifindex', type: 's32' },
  { name: 'flags', type: 'u8' },
  { name: 'pad0', type: 'pad', len: 3 },
] as const);

/** struct xfrm_user_acquire (280 bytes): the kernel asks a key manager for an SA. */
export const xfrmUserAcquire = structSpec('xfrm_user_acquire', [
  { name: 'id', type: 'binary', struct: xfrmId },
  { name: 'saddr', type: 'binary', len: 16 },
  { name: 'sel', type: 'binary', struct: xfrmSelector },
  { name: 'policy', type: 'binary', struct: xfrmUserpolicyInfo },
  { name: 'aalgos', type: 'u32' },
  { name: 'ealgos', type: 'u32' },
  { name: 'calgos', type: 'u32' },
  { name: 'seq', type: 'u32' },
] as const);

/** struct xfrm_user_expire (232 bytes): an SA reached a soft or hard limit. */
export const xfrmUserExpire = structSpec('xfrm_user_expire', [
  { name: 'state', type: 'binary', struct: xfrmUsersaInfo },
  { name: 'hard', type: 'u8' },
  { name: 'pad0', type: 'pad', len: 7 },
] as const);

/** struct xfrm_user_polexpire (176 bytes): a policy reached a limit. */
export const xfrmUserPolexpire = structSpec('xfrm_user_polexpire', [
  { name: 'pol', type: 'binary', struct: xfrmUserpolicyInfo },
  { name: 'hard', type: 'u8' },
  { name: 'pad0', type: 'pad', len: 7 },
] as const);

/** struct xfrm_usersa_flush (FLUSHSA, 1 byte): the protocol to flush, 0 (IPSEC_PROTO_ANY works too) for all. */
export const xfrmUsersaFlush = structSpec('xfrm_usersa_flush', [
  { name: 'proto', type: 'u8', enum: xfrmProto },
] as const);

/** The u32 flags word that heads GETSADINFO/GETSPDINFO and their replies. */
export const xfrmInfoFlags = structSpec('xfrm_info_flags', [
  { name: 'flags', type: 'u32' },
] as const);

/** No fixed header (dump requests, FLUSHPOLICY): attributes follow the nlmsghdr directly. */
export const noHeader = structSpec('none', [] as const);

/** struct xfrmu_sadhinfo (XFRMA_SAD_HINFO). */
export const xfrmuSadhinfo = structSpec('xfrmu_sadhinfo', [
  { name: 'sadhcnt', type: 'u32' },
  { name: 'sadhmcnt', type: 'u32' },
] as const);

/** struct xfrmu_spdinfo (XFRMA_SPD_INFO): policies per direction, and socket policies. */
export const xfrmuSpdinfo = structSpec('xfrmu_spdinfo', [
  { name: 'incnt', type: 'u32' },
  { name: 'outcnt', type: 'u32' },
  { name: 'fwdcnt', type: 'u32' },
  { name: 'inscnt', type: 'u32' },
  { name: 'outscnt', type: 'u32' },
  { name: 'fwdscnt', type: 'u32' },
] as const);

/** struct xfrmu_spdhinfo (XFRMA_SPD_HINFO). */
export const xfrmuSpdhinfo = structSpec('xfrmu_spdhinfo', [
  { name: 'spdhcnt', type: 'u32' },
  { name: 'spdhmcnt', type: 'u32' },
] as const);

/** struct xfrmu_spdhthresh (XFRMA_SPD_IPV4_HTHRESH / IPV6_HTHRESH). */
export const xfrmuSpdhthresh = structSpec('xfrmu_spdhthresh', [
  { name: 'lbits', type: 'u8' },
  { name: 'rbits', type: 'u8' },
] as const);

/** XFRM_INF of <linux/xfrm.h>, (~(__u64)0): "no limit" in a lifetime. */
export const XFRM_INF = 0xffffffffffffffffn;
