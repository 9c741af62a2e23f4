// The NETLINK_SOCK_DIAG socket every diag/ function uses: the caller's, or one opened for the
// call (in `netns` when given) and closed when the call, or the iteration of a dump, ends.
import { Dump, NetlinkSocket, type FamilyOptions, type NetnsSpec } from '../socket/index.js';
import { NETLINK_SOCK_DIAG } from '../wire/index.js';
import { SOCK_DESTROY, SOCK_DIAG_BY_FAMILY } from './constants.js';

const NAMES = new Map<number, string>([[SOCK_DIAG_BY_FAMILY, 'SOCK_DIAG_BY_FAMILY'], [SOCK_DESTROY, 'SOCK_DESTROY']]);

/** The C name of a sock_diag message type, for errors ('SOCK_DESTROY: Operation not permitted'). */
export function diagMsgName(type: number): string | undefined {
  return NAMES.get(type);
}

/** Opens a NETLINK_SOCK_DIAG socket. Pass it as `{ socket }` to run many calls on one socket; close() it after. */
export function openDiag(opts: { netns?: NetnsSpec; groups?: number[]; rcvbuf?: number; readAhead?: boolean } = {}): NetlinkSocket {
  return NetlinkSocket.open(NETLINK_SOCK_DIAG, {
    ...(opts.readAhead ? { readAhead: true } : {}),
    ...(opts.netns !== undefined ? { netns: opts.netns } : {}),
    ...(opts.groups ? { groups: opts.groups } : {}),
    ...(opts.rcvbuf ? { rcvbuf: opts.rcvbuf } : {}),
    typeName: diagMsgName,
  });
}

/** Runs `fn` on the caller's socket, or on one opened (and closed) for it. */
export async function withDiagSocket<T>(opts: FamilyOptions, fn: (sock: NetlinkSocket) => Promise<T>): Promise<T> {
  if (opts.socket) return fn(opts.socket);
  const sock = openDiag(opts.netns !== undefined ? { netns: opts.netns } : {});
  try {
    return await fn(sock);
  } finally {
    sock.close();
  }
}

/** Decodes one datagram's messages, appending to `out` (the codec's decodeAll, then a fix-up per item). */
export type DiagBatchDecoder<T> = (buf: Uint8Array, dv: DataView, offsets: readonly number[], out: T[]) => void;

/** A Dump of one sock_diag request. */
export function diagDump<T>(opts: FamilyOptions, request: Uint8Array, decodeBatch: DiagBatchDecoder<T>, headerSize: number, filter?: (item: T) => boolean): Dump<T> {
  const netns = opts.netns;
  return new Dump<T>({
    socket: opts.socket,
    open: () => openDiag({ readAhead: true, ...(netns !== undefined ? { netns } : {}) }),
    request,
    decodeBatch: decodeBatch as never,
    headerSize,
    signal: opts.signal,
    ...(opts.timeout !== undefined ? { timeout: opts.timeout } : {}),
    ...(filter ? { filter } : {}),
  });
}

/**
 * A Dump made of several dumps run one after the other on one socket (inet_diag answers one
 * address family per request, so "IPv4 and IPv6" is two requests, as in ss).
 */
export class ChainedDump<T> extends Dump<T> {
  private readonly parts: Dump<T>[];

  /** @internal */
  constructor(opts: FamilyOptions, parts: ((o: FamilyOptions) => Dump<T>)[]) {
    super({ socket: opts.socket, open: () => openDiag(), request: new Uint8Array(0) });
    this.opts = opts;
    this.makers = parts;
    this.parts = [];
  }

  private readonly opts: FamilyOptions;
  private readonly makers: ((o: FamilyOptions) => Dump<T>)[];

  override get interrupted(): boolean {
    return this.parts.some((p) => p.interrupted);
  }

  override async *batches(): AsyncGenerator<T[], void, undefined> {
    const own = this.opts.socket ? undefined : openDiag({ readAhead: true, ...(this.opts.netns !== undefined ? { netns: this.opts.netns } : {}) });
    try {
      this.parts.length = 0;
      const o: FamilyOptions = { ...this.opts, socket: this.opts.socket ?? own! };
      for (const make of this.makers) {
        const d = make(o);
        this.parts.push(d);
        yield* d.batches();
      }
    } finally {
      own?.close();
    }
  }
}
