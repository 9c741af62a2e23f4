// `nlkit ss` options and filter words, parsed as ss parses them: which socket kinds (dbs), which
// states, what to show, and the filter expression that follows.
import { UsageError } from '../usage.js';

/** Socket kinds ss calls "dbs". */
export type Db = 'tcp' | 'udp' | 'raw' | 'mptcp' | 'sctp' | 'unix_stream' | 'unix_dgram' | 'unix_seqpacket' | 'packet_raw' | 'packet_dgram' | 'netlink';

/** ss's state numbers (SS_*): the kernel's TCP states, 1..11. */
const S = { established: 1, 'syn-sent': 2, 'syn-recv': 3, 'fin-wait-1': 4, 'fin-wait-2': 5, 'time-wait': 6, closed: 7, 'close-wait': 8, 'last-ack': 9, listening: 10, closing: 11 } as const;
const ALL = (1 << 12) - 1 - 1;
const bit = (n: number) => 1 << n;
/** SS_CONN: everything but listen, close, time-wait and syn-recv. */
export const SS_CONN = ALL & ~(bit(S.listening) | bit(S.closed) | bit(S['time-wait']) | bit(S['syn-recv']));
const STATE_SETS: Record<string, number> = {
  ...Object.fromEntries(Object.entries(S).map(([k, v]) => [k, bit(v)])),
  all: ALL,
  connected: ALL & ~(bit(S.listening) | bit(S.closed)),
  synchronized: ALL & ~(bit(S.listening) | bit(S.closed) | bit(S['syn-sent'])),
  bucket: bit(S['syn-recv']) | bit(S['time-wait']),
  big: ALL & ~(bit(S['syn-recv']) | bit(S['time-wait'])),
};

const DEFAULT_STATES: Record<Db, number> = {
  tcp: SS_CONN, mptcp: SS_CONN, sctp: SS_CONN, udp: bit(S.established), raw: bit(S.established),
  unix_dgram: bit(S.closed), unix_stream: SS_CONN, unix_seqpacket: SS_CONN, packet_raw: bit(S.closed),
  packet_dgram: bit(S.closed), netlink: bit(S.closed),
};

const QUERIES: Record<string, Db[]> = {
  all: ['udp', 'tcp', 'mptcp', 'raw', 'unix_stream', 'unix_dgram', 'unix_seqpacket', 'packet_raw', 'packet_dgram', 'netlink', 'sctp'],
  inet: ['udp', 'tcp', 'mptcp', 'sctp', 'raw'],
  tcp: ['tcp'], udp: ['udp'], raw: ['raw'], mptcp: ['mptcp'], sctp: ['sctp'],
  unix: ['unix_stream', 'unix_dgram', 'unix_seqpacket'],
  unix_stream: ['unix_stream'], u_str: ['unix_stream'], unix_dgram: ['unix_dgram'], u_dgr: ['unix_dgram'],
  unix_seqpacket: ['unix_seqpacket'], u_seq: ['unix_seqpacket'],
  packet: ['packet_raw', 'packet_dgram'], packet_raw: ['packet_raw'], p_raw: ['packet_raw'],
  packet_dgram: ['packet_dgram'], p_dgr: ['packet_dgram'], netlink: ['netlink'],
};

/** Parsed `nlkit ss` command line. */
export interface SsOptions {
  dbs: Set<Db>;
  states: number;
  families: Set<'inet' | 'inet6' | 'unix' | 'packet' | 'netlink'>;
  numeric: boolean;
  users: boolean;
  mem: boolean;
  info: boolean;
  details: boolean;
  options: boolean;
  header: boolean;
  json: boolean;
  kill: boolean;
  events: boolean;
  oneline: boolean;
  /** -s: the kernel's socket counters first (ss's summary). */
  summary: boolean;
  /** -s with neither a socket kind, a family nor a filter: the summary is all ss prints. */
  summaryOnly: boolean;
  netns: string | undefined;
  /** The filter expression words (after `state`/`exclude` words). */
  expression: string[];
  /**
   * The family of the last -4/-6/-0/-x/-f (ss's preferred_family): with 'unix', host terms of
   * the expression are unix name patterns, so inet-style ones (`dport = :0`) match no unix socket.
   */
  preferred?: 'inet' | 'inet6' | 'unix' | 'packet' | 'netlink';
}

const FAMILY_DBS: Record<string, Db[]> = {
  inet: QUERIES.inet!, inet6: QUERIES.inet!, unix: QUERIES.unix!, link: QUERIES.packet!, packet: QUERIES.packet!, netlink: ['netlink'],
};

/** Parses ss's arguments (short options may be bundled: -tlnp). */
export function parseSsArgs(argv: string[]): SsOptions {
  const o: SsOptions = {
    dbs: new Set(), states: 0, families: new Set(), numeric: false, users: false, mem: false, info: false, details: false,
    options: false, header: true, json: false, kill: false, events: false, oneline: false, summary: false, summaryOnly: false,
    netns: undefined, expression: [],
  };
  let stateFilter = 0;
  let defaults = true;
  const addDb = (d: Db) => {
    o.dbs.add(d);
    o.states |= DEFAULT_STATES[d];
    defaults = false;
  };
  const addFamily = (f: string) => {
    const dbs = FAMILY_DBS[f];
    if (!dbs) throw new UsageError(`ss: "${f}" is invalid family`);
    o.families.add((f === 'link' ? 'packet' : f) as never);
    o.preferred = (f === 'link' ? 'packet' : f) as SsOptions['preferred'];
    defaults = false;
  };
  const rest: string[] = [];
  const need = (i: number, name: string): string => {
    const v = argv[i];
    if (v === undefined) throw new UsageError(`ss: option requires an argument -- '${name}'`);
    return v;
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--') {
      rest.push(...argv.slice(i + 1));
      break;
    }
    if (a.startsWith('--')) {
      const [name, val] = a.slice(2).split('=', 2) as [string, string | undefined];
      switch (name) {
        case 'tcp': addDb('tcp'); break;
        case 'udp': addDb('udp'); break;
        case 'raw': addDb('raw'); break;
        case 'unix': for (const d of QUERIES.unix!) addDb(d); break;
        case 'packet': for (const d of QUERIES.packet!) addDb(d); break;
        case 'netlink': addDb('netlink'); break;
        case 'mptcp': addDb('mptcp'); break;
        case 'sctp': addDb('sctp'); break;
        case 'all': stateFilter = ALL; break;
        case 'listening': stateFilter = bit(S.listening) | bit(S.closed); break;
        case 'numeric': o.numeric = true; break;
        case 'processes': o.users = true; break;
        case 'memory': o.mem = true; break;
        case 'info': o.info = true; break;
        case 'extended': o.details = true; break;
        case 'options': o.options = true; break;
        case 'no-header': o.header = false; break;
        case 'json': o.json = true; break;
        case 'kill': o.kill = true; break;
        case 'events': o.events = true; break;
        case 'oneline': o.oneline = true; break;
        case 'summary': o.summary = true; break;
        case 'ipv4': addFamily('inet'); o.families.delete('inet6'); break;
        case 'ipv6': addFamily('inet6'); break;
        case 'net': o.netns = val ?? need(++i, 'N'); break;
        case 'family': addFamily(val ?? need(++i, 'f')); break;
        case 'query': case 'socket': query(val ?? need(++i, 'A')); break;
        case 'help': throw new UsageError(USAGE.trimEnd());
        default: throw new UsageError(`ss: unrecognized option '${a}'`, USAGE.trimEnd());
      }
      continue;
    }
    if (a.startsWith('-') && a.length > 1) {
      for (let j = 1; j < a.length; j++) {
        const c = a[j]!;
        const arg = (): string => {
          const inline = a.slice(j + 1);
          j = a.length;
          return inline || need(++i, c);
        };
        switch (c) {
          case 't': addDb('tcp'); break;
          case 'u': addDb('udp'); break;
          case 'w': addDb('raw'); break;
          case 'M': addDb('mptcp'); break;
          case 'S': addDb('sctp'); break;
          case 'x': for (const d of QUERIES.unix!) addDb(d); o.preferred = 'unix'; break;
          case '0': addFamily('packet'); break;
          case '4': addFamily('inet'); break;
          case '6': addFamily('inet6'); break;
          case 'a': stateFilter = ALL; break;
          case 'l': stateFilter = bit(S.listening) | bit(S.closed); break;
          case 'n': o.numeric = true; break;
          case 'r': o.numeric = false; break;
          case 'p': o.users = true; break;
          case 'm': o.mem = true; break;
          case 'i': o.info = true; break;
          case 'e': o.details = true; break;
          case 'o': o.options = true; break;
          case 'H': o.header = false; break;
          case 'j': o.json = true; break;
          case 'K': o.kill = true; break;
          case 'E': o.events = true; break;
          case 'O': o.oneline = true; break;
          case 's': o.summary = true; break;
          case 'N': o.netns = arg(); break;
          case 'f': addFamily(arg()); break;
          case 'A': query(arg()); break;
          case 'h': throw new UsageError(USAGE.trimEnd());
          default: throw new UsageError(`ss: invalid option -- '${c}'`, USAGE.trimEnd());
        }
      }
      continue;
    }
    rest.push(a);
  }
  function query(list: string) {
    for (const q of list.split(',')) {
      const neg = q.startsWith('!');
      const dbs = QUERIES[neg ? q.slice(1) : q];
      if (!dbs) throw new UsageError(`ss: wrong query dbs: ${q}`);
      for (const d of dbs) {
        if (neg) o.dbs.delete(d);
        else addDb(d);
      }
    }
  }
  o.summaryOnly = o.summary && defaults && rest.length === 0;
  // Families without dbs bring their default dbs; dbs without families bring theirs (filter_merge_defaults).
  if (defaults) {
    for (const d of QUERIES.all!) addDb(d);
  }
  if (o.families.size) {
    const fams = [...o.families];
    if (o.dbs.size === 0) for (const f of fams) for (const d of FAMILY_DBS[f]!) addDb(d);
    // Keep only dbs of the chosen families.
    for (const d of [...o.dbs]) {
      const inet = !d.startsWith('unix') && !d.startsWith('packet') && d !== 'netlink';
      const ok = inet ? fams.includes('inet') || fams.includes('inet6')
        : d.startsWith('unix') ? fams.includes('unix') : d.startsWith('packet') ? fams.includes('packet') : fams.includes('netlink');
      if (!ok) o.dbs.delete(d);
    }
  } else {
    o.families = new Set(['inet', 'inet6', 'unix', 'packet', 'netlink']);
  }
  if (stateFilter) o.states = stateFilter;
  // `state X` / `exclude X` words, then the expression.
  let k = 0;
  let stateWords = 0;
  let sawState = false;
  while (k < rest.length && (rest[k] === 'state' || rest[k] === 'exclude' || rest[k] === 'excl')) {
    const excl = rest[k] !== 'state';
    const name = rest[k + 1];
    if (name === undefined) throw new UsageError('ss: state name expected');
    const m = STATE_SETS[name] ?? STATE_SETS[name.replace(/^fin-wait(\d)$/, 'fin-wait-$1')];
    if (m === undefined) throw new UsageError(`ss: wrong state name: ${name}`);
    if (excl) {
      if (!sawState) stateWords = ALL;
      stateWords &= ~m;
    } else stateWords |= m;
    sawState = true;
    k += 2;
  }
  if (sawState) o.states = stateWords;
  o.expression = rest.slice(k);
  return o;
}

/** `nlkit ss --help`. */
export const USAGE = `Usage: nlkit ss [ OPTIONS ] [ FILTER ]
   -t, --tcp           display only TCP sockets
   -u, --udp           display only UDP sockets
   -w, --raw           display only RAW sockets
   -x, --unix          display only Unix domain sockets
   -0, --packet        display PACKET sockets
       --netlink       display netlink sockets
   -4, --ipv4          display only IP version 4 sockets
   -6, --ipv6          display only IP version 6 sockets
   -f, --family=FAMILY display sockets of type FAMILY {inet|inet6|link|unix|netlink}
   -A, --query=QUERY   {all|inet|tcp|udp|raw|unix|unix_dgram|unix_stream|unix_seqpacket|packet|netlink}[,QUERY]
   -l, --listening     display listening sockets
   -a, --all           display all sockets
   -n, --numeric       don't resolve service names
   -p, --processes     show process using socket
   -m, --memory        show socket memory usage
   -i, --info          show internal TCP information
   -e, --extended      show detailed socket information
   -o, --options       show timer information
   -K, --kill          forcibly close sockets, display what was closed
   -E, --events        continually display sockets as they are destroyed
   -s, --summary       show socket usage summary
   -H, --no-header     suppress header line
   -j, --json          one JSON object per socket (NDJSON)
   -N, --net=NETNS     switch to the specified network namespace name
       FILTER := [ state STATE-FILTER ] [ EXPRESSION ]
       EXPRESSION: dport = :22, src 10.0.0.0/8, sport gt :1024, and/or/not, ( )
`;
