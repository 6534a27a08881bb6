/**
 * Worker-thread executor for the fast state-vector engine (Node). The state lives in shared memory
 * (one shared WebAssembly.Memory or SharedArrayBuffer per chunk); every thread applies the same op
 * list to its own slice of the iteration space and all meet at a barrier after each op. A slice's
 * amplitudes are computed by exactly the same arithmetic whatever the thread count, so results are
 * bit-identical for any `threads`.
 */
import { Worker } from 'node:worker_threads';
import { availableParallelism } from 'node:os';
import { resolveBackend } from '../backend/registry.js';
import type { Precision, SimulationRequest } from '../engine/types.js';
import { localExecutor, setDefaultExecutorFactory, type SvExecutor } from './engine.js';
import { SV_APPLY, type ApplyKernel, type ChunkedState, type KernelOp } from './kernels.js';
import { allocWasmState, chunkMemory } from './wasm.js';
import { routeGlobalTargets } from './global-qubits.js';
import { getKernel } from '../backend/registry.js';

/** Sense-reversing barrier on a shared Int32Array `[arrived, generation]`. */
export function barrier(ctl: Int32Array, parties: number): void {
  const gen = Atomics.load(ctl, 1);
  if (Atomics.add(ctl, 0, 1) === parties - 1) {
    Atomics.store(ctl, 0, 0);
    Atomics.add(ctl, 1, 1);
    Atomics.notify(ctl, 1);
  } else while (Atomics.load(ctl, 1) === gen) Atomics.wait(ctl, 1, gen);
}

/** Message from the main thread: apply these ops (parts 1…parts-1 run in workers). */
export interface ThreadsJob {
  readonly ops: readonly KernelOp[];
}

/** What a worker gets at start. */
export interface ThreadsWorkerData {
  readonly buffers: ReadonlyArray<WebAssembly.Memory | SharedArrayBuffer>;
  readonly precision: Precision;
  readonly numQubits: number;
  readonly chunkBits: number;
  readonly ctl: SharedArrayBuffer;
  readonly part: number;
  readonly parts: number;
  readonly backend: string;
}

/**
 * An executor running `threads` ways (the calling thread is one of them).
 * @param backend kernel backend (default: best available)
 */
export function threadExecutor(threads: number, backend?: string): SvExecutor {
  const chosen = resolveBackend(SV_APPLY, backend);
  if (threads <= 1) return localExecutor(chosen);
  let workers: Worker[] = [];
  let ctl: Int32Array | undefined;
  let failed: Error | undefined;
  let shared: ChunkedState | undefined;
  return {
    alloc(n, precision, bits) {
      let state: ChunkedState;
      let buffers: Array<WebAssembly.Memory | SharedArrayBuffer>;
      if (chosen === 'wasm-simd') {
        state = allocWasmState(n, precision, bits);
        buffers = state.chunks.map((c) => chunkMemory(c)!);
      } else {
        const chunkBits = Math.min(n, bits);
        const bytes = 2 ** chunkBits * (precision === 'single' ? 8 : 16);
        const sabs = Array.from({ length: 2 ** (n - chunkBits) }, () => new SharedArrayBuffer(bytes));
        const chunks = sabs.map((b) => (precision === 'single' ? new Float32Array(b) : new Float64Array(b)));
        chunks[0][0] = 1;
        state = { numQubits: n, chunkBits, chunks };
        buffers = sabs;
      }
      if (workers.length === 0) {
        shared = state;
        const ctlBuf = new SharedArrayBuffer(8);
        ctl = new Int32Array(ctlBuf);
        for (let p = 1; p < threads; p++) {
          const data: ThreadsWorkerData = { buffers, precision, numQubits: n, chunkBits: state.chunkBits, ctl: ctlBuf, part: p, parts: threads, backend: chosen };
          const w = new Worker(new URL('./threads-worker.node.js', import.meta.url), { workerData: data });
          w.on('error', (e) => (failed = e));
          w.unref();
          workers.push(w);
        }
      }
      return state;
    },
    apply(state, ops) {
      if (failed) throw failed;
      if (!ctl) throw new Error('threadExecutor: apply before alloc');
      // Only the first allocated state is shared with the workers; others run here.
      const kernel = getKernel<ApplyKernel>(SV_APPLY, chosen);
      const routed = routeGlobalTargets(ops, state.numQubits, state.chunkBits);
      if (state !== shared) {
        for (const op of routed) kernel(state, op, 0, 1);
        return;
      }
      for (const w of workers) w.postMessage({ ops: routed } satisfies ThreadsJob);
      for (const op of routed) {
        kernel(state, op, 0, threads);
        barrier(ctl, threads);
      }
      if (failed) throw failed;
    },
    close() {
      for (const w of workers) void w.terminate();
      workers = [];
    },
  };
}

function defaultThreads(request: SimulationRequest, n: number): number {
  if (request.threads !== undefined) return request.threads;
  // Small states finish before a worker starts: stay on one thread.
  return n >= 18 ? availableParallelism() : 1;
}

/** Installs the threaded executor as the engine default (done by importing `taizhang/node`). */
export function installThreads(): void {
  setDefaultExecutorFactory((request, n, backend) => threadExecutor(defaultThreads(request, n), backend));
}
installThreads();
