#!/usr/bin/env node
/**
 * The `taizhang` command: dispatches `taizhang <command> …` through the command table in
 * `./commands/index.ts`.
 *
 * Exit status: 0 success; 1 input errors (located syntax errors, bad usage, unreadable files,
 * requests too large for memory); 2 internal errors. User errors never print a stack trace;
 * internal errors print one only with `TAIZHANG_DEBUG=1`.
 */
// Node 20 has relaxed SIMD (FMA kernels) behind a V8 flag: set it before any kernel module compiles.
import '../backend/relaxed-simd.node.js';
import { readFileSync, realpathSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { commands } from './commands/index.js';
import type { Command } from './command.js';
import { CircuitSyntaxError, ResourceError } from '../formats/errors.js';
import { CliInputError } from './errors.js';
import { UnsupportedRequestError } from '../engine/types.js';

/** Where the CLI writes; tests may capture it. */
export interface CliIO {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
}

const defaultIO: CliIO = {
  stdout: (t) => process.stdout.write(t),
  stderr: (t) => process.stderr.write(t),
};

/** The package version, read from the nearest `package.json` named `taizhang` above this file. */
export function packageVersion(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 6; i++) {
    try {
      const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { name?: string; version?: string };
      if (pkg.name === 'taizhang' && pkg.version) return pkg.version;
    } catch {
      // not here; keep walking up
    }
    const up = dirname(dir);
    if (up === dir) break;
    dir = up;
  }
  return 'unknown';
}

function mainUsage(): string {
  const width = Math.max(4, ...commands.map((c) => c.name.length));
  const lines = commands.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`);
  return [
    'Usage: taizhang <command> [options]',
    '',
    'Commands:',
    ...(lines.length ? lines : ['  (none)']),
    '',
    'Options:',
    '  -h, --help     show this help (or `taizhang <command> --help`)',
    '  -V, --version  print the version',
    '',
    'Environment: TAIZHANG_DEBUG=1 prints stack traces of internal errors.',
    '',
  ].join('\n');
}

function findCommand(name: string): Command | undefined {
  return commands.find((c) => c.name === name);
}

/** True when `--help`/`-h` appears before a `--` terminator. */
function wantsHelp(argv: readonly string[]): boolean {
  for (const a of argv) {
    if (a === '--') return false;
    if (a === '--help' || a === '-h') return true;
  }
  return false;
}

/**
 * Runs the CLI with `argv` (the arguments after `taizhang`) and resolves to the exit status.
 * Never throws: every error is reported on `io.stderr`.
 */
export async function main(argv: readonly string[], io: CliIO = defaultIO): Promise<number> {
  try {
    const [first, ...rest] = argv;
    if (first === undefined || first === '--help' || first === '-h') {
      (first === undefined ? io.stderr : io.stdout)(mainUsage());
      return first === undefined ? 1 : 0;
    }
    if (first === '--version' || first === '-V') {
      io.stdout(`${packageVersion()}\n`);
      return 0;
    }
    if (first === 'help') {
      const cmd = rest[0] === undefined ? undefined : findCommand(rest[0]);
      if (rest[0] !== undefined && !cmd) throw new CliInputError(`unknown command '${rest[0]}' (known: ${commands.map((c) => c.name).join(', ')})`);
      io.stdout(cmd ? ensureNewline(cmd.usage) : mainUsage());
      return 0;
    }
    const cmd = findCommand(first);
    if (!cmd) {
      const known = commands.map((c) => c.name).join(', ') || 'none';
      throw new CliInputError(`unknown command '${first}' (known: ${known}; see taizhang --help)`);
    }
    if (wantsHelp(rest)) {
      io.stdout(ensureNewline(cmd.usage));
      return 0;
    }
    return await cmd.run(rest);
  } catch (err) {
    return report(err, io);
  }
}

function ensureNewline(s: string): string {
  return s.endsWith('\n') ? s : `${s}\n`;
}

/** Prints an error the way the CLI promises and returns the exit status. */
export function report(err: unknown, io: CliIO = defaultIO): number {
  if (err instanceof CircuitSyntaxError) {
    io.stderr(`${err.format()}\n`);
    return 1;
  }
  if (err instanceof ResourceError || err instanceof UnsupportedRequestError || err instanceof CliInputError) {
    io.stderr(`taizhang: error: ${err.message}\n`);
    return 1;
  }
  const message = err instanceof Error ? err.message : String(err);
  io.stderr(`taizhang: error: ${message}\n`);
  if (process.env.TAIZHANG_DEBUG === '1' && err instanceof Error && err.stack) io.stderr(`${err.stack}\n`);
  return 2;
}

/** True when this module is the process entry point (also through an npm bin symlink). */
function isEntryPoint(): boolean {
  const entry = process.argv[1];
  if (!entry) return false;
  try {
    return pathToFileURL(realpathSync(entry)).href === pathToFileURL(realpathSync(fileURLToPath(import.meta.url))).href;
  } catch {
    return false;
  }
}

if (isEntryPoint()) {
  // `taizhang run … | head` closes the pipe early: stop quietly instead of crashing.
  process.stdout.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw err;
  });
  main(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (err: unknown) => {
      process.exitCode = report(err);
    },
  );
}
