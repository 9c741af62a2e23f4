// macvlan and macvtap (iplink_macvlan.c): options and -d details.
import { matches } from '../argv.js';
import type { Output } from '../output.js';
import { argNum as num, HelpShown, num as dnum, registerKind, type Data } from './kinds.js';

/** ip's explain() text for macvlan, printed after an unknown option (as ip prints it). */
const EXPLAIN = "Usage: ... macvlan mode MODE [flag MODE_FLAG] MODE_OPTS [bcqueuelen BC_QUEUE_LEN]\n\nMODE: private | vepa | bridge | passthru | source\nMODE_FLAG: null | nopromisc | nodst\nMODE_OPTS: for mode \"source\":\n\tmacaddr { { add | del } <macaddr> | set [ <macaddr> [ <macaddr>  ... ] ] | flush }\nBC_QUEUE_LEN: Length of the rx queue for broadcast/multicast: [0-4294967295]\n";

registerKind(['macvlan', 'macvtap'], {
  parse({ args, data, kind, usage }) {
    const USAGE = usage;
    while (args.left) {
      const a = args.next()!;
      if (a === 'mode') {
        const v = args.value(a);
        if (!['private', 'vepa', 'bridge', 'passthru', 'source'].includes(v)) {
          throw args.error(`Error: argument of "mode" must be "private", "vepa", "bridge", "passthru" or "source", not "${v}"`);
        }
        data.mode = v;
      } else if (a === 'nopromisc') data.flags = ['nopromisc'];
      else if (a === 'bcqueuelen') data.bc_queue_len = num(args, a);
      else if (matches(a, 'help')) {
        process.stderr.write(USAGE);
        throw new HelpShown();
      } else throw args.error(`${kind}: unknown option "${a}"?\n${EXPLAIN.replace('macvlan', kind).trimEnd()}`);
    }
  },
  print: (o, _c, d) => printMacvlan(o, d),
});

function printMacvlan(o: Output, d: Data): void {
  if (d.mode !== undefined) {
    const m = String(d.mode);
    o.field('mode', m, `mode ${m} `);
  }
  const flags = d.flags as (string | number)[] | undefined;
  if (flags && flags.includes('nopromisc')) o.field('nopromisc', true, 'nopromisc ');
  if (flags && flags.includes('nodst')) o.field('nodst', true, 'nodst ');
  const count = dnum(d, 'macaddr_count');
  if (count !== undefined && d.mode === 'source') {
    o.field('macaddr_count', count, `remotes (${count}) `);
    const list = (d.macaddr_data as { macaddr?: string[] } | undefined)?.macaddr ?? [];
    o.openArray('macaddr_data');
    for (const m of list) o.item(m, `${m} `);
    o.closeArray();
  }
  const bql = dnum(d, 'bc_queue_len');
  if (bql !== undefined) o.field('bcqueuelen', bql, `bcqueuelen ${bql} `);
  const used = dnum(d, 'bc_queue_len_used');
  if (used !== undefined && used !== bql) o.field('usedbcqueuelen', used, `usedbcqueuelen ${used} `);
  else if (used !== undefined) o.field('usedbcqueuelen', used, `usedbcqueuelen ${used} `);
}
