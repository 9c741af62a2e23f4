import { fs } from '../builtins.js';

/** LINKTYPE_NETLINK, the pcap link type for Netlink with the 16-byte cooked header. */
export const LINKTYPE_NETLINK = 253;
/** ARPHRD_NETLINK from <linux/if_arp.h>. */
export const ARPHRD_NETLINK = 824;
const PACKET_HOST = 0;
const PACKET_OUTGOING = 4;

/**
 * PcapWriter records Netlink datagrams in a pcap file that tshark/Wireshark decode.
 * Each frame is a cooked header followed by the datagram:
 *
 *   0        2        4        6                14       16
 *   +--------+--------+--------+----------------+--------+----------
 *   |pkttype |ARPHRD  |addrlen | address (8)    |protocol| netlink messages…
 *   +--------+--------+--------+----------------+--------+----------
 *   all fields big-endian; ARPHRD = 824, protocol = netlink protocol number
 */
export class PcapWriter {
  private fd: number;
  private readonly protocol: number;

  /**
   * Opens `path` for a new capture, or with `append` adds to it (the header is written only
   * to an empty file), so that several sockets can record into one file.
   */
  constructor(path: string, protocol: number, append = false) {
    this.protocol = protocol;
    this.fd = fs.openSync(path, append ? 'a' : 'w');
    if (append && fs.fstatSync(this.fd).size > 0) return;
    const h = Buffer.alloc(24);
    h.writeUInt32LE(0xa1b2c3d4, 0);
    h.writeUInt16LE(2, 4);
    h.writeUInt16LE(4, 6);
    h.writeInt32LE(0, 8);
    h.writeUInt32LE(0, 12);
    h.writeUInt32LE(262144, 16);
    h.writeUInt32LE(LINKTYPE_NETLINK, 20);
    fs.writeSync(this.fd, h);
  }

  /** Records one datagram; `outgoing` marks what this socket sent. */
  write(data: Uint8Array, outgoing: boolean): void {
    if (this.fd < 0) return;
    const now = Date.now();
    const rec = Buffer.alloc(16 + 16);
    rec.writeUInt32LE(Math.floor(now / 1000), 0);
    rec.writeUInt32LE((now % 1000) * 1000, 4);
    rec.writeUInt32LE(data.byteLength + 16, 8);
    rec.writeUInt32LE(data.byteLength + 16, 12);
    rec.writeUInt16BE(outgoing ? PACKET_OUTGOING : PACKET_HOST, 16);
    rec.writeUInt16BE(ARPHRD_NETLINK, 18);
    rec.writeUInt16BE(0, 20);
    rec.writeUInt16BE(this.protocol, 30);
    fs.writeSync(this.fd, rec);
    fs.writeSync(this.fd, data);
  }

  /** Closes the file. */
  close(): void {
    if (this.fd >= 0) fs.closeSync(this.fd);
    this.fd = -1;
  }
}
