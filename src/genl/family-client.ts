// FamilyClient: a family described as data (a TypeScript declaration or a loaded YNL spec),
// spoken by operation name with decoded requests and replies.
import { Dump, NetlinkError, NetlinkSocket, Subscription, type FamilyOptions, type OpenOptions } from '../socket/index.js';
import { NLM_F_DUMP, type MessageReader } from '../wire/index.js';
import { GenlClient } from './client.js';
import { decodeOp, decodeOpPayload, encodeOp, fixedSize, readGenlHeader } from './codec.js';
import type { FamilyInfo } from './controller.js';
import { opByReply, type FamilyDef, type OpAttrs, type OpDef, type OpTable } from './family-def.js';

/** Options of FamilyClient.open. */
export interface FamilyOpenOptions extends OpenOptions {
  /** Share this GenlClient (its socket and family cache) instead of opening a socket. */
  client?: GenlClient;
  /** Aborts resolving the family. */
  signal?: AbortSignal;
}

/** Options of one operation: FamilyOptions' `signal` and `timeout` (the client's socket is used). */
export interface OpOptions extends Pick<FamilyOptions, 'signal' | 'timeout'> {
  /** Extra nlmsg_flags, e.g. NLM_F_CREATE | NLM_F_EXCL for netlink-raw 'new' requests. */
  flags?: number;
}

/** A decoded notification: the operation it belongs to and its attributes. */
export interface FamilyEvent<A = Record<string, unknown>> {
  /** The notification's operation name ('linkinfo-ntf'), or the reply's when no notification matches. */
  op: string;
  /** genlmsghdr.cmd (genetlink) or nlmsg_type (netlink-raw). */
  cmd: number;
  /** The multicast group id it arrived on. */
  group: number;
  /** The decoded message. */
  value: A;
}

/**
 * FamilyClient speaks one family by operation name: `do('linkinfo-get', {header: {devName: 'eth0'}})`
 * resolves with the decoded reply, `dump(…)` streams decoded replies, `events(['monitor'])`
 * delivers decoded notifications. Generic netlink families are resolved by name through
 * the controller (cached, re-resolved when the family goes away); netlink-raw families (YNL's
 * rt-link, tc, …) use their protocol number and message types directly.
 */
export class FamilyClient<O extends OpTable = OpTable> implements AsyncDisposable {
  /** The family's declaration. */
  readonly def: FamilyDef<O>;
  /** The GenlClient for genetlink families. */
  readonly genl: GenlClient | undefined;
  /** The socket everything goes through. */
  readonly socket: NetlinkSocket;
  private readonly ownsSocket: boolean;
  /** The family as resolved when opened (genetlink): its id and group ids. */
  private family: FamilyInfo | undefined;

  private constructor(def: FamilyDef<O>, socket: NetlinkSocket, genl: GenlClient | undefined, owns: boolean) {
    this.def = def;
    this.socket = socket;
    this.genl = genl;
    this.ownsSocket = owns;
  }

  /**
   * Opens a client for `def`. For genetlink the family is resolved right away, so a missing one
   * rejects here with FamilyNotFoundError (ENOENT) naming it.
   */
  static async open<O extends OpTable>(def: FamilyDef<O>, opts: FamilyOpenOptions = {}): Promise<FamilyClient<O>> {
    if (def.protocol === 'genetlink') {
      const genl = opts.client ?? GenlClient.open(opts);
      const c = new FamilyClient(def, genl.socket, genl, !opts.client);
      try {
        c.family = await genl.resolve(def.name, opts.signal ? { signal: opts.signal } : {});
      } catch (e) {
        if (!opts.client) genl.close();
        throw e;
      }
      return c;
    }
    return new FamilyClient(def, NetlinkSocket.open(def.protonum, opts), undefined, true);
  }

  /** The family as the controller describes it (genetlink only). */
  async info(): Promise<FamilyInfo | undefined> {
    if (!this.genl) return undefined;
    return (this.family = await this.genl.resolve(this.def.name));
  }

  /** The declaration of an operation; throws TypeError naming the known ones when absent. */
  op(name: keyof O & string): OpDef {
    const o = this.def.ops[name];
    if (!o) throw new TypeError(`${this.def.name}: no operation "${name}" (known: ${Object.keys(this.def.ops).join(', ')})`);
    return o;
  }

  /**
   * Runs an operation's do handler and resolves with the decoded reply (undefined when the
   * kernel only acknowledged). A refusal rejects with NetlinkError naming the operation.
   */
  async do<K extends keyof O & string>(name: K, value: Partial<OpAttrs<O[K]>> = {}, opts: OpOptions = {}): Promise<OpAttrs<O[K]> | undefined> {
    const all = await this.doAll(name, value, opts);
    return all[0];
  }

  /** Like do(), resolving with every reply message (some handlers send several). */
  async doAll<K extends keyof O & string>(name: K, value: Partial<OpAttrs<O[K]>> = {}, opts: OpOptions = {}): Promise<OpAttrs<O[K]>[]> {
    const o = this.op(name);
    const bytes = await this.encode(o, opts.flags ?? 0, value as Record<string, unknown>);
    try {
      const { messages } = await this.socket.request(bytes, { signal: opts.signal, timeout: opts.timeout, headerSize: fixedSize(this.def, o) });
      const type = await this.messageType();
      return messages.filter((m) => type === undefined || m.type === type || o.reply === m.type)
        .map((m) => decodeOpPayload(this.def, o, m.payload) as OpAttrs<O[K]>);
    } catch (e) {
      throw this.named(e, o);
    }
  }

  /**
   * Runs an operation's dump handler: iterate the Dump (returned at once, sent on the first
   * iteration) for decoded replies, or `.toArray()`. A refusal rejects with NetlinkError naming
   * the operation ('ethtool.linkinfo-get').
   */
  dump<K extends keyof O & string>(name: K, value: Partial<OpAttrs<O[K]>> = {}, opts: OpOptions = {}): Dump<OpAttrs<O[K]>> {
    const o = this.op(name);
    return new Dump<OpAttrs<O[K]>>({
      socket: this.socket,
      request: () => this.encode(o, (opts.flags ?? 0) | NLM_F_DUMP, value as Record<string, unknown>),
      decode: (r: MessageReader) => decodeOp(this.def, o, r) as OpAttrs<O[K]>,
      headerSize: fixedSize(this.def, o),
      signal: opts.signal,
      timeout: opts.timeout,
      mapError: (e) => this.named(e, o),
    });
  }

  /**
   * Subscribes to multicast groups by name (all of the family's by default) and delivers this
   * family's notifications decoded; Overrun items mean events were lost. Joined when it returns.
   */
  events(groups: readonly string[] = this.def.groups.map((g) => g.name), opts: Pick<FamilyOptions, 'signal'> = {}): Subscription<FamilyEvent> {
    const ids = groups.map((g) => this.groupId(g));
    const id = this.family?.id;
    return new Subscription<FamilyEvent>({
      socket: this.socket,
      owned: false,
      signal: opts.signal,
      decode: (r, meta) => {
        if (id !== undefined && r.type !== id) return undefined;
        const cmd = id !== undefined ? readGenlHeader(r).cmd : r.type;
        const o = opByReply(this.def, cmd, true);
        if (!o) return undefined;
        return { op: o.name, cmd, group: meta.group, value: decodeOp(this.def, o, r) };
      },
      join: (sock) => {
        for (const g of ids) sock.join(g);
      },
    });
  }

  // A multicast group's number: from the controller for genetlink, from the declaration otherwise.
  private groupId(group: string): number {
    const known = this.family ? this.family.groups.map((g) => ({ name: g.name, value: g.id })) : this.def.groups;
    const g = known.find((x) => x.name === group);
    if (!g || g.value === undefined) {
      throw new TypeError(`${this.def.name}: no multicast group "${group}" (known: ${known.map((x) => x.name).join(', ') || 'none'})`);
    }
    return g.value;
  }

  /** Closes the socket when this client opened it. */
  close(): void {
    if (!this.ownsSocket) return;
    if (this.genl) this.genl.close();
    else this.socket.close();
  }

  /** Same as close(), for `await using`. */
  async [Symbol.asyncDispose](): Promise<void> {
    this.close();
  }

  private async messageType(): Promise<number | undefined> {
    return (await this.info())?.id;
  }

  private async encode(o: OpDef, flags: number, value: Record<string, unknown>): Promise<Uint8Array> {
    const id = this.genl ? (await this.genl.resolve(this.def.name)).id : 0;
    return encodeOp(this.def, o, id, flags, value);
  }

  // The socket names only the family ('ethtool'); errors of an operation name it ('ethtool.channels-set').
  private named(e: unknown, o: OpDef): unknown {
    const op = `${this.def.name}.${o.name}`;
    if (!(e instanceof NetlinkError) || e.op === op) return e;
    return NetlinkError.wrap(op, e);
  }
}
