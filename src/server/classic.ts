// A classic Netlink protocol endpoint: message types >= NLMSG_MIN_TYPE mapped to handlers, the
// way the tutorial's NETLINK_EXAMPLE module and rtnetlink's rtnl_register() table work.
import { NLM_F_DUMP, NLMSG_HDRLEN, NLMSG_MIN_TYPE } from '../wire/index.js';
import type { DumpControl } from './dump.js';
import { EINVAL, EOPNOTSUPP, EPERM } from './errno.js';
import type { Policy } from './policy.js';
import type { Request } from './request.js';
import { NetlinkServer, type ServerOptions } from './server.js';
import { NL_VALIDATE_LIBERAL, parseMessage } from './validate.js';

/** What a message type does (one row of the protocol's handler table). */
export interface ClassicHandler<S = unknown> {
  /** Size of the fixed header before the attributes (sizeof(struct ifinfomsg), …); default 0. */
  hdrsize?: number;
  /** The attribute policy; the request is parsed and validated with it before `doit` runs. */
  policy?: Policy;
  /** Validation strictness (NL_VALIDATE_* bits); default liberal, as nla_parse() in the tutorial. */
  validate?: number;
  /** Only for callers with CAP_NET_ADMIN: others get EPERM. */
  admin?: boolean;
  /** Handles a request; return a negative errno to fail it (set `req.extack` to say why). */
  doit?(req: Request): number | void;
  /** Handles NLM_F_DUMP requests; `init` makes each dump's starting state. */
  dump?: DumpControl<S> & { init?(): S };
}

/**
 * ClassicServer serves a protocol of plain message types. Dispatch follows the kernel's:
 * unknown type -> EOPNOTSUPP, admin-only without privilege -> EPERM, a message shorter than
 * its fixed header -> EINVAL, policy violations -> EINVAL/ERANGE with extended ACK, then the
 * handler. A request with NLM_F_DUMP goes to the dump handler when there is one.
 */
export class ClassicServer extends NetlinkServer {
  private readonly handlers = new Map<number, ClassicHandler<any>>();

  constructor(opts: ServerOptions = {}) {
    super(opts);
  }

  /** Registers the handler of a message type (>= NLMSG_MIN_TYPE). */
  on<S>(type: number, handler: ClassicHandler<S>): this {
    if (!Number.isInteger(type) || type < NLMSG_MIN_TYPE || type > 0xffff) {
      throw new RangeError(`message type ${type} is not in ${NLMSG_MIN_TYPE}..65535`);
    }
    this.handlers.set(type, handler);
    return this;
  }

  protected handle(req: Request): number {
    const h = this.handlers.get(req.type);
    if (!h) return -EOPNOTSUPP;
    if (h.admin && !req.peer.privileged) return -EPERM;
    const hdrsize = h.hdrsize ?? 0;
    const validate = h.validate ?? NL_VALIDATE_LIBERAL;
    if ((req.flags & NLM_F_DUMP) === NLM_F_DUMP && h.dump) {
      const dump = h.dump;
      const policy = h.policy;
      return this.startDump(req, dump, dump.init ? dump.init() : undefined, policy
        ? (cb) => parseMessage(cb.request, cb.requestView, 0, cb.request.byteLength, hdrsize, policy, validate, cb.extack)
        : undefined);
    }
    if (!h.doit) return -EOPNOTSUPP;
    if (req.length < NLMSG_HDRLEN + hdrsize) return -EINVAL;
    if (h.policy) {
      const attrs = parseMessage(req.buf, req.view, req.offset, req.length, hdrsize, h.policy, validate, req.extack);
      if (typeof attrs === 'number') return attrs;
      req.attrs = attrs;
    }
    const r = h.doit(req);
    return typeof r === 'number' ? r : 0;
  }
}
