/** One CLI sub-command (`taizhang run`, `taizhang plan`, …). */
export interface Command {
  readonly name: string;
  /** One line for `taizhang --help`. */
  readonly summary: string;
  /** Full usage text for `taizhang <name> --help`. */
  readonly usage: string;
  /** Runs with the arguments after the command name; resolves to the process exit code. */
  run(argv: readonly string[]): Promise<number>;
}
