// Dump<T>: what every family's dumpX() returns at once. The request is sent on the first
// iteration; a socket opened for it is closed when the iteration ends, or, when the iterator is
// abandoned (dropped without return()), when the garbage collector takes the iterator.
import type { BatchDecoder, Decoder, DumpIterable, DumpOptions, NetlinkSocket } from './netlink-socket.js';

/** Where a Dump gets its socket, its request and its decoder. */
export interface DumpSource<T> {
  /** The caller's socket, left open. Without it `open()` gives one to each iteration. */
  socket?: NetlinkSocket | undefined;
  /** Opens a socket for one iteration; it is closed when that iteration ends. */
  open?: () => NetlinkSocket;
  /** The request, or a function that builds it on the socket (e.g. after resolving a name). */
  request: Uint8Array | ((sock: NetlinkSocket) => Uint8Array | Promise<Uint8Array>);
  /** Decodes one message in place (see NetlinkSocket.dump). */
  decode?: Decoder<T>;
  /** Decodes a datagram's messages in one call; used instead of `decode`. */
  decodeBatch?: BatchDecoder<T>;
  /** Size of the family's fixed header, to resolve attribute offsets in errors. */
  headerSize?: number;
  /** Keeps only the items it returns true for (filters the kernel does not apply). */
  filter?: (item: T) => boolean;
  /** Aborts the dump. */
  signal?: AbortSignal | undefined;
  /** Milliseconds the dump may take before it fails with ETIMEDOUT. */
  timeout?: number | undefined;
  /** Rewrites a failure, e.g. to name the family's operation ('ethtool.linkinfo-get'). */
  mapError?: (e: unknown) => unknown;
}

// The socket an iteration opened, closed when the iteration is collected without having ended.
// Nothing reachable from the socket refers to the iterator, so an abandoned one is collectable
// (unless a next() is still pending: its promise is held by the dump until data arrives).
interface OwnedSocket {
  sock: NetlinkSocket | undefined;
}
const abandoned = new FinalizationRegistry<OwnedSocket>((o) => {
  o.sock?.close();
  o.sock = undefined;
});

/**
 * Dump streams a dump's typed objects; every family's dumpX() returns one at once. The request
 * is sent when iteration starts. Iterate it for objects, `batches()` for one array per datagram
 * (fewest awaits on huge tables), or `toArray()`. Each iteration is a new dump. `interrupted`
 * tells afterwards whether the kernel flagged the dump inconsistent (NLM_F_DUMP_INTR): the table
 * changed while it was read; dump again for a consistent view.
 */
export class Dump<T> implements AsyncIterable<T> {
  private inner: DumpIterable<T> | undefined;

  /** @internal families build Dumps; users get them from dumpX(). */
  constructor(private readonly source: DumpSource<T>) {
    if (!source.socket && !source.open) throw new TypeError('Dump: needs a socket or a way to open one');
  }

  /** True when the kernel flagged the last iteration's dump inconsistent (NLM_F_DUMP_INTR). */
  get interrupted(): boolean {
    return this.inner?.interrupted ?? false;
  }

  /** One array of objects per received datagram. */
  batches(): AsyncGenerator<T[], void, undefined> {
    const owned: OwnedSocket = { sock: undefined };
    const it = run(this.source, owned, (inner) => (this.inner = inner));
    if (!this.source.socket) abandoned.register(it, owned, owned);
    return it;
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

async function* run<T>(src: DumpSource<T>, owned: OwnedSocket, started: (inner: DumpIterable<T>) => void): AsyncGenerator<T[], void, undefined> {
  try {
    const sock = src.socket ?? (owned.sock = src.open!());
    const bytes = typeof src.request === 'function' ? await src.request(sock) : src.request;
    const opts: DumpOptions<T> = {
      ...(src.decode ? { decode: src.decode } : {}),
      ...(src.decodeBatch ? { decodeBatch: src.decodeBatch } : {}),
      ...(src.headerSize !== undefined ? { headerSize: src.headerSize } : {}),
      ...(src.signal ? { signal: src.signal } : {}),
      ...(src.timeout !== undefined ? { timeout: src.timeout } : {}),
    };
    const inner = sock.dump<T>(bytes, opts as DumpOptions<T> & { decode: Decoder<T> });
    started(inner);
    const f = src.filter;
    for await (const batch of inner.batches()) {
      if (f) {
        const kept = batch.filter(f);
        if (kept.length) yield kept;
      } else yield batch;
    }
  } catch (e) {
    throw src.mapError ? src.mapError(e) : e;
  } finally {
    if (owned.sock) {
      abandoned.unregister(owned);
      owned.sock.close();
      owned.sock = undefined;
    }
  }
}
