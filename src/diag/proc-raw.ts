// Raw sockets from /proc/net/raw and /proc/net/raw6, for kernels without raw_diag (inet_diag
// answers ENOENT for IPPROTO_RAW), as ss falls back. The local "port" is the socket's IP
// protocol.
import type { NetnsSpec } from '../socket/index.js';
import { readProcNet } from './proc-net.js';
import { tcpState, type TcpState } from './enums.js';
import type { InetSocketBrief } from './inet-brief.js';

const STATE_NAMES: (TcpState | undefined)[] = [];
for (const [name, v] of Object.entries(tcpState.values as Record<string, number>)) STATE_NAMES[v] = name as TcpState;

/** /proc/net/raw's hex address (u32 words in host order, little-endian here) as text. */
function hexAddr(hex: string): string {
  const b: number[] = [];
  for (let w = 0; w < hex.length; w += 8) for (let k = 6; k >= 0; k -= 2) b.push(parseInt(hex.slice(w + k, w + k + 2), 16));
  if (b.length === 4) return b.join('.');
  const words: string[] = [];
  for (let i = 0; i < 16; i += 2) words.push(((b[i]! << 8) | b[i + 1]!).toString(16));
  // Shortest form as inet_ntop: the longest run of zero words (two or more) becomes '::'.
  let best = -1, bestLen = 0;
  for (let i = 0; i < 8;) {
    if (words[i] !== '0') { i++; continue; }
    let j = i;
    while (j < 8 && words[j] === '0') j++;
    if (j - i > bestLen && j - i >= 2) { best = i; bestLen = j - i; }
    i = j;
  }
  if (b.slice(0, 10).every((x) => x === 0) && b[10] === 0xff && b[11] === 0xff) return `::ffff:${b.slice(12).join('.')}`;
  return best < 0 ? words.join(':') : `${words.slice(0, best).join(':')}::${words.slice(best + bestLen).join(':')}`;
}

/** Parses /proc/net/raw or raw6 text into sockets (lines that do not parse are skipped). */
export function parseProcRaw(text: string, family: 'inet' | 'inet6'): InetSocketBrief[] {
  const out: InetSocketBrief[] = [];
  for (const line of text.split('\n').slice(1)) {
    const f = line.trim().split(/\s+/);
    if (f.length < 10) continue;
    const [la, lp] = f[1]!.split(':') as [string, string];
    const [ra, rp] = f[2]!.split(':') as [string, string];
    const [tx, rx] = f[4]!.split(':') as [string, string];
    const st = parseInt(f[3]!, 16);
    if (!la || !ra || Number.isNaN(st)) continue;
    out.push({
      family, state: STATE_NAMES[st] ?? st, timer: 0, retrans: 0,
      sport: parseInt(lp, 16), dport: parseInt(rp, 16), src: hexAddr(la), dst: hexAddr(ra), if: 0, expires: 0,
      rqueue: parseInt(rx, 16), wqueue: parseInt(tx, 16), uid: Number(f[7]), inode: Number(f[9]),
    });
  }
  return out;
}

/** Raw sockets of the namespace (this process's when absent) from /proc/net/raw{,6}. */
export function procRawSockets(family: 'inet' | 'inet6', netns?: NetnsSpec): InetSocketBrief[] {
  return parseProcRaw(readProcNet(family === 'inet' ? 'raw' : 'raw6', netns), family);
}
