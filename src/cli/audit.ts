// nlkit audit status|rules|monitor: the kernel audit subsystem (host-wide). `status` prints
// what `auditctl -s` prints, `rules` what `auditctl -l` prints (syscalls by number), `monitor`
// the records as auditd writes them to audit.log (`type=… msg=audit(…): …`); -j prints one JSON
// object per status, rule or event (records grouped by serial number).
import { dumpRules, events, getFeatures, getStatus, records, type AuditRule } from '../audit/index.js';
import { NetlinkError } from '../socket/index.js';
import { UsageError } from './errors.js';

const HELP = `Usage: nlkit audit { status | rules | monitor [--count N] } [-j]
  status    the audit status, as auditctl -s prints it
  rules     the audit rules, as auditctl -l prints them (syscalls by number)
  monitor   the audit records the kernel multicasts (needs CAP_AUDIT_READ), as audit.log lines;
            with -j one JSON object per event (records grouped by serial number)
Audit is not namespaced: these read the host's audit state (nlkit changes none of it here).
`;

// AUDIT_FEATURE_TO_MASK(AUDIT_FEATURE_LOGINUID_IMMUTABLE): bit 1 of struct audit_features.
const LOGINUID_IMMUTABLE = 1 << 1;

/** A rule as `auditctl -l` writes it. */
export function ruleText(r: AuditRule): string {
  const parts = [`-a ${r.action},${r.list}`];
  const fields = r.fields.filter((f) => f.field !== 'arch');
  for (const f of r.fields.filter((f) => f.field === 'arch')) parts.push(`-F arch${f.op}${archName(f.value)}`);
  if (r.allSyscalls) parts.push('-S all');
  else if (r.syscalls.length) parts.push(`-S ${r.syscalls.join(',')}`);
  for (const f of fields) parts.push(`-F ${f.field}${f.op}${f.value}`);
  return parts.join(' ');
}

function archName(v: number | string): string {
  // AUDIT_ARCH_X86_64 / AUDIT_ARCH_I386 as auditctl names them.
  if (v === 0xc000003e) return 'b64';
  if (v === 0x40000003) return 'b32';
  return String(v);
}

function json(o: unknown): string {
  return `${JSON.stringify(o, (_k, v) => (typeof v === 'bigint' ? String(v) : v))}\n`;
}

/** Runs `nlkit audit ARGS`; resolves with the exit status (auditctl's: 0, or 1 on failure). */
export async function run(args: string[]): Promise<number> {
  const words = args.filter((a) => a !== '-j' && a !== '--json');
  const asJson = words.length !== args.length;
  const [cmd, ...rest] = words;
  if (cmd === undefined || cmd === 'help' || cmd === '-h' || cmd === '--help') {
    process.stdout.write(HELP);
    return cmd === undefined ? 1 : 0;
  }
  try {
    if (cmd === 'status') {
      if (rest.length) throw new UsageError(`audit: unknown argument "${rest[0]}"`, 'Try "nlkit audit help".');
      const [s, f] = await Promise.all([getStatus(), getFeatures()]);
      if (asJson) {
        process.stdout.write(json({ ...s, loginuid_immutable: f.features & LOGINUID_IMMUTABLE ? 1 : 0, loginuid_immutable_locked: !!(f.lock & LOGINUID_IMMUTABLE) }));
        return 0;
      }
      process.stdout.write(
        `enabled ${s.enabled}\nfailure ${s.failure}\npid ${s.pid}\nrate_limit ${s.rate_limit}\nbacklog_limit ${s.backlog_limit}\n`
        + `lost ${s.lost}\nbacklog ${s.backlog}\nbacklog_wait_time ${s.backlog_wait_time}\nbacklog_wait_time_actual ${s.backlog_wait_time_actual}\n`
        + `loginuid_immutable ${f.features & LOGINUID_IMMUTABLE ? 1 : 0} ${f.lock & LOGINUID_IMMUTABLE ? 'locked' : 'unlocked'}\n`,
      );
      return 0;
    }
    if (cmd === 'rules') {
      if (rest.length) throw new UsageError(`audit: unknown argument "${rest[0]}"`, 'Try "nlkit audit help".');
      const list = await dumpRules().toArray();
      if (asJson) process.stdout.write(list.map(json).join(''));
      else process.stdout.write(list.length ? list.map((r) => `${ruleText(r)}\n`).join('') : 'No rules\n');
      return 0;
    }
    if (cmd === 'monitor') {
      let count: number | undefined;
      for (let i = 0; i < rest.length; i++) {
        if (rest[i] === '--count' && /^\d+$/.test(rest[i + 1] ?? '')) count = Number(rest[++i]);
        else throw new UsageError(`audit: unknown argument "${rest[i]}"`, 'Try "nlkit audit help".');
      }
      const stop = new AbortController();
      const onSignal = () => stop.abort();
      process.once('SIGINT', onSignal);
      process.once('SIGTERM', onSignal);
      let n = 0;
      try {
        if (asJson) {
          for await (const ev of events({ signal: stop.signal })) {
            if ('overrun' in ev) {
              process.stderr.write(`audit: records lost (${ev.code})\n`);
              continue;
            }
            process.stdout.write(json(ev));
            if (count !== undefined && ++n >= count) break;
          }
        } else {
          const sub = records({ signal: stop.signal });
          try {
            for await (const r of sub) {
              if ('overrun' in r) {
                process.stderr.write('audit: records lost\n');
                continue;
              }
              const ms = Math.round((r.time % 1) * 1000);
              process.stdout.write(`type=${r.typeName} msg=audit(${Math.floor(r.time)}.${String(ms).padStart(3, '0')}:${r.serial}): ${r.text}\n`);
              if (count !== undefined && ++n >= count) break;
            }
          } finally {
            sub.close();
          }
        }
      } finally {
        process.off('SIGINT', onSignal);
        process.off('SIGTERM', onSignal);
      }
      return 0;
    }
    throw new UsageError(`audit: unknown command "${cmd}"`, 'Try "nlkit audit help".');
  } catch (e) {
    if (e instanceof NetlinkError) {
      process.stderr.write(`Error: ${e.message}\n`);
      return 1;
    }
    throw e;
  }
}
