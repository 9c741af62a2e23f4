// The kernel side of nlex, both flavours, on one shared variable.
import { NETLINK_USERSOCK } from '../../wire/index.js';
import { ClassicServer } from '../classic.js';
import { EINVAL } from '../errno.js';
import type { Family } from '../genl-family.js';
import { GenlServer } from '../genl.js';
import { buildMessage } from '../message.js';
import { policyFromSet, serveFamily } from '../declared.js';
import type { Policy } from '../policy.js';
import { nlexFamily, nlexSet } from './family.js';
import type { ServerOptions } from '../server.js';
import {
  NLE_MYVAR, NLEX_GRP_MYVAR, NLEX_MSG_GET, NLEX_MSG_UPD,
} from './protocol.js';

/** nlex_policy: NLE_MYVAR is a u32 — derived from the one declaration of the set. */
export const nlexPolicy: Policy = policyFromSet(nlexSet);

/** The variable both flavours expose (`static int myvar` in the module). */
export class NlexState {
  /** The current value. */
  value = 0;
  /** Bumped on every change (what a dump would put in cb->seq). */
  generation = 1;

  /** Sets the value. */
  set(v: number): void {
    this.value = v >>> 0;
    this.generation++;
  }
}

/**
 * The classic flavour (nl_step() and nl_step2() of the tutorial): NLEX_MSG_UPD sets myvar and
 * notifies group NLEX_GRP_MYVAR, NLEX_MSG_GET answers with an NLEX_MSG_UPD message. Both need
 * CAP_NET_ADMIN, as the tutorial's security_netlink_rcv() check says; attributes are parsed
 * liberally, as nla_parse() does. Replies carry the request's sequence number (the tutorial
 * passes 0 or the echo flag there, which no client matching by sequence could pair).
 */
export function nlexClassicServer(state = new NlexState(), opts: ServerOptions = {}): ClassicServer {
  const server = new ClassicServer(opts);
  server.on(NLEX_MSG_UPD, {
    admin: true,
    policy: nlexPolicy,
    doit: (req) => {
      // A missing value is EINVAL, with the missing attribute named in the extended ACK.
      if (req.missing(req.attrs, NLE_MYVAR)) return -EINVAL;
      state.set(req.attrs!.u32(NLE_MYVAR)!);
      const msg = buildMessage(NLEX_MSG_UPD, 0, req.seq, req.portid, (w) => w.attrU32(NLE_MYVAR, state.value));
      // nlmsg_notify()'s result is ignored, as the tutorial ignores nlex_notify()'s.
      server.notify(msg, NLEX_GRP_MYVAR, req.portid, req.echo);
      return 0;
    },
  });
  server.on(NLEX_MSG_GET, {
    admin: true,
    policy: nlexPolicy,
    doit: (req) => server.reply(req, NLEX_MSG_UPD, (w) => w.attrU32(NLE_MYVAR, state.value)),
  });
  return server;
}

/**
 * The generic netlink flavour (genl_ex_family of the tutorial): family "nlex" version 1 with
 * NLEX_CMD_GET and NLEX_CMD_UPD and the multicast group "example". UPD notifies the group
 * (genl_notify(), so NLM_F_ECHO reaches the origin once); GET replies with an UPD message.
 * UPD is GENL_ADMIN_PERM, like the classic flavour's: anyone may read myvar, only root or a
 * holder of CAP_NET_ADMIN may change it.
 */
export function nlexGenlFamily(genl: GenlServer, state = new NlexState()): Family {
  return serveFamily(genl, nlexFamily, {
    get: (req) => req.reply({ myvar: state.value }),
    upd: (req) => {
      if (req.info.missing(NLE_MYVAR)) return -EINVAL;
      state.set(req.attrs.myvar!);
      req.notify({ myvar: state.value });
      return 0;
    },
  });
}

/** A generic netlink server with nlctrl and the nlex family on it. */
export function nlexGenlServer(state = new NlexState(), opts: ServerOptions = {}): { server: GenlServer; family: Family } {
  const server = new GenlServer(opts);
  return { server, family: nlexGenlFamily(server, state) };
}

/** The protocol nlex is served on over real sockets. */
export const NLEX_PROTOCOL = NETLINK_USERSOCK;
