// NETLINK_AUDIT: status get/set, the rule list and the record stream. Audit is not namespaced:
// every call here reads or changes the host's audit state (it is only served to the initial
// user and pid namespaces, with CAP_AUDIT_CONTROL to change it and CAP_AUDIT_READ to listen).
import { compileStruct } from '../schema/index.js';
import { Dump, NetlinkSocket, Subscription, type FamilyOptions } from '../socket/index.js';
import { encodeText, MessageWriter, NETLINK_AUDIT, NLMSG_DONE, type MessageReader } from '../wire/index.js';
import {
  AUDIT, AUDIT_NAME, AUDIT_NLGRP_READLOG, AUDIT_STATUS_BACKLOG_LIMIT, AUDIT_STATUS_BACKLOG_WAIT_TIME, AUDIT_STATUS_ENABLED,
  AUDIT_STATUS_FAILURE, AUDIT_STATUS_LOST, AUDIT_STATUS_PID, AUDIT_STATUS_RATE_LIMIT,
} from './gen/audit.js';
import { AuditEventGrouper, decodeAuditRecord, type AuditEvent, type AuditRecord } from './records.js';
import { decodeAuditRule, type AuditRule } from './rules.js';
import { auditFeatures, auditStatus } from './structs.js';

/** The audit status (struct audit_status), as `auditctl -s` shows it. */
export interface AuditStatus {
  /** Which fields a set applies (AUDIT_STATUS_* bits); 0 in replies. */
  mask: number;
  /** 0 off, 1 on, 2 locked. */
  enabled: number;
  /** What a failure to log does: 0 silent, 1 printk, 2 panic. */
  failure: number;
  /** The pid of auditd, 0 when none. */
  pid: number;
  /** Messages per second, 0 for no limit. */
  rate_limit: number;
  /** Records that may wait for auditd. */
  backlog_limit: number;
  /** Records lost so far. */
  lost: number;
  /** Records waiting now. */
  backlog: number;
  /** AUDIT_FEATURE_BITMAP_* the kernel has. */
  feature_bitmap: number;
  /** Ticks a task waits for room in the backlog. */
  backlog_wait_time: number;
  /** Time tasks spent waiting so far. */
  backlog_wait_time_actual: number;
}

/** The kernel's audit features (AUDIT_GET_FEATURE): loginuid immutability and its lock. */
export interface AuditFeatures {
  vers: number;
  mask: number;
  features: number;
  lock: number;
}

/** Options of audit calls: only the socket, signal and timeout (audit has no namespaces). */
export type AuditOptions = Omit<FamilyOptions, 'netns'>;

/** Opens a NETLINK_AUDIT socket whose errors name audit message types ('AUDIT_SET: Operation not permitted'). */
export function openAudit(opts: { groups?: number[] } = {}): NetlinkSocket {
  return NetlinkSocket.open(NETLINK_AUDIT, { ...(opts.groups ? { groups: opts.groups } : {}), typeName: (t) => AUDIT_NAME[t] });
}

async function withAudit<T>(opts: AuditOptions, fn: (s: NetlinkSocket) => Promise<T>): Promise<T> {
  if (opts.socket) return fn(opts.socket);
  const s = openAudit();
  try {
    return await fn(s);
  } finally {
    s.close();
  }
}

const call = (opts: AuditOptions) => ({ ...(opts.signal ? { signal: opts.signal } : {}), ...(opts.timeout !== undefined ? { timeout: opts.timeout } : {}) });

function message(type: number, body: Uint8Array): Uint8Array {
  const w = new MessageWriter(64 + body.byteLength);
  w.begin(type, 0, 0, 0);
  w.bytes(body);
  w.end();
  return w.finish().slice();
}

/**
 * Sends a GET and waits for its reply. The kernel answers audit GETs from a thread of its own,
 * possibly after the ACK, so the request asks for no ACK: the reply (or an error) ends it.
 */
async function get(sock: NetlinkSocket, type: number, opts: AuditOptions): Promise<Uint8Array> {
  const reply = await sock.request(message(type, new Uint8Array(0)), { ack: false, idempotent: true, ...call(opts) });
  const m = reply.messages.find((x) => x.type === type);
  if (!m) throw new Error(`${AUDIT_NAME[type]}: no reply`);
  return m.payload;
}

/** Reads the audit status (AUDIT_GET, `auditctl -s`). */
export async function getStatus(opts: AuditOptions = {}): Promise<AuditStatus> {
  return withAudit(opts, async (sock) => {
    const p = await get(sock, AUDIT.GET, opts);
    const s = compileStruct<AuditStatus>(auditStatus).decode(p, new DataView(p.buffer, p.byteOffset, p.byteLength), 0, p.byteLength);
    return { ...s } as AuditStatus;
  });
}

/** Reads the audit features (AUDIT_GET_FEATURE): `loginuid_immutable` of `auditctl -s`. */
export async function getFeatures(opts: AuditOptions = {}): Promise<AuditFeatures> {
  return withAudit(opts, async (sock) => {
    const p = await get(sock, AUDIT.GET_FEATURE, opts);
    return compileStruct<AuditFeatures>(auditFeatures).decode(p, new DataView(p.buffer, p.byteOffset, p.byteLength), 0, p.byteLength);
  });
}

/** What setStatus may change (`auditctl -e/-f/-r/-b/--backlog_wait_time/--reset-lost`, auditd's pid). */
export interface AuditStatusChange {
  enabled?: number;
  failure?: number;
  pid?: number;
  rate_limit?: number;
  backlog_limit?: number;
  backlog_wait_time?: number;
  /** Any value resets the lost counter. */
  lost?: number;
}

const MASKS: [keyof AuditStatusChange, number][] = [
  ['enabled', AUDIT_STATUS_ENABLED], ['failure', AUDIT_STATUS_FAILURE], ['pid', AUDIT_STATUS_PID], ['rate_limit', AUDIT_STATUS_RATE_LIMIT],
  ['backlog_limit', AUDIT_STATUS_BACKLOG_LIMIT], ['backlog_wait_time', AUDIT_STATUS_BACKLOG_WAIT_TIME], ['lost', AUDIT_STATUS_LOST],
];

/**
 * Changes the audit status (AUDIT_SET with the mask of the fields given). This is the HOST's
 * audit configuration (audit is not namespaced): needs CAP_AUDIT_CONTROL.
 */
export async function setStatus(change: AuditStatusChange, opts: AuditOptions = {}): Promise<void> {
  const c = compileStruct<AuditStatus>(auditStatus);
  const body = new Uint8Array(c.size);
  const v: Partial<AuditStatus> = { mask: 0 };
  for (const [k, bit] of MASKS) {
    if (change[k] === undefined) continue;
    v.mask! |= bit;
    v[k] = change[k];
  }
  c.write(new DataView(body.buffer), body, 0, v);
  await withAudit(opts, async (sock) => {
    await sock.request(message(AUDIT.SET, body), call(opts));
  });
}

/** Lists the audit rules (AUDIT_LIST_RULES, `auditctl -l`). */
export function dumpRules(opts: AuditOptions = {}): Dump<AuditRule> {
  return new Dump<AuditRule>({
    socket: opts.socket,
    open: () => openAudit(),
    request: message(AUDIT.LIST_RULES, new Uint8Array(0)),
    decode: (r: MessageReader) => (r.type === AUDIT.LIST_RULES ? decodeAuditRule(r.buf.subarray(r.payloadStart, r.payloadEnd)) : undefined) as AuditRule,
    filter: (x) => x !== undefined,
    ...call(opts),
  });
}

/**
 * Sends a user-space message into the audit log (AUDIT_USER_AVC, AUDIT_USER and the other
 * 1100..1199 / 2100..2999 types), as `auditctl -m` does; the kernel adds pid, uid, auid, ses
 * and subj and logs it. Needs CAP_AUDIT_WRITE. AUDIT_USER is dropped while audit is disabled;
 * AUDIT_USER_AVC is not.
 */
export async function sendUserMessage(text: string, type: number = AUDIT.USER, opts: AuditOptions = {}): Promise<void> {
  const t = encodeText(`${text}\0`);
  await withAudit(opts, async (sock) => {
    await sock.request(message(type, t), call(opts));
  });
}

/**
 * Subscribes to the audit records the kernel multicasts (AUDIT_NLGRP_READLOG; needs
 * CAP_AUDIT_READ). Every record of the host comes, whatever auditd does with them.
 */
export function records(opts: AuditOptions = {}): Subscription<AuditRecord> {
  return new Subscription<AuditRecord>({
    socket: opts.socket ?? openAudit(),
    owned: !opts.socket,
    decode: (r: MessageReader) => (r.type === NLMSG_DONE ? undefined : decodeAuditRecord(r.type, r.buf.subarray(r.payloadStart, r.payloadEnd))),
    signal: opts.signal,
    join: (s) => s.join(AUDIT_NLGRP_READLOG),
  });
}

/**
 * The record stream grouped into events by serial number (`ausearch`'s grouping): an event is
 * yielded when its end arrives (EOE, or a record type that stands alone). `{ overrun: true }`
 * marks lost records. Subscribed when it returns; `return()` (or `break`) closes it.
 */
export function events(opts: AuditOptions = {}): AsyncGenerator<AuditEvent | { overrun: true; code: string }, void, undefined> {
  return grouped(records(opts));
}

async function* grouped(sub: Subscription<AuditRecord>): AsyncGenerator<AuditEvent | { overrun: true; code: string }, void, undefined> {
  const g = new AuditEventGrouper();
  try {
    for await (const r of sub) {
      if ('overrun' in r) {
        yield { overrun: true, code: String((r as { code?: string }).code ?? 'ENOBUFS') };
        continue;
      }
      yield* g.push(r as AuditRecord);
    }
  } finally {
    sub.close();
  }
}
