// Options shared by `nlkit genl` and `nlkit ethtool`: --netns/-n NAME, -j/--json, -p/--pretty.
import { UsageError } from '../errors.js';

/** Global options and the remaining words. */
export interface GlobalArgs {
  netns: string | undefined;
  json: boolean;
  pretty: boolean;
  rest: string[];
}

/** How a command takes the global options. */
export interface GlobalStyle {
  /**
   * Stop at the first word that is not a global option (the object): what follows belongs to
   * it, so `genl call … --json JSON` is the request, not the output format.
   */
  untilObject?: boolean;
  /** Accept -n as --netns (genl, as ip's -n); ethtool's own -n means something else. */
  shortNetns?: boolean;
  /** Accept -j/--json/-p (genl); ethtool has --json of its own. */
  json?: boolean;
}

/** Takes the global options (before the object, or from anywhere, per `style`). */
export function globalArgs(args: string[], cmd: string, style: GlobalStyle = { untilObject: true, shortNetns: true, json: true }): GlobalArgs {
  const out: GlobalArgs = { netns: undefined, json: false, pretty: false, rest: [] };
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a === '--netns' || a === '-netns' || (style.shortNetns && a === '-n')) {
      const v = args[++i];
      if (!v) throw new UsageError(`${cmd}: ${a} needs a namespace name`, `Try "nlkit ${cmd} --help".`);
      out.netns = v;
    } else if (a.startsWith('--netns=')) out.netns = a.slice(8);
    else if (style.json && (a === '-j' || a === '--json' || a === '-json')) out.json = true;
    else if (style.json && (a === '-p' || a === '--pretty' || a === '-pretty')) out.pretty = true;
    else if (style.untilObject) {
      out.rest = args.slice(i);
      return out;
    } else out.rest.push(a);
  }
  return out;
}
