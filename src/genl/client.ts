// GenlClient: one NETLINK_GENERIC socket in one namespace, the controller on it, and a cache of
// resolved families that the controller's notify group keeps honest.
import {
  Dump, NetlinkSocket, Subscription, type FamilyOptions, type NetlinkEvent, type OpenOptions, type Overrun, type Reply,
} from '../socket/index.js';
import { MessageWriter, NETLINK_GENERIC, NLM_F_DUMP, type MessageReader, type NetlinkMessage } from '../wire/index.js';
import { beginGenl, readGenlHeader, type GenlHeader } from './codec.js';
import { GENL_HDRLEN, GENL_ID_CTRL } from './constants.js';
import { Controller, type ControllerEvent, type FamilyInfo } from './controller.js';

/** Options of a raw command: FamilyOptions' `signal` and `timeout` (the client's socket is used). */
export interface CommandOptions extends Pick<FamilyOptions, 'signal' | 'timeout'> {
  /** genlmsghdr.version (default: the family's version as the controller reports it). */
  version?: number;
  /** Extra nlmsg_flags (NLM_F_REQUEST, NLM_F_ACK and NLM_F_DUMP are set for you). */
  flags?: number;
  /** Size of the fixed header after genlmsghdr, to resolve error offsets into attribute paths. */
  headerSize?: number;
}

/** Writes the attributes (and any fixed header) of a command after its genlmsghdr. */
export type PayloadWriter = (w: MessageWriter) => void;

/** A message from a generic netlink family: its genlmsghdr and the raw message. */
export interface GenlMessage extends NetlinkMessage, GenlHeader {}

/** A multicast event of a family, with its genlmsghdr. */
export interface GenlEvent extends NetlinkEvent, GenlHeader {}

/**
 * GenlClient talks to any generic netlink family by name. Families are resolved once and cached;
 * when the controller reports a family gone (or groups changed), or events were lost, the entry
 * is dropped and the next use resolves it again. One socket serves every family.
 */
export class GenlClient implements AsyncDisposable {
  /** The NETLINK_GENERIC socket. */
  readonly socket: NetlinkSocket;
  /** The controller on that socket. */
  readonly controller: Controller;
  private readonly cache = new Map<string, Promise<FamilyInfo>>();
  private readonly byId = new Map<number, FamilyInfo>();
  private watching: Promise<void> | undefined;
  private readonly watchAbort = new AbortController();

  private constructor(socket: NetlinkSocket) {
    this.socket = socket;
    this.controller = new Controller(socket);
  }

  /** Opens a NETLINK_GENERIC socket (in `opts.netns` if given). */
  static open(opts: OpenOptions = {}): GenlClient {
    let self: GenlClient | undefined;
    const typeName = (type: number) => (type === GENL_ID_CTRL ? 'nlctrl' : self?.byId.get(type)?.name) ?? opts.typeName?.(type);
    const socket = NetlinkSocket.open(NETLINK_GENERIC, { ...opts, typeName });
    self = new GenlClient(socket);
    return self;
  }

  /**
   * Resolves a family by name (cached). Rejects with FamilyNotFoundError (ENOENT) when the
   * kernel has no such family. The first call also starts watching the controller so the cache
   * forgets families that go away.
   */
  resolve(name: string, opts: { signal?: AbortSignal } = {}): Promise<FamilyInfo> {
    let p = this.cache.get(name);
    if (!p) {
      p = this.controller.getFamily(name, opts).then((info) => {
        this.byId.set(info.id, info);
        return info;
      });
      this.cache.set(name, p);
      p.catch(() => this.cache.delete(name));
      this.startWatching();
    }
    return p;
  }

  /** Drops a cached family (or all of them), so the next use asks the controller again. */
  invalidate(name?: string): void {
    if (name === undefined) {
      this.cache.clear();
      this.byId.clear();
      return;
    }
    this.cache.delete(name);
    for (const [id, f] of this.byId) if (f.name === name) this.byId.delete(id);
  }

  /** The families resolved so far and still believed current. */
  get cached(): string[] {
    return [...this.cache.keys()];
  }

  /**
   * Builds a command: nlmsghdr (type = the family's id), genlmsghdr (cmd, version), then what
   * `payload` writes. NLM_F_REQUEST (and ACK/DUMP) are added by request()/dump().
   */
  async message(family: string, cmd: number, payload?: PayloadWriter, opts: CommandOptions = {}): Promise<Uint8Array> {
    const info = await this.resolve(family, opts);
    const w = new MessageWriter(256);
    beginGenl(w, info.id, opts.flags ?? 0, cmd, opts.version ?? info.version);
    payload?.(w);
    w.end();
    return w.toBytes();
  }

  /** Sends a command and resolves with the messages before the ACK (NetlinkError on refusal). */
  async request(family: string, cmd: number, payload?: PayloadWriter, opts: CommandOptions = {}): Promise<Reply<GenlMessage>> {
    const bytes = await this.message(family, cmd, payload, opts);
    const r = await this.socket.request(bytes, { signal: opts.signal, timeout: opts.timeout, headerSize: GENL_HDRLEN + (opts.headerSize ?? 0) });
    return { ...r, messages: r.messages.map(withGenlHeader) };
  }

  /**
   * Dumps a command; the request is sent when iteration starts. `decode` runs on each message in
   * the receive buffer (it copies what it keeps); without it messages are copied with their
   * genlmsghdr.
   */
  dump<T = GenlMessage>(family: string, cmd: number, payload?: PayloadWriter,
    opts: CommandOptions & { decode?: (r: MessageReader) => T } = {}): Dump<T> {
    return new Dump<T>({
      socket: this.socket,
      request: () => this.message(family, cmd, payload, { ...opts, flags: (opts.flags ?? 0) | NLM_F_DUMP }),
      decode: opts.decode ?? ((r: MessageReader) => ({ ...copy(r), ...readGenlHeader(r) }) as T),
      headerSize: GENL_HDRLEN + (opts.headerSize ?? 0),
      signal: opts.signal,
      timeout: opts.timeout,
    });
  }

  /**
   * Subscribes to multicast groups: by id, or as 'family/group' of a family this client has
   * resolved (`await genl.resolve('ethtool')` first). Events come with their genlmsghdr; with
   * `family` only that family's. Joined when it returns; the client's socket stays open.
   */
  events(groups: readonly (number | string)[], opts: Pick<FamilyOptions, 'signal'> & { family?: string } = {}): Subscription<GenlEvent> {
    const ids = groups.map((g) => (typeof g === 'number' ? g : this.groupId(g)));
    const family = opts.family;
    return new Subscription<GenlEvent>({
      socket: this.socket,
      owned: false,
      signal: opts.signal,
      decode: (r, meta) => {
        if (family !== undefined && this.byId.get(r.type)?.name !== family) return undefined;
        return { ...copy(r), ...readGenlHeader(r), ...meta } as GenlEvent;
      },
      join: (sock) => {
        for (const id of ids) sock.join(id);
      },
    });
  }

  // 'family/group' of a resolved family -> the group's id.
  private groupId(ref: string): number {
    const slash = ref.lastIndexOf('/');
    const name = ref.slice(0, slash);
    const group = ref.slice(slash + 1);
    let info: FamilyInfo | undefined;
    for (const f of this.byId.values()) if (f.name === name) info = f;
    if (slash < 0 || !info) throw new TypeError(`events: "${ref}" is not 'family/group' of a resolved family (resolve('${name}') first)`);
    const g = info.groups.find((x) => x.name === group);
    if (!g) throw new TypeError(`events: ${name} has no multicast group "${group}" (it has: ${info.groups.map((x) => x.name).join(', ') || 'none'})`);
    return g.id;
  }

  /** Closes the socket; pending requests reject and iterators end. */
  close(): void {
    this.watchAbort.abort();
    this.socket.close();
  }

  /** Same as close(), for `await using`. */
  async [Symbol.asyncDispose](): Promise<void> {
    this.close();
  }

  // The controller's notify group on this same socket keeps the cache honest.
  private startWatching(): void {
    if (this.watching) return;
    this.watching = (async () => {
      let it: AsyncIterable<unknown>;
      try {
        it = this.controller.events(['notify'], { signal: this.watchAbort.signal });
      } catch {
        return; // a closed socket or a kernel without nlctrl notify: the cache simply is not watched
      }
      for await (const ev of it) {
        const e = ev as ControllerEvent | Overrun;
        if ('overrun' in e) this.invalidate();
        else if (e.kind !== 'new-family') this.invalidate(e.family.name);
      }
    })().catch(() => {
      // The socket failed or closed: nothing is watched any more, so nothing stays cached.
      this.invalidate();
    });
  }
}

function copy(r: MessageReader): NetlinkMessage {
  return { type: r.type, flags: r.flags, seq: r.seq, pid: r.pid, payload: r.buf.slice(r.payloadStart, r.payloadEnd) };
}

function withGenlHeader(m: NetlinkMessage): GenlMessage {
  return { ...m, cmd: m.payload[0] ?? 0, version: m.payload[1] ?? 0 };
}
