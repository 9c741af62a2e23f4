// What every flush function of nlkit/route shares: options that choose the victims of a dump
// (`where`) and hear about them (`onDelete`), and the pipelined delete that ignores what is
// already gone. `ip OBJECT flush` is these functions called round after round.
import type { FamilyOptions, NetlinkSocket } from '../socket/index.js';

/** Options of flushRoutes, flushAddresses, flushNeighbours, flushRules and flushNexthops. */
export interface FlushOptions<T> extends FamilyOptions {
  /** Deletes only the dumped objects this accepts; it replaces the function's default choice. */
  where?: (x: T) => boolean;
  /** Called with one round's victims before they are deleted (`ip -s -s … flush` lists them). */
  onDelete?: (victims: readonly T[]) => void;
}

/**
 * Sends one delete per victim, pipelined; refusals whose code is in `gone` (the object vanished
 * meanwhile) are not errors, any other is thrown. Resolves with the number acknowledged.
 */
export async function deleteAll<T>(
  sock: NetlinkSocket, victims: readonly T[], encode: (x: T) => Uint8Array, headerSize: number, gone: readonly string[],
): Promise<number> {
  if (victims.length === 0) return 0;
  const res = await sock.requestBatch(victims.map(encode), { headerSize });
  const real = res.errors.filter((e) => !gone.includes(e.error.code));
  if (real.length) throw real[0]!.error;
  return res.acked;
}

/** The victims of one round: `where` when given, else the function's own choice. */
export function chooseVictims<T>(list: readonly T[], opts: FlushOptions<T>, byDefault: (x: T) => boolean): T[] {
  const victims = list.filter(opts.where ?? byDefault);
  if (victims.length) opts.onDelete?.(victims);
  return victims;
}
