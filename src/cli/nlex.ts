// nlkit nlex: the tutorial's example, both sides. `serve` runs the kernel side in user space
// on NETLINK_USERSOCK; resolve/set/get/watch are the tutorial's user-space programs.
import { NlexClient, NlexState, nlexClassicServer, nlexGenlServer, UsersockListener, type NlexFlavour } from '../server/index.js';
import { NLEX_CLASSIC_PORT, NLEX_GROUP, NLEX_PORT } from '../server/nlex/protocol.js';
import { NetlinkError, SocketError, type NetnsSpec } from '../socket/index.js';
import { wrapNative } from '../socket/netlink-error.js';
import { UsageError } from './errors.js';

const HELP = `Usage: nlkit nlex [--classic] [--port PORTID] [--netns NAME] [-j] COMMAND
  serve [--initial VALUE]   run the nlex server on NETLINK_USERSOCK until interrupted
  resolve                   print the family id and multicast groups (generic netlink flavour)
  set VALUE [--echo]        set myvar and wait for the ACK (--echo prints the echoed change)
  get                       print myvar
  watch [--count N]         print myvar=N on every change

--classic speaks the tutorial's classic protocol (message types 16/17, group 1) instead of the
generic netlink family "nlex". The server's port id defaults to 0x${NLEX_PORT.toString(16)} (0x${NLEX_CLASSIC_PORT.toString(16)} with --classic).

Clients take datagrams only from the server's port, and only from a server run by root or by
the caller's own user (the kernel attaches the sender's credentials); --trust-uid UID adds a
user (repeatable), --trust-any skips the check.
`;

interface Opts {
  flavour: NlexFlavour;
  port: number;
  netns: NetnsSpec | undefined;
  json: boolean;
  echo: boolean;
  count: number | undefined;
  initial: number;
  timeout: number;
  trustUids: number[] | 'any' | undefined;
  rest: string[];
}

function parseU32(s: string | undefined, what: string): number {
  if (s === undefined || !/^(0x[0-9a-f]+|\d+)$/i.test(s)) throw new UsageError(`nlex: ${what} "${s ?? ''}" is not a number`, 'Try "nlkit nlex help".');
  const v = Number(s);
  if (!Number.isSafeInteger(v) || v > 0xffffffff) throw new UsageError(`nlex: ${what} ${s} does not fit in 32 bits`, 'Try "nlkit nlex help".');
  return v;
}

function parseArgs(args: string[]): Opts {
  const o: Opts = { flavour: 'genl', port: -1, netns: undefined, json: false, echo: false, count: undefined, initial: 0, timeout: 5000, trustUids: undefined, rest: [] };
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    const value = () => {
      const v = args[++i];
      if (v === undefined) throw new UsageError(`nlex: ${a} needs a value`, 'Try "nlkit nlex help".');
      return v;
    };
    switch (a) {
      case '--classic': o.flavour = 'classic'; break;
      case '--port': o.port = parseU32(value(), 'port id'); break;
      case '--netns': case '-n': o.netns = value(); break;
      case '-j': case '--json': o.json = true; break;
      case '--echo': o.echo = true; break;
      case '--count': o.count = parseU32(value(), 'count'); break;
      case '--initial': o.initial = parseU32(value(), 'initial value'); break;
      case '--timeout': o.timeout = parseU32(value(), 'timeout'); break;
      case '--trust-uid': {
        const uid = parseU32(value(), 'uid');
        if (o.trustUids !== 'any') o.trustUids = [...(o.trustUids ?? [0, process.getuid?.() ?? 0]), uid];
        break;
      }
      case '--trust-any': o.trustUids = 'any'; break;
      default: o.rest.push(a);
    }
  }
  if (o.port < 0) o.port = o.flavour === 'classic' ? NLEX_CLASSIC_PORT : NLEX_PORT;
  return o;
}

const hex = (n: number) => `0x${n.toString(16)}`;

/** Runs `nlkit nlex …`. */
export async function run(args: string[]): Promise<number> {
  const o = parseArgs(args);
  const [cmd, ...rest] = o.rest;
  switch (cmd) {
    case 'serve': return serve(o);
    case 'resolve': return client(o, resolve);
    case 'set': return client(o, (c) => set(c, o, rest[0]));
    case 'get': return client(o, get);
    case 'watch': return client(o, watch);
    case undefined: case 'help': case '--help': case '-h':
      process.stdout.write(HELP);
      return cmd === undefined ? 2 : 0;
    default:
      throw new UsageError(`nlex: unknown command "${cmd}"`, 'Try "nlkit nlex help".');
  }
}

async function serve(o: Opts): Promise<number> {
  const state = new NlexState();
  state.set(o.initial);
  let describe: string;
  let listener: UsersockListener;
  const log = (line: string) => process.stdout.write(o.json ? `${JSON.stringify({ event: line })}\n` : `${line}\n`);
  if (o.flavour === 'classic') {
    const server = nlexClassicServer(watched(state, log));
    listener = listen(server, o);
    describe = `nlex: classic protocol (NLEX_MSG_UPD=16, NLEX_MSG_GET=17, group 1) on NETLINK_USERSOCK port ${hex(o.port)}`;
  } else {
    const { server, family } = nlexGenlServer(watched(state, log));
    listener = listen(server, o);
    describe = `nlex: family ${family.name} id ${hex(family.id)} version ${family.version}, group ${NLEX_GROUP}=${family.groupId(NLEX_GROUP)}, on NETLINK_USERSOCK port ${hex(o.port)}`;
  }
  process.stdout.write(`${describe}\n`);
  await new Promise<void>((resolve) => {
    const stop = () => resolve();
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  listener.close();
  return 0;
}

/** Reports every change of the served value on stdout. */
function watched(state: NlexState, log: (line: string) => void): NlexState {
  const set = state.set.bind(state);
  state.set = (v: number) => {
    set(v);
    log(`myvar=${state.value}`);
  };
  return state;
}

function listen(server: Parameters<typeof UsersockListener.listen>[0], o: Opts): UsersockListener {
  try {
    return UsersockListener.listen(server, { portid: o.port, ...(o.netns !== undefined ? { netns: o.netns } : {}) });
  } catch (e) {
    const err = wrapNative(`bind NETLINK_USERSOCK port ${hex(o.port)}`, e);
    if (err.code === 'EADDRINUSE') throw new SocketError(`port ${hex(o.port)} is taken (is another nlex server running?)`, err.code, err.errno);
    throw err;
  }
}

async function client(o: Opts, body: (c: NlexClient, o: Opts) => Promise<number>): Promise<number> {
  const c = NlexClient.open({
    flavour: o.flavour, peer: o.port, ...(o.netns !== undefined ? { netns: o.netns } : {}), ...(o.trustUids !== undefined ? { trustUids: o.trustUids } : {}),
  });
  try {
    return await body(c, o);
  } catch (e) {
    if (e instanceof SocketError && e.code === 'ECONNREFUSED') {
      throw new SocketError(`no nlex server on NETLINK_USERSOCK port ${hex(o.port)} (start one with "nlkit nlex${o.flavour === 'classic' ? ' --classic' : ''} serve")`, e.code, e.errno);
    }
    if (e instanceof Error && e.name === 'TimeoutError') {
      throw new SocketError(`the nlex server on port ${hex(o.port)} did not answer within ${o.timeout} ms`, 'ETIMEDOUT');
    }
    throw e;
  } finally {
    c.close();
  }
}

async function resolve(c: NlexClient, o: Opts): Promise<number> {
  if (c.flavour === 'classic') throw new UsageError('nlex: resolve is for the generic netlink flavour; the classic protocol has fixed types 16/17 and group 1');
  const f = await c.resolve({ signal: AbortSignal.timeout(o.timeout) });
  if (o.json) {
    process.stdout.write(`${JSON.stringify({ family: f.name, id: f.id, version: f.version, groups: f.groups })}\n`);
  } else {
    // The tutorial's resolver prints exactly this.
    const lines = [`family-id: ${f.id}`];
    if (f.groups.length > 0) lines.push('multicast -> id', ...f.groups.map((g) => `'${g.name}' -> ${g.id}`));
    process.stdout.write(`${lines.join('\n')}\n`);
  }
  return 0;
}

function print(o: Opts, value: number): void {
  process.stdout.write(o.json ? `${JSON.stringify({ myvar: value })}\n` : `myvar=${value}\n`);
}

async function set(c: NlexClient, o: Opts, arg: string | undefined): Promise<number> {
  if (arg === undefined) throw new UsageError('nlex: set needs a VALUE', 'Try "nlkit nlex help".');
  const value = parseU32(arg, 'value');
  const echoed = await c.set(value, { echo: o.echo, signal: AbortSignal.timeout(o.timeout) });
  if (o.echo) {
    if (echoed === undefined) throw new NetlinkError('nlex set', 61, { message: 'the server acknowledged without echoing the change' });
    print(o, echoed);
  }
  return 0;
}

async function get(c: NlexClient, o: Opts): Promise<number> {
  print(o, await c.get({ signal: AbortSignal.timeout(o.timeout) }));
  return 0;
}

async function watch(c: NlexClient, o: Opts): Promise<number> {
  if (o.count === 0) return 0;
  const ac = new AbortController();
  const stop = () => ac.abort();
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  let seen = 0;
  try {
    if (c.flavour === 'genl') await c.resolve({ signal: ac.signal });
    const changes = c.events([NLEX_GROUP], { signal: ac.signal });
    process.stderr.write(`nlex: watching group ${c.notifications().group}\n`);
    for await (const ev of changes) {
      if ('overrun' in ev) {
        // Changes were lost: say so and resynchronise by reading the current value.
        process.stderr.write('nlex: changes were lost (receive buffer overrun); resynchronising\n');
        print(o, await c.get({ signal: AbortSignal.timeout(o.timeout) }));
        continue;
      }
      print(o, ev.value);
      if (o.count !== undefined && ++seen >= o.count) break;
    }
    if (c.refusal) throw c.refusal;
  } finally {
    process.off('SIGINT', stop);
    process.off('SIGTERM', stop);
    const n = c.stats.foreign;
    if (n > 0) process.stderr.write(`nlex: ignored ${n} message${n === 1 ? '' : 's'} not sent by the server's port ${hex(o.port)}\n`);
  }
  return 0;
}
