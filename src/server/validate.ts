// Policy validation as lib/nlattr.c does it: __nla_validate_parse() and validate_nla(),
// with the same errno (EINVAL or ERANGE) and the same extended-ACK wording for each failure,
// so a client cannot tell this server's answers from a kernel's.
import { HOST_LE, NLA_F_NESTED, NLA_HDRLEN, NLA_TYPE_MASK, NLMSG_HDRLEN, align4 } from '../wire/index.js';
import { EINVAL, ERANGE } from './errno.js';
import { Attrs } from './attrs.js';
import type { ExtAck } from './extack.js';
import { INT_SIZE, effectiveRange, isUnsigned, type AttrPolicy, type Policy } from './policy.js';

/** enum netlink_validation: which of the strict checks apply. */
export const NL_VALIDATE_LIBERAL = 0;
/** Reject bytes after the last attribute that do not form one. */
export const NL_VALIDATE_TRAILING = 1 << 0;
/** Reject attribute types 0 and above maxtype. */
export const NL_VALIDATE_MAXTYPE = 1 << 1;
/** Reject attribute types the policy leaves NLA_UNSPEC. */
export const NL_VALIDATE_UNSPEC = 1 << 2;
/** Reject fixed-size integers whose length is not exactly their size. */
export const NL_VALIDATE_STRICT_ATTRS = 1 << 3;
/** Require NLA_F_NESTED on nests, and forbid it elsewhere. */
export const NL_VALIDATE_NESTED = 1 << 4;
/** Everything: what new generic netlink operations get unless they opt out. */
export const NL_VALIDATE_STRICT =
  NL_VALIDATE_TRAILING | NL_VALIDATE_MAXTYPE | NL_VALIDATE_UNSPEC | NL_VALIDATE_STRICT_ATTRS | NL_VALIDATE_NESTED;
/** What nlmsg_parse_deprecated_strict() checks. */
export const NL_VALIDATE_DEPRECATED_STRICT = NL_VALIDATE_TRAILING | NL_VALIDATE_MAXTYPE;

/** The kernel's MAX_POLICY_RECURSION_DEPTH: deeper nests are refused, whatever the input. */
export const MAX_POLICY_RECURSION_DEPTH = 10;

const FAILED = 'Attribute failed policy validation';
const UNSPEC_POLICY: AttrPolicy = { type: 'unspec' };

/**
 * Validates the attributes in buf[start, end) against `policy` and, when `tb` is given,
 * records the header offset of each attribute by type (the last occurrence wins, as in
 * nla_parse). Returns 0 or a negative errno, with the reason left in `extack`.
 *
 * The walk is nla_for_each_attr: it stops at the first attribute whose length does not fit,
 * and what is left is "bytes leftover" (an error only with NL_VALIDATE_TRAILING, else a
 * warning). It never reads outside [start, end) and recursion is bounded by the policy depth.
 */
export function validateAttributes(
  buf: Uint8Array, view: DataView, start: number, end: number, policy: Policy | undefined,
  validate: number, extack: ExtAck, tb: Int32Array | null = null, depth = 0,
): number {
  if (depth >= MAX_POLICY_RECURSION_DEPTH) {
    extack.setMessage('allowed policy recursion depth exceeded');
    return -EINVAL;
  }
  const maxtype = policy?.maxtype ?? (tb ? tb.length - 1 : 0);
  let pos = start;
  let rem = end - start;
  while (rem >= NLA_HDRLEN) {
    const len = view.getUint16(pos, HOST_LE);
    if (len < NLA_HDRLEN || len > rem) break;
    const type = view.getUint16(pos + 2, HOST_LE) & NLA_TYPE_MASK;
    if (type === 0 || type > maxtype) {
      if (validate & NL_VALIDATE_MAXTYPE) {
        extack.setBadAttr(pos, 'Unknown attribute type');
        return -EINVAL;
      }
    } else {
      if (policy) {
        const err = validateOne(buf, view, pos, len, type, policy, validate, extack, depth);
        if (err < 0) return err;
      }
      if (tb && type < tb.length) tb[type] = pos;
    }
    const step = align4(len);
    rem -= step;
    pos += step;
  }
  if (rem > 0) {
    extack.setMessage('bytes leftover after parsing attributes');
    if (validate & NL_VALIDATE_TRAILING) return -EINVAL;
  }
  return 0;
}

/** validate_nla(): one attribute of a known type against its policy entry. */
function validateOne(
  buf: Uint8Array, view: DataView, at: number, len: number, type: number, policy: Policy,
  validate: number, extack: ExtAck, depth: number,
): number {
  const pt = policy.attrs.get(type) ?? UNSPEC_POLICY;
  const rawType = view.getUint16(at + 2, HOST_LE);
  const data = at + NLA_HDRLEN;
  const attrlen = len - NLA_HDRLEN;
  const exact = INT_SIZE[pt.type];
  let err = -ERANGE;
  const fail = (): number => {
    extack.setBadAttr(at, FAILED, pt);
    return err;
  };

  // Fixed-size integers of the wrong size are only a warning in the kernel, unless strict.
  if (exact !== undefined && attrlen !== exact && validate & NL_VALIDATE_STRICT_ATTRS) {
    extack.setBadAttr(at, 'invalid attribute length', pt);
    return -EINVAL;
  }
  if (validate & NL_VALIDATE_NESTED) {
    const isNest = pt.type === 'nested' || pt.type === 'nested-array';
    if (isNest && !(rawType & NLA_F_NESTED)) {
      extack.setBadAttr(at, 'NLA_F_NESTED is missing', pt);
      return -EINVAL;
    }
    if (!isNest && pt.type !== 'unspec' && rawType & NLA_F_NESTED) {
      extack.setBadAttr(at, 'NLA_F_NESTED not expected', pt);
      return -EINVAL;
    }
  }

  switch (pt.type) {
    case 'reject':
      if (pt.rejectMessage) {
        extack.setBadAttr(at, pt.rejectMessage);
        return -EINVAL;
      }
      err = -EINVAL;
      return fail();
    case 'flag':
      if (attrlen > 0) return fail();
      break;
    case 'uint':
    case 'sint':
      // Variable-size integers are 4 or 8 bytes, strict or not.
      if (attrlen !== 4 && attrlen !== 8) {
        extack.setBadAttr(at, 'invalid attribute length', pt);
        return -EINVAL;
      }
      break;
    case 'bitfield32': {
      if (attrlen !== 8) return fail();
      // validate_nla_bitfield32(): no selector or value bit outside the valid mask, and no
      // value bit that is not selected.
      const value = view.getUint32(data, HOST_LE);
      const selector = view.getUint32(data + 4, HOST_LE);
      const valid = pt.bitfield32Valid ?? 0;
      if (!valid || (selector & ~valid) !== 0 || (value & ~valid) !== 0 || (value & ~selector) !== 0) {
        err = -EINVAL;
        return fail();
      }
      break;
    }
    case 'nul-string':
    case 'string': {
      if (pt.type === 'nul-string') {
        const minlen = pt.len ? Math.min(attrlen, pt.len + 1) : attrlen;
        if (minlen === 0 || buf.subarray(data, data + minlen).indexOf(0) < 0) {
          err = -EINVAL;
          return fail();
        }
      }
      if (attrlen < 1) return fail();
      if (pt.len) {
        const n = buf[data + attrlen - 1] === 0 ? attrlen - 1 : attrlen;
        if (n > pt.len) return fail();
      }
      break;
    }
    case 'binary':
      if (pt.len && attrlen > pt.len) return fail();
      break;
    case 'nested':
      // An empty nest is allowed; a non-empty one must hold at least one attribute header.
      if (attrlen === 0) break;
      if (attrlen < NLA_HDRLEN) return fail();
      if (pt.nested) {
        // The inner error (message, attribute) is the one reported.
        const e = validateAttributes(buf, view, data, data + attrlen, pt.nested, validate, extack, null, depth + 1);
        if (e < 0) return e;
      }
      break;
    case 'nested-array':
      if (attrlen === 0) break;
      if (attrlen < NLA_HDRLEN) return fail();
      if (pt.nested) {
        const e = validateArray(buf, view, data, data + attrlen, pt.nested, validate, extack, depth);
        if (e < 0) return e;
      }
      break;
    case 'unspec':
      if (validate & NL_VALIDATE_UNSPEC) {
        extack.setBadAttr(at, 'Unsupported attribute');
        return -EINVAL;
      }
      if (pt.len && attrlen < pt.len) return fail();
      break;
    default:
      // Integers: at least their size (more is tolerated unless strict, checked above).
      if (attrlen < exact!) return fail();
  }

  if (pt.mask !== undefined) return validateMask(view, at, attrlen, pt, extack);
  if (pt.min !== undefined || pt.max !== undefined) return validateRange(view, at, attrlen, pt, extack);
  return 0;
}

/** The integer value of an attribute as the policy's type reads it, in host order (nla_get_*). */
function intValue(view: DataView, data: number, attrlen: number, type: AttrPolicy['type']): bigint | undefined {
  switch (type) {
    case 'u8': return BigInt(view.getUint8(data));
    case 'u16': return BigInt(view.getUint16(data, HOST_LE));
    case 'u32': return BigInt(view.getUint32(data, HOST_LE));
    case 'u64': case 'msecs': return view.getBigUint64(data, HOST_LE);
    case 's8': return BigInt(view.getInt8(data));
    case 's16': return BigInt(view.getInt16(data, HOST_LE));
    case 's32': return BigInt(view.getInt32(data, HOST_LE));
    case 's64': return view.getBigInt64(data, HOST_LE);
    // Network byte order: checked on the host-order value (ntohs/ntohl).
    case 'be16': return BigInt(view.getUint16(data, false));
    case 'be32': return BigInt(view.getUint32(data, false));
    case 'uint': return attrlen === 4 ? BigInt(view.getUint32(data, HOST_LE)) : view.getBigUint64(data, HOST_LE);
    case 'sint': return attrlen === 4 ? BigInt(view.getInt32(data, HOST_LE)) : view.getBigInt64(data, HOST_LE);
    default: return undefined;
  }
}

/** nla_validate_mask(): an unsigned value with a bit outside the policy's mask. */
function validateMask(view: DataView, at: number, attrlen: number, pt: AttrPolicy, extack: ExtAck): number {
  const value = isUnsigned(pt.type) ? intValue(view, at + NLA_HDRLEN, attrlen, pt.type) : undefined;
  if (value === undefined) return -EINVAL;
  if (value & ~BigInt(pt.mask!) & 0xffffffffffffffffn) {
    extack.setBadAttr(at, 'reserved bit set');
    return -EINVAL;
  }
  return 0;
}

/** nla_validate_array(): each entry of a NLA_NESTED_ARRAY is a nest checked against `policy`. */
function validateArray(
  buf: Uint8Array, view: DataView, start: number, end: number, policy: Policy,
  validate: number, extack: ExtAck, depth: number,
): number {
  let pos = start;
  let rem = end - start;
  while (rem >= NLA_HDRLEN) {
    const len = view.getUint16(pos, HOST_LE);
    if (len < NLA_HDRLEN || len > rem) break;
    const inner = len - NLA_HDRLEN;
    if (inner > 0) {
      if (inner < NLA_HDRLEN) {
        extack.setBadAttr(pos, 'Array element too short');
        return -ERANGE;
      }
      const e = validateAttributes(buf, view, pos + NLA_HDRLEN, pos + len, policy, validate, extack, null, depth + 1);
      if (e < 0) return e;
    }
    const step = align4(len);
    rem -= step;
    pos += step;
  }
  return 0;
}

/** nla_validate_int_range(): the value (or, for binary, the length) against min/max. */
function validateRange(view: DataView, at: number, attrlen: number, pt: AttrPolicy, extack: ExtAck): number {
  const value = pt.type === 'binary' ? BigInt(attrlen) : intValue(view, at + NLA_HDRLEN, attrlen, pt.type);
  if (value === undefined) return -EINVAL;
  const r = effectiveRange(pt);
  if (value < r.min || value > r.max) {
    extack.setBadAttr(at, pt.type === 'binary' ? 'binary attribute size out of range' : 'integer out of range', pt);
    return -ERANGE;
  }
  return 0;
}

/**
 * nla_parse() with validation: the attributes in buf[start, end) as an Attrs table, or a
 * negative errno with the reason in `extack`.
 */
export function parseAttributes(
  buf: Uint8Array, view: DataView, start: number, end: number, policy: Policy,
  validate: number, extack: ExtAck,
): Attrs | number {
  const tb = new Attrs(buf, view, policy.maxtype);
  const err = validateAttributes(buf, view, start, end, policy, validate, extack, tb.offsets);
  return err < 0 ? err : tb;
}

/**
 * __nlmsg_parse(): checks that the message holds its fixed header of `hdrlen` bytes, then
 * parses and validates the attributes after it (at NLMSG_HDRLEN + NLMSG_ALIGN(hdrlen)).
 */
export function parseMessage(
  buf: Uint8Array, view: DataView, offset: number, length: number, hdrlen: number, policy: Policy,
  validate: number, extack: ExtAck,
): Attrs | number {
  if (length < NLMSG_HDRLEN + hdrlen) {
    extack.setMessage('Invalid header length');
    return -EINVAL;
  }
  const start = offset + NLMSG_HDRLEN + align4(hdrlen);
  return parseAttributes(buf, view, start, offset + length, policy, validate, extack);
}
