/**
 * A small typed flag parser shared by every CLI command.
 *
 * Accepts `--flag value`, `--flag=value`, boolean `--flag` (and `--no-flag`), repeated flags
 * (collected into arrays), short aliases (`-h`), and `--` to end flags. Unknown flags, missing
 * values and malformed numbers throw {@link UsageError} with a message naming the flag.
 */

import { CliInputError } from './errors.js';

/** Wrong command-line usage: the CLI prints the message (and a hint to `--help`) and exits 1. */
export class UsageError extends CliInputError {
  override readonly name: string = 'UsageError';
}

/** The kind of value a flag takes. */
export type FlagType = 'boolean' | 'string' | 'number' | 'integer';

/** Declaration of one flag. */
export interface FlagSpec {
  readonly type: FlagType;
  /** Collect every occurrence into an array instead of keeping the last one. */
  readonly repeated?: boolean;
  /** One-letter alias, without the dash (`'h'` for `-h`). */
  readonly short?: string;
  /** Allowed values for string flags. */
  readonly choices?: readonly string[];
  /** Smallest allowed value for number/integer flags. */
  readonly min?: number;
  /** Largest allowed value for number/integer flags. */
  readonly max?: number;
  /** One line for the usage text. */
  readonly description?: string;
  /** Placeholder for the value in usage text (`N`, `FILE` …). */
  readonly valueName?: string;
}

/**
 * Most threads (or concurrent batches) a command starts: each is a worker with its own V8 heap,
 * and far more than the cores only slows a run down (`--threads 1111` spent a minute starting workers).
 */
export const MAX_THREADS = 256;

/** A table of flags by long name (without the leading `--`). */
export type FlagTable = Readonly<Record<string, FlagSpec>>;

type ValueOf<S extends FlagSpec> = S['type'] extends 'boolean' ? boolean : S['type'] extends 'string' ? string : number;

/** The parsed flags: every declared flag is optional; repeated flags are arrays. */
export type ParsedFlags<T extends FlagTable> = {
  -readonly [K in keyof T]?: T[K] extends { readonly repeated: true } ? ValueOf<T[K]>[] : ValueOf<T[K]>;
};

/** Result of {@link parseArgs}. */
export interface ParsedArgs<T extends FlagTable> {
  readonly flags: ParsedFlags<T>;
  /** Non-flag arguments, in order. */
  readonly positionals: string[];
}

/**
 * Parses `argv` (the arguments after the command name) against a flag table.
 * @throws UsageError on unknown flags, missing or malformed values
 */
export function parseArgs<T extends FlagTable>(argv: readonly string[], table: T): ParsedArgs<T> {
  const flags: Record<string, unknown> = {};
  const positionals: string[] = [];
  const shorts = new Map<string, string>();
  for (const [name, spec] of Object.entries(table)) if (spec.short) shorts.set(spec.short, name);

  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--') {
      positionals.push(...argv.slice(i + 1));
      break;
    }
    let name: string;
    let inline: string | undefined;
    if (arg.startsWith('--')) {
      const eq = arg.indexOf('=');
      name = eq >= 0 ? arg.slice(2, eq) : arg.slice(2);
      inline = eq >= 0 ? arg.slice(eq + 1) : undefined;
    } else if (arg.length > 1 && arg.startsWith('-') && !/^-[0-9.]/.test(arg)) {
      const long = shorts.get(arg.slice(1));
      if (!long) throw new UsageError(`unknown option '${arg}'`);
      name = long;
    } else {
      positionals.push(arg);
      continue;
    }
    let spec = table[name];
    let negated = false;
    if (!spec && name.startsWith('no-') && table[name.slice(3)]?.type === 'boolean') {
      name = name.slice(3);
      spec = table[name];
      negated = true;
    }
    if (!spec) {
      const known = Object.keys(table).map((k) => `--${k}`).join(', ');
      throw new UsageError(`unknown option '--${name}'${known ? ` (known: ${known})` : ''}`);
    }
    let value: unknown;
    if (spec.type === 'boolean') {
      if (inline === undefined) value = !negated;
      else if (negated) throw new UsageError(`option '--no-${name}' takes no value`);
      else if (inline === 'true' || inline === '1') value = true;
      else if (inline === 'false' || inline === '0') value = false;
      else throw new UsageError(`option '--${name}' expects true or false, found '${inline}'`);
    } else {
      let raw = inline;
      if (raw === undefined) {
        if (i + 1 >= argv.length) throw new UsageError(`option '--${name}' expects a value${spec.valueName ? ` (${spec.valueName})` : ''}`);
        raw = argv[++i];
      }
      value = convert(name, spec, raw);
    }
    if (spec.repeated) ((flags[name] ??= []) as unknown[]).push(value);
    else flags[name] = value;
  }
  return { flags: flags as ParsedFlags<T>, positionals };
}

function convert(name: string, spec: FlagSpec, raw: string): string | number {
  if (spec.type === 'string') {
    if (spec.choices && !spec.choices.includes(raw))
      throw new UsageError(`option '--${name}' expects one of ${spec.choices.join(', ')}, found '${raw}'`);
    return raw;
  }
  const text = raw.trim();
  const n = text === '' ? NaN : Number(text);
  if (!Number.isFinite(n)) throw new UsageError(`option '--${name}' expects a number, found '${raw}'`);
  if (spec.type === 'integer' && !Number.isSafeInteger(n))
    throw new UsageError(`option '--${name}' expects an integer, found '${raw}'`);
  if (spec.min !== undefined && n < spec.min) throw new UsageError(`option '--${name}' must be at least ${spec.min}, found '${raw}'`);
  if (spec.max !== undefined && n > spec.max) throw new UsageError(`option '--${name}' must be at most ${spec.max}, found '${raw}'`);
  return n;
}

/** Usage lines for a flag table, aligned, for a command's `--help` text. */
export function formatFlags(table: FlagTable): string {
  const rows = Object.entries(table).map(([name, spec]) => {
    const value = spec.type === 'boolean' ? '' : ` ${spec.valueName ?? (spec.choices ? spec.choices.join('|') : spec.type === 'string' ? 'VALUE' : 'N')}`;
    const left = `${spec.short ? `-${spec.short}, ` : ''}--${name}${value}`;
    return [left, `${spec.description ?? ''}${spec.repeated ? ' (repeatable)' : ''}`] as const;
  });
  const width = Math.max(0, ...rows.map(([l]) => l.length));
  return rows.map(([l, r]) => `  ${l.padEnd(width)}  ${r}`.trimEnd()).join('\n');
}
