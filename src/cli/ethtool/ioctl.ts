// `ethtool -i` and `-S`: driver information and NIC statistics exist only as the SIOCETHTOOL
// ioctl (ethtool netlink has no message for them), so these two go through
// NetlinkSocket.ethtoolIoctl on the ethtool family's socket, in its namespace, as ethtool does.
// Structs per <linux/ethtool.h>:
//
//   ethtool_drvinfo   cmd, driver[32], version[32], fw_version[32], bus_info[32],
//                     erom_version[32], reserved2[12], n_priv_flags, n_stats, testinfo_len,
//                     eedump_len, regdump_len                                  (196 bytes)
//   ethtool_sset_info cmd, reserved, u64 sset_mask, u32 data[one per set asked]
//   ethtool_gstrings  cmd, string_set, len, u8 data[len * ETH_GSTRING_LEN]
//   ethtool_stats     cmd, n_stats, u64 data[n_stats]
import type { NetlinkSocket } from '../../socket/index.js';
import { SocketError } from '../../socket/index.js';
import { HOST_LE, decodeText } from '../../wire/index.js';

/** ETHTOOL_* ioctl commands and sizes from <linux/ethtool.h>. */
export const ETHTOOL_GDRVINFO = 0x03;
export const ETHTOOL_GSTRINGS = 0x1b;
export const ETHTOOL_GSTATS = 0x1d;
export const ETHTOOL_GSSET_INFO = 0x37;
export const ETH_SS_STATS = 1;
export const ETH_GSTRING_LEN = 32;
const DRVINFO_SIZE = 196;

/** ethtool's failure: its perror() line and exit status. */
export class EthtoolFailure extends Error {
  readonly status: number;
  constructor(message: string, status: number) {
    super(message);
    this.name = 'EthtoolFailure';
    this.status = status;
  }
}

function perror(what: string, e: unknown, status: number): EthtoolFailure {
  if (!(e instanceof SocketError) || e.errno === undefined) return e as EthtoolFailure;
  const text = e.message.replace(/^ethtool ioctl: (ioctl: )?/, '').replace(/ \([A-Z0-9]+\)$/, '');
  return new EthtoolFailure(`${what}: ${text}`, status);
}

function cstr(b: Uint8Array, at: number, len: number): string {
  const s = b.subarray(at, at + len);
  const nul = s.indexOf(0);
  return decodeText(nul < 0 ? s : s.subarray(0, nul));
}

interface Drvinfo {
  driver: string; version: string; fwVersion: string; busInfo: string; eromVersion: string;
  nPrivFlags: number; nStats: number; testinfoLen: number; eedumpLen: number; regdumpLen: number;
}

function drvinfo(sock: NetlinkSocket, dev: string): Drvinfo {
  const b = new Uint8Array(DRVINFO_SIZE);
  const dv = new DataView(b.buffer);
  dv.setUint32(0, ETHTOOL_GDRVINFO, HOST_LE);
  sock.ethtoolIoctl(dev, b);
  const u = (at: number) => dv.getUint32(at, HOST_LE);
  return {
    driver: cstr(b, 4, 32), version: cstr(b, 36, 32), fwVersion: cstr(b, 68, 32), busInfo: cstr(b, 100, 32), eromVersion: cstr(b, 132, 32),
    nPrivFlags: u(176), nStats: u(180), testinfoLen: u(184), eedumpLen: u(188), regdumpLen: u(192),
  };
}

/** `ethtool -i DEV`. */
export function driverText(sock: NetlinkSocket, dev: string): string {
  let d: Drvinfo;
  try {
    d = drvinfo(sock, dev);
  } catch (e) {
    throw perror('Cannot get driver information', e, 71);
  }
  const yn = (n: number) => (n ? 'yes' : 'no');
  return `driver: ${d.driver}\nversion: ${d.version}\nfirmware-version: ${d.fwVersion}\nexpansion-rom-version: ${d.eromVersion}\n` +
    `bus-info: ${d.busInfo}\nsupports-statistics: ${yn(d.nStats)}\nsupports-test: ${yn(d.testinfoLen)}\n` +
    `supports-eeprom-access: ${yn(d.eedumpLen)}\nsupports-register-dump: ${yn(d.regdumpLen)}\nsupports-priv-flags: ${yn(d.nPrivFlags)}\n`;
}

// The number of strings in ETH_SS_STATS: GSSET_INFO, else drvinfo's n_stats (ethtool's get_stringset).
function statsCount(sock: NetlinkSocket, dev: string): number {
  const b = new Uint8Array(20);
  const dv = new DataView(b.buffer);
  dv.setUint32(0, ETHTOOL_GSSET_INFO, HOST_LE);
  dv.setBigUint64(8, 1n << BigInt(ETH_SS_STATS), HOST_LE);
  try {
    sock.ethtoolIoctl(dev, b);
    if (dv.getBigUint64(8, HOST_LE) & (1n << BigInt(ETH_SS_STATS))) return dv.getUint32(16, HOST_LE);
    return 0;
  } catch (e) {
    if (!(e instanceof SocketError) || e.code !== 'EOPNOTSUPP') throw e;
  }
  return drvinfo(sock, dev).nStats;
}

/** `ethtool -S DEV`: the driver's statistics by name. */
export function statsText(sock: NetlinkSocket, dev: string): string {
  let names: string[];
  try {
    const n = statsCount(sock, dev);
    const b = new Uint8Array(12 + n * ETH_GSTRING_LEN);
    const dv = new DataView(b.buffer);
    dv.setUint32(0, ETHTOOL_GSTRINGS, HOST_LE);
    dv.setUint32(4, ETH_SS_STATS, HOST_LE);
    dv.setUint32(8, n, HOST_LE);
    if (n) sock.ethtoolIoctl(dev, b);
    names = Array.from({ length: Math.min(n, dv.getUint32(8, HOST_LE)) }, (_, i) => cstr(b, 12 + i * ETH_GSTRING_LEN, ETH_GSTRING_LEN));
  } catch (e) {
    throw perror('Cannot get stats strings information', e, 96);
  }
  if (names.length < 1) throw new EthtoolFailure('no stats available', 94);
  const b = new Uint8Array(8 + names.length * 8);
  const dv = new DataView(b.buffer);
  dv.setUint32(0, ETHTOOL_GSTATS, HOST_LE);
  dv.setUint32(4, names.length, HOST_LE);
  try {
    sock.ethtoolIoctl(dev, b);
  } catch (e) {
    throw perror('Cannot get stats information', e, 96);
  }
  return 'NIC statistics:\n' + names.map((name, i) => `     ${name}: ${dv.getBigUint64(8 + i * 8, HOST_LE)}\n`).join('');
}
