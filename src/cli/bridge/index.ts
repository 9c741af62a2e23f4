// `nlkit bridge`: the bridge tool's grammar, `bridge [ OPTIONS ] OBJECT { COMMAND | help }`,
// over nlkit/route: fdb, link, mdb, vlan and monitor. Text in bridge's shape, JSON like
// `bridge -j`, and bridge's exit statuses: a failed command is 255 (its handlers return -1),
// a dump that breaks off is 1, a failed -batch line makes the batch 1.
import { EXIT_OK, UsageError } from '../errors.js';
import { matches } from '../ip/argv.js';
import type { IpContext, IpOptions } from '../ip/index.js';
import { Output } from '../ip/output.js';
import { readBatchText, reportFailure, runBatchText, type FailureStatus } from '../iproute2.js';

/** bridge's exit statuses: `return -1` from a command is 255, exit(1) for a broken dump. */
export const BRIDGE_EXIT = { FAILURE: 255, DUMP: 1 } as const;

/** Global options of `nlkit bridge`. */
export interface BridgeOptions {
  stats: number;
  details: number;
  json: boolean;
  pretty: boolean;
  oneline: boolean;
  timestamp: number;
  /** -c: print VLAN ranges compressed (RTEXT_FILTER_BRVLAN_COMPRESSED). */
  compressVlans: boolean;
  netns: string | undefined;
  force: boolean;
  batch?: string;
  family: 0 | 4 | 6;
}

/** Everything an object's command needs: options, output, and the ip-shaped context the shared Session takes. */
export interface BridgeContext {
  opts: BridgeOptions;
  out: Output;
  /** The same run as an IpContext (for Session and the link printers shared with `nlkit ip`). */
  ip: IpContext;
}

/** A dump the kernel ended with an error (bridge prints it, then `Dump terminated`, exit 1). */
export { DumpTerminated as BridgeDumpTerminated } from '../iproute2.js';

/** `nlkit bridge help` text (bridge's usage, with nlkit's name). */
export const USAGE = `Usage: nlkit bridge [ OPTIONS ] OBJECT { COMMAND | help }
       nlkit bridge [ -force ] -batch filename
where  OBJECT := { link | fdb | mdb | vlan | monitor }
       OPTIONS := { -V[ersion] | -s[tatistics] | -d[etails] |
                    -o[neline] | -t[imestamp] | -n[etns] name |
                    -c[ompressvlans] -color -p[retty] -j[son] }
`;

type Loader = () => Promise<{ run(ctx: BridgeContext, args: string[]): Promise<number> }>;

// bridge's do_cmd order: an abbreviation picks the first match ("m" is mdb, "mo" monitor).
const OBJECTS: [string, Loader | null][] = [
  ['link', () => import('./link.js')],
  ['fdb', () => import('./fdb.js')],
  ['mdb', () => import('./mdb.js')],
  ['vlan', () => import('./vlan.js')],
  ['vni', null],
  ['monitor', () => import('./monitor.js')],
];

/** A usage error printed as bridge prints it: the message only, exit 255 (a command's `return -1`: a -force batch goes on). */
export function bridgeError(message: string): UsageError {
  return new UsageError(message, undefined, BRIDGE_EXIT.FAILURE);
}

/** A mistake bridge reports with exit(-1) (usage, invarg, duparg, an unknown command): it ends a batch, -force or not. */
export class BridgeExit extends UsageError {}

/** bridge's exit(-1) after printing `message`. */
export function bridgeExit(message: string): BridgeExit {
  return new BridgeExit(message, undefined, BRIDGE_EXIT.FAILURE);
}

/** Parses the global options as bridge's main() does. */
/** `dev DEV` and `vid VID` of a `show` (mdb, vlan), parsed as bridge parses them. */
export function parseDevVid(args: readonly string[]): { dev: string | undefined; vid: number } {
  let dev: string | undefined, vid = 0;
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a !== 'dev' && a !== 'vid') continue;
    const v = args[++i];
    if (v === undefined) throw bridgeExit(`Command line is not complete. Try option "help"`);
    if (a === 'dev') {
      if (dev !== undefined) throw bridgeExit(`Error: duplicate "dev": "${v}" is the second value.`);
      dev = v;
    } else {
      if (vid) throw bridgeExit(`Error: duplicate "vid": "${v}" is the second value.`);
      vid = Number.parseInt(v, 10) || 0;
    }
  }
  return { dev, vid };
}

export function parseOptions(argv: string[]): { opts: BridgeOptions; rest: string[] } {
  const opts: BridgeOptions = {
    stats: 0, details: 0, json: false, pretty: false, oneline: false, timestamp: 0, compressVlans: false, netns: undefined,
    force: false, family: 0,
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
    const value = (): string => {
      const v = argv[++i];
      if (v === undefined) throw new UsageError(USAGE.trimEnd(), undefined, BRIDGE_EXIT.FAILURE);
      return v;
    };
    if (matches(opt, '-help')) throw new UsageError(USAGE.trimEnd(), undefined, BRIDGE_EXIT.FAILURE);
    else if (matches(opt, '-Version')) throw new UsageError('nlkit bridge follows the bridge utility 6.1\'s grammar; see "nlkit --version".', undefined, EXIT_OK);
    else if (matches(opt, '-stats')) opts.stats++;
    else if (matches(opt, '-details')) opts.details++;
    else if (matches(opt, '-oneline')) opts.oneline = true;
    else if (matches(opt, '-timestamp')) opts.timestamp++;
    else if (matches(opt, '-family')) {
      const f = value();
      if (f === 'inet') opts.family = 4;
      else if (f === 'inet6') opts.family = 6;
      else if (f !== 'bridge' && f !== 'help') throw bridgeError(`Error: argument "${f}" is wrong: invalid protocol family`);
    } else if (opt === '-4') opts.family = 4;
    else if (opt === '-6') opts.family = 6;
    else if (matches(opt, '-netns')) opts.netns = value();
    else if (matches(opt, '-compressvlans')) opts.compressVlans = true;
    else if (matches(opt, '-color') || opt.startsWith('-color=') || opt.startsWith('-c=')) { /* no colour */ }
    else if (matches(opt, '-force')) opts.force = true;
    else if (matches(opt, '-json')) opts.json = true;
    else if (matches(opt, '-pretty')) opts.pretty = true;
    else if (matches(opt, '-batch')) opts.batch = value();
    else throw bridgeError(`Option "${argv[i]}" is unknown, try "bridge help".`);
  }
  return { opts, rest: argv.slice(i) };
}

function ipContext(opts: BridgeOptions, out: Output): IpContext {
  const ip: IpOptions = {
    family: opts.family, stats: opts.stats, details: opts.details, json: opts.json, pretty: opts.pretty, brief: false,
    oneline: opts.oneline, timestamp: opts.timestamp ? 1 : 0, netns: opts.netns, all: false,
  };
  return { opts: ip, out, object: 'bridge' };
}

/** Entry point of `nlkit bridge`. */
export async function run(argv: string[]): Promise<number> {
  let parsed: ReturnType<typeof parseOptions>;
  try {
    parsed = parseOptions(argv);
  } catch (e) {
    return reportBridgeError(e);
  }
  const { opts, rest } = parsed;
  if (opts.batch !== undefined) return runBatch(opts, opts.batch).catch(reportBridgeError);
  if (rest.length === 0 || matches(rest[0], 'help')) {
    process.stderr.write(USAGE);
    return BRIDGE_EXIT.FAILURE;
  }
  return runOne(opts, rest);
}

/** Runs one command line (object and arguments) and reports its failure like bridge. */
async function runOne(opts: BridgeOptions, words: string[], exited?: { fatal: boolean }): Promise<number> {
  const out = new Output({ json: opts.json, pretty: opts.pretty, oneline: opts.oneline });
  try {
    const entry = OBJECTS.find(([name]) => matches(words[0], name));
    if (!entry) throw bridgeError(`Object "${words[0]}" is unknown, try "bridge help".`);
    if (!entry[1]) throw bridgeError(`Object "${entry[0]}" is not supported by nlkit bridge.`);
    const mod = await entry[1]();
    return await mod.run({ opts, out, ip: ipContext(opts, out) }, words.slice(1));
  } catch (e) {
    await out.flush().catch(() => undefined);
    if (e instanceof BridgeExit && exited) exited.fatal = true;
    return reportBridgeError(e);
  }
}

/** `nlkit bridge -batch FILE`: each line one command; a failure stops the batch unless -force, and makes it exit 1. */
async function runBatch(opts: BridgeOptions, file: string): Promise<number> {
  let text: string;
  try {
    text = readBatchText(file);
  } catch (e) {
    throw bridgeError(`Cannot open file "${file}" for reading: ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'No such file or directory' : (e as Error).message}`);
  }
  return runBatchText(file, text, { force: opts.force === true, failed: 1 }, async (words) => {
    const exited = { fatal: false };
    const status = await runOne(opts, words, exited);
    return { status, ends: exited.fatal };
  });
}

const BRIDGE_STATUS: FailureStatus = { usage: BRIDGE_EXIT.FAILURE, refused: BRIDGE_EXIT.FAILURE, dump: BRIDGE_EXIT.DUMP, noDevice: BRIDGE_EXIT.FAILURE, netns: BRIDGE_EXIT.FAILURE };

/**
 * Prints an expected failure as bridge does and returns its status: the kernel's extended-ACK
 * text as `Error: <text>.`, else `RTNETLINK answers: <strerror>`; unknown devices; usage errors.
 * All are 255 (bridge's commands return -1), a broken dump is 1. Anything else is a bug: rethrown.
 */
export function reportBridgeError(e: unknown, write: (s: string) => void = (s) => process.stderr.write(s)): number {
  return reportFailure(e, BRIDGE_STATUS, write);
}
