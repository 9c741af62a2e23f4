// One flat message codec per XFRM message layout: the message's own fixed struct and the
// XFRMA_* attributes decode into one object. Addresses stay bytes here (address.ts makes text).
import { FlatMessageCodec } from '../schema/index.js';
import { sadInfoAttrs, spdInfoAttrs, xfrmAttrs } from './attrs.js';
import { XFRM_MSG_NAME } from './gen/xfrm.js';
import {
  noHeader, xfrmInfoFlags, xfrmUserAcquire, xfrmUserExpire, xfrmUserPolexpire, xfrmUserpolicyId, xfrmUserpolicyInfo,
  xfrmUsersaFlush, xfrmUsersaId, xfrmUsersaInfo, xfrmUserspiInfo,
} from './structs.js';

/** NEWSA, UPDSA, GETSA replies and dumps: xfrm_usersa_info + XFRMA_*. */
export const saCodec = new FlatMessageCodec(xfrmUsersaInfo, xfrmAttrs);
/** GETSA, DELSA (requests and the DELSA notification): xfrm_usersa_id + XFRMA_*. */
export const saIdCodec = new FlatMessageCodec(xfrmUsersaId, xfrmAttrs);
/** ALLOCSPI: xfrm_userspi_info + XFRMA_*. */
export const spiCodec = new FlatMessageCodec(xfrmUserspiInfo, xfrmAttrs);
/** FLUSHSA: xfrm_usersa_flush. */
export const saFlushCodec = new FlatMessageCodec(xfrmUsersaFlush, xfrmAttrs);
/** EXPIRE: xfrm_user_expire + XFRMA_*. */
export const expireCodec = new FlatMessageCodec(xfrmUserExpire, xfrmAttrs);
/** ACQUIRE: xfrm_user_acquire + XFRMA_*. */
export const acquireCodec = new FlatMessageCodec(xfrmUserAcquire, xfrmAttrs);
/** NEWPOLICY, UPDPOLICY, GETPOLICY replies and dumps: xfrm_userpolicy_info + XFRMA_*. */
export const policyCodec = new FlatMessageCodec(xfrmUserpolicyInfo, xfrmAttrs);
/** GETPOLICY, DELPOLICY (requests and the DELPOLICY notification): xfrm_userpolicy_id + XFRMA_*. */
export const policyIdCodec = new FlatMessageCodec(xfrmUserpolicyId, xfrmAttrs);
/** POLEXPIRE: xfrm_user_polexpire + XFRMA_*. */
export const polexpireCodec = new FlatMessageCodec(xfrmUserPolexpire, xfrmAttrs);
/** Dump requests and FLUSHPOLICY: XFRMA_* right after the nlmsghdr. */
export const bareCodec = new FlatMessageCodec(noHeader, xfrmAttrs);
/** GETSADINFO / NEWSADINFO: a u32 of flags + XFRMA_SAD_*. */
export const sadInfoCodec = new FlatMessageCodec(xfrmInfoFlags, sadInfoAttrs);
/** GETSPDINFO / NEWSPDINFO: a u32 of flags + XFRMA_SPD_*. */
export const spdInfoCodec = new FlatMessageCodec(xfrmInfoFlags, spdInfoAttrs);

/** The C name of an XFRM message type, for errors ('XFRM_MSG_NEWSA: File exists'). */
export function xfrmMsgName(type: number): string | undefined {
  return XFRM_MSG_NAME[type];
}
