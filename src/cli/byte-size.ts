/**
 * Memory sizes on the command line: a number of bytes with an optional unit, binary (KiB, MiB,
 * GiB, TiB; K, M, G, T alone mean the same) or decimal (KB, MB, GB, TB), e.g. `1GiB`, `512M`,
 * `8e9`, `1.5 GB`.
 */
import { UsageError } from './args.js';

const UNITS: Record<string, number> = {
  '': 1, b: 1,
  k: 2 ** 10, kib: 2 ** 10, m: 2 ** 20, mib: 2 ** 20, g: 2 ** 30, gib: 2 ** 30, t: 2 ** 40, tib: 2 ** 40,
  kb: 1e3, mb: 1e6, gb: 1e9, tb: 1e12,
};

/** Bytes in `text`; a `UsageError` naming `flag` and what was expected if it is not a size. */
export function parseByteSize(text: string, flag: string): number {
  const m = /^\s*([0-9]+(?:\.[0-9]*)?(?:e[+-]?[0-9]+)?)\s*([a-z]*)\s*$/i.exec(text);
  const unit = m ? UNITS[m[2].toLowerCase()] : undefined;
  const bytes = m && unit !== undefined ? Math.floor(Number(m[1]) * unit) : NaN;
  if (!Number.isFinite(bytes) || bytes < 1)
    throw new UsageError(`${flag} '${text}': expected a positive number of bytes with an optional unit (KiB, MiB, GiB, TiB or KB, MB, GB, TB), e.g. 1GiB`);
  return bytes;
}
