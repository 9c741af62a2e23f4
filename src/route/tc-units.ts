// Rates, sizes and times as tc writes and prints them (iproute2's tc_util.c): `10mbit`, `1500b`,
// `32kb`, `50ms`. Rates are bytes per second, sizes bytes, times microseconds (tc's
// TIME_UNITS_PER_SEC). Ticks are the kernel's psched ticks, read from /proc/net/psched like tc.
import { readFileSync } from 'node:fs';

const USEC_PER_SEC = 1e6;

// tc's rate suffixes and their scale in bits per second (case-insensitive, as get_rate64).
const RATE_SUFFIXES: [string, number][] = [
  ['bit', 1], ['kibit', 1024], ['kbit', 1000], ['mibit', 1024 ** 2], ['mbit', 1e6], ['gibit', 1024 ** 3], ['gbit', 1e9],
  ['tibit', 1024 ** 4], ['tbit', 1e12], ['bps', 8], ['kibps', 8 * 1024], ['kbps', 8000], ['mibps', 8 * 1024 ** 2],
  ['mbps', 8e6], ['gibps', 8 * 1024 ** 3], ['gbps', 8e9], ['tibps', 8 * 1024 ** 4], ['tbps', 8e12],
];

function numberPrefix(s: string): [number, string] | undefined {
  const m = /^([0-9]*\.?[0-9]+(?:[eE][-+]?[0-9]+)?)(.*)$/.exec(s.trim());
  return m ? [Number(m[1]), m[2]!] : undefined;
}

/** Parses a rate (`10mbit`, `1.5gbit`, `100kbps`; no unit is bits per second) into bytes per second, or undefined. */
export function parseTcRate(s: string): number | undefined {
  const n = numberPrefix(s);
  if (!n) return undefined;
  let [v, unit] = n;
  if (unit) {
    const hit = RATE_SUFFIXES.find(([name]) => name === unit.toLowerCase());
    if (!hit) return undefined;
    v *= hit[1];
  }
  return Math.trunc(v / 8);
}

/** Parses a size (`1500`, `1500b`, `32kb`, `2mb`, `1gb`, `64kbit`) into bytes, or undefined. */
export function parseTcSize(s: string): number | undefined {
  const n = numberPrefix(s);
  if (!n) return undefined;
  let [v, unit] = n;
  const u = unit.toLowerCase();
  if (u === 'kb' || u === 'k') v *= 1024;
  else if (u === 'mb' || u === 'm') v *= 1024 ** 2;
  else if (u === 'gb' || u === 'g') v *= 1024 ** 3;
  else if (u === 'gbit') v *= 1024 ** 3 / 8;
  else if (u === 'mbit') v *= 1024 ** 2 / 8;
  else if (u === 'kbit') v *= 1024 / 8;
  else if (u !== '' && u !== 'b') return undefined;
  return Math.trunc(v);
}

/** Parses a time (`50ms`, `1s`, `200us`; no unit is microseconds) into microseconds, or undefined. */
export function parseTcTime(s: string): number | undefined {
  const n = numberPrefix(s);
  if (!n) return undefined;
  const [v, unit] = n;
  const u = unit.toLowerCase();
  if (u === 's' || u === 'sec' || u === 'secs') return Math.trunc(v * USEC_PER_SEC);
  if (u === 'ms' || u === 'msec' || u === 'msecs') return Math.trunc(v * 1000);
  if (u === '' || u === 'us' || u === 'usec' || u === 'usecs') return Math.trunc(v);
  return undefined;
}

/** Formats a rate in bytes per second as tc prints it (`10Mbit`, `1500Kbit`, `64bit`). */
export function formatTcRate(bytesPerSec: number | bigint): string {
  const units = ['', 'K', 'M', 'G', 'T'];
  let rate = Number(bytesPerSec) * 8;
  // Integer division, as the C does on its __u64.
  let i = 0;
  for (; i < units.length - 1; i++) {
    if (rate < 1000) break;
    if (rate % 1000 !== 0 && rate < 1000 * 1000) break;
    rate = Math.trunc(rate / 1000);
  }
  return `${Math.round(rate)}${units[i]}bit`;
}

/** C's %g for the small numbers tc prints. */
const g = (x: number): string => String(Number(x.toPrecision(6)));

/** Formats a size in bytes as tc prints it (`1600b`, `15Kb`, `2Mb`). */
export function formatTcSize(bytes: number): string {
  const mb = 1024 * 1024;
  if (bytes >= mb && Math.abs(mb * Math.round(bytes / mb) - bytes) < 1024) return `${g(Math.round(bytes / mb))}Mb`;
  if (bytes >= 1024 && Math.abs(1024 * Math.round(bytes / 1024) - bytes) < 16) return `${g(Math.round(bytes / 1024))}Kb`;
  return `${bytes >>> 0}b`;
}

/** C's %.3g: three significant digits, no trailing zeros. */
const g3 = (x: number): string => String(Number(x.toPrecision(3)));

/** Formats a time in microseconds as tc prints it (`50ms`, `15.8ms`, `1.23s`, `200us`: %.3g). */
export function formatTcTime(usec: number): string {
  if (usec >= USEC_PER_SEC) return `${g3(usec / USEC_PER_SEC)}s`;
  if (usec >= 1000) return `${g3(usec / 1000)}ms`;
  return `${Math.trunc(usec)}us`;
}

let ticksPerUsec: number | undefined;

/** Psched ticks per microsecond, from /proc/net/psched as tc computes it (tc_core_init). */
export function tcTicksPerUsec(): number {
  if (ticksPerUsec !== undefined) return ticksPerUsec;
  const [t2usRead, us2t, clockRes] = readFileSync('/proc/net/psched', 'latin1').trim().split(/\s+/).map((x) => parseInt(x, 16)) as [number, number, number];
  // tc's compatibility rule: a nanosecond clock advertises a tick multiplier of 1000 that really is 1.
  const t2us = clockRes === 1000000000 ? us2t : t2usRead;
  ticksPerUsec = (t2us / us2t) * (clockRes / USEC_PER_SEC);
  return ticksPerUsec;
}

/** The psched ticks to send `size` bytes at `rate` bytes per second (tc_calc_xmittime): what htb and tbf take as buffer. */
export function tcXmitTime(rate: number, size: number): number {
  return Math.trunc(USEC_PER_SEC * (size / rate) * tcTicksPerUsec());
}

/** The bytes sent in `ticks` at `rate` (tc_calc_xmitsize): how tc prints a buffer back as a burst. */
export function tcXmitSize(rate: number, ticks: number): number {
  return Math.trunc((rate * (ticks / tcTicksPerUsec())) / USEC_PER_SEC);
}
