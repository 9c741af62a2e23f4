// Who may speak to a client of a served family: only the server's port, and only if the
// process behind that port is run by a trusted user (its SCM_CREDENTIALS say who it is).
import { loadAddon, type RecvCallback, type Transport, type TransportFactory } from '../socket/native.js';
import { SocketError } from '../socket/netlink-error.js';
import { SOL_SOCKET } from '../wire/index.js';
import { SO_PASSCRED, credentialsOf, type Credentials } from './credentials.js';
import { EPERM } from './errno.js';

/** Options of {@link PeerGuard}. */
export interface PeerGuardOptions {
  /** The server's port id: the only port whose datagrams are taken. */
  peer: number;
  /**
   * Users the server may be run by. Default: root and the caller's own uid; 'any' takes the
   * port's owner on trust (datagrams from other ports are still dropped).
   */
  trustUids?: readonly number[] | 'any';
  /** Names the server in the refusal, e.g. 'the nlex server on NETLINK_USERSOCK port 0x4e4c4558'. */
  describe?: string;
}

/**
 * PeerGuard wraps a client's transport. Datagrams from any port but the server's are dropped
 * and counted (a forged notification sent to the family's group by another process, a unicast
 * from a stranger): replies are matched by port already, events are not. The server's own
 * datagrams carry the credentials of the process that sent them (SO_PASSCRED, set here): when
 * that process runs as an untrusted user — someone bound the well-known port first — its
 * datagrams are dropped too, and `signal` aborts with an EPERM SocketError that says who it is,
 * so pending requests fail at once instead of timing out. A transport that cannot tell
 * credentials (no lastCredentials()) is taken on trust.
 */
export class PeerGuard {
  /** Datagrams dropped: `foreign` from other ports, `untrusted` from an untrusted server. */
  readonly stats = { foreign: 0, untrusted: 0 };
  /** The credentials of the server's last datagram, once one arrived. */
  owner: Credentials | undefined;
  /** Aborts (reason: an EPERM SocketError) when the server is run by an untrusted user. */
  readonly signal: AbortSignal;
  private readonly ac = new AbortController();
  private readonly trusted: ReadonlySet<number> | 'any';

  constructor(private readonly opts: PeerGuardOptions) {
    this.signal = this.ac.signal;
    const own = process.getuid?.() ?? 0;
    this.trusted = opts.trustUids === 'any' ? 'any' : new Set(opts.trustUids ?? [0, own]);
  }

  /** Wraps `inner` (default: the native socket) so that every socket it opens is guarded. */
  factory(inner?: TransportFactory): TransportFactory {
    return (protocol, nspath) => {
      const t = inner ? inner(protocol, nspath) : new (loadAddon().NativeSocket)(protocol, nspath);
      if (t.lastCredentials) t.setsockopt(SOL_SOCKET, SO_PASSCRED, 1);
      return guarded(t, this);
    };
  }

  /** Decides on one datagram: true to hand it on. Never throws (it runs in a receive callback). */
  take(t: Transport, portid: number): boolean {
    if (portid !== this.opts.peer) {
      this.stats.foreign++;
      return false;
    }
    const c = credentialsOf(t.lastCredentials?.());
    if (!c) return true;
    this.owner = c;
    if (this.trusted === 'any' || this.trusted.has(c.uid)) return true;
    this.stats.untrusted++;
    if (!this.ac.signal.aborted) {
      const who = this.opts.describe ?? `the server on port 0x${this.opts.peer.toString(16)}`;
      const want = [...this.trusted].map((u) => (u === 0 ? 'root' : `uid ${u}`)).join(' or ');
      this.ac.abort(new SocketError(`${who} is run by uid ${c.uid} (pid ${c.pid}), not by ${want}: refusing to talk to it`, 'EPERM', EPERM));
    }
    return false;
  }
}

/** `t` with its receive callback filtered through the guard; every other method as is. */
function guarded(t: Transport, guard: PeerGuard): Transport {
  const start = (cb: RecvCallback, buffer: Uint8Array, readAhead?: boolean) => {
    // Extra arguments a newer addon passes are handed on untouched.
    const filtered = ((status: number, length: number, portid: number, ...rest: unknown[]) => {
      if (status >= 0 && !guard.take(t, portid)) return;
      (cb as (...a: unknown[]) => void)(status, length, portid, ...rest);
    }) as RecvCallback;
    t.start(filtered, buffer, readAhead);
  };
  // A proxy rather than a copy: native methods need their own `this`, and methods a newer
  // transport adds pass through.
  return new Proxy(t, {
    get(target, prop) {
      if (prop === 'start') return start;
      const v = Reflect.get(target, prop) as unknown;
      return typeof v === 'function' ? (v as (...a: unknown[]) => unknown).bind(target) : v;
    },
  });
}
