/**
 * File reading for CLI commands, with user-facing errors instead of Node's error codes.
 */
import { accessSync, constants, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { CliInputError } from './errors.js';
import type { Circuit } from '../circuit/circuit.js';

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

const writeWhy = (err: unknown): string => {
  const code = (err as NodeJS.ErrnoException).code;
  return code === 'ENOENT' ? 'no such directory' :
    code === 'EACCES' || code === 'EPERM' || code === 'EROFS' ? 'permission denied' :
    code === 'EISDIR' ? 'it is a directory' :
    code === 'ENOTDIR' ? 'a part of the path is not a directory' :
    code === 'ENOSPC' ? 'no space left on the device' :
    (err as Error).message;
};

/**
 * Checks, before any long computation, that `path` can be written: its directory exists and is
 * writable, and the path itself is not a directory. Throws a {@link CliInputError} saying why not,
 * so a search or a contraction never ends with nowhere to put its result.
 */
export function checkWritable(path: string): void {
  const dir = dirname(resolve(path));
  try {
    if (!statSync(dir).isDirectory()) throw Object.assign(new Error('not a directory'), { code: 'ENOTDIR' });
    accessSync(dir, constants.W_OK);
    if (statSync(path, { throwIfNoEntry: false })?.isDirectory()) throw Object.assign(new Error('is a directory'), { code: 'EISDIR' });
  } catch (err) {
    throw new CliInputError(`cannot write '${path}': ${writeWhy(err)}`);
  }
}

/** Writes a text file; failures become {@link CliInputError}s naming the path and the reason. */
export function writeTextFile(path: string, text: string): void {
  try {
    writeFileSync(path, text);
  } catch (err) {
    throw new CliInputError(`cannot write '${path}': ${writeWhy(err)}`);
  }
}

/** Refuses, as an input error, a circuit that tensor-network commands cannot take. */
export function requireUnitary(circuit: Circuit, file: string, command: string): void {
  if (!circuit.hasOnlyTerminalMeasurements())
    throw new CliInputError(
      `${file}: taizhang ${command} needs a unitary circuit (measurements only at the end), but this one has mid-circuit measurements, resets or classical conditions; taizhang run --method statevector simulates it`,
    );
}
