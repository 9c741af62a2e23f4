// The options every family function takes: where to run, on which socket, and how to stop.
/// <reference types="node" preserve="true" />
import type { NetlinkSocket } from './netlink-socket.js';
import type { NetnsSpec } from './netns.js';

/**
 * FamilyOptions are the options of every call of every family (route, genl, …): without
 * `socket` a socket is opened for the call (in `netns`) and closed when the call, or the
 * iteration of a dump, ends.
 */
export interface FamilyOptions {
  /** Network namespace to work in (a name under /run/netns, a path, a pid or an fd); ignored with `socket`. */
  netns?: NetnsSpec;
  /** An open socket of the family's protocol to use; it is left open. */
  socket?: NetlinkSocket;
  /** Aborts the request, dump or subscription. */
  signal?: AbortSignal;
  /** Milliseconds a request or dump may take before it fails with ETIMEDOUT (default: the socket's). */
  timeout?: number;
}
