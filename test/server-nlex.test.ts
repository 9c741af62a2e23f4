// The tutorial's nlex example, both flavours: first in one process over the in-process bus,
// then as the tutorial runs it, across processes: `nlkit nlex serve` on NETLINK_USERSOCK and
// resolve/set/get/watch from other processes (and from this one, through the kernel).
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { NETLINK_GENERIC, NETLINK_USERSOCK, NetlinkError } from '../src/index.js';
import {
  NLE_MYVAR, NLEX_MSG_UPD, NetlinkBus, NlexClient, NlexState, nlexClassicServer, nlexGenlServer, type NlexChange,
  type NlexFlavour,
} from '../src/server/index.js';
import { nlkit, startNlkit, until, type Running } from './helpers/cli.js';
import { requireRoot, withNetns } from './helpers/netns.js';


/** The next item of `it` within `ms`, else a failed assertion. */
async function next<T>(it: AsyncIterator<T>, ms = 2000): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`nothing within ${ms} ms`)), ms);
  });
  try {
    const r = await Promise.race([it.next(), timeout]);
    assert.ok(!r.done, 'the iterator ended');
    return r.value;
  } finally {
    clearTimeout(timer);
  }
}

/**
 * True when `it` has nothing for the reader once `barrier()` settled: a round trip on the same
 * socket (a request and its reply), so everything sent to it before has been read by then, and an
 * item it yields would be waiting already (checked one loop turn later, not after a guessed delay).
 */
async function quietAfter<T>(it: AsyncIterator<T>, barrier: () => Promise<unknown>): Promise<boolean> {
  await barrier();
  const r = await Promise.race([it.next(), new Promise<'quiet'>((resolve) => setImmediate(() => resolve('quiet')))]);
  return r === 'quiet';
}

describe('nlex on the in-process bus', () => {
  for (const flavour of ['classic', 'genl'] as NlexFlavour[]) {
    test(`${flavour}: set with ACK, get, watch, and ECHO reaching the origin once`, async () => {
      const bus = new NetlinkBus();
      const state = new NlexState();
      const protocol = flavour === 'classic' ? NETLINK_USERSOCK : NETLINK_GENERIC;
      bus.serve(protocol, flavour === 'classic' ? nlexClassicServer(state) : nlexGenlServer(state).server);
      const open = () => NlexClient.open({ flavour, protocol, transport: bus.transport() });
      const a = open();
      const b = open();
      try {
        if (flavour === 'genl') {
          const f = await a.resolve();
          assert.deepEqual([f.name, f.id, f.version, f.groups], ['nlex', 0x13, 1, [{ name: 'example', id: 2 }]]);
          await b.resolve();
        }
        // Joined when events() returns.
        const wa = a.events()[Symbol.asyncIterator]();
        const wb = b.events()[Symbol.asyncIterator]();
        const pa = wa.next();
        const pb = wb.next();

        assert.equal(await a.set(10), undefined, 'no echo asked for');
        assert.equal(state.value, 10);
        const ra = (await pa).value as NlexChange;
        const rb = (await pb).value as NlexChange;
        assert.deepEqual([ra.value, rb.value], [10, 10]);
        assert.equal(ra.origin, a.socket.portid, 'the notification names its origin');

        // With NLM_F_ECHO the origin gets the change in its reply, and not also as an event.
        assert.equal(await a.set(11, { echo: true }), 11);
        assert.equal(((await next(wb)) as NlexChange).value, 11);
        assert.ok(await quietAfter(wa, () => a.get()), 'the origin saw the change once');

        assert.equal(await b.get(), 11);
        assert.equal(await a.get(), 11);
      } finally {
        a.close();
        b.close();
      }
    });
  }

  test('classic: CAP_NET_ADMIN is required, as the tutorial checks; a missing NLE_MYVAR is EINVAL naming it', async () => {
    const bus = new NetlinkBus();
    const server = nlexClassicServer();
    bus.serve(NETLINK_USERSOCK, server);
    const user = NlexClient.open({ flavour: 'classic', protocol: NETLINK_USERSOCK, transport: bus.transport({ privileged: false }) });
    const root = NlexClient.open({ flavour: 'classic', protocol: NETLINK_USERSOCK, transport: bus.transport() });
    try {
      await assert.rejects(user.set(1), (e: unknown) => e instanceof NetlinkError && e.code === 'EPERM' && e.op === 'NLEX_MSG_UPD');
      await assert.rejects(user.get(), (e: unknown) => e instanceof NetlinkError && e.code === 'EPERM');
      const bare = new Uint8Array(16);
      new DataView(bare.buffer).setUint32(0, 16, true);
      new DataView(bare.buffer).setUint16(4, NLEX_MSG_UPD, true);
      const err = await root.socket.request(bare).catch((e: unknown) => e);
      assert.ok(err instanceof NetlinkError);
      assert.deepEqual([err.code, err.missingType], ['EINVAL', NLE_MYVAR]);
    } finally {
      user.close();
      root.close();
    }
  });
});

// ---- across processes, over NETLINK_USERSOCK ----
// Each test serves in a namespace of its own: NETLINK_USERSOCK's port ids and groups belong to a
// namespace, so concurrent tests (and the host) never see each other's servers and events.

/** A free-looking port id for this run: random, above any pid, below the autobind range. */
function randomPort(): number {
  return 0x40000000 + Math.floor(Math.random() * 0x3fffffff);
}

/** Runs `nlkit nlex ARGS…`. */
function run(args: string[]): { code: number | null; out: string; err: string } {
  const r = nlkit(['nlex', ...args], { timeout: 10_000 });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

describe('nlex across processes over NETLINK_USERSOCK', () => {
  for (const flavour of ['genl', 'classic'] as NlexFlavour[]) {
    test(`${flavour}: serve, resolve, set, get and watch in separate processes`, { timeout: 60_000 }, async (t) => {
      if (!requireRoot(t)) return;
      await withNetns(async (ns) => {
        const port = String(randomPort());
        const f = flavour === 'classic' ? ['--classic', '--netns', ns] : ['--netns', ns];
        const server = startNlkit(['nlex', ...f, 'serve', '--port', port]);
        let watcher: Running | undefined;
        try {
          const ready = await server.waitFor('out', /^nlex: .*port (0x[0-9a-f]+)$/m);
          assert.equal(Number(ready[1]), Number(port));

          const resolved = run([...f, 'resolve', '--port', port]);
          if (flavour === 'genl') {
            assert.equal(resolved.code, 0, resolved.err);
            assert.equal(resolved.out, "family-id: 19\nmulticast -> id\n'example' -> 2\n");
            const json = JSON.parse(run(['resolve', '--netns', ns, '-j', '--port', port]).out) as { id: number; groups: unknown };
            assert.deepEqual([json.id, json.groups], [19, [{ name: 'example', id: 2 }]]);
          } else {
            assert.equal(resolved.code, 2, 'resolve is a usage error for the classic protocol');
          }

          watcher = startNlkit(['nlex', ...f, 'watch', '--count', '3', '--port', port]);
          await watcher.waitFor('err', /watching group (\d+)/);

          assert.deepEqual(run([...f, 'set', '5', '--port', port]), { code: 0, out: '', err: '' });
          assert.deepEqual(run([...f, 'set', '6', '--echo', '--port', port]), { code: 0, out: 'myvar=6\n', err: '' });
          assert.equal(run([...f, 'set', '7', '-j', '--echo', '--port', port]).out, '{"myvar":7}\n');
          assert.deepEqual(run([...f, 'get', '--port', port]), { code: 0, out: 'myvar=7\n', err: '' });

          const watched = await watcher.exited;
          assert.equal(watched.status, 0, watched.stderr);
          assert.equal(watched.stdout, 'myvar=5\nmyvar=6\nmyvar=7\n');
          await server.waitFor('out', /myvar=5\nmyvar=6\nmyvar=7\n/);

          // Usage errors exit 2, refusals 1.
          const bad = run([...f, 'set', 'ten', '--port', port]);
          assert.equal(bad.code, 2);
          assert.match(bad.err, /"ten" is not a number/);
        } finally {
          if (watcher) await watcher.stop('SIGTERM');
          await server.stop('SIGTERM');
        }
        assert.equal((await server.exited).status, 0, 'the server exits cleanly on SIGTERM');
        const gone = run([...f, 'get', '--port', port]);
        assert.equal(gone.code, 1);
        assert.match(gone.err, /^Error: no nlex server on NETLINK_USERSOCK port 0x[0-9a-f]+/);
      });
    });
  }

  test('through the kernel: a watching origin that sets with ECHO sees the change once; others see it too', { timeout: 30_000 }, async (t) => {
    if (!requireRoot(t)) return;
    await withNetns(async (ns) => {
      const port = randomPort();
      const server = startNlkit(['nlex', '--netns', ns, 'serve', '--port', String(port)]);
      const a = NlexClient.open({ peer: port, netns: ns });
      const b = NlexClient.open({ peer: port, netns: ns });
      try {
        await server.waitFor('out', /^nlex: /m);
        await a.resolve();
        await b.resolve();
        const ja = a.events()[Symbol.asyncIterator]();
        const jb = b.events()[Symbol.asyncIterator]();
        const pa = ja.next();
        const pb = jb.next();
        // A multicast that the kernel also tried to unicast to port 0 (ECONNREFUSED on
        // NETLINK_USERSOCK) still reaches every member.
        assert.equal(await b.set(40), undefined);
        assert.equal(((await pa).value as NlexChange).value, 40);
        assert.equal(((await pb).value as NlexChange).value, 40);
        // With ECHO the server sends once with nl_pid = the origin: the kernel multicasts to the
        // others and unicasts to the origin, marked with the group.
        assert.equal(await a.set(41, { echo: true }), 41);
        assert.equal(((await next(jb)) as NlexChange).value, 41);
        assert.ok(await quietAfter(ja, () => a.get()), 'the origin got the change only as its echo');
        assert.equal(await b.get(), 41);
      } finally {
        a.close();
        b.close();
        await server.stop('SIGTERM');
      }
    });
  });
});
