/** The exit codes every command returns (README, "Exit codes"). */
export const EXIT = {
  ok: 0,
  /** Policy violations (the `check` command). */
  violations: 1,
  /** Bad usage or configuration: nothing was scanned. */
  usage: 2,
  /** Runtime failure, or problems under `--strict`. */
  failure: 3,
} as const;

export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

/** An error whose message is the whole story for the user, with the exit code it maps to. */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode: ExitCode,
  ) {
    super(message);
  }
}
