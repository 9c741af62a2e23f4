// `nlkit ip monitor` next to `ip monitor` on the same namespace: the same lines for the same
// events (the walk-through: a route added and deleted, `Deleted ` prefixes, `[ROUTE]` labels),
// and with -j one JSON object per line whose fields are what `ip -j route show` prints.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ip, ipJson, requireRoot, withNetns } from './helpers/netns.js';
import { noDad, waitFor } from './helpers/cli-ip.js';
import { start, startNlkit, type Running } from './helpers/cli.js';

const PROBE = '198.51.100.0/24';

/** Waits until every monitor printed the probe route: they are all listening from then on. */
async function listening(ns: string, mons: Running[]): Promise<void> {
  for (let i = 0; i < 30; i++) {
    ip(ns, `route add ${PROBE} dev lo`);
    const ok = await waitFor(() => mons.every((m) => m.stdout().includes('198.51.100.0/24')), 300);
    ip(ns, `route del ${PROBE} dev lo`);
    if (ok) {
      // Every probe a monitor saw added it also saw deleted: nothing of the probes is pending.
      const balanced = (m: Running) => {
        const lines = m.stdout().split('\n').filter((l) => l.includes('198.51.100.0'));
        const del = lines.filter((l) => l.includes('Deleted') || l.includes('"deleted":true')).length;
        return del > 0 && del * 2 === lines.length;
      };
      await waitFor(() => mons.every(balanced), 2000);
      return;
    }
  }
  throw new Error(`the monitors never started listening: ${mons.map((m) => JSON.stringify(m.stderr())).join(', ')}`);
}

/** What a monitor printed after the last probe's deletion (monitors that started sooner saw more probes). */
function after(text: string): string {
  const lines = text.split('\n');
  let i = lines.length - 1;
  while (i >= 0 && !(lines[i]!.includes(PROBE.split('/')[0]!) && (lines[i]!.includes('Deleted') || lines[i]!.includes('"deleted":true')))) i--;
  return lines.slice(i + 1).join('\n');
}

test('monitor prints the events of ip route add/del as ip monitor does (text, labels, NDJSON)', async (t) => {
  if (!requireRoot(t)) return;
  await withNetns(async (ns) => {
    noDad(ns);
    ip(ns, 'link add v0 type veth peer name v1');
    ip(ns, 'link set v0 up');
    ip(ns, 'link set v1 up');
    ip(ns, 'addr add 10.0.0.1/24 dev v0');
    const mons = {
      ip: start('ip', ['-n', ns, 'monitor', 'route']),
      nl: startNlkit(['ip', '-n', ns, 'monitor', 'route']),
      ipAll: start('ip', ['-n', ns, 'monitor', 'all']),
      nlAll: startNlkit(['ip', '-n', ns, 'monitor', 'all']),
      nlJson: startNlkit(['ip', '-n', ns, '-j', 'monitor', 'route']),
    };
    const all = Object.values(mons);
    let shown: Record<string, unknown> = {};
    try {
      await listening(ns, all);
      // The walk-through: add a route, look at it, delete it.
      ip(ns, 'route add 10.1.0.0/16 via 10.0.0.2 dev v0 metric 10 proto static');
      shown = ipJson<Record<string, unknown>[]>(ns, 'route show 10.1.0.0/16')[0]!;
      ip(ns, 'route del 10.1.0.0/16 via 10.0.0.2 dev v0 metric 10 proto static');
      ip(ns, 'route add blackhole 10.2.0.0/16 table 7');
      ip(ns, 'route del blackhole 10.2.0.0/16 table 7');
      ip(ns, 'rule add from 10.9.0.0/16 table 7 prio 77');
      ip(ns, 'rule del prio 77');
      assert.ok(await waitFor(() => all.every((m) => after(m.stdout()).includes('77') || m === mons.ip || m === mons.nl || m === mons.nlJson), 3000));
      assert.ok(await waitFor(() => [mons.ip, mons.nl, mons.nlJson].every((m) => /10\.2\.0\.0\/16.*\n.*10\.2\.0\.0\/16|"10\.2\.0\.0\/16"[^\n]*\n[^\n]*"10\.2\.0\.0\/16"/.test(after(m.stdout()))), 3000));
    } finally {
      for (const m of all) await m.stop();
    }
    const ipRoute = after(mons.ip.stdout());
    assert.equal(after(mons.nl.stdout()), ipRoute, 'nlkit ip monitor route prints what ip monitor route prints');
    assert.match(ipRoute, /^10\.1\.0\.0\/16 via 10\.0\.0\.2 dev v0 proto static metric 10 \nDeleted 10\.1\.0\.0\/16 via 10\.0\.0\.2 dev v0 proto static metric 10 \n/);
    const ipAll = after(mons.ipAll.stdout());
    assert.equal(after(mons.nlAll.stdout()), ipAll, 'nlkit ip monitor all prints what ip monitor all prints');
    assert.match(ipAll, /\[ROUTE\]Deleted blackhole 10\.2\.0\.0\/16 table 7 \n/);
    assert.match(ipAll, /\[RULE\]Deleted 77:\tfrom 10\.9\.0\.0\/16 lookup 7\n/);

    // NDJSON: one object per line, the added route as ip -j route show prints it.
    const events = after(mons.nlJson.stdout()).split('\n').filter(Boolean).map((l) => JSON.parse(l) as Record<string, unknown>);
    const [added, deleted] = events.filter((e) => e.dst === '10.1.0.0/16');
    assert.ok(added && deleted);
    const { object, ...route } = added;
    assert.equal(object, 'route');
    assert.equal(JSON.stringify(route), JSON.stringify(shown), 'a new-route line carries ip -j route show\'s fields in its order');
    assert.equal(deleted.object, 'route');
    assert.equal(deleted.deleted, true);
    for (const m of all.filter((x) => x !== mons.ip && x !== mons.ipAll)) {
      const r = await m.stop();
      assert.equal(r.status, 0, 'SIGINT ends nlkit ip monitor with exit 0');
      assert.equal(r.stderr, '');
    }
  });
});
