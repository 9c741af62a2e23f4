// `nlkit ip netns list | add NAME | delete NAME`: named network namespaces under /run/netns,
// the way ip makes them — an empty file with the namespace bind-mounted on it, in a directory
// that is a shared mount point so that the mount shows in every mount namespace.
import { spawnSync } from 'node:child_process';
import { closeSync, mkdirSync, openSync, opendirSync, readdirSync, statSync, constants as fsc, unlinkSync } from 'node:fs';
import { NetlinkSocket } from '../../socket/index.js';
import { HOST_LE, MessageWriter, NETLINK_ROUTE, NLM_F_REQUEST, parseAttributes } from '../../wire/index.js';
import { UsageError } from '../errors.js';
import { Args, IP_EXIT, matches, usage } from './argv.js';
import type { IpContext } from './index.js';
import { command, objectRunner } from './dispatch.js';

const RUN_DIR = '/run/netns';
const RTM_GETNSID = 90;
const NETNSA_NSID = 1;
const NETNSA_FD = 3;

const USAGE = `Usage:	ip netns list
	ip netns add NAME
	ip netns attach NAME PID
	ip netns set NAME NETNSID
	ip [-all] netns delete [NAME]
	ip netns identify [PID]
	ip netns pids NAME
	ip [-all] netns exec [NAME] cmd ...
	ip netns monitor
	ip netns list-id [target-nsid POSITIVE-INT] [nsid POSITIVE-INT]
NETNSID := auto | POSITIVE-INT
`;

/** A namespace name ip accepts: no slash, not "." or "..", not empty. */
function checkName(args: Args, name: string): void {
  if (name === '' || name.includes('/') || name === '.' || name === '..' || name.length > 255) {
    throw args.error(`Invalid netns name "${name}"`, IP_EXIT.INVARG);
  }
}

/** Runs `ip netns`. */
export const run = objectRunner({
  object: 'netns',
  usage: USAGE,
  default: (ctx) => list(ctx),
  commands: [
    command(['list', 'show'], (ctx) => list(ctx), ['lst']),
    command(['add'], async (_ctx, args) => {
      const name = args.next();
      if (name === undefined) throw args.error('No netns name specified');
      checkName(args, name);
      if (args.left) throw args.error(`Garbage instead of arguments "${args.rest().join(' ')} ...".`);
      return add(name);
    }),
    command(['delete'], async (ctx, args) => {
      if (ctx.opts.all) throw args.error('nlkit ip -all netns delete is not supported: name the namespace.');
      const name = args.next();
      if (name === undefined) throw args.error('No netns name specified');
      checkName(args, name);
      return del(name);
    }),
    command(['identify'], async (_ctx, args) => identify(args)),
    command(['exec'], async (ctx, args) => {
      const { execIn } = await import('./netns-exec.js');
      return execIn(ctx, args, RUN_DIR);
    }),
  ],
});

async function list(ctx: IpContext): Promise<number> {
  let names: string[];
  try {
    names = readdirSync(RUN_DIR);
  } catch {
    names = [];
  }
  names = names.filter((n) => n !== '.' && n !== '..');
  const out = ctx.out;
  out.begin();
  let sock: NetlinkSocket | undefined;
  try {
    for (const name of names) {
      out.openObject();
      out.field('name', name, name);
      sock ??= NetlinkSocket.open(NETLINK_ROUTE);
      const id = await nsidOf(sock, `${RUN_DIR}/${name}`);
      if (id !== undefined && id >= 0) out.field('id', id, ` (id: ${id})`);
      out.fp('\n');
      out.closeObject();
    }
  } finally {
    sock?.close();
  }
  await out.end();
  return 0;
}

/** The id the current namespace gives the namespace at `path` (RTM_GETNSID), or undefined. */
export async function nsidOf(sock: NetlinkSocket, path: string): Promise<number | undefined> {
  let fd: number;
  try {
    fd = openSync(path, fsc.O_RDONLY);
  } catch {
    return undefined;
  }
  try {
    const w = new MessageWriter(64);
    w.begin(RTM_GETNSID, NLM_F_REQUEST);
    w.struct(1); // struct rtgenmsg, padded to 4
    w.attrU32(NETNSA_FD, fd);
    w.end();
    const reply = await sock.request(w.toBytes(), { ack: false, headerSize: 4 });
    const msg = reply.messages[0];
    if (!msg) return undefined;
    for (const a of parseAttributes(msg.payload, 4, msg.payload.byteLength)) {
      if (a.type === NETNSA_NSID && a.value.byteLength >= 4) {
        return new DataView(a.value.buffer, a.value.byteOffset, 4).getInt32(0, HOST_LE);
      }
    }
    return undefined;
  } catch {
    return undefined;
  } finally {
    closeSync(fd);
  }
}

/** nsid -> name of the namespaces under /run/netns that have an id here (ip's netns map). */
export async function nsidNames(sock: NetlinkSocket): Promise<Map<number, string>> {
  const map = new Map<number, string>();
  let names: string[] = [];
  try {
    names = readdirSync(RUN_DIR);
  } catch {
    return map;
  }
  for (const name of names) {
    const id = await nsidOf(sock, `${RUN_DIR}/${name}`);
    if (id !== undefined && id >= 0 && !map.has(id)) map.set(id, name);
  }
  return map;
}

function sh(cmd: string, argv: string[]): { ok: boolean; err: string } {
  const r = spawnSync(cmd, argv, { encoding: 'utf8', stdio: ['ignore', 'ignore', 'pipe'] });
  return { ok: r.status === 0, err: (r.stderr ?? '').trim() || (r.error ? r.error.message : '') };
}

/** Makes /run/netns a shared mount point (bind-mounting it on itself first when it is not one). */
function prepareRunDir(): string | undefined {
  mkdirSync(RUN_DIR, { recursive: true, mode: 0o755 });
  if (sh('mount', ['--make-rshared', RUN_DIR]).ok) return undefined;
  const bind = sh('mount', ['--rbind', RUN_DIR, RUN_DIR]);
  if (!bind.ok) return `mount --bind ${RUN_DIR} ${RUN_DIR} failed: ${bind.err}`;
  const shared = sh('mount', ['--make-rshared', RUN_DIR]);
  return shared.ok ? undefined : `"mount --make-shared ${RUN_DIR}" failed: ${shared.err}`;
}

function add(name: string): number {
  const path = `${RUN_DIR}/${name}`;
  const prep = prepareRunDir();
  if (prep) {
    process.stderr.write(`${prep}\n`);
    return 1;
  }
  let fd: number;
  try {
    fd = openSync(path, fsc.O_RDONLY | fsc.O_CREAT | fsc.O_EXCL, 0);
  } catch (e) {
    process.stderr.write(`Cannot create namespace file "${path}": ${errText(e)}\n`);
    return 1;
  }
  closeSync(fd);
  // A fresh namespace, bind-mounted on the file (what ip does with unshare + mount in a child).
  const r = sh('unshare', [`--net=${path}`, 'true']);
  if (!r.ok) {
    process.stderr.write(`Failed to create a new network namespace "${name}": ${r.err || 'unshare failed'}\n`);
    try {
      unlinkSync(path);
    } catch {
      // already gone
    }
    return 1;
  }
  return 0;
}

function del(name: string): number {
  const path = `${RUN_DIR}/${name}`;
  // Lazy unmount (MNT_DETACH), then remove the file; a missing mount is not an error.
  sh('umount', ['--lazy', path]);
  try {
    unlinkSync(path);
  } catch (e) {
    process.stderr.write(`Cannot remove namespace file "${path}": ${errText(e)}\n`);
    return 1;
  }
  return 0;
}

const ERRNO_TEXT: Record<string, string> = {
  EEXIST: 'File exists', ENOENT: 'No such file or directory', EACCES: 'Permission denied', EPERM: 'Operation not permitted',
  EBUSY: 'Device or resource busy', EROFS: 'Read-only file system', ENOTDIR: 'Not a directory',
};

function errText(e: unknown): string {
  const code = (e as { code?: string }).code ?? '';
  return ERRNO_TEXT[code] ?? ((e as Error).message || code);
}

/**
 * `ip netns identify [PID]`: the name under /run/netns whose namespace is PID's (the first in
 * directory order, as ip's readdir finds it), or an empty line when none is.
 */
function identify(args: Args): number {
  const pid = args.next() ?? 'self';
  if (args.left > 0) {
    process.stderr.write('extra arguments specified\n');
    return 1;
  }
  if (pid !== 'self' && !/^\d+$/.test(pid)) {
    process.stderr.write(`Specified string '${pid}' is not a pid\n`);
    return 1;
  }
  let target: { dev: number; ino: number };
  try {
    target = statSync(`/proc/${pid}/ns/net`);
  } catch (e) {
    process.stderr.write(`Cannot open network namespace: ${errText(e)}\n`);
    return 1;
  }
  let found = '';
  try {
    const dir = opendirSync(RUN_DIR);
    try {
      for (let d = dir.readSync(); d; d = dir.readSync()) {
        if (d.name === '.' || d.name === '..') continue;
        try {
          const st = statSync(`${RUN_DIR}/${d.name}`);
          if (st.dev === target.dev && st.ino === target.ino) {
            found = d.name;
            break;
          }
        } catch {
          // a name being deleted
        }
      }
    } finally {
      dir.closeSync();
    }
  } catch {
    // no /run/netns: no names
  }
  process.stdout.write(`${found}\n`);
  return 0;
}
