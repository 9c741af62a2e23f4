// nlkit genl: the generic netlink controller (ctrl) and any family's operations (call).
import { UsageError } from '../errors.js';
import { globalArgs } from './args.js';
import { call, type CallIo } from './call.js';
import { ctrl } from './ctrl.js';

const HELP = `Usage: nlkit genl [--netns NAME] [-j [-p]] OBJECT
  ctrl { list | get name NAME | get id ID | monitor | policy name NAME [op CMD] }
  call [FAMILY] [OP] [attr=value …] [--family NAME | --spec FILE] [--do OP | --dump OP] [--json JSON] [--create] [--excl] …
`;

/** Runs `nlkit genl …`. */
export async function run(args: string[], io?: CallIo): Promise<number> {
  const g = globalArgs(args, 'genl');
  const [obj, ...rest] = g.rest;
  switch (obj) {
    case 'ctrl': return ctrl(g, rest, io);
    case 'call': return call(g, rest, io);
    case undefined: case 'help': case '--help': case '-h':
      process.stdout.write(HELP);
      return obj === undefined ? 2 : 0;
    default:
      throw new UsageError(`genl: unknown object "${obj}"`, 'Try "nlkit genl help".');
  }
}
