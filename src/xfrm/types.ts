// The decoded shapes of XFRM objects: the kernel's struct members by their C names, addresses
// as text, and the XFRMA_* attributes beside them (names without XFRMA_, lower case).
import type { U64, UnknownAttr } from '../schema/index.js';
import type { XfrmAlgo, XfrmReplayEsn } from './attrs.js';
import type { Dir, Family, Mode, XfrmProto } from './enums.js';

/** struct xfrm_selector: the traffic an SA or policy applies to. */
export interface XfrmSelector {
  daddr: string;
  saddr: string;
  /** Ports in host order; ICMP type/code sit in sport/dport. */
  dport: number;
  dport_mask: number;
  sport: number;
  sport_mask: number;
  family: Family | number;
  prefixlen_d: number;
  prefixlen_s: number;
  /** The upper-layer protocol (IPPROTO_*), 0 for any. */
  proto: number;
  ifindex: number;
  /** The owner uid. */
  user: number;
}

/** struct xfrm_id. */
export interface XfrmId {
  daddr: string;
  /** Host order. */
  spi: number;
  proto: XfrmProto | number;
}

/** struct xfrm_lifetime_cfg: XFRM_INF (2n**64n-1n) is no limit. */
export interface XfrmLifetimeCfg {
  soft_byte_limit: U64;
  hard_byte_limit: U64;
  soft_packet_limit: U64;
  hard_packet_limit: U64;
  soft_add_expires_seconds: U64;
  hard_add_expires_seconds: U64;
  soft_use_expires_seconds: U64;
  hard_use_expires_seconds: U64;
}

/** struct xfrm_lifetime_cur. */
export interface XfrmLifetimeCur {
  bytes: U64;
  packets: U64;
  /** Seconds since the epoch. */
  add_time: U64;
  use_time: U64;
}

/** struct xfrm_user_tmpl: one transform a policy requires. */
export interface XfrmTmpl {
  id: XfrmId;
  family: Family | number;
  saddr: string;
  reqid: number;
  mode: Mode | number;
  share: string | number;
  /** 1: `level use` (optional), 0: required. */
  optional: number;
  aalgos: number;
  ealgos: number;
  calgos: number;
}

/** The XFRMA_* attributes an SA or policy may have. */
export interface XfrmAttributes {
  alg_auth?: XfrmAlgo;
  alg_crypt?: XfrmAlgo;
  alg_comp?: XfrmAlgo;
  alg_aead?: XfrmAlgo;
  alg_auth_trunc?: XfrmAlgo;
  /** NAT traversal: UDP (or TCP) encapsulation, the original address. */
  encap?: { encap_type: string | number; encap_sport: number; encap_dport: number; encap_oa: string };
  tmpl?: XfrmTmpl[];
  sec_ctx?: Uint8Array;
  ltime_val?: XfrmLifetimeCur;
  replay_val?: { oseq: number; seq: number; bitmap: number };
  replay_thresh?: number;
  etimer_thresh?: number;
  srcaddr?: string;
  coaddr?: string;
  lastused?: U64;
  policy_type?: { type: 'main' | 'sub' | 'any' | number; reserved1?: number; reserved2?: number };
  mark?: { v: number; m: number };
  tfcpad?: number;
  replay_esn_val?: XfrmReplayEsn;
  sa_extra_flags?: (string | number)[];
  offload_dev?: { ifindex: number; flags: number };
  /** XFRMA_SET_MARK (= XFRMA_OUTPUT_MARK). */
  set_mark?: number;
  set_mark_mask?: number;
  if_id?: number;
  mtimer_thresh?: number;
  /** Attributes this version does not declare, kept as bytes. */
  $unknown?: UnknownAttr[];
}

/** An SA: struct xfrm_usersa_info and its attributes. */
export interface XfrmState extends XfrmAttributes {
  sel: XfrmSelector;
  id: XfrmId;
  saddr: string;
  lft: XfrmLifetimeCfg;
  curlft: XfrmLifetimeCur;
  stats: { replay_window: number; replay: number; integrity_failed: number };
  seq: number;
  reqid: number;
  family: Family | number;
  mode: Mode | number;
  replay_window: number;
  flags: (string | number)[];
}

/** A policy: struct xfrm_userpolicy_info and its attributes. */
export interface XfrmPolicy extends XfrmAttributes {
  sel: XfrmSelector;
  lft: XfrmLifetimeCfg;
  curlft: XfrmLifetimeCur;
  priority: number;
  index: number;
  /** in, out, fwd; socket policies are 3..5. */
  dir: Dir | number;
  action: 'allow' | 'block' | number;
  flags: (string | number)[];
  share: string | number;
}

/** Selector fields to give (the rest are zero). */
export type SelectorSpec = Partial<XfrmSelector>;

/** Deep-partial: the fields of a struct to set when adding (the rest are zero or iproute2's default). */
export type Spec<T> = {
  [K in keyof T]?: NonNullable<T[K]> extends (infer E)[] ? (E extends object ? Spec<E>[] : T[K]) : NonNullable<T[K]> extends Uint8Array ? T[K] : NonNullable<T[K]> extends object ? Partial<NonNullable<T[K]>> : T[K];
};

/** The SAD summary of GETSADINFO (`ip xfrm state count`). */
export interface SadInfo {
  /** SAs in this namespace. */
  cnt: number;
  hinfo?: { sadhcnt: number; sadhmcnt: number };
}

/** The SPD summary of GETSPDINFO (`ip xfrm policy count`). */
export interface SpdInfo {
  info?: { incnt: number; outcnt: number; fwdcnt: number; inscnt: number; outscnt: number; fwdscnt: number };
  hinfo?: { spdhcnt: number; spdhmcnt: number };
  ipv4_hthresh?: { lbits: number; rbits: number };
  ipv6_hthresh?: { lbits: number; rbits: number };
}
