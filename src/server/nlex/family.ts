// nlex declared once: the attribute set and the generic netlink family that the server
// (policies, ops, permissions, groups) and the client (codec, types) are both made from.
import { genlFamily, op } from '../../genl/family-def.js';
import { attrs, u32 } from '../../schema/index.js';
import { NLE_MYVAR, NLEX_CMD_GET, NLEX_CMD_UPD, NLEX_FAMILY, NLEX_GROUP, NLEX_VERSION } from './protocol.js';

/** enum nlexample_attr: the one set both flavours and both sides use. */
export const nlexSet = attrs('nlexample_attr', { myvar: [NLE_MYVAR, u32()] });

/**
 * The generic netlink family "nlex": GET answers with an UPD message; UPD (admin-only) sets
 * myvar and notifies the "example" group with an UPD message.
 */
export const nlexFamily = genlFamily(NLEX_FAMILY, NLEX_VERSION, {
  get: op({ name: 'get', request: NLEX_CMD_GET, reply: NLEX_CMD_UPD, set: nlexSet, do: { request: { attributes: [] }, reply: { attributes: ['myvar'] } } }),
  upd: op({
    name: 'upd', request: NLEX_CMD_UPD, reply: NLEX_CMD_UPD, set: nlexSet, flags: ['admin-perm'], mcgrp: NLEX_GROUP,
    do: { request: { attributes: ['myvar'] } },
  }),
}, [NLEX_GROUP]);
