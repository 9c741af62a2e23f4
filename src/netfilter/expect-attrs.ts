// Attribute sets of ctnetlink's expectations (NFNL_SUBSYS_CTNETLINK_EXP): CTA_EXPECT_* of an
// expected connection, its NAT nest, and the per-CPU CTA_STATS_EXP_* counters. The tuples are
// the connection tuples of conntrack-attrs.ts (a mask is a tuple whose fields are bit masks).
import { attrs, int, nest, string } from '../schema/index.js';
import { ctaTupleAttrs } from './conntrack-attrs.js';
import { CTA_EXPECT, CTA_EXPECT_NAT, CTA_STATS_EXP } from './constants.js';

/** CTA_EXPECT_NAT_*: where NAT sends the expected connection. */
export const ctaExpectNatAttrs = attrs('cta_expect_nat', {
  dir: [CTA_EXPECT_NAT.DIR, int('u32be')],
  tuple: [CTA_EXPECT_NAT.TUPLE, nest(ctaTupleAttrs)],
}, { nestedFlag: true });

/** CTA_EXPECT_*: an expectation (a connection a helper expects), and the keys of a get or delete. */
export const ctaExpectAttrs = attrs('cta_expect', {
  master: [CTA_EXPECT.MASTER, nest(ctaTupleAttrs)],
  tuple: [CTA_EXPECT.TUPLE, nest(ctaTupleAttrs)],
  mask: [CTA_EXPECT.MASK, nest(ctaTupleAttrs)],
  timeout: [CTA_EXPECT.TIMEOUT, int('u32be')],
  id: [CTA_EXPECT.ID, int('u32be')],
  help_name: [CTA_EXPECT.HELP_NAME, string()],
  zone: [CTA_EXPECT.ZONE, int('u16be')],
  flags: [CTA_EXPECT.FLAGS, int('u32be')],
  class: [CTA_EXPECT.CLASS, int('u32be')],
  nat: [CTA_EXPECT.NAT, nest(ctaExpectNatAttrs)],
  fn: [CTA_EXPECT.FN, string()],
});

/** CTA_STATS_EXP_*: one CPU's expectation counters (IPCTNL_MSG_EXP_GET_STATS_CPU). */
export const ctaStatsExpAttrs = attrs('cta_stats_exp', {
  new: [CTA_STATS_EXP.NEW, int('u32be')],
  create: [CTA_STATS_EXP.CREATE, int('u32be')],
  delete: [CTA_STATS_EXP.DELETE, int('u32be')],
});
