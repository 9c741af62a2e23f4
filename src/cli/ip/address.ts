// `nlkit ip address`: show/list (links with their addresses, -br, -o, filters), add, change,
// replace, delete and flush — over nlkit/route.
import {
  addAddress, addressCodec, changeAddress, deleteAddress, dumpAddresses, dumpLinks, flushAddresses, getLink, replaceAddress, RTM,
  type Address, type AddressSpec, type Link,
} from '../../route/index.js';
import { UsageError } from '../errors.js';
import { addrBytes, Args, inPrefix, matches, parseAddress, parsePrefix, type Family, type Prefix, usage } from './argv.js';
import type { IpContext } from './index.js';
import { flushRounds } from './flush.js';
import { applyVerb, command, objectRunner, verbCommands, type VerbTable } from './dispatch.js';
import type { NetlinkSocket } from '../../socket/index.js';
import { AF } from '../../route/constants.js';
import { scope } from '../../route/enums.js';
import { decodedIs } from './common.js';
import { groups, parseUnsigned, scopes } from './names.js';
import { printAddr, addrFlagsNum } from './print-addr.js';
import { linkFlagsNum, linkMatches, printLink, printLinkBrief, printLinkStats, type LinkShowFilter } from './print-link.js';
import { withSession, type Session } from './session.js';

const USAGE = `Usage: nlkit ip address {add|change|replace} IFADDR dev IFNAME [ LIFETIME ] [ CONFFLAG-LIST ]
       nlkit ip address del IFADDR dev IFNAME [mngtmpaddr]
       nlkit ip address flush [ dev IFNAME ] [ scope SCOPE-ID ] [ to PREFIX ] [ FLAG-LIST ] [ label LABEL ] [up]
       nlkit ip address [ show [ dev IFNAME ] [ scope SCOPE-ID ] [ master DEVICE ] [ type TYPE ] [ to PREFIX ]
                        [ FLAG-LIST ] [ label LABEL ] [up] ]
IFADDR := PREFIX | ADDR peer PREFIX [ broadcast ADDR ] [ anycast ADDR ] [ label IFNAME ] [ scope SCOPE-ID ]
          [ metric METRIC ]
SCOPE-ID := [ host | link | global | NUMBER ]
FLAG-LIST := [ FLAG-LIST ] FLAG
FLAG  := [ permanent | dynamic | secondary | primary | [-]tentative | [-]deprecated | [-]dadfailed |
           temporary | CONFFLAG-LIST ]
CONFFLAG-LIST := [ CONFFLAG-LIST ] CONFFLAG
CONFFLAG  := [ home | nodad | mngtmpaddr | noprefixroute | autojoin ]
LIFETIME := [ valid_lft LFT ] [ preferred_lft LFT ]
LFT := forever | SECONDS
`;

/** Runs `ip address …`. */
export const run = objectRunner({
  object: 'address',
  usage: USAGE,
  default: (ctx, args) => list(ctx, args, false),
  commands: [
    ...verbCommands(['add', 'change', 'replace', 'delete'], modify),
    command(['list', 'show', 'lst'], (ctx, args) => list(ctx, args, false)),
    command(['flush'], (ctx, args) => list(ctx, args, true)),
    command(['save', 'restore', 'showdump'], async (_ctx, args, word) => {
      throw new UsageError(`nlkit ip: "address ${word}" is not supported.`, args.hint());
    }),
  ],
});

const CONF_FLAGS = new Set(['home', 'nodad', 'mngtmpaddr', 'noprefixroute', 'autojoin', 'optimistic']);

function lifetime(args: Args, kw: string): number | 'forever' {
  const v = args.value(kw);
  if (v === 'forever') return 'forever';
  const n = parseUnsigned(v);
  if (n === undefined) throw args.invalid(v, `${kw} value`);
  return n;
}

/** What each verb calls in nlkit/route. */
const ADDRESS_VERBS: VerbTable<AddressSpec, { socket: NetlinkSocket }> = {
  add: addAddress, change: changeAddress, replace: replaceAddress, delete: deleteAddress,
};

/** ipaddr_modify. */
async function modify(ctx: IpContext, args: Args, cmd: 'add' | 'change' | 'replace' | 'delete'): Promise<number> {
  const spec: AddressSpec & Record<string, unknown> = {};
  const flags: string[] = [];
  let local: Prefix | undefined;
  let peer: Prefix | undefined;
  let dev: string | undefined;
  let label: string | undefined;
  let brd: string | undefined;
  let family: Family | undefined = ctx.opts.family === 4 || ctx.opts.family === 6 ? ctx.opts.family : undefined;
  let valid: number | 'forever' | undefined;
  let preferred: number | 'forever' | undefined;
  for (;;) {
    const a = args.next();
    if (a === undefined) break;
    if (matches(a, 'peer') || matches(a, 'remote')) {
      if (peer) throw args.duplicate('peer', args.peek() ?? a);
      peer = parsePrefix(args, args.value(a), family);
      family ??= peer.family;
    } else if (matches(a, 'broadcast') || a === 'brd') {
      const v = args.value(a);
      if (brd !== undefined) throw args.duplicate('broadcast', v);
      if (v === '+' || v === '-') brd = v;
      else brd = parseAddress(args, v, family).addr;
    } else if (matches(a, 'anycast')) {
      spec.anycast = parseAddress(args, args.value(a), family).addr;
    } else if (matches(a, 'scope')) {
      const v = args.value(a);
      const n = scopes.a2n(v);
      if (n === undefined) throw args.invalid(v, 'invalid scope value.');
      spec.scope = n as never;
    } else if (a === 'dev') {
      dev = args.value(a);
    } else if (matches(a, 'label')) {
      label = args.value(a);
    } else if (matches(a, 'valid_lft')) {
      valid = lifetime(args, 'valid_lft');
    } else if (matches(a, 'preferred_lft')) {
      preferred = lifetime(args, 'preferred_lft');
    } else if (matches(a, 'metric') || matches(a, 'priority') || a === 'preference') {
      const v = args.value(a);
      const n = parseUnsigned(v);
      if (n === undefined) throw args.invalid(v, '"metric" value is invalid\n');
      spec.metric = n;
    } else if (CONF_FLAGS.has(a)) {
      flags.push(a);
    } else if (matches(a, 'help')) {
      return usage(USAGE);
    } else {
      let v = a;
      if (matches(v, 'local')) v = args.value(a);
      if (local) throw args.duplicate('local', v);
      local = parsePrefix(args, v, family);
      family ??= local.family;
    }
  }
  if (!dev) throw args.error('Not enough information: "dev" argument is required.');
  if (!local) throw args.error('Not enough information: an address (PREFIX) is required.');
  if (brd !== undefined && local.family !== 4) throw args.error('Error: broadcast is only for IPv4 addresses.');
  return withSession(ctx, async (s) => {
    spec.dev = await s.ifindex(dev!);
    spec.address = local!.host ? local!.addr : `${local!.addr}/${local!.len}`;
    if (peer) spec.peer = peer.host ? peer.addr : `${peer.addr}/${peer.len}`;
    if (label !== undefined) spec.label = label;
    if (brd !== undefined) {
      if ((brd === '+' || brd === '-') && local!.host && !peer) {
        throw args.error('Error: broadcast can be set only for an address with a prefix length.');
      }
      spec.broadcast = brd;
    }
    if (flags.length) spec.flags = flags as never;
    if (valid !== undefined) spec.valid_lft = valid;
    if (preferred !== undefined) spec.preferred_lft = preferred;
    await applyVerb(ADDRESS_VERBS, cmd, spec, s.opts);
    return 0;
  });
}

/** Address filters of show/flush (ip's filter: scope, flags, label, prefix). */
interface AddrFilter {
  scope?: number;
  flags: number;
  flagMask: number;
  label?: RegExp;
  pfx?: Prefix;
}

const FLAG_BITS: Record<string, number> = {
  secondary: 0x01, temporary: 0x01, nodad: 0x02, optimistic: 0x04, dadfailed: 0x08, home: 0x10, deprecated: 0x20,
  tentative: 0x40, permanent: 0x80, mngtmpaddr: 0x100, noprefixroute: 0x200, autojoin: 0x400, 'stable-privacy': 0x800,
};

/** fnmatch(3) for the label patterns ip accepts (`*`, `?`, `[...]`). */
function globRe(p: string): RegExp {
  let re = '^';
  for (let i = 0; i < p.length; i++) {
    const c = p[i]!;
    if (c === '*') re += '.*';
    else if (c === '?') re += '.';
    else if (c === '[') {
      const j = p.indexOf(']', i + 1);
      if (j < 0) re += '\\[';
      else {
        re += `[${p.slice(i + 1, j).replace(/^!/, '^').replace(/\\/g, '\\\\')}]`;
        i = j;
      }
    } else re += c.replace(/[.+^${}()|\\]/g, '\\$&');
  }
  return new RegExp(`${re}$`);
}

function addrLabel(a: Address, s: Session, names: { name(i: number): string }): string {
  void s;
  return a.label ?? names.name(a.ifindex ?? 0);
}

function familyNum(a: Address): Family | undefined {
  return a.family === 'inet' ? 4 : a.family === 'inet6' ? 6 : undefined;
}

/** The per-address test print_addrinfo applies (scope, flags, label, prefix). */
function addrMatches(a: Address, f: AddrFilter, label: string): boolean {
  if (f.scope !== undefined) {
    if (!decodedIs(scope, a.scope as string | number | undefined, f.scope)) return false;
  }
  if (((f.flags ^ addrFlagsNum(a)) & f.flagMask) !== 0) return false;
  if (f.label && !f.label.test(label)) return false;
  if (f.pfx) {
    const local = a.local ?? a.address;
    if (local !== undefined) {
      if (!f.pfx.any && f.pfx.family !== familyNum(a)) return false;
      if (!f.pfx.any && !inPrefix(addrBytes(local), addrBytes(f.pfx.addr), f.pfx.len)) return false;
    }
  }
  return true;
}

/** ipaddr_list_flush_or_save: `ip address show` and `ip address flush`. */
async function list(ctx: IpContext, args: Args, flush: boolean): Promise<number> {
  if (flush && args.left === 0) throw args.error('Flush requires arguments.');
  const f: AddrFilter = { flags: 0, flagMask: 0 };
  const lf: LinkShowFilter = {};
  let dev: string | undefined;
  let masterDev: string | undefined;
  let labelGiven = false;
  let family = ctx.opts.family;
  for (;;) {
    const a = args.next();
    if (a === undefined) break;
    if (matches(a, 'to')) {
      f.pfx = parsePrefix(args, args.value(a), family === 4 || family === 6 ? family : undefined);
      if (!family) family = f.pfx.family;
    } else if (matches(a, 'scope')) {
      const v = args.value(a);
      if (v !== 'all') {
        const n = scopes.a2n(v);
        if (n === undefined) throw args.invalid(v, 'invalid "scope"');
        f.scope = n;
      }
    } else if (a === 'up') {
      lf.up = true;
    } else if (a === 'label') {
      f.label = globRe(args.value(a));
      labelGiven = true;
    } else if (a === 'dynamic') {
      f.flags &= ~0x80;
      f.flagMask |= 0x80;
    } else if (a === 'primary') {
      f.flags &= ~0x01;
      f.flagMask |= 0x01;
    } else if (a.startsWith('-') && FLAG_BITS[a.slice(1)] !== undefined) {
      f.flags &= ~FLAG_BITS[a.slice(1)]!;
      f.flagMask |= FLAG_BITS[a.slice(1)]!;
    } else if (FLAG_BITS[a] !== undefined) {
      f.flags |= FLAG_BITS[a]!;
      f.flagMask |= FLAG_BITS[a]!;
    } else if (a === 'master') {
      masterDev = args.value(a);
    } else if (a === 'nomaster') {
      lf.nomaster = true;
    } else if (a === 'type') {
      const k = args.value(a);
      if (k.endsWith('_slave')) lf.slaveKind = k.slice(0, -6);
      else lf.kind = k;
    } else if (a === 'group') {
      const v = args.value(a);
      const g = groups.a2n(v);
      if (g === undefined) throw args.invalid(v, 'Invalid "group" value\n');
      lf.group = g;
    } else if (a === 'vrf') {
      throw args.error('nlkit ip: "vrf" is not supported.');
    } else if (matches(a, 'help')) {
      return usage(USAGE);
    } else {
      let v = a;
      if (v === 'dev') v = args.value(a);
      if (dev !== undefined) throw args.duplicate('dev', v);
      dev = v;
    }
  }
  return withSession(ctx, async (s) => {
    const names = await s.linkNames();
    let index: number | undefined;
    if (dev !== undefined) {
      const i = await s.showDevIndex(dev);
      if (i === null) return 1;
      index = i;
    }
    if (masterDev !== undefined) lf.master = await s.ifindex(masterDev);
    const famName = family === 4 ? 'inet' : family === 6 ? 'inet6' : undefined;
    if (flush) return flushAddrs(ctx, s, f, index, famName, lf);
    const pctx = await s.printContext();
    const out = ctx.out;
    const showStats = ctx.opts.stats > 0;
    const links: Link[] = index !== undefined
      ? [await getLink(index, { ...s.opts, stats: showStats })]
      : await dumpLinks({
        stats: showStats, ...(lf.kind ? { kind: lf.kind } : {}), ...(lf.master !== undefined ? { master: lf.master } : {}),
      }, s.opts).toArray();
    await s.peerNamespaces(pctx, links);
    const byLink = new Map<number, Address[]>();
    const packet = family === AF.PACKET;
    if (!packet) {
      for await (const a of dumpAddresses({ ...(famName ? { family: famName } : {}) }, s.opts)) {
        const i = a.ifindex ?? 0;
        let l = byLink.get(i);
        if (!l) byLink.set(i, (l = []));
        l.push(a);
      }
    }
    const oneline = ctx.opts.oneline && !ctx.opts.brief;
    const noLink = !packet && (oneline || labelGiven);
    const famOf = (a: Address) => familyNum(a);
    out.begin();
    for (const l of links) {
      if (lf.nomaster && l.master) continue;
      const mine = byLink.get(l.ifindex ?? 0) ?? [];
      if (!packet) {
        // ipaddr_filter: keep a link when one of its addresses passes every filter, or when it
        // has no address at all and no family was asked for.
        let ok = false;
        for (const a of mine) {
          if (famName && a.family !== famName) continue;
          if (addrMatches(a, f, addrLabel(a, s, names))) {
            ok = true;
            break;
          }
        }
        if (mine.length === 0 && !famName) ok = true;
        if (!ok) continue;
      }
      out.openObject();
      let res = true;
      if (ctx.opts.brief || !noLink) {
        if (!linkMatches(l, lf)) res = false;
        else if (ctx.opts.brief) printLinkBrief(out, pctx, l, packet);
        else printLink(out, pctx, l, { doLink: false, showQueue: true, family: family === AF.PACKET ? AF.PACKET : family }, false, false);
        if (!ctx.opts.brief && res) out.fp('\n');
      }
      if (res && !packet) {
        out.openArray('addr_info');
        for (const a of mine) {
          if (famName && a.family !== famName) continue;
          if (lf.up && !(linkFlagsNum(l) & 1)) continue;
          if (!addrMatches(a, f, addrLabel(a, s, names)) || (famOf(a) === undefined && famName)) {
            out.openObject();
            out.closeObject();
            continue;
          }
          printAddr(out, pctx, a, { brief: ctx.opts.brief, oneline });
        }
        out.closeArray();
        if (ctx.opts.brief) out.fp('\n');
      }
      // ip addr -s: the link's counters after its addresses.
      if (res && showStats && !ctx.opts.brief && !noLink) printLinkStats(out, pctx, l);
      out.closeObject();
      const d = out.drain();
      if (d) await d;
    }
    await out.end();
    return 0;
  });
}

async function flushAddrs(ctx: IpContext, s: Session, f: AddrFilter, index: number | undefined, famName: string | undefined, lf: LinkShowFilter): Promise<number> {
  const names = await s.linkNames();
  const pctx = await s.printContext();
  const links = new Map((await s.allLinks()).map((l) => [l.ifindex ?? 0, l]));
  return flushRounds<Address>(ctx, s, {
    noun: 'addresses',
    summaryInJson: true,
    where: (a) => {
      const l = links.get(a.ifindex ?? 0);
      if (lf.up && l && !(linkFlagsNum(l) & 1)) return false;
      return addrMatches(a, f, addrLabel(a, s, names));
    },
    print: (a) => printAddr(ctx.out, pctx, a, { brief: false, oneline: true }, true),
    call: (opts) => flushAddresses({ ...(famName ? { family: famName as 'inet' } : {}), ...(index !== undefined ? { dev: index } : {}) }, opts),
  });
}

function encodeAddrDel(a: Address): Uint8Array {
  return addressCodec.encode(RTM.DELADDR, 0, a);
}
