// nfnetlink framing: a message type is (subsystem << 8) | message, every message starts with
// struct nfgenmsg (batches are in batch.ts).
import { NetlinkSocket, type FamilyOptions, type NetnsSpec } from '../socket/index.js';
import { NETLINK_NETFILTER, type MessageWriter } from '../wire/index.js';
import {
  IPCTNL_MSG_EXP_NAME, IPCTNL_MSG_NAME, NFNL_MSG, NFNL_MSG_NAME, NFNL_SUBSYS, NFQNL_MSG_NAME, NFT_MSG_NAME, NFULNL_MSG_NAME,
} from './constants.js';

/** NFNETLINK_V0: the only nfgenmsg version. */
export const NFNETLINK_V0 = 0;

/** The nlmsg_type of message `msg` of subsystem `subsys` (NFNL_SUBSYS_* << 8 | msg). */
export function nfnlType(subsys: number, msg: number): number {
  return ((subsys & 0xff) << 8) | (msg & 0xff);
}

/** NFNL_SUBSYS_ID: the subsystem of an nlmsg_type. */
export function nfnlSubsys(type: number): number {
  return (type & 0xff00) >> 8;
}

/** NFNL_MSG_TYPE: the message of an nlmsg_type, within its subsystem. */
export function nfnlMsg(type: number): number {
  return type & 0xff;
}

const SUBSYS_NAMES: Record<number, Readonly<Record<number, string>>> = {
  [NFNL_SUBSYS.CTNETLINK]: IPCTNL_MSG_NAME,
  [NFNL_SUBSYS.CTNETLINK_EXP]: IPCTNL_MSG_EXP_NAME,
  [NFNL_SUBSYS.QUEUE]: NFQNL_MSG_NAME,
  [NFNL_SUBSYS.ULOG]: NFULNL_MSG_NAME,
  [NFNL_SUBSYS.NFTABLES]: NFT_MSG_NAME,
};

/** The C name of an nfnetlink message type, for errors ('NFQNL_MSG_CONFIG: Operation not permitted'). */
export function nfnlMsgName(type: number): string | undefined {
  if (type === NFNL_MSG.BATCH_BEGIN || type === NFNL_MSG.BATCH_END) return NFNL_MSG_NAME[type];
  return SUBSYS_NAMES[nfnlSubsys(type)]?.[nfnlMsg(type)];
}

/** Opens a NETLINK_NETFILTER socket. Pass it as `{ socket }` to run many calls on one socket; close() it after. */
export function openNetfilter(opts: { netns?: NetnsSpec; groups?: number[]; rcvbuf?: number; readAhead?: boolean } = {}): NetlinkSocket {
  return NetlinkSocket.open(NETLINK_NETFILTER, {
    ...(opts.readAhead ? { readAhead: true } : {}),
    ...(opts.netns !== undefined ? { netns: opts.netns } : {}),
    ...(opts.groups ? { groups: opts.groups } : {}),
    ...(opts.rcvbuf ? { rcvbuf: opts.rcvbuf } : {}),
    typeName: nfnlMsgName,
  });
}

/** Runs `fn` on the caller's socket, or on one opened (and closed) for it. */
export async function withNetfilterSocket<T>(opts: FamilyOptions, fn: (sock: NetlinkSocket) => Promise<T>): Promise<T> {
  if (opts.socket) return fn(opts.socket);
  const sock = openNetfilter(opts.netns !== undefined ? { netns: opts.netns } : {});
  try {
    return await fn(sock);
  } finally {
    sock.close();
  }
}

/** Writes the 4-byte nfgenmsg into the message `w` is building. */
export function writeNfgenmsg(w: MessageWriter, family: number, resId: number): void {
  const at = w.reserve(4);
  const dv = w.view;
  dv.setUint8(at, family);
  dv.setUint8(at + 1, NFNETLINK_V0);
  dv.setUint16(at + 2, resId, false);
}
