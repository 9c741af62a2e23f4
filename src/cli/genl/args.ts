// Options shared by `nlkit genl` and `nlkit ethtool`: --netns/-n NAME, -j/--json, -p/--pretty.
import { UsageError } from '../errors.js';

/** Global options and the remaining words. */
export interface GlobalArgs {
  netns: string | undefined;
  json: boolean;
  pretty: boolean;
  rest: string[];
}

/** Takes the global options from anywhere before the first word they do not know. */
export function globalArgs(args: string[], cmd: string): GlobalArgs {
  const out: GlobalArgs = { netns: undefined, json: false, pretty: false, rest: [] };
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a === '-n' || a === '--netns' || a === '-netns') {
      const v = args[++i];
      if (!v) throw new UsageError(`${cmd}: ${a} needs a namespace name`, `Try "nlkit ${cmd} --help".`);
      out.netns = v;
    } else if (a.startsWith('--netns=')) out.netns = a.slice(8);
    else if (a === '-j' || a === '--json' || a === '-json') out.json = true;
    else if (a === '-p' || a === '--pretty' || a === '-pretty') out.pretty = true;
    else out.rest.push(a);
  }
  return out;
}
