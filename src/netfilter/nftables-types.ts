// nft's data types for set keys: the numbers nft stores in NFTA_SET_KEY_TYPE (nftables'
// include/datatype.h, user space, not a kernel header: the kernel keeps them opaque), and how a
// value of each is written in nft's grammar and read back. A concatenation's type is its fields'
// types, 6 bits each, the first field highest; each field takes a multiple of 4 bytes (a
// register) in the key.
import { formatIp, formatMac, parseIp, parseMac } from '../schema/index.js';
import { decodeText, encodeText } from '../wire/text.js';

/** How a type's values are written. */
type Kind = 'ipv4' | 'ipv6' | 'mac' | 'proto' | 'port' | 'mark' | 'ifname' | 'integer';

/** One nft data type. */
export interface NftDatatype {
  /** nft's TYPE_* number. */
  id: number;
  /** nft's name ('ipv4_addr'). */
  name: string;
  /** Bytes of a value (the key length of a set of this type alone). */
  len: number;
  kind: Kind;
  /** Values are host byte order (mark, and strings, which nft orders as host-order numbers); the rest are network byte order. */
  host?: boolean;
  /** How many values `nft list` prints on one line of a set's elements. */
  perLine: number;
}

/** The data types nlkit reads and writes (nft's TYPE_* numbers). */
export const NFT_DATATYPES: readonly NftDatatype[] = [
  { id: 4, name: 'integer', len: 4, kind: 'integer', host: true, perLine: 5 },
  { id: 7, name: 'ipv4_addr', len: 4, kind: 'ipv4', perLine: 2 },
  { id: 8, name: 'ipv6_addr', len: 16, kind: 'ipv6', perLine: 1 },
  { id: 9, name: 'ether_addr', len: 6, kind: 'mac', perLine: 1 },
  { id: 12, name: 'inet_proto', len: 1, kind: 'proto', perLine: 5 },
  { id: 13, name: 'inet_service', len: 2, kind: 'port', perLine: 5 },
  { id: 19, name: 'mark', len: 4, kind: 'mark', host: true, perLine: 5 },
  { id: 41, name: 'ifname', len: 16, kind: 'ifname', host: true, perLine: 1 },
];

/** nft's TYPE_BITS: bits per field in a concatenation's type. */
export const NFT_TYPE_BITS = 6;

const BY_ID = new Map(NFT_DATATYPES.map((t) => [t.id, t]));
const BY_NAME = new Map(NFT_DATATYPES.map((t) => [t.name, t]));

/** The data type of a TYPE_* number, or of a name; undefined for the ones nlkit does not know. */
export function nftDatatype(idOrName: number | string): NftDatatype | undefined {
  return typeof idOrName === 'number' ? BY_ID.get(idOrName) : BY_NAME.get(idOrName);
}

/** The field types of a key type (one for a plain type, several for a concatenation). */
export function concatTypes(keyType: number): number[] {
  if (BY_ID.has(keyType) || keyType < 1 << NFT_TYPE_BITS) return [keyType];
  const out: number[] = [];
  for (let t = keyType; t > 0; t = Math.floor(t / (1 << NFT_TYPE_BITS))) out.unshift(t % (1 << NFT_TYPE_BITS));
  return out;
}

/** The key type of a list of field types. */
export function concatKeyType(types: readonly number[]): number {
  return types.reduce((acc, t) => acc * (1 << NFT_TYPE_BITS) + t, 0);
}

const PROTOS: Record<number, string> = {
  0: 'ip', 1: 'icmp', 2: 'igmp', 4: 'ipencap', 6: 'tcp', 17: 'udp', 33: 'dccp', 41: 'ipv6', 47: 'gre', 50: 'esp', 51: 'ah',
  58: 'ipv6-icmp', 103: 'pim', 132: 'sctp', 136: 'udplite',
};
const PROTO_NUMBERS: Record<string, number> = Object.fromEntries([
  ...Object.entries(PROTOS).map(([n, name]) => [name, Number(n)]), ['icmpv6', 58],
]);

/** Thrown for a value that is not one of its type (the message is nft's wording, without "Error: "). */
export class NftValueError extends Error {}

/** Reads a dotted quad into out[0..3]; false when `text` is not one. */
function parseQuad(text: string, out: Uint8Array): boolean {
  let part = 0;
  let v = 0;
  let digits = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c >= 48 && c <= 57) {
      v = v * 10 + (c - 48);
      if (++digits > 3 || v > 255) return false;
    } else if (c === 46 && digits > 0 && part < 3) {
      out[part++] = v;
      v = 0;
      digits = 0;
    } else return false;
  }
  if (part !== 3 || digits === 0) return false;
  out[3] = v;
  return true;
}

/** Reads one value of type `t` into `len` bytes (nft's grammar: '10.0.0.1', '80', '0x10', '"eth0"'). */
export function parseValue(t: NftDatatype, text: string, len = t.len): Uint8Array {
  return parseValueInto(t, text, new Uint8Array(len));
}

/**
 * parseValue into `out` (zeroed, of the field's length): a caller adding many elements parses
 * them into one buffer, since an ArrayBuffer per value costs the garbage collector more than
 * the parsing.
 */
export function parseValueInto(t: NftDatatype, text: string, out: Uint8Array): Uint8Array {
  // A key narrower than its type (a typeof set of a smaller field) is not one nlkit can write.
  if (out.length < t.len) throw new NftValueError(`${t.name} values take ${t.len} bytes; the set's key has ${out.length}`);
  if (t.kind === 'ipv4' && parseQuad(text, out)) return out;
  const int = (max: number) => {
    if (!/^(0x[0-9a-f]+|\d+)$/i.test(text)) throw new NftValueError(`Could not parse ${t.name === 'inet_service' ? 'inet_service' : t.name} expression "${text}"`);
    const n = Number(text);
    if (n > max) throw new NftValueError(`Value ${text} exceeds valid range 0-${max}`);
    return n;
  };
  const dv = new DataView(out.buffer, out.byteOffset, out.byteLength);
  switch (t.kind) {
    case 'ipv4': case 'ipv6': {
      let b: Uint8Array;
      try {
        b = parseIp(text);
      } catch {
        throw new NftValueError('Could not resolve hostname: Name or service not known');
      }
      if (b.length !== t.len) throw new NftValueError('Could not resolve hostname: Address family for hostname not supported');
      out.set(b);
      break;
    }
    case 'mac': out.set(parseMac(text)); break;
    case 'port': dv.setUint16(0, int(0xffff), false); break;
    case 'proto': out[0] = PROTO_NUMBERS[text] ?? int(0xff); break;
    case 'mark': case 'integer': dv.setUint32(0, int(0xffffffff), true); break;
    case 'ifname': {
      const s = encodeText(text.replace(/^"(.*)"$/, '$1'));
      if (s.length >= 16) throw new NftValueError(`Interface name ${text} too long`);
      out.set(s);
      break;
    }
  }
  return out;
}

/** One value's text as `nft list` prints it. */
export function formatValue(t: NftDatatype | undefined, b: Uint8Array): string {
  // Bytes shorter than the type (a malformed or foreign key) print as hex, never misread.
  if (t && b.length < t.len) t = undefined;
  const dv = new DataView(b.buffer, b.byteOffset, b.byteLength);
  switch (t?.kind) {
    case 'ipv4': return formatIp(b, 0, 4);
    case 'ipv6': return formatIp(b, 0, 16);
    case 'mac': return formatMac(b, 0, 6);
    case 'port': return String(dv.getUint16(0, false));
    case 'proto': return PROTOS[b[0]!] ?? String(b[0]);
    case 'mark': return `0x${dv.getUint32(0, true).toString(16).padStart(8, '0')}`;
    case 'integer': return String(dv.getUint32(0, true));
    case 'ifname': return `"${decodeText(b.subarray(0, b.indexOf(0) < 0 ? b.length : b.indexOf(0)))}"`;
    default: return `0x${Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('')}`;
  }
}

/** One value as `nft -j` prints it (numbers for ports and marks, strings for the rest). */
export function jsonValue(t: NftDatatype | undefined, b: Uint8Array): string | number {
  if (t && b.length < t.len) t = undefined;
  const dv = new DataView(b.buffer, b.byteOffset, b.byteLength);
  switch (t?.kind) {
    case 'port': return dv.getUint16(0, false);
    case 'mark': case 'integer': return dv.getUint32(0, true);
    case 'ifname': return formatValue(t, b).slice(1, -1);
    default: return formatValue(t, b);
  }
}

/** A value's bytes as a number for ordering (host-order types by their integer value). */
export function orderKey(t: NftDatatype | undefined, b: Uint8Array): bigint {
  let n = 0n;
  if (t?.host) for (let i = b.length - 1; i >= 0; i--) n = (n << 8n) | BigInt(b[i]!);
  else for (let i = 0; i < b.length; i++) n = (n << 8n) | BigInt(b[i]!);
  return n;
}

/** Milliseconds as nft prints a time ('1d2h3m4s5ms'; '0s' for none). */
export function formatTime(ms: number): string {
  const d = Math.floor(ms / 86_400_000);
  const h = Math.floor(ms / 3_600_000) % 24;
  const m = Math.floor(ms / 60_000) % 60;
  const s = Math.floor(ms / 1000) % 60;
  const r = ms % 1000;
  let out = '';
  if (d) out += `${d}d`;
  if (h) out += `${h}h`;
  if (m) out += `${m}m`;
  if (s) out += `${s}s`;
  if (r) out += `${r}ms`;
  return out || '0s';
}

/** Reads nft's time grammar ('30s', '1m30s', '500ms', '2h', '1d'; a plain number is seconds) into milliseconds. */
export function parseTime(text: string): number {
  if (/^\d+$/.test(text)) return Number(text) * 1000;
  const re = /(\d+)(ms|d|h|m|s)/gy;
  let ms = 0;
  let at = 0;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    ms += Number(m[1]) * { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 }[m[2] as 'ms']!;
    at = re.lastIndex;
  }
  if (at !== text.length || text === '') throw new NftValueError(`Wrong time format: ${text}`);
  return ms;
}
