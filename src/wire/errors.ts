/** WireError says what is wrong with malformed bytes and where. It is returned, not thrown, by readers. */
export class WireError extends Error {
  /** Byte offset in the buffer where the problem was found. */
  readonly offset: number;
  constructor(message: string, offset: number) {
    super(`${message} at offset ${offset}`);
    this.name = 'WireError';
    this.offset = offset;
  }
}
