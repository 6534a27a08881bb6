/**
 * Node adapter of the slice pool: worker threads (`worker_threads`) behind the Web-Worker-shaped
 * interface of `pool-core.ts`. Default thread count: every core.
 */
import { Worker } from 'node:worker_threads';
import { availableParallelism } from 'node:os';
import type { SliceJobSpec, SliceRunOptions, SliceRunResult } from './types.js';
import { runSlicesOnPool, SlicePool, type SliceWorkerLike } from './pool-core.js';

/** Default thread count: every core (`os.availableParallelism()`). */
export function defaultThreads(): number {
  return availableParallelism();
}

/** A worker thread running `pool-worker.node.js`, seen through the Web Worker interface. */
export function nodeSliceWorker(script: URL = new URL('./pool-worker.node.js', import.meta.url)): SliceWorkerLike {
  const worker = new Worker(script);
  let terminating = false;
  return {
    postMessage: (m) => worker.postMessage(m),
    addEventListener(type, listener) {
      if (type === 'message') {
        worker.on('message', (data: unknown) => listener({ data }));
      } else {
        worker.on('error', (e: Error) => listener({ message: e.message, error: e }));
        worker.on('exit', (code) => {
          if (!terminating) listener({ message: `slice worker thread exited with code ${code}` });
        });
      }
    },
    terminate: () => {
      terminating = true;
      return worker.terminate();
    },
  };
}

/** A pool of worker threads (default: one per core). */
export class SliceThreadPool extends SlicePool {
  constructor(threads: number = defaultThreads()) {
    super(threads, () => nodeSliceWorker());
  }
}

/** Options of {@link runSlicesThreads}. */
export interface ThreadRunOptions extends SliceRunOptions {
  /** Worker threads; default all cores. */
  readonly threads?: number;
  /** Reuse an existing pool instead of starting one (it is left open). */
  readonly pool?: SlicePool;
}

/**
 * Runs every slice of a job on a worker-thread pool and returns the sum. Bit-for-bit identical
 * for any `threads` (batches depend only on the slice count and `batchSize`).
 */
export async function runSlicesThreads(spec: SliceJobSpec, options: ThreadRunOptions = {}): Promise<SliceRunResult> {
  const pool = options.pool ?? new SliceThreadPool(options.threads ?? defaultThreads());
  try {
    return await runSlicesOnPool(pool, spec, options);
  } finally {
    if (!options.pool) await pool.close();
  }
}
