// nlkit conntrack: the connection and expectation tables over ctnetlink in the conntrack tool's
// grammar and line format: -L (list), -G (get), -D (delete), -F (flush), -I (create), -U
// (update), -E (events), -C (count), -S (per-CPU statistics), each on the `conntrack` table or,
// with the word `expect` after the command, on the expectation table. Filters and fields: -p,
// -s, -d, -r, -q, --sport, --dport, --mark M[/MASK], -u STATUS, --state, -w ZONE, -f
// ipv4|ipv6, -t; for expectations --tuple-src/--tuple-dst, --mask-src/--mask-dst and
// --tuple-port-*/--mask-port-* (and --helper NAME, nlkit's own, to make an entry a helper's
// master). --netns NAME, -o json / -j (one JSON object a line). The summary goes to stderr as
// conntrack prints it; the exit status is conntrack's (1 when a command other than a list
// touched nothing, 2 for a usage error).
import {
  conntrackEvents, createConntrack, createExpect, deleteConntrack, deleteExpect, dumpConntrack, dumpConntrackStats, dumpConntrackText, dumpExpect,
  dumpExpectStats, expectEvents, flushConntrack, flushExpect, formatConntrack, formatCpuStats, formatExpect, getConntrack,
  getConntrackCount, getExpect, updateConntrack, IPS,
  type Conntrack, type ConntrackFilter, type Expect, type Tuple,
} from '../../netfilter/index.js';
import { NetlinkError, type FamilyOptions } from '../../socket/index.js';
import { UsageError } from '../usage.js';

const PROTOS: Record<string, number> = { icmp: 1, tcp: 6, udp: 17, dccp: 33, icmpv6: 58, sctp: 132, udplite: 136, gre: 47 };
const STATUS: Record<string, number> = { ASSURED: IPS.ASSURED, SEEN_REPLY: IPS.SEEN_REPLY, FIXED_TIMEOUT: IPS.FIXED_TIMEOUT, EXPECTED: IPS.EXPECTED, UNSET: 0 };
const SUMMARY = 'conntrack (nlkit)';
const COMMANDS = 'L G D F I U E C S';

type Cmd = 'L' | 'G' | 'D' | 'F' | 'I' | 'U' | 'E' | 'C' | 'S';

interface Options {
  cmd: Cmd;
  expect: boolean;
  netns?: string;
  json: boolean;
  family?: 'ipv4' | 'ipv6';
  protocol?: number;
  src?: string;
  dst?: string;
  replySrc?: string;
  replyDst?: string;
  sport?: number;
  dport?: number;
  replySport?: number;
  replyDport?: number;
  mark?: number;
  markMask?: number;
  status?: number;
  state?: string;
  zone?: number;
  timeout?: number;
  helper?: string;
  events?: ('new' | 'update' | 'destroy')[];
  tupleSrc?: string;
  tupleDst?: string;
  maskSrc?: string;
  maskDst?: string;
  tupleSport?: number;
  tupleDport?: number;
  maskSport?: number;
  maskDport?: number;
}

/** The value-taking options: their names and where each goes. */
const VALUE_OPTS: Record<string, (o: Partial<Options>, v: string, name: string) => void> = {};
const num = (v: string, name: string, max = 0xffffffff) => {
  const n = Number(v);
  if (v.trim() === '' || !Number.isInteger(n) || n < 0 || n > max) throw new UsageError(`conntrack: bad ${name} "${v}"`);
  return n;
};
const port = (v: string, name: string) => num(v, name, 0xffff);
function def(names: string, set: (o: Partial<Options>, v: string, name: string) => void): void {
  for (const n of names.split(' ')) VALUE_OPTS[n] = set;
}
def('--netns -N', (o, v) => (o.netns = v));
def('-f --family', (o, v) => {
  if (v !== 'ipv4' && v !== 'ipv6') throw new UsageError(`conntrack: \`${v}' unsupported protocol`);
  o.family = v;
});
def('-p --proto --protonum', (o, v) => {
  const p = PROTOS[v] ?? num(v, 'protocol', 255);
  o.protocol = p;
});
def('-s --src --orig-src', (o, v) => (o.src = v));
def('-d --dst --orig-dst', (o, v) => (o.dst = v));
def('-r --reply-src', (o, v) => (o.replySrc = v));
def('-q --reply-dst', (o, v) => (o.replyDst = v));
def('--sport --orig-port-src', (o, v, n) => (o.sport = port(v, n)));
def('--dport --orig-port-dst', (o, v, n) => (o.dport = port(v, n)));
def('--reply-port-src', (o, v, n) => (o.replySport = port(v, n)));
def('--reply-port-dst', (o, v, n) => (o.replyDport = port(v, n)));
def('-t --timeout', (o, v) => (o.timeout = num(v, 'timeout')));
def('-w --zone', (o, v) => (o.zone = num(v, 'zone', 0xffff)));
def('--state', (o, v) => (o.state = v.toUpperCase()));
def('--helper', (o, v) => (o.helper = v));
def('-m --mark', (o, v) => {
  const [m, mask] = v.split('/');
  o.mark = num(m!, 'mark');
  if (mask !== undefined) o.markMask = num(mask, 'mark mask');
});
def('-u --status', (o, v) => {
  let bits = 0;
  for (const w of v.split(',')) {
    const b = STATUS[w.toUpperCase()];
    if (b === undefined) throw new UsageError(`conntrack: Bad parameter \`${w}'`);
    bits |= b;
  }
  o.status = bits;
});
def('-e --event-mask', (o, v) => {
  o.events = v.toLowerCase().split(',').flatMap((e) => {
    if (e === 'all') return ['new', 'update', 'destroy'] as const;
    if (e === 'updates') return ['update'] as const;
    if (e !== 'new' && e !== 'update' && e !== 'destroy') throw new UsageError(`conntrack: Bad parameter \`${e}'`);
    return [e] as const;
  });
});
def('-o --output', (o, v) => {
  if (v !== 'json') throw new UsageError(`conntrack: output format "${v}" is not supported (json is)`);
  o.json = true;
});
def('--tuple-src', (o, v) => (o.tupleSrc = v));
def('--tuple-dst', (o, v) => (o.tupleDst = v));
def('--mask-src', (o, v) => (o.maskSrc = v));
def('--mask-dst', (o, v) => (o.maskDst = v));
def('--tuple-port-src', (o, v, n) => (o.tupleSport = port(v, n)));
def('--tuple-port-dst', (o, v, n) => (o.tupleDport = port(v, n)));
def('--mask-port-src', (o, v, n) => (o.maskSport = port(v, n)));
def('--mask-port-dst', (o, v, n) => (o.maskDport = port(v, n)));

const LONG_CMDS: Record<string, Cmd> = {
  '--dump': 'L', '--get': 'G', '--delete': 'D', '--flush': 'F', '--create': 'I', '--update': 'U', '--event': 'E', '--counter': 'C', '--stats': 'S',
};

function parse(args: string[]): Options {
  let cmd: Cmd | undefined;
  let table: string | undefined;
  const o: Partial<Options> = { json: false };
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    const c = LONG_CMDS[a] ?? (/^-[A-Z]$/.test(a) && COMMANDS.includes(a[1]!) ? a[1] as Cmd : undefined);
    if (c) {
      if (cmd && cmd !== c) throw new UsageError('conntrack: Invalid commands combination');
      cmd = c;
      // The table, when one follows the command: conntrack's check_type().
      const next = args[i + 1];
      if (next !== undefined && !next.startsWith('-')) {
        if (next.startsWith('expect') || next.startsWith('conntrack')) table = next.startsWith('expect') ? 'expect' : 'conntrack';
        else throw new UsageError(`conntrack: unknown type \`${next}'`);
        i++;
      }
      continue;
    }
    if (a === '-j' || a === '--json') {
      o.json = true;
      continue;
    }
    const set = VALUE_OPTS[a];
    if (!set) throw new UsageError(`conntrack: unknown option \`${a}'`);
    const v = args[++i];
    if (v === undefined) throw new UsageError(`conntrack: option \`${a}' requires an argument`);
    set(o, v, a);
  }
  if (!cmd) throw new UsageError('conntrack: no command specified (-L, -G, -D, -F, -I, -U, -E, -C or -S)');
  const expect = table === 'expect';
  if (expect && cmd === 'U') throw new UsageError('conntrack: Can\'t do --update on expectations');
  return { ...o, cmd, expect } as Options;
}

function matches(o: Options, c: Conntrack): boolean {
  const t = c.orig;
  const r = c.reply;
  return (o.protocol === undefined || t.protocol === o.protocol) && (o.src === undefined || t.src === o.src)
    && (o.dst === undefined || t.dst === o.dst) && (o.sport === undefined || t.sport === o.sport) && (o.dport === undefined || t.dport === o.dport)
    && (o.replySrc === undefined || r.src === o.replySrc) && (o.replyDst === undefined || r.dst === o.replyDst)
    && (o.replySport === undefined || r.sport === o.replySport) && (o.replyDport === undefined || r.dport === o.replyDport)
    && (o.zone === undefined || c.zone === o.zone);
}

/** True when the command line filters on something the kernel's dump filter cannot (tuple fields). */
const clientFiltered = (o: Options) => [o.protocol, o.src, o.dst, o.sport, o.dport, o.replySrc, o.replyDst, o.replySport, o.replyDport, o.zone]
  .some((v) => v !== undefined);

/** The original tuple the command line names (-p, -s, -d, --sport, --dport). */
function tuple(o: Options): Tuple {
  if (o.src === undefined || o.dst === undefined || o.protocol === undefined) throw new UsageError('conntrack: this command needs -p, -s and -d');
  return {
    src: o.src, dst: o.dst, protocol: o.protocol,
    ...(o.sport !== undefined ? { sport: o.sport } : {}), ...(o.dport !== undefined ? { dport: o.dport } : {}),
  };
}

/** The expected tuple and its mask of `-I expect` (--tuple-*, --mask-*). */
function expected(o: Options): { tuple: Tuple; mask: Tuple } {
  for (const [v, n] of [[o.tupleSrc, 'tuple-src'], [o.tupleDst, 'tuple-dst'], [o.maskSrc, 'mask-src'], [o.maskDst, 'mask-dst']] as const) {
    if (v === undefined) throw new UsageError(`conntrack: You need to supply the \`--${n}' option for this command`);
  }
  const p = o.protocol!;
  const ports = (s: number | undefined, d: number | undefined) => ({ ...(s !== undefined ? { sport: s } : {}), ...(d !== undefined ? { dport: d } : {}) });
  return {
    tuple: { src: o.tupleSrc!, dst: o.tupleDst!, protocol: p, ...ports(o.tupleSport, o.tupleDport) },
    mask: { src: o.maskSrc!, dst: o.maskDst!, protocol: p, ...ports(o.maskSport, o.maskDport) },
  };
}

const json = (x: unknown) => JSON.stringify(x, (_k, v) => (typeof v === 'bigint' ? v.toString() : v));
/** `[NEW]`, `[UPDATE]`, `[DESTROY]` right-aligned in nine columns, as libnetfilter_conntrack prints them. */
const eventTag = (e: string) => `[${e.toUpperCase()}]`.padStart(9) + ' ';
/** One entry's line (text or JSON). */
const lineOf = (o: Options, c: Conntrack, event = '') => `${o.json ? json(event ? { event, ...c } : c) : (event ? eventTag(event) : '') + formatConntrack(c)}\n`;
const expLineOf = (o: Options, e: Expect, event = '') => `${o.json ? json(event ? { event, ...e } : e) : (event ? eventTag(event) : '') + formatExpect(e)}\n`;
const print = (s: string) => process.stdout.write(s);
const summary = (text: string) => process.stderr.write(`${SUMMARY}: ${text}\n`);
const codeOf = (e: unknown) => (e as { code?: string }).code;

/** Prints conntrack's "Operation failed" line for a request the kernel refused and returns its exit status (1). */
function failed(e: unknown, words: Record<string, string>): number {
  if (!(e instanceof NetlinkError)) throw e;
  summary(`Operation failed: ${words[e.code] ?? e.detail}`);
  return 1;
}

/** Writes one dump batch at a time: one write per entry costs more than the dump itself. */
async function write(out: string): Promise<void> {
  if (out && !process.stdout.write(out)) await new Promise((r) => process.stdout.once('drain', r));
}

/** Runs until SIGINT or SIGTERM: `fn` gets the signal that ends it. */
async function untilSignal(fn: (signal: AbortSignal) => Promise<void>): Promise<void> {
  const ac = new AbortController();
  const stop = () => ac.abort();
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  try {
    await fn(ac.signal);
  } catch (e) {
    if (!ac.signal.aborted) throw e;
  } finally {
    process.off('SIGINT', stop);
    process.off('SIGTERM', stop);
  }
}

/** Runs `nlkit conntrack ARGS`; resolves with the exit status. */
export async function run(args: string[]): Promise<number> {
  const o = parse(args);
  const fo: FamilyOptions = o.netns !== undefined ? { netns: o.netns } : {};
  return o.expect ? runExpect(o, fo) : runConntrack(o, fo);
}

async function runConntrack(o: Options, fo: FamilyOptions): Promise<number> {
  const filter: ConntrackFilter = {
    ...(o.family ? { family: o.family } : {}), ...(o.mark !== undefined ? { mark: o.mark, ...(o.markMask !== undefined ? { markMask: o.markMask } : {}) } : {}),
  };
  switch (o.cmd) {
    case 'L': {
      if (o.status !== undefined) Object.assign(filter, { status: o.status });
      let n = 0;
      if (!o.json && !clientFiltered(o)) {
        // Lines straight from the datagrams: no entry objects (the common `conntrack -L`).
        for await (const batch of dumpConntrackText(filter, fo).batches()) {
          await write(batch.length ? `${batch.join('\n')}\n` : '');
          n += batch.length;
        }
        summary(`${n} flow entries have been shown.`);
        return 0;
      }
      for await (const batch of dumpConntrack(filter, fo).batches()) {
        let out = '';
        for (const c of batch) {
          if (!matches(o, c)) continue;
          out += lineOf(o, c);
          n++;
        }
        await write(out);
      }
      summary(`${n} flow entries have been shown.`);
      return 0;
    }
    case 'G': {
      try {
        print(lineOf(o, await getConntrack(tuple(o), fo)));
      } catch (e) {
        return failed(e, { ENOENT: 'such conntrack doesn\'t exist' });
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
          print(lineOf(o, c));
          n++;
        } catch (e) {
          if (codeOf(e) !== 'ENOENT') throw e; // gone meanwhile
        }
      }
      summary(`${n} flow entries have been deleted.`);
      return n ? 0 : 1;
    }
    case 'U': {
      // As conntrack does: select with the tuple options, then change each entry where it differs.
      const selected: Conntrack[] = [];
      const sel: ConntrackFilter = o.family ? { family: o.family } : {};
      for await (const c of dumpConntrack(sel, fo)) if (matches(o, c)) selected.push(c);
      let n = 0;
      for (const c of selected) {
        const mark = o.mark === undefined ? undefined : (((c.mark ?? 0) & ~(o.markMask ?? 0xffffffff)) | o.mark) >>> 0;
        if ((mark === undefined || mark === c.mark) && o.timeout === undefined && o.status === undefined) continue;
        try {
          await updateConntrack({
            orig: c.orig, ...(mark !== undefined ? { mark } : {}), ...(o.timeout !== undefined ? { timeout: o.timeout } : {}),
            ...(o.status !== undefined ? { status: o.status } : {}),
          }, fo);
          print(lineOf(o, await getConntrack(c.orig, fo)));
          n++;
        } catch (e) {
          if (codeOf(e) !== 'ENOENT') return failed(e, {}); // gone meanwhile: not counted
        }
      }
      summary(`${n} flow entries have been updated.`);
      return n ? 0 : 1;
    }
    case 'F':
      await flushConntrack(o.family, fo);
      summary('connection tracking table has been emptied.');
      return 0;
    case 'I': {
      if (o.protocol === undefined) throw new UsageError('conntrack: You need to supply the `--protonum\' option for this command');
      if (o.timeout === undefined) throw new UsageError('conntrack: You need to supply the `--timeout\' option for this command');
      if (o.protocol === 6 && o.state === undefined) throw new UsageError('conntrack: You need to supply the `--state\' option for this command');
      const reply = o.replySrc !== undefined && o.replyDst !== undefined ? {
        reply: {
          src: o.replySrc, dst: o.replyDst, protocol: o.protocol,
          ...(o.replySport !== undefined ? { sport: o.replySport } : {}), ...(o.replyDport !== undefined ? { dport: o.replyDport } : {}),
        },
      } : {};
      try {
        await createConntrack({
          orig: tuple(o), ...reply, timeout: o.timeout, ...(o.mark !== undefined ? { mark: o.mark } : {}),
          ...(o.status !== undefined ? { status: o.status } : {}), ...(o.zone !== undefined ? { zone: o.zone } : {}),
          ...(o.state !== undefined ? { tcpState: o.state } : {}), ...(o.helper !== undefined ? { helper: o.helper } : {}),
        }, fo);
      } catch (e) {
        if (e instanceof TypeError) throw new UsageError(`conntrack: ${e.message}`);
        return failed(e, { EEXIST: 'Such conntrack exists, try -U to update', ENOENT: 'such conntrack doesn\'t exist' });
      }
      summary('1 flow entries have been created.');
      return 0;
    }
    case 'E': {
      let n = 0;
      await untilSignal(async (signal) => {
        for await (const e of conntrackEvents(o.events ?? ['new', 'update', 'destroy'], { ...fo, signal })) {
          if ('overrun' in e) {
            process.stderr.write('WARNING: We have hit ENOBUFS! We are losing events.\n');
            continue;
          }
          if (!matches(o, e.conntrack)) continue;
          print(lineOf(o, e.conntrack, e.event));
          n++;
        }
      });
      summary(`${n} flow events have been shown.`);
      return 0;
    }
    case 'C': {
      const c = await getConntrackCount(fo);
      print(o.json ? `${json(c)}\n` : `${c.entries}\n`);
      return 0;
    }
    case 'S': {
      let out = '';
      for await (const s of dumpConntrackStats(fo)) out += o.json ? `${json(s)}\n` : `${formatCpuStats(s)}\n`;
      await write(out);
      return 0;
    }
  }
}

async function runExpect(o: Options, fo: FamilyOptions): Promise<number> {
  switch (o.cmd) {
    case 'L': {
      let n = 0;
      for await (const batch of dumpExpect(o.family ? { family: o.family } : {}, fo).batches()) {
        await write(batch.map((e) => expLineOf(o, e)).join(''));
        n += batch.length;
      }
      summary(`${n} expectations have been shown.`);
      return 0;
    }
    case 'G':
      try {
        print(expLineOf(o, await getExpect(tuple(o), fo)));
      } catch (e) {
        return failed(e, {});
      }
      return 0;
    case 'D': {
      try {
        await deleteExpect(tuple(o), fo);
      } catch (e) {
        return failed(e, {});
      }
      // conntrack counts nothing here: it always says 0 and exits 1 (print_stats); so do we.
      summary('0 expectations have been shown.');
      return 1;
    }
    case 'F':
      await flushExpect(o.family, fo);
      summary('expectation table has been emptied.');
      return 0;
    case 'I': {
      if (o.protocol === undefined) throw new UsageError('conntrack: You need to supply the `--protonum\' option for this command');
      if (o.timeout === undefined) throw new UsageError('conntrack: You need to supply the `--timeout\' option for this command');
      const { tuple: t, mask } = expected(o);
      try {
        await createExpect({
          master: tuple(o), tuple: t, mask, timeout: o.timeout,
          ...(o.zone !== undefined ? { zone: o.zone } : {}), ...(o.helper !== undefined ? { helper: o.helper } : {}),
        }, fo);
      } catch (e) {
        return failed(e, { ENOENT: 'master conntrack not found', EINVAL: 'invalid parameters' });
      }
      return 0;
    }
    case 'E': {
      let n = 0;
      await untilSignal(async (signal) => {
        for await (const e of expectEvents(o.events ?? ['new', 'update', 'destroy'], { ...fo, signal })) {
          if ('overrun' in e) {
            process.stderr.write('WARNING: We have hit ENOBUFS! We are losing events.\n');
            continue;
          }
          print(expLineOf(o, e.expect, e.event));
          n++;
        }
      });
      summary(`${n} expectation events have been shown.`);
      return 0;
    }
    case 'C': {
      let n = 0;
      for await (const batch of dumpExpect(o.family ? { family: o.family } : {}, fo).batches()) n += batch.length;
      print(`${n}\n`);
      return 0;
    }
    case 'S': {
      let out = '';
      for await (const s of dumpExpectStats(fo)) out += o.json ? `${json(s)}\n` : `${formatCpuStats(s, 'expect_')}\n`;
      await write(out);
      return 0;
    }
    case 'U':
      throw new UsageError('conntrack: Can\'t do --update on expectations');
  }
}
