// The exit codes a script can rely on (documented in the README's "Command line" section).
export const exitCodes = {
  ok: 0,
  /** The API answered with an error (its message goes to stderr), or could not be reached. */
  api: 1,
  /** The command line itself is wrong: unknown command or option, missing argument. */
  usage: 2,
  /** No token, a token the API refuses (401), or a caller not allowed to do this (403). */
  auth: 3,
  /** What was named does not exist, or is not visible to the caller (404). */
  notFound: 4,
  /** What the command waited for ended badly: a build FAILED or CANCELLED, a shell session cut. */
  failed: 5,
} as const;

export type ExitCode = (typeof exitCodes)[keyof typeof exitCodes];

/** A failure the command reports with one line on stderr and its exit code. */
export class CliError extends Error {
  constructor(
    readonly exitCode: ExitCode,
    message: string,
  ) {
    super(message);
  }
}

/** The exit code an HTTP error status stands for. */
export function exitCodeOfStatus(status: number): ExitCode {
  if (status === 401 || status === 403) return exitCodes.auth;
  if (status === 404) return exitCodes.notFound;
  return exitCodes.api;
}

/** Ends the command with a code that is not Gantry's own (the remote shell's), saying nothing. */
export class ExitQuietly extends Error {
  constructor(readonly exitCode: number) {
    super(`exit ${exitCode}`);
  }
}
