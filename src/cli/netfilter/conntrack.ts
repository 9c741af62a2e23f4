// nlkit conntrack: the connection table over ctnetlink in the conntrack tool's grammar and line
// format: -L (list), -G (get), -D (delete), -F (flush), -I (create), -E (events), with -p, -s,
// -d, --sport, --dport, --mark M[/MASK], -f ipv4|ipv6, -t, --netns NAME, and -o json / -j
// (one JSON object a line). The summary goes to stderr as conntrack prints it.
import {
  conntrackEvents, createConntrack, deleteConntrack, dumpConntrack, flushConntrack, formatConntrack, getConntrack,
  type Conntrack, type ConntrackFilter, type Tuple,
} from '../../netfilter/index.js';
import { UsageError } from '../usage.js';

const PROTOS: Record<string, number> = { icmp: 1, tcp: 6, udp: 17, dccp: 33, icmpv6: 58, sctp: 132, udplite: 136, gre: 47 };
const SUMMARY = 'conntrack (nlkit)';

interface Options {
  cmd: 'L' | 'G' | 'D' | 'F' | 'I' | 'E';
  netns?: string;
  json: boolean;
  family?: 'ipv4' | 'ipv6';
  protocol?: number;
  src?: string;
  dst?: string;
  sport?: number;
  dport?: number;
  mark?: number;
  markMask?: number;
  timeout?: number;
  events?: ('new' | 'update' | 'destroy')[];
}

function parse(args: string[]): Options {
  let cmd: Options['cmd'] | undefined;
  const o: Partial<Options> = { json: false };
  const need = (i: number, name: string) => {
    const v = args[i + 1];
    if (v === undefined) throw new UsageError(`conntrack: option "${name}" requires an argument`);
    return v;
  };
  const num = (v: string, name: string) => {
    const n = Number(v);
    if (!Number.isInteger(n) || n < 0) throw new UsageError(`conntrack: bad ${name} "${v}"`);
    return n;
  };
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    const setCmd = (c: Options['cmd']) => {
      if (cmd && cmd !== c) throw new UsageError('conntrack: only one command at a time');
      cmd = c;
    };
    switch (a) {
      case '-L': case '--dump': setCmd('L'); break;
      case '-G': case '--get': setCmd('G'); break;
      case '-D': case '--delete': setCmd('D'); break;
      case '-F': case '--flush': setCmd('F'); break;
      case '-I': case '--create': setCmd('I'); break;
      case '-E': case '--event': setCmd('E'); break;
      case '-j': case '--json': o.json = true; break;
      case '-o': case '--output': {
        const v = need(i++, a);
        if (v !== 'json') throw new UsageError(`conntrack: output format "${v}" is not supported (json is)`);
        o.json = true;
        break;
      }
      case '--netns': case '-N': o.netns = need(i++, a); break;
      case '-f': case '--family': {
        const v = need(i++, a);
        if (v !== 'ipv4' && v !== 'ipv6') throw new UsageError(`conntrack: unknown family "${v}"`);
        o.family = v;
        break;
      }
      case '-p': case '--proto': case '--protonum': {
        const v = need(i++, a);
        o.protocol = PROTOS[v] ?? num(v, 'protocol');
        break;
      }
      case '-s': case '--src': case '--orig-src': o.src = need(i++, a); break;
      case '-d': case '--dst': case '--orig-dst': o.dst = need(i++, a); break;
      case '--sport': case '--orig-port-src': o.sport = num(need(i++, a), 'port'); break;
      case '--dport': case '--orig-port-dst': o.dport = num(need(i++, a), 'port'); break;
      case '-t': case '--timeout': o.timeout = num(need(i++, a), 'timeout'); break;
      case '-m': case '--mark': {
        const [m, mask] = need(i++, a).split('/');
        o.mark = num(m!, 'mark');
        if (mask !== undefined) o.markMask = num(mask, 'mark mask');
        break;
      }
      case '-e': case '--event-mask': {
        o.events = need(i++, a).toLowerCase().split(',').map((e) => {
          if (e !== 'new' && e !== 'update' && e !== 'destroy') throw new UsageError(`conntrack: unknown event "${e}"`);
          return e;
        });
        break;
      }
      default: throw new UsageError(`conntrack: unknown option "${a}"`);
    }
  }
  if (!cmd) throw new UsageError('conntrack: no command specified (-L, -G, -D, -F, -I or -E)');
  return { ...o, cmd } as Options;
}

function matches(o: Options, c: Conntrack): boolean {
  const t = c.orig;
  return (o.protocol === undefined || t.protocol === o.protocol) && (o.src === undefined || t.src === o.src)
    && (o.dst === undefined || t.dst === o.dst) && (o.sport === undefined || t.sport === o.sport) && (o.dport === undefined || t.dport === o.dport);
}

function tuple(o: Options): Tuple {
  if (o.src === undefined || o.dst === undefined || o.protocol === undefined) throw new UsageError('conntrack: this command needs -p, -s and -d');
  return {
    src: o.src, dst: o.dst, protocol: o.protocol,
    ...(o.sport !== undefined ? { sport: o.sport } : {}), ...(o.dport !== undefined ? { dport: o.dport } : {}),
  };
}

const json = (x: unknown) => JSON.stringify(x, (_k, v) => (typeof v === 'bigint' ? v.toString() : v));
/** One entry's line (text or JSON). */
const lineOf = (o: Options, c: Conntrack, prefix = '') => `${o.json ? json(prefix ? { event: prefix, ...c } : c) : (prefix ? `${' '.repeat(Math.max(0, 9 - prefix.length - 2))}[${prefix.toUpperCase()}] ` : '') + formatConntrack(c)}\n`;
const print = (o: Options, c: Conntrack, prefix = '') => process.stdout.write(lineOf(o, c, prefix));
const summary = (text: string) => process.stderr.write(`${SUMMARY}: ${text}\n`);

/** Runs `nlkit conntrack ARGS`; resolves with the exit status. */
export async function run(args: string[]): Promise<number> {
  const o = parse(args);
  const fo = o.netns !== undefined ? { netns: o.netns } : {};
  const filter: ConntrackFilter = {
    ...(o.family ? { family: o.family } : {}), ...(o.mark !== undefined ? { mark: o.mark, ...(o.markMask !== undefined ? { markMask: o.markMask } : {}) } : {}),
  };
  switch (o.cmd) {
    case 'L': {
      // Written a dump batch at a time: one write per entry costs more than the dump itself.
      let n = 0;
      for await (const batch of dumpConntrack(filter, fo).batches()) {
        let out = '';
        for (const c of batch) {
          if (!matches(o, c)) continue;
          out += lineOf(o, c);
          n++;
        }
        if (out && !process.stdout.write(out)) await new Promise((r) => process.stdout.once('drain', r));
      }
      summary(`${n} flow entries have been shown.`);
      return 0;
    }
    case 'G': {
      try {
        print(o, await getConntrack(tuple(o), fo));
      } catch (e) {
        if ((e as { code?: string }).code === 'ENOENT') {
          summary('Operation failed: such conntrack doesn\'t exist');
          return 1;
        }
        throw e;
      }
      summary('1 flow entries have been shown.');
      return 0;
    }
    case 'D': {
      const victims: Conntrack[] = [];
      for await (const c of dumpConntrack(filter, fo)) if (matches(o, c)) victims.push(c);
      let n = 0;
      for (const c of victims) {
        try {
          await deleteConntrack(c, fo);
          print(o, c);
          n++;
        } catch (e) {
          if ((e as { code?: string }).code !== 'ENOENT') throw e; // gone meanwhile
        }
      }
      summary(`${n} flow entries have been deleted.`);
      return 0;
    }
    case 'F':
      await flushConntrack(o.family, fo);
      summary('connection tracking table has been emptied.');
      return 0;
    case 'I': {
      if (o.timeout === undefined) throw new UsageError('conntrack: -I needs a timeout (-t)');
      await createConntrack({ orig: tuple(o), timeout: o.timeout, ...(o.mark !== undefined ? { mark: o.mark } : {}) }, fo);
      summary('1 flow entries have been created.');
      return 0;
    }
    case 'E': {
      const ac = new AbortController();
      const stop = () => ac.abort();
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
      let n = 0;
      try {
        for await (const e of conntrackEvents(o.events ?? ['new', 'update', 'destroy'], { ...fo, signal: ac.signal })) {
          if ('overrun' in e) {
            process.stderr.write(`${SUMMARY}: WARNING: events lost (receive buffer overrun)\n`);
            continue;
          }
          if (!matches(o, e.conntrack)) continue;
          print(o, e.conntrack, e.event);
          n++;
        }
      } catch (e) {
        if (!ac.signal.aborted) throw e;
      }
      summary(`${n} flow events have been shown.`);
      return 0;
    }
  }
}
