// nlkit/xfrm: IPsec over NETLINK_XFRM — SAs and policies (dump, get, add, update, delete,
// flush), SAD and SPD summaries, and notifications, per network namespace.
export { addState, allocSpi, deleteState, dumpStates, encodeState, flushStates, getSadInfo, getState, stateId, updateState, type StateId, type StateSpec } from './states.js';
export { addPolicy, deletePolicy, dumpPolicies, flushPolicies, getPolicy, getSpdInfo, policyId, updatePolicy, type PolicyId, type PolicySpec } from './policies.js';
export { events, decodeXfrmEvent, DEFAULT_XFRM_GROUPS, XFRM_EVENT_GROUPS, type XfrmEvent } from './events.js';
export { openXfrm } from './socket.js';
export { addressText, addressBytes, addressesToBytes, addressesToText } from './address.js';
export { xfrmAttrs, sadInfoAttrs, spdInfoAttrs, type XfrmAlgo, type XfrmReplayEsn } from './attrs.js';
export * from './codecs.js';
export * from './structs.js';
export * from './enums.js';
export type * from './types.js';
export * from './gen/xfrm.js';
