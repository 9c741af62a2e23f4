// XFRMA_*: the attributes after every XFRM message's fixed struct (one set serves SAs,
// policies, acquires and expires). Property names are the C names without XFRMA_, lower case.
// Algorithms carry a variable-length key after a fixed part, XFRMA_TMPL is an array of
// structs and XFRMA_REPLAY_ESN_VAL ends in a bitmap: those have small hand-written codecs.
import { attrs, binary, compileStruct, custom, int, struct, u32, u64, type CustomCodec } from '../schema/index.js';
import { decodeText, encodeText, HOST_LE } from '../wire/index.js';
import { extraFlags, xfrmProto } from './enums.js';
import { XFRMA, XFRMA_SAD, XFRMA_SPD } from './gen/xfrm.js';
import {
  xfrmAddressFilter, xfrmEncapTmpl, xfrmLifetimeCur, xfrmMark, xfrmReplayState, xfrmUserOffload, xfrmUserpolicyInfo,
  xfrmUserpolicyType, xfrmUsersaInfo, xfrmUserTmpl, xfrmuSadhinfo, xfrmuSpdhinfo, xfrmuSpdhthresh, xfrmuSpdinfo,
} from './structs.js';

/** An algorithm (struct xfrm_algo, xfrm_algo_auth, xfrm_algo_aead): name, key and key length in bits. */
export interface XfrmAlgo {
  /** The crypto API name ('cbc(aes)', 'hmac(sha256)', 'rfc4106(gcm(aes))'). */
  alg_name: string;
  /** Key length in bits (alg_key_len); defaults to the key's length. */
  alg_key_len?: number;
  /** The key. */
  alg_key: Uint8Array;
  /** Truncated ICV length in bits (XFRMA_ALG_AUTH_TRUNC only). */
  alg_trunc_len?: number;
  /** ICV length in bits (XFRMA_ALG_AEAD only). */
  alg_icv_len?: number;
}

const NAME_LEN = 64;

/** A codec for an xfrm_algo-shaped struct: 64-byte name, u32 key bits, `extra` u32 (trunc/icv), key. */
function algoCodec(extra: 'alg_trunc_len' | 'alg_icv_len' | undefined): CustomCodec<XfrmAlgo> {
  const fixed = NAME_LEN + 4 + (extra ? 4 : 0);
  return {
    decode(buf, dv, s, e) {
      if (e - s < fixed) throw new RangeError('xfrm_algo: too short');
      const raw = buf.subarray(s, s + NAME_LEN);
      const nul = raw.indexOf(0);
      const bits = dv.getUint32(s + NAME_LEN, HOST_LE);
      const keyEnd = Math.min(e, s + fixed + Math.ceil(bits / 8));
      const out: XfrmAlgo = { alg_name: decodeText(raw.subarray(0, nul < 0 ? NAME_LEN : nul)), alg_key_len: bits, alg_key: buf.slice(s + fixed, keyEnd) };
      if (extra) out[extra] = dv.getUint32(s + NAME_LEN + 4, HOST_LE);
      return out;
    },
    encode(v) {
      const key = v.alg_key ?? new Uint8Array(0);
      const out = new Uint8Array(fixed + key.byteLength);
      const name = encodeText(v.alg_name);
      out.set(name.subarray(0, NAME_LEN - 1));
      const dv = new DataView(out.buffer);
      dv.setUint32(NAME_LEN, v.alg_key_len ?? key.byteLength * 8, HOST_LE);
      if (extra) dv.setUint32(NAME_LEN + 4, v[extra] ?? 0, HOST_LE);
      out.set(key, fixed);
      return out;
    },
  };
}

/** A template of XFRMA_TMPL (struct xfrm_user_tmpl, addresses as text after address.ts). */
export type XfrmTmplRaw = Record<string, unknown>;

/** XFRMA_TMPL: an array of struct xfrm_user_tmpl, no per-item header. */
const tmplArray: CustomCodec<XfrmTmplRaw[]> = {
  decode(buf, dv, s, e) {
    const c = compileStruct<XfrmTmplRaw>(xfrmUserTmpl);
    const out: XfrmTmplRaw[] = [];
    for (let at = s; at + c.size <= e; at += c.size) out.push(c.decode(buf, dv, at, at + c.size));
    return out;
  },
  encode(list) {
    const c = compileStruct<XfrmTmplRaw>(xfrmUserTmpl);
    const out = new Uint8Array(c.size * list.length);
    const dv = new DataView(out.buffer);
    list.forEach((t, i) => c.write(dv, out, i * c.size, t));
    return out;
  },
};

/** struct xfrm_replay_state_esn (XFRMA_REPLAY_ESN_VAL): the extended-sequence-number replay state. */
export interface XfrmReplayEsn {
  bmp_len: number;
  oseq: number;
  seq: number;
  oseq_hi: number;
  seq_hi: number;
  replay_window: number;
  /** The bitmap, bmp_len u32 words. */
  bmp: number[];
}

const replayEsn: CustomCodec<XfrmReplayEsn> = {
  decode(_buf, dv, s, e) {
    if (e - s < 24) throw new RangeError('xfrm_replay_state_esn: too short');
    const u = (i: number) => dv.getUint32(s + 4 * i, HOST_LE);
    const bmp: number[] = [];
    for (let i = 0; i < u(0) && s + 24 + 4 * i + 4 <= e; i++) bmp.push(u(6 + i));
    return { bmp_len: u(0), oseq: u(1), seq: u(2), oseq_hi: u(3), seq_hi: u(4), replay_window: u(5), bmp };
  },
  encode(v) {
    // The bitmap words given, and no more: the kernel also takes the bare struct (iproute2 sends
    // that, bmp_len set and no words).
    const bmp = v.bmp ?? [];
    const out = new Uint8Array(24 + 4 * bmp.length);
    const dv = new DataView(out.buffer);
    [v.bmp_len ?? bmp.length, v.oseq ?? 0, v.seq ?? 0, v.oseq_hi ?? 0, v.seq_hi ?? 0, v.replay_window ?? 0].forEach((x, i) => dv.setUint32(4 * i, x, HOST_LE));
    bmp.forEach((x, i) => dv.setUint32(24 + 4 * i, x, HOST_LE));
    return out;
  },
};

/** 16 address bytes (xfrm_address_t); text after address.ts. */
const address = binary;

/**
 * XFRMA_*: the attributes of SAs and policies (and of acquires, expires and deletions). Two
 * share a name with a struct member of some messages (XFRMA_PROTO with xfrm_usersa_id.proto,
 * XFRMA_POLICY with xfrm_user_acquire.policy); the kernel sends neither attribute with that
 * struct, and in such a message the struct member is what encodes.
 */
export const xfrmAttrs = attrs('xfrma', {
  alg_auth: [XFRMA.ALG_AUTH, custom(algoCodec(undefined))],
  alg_crypt: [XFRMA.ALG_CRYPT, custom(algoCodec(undefined))],
  alg_comp: [XFRMA.ALG_COMP, custom(algoCodec(undefined))],
  encap: [XFRMA.ENCAP, struct(xfrmEncapTmpl)],
  tmpl: [XFRMA.TMPL, custom(tmplArray)],
  sa: [XFRMA.SA, struct(xfrmUsersaInfo)],
  policy: [XFRMA.POLICY, struct(xfrmUserpolicyInfo)],
  sec_ctx: [XFRMA.SEC_CTX, binary()],
  ltime_val: [XFRMA.LTIME_VAL, struct(xfrmLifetimeCur)],
  replay_val: [XFRMA.REPLAY_VAL, struct(xfrmReplayState)],
  replay_thresh: [XFRMA.REPLAY_THRESH, u32()],
  etimer_thresh: [XFRMA.ETIMER_THRESH, u32()],
  srcaddr: [XFRMA.SRCADDR, address()],
  coaddr: [XFRMA.COADDR, address()],
  lastused: [XFRMA.LASTUSED, u64()],
  policy_type: [XFRMA.POLICY_TYPE, struct(xfrmUserpolicyType)],
  migrate: [XFRMA.MIGRATE, binary()],
  alg_aead: [XFRMA.ALG_AEAD, custom(algoCodec('alg_icv_len'))],
  kmaddress: [XFRMA.KMADDRESS, binary()],
  alg_auth_trunc: [XFRMA.ALG_AUTH_TRUNC, custom(algoCodec('alg_trunc_len'))],
  mark: [XFRMA.MARK, struct(xfrmMark)],
  tfcpad: [XFRMA.TFCPAD, u32()],
  replay_esn_val: [XFRMA.REPLAY_ESN_VAL, custom(replayEsn)],
  sa_extra_flags: [XFRMA.SA_EXTRA_FLAGS, int('u32', { flags: extraFlags })],
  proto: [XFRMA.PROTO, int('u8', { enum: xfrmProto })],
  address_filter: [XFRMA.ADDRESS_FILTER, struct(xfrmAddressFilter)],
  pad: [XFRMA.PAD, binary()],
  offload_dev: [XFRMA.OFFLOAD_DEV, struct(xfrmUserOffload)],
  set_mark: [XFRMA.SET_MARK, u32()],
  set_mark_mask: [XFRMA.SET_MARK_MASK, u32()],
  if_id: [XFRMA.IF_ID, u32()],
  mtimer_thresh: [XFRMA.MTIMER_THRESH, u32()],
});

/** XFRMA_SAD_*: the attributes of a NEWSADINFO reply. */
export const sadInfoAttrs = attrs('xfrma_sad', {
  cnt: [XFRMA_SAD.CNT, u32()],
  hinfo: [XFRMA_SAD.HINFO, struct(xfrmuSadhinfo)],
});

/** XFRMA_SPD_*: the attributes of a NEWSPDINFO reply. */
export const spdInfoAttrs = attrs('xfrma_spd', {
  info: [XFRMA_SPD.INFO, struct(xfrmuSpdinfo)],
  hinfo: [XFRMA_SPD.HINFO, struct(xfrmuSpdhinfo)],
  ipv4_hthresh: [XFRMA_SPD.IPV4_HTHRESH, struct(xfrmuSpdhthresh)],
  ipv6_hthresh: [XFRMA_SPD.IPV6_HTHRESH, struct(xfrmuSpdhthresh)],
});
