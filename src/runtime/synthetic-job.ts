/**
 * A synthetic sliced job: deterministic pseudo-random partials with a tunable cost per slice.
 * Used by tests and `bench:scaling` to exercise executors independently of the tensor engine;
 * its terms span many magnitudes, so any change in summation order changes the bits.
 */
import type { SliceJob } from './types.js';

/** Input of the `synthetic` job kind. */
export interface SyntheticJobInput {
  readonly slices: number;
  /** Complex entries per partial. */
  readonly entries: number;
  readonly seed: number;
  /** Inner-loop iterations per slice (cost knob); default 1000. */
  readonly work?: number;
}

/** One slice's contribution (deterministic in seed, slice, work). */
export function syntheticSlice(input: SyntheticJobInput, slice: number): Float64Array {
  const out = new Float64Array(2 * input.entries);
  let x = (input.seed ^ Math.imul(slice + 1, 0x9e3779b1)) >>> 0;
  const work = input.work ?? 1000;
  let burn = 0;
  for (let i = 0; i < out.length; i++) {
    x = (Math.imul(x ^ (x >>> 15), 0x2c1b3c6d) + 0x297a2d39) >>> 0;
    // Magnitudes from 2^-20 to 2^20 so order-dependent rounding is visible.
    const mag = Math.pow(2, (x % 41) - 20);
    out[i] = ((x & 1) === 0 ? 1 : -1) * mag * (1 + (x >>> 8) / 2 ** 24);
  }
  // Burn CPU proportionally to `work` without changing the value.
  for (let k = 0; k < work * out.length; k++) burn = (burn + Math.sqrt(k + slice)) % 1024;
  if (burn < 0) out[0] = NaN; // never true; keeps the loop from being optimised away
  return out;
}

/** Builds a synthetic job. */
export function createSyntheticJob(raw: unknown): SliceJob {
  const input = raw as SyntheticJobInput;
  if (!input || !Number.isInteger(input.slices) || input.slices < 1 || !Number.isInteger(input.entries) || input.entries < 1) {
    throw new TypeError('synthetic job needs integer slices ≥ 1 and entries ≥ 1');
  }
  return {
    totalSlices: input.slices,
    outputLength: 2 * input.entries,
    fingerprint: `synthetic:${input.seed}:${input.slices}:${input.entries}`,
    flopsPerSlice: 2 * input.entries * (input.work ?? 1000),
    contract(start: number, end: number): Float64Array {
      const acc = new Float64Array(2 * input.entries);
      for (let s = start; s < end; s++) {
        const p = syntheticSlice(input, s);
        for (let i = 0; i < acc.length; i++) acc[i] += p[i];
      }
      return acc;
    },
  };
}
