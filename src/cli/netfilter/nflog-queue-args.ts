// The command line of `nlkit queue NUM` and `nlkit nflog GROUP`, read by node:util parseArgs:
// one number, -j/--json, -c/--count N, --netns/-n NAME (and queue's --verdict). Anything else,
// including `--opt=value`, bundled short options and a second number, is an unknown argument.
import { parseArgs } from 'node:util';
import { UsageError } from '../usage.js';

/** What both commands take, and the extra value options of one (`--verdict`). */
export interface ListenArgs {
  /** The queue or group number. */
  num: number | undefined;
  json: boolean;
  count: number;
  netns: string | undefined;
  /** The values of the command's extra options, by name. */
  extra: Record<string, string>;
}

/** Parses `args` for command `cmd` ('queue' or 'nflog'); `extra` names further value options. */
export function parseListenArgs(cmd: string, args: string[], extra: readonly string[] = []): ListenArgs {
  const options = {
    json: { type: 'boolean', short: 'j' },
    count: { type: 'string', short: 'c' },
    netns: { type: 'string', short: 'n' },
    ...Object.fromEntries(extra.map((n) => [n, { type: 'string' }])),
  } as const;
  const { tokens } = parseArgs({ args, options: options as never, strict: false, allowPositionals: true, tokens: true });
  const out: ListenArgs = { num: undefined, json: false, count: Infinity, netns: undefined, extra: {} };
  const unknown = (i: number) => new UsageError(`${cmd}: unknown argument "${args[i]}"`);
  for (const [k, t] of tokens.entries()) {
    if (t.kind === 'option-terminator') throw unknown(t.index);
    if (t.kind === 'positional') {
      if (!/^\d+$/.test(t.value) || out.num !== undefined) throw unknown(t.index);
      out.num = Number(t.value);
      continue;
    }
    const bundled = tokens[k - 1]?.index === t.index || tokens[k + 1]?.index === t.index;
    if (!(t.name in options) || t.inlineValue || bundled) throw unknown(t.index);
    if (t.name === 'json') {
      out.json = true;
      continue;
    }
    if (t.value === undefined) throw new UsageError(`${cmd}: option "${t.rawName}" requires an argument`);
    if (t.name === 'count') out.count = Number(t.value);
    else if (t.name === 'netns') out.netns = t.value;
    else out.extra[t.name] = t.value;
  }
  return out;
}
