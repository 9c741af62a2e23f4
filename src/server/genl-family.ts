// Generic netlink families as data (struct genl_family, genl_ops, genl_multicast_group) and
// what a registered family offers its handlers (genlmsg_put, genlmsg_reply, genl_notify).
import type { MessageWriter } from '../wire/index.js';
import type { Attrs } from './attrs.js';
import type { Credentials } from './credentials.js';
import type { DumpCallback, DumpControl } from './dump.js';
import { buildMessage, type Fill } from './message.js';
import { definePolicy, type Policy } from './policy.js';
import type { Request } from './request.js';
import type { NetlinkServer } from './server.js';
import { GENL_CMD_CAP_DO, GENL_CMD_CAP_DUMP, GENL_CMD_CAP_HASPOL, GENL_HDRLEN } from './uapi.js';

/** genl_ops.validate: parse do-requests liberally (old families; the kernel's default is strict). */
export const GENL_DONT_VALIDATE_STRICT = 1 << 0;
/** genl_ops.validate: do not parse dump requests at all. */
export const GENL_DONT_VALIDATE_DUMP = 1 << 1;
/** genl_ops.validate: parse dump requests liberally. */
export const GENL_DONT_VALIDATE_DUMP_STRICT = 1 << 2;

/** One operation of a family (struct genl_ops). */
export interface GenlOp {
  /** The command number (genlmsghdr.cmd). */
  cmd: number;
  /** GENL_ADMIN_PERM / GENL_UNS_ADMIN_PERM: callers without CAP_NET_ADMIN get EPERM. */
  flags?: number;
  /** GENL_DONT_VALIDATE_* bits. */
  validate?: number;
  /** The attribute policy (its maxtype is the op's maxattr); defaults to the family's. */
  policy?: Policy;
  /**
   * The policy of dump requests when it is not the do policy (split ops, as YNL-generated
   * families have: each handler its own request attributes); null for a dump that takes none.
   */
  dumpPolicy?: Policy | null;
  /** Handles a do-request; return a negative errno to fail it. */
  doit?(info: GenlInfo): number | void;
  /** Handles NLM_F_DUMP requests: start/dump/done as for any dump; `init` makes the state. */
  dump?: DumpControl<any> & { init?(): unknown };
}

/** A family declaration (struct genl_family with its ops and multicast groups). */
export interface GenlFamilyDef {
  /** Unique name, at most GENL_NAMSIZ - 1 (15) bytes. */
  name: string;
  /** Reported in CTRL_ATTR_VERSION and written into genlmsghdr.version of messages sent. */
  version?: number;
  /** Size of the family's own fixed header after genlmsghdr. */
  hdrsize?: number;
  /** Policy of every op that has none of its own. */
  policy?: Policy;
  /** Reported maxattr; defaults to the family policy's maxtype (0 for per-op policies, as nlctrl). */
  maxattr?: number;
  /** Operations. */
  ops: GenlOp[];
  /** Multicast group names; ids are assigned at registration. */
  mcgrps?: string[];
  /**
   * The ops are split ops (genl_split_ops, as YNL-generated families declare them): each
   * handler has its own policy, and one without is reported with REJECT_ALL.
   */
  split?: boolean;
  /** Commands from this one up must have genlmsghdr.reserved zero (resv_start_op); default 0. */
  resvStartOp?: number;
}

/**
 * genl_policy_reject_all: what the kernel reports, in a whole-family GETPOLICY dump and in
 * the ops' HASPOL flag, for a handler of a split-ops family that has no policy. Requests to
 * such a handler are not validated (the 6.18 kernel accepts attributes on netdev's dev-get
 * dump). One object, so a policy dump lists it once for every op.
 */
export const REJECT_ALL: Policy = definePolicy({ 1: { type: 'reject' } });

/**
 * The policy of an op's do requests: its own, else the family's, else for a split-ops family
 * REJECT_ALL unless `fill` is false (a one-op GETPOLICY reports the declared policies only).
 */
export function doPolicy(op: GenlOp, family: GenlFamilyDef, fill = true): Policy | undefined {
  return op.policy ?? family.policy ?? (fill && family.split ? REJECT_ALL : undefined);
}

/** The policy of an op's dump requests (split ops may have one of their own, or none); see doPolicy. */
export function dumpPolicy(op: GenlOp, family: GenlFamilyDef, fill = true): Policy | undefined {
  const own = op.dumpPolicy === null ? undefined : op.dumpPolicy ?? op.policy ?? family.policy;
  return own ?? (fill && family.split ? REJECT_ALL : undefined);
}

/** The commands the kernel reports for an op: its flags plus what it can do. */
export function opFlags(op: GenlOp, family: GenlFamilyDef): number {
  let f = op.flags ?? 0;
  if (op.doit) f |= GENL_CMD_CAP_DO;
  if (op.dump) f |= GENL_CMD_CAP_DUMP;
  if ((op.doit && doPolicy(op, family)) || (op.dump && dumpPolicy(op, family))) f |= GENL_CMD_CAP_HASPOL;
  return f;
}

/**
 * Family is a registered family: its id and multicast group ids, and the message builders
 * its handlers use. Created by GenlServer.register().
 */
export class Family {
  /** The family name. */
  readonly name: string;
  /** The version written into messages. */
  readonly version: number;
  /** Size of the family header after genlmsghdr. */
  readonly hdrsize: number;
  /** Reported maxattr. */
  readonly maxattr: number;

  constructor(
    /** The declaration. */
    readonly def: GenlFamilyDef,
    /** The family id (the nlmsg_type of its messages). */
    readonly id: number,
    /** Id of the first multicast group; group i has id mcgrpOffset + i. */
    readonly mcgrpOffset: number,
    private readonly server: NetlinkServer,
  ) {
    this.name = def.name;
    this.version = def.version ?? 1;
    this.hdrsize = def.hdrsize ?? 0;
    this.maxattr = def.maxattr ?? def.policy?.maxtype ?? 0;
  }

  /** Multicast group names in id order. */
  get groups(): readonly string[] {
    return this.def.mcgrps ?? [];
  }

  /** The id of a multicast group by name or index. */
  groupId(group: string | number): number {
    const i = typeof group === 'number' ? group : this.groups.indexOf(group);
    if (i < 0 || i >= this.groups.length) throw new RangeError(`family ${this.name} has no multicast group ${group}`);
    return this.mcgrpOffset + i;
  }

  /** The op for `cmd`, if any. */
  op(cmd: number): GenlOp | undefined {
    return this.def.ops.find((o) => o.cmd === cmd);
  }

  /** Writes genlmsghdr{cmd, version} and a zeroed family header into an open message. */
  putHeader(w: MessageWriter, cmd: number): number {
    const at = w.struct(GENL_HDRLEN + this.hdrsize);
    w.view.setUint8(at, cmd);
    w.view.setUint8(at + 1, this.version);
    return at + GENL_HDRLEN;
  }

  /** genlmsg_put() + fill: one complete message of this family. */
  message(cmd: number, flags: number, seq: number, portid: number, fill?: Fill): Uint8Array {
    return buildMessage(this.id, flags, seq, portid, (w) => {
      this.putHeader(w, cmd);
      fill?.(w);
    });
  }

  /** Appends one message of this family to a dump (false when the datagram is full). */
  put<S>(cb: DumpCallback<S>, cmd: number, fill?: Fill, flags = 0): boolean {
    return cb.put(this.id, (w) => {
      this.putHeader(w, cmd);
      fill?.(w);
    }, flags);
  }

  /** genlmsg_multicast(): a message (seq 0, port id 0) to one of the family's groups. */
  multicast(group: string | number, cmd: number, fill?: Fill): number {
    return this.server.multicast(this.groupId(group), this.message(cmd, 0, 0, 0, fill));
  }
}

/**
 * GenlInfo is struct genl_info: the request, its family and parsed attributes, and the
 * replies a do-handler sends.
 */
export class GenlInfo {
  constructor(
    /** The request. */
    readonly req: Request,
    /** The family it is for. */
    readonly family: Family,
    /** Its attributes parsed with the op's policy; undefined when the op has none. */
    readonly attrs: Attrs | undefined,
    private readonly server: NetlinkServer,
  ) {}

  /** genlmsghdr.cmd. */
  get cmd(): number {
    return this.req.view.getUint8(this.req.payloadStart);
  }
  /** genlmsghdr.version as sent. */
  get version(): number {
    return this.req.view.getUint8(this.req.payloadStart + 1);
  }
  /** Offset of the family header (info->userhdr) in `req.buf`. */
  get userhdr(): number {
    return this.req.payloadStart + GENL_HDRLEN;
  }
  /** The requester's sequence number (snd_seq). */
  get seq(): number {
    return this.req.seq;
  }
  /** The requester's port id (snd_portid). */
  get portid(): number {
    return this.req.portid;
  }
  /** The requester's pid, uid and gid, when the transport knows them. */
  get creds(): Credentials | undefined {
    return this.req.creds;
  }

  /** genlmsg_reply(): a message of `cmd` back to the requester. */
  reply(cmd: number, fill?: Fill): number {
    return this.server.unicast(this.portid, this.family.message(cmd, 0, this.seq, this.portid, fill));
  }

  /**
   * genl_notify(): a notification of `cmd` to a family group, carrying the request's sequence
   * number and port id; with NLM_F_ECHO the origin gets it once, by unicast.
   */
  notify(group: string | number, cmd: number, fill?: Fill): number {
    const data = this.family.message(cmd, 0, this.seq, this.portid, fill);
    return this.server.notify(data, this.family.groupId(group), this.portid, this.req.echo);
  }

  /** GENL_REQ_ATTR_CHECK(): true (and MISS_TYPE set for the ACK) when `type` is missing. */
  missing(type: number): boolean {
    return this.req.missing(this.attrs, type);
  }
}

