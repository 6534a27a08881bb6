/**
 * Worker side of the browser state-vector thread pool (threads.web.ts): a module Web Worker.
 * Uses only what a dedicated worker scope has (message events), so it also runs under any host
 * that provides that scope.
 */
import { threadWorkerHandler, type ThreadsMessage } from './threads.js';
import './wasm.js'; // registers the wasm-simd kernels in this worker

interface WorkerScope {
  addEventListener(type: 'message', listener: (event: { data: ThreadsMessage }) => void): void;
}

const handle = threadWorkerHandler();
(globalThis as unknown as WorkerScope).addEventListener('message', (event) => handle(event.data));
