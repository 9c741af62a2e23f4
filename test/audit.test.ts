// nlkit/audit and `nlkit audit` against the real kernel. Audit is NOT namespaced: these tests
// only read the host's audit state (status, features, rules), never change it (the one
// AUDIT_SET sent has an empty mask: it changes nothing, which the test checks), and trigger a
// record with a user message (AUDIT_USER_AVC, which the kernel accepts from root and logs
// whether audit is enabled or not) to see it come back on the read log. `auditctl` is the
// oracle where it is installed.
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import {
  AUDIT, AUDIT_NLGRP_READLOG, AUDIT_RULE_DATA_SIZE, AuditEventGrouper, decodeAuditRecord, decodeAuditRule, dumpRules, events, getFeatures,
  getStatus, sendUserMessage, setStatus, type AuditEvent,
} from '../src/audit/index.js';
import { auditFeatures, auditStatus } from '../src/audit/structs.js';
import { compileStruct } from '../src/schema/index.js';
import { ruleText } from '../src/cli/audit.js';
import { joined, nlkit, startNlkit, until } from './helpers/cli.js';
import { hasTool, requireRoot } from './helpers/netns.js';

const NETLINK_AUDIT = 9;

/** The fields auditctl -s prints that do not move on a quiet host (lost, backlog and waits may). */
const STABLE = ['enabled', 'failure', 'pid', 'rate_limit', 'backlog_limit', 'backlog_wait_time', 'loginuid_immutable'];
const stable = (text: string) => text.split('\n').filter((l) => STABLE.includes(l.split(' ')[0]!)).join('\n');

test('audit structs: sizes are the C compiler\'s; struct audit_rule_data as C lays it out (auditctl -a always,exit -F arch=b64 -S 2,257 -F uid!=0 -F dir=/tmp -F key=nlkit) decodes field by field', (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'nlkit-audit-'));
  try {
    const c = `#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/audit.h>
int main(void) {
  const char *d = "/tmp", *k = "nlkit";
  size_t n = sizeof(struct audit_rule_data) + strlen(d) + strlen(k);
  struct audit_rule_data *r = calloc(1, n);
  r->flags = AUDIT_FILTER_EXIT; r->action = AUDIT_ALWAYS; r->field_count = 4;
  r->mask[0] = 1u << 2; r->mask[257 / 32] |= 1u << (257 % 32);
  r->fields[0] = AUDIT_ARCH; r->values[0] = AUDIT_ARCH_X86_64; r->fieldflags[0] = AUDIT_EQUAL;
  r->fields[1] = AUDIT_UID; r->values[1] = 0; r->fieldflags[1] = AUDIT_NOT_EQUAL;
  r->fields[2] = AUDIT_DIR; r->values[2] = strlen(d); r->fieldflags[2] = AUDIT_EQUAL;
  r->fields[3] = AUDIT_FILTERKEY; r->values[3] = strlen(k); r->fieldflags[3] = AUDIT_EQUAL;
  memcpy(r->buf, d, strlen(d)); memcpy(r->buf + strlen(d), k, strlen(k)); r->buflen = strlen(d) + strlen(k);
  fwrite(r, 1, n, stdout);
  fprintf(stderr, "%zu %zu %zu", sizeof(struct audit_status), sizeof(struct audit_features), sizeof(struct audit_rule_data));
  return 0;
}
`;
    writeFileSync(join(dir, 'r.c'), c);
    try {
      execFileSync('cc', ['-o', join(dir, 'r'), join(dir, 'r.c')], { stdio: 'pipe' });
    } catch (e) {
      t.skip(`no C compiler or <linux/audit.h>: ${(e as Error).message.split('\n')[0]}`);
      return;
    }
    const run = spawnSync(join(dir, 'r'));
    const [st, feat, size] = run.stderr.toString().split(' ').map(Number);
    assert.equal(compileStruct(auditStatus).size, st, 'sizeof(struct audit_status)');
    assert.equal(compileStruct(auditFeatures).size, feat, 'sizeof(struct audit_features)');
    assert.equal(AUDIT_RULE_DATA_SIZE, size, 'sizeof(struct audit_rule_data)');
    const bytes = new Uint8Array(run.stdout);
    const rule = decodeAuditRule(bytes);
    assert.deepEqual(rule, {
      list: 'exit', action: 'always', syscalls: [2, 257], allSyscalls: false,
      fields: [
        { field: 'arch', op: '=', value: 0xc000003e }, { field: 'uid', op: '!=', value: 0 },
        { field: 'dir', op: '=', value: '/tmp' }, { field: 'key', op: '=', value: 'nlkit' },
      ],
    });
    assert.equal(ruleText(rule!), '-a always,exit -F arch=b64 -S 2,257 -F uid!=0 -F dir=/tmp -F key=nlkit');
    assert.equal(decodeAuditRule(bytes.subarray(0, AUDIT_RULE_DATA_SIZE - 1)), undefined, 'a short struct is not a rule');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('audit status and rules: the kernel\'s values, as auditctl -s / -l print them where auditctl is installed; an empty AUDIT_SET changes nothing', async (t) => {
  if (!requireRoot(t)) return;
  const [a, f] = await Promise.all([getStatus(), getFeatures()]);
  assert.ok([0, 1, 2].includes(a.enabled), `enabled ${a.enabled}`);
  assert.ok([0, 1, 2].includes(a.failure), `failure ${a.failure}`);
  assert.equal(f.vers, 1, 'AUDIT_FEATURE_VERSION');
  const rules = await dumpRules().toArray();
  // AUDIT_SET with mask 0: accepted (CAP_AUDIT_CONTROL), nothing changes.
  await setStatus({});
  const b = await getStatus();
  for (const k of ['enabled', 'failure', 'pid', 'rate_limit', 'backlog_limit', 'backlog_wait_time', 'feature_bitmap'] as const) assert.equal(b[k], a[k], k);

  const status = nlkit(['audit', 'status']);
  assert.equal(status.status, 0, status.stderr);
  const lines = status.stdout.split('\n');
  assert.deepEqual(lines.map((l) => l.split(' ')[0]), ['enabled', 'failure', 'pid', 'rate_limit', 'backlog_limit', 'lost', 'backlog', 'backlog_wait_time', 'backlog_wait_time_actual', 'loginuid_immutable', '']);
  assert.equal(lines[0], `enabled ${a.enabled}`);
  assert.equal(lines[4], `backlog_limit ${a.backlog_limit}`);
  assert.equal(lines[7], `backlog_wait_time ${a.backlog_wait_time}`);
  const ruleText = nlkit(['audit', 'rules']);
  assert.equal(ruleText.status, 0, ruleText.stderr);
  if (rules.length === 0) assert.equal(ruleText.stdout, 'No rules\n');
  else assert.equal(ruleText.stdout.trim().split('\n').length, rules.length);

  if (!hasTool('auditctl')) {
    t.diagnostic('auditctl is not installed: status checked against a second read, not auditctl -s');
    return;
  }
  const s = spawnSync('auditctl', ['-s'], { encoding: 'utf8' });
  assert.equal(s.status, 0, s.stderr);
  assert.equal(stable(status.stdout), stable(s.stdout));
  if (rules.length === 0) assert.equal(spawnSync('auditctl', ['-l'], { encoding: 'utf8' }).stdout, ruleText.stdout);
});

test('audit records: a user message comes back on the read log, grouped into its event; nlkit audit monitor prints it as audit.log does', async (t) => {
  if (!requireRoot(t)) return;
  const token = `nlkit-${randomBytes(6).toString('hex')}`;
  const mon = startNlkit(['audit', 'monitor']);
  const it = events();
  try {
    await until(() => joined(mon.pid, NETLINK_AUDIT, AUDIT_NLGRP_READLOG), 'nlkit audit monitor joined the read log');
    // USER_AVC: accepted from root, logged whether audit is enabled or not.
    await sendUserMessage(`test ${token}`, AUDIT.USER_AVC);
    let ev: AuditEvent | undefined;
    for (;;) {
      const n = await it.next();
      assert.ok(!n.done);
      if ('overrun' in n.value) continue;
      if (n.value.records.some((r) => r.fields.msg === `test ${token}`)) {
        ev = n.value;
        break;
      }
    }
    assert.equal(ev.records.length, 1);
    const r = ev.records[0]!;
    assert.equal(r.type, AUDIT.USER_AVC);
    assert.equal(r.typeName, 'USER_AVC');
    assert.equal(r.fields.pid, String(process.pid));
    assert.equal(r.fields.uid, '0');
    assert.ok(r.serial > 0 && ev.serial === r.serial);
    assert.ok(Math.abs(r.time - Date.now() / 1000) < 3600, 'a time of today');
    const m = await mon.waitFor('out', new RegExp(`^type=USER_AVC msg=audit\\((\\d+\\.\\d{3}):(\\d+)\\): (pid=\\d+ uid=0 .*msg='test ${token}'.*)$`, 'm'));
    assert.equal(Number(m[2]), r.serial);
    assert.equal(m[3], r.text);
  } finally {
    await it.return();
    await mon.stop();
  }
});

test('audit events: records grouped by serial, an event ending at EOE or at a record that stands alone', () => {
  const rec = (type: number, serial: number, text: string) => decodeAuditRecord(type, new TextEncoder().encode(`audit(1700000000.123:${serial}): ${text}\0`));
  const g = new AuditEventGrouper();
  assert.deepEqual(g.push(rec(AUDIT.SYSCALL, 7, 'arch=c000003e syscall=59 success=yes')), []);
  assert.deepEqual(g.push(rec(AUDIT.USER_AVC, 8, "pid=1 uid=0 msg='x y'")).map((e) => [e.serial, e.records.length]), [[8, 1]]);
  assert.deepEqual(g.push(rec(AUDIT.PATH, 7, 'item=0 name="/bin/sh"')), []);
  const done = g.push(rec(AUDIT.EOE, 7, ''));
  assert.deepEqual(done.map((e) => [e.serial, e.records.map((r) => r.typeName)]), [[7, ['SYSCALL', 'PATH', 'EOE']]]);
  assert.equal(done[0]!.time, 1700000000.123);
  assert.equal(done[0]!.records[1]!.fields.name, '/bin/sh');
  assert.deepEqual(g.flush(), []);
});
