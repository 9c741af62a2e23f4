// mptcp_pm: the MPTCP path manager (endpoints, limits, per-connection subflows and events),
// declared from <linux/mptcp.h>; property names are the YNL spec's (mptcp_pm.yaml) in camelCase.
import { attrs, enumSpec, int, nest, u16, u32, u8, binary, type Decoded } from '../../schema/index.js';
import { genlFamily, op } from '../family-def.js';

/** MPTCP_PM_ADDR_FLAG_*: endpoint flags. */
export const MPTCP_PM_ADDR_FLAG_SIGNAL = 1 << 0;
export const MPTCP_PM_ADDR_FLAG_SUBFLOW = 1 << 1;
export const MPTCP_PM_ADDR_FLAG_BACKUP = 1 << 2;
export const MPTCP_PM_ADDR_FLAG_FULLMESH = 1 << 3;

/** enum mptcp_event_type: the command of a message on the mptcp_pm_events group. */
export const eventType = enumSpec('event-type', {
  unspec: 0, created: 1, established: 2, closed: 3, announced: 6, removed: 7, 'sub-established': 10, 'sub-closed': 11,
  'sub-priority': 13, 'listener-created': 15, 'listener-closed': 16,
});

/** MPTCP_PM_ADDR_ATTR_*: an endpoint address. */
export const address = attrs('address', {
  family: [1, u16()], id: [2, u8()], addr4: [3, int('u32be')], addr6: [4, binary()], port: [5, u16()], flags: [6, u32()], ifIdx: [7, int('s32')],
}, { nestedFlag: true });

/** MPTCP_PM_ENDPOINT_*: the address of add/del/flush. */
export const endpoint = attrs('endpoint', { addr: [1, nest(address)] }, { nestedFlag: true });

/** MPTCP_PM_ATTR_*. */
export const pmAttrs = attrs('attr', {
  addr: [1, nest(address)], rcvAddAddrs: [2, u32()], subflows: [3, u32()], token: [4, u32()], locId: [5, u8()], addrRemote: [6, nest(address)],
}, { nestedFlag: true });

/** MPTCP_ATTR_*: what events carry. */
export const eventAttrs = attrs('event-attr', {
  token: [1, u32()], family: [2, u16()], locId: [3, u8()], remId: [4, u8()], saddr4: [5, int('u32be')], saddr6: [6, binary()],
  daddr4: [7, int('u32be')], daddr6: [8, binary()], sport: [9, int('u16be')], dport: [10, int('u16be')], backup: [11, u8()],
  error: [12, u8()], flags: [13, u16()], timeout: [14, u32()], ifIdx: [15, int('s32')], resetReason: [16, u32()],
  resetFlags: [17, u32()], serverSide: [18, u8()],
}, { nestedFlag: true });

/** A decoded path-manager message. */
export type MptcpPm = Decoded<typeof pmAttrs>;

const req = (a: string[]) => ({ request: { attributes: a } });

const eventOps = Object.fromEntries(Object.entries(eventType.values).filter(([n]) => n !== 'unspec').map(([n, v]) => [
  `${n}-event`, op({ name: `${n}-event`, reply: v, set: eventAttrs, notify: true, mcgrp: 'mptcp_pm_events' }),
]));

/** The mptcp_pm family (commands per enum mptcp_pm_cmd), with its events by type. */
export const mptcpPm = genlFamily('mptcp_pm', 1, {
  'add-addr': op({ name: 'add-addr', request: 1, reply: 1, set: endpoint, do: req(['addr']) }),
  'del-addr': op({ name: 'del-addr', request: 2, reply: 2, set: endpoint, do: req(['addr']) }),
  'get-addr': op({ name: 'get-addr', request: 3, reply: 3, set: pmAttrs, do: { request: { attributes: ['addr', 'token'] }, reply: { attributes: ['addr'] } }, dump: { reply: { attributes: ['addr'] } } }),
  'flush-addrs': op({ name: 'flush-addrs', request: 4, reply: 4, set: endpoint, do: req(['addr']) }),
  'set-limits': op({ name: 'set-limits', request: 5, reply: 5, set: pmAttrs, do: req(['rcvAddAddrs', 'subflows']) }),
  'get-limits': op({ name: 'get-limits', request: 6, reply: 6, set: pmAttrs, do: { request: { attributes: ['rcvAddAddrs', 'subflows'] }, reply: { attributes: ['rcvAddAddrs', 'subflows'] } } }),
  'set-flags': op({ name: 'set-flags', request: 7, reply: 7, set: pmAttrs, do: req(['addr', 'token', 'addrRemote']) }),
  announce: op({ name: 'announce', request: 8, reply: 8, set: pmAttrs, do: req(['addr', 'token']) }),
  remove: op({ name: 'remove', request: 9, reply: 9, set: pmAttrs, do: req(['token', 'locId']) }),
  'subflow-create': op({ name: 'subflow-create', request: 10, reply: 10, set: pmAttrs, do: req(['addr', 'token', 'addrRemote']) }),
  'subflow-destroy': op({ name: 'subflow-destroy', request: 11, reply: 11, set: pmAttrs, do: req(['addr', 'token', 'addrRemote']) }),
  ...eventOps,
}, ['mptcp_pm_cmds', 'mptcp_pm_events']);
