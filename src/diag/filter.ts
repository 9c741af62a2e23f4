// ss's filter expressions: `dport = :22`, `src 10.0.0.0/8`, `sport gt :1024`, `dst [::1]:443`,
// `and` / `or` / `not` (also && || !), parentheses, implicit `and` between terms. Parsed into a
// small tree, compiled to inet_diag bytecode (filter-bytecode.ts) where the kernel can run it,
// and evaluated here where it cannot.
import { readFileSync } from 'node:fs';
import { parseIp } from '../schema/index.js';
import { compileBytecode } from './filter-bytecode.js';

/** A comparison of a port. */
export type PortOp = 'eq' | 'ne' | 'gt' | 'lt' | 'ge' | 'le';

/** A parsed filter expression. */
export type FilterExpr =
  | { op: 'and' | 'or'; left: FilterExpr; right: FilterExpr }
  | { op: 'not'; expr: FilterExpr }
  /**
   * An address prefix and/or port on the local (src) or remote (dst) side; `port` -1 is any.
   * `pattern` is a unix socket name pattern instead (fnmatch: `*`, `?`, `[…]`; abstract names
   * start with `@`), which matches no other kind of socket.
   */
  | { op: 'host'; side: 'src' | 'dst'; family?: 'inet' | 'inet6'; addr?: Uint8Array; prefixlen: number; port: number; pattern?: string }
  | { op: 'port'; side: 'src' | 'dst'; cmp: PortOp; port: number }
  | { op: 'dev'; ifindex: number }
  | { op: 'mark'; mark: number; mask: number }
  | { op: 'autobound' };

/** What a filter needs of a socket to be evaluated in user space. */
export interface FilterSubject {
  family: string | number;
  /** The local address (a unix socket's name, `@` for abstract ones, '' for none). */
  src: string;
  /** The remote address (for unix sockets '': the kernel does not say the peer's name). */
  dst: string;
  sport: number;
  dport: number;
  if?: number;
  mark?: number;
}

const CMP: Record<string, PortOp> = {
  '=': 'eq', '==': 'eq', eq: 'eq', '!=': 'ne', ne: 'ne', neq: 'ne', '>': 'gt', gt: 'gt', '<': 'lt', lt: 'lt',
  '>=': 'ge', ge: 'ge', geq: 'ge', '<=': 'le', le: 'le', leq: 'le',
};

function tokenize(text: string): string[] {
  const out: string[] = [];
  // A word may hold `[…]` with any of the operator characters in it (`[!x]*`, a name pattern).
  const re = /\s*(\(|\)|&&|\|\||!=|==|>=|<=|[<>=!&|]|(?:\[[^\]\s]*\]|[^\s()<>=!&|])+)/gy;
  let m: RegExpExecArray | null;
  let at = 0;
  while (at < text.length && (m = re.exec(text))) {
    out.push(m[1]!);
    at = re.lastIndex;
  }
  if (text.slice(at).trim()) throw new SyntaxError(`filter: cannot parse "${text.slice(at).trim()}"`);
  return out;
}

let services: Map<string, number> | undefined;

/** A service name's port from /etc/services (`dport = :ssh`), as ss resolves it. */
function servicePort(name: string): number | undefined {
  if (!services) {
    services = new Map();
    try {
      for (const line of readFileSync('/etc/services', 'utf8').split('\n')) {
        const m = /^([^#\s]+)\s+(\d+)\/(tcp|udp)(.*)$/.exec(line);
        if (!m) continue;
        for (const n of [m[1]!, ...m[4]!.replace(/#.*/, '').trim().split(/\s+/).filter(Boolean)]) if (!services.has(n)) services.set(n, Number(m[2]));
      }
    } catch {
      // no /etc/services: numbers only
    }
  }
  return services.get(name);
}

function parsePort(v: string): number {
  const s = v.startsWith(':') ? v.slice(1) : v;
  if (/^\d+$/.test(s) && Number(s) <= 65535) return Number(s);
  const named = /^[A-Za-z][\w.+-]*$/.test(s) ? servicePort(s) : undefined;
  if (named === undefined) throw new SyntaxError(`filter: bad port "${v}"`);
  return named;
}

/** Parses `ADDR[/LEN][:PORT]`, `[V6ADDR][/LEN]:PORT`, `:PORT`, `*`, `*:PORT`. */
function parseHost(side: 'src' | 'dst', v: string): FilterExpr {
  let addr = v;
  let port = -1;
  const bracket = /^\[([^\]]*)\](?:\/(\d+))?(?::(\S+))?$/.exec(v);
  if (bracket) {
    addr = bracket[1]! + (bracket[2] !== undefined ? `/${bracket[2]}` : '');
    if (bracket[3] !== undefined && bracket[3] !== '*') port = parsePort(bracket[3]);
  } else {
    const colons = (v.match(/:/g) ?? []).length;
    if (colons === 1) {
      const i = v.indexOf(':');
      addr = v.slice(0, i);
      const p = v.slice(i + 1);
      if (p !== '*' && p !== '') port = parsePort(p);
    }
  }
  if (addr === '' || addr === '*') return { op: 'host', side, prefixlen: 0, port };
  const slash = addr.indexOf('/');
  const bytes = parseIp(slash < 0 ? addr : addr.slice(0, slash));
  const max = bytes.length * 8;
  const prefixlen = slash < 0 ? max : Number(addr.slice(slash + 1));
  if (!Number.isInteger(prefixlen) || prefixlen < 0 || prefixlen > max) throw new SyntaxError(`filter: bad prefix "${v}"`);
  return { op: 'host', side, family: bytes.length === 4 ? 'inet' : 'inet6', addr: bytes, prefixlen, port };
}

/** How parseFilter reads host conditions. */
export interface ParseFilterOptions {
  /**
   * Unix is the preferred family (ss -x, -f unix): `src`/`dst` values and `sport`/`dport` with
   * `=`/`!=` are socket name patterns. Otherwise only values written `unix:PATTERN` are.
   */
  unix?: boolean;
}

const unixPattern = (side: 'src' | 'dst', v: string): FilterExpr => ({ op: 'host', side, prefixlen: 0, port: -1, pattern: v.startsWith('unix:') ? v.slice(5) : v });

/** Parses an ss filter expression (an empty one is undefined: everything matches). */
export function parseFilter(text: string | readonly string[], opts: ParseFilterOptions = {}): FilterExpr | undefined {
  const toks = tokenize(typeof text === 'string' ? text : text.join(' '));
  let i = 0;
  const peek = () => toks[i];
  const next = () => {
    const t = toks[i++];
    if (t === undefined) throw new SyntaxError('filter: unexpected end of expression');
    return t;
  };
  const orExpr = (): FilterExpr => {
    let l = andExpr();
    while (peek() === 'or' || peek() === '||' || peek() === '|') {
      i++;
      l = { op: 'or', left: l, right: andExpr() };
    }
    return l;
  };
  const andExpr = (): FilterExpr => {
    let l = unary();
    for (;;) {
      const t = peek();
      if (t === 'and' || t === '&&' || t === '&') {
        i++;
        l = { op: 'and', left: l, right: unary() };
      } else if (t !== undefined && t !== ')' && t !== 'or' && t !== '||' && t !== '|') {
        l = { op: 'and', left: l, right: unary() };
      } else return l;
    }
  };
  const unary = (): FilterExpr => {
    const t = next();
    if (t === 'not' || t === '!') return { op: 'not', expr: unary() };
    if (t === '(') {
      const e = orExpr();
      if (next() !== ')') throw new SyntaxError('filter: missing ")"');
      return e;
    }
    return cond(t);
  };
  const cond = (key: string): FilterExpr => {
    let cmp: PortOp = 'eq';
    const maybeOp = peek();
    if (maybeOp !== undefined && CMP[maybeOp] !== undefined) {
      cmp = CMP[maybeOp]!;
      i++;
    }
    switch (key) {
      case 'src': case 'dst': {
        const v = next();
        const e = opts.unix || v.startsWith('unix:') ? unixPattern(key, v) : parseHost(key, v);
        if (cmp === 'eq') return e;
        if (cmp === 'ne') return { op: 'not', expr: e };
        throw new SyntaxError(`filter: ${key} takes = or != only`);
      }
      case 'sport': case 'dport': {
        const side = key === 'sport' ? 'src' : 'dst';
        // ss reads `sport = X` as a host condition: for unix sockets, a name pattern. The other
        // comparisons stay numeric (a unix socket's "ports" are its and its peer's inodes).
        if (opts.unix && (cmp === 'eq' || cmp === 'ne')) {
          const e = unixPattern(side, next());
          return cmp === 'eq' ? e : { op: 'not', expr: e };
        }
        return { op: 'port', side, cmp, port: parsePort(next()) };
      }
      case 'dev': case 'ifindex': {
        const v = next();
        if (!/^\d+$/.test(v)) throw new SyntaxError(`filter: dev takes an interface index here ("${v}")`);
        const e: FilterExpr = { op: 'dev', ifindex: Number(v) };
        return cmp === 'ne' ? { op: 'not', expr: e } : e;
      }
      case 'fwmark': {
        const [m, k] = next().split('/');
        const e: FilterExpr = { op: 'mark', mark: Number(m) >>> 0, mask: k === undefined ? 0xffffffff : Number(k) >>> 0 };
        return cmp === 'ne' ? { op: 'not', expr: e } : e;
      }
      case 'autobound':
        return { op: 'autobound' };
      default:
        throw new SyntaxError(`filter: unknown term "${key}"`);
    }
  };
  if (toks.length === 0) return undefined;
  const e = orExpr();
  if (i < toks.length) throw new SyntaxError(`filter: unexpected "${toks[i]}"`);
  return e;
}

function prefixMatch(a: Uint8Array, b: Uint8Array, len: number): boolean {
  const whole = len >> 3;
  for (let i = 0; i < whole; i++) if (a[i] !== b[i]) return false;
  const rest = len & 7;
  if (rest === 0) return true;
  const mask = (0xff << (8 - rest)) & 0xff;
  return (a[whole]! & mask) === (b[whole]! & mask);
}

/** The IPv4 address inside an IPv4-mapped IPv6 one (::ffff:a.b.c.d), else undefined. */
function unmapped(b: Uint8Array): Uint8Array | undefined {
  if (b.length !== 16) return undefined;
  for (let i = 0; i < 10; i++) if (b[i] !== 0) return undefined;
  return b[10] === 0xff && b[11] === 0xff ? b.subarray(12) : undefined;
}

/**
 * fnmatch(3) without flags, as ss matches unix names: `*` and `?` match any character (`/`
 * too), `[…]` a set (`!` or `^` negates, `a-z` ranges), `\\` escapes the next character.
 */
export function fnmatch(pattern: string, text: string): boolean {
  const match = (p: number, t: number): boolean => {
    while (p < pattern.length) {
      const c = pattern[p]!;
      if (c === '*') {
        while (pattern[p] === '*') p++;
        if (p === pattern.length) return true;
        for (let k = t; k <= text.length; k++) if (match(p, k)) return true;
        return false;
      }
      if (t >= text.length) return false;
      if (c === '?') {
        p++;
        t++;
        continue;
      }
      if (c === '[') {
        const set = bracket(p);
        if (set) {
          if (!set.has(text[t]!)) return false;
          p = set.end;
          t++;
          continue;
        }
      }
      const lit = c === '\\' && p + 1 < pattern.length ? pattern[++p]! : c;
      if (lit !== text[t]) return false;
      p++;
      t++;
    }
    return t === text.length;
  };
  // A `[…]` set at p: its test and where the pattern goes on; undefined when it is not closed
  // (then `[` is a literal character).
  const bracket = (p: number): { has(ch: string): boolean; end: number } | undefined => {
    let i = p + 1;
    const negate = pattern[i] === '!' || pattern[i] === '^';
    if (negate) i++;
    const ranges: [string, string][] = [];
    let first = true;
    for (; i < pattern.length; i++) {
      let ch = pattern[i]!;
      if (ch === ']' && !first) {
        return { has: (x) => ranges.some(([lo, hi]) => x >= lo && x <= hi) !== negate, end: i + 1 };
      }
      first = false;
      if (ch === '\\' && i + 1 < pattern.length) ch = pattern[++i]!;
      if (pattern[i + 1] === '-' && pattern[i + 2] !== undefined && pattern[i + 2] !== ']') {
        ranges.push([ch, pattern[i + 2]!]);
        i += 2;
      } else ranges.push([ch, ch]);
    }
    return undefined;
  };
  return match(0, 0);
}

/** Evaluates a filter on a socket in user space (the same semantics as the kernel's bytecode). */
export function matchFilter(e: FilterExpr | undefined, s: FilterSubject): boolean {
  if (!e) return true;
  switch (e.op) {
    case 'and': return matchFilter(e.left, s) && matchFilter(e.right, s);
    case 'or': return matchFilter(e.left, s) || matchFilter(e.right, s);
    case 'not': return !matchFilter(e.expr, s);
    case 'port': {
      const p = e.side === 'src' ? s.sport : s.dport;
      switch (e.cmp) {
        case 'eq': return p === e.port;
        case 'ne': return p !== e.port;
        case 'gt': return p > e.port;
        case 'lt': return p < e.port;
        case 'ge': return p >= e.port;
        case 'le': return p <= e.port;
      }
      return false;
    }
    case 'host': {
      if (e.pattern !== undefined) return s.family === 'unix' && fnmatch(e.pattern, e.side === 'src' ? s.src : s.dst);
      // inet_diag_bc_run's order: port, then family (an IPv4 prefix also matches v4-mapped
      // IPv6 sockets), then the prefix.
      if (e.port !== -1 && (e.side === 'src' ? s.sport : s.dport) !== e.port) return false;
      if (!e.addr || !e.family) return true;
      if (s.family !== 'inet' && s.family !== 'inet6') return false;
      let a: Uint8Array = parseIp(e.side === 'src' ? s.src : s.dst);
      if (a.length !== e.addr.length) {
        const v4 = e.addr.length === 4 ? unmapped(a) : undefined;
        if (!v4) return false;
        a = v4;
      }
      return prefixMatch(a, e.addr, e.prefixlen);
    }
    case 'dev': return (s.if ?? 0) === e.ifindex;
    case 'mark': return ((s.mark ?? 0) & e.mask) === e.mark;
    case 'autobound': return false;
  }
}

/** A filter split for the kernel and user space. */
export interface CompiledFilter {
  /** The parsed expression. */
  expr: FilterExpr | undefined;
  /** inet_diag bytecode (INET_DIAG_REQ_BYTECODE) that selects exactly what the expression does, when the kernel can. */
  bytecode: Uint8Array | undefined;
  /** What to check in user space when the kernel cannot (undefined: nothing). */
  residual: ((s: FilterSubject) => boolean) | undefined;
}

/**
 * Compiles a filter expression: to bytecode when every term is one the kernel evaluates,
 * else the whole expression is evaluated in user space (the kernel dumps everything).
 */
export function compileFilter(input: string | FilterExpr | undefined): CompiledFilter {
  const expr = typeof input === 'string' ? parseFilter(input) : input;
  if (!expr) return { expr, bytecode: undefined, residual: undefined };
  const bytecode = compileBytecode(expr);
  return { expr, bytecode, residual: bytecode ? undefined : (s) => matchFilter(expr, s) };
}
