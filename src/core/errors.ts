// Errors a person should see as one clear line, with an exit code for the CLI.

export type ErrorKind = 'usage' | 'source' | 'output' | 'cancelled' | 'internal';

/** Exit codes, documented in the README. */
export const EXIT_CODES: Record<ErrorKind | 'ok', number> = {
  ok: 0,
  internal: 1,
  usage: 2,
  source: 3,
  output: 4,
  cancelled: 130,
};

/** An error with a message written for the person running the program. */
export class UserError extends Error {
  readonly kind: ErrorKind;
  constructor(kind: ErrorKind, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.kind = kind;
    this.name = 'UserError';
  }
}

export function isUserError(e: unknown): e is UserError {
  return e instanceof UserError;
}
