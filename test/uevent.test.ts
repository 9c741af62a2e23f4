// nlkit/uevent and `nlkit uevent monitor` against the real kernel: a veth created and deleted in
// a throwaway namespace; the events are compared with the kernel's own /sys/.../uevent files.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { test } from 'node:test';
import { decodeUevent, uevents, UDEV_MONITOR_MAGIC, type Uevent } from '../src/uevent/index.js';
import { joined, startNlkit, until } from './helpers/cli.js';
import { ip, requireRoot, withNetns } from './helpers/netns.js';

/** The kernel's own view of a device in namespace `ns`: /sys/class/net/NAME/uevent and DEVPATH. */
function sysUevent(ns: string, name: string): { devpath: string; props: Record<string, string> } {
  // `ip netns exec` mounts a sysfs of the namespace, where its devices are.
  const out = execFileSync('ip', ['netns', 'exec', ns, 'sh', '-c', `readlink -f /sys/class/net/${name}; cat /sys/class/net/${name}/uevent`], { encoding: 'utf8' });
  const [path, ...lines] = out.trim().split('\n');
  const props: Record<string, string> = {};
  for (const l of lines) props[l.slice(0, l.indexOf('='))] = l.slice(l.indexOf('=') + 1);
  return { devpath: path!.replace(/^\/sys/, ''), props };
}

/** Collects events until `done` says the list is complete. */
// (`break` in for-await would end the subscription: one iterator serves several collects.)
async function collect(it: AsyncIterator<Uevent | { overrun: true }>, done: (evs: Uevent[]) => boolean): Promise<Uevent[]> {
  const evs: Uevent[] = [];
  for (;;) {
    const r = await it.next();
    if (r.done) return evs;
    assert.ok(!('overrun' in r.value), 'no events lost');
    evs.push(r.value as Uevent);
    if (done(evs)) return evs;
  }
}

test('uevents: a veth added and deleted in a namespace, as the kernel describes it in /sys', async (t) => {
  if (!requireRoot(t)) return;
  await withNetns(async (ns) => {
    const mon = uevents({ netns: ns, subsystem: 'net' });
    const it = mon[Symbol.asyncIterator]();
    const has = (evs: Uevent[], action: string, name: string) => evs.some((e) => e.action === action && e.properties.INTERFACE === name);
    ip(ns, 'link add ua type veth peer name ub');
    const sys = { ua: sysUevent(ns, 'ua'), ub: sysUevent(ns, 'ub') };
    const added = await collect(it, (evs) => has(evs, 'add', 'ua') && has(evs, 'add', 'ub'));
    for (const name of ['ua', 'ub'] as const) {
      const ev = added.find((e) => e.action === 'add' && e.properties.INTERFACE === name)!;
      assert.equal(ev.source, 'kernel');
      assert.equal(ev.subsystem, 'net');
      assert.equal(ev.devpath, sys[name].devpath);
      assert.equal(ev.properties.DEVPATH, sys[name].devpath);
      assert.equal(ev.properties.ACTION, 'add');
      assert.equal(typeof ev.seqnum, 'bigint');
      assert.equal(ev.properties.SEQNUM, String(ev.seqnum));
      // Every KEY=VALUE the kernel lists for the device is in its add event (INTERFACE, IFINDEX).
      for (const [k, v] of Object.entries(sys[name].props)) assert.equal(ev.properties[k], v, `${name} ${k}`);
      assert.equal(ev.properties.IFINDEX, String((JSON.parse(ip(ns, `-j link show ${name}`)) as { ifindex: number }[])[0]!.ifindex));
    }
    ip(ns, 'link del ua');
    const removed = await collect(it, (evs) => has(evs, 'remove', 'ua') && has(evs, 'remove', 'ub'));
    for (const name of ['ua', 'ub'] as const) {
      const ev = removed.find((e) => e.action === 'remove' && e.properties.INTERFACE === name)!;
      assert.equal(ev.devpath, sys[name].devpath);
      assert.equal(ev.properties.IFINDEX, sys[name].props.IFINDEX);
      const add = added.find((e) => e.properties.INTERFACE === name)!;
      assert.ok(ev.seqnum! > add.seqnum!, 'SEQNUM grows');
    }
    // Only the subsystem asked for passed the filter.
    assert.ok([...added, ...removed].every((e) => e.subsystem === 'net'));
    mon.close();
  });
});

test('uevents: the signal ends the iteration; a closed monitor ends at once', async (t) => {
  if (!requireRoot(t)) return;
  await withNetns(async (ns) => {
    const ac = new AbortController();
    const mon = uevents({ netns: ns, signal: ac.signal });
    const iterating = collect(mon[Symbol.asyncIterator](), () => false);
    ac.abort();
    assert.deepEqual(await iterating, []);
  });
});

test('decodeUevent: the kernel format and libudev framing; other datagrams are refused', () => {
  const enc = (s: string) => new TextEncoder().encode(s);
  const kernel = decodeUevent(enc('add@/devices/virtual/net/x\0ACTION=add\0DEVPATH=/devices/virtual/net/x\0SUBSYSTEM=net\0SEQNUM=7\0'))!;
  assert.deepEqual({ ...kernel, properties: { ...kernel.properties } }, {
    source: 'kernel', action: 'add', devpath: '/devices/virtual/net/x', subsystem: 'net', seqnum: 7n,
    properties: { ACTION: 'add', DEVPATH: '/devices/virtual/net/x', SUBSYSTEM: 'net', SEQNUM: '7' },
  });
  // libudev: "libudev\0", magic (big-endian), header_size, properties_off, properties_len, …
  const props = enc('ACTION=change\0DEVPATH=/devices/y\0SUBSYSTEM=block\0SEQNUM=9\0');
  const b = new Uint8Array(40 + props.byteLength);
  b.set(enc('libudev\0'));
  const dv = new DataView(b.buffer);
  dv.setUint32(8, UDEV_MONITOR_MAGIC, false);
  dv.setUint32(12, 40, true);
  dv.setUint32(16, 40, true);
  dv.setUint32(20, props.byteLength, true);
  b.set(props, 40);
  const udev = decodeUevent(b)!;
  assert.equal(udev.source, 'udev');
  assert.equal(udev.action, 'change');
  assert.equal(udev.subsystem, 'block');
  assert.equal(udev.seqnum, 9n);
  dv.setUint32(20, 1 << 20, true);
  assert.equal(decodeUevent(b), undefined, 'properties beyond the datagram');
  assert.equal(decodeUevent(enc('no at sign\0A=b\0')), undefined);
  assert.equal(decodeUevent(new Uint8Array(0)), undefined);
});

test('nlkit uevent monitor: udevadm monitor --kernel --property lines and -j, in a namespace', async (t) => {
  if (!requireRoot(t)) return;
  await withNetns(async (ns) => {
    const text = startNlkit(['uevent', 'monitor', '--netns', ns, '--subsystem', 'net', '--count', '2']);
    const json = startNlkit(['uevent', 'monitor', '-n', ns, '-s', 'net', '-j', '--count', '2']);
    try {
      await until(() => joined(text.pid, 15, 1, ns) && joined(json.pid, 15, 1, ns), 'both monitors joined group 1');
      ip(ns, 'link add ua type veth peer name ub');
      const sys = sysUevent(ns, 'ua');
      const [r, j] = await Promise.all([text.exited, json.exited]);
      assert.equal(r.status, 0, r.stderr);
      assert.equal(j.status, 0, j.stderr);
      assert.match(r.stdout, /^monitor will print the received events for:\nKERNEL - the kernel uevent\n\n/);
      const block = r.stdout.split('\n\n').find((b) => b.includes('INTERFACE=ua\n') || b.endsWith('INTERFACE=ua'))!;
      assert.ok(block, r.stdout);
      const [head, ...lines] = block.trim().split('\n');
      assert.match(head!, new RegExp(`^KERNEL\\[\\d+\\.\\d{6}\\] add      ${sys.devpath} \\(net\\)$`));
      assert.deepEqual(lines.slice(0, 3), ['ACTION=add', `DEVPATH=${sys.devpath}`, 'SUBSYSTEM=net']);
      for (const [k, v] of Object.entries(sys.props)) assert.ok(lines.includes(`${k}=${v}`), `${k}=${v} in ${block}`);
      const objs = j.stdout.trim().split('\n').map((l) => JSON.parse(l) as Record<string, string>);
      const ua = objs.find((o) => o.INTERFACE === 'ua')!;
      assert.deepEqual({ source: ua.source, ACTION: ua.ACTION, DEVPATH: ua.DEVPATH, SUBSYSTEM: ua.SUBSYSTEM }, { source: 'kernel', ACTION: 'add', DEVPATH: sys.devpath, SUBSYSTEM: 'net' });
      for (const [k, v] of Object.entries(sys.props)) assert.equal(ua[k], v, k);
      assert.match(ua.SEQNUM!, /^\d+$/);
    } finally {
      await Promise.all([text.stop(), json.stop()]);
    }
  });
});
