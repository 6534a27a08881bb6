/**
 * Static sharding for job arrays (Slurm arrays, Kubernetes indexed jobs, GNU parallel): shard
 * I of N contracts a fixed, contiguous share of the batches and writes each batch's partial
 * exactly (hex of the float64 bytes); `reduceShards` checks that every shard of the same run is
 * present exactly once and sums the batch partials in batch order, bit-identical to a local run.
 */
import type { SliceBatch } from './types.js';
import { decodeFloat64, makeBatches, sumPartials } from './types.js';

/** Current shard file format version. */
export const PARTIAL_VERSION = 1;

/** What `taizhang contract --shard I/N -o part-I.json` writes. */
export interface PartialFile {
  readonly format: 'taizhang-partial';
  readonly version: typeof PARTIAL_VERSION;
  readonly runId: string;
  readonly fingerprint: string;
  readonly totalSlices: number;
  readonly batchSize: number;
  readonly shard: number;
  readonly shards: number;
  readonly outputLength: number;
  /** Output description carried to the reduced result (e.g. pattern, circuit hash). */
  readonly meta?: Readonly<Record<string, string | number | boolean>>;
  /** The shard's batches, each with its exact partial sum. */
  readonly batches: ReadonlyArray<{ readonly index: number; readonly start: number; readonly end: number; readonly data: string }>;
}

/** Error in a set of shard files. */
export class ShardError extends Error {
  override name = 'ShardError';
}

/** Parses `I/N` (0 ≤ I < N). */
export function parseShard(text: string): { shard: number; shards: number } {
  const m = /^(\d+)\/(\d+)$/.exec(text.trim());
  if (!m) throw new ShardError(`shard must look like I/N (e.g. 0/4), got '${text}'`);
  const shard = Number(m[1]);
  const shards = Number(m[2]);
  if (shards < 1 || shard >= shards) throw new ShardError(`shard ${shard}/${shards}: need 0 ≤ I < N`);
  return { shard, shards };
}

/** The batches shard `shard` of `shards` owns: a contiguous range (possibly empty). */
export function shardBatches(totalSlices: number, batchSize: number, shard: number, shards: number): SliceBatch[] {
  const all = makeBatches(totalSlices, batchSize);
  const lo = Math.floor((shard * all.length) / shards);
  const hi = Math.floor(((shard + 1) * all.length) / shards);
  return all.slice(lo, hi);
}

/** Validates the shape of a parsed shard file; `name` is used in messages. */
export function checkPartialFile(raw: unknown, name: string): PartialFile {
  const o = raw as Record<string, unknown>;
  if (!o || typeof o !== 'object' || o.format !== 'taizhang-partial') throw new ShardError(`${name}: not a taizhang partial-result file (format must be "taizhang-partial")`);
  if (o.version !== PARTIAL_VERSION) throw new ShardError(`${name}: unsupported partial file version ${JSON.stringify(o.version)}`);
  for (const k of ['totalSlices', 'batchSize', 'shard', 'shards', 'outputLength']) {
    if (!Number.isInteger(o[k]) || (o[k] as number) < 0) throw new ShardError(`${name}: field ${k} must be a non-negative integer`);
  }
  if (typeof o.runId !== 'string' || typeof o.fingerprint !== 'string') throw new ShardError(`${name}: runId and fingerprint must be strings`);
  if (!Array.isArray(o.batches)) throw new ShardError(`${name}: batches must be an array`);
  return o as unknown as PartialFile;
}

/** A reduced result. */
export interface ReducedResult {
  readonly data: Float64Array;
  readonly runId: string;
  readonly fingerprint: string;
  readonly totalSlices: number;
  readonly batches: number;
  readonly shards: number;
  readonly meta?: Readonly<Record<string, string | number | boolean>>;
}

/**
 * Checks that `files` are all shards 0…N-1 of one run, each exactly once, covering every batch
 * exactly once, and sums the partials in batch order.
 */
export function reduceShards(files: ReadonlyArray<{ readonly name: string; readonly file: PartialFile }>): ReducedResult {
  if (files.length === 0) throw new ShardError('no shard files given');
  const first = files[0];
  for (const { name, file } of files) {
    for (const k of ['runId', 'fingerprint', 'totalSlices', 'batchSize', 'shards', 'outputLength'] as const) {
      if (file[k] !== first.file[k]) {
        throw new ShardError(`${name} belongs to another run: ${k} is ${JSON.stringify(file[k])}, but ${first.name} has ${JSON.stringify(first.file[k])}`);
      }
    }
  }
  const N = first.file.shards;
  const seen = new Map<number, string>();
  for (const { name, file } of files) {
    const prev = seen.get(file.shard);
    if (prev !== undefined) throw new ShardError(`shard ${file.shard}/${N} given twice (${prev} and ${name})`);
    seen.set(file.shard, name);
  }
  const missing = [...Array(N).keys()].filter((i) => !seen.has(i));
  if (missing.length) throw new ShardError(`missing shard${missing.length > 1 ? 's' : ''} ${missing.map((i) => `${i}/${N}`).join(', ')} (have ${files.length} of ${N})`);
  const all = makeBatches(first.file.totalSlices, first.file.batchSize);
  const partials: Array<Float64Array | undefined> = new Array(all.length);
  for (const { name, file } of files) {
    const expected = shardBatches(file.totalSlices, file.batchSize, file.shard, N);
    if (file.batches.length !== expected.length) throw new ShardError(`${name}: shard ${file.shard}/${N} should hold ${expected.length} batches, has ${file.batches.length}`);
    for (const b of file.batches) {
      const ref = all[b.index];
      if (!ref || ref.start !== b.start || ref.end !== b.end) throw new ShardError(`${name}: batch ${b.index} [${b.start}, ${b.end}) is not part of this run`);
      if (partials[b.index]) throw new ShardError(`${name}: batch ${b.index} appears twice`);
      const p = decodeFloat64(b.data);
      if (p.length !== file.outputLength) throw new ShardError(`${name}: batch ${b.index} has ${p.length} numbers, expected ${file.outputLength}`);
      partials[b.index] = p;
    }
  }
  const gap = partials.findIndex((p) => !p);
  if (gap >= 0) throw new ShardError(`batch ${gap} is in no shard`);
  return {
    data: sumPartials(partials as Float64Array[]),
    runId: first.file.runId,
    fingerprint: first.file.fingerprint,
    totalSlices: first.file.totalSlices,
    batches: all.length,
    shards: N,
    ...(first.file.meta ? { meta: first.file.meta } : {}),
  };
}
