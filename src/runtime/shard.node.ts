/**
 * Runs one static shard on the local thread pool (Node).
 */
import { SliceThreadPool, defaultThreads } from './pool.node.js';
import { PARTIAL_VERSION, shardBatches } from './shard.js';
import type { PartialFile } from './shard.js';
import type { SliceJobSpec, SliceRunOptions } from './types.js';
import { defaultBatchSize, encodeFloat64, ProgressTracker, runIdOf } from './types.js';

/** Options of {@link runShard}. */
export interface ShardRunOptions extends SliceRunOptions {
  readonly threads?: number;
  readonly runId?: string;
  readonly meta?: Readonly<Record<string, string | number | boolean>>;
}

/** Contracts the batches of shard `shard`/`shards` and returns the shard file contents. */
export async function runShard(spec: SliceJobSpec, shard: number, shards: number, options: ShardRunOptions = {}): Promise<PartialFile> {
  const pool = new SliceThreadPool(options.threads ?? defaultThreads());
  try {
    const key = `shard-${shard}`;
    const info = await pool.info(key, spec);
    const batchSize = options.batchSize ?? defaultBatchSize(info.totalSlices);
    const mine = shardBatches(info.totalSlices, batchSize, shard, shards);
    const tracker = new ProgressTracker(mine.reduce((s, b) => s + b.end - b.start, 0), info.flopsPerSlice);
    const data = await Promise.all(
      mine.map(async (b) => {
        const p = await pool.runBatch(key, spec, b.start, b.end);
        options.onProgress?.(tracker.add(b.end - b.start));
        return { index: b.index, start: b.start, end: b.end, data: encodeFloat64(p) };
      }),
    );
    return {
      format: 'taizhang-partial',
      version: PARTIAL_VERSION,
      runId: options.runId ?? runIdOf(spec, info.fingerprint, batchSize),
      fingerprint: info.fingerprint,
      totalSlices: info.totalSlices,
      batchSize,
      shard,
      shards,
      outputLength: info.outputLength,
      ...(options.meta ? { meta: options.meta } : {}),
      batches: data,
    };
  } finally {
    await pool.close();
  }
}
