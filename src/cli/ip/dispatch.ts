// One dispatcher for every `ip OBJECT COMMAND …`: each object lists its commands once (the words
// that name them, in ip's matching order) and the shared verbs add/change/replace/prepend/append/
// delete map to the library call of that object in one table, instead of a switch per object.
import { Args, matches, usage } from './argv.js';
import type { IpContext } from './index.js';

/** The modify verbs ip shares across objects (iproute2's *_modify(cmd, flags)). */
export type Verb = 'add' | 'change' | 'replace' | 'prepend' | 'append' | 'delete';

/** One command of an object. */
export interface IpCommand {
  /** Keywords matched by prefix (ip's matches()). */
  words: readonly string[];
  /** Keywords matched only whole (ip's strcmp(), e.g. "chg"). */
  exact?: readonly string[];
  /** Runs the command on the arguments after its keyword; `word` is the keyword as typed. */
  run(ctx: IpContext, args: Args, word: string): Promise<number>;
}

/** ip's words for each verb: `change` also answers to `chg`, `set` to link's change. */
const VERB_WORDS: Record<Verb, { words: string[]; exact?: string[] }> = {
  add: { words: ['add'] },
  change: { words: ['change'], exact: ['chg'] },
  replace: { words: ['replace'] },
  prepend: { words: ['prepend'] },
  append: { words: ['append'] },
  delete: { words: ['delete'] },
};

/** Commands for the verbs an object has, in the order given (which is ip's order of tests). */
export function verbCommands<V extends Verb>(verbs: readonly V[], modify: (ctx: IpContext, args: Args, verb: V) => Promise<number>): IpCommand[] {
  return verbs.map((v) => ({ ...VERB_WORDS[v], run: (ctx: IpContext, args: Args) => modify(ctx, args, v) }));
}

/** A command named by `words` (prefix-matched), optionally `exact` words too. */
export function command(words: readonly string[], run: IpCommand['run'], exact?: readonly string[]): IpCommand {
  return exact ? { words, exact, run } : { words, run };
}

/** The library functions an object applies its verbs with: one call per verb, same arguments. */
export type VerbTable<S, O> = Partial<Record<Verb, (spec: S, opts: O) => Promise<unknown>>>;

/** Applies `verb` through the object's table (what each copied switch did). */
export async function applyVerb<S, O>(table: VerbTable<S, O>, verb: Verb, spec: S, opts: O): Promise<void> {
  const fn = table[verb];
  if (!fn) throw new Error(`verb ${verb} has no library call`);
  await fn(spec, opts);
}

/** An object's grammar: its name (for hints), usage text, commands and what no command means. */
export interface IpObjectGrammar {
  object: string;
  usage: string;
  commands: readonly IpCommand[];
  /** What `ip OBJECT` alone runs (show, mostly). */
  default?: (ctx: IpContext, args: Args) => Promise<number>;
  /** The error for a word no command takes; default `Command "X" is unknown, try "ip OBJECT help".` */
  unknown?: (args: Args, word: string) => Error;
}

/** Builds an object's `run(ctx, argv)`: `help` prints the usage (exit 255), unknown words fail as ip's. */
export function objectRunner(g: IpObjectGrammar): (ctx: IpContext, argv: string[]) => Promise<number> {
  return async (ctx, argv) => {
    const args = new Args(argv, g.object);
    const word = args.next();
    if (word === undefined) {
      if (g.default) return g.default(ctx, args);
      throw args.incomplete();
    }
    const cmd = findCommand(g.commands, word);
    if (cmd) return cmd.run(ctx, args, word);
    if (matches(word, 'help')) return usage(g.usage);
    throw g.unknown ? g.unknown(args, word) : args.unknownCommand(word);
  };
}

/** The first command whose word `word` abbreviates (or equals, for exact words). */
export function findCommand(commands: readonly IpCommand[], word: string): IpCommand | undefined {
  for (const c of commands) {
    if (c.words.some((w) => matches(word, w)) || c.exact?.includes(word)) return c;
  }
  return undefined;
}
