/**
 * Browser adapter of the state-vector thread executor (threads.ts) on module Web Workers.
 *
 * Needs cross-origin isolation (COOP/COEP headers) for SharedArrayBuffer and shared WebAssembly
 * memory, and must run inside a Web Worker itself: the calling thread takes part and blocks on
 * `Atomics.wait`, which a page's main thread may not do.
 */
import { setDefaultExecutorFactory, type SvExecutor } from './engine.js';
import type { BlockingOptions } from './cache-blocking.js';
import { createThreadPool, type SpawnThreadWorker, type ThreadPool } from './threads.js';

/** The shape of the browser's Worker constructor that the pool uses. */
export interface WebWorkerConstructor {
  new (url: URL, options: { type: 'module' }): {
    postMessage(message: unknown): void;
    addEventListener(type: 'error', listener: (event: { message?: string }) => void): void;
  };
}

/** Spawns pool members as module Web Workers running threads-worker.web.js. */
export function webWorkerSpawner(WorkerCtor: WebWorkerConstructor, url = new URL('./threads-worker.web.js', import.meta.url)): SpawnThreadWorker {
  return (onError) => {
    const w = new WorkerCtor(url, { type: 'module' });
    w.addEventListener('error', (e) => onError(new Error(`state-vector worker failed: ${e.message ?? 'unknown error'}`)));
    return w;
  };
}

let pool: ThreadPool | undefined;

/**
 * An executor running `threads` ways on Web Workers (the calling worker is one of them).
 * @param WorkerCtor the Worker constructor (default: the global one)
 * @param blocking cache blocking (default: by precision; `blockBits: 0` turns it off)
 */
export function webThreadExecutor(threads: number, backend?: string, WorkerCtor?: WebWorkerConstructor, blocking?: BlockingOptions): SvExecutor {
  const ctor = WorkerCtor ?? (globalThis as unknown as { Worker?: WebWorkerConstructor }).Worker;
  if (!ctor) throw new Error('webThreadExecutor: no Worker constructor in this environment');
  pool ??= createThreadPool(webWorkerSpawner(ctor));
  return pool.executor(threads, backend, blocking);
}

/**
 * Makes Web Worker threads the engine default (`threads` per run, default navigator.hardwareConcurrency).
 */
export function installWebThreads(threads?: number): void {
  const n = threads ?? (globalThis as unknown as { navigator?: { hardwareConcurrency?: number } }).navigator?.hardwareConcurrency ?? 1;
  setDefaultExecutorFactory((request, _numQubits, backend, blocking) => webThreadExecutor(request.threads ?? n, backend, undefined, blocking));
}
