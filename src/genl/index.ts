// nlkit/genl: generic netlink. The controller, any family by name, families declared in
// TypeScript or loaded from the kernel's YNL YAML specs, and the families nlkit ships typed.
export * from './constants.js';
export { Controller, FamilyNotFoundError, capabilities, capabilityText, decodeControllerEvent, familyInfo,
  type ControllerEvent, type FamilyInfo, type FamilyPolicy, type GenlGroup, type GenlOp, type OpCapability, type PolicyRule } from './controller.js';
export { GenlClient, type CommandOptions, type GenlEvent, type GenlMessage, type PayloadWriter } from './client.js';
export { FamilyClient, type FamilyEvent, type FamilyOpenOptions, type OpOptions } from './family-client.js';
export { genlFamily, op, opByReply, type FamilyDef, type GroupDef, type OpAttrs, type OpDef, type OpMessage, type OpMode, type OpTable } from './family-def.js';
export { beginGenl, decodeOp, decodeOpPayload, encodeOp, readGenlHeader, type GenlHeader } from './codec.js';
export { formatPolicy } from './policy-text.js';
export { loadSpec, loadSpecFile, type YnlFamily } from './ynl/load.js';
export { SpecError, camel } from './ynl/definitions.js';
export { nlctrl } from './families/nlctrl.js';
export { ethtool, bitsetBitsSet, ETHTOOL_FLAG_COMPACT_BITSETS, ETHTOOL_FLAG_OMIT_REPLY, ETHTOOL_FLAG_STATS } from './families/ethtool.js';
export { netdev } from './families/netdev.js';
export { taskstats, taskstatsStruct, TASKSTATS_VERSION, type Taskstats, type TaskstatsReply } from './families/taskstats.js';
export { tcpMetrics, type TcpMetrics } from './families/tcp-metrics.js';
export { mptcpPm, type MptcpPm } from './families/mptcp-pm.js';
