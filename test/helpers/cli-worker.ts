// The tests' in-process CLI: a worker thread that loads the CLI bundle once and runs command
// lines one after another with runCli, each with its own stdout, stderr and stdin. Starting a
// process per command line cost ~0.2 s of CPU each (Node's start and the bundle's compile), most
// of the suite's time. See cli.ts for when a test still gets a real process.
import { parentPort, type MessagePort } from 'node:worker_threads';

/** One command line to run. */
export interface Job {
  args: string[];
  input?: string;
  /** Where the result goes (a port the asking thread can read synchronously). */
  port: MessagePort;
  /** Set to 1, then notified, when the result has been posted. */
  done: Int32Array;
}

/** What one command line did. */
export interface JobResult {
  status: number;
  stdout: Uint8Array;
  stderr: Uint8Array;
}

const CLI_RUN = new URL('../../bundle/cli-run.js', import.meta.url).href;

type Write = (chunk: unknown, encoding?: unknown, cb?: unknown) => boolean;
const out: Buffer[] = [];
const err: Buffer[] = [];
function capture(stream: NodeJS.WriteStream, into: Buffer[]): void {
  stream.write = ((chunk: unknown, encoding?: unknown, cb?: unknown) => {
    into.push(typeof chunk === 'string' ? Buffer.from(chunk, typeof encoding === 'string' ? (encoding as BufferEncoding) : 'utf8') : Buffer.from(chunk as Uint8Array));
    const done = typeof encoding === 'function' ? encoding : cb;
    if (typeof done === 'function') queueMicrotask(() => (done as () => void)());
    return true;
  }) as Write as NodeJS.WriteStream['write'];
}
capture(process.stdout, out);
capture(process.stderr, err);

const { runCli, writeRawBytes } = (await import(CLI_RUN)) as typeof import('../../src/cli/run.js');
writeRawBytes(process.stdout);
writeRawBytes(process.stderr);

// An exception thrown outside the command's promise ends a real nlkit process with status 1
// and the stack on stderr; here it ends the job that is running the same way.
let crashed: ((e: unknown) => void) | undefined;
process.on('uncaughtException', (e) => crashed?.(e));
process.on('unhandledRejection', (e) => crashed?.(e));

// Jobs run one at a time: the streams are the worker's own.
let queue = Promise.resolve();
parentPort!.on('message', (job: Job) => {
  queue = queue.then(async () => {
    out.length = 0;
    err.length = 0;
    const crash = new Promise<number>((resolve) => {
      crashed = (e) => {
        err.push(Buffer.from(`${(e as Error)?.stack ?? String(e)}\n`));
        resolve(1);
      };
    });
    const status = await Promise.race([runCli(job.args, { stdin: job.input ?? '' }), crash]);
    crashed = undefined;
    const result: JobResult = { status, stdout: Buffer.concat(out), stderr: Buffer.concat(err) };
    job.port.postMessage(result);
    job.port.close();
    Atomics.store(job.done, 0, 1);
    Atomics.notify(job.done, 0);
  });
});
