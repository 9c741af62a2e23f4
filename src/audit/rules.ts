// struct audit_rule_data decoded into a rule: its filter list, action, syscalls and fields
// (AUDIT_LIST_RULES replies). String-valued fields take their text from the buffer after the
// struct, in field order, each `values[i]` bytes long.
import { decodeText, HOST_LE } from '../wire/index.js';
import {
  AUDIT_BIT_MASK, AUDIT_BIT_TEST, AUDIT_BITMASK_SIZE, AUDIT_EQUAL, AUDIT_FIELD, AUDIT_FIELD_NAME, AUDIT_FILTER_ENTRY,
  AUDIT_FILTER_EXCLUDE, AUDIT_FILTER_EXIT, AUDIT_FILTER_FS, AUDIT_FILTER_PREPEND, AUDIT_FILTER_TASK, AUDIT_FILTER_URING_EXIT,
  AUDIT_FILTER_USER, AUDIT_FILTER_WATCH, AUDIT_GREATER_THAN, AUDIT_GREATER_THAN_OR_EQUAL, AUDIT_LESS_THAN,
  AUDIT_LESS_THAN_OR_EQUAL, AUDIT_MAX_FIELDS, AUDIT_NEVER, AUDIT_ALWAYS, AUDIT_NOT_EQUAL, AUDIT_OPERATORS, AUDIT_POSSIBLE,
} from './gen/audit.js';

/** One field condition of a rule: `-F field op value`. */
export interface AuditRuleField {
  /** The field name as auditctl says it ('uid', 'arch', 'key', 'dir'), or its number. */
  field: string | number;
  /** The operator: '=', '!=', '<', '>', '<=', '>=', '&', '&='. */
  op: string;
  /** A number, or the text of a string field (path, key, context, exe). */
  value: number | string;
}

/** A rule of AUDIT_LIST_RULES (struct audit_rule_data). */
export interface AuditRule {
  /** The filter list: 'user', 'task', 'entry', 'watch', 'exit', 'exclude', 'filesystem', 'io_uring', or a number. */
  list: string | number;
  /** 'never', 'possible', 'always', or a number. */
  action: string | number;
  /** The syscall numbers of the mask (all 2048 bits set: every syscall). */
  syscalls: number[];
  /** True when every syscall bit is set (`-S all`). */
  allSyscalls: boolean;
  fields: AuditRuleField[];
}

const LISTS: Record<number, string> = {
  [AUDIT_FILTER_USER]: 'user', [AUDIT_FILTER_TASK]: 'task', [AUDIT_FILTER_ENTRY]: 'entry', [AUDIT_FILTER_WATCH]: 'watch',
  [AUDIT_FILTER_EXIT]: 'exit', [AUDIT_FILTER_EXCLUDE]: 'exclude', [AUDIT_FILTER_FS]: 'filesystem', [AUDIT_FILTER_URING_EXIT]: 'io_uring',
};
const ACTIONS: Record<number, string> = { [AUDIT_NEVER]: 'never', [AUDIT_POSSIBLE]: 'possible', [AUDIT_ALWAYS]: 'always' };
const OPS: Record<number, string> = {
  [AUDIT_EQUAL]: '=', [AUDIT_NOT_EQUAL]: '!=', [AUDIT_LESS_THAN]: '<', [AUDIT_GREATER_THAN]: '>',
  [AUDIT_LESS_THAN_OR_EQUAL]: '<=', [AUDIT_GREATER_THAN_OR_EQUAL]: '>=', [AUDIT_BIT_MASK]: '&', [AUDIT_BIT_TEST]: '&=',
};
/** Fields whose value is text in the buffer. */
const STRING_FIELDS = new Set<number>([
  AUDIT_FIELD.SUBJ_USER, AUDIT_FIELD.SUBJ_ROLE, AUDIT_FIELD.SUBJ_TYPE, AUDIT_FIELD.SUBJ_SEN, AUDIT_FIELD.SUBJ_CLR,
  AUDIT_FIELD.OBJ_USER, AUDIT_FIELD.OBJ_ROLE, AUDIT_FIELD.OBJ_TYPE, AUDIT_FIELD.OBJ_LEV_LOW, AUDIT_FIELD.OBJ_LEV_HIGH,
  AUDIT_FIELD.WATCH, AUDIT_FIELD.DIR, AUDIT_FIELD.FILTERKEY, AUDIT_FIELD.EXE,
]);
/** auditctl's words where they differ from the C name in lower case. */
const FIELD_WORDS: Record<number, string> = { [AUDIT_FIELD.LOGINUID]: 'auid', [AUDIT_FIELD.FILTERKEY]: 'key', [AUDIT_FIELD.ARG0]: 'a0', [AUDIT_FIELD.ARG1]: 'a1', [AUDIT_FIELD.ARG2]: 'a2', [AUDIT_FIELD.ARG3]: 'a3', [AUDIT_FIELD.WATCH]: 'path' };

/** The fixed part of struct audit_rule_data: flags, action, field_count, mask, fields, values, fieldflags, buflen. */
export const AUDIT_RULE_DATA_SIZE = 4 * (3 + AUDIT_BITMASK_SIZE + 3 * AUDIT_MAX_FIELDS + 1);

/** Decodes one struct audit_rule_data; undefined when it is shorter than its fixed part. */
export function decodeAuditRule(b: Uint8Array): AuditRule | undefined {
  if (b.byteLength < AUDIT_RULE_DATA_SIZE) return undefined;
  const dv = new DataView(b.buffer, b.byteOffset, b.byteLength);
  const u = (i: number) => dv.getUint32(4 * i, HOST_LE);
  const flags = u(0);
  const list = flags & ~AUDIT_FILTER_PREPEND;
  const count = Math.min(u(2), AUDIT_MAX_FIELDS);
  const syscalls: number[] = [];
  let all = true;
  for (let w = 0; w < AUDIT_BITMASK_SIZE; w++) {
    const m = u(3 + w);
    if (m !== 0xffffffff) all = false;
    for (let bit = 0; bit < 32; bit++) if (m & (1 << bit)) syscalls.push(w * 32 + bit);
  }
  const F = 3 + AUDIT_BITMASK_SIZE;
  const V = F + AUDIT_MAX_FIELDS;
  const FF = V + AUDIT_MAX_FIELDS;
  const buflen = u(FF + AUDIT_MAX_FIELDS);
  let at = AUDIT_RULE_DATA_SIZE;
  const end = Math.min(b.byteLength, AUDIT_RULE_DATA_SIZE + buflen);
  const fields: AuditRuleField[] = [];
  for (let i = 0; i < count; i++) {
    const f = u(F + i);
    const v = u(V + i);
    const opBits = u(FF + i) & AUDIT_OPERATORS;
    const name = FIELD_WORDS[f] ?? AUDIT_FIELD_NAME[f]?.slice('AUDIT_'.length).toLowerCase() ?? f;
    let value: number | string = v;
    if (STRING_FIELDS.has(f)) {
      const n = Math.min(v, end - at);
      value = decodeText(b.subarray(at, at + Math.max(0, n)));
      at += Math.max(0, n);
    }
    fields.push({ field: name, op: OPS[opBits] ?? String(opBits), value });
  }
  return { list: LISTS[list] ?? list, action: ACTIONS[u(1)] ?? u(1), syscalls: all ? [] : syscalls, allSyscalls: all, fields };
}
