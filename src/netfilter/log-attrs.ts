// Attribute sets of nfnetlink_log (NFLOG): NFULA_* (a logged packet) and NFULA_CFG_* (a group's
// configuration). Integers are big-endian as the kernel sends them; the timestamp and hardware
// address are the queue's structs (same layout in both headers).
import { attrs, binary, int, nest, string, struct } from '../schema/index.js';
import { NFULA, NFULA_CFG } from './constants.js';
import { nfqaVlanAttrs } from './attrs.js';
import { nfqnlMsgPacketHw, nfqnlMsgPacketTimestamp, nfulnlMsgConfigCmd, nfulnlMsgConfigMode, nfulnlMsgPacketHdr } from './structs.js';

/** NFULA_*: a logged packet. */
export const nfulaAttrs = attrs('nfula', {
  packet_hdr: [NFULA.PACKET_HDR, struct(nfulnlMsgPacketHdr)],
  mark: [NFULA.MARK, int('u32be')],
  timestamp: [NFULA.TIMESTAMP, struct(nfqnlMsgPacketTimestamp)],
  ifindex_indev: [NFULA.IFINDEX_INDEV, int('u32be')],
  ifindex_outdev: [NFULA.IFINDEX_OUTDEV, int('u32be')],
  ifindex_physindev: [NFULA.IFINDEX_PHYSINDEV, int('u32be')],
  ifindex_physoutdev: [NFULA.IFINDEX_PHYSOUTDEV, int('u32be')],
  hwaddr: [NFULA.HWADDR, struct(nfqnlMsgPacketHw)],
  payload: [NFULA.PAYLOAD, binary()],
  prefix: [NFULA.PREFIX, string()],
  uid: [NFULA.UID, int('u32be')],
  seq: [NFULA.SEQ, int('u32be')],
  seq_global: [NFULA.SEQ_GLOBAL, int('u32be')],
  gid: [NFULA.GID, int('u32be')],
  hwtype: [NFULA.HWTYPE, int('u16be')],
  hwheader: [NFULA.HWHEADER, binary()],
  hwlen: [NFULA.HWLEN, int('u16be')],
  ct: [NFULA.CT, binary()],
  ct_info: [NFULA.CT_INFO, int('u32be')],
  vlan: [NFULA.VLAN, nest(nfqaVlanAttrs)],
  l2hdr: [NFULA.L2HDR, binary()],
});

/** NFULA_CFG_*: binding and configuring a log group. */
export const nfulaCfgAttrs = attrs('nfula_cfg', {
  cmd: [NFULA_CFG.CMD, struct(nfulnlMsgConfigCmd)],
  mode: [NFULA_CFG.MODE, struct(nfulnlMsgConfigMode)],
  nlbufsiz: [NFULA_CFG.NLBUFSIZ, int('u32be')],
  timeout: [NFULA_CFG.TIMEOUT, int('u32be')],
  qthresh: [NFULA_CFG.QTHRESH, int('u32be')],
  flags: [NFULA_CFG.FLAGS, int('u16be')],
});
