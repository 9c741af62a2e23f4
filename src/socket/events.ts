// Multicast events (and unsolicited unicasts) fanned out to async iterators.
import type { MessageReader, NetlinkMessage } from '../wire/index.js';
import type { Origin } from './dispatcher.js';
import { SocketError } from './netlink-error.js';
import { copyMessage } from './request.js';

/** A message received outside any request: a multicast event, or an unsolicited unicast. */
export interface NetlinkEvent extends NetlinkMessage {
  /** The multicast group it was sent to (NETLINK_PKTINFO), 0 for unicast. */
  group: number;
  /** The sender's port id. */
  portid: number;
  /** The peer namespace id with NETLINK_LISTEN_ALL_NSID, else undefined. */
  nsid: number | undefined;
}

/**
 * Marks that events were lost: resynchronise with a dump. `code` says why: 'ENOBUFS' (a full
 * receive buffer), 'EMSGSIZE' (a datagram larger than the buffer), 'ERR_MALFORMED' (an event
 * that could not be read or decoded; `error` says what was wrong with it).
 */
export interface Overrun {
  overrun: true;
  /** Why events were lost. */
  code: string;
  /** The decoding or reading error, for 'ERR_MALFORMED'. */
  error?: Error;
}

/** Metadata handed to an event decoder. */
export interface EventMeta {
  /** The multicast group (0 for unicast). */
  group: number;
  /** The sender's port id. */
  portid: number;
  /** The peer namespace id with NETLINK_LISTEN_ALL_NSID, else undefined. */
  nsid: number | undefined;
}

/** Options of {@link NetlinkSocket.events}. */
export interface EventOptions<T> {
  /** Ends the iteration. */
  signal?: AbortSignal;
  /** Decode each event in place; return undefined to skip it. A decoder that throws yields an Overrun ('ERR_MALFORMED'). */
  decode?: (r: MessageReader, meta: EventMeta) => T | undefined;
  /** Events buffered before the socket stops reading (the kernel then reports an overrun). */
  highWaterMark?: number;
}

const EVENT_HIGH_WATER = 65536;

interface Subscriber {
  queue: unknown[];
  waiter: ((r: IteratorResult<unknown>) => void) | null;
  decode: ((r: MessageReader, meta: EventMeta) => unknown) | undefined;
  highWaterMark: number;
  ended: boolean;
}

/** EventHub hands every event to each subscribed iterator, each with its own queue. */
export class EventHub {
  private readonly subs = new Set<Subscriber>();

  /** `changed` is called when a subscriber drains or leaves (reading may resume). */
  constructor(private readonly changed: () => void) {}

  /** True when a subscriber's queue is at its high-water mark: reading may pause. */
  get behind(): boolean {
    for (const s of this.subs) if (s.queue.length >= s.highWaterMark) return true;
    return false;
  }

  /** Delivers one message to every subscriber; a decoder's failure reaches only its own iterator. */
  deliver(r: MessageReader, origin: Origin): void {
    if (this.subs.size === 0) return;
    const meta: EventMeta = { group: eventGroup(origin), portid: origin.portid, nsid: origin.nsid >= 0 ? origin.nsid : undefined };
    let plain: NetlinkEvent | undefined;
    for (const sub of this.subs) {
      let v: unknown;
      if (sub.decode) {
        try {
          v = sub.decode(r, meta);
        } catch (e) {
          const cause = e instanceof Error ? e : new Error(String(e));
          const error = new SocketError(`cannot decode an event (type ${r.type}): ${cause.message}`, 'ERR_MALFORMED', undefined, undefined, { cause });
          v = { overrun: true, code: 'ERR_MALFORMED', error } satisfies Overrun;
        }
        if (v === undefined) continue;
      } else {
        v = plain ??= { ...copyMessage(r), ...meta };
      }
      push(sub, v);
    }
  }

  /** Tells every subscriber that events were lost. */
  lost(code: string, error?: Error): void {
    for (const sub of this.subs) push(sub, error && code === 'ERR_MALFORMED' ? { overrun: true, code, error } : { overrun: true, code });
  }

  /** Ends every iterator (the socket closed). */
  endAll(): void {
    for (const sub of [...this.subs]) end(sub);
    this.subs.clear();
  }

  /** A new iterator over the events from now on; `closed` ends it at once. */
  subscribe<T>(opts: EventOptions<T>, closed: boolean): AsyncIterableIterator<T | Overrun> {
    const sub: Subscriber = {
      queue: [], waiter: null, decode: opts.decode, highWaterMark: opts.highWaterMark ?? EVENT_HIGH_WATER, ended: closed,
    };
    if (!closed) this.subs.add(sub);
    const signal = opts.signal;
    const leave = () => {
      if (signal) signal.removeEventListener('abort', leave);
      this.subs.delete(sub);
      end(sub);
      this.changed();
    };
    if (signal) {
      if (signal.aborted) leave();
      else signal.addEventListener('abort', leave, { once: true });
    }
    const it: AsyncIterableIterator<T | Overrun> = {
      next: () => {
        if (sub.queue.length > 0) {
          const v = sub.queue.shift() as T | Overrun;
          this.changed();
          return Promise.resolve({ value: v, done: false });
        }
        if (sub.ended) return Promise.resolve({ value: undefined, done: true });
        return new Promise((resolve) => {
          sub.waiter = resolve as Subscriber['waiter'];
        });
      },
      return: () => {
        leave();
        return Promise.resolve({ value: undefined, done: true });
      },
      [Symbol.asyncIterator]: () => it,
    };
    return it;
  }
}

function push(sub: Subscriber, v: unknown): void {
  if (sub.ended) return;
  const w = sub.waiter;
  if (w) {
    sub.waiter = null;
    w({ value: v, done: false });
  } else {
    sub.queue.push(v);
  }
}

function end(sub: Subscriber): void {
  sub.ended = true;
  const w = sub.waiter;
  sub.waiter = null;
  w?.({ value: undefined, done: true });
}

function eventGroup(o: Origin): number {
  if (o.group > 0) return o.group;
  if (o.groups === 0) return 0;
  for (let i = 0; i < 32; i++) if (o.groups & (1 << i)) return i + 1;
  return 0;
}
