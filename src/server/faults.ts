// Fault injection for the in-process bus: what a kernel cannot be made to do on demand.
import type { Credentials } from './credentials.js';

/** What happens to a datagram a fault rule selects. */
export type FaultAction =
  /** Lost without a trace, as if never sent. */
  | 'drop'
  /** Lost, and the receiver is told with ENOBUFS: the status the native socket reports on overrun. */
  | 'overrun'
  /** Delivered with the truncated flag and its real length, as recvmsg(MSG_TRUNC) reports. */
  | 'truncate'
  /** Delivered `ms` milliseconds late; later datagrams to the same port wait behind it. */
  | 'delay'
  /** Delivered as if sent from port `portid` instead of its real sender. */
  | 'spoof';

/** A fault rule: which datagrams, what happens, how many times. */
export interface Fault {
  /** What happens. */
  action: FaultAction;
  /** Only datagrams to this port id. */
  to?: number;
  /** Only datagrams from this port id (0 is the kernel-side server). */
  from?: number;
  /** Only unicast or only multicast datagrams. */
  kind?: 'unicast' | 'multicast';
  /** Only datagrams for which this returns true. */
  match?: (data: Uint8Array) => boolean;
  /** How many datagrams to affect (default 1; Infinity for all). */
  count?: number;
  /** For 'delay': the delay in milliseconds. */
  ms?: number;
  /** For 'spoof': the port id the datagram appears to come from. */
  portid?: number;
}

/** A datagram on its way to a port, as fault rules see it. */
export interface Delivery {
  to: number;
  from: number;
  group: number;
  data: Uint8Array;
  /** The sender's SCM_CREDENTIALS, as a receiver with SO_PASSCRED sees them. */
  creds?: Credentials;
}

/** An installed rule and how many datagrams it has affected so far. */
export class FaultRule {
  /** Datagrams affected so far. */
  hits = 0;
  constructor(readonly fault: Fault) {}

  /** True while the rule still has datagrams to affect. */
  get active(): boolean {
    return this.hits < (this.fault.count ?? 1);
  }

  /** True when the rule applies to `d` (and counts it). */
  take(d: Delivery): boolean {
    const f = this.fault;
    if (!this.active) return false;
    if (f.to !== undefined && f.to !== d.to) return false;
    if (f.from !== undefined && f.from !== d.from) return false;
    if (f.kind === 'unicast' && d.group !== 0) return false;
    if (f.kind === 'multicast' && d.group === 0) return false;
    if (f.match && !f.match(d.data)) return false;
    this.hits++;
    return true;
  }
}
