// Text forms of addresses, as iproute2 prints them.

/** Formats 4 or 16 bytes as an IPv4 or IPv6 address (RFC 5952 compression); other lengths as hex. */
export function formatIp(buf: Uint8Array, start: number, len: number): string {
  if (len === 4) return `${buf[start]}.${buf[start + 1]}.${buf[start + 2]}.${buf[start + 3]}`;
  if (len === 16) return formatIp6(buf, start);
  return formatMac(buf, start, len);
}

function formatIp6(b: Uint8Array, s: number): string {
  const words: number[] = [];
  for (let i = 0; i < 8; i++) words.push((b[s + 2 * i]! << 8) | b[s + 2 * i + 1]!);
  // IPv4-mapped (::ffff:a.b.c.d) keeps the dotted tail like inet_ntop.
  if (words[0] === 0 && words[1] === 0 && words[2] === 0 && words[3] === 0 && words[4] === 0 && words[5] === 0xffff) {
    return `::ffff:${b[s + 12]}.${b[s + 13]}.${b[s + 14]}.${b[s + 15]}`;
  }
  let bestStart = -1, bestLen = 0;
  for (let i = 0; i < 8;) {
    if (words[i] !== 0) { i++; continue; }
    let j = i;
    while (j < 8 && words[j] === 0) j++;
    if (j - i > bestLen && j - i >= 2) { bestStart = i; bestLen = j - i; }
    i = j;
  }
  const hex = words.map((w) => w.toString(16));
  if (bestStart < 0) return hex.join(':');
  return `${hex.slice(0, bestStart).join(':')}::${hex.slice(bestStart + bestLen).join(':')}`;
}

/** Formats bytes as colon-separated lowercase hex (MAC addresses). */
export function formatMac(buf: Uint8Array, start: number, len: number): string {
  let out = '';
  for (let i = 0; i < len; i++) {
    const v = buf[start + i]!;
    out += (i ? ':' : '') + (v < 16 ? '0' : '') + v.toString(16);
  }
  return out;
}

/** Parses an IPv4 or IPv6 address into 4 or 16 bytes; throws TypeError on bad input. */
export function parseIp(text: string): Uint8Array {
  if (text.includes(':')) return parseIp6(text);
  const fast = parseIp4Fast(text);
  if (fast) return fast;
  const parts = text.split('.');
  if (parts.length !== 4) throw new TypeError(`invalid IPv4 address "${text}"`);
  const out = new Uint8Array(4);
  parts.forEach((p, i) => {
    if (!/^\d{1,3}$/.test(p) || Number(p) > 255) throw new TypeError(`invalid IPv4 address "${text}"`);
    out[i] = Number(p);
  });
  return out;
}

// Dotted quads without leading oddities, parsed by character codes (bulk route changes parse
// hundreds of thousands); anything unusual falls back to the checked path above.
function parseIp4Fast(text: string): Uint8Array | null {
  const out = new Uint8Array(4);
  let part = 0, v = 0, digits = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c >= 48 && c <= 57) {
      v = v * 10 + (c - 48);
      if (++digits > 3 || v > 255) return null;
    } else if (c === 46 && digits > 0 && part < 3) {
      out[part++] = v;
      v = 0;
      digits = 0;
    } else return null;
  }
  if (part !== 3 || digits === 0) return null;
  out[3] = v;
  return out;
}

function parseIp6(text: string): Uint8Array {
  const bad = () => new TypeError(`invalid IPv6 address "${text}"`);
  let s = text;
  const lastColon = s.lastIndexOf(':');
  if (s.slice(lastColon + 1).includes('.')) {
    // A dotted IPv4 tail (::ffff:1.2.3.4) stands for the last two words.
    const v4 = parseIp(s.slice(lastColon + 1));
    s = `${s.slice(0, lastColon + 1)}${((v4[0]! << 8) | v4[1]!).toString(16)}:${((v4[2]! << 8) | v4[3]!).toString(16)}`;
  }
  const halves = s.split('::');
  if (halves.length > 2) throw bad();
  const parse = (h: string) => (h === '' ? [] : h.split(':').map((w) => {
    if (!/^[0-9a-fA-F]{1,4}$/.test(w)) throw bad();
    return parseInt(w, 16);
  }));
  const head = parse(halves[0]!);
  const rest = halves.length === 2 ? parse(halves[1]!) : [];
  if (halves.length === 2 && head.length + rest.length > 7) throw bad();
  const words = halves.length === 2 ? [...head, ...new Array<number>(8 - head.length - rest.length).fill(0), ...rest] : head;
  if (words.length !== 8) throw bad();
  const out = new Uint8Array(16);
  words.forEach((w, i) => {
    out[2 * i] = w >> 8;
    out[2 * i + 1] = w & 0xff;
  });
  return out;
}

/** Parses colon- (or dash-) separated hex bytes. */
export function parseMac(text: string): Uint8Array {
  const parts = text.split(/[:-]/);
  if (parts.some((p) => !/^[0-9a-fA-F]{1,2}$/.test(p))) throw new TypeError(`invalid hardware address "${text}"`);
  return Uint8Array.from(parts.map((p) => parseInt(p, 16)));
}

// Decimal octets with a trailing dot and without.
const OCTET_DOT = Array.from({ length: 256 }, (_, i) => `${i}.`);
const OCTET = Array.from({ length: 256 }, (_, i) => String(i));

/**
 * The text of the IPv4 addresses of one field, for generated decoders. Addresses repeat (a
 * gateway, a source) or share their first three octets (the destinations of a sorted table):
 * the last address and /24 prefix are kept, so most addresses cost one string or none
 * instead of three, and a new one four lookups and three concatenations.
 */
export class Ip4Text {
  private last = -1;
  private lastText = '';
  private prefix = -1;
  private prefixText = '';

  /** The dotted quad of the 4 bytes at `s` (`dv` views `buf`). */
  at(buf: Uint8Array, dv: DataView, s: number): string {
    const w = dv.getUint32(s, true);
    if (w === this.last) return this.lastText;
    const h = (buf[s]! << 16) | (buf[s + 1]! << 8) | buf[s + 2]!;
    if (h !== this.prefix) {
      this.prefix = h;
      this.prefixText = OCTET_DOT[buf[s]!]! + OCTET_DOT[buf[s + 1]!]! + OCTET_DOT[buf[s + 2]!]!;
    }
    this.last = w;
    return (this.lastText = this.prefixText + OCTET[buf[s + 3]!]!);
  }
}
