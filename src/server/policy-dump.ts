// Describing policies to user space (net/netlink/policy.c): the NL_POLICY_TYPE_ATTR_* nest
// that NLMSGERR_ATTR_POLICY carries for a rejected attribute and that CTRL_CMD_GETPOLICY dumps
// for every attribute of every policy of a family.
import { HOST_LE, type MessageWriter } from '../wire/index.js';
import { attrType } from '../genl/families/nlctrl.js';
import { effectiveRange, typeRange, type AttrPolicy, type NlaType, type Policy } from './policy.js';
import {
  NL_ATTR_TYPE_BINARY, NL_ATTR_TYPE_FLAG, NL_ATTR_TYPE_NESTED, NL_ATTR_TYPE_NESTED_ARRAY, NL_ATTR_TYPE_NUL_STRING,
  NL_ATTR_TYPE_S16, NL_ATTR_TYPE_S32, NL_ATTR_TYPE_S64, NL_ATTR_TYPE_S8, NL_ATTR_TYPE_STRING, NL_ATTR_TYPE_U16,
  NL_ATTR_TYPE_U32, NL_ATTR_TYPE_U64, NL_ATTR_TYPE_U8, NL_POLICY_TYPE_ATTR_MAX_LENGTH, NL_ATTR_TYPE_BITFIELD32,
  NL_POLICY_TYPE_ATTR_BITFIELD32_MASK, NL_POLICY_TYPE_ATTR_MASK, NL_POLICY_TYPE_ATTR_MAX_VALUE_S,
  NL_POLICY_TYPE_ATTR_MAX_VALUE_U, NL_POLICY_TYPE_ATTR_MIN_LENGTH, NL_POLICY_TYPE_ATTR_MIN_VALUE_S,
  NL_POLICY_TYPE_ATTR_MIN_VALUE_U, NL_POLICY_TYPE_ATTR_POLICY_IDX, NL_POLICY_TYPE_ATTR_POLICY_MAXTYPE,
  NL_POLICY_TYPE_ATTR_TYPE,
} from './uapi.js';

// NL_ATTR_TYPE_SINT/UINT (Linux 6.7) postdate the installed headers the uapi table is
// generated from; nlctrl's client declaration holds them.
const NL_ATTR_TYPE_SINT = attrType.values.sint;
const NL_ATTR_TYPE_UINT = attrType.values.uint;

const NL_TYPE: Partial<Record<NlaType, number>> = {
  flag: NL_ATTR_TYPE_FLAG, u8: NL_ATTR_TYPE_U8, u16: NL_ATTR_TYPE_U16, u32: NL_ATTR_TYPE_U32, u64: NL_ATTR_TYPE_U64,
  s8: NL_ATTR_TYPE_S8, s16: NL_ATTR_TYPE_S16, s32: NL_ATTR_TYPE_S32, s64: NL_ATTR_TYPE_S64,
  binary: NL_ATTR_TYPE_BINARY, string: NL_ATTR_TYPE_STRING, 'nul-string': NL_ATTR_TYPE_NUL_STRING,
  nested: NL_ATTR_TYPE_NESTED, 'nested-array': NL_ATTR_TYPE_NESTED_ARRAY,
  // Since 6.7 NLA_MSECS falls under the same case as NLA_UINT; NLA_BE16/32 under their twins.
  uint: NL_ATTR_TYPE_UINT, msecs: NL_ATTR_TYPE_UINT, sint: NL_ATTR_TYPE_SINT, be16: NL_ATTR_TYPE_U16, be32: NL_ATTR_TYPE_U32,
  bitfield32: NL_ATTR_TYPE_BITFIELD32,
};

/** True when the kernel would describe this policy entry (NLA_UNSPEC and NLA_REJECT it skips). */
export function isDescribable(p: AttrPolicy): boolean {
  return NL_TYPE[p.type] !== undefined;
}

/**
 * Writes the NL_POLICY_TYPE_ATTR_* attributes describing `p` into the open nest of `w`, in the
 * kernel's order (bounds first, NL_POLICY_TYPE_ATTR_TYPE last). `policyIndex` resolves a
 * nested policy to its index in a policy dump; without it nests carry no index, as in an ACK.
 *
 *   u8..u64, uint, msecs, be16, be32: MIN_VALUE_U u64, MAX_VALUE_U u64 (or MASK u64), TYPE
 *   s8..s64, sint: MIN_VALUE_S s64, MAX_VALUE_S s64, TYPE
 *   bitfield32: BITFIELD32_MASK u32, TYPE
 *   string/nul-string/binary: [MIN_LENGTH u32] [MAX_LENGTH u32] TYPE
 *   nested(-array): [POLICY_IDX u32, POLICY_MAXTYPE u32] TYPE
 *   flag:      TYPE
 */
export function writeAttrPolicy(w: MessageWriter, p: AttrPolicy, policyIndex?: (nested: Policy) => number): boolean {
  const type = NL_TYPE[p.type];
  if (type === undefined) return false;
  switch (p.type) {
    case 'u8': case 'u16': case 'u32': case 'u64': case 'uint': case 'msecs': case 'be16': case 'be32': {
      if (p.mask !== undefined) {
        w.attrU64(NL_POLICY_TYPE_ATTR_MASK, BigInt(p.mask));
        break;
      }
      const r = effectiveRange(p);
      w.attrU64(NL_POLICY_TYPE_ATTR_MIN_VALUE_U, r.min);
      w.attrU64(NL_POLICY_TYPE_ATTR_MAX_VALUE_U, r.max);
      break;
    }
    case 's8': case 's16': case 's32': case 's64': case 'sint': {
      const r = effectiveRange(p);
      attrS64(w, NL_POLICY_TYPE_ATTR_MIN_VALUE_S, r.min);
      attrS64(w, NL_POLICY_TYPE_ATTR_MAX_VALUE_S, r.max);
      break;
    }
    case 'string': case 'nul-string': case 'binary':
      if (p.min !== undefined || p.max !== undefined) {
        const r = effectiveRange(p);
        if (r.min > 0n) w.attrU32(NL_POLICY_TYPE_ATTR_MIN_LENGTH, Number(r.min));
        if (r.max < typeRange('binary').max) w.attrU32(NL_POLICY_TYPE_ATTR_MAX_LENGTH, Number(r.max));
      } else if (p.len) {
        w.attrU32(NL_POLICY_TYPE_ATTR_MAX_LENGTH, p.len);
      }
      break;
    case 'bitfield32':
      w.attrU32(NL_POLICY_TYPE_ATTR_BITFIELD32_MASK, p.bitfield32Valid ?? 0);
      break;
    case 'nested': case 'nested-array':
      if (policyIndex && p.nested && p.nested.maxtype) {
        w.attrU32(NL_POLICY_TYPE_ATTR_POLICY_IDX, policyIndex(p.nested));
        w.attrU32(NL_POLICY_TYPE_ATTR_POLICY_MAXTYPE, p.nested.maxtype);
      }
      break;
    default:
      break;
  }
  w.attrU32(NL_POLICY_TYPE_ATTR_TYPE, type);
  return true;
}

function attrS64(w: MessageWriter, type: number, v: bigint): void {
  const b = new Uint8Array(8);
  new DataView(b.buffer).setBigInt64(0, v, HOST_LE);
  w.attr(type, b);
}

/**
 * PolicyTable numbers a set of policies the way netlink_policy_dump_add_policy() does: each
 * added policy, then (breadth first) every policy nested in one already listed, each once.
 */
export class PolicyTable {
  /** The policies in index order. */
  readonly policies: Policy[] = [];

  /** Adds a policy and the policies nested in it; empty policies (maxtype 0) are not listed. */
  add(policy: Policy | undefined): void {
    if (!policy || !policy.maxtype || this.policies.includes(policy)) return;
    this.policies.push(policy);
    for (let i = 0; i < this.policies.length; i++) {
      const listed = this.policies[i]!;
      // In attribute-type order, as the kernel walks policy[0..maxtype].
      for (const t of [...listed.attrs.keys()].sort((a, b) => a - b)) {
        const ap = listed.attrs.get(t)!;
        if ((ap.type === 'nested' || ap.type === 'nested-array') && ap.nested) {
          if (ap.nested.maxtype && !this.policies.includes(ap.nested)) this.policies.push(ap.nested);
        }
      }
    }
  }

  /** The index of a listed policy (netlink_policy_dump_get_policy_idx). */
  index(policy: Policy): number {
    const i = this.policies.indexOf(policy);
    if (i < 0) throw new Error('policy is not in this dump');
    return i;
  }
}
