// Usage errors and exit codes, apart from errors.ts so that `nlkit --help` loads no socket code.

/** UsageError is a mistake on the command line: exit 2 with a one-line hint. */
export class UsageError extends Error {
  /** The hint printed after the message, e.g. 'Try "nlkit ip help".'. */
  readonly hint: string | undefined;
  constructor(message: string, hint?: string) {
    super(message);
    this.name = 'UsageError';
    this.hint = hint;
  }
}

/** Exit codes shared by every subcommand. */
export const EXIT_OK = 0;
export const EXIT_REFUSED = 1;
export const EXIT_USAGE = 2;

