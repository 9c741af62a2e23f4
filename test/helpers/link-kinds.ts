// The link kinds this kernel lacks (gre, bond, vrf, can, …) are tested against ip's own
// encoding and printing instead of the kernel's:
//
// - requests: the same `link add … type KIND ARGS` lines go through `ip -force -batch` (its
//   RTM_NEWLINK requests seen by strace) and `nlkit ip -force -batch` (its requests recorded by
//   NLKIT_PCAP); each line's request must be the same bytes, and both must say the same about
//   the kernel's refusal;
// - printing: link messages carrying a kind's IFLA_INFO_DATA (ip's own requests, or fuller
//   ones a test builds) go through `ip -d monitor file` and `nlkit ip -d monitor file`, which
//   must print the same text;
// - mistakes: lines one at a time through both, same stdout, stderr and exit status.
//
// strace is the one way here to see another process's requests: this kernel has no nlmon, and a
// stand-in socket would need native code in ip's process. Tests skip with the reason without it.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { nlkit } from './cli.js';
import { hasTool } from './netns.js';

const RTM_NEWLINK = 16;
const RTM_DELLINK = 17;

/** One line's request from each tool (the payload after nlmsghdr, and the nlmsg_flags). */
export interface RequestPair {
  line: string;
  ip: Request;
  nlkit: Request;
}

/** A link request: nlmsg_type, nlmsg_flags and the payload (ifinfomsg + IFLA_* attributes). */
export interface Request {
  type: number;
  flags: number;
  payload: Uint8Array;
}

/** Why requests cannot be compared here, or undefined when they can. */
export function cannotCompareRequests(): string | undefined {
  return hasTool('strace') ? undefined : 'strace is not installed: the requests ip sends cannot be seen';
}

/** What both tools did with one batch of lines. */
export interface BatchResult {
  pairs: RequestPair[];
  ip: { status: number | null; stderr: string };
  nlkit: { status: number | null; stderr: string };
}

/**
 * Runs `lines` (each an `ip` command line without `ip`, e.g. `link add g1 type gre remote
 * 192.0.2.1`) through `ip -n NS -force -batch -` under strace and `nlkit ip -n NS -force
 * -batch -` with NLKIT_PCAP, and pairs their RTM_NEWLINK/RTM_DELLINK requests line by line.
 * Each line must send exactly one such request in both tools. `between` runs after ip's batch
 * (to undo what the kernel made of it).
 */
export function requestsOfBoth(ns: string, lines: readonly string[], between: () => void = () => undefined): BatchResult {
  const dir = mkdtempSync(join(tmpdir(), 'nlkit-kinds-'));
  try {
    const input = lines.join('\n') + '\n';
    const trace = join(dir, 'trace');
    const ipRun = spawnSync('strace', ['-e', 'trace=sendmsg', '-xx', '-s', '65535', '-o', trace, 'ip', '-n', ns, '-force', '-batch', '-'], { input, encoding: 'utf8' });
    const ipSent = straceRequests(readFileSync(trace, 'utf8'));
    between();
    const pcap = join(dir, 'pcap');
    const mine = nlkit(['ip', '-n', ns, '-force', '-batch', '-'], { input, env: { NLKIT_PCAP: pcap } });
    const mineSent = pcapRequests(readFileSync(pcap));
    if (ipSent.length !== lines.length) throw new Error(`ip sent ${ipSent.length} link requests for ${lines.length} lines:\n${ipRun.stderr}`);
    if (mineSent.length !== lines.length) throw new Error(`nlkit sent ${mineSent.length} link requests for ${lines.length} lines:\n${mine.stderr}`);
    return {
      pairs: lines.map((line, i) => ({ line, ip: ipSent[i]!, nlkit: mineSent[i]! })),
      ip: { status: ipRun.status, stderr: ipRun.stderr },
      nlkit: { status: mine.status, stderr: mine.stderr },
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The link requests in strace's `-e trace=sendmsg -xx` output, in order. */
function straceRequests(text: string): Request[] {
  const out: Request[] = [];
  const re = /nlmsg_type=(0x[0-9a-f]+|RTM_\w+)[^,]*, nlmsg_flags=([^,]*), nlmsg_seq=\d+, nlmsg_pid=\d+\}, "((?:\\x[0-9a-f]{2})*)"/g;
  for (const m of text.matchAll(re)) {
    const type = m[1] === 'RTM_NEWLINK' ? RTM_NEWLINK : m[1] === 'RTM_DELLINK' ? RTM_DELLINK : Number(m[1]);
    if (type !== RTM_NEWLINK && type !== RTM_DELLINK) continue;
    out.push({ type, flags: straceFlags(m[2]!), payload: Buffer.from(m[3]!.replaceAll('\\x', ''), 'hex') });
  }
  return out;
}

const NLM_F: Record<string, number> = {
  NLM_F_REQUEST: 0x1, NLM_F_MULTI: 0x2, NLM_F_ACK: 0x4, NLM_F_ECHO: 0x8,
  NLM_F_REPLACE: 0x100, NLM_F_EXCL: 0x200, NLM_F_CREATE: 0x400, NLM_F_APPEND: 0x800,
};

/** strace's nlmsg_flags (`NLM_F_REQUEST|NLM_F_ACK|0x600`) as a number. */
function straceFlags(s: string): number {
  let n = 0;
  for (const part of s.split('|')) n |= NLM_F[part] ?? Number(part);
  return n;
}

/** The link requests this process's sockets sent, from an NLKIT_PCAP file. */
function pcapRequests(buf: Buffer): Request[] {
  const out: Request[] = [];
  for (let at = 24; at + 32 <= buf.length;) {
    const caplen = buf.readUInt32LE(at + 8);
    const outgoing = buf.readUInt16BE(at + 16) === 4;
    const data = buf.subarray(at + 32, at + 16 + caplen);
    at += 16 + caplen;
    if (!outgoing) continue;
    for (let m = 0; m + 16 <= data.length;) {
      const len = data.readUInt32LE(m);
      if (len < 16) break;
      const type = data.readUInt16LE(m + 4);
      if (type === RTM_NEWLINK || type === RTM_DELLINK) {
        out.push({ type, flags: data.readUInt16LE(m + 6), payload: Uint8Array.from(data.subarray(m + 16, m + len)) });
      }
      m += (len + 3) & ~3;
    }
  }
  return out;
}

/**
 * The attributes of a payload as readable lines for assertions, in a form where two requests
 * the kernel reads alike compare equal: nests are opened where their bytes parse as attributes
 * (ip sets no NLA_F_NESTED, so nesting is found by shape), siblings are sorted by type (ip adds
 * attributes in the order of its arguments, nlkit in its schema's; duplicates keep their
 * order), and text is shown without its terminating NUL (ip sends some strings unterminated).
 */
export function attributeLines(payload: Uint8Array, header = 16): string[] {
  return [`header ${Buffer.from(payload.subarray(0, header)).toString('hex')}`, ...walk(payload.subarray(header), '')];
}

function walk(b: Uint8Array, indent: string): string[] {
  const dv = new DataView(b.buffer, b.byteOffset, b.byteLength);
  const attrs: { type: number; lines: string[] }[] = [];
  for (let at = 0; at + 4 <= b.byteLength;) {
    const len = dv.getUint16(at, true);
    const type = dv.getUint16(at + 2, true) & 0x3fff;
    if (len < 4 || at + len > b.byteLength) {
      attrs.push({ type: 0x10000, lines: [`${indent}malformed ${Buffer.from(b.subarray(at)).toString('hex')}`] });
      break;
    }
    const body = b.subarray(at + 4, at + len);
    if (looksNested(body)) attrs.push({ type, lines: [`${indent}${type}: {`, ...walk(body, indent + '  '), `${indent}}`] });
    else attrs.push({ type, lines: [`${indent}${type}: ${leaf(body)}`] });
    at += (len + 3) & ~3;
  }
  return attrs.sort((x, y) => x.type - y.type).flatMap((a) => a.lines);
}

function leaf(body: Uint8Array): string {
  const text = body.at(-1) === 0 ? body.subarray(0, -1) : body;
  if (text.length > 1 && text.every((c) => c >= 0x20 && c < 0x7f)) return JSON.stringify(Buffer.from(text).toString('latin1'));
  return Buffer.from(body).toString('hex');
}

function looksNested(b: Uint8Array): boolean {
  if (b.byteLength < 4) return false;
  const dv = new DataView(b.buffer, b.byteOffset, b.byteLength);
  let at = 0;
  while (at + 4 <= b.byteLength) {
    const len = dv.getUint16(at, true);
    if (len < 4 || at + len > b.byteLength) return false;
    at += (len + 3) & ~3;
  }
  return at === b.byteLength || (at > b.byteLength && at - b.byteLength < 4);
}

/** ARPHRD_* a link of each kind has, so both tools print its `link/TYPE` line alike. */
export const ARPHRD = { ether: 1, tunnel: 768, tunnel6: 769, sit: 776, ipgre: 778, ip6gre: 823, can: 280, none: 65534, infiniband: 32, rawip: 519 } as const;

const IFLA_MTU = 4;
const IFLA_LINKINFO = 18;
const IFLA_INFO_KIND = 1;

/**
 * A link notification (RTM_NEWLINK nlmsghdr + ifinfomsg + attributes) made from a request's
 * payload as the kernel would report it: the attributes as sent, the given ifindex and ARPHRD
 * type, IFLA_MTU when the request had none, and the kind NUL-terminated (ip sends it without;
 * its own printer then reads past it).
 */
export function linkMessage(payload: Uint8Array, ifindex: number, arphrd: number): Uint8Array {
  const head = Buffer.from(payload.subarray(0, 16));
  head.writeUInt16LE(arphrd, 2);
  head.writeInt32LE(ifindex, 4);
  const attrs = splitAttributes(payload.subarray(16)).map(([type, body]) => {
    if (type !== IFLA_LINKINFO) return attribute(type, body);
    return attribute(type, Buffer.concat(splitAttributes(body).map(([t, b]) => attribute(t, t === IFLA_INFO_KIND && b.at(-1) !== 0 ? Buffer.concat([b, Buffer.alloc(1)]) : b))));
  });
  if (!splitAttributes(payload.subarray(16)).some(([t]) => t === IFLA_MTU)) attrs.push(attribute(IFLA_MTU, Buffer.from([0xdc, 0x05, 0, 0])));
  const all = Buffer.concat([head, ...attrs]);
  const hdr = Buffer.alloc(16);
  hdr.writeUInt32LE(16 + all.length, 0);
  hdr.writeUInt16LE(RTM_NEWLINK, 4);
  return Buffer.concat([hdr, all]);
}

/** The attributes of `b` as [type (flags kept), body]. */
function splitAttributes(b: Uint8Array): [number, Uint8Array][] {
  const dv = new DataView(b.buffer, b.byteOffset, b.byteLength);
  const out: [number, Uint8Array][] = [];
  for (let at = 0; at + 4 <= b.byteLength;) {
    const len = dv.getUint16(at, true);
    if (len < 4 || at + len > b.byteLength) break;
    out.push([dv.getUint16(at + 2, true), b.subarray(at + 4, at + len)]);
    at += (len + 3) & ~3;
  }
  return out;
}

/** One attribute, padded to 4 bytes. */
function attribute(type: number, body: Uint8Array): Buffer {
  const a = Buffer.alloc((4 + body.length + 3) & ~3);
  a.writeUInt16LE(4 + body.length, 0);
  a.writeUInt16LE(type, 2);
  a.set(body, 4);
  return a;
}

/**
 * What `ip -n NS OPTS monitor file F` and `nlkit ip -n NS OPTS monitor file F` print for
 * `messages` (both ask the namespace's kernel for the links the file does not name).
 */
export function printedByBoth(ns: string, messages: readonly Uint8Array[], opts: readonly string[] = ['-d']): { ip: string; nlkit: string; ipErr: string; nlkitErr: string } {
  const dir = mkdtempSync(join(tmpdir(), 'nlkit-kinds-'));
  try {
    const file = join(dir, 'msgs');
    writeFileSync(file, Buffer.concat(messages));
    const ipRun = spawnSync('ip', ['-n', ns, ...opts, 'monitor', 'file', file], { encoding: 'utf8' });
    const mine = nlkit(['ip', '-n', ns, ...opts, 'monitor', 'file', file]);
    return { ip: ipRun.stdout, nlkit: mine.stdout, ipErr: ipRun.stderr, nlkitErr: mine.stderr };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Each line alone through `ip -n NS` and `nlkit ip -n NS`: their stdout, stderr and status. */
export function mistakesOfBoth(ns: string, lines: readonly string[]): { line: string; ip: string; nlkit: string }[] {
  return lines.map((line) => {
    const argv = line.split(/\s+/);
    const ipRun = spawnSync('ip', ['-n', ns, ...argv], { encoding: 'utf8' });
    const mine = nlkit(['ip', '-n', ns, ...argv]);
    const show = (status: number | null, out: string, err: string) => `status ${status}\n${out}${err}`;
    return { line, ip: show(ipRun.status, ipRun.stdout, ipRun.stderr), nlkit: show(mine.status, mine.stdout, mine.stderr) };
  });
}
