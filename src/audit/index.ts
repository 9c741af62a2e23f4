// nlkit/audit: the kernel audit subsystem over NETLINK_AUDIT — status (get/set), the rule list
// and the record stream grouped into events. Audit is host-wide, not per namespace.
export {
  dumpRules, events, getFeatures, getStatus, openAudit, records, sendUserMessage, setStatus,
  type AuditFeatures, type AuditOptions, type AuditStatus, type AuditStatusChange,
} from './audit.js';
export { decodeAuditRule, AUDIT_RULE_DATA_SIZE, type AuditRule, type AuditRuleField } from './rules.js';
export { AuditEventGrouper, auditFields, auditTypeName, decodeAuditRecord, endsEvent, type AuditEvent, type AuditRecord } from './records.js';
export { auditStatus, auditFeatures } from './structs.js';
export * from './gen/audit.js';
