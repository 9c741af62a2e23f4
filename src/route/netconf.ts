// Netconf: per-device forwarding settings (RTM_GETNETCONF), and namespace ids (RTM_*NSID).
import { fs } from '../builtins.js';
import { type Dump, type FamilyOptions, netnsPath, type NetnsSpec } from '../socket/index.js';
import { netconfCodec, nsidCodec, type Netconf, type Nsid } from './codecs.js';
import { RTM } from './constants.js';
import type { Family } from './enums.js';
import { resolveLink, type LinkRef } from './links.js';
import { callOptions, routeDump, withSocket } from './socket.js';

export type { Netconf, Nsid } from './codecs.js';


/** Dumps netconf entries (RTM_GETNETCONF, NLM_F_DUMP) of one family or all: `{ family, ifindex, forwarding, rp_filter, … }`. */
export function dumpNetconf(filter: { family?: Family | number } = {}, opts: FamilyOptions = {}): Dump<Netconf> {
  return routeDump(opts, netconfCodec.encode(RTM.GETNETCONF, 0, { family: filter.family ?? 'unspec' } as Partial<Netconf>), netconfCodec);
}

/** Gets the netconf of one link, or 'all' / 'default' (RTM_GETNETCONF request, `ip netconf show dev X`). */
export async function getNetconf(q: { family: Family | number; dev: LinkRef | 'all' | 'default' }, opts: FamilyOptions = {}): Promise<Netconf> {
  return withSocket(opts, async (sock) => {
    const ifindex = q.dev === 'all' || q.dev === 'default' ? q.dev : await resolveLink(q.dev, sock);
    const reply = await sock.request(netconfCodec.encode(RTM.GETNETCONF, 0, { family: q.family, ifindex } as Partial<Netconf>), {
      ack: false, idempotent: true, headerSize: 1, ...callOptions(opts),
    });
    return netconfCodec.decodePayload(reply.messages[0]!.payload) as Netconf;
  });
}

/** Dumps the ids this namespace gave its peers (RTM_GETNSID, NLM_F_DUMP, `ip netns list-id`). */
export function dumpNsids(opts: FamilyOptions = {}): Dump<Nsid> {
  return routeDump(opts, nsidCodec.encode(RTM.GETNSID, 0, { family: 'unspec' } as Partial<Nsid>), nsidCodec);
}

/** The NETNSA_PID / NETNSA_FD attribute naming a namespace; an fd opened here is closed by `done`. */
function peerAttr(target: NetnsSpec): { attr: Record<string, number>; done: () => void } {
  if (typeof target === 'number') return { attr: { pid: target }, done: () => {} };
  if (typeof target === 'object' && 'pid' in target) return { attr: { pid: target.pid }, done: () => {} };
  if (typeof target === 'object' && 'fd' in target) return { attr: { fd: target.fd }, done: () => {} };
  const fd = fs.openSync(netnsPath(target), 'r');
  return { attr: { fd }, done: () => fs.closeSync(fd) };
}

/** The id this namespace has for namespace `target` (RTM_GETNSID request); nsid is -1 when none is assigned. */
export async function getNsid(target: NetnsSpec, opts: FamilyOptions = {}): Promise<Nsid> {
  return withSocket(opts, async (sock) => {
    const { attr, done } = peerAttr(target);
    try {
      const reply = await sock.request(nsidCodec.encode(RTM.GETNSID, 0, { family: 'unspec', ...attr } as Partial<Nsid>), {
        ack: false, idempotent: true, headerSize: 1, ...callOptions(opts),
      });
      return nsidCodec.decodePayload(reply.messages[0]!.payload) as Nsid;
    } finally {
      done();
    }
  });
}

/** Assigns id `nsid` to namespace `target` (RTM_NEWNSID, `ip netns set NAME NSID`); -1 lets the kernel choose. */
export async function addNsid(target: NetnsSpec, nsid: number, opts: FamilyOptions = {}): Promise<void> {
  await withSocket(opts, async (sock) => {
    const { attr, done } = peerAttr(target);
    try {
      await sock.request(nsidCodec.encode(RTM.NEWNSID, 0, { family: 'unspec', nsid, ...attr } as Partial<Nsid>), {
        headerSize: 1, ...callOptions(opts),
      });
    } finally {
      done();
    }
  });
}
