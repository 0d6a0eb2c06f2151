// What every command shares: injected output streams and the user-facing error type.

export interface CliIO {
  /** Text, or UTF-8 bytes (large outputs). */
  stdout: { write(s: string | Uint8Array): unknown };
  stderr: { write(s: string): unknown };
}

/** A user-facing error: printed as `Error: <message>` without a stack trace, exits with `exitCode`. */
export class UserError extends Error {
  constructor(
    message: string,
    readonly exitCode = 1,
    /** An outcome rather than a failure (diff --detailed-exitcode's 2): exit with the code, print nothing. */
    readonly silent = false,
  ) {
    super(message);
  }
}
