// Names of XFRM values: address families, the IPsec protocols of an SA id, modes, directions,
// actions, share modes and flag bits, in iproute2's words where `ip xfrm` has words for them
// ('esp', 'tunnel', 'ro', 'in', 'block'); unknown values decode to their number.
import { enumSpec, flagsSpec } from '../schema/index.js';
import {
  AF_INET, AF_INET6, AF_UNSPEC, IPPROTO_AH, IPPROTO_COMP, IPPROTO_DSTOPTS, IPPROTO_ESP, IPPROTO_ROUTING, IPSEC_PROTO_ANY,
  TCP_ENCAP_ESPINTCP, UDP_ENCAP_ESPINUDP, UDP_ENCAP_ESPINUDP_NON_IKE, XFRM_MODE_BEET, XFRM_MODE_IN_TRIGGER, XFRM_MODE_ROUTEOPTIMIZATION,
  XFRM_MODE_TRANSPORT, XFRM_MODE_TUNNEL, XFRM_POLICY_ALLOW, XFRM_POLICY_BLOCK, XFRM_POLICY_FWD, XFRM_POLICY_ICMP,
  XFRM_POLICY_IN, XFRM_POLICY_LOCALOK, XFRM_POLICY_OUT, XFRM_POLICY_TYPE_ANY, XFRM_POLICY_TYPE_MAIN, XFRM_POLICY_TYPE_SUB,
  XFRM_SA_XFLAG_DONT_ENCAP_DSCP, XFRM_SA_XFLAG_OSEQ_MAY_WRAP, XFRM_SHARE_ANY, XFRM_SHARE_SESSION, XFRM_SHARE_UNIQUE,
  XFRM_SHARE_USER, XFRM_STATE_AF_UNSPEC, XFRM_STATE_ALIGN4, XFRM_STATE_DECAP_DSCP, XFRM_STATE_ESN, XFRM_STATE_ICMP,
  XFRM_STATE_NOECN, XFRM_STATE_NOPMTUDISC, XFRM_STATE_WILDRECV,
} from './gen/xfrm.js';

/** Address families of selectors, SAs and templates. */
export const family = enumSpec('family', { unspec: AF_UNSPEC, inet: AF_INET, inet6: AF_INET6 });
/** An address family name. */
export type Family = 'unspec' | 'inet' | 'inet6';

/** The protocol of an SA id (xfrm_id.proto), as `ip xfrm` names it. */
export const xfrmProto = enumSpec('xfrm_proto', {
  esp: IPPROTO_ESP, ah: IPPROTO_AH, comp: IPPROTO_COMP, route2: IPPROTO_ROUTING, hao: IPPROTO_DSTOPTS, 'ipsec-any': IPSEC_PROTO_ANY,
});
/** An SA protocol name. */
export type XfrmProto = 'esp' | 'ah' | 'comp' | 'route2' | 'hao' | 'ipsec-any';

/** XFRM_MODE_* ('ro' is route optimisation, as `ip xfrm` says). */
export const mode = enumSpec('xfrm_mode', {
  transport: XFRM_MODE_TRANSPORT, tunnel: XFRM_MODE_TUNNEL, ro: XFRM_MODE_ROUTEOPTIMIZATION, in_trigger: XFRM_MODE_IN_TRIGGER, beet: XFRM_MODE_BEET,
});
/** A mode name. */
export type Mode = 'transport' | 'tunnel' | 'ro' | 'in_trigger' | 'beet';

/** XFRM_STATE_* bits of xfrm_usersa_info.flags. */
export const stateFlags = flagsSpec('xfrm_state_flags', {
  noecn: XFRM_STATE_NOECN, 'decap-dscp': XFRM_STATE_DECAP_DSCP, nopmtudisc: XFRM_STATE_NOPMTUDISC, wildrecv: XFRM_STATE_WILDRECV,
  icmp: XFRM_STATE_ICMP, 'af-unspec': XFRM_STATE_AF_UNSPEC, align4: XFRM_STATE_ALIGN4, esn: XFRM_STATE_ESN,
});
/** XFRM_SA_XFLAG_* bits of XFRMA_SA_EXTRA_FLAGS. */
export const extraFlags = flagsSpec('xfrm_sa_xflags', { 'dont-encap-dscp': XFRM_SA_XFLAG_DONT_ENCAP_DSCP, 'oseq-may-wrap': XFRM_SA_XFLAG_OSEQ_MAY_WRAP });

/** XFRM_POLICY_IN/OUT/FWD (socket policies are these plus XFRM_POLICY_MAX, kept as numbers). */
export const dir = enumSpec('xfrm_policy_dir', { in: XFRM_POLICY_IN, out: XFRM_POLICY_OUT, fwd: XFRM_POLICY_FWD });
/** A policy direction. */
export type Dir = 'in' | 'out' | 'fwd';

/** XFRM_POLICY_ALLOW / XFRM_POLICY_BLOCK. */
export const action = enumSpec('xfrm_policy_action', { allow: XFRM_POLICY_ALLOW, block: XFRM_POLICY_BLOCK });
/** XFRM_POLICY_LOCALOK / XFRM_POLICY_ICMP bits of xfrm_userpolicy_info.flags. */
export const policyFlags = flagsSpec('xfrm_policy_flags', { localok: XFRM_POLICY_LOCALOK, icmp: XFRM_POLICY_ICMP });
/** XFRM_POLICY_TYPE_* (XFRMA_POLICY_TYPE). */
export const ptype = enumSpec('xfrm_policy_type', { main: XFRM_POLICY_TYPE_MAIN, sub: XFRM_POLICY_TYPE_SUB, any: XFRM_POLICY_TYPE_ANY });
/** XFRM_SHARE_*. */
export const share = enumSpec('xfrm_share', { any: XFRM_SHARE_ANY, session: XFRM_SHARE_SESSION, user: XFRM_SHARE_USER, unique: XFRM_SHARE_UNIQUE });
/** UDP_ENCAP_* / TCP_ENCAP_ESPINTCP: an SA's encapsulation. */
export const encapType = enumSpec('xfrm_encap_type', { 'espinudp-nonike': UDP_ENCAP_ESPINUDP_NON_IKE, espinudp: UDP_ENCAP_ESPINUDP, espintcp: TCP_ENCAP_ESPINTCP });
