// Generic netlink in user space (net/netlink/genetlink.c): a registry of families with
// dynamic ids and multicast group ids, genl_rcv_msg() dispatch, and the nlctrl controller.
import { HOST_LE, NLM_F_DUMP, NLMSG_HDRLEN } from '../wire/index.js';
import { registerController } from './ctrl.js';
import type { DumpCallback } from './dump.js';
import { EINVAL, ENOENT, EOPNOTSUPP, EPERM } from './errno.js';
import {
  Family, GenlInfo, doPolicy, dumpPolicy, GENL_DONT_VALIDATE_DUMP, GENL_DONT_VALIDATE_DUMP_STRICT, GENL_DONT_VALIDATE_STRICT,
  type GenlFamilyDef, type GenlOp,
} from './genl-family.js';
import type { Request } from './request.js';
import { NetlinkServer, type ServerOptions } from './server.js';
import {
  CTRL_CMD_DELFAMILY, CTRL_CMD_DELMCAST_GRP, CTRL_CMD_NEWFAMILY, CTRL_CMD_NEWMCAST_GRP, GENL_ADMIN_PERM,
  GENL_HDRLEN, GENL_ID_CTRL, GENL_ID_PMCRAID, GENL_ID_VFS_DQUOT, GENL_MAX_ID, GENL_NAMSIZ, GENL_START_ALLOC,
  GENL_UNS_ADMIN_PERM,
} from './uapi.js';
import { NL_VALIDATE_LIBERAL, NL_VALIDATE_STRICT, parseMessage } from './validate.js';

/** Events the controller multicasts on its `notify` group when families come and go. */
export type ControllerEvent = (cmd: number, family: Family, group?: number) => void;

/**
 * GenlServer is the NETLINK_GENERIC side of the kernel: families register with it, get an id
 * (nlctrl is 0x10; others are allocated cyclically from GENL_START_ALLOC = 0x13, as the kernel
 * keeps 0x11 and 0x12 for VFS_DQUOT and PMCRAID) and multicast group ids (first free run,
 * with 0, 1 and the static 0x10..0x12 reserved), and requests are dispatched to their ops.
 */
export class GenlServer extends NetlinkServer {
  /** The controller family, nlctrl (id 0x10, group `notify` = 0x10). */
  readonly ctrl: Family;
  private readonly byId = new Map<number, Family>();
  private readonly usedGroups = new Set<number>([0, 1, GENL_ID_CTRL, GENL_ID_VFS_DQUOT, GENL_ID_PMCRAID]);
  private lastId = GENL_START_ALLOC - 1;
  private readonly ctrlEvent: ControllerEvent;

  constructor(opts: ServerOptions = {}) {
    super(opts);
    const { family, event } = registerController(this, (def, server) => new Family(def, GENL_ID_CTRL, GENL_ID_CTRL, server));
    this.ctrl = family;
    this.ctrlEvent = event;
    this.byId.set(GENL_ID_CTRL, family);
  }

  /**
   * genl_register_family(): validates the declaration, assigns the id and group ids, and
   * announces the family (CTRL_CMD_NEWFAMILY, then CTRL_CMD_NEWMCAST_GRP per group).
   */
  register(def: GenlFamilyDef): Family {
    const nameBytes = new TextEncoder().encode(def.name).byteLength;
    if (nameBytes === 0 || nameBytes >= GENL_NAMSIZ) throw new RangeError(`family name "${def.name}" must be 1..${GENL_NAMSIZ - 1} bytes`);
    if (this.family(def.name)) throw new Error(`family "${def.name}" is already registered (EEXIST)`);
    validateOps(def);
    const id = this.allocateId();
    const n = def.mcgrps?.length ?? 0;
    const offset = n > 0 ? this.allocateGroups(n) : 0;
    const family = new Family(def, id, offset, this);
    this.byId.set(id, family);
    this.ctrlEvent(CTRL_CMD_NEWFAMILY, family);
    for (let i = 0; i < n; i++) this.ctrlEvent(CTRL_CMD_NEWMCAST_GRP, family, i);
    return family;
  }

  /** genl_unregister_family(): announces CTRL_CMD_DELMCAST_GRP per group, then CTRL_CMD_DELFAMILY. */
  unregister(family: Family): void {
    if (family === this.ctrl || this.byId.get(family.id) !== family) throw new Error(`family "${family.name}" is not registered`);
    for (let i = 0; i < family.groups.length; i++) this.ctrlEvent(CTRL_CMD_DELMCAST_GRP, family, i);
    for (let i = 0; i < family.groups.length; i++) this.usedGroups.delete(family.mcgrpOffset + i);
    this.byId.delete(family.id);
    this.ctrlEvent(CTRL_CMD_DELFAMILY, family);
  }

  /** A registered family by name or id. */
  family(key: string | number): Family | undefined {
    if (typeof key === 'number') return this.byId.get(key);
    for (const f of this.byId.values()) if (f.name === key) return f;
    return undefined;
  }

  /** Every registered family in id order, nlctrl first. */
  families(): Family[] {
    return [...this.byId.values()].sort((a, b) => a.id - b.id);
  }

  /** genl_rcv_msg() and genl_family_rcv_msg(). */
  protected handle(req: Request): number {
    const family = this.byId.get(req.type);
    if (!family) return -ENOENT;
    const hdrlen = GENL_HDRLEN + family.hdrsize;
    if (req.length < NLMSG_HDRLEN + hdrlen) return -EINVAL;
    const cmd = req.view.getUint8(req.payloadStart);
    const reserved = req.view.getUint16(req.payloadStart + 2, HOST_LE);
    if (cmd >= (family.def.resvStartOp ?? 0) && reserved !== 0) {
      req.extack.setMessage('genlmsghdr.reserved field is not 0');
      return -EINVAL;
    }
    const isDump = (req.flags & NLM_F_DUMP) === NLM_F_DUMP;
    const op = family.op(cmd);
    if (!op || (isDump ? !op.dump : !op.doit)) return -EOPNOTSUPP;
    if ((op.flags ?? 0) & (GENL_ADMIN_PERM | GENL_UNS_ADMIN_PERM) && !req.peer.privileged) return -EPERM;
    const validate = op.validate ?? 0;
    if (isDump) {
      const policy = dumpPolicy(op, family.def, false);
      const dump = op.dump!;
      const parse = policy && policy.maxtype && !(validate & GENL_DONT_VALIDATE_DUMP)
        ? (cb: DumpCallback<unknown>) =>
          parseMessage(cb.request, cb.requestView, 0, cb.request.byteLength, hdrlen, policy,
            validate & GENL_DONT_VALIDATE_DUMP_STRICT ? NL_VALIDATE_LIBERAL : NL_VALIDATE_STRICT, cb.extack)
        : undefined;
      return this.startDump(req, dump, dump.init ? dump.init() : undefined, parse);
    }
    let attrs;
    const policy = doPolicy(op, family.def, false);
    if (policy && policy.maxtype) {
      const mode = validate & GENL_DONT_VALIDATE_STRICT ? NL_VALIDATE_LIBERAL : NL_VALIDATE_STRICT;
      const a = parseMessage(req.buf, req.view, req.offset, req.length, hdrlen, policy, mode, req.extack);
      if (typeof a === 'number') return a;
      attrs = a;
      req.attrs = a;
    }
    const r = op.doit!(new GenlInfo(req, family, attrs, this));
    return typeof r === 'number' ? r : 0;
  }

  /** idr_alloc_cyclic(GENL_START_ALLOC, GENL_MAX_ID). */
  private allocateId(): number {
    const span = GENL_MAX_ID - GENL_START_ALLOC + 1;
    for (let i = 1; i <= span; i++) {
      const id = GENL_START_ALLOC + ((this.lastId - GENL_START_ALLOC + i) % span);
      if (!this.byId.has(id)) {
        this.lastId = id;
        return id;
      }
    }
    throw new Error('no free generic netlink family id (ENOMEM)');
  }

  /** genl_allocate_reserve_groups(): the first run of `n` free group ids. */
  private allocateGroups(n: number): number {
    for (let first = 2; ; first++) {
      let fits = true;
      for (let g = first; g < first + n; g++) {
        if (this.usedGroups.has(g)) {
          fits = false;
          break;
        }
      }
      if (fits) {
        for (let g = first; g < first + n; g++) this.usedGroups.add(g);
        return first;
      }
    }
  }
}

function validateOps(def: GenlFamilyDef): void {
  const seen = new Set<number>();
  for (const op of def.ops as GenlOp[]) {
    if (!Number.isInteger(op.cmd) || op.cmd < 0 || op.cmd > 255) throw new RangeError(`family ${def.name}: command ${op.cmd} is not a u8`);
    if (!op.doit && !op.dump) throw new Error(`family ${def.name}: command ${op.cmd} has neither doit nor dump (EINVAL)`);
    if (seen.has(op.cmd)) throw new Error(`family ${def.name}: command ${op.cmd} is declared twice (EINVAL)`);
    seen.add(op.cmd);
  }
}
