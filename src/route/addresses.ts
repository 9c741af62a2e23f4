// Addresses: dump (filtered by link in the kernel), add/replace/change with iproute2's
// defaults (returning the address as created), delete and flush.
import { NLM_F_CREATE, NLM_F_ECHO, NLM_F_EXCL, NLM_F_REPLACE } from '../wire/index.js';
import { parseIp } from '../schema/index.js';
import type { Dump, FamilyOptions, NetlinkSocket } from '../socket/index.js';
import { addressCodec, type Address } from './codecs.js';
import { RTM } from './constants.js';
import type { AddressFlag, Family, Scope } from './enums.js';
import { resolveLink, type LinkRef } from './links.js';
import { chooseVictims, deleteAll, type FlushOptions } from './flush.js';
import { callOptions, routeDump, withSocket } from './socket.js';
import { HEADER_SIZES } from './structs.js';

export type { Address } from './codecs.js';

const HDR = HEADER_SIZES.ifaddrmsg;
const FOREVER = 0xffffffff;

/** Filters of {@link dumpAddresses}: `family` and `dev` are applied by the kernel, the rest here. */
export interface AddressFilter {
  family?: Family | number;
  /** Only addresses of this link (ifa_index, filtered by the kernel). */
  dev?: LinkRef;
  /** Only this scope. */
  scope?: Scope | number;
  /** Only addresses whose label matches (`*` wildcards as `ip addr show label`). */
  label?: string;
}


/**
 * Dumps addresses (RTM_GETADDR, NLM_F_DUMP) as typed objects: `{ family, prefixlen, flags,
 * scope, ifindex, address, local, label, broadcast, cacheinfo, … }`.
 */
export function dumpAddresses(filter: AddressFilter = {}, opts: FamilyOptions = {}): Dump<Address> {
  const pred = userFilter(filter);
  const build = (ifindex: number) => addressCodec.encode(RTM.GETADDR, 0, { family: filter.family ?? 'unspec', ifindex } as Partial<Address>);
  const dev = filter.dev;
  if (dev === undefined) return routeDump(opts, build(0), addressCodec, pred);
  return routeDump(opts, async (sock) => build(await resolveLink(dev, sock)), addressCodec, pred);
}

function userFilter(f: AddressFilter): ((a: Address) => boolean) | undefined {
  if (f.scope === undefined && f.label === undefined) return undefined;
  const re = f.label !== undefined ? new RegExp(`^${f.label.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*')}$`) : undefined;
  return (a) => (f.scope === undefined || a.scope === f.scope) && (re === undefined || re.test(a.label ?? ''));
}

/**
 * What to add or delete. `address` is 'ADDR[/LEN]' (the local address, IFA_LOCAL); a decoded
 * Address (with `ifindex`, `prefixlen`, `local`) is accepted as well.
 */
export interface AddressSpec extends Partial<Omit<Address, 'broadcast' | 'flags' | 'scope' | 'family'>> {
  /** The link: index or name. */
  dev?: LinkRef;
  /** 'ADDR/LEN' or 'ADDR' (then /32 or /128 unless `prefixlen`). */
  address?: string;
  /** The peer of a point-to-point address, 'ADDR[/LEN]' (IFA_ADDRESS). */
  peer?: string;
  /** IPv4 broadcast: an address, '+' (host bits set) or '-' (host bits clear). Not added unless given. */
  broadcast?: string;
  family?: Family | number;
  scope?: Scope | number;
  flags?: (AddressFlag | number)[];
  /** Valid lifetime in seconds, or 'forever' (default). */
  valid_lft?: number | 'forever';
  /** Preferred lifetime in seconds, or 'forever' (default). */
  preferred_lft?: number | 'forever';
  /** The metric of the prefix route (IFA_RT_PRIORITY). */
  metric?: number;
}

function splitPrefix(text: string): [string, number | undefined] {
  const i = text.indexOf('/');
  if (i < 0) return [text, undefined];
  const len = Number(text.slice(i + 1));
  if (!/^\d+$/.test(text.slice(i + 1))) throw new TypeError(`invalid prefix length in "${text}"`);
  return [text.slice(0, i), len];
}

/** iproute2's default scope of an address: host for 127/8 (and ::1), else global. */
function defaultScope(bytes: Uint8Array): Scope {
  if (bytes.length === 4 && bytes[0] === 127) return 'host';
  if (bytes.length === 16 && bytes.every((b, i) => b === (i === 15 ? 1 : 0))) return 'host';
  return 'global';
}

const SPECIAL = new Set(['dev', 'address', 'peer', 'broadcast', 'valid_lft', 'preferred_lft', 'metric']);

async function addressMessage(spec: AddressSpec, sock: NetlinkSocket, defaults: boolean): Promise<Record<string, unknown>> {
  const o: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(spec)) if (!SPECIAL.has(k) && v !== undefined) o[k] = v;
  if (spec.dev !== undefined) o.ifindex = await resolveLink(spec.dev, sock);
  if (o.ifindex === undefined) throw new TypeError('address: a link is needed (dev or ifindex)');
  // A decoded address carries IFA_LOCAL in `local` and the peer (or itself) in `address`.
  const decoded = spec.local !== undefined;
  const text = decoded ? (spec.local as string) : spec.address;
  if (text === undefined) throw new TypeError('address: the address is needed');
  const [addr, len] = splitPrefix(text);
  const bytes = parseIp(addr);
  o.family ??= bytes.length === 4 ? 'inet' : 'inet6';
  o.prefixlen = len ?? spec.prefixlen ?? bytes.length * 8;
  o.local = addr;
  if (decoded) {
    o.address = spec.address ?? addr;
  } else if (spec.peer !== undefined) {
    const [p, plen] = splitPrefix(spec.peer);
    o.address = p;
    if (plen !== undefined && len === undefined) o.prefixlen = plen;
  } else {
    o.address = addr;
  }
  if (defaults && o.scope === undefined) o.scope = defaultScope(bytes);
  if (spec.broadcast !== undefined) {
    if (spec.broadcast === '+' || spec.broadcast === '-') {
      if (bytes.length !== 4) throw new TypeError('address: broadcast +/- is for IPv4');
      const plen = o.prefixlen as number;
      const mask = plen === 0 ? 0 : (0xffffffff << (32 - plen)) >>> 0;
      const a = ((bytes[0]! << 24) | (bytes[1]! << 16) | (bytes[2]! << 8) | bytes[3]!) >>> 0;
      const b = spec.broadcast === '+' ? (a | ~mask) >>> 0 : (a & mask) >>> 0;
      o.broadcast = `${b >>> 24}.${(b >>> 16) & 255}.${(b >>> 8) & 255}.${b & 255}`;
    } else o.broadcast = spec.broadcast;
  }
  if (spec.valid_lft !== undefined || spec.preferred_lft !== undefined) {
    const valid = spec.valid_lft === undefined || spec.valid_lft === 'forever' ? FOREVER : spec.valid_lft;
    const preferred = spec.preferred_lft === undefined || spec.preferred_lft === 'forever' ? FOREVER : spec.preferred_lft;
    if (preferred > valid) throw new TypeError('address: preferred_lft is greater than valid_lft');
    o.cacheinfo = { preferred, valid, cstamp: 0, tstamp: 0 };
  }
  if (spec.metric !== undefined) o.rt_priority = spec.metric;
  if (Array.isArray(o.flags) && o.flags.length === 0) delete o.flags;
  delete o.$header;
  delete o.$absent;
  return o;
}

/** Options of address changes. */
export interface AddressChangeOptions extends FamilyOptions {
  /** Extra nlmsg_flags to OR into the request. */
  flags?: number;
}

async function modify(spec: AddressSpec, nlflags: number, opts: AddressChangeOptions): Promise<Address> {
  return withSocket(opts, async (sock) => {
    const msg = await addressMessage(spec, sock, true);
    const reply = await sock.request(addressCodec.encode(RTM.NEWADDR, nlflags | NLM_F_ECHO | (opts.flags ?? 0), msg as Partial<Address>), {
      headerSize: HDR, ...callOptions(opts),
    });
    const echoed = reply.messages.find((m) => m.type === RTM.NEWADDR);
    if (echoed) return addressCodec.decodePayload(echoed.payload) as Address;
    // No echo (older kernels): read it back.
    const all = await dumpAddresses({ family: msg.family as Family, dev: msg.ifindex as number }, { ...callOptions(opts), socket: sock }).toArray();
    const found = all.find((a) => a.local === msg.local && a.prefixlen === msg.prefixlen) ?? all.find((a) => a.address === msg.local);
    if (!found) throw new Error('address was added but could not be read back');
    return found;
  });
}

/**
 * Adds an address (RTM_NEWADDR, NLM_F_CREATE|NLM_F_EXCL, like `ip address add`) and resolves
 * with it as the kernel stored it. Scope defaults like iproute2's (host for 127/8 and ::1).
 *
 *   await addAddress({ dev: 'v0', address: '10.0.0.1/24', broadcast: '+', label: 'v0:1' });
 *   await addAddress({ dev: 'v0', address: '2001:db8::1/64', flags: ['nodad'], valid_lft: 3600, preferred_lft: 1800 });
 */
export function addAddress(spec: AddressSpec, opts: AddressChangeOptions = {}): Promise<Address> {
  return modify(spec, NLM_F_CREATE | NLM_F_EXCL, opts);
}

/** Adds or replaces an address (NLM_F_CREATE|NLM_F_REPLACE, `ip address replace`). */
export function replaceAddress(spec: AddressSpec, opts: AddressChangeOptions = {}): Promise<Address> {
  return modify(spec, NLM_F_CREATE | NLM_F_REPLACE, opts);
}

/** Changes an existing address (NLM_F_REPLACE, `ip address change`): lifetimes, flags, metric. */
export function changeAddress(spec: AddressSpec, opts: AddressChangeOptions = {}): Promise<Address> {
  return modify(spec, NLM_F_REPLACE, opts);
}

/** Deletes an address (RTM_DELADDR, `ip address del`); a decoded Address works as the spec. */
export async function deleteAddress(spec: AddressSpec | Address, opts: FamilyOptions = {}): Promise<void> {
  await withSocket(opts, async (sock) => {
    const msg = await addressMessage(spec as AddressSpec, sock, false);
    await sock.request(addressCodec.encode(RTM.DELADDR, 0, msg as Partial<Address>), { headerSize: HDR, ...callOptions(opts) });
  });
}

/**
 * Deletes every address the filter matches (`ip address flush`): dumps them and sends each
 * back as RTM_DELADDR. Resolves with the number deleted. Secondary addresses that vanish with
 * their primary are counted as deleted.
 */
export async function flushAddresses(filter: AddressFilter = {}, opts: FlushOptions<Address> = {}): Promise<number> {
  return withSocket(opts, async (sock) => {
    const list = await dumpAddresses(filter, { ...callOptions(opts), socket: sock }).toArray();
    const victims = chooseVictims(list, opts, () => true);
    await deleteAll(sock, victims, (a) => addressCodec.encode(RTM.DELADDR, 0, a), HDR, ['EADDRNOTAVAIL', 'ENOENT']);
    return victims.length;
  });
}
