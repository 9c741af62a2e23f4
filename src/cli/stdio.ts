// The command line's bytes in and out. Interface names, labels and paths are bytes that need
// not be UTF-8 (the kernel never checks), and the library keeps them in strings with
// decodeText's surrogateescape (a byte that is not UTF-8 is U+DC00 + byte). The CLI takes its
// arguments and writes its output the same way, so `nlkit ip link del $'\xfe'` names exactly
// the link called \xfe, and `nlkit ip link show` prints that name as the byte `ip` prints.
import { readFileSync } from 'node:fs';
import { decodeText, encodeText, hasEscapedBytes } from '../wire/text.js';

/** Splits /proc/self/cmdline (each argument NUL-terminated) into the arguments' bytes. */
function splitCmdline(raw: Uint8Array): Uint8Array[] {
  const out: Uint8Array[] = [];
  let start = 0;
  for (let i = 0; i < raw.byteLength; i++) {
    if (raw[i] === 0) {
      out.push(raw.subarray(start, i));
      start = i + 1;
    }
  }
  return out;
}

/**
 * The user's arguments (process.argv after the script), byte for byte: decoded with decodeText
 * from /proc/self/cmdline, because Node replaces bytes that are not UTF-8 in process.argv with
 * U+FFFD, which loses them. Where /proc is not mounted, or the command line there does not
 * match what Node received (a process that rewrote its title), process.argv is used as is.
 */
export function commandLineArgs(argv: readonly string[] = process.argv): string[] {
  const user = argv.slice(2);
  let raw: Uint8Array;
  try {
    raw = readFileSync('/proc/self/cmdline');
  } catch {
    return user;
  }
  const parts = splitCmdline(raw);
  if (parts.length < user.length) return user;
  // Node's own arguments (the interpreter, its flags, the script) come first; the user's last.
  const tail = parts.slice(parts.length - user.length);
  const lossy = new TextDecoder();
  // Node decodes argv as TextDecoder does (invalid sequences -> U+FFFD): agreement proves the
  // bytes are the same arguments.
  for (let i = 0; i < user.length; i++) if (lossy.decode(tail[i]) !== user[i]) return user;
  return tail.map(decodeText);
}

let stdinText: (() => string) | undefined;

/** The standard input as text (`-batch -`): fd 0, or what runStdin() supplies. */
export function readStdin(): string {
  return stdinText ? stdinText() : readFileSync(0, 'utf8');
}

/**
 * Runs `fn` with `text` as its standard input: a program that runs command lines in its own
 * process (the tests' in-process CLI) has no fd 0 to give each of them.
 */
export async function withStdin<T>(text: string | undefined, fn: () => Promise<T>): Promise<T> {
  if (text === undefined) return fn();
  stdinText = () => text;
  try {
    return await fn();
  } finally {
    stdinText = undefined;
  }
}

type Write = NodeJS.WriteStream['write'];

/**
 * Makes `stream` write the strings it is given as their bytes: UTF-8, with each escaped byte
 * (U+DC80..U+DCFF from decodeText) written as the byte itself, as iproute2 prints a name that
 * is not UTF-8. Node would write a lone surrogate as U+FFFD. Strings without escapes are
 * written unchanged, so the common path costs one scan.
 */
export function writeRawBytes(stream: NodeJS.WriteStream): void {
  const write = stream.write as (...args: unknown[]) => boolean;
  stream.write = function (this: NodeJS.WriteStream, chunk: unknown, ...rest: unknown[]): boolean {
    if (typeof chunk === 'string' && hasEscapedBytes(chunk)) chunk = Buffer.from(encodeText(chunk));
    return write.call(this, chunk, ...rest);
  } as Write;
}

/**
 * Makes a write to a closed pipe end the process as it ends `ip`: killed by SIGPIPE, silently
 * (`nlkit ip -j route | head -c 10`). Node ignores SIGPIPE and reports EPIPE as an 'error' event
 * (unhandled: a stack trace, exit 1); removing the last SIGPIPE listener restores the default
 * action, and the signal sent to ourselves then ends the process with status 128 + 13.
 */
export function dieOfBrokenPipe(stream: NodeJS.WriteStream): void {
  stream.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code !== 'EPIPE') throw e;
    const restoreDefault = () => undefined;
    process.on('SIGPIPE', restoreDefault);
    process.off('SIGPIPE', restoreDefault);
    process.kill(process.pid, 'SIGPIPE');
  });
}
