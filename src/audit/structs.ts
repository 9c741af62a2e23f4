// The fixed structs of <linux/audit.h> that travel over NETLINK_AUDIT. Sizes are checked
// against the C compiler by test/audit.test.ts.
import { structSpec } from '../schema/index.js';

/** struct audit_status (AUDIT_GET reply, AUDIT_SET request; 44 bytes since Linux 5.10). */
export const auditStatus = structSpec('audit_status', [
  { name: 'mask', type: 'u32' },
  { name: 'enabled', type: 'u32' },
  { name: 'failure', type: 'u32' },
  { name: 'pid', type: 'u32' },
  { name: 'rate_limit', type: 'u32' },
  { name: 'backlog_limit', type: 'u32' },
  { name: 'lost', type: 'u32' },
  { name: 'backlog', type: 'u32' },
  /** The union of the deprecated `version` and `feature_bitmap`. */
  { name: 'feature_bitmap', type: 'u32' },
  { name: 'backlog_wait_time', type: 'u32' },
  { name: 'backlog_wait_time_actual', type: 'u32' },
] as const);

/** struct audit_features (AUDIT_GET_FEATURE reply, 16 bytes). */
export const auditFeatures = structSpec('audit_features', [
  { name: 'vers', type: 'u32' },
  { name: 'mask', type: 'u32' },
  { name: 'features', type: 'u32' },
  { name: 'lock', type: 'u32' },
] as const);
