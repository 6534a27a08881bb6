/**
 * Errors the CLI reports as user mistakes: printed as `taizhang: error: MESSAGE` on stderr,
 * exit status 1, no stack trace.
 */
export class CliInputError extends Error {
  override readonly name: string = 'CliInputError';
}
