// Subscription<T>: what every family's events() returns — multicast notifications as typed
// events and overrun markers, joined before it is returned.
import type { EventMeta, NetlinkSocket, Overrun } from './netlink-socket.js';
import type { MessageReader } from '../wire/index.js';

/** How a family subscribes: the socket, the groups to join on it, and the event decoder. */
export interface SubscriptionSource<T> {
  /** The socket to listen on. */
  socket: NetlinkSocket;
  /** True when the socket was opened for this subscription: close() closes it. */
  owned: boolean;
  /** Decodes one notification in place; undefined skips it. */
  decode: (r: MessageReader, meta: EventMeta) => T | undefined;
  /** Joins the family's groups on the socket (after the listener is in place, so nothing is missed). */
  join: (sock: NetlinkSocket) => void;
  /** Ends the subscription. */
  signal?: AbortSignal | undefined;
}

// A subscription dropped without close() closes the socket it opened once it is collected.
const dropped = new FinalizationRegistry<NetlinkSocket>((sock) => sock.close());

/**
 * Subscription is a family's multicast notifications: joined when events() returns, iterated
 * with `for await`, ended by close(), `break`, the signal, or `await using`. Items are the
 * family's typed events, or `{ overrun: true, code }` when the kernel dropped notifications
 * (resynchronise with a dump).
 */
export class Subscription<T> implements AsyncIterable<T | Overrun>, AsyncDisposable {
  private readonly iter: AsyncIterableIterator<T | Overrun>;
  private readonly sock: NetlinkSocket;
  private readonly owned: boolean;

  /** @internal families subscribe; users get one from events(). */
  constructor(src: SubscriptionSource<T>) {
    this.sock = src.socket;
    this.owned = src.owned;
    this.iter = src.socket.events({ decode: src.decode, ...(src.signal ? { signal: src.signal } : {}) });
    try {
      src.join(src.socket);
    } catch (e) {
      this.close();
      throw e;
    }
    if (this.owned) dropped.register(this, this.sock, this);
  }

  /** The socket the notifications arrive on. */
  get socket(): NetlinkSocket {
    return this.sock;
  }

  /** Ends the subscription (and closes the socket events() opened). */
  close(): void {
    void this.iter.return?.();
    if (this.owned) {
      dropped.unregister(this);
      this.sock.close();
    }
  }

  async [Symbol.asyncDispose](): Promise<void> {
    this.close();
  }

  async *[Symbol.asyncIterator](): AsyncGenerator<T | Overrun, void, undefined> {
    try {
      for (;;) {
        const r = await this.iter.next();
        if (r.done) return;
        yield r.value;
      }
    } finally {
      this.close();
    }
  }
}
