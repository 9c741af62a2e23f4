// `nlkit ip`: iproute2's grammar, `ip [ OPTIONS ] OBJECT { COMMAND | help }`, over nlkit/route.
// Options and the object are parsed here; each object's module is imported only when used, so
// `nlkit ip route show` loads the route printer and nothing else.
import { EXIT_OK, UsageError } from '../errors.js';
import { IP_EXIT, matches, usage } from './argv.js';
import type { Family } from './argv.js';
import { Output } from './output.js';
import { readBatchText, reportFailure, runBatchText, type FailureStatus } from '../iproute2.js';
import { OBJECT_MODULES } from './objects.js';

/** Global options of `nlkit ip`, as ip parses them before the object. */
export interface IpOptions {
  /** -4 / -6 / -0 (-f inet|inet6|link): 0 means unspecified, 17 AF_PACKET. */
  family: 0 | Family | 17;
  /** -s, repeatable. */
  stats: number;
  /** -d, repeatable. */
  details: number;
  json: boolean;
  pretty: boolean;
  brief: boolean;
  oneline: boolean;
  /** -t / -ts: timestamps in monitor. */
  timestamp: 0 | 1 | 2;
  /** -n NETNS / --netns NAME. */
  netns: string | undefined;
  /** -a: all (used by netns). */
  all: boolean;
  /** -b FILE / -batch FILE: commands one per line ("-" is stdin). */
  batch?: string;
  /** -force: go on after a failed batch line. */
  force?: boolean;
  /** -h / -human(-readable): counters as 1.2M (text only); -iec: powers of 1024 with "Ki". */
  human?: number;
  iec?: boolean;
  /** -c / -color[=always|auto|never]: ip's colours in text output. */
  color?: boolean;
}

/** What an object module exports. */
export interface IpObjectModule {
  run(ctx: IpContext, args: string[]): Promise<number>;
}

/** Everything an object's command needs. */
export interface IpContext {
  opts: IpOptions;
  out: Output;
  /** The object name as matched, e.g. 'route'. */
  object: string;
}

/** Imports an object's module on first use. */
export type Loader = () => Promise<IpObjectModule>;

// ip's object table, in ip's order: an abbreviation picks the first entry it is a prefix of
// ("a" is address, "n" neighbour, "l" link, "m" maddress, "mo" monitor, "net" netns).
const OBJECTS: [string, Loader | null][] = [
  ['address', () => import('./address.js')],
  ['addrlabel', () => import('./addrlabel.js')],
  ['maddress', null],
  ['route', () => import('./route.js')],
  ['rule', () => import('./rule.js')],
  ['neighbor', () => import('./neigh.js')],
  ['neighbour', () => import('./neigh.js')],
  ['ntable', () => import('./ntable.js')],
  ['ntbl', () => import('./ntable.js')],
  ['link', () => import('./link.js')],
  ['l2tp', null],
  ['fou', null],
  ['ila', null],
  ['macsec', null],
  ['tunnel', null],
  ['tunl', null],
  ['tuntap', null],
  ['tap', null],
  ['token', null],
  ['tcpmetrics', null],
  ['tcp_metrics', null],
  ['monitor', () => import('./monitor.js')],
  ['xfrm', () => import('./xfrm/index.js')],
  ['mroute', null],
  ['mrule', null],
  ['netns', () => import('./netns.js')],
  ['netconf', null],
  ['vrf', null],
  ['sr', null],
  ['nexthop', () => import('./nexthop.js')],
  ['mptcp', null],
  ['ioam', null],
  ['help', null],
  ['stats', null],
];

/** Objects nlkit adds to ip's: `nh` for nexthop. */
const ALIASES: Record<string, string> = { nh: 'nexthop' };

const CANONICAL: Record<string, string> = { neighbor: 'neigh', neighbour: 'neigh', address: 'address' };

/** `nlkit ip help` text. */
export const USAGE = `Usage: nlkit ip [ OPTIONS ] OBJECT { COMMAND | help }
where  OBJECT := { address | link | route | rule | neigh | nexthop | monitor | netns |
                   maddress | tuntap | netconf | stats | mptcp | vrf | addrlabel |
                   ntable | xfrm }
       OPTIONS := { -s[tatistics] | -d[etails] | -j[son] | -p[retty] | -br[ief] | -o[neline] |
                    -h[uman-readable] | -iec | -c[olor][={always|auto|never}] |
                    -4 | -6 | -0 | -f[amily] { inet | inet6 | link } |
                    -n[etns] NAME | --netns NAME | -t[imestamp] | -ts[hort] |
                    -b[atch] FILE | -force }
Output matches iproute2's: text in ip's shape, JSON field for field like ip -j.
ip monitor -j prints one JSON object per line (NDJSON).
`;

function hintIp(): string {
  return 'Try "nlkit ip help".';
}

/** Parses the global options; returns them and the index of the object argument. */
export function parseOptions(argv: string[]): { opts: IpOptions; rest: string[] } {
  const opts: IpOptions = {
    family: 0, stats: 0, details: 0, json: false, pretty: false, brief: false, oneline: false,
    timestamp: 0, netns: undefined, all: false,
  };
  let i = 0;
  for (; i < argv.length; i++) {
    let opt = argv[i]!;
    if (opt === '--') {
      i++;
      break;
    }
    if (!opt.startsWith('-') || opt === '-') break;
    if (opt.startsWith('--')) opt = opt.slice(1);
    const value = (name: string): string => {
      const v = argv[++i];
      if (v === undefined) throw new UsageError(`Option "${name}" needs an argument.`, hintIp(), IP_EXIT.INVARG);
      return v;
    };
    // The order of these tests is ip's: it decides what an abbreviation means.
    if (matches(opt, '-loops')) {
      value(opt);
    } else if (matches(opt, '-family')) {
      const f = value(opt);
      if (f === 'inet') opts.family = 4;
      else if (f === 'inet6') opts.family = 6;
      else if (f === 'link') opts.family = 17;
      else if (f === 'help') throw new UsageError(USAGE.trimEnd(), hintIp(), IP_EXIT.INVARG);
      else throw new UsageError(`Error: argument "${f}" is wrong: invalid protocol family`, hintIp(), IP_EXIT.INVARG);
    } else if (opt === '-4') {
      opts.family = 4;
    } else if (opt === '-6') {
      opts.family = 6;
    } else if (opt === '-0') {
      opts.family = 17;
    } else if (matches(opt, '-stats') || matches(opt, '-statistics')) {
      opts.stats++;
    } else if (matches(opt, '-details')) {
      opts.details++;
    } else if (matches(opt, '-human') || matches(opt, '-human-readable')) {
      opts.human = (opts.human ?? 0) + 1;
    } else if (matches(opt, '-iec')) {
      opts.iec = true;
    } else if (matches(opt, '-resolve')) {
      throw new UsageError('Option "-resolve" (reverse DNS) is not supported by nlkit ip.', hintIp());
    } else if (matches(opt, '-rcvbuf')) {
      value(opt);
    } else if (matches(opt, '-oneline')) {
      opts.oneline = true;
    } else if (matches(opt, '-timestamp')) {
      opts.timestamp = 1;
    } else if (matches(opt, '-tshort')) {
      opts.timestamp = 2;
    } else if (matches(opt, '-force')) {
      opts.force = true;
    } else if (matches(opt, '-batch')) {
      opts.batch = value(opt);
    } else if (matches(opt, '-brief')) {
      opts.brief = true;
    } else if (matches(opt, '-json')) {
      opts.json = true;
    } else if (matches(opt, '-pretty')) {
      opts.pretty = true;
    } else if (matches(opt, '-netns')) {
      const ns = value(opt);
      if (ns === '' || ns.includes('/') || ns === '.' || ns === '..') {
        throw new UsageError(`Invalid netns name "${ns}"`, hintIp(), IP_EXIT.INVARG);
      }
      opts.netns = ns;
    } else if (matches(opt, '-all')) {
      opts.all = true;
    } else if (matches(opt.split('=')[0]!, '-color')) {
      // ip's check_enable_color: -c alone is "always"; "auto" colours a terminal only.
      const eq = opt.indexOf('=');
      const v = eq < 0 ? 'always' : opt.slice(eq + 1);
      if (v === 'always') opts.color = true;
      else if (v === 'auto') opts.color = process.stdout.isTTY === true;
      else if (v === 'never') opts.color = false;
      else throw new UsageError(`Option "${argv[i]}" is unknown, try "ip -help".`, undefined, IP_EXIT.INVARG);
    } else if (matches(opt, '-Numeric')) {
      // Names are what iproute2's files say; -N is accepted and names stay.
    } else if (matches(opt, '-help')) {
      throw new UsageError(USAGE.trimEnd(), hintIp(), IP_EXIT.INVARG);
    } else if (matches(opt, '-Version')) {
      throw new UsageError('nlkit ip follows iproute2 6.1\'s grammar; see "nlkit --version".', hintIp());
    } else {
      throw new UsageError(`Option "${argv[i]}" is unknown, try "ip -help".`, undefined, IP_EXIT.INVARG);
    }
  }
  return { opts, rest: argv.slice(i) };
}

/** Finds the object a word names, or throws the usage error ip would print. */
export function resolveObject(word: string): { name: string; load: Loader } {
  const alias = ALIASES[word];
  const key = alias ?? word;
  for (const [name, load] of OBJECTS) {
    if (!matches(key, name)) continue;
    if (name === 'help') throw new UsageError(USAGE.trimEnd(), hintIp(), IP_EXIT.INVARG);
    const found = load ?? OBJECT_MODULES[name];
    if (!found) throw new UsageError(`Object "${name}" is not supported by nlkit ip.`, hintIp());
    return { name: CANONICAL[name] ?? name, load: found };
  }
  throw new UsageError(`Object "${word}" is unknown, try "ip help".`);
}

/** Entry point of `nlkit ip`. */
export async function run(argv: string[]): Promise<number> {
  let parsed: ReturnType<typeof parseOptions>;
  try {
    parsed = parseOptions(argv);
  } catch (e) {
    return reportIpError(e);
  }
  const { opts, rest } = parsed;
  if (opts.batch !== undefined) return runBatch(opts, opts.batch).catch(reportIpError);
  if (rest.length === 0) {
    process.stderr.write(USAGE);
    return IP_EXIT.INVARG;
  }
  if (matches(rest[0], 'help')) {
    return usage(USAGE);
  }
  return runOne(opts, rest);
}

/** Runs one command line (the object and its arguments) and reports its failure like ip. */
async function runOne(opts: IpOptions, words: string[]): Promise<number> {
  const out = new Output({ json: opts.json, pretty: opts.pretty, oneline: opts.oneline, color: opts.color === true && !opts.json });
  try {
    const { name, load } = resolveObject(words[0]!);
    const mod = await load();
    return await mod.run({ opts, out, object: name }, words.slice(1));
  } catch (e) {
    await out.flush().catch(() => undefined);
    return reportIpError(e);
  }
}

export { splitBatchLine } from '../iproute2.js';

/**
 * `nlkit ip -batch FILE`: each line is one `ip` command (options from the command line apply).
 * As ip's do_batch: a failed line makes the status 1 whatever its own was, and with -force the
 * next line runs; a mistake ip reports with exit(-1) (status 255) ends the batch, -force or not.
 */
async function runBatch(opts: IpOptions, file: string): Promise<number> {
  let text: string;
  try {
    text = readBatchText(file);
  } catch (e) {
    throw new UsageError(`Cannot open file "${file}" for reading: ${(e as Error).message}`, hintIp());
  }
  return runBatchText(file, text, { force: opts.force === true, failed: IP_EXIT.FAILURE, hint: hintIp() }, async (words) => {
    const status = await runOne(opts, words);
    return { status, ends: status === IP_EXIT.INVARG };
  });
}

const IP_STATUS: FailureStatus = { usage: IP_EXIT.FAILURE, refused: IP_EXIT.REFUSED, dump: IP_EXIT.REFUSED, noDevice: IP_EXIT.FAILURE, netns: IP_EXIT.INVARG };

/**
 * Prints an expected failure as ip does and returns ip's exit status (IP_EXIT): the kernel's
 * extended-ACK text as `Error: <text>.`, `RTNETLINK answers: <strerror>` when the kernel gave no
 * text (exit 2); unknown devices (exit 1); a namespace that cannot be opened (exit 255); usage
 * errors with a hint (their own status, else 1). Anything else is a bug: rethrown.
 */
export function reportIpError(e: unknown, write: (s: string) => void = (s) => process.stderr.write(s)): number {
  return reportFailure(e, IP_STATUS, write);
}

export { EXIT_OK, IP_EXIT };
