/**
 * Cluster mode on BullMQ/Redis. A client enqueues one BullMQ job per slice batch (job id =
 * run id + batch index, so enqueueing twice is a no-op), workers on any machine contract the
 * batches on their own thread pools and store each partial under its batch index in a Redis
 * hash keyed by the run id (a retried batch replaces its entry, never double-counts). The
 * client sums the stored partials in batch order, so results equal the local executor's bits.
 * A worker killed mid-batch loses its lock; BullMQ's stalled-job check hands the batch to
 * another worker. A restarted client finds the finished batches in the hash and only waits.
 */
import { Queue, Worker } from 'bullmq';
import type { Job } from 'bullmq';
import { Redis } from 'ioredis';
import { createSliceJob } from './jobs.js';
import { SliceThreadPool, defaultThreads } from './pool.node.js';
import { jobKeyOf } from './pool-core.js';
import type { SliceBatch, SliceJobSpec, SliceRunOptions, SliceRunResult } from './types.js';
import { decodeFloat64, defaultBatchSize, encodeFloat64, makeBatches, ProgressTracker, runIdOf, sumPartials } from './types.js';

/** Default BullMQ queue name. */
export const DEFAULT_QUEUE = 'taizhang-slices';

/** Data of one queued batch. */
export interface BatchJobData {
  readonly runId: string;
  readonly index: number;
  readonly start: number;
  readonly end: number;
}

/** Stored description of a run (`<queue>:run:<id>:meta`). */
interface RunMeta {
  readonly fingerprint: string;
  readonly totalSlices: number;
  readonly batchSize: number;
  readonly outputLength: number;
}

/** Error of the cluster runtime (bad run, failed batch, timeout). */
export class ClusterError extends Error {
  override name = 'ClusterError';
}

const keyOf = (queue: string, runId: string, what: 'spec' | 'meta' | 'parts' | 'log' | 'done') => `${queue}:run:${runId}:${what}`;
const jobIdOf = (runId: string, index: number) => `${runId}-b${index}`;
/** Keys of finished runs expire after a week. */
const TTL_SECONDS = 7 * 24 * 3600;

/** KEYS: parts hash, audit log, wake-up list; ARGV: batch index, encoded partial, TTL seconds. */
const STORE_BATCH_LUA = `
redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
redis.call('RPUSH', KEYS[2], ARGV[1])
redis.call('RPUSH', KEYS[3], ARGV[1])
for i = 1, 3 do redis.call('EXPIRE', KEYS[i], ARGV[3]) end
return 1`;

function connect(url: string): Redis {
  // BullMQ workers need maxRetriesPerRequest: null (blocking commands).
  return new Redis(url, { maxRetriesPerRequest: null, lazyConnect: false });
}

/** Options of {@link startRedisWorker}. */
export interface RedisWorkerOptions {
  /** Redis URL, e.g. `redis://host:6379`. */
  readonly redis: string;
  /** Batches contracted at once (one worker thread each); default all cores. */
  readonly concurrency?: number;
  readonly queue?: string;
  /** BullMQ lock duration in ms (a dead worker's batch is retried after about this long); default 30000. */
  readonly lockDurationMs?: number;
  /** How often stalled batches are looked for, in ms; default lockDuration / 2. */
  readonly stalledIntervalMs?: number;
  /** Called when a batch starts and ends (logging). */
  readonly onEvent?: (event: { readonly type: 'start' | 'done' | 'failed'; readonly runId: string; readonly index: number; readonly error?: string }) => void;
}

/** A running cluster worker. */
export interface RedisWorkerHandle {
  /** Stops taking batches, waits for running ones, closes threads and connections. */
  close(): Promise<void>;
}

/** Starts a worker that contracts queued slice batches until closed. */
export async function startRedisWorker(options: RedisWorkerOptions): Promise<RedisWorkerHandle> {
  const queue = options.queue ?? DEFAULT_QUEUE;
  const concurrency = options.concurrency ?? defaultThreads();
  const lockDuration = options.lockDurationMs ?? 30000;
  const conn = connect(options.redis);
  const store = connect(options.redis);
  const pool = new SliceThreadPool(concurrency);
  const specs = new Map<string, Promise<{ spec: SliceJobSpec; key: string }>>();

  // Once per run and worker: fetch the job, build it on a thread and check its identity. Later
  // batches of the run cost one request to a thread (which keeps the built network) and one
  // script call to Redis.
  const load = (runId: string) => {
    let p = specs.get(runId);
    if (!p) {
      p = (async () => {
        const [specText, metaText] = await Promise.all([store.get(keyOf(queue, runId, 'spec')), store.get(keyOf(queue, runId, 'meta'))]);
        if (!specText || !metaText) throw new ClusterError(`run ${runId} has no stored job description (expired or deleted)`);
        const spec = JSON.parse(specText) as SliceJobSpec;
        const meta = JSON.parse(metaText) as RunMeta;
        // Keyed by content, so reruns of the same job on this worker reuse the built network.
        const key = jobKeyOf(spec);
        // The thread checks the plan against the network it rebuilds; check the run's identity too.
        const info = await pool.info(key, spec);
        if (info.fingerprint !== meta.fingerprint) {
          throw new ClusterError(`run ${runId}: this worker built a problem with fingerprint ${info.fingerprint}, the run expects ${meta.fingerprint}`);
        }
        return { spec, key };
      })();
      if (specs.size > 8) specs.delete(specs.keys().next().value as string);
      specs.set(runId, p);
      p.catch(() => specs.delete(runId));
    }
    return p;
  };

  const worker = new Worker<BatchJobData>(
    queue,
    async (job: Job<BatchJobData>) => {
      const { runId, index, start, end } = job.data;
      options.onEvent?.({ type: 'start', runId, index });
      try {
        const { spec, key } = await load(runId);
        const data = await pool.runBatch(key, spec, start, end);
        const parts = keyOf(queue, runId, 'parts');
        const log = keyOf(queue, runId, 'log');
        const done = keyOf(queue, runId, 'done');
        // One atomic script (cheaper than a MULTI): the partial (replacing any earlier copy), the
        // audit log, and a wake-up for waiting clients.
        await store.eval(STORE_BATCH_LUA, 3, parts, log, done, String(index), encodeFloat64(data), String(TTL_SECONDS));
        options.onEvent?.({ type: 'done', runId, index });
        return { index };
      } catch (e) {
        options.onEvent?.({ type: 'failed', runId, index, error: (e as Error).message });
        throw e;
      }
    },
    {
      connection: conn,
      concurrency,
      lockDuration,
      stalledInterval: options.stalledIntervalMs ?? Math.max(500, Math.floor(lockDuration / 2)),
      maxStalledCount: 20,
    },
  );
  worker.on('error', () => {
    // Connection hiccups are retried by ioredis; nothing to do here.
  });
  await worker.waitUntilReady();
  return {
    async close() {
      await worker.close();
      await pool.close();
      store.disconnect();
      conn.disconnect();
    },
  };
}

/** Options of {@link runSlicesRedis}. */
export interface RedisRunOptions extends SliceRunOptions {
  readonly redis: string;
  readonly queue?: string;
  /** Run id; default derived from the job (fingerprint, spec, batch size), so a restart resumes. */
  readonly runId?: string;
  /** Longest wait in ms between checks for failed batches, abort and timeout; default 100 (finished batches wake the client at once). */
  readonly pollMs?: number;
  /** Give up after this many ms (default: no limit). */
  readonly timeoutMs?: number;
  /** Stop waiting (queued batches stay queued; a later run with the same id resumes). */
  readonly signal?: AbortSignal;
  /** Attempts per batch for errors thrown by the job (not stalls); default 2. */
  readonly attempts?: number;
}

/** Result of a cluster run. */
export interface RedisRunResult extends SliceRunResult {
  readonly runId: string;
  /** Batches already finished in Redis when this client started (resumed work). */
  readonly resumedBatches: number;
}

/**
 * Enqueues every unfinished batch of a job, waits for the workers, and sums the partials in
 * batch order. The job is prepared here first, so a plan that does not fit the circuit is
 * refused before anything is queued.
 */
export async function runSlicesRedis(spec: SliceJobSpec, options: RedisRunOptions): Promise<RedisRunResult> {
  const t0 = Date.now();
  const job = createSliceJob(spec); // throws PlanError etc. before touching Redis
  const batchSize = options.batchSize ?? defaultBatchSize(job.totalSlices);
  const batches = makeBatches(job.totalSlices, batchSize);
  const runId = options.runId ?? runIdOf(spec, job.fingerprint, batchSize);
  if (runId.includes(':')) throw new ClusterError(`run id must not contain ':' (got '${runId}')`);
  const queueName = options.queue ?? DEFAULT_QUEUE;
  const meta: RunMeta = { fingerprint: job.fingerprint, totalSlices: job.totalSlices, batchSize, outputLength: job.outputLength };
  const conn = connect(options.redis);
  // BLPOP blocks its connection: a second one, for waiting only.
  const blocker = connect(options.redis);
  const queue = new Queue<BatchJobData>(queueName, { connection: conn });
  try {
    const metaKey = keyOf(queueName, runId, 'meta');
    const old = await conn.get(metaKey);
    if (old) {
      const m = JSON.parse(old) as RunMeta;
      if (m.fingerprint !== meta.fingerprint || m.totalSlices !== meta.totalSlices || m.batchSize !== meta.batchSize || m.outputLength !== meta.outputLength) {
        throw new ClusterError(
          `run ${runId} already exists in Redis for a different problem (fingerprint ${m.fingerprint}, ${m.totalSlices} slices, batch size ${m.batchSize}); ` +
            `this job has fingerprint ${meta.fingerprint}, ${meta.totalSlices} slices, batch size ${meta.batchSize}. Use another --run-id.`,
        );
      }
    }
    await conn.multi().set(keyOf(queueName, runId, 'spec'), JSON.stringify(spec), 'EX', TTL_SECONDS).set(metaKey, JSON.stringify(meta), 'EX', TTL_SECONDS).exec();
    const partsKey = keyOf(queueName, runId, 'parts');
    const finished = new Set((await conn.hkeys(partsKey)).map(Number));
    const resumedBatches = finished.size;
    const tracker = new ProgressTracker(job.totalSlices, job.flopsPerSlice);
    let doneSlices = 0;
    for (const b of batches) if (finished.has(b.index)) doneSlices += b.end - b.start;
    if (doneSlices) options.onProgress?.(tracker.add(doneSlices));

    // Enqueue every unfinished batch in one round trip. Batches already in the queue (an earlier
    // client's) are left alone unless they failed (retried) or completed without a stored result
    // (expired: recomputed). Lookups go out together (ioredis pipelines concurrent commands).
    const todo = batches.filter((b) => !finished.has(b.index));
    const existing = await Promise.all(todo.map((b) => queue.getJob(jobIdOf(runId, b.index))));
    const states = await Promise.all(existing.map((j) => (j ? j.getState() : Promise.resolve('missing'))));
    const add: SliceBatch[] = [];
    for (let k = 0; k < todo.length; k++) {
      const j = existing[k];
      if (!j) add.push(todo[k]);
      else if (states[k] === 'failed') await j.retry('failed');
      else if (states[k] === 'completed') {
        await j.remove();
        add.push(todo[k]);
      }
      // waiting/active/delayed: a worker will finish it
    }
    if (add.length) {
      await queue.addBulk(
        add.map((b) => ({
          name: 'batch',
          data: { runId, index: b.index, start: b.start, end: b.end },
          opts: { jobId: jobIdOf(runId, b.index), attempts: options.attempts ?? 2, removeOnComplete: true, removeOnFail: false },
        })),
      );
    }

    // Wait on the workers' wake-up list (BLPOP, no busy polling); every pollMs without news,
    // look for batches that failed for good (e.g. a worker refused the plan).
    const pollMs = options.pollMs ?? 100;
    const doneKey = keyOf(queueName, runId, 'done');
    while (finished.size < batches.length) {
      if (options.signal?.aborted) throw new ClusterError(`run ${runId} interrupted; ${finished.size}/${batches.length} batches finished (run again to resume)`);
      if (options.timeoutMs !== undefined && Date.now() - t0 > options.timeoutMs) {
        throw new ClusterError(`run ${runId} timed out after ${options.timeoutMs} ms with ${finished.size}/${batches.length} batches finished (are workers running?)`);
      }
      // Each finished batch pushes its index on the wake-up list: one BLPOP per batch, no polling.
      const woke = await blocker.blpop(doneKey, Math.max(0.01, pollMs / 1000));
      let added = 0;
      const mark = (k: string) => {
        const i = Number(k);
        if (Number.isInteger(i) && i >= 0 && i < batches.length && !finished.has(i)) {
          finished.add(i);
          added += batches[i].end - batches[i].start;
        }
      };
      if (woke) mark(woke[1]);
      // No news for pollMs: catch batches whose wake-up another client took (HLEN, then HKEYS).
      else if ((await conn.hlen(partsKey)) > finished.size) (await conn.hkeys(partsKey)).forEach(mark);
      if (added) options.onProgress?.(tracker.add(added));
      if (!woke && added === 0) {
        for (const b of batches) {
          if (finished.has(b.index)) continue;
          const j = await queue.getJob(jobIdOf(runId, b.index));
          if (j && (await j.getState()) === 'failed') {
            throw new ClusterError(`batch ${b.index} of run ${runId} failed on a worker: ${j.failedReason}`);
          }
          break; // checking the first unfinished batch is enough per poll
        }
      }
    }
    const stored = await conn.hgetall(partsKey);
    const partials = batches.map((b) => {
      const hex = stored[String(b.index)];
      if (hex === undefined) throw new ClusterError(`batch ${b.index} of run ${runId} vanished from Redis`);
      const p = decodeFloat64(hex);
      if (p.length !== job.outputLength) throw new ClusterError(`batch ${b.index} of run ${runId} has ${p.length} numbers, expected ${job.outputLength}`);
      return p;
    });
    return {
      data: sumPartials(partials),
      totalSlices: job.totalSlices,
      batches: batches.length,
      batchSize,
      fingerprint: job.fingerprint,
      elapsedSeconds: (Date.now() - t0) / 1000,
      runId,
      resumedBatches,
    };
  } finally {
    await queue.close();
    blocker.disconnect();
    conn.disconnect();
  }
}

/** How many times each batch of a run was computed (from the workers' log), for tests and audits. */
export async function batchComputeCounts(redis: string, runId: string, queue = DEFAULT_QUEUE): Promise<Map<number, number>> {
  const conn = connect(redis);
  try {
    const log = await conn.lrange(keyOf(queue, runId, 'log'), 0, -1);
    const counts = new Map<number, number>();
    for (const s of log) counts.set(Number(s), (counts.get(Number(s)) ?? 0) + 1);
    return counts;
  } finally {
    conn.disconnect();
  }
}
