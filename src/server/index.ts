// nlkit/server: the kernel side of Netlink in user space. Policies and their validation,
// classic protocols and generic netlink families with the nlctrl controller, dumps, ACKs,
// multicast; served over an in-process bus (tests, fault injection) or NETLINK_USERSOCK.
export * from './uapi.js';
export { definePolicy, nla, effectiveRange, typeRange, INT_SIZE, type AttrPolicy, type IntRange, type NlaType, type Policy, type UintChecks } from './policy.js';
export {
  validateAttributes, parseAttributes, parseMessage, MAX_POLICY_RECURSION_DEPTH, NL_VALIDATE_LIBERAL, NL_VALIDATE_TRAILING,
  NL_VALIDATE_MAXTYPE, NL_VALIDATE_UNSPEC, NL_VALIDATE_STRICT_ATTRS, NL_VALIDATE_NESTED, NL_VALIDATE_STRICT,
  NL_VALIDATE_DEPRECATED_STRICT,
} from './validate.js';
export { writeAttrPolicy, PolicyTable, isDescribable } from './policy-dump.js';
export { Attrs } from './attrs.js';
export { ExtAck } from './extack.js';
export { Request } from './request.js';
export { buildMessage, type Fill } from './message.js';
export { buildAck, appendDone } from './ack-builder.js';
export { netlinkRcvSkb, type MessageHandler, type AckSender } from './rcv.js';
export { DumpCallback, type DumpControl } from './dump.js';
export type { PeerInfo, ServerLink } from './link.js';
export { CAP_NET_ADMIN, KERNEL_CREDENTIALS, credentialsOf, hasCapability, isPrivileged, type Credentials } from './credentials.js';
export { NetlinkServer, type ServerOptions } from './server.js';
export { ClassicServer, type ClassicHandler } from './classic.js';
export {
  Family, GenlInfo, opFlags, doPolicy, dumpPolicy, REJECT_ALL, GENL_DONT_VALIDATE_STRICT, GENL_DONT_VALIDATE_DUMP, GENL_DONT_VALIDATE_DUMP_STRICT,
  type GenlFamilyDef, type GenlOp,
} from './genl-family.js';
export { GenlServer } from './genl.js';
export { ctrlPolicyFamily, ctrlPolicyPolicy, fillFamily } from './ctrl.js';
export { NetlinkBus, type BusTransportOptions, type ServeOptions } from './bus.js';
export { BusPort, RMEM_DEFAULT } from './bus-port.js';
export { FaultRule, type Fault, type FaultAction } from './faults.js';
export { policyFromSet, permFlags, serveFamily, ynlChecks, DeclaredRequest, type Check, type Checks, type ChecksOf, type DeclaredHandlers, type ServeFamilyOptions } from './declared.js';
export { nlexFamily, nlexSet } from './nlex/family.js';
export { PeerGuard, type PeerGuardOptions } from './peer-guard.js';
export { UsersockListener, USERSOCK_GROUPS, type UsersockOptions } from './usersock.js';
export * as errno from './errno.js';
export * from './nlex/protocol.js';
export { NlexState, nlexClassicServer, nlexGenlFamily, nlexGenlServer, nlexPolicy, NLEX_PROTOCOL } from './nlex/service.js';
export { NlexClient, type NlexChange, type NlexClientOptions, type NlexFlavour } from './nlex/client.js';
export { RtnetlinkModel, rtnetlinkModel, type RtnetlinkModelOptions } from './rtnetlink-model/index.js';
