// The NETLINK_ROUTE socket every route/ function uses: one passed in by the caller, or one
// opened for the call (in `netns` when given) and closed when the call, or the iteration of a
// dump, ends.
import { NetlinkSocket, type DumpIterable, type NetnsSpec } from '../socket/index.js';
import type { FlatMessageCodec } from '../schema/index.js';
import { NETLINK_ROUTE } from '../wire/index.js';
import { rtmName } from './codecs.js';

/** Options every route/ function takes. */
export interface RouteOptions {
  /** Network namespace to work in (a name under /run/netns, a path, a pid or an fd); ignored with `socket`. */
  netns?: NetnsSpec;
  /** An open NETLINK_ROUTE socket to use (see {@link openRoute}); it is left open. */
  socket?: NetlinkSocket;
  /** Aborts the request or dump. */
  signal?: AbortSignal;
}

/**
 * Opens a NETLINK_ROUTE socket whose errors name rtnetlink message types ('RTM_NEWLINK: File
 * exists (EEXIST)'). Pass it as `{ socket }` to run many calls on one socket; close() it after.
 */
export function openRoute(opts: { netns?: NetnsSpec; groups?: number[]; rcvbuf?: number; capture?: string; readAhead?: boolean } = {}): NetlinkSocket {
  return NetlinkSocket.open(NETLINK_ROUTE, {
    ...(opts.readAhead ? { readAhead: true } : {}),
    ...(opts.netns !== undefined ? { netns: opts.netns } : {}),
    ...(opts.groups ? { groups: opts.groups } : {}),
    ...(opts.rcvbuf ? { rcvbuf: opts.rcvbuf } : {}),
    ...(opts.capture ? { capture: opts.capture } : {}),
    typeName: rtmName,
  });
}

/** Runs `fn` on the caller's socket, or on one opened (and closed) for it. */
export async function withSocket<T>(opts: RouteOptions, fn: (sock: NetlinkSocket) => Promise<T>): Promise<T> {
  if (opts.socket) return fn(opts.socket);
  const sock = openRoute(opts.netns !== undefined ? { netns: opts.netns } : {});
  try {
    return await fn(sock);
  } finally {
    sock.close();
  }
}

/**
 * RouteDump streams a dump's typed objects. The request is sent when iteration starts (a
 * socket opened for it is closed when iteration ends, also on break or error). Iterate it for
 * objects, `batches()` for one array per datagram (fewest awaits on huge tables), or
 * `toArray()`. `interrupted` tells afterwards whether the kernel flagged the dump inconsistent
 * (NLM_F_DUMP_INTR): the table changed while it was read; dump again for a consistent view.
 */
export class RouteDump<T> implements AsyncIterable<T> {
  private inner: DumpIterable<T> | undefined;

  /** @internal */
  constructor(
    private readonly opts: RouteOptions,
    private readonly request: Uint8Array | ((sock: NetlinkSocket) => Promise<Uint8Array>),
    /** The codec of the dumped objects: it decodes each datagram in one call. */
    private readonly codec: FlatMessageCodec<unknown, unknown>,
    private readonly filter?: (item: T) => boolean,
  ) {}

  /** True when the kernel flagged the dump inconsistent (NLM_F_DUMP_INTR). */
  get interrupted(): boolean {
    return this.inner?.interrupted ?? false;
  }

  /** One array of objects per received datagram. */
  async *batches(): AsyncGenerator<T[], void, undefined> {
    // A socket opened for the dump receives ahead on its own thread: the kernel builds the
    // next chunks while this one is decoded.
    const owned = this.opts.socket ? undefined : openRoute({ readAhead: true, ...(this.opts.netns !== undefined ? { netns: this.opts.netns } : {}) });
    const sock = this.opts.socket ?? owned!;
    try {
      const bytes = typeof this.request === 'function' ? await this.request(sock) : this.request;
      const codec = this.codec;
      this.inner = sock.dump(bytes, {
        decode: (r) => codec.decode(r) as T,
        decodeBatch: (buf, dv, offsets, out) => codec.decodeAll(buf, dv, offsets, out as never[]),
        headerSize: codec.headerSize,
        ...(this.opts.signal ? { signal: this.opts.signal } : {}),
      });
      const f = this.filter;
      for await (const batch of this.inner.batches()) {
        if (f) {
          const kept = batch.filter(f);
          if (kept.length) yield kept;
        } else yield batch;
      }
    } finally {
      owned?.close();
    }
  }

  async *[Symbol.asyncIterator](): AsyncGenerator<T, void, undefined> {
    for await (const batch of this.batches()) yield* batch;
  }

  /** Collects the whole dump. */
  async toArray(): Promise<T[]> {
    const out: T[] = [];
    for await (const batch of this.batches()) for (let i = 0; i < batch.length; i++) out.push(batch[i]!);
    return out;
  }
}
