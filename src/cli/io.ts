/**
 * File reading for CLI commands, with user-facing errors instead of Node's error codes.
 */
import { readFileSync, statSync } from 'node:fs';
import { CliInputError } from './errors.js';

/**
 * Reads a text file (`-` reads standard input). Missing files, directories and unreadable files
 * become {@link CliInputError}s; bytes that are not UTF-8 decode to U+FFFD, which the circuit
 * readers report as a binary file.
 */
export function readTextFile(path: string): string {
  let bytes: Buffer;
  try {
    if (path !== '-' && statSync(path).isDirectory()) throw new CliInputError(`cannot read '${path}': it is a directory, expected a circuit file`);
    bytes = readFileSync(path === '-' ? 0 : path);
  } catch (err) {
    if (err instanceof CliInputError) throw err;
    const code = (err as NodeJS.ErrnoException).code;
    const why =
      code === 'ENOENT' ? 'no such file' :
      code === 'EACCES' || code === 'EPERM' ? 'permission denied' :
      code === 'EISDIR' ? 'it is a directory, expected a circuit file' :
      (err as Error).message;
    throw new CliInputError(`cannot read '${path}': ${why}`);
  }
  return new TextDecoder('utf-8', { fatal: false, ignoreBOM: false }).decode(bytes);
}
