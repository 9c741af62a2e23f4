// The user-space programs of the tutorial as a library: resolve (the family and its groups),
// change (set myvar with an ACK), get, and event (every change of myvar).
import { Controller, type FamilyInfo } from '../../genl/index.js';
import { NetlinkSocket, Subscription, type OpenOptions } from '../../socket/index.js';
import { compileSet } from '../../schema/index.js';
import { nlexSet } from './family.js';
import { MessageWriter, NLM_F_ECHO, type MessageReader } from '../../wire/index.js';
import type { Credentials } from '../credentials.js';
import { PeerGuard } from '../peer-guard.js';
import { GENL_HDRLEN } from '../uapi.js';
import {
  NLE_MYVAR, NLEX_CMD_GET, NLEX_CMD_UPD, NLEX_FAMILY, NLEX_GROUP, NLEX_GRP_MYVAR, NLEX_MSG_GET, NLEX_MSG_UPD,
  NLEX_VERSION,
} from './protocol.js';
import { NLEX_PROTOCOL } from './service.js';

/** Which flavour of nlex to speak. */
export type NlexFlavour = 'genl' | 'classic';

/** Options of {@link NlexClient.open}. */
export interface NlexClientOptions extends OpenOptions {
  /** 'genl' (default) or 'classic'. */
  flavour?: NlexFlavour;
  /** The protocol the server is on (default NETLINK_USERSOCK). */
  protocol?: number;
  /**
   * Users the server may be run by (checked on its first datagram, from the credentials the
   * kernel attaches): default root and the caller's own uid; 'any' to skip the check.
   */
  trustUids?: readonly number[] | 'any';
}

/** A change of myvar seen by events(): the value and the port id of the socket that changed it. */
export interface NlexChange {
  value: number;
  /** nlmsg_pid of the notification: the origin of the change. */
  origin: number;
}

/**
 * NlexClient talks to an nlex server, either flavour, through a NetlinkSocket: over
 * NETLINK_USERSOCK to a server's port id (`peer`), or over any Transport (the in-process bus).
 */
export class NlexClient implements AsyncDisposable {
  /** The socket. */
  readonly socket: NetlinkSocket;
  /** The flavour spoken. */
  readonly flavour: NlexFlavour;
  private family: Promise<FamilyInfo> | undefined;
  private resolved: FamilyInfo | undefined;

  private constructor(socket: NetlinkSocket, flavour: NlexFlavour, private readonly guard: PeerGuard) {
    this.socket = socket;
    this.flavour = flavour;
  }

  /** Datagrams dropped: `foreign` (not from the server's port), `untrusted` (from a server run by an untrusted user). */
  get stats(): Readonly<{ foreign: number; untrusted: number }> {
    return this.guard.stats;
  }

  /** Why the client stopped talking to the server (run by an untrusted user), if it did. */
  get refusal(): Error | undefined {
    return this.guard.signal.aborted ? (this.guard.signal.reason as Error) : undefined;
  }

  /** Who runs the server (the credentials of its last datagram), once it has answered. */
  get owner(): Credentials | undefined {
    return this.guard.owner;
  }

  /** Opens a socket to the server. */
  static open(opts: NlexClientOptions = {}): NlexClient {
    const flavour = opts.flavour ?? 'genl';
    const names: Record<number, string> = flavour === 'classic'
      ? { [NLEX_MSG_UPD]: 'NLEX_MSG_UPD', [NLEX_MSG_GET]: 'NLEX_MSG_GET' }
      : { 0x10: 'nlctrl' };
    const peer = opts.peer ?? 0;
    const guard = new PeerGuard({
      peer,
      ...(opts.trustUids !== undefined ? { trustUids: opts.trustUids } : {}),
      describe: `the nlex server on port 0x${peer.toString(16)}`,
    });
    const socket = NetlinkSocket.open(opts.protocol ?? NLEX_PROTOCOL, {
      typeName: (t) => names[t] ?? (flavour === 'genl' ? NLEX_FAMILY : undefined),
      ...opts,
      transport: guard.factory(opts.transport),
    });
    return new NlexClient(socket, flavour, guard);
  }

  /**
   * Asks the server's controller for the nlex family (CTRL_CMD_GETFAMILY by name): its id and
   * multicast groups, as the tutorial's resolver prints them. Generic netlink flavour only.
   */
  resolve(opts: { signal?: AbortSignal } = {}): Promise<FamilyInfo> {
    if (this.flavour !== 'genl') return Promise.reject(new TypeError('the classic nlex protocol has no family to resolve'));
    if (!this.family) {
      this.family = new Controller(this.socket).getFamily(NLEX_FAMILY, { signal: this.signal(opts.signal) }).then((f) => (this.resolved = f));
      this.family.catch(() => (this.family = undefined));
    }
    return this.family;
  }

  /**
   * Sets myvar and waits for the ACK. With `echo`, the server sends the change notification
   * back to this socket (once, even if it also listens) and its value is returned.
   */
  async set(value: number, opts: { echo?: boolean; signal?: AbortSignal } = {}): Promise<number | undefined> {
    const msg = await this.message(NLEX_MSG_UPD, NLEX_CMD_UPD, opts.echo ? NLM_F_ECHO : 0, (w) => w.attrU32(NLE_MYVAR, value >>> 0));
    const r = await this.socket.request(msg, { signal: this.signal(opts.signal), headerSize: this.headerSize });
    for (const m of r.messages) {
      const v = valueOf(m.payload, this.headerSize);
      if (v !== undefined) return v;
    }
    return undefined;
  }

  /** Reads myvar. */
  async get(opts: { signal?: AbortSignal } = {}): Promise<number> {
    const msg = await this.message(NLEX_MSG_GET, NLEX_CMD_GET, 0);
    const r = await this.socket.request(msg, { signal: this.signal(opts.signal), headerSize: this.headerSize });
    for (const m of r.messages) {
      const v = valueOf(m.payload, this.headerSize);
      if (v !== undefined) return v;
    }
    throw new Error('the nlex server answered without NLE_MYVAR');
  }

  /**
   * Joins the notification group (nlex has one, "example") and yields every change of myvar; an
   * Overrun item says changes were lost. Classic: group 1. Generic netlink: the family's
   * "example" group, so resolve() first. Joined when it returns: changes from then on are seen.
   */
  events(groups: readonly string[] = [NLEX_GROUP], opts: { signal?: AbortSignal } = {}): Subscription<NlexChange> {
    for (const g of groups) if (g !== NLEX_GROUP) throw new TypeError(`nlex has no group "${g}" (it has: ${NLEX_GROUP})`);
    const { group, type } = this.notifications();
    const hs = this.headerSize;
    return new Subscription<NlexChange>({
      socket: this.socket,
      owned: false,
      // The guard ends the iteration when the server turns out to be run by a stranger (see refusal).
      signal: this.signal(opts.signal),
      decode: (r: MessageReader, meta) => {
        if (r.type !== type || meta.group !== group) return undefined;
        if (hs && r.buf[r.payloadStart] !== NLEX_CMD_UPD) return undefined;
        const v = valueOf(r.buf.subarray(r.payloadStart, r.payloadEnd), hs);
        return v === undefined ? undefined : ({ value: v, origin: r.pid } satisfies NlexChange);
      },
      join: (sock) => {
        if (groups.length > 0) sock.join(group);
      },
    });
  }

  /** The notification group and message type: fixed (classic), or the resolved family's (genl). */
  notifications(): { group: number; type: number } {
    if (this.flavour !== 'genl') return { group: NLEX_GRP_MYVAR, type: NLEX_MSG_UPD };
    const f = this.resolved;
    if (!f) throw new TypeError('nlex: resolve() the family before subscribing to its events');
    const g = f.groups.find((x) => x.name === NLEX_GROUP);
    if (!g) throw new TypeError(`family ${NLEX_FAMILY} has no group "${NLEX_GROUP}"`);
    return { group: g.id, type: f.id };
  }

  /** Closes the socket. */
  close(): void {
    this.socket.close();
  }

  /** Same as close(), for `await using`. */
  async [Symbol.asyncDispose](): Promise<void> {
    this.close();
  }

  /** `s` or the guard's refusal, whichever comes first. */
  private signal(s: AbortSignal | undefined): AbortSignal {
    return s ? AbortSignal.any([s, this.guard.signal]) : this.guard.signal;
  }

  private get headerSize(): number {
    return this.flavour === 'genl' ? GENL_HDRLEN : 0;
  }

  private async message(classicType: number, cmd: number, flags: number, fill?: (w: MessageWriter) => void): Promise<Uint8Array> {
    const w = new MessageWriter(64);
    if (this.flavour === 'classic') {
      w.begin(classicType, flags);
    } else {
      const f = await this.resolve();
      w.begin(f.id, flags);
      const at = w.struct(GENL_HDRLEN);
      w.view.setUint8(at, cmd);
      w.view.setUint8(at + 1, NLEX_VERSION);
    }
    fill?.(w);
    w.end();
    return w.toBytes();
  }
}

/** The one declaration of enum nlexample_attr (nlex/family.ts), compiled: both flavours decode with it. */
const nlexAttrs = compileSet(nlexSet);

/** NLE_MYVAR of a message payload whose attributes start after `headerSize` bytes. */
function valueOf(payload: Uint8Array, headerSize: number): number | undefined {
  const view = new DataView(payload.buffer, payload.byteOffset, payload.byteLength);
  return nlexAttrs.decode(payload, view, (headerSize + 3) & ~3, payload.byteLength).myvar;
}
