// The generic netlink controller (nlctrl, family id 0x10), declared from <linux/genetlink.h> and
// <linux/netlink.h>. Property names are the YNL spec's (nlctrl.yaml) in camelCase, so a decode
// by this declaration and one by the loaded spec compare equal.
import { attrs, enumSpec, flagsSpec, int, nest, nestArray, string, typeValue, u16, u32, binary, type Decoded } from '../../schema/index.js';
import { op, type FamilyDef } from '../family-def.js';

/** Operation capability flags (GENL_ADMIN_PERM, GENL_CMD_CAP_*). */
export const opFlags = flagsSpec('op-flags', {
  'admin-perm': 0x01,
  'cmd-cap-do': 0x02,
  'cmd-cap-dump': 0x04,
  'cmd-cap-haspol': 0x08,
  'uns-admin-perm': 0x10,
});

/** enum netlink_attribute_type: the type of an attribute in a policy dump. */
export const attrType = enumSpec('attr-type', {
  invalid: 0, flag: 1, u8: 2, u16: 3, u32: 4, u64: 5, s8: 6, s16: 7, s32: 8, s64: 9, binary: 10,
  string: 11, 'nul-string': 12, nested: 13, 'nested-array': 14, bitfield32: 15, sint: 16, uint: 17,
});

/** CTRL_ATTR_MCAST_GRP_*: one multicast group. */
export const mcastGroupAttrs = attrs('mcast-group-attrs', {
  name: [1, string()],
  id: [2, u32()],
}, { nestedFlag: true });

/** CTRL_ATTR_OP_*: one operation and its capabilities. */
export const opAttrs = attrs('op-attrs', {
  id: [1, u32()],
  flags: [2, int('u32', { flags: opFlags })],
}, { nestedFlag: true });

/** NL_POLICY_TYPE_ATTR_*: one attribute's policy. */
export const policyAttrs = attrs('policy-attrs', {
  type: [1, int('u32', { enum: attrType })],
  minValueS: [2, int('s64')],
  maxValueS: [3, int('s64')],
  minValueU: [4, int('u64')],
  maxValueU: [5, int('u64')],
  minLength: [6, u32()],
  maxLength: [7, u32()],
  policyIdx: [8, u32()],
  policyMaxtype: [9, u32()],
  bitfield32Mask: [10, u32()],
  pad: [11, binary()],
  mask: [12, int('u64')],
}, { nestedFlag: true });

/** CTRL_ATTR_POLICY_DO / _DUMP: the policy index of each handler of one operation. */
export const opPolicyAttrs = attrs('op-policy-attrs', {
  do: [1, u32()],
  dump: [2, u32()],
}, { nestedFlag: true });

/** CTRL_ATTR_*: what GETFAMILY and GETPOLICY carry. */
export const ctrlAttrs = attrs('ctrl-attrs', {
  familyId: [1, u16()],
  familyName: [2, string()],
  version: [3, u32()],
  hdrsize: [4, u32()],
  maxattr: [5, u32()],
  ops: [6, nestArray(opAttrs)],
  mcastGroups: [7, nestArray(mcastGroupAttrs)],
  /** policy index -> attribute type -> policy. */
  policy: [8, typeValue(typeValue(nest(policyAttrs), 'attr-id'), 'policy-id')],
  /** command -> policy indexes. */
  opPolicy: [9, typeValue(nest(opPolicyAttrs), 'op-id')],
  op: [10, u32()],
}, { nestedFlag: true });

/** A decoded controller message. */
export type CtrlMessage = Decoded<typeof ctrlAttrs>;

/** The controller family: GETFAMILY (do and dump), GETPOLICY (dump), and its notifications. */
export const nlctrl = {
  name: 'nlctrl',
  protocol: 'genetlink',
  protonum: 16,
  version: 2,
  groups: [{ name: 'notify' }],
  ops: {
    getfamily: op({
      name: 'getfamily', request: 3, reply: 1, set: ctrlAttrs,
      do: { request: { attributes: ['familyName'] }, reply: { attributes: ['familyId', 'familyName', 'hdrsize', 'maxattr', 'mcastGroups', 'ops', 'version'] } },
      dump: { reply: { attributes: ['familyId', 'familyName', 'hdrsize', 'maxattr', 'mcastGroups', 'ops', 'version'] } },
    }),
    getpolicy: op({
      name: 'getpolicy', request: 10, reply: 10, set: ctrlAttrs,
      dump: { request: { attributes: ['familyName', 'familyId', 'op'] }, reply: { attributes: ['familyId', 'opPolicy', 'policy'] } },
    }),
    newfamily: op({ name: 'newfamily', reply: 1, set: ctrlAttrs, notify: true, mcgrp: 'notify' }),
    delfamily: op({ name: 'delfamily', reply: 2, set: ctrlAttrs, notify: true, mcgrp: 'notify' }),
    'newmcast-grp': op({ name: 'newmcast-grp', reply: 7, set: ctrlAttrs, notify: true, mcgrp: 'notify' }),
    'delmcast-grp': op({ name: 'delmcast-grp', reply: 8, set: ctrlAttrs, notify: true, mcgrp: 'notify' }),
  },
} as const satisfies FamilyDef;
