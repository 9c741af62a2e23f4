// One printing path for text and JSON, in the manner of iproute2: every field is emitted once,
// with its JSON key and value and its text form, so the two outputs keep the same order.
//
// JSON follows iproute2's writer byte for byte: `[{…},{…}]` on one line, or with -p
//
//   [ {
//           "ifindex": 1,
//           "flags": [ "UP","LOWER_UP" ],
//           "linkinfo": {
//               "info_kind": "veth"
//           }
//       } ]
//
// (four spaces a level, a space inside non-empty brackets, `[ ]` for an empty array).
// Output is streamed: text accumulates in a string that is written to stdout every 64 KiB, and
// `drain()` waits for the pipe when it is full, so a 100,000-route dump never sits in memory.

import { hasEscapedBytes } from '../../wire/text.js';

/** A JSON number written as is (iproute2 prints some floats with a fixed precision, e.g. 9.40). */
export class RawJson {
  constructor(readonly text: string) {}
}

/** A value a field can carry in JSON. */
export type JsonValue = string | number | bigint | boolean | null | RawJson;

const FLUSH_AT = 64 * 1024;

/**
 * Quotes a string as iproute2's writer does (standard JSON escapes). A byte that is not UTF-8
 * (U+DC80..U+DCFF from decodeText) stays a raw character rather than a `\udcXX` escape, so the
 * output stream writes it as the byte itself, as `ip -j` prints such a name.
 */
export function jsonString(s: string): string {
  // Names and addresses are plain ASCII: a scan beats a regex in a short-lived process.
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x20 || c === 0x22 || c === 0x5c || c > 0x7e) {
      const q = JSON.stringify(s);
      return hasEscapedBytes(s) ? q.replace(ESCAPED_BYTE_JSON, (_m, bs: string, hex: string) => bs + String.fromCharCode(parseInt(hex, 16))) : q;
    }
  }
  return '"' + s + '"';
}

/** JSON.stringify's escape of a lone U+DC80..U+DCFF, not itself escaped (an even run of backslashes before it). */
const ESCAPED_BYTE_JSON = /(?<!\\)((?:\\\\)*)\\u(dc[89a-f][0-9a-f])/g;

const keyCache = new Map<string, string>();
const prettyKeyCache = new Map<string, string>();

function jsonScalar(v: JsonValue): string {
  switch (typeof v) {
    case 'string': return jsonString(v);
    case 'number': return Number.isFinite(v) ? String(v) : 'null';
    case 'bigint': return v.toString();
    case 'boolean': return v ? 'true' : 'false';
    default: return v === null ? 'null' : v.text;
  }
}

/** Where output goes: stdout by default; tests pass a collector. */
export interface Sink {
  write(chunk: string): boolean;
  once?(event: 'drain', cb: () => void): unknown;
}

/** Options of an Output. */
export interface OutputOptions {
  json?: boolean;
  pretty?: boolean;
  /** -o: text records on one line, line breaks inside a record become `\`. */
  oneline?: boolean;
  /** ip -c: wrap names, addresses and states in ip's colours (text only). */
  color?: boolean;
  sink?: Sink;
}

/** ip's colour classes (enum color_attr), in its palette order. */
export const Color = { IFNAME: 0, MAC: 1, INET: 2, INET6: 3, UP: 4, DOWN: 5 } as const;
/** One of the colour classes. */
export type Color = (typeof Color)[keyof typeof Color];

const LIGHT = ['\x1b[36m', '\x1b[33m', '\x1b[35m', '\x1b[34m', '\x1b[32m', '\x1b[31m'];
const DARK = ['\x1b[1;36m', '\x1b[1;33m', '\x1b[1;35m', '\x1b[1;34m', '\x1b[1;32m', '\x1b[1;31m'];

/** ip's set_color_palette: COLORFGBG's last field 0-6 or 8 means a dark background (bold colours). */
function palette(): string[] {
  const p = process.env.COLORFGBG;
  const last = p === undefined || !p.includes(';') ? undefined : p.slice(p.lastIndexOf(';') + 1);
  return last !== undefined && /^[0-68]$/.test(last) ? DARK : LIGHT;
}

/**
 * Output writes one stream of records in text or JSON. Printers call the same methods in both
 * modes; the methods that do not apply to the current mode do nothing.
 */
export class Output {
  /** True in JSON mode. */
  readonly json: boolean;
  readonly pretty: boolean;
  /** The text line separator inside one record: "\n", or "\\" with -o. */
  readonly sl: string;
  private buf = '';
  private readonly sink: Sink;
  private depth = 0;
  /** iproute2's separator state: true once the current container has an element. */
  private sep = false;
  private blocked: Promise<void> | null = null;
  private prefix: [string, JsonValue][] | null = null;
  private readonly colors: string[] | null;

  constructor(opts: OutputOptions = {}) {
    this.colors = opts.color && !opts.json ? palette() : null;
    this.json = opts.json ?? false;
    this.pretty = this.json && (opts.pretty ?? false);
    this.sl = opts.oneline ? '\\' : '\n';
    this.sink = opts.sink ?? process.stdout;
  }

  // ---- text ----

  /** Text as ip's print_color_*() writes it: wrapped in the class's colour with -c, else as is. */
  color(c: Color, text: string): string {
    return this.colors ? `${this.colors[c]}${text}\x1b[0m` : text;
  }

  /** The colour of an address family's addresses (ifa_family_color). */
  static familyColor(family: string | number | undefined): Color | undefined {
    return family === 'inet' || family === 2 ? Color.INET : family === 'inet6' || family === 10 ? Color.INET6 : undefined;
  }

  /** Like color(), for an address of `family` (other families stay plain). */
  addrColor(family: string | number | undefined, text: string): string {
    const c = Output.familyColor(family);
    return c === undefined ? text : this.color(c, text);
  }

  /** Text only: appends `s`. */
  fp(s: string): void {
    if (!this.json) this.put(s);
  }

  /** Text only: a line break inside a record ("\n", or "\" with -o). */
  nl(): void {
    if (!this.json) this.put(this.sl);
  }

  // ---- both ----

  /**
   * A field: `key: value` in JSON, `text` in text mode (nothing when text is undefined).
   * Pass a ready string for text; formatting it is cheap next to the syscalls.
   */
  field(key: string, value: JsonValue, text?: string): void {
    if (this.json) {
      this.name(key);
      this.put(jsonScalar(value));
      this.sep = true;
    } else if (text !== undefined) {
      this.put(text);
    }
  }

  /** JSON only: a field. */
  jfield(key: string, value: JsonValue): void {
    if (this.json) {
      this.name(key);
      this.put(jsonScalar(value));
      this.sep = true;
    }
  }

  /** An array element: `value` in JSON, `text` in text mode. */
  item(value: JsonValue, text?: string): void {
    if (this.json) {
      if (this.sep) this.put(',');
      this.put(jsonScalar(value));
      this.sep = true;
    } else if (text !== undefined) {
      this.put(text);
    }
  }

  /** JSON only: opens an object, as a field when `key` is given, else as an array element. */
  openObject(key?: string): void {
    if (!this.json) return;
    if (key !== undefined) this.name(key);
    else if (this.sep) this.put(',');
    this.put('{');
    this.depth++;
    this.sep = false;
    if (this.prefix && this.depth === 1) {
      const p = this.prefix;
      this.prefix = null;
      for (const [k, v] of p) this.jfield(k, v);
    }
  }

  /** JSON only: fields the next top-level object starts with (NDJSON records: "object", "timestamp"). */
  setRecordPrefix(fields: [string, JsonValue][]): void {
    this.prefix = fields;
  }

  /** JSON only: ends one NDJSON record: a newline, and the next object starts a new line. */
  endRecord(): void {
    if (!this.json) return;
    this.put('\n');
    this.sep = false;
  }

  /** JSON only: closes an object. */
  closeObject(): void {
    if (!this.json) return;
    this.depth--;
    if (this.sep) this.eol();
    this.put('}');
    this.sep = true;
  }

  /** JSON only: opens an array, as a field when `key` is given. */
  openArray(key?: string): void {
    if (!this.json) return;
    if (key !== undefined) this.name(key);
    else if (this.sep) this.put(',');
    this.put(this.pretty ? '[ ' : '[');
    this.depth++;
    this.sep = false;
  }

  /** JSON only: closes an array. */
  closeArray(): void {
    if (!this.json) return;
    if (this.pretty && this.sep) this.put(' ');
    this.depth--;
    this.put(']');
    this.sep = true;
  }

  /** Starts the output: `[` of the top-level array in JSON. */
  begin(): void {
    this.openArray();
  }

  /** Ends the output: `]` and a newline in JSON; flushes. */
  async end(): Promise<void> {
    if (this.json) {
      this.closeArray();
      this.put('\n');
    }
    await this.flush();
  }

  /** Writes what is buffered and waits until the sink takes more. */
  async flush(): Promise<void> {
    if (this.buf) {
      const s = this.buf;
      this.buf = '';
      this.write(s);
    }
    if (this.blocked) await this.blocked;
  }

  /** Call between records of a long stream: writes a full buffer and waits when the pipe is full. */
  drain(): Promise<void> | undefined {
    if (this.buf.length >= FLUSH_AT) {
      const s = this.buf;
      this.buf = '';
      this.write(s);
    }
    return this.blocked ?? undefined;
  }

  /** Flushes now (monitor: one event is visible as soon as it is printed). */
  flushNow(): void {
    if (this.buf) {
      const s = this.buf;
      this.buf = '';
      this.write(s);
    }
  }

  private write(s: string): void {
    if (!this.sink.write(s) && this.sink.once && !this.blocked) {
      this.blocked = new Promise((resolve) => {
        this.sink.once!('drain', () => {
          this.blocked = null;
          resolve();
        });
      });
    }
  }

  private put(s: string): void {
    this.buf += s;
  }

  private name(key: string): void {
    if (this.sep) this.put(',');
    this.eol();
    const cache = this.pretty ? prettyKeyCache : keyCache;
    let k = cache.get(key);
    if (k === undefined) {
      k = this.pretty ? `${jsonString(key)}: ` : `${jsonString(key)}:`;
      cache.set(key, k);
    }
    this.put(k);
  }

  private eol(): void {
    if (this.pretty) this.put('\n' + '    '.repeat(this.depth));
  }
}

/** A Sink that keeps what is written (tests, or JSON built for one line of NDJSON). */
export class StringSink implements Sink {
  text = '';
  write(chunk: string): boolean {
    this.text += chunk;
    return true;
  }
}
