// `nlkit tc`: iproute2's tc grammar, `tc [ OPTIONS ] OBJECT { COMMAND | help }`, over
// nlkit/route. Options and the object are parsed here; each object's module is imported only
// when used. Exit statuses are tc's: what the object returned (0, 1 for a refused option or a
// missing device, 2 for a kernel refusal), 255 for a mistake in tc's own grammar.
import { existsSync } from 'node:fs';
import { NetlinkError, SocketError } from '../../socket/index.js';
import { Output } from '../ip/output.js';
import { readBatchText, runBatchText } from '../iproute2.js';
import { UsageError } from '../usage.js';
import { processIo, TcContext, type TcIo, type TcOptions } from './context.js';
import { refusalText } from './errors.js';
import { fail, matches, TC_EXIT, TcExit } from './grammar.js';

/** `tc help`. */
export const USAGE = `Usage:	tc [ OPTIONS ] OBJECT { COMMAND | help }
	tc [-force] -batch filename
where  OBJECT := { qdisc | class | filter | chain |
		    action | monitor | exec }
       OPTIONS := { -V[ersion] | -s[tatistics] | -d[etails] | -r[aw] |
		    -o[neline] | -j[son] | -p[retty] | -c[olor]
		    -b[atch] [filename] | -n[etns] name | -N[umeric] |
		     -nm | -nam[es] | { -cf | -conf } path
		     -br[ief] }`;

type ObjectModule = { run(ctx: TcContext, argv: string[]): Promise<number> };

// tc's do_cmd order: an abbreviation picks the first object it is a prefix of.
const OBJECTS: [string, () => Promise<ObjectModule>][] = [
  ['qdisc', () => import('./qdisc.js')],
  ['class', () => import('./class.js')],
  ['filter', () => import('./filter.js')],
  ['chain', () => import('./chain.js')],
  ['actions', () => import('./action.js')],
  ['monitor', () => import('./monitor.js')],
];

/** Parses tc's global options; returns them and the words after. */
export function parseOptions(argv: string[]): { opts: TcOptions; rest: string[] } {
  const opts: TcOptions = { stats: 0, details: 0, json: false, pretty: false, oneline: false, timestamp: 0, netns: undefined, force: false };
  let i = 0;
  for (; i < argv.length; i++) {
    const a = argv[i]!;
    if (!a.startsWith('-')) break;
    const value = (): string => {
      const v = argv[++i];
      if (v === undefined) throw fail('Command line is not complete. Try option "help"');
      return v;
    };
    if (matches(a, '-stats') || matches(a, '-statistics')) opts.stats++;
    else if (matches(a, '-details')) opts.details++;
    else if (matches(a, '-raw')) { /* raw handles: accepted, printed as without */ }
    else if (matches(a, '-pretty')) opts.pretty = true;
    else if (matches(a, '-graph')) throw fail('Option "-graph" is not supported by nlkit tc.');
    else if (matches(a, '-Version')) throw fail('nlkit tc follows iproute2 6.1\'s tc; see "nlkit --version".', 0);
    else if (matches(a, '-iec')) throw fail('Option "-iec" is not supported by nlkit tc.');
    else if (matches(a, '-help')) throw fail(USAGE, 0);
    else if (matches(a, '-force')) opts.force = true;
    else if (matches(a, '-batch')) {
      const f = argv[++i];
      if (f === undefined) throw fail(USAGE);
      opts.batch = f;
    } else if (matches(a, '-netns')) {
      const ns = argv[++i];
      if (ns === undefined || ns === '' || ns.includes('/') || !existsSync(`/run/netns/${ns}`)) {
        throw fail(`Cannot open network namespace "${ns ?? '(null)'}": No such file or directory`);
      }
      opts.netns = ns;
    } else if (matches(a, '-Numeric') || matches(a, '-names') || matches(a, '-nm')) { /* names stay */ }
    else if (matches(a, '-cf') || matches(a, '-conf')) value();
    else if (matches(a, '-color') || a.startsWith('-color=') || a.startsWith('-c=')) { /* no colour */ }
    else if (matches(a, '-timestamp')) opts.timestamp++;
    else if (matches(a, '-tshort')) opts.timestamp += 2;
    else if (matches(a, '-json')) opts.json = true;
    else if (matches(a, '-oneline')) opts.oneline = true;
    else if (matches(a, '-brief')) { /* brief: the full listing */ }
    else throw fail(`Option "${a}" is unknown, try "tc -help".`);
  }
  return { opts, rest: argv.slice(i) };
}

/** Prints a failure as tc does and returns its status; anything unexpected is rethrown. */
export function reportTcError(e: unknown, write: (s: string) => void = (s) => process.stderr.write(s)): number {
  if (e instanceof UsageError) {
    write(`${e.message}\n`);
    return e.status ?? TC_EXIT.INVARG;
  }
  if (e instanceof NetlinkError) {
    write(`${refusalText(e)}\nDump terminated\n`);
    return TC_EXIT.FAILURE;
  }
  if (e instanceof SocketError) {
    write(`Error: ${e.message}\n`);
    return TC_EXIT.FAILURE;
  }
  throw e;
}

/** do_cmd: one command line (the object and its words); a TcExit ends a batch (tc exits). */
async function runOne(ctx: TcContext, words: string[], batch = false): Promise<number> {
  const out = new Output({ json: ctx.opts.json, pretty: ctx.opts.pretty, oneline: ctx.opts.oneline, sink: ctx.io.stdout });
  try {
    const word = words[0]!;
    if (matches(word, 'help')) {
      ctx.err(`${USAGE}\n`);
      return 0;
    }
    const hit = OBJECTS.find(([name]) => matches(word, name));
    if (!hit) throw fail(`Object "${word}" is unknown, try "tc help".`);
    const mod = await hit[1]();
    return await mod.run(ctx.withOutput(out), words.slice(1));
  } catch (e) {
    await out.flush().catch(() => undefined);
    if (batch && e instanceof TcExit) throw e;
    return reportTcError(e, (s) => ctx.err(s));
  }
}

/** tc's batch(): a failed line makes the status 1 and, without -force, ends the batch. */
async function runBatch(ctx: TcContext, file: string): Promise<number> {
  let text: string;
  try {
    text = readBatchText(file);
  } catch {
    throw fail(`Cannot open file "${file}" for reading: No such file or directory`, TC_EXIT.FAILURE);
  }
  // A line tc would exit on throws TcExit out of runOne: that ends the batch.
  return runBatchText(file, text, { force: ctx.opts.force === true, failed: TC_EXIT.FAILURE, err: (s) => ctx.err(s) }, async (words) => ({ status: await runOne(ctx, words, true) }));
}

/** Entry point of `nlkit tc`. */
export function run(argv: string[]): Promise<number> {
  return runWith(argv, processIo());
}

/** `nlkit tc` with its output going to `io` (tests run it in-process). */
export async function runWith(argv: string[], io: TcIo): Promise<number> {
  const report = (e: unknown) => reportTcError(e, io.stderr);
  let parsed: ReturnType<typeof parseOptions>;
  try {
    parsed = parseOptions(argv);
  } catch (e) {
    return report(e);
  }
  const { opts, rest } = parsed;
  const ctx = new TcContext(opts, new Output({ json: opts.json, pretty: opts.pretty, oneline: opts.oneline, sink: io.stdout }), undefined, io);
  try {
    if (opts.batch !== undefined) return await runBatch(ctx, opts.batch).catch(report);
    if (rest.length === 0) {
      io.stderr(`${USAGE}\n`);
      return 0;
    }
    return await runOne(ctx, rest);
  } finally {
    ctx.close();
  }
}
