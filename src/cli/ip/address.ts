// Placeholder until the object lands.
import { UsageError } from '../errors.js';
import type { IpContext } from './index.js';

/** Runs `ip address`. */
export async function run(_ctx: IpContext, _argv: string[]): Promise<number> {
  throw new UsageError('nlkit ip address: not implemented yet.');
}
