/**
 * Node adapter of the state-vector thread executor (threads.ts) on worker_threads; importing it
 * installs the pool as the engine's default executor (done by `taizhang/node` and the CLI).
 */
// Node 20 has relaxed SIMD (FMA kernels) behind a V8 flag: set it before any kernel module compiles.
import '../backend/relaxed-simd.node.js';
import { Worker } from 'node:worker_threads';
import { availableParallelism } from 'node:os';
import type { SimulationRequest } from '../engine/types.js';
import { setDefaultExecutorFactory, type SvExecutor } from './engine.js';
import type { BlockingOptions } from './cache-blocking.js';
import { createThreadPool } from './threads.js';

export { barrier, type ThreadsAttach, type ThreadsMessage } from './threads.js';

const pool = createThreadPool((onError) => {
  const w = new Worker(new URL('./threads-worker.node.js', import.meta.url));
  w.on('error', onError);
  w.unref(); // an idle pool never keeps the process alive
  return w;
});

/**
 * An executor running `threads` ways on worker_threads (the calling thread is one of them).
 * @param backend kernel backend (default: best available)
 * @param blocking cache blocking (default: by precision; `blockBits: 0` turns it off)
 */
export function threadExecutor(threads: number, backend?: string, blocking?: BlockingOptions): SvExecutor {
  return pool.executor(threads, backend, blocking);
}

function defaultThreads(request: SimulationRequest, n: number): number {
  if (request.threads !== undefined) return request.threads;
  // Small states finish before a worker starts: stay on one thread.
  return n >= 18 ? availableParallelism() : 1;
}

/** Installs the threaded executor as the engine default (done by importing `taizhang/node`). */
export function installThreads(): void {
  setDefaultExecutorFactory((request, n, backend, blocking) => threadExecutor(defaultThreads(request, n), backend, blocking));
}
installThreads();
