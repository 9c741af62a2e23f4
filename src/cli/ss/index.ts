// nlkit ss: socket statistics over NETLINK_SOCK_DIAG, a drop-in for iproute2's ss (same
// options, filters, columns), plus -j (one JSON object per socket) which ss lacks.
import {
  destroyInetSocket, dumpInetSockets, dumpInetSocketsBrief, dumpNetlinkSockets, dumpPacketSockets, dumpUnixSockets, events, openDiag, parseFilter, procRawSockets, tcpState,
  socketSummary, socketUsers, type FilterExpr, type UnixSocket, type InetExtension, type InetSocket,
} from '../../diag/index.js';
import { matchFilter } from '../../diag/filter.js';
import type { NetlinkSocket } from '../../socket/index.js';
import { UsageError } from '../usage.js';
import { Col, Table } from './columns.js';
import { inetRow, netlinkRow, packetRow, serviceName, unixRow, type FormatContext } from './format.js';
import { parseSsArgs, type Db, type SsOptions } from './options.js';
import { summaryCounts, summaryText } from './summary.js';

const INET_DBS: [Db, 'tcp' | 'udp' | 'raw' | 'mptcp' | 'sctp'][] = [['raw', 'raw'], ['udp', 'udp'], ['tcp', 'tcp'], ['mptcp', 'mptcp'], ['sctp', 'sctp']];

/** Runs `nlkit ss ARGS`; resolves with the exit status. */
export async function run(args: string[]): Promise<number> {
  const o = parseSsArgs(args);
  let expr: FilterExpr | undefined;
  try {
    expr = parseFilter(o.expression, { unix: o.preferred === 'unix' });
  } catch (e) {
    throw new UsageError(`ss: bison bellows (while parsing filter): "${(e as Error).message}"`);
  }
  const netns = o.netns;
  if (o.summary) {
    const counters = socketSummary(netns);
    process.stdout.write(o.json ? `${JSON.stringify(summaryCounts(counters))}\n` : summaryText(counters));
    if (o.summaryOnly) return 0;
  }
  const sock = openDiag(netns !== undefined ? { netns } : {});
  try {
    if (o.events) return await watch(o, sock, expr);
    const ctx = context(o);
    const table = new Table();
    // Rows are formatted as they come (sockets die young, which the collector likes); interface
    // names are loaded the first time a socket has one.
    const json: string[] = [];
    let namesLoaded = false;
    const names = async (ifindex: number): Promise<void> => {
      if (ifindex && !namesLoaded) {
        namesLoaded = true;
        await loadNames(ctx, o);
      }
    };
    if (o.dbs.size === 1) table.disable(Col.Netid);
    if (!(o.states & (o.states - 1))) table.disable(Col.State);
    if (o.header && !o.json) table.header();
    // Text rows and JSON objects are built only for the output asked for.
    const emit = (fields: () => string[], obj: () => unknown) => {
      if (o.json) json.push(JSON.stringify(obj(), jsonValue));
      else table.row(fields());
    };
    const users = ctx.users;
    const withUsers = (ino: number, x: object): object => (users ? { ...x, users: users.get(ino) ?? [] } : x);

    if (o.dbs.has('netlink') && o.states & (1 << 7)) {
      for await (const s of dumpNetlinkSockets({}, { socket: sock })) emit(() => netlinkRow(ctx, s), () => withUsers(s.ino, { netid: 'nl', ...s }));
    }
    if ((o.dbs.has('packet_raw') || o.dbs.has('packet_dgram')) && o.states & (1 << 7)) {
      for await (const s of dumpPacketSockets({}, { socket: sock })) {
        if (!o.dbs.has(s.type === 'raw' ? 'packet_raw' : 'packet_dgram')) continue;
        await names(s.info?.index ?? 0);
        emit(() => packetRow(ctx, s), () => withUsers(s.ino, { netid: s.type === 'raw' ? 'p_raw' : 'p_dgr', ...s }));
      }
    }
    const unixTypes = (['stream', 'dgram', 'seqpacket'] as const).filter((t) => o.dbs.has(`unix_${t}`));
    if (unixTypes.length) {
      for await (const s of dumpUnixSockets({ states: o.states, type: unixTypes }, { socket: sock })) {
        if (expr && !unixMatch(expr, s)) continue;
        emit(() => unixRow(ctx, s), () => withUsers(s.ino, { netid: unixRow(ctx, s)[Col.Netid], ...s }));
      }
    }
    const fam = o.families.has('inet') && o.families.has('inet6') ? undefined : o.families.has('inet') ? 'inet' : o.families.has('inet6') ? 'inet6' : null;
    if (fam !== null) {
      const ext: InetExtension[] = [];
      if (o.mem) ext.push('meminfo', 'skmeminfo');
      if (o.info) ext.push('info', 'vegasinfo', 'cong');
      if (o.details) ext.push('shutdown');
      for (const [db, proto] of INET_DBS) {
        if (!o.dbs.has(db)) continue;
        // Without -e/-m/-i/-K/-j a row needs only inet_diag_msg's header: the brief decoder.
        const brief = !o.details && !o.mem && !o.info && !o.kill && !o.json;
        const dump = (brief ? dumpInetSocketsBrief : dumpInetSockets)({
          protocol: proto, states: o.states, ...(brief ? {} : { extensions: ext }), ...(fam ? { family: fam } : {}), ...(expr ? { expression: expr } : {}),
          ...(proto === 'raw' ? { rawProtocol: 0 } : {}),
        }, { socket: sock });
        try {
          for await (const batch of dump.batches()) {
            for (const s of batch) {
              if (expr && !matchFilter(expr, s)) continue;
              if (o.kill && !(await kill(s as InetSocket, sock))) continue;
              if (s.if) await names(s.if);
              emit(() => inetRow(ctx, s, proto), () => withUsers(s.inode, { netid: proto, ...s }));
            }
          }
        } catch (e) {
          // Protocols whose diag module is not loaded (sctp, mptcp, raw) answer ENOENT; ss skips
          // them, except raw sockets, which it reads from /proc/net/raw{,6}.
          if ((e as { code?: string }).code !== 'ENOENT' && (e as { code?: string }).code !== 'EOPNOTSUPP') throw e;
          if (proto === 'raw' && !o.kill) {
            // /proc has no memory or details: ss prints the bare row.
            const bare: FormatContext = { ...ctx, details: false, mem: false, info: false };
            for (const f of fam ? [fam as 'inet' | 'inet6'] : (['inet', 'inet6'] as const)) {
              for (const s of procRawSockets(f, netns)) {
                if (!(o.states & (1 << stateNumber(s.state)))) continue;
                if (expr && !matchFilter(expr, s)) continue;
                emit(() => inetRow(bare, s, proto), () => withUsers(s.inode, { netid: proto, ...s }));
              }
            }
          }
        }
      }
    }
    if (o.json) {
      if (json.length) process.stdout.write(json.join('\n') + '\n');
    } else process.stdout.write(table.render(process.stdout.isTTY ? process.stdout.columns || 80 : undefined));
    return 0;
  } finally {
    sock.close();
  }
}

/** A state's number (its name's value in tcp_state). */
function stateNumber(s: string | number): number {
  return typeof s === 'number' ? s : (tcpState.values as Record<string, number>)[s] ?? 0;
}

/** ss -K: closes the socket; false when the kernel would not (ss then does not list it). */
async function kill(s: InetSocket, sock: NetlinkSocket): Promise<boolean> {
  try {
    await destroyInetSocket(s, { socket: sock });
    return true;
  } catch {
    return false;
  }
}

/**
 * ss runs its expression on unix sockets too, with the inode as the local port and the peer's
 * as the remote one; inet address terms never match them.
 */
/** A unix socket against the expression: its name (abstract ones with `@`), its and its peer's inodes. */
function unixMatch(e: FilterExpr, s: UnixSocket): boolean {
  const name = s.name === undefined ? '' : s.name.replace(/\0/g, '@');
  return matchFilter(e, { family: 'unix', src: name, dst: '', sport: s.ino, dport: s.peer ?? 0 });
}

/** The run's context with its interface names (of the namespace, loaded on first need). */
type RunContext = FormatContext & { linkNames: Map<number, string> };

/** Interface names of the namespace (for sockets bound to a device and packet sockets). */
async function loadNames(ctx: RunContext, o: SsOptions): Promise<void> {
  const { dumpLinks } = await import('../../route/index.js');
  for await (const l of dumpLinks({}, o.netns !== undefined ? { netns: o.netns } : {})) ctx.linkNames.set(l.ifindex, l.ifname ?? String(l.ifindex));
}

function context(o: SsOptions): RunContext {
  const linkNames = new Map<number, string>();
  return {
    numeric: o.numeric, users: o.users ? socketUsers() : undefined, details: o.details, mem: o.mem, info: o.info, options: o.options, oneline: o.oneline,
    linkNames,
    ifname: (i) => linkNames.get(i) ?? String(i),
    service: serviceName,
  };
}

/** ss -E: prints each destroyed socket as the kernel reports it, until interrupted. */
async function watch(o: SsOptions, _sock: NetlinkSocket, expr: FilterExpr | undefined): Promise<number> {
  const ctx = context(o);
  await loadNames(ctx, o);
  const groups: string[] = [];
  if (o.dbs.has('tcp')) groups.push('tcp');
  if (o.dbs.has('udp')) groups.push('udp');
  const ac = new AbortController();
  process.once('SIGINT', () => ac.abort());
  process.once('SIGTERM', () => ac.abort());
  const sub = events(groups.length ? groups : ['tcp', 'udp'], { ...(o.netns !== undefined ? { netns: o.netns } : {}), signal: ac.signal });
  try {
    for await (const ev of sub) {
      if ('overrun' in ev) continue;
      const s = ev.socket;
      if (expr && !matchFilter(expr, s)) continue;
      const netid = typeof s.protocol === 'string' ? s.protocol : String(s.protocol);
      if (o.json) process.stdout.write(JSON.stringify({ event: 'destroy', netid, ...s }, jsonValue) + '\n');
      else {
        // The same column rules as a listing: no Netid column for one kind of socket.
        const t = new Table();
        if (o.dbs.size === 1) t.disable(Col.Netid);
        t.row(inetRow(ctx, s, netid));
        process.stdout.write(t.render(undefined));
      }
    }
  } catch (e) {
    if ((e as Error).name !== 'AbortError') throw e;
  }
  return 0;
}

/** JSON: bigints as numbers when exact (else strings), bytes as hex. */
function jsonValue(_k: string, v: unknown): unknown {
  if (typeof v === 'bigint') return v <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(v) : v.toString();
  if (v instanceof Uint8Array) return Buffer.from(v).toString('hex');
  return v;
}
