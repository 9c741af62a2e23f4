// tcp_metrics: the kernel's per-destination TCP metrics cache (what `ip tcp_metrics` shows),
// declared from <linux/tcp_metrics.h>; property names are the YNL spec's (tcp_metrics.yaml) in camelCase.
import { attrs, binary, int, ipaddr, nest, u16, u32, type Decoded } from '../../schema/index.js';
import { genlFamily, op } from '../family-def.js';

/** TCP_METRIC_* + 1: the saved metrics (attribute type = metric index + 1). */
export const metrics = attrs('metrics', {
  rtt: [1, u32()], rttvar: [2, u32()], ssthresh: [3, u32()], cwnd: [4, u32()], reodering: [5, u32()],
  rttUs: [6, u32()], rttvarUs: [7, u32()],
}, { nestedFlag: true });

/** TCP_METRICS_ATTR_*. Addresses are shown as text (network byte order on the wire). */
export const tcpMetricsAttrs = attrs('tcp-metrics', {
  addrIpv4: [1, ipaddr()], addrIpv6: [2, ipaddr()], age: [3, int('u64')], twTsval: [4, u32()], twTsStamp: [5, int('s32')],
  vals: [6, nest(metrics)], fopenMss: [7, u16()], fopenSynDrops: [8, u16()], fopenSynDropTs: [9, int('u64')],
  fopenCookie: [10, binary()], saddrIpv4: [11, ipaddr()], saddrIpv6: [12, ipaddr()], pad: [13, binary()],
}, { nestedFlag: true });

/** One decoded cache entry. */
export type TcpMetrics = Decoded<typeof tcpMetricsAttrs>;

const keys = ['addrIpv4', 'addrIpv6', 'saddrIpv4', 'saddrIpv6'];

/** The tcp_metrics family: GET (do by address, dump all) and DEL. */
export const tcpMetrics = genlFamily('tcp_metrics', 1, {
  get: op({ name: 'get', request: 1, reply: 1, set: tcpMetricsAttrs,
    do: { request: { attributes: keys }, reply: { attributes: [...keys, 'age', 'vals', 'fopenMss', 'fopenSynDrops', 'fopenSynDropTs', 'fopenCookie'] } },
    dump: { reply: { attributes: [...keys, 'age', 'vals', 'fopenMss', 'fopenSynDrops', 'fopenSynDropTs', 'fopenCookie'] } } }),
  del: op({ name: 'del', request: 2, set: tcpMetricsAttrs, do: { request: { attributes: keys } } }),
});
