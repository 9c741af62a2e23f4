// Usage errors and exit codes, apart from errors.ts so that `nlkit --help` loads no socket code.

/** UsageError is a mistake on the command line: exit 2 (or `status`) with a one-line hint. */
export class UsageError extends Error {
  /** The hint printed after the message, e.g. 'Try "nlkit ip help".'. */
  readonly hint: string | undefined;
  /**
   * The exit status, where the tool nlkit mirrors has its own for this mistake (ip: 255 for
   * invarg/duparg/an incomplete line, 1 for the rest); undefined means the command's default.
   */
  readonly status: number | undefined;
  constructor(message: string, hint?: string, status?: number) {
    super(message);
    this.name = 'UsageError';
    this.hint = hint;
    this.status = status;
  }
}

/** Exit codes shared by every subcommand. */
export const EXIT_OK = 0;
export const EXIT_REFUSED = 1;
export const EXIT_USAGE = 2;

