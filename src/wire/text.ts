// Netlink strings are bytes (interface names, labels, device paths): the kernel never checks that
// they are UTF-8. They decode the way Python's "surrogateescape" does (PEP 383), so that any
// byte string survives a round trip through a JavaScript string: valid UTF-8 decodes as usual,
// and each byte that is not part of a valid sequence becomes the lone surrogate U+DC00 + byte
// (U+DC80..U+DCFF). Valid UTF-8 never decodes to a lone surrogate, so encoding maps those back to
// their bytes unambiguously.

const utf8d = new TextDecoder('utf-8', { fatal: true });
const utf8e = new TextEncoder();
const ESCAPED = /[\udc80-\udcff]/;

/** Decodes bytes as UTF-8, keeping each invalid byte as U+DC00 + byte (surrogateescape). */
export function decodeText(bytes: Uint8Array): string {
  const n = bytes.byteLength;
  let ascii = true;
  for (let i = 0; i < n; i++) {
    if (bytes[i]! >= 0x80) {
      ascii = false;
      break;
    }
  }
  if (ascii) return n <= 64 ? String.fromCharCode.apply(null, bytes as unknown as number[]) : utf8d.decode(bytes);
  try {
    return utf8d.decode(bytes);
  } catch {
    return decodeEscaped(bytes);
  }
}

/** Encodes a string as UTF-8, writing U+DC80..U+DCFF (from {@link decodeText}) as the bytes they stand for. */
export function encodeText(s: string): Uint8Array {
  if (!ESCAPED.test(s)) return utf8e.encode(s);
  const parts: number[] = [];
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0xdc80 && c <= 0xdcff && !(i > 0 && isHigh(s.charCodeAt(i - 1)))) {
      parts.push(c - 0xdc00);
      continue;
    }
    // Everything else, surrogate pairs included, as TextEncoder writes it.
    const end = c >= 0xd800 && c <= 0xdbff && i + 1 < s.length && isLow(s.charCodeAt(i + 1)) ? i + 2 : i + 1;
    for (const b of utf8e.encode(s.slice(i, end))) parts.push(b);
    i = end - 1;
  }
  return Uint8Array.from(parts);
}

/** True when the string holds bytes that were not valid UTF-8 (escaped by {@link decodeText}). */
export function hasEscapedBytes(s: string): boolean {
  return ESCAPED.test(s);
}

function isHigh(c: number): boolean {
  return c >= 0xd800 && c <= 0xdbff;
}

function isLow(c: number): boolean {
  return c >= 0xdc00 && c <= 0xdfff;
}

/** The slow path: walks the bytes, decoding each valid UTF-8 sequence and escaping the rest. */
function decodeEscaped(b: Uint8Array): string {
  let out = '';
  let i = 0;
  const n = b.byteLength;
  while (i < n) {
    const c = b[i]!;
    let len = 0;
    let min = 0;
    let cp = 0;
    if (c < 0x80) {
      out += String.fromCharCode(c);
      i++;
      continue;
    } else if (c >= 0xc2 && c <= 0xdf) {
      len = 2; cp = c & 0x1f; min = 0x80;
    } else if (c >= 0xe0 && c <= 0xef) {
      len = 3; cp = c & 0x0f; min = 0x800;
    } else if (c >= 0xf0 && c <= 0xf4) {
      len = 4; cp = c & 0x07; min = 0x10000;
    }
    let ok = len > 0 && i + len <= n;
    for (let k = 1; ok && k < len; k++) {
      const cc = b[i + k]!;
      if ((cc & 0xc0) !== 0x80) ok = false;
      else cp = (cp << 6) | (cc & 0x3f);
    }
    // Overlong forms, UTF-16 surrogates and code points past U+10FFFF are not valid UTF-8.
    if (ok && (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))) ok = false;
    if (!ok) {
      out += String.fromCharCode(0xdc00 + c);
      i++;
      continue;
    }
    out += String.fromCodePoint(cp);
    i += len;
  }
  return out;
}
