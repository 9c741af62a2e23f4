// A family described as data: its operations (command numbers, attribute set, fixed header)
// and multicast groups. The project's own declarations (families/) and YNL specs loaded at run
// time (ynl/) both produce this shape, and one client (family-client.ts) speaks any of them.
import type { AttributeSet, Decoded, StructSpec } from '../schema/index.js';

/** Which attributes a request or reply of an operation carries (property names). */
export interface OpMessage {
  readonly attributes: readonly string[];
}

/** The request and reply of one handler (do or dump) of an operation. */
export interface OpMode {
  readonly request?: OpMessage;
  readonly reply?: OpMessage;
}

/** One operation of a family. */
export interface OpDef<A = Record<string, unknown>> {
  /** The operation's name, as YNL spells it: 'linkinfo-get', 'getfamily'. */
  readonly name: string;
  /** Command (genl) or message type (netlink-raw) of a request; absent when nothing can be sent. */
  readonly request?: number | undefined;
  /** Command (genl) or message type (netlink-raw) of replies and notifications. */
  readonly reply?: number | undefined;
  /** The attribute set of requests and replies. */
  readonly set: AttributeSet<A>;
  /** A fixed header after genlmsghdr (or nlmsghdr for netlink-raw) and before the attributes. */
  readonly header?: StructSpec | undefined;
  /** The doit handler, when the operation has one. */
  readonly do?: OpMode | undefined;
  /** The dumpit handler, when the operation has one. */
  readonly dump?: OpMode | undefined;
  /** A notification: the name of the operation whose reply it shares, or true for an event. */
  readonly notify?: string | true | undefined;
  /** The multicast group a notification is sent to. */
  readonly mcgrp?: string | undefined;
  /** YNL flags such as 'admin-perm'. */
  readonly flags?: readonly string[] | undefined;
}

/** A multicast group: its name, and for netlink-raw families its fixed number. */
export interface GroupDef {
  readonly name: string;
  readonly value?: number | undefined;
}

/** Operations by name. */
export type OpTable = Record<string, OpDef<any>>;

/** A whole family: how to reach it and what it says. */
export interface FamilyDef<O extends OpTable = OpTable> {
  /** Family name: what the controller resolves ('ethtool'), or the protocol's name for netlink-raw. */
  readonly name: string;
  /** 'genetlink' (every genetlink-* level) or 'netlink-raw' (rtnetlink, nfnetlink, …). */
  readonly protocol: 'genetlink' | 'netlink-raw';
  /** The netlink protocol number: 16 (NETLINK_GENERIC) for genetlink. */
  readonly protonum: number;
  /** The genetlink version put in genlmsghdr. */
  readonly version: number;
  /** Operations by name. */
  readonly ops: O;
  /** Multicast groups. */
  readonly groups: readonly GroupDef[];
}

/** The attributes (and fixed-header fields) of an operation's messages. */
export type OpAttrs<D> = D extends OpDef<infer A> ? A & Record<string, unknown> : never;

/** Declares one genetlink operation; `attrs` is the type of its set. */
export function op<A>(def: OpDef<A>): OpDef<A> {
  return def;
}

/** Declares a generic netlink family. */
export function genlFamily<const O extends OpTable>(
  name: string, version: number, ops: O, groups: readonly string[] = [],
): FamilyDef<O> {
  return { name, protocol: 'genetlink', protonum: 16, version, ops, groups: groups.map((g) => ({ name: g })) };
}

/** The operation whose replies or notifications carry `cmd`, preferring notifications when asked. */
export function opByReply(def: FamilyDef, cmd: number, notification = false): OpDef | undefined {
  let found: OpDef | undefined;
  for (const o of Object.values(def.ops)) {
    if (o.reply !== cmd) continue;
    if (notification ? o.notify !== undefined : o.notify === undefined) return o;
    found ??= o;
  }
  return found;
}

/** Re-exported so family modules need one import for their types. */
export type { Decoded };
