// What the commands mirroring iproute2 (ip, bridge, tc) share: how a batch file is split and
// run (iproute2's makeargs and do_batch), and how a failure is worded (lib/libnetlink.c): the
// kernel's extended-ACK text as `Error: <text>.`, else `RTNETLINK answers: <strerror>`. Each
// tool keeps its own exit statuses; these take them as arguments.
import { readFileSync } from 'node:fs';
import { NetlinkError, SocketError } from '../socket/index.js';
import { readStdin } from './stdio.js';
import { UsageError } from './usage.js';

/** The device a command named does not exist: `Cannot find device "X"`. */
export class NoDeviceError extends Error {
  constructor(readonly dev: string) {
    super(`Cannot find device "${dev}"`);
    this.name = 'NoDeviceError';
  }
}

/** A dump the kernel ended with an error: its reason, then `Dump terminated`. */
export class DumpTerminated extends Error {
  constructor(readonly reason: unknown) {
    super('Dump terminated', { cause: reason });
    this.name = 'DumpTerminated';
  }
}

/** The text iproute2 prints for a kernel refusal. */
export function refusalText(e: NetlinkError): string {
  const t = e.kernelMessage;
  return t ? `Error: ${t}${t.endsWith('.') ? '' : '.'}` : `RTNETLINK answers: ${e.detail}`;
}

/** A tool's exit status for each kind of failure. */
export interface FailureStatus {
  /** A usage error without a status of its own. */
  usage: number;
  /** The kernel refused, or the socket failed. */
  refused: number;
  /** A dump the kernel ended with an error. */
  dump: number;
  /** An unknown device. */
  noDevice: number;
  /** A namespace that cannot be opened. */
  netns: number;
}

/** Prints an expected failure as iproute2 does and returns the tool's status; anything else is a bug, rethrown. */
export function reportFailure(e: unknown, status: FailureStatus, write: (s: string) => void = (s) => process.stderr.write(s)): number {
  if (e instanceof UsageError) {
    write(`${e.message}\n${e.hint ? e.hint + '\n' : ''}`);
    return e.status ?? status.usage;
  }
  if (e instanceof DumpTerminated) {
    reportFailure(e.reason, status, write);
    write('Dump terminated\n');
    return status.dump;
  }
  if (e instanceof NoDeviceError) {
    write(`${e.message}\n`);
    return status.noDevice;
  }
  if (e instanceof Error && e.name === 'NetnsMissingError') {
    write(`${e.message}\n`);
    return status.netns;
  }
  if (e instanceof NetlinkError) {
    write(`${refusalText(e)}\n`);
    return status.refused;
  }
  if (e instanceof SocketError) {
    write(`Error: ${e.message}\n`);
    return status.refused;
  }
  throw e;
}

/** iproute2's makeargs: words split on blanks, '…' or "…" quoting, # to the end of the line a comment. */
export function splitBatchLine(line: string, hint?: string): string[] {
  const words: string[] = [];
  let i = 0;
  while (i < line.length) {
    const c = line[i]!;
    if (c === ' ' || c === '\t' || c === '\r') {
      i++;
      continue;
    }
    if (c === '#') break;
    if (c === '"' || c === "'") {
      const end = line.indexOf(c, i + 1);
      if (end < 0) throw new UsageError(`Unterminated quoted string in batch line: ${line}`, hint);
      words.push(line.slice(i + 1, end));
      i = end + 1;
      continue;
    }
    let j = i;
    while (j < line.length && !' \t\r#'.includes(line[j]!)) j++;
    words.push(line.slice(i, j));
    i = j;
  }
  return words;
}

/** A batch file's text: standard input for `-`. Throws the file system's error. */
export function readBatchText(file: string): string {
  return file === '-' ? readStdin() : readFileSync(file, 'utf8');
}

/** What one line of a batch did. */
export interface BatchLineResult {
  status: number;
  /** The tool would have exited here (its exit(-1)s): the batch ends with `status`, -force or not. */
  ends?: boolean;
}

/**
 * do_batch: runs each line of `text` (`file` names it in messages); a failed line prints
 * `Command failed FILE:LINE`, makes the status `failed`, and ends the batch unless `force`.
 */
export async function runBatchText(
  file: string, text: string, opts: { force: boolean; failed: number; hint?: string; err?: (s: string) => void },
  runLine: (words: string[]) => Promise<BatchLineResult>,
): Promise<number> {
  const err = opts.err ?? ((s: string) => process.stderr.write(s));
  let status = 0;
  const lines = text.split('\n');
  for (let n = 0; n < lines.length; n++) {
    const words = splitBatchLine(lines[n]!, opts.hint);
    if (words.length === 0) continue;
    const r = await runLine(words);
    if (r.ends) return r.status;
    if (r.status !== 0) {
      err(`Command failed ${file}:${n + 1}\n`);
      status = opts.failed;
      if (!opts.force) break;
    }
  }
  return status;
}
