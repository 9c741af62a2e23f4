// events(): XFRM multicast notifications (`ip xfrm monitor`) as typed events: SAs and policies
// added, updated, deleted, expired, flushed, and the kernel's acquires.
import { Subscription, type FamilyOptions } from '../socket/index.js';
import type { MessageReader } from '../wire/index.js';
import { addressesToText } from './address.js';
import { acquireCodec, expireCodec, policyCodec, policyIdCodec, polexpireCodec, saCodec, saFlushCodec, saIdCodec } from './codecs.js';
import { XFRM_MSG, XFRMNLGRP } from './gen/xfrm.js';
import { openXfrm } from './socket.js';
import type { XfrmPolicy, XfrmState } from './types.js';

interface Base {
  /** The message type (XFRM_MSG_*). */
  type: number;
  /** The multicast group it came in on (XFRMNLGRP_*). */
  group: number;
}

/** A typed XFRM notification. */
export type XfrmEvent =
  | (Base & { kind: 'sa'; event: 'new' | 'update' | 'del'; object: XfrmState })
  | (Base & { kind: 'policy'; event: 'new' | 'update' | 'del'; object: XfrmPolicy })
  | (Base & { kind: 'expire'; event: 'expire'; object: XfrmState; hard: boolean })
  | (Base & { kind: 'polexpire'; event: 'expire'; object: XfrmPolicy; hard: boolean })
  | (Base & { kind: 'acquire'; event: 'acquire'; object: Record<string, unknown> })
  | (Base & { kind: 'flush'; event: 'flushsa'; proto: string | number })
  | (Base & { kind: 'flush'; event: 'flushpolicy'; object: Record<string, unknown> })
  | (Base & { kind: 'other'; event: 'other'; object: Uint8Array });

/** Groups by name (XFRMNLGRP_* in lower case: 'acquire', 'expire', 'sa', 'policy', 'aevents', 'report', 'migrate', 'mapping'). */
export const XFRM_EVENT_GROUPS: Readonly<Record<string, number>> = Object.fromEntries(
  Object.entries(XFRMNLGRP).filter(([k]) => k !== 'NONE').map(([k, v]) => [k.toLowerCase(), v]),
);

/** The groups events() joins by default: what `ip xfrm monitor` shows of SAs and policies. */
export const DEFAULT_XFRM_GROUPS = ['acquire', 'expire', 'sa', 'policy'] as const;

/** A deletion carries the id struct and the whole object in XFRMA_SA / XFRMA_POLICY: the object, with the other attributes. */
function deleted(r: MessageReader, idCodec: typeof saIdCodec, key: 'sa' | 'policy'): Record<string, unknown> {
  const d = idCodec.decode(r) as unknown as Record<string, unknown>;
  const inner = d[key] as Record<string, unknown> | undefined;
  if (!inner) return addressesToText(d);
  const attrs: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(d)) if (!(k in inner) && k !== key && !['daddr', 'spi', 'family', 'proto', 'sel', 'index', 'dir'].includes(k)) attrs[k] = v;
  return addressesToText({ ...inner, ...attrs });
}

/** Decodes one XFRM notification (never throws: undecodable messages come as kind 'other'). */
export function decodeXfrmEvent(r: MessageReader, meta: { group: number }): XfrmEvent {
  const base = { type: r.type, group: meta.group };
  try {
    switch (r.type) {
      case XFRM_MSG.NEWSA: case XFRM_MSG.UPDSA:
        return { ...base, kind: 'sa', event: r.type === XFRM_MSG.NEWSA ? 'new' : 'update', object: addressesToText(saCodec.decode(r)) as unknown as XfrmState };
      case XFRM_MSG.DELSA:
        return { ...base, kind: 'sa', event: 'del', object: deleted(r, saIdCodec, 'sa') as unknown as XfrmState };
      case XFRM_MSG.NEWPOLICY: case XFRM_MSG.UPDPOLICY:
        return { ...base, kind: 'policy', event: r.type === XFRM_MSG.NEWPOLICY ? 'new' : 'update', object: addressesToText(policyCodec.decode(r)) as unknown as XfrmPolicy };
      case XFRM_MSG.DELPOLICY:
        return { ...base, kind: 'policy', event: 'del', object: deleted(r, policyIdCodec as unknown as typeof saIdCodec, 'policy') as unknown as XfrmPolicy };
      case XFRM_MSG.EXPIRE: {
        const { state, hard, ...attrs } = expireCodec.decode(r) as unknown as Record<string, unknown>;
        return { ...base, kind: 'expire', event: 'expire', hard: hard !== 0, object: addressesToText({ ...(state as object), ...attrs }) as unknown as XfrmState };
      }
      case XFRM_MSG.POLEXPIRE: {
        const { pol, hard, ...attrs } = polexpireCodec.decode(r) as unknown as Record<string, unknown>;
        return { ...base, kind: 'polexpire', event: 'expire', hard: hard !== 0, object: addressesToText({ ...(pol as object), ...attrs }) as unknown as XfrmPolicy };
      }
      case XFRM_MSG.ACQUIRE:
        return { ...base, kind: 'acquire', event: 'acquire', object: addressesToText(acquireCodec.decode(r) as unknown as Record<string, unknown>) };
      case XFRM_MSG.FLUSHSA:
        return { ...base, kind: 'flush', event: 'flushsa', proto: (saFlushCodec.decode(r) as { proto: string | number }).proto };
      case XFRM_MSG.FLUSHPOLICY:
        return { ...base, kind: 'flush', event: 'flushpolicy', object: policyIdCodec.attrs.decode(r.buf, r.view, r.payloadStart, r.payloadEnd) as Record<string, unknown> };
    }
  } catch {
    // fall through to the raw form
  }
  return { ...base, kind: 'other', event: 'other', object: r.buf.slice(r.payloadStart, r.payloadEnd) };
}

/**
 * Subscribes to XFRM notifications (`ip xfrm monitor`): groups by name ('sa', 'policy',
 * 'expire', 'acquire', …) or number; SAs, policies, expires and acquires by default. Joined
 * when it returns. XFRM is per network namespace: pass `netns`.
 *
 *   for await (const ev of events(['sa'], { netns: 'ns1' })) {
 *     if ('overrun' in ev) continue;
 *     console.log(ev.event, ev.kind);
 *   }
 */
export function events(groups: readonly (string | number)[] = DEFAULT_XFRM_GROUPS, opts: FamilyOptions & { rcvbuf?: number } = {}): Subscription<XfrmEvent> {
  const nums = groups.map((g) => {
    if (typeof g === 'number') return g;
    const n = XFRM_EVENT_GROUPS[g.toLowerCase()];
    if (n === undefined) throw new TypeError(`events: unknown group "${g}"`);
    return n;
  });
  return new Subscription<XfrmEvent>({
    socket: opts.socket ?? openXfrm({ ...(opts.netns !== undefined ? { netns: opts.netns } : {}), ...(opts.rcvbuf ? { rcvbuf: opts.rcvbuf } : {}) }),
    owned: !opts.socket,
    decode: (r, meta) => decodeXfrmEvent(r, meta),
    signal: opts.signal,
    join: (sock) => {
      for (const n of nums) sock.join(n);
    },
  });
}
