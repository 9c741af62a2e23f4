// Placeholder until the object lands.
import { UsageError } from '../errors.js';
import type { IpContext } from './index.js';

/** Runs `ip monitor`. */
export async function run(_ctx: IpContext, _argv: string[]): Promise<number> {
  throw new UsageError('nlkit ip monitor: not implemented yet.');
}
