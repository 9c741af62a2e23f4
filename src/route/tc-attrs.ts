// Attribute sets of traffic control: TCA_* of qdiscs, classes and filters, the statistics
// nest (TCA_STATS_*), the options of the kinds this toolkit declares (htb, tbf, pfifo, bfifo,
// pfifo_fast, ingress, clsact; u32, bpf) and actions (TCA_ACT_*, TCA_ROOT_*; mirred, gact). Options are chosen
// by TCA_KIND; a kind not declared here keeps its options as bytes.
import {
  attrs, binary, custom, flag, indexedArray, int, nest, string, struct, subMessage, u16, u32, u64, u8,
  enumSpec, flagsSpec, type CustomCodec, type Decoded,
} from '../schema/index.js';
import {
  TC_ACT, TC_U32, TCA, TCA_ACT, TCA_GACT, TCA_BPF, TCA_BPF_FLAG, TCA_CLS_FLAGS, TCA_EGRESS, TCA_HTB, TCA_INGRESS, TCA_MIRRED, TCA_ROOT,
  TCA_STATS, TCA_TBF, TCA_U32,
} from './constants.js';
import {
  gnetStatsBasic, gnetStatsQueue, gnetStatsRateEst, gnetStatsRateEst64, nlaBitfield32, tcEstimator, tcFifoQopt, tcfT, tcGact, tcGactP,
  tcHtbGlob, tcHtbOpt, tcMirred, tcPrioQopt, tcTbfQopt, tcU32Mark,
} from './tc-structs.js';
import { words } from './words.js';

/** TC_ACT_*: a verdict, as tc names it (`pass`, `drop`, `pipe`, `stolen`, …; TC_ACT_UNSPEC is `continue`). */
export const tcActVerdict = enumSpec('tc_act', words(TC_ACT, { UNSPEC: 'continue', OK: 'pass', SHOT: 'drop', GOTO_CHAIN: 'goto', JUMP: 'jump' }));
/** TCA_EGRESS_* / TCA_INGRESS_*: what mirred does and in which direction. */
export const mirredEaction = enumSpec('tca_mirred_eaction', {
  egress_redirect: TCA_EGRESS.REDIR, egress_mirror: TCA_EGRESS.MIRROR, ingress_redirect: TCA_INGRESS.REDIR, ingress_mirror: TCA_INGRESS.MIRROR,
});
/** TCA_CLS_FLAGS_*: skip_hw, skip_sw, in_hw, not_in_hw, verbose. */
export const clsFlags = flagsSpec('tca_cls_flags', words(TCA_CLS_FLAGS, {}));
/** TC_U32_* flags of a selector: terminal, offset, varoffset, eat. */
export const u32SelFlags = flagsSpec('tc_u32_sel_flags', { terminal: TC_U32.TERMINAL, offset: TC_U32.OFFSET, varoffset: TC_U32.VAROFFSET, eat: TC_U32.EAT });

// ---- statistics ----

/** TCA_STATS_*: the TCA_STATS2 nest (basic counters, queue, rate estimators). */
export const statsAttrs = attrs('tca_stats', {
  basic: [TCA_STATS.BASIC, struct(gnetStatsBasic)],
  rate_est: [TCA_STATS.RATE_EST, struct(gnetStatsRateEst)],
  queue: [TCA_STATS.QUEUE, struct(gnetStatsQueue)],
  app: [TCA_STATS.APP, binary()],
  rate_est64: [TCA_STATS.RATE_EST64, struct(gnetStatsRateEst64)],
  pad: [TCA_STATS.PAD, binary()],
  basic_hw: [TCA_STATS.BASIC_HW, struct(gnetStatsBasic)],
  pkt64: [TCA_STATS.PKT64, u64()],
});
/** Decoded TCA_STATS2. */
export type TcStats = Decoded<typeof statsAttrs>;

// ---- qdisc and class options ----

/** TCA_HTB_*: the options of the htb qdisc (init, direct_qlen) and of its classes (parms, rate64, ceil64). */
export const htbAttrs = attrs('tca_htb', {
  parms: [TCA_HTB.PARMS, struct(tcHtbOpt)],
  init: [TCA_HTB.INIT, struct(tcHtbGlob)],
  ctab: [TCA_HTB.CTAB, binary()],
  rtab: [TCA_HTB.RTAB, binary()],
  direct_qlen: [TCA_HTB.DIRECT_QLEN, u32()],
  rate64: [TCA_HTB.RATE64, u64()],
  ceil64: [TCA_HTB.CEIL64, u64()],
  pad: [TCA_HTB.PAD, binary()],
  offload: [TCA_HTB.OFFLOAD, flag()],
});

/** TCA_TBF_*: the options of tbf. */
export const tbfAttrs = attrs('tca_tbf', {
  parms: [TCA_TBF.PARMS, struct(tcTbfQopt)],
  rtab: [TCA_TBF.RTAB, binary()],
  ptab: [TCA_TBF.PTAB, binary()],
  rate64: [TCA_TBF.RATE64, u64()],
  prate64: [TCA_TBF.PRATE64, u64()],
  burst: [TCA_TBF.BURST, u32()],
  pburst: [TCA_TBF.PBURST, u32()],
  pad: [TCA_TBF.PAD, binary()],
});

/** The options of ingress and clsact: an empty nest. */
export const emptyAttrs = attrs('tca_empty', {});

// ---- actions ----

/** TCA_MIRRED_*: the options of the mirred action. */
export const mirredAttrs = attrs('tca_mirred', {
  tm: [TCA_MIRRED.TM, struct(tcfT)],
  parms: [TCA_MIRRED.PARMS, struct(tcMirred)],
  pad: [TCA_MIRRED.PAD, binary()],
});

/** TCA_GACT_*: the options of the generic action (a verdict, optionally a random or deterministic second one). */
export const gactAttrs = attrs('tca_gact', {
  tm: [TCA_GACT.TM, struct(tcfT)],
  parms: [TCA_GACT.PARMS, struct(tcGact)],
  prob: [TCA_GACT.PROB, struct(tcGactP)],
  pad: [TCA_GACT.PAD, binary()],
});

/** TCA_ACT_*: one action (kind, options by kind, index, statistics). */
export const actAttrs = attrs('tca_act', {
  kind: [TCA_ACT.KIND, string()],
  options: [TCA_ACT.OPTIONS, subMessage('kind', {
    mirred: nest(mirredAttrs),
    gact: nest(gactAttrs),
  })],
  index: [TCA_ACT.INDEX, u32()],
  stats: [TCA_ACT.STATS, nest(statsAttrs)],
  pad: [TCA_ACT.PAD, binary()],
  cookie: [TCA_ACT.COOKIE, binary()],
  flags: [TCA_ACT.FLAGS, struct(nlaBitfield32)],
  hw_stats: [TCA_ACT.HW_STATS, struct(nlaBitfield32)],
  used_hw_stats: [TCA_ACT.USED_HW_STATS, struct(nlaBitfield32)],
  in_hw_count: [TCA_ACT.IN_HW_COUNT, u32()],
});
/** A decoded action. */
export type TcAction = Decoded<typeof actAttrs>;

/**
 * TCA_ROOT_*: the attributes of RTM_*ACTION messages. The actions in `tab` are numbered 1..n in
 * requests and in replies to get; a dump numbers them from 0 (attrFlagsOf(tab) keeps the types).
 */
export const actionRootAttrs = attrs('tca_root', {
  tab: [TCA_ROOT.TAB, indexedArray(nest(actAttrs))],
  flags: [TCA_ROOT.FLAGS, struct(nlaBitfield32)],
  count: [TCA_ROOT.COUNT, u32()],
  time_delta: [TCA_ROOT.TIME_DELTA, u32()],
  ext_warn_msg: [TCA_ROOT.EXT_WARN_MSG, string()],
});

// ---- filters ----

/** One key of a u32 selector: 32 bits at `off` compared under `mask` (network byte order in the kernel; numbers here). */
export interface U32Key {
  mask: number;
  val: number;
  off: number;
  offmask: number;
}
/** struct tc_u32_sel with its keys. */
export interface U32Sel {
  flags: (string | number)[];
  offshift: number;
  offmask: number;
  off: number;
  offoff: number;
  hoff: number;
  hmask: number;
  keys: U32Key[];
}

const SEL_HDR = 16;
const KEY_SIZE = 16;
const selFlagBits = Object.entries(u32SelFlags.bits) as [string, number][];

/** struct tc_u32_sel followed by nkeys struct tc_u32_key (their values and masks are big-endian). */
export const u32SelCodec: CustomCodec<U32Sel> = {
  decode(buf, dv, start, end) {
    const f = dv.getUint8(start);
    // A loop, not filter/map: this runs once per filter of a 10,000-filter dump.
    const flags: (string | number)[] = [];
    let rest = f;
    for (let i = 0; i < selFlagBits.length; i++) {
      const [n, b] = selFlagBits[i]!;
      if (f & b) {
        flags.push(n);
        rest &= ~b;
      }
    }
    if (rest) flags.push(rest);
    const nkeys = dv.getUint8(start + 2);
    const keys: U32Key[] = [];
    for (let i = 0, at = start + SEL_HDR; i < nkeys && at + KEY_SIZE <= end; i++, at += KEY_SIZE) {
      keys.push({ mask: dv.getUint32(at), val: dv.getUint32(at + 4), off: dv.getInt32(at + 8, true), offmask: dv.getInt32(at + 12, true) });
    }
    return {
      flags, offshift: dv.getUint8(start + 1), offmask: dv.getUint16(start + 4), off: dv.getUint16(start + 6, true),
      offoff: dv.getInt16(start + 8, true), hoff: dv.getInt16(start + 10, true), hmask: dv.getUint32(start + 12), keys,
    };
  },
  encode(v) {
    const keys = v.keys ?? [];
    const out = new Uint8Array(SEL_HDR + KEY_SIZE * keys.length);
    const dv = new DataView(out.buffer);
    let f = 0;
    for (const x of v.flags ?? []) f |= typeof x === 'number' ? x : (u32SelFlags.bits as Record<string, number>)[x] ?? 0;
    dv.setUint8(0, f);
    dv.setUint8(1, v.offshift ?? 0);
    dv.setUint8(2, keys.length);
    dv.setUint16(4, v.offmask ?? 0);
    dv.setUint16(6, v.off ?? 0, true);
    dv.setInt16(8, v.offoff ?? 0, true);
    dv.setInt16(10, v.hoff ?? 0, true);
    dv.setUint32(12, v.hmask ?? 0);
    keys.forEach((k, i) => {
      const at = SEL_HDR + i * KEY_SIZE;
      dv.setUint32(at, k.mask >>> 0);
      dv.setUint32(at + 4, k.val >>> 0);
      dv.setInt32(at + 8, k.off, true);
      dv.setInt32(at + 12, k.offmask ?? 0, true);
    });
    return out;
  },
};

/** TCA_U32_*: the options of a u32 filter. */
export const u32Attrs = attrs('tca_u32', {
  classid: [TCA_U32.CLASSID, u32()],
  hash: [TCA_U32.HASH, u32()],
  link: [TCA_U32.LINK, u32()],
  divisor: [TCA_U32.DIVISOR, u32()],
  sel: [TCA_U32.SEL, custom(u32SelCodec)],
  police: [TCA_U32.POLICE, binary()],
  act: [TCA_U32.ACT, indexedArray(nest(actAttrs))],
  indev: [TCA_U32.INDEV, string()],
  pcnt: [TCA_U32.PCNT, binary()],
  mark: [TCA_U32.MARK, struct(tcU32Mark)],
  flags: [TCA_U32.FLAGS, int('u32', { flags: clsFlags })],
  pad: [TCA_U32.PAD, binary()],
});

/** One classic BPF instruction (struct sock_filter). */
export interface SockFilter {
  code: number;
  jt: number;
  jf: number;
  k: number;
}

/** TCA_BPF_OPS: an array of struct sock_filter (8 bytes each). */
export const bpfOpsCodec: CustomCodec<SockFilter[]> = {
  decode(_buf, dv, start, end) {
    const out: SockFilter[] = [];
    for (let at = start; at + 8 <= end; at += 8) {
      out.push({ code: dv.getUint16(at, true), jt: dv.getUint8(at + 2), jf: dv.getUint8(at + 3), k: dv.getUint32(at + 4, true) });
    }
    return out;
  },
  encode(v) {
    const out = new Uint8Array(8 * v.length);
    const dv = new DataView(out.buffer);
    v.forEach((x, i) => {
      dv.setUint16(i * 8, x.code, true);
      dv.setUint8(i * 8 + 2, x.jt);
      dv.setUint8(i * 8 + 3, x.jf);
      dv.setUint32(i * 8 + 4, x.k >>> 0, true);
    });
    return out;
  },
};

/** TCA_BPF_*: the options of a bpf filter (classic `ops` or an eBPF program by `fd`). */
export const bpfAttrs = attrs('tca_bpf', {
  act: [TCA_BPF.ACT, indexedArray(nest(actAttrs))],
  police: [TCA_BPF.POLICE, binary()],
  classid: [TCA_BPF.CLASSID, u32()],
  ops_len: [TCA_BPF.OPS_LEN, u16()],
  ops: [TCA_BPF.OPS, custom(bpfOpsCodec)],
  fd: [TCA_BPF.FD, int('s32')],
  name: [TCA_BPF.NAME, string()],
  flags: [TCA_BPF.FLAGS, int('u32', { flags: flagsSpec('tca_bpf_flag', { direct_action: TCA_BPF_FLAG.ACT_DIRECT }) })],
  flags_gen: [TCA_BPF.FLAGS_GEN, int('u32', { flags: clsFlags })],
  tag: [TCA_BPF.TAG, binary()],
  id: [TCA_BPF.ID, u32()],
});

// ---- the tcmsg attributes ----

/** TCA_*: the attributes of qdisc, class, filter and chain messages. */
export const tcAttrs = attrs('tca', {
  kind: [TCA.KIND, string()],
  options: [TCA.OPTIONS, subMessage('kind', {
    htb: nest(htbAttrs),
    tbf: nest(tbfAttrs),
    pfifo: struct(tcFifoQopt),
    bfifo: struct(tcFifoQopt),
    pfifo_head_drop: struct(tcFifoQopt),
    pfifo_fast: struct(tcPrioQopt),
    prio: struct(tcPrioQopt),
    ingress: nest(emptyAttrs),
    clsact: nest(emptyAttrs),
    u32: nest(u32Attrs),
    bpf: nest(bpfAttrs),
  })],
  /** TCA_STATS: the old struct tc_stats (kept as bytes; TCA_STATS2 says the same, typed). */
  stats: [TCA.STATS, binary()],
  xstats: [TCA.XSTATS, binary()],
  rate: [TCA.RATE, struct(tcEstimator)],
  fcnt: [TCA.FCNT, binary()],
  stats2: [TCA.STATS2, nest(statsAttrs)],
  stab: [TCA.STAB, binary()],
  pad: [TCA.PAD, binary()],
  dump_invisible: [TCA.DUMP_INVISIBLE, flag()],
  chain: [TCA.CHAIN, u32()],
  hw_offload: [TCA.HW_OFFLOAD, u8()],
  ingress_block: [TCA.INGRESS_BLOCK, u32()],
  egress_block: [TCA.EGRESS_BLOCK, u32()],
  dump_flags: [TCA.DUMP_FLAGS, binary()],
  ext_warn_msg: [TCA.EXT_WARN_MSG, string()],
});
/** The decoded TCA_* attributes. */
export type TcAttrs = Decoded<typeof tcAttrs>;
