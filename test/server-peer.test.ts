// Who may speak: a client of a served family takes datagrams only from the server's port, and
// only from a server run by a trusted user (root or the caller's own uid by default). Forged
// notifications sent to the family's group by another process are dropped and counted; a
// process squatting on the well-known port is refused with a clear error.
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, test } from 'node:test';
import { MessageWriter, NETLINK_GENERIC, NETLINK_USERSOCK, NetlinkSocket, SocketError } from '../src/index.js';
import {
  NLE_MYVAR, NLEX_CMD_UPD, NLEX_VERSION, NetlinkBus, NlexClient, NlexState, nlexClassicServer, nlexGenlServer, type NlexChange,
} from '../src/server/index.js';

const CLI = fileURLToPath(new URL('../src/cli/main.js', import.meta.url));
const INDEX = fileURLToPath(new URL('../src/index.js', import.meta.url));

function randomPort(): number {
  return 0x40000000 + Math.floor(Math.random() * 0x3fffffff);
}

function canSwitchUser(): string | undefined {
  if (process.getuid!() !== 0) return 'not running as root: cannot start a child as uid 1001';
  const r = spawnSync('setpriv', ['--reuid=1001', '--regid=1001', '--clear-groups', 'true']);
  return r.status === 0 ? undefined : 'setpriv (util-linux) is missing';
}

/** argv running `cmd` as uid 1001, or as this user. */
function as(user: 1001 | 'root', cmd: string[]): [string, string[]] {
  return user === 'root' ? [cmd[0]!, cmd.slice(1)] : ['setpriv', ['--reuid=1001', '--regid=1001', '--clear-groups', ...cmd]];
}

function runAs(user: 1001 | 'root', args: string[]): { code: number | null; out: string; err: string } {
  const [file, argv] = as(user, [process.execPath, CLI, 'nlex', ...args]);
  const r = spawnSync(file, argv, { encoding: 'utf8', timeout: 15_000 });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

class Proc {
  out = '';
  err = '';
  readonly exited: Promise<number | null>;
  readonly child;
  constructor(user: 1001 | 'root', args: string[]) {
    const [file, argv] = as(user, [process.execPath, CLI, 'nlex', ...args]);
    this.child = spawn(file, argv, { stdio: ['ignore', 'pipe', 'pipe'] });
    this.child.stdout.setEncoding('utf8').on('data', (d: string) => (this.out += d));
    this.child.stderr.setEncoding('utf8').on('data', (d: string) => (this.err += d));
    this.exited = new Promise((resolve) => this.child.on('exit', (code) => resolve(code)));
  }
  async waitFor(stream: 'out' | 'err', re: RegExp): Promise<RegExpMatchArray> {
    for (;;) {
      const m = re.exec(this[stream]);
      if (m) return m;
      if (this.child.exitCode !== null) throw new Error(`exited before ${re}: ${this.out} / ${this.err}`);
      await new Promise((r) => setTimeout(r, 10));
    }
  }
  async stop(): Promise<void> {
    if (this.child.exitCode === null) this.child.kill('SIGTERM');
    await this.exited;
  }
}

/** An nlex genl change notification (UPD with NLE_MYVAR) of family id `id`. */
function forgedUpd(id: number, value: number): Uint8Array {
  const w = new MessageWriter(32);
  w.begin(id, 0);
  const at = w.struct(4);
  w.view.setUint8(at, NLEX_CMD_UPD);
  w.view.setUint8(at + 1, NLEX_VERSION);
  w.attrU32(NLE_MYVAR, value);
  w.end();
  return w.toBytes();
}

describe('on the in-process bus', () => {
  test('a notification sent to the family group by another socket is dropped and counted; the server\'s arrive', async () => {
    const bus = new NetlinkBus();
    const { server, family } = nlexGenlServer(new NlexState());
    bus.serve(NETLINK_GENERIC, server);
    const client = NlexClient.open({ protocol: NETLINK_GENERIC, transport: bus.transport() });
    const forger = NetlinkSocket.open(NETLINK_GENERIC, { transport: bus.transport({ uid: 1001, gid: 1001 }) });
    try {
      await client.resolve();
      const it = client.events()[Symbol.asyncIterator]();
      const first = it.next();
      forger.send(forgedUpd(family.id, 666), 0, 1 << (family.groupId('example') - 1));
      await client.set(5);
      assert.equal(((await first).value as NlexChange).value, 5, 'the forged 666 never surfaced');
      assert.equal(client.stats.foreign, 1);
      assert.deepEqual(client.owner, { pid: 0, uid: 0, gid: 0 }, 'the kernel\'s port speaks with the kernel\'s credentials');
    } finally {
      client.close();
      forger.close();
    }
  });

  test('a server run by a user the client does not trust is refused with EPERM naming that user, and its replies are dropped', async () => {
    const bus = new NetlinkBus();
    const port = 0x4e4c4543;
    bus.serve(NETLINK_USERSOCK, nlexClassicServer(), { portid: port });
    const stranger = NlexClient.open({ flavour: 'classic', protocol: NETLINK_USERSOCK, peer: port, transport: bus.transport(), trustUids: [4242] });
    const trusting = NlexClient.open({ flavour: 'classic', protocol: NETLINK_USERSOCK, peer: port, transport: bus.transport() });
    try {
      const err = await stranger.get().catch((e: unknown) => e);
      assert.ok(err instanceof SocketError, String(err));
      assert.equal(err.code, 'EPERM');
      assert.match(err.message, new RegExp(`nlex server on port 0x4e4c4543 is run by uid ${process.getuid!()} \\(pid ${process.pid}\\), not by uid 4242`));
      assert.ok(stranger.stats.untrusted >= 1, 'the reply (and its ACK) were dropped');
      await assert.rejects(stranger.set(1), { code: 'EPERM' }, 'and stays refused');
      assert.equal(await trusting.get(), 0, 'the default trusts this process\'s own uid');
    } finally {
      stranger.close();
      trusting.close();
    }
  });
});

describe('across processes over NETLINK_USERSOCK', () => {
  test('uid 1001 sending myvar=666 to the nlex group does not make `nlkit nlex watch` print it', { timeout: 60_000 }, async (t) => {
    const skip = canSwitchUser();
    if (skip) return t.skip(skip);
    const port = String(randomPort());
    const server = new Proc('root', ['serve', '--port', port]);
    let watcher: Proc | undefined;
    try {
      await server.waitFor('out', /^nlex: family nlex id (0x[0-9a-f]+).* group example=(\d+)/m);
      const [, id, group] = /id (0x[0-9a-f]+).* group example=(\d+)/.exec(server.out)!;
      watcher = new Proc('root', ['watch', '--count', '1', '--port', port]);
      await watcher.waitFor('err', /watching group/);
      const script = `
        import { NetlinkSocket, NETLINK_USERSOCK } from ${JSON.stringify(INDEX)};
        const s = NetlinkSocket.open(NETLINK_USERSOCK);
        try { s.send(new Uint8Array(${JSON.stringify([...forgedUpd(Number(id), 666)])}), 0, ${1 << (Number(group) - 1)}); }
        catch (e) { if (e.code !== 'ECONNREFUSED') throw e; } // the multicast went out (see usersock.ts)
        s.close();`;
      const [file, argv] = as(1001, [process.execPath, '--input-type=module', '-e', script]);
      const forged = spawnSync(file, argv, { encoding: 'utf8', timeout: 10_000 });
      assert.equal(forged.status, 0, forged.stderr);
      assert.deepEqual(runAs('root', ['set', '5', '--port', port]), { code: 0, out: '', err: '' });
      assert.equal(await watcher.exited, 0);
      assert.equal(watcher.out, 'myvar=5\n');
      assert.match(watcher.err, /ignored 1 message not sent by the server's port/);
    } finally {
      await watcher?.stop();
      await server.stop();
    }
  });

  test('a server squatting on the port as uid 1001 is refused by a root client with a clear error; its own user and --trust-uid accept it', { timeout: 60_000 }, async (t) => {
    const skip = canSwitchUser();
    if (skip) return t.skip(skip);
    for (const f of [[], ['--classic']]) {
      const port = String(randomPort());
      const squatter = new Proc(1001, [...f, 'serve', '--port', port, '--initial', '666']);
      try {
        await squatter.waitFor('out', /^nlex: /m);
        const refused = runAs('root', [...f, 'get', '--port', port]);
        assert.equal(refused.code, 1, refused.out);
        assert.match(refused.err, /^Error: the nlex server on port 0x[0-9a-f]+ is run by uid 1001 \(pid \d+\), not by root: refusing to talk to it/);
        assert.equal(refused.out, '');
        assert.deepEqual(runAs('root', [...f, 'get', '--port', port, '--trust-uid', '1001']), { code: 0, out: 'myvar=666\n', err: '' });
        // Its own user trusts it (the generic flavour's get is not admin-only).
        if (!f.length) assert.deepEqual(runAs(1001, ['get', '--port', port]), { code: 0, out: 'myvar=666\n', err: '' });
      } finally {
        await squatter.stop();
      }
    }
  });
});
