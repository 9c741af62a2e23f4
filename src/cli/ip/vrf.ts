// `nlkit ip vrf` (ipvrf.c): show lists the links of kind vrf with their table; identify names
// the VRF a process is bound to (its cgroup); exec and pids check the name as ip does, then say
// they are not supported (ip binds a cgroup with a BPF program, which needs more than Netlink).
import { readFileSync } from 'node:fs';
import { dumpLinks, type Link } from '../../route/index.js';
import { Args, IP_EXIT } from './argv.js';
import { command, objectRunner } from './dispatch.js';
import type { IpContext } from './index.js';
import { withSession } from './session.js';

const USAGE = `Usage:\tip vrf show [NAME] ...
\tip vrf exec [NAME] cmd ...
\tip vrf identify [PID]
\tip vrf pids [NAME]
`;

/** Runs `ip vrf …`. */
export const run = objectRunner({
  object: 'vrf',
  usage: USAGE,
  default: (ctx, args) => show(ctx, args),
  commands: [
    command(['show', 'list'], (ctx, args) => show(ctx, args)),
    command(['exec'], (ctx, args) => needVrf(ctx, args, 'exec')),
    command(['identify'], async (_ctx, args) => identify(args)),
    command(['pids'], (ctx, args) => needVrf(ctx, args, 'pids')),
  ],
});

async function vrfLinks(ctx: IpContext): Promise<Link[]> {
  return withSession(ctx, async (s) => (await dumpLinks({ stats: false }, s.opts).toArray()).filter((l) => l.linkinfo?.kind === 'vrf'));
}

/** ipvrf_show: a header, a line per VRF (name and table), or "No VRF has been configured". */
async function show(ctx: IpContext, args: Args): Promise<number> {
  const names = args.rest();
  const o = ctx.out;
  if (!o.json) o.fp(`${'Name'.padEnd(16, ' ')}  ${'Table'.padStart(5, ' ')}\n-----------------------\n`);
  o.begin();
  let n = 0;
  for (const l of await vrfLinks(ctx)) {
    if (names.length && !names.includes(l.ifname ?? '')) continue;
    const table = ((l.linkinfo?.data ?? {}) as { table?: number }).table ?? 0;
    o.openObject();
    o.field('name', l.ifname ?? '', (l.ifname ?? '').padEnd(16, ' '));
    o.field('table', table, `  ${String(table).padStart(5, ' ')}`);
    o.closeObject();
    o.fp('\n');
    n++;
  }
  if (!n && !o.json) o.fp('No VRF has been configured\n');
  await o.end();
  return 0;
}

/** vrf_identify: the VRF of a process's cgroup (…/vrf/NAME), or nothing. */
function identify(args: Args): number {
  const pid = args.next() ?? 'self';
  let text = '';
  try {
    text = readFileSync(`/proc/${pid}/cgroup`, 'utf8');
  } catch {
    process.stderr.write(`Failed to open cgroups file: /proc/${pid}/cgroup\n`);
    return IP_EXIT.FAILURE;
  }
  for (const line of text.split('\n')) {
    const m = /\/vrf\/([^/\n]+)/.exec(line);
    if (m) {
      process.stdout.write(`${m[1]}\n`);
      break;
    }
  }
  return 0;
}

/** exec / pids: the name must be a VRF device, as ip checks first. */
async function needVrf(ctx: IpContext, args: Args, what: string): Promise<number> {
  const name = args.next();
  if (name === undefined || !(await vrfLinks(ctx)).some((l) => l.ifname === name)) {
    process.stderr.write('Invalid VRF name\n');
    // ip's exec exits 255 here, its pids returns 1.
    return what === 'exec' ? IP_EXIT.INVARG : IP_EXIT.FAILURE;
  }
  throw args.error(`nlkit ip: "vrf ${what}" is not supported (ip binds a cgroup to the VRF with a BPF program).`);
}
