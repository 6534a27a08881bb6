/**
 * Browser adapter of the slice pool: module Web Workers running `pool-worker.browser.js`,
 * driven by the isomorphic core in `pool-core.ts`. Default worker count:
 * `navigator.hardwareConcurrency`. Safe to import anywhere; `Worker` is only touched when a
 * pool is created.
 */
import type { SliceJobSpec, SliceRunOptions, SliceRunResult } from './types.js';
import { runSlicesOnPool, SlicePool, type SliceWorkerLike } from './pool-core.js';

/** A constructor with the Web Worker signature (the global `Worker`, or a stand-in in tests). */
export type WebWorkerConstructor = new (url: URL, options: { type: 'module' }) => SliceWorkerLike;

/** Options of {@link WebWorkerSlicePool}. */
export interface WebWorkerPoolOptions {
  /** Module URL of the worker script; default `pool-worker.browser.js` next to this file. */
  readonly workerUrl?: URL;
  /** Worker constructor; default the global `Worker`. */
  readonly Worker?: WebWorkerConstructor;
}

/** Default worker count in the browser: `navigator.hardwareConcurrency` (4 when unknown). */
export function defaultWebWorkers(): number {
  const nav = (globalThis as { navigator?: { hardwareConcurrency?: number } }).navigator;
  const n = nav?.hardwareConcurrency;
  return typeof n === 'number' && Number.isInteger(n) && n > 0 ? n : 4;
}

/** A pool of module Web Workers contracting slice batches. */
export class WebWorkerSlicePool extends SlicePool {
  constructor(threads: number = defaultWebWorkers(), options: WebWorkerPoolOptions = {}) {
    const url = options.workerUrl ?? new URL('./pool-worker.browser.js', import.meta.url);
    const Ctor = options.Worker ?? (globalThis as { Worker?: WebWorkerConstructor }).Worker;
    if (!Ctor) throw new Error('Web Workers are not available here (no global Worker); pass options.Worker or use the Node entry');
    super(threads, () => new Ctor(url, { type: 'module' }));
  }
}

/** Options of {@link runSlicesWebWorkers}. */
export interface WebWorkerRunOptions extends SliceRunOptions, WebWorkerPoolOptions {
  /** Workers; default `navigator.hardwareConcurrency`. */
  readonly threads?: number;
  /** Reuse an existing pool instead of starting one (it is left open). */
  readonly pool?: SlicePool;
}

/**
 * Runs every slice of a job on Web Workers and returns the sum: the same bits as the Node
 * thread pool, the Redis cluster and static shards for the same batch size.
 */
export async function runSlicesWebWorkers(spec: SliceJobSpec, options: WebWorkerRunOptions = {}): Promise<SliceRunResult> {
  const pool = options.pool ?? new WebWorkerSlicePool(options.threads ?? defaultWebWorkers(), options);
  try {
    return await runSlicesOnPool(pool, spec, options);
  } finally {
    if (!options.pool) await pool.close();
  }
}
