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

/** What a worker is told to work on: a state in shared memory and its share of the iteration space. */
export interface ThreadsAttach {
  readonly type: 'attach';
  readonly buffers: ReadonlyArray<WebAssembly.Memory | SharedArrayBuffer>;
  readonly precision: Precision;
  readonly numQubits: number;
  readonly chunkBits: number;
  readonly ctl: SharedArrayBuffer;
  readonly part: number;
  readonly parts: number;
  readonly backend: string;
}

/** Messages from the main thread: attach a state, apply ops to it (then meet at the barrier), detach. */
export type ThreadsMessage = ThreadsAttach | { readonly type: 'ops'; readonly ops: readonly KernelOp[] } | { readonly type: 'detach' };

// Workers outlive a run: starting one costs far more than a 20-qubit circuit, so the pool is kept
// for the process (unref'd, so it never keeps the process alive) and re-attached to each state.
const pool: Worker[] = [];
let poolError: Error | undefined;
let attachedTo: object | undefined;

function workers(count: number): Worker[] {
  while (pool.length < count) {
    const w = new Worker(new URL('./threads-worker.node.js', import.meta.url));
    w.on('error', (e) => {
      poolError = e;
      const i = pool.indexOf(w);
      if (i >= 0) pool.splice(i, 1);
    });
    w.unref();
    pool.push(w);
  }
  return pool.slice(0, count);
}

/**
 * An executor running `threads` ways (the calling thread is one of them).
 * @param backend kernel backend (default: best available)
 */
export function threadExecutor(threads: number, backend?: string): SvExecutor {
  const chosen = resolveBackend(SV_APPLY, backend);
  if (threads <= 1) return localExecutor(chosen);
  const token = {};
  let helpers: Worker[] = [];
  let ctlBuf: SharedArrayBuffer | undefined;
  let buffers: Array<WebAssembly.Memory | SharedArrayBuffer> = [];
  let shared: ChunkedState | undefined;
  const attach = (): void => {
    if (attachedTo === token || !shared || !ctlBuf) return;
    helpers.forEach((w, i) => {
      const msg: ThreadsMessage = {
        type: 'attach', buffers, precision: shared!.chunks[0] instanceof Float32Array ? 'single' : 'double', numQubits: shared!.numQubits,
        chunkBits: shared!.chunkBits, ctl: ctlBuf!, part: i + 1, parts: threads, backend: chosen,
      };
      w.postMessage(msg);
    });
    attachedTo = token;
  };
  return {
    alloc(n, precision, bits) {
      let state: ChunkedState;
      let bufs: Array<WebAssembly.Memory | SharedArrayBuffer>;
      if (chosen === 'wasm-simd') {
        state = allocWasmState(n, precision, bits);
        bufs = state.chunks.map((c) => chunkMemory(c)!);
      } else {
        const chunkBits = Math.min(n, bits);
        const bytes = 2 ** chunkBits * (precision === 'single' ? 8 : 16);
        const sabs = Array.from({ length: 2 ** (n - chunkBits) }, () => new SharedArrayBuffer(bytes));
        const chunks = sabs.map((b) => (precision === 'single' ? new Float32Array(b) : new Float64Array(b)));
        chunks[0][0] = 1;
        state = { numQubits: n, chunkBits, chunks };
        bufs = sabs;
      }
      if (!shared) {
        // Only the first allocated state is shared with the workers; others run here.
        shared = state;
        buffers = bufs;
        ctlBuf = new SharedArrayBuffer(8);
        helpers = workers(threads - 1);
      }
      return state;
    },
    apply(state, ops) {
      if (poolError) throw poolError;
      if (!ctlBuf) throw new Error('threadExecutor: apply before alloc');
      const kernel = getKernel<ApplyKernel>(SV_APPLY, chosen);
      const routed = routeGlobalTargets(ops, state.numQubits, state.chunkBits);
      if (state !== shared) {
        for (const op of routed) kernel(state, op, 0, 1);
        return;
      }
      attach();
      const ctl = new Int32Array(ctlBuf);
      for (const w of helpers) w.postMessage({ type: 'ops', ops: routed } satisfies ThreadsMessage);
      for (const op of routed) {
        kernel(state, op, 0, threads);
        barrier(ctl, threads);
      }
      if (poolError) throw poolError;
    },
    close() {
      // Let the workers drop the state's memory; the pool itself stays for the next run.
      if (attachedTo === token) {
        for (const w of helpers) w.postMessage({ type: 'detach' } satisfies ThreadsMessage);
        attachedTo = undefined;
      }
      helpers = [];
      shared = undefined;
      buffers = [];
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
