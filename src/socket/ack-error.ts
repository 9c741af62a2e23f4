// Turns a negative ACK into the NetlinkError a caller sees.
import { attributePathAt, NLMSG_HDRLEN, type Ack } from '../wire/index.js';
import { NetlinkError } from './netlink-error.js';

/**
 * The NetlinkError for a negative ACK to `request`: the offending attribute's offset resolved
 * to a path of attribute types when the family's fixed header size is known (>= 0).
 */
export function ackError(op: string, ack: Ack, request: Uint8Array, headerSize: number): NetlinkError {
  let path: number[] | undefined;
  if (ack.offset !== undefined && headerSize >= 0) {
    const start = NLMSG_HDRLEN + ((headerSize + 3) & ~3);
    path = attributePathAt(request, start, request.byteLength, ack.offset);
    if (path.length === 0) path = undefined;
  }
  return new NetlinkError(op, -ack.error, ack, request, path);
}
