// Loads the native addon (prebuilt via prebuildify, or compiled by node-gyp on install).
import { fs, nodeModule, path } from '../builtins.js';
import { packageRoot } from '../package-root.js';

/**
 * The receive callback: one call per datagram or error, synchronously from the poll wake-up.
 * When `buf` is given, the datagram is in `buf` rather than the buffer given to
 * start()/setBuffer(): memory of the transport's own (a read-ahead slot), valid during this call
 * only and reused afterwards, so the callback copies whatever it keeps (as with the buffer).
 */
export type RecvCallback = (
  status: number, length: number, portid: number, groups: number, group: number, nsid: number, truncated: boolean,
  buf?: Uint8Array,
) => void;

/**
 * A Transport is what NetlinkSocket drives: the native socket (native/nlsock.c), or another
 * implementation with the same contract such as server/'s in-process bus. Sync methods throw
 * an Error with `errno`, `code` and `syscall`; received datagrams are written into the buffer
 * given to start()/setBuffer() (or passed as the callback's `buf`) and announced through the
 * callback, which never throws. close() releases the socket's resources before it returns.
 */
export interface Transport {
  bind(portid: number, groups: number): void;
  getsockname(): [number, number];
  setsockopt(level: number, name: number, value: number): void;
  getsockopt(level: number, name: number): number;
  send(data: Uint8Array, portid: number, groups: number): number;
  /** Starts receiving into `buffer`; with `readAhead`, on a thread of its own (see OpenOptions.readAhead). */
  start(cb: RecvCallback, buffer: Uint8Array, readAhead?: boolean): void;
  setBuffer(buffer: Uint8Array): void;
  pause(): void;
  resume(): void;
  ref(): void;
  unref(): void;
  close(): void;
  fd(): number;
  /**
   * SCM_CREDENTIALS [pid, uid, gid] of the datagram whose callback is running (with
   * SO_PASSCRED on), else null. Optional: transports that cannot tell omit it.
   */
  lastCredentials?(): [number, number, number] | null;
  /**
   * With `on`, a datagram larger than the buffer is first announced as callback(-EMSGSIZE,
   * size) while it stays queued, so a setBuffer() in that call receives it whole. Optional.
   */
  peekSizes?(on: boolean): void;
  /** The SIOCETHTOOL ioctl for the ethtool commands netlink lacks (see NetlinkSocket.ethtoolIoctl). Optional. */
  ethtool?(ifname: string, data: Uint8Array): void;
}

/** The native socket (native/nlsock.c). */
export type NativeSocket = Transport;

/** Opens a transport for a protocol, optionally inside the namespace at `nspath`. */
export type TransportFactory = (protocol: number, nspath: string | null) => Transport;

interface Addon {
  NativeSocket: new (protocol: number, nspath: string | null) => NativeSocket;
  deviceIoctl?: (nspath: string | null, target: 'tun' | 'inet', ops: [number, Uint8Array | number][]) => [number, number];
}

/**
 * Device ioctls rtnetlink has no message for (tun/tap creation, link-layer multicast): opens
 * `target` (/dev/net/tun, or an AF_INET socket) in the namespace at `nspath`, runs `ops` in order
 * (a buffer is passed by address and gets the kernel's answer; a number is passed by value) and
 * closes it. Returns [errno, index of the failed op], [0, -1] on success.
 */
export function deviceIoctl(nspath: string | null, target: 'tun' | 'inet', ops: [number, Uint8Array | number][]): [number, number] {
  const fn = loadAddon().deviceIoctl;
  if (!fn) throw new Error('the native addon predates deviceIoctl: rebuild it (npm install)');
  return fn(nspath, target, ops);
}

let addon: Addon | undefined;

/** The loaded addon; loading is deferred so that pure users of wire/ never need it. */
export function loadAddon(): Addon {
  if (!addon) {
    const root = packageRoot(import.meta.url);
    // node-gyp-build's first choice, a local build, opened directly: its search (package.json,
    // directory listings, the CommonJS loader) costs a few milliseconds of every process's start.
    const local = path.join(root, 'build', 'Release', 'nlsock.node');
    if (!process.env.PREBUILDS_ONLY && !process.env.NLKIT_PREBUILD && fs.existsSync(local)) {
      const m = { exports: {} as Addon };
      process.dlopen(m, local);
      addon = m.exports;
    } else {
      const load = nodeModule.createRequire(import.meta.url)('node-gyp-build') as (dir: string) => Addon;
      addon = load(root);
    }
  }
  return addon;
}
