// Attribute sets of nfnetlink_queue: NFQA_* (a queued packet and a verdict), NFQA_CFG_* (the
// queue's configuration), NFQA_VLAN_*, and the few CTA_* a verdict sets. Integers are big-endian
// as the kernel sends them; undeclared attributes are kept as bytes ($unknown).
import { attrs, binary, int, nest, string, struct } from '../schema/index.js';
import { CTA, NFQA, NFQA_CFG, NFQA_VLAN } from './constants.js';
import {
  nfqnlMsgConfigCmd, nfqnlMsgConfigParams, nfqnlMsgPacketHdr, nfqnlMsgPacketHw, nfqnlMsgPacketTimestamp, nfqnlMsgVerdictHdr,
} from './structs.js';

/** NFQA_VLAN_*: the packet's VLAN tag. */
export const nfqaVlanAttrs = attrs('nfqa_vlan', {
  proto: [NFQA_VLAN.PROTO, int('u16be')],
  tci: [NFQA_VLAN.TCI, int('u16be')],
});

/** The CTA_* a verdict may carry in NFQA_CT (the connection's mark). */
export const nfqaCtAttrs = attrs('nfqa_ct', {
  mark: [CTA.MARK, int('u32be')],
});

/** NFQA_*: a queued packet (kernel to user space) or a verdict (user space to kernel). */
export const nfqaAttrs = attrs('nfqa', {
  packet_hdr: [NFQA.PACKET_HDR, struct(nfqnlMsgPacketHdr)],
  verdict_hdr: [NFQA.VERDICT_HDR, struct(nfqnlMsgVerdictHdr)],
  mark: [NFQA.MARK, int('u32be')],
  timestamp: [NFQA.TIMESTAMP, struct(nfqnlMsgPacketTimestamp)],
  ifindex_indev: [NFQA.IFINDEX_INDEV, int('u32be')],
  ifindex_outdev: [NFQA.IFINDEX_OUTDEV, int('u32be')],
  ifindex_physindev: [NFQA.IFINDEX_PHYSINDEV, int('u32be')],
  ifindex_physoutdev: [NFQA.IFINDEX_PHYSOUTDEV, int('u32be')],
  hwaddr: [NFQA.HWADDR, struct(nfqnlMsgPacketHw)],
  payload: [NFQA.PAYLOAD, binary()],
  ct: [NFQA.CT, nest(nfqaCtAttrs)],
  ct_info: [NFQA.CT_INFO, int('u32be')],
  cap_len: [NFQA.CAP_LEN, int('u32be')],
  skb_info: [NFQA.SKB_INFO, int('u32be')],
  exp: [NFQA.EXP, binary()],
  uid: [NFQA.UID, int('u32be')],
  gid: [NFQA.GID, int('u32be')],
  secctx: [NFQA.SECCTX, string()],
  vlan: [NFQA.VLAN, nest(nfqaVlanAttrs)],
  l2hdr: [NFQA.L2HDR, binary()],
  priority: [NFQA.PRIORITY, int('u32be')],
});

/** NFQA_CFG_*: binding and configuring a queue. */
export const nfqaCfgAttrs = attrs('nfqa_cfg', {
  cmd: [NFQA_CFG.CMD, struct(nfqnlMsgConfigCmd)],
  params: [NFQA_CFG.PARAMS, struct(nfqnlMsgConfigParams)],
  queue_maxlen: [NFQA_CFG.QUEUE_MAXLEN, int('u32be')],
  mask: [NFQA_CFG.MASK, int('u32be')],
  flags: [NFQA_CFG.FLAGS, int('u32be')],
});
