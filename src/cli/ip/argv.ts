// The iproute2 grammar: keywords matched by prefix, one cursor over the arguments, and the
// parsers for the values ip accepts (numbers as strtoul reads them, addresses, prefixes, MACs),
// each failing with ip's wording as a UsageError (exit 2).
import { formatIp, parseIp } from '../../schema/addresses.js';
import { UsageError } from '../errors.js';
import { parseUnsigned } from './names.js';

/** True when `arg` is a non-empty prefix of `keyword` (iproute2's matches()). */
export function matches(arg: string | undefined, keyword: string): boolean {
  return arg !== undefined && arg.length > 0 && arg.length <= keyword.length && keyword.startsWith(arg);
}

/**
 * ip's exit statuses: main() returns -(the object's return value), so `return -1` is 1 and a
 * kernel refusal (`return -2`) is 2; invarg(), duparg(), missarg(), incomplete_command() and
 * usage() call exit(-1), which is 255.
 */
export const IP_EXIT = {
  /** A mistake ip reports and returns from (unknown object, bad prefix, missing device). */
  FAILURE: 1,
  /** The kernel refused the request. */
  REFUSED: 2,
  /** A mistake ip reports with exit(-1): a bad value, a duplicate or missing argument, an unknown keyword. */
  INVARG: 255,
} as const;

/**
 * Prints an object's usage as ip's usage() functions do (on stderr, then exit(-1)) and returns
 * that status: `ip route help` is exit 255 for scripts too.
 */
export function usage(text: string): number {
  process.stderr.write(text);
  return IP_EXIT.INVARG;
}

export { DumpTerminated, NoDeviceError } from '../iproute2.js';

/** A cursor over one command's arguments. */
export class Args {
  private i = 0;
  constructor(private readonly argv: readonly string[], readonly object: string) {}

  /** The current argument, or undefined at the end. */
  peek(): string | undefined {
    return this.argv[this.i];
  }

  /** Returns the current argument and moves past it. */
  next(): string | undefined {
    return this.argv[this.i++];
  }

  /** How many arguments remain. */
  get left(): number {
    return this.argv.length - this.i;
  }

  /** Everything not consumed yet. */
  rest(): string[] {
    return this.argv.slice(this.i);
  }

  /** The value after keyword `kw` (NEXT_ARG): a usage error when the line ends. */
  value(kw: string): string {
    const v = this.argv[this.i++];
    if (v === undefined) throw this.incomplete(kw);
    return v;
  }

  /** Steps back one argument. */
  back(): void {
    this.i--;
  }

  /** The error for a line that ends where a value was expected. */
  incomplete(_kw?: string): UsageError {
    return new UsageError('Command line is not complete. Try option "help"', undefined, IP_EXIT.INVARG);
  }

  /** `Try "nlkit ip OBJECT help".` */
  hint(): string {
    return `Try "nlkit ip ${this.object} help".`;
  }

  /** A usage error in ip's words (ip adds no hint line): exit 1 unless `status` says otherwise. */
  error(message: string, status?: number): UsageError {
    return new UsageError(message, undefined, status);
  }

  /** ip's invarg(): `Error: argument "X" is wrong: MSG` (exit 255). */
  invalid(arg: string, what: string): UsageError {
    return this.error(`Error: argument "${arg}" is wrong: ${what}`, IP_EXIT.INVARG);
  }

  /** ip's duparg() (exit 255). */
  duplicate(kw: string, arg: string): UsageError {
    return this.error(`Error: either "${kw}" is duplicate, or "${arg}" is a garbage.`, IP_EXIT.INVARG);
  }

  /** ip's `Command "X" is unknown, try "ip OBJECT help".` (exit 255). */
  unknownCommand(cmd: string, what = 'Command', status: number = IP_EXIT.INVARG): UsageError {
    return this.error(`${what} "${cmd}" is unknown, try "ip ${this.object} help".`, status);
  }

  /** An unsigned integer of at most `max` (strtoul rules), or invarg. */
  u32(kw: string, v: string, max = 0xffffffff, what = `"${kw}" value is invalid`): number {
    const n = parseUnsigned(v, max);
    if (n === undefined) throw this.invalid(v, what);
    return n;
  }
}

/** Address families as ip names them. */
export type Family = 4 | 6;

/** A parsed address or prefix. */
export interface Prefix {
  family: Family;
  /** Canonical text of the address part (`0.0.0.0` / `::` for default). */
  addr: string;
  /** Prefix length in bits. */
  len: number;
  /** True when the user gave no /LEN (a host address). */
  host: boolean;
  /** True for `default`/`any`/`all`. */
  any: boolean;
}

/** The family of an address text, or undefined. */
function familyOf(s: string): Family | undefined {
  if (s.includes(':')) return 6;
  if (/^[0-9.]+$/.test(s)) return 4;
  return undefined;
}

function parseV4Loose(s: string): Uint8Array | undefined {
  // ip accepts 1 to 4 dotted parts; missing trailing parts are zero (10/8, 10.1/16).
  const parts = s.split('.');
  if (parts.length < 1 || parts.length > 4) return undefined;
  const out = new Uint8Array(4);
  for (let i = 0; i < parts.length; i++) {
    const p = parts[i]!;
    if (!/^\d{1,3}$/.test(p) || Number(p) > 255) return undefined;
    out[i] = Number(p);
  }
  return out;
}

function familyWord(f: Family | undefined): string {
  return f === 4 ? 'inet' : f === 6 ? 'inet6' : 'any valid';
}

/** Parses an address ("10.0.0.1", "fe80::1"); `family` restricts it. */
export function parseAddress(args: Args, s: string, family?: Family): { family: Family; addr: string } {
  const f = familyOf(s);
  const bad = () => args.error(`Error: ${familyWord(family)} address is expected rather than "${s}".`);
  if (f === undefined || (family !== undefined && f !== family)) throw bad();
  try {
    if (f === 4) {
      const b = parseV4Loose(s);
      if (!b) throw bad();
      return { family: 4, addr: formatIp(b, 0, 4) };
    }
    const b = parseIp(s);
    return { family: 6, addr: formatIp(b, 0, 16) };
  } catch {
    throw bad();
  }
}

/** Parses a prefix ("10.0.0.0/8", "default", "2001:db8::/32", a bare host address). */
export function parsePrefix(args: Args, s: string, family?: Family): Prefix {
  if (s === 'default' || s === 'any' || s === 'all') {
    const f = family ?? 4;
    return { family: f, addr: f === 4 ? '0.0.0.0' : '::', len: 0, host: false, any: true };
  }
  const bad = () => args.error(`Error: ${familyWord(family)} prefix is expected rather than "${s}".`);
  const slash = s.indexOf('/');
  const a = slash < 0 ? s : s.slice(0, slash);
  let parsed: { family: Family; addr: string };
  try {
    parsed = parseAddress(args, a, family);
  } catch {
    throw bad();
  }
  const max = parsed.family === 4 ? 32 : 128;
  let len = max;
  if (slash >= 0) {
    const l = s.slice(slash + 1);
    if (!/^\d{1,3}$/.test(l) || Number(l) > max) throw bad();
    len = Number(l);
  }
  return { ...parsed, len, host: slash < 0, any: false };
}

/** Parses a MAC (or any colon-separated hex link-layer address). */
export function parseLladdr(s: string): string | undefined {
  const parts = s.split(':');
  if (parts.length < 1 || parts.length > 32) return undefined;
  if (!parts.every((p) => /^[0-9a-fA-F]{1,2}$/.test(p))) return undefined;
  return parts.map((p) => p.toLowerCase().padStart(2, '0')).join(':');
}

/** Masks an address to its prefix length (for comparing prefixes). */
export function prefixBytes(p: { family: Family; addr: string }): Uint8Array {
  return p.family === 4 ? parseV4Loose(p.addr)! : parseIp(p.addr);
}

/** True when `addr` lies inside `prefix/len` (same family assumed). */
export function inPrefix(addr: Uint8Array, prefix: Uint8Array, len: number): boolean {
  const full = len >> 3;
  for (let i = 0; i < full; i++) if (addr[i] !== prefix[i]) return false;
  const rem = len & 7;
  if (rem) {
    const mask = (0xff << (8 - rem)) & 0xff;
    if ((addr[full]! & mask) !== (prefix[full]! & mask)) return false;
  }
  return true;
}

/** Bytes of an address text (v4 or v6). */
export function addrBytes(s: string): Uint8Array {
  return s.includes(':') ? parseIp(s) : parseV4Loose(s) ?? new Uint8Array(4);
}
