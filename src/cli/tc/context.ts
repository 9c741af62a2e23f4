// One `nlkit tc` command's state: the options, the output, a NETLINK_ROUTE socket in the chosen
// namespace and the link names (tc's ll_map), loaded once and only when a command needs them.
import { dumpLinks, openRoute } from '../../route/index.js';
import type { NetlinkSocket } from '../../socket/index.js';
import type { Output, Sink } from '../ip/output.js';
import { noDevice } from './grammar.js';

/** Global options of `nlkit tc`, as tc parses them before the object. */
export interface TcOptions {
  /** -s, repeatable. */
  stats: number;
  /** -d, repeatable. */
  details: number;
  json: boolean;
  pretty: boolean;
  oneline: boolean;
  /** -t / -ts: timestamps in monitor. */
  timestamp: number;
  /** -n NETNS. */
  netns: string | undefined;
  /** -b FILE / -batch FILE ("-" is stdin). */
  batch?: string;
  /** -force: go on after a failed batch line. */
  force: boolean;
}

/** Where a run's output goes: stdout and stderr by default, collectors in tests. */
export interface TcIo {
  stdout: Sink;
  stderr: (s: string) => void;
}

/** The process's own streams. */
export const processIo = (): TcIo => ({ stdout: process.stdout, stderr: (s) => process.stderr.write(s) });

/** Everything a command needs: options, output, socket, names. */
export class TcContext {
  /** The socket and names, shared by the contexts of one batch. */
  private readonly conn: { sock?: NetlinkSocket; names?: Map<number, string> };
  /** Where the output goes. */
  readonly io: TcIo;

  constructor(readonly opts: TcOptions, readonly out: Output, conn?: TcContext, io?: TcIo) {
    this.conn = conn ? conn.conn : {};
    this.io = io ?? conn?.io ?? processIo();
  }

  /** Writes to stderr. */
  err(s: string): void {
    this.io.stderr(s);
  }

  /** The protocol of the filter being printed (u32's -p names IPv4 fields only for `protocol ip`). */
  filterProtocol = 0;

  /** The same connection with another output (each batch line prints its own). */
  withOutput(out: Output): TcContext {
    return new TcContext(this.opts, out, this);
  }

  /** The socket (opened on first use, in the namespace of -n). */
  get sock(): NetlinkSocket {
    this.conn.sock ??= openRoute({ readAhead: true, ...(this.opts.netns !== undefined ? { netns: this.opts.netns } : {}) });
    return this.conn.sock;
  }

  /** `{ socket }` for route/ calls; the kernel's warnings printed as tc prints them. */
  get lib(): { socket: NetlinkSocket; onWarning: (m: string) => void } {
    return { socket: this.sock, onWarning: (m) => this.err(`Warning: ${m}${m.endsWith('.') ? '' : '.'}\n`) };
  }

  /** Loads the link names (ll_init_map). */
  async linkNames(): Promise<Map<number, string>> {
    if (!this.conn.names) {
      const m = new Map<number, string>();
      for await (const l of dumpLinks({}, this.lib)) m.set(l.ifindex, l.ifname ?? `if${l.ifindex}`);
      this.conn.names = m;
    }
    return this.conn.names;
  }

  /** ll_index_to_name: the name of a link, `if<N>` when unknown. */
  linkName(ifindex: number): string {
    return this.conn.names?.get(ifindex) ?? `if${ifindex}`;
  }

  /** ll_name_to_index, failing as tc does (`Cannot find device "X"`, exit 1). */
  async ifindex(dev: string): Promise<number> {
    const names = await this.linkNames();
    for (const [i, n] of names) if (n === dev) return i;
    const m = /^if(\d+)$/.exec(dev);
    if (m && names.has(Number(m[1]))) return Number(m[1]);
    throw noDevice(dev);
  }

  /** Closes the socket. */
  close(): void {
    this.conn.sock?.close();
    this.conn.sock = undefined;
  }
}
