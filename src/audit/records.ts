// Audit records (what the kernel multicasts to AUDIT_NLGRP_READLOG, and what auditd writes):
// `audit(SECONDS.MILLIS:SERIAL): key=value …` text after a message type, and their grouping
// into events by serial number, as ausearch groups them.
import { decodeText } from '../wire/index.js';
import { AUDIT, AUDIT_NAME } from './gen/audit.js';

/** One audit record. */
export interface AuditRecord {
  /** The message type (AUDIT_SYSCALL = 1300, AUDIT_PATH, AUDIT_USER_AVC, …). */
  type: number;
  /** Its name as auditd writes it ('SYSCALL', 'USER_AVC'), or 'UNKNOWN[N]'. */
  typeName: string;
  /** Seconds since the epoch, with milliseconds (from `audit(…)`). */
  time: number;
  /** The event's serial number: records with the same one are one event. */
  serial: number;
  /** The text after `audit(…): `. */
  text: string;
  /** key=value pairs of the text; quoted values unquoted, msg='…' kept whole. */
  fields: Record<string, string>;
}

/** An event: the records that share a serial number. */
export interface AuditEvent {
  serial: number;
  time: number;
  records: AuditRecord[];
}

const HEAD = /^audit\((\d+)\.(\d+):(\d+)\):\s?/;

/** key=value pairs (values "quoted", 'quoted' or bare). */
export function auditFields(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  const re = /([A-Za-z0-9_-]+)=("([^"]*)"|'([^']*)'|(\S*))/g;
  for (const m of text.matchAll(re)) out[m[1]!] = m[3] ?? m[4] ?? m[5] ?? '';
  return out;
}

/** The name auditd gives a type: AUDIT_* without its prefix. */
export function auditTypeName(type: number): string {
  const n = AUDIT_NAME[type];
  return n ? n.slice('AUDIT_'.length) : `UNKNOWN[${type}]`;
}

/** Decodes one record from a message's type and payload (text, NUL-terminated or not). */
export function decodeAuditRecord(type: number, payload: Uint8Array): AuditRecord {
  const nul = payload.indexOf(0);
  const all = decodeText(nul < 0 ? payload : payload.subarray(0, nul));
  const m = HEAD.exec(all);
  const text = m ? all.slice(m[0].length) : all;
  return {
    type, typeName: auditTypeName(type),
    time: m ? Number(m[1]) + Number(m[2]) / 1000 : 0, serial: m ? Number(m[3]) : 0,
    text, fields: auditFields(text),
  };
}

/**
 * True when a record of this type is an event by itself or ends one (libaudit's rule): the
 * end-of-event record, and everything outside the kernel's multi-record syscall range (user
 * space messages, daemon messages, anomalies, integrity, …).
 */
export function endsEvent(type: number): boolean {
  if (type === AUDIT.EOE) return true;
  if (type >= AUDIT.SYSCALL && type < 1700) return false;
  return true;
}

/**
 * Groups records into events by serial number: an event is complete at its end record
 * (EOE, or a record type that stands alone). push() returns the events it completed.
 */
export class AuditEventGrouper {
  private readonly open = new Map<number, AuditEvent>();

  /** Adds a record; returns the events completed by it. */
  push(r: AuditRecord): AuditEvent[] {
    let ev = this.open.get(r.serial);
    if (!ev) {
      ev = { serial: r.serial, time: r.time, records: [] };
      this.open.set(r.serial, ev);
    }
    ev.records.push(r);
    if (!endsEvent(r.type)) return [];
    this.open.delete(r.serial);
    return [ev];
  }

  /** The events still waiting for their end (in arrival order), and forgets them. */
  flush(): AuditEvent[] {
    const out = [...this.open.values()];
    this.open.clear();
    return out;
  }
}
