// Text of one socket in ss's fields: netid, state, queues, addresses, and the details -e, -m,
// -i, -o and -p add (in ss's words and order).
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import type { InetSocket, InetSocketBrief, NetlinkSocketInfo, PacketSocket, SocketUser, UnixSocket } from '../../diag/index.js';
import { Col } from './columns.js';

const STATE_NAMES: Record<string, string> = {
  established: 'ESTAB', 'syn-sent': 'SYN-SENT', 'syn-recv': 'SYN-RECV', 'fin-wait1': 'FIN-WAIT-1', 'fin-wait2': 'FIN-WAIT-2',
  'time-wait': 'TIME-WAIT', close: 'UNCONN', 'close-wait': 'CLOSE-WAIT', 'last-ack': 'LAST-ACK', listen: 'LISTEN', closing: 'CLOSING',
};

/** ss's name of a state ('ESTAB', 'UNCONN', …). */
export function stateName(s: string | number): string {
  return typeof s === 'string' ? (STATE_NAMES[s] ?? 'UNKNOWN') : 'UNKNOWN';
}

const Q_SMALL = Array.from({ length: 256 }, (_, n) => String(n).padEnd(6));
const q = (n: number) => (n < 256 ? Q_SMALL[n]! : String(n).padEnd(6));

/** Context shared by every row: names and what to show. */
export interface FormatContext {
  numeric: boolean;
  users: Map<number, SocketUser[]> | undefined;
  details: boolean;
  mem: boolean;
  info: boolean;
  options: boolean;
  /** -O: the details lines (-m, -i) stay on the socket's line. */
  oneline?: boolean;
  ifname: (index: number) => string;
  service: (port: number, proto: string) => string | undefined;
}

/** `users:(("comm",pid=N,fd=N),…)`, newest /proc entry first as ss lists them. */
function usersText(ctx: FormatContext, ino: number): string {
  const list = ctx.users?.get(ino);
  if (!ctx.users || !list || ino === 0) return '';
  return ` users:(${[...list].reverse().map((u) => `("${u.comm}",pid=${u.pid},fd=${u.fd})`).join(',')})`;
}

/** C's %g. */
export function gfmt(x: number, precision = 6): string {
  if (x === 0) return '0';
  if (!Number.isFinite(x)) return String(x);
  const exp = Math.floor(Math.log10(Math.abs(x)));
  if (exp < -4 || exp >= precision) {
    const [m, e] = x.toExponential(precision - 1).split('e') as [string, string];
    const mm = m.includes('.') ? m.replace(/0+$/, '').replace(/\.$/, '') : m;
    const ee = Number(e);
    return `${mm}e${ee < 0 ? '-' : '+'}${String(Math.abs(ee)).padStart(2, '0')}`;
  }
  const s = x.toFixed(Math.max(0, precision - 1 - exp));
  return s.includes('.') ? s.replace(/0+$/, '').replace(/\.$/, '') : s;
}

function bw(ctx: FormatContext, v: number): string {
  if (ctx.numeric) return v.toFixed(0);
  if (v >= 1e12) return `${gfmt(v / 1e12, 3)}T`;
  if (v >= 1e9) return `${gfmt(v / 1e9, 3)}G`;
  if (v >= 1e6) return `${gfmt(v / 1e6, 3)}M`;
  if (v >= 1e3) return `${gfmt(v / 1e3, 3)}k`;
  return gfmt(v);
}

function msTimer(timeout: number): string {
  let secs = Math.floor(timeout / 1000);
  const minutes = Math.floor(secs / 60);
  secs %= 60;
  let msecs = timeout % 1000;
  let buf = '';
  if (minutes) {
    msecs = 0;
    buf = `${minutes}min`;
    if (minutes > 9) secs = 0;
  }
  if (secs) {
    if (secs > 9) msecs = 0;
    buf += `${secs}${msecs ? '.' : 'sec'}`;
  }
  if (msecs) buf += String(msecs).padStart(3, '0') + 'ms';
  return buf;
}

let cgroupRoot: string | null | undefined;
const cgroupPaths = new Map<string, string>();

/** The cgroup v2 path of an id (its directory's inode), or `unreachable:ID` as ss says it. */
function cgroupPath(id: number | bigint): string {
  if (cgroupRoot === undefined) {
    cgroupRoot = null;
    try {
      const m = readFileSync('/proc/self/mounts', 'utf8').split('\n').find((l) => l.split(' ')[2] === 'cgroup2');
      if (m) cgroupRoot = m.split(' ')[1]!;
    } catch {
      // no /proc/self/mounts: unreachable
    }
    if (cgroupRoot) {
      const walk = (dir: string, rel: string) => {
        try {
          cgroupPaths.set(String(statSync(dir).ino), rel || '/');
          for (const e of readdirSync(dir, { withFileTypes: true })) if (e.isDirectory()) walk(`${dir}/${e.name}`, `${rel}/${e.name}`);
        } catch {
          // vanished or unreadable
        }
      };
      walk(cgroupRoot, '');
    }
  }
  return cgroupPaths.get(String(id)) ?? `unreachable:${BigInt(id).toString(16)}`;
}

function inetAddr(ctx: FormatContext, fam: string | number, addr: string, port: number, ifindex: number, v6only: boolean, proto: string): [string, string] {
  let a: string;
  if (fam === 'inet') a = addr;
  else if (!v6only && addr === '::') a = '*';
  else a = addr.includes(':') ? `[${addr}]` : addr;
  if (ifindex) a += `%${ctx.ifname(ifindex)}`;
  const p = port === 0 ? '*' : ctx.numeric ? String(port) : (ctx.service(port, proto) ?? String(port));
  return [a + ':', p];
}

function skmem(m: readonly number[] | undefined, meminfo?: { rmem: number; wmem: number; fmem: number; tmem: number }): string {
  if (!m) return meminfo ? ` mem:(r${meminfo.rmem},w${meminfo.wmem},f${meminfo.fmem},t${meminfo.tmem})` : '';
  let s = ` skmem:(r${m[0]},rb${m[1]},t${m[2]},tb${m[3]},f${m[4]},w${m[5]},o${m[6]}`;
  if (m.length > 7) s += `,bl${m[7]}`;
  if (m.length > 8) s += `,d${m[8]}`;
  return s + ')';
}

function num(v: number | bigint | undefined): number {
  return v === undefined ? 0 : Number(v);
}

function tcpInfoText(ctx: FormatContext, s: InetSocket): string {
  const info = s.info;
  let o = '';
  if (!info) return o;
  const opts = new Set(info.options as string[]);
  if (ctx.options) {
    if (opts.has('timestamps')) o += ' ts';
    if (opts.has('sack')) o += ' sack';
    if (opts.has('ecn')) o += ' ecn';
    if (opts.has('ecn-seen')) o += ' ecnseen';
    if (opts.has('syn-data')) o += ' fastopen';
  }
  if (s.cong) o += ` ${s.cong}`;
  if (opts.has('wscale')) o += ` wscale:${info.snd_wscale},${info.rcv_wscale}`;
  if (info.rto && info.rto !== 3000000) o += ` rto:${gfmt(info.rto / 1000)}`;
  if (info.backoff) o += ` backoff:${info.backoff}`;
  if (info.rtt) o += ` rtt:${gfmt(info.rtt / 1000)}/${gfmt(info.rttvar / 1000)}`;
  if (info.ato) o += ` ato:${gfmt(info.ato / 1000)}`;
  if (info.snd_mss) o += ` mss:${info.snd_mss}`;
  if (info.pmtu) o += ` pmtu:${info.pmtu}`;
  if (info.rcv_mss) o += ` rcvmss:${info.rcv_mss}`;
  if (info.advmss) o += ` advmss:${info.advmss}`;
  if (info.snd_cwnd) o += ` cwnd:${info.snd_cwnd}`;
  if (info.snd_ssthresh < 0xffff && info.snd_ssthresh) o += ` ssthresh:${info.snd_ssthresh}`;
  for (const k of ['bytes_sent', 'bytes_retrans', 'bytes_acked', 'bytes_received'] as const) if (num(info[k])) o += ` ${k}:${num(info[k])}`;
  for (const k of ['segs_out', 'segs_in', 'data_segs_out', 'data_segs_in'] as const) if (info[k]) o += ` ${k}:${info[k]}`;
  if (s.dctcpinfo) {
    const d = s.dctcpinfo;
    o += d.enabled ? ` dctcp:(ce_state:${d.ce_state},alpha:${d.alpha},ab_ecn:${d.ab_ecn},ab_tot:${d.ab_tot})` : ' dctcp:fallback_mode';
  }
  if (s.bbrinfo) {
    const b = s.bbrinfo;
    o += ` bbr:(bw:${bw(ctx, (b.bw_hi * 2 ** 32 + b.bw_lo) * 8)}bps,mrtt:${gfmt(b.min_rtt / 1000)}`;
    if (b.pacing_gain) o += `,pacing_gain:${gfmt(b.pacing_gain / 256)}`;
    if (b.cwnd_gain) o += `,cwnd_gain:${gfmt(b.cwnd_gain / 256)}`;
    o += ')';
  }
  let rtt = info.rtt;
  if (s.vegasinfo && s.vegasinfo.enabled && s.vegasinfo.rtt && s.vegasinfo.rtt !== 0x7fffffff) rtt = s.vegasinfo.rtt;
  if (rtt > 0 && info.snd_mss && info.snd_cwnd) o += ` send ${bw(ctx, (info.snd_cwnd * info.snd_mss * 8000000) / rtt)}bps`;
  if (info.last_data_sent) o += ` lastsnd:${info.last_data_sent}`;
  if (info.last_data_recv) o += ` lastrcv:${info.last_data_recv}`;
  if (info.last_ack_recv) o += ` lastack:${info.last_ack_recv}`;
  const pr = BigInt(info.pacing_rate);
  if (pr !== 0n && pr !== 0xffffffffffffffffn) {
    o += ` pacing_rate ${bw(ctx, Number(pr) * 8)}bps`;
    const mx = BigInt(info.max_pacing_rate);
    if (mx !== 0n && mx !== 0xffffffffffffffffn) o += `/${bw(ctx, Number(mx) * 8)}bps`;
  }
  if (num(info.delivery_rate)) o += ` delivery_rate ${bw(ctx, num(info.delivery_rate) * 8)}bps`;
  if (info.delivered) o += ` delivered:${info.delivered}`;
  if (info.delivered_ce) o += ` delivered_ce:${info.delivered_ce}`;
  if (info.delivery_rate_app_limited) o += ' app_limited';
  const busy = num(info.busy_time);
  if (busy) {
    o += ` busy:${Math.floor(busy / 1000)}ms`;
    const rw = num(info.rwnd_limited);
    const sb = num(info.sndbuf_limited);
    if (rw) o += ` rwnd_limited:${Math.floor(rw / 1000)}ms(${((100 * rw) / busy).toFixed(1)}%)`;
    if (sb) o += ` sndbuf_limited:${Math.floor(sb / 1000)}ms(${((100 * sb) / busy).toFixed(1)}%)`;
  }
  if (info.unacked) o += ` unacked:${info.unacked}`;
  if (info.retrans || info.total_retrans) o += ` retrans:${info.retrans}/${info.total_retrans}`;
  if (info.lost) o += ` lost:${info.lost}`;
  if (info.sacked && s.state !== 'listen') o += ` sacked:${info.sacked}`;
  if (info.dsack_dups) o += ` dsack_dups:${info.dsack_dups}`;
  if (info.fackets) o += ` fackets:${info.fackets}`;
  if (info.reordering !== 3) o += ` reordering:${info.reordering}`;
  if (info.reord_seen) o += ` reord_seen:${info.reord_seen}`;
  if (info.rcv_rtt) o += ` rcv_rtt:${gfmt(info.rcv_rtt / 1000)}`;
  if (info.rcv_space) o += ` rcv_space:${info.rcv_space}`;
  if (info.rcv_ssthresh) o += ` rcv_ssthresh:${info.rcv_ssthresh}`;
  if (info.notsent_bytes) o += ` notsent:${info.notsent_bytes}`;
  if (info.min_rtt) o += ` minrtt:${gfmt(info.min_rtt / 1000)}`;
  if (info.rcv_ooopack) o += ` rcv_ooopack:${info.rcv_ooopack}`;
  if (info.snd_wnd) o += ` snd_wnd:${info.snd_wnd}`;
  return o;
}

/** The fields of an inet socket. */
export function inetRow(ctx: FormatContext, brief: InetSocket | InetSocketBrief, netid: string): string[] {
  // -e, -m and -i come with full sockets (dumpInetSockets); a listing with brief ones.
  const s = brief as InetSocket;
  const v6only = s.skv6only === 1;
  const [la, lp] = inetAddr(ctx, s.family, s.src, s.sport, s.if, v6only, netid);
  const [ra, rp] = inetAddr(ctx, s.family, s.dst, s.dport, 0, v6only, netid);
  let ext = usersText(ctx, s.inode);
  if (ctx.options && s.timer !== 'off' && s.timer !== 0) {
    const names = ['off', 'on', 'keepalive', 'timewait', 'persist', 'unknown'];
    const t = typeof s.timer === 'string' ? s.timer : names[Math.min(5, s.timer)]!;
    ext += ` timer:(${t},${msTimer(s.expires)},${s.retrans})`;
  }
  if (ctx.details) {
    if (s.uid) ext += ` uid:${s.uid}`;
    ext += ` ino:${s.inode} sk:${BigInt(s.cookie).toString(16)}`;
    if (s.mark) ext += ` fwmark:0x${s.mark.toString(16)}`;
    if (s.cgroup_id !== undefined && num(s.cgroup_id)) ext += ` cgroup:${cgroupPath(s.cgroup_id)}`;
    if (s.family === 'inet6' && s.skv6only !== undefined) ext += ` v6only:${s.skv6only}`;
    if (s.shutdown !== undefined) ext += ` ${s.shutdown & 1 ? '-' : '<'}-${s.shutdown & 2 ? '-' : '>'}`;
  }
  if (ctx.mem || ctx.info) {
    if (!ctx.oneline) ext += '\n\t';
    if (ctx.mem) ext += skmem(s.skmeminfo, s.meminfo);
    if (ctx.info) ext += tcpInfoText(ctx, s);
  }
  const f: string[] = [];
  f[Col.Netid] = netid;
  f[Col.State] = stateName(s.state);
  f[Col.RecvQ] = q(s.rqueue);
  f[Col.SendQ] = q(s.wqueue);
  f[Col.Addr] = la;
  f[Col.Serv] = lp;
  f[Col.RAddr] = ra;
  f[Col.RServ] = rp;
  f[Col.Ext] = ext;
  return f;
}

/** The fields of a unix socket. */
export function unixRow(ctx: FormatContext, s: UnixSocket): string[] {
  const netid = s.type === 'stream' ? 'u_str' : s.type === 'seqpacket' ? 'u_seq' : 'u_dgr';
  const name = s.name === undefined || s.name === '' ? '*' : s.name.replace(/\0/g, '@');
  let ext = usersText(ctx, s.ino);
  // ss keeps a unix socket's memory and details on its line: memory, shutdown, the bound
  // file (dev split by glibc's major()/minor() although it is the kernel's encoding), the
  // pending connections' inodes.
  if (ctx.mem) ext += skmem(s.meminfo);
  if (ctx.details) {
    if (s.shutdown !== undefined) ext += ` ${s.shutdown & 1 ? '-' : '<'}-${s.shutdown & 2 ? '-' : '>'}`;
    if (s.vfs) ext += ` ino:${s.vfs.ino} dev:${(s.vfs.dev >>> 8) & 0xfff}/${(s.vfs.dev & 0xff) | ((s.vfs.dev >>> 12) & ~0xff)}`;
    if (s.icons) ext += ` peers:${s.icons.map((p) => ` ${p}`).join('')}`;
  }
  const f: string[] = [];
  f[Col.Netid] = netid;
  f[Col.State] = stateName(s.state);
  f[Col.RecvQ] = q(s.rqlen?.rqueue ?? 0);
  f[Col.SendQ] = q(s.rqlen?.wqueue ?? 0);
  f[Col.Addr] = name + ' ';
  f[Col.Serv] = String(s.ino);
  f[Col.RAddr] = '* ';
  f[Col.RServ] = String(s.peer ?? 0);
  f[Col.Ext] = ext;
  return f;
}

const NL_PROTOS = ['rtnl', 'unused', 'usersock', 'fw', 'tcpdiag', 'nflog', 'xfrm', 'selinux', 'iscsi', 'audit', 'fiblookup', 'connector',
  'nft', 'ip6fw', 'dnrtmsg', 'uevent', 'genl', '17', 'scsitrans', 'ecryptfs', 'rdma', 'crypto', 'smc'];

function procName(pid: number): string {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'latin1');
    const m = /^\d+ \((.*)\) /s.exec(stat);
    if (m) return `${m[1]}/${pid}`;
  } catch {
    // not a process id (an explicitly bound port id)
  }
  return String(pid);
}

/** The fields of a netlink socket. */
export function netlinkRow(ctx: FormatContext, s: NetlinkSocketInfo): string[] {
  const pid = s.portid | 0;
  // With -n ss prints numbers: protocol and port id.
  const proto = ctx.numeric ? String(s.protocol) : (NL_PROTOS[s.protocol] ?? String(s.protocol));
  const who = ctx.numeric ? String(pid) : pid === 0 ? 'kernel' : pid === -1 ? '*' : procName(pid);
  let ext = usersText(ctx, s.ino);
  // ss has sk and cb only from /proc/net/netlink; over sock_diag it prints zeros.
  if (ctx.details) ext += ` sk=0 cb=0 groups=0x${groupMask(s.groups)}`;
  // ss prints a netlink socket's memory after a tab on the same line (with or without -O).
  if (ctx.mem) ext += '\t' + skmem(s.meminfo);
  const f: string[] = [];
  f[Col.Netid] = 'nl';
  f[Col.State] = 'UNCONN';
  f[Col.RecvQ] = q(s.meminfo?.[0] ?? 0);
  f[Col.SendQ] = q(s.meminfo?.[2] ?? 0);
  f[Col.Addr] = proto + ':';
  f[Col.Serv] = who;
  f[Col.RAddr] = s.state === 1 ? `${s.dst_group}:` : '*';
  f[Col.RServ] = s.state === 1 ? String(s.dst_portid) : '';
  f[Col.Ext] = ext;
  return f;
}

function groupMask(groups: number[] | undefined): string {
  let m = 0;
  for (const g of groups ?? []) if (g <= 32) m |= 1 << (g - 1);
  return (m >>> 0).toString(16).padStart(8, '0');
}

const ETH_P: Record<number, string> = { 0x0800: 'ip', 0x0806: 'arp', 0x86dd: 'ipv6', 0x8100: '802.1Q', 0x88cc: 'lldp', 0x8863: 'ppp_disc', 0x8864: 'ppp_ses' };

/** The fields of a packet socket. */
export function packetRow(ctx: FormatContext, s: PacketSocket): string[] {
  const proto = s.num === 3 ? '*' : ctx.numeric ? `[${s.num}]` : (ETH_P[s.num] ?? `0x${s.num.toString(16).padStart(4, '0')}`);
  const ifindex = s.info?.index ?? 0;
  let ext = usersText(ctx, s.ino);
  if (ctx.details) {
    if (s.uid) ext += ` uid:${s.uid}`;
    ext += ` ino:${s.ino} sk:${BigInt(s.cookie).toString(16)}`;
    if (s.info) {
      const fl = new Set(s.info.flags as string[]);
      const words = [fl.has('running') ? 'running' : '', fl.has('auxdata') ? ' auxdata' : '', fl.has('origdev') ? ' origdev' : '',
        fl.has('vnethdr') ? ' vnethdr' : '', fl.has('loss') ? ' loss' : ''].join('');
      ext += `\n\tver:${s.info.version} cpy_thresh:${s.info.copy_thresh} flags( ${fl.size ? words : '0'} )`;
    }
  }
  // ss appends a packet socket's memory to the line (or to the -e details line).
  if (ctx.mem) ext += skmem(s.meminfo);
  const f: string[] = [];
  f[Col.Netid] = s.type === 'raw' ? 'p_raw' : 'p_dgr';
  f[Col.State] = 'UNCONN';
  f[Col.RecvQ] = q(s.meminfo?.[0] ?? 0);
  f[Col.SendQ] = q(0);
  f[Col.Addr] = proto + ':';
  f[Col.Serv] = ifindex === 0 ? '*' : ctx.ifname(ifindex);
  f[Col.RAddr] = '*';
  f[Col.RServ] = '';
  f[Col.Ext] = ext;
  return f;
}

let services: Map<string, string> | undefined;
let protocols: Map<number, string> | undefined;

/** /etc/protocols lookup: a raw socket's "port" is its IP protocol, which ss names so. */
function protocolName(n: number): string | undefined {
  if (!protocols) {
    protocols = new Map();
    try {
      for (const line of readFileSync('/etc/protocols', 'utf8').split('\n')) {
        const m = /^([^#\s]+)\s+(\d+)/.exec(line);
        if (m && !protocols.has(Number(m[2]))) protocols.set(Number(m[2]), m[1]!);
      }
    } catch {
      // no /etc/protocols: numbers
    }
  }
  return protocols.get(n);
}

/** /etc/services lookup (port/proto -> name), skipping the ephemeral range as ss does. */
export function serviceName(port: number, proto: string): string | undefined {
  if (proto === 'raw') return protocolName(port);
  if (!services) {
    services = new Map();
    try {
      for (const line of readFileSync('/etc/services', 'utf8').split('\n')) {
        const m = /^([^#\s]+)\s+(\d+)\/(\w+)/.exec(line);
        if (m && !services.has(`${m[2]}/${m[3]}`)) services.set(`${m[2]}/${m[3]}`, m[1]!);
      }
    } catch {
      // no /etc/services: numbers
    }
  }
  let lo = 1024;
  let hi = 4999;
  if (existsSync('/proc/sys/net/ipv4/ip_local_port_range')) {
    const [a, b] = readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').trim().split(/\s+/).map(Number);
    if (a && b) [lo, hi] = [a, b];
  }
  if (port >= lo && port <= hi) return undefined;
  return services.get(`${port}/${proto}`);
}
