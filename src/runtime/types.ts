/**
 * Slice runtime contracts (isomorphic): a sliced contraction is a sum of independent slices.
 * Every executor (thread pool, Redis cluster, static shards) groups slices into the same
 * batches and sums the batch partials in batch order, so all of them give identical bits.
 */
import type { ProgressEvent } from '../engine/types.js';
import { fnv1a } from '../contraction/plan.js';

/**
 * A serialisable description of a sliced job: what travels to worker threads, Redis workers and
 * shard files. `kind` names a registered job kind (see `jobs.ts`); `input` is plain JSON.
 */
export interface SliceJobSpec {
  readonly kind: string;
  readonly input: unknown;
}

/** A prepared job: knows how many slices it has and sums any contiguous range of them. */
export interface SliceJob {
  /** Number of slices (the full result is the sum over `[0, totalSlices)`). */
  readonly totalSlices: number;
  /** Length of one partial (Float64Array, interleaved complex). */
  readonly outputLength: number;
  /** Identity of the problem (e.g. the plan's network fingerprint); runs refuse mixed identities. */
  readonly fingerprint: string;
  /** Real floating-point operations per slice, when known (for GFLOP/s). */
  readonly flopsPerSlice?: number;
  /** Sum of slices `[start, end)`, interleaved complex128. */
  contract(start: number, end: number): Float64Array;
}

/** Builds a prepared job from a spec's `input` (may rebuild a network, check a plan …). */
export type SliceJobFactory = (input: unknown) => SliceJob;

/** Facts about a prepared job that callers need before dispatching batches. */
export interface SliceJobInfo {
  readonly totalSlices: number;
  readonly outputLength: number;
  readonly fingerprint: string;
  readonly flopsPerSlice?: number;
}

/** One batch: slices `[start, end)`, numbered `index` in the fixed reduction order. */
export interface SliceBatch {
  readonly index: number;
  readonly start: number;
  readonly end: number;
}

/** Result of a sliced run. */
export interface SliceRunResult {
  /** Sum over all slices, interleaved complex128. */
  readonly data: Float64Array;
  readonly totalSlices: number;
  readonly batches: number;
  readonly batchSize: number;
  readonly fingerprint: string;
  readonly elapsedSeconds: number;
}

/** Options common to every executor. */
export interface SliceRunOptions {
  /** Slices per batch; default {@link defaultBatchSize} (never depends on the thread count). */
  readonly batchSize?: number;
  /** Called after every finished batch. */
  readonly onProgress?: (event: ProgressEvent) => void;
}

/**
 * Default slices per batch: about 64 batches per run, so there are enough to balance load over
 * many workers while per-batch overhead (a message or a queue round trip) stays small. It
 * depends only on the slice count, which keeps results identical for any thread count.
 */
export function defaultBatchSize(totalSlices: number): number {
  return Math.max(1, Math.ceil(totalSlices / 64));
}

/** Splits `[0, totalSlices)` into consecutive batches of `batchSize` slices (the last may be shorter). */
export function makeBatches(totalSlices: number, batchSize: number): SliceBatch[] {
  if (!Number.isInteger(totalSlices) || totalSlices < 1) throw new RangeError(`totalSlices must be a positive integer, got ${totalSlices}`);
  if (!Number.isInteger(batchSize) || batchSize < 1) throw new RangeError(`batchSize must be a positive integer, got ${batchSize}`);
  const out: SliceBatch[] = [];
  for (let s = 0, b = 0; s < totalSlices; s += batchSize, b++) out.push({ index: b, start: s, end: Math.min(totalSlices, s + batchSize) });
  return out;
}

/**
 * Sums batch partials in batch order (`((p0 + p1) + p2) + …`, element-wise). Every executor
 * uses this one reduction, which is what makes results bit-for-bit reproducible.
 */
export function sumPartials(partials: readonly Float64Array[]): Float64Array {
  if (partials.length === 0) throw new RangeError('no partial sums to reduce');
  const acc = Float64Array.from(partials[0]);
  for (let b = 1; b < partials.length; b++) {
    const p = partials[b];
    if (p.length !== acc.length) throw new RangeError(`partial ${b} has length ${p.length}, expected ${acc.length}`);
    for (let i = 0; i < acc.length; i++) acc[i] += p[i];
  }
  return acc;
}

/** Exact text form of a Float64Array: hex of its IEEE-754 bytes, little-endian (isomorphic, bit-exact). */
export function encodeFloat64(data: Float64Array): string {
  const view = new DataView(new ArrayBuffer(8));
  let s = '';
  for (let i = 0; i < data.length; i++) {
    view.setFloat64(0, data[i], true);
    for (let k = 0; k < 8; k++) s += view.getUint8(k).toString(16).padStart(2, '0');
  }
  return s;
}

/** Inverse of {@link encodeFloat64}. */
export function decodeFloat64(hex: string): Float64Array {
  if (hex.length % 16 !== 0 || /[^0-9a-f]/i.test(hex)) throw new RangeError('not an encoded Float64Array (expected hex, 16 digits per number)');
  const out = new Float64Array(hex.length / 16);
  const view = new DataView(new ArrayBuffer(8));
  for (let i = 0; i < out.length; i++) {
    for (let k = 0; k < 8; k++) view.setUint8(k, parseInt(hex.substr(i * 16 + k * 2, 2), 16));
    out[i] = view.getFloat64(0, true);
  }
  return out;
}

/** Stable 64-bit hex hash of a string (not cryptographic; identifies runs and circuits). */
export function hashText(s: string): string {
  const a = fnv1a(s, 0x811c9dc5);
  const b = fnv1a(s, 0x9e3779b9 ^ a);
  return a.toString(16).padStart(8, '0') + b.toString(16).padStart(8, '0');
}

/**
 * Run id of a job: a hash of its fingerprint, its spec (circuit, bits, plan) and the batch
 * size, so the same work always gets the same id (a restarted client resumes it).
 */
export function runIdOf(spec: SliceJobSpec, fingerprint: string, batchSize: number): string {
  return `tz-${hashText(`${fingerprint}|${batchSize}|${spec.kind}|${JSON.stringify(spec.input)}`)}`;
}

/** Tracks progress and produces {@link ProgressEvent}s. */
export class ProgressTracker {
  private done = 0;
  private readonly t0: number;
  constructor(
    private readonly total: number,
    private readonly flopsPerSlice: number | undefined,
    private readonly now: () => number = () => Date.now(),
  ) {
    this.t0 = now();
  }
  /** Records `slices` more finished slices and returns the event to emit. */
  add(slices: number): ProgressEvent {
    this.done += slices;
    return this.event();
  }
  /** The current state. */
  event(): ProgressEvent {
    const elapsedSeconds = (this.now() - this.t0) / 1000;
    const base = { done: this.done, total: this.total, elapsedSeconds };
    if (this.flopsPerSlice === undefined || elapsedSeconds <= 0) return base;
    return { ...base, gflops: (this.done * this.flopsPerSlice) / elapsedSeconds / 1e9 };
  }
}
