/**
 * Located input errors. Every reader reports `FILE:LINE:COL: error: MESSAGE`, where the message
 * says what was expected and what was found; the CLI prints `format()` and exits 1, no stack.
 */
export class CircuitSyntaxError extends Error {
  override readonly name = 'CircuitSyntaxError';
  constructor(
    /** What was wrong: "expected ';' after statement, found 'h'". */
    readonly detail: string,
    /** 1-based line. */
    readonly line: number,
    /** 1-based column. */
    readonly column: number,
    /** File name (or '<input>'). */
    readonly file = '<input>',
  ) {
    super(`${file}:${line}:${column}: error: ${detail}`);
  }

  /** The one-line compiler-style message. */
  format(): string {
    return this.message;
  }

  /** The same error attributed to another file name. */
  withFile(file: string): CircuitSyntaxError {
    return new CircuitSyntaxError(this.detail, this.line, this.column, file);
  }
}

/** A request that cannot be met (too large for memory, width over a limit); refused before allocating. */
export class ResourceError extends Error {
  override readonly name = 'ResourceError';
  constructor(
    message: string,
    /** Bytes the request would need, when known. */
    readonly bytesNeeded?: number,
  ) {
    super(message);
  }
}
