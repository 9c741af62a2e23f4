// Who may call: the server learns each sender's pid, uid and gid from the kernel
// (SCM_CREDENTIALS) and refuses admin-only operations (classic `admin`, GENL_ADMIN_PERM,
// GENL_UNS_ADMIN_PERM) to callers that are neither root nor holders of CAP_NET_ADMIN. On the
// in-process bus, a transport plays any uid; across processes, clients run as uid 1001.
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, test } from 'node:test';
import { HOST_LE, MessageWriter, NETLINK_GENERIC, NETLINK_USERSOCK, NetlinkError, NetlinkSocket } from '../src/index.js';
import {
  ClassicServer, GENL_UNS_ADMIN_PERM, NetlinkBus, NlexClient, NlexState, UsersockListener,
  nlexClassicServer, nlexGenlServer, type Credentials,
} from '../src/server/index.js';

const CLI = fileURLToPath(new URL('../src/cli/main.js', import.meta.url));
const INDEX = fileURLToPath(new URL('../src/index.js', import.meta.url));
const T_WHO = 0x10;
const USER = 1001;

function randomPort(): number {
  return 0x40000000 + Math.floor(Math.random() * 0x3fffffff);
}

/** setpriv(1) runs a child as another user; without it (or without root) these tests skip. */
function canSwitchUser(): string | undefined {
  if (process.getuid!() !== 0) return 'not running as root: cannot start a child as uid 1001';
  const r = spawnSync('setpriv', ['--reuid=1001', '--regid=1001', '--clear-groups', 'true']);
  return r.status === 0 ? undefined : 'setpriv (util-linux) is missing';
}

/** Runs `nlkit nlex …` as uid 1001 (with `caps`, e.g. '+net_admin', kept across the switch). */
function runAs(uid: number | 'root', args: string[], caps?: string): { code: number | null; out: string; err: string } {
  const argv = [CLI, 'nlex', ...args];
  const r = uid === 'root'
    ? spawnSync(process.execPath, argv, { encoding: 'utf8', timeout: 10_000 })
    : spawnSync('setpriv', [`--reuid=${uid}`, `--regid=${uid}`, '--clear-groups',
      ...(caps ? [`--inh-caps=${caps}`, `--ambient-caps=${caps}`] : []), process.execPath, ...argv], { encoding: 'utf8', timeout: 10_000 });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

function who(c: Credentials | undefined): [number, number, number] {
  assert.ok(c, 'the request carried credentials');
  return [c.pid, c.uid, c.gid];
}

describe('credentials on the in-process bus', () => {
  test('an unprivileged caller is refused admin-only ops of both flavours; root and CAP_NET_ADMIN pass; handlers see pid/uid/gid', async () => {
    const bus = new NetlinkBus();
    const state = new NlexState();
    bus.serve(NETLINK_USERSOCK, nlexClassicServer(state));
    const { server: genl } = nlexGenlServer(state);
    let seen: Credentials | undefined;
    genl.register({
      name: 'who',
      ops: [
        { cmd: 1, flags: GENL_UNS_ADMIN_PERM, doit: (info) => void (seen = info.creds) },
        { cmd: 2, doit: (info) => void (seen = info.creds) },
      ],
    });
    bus.serve(NETLINK_GENERIC, genl);
    const user = { uid: USER, gid: USER, pid: 4242 };
    const classic = NlexClient.open({ flavour: 'classic', protocol: NETLINK_USERSOCK, transport: bus.transport(user) });
    const generic = NlexClient.open({ protocol: NETLINK_GENERIC, transport: bus.transport(user) });
    const admin = NlexClient.open({ protocol: NETLINK_GENERIC, transport: bus.transport({ uid: USER, gid: USER, privileged: true }) });
    const raw = NetlinkSocket.open(NETLINK_GENERIC, { transport: bus.transport(user) });
    try {
      const eperm = (e: unknown) => e instanceof NetlinkError && e.code === 'EPERM';
      await assert.rejects(classic.set(4242), eperm);
      await assert.rejects(generic.set(4242), eperm);
      assert.equal(state.value, 0, 'nothing was changed');
      assert.equal(await generic.get(), 0, 'reading is not admin-only');
      assert.equal(await admin.set(7, { echo: true }), 7, 'a holder of CAP_NET_ADMIN may');

      const whoId = genl.family('who')!.id;
      const req = (cmd: number) => {
        const w = new MessageWriter(32);
        w.begin(whoId, 0);
        w.view.setUint8(w.struct(4), cmd);
        w.end();
        return w.toBytes();
      };
      await assert.rejects(raw.request(req(1)), eperm);
      assert.equal(seen, undefined, 'the refused handler did not run');
      await raw.request(req(2));
      assert.deepEqual(who(seen), [4242, USER, USER]);
    } finally {
      for (const c of [classic, generic, admin]) c.close();
      raw.close();
    }
  });
});

describe('credentials over NETLINK_USERSOCK', () => {
  test('the handler sees the kernel-recorded pid, uid and gid of a caller in this process and of one running as uid 1001', async (t) => {
    const server = new ClassicServer();
    server.on(T_WHO, {
      doit: (req) => server.reply(req, T_WHO, (w) => {
        const c = req.creds;
        w.attrU32(1, c?.pid ?? 0xffffffff);
        w.attrU32(2, c?.uid ?? 0xffffffff);
        w.attrU32(3, c?.gid ?? 0xffffffff);
      }),
    });
    const port = randomPort();
    const l = UsersockListener.listen(server, { portid: port });
    const c = NetlinkSocket.open(NETLINK_USERSOCK, { peer: port });
    try {
      const w = new MessageWriter(16);
      w.begin(T_WHO, 0);
      w.end();
      const r = await c.request(w.toBytes(), { signal: AbortSignal.timeout(5000) });
      const p = r.messages[0]!.payload;
      const v = new DataView(p.buffer, p.byteOffset, p.byteLength);
      assert.deepEqual([v.getUint32(4, HOST_LE), v.getUint32(12, HOST_LE), v.getUint32(20, HOST_LE)],
        [process.pid, process.getuid!(), process.getgid!()]);

      const skip = canSwitchUser();
      if (skip) {
        t.skip(skip);
        return;
      }
      // The same request from a child running as uid 1001: it prints the reply and its own pid.
      const script = `
        import { NetlinkSocket, MessageWriter, NETLINK_USERSOCK } from ${JSON.stringify(INDEX)};
        const c = NetlinkSocket.open(NETLINK_USERSOCK, { peer: ${port} });
        const w = new MessageWriter(16); w.begin(${T_WHO}, 0); w.end();
        const r = await c.request(w.toBytes(), { signal: AbortSignal.timeout(5000) });
        const p = r.messages[0].payload, v = new DataView(p.buffer, p.byteOffset, p.byteLength);
        console.log(JSON.stringify({ pid: process.pid, got: [v.getUint32(4, true), v.getUint32(12, true), v.getUint32(20, true)] }));
        c.close();`;
      const child = spawn('setpriv', ['--reuid=1001', '--regid=1001', '--clear-groups', process.execPath, '--input-type=module', '-e', script],
        { stdio: ['ignore', 'pipe', 'pipe'] });
      let out = '';
      let err = '';
      child.stdout.setEncoding('utf8').on('data', (d: string) => (out += d));
      child.stderr.setEncoding('utf8').on('data', (d: string) => (err += d));
      const code = await new Promise((resolve) => child.on('exit', resolve));
      assert.equal(code, 0, err);
      const res = JSON.parse(out) as { pid: number; got: number[] };
      assert.deepEqual(res.got, [res.pid, USER, USER]);
    } finally {
      c.close();
      l.close();
    }
  });

  test('nlkit nlex serve: uid 1001 is refused the admin-only set of both flavours (EPERM); with CAP_NET_ADMIN or as root it succeeds', { timeout: 60_000 }, async (t) => {
    const skip = canSwitchUser();
    if (skip) {
      t.skip(skip);
      return;
    }
    for (const f of [['--classic'], []]) {
      const port = String(randomPort());
      const server = spawn(process.execPath, [CLI, 'nlex', ...f, 'serve', '--port', port], { stdio: ['ignore', 'pipe', 'pipe'] });
      let out = '';
      server.stdout.setEncoding('utf8').on('data', (d: string) => (out += d));
      const exited = new Promise((resolve) => server.on('exit', resolve));
      try {
        while (!/^nlex: /m.test(out)) {
          if (server.exitCode !== null) assert.fail(`the server exited: ${out}`);
          await new Promise((r) => setTimeout(r, 10));
        }
        const refused = runAs(USER, [...f, 'set', '4242', '--port', port]);
        assert.equal(refused.code, 1, `${f.join(' ')}: ${refused.err}`);
        assert.match(refused.err, /EPERM|not permitted/i);
        // Reading is not admin-only in the generic flavour; the classic tutorial checks both.
        const read = runAs(USER, [...f, 'get', '--port', port]);
        if (f.length) assert.match(read.err, /EPERM|not permitted/i);
        else assert.deepEqual([read.code, read.out], [0, 'myvar=0\n']);

        assert.deepEqual(runAs(USER, [...f, 'set', '5', '--port', port], '+net_admin'), { code: 0, out: '', err: '' }, 'CAP_NET_ADMIN is enough');
        assert.deepEqual(runAs('root', [...f, 'set', '6', '--echo', '--port', port]), { code: 0, out: 'myvar=6\n', err: '' });
        // The server logs each change before it ACKs; its pipe may still be catching up.
        while (!/myvar=6\n/.test(out) && server.exitCode === null) await new Promise((r) => setTimeout(r, 10));
        assert.match(out, /^nlex: .*\nmyvar=5\nmyvar=6\n$/, 'only the permitted changes reached the server');
      } finally {
        server.kill('SIGTERM');
        await exited;
      }
    }
  });
});
