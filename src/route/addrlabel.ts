// IPv6 address labels (RFC 6724 policy table, `ip addrlabel`): struct ifaddrlblmsg + IFAL_*.
// The kernel keeps them per namespace; add, delete, dump and flush.
import { attrs, FlatMessageCodec, ipaddr, parseIp, structSpec, u32 } from '../schema/index.js';
import type { Dump, FamilyOptions } from '../socket/index.js';
import { NLM_F_CREATE, NLM_F_EXCL } from '../wire/index.js';
import type { Flat } from './codecs.js';
import { IFAL, RTM } from './constants.js';
import { family, type Family } from './enums.js';
import { resolveLink, type LinkRef } from './links.js';
import { callOptions, routeDump, withSocket } from './socket.js';

/** struct ifaddrlblmsg: the header of RTM_*ADDRLABEL (12 bytes). */
export const ifaddrlblmsg = structSpec('ifaddrlblmsg', [
  { name: 'family', type: 'u8', enum: family },
  { name: '_reserved', type: 'pad', len: 1 },
  { name: 'prefixlen', type: 'u8' },
  { name: 'flags', type: 'u8' },
  { name: 'ifindex', type: 'u32' },
  { name: 'seq', type: 'u32' },
] as const);

/** IFAL_*: the prefix and its label. */
export const addrLabelAttrs = attrs('ifal', {
  address: [IFAL.ADDRESS, ipaddr()],
  label: [IFAL.LABEL, u32()],
});

/** RTM_*ADDRLABEL: struct ifaddrlblmsg + IFAL_*. */
export const addrLabelCodec = new FlatMessageCodec(ifaddrlblmsg, addrLabelAttrs);
/** An address label: `address`/`prefixlen`, `label`, and `ifindex` (0: any device). */
export type AddrLabel = Flat<typeof ifaddrlblmsg, typeof addrLabelAttrs>;

/**
 * Dumps the address labels (RTM_GETADDRLABEL, NLM_F_DUMP), `ip addrlabel list`. The family is
 * 'inet6' unless given (the kernel has labels for IPv6 only; `ip -4 addrlabel` asks AF_INET).
 */
export function dumpAddrLabels(filter: { family?: Family | number } = {}, opts: FamilyOptions = {}): Dump<AddrLabel> {
  return routeDump<AddrLabel>(opts, addrLabelCodec.encode(RTM.GETADDRLABEL, 0, { family: filter.family ?? 'inet6' } as Partial<AddrLabel>), addrLabelCodec);
}

/** An address label to add or delete: `prefix` as 'ADDR/LEN' (a bare address is /128). */
export interface AddrLabelSpec {
  prefix: string;
  label: number;
  dev?: LinkRef;
}

async function labelMessage(spec: AddrLabelSpec, sock: Parameters<typeof resolveLink>[1]): Promise<Partial<AddrLabel>> {
  const [addr, len] = spec.prefix.split('/');
  const bytes = parseIp(addr!);
  return {
    family: 'inet6', prefixlen: len === undefined ? bytes.length * 8 : Number(len),
    ifindex: spec.dev !== undefined ? await resolveLink(spec.dev, sock) : 0, label: spec.label, address: addr!,
  } as Partial<AddrLabel>;
}

/** Adds an address label (RTM_NEWADDRLABEL, NLM_F_CREATE|NLM_F_EXCL, `ip addrlabel add`). */
export async function addAddrLabel(spec: AddrLabelSpec, opts: FamilyOptions = {}): Promise<void> {
  await withSocket(opts, async (sock) => {
    const m = await labelMessage(spec, sock);
    await sock.request(addrLabelCodec.encode(RTM.NEWADDRLABEL, NLM_F_CREATE | NLM_F_EXCL, m), { headerSize: addrLabelCodec.headerSize, ...callOptions(opts) });
  });
}

/** Deletes an address label (RTM_DELADDRLABEL, `ip addrlabel del`). */
export async function deleteAddrLabel(spec: AddrLabelSpec, opts: FamilyOptions = {}): Promise<void> {
  await withSocket(opts, async (sock) => {
    const m = await labelMessage(spec, sock);
    await sock.request(addrLabelCodec.encode(RTM.DELADDRLABEL, 0, m), { headerSize: addrLabelCodec.headerSize, ...callOptions(opts) });
  });
}

/** Deletes every address label (`ip addrlabel flush`), the kernel's defaults too; resolves with the number deleted. */
export async function flushAddrLabels(opts: FamilyOptions = {}): Promise<number> {
  return withSocket(opts, async (sock) => {
    const list = await dumpAddrLabels({}, { ...callOptions(opts), socket: sock }).toArray();
    if (list.length === 0) return 0;
    const res = await sock.requestBatch(list.map((l) => addrLabelCodec.encode(RTM.DELADDRLABEL, 0, l)), { headerSize: addrLabelCodec.headerSize });
    const real = res.errors.filter((e) => e.error.code !== 'ENOENT');
    if (real.length) throw real[0]!.error;
    return res.acked;
  });
}
