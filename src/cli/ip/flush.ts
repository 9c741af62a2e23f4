// `ip OBJECT flush` for every object: the library's flush function called round after round
// (up to ip's 10) until a round finds nothing, with ip's -s reports and -s -s listings.
import type { FlushOptions } from '../../route/index.js';
import type { IpContext } from './index.js';
import type { Session } from './session.js';

/** How one object flushes: which dumped objects go, how one is listed, and the library call. */
export interface FlushSpec<T> {
  where: (x: T) => boolean;
  /** Prints one victim (ip -s -s). */
  print: (x: T) => void;
  /** The word ip uses in "deleting N …". */
  noun: string;
  /** One round: the library's flush function with these options. */
  call: (opts: FlushOptions<T>) => Promise<number>;
  /** After each round (neigh stops retrying FAILED entries). */
  afterRound?: () => void;
  /** ip route says "Nothing to flush." in text only; address and neigh under -j too. */
  summaryInJson?: boolean;
}

/** Runs the rounds and prints what ip prints with -s; returns exit status 0. */
export async function flushRounds<T>(ctx: IpContext, s: Session, spec: FlushSpec<T>): Promise<number> {
  let round = 0;
  while (round < 10) {
    let count = 0;
    await spec.call({
      socket: s.sock,
      where: spec.where,
      onDelete: (victims) => {
        count = victims.length;
        if (ctx.opts.stats > 1) for (const v of victims) spec.print(v);
      },
    });
    if (count === 0) break;
    round++;
    if (ctx.opts.stats) ctx.out.fp(`\n*** Round ${round}, deleting ${count} ${spec.noun} ***\n`);
    spec.afterRound?.();
  }
  if (ctx.opts.stats && (spec.summaryInJson || !ctx.out.json)) {
    ctx.out.fp(round === 0 ? 'Nothing to flush.\n' : `*** Flush is complete after ${round} round${round > 1 ? 's' : ''} ***\n`);
  }
  await ctx.out.flush();
  return 0;
}
