/**
 * Thread executor for the fast state-vector engine, isomorphic: the state lives in shared memory
 * (one shared WebAssembly.Memory or SharedArrayBuffer per chunk); every thread applies the same op
 * list to its own slice of the iteration space (or, for a cache-blocked window, its own blocks) and
 * all meet at a barrier after each step. A slice's
 * amplitudes are computed by exactly the same arithmetic whatever the thread count, so results are
 * bit-identical for any `threads`. Workers come from an adapter: worker_threads in Node
 * (threads.node.ts), Web Workers in browsers (threads.web.ts).
 */
import { getKernel, resolveBackend } from '../backend/registry.js';
import type { Precision } from '../engine/types.js';
import { blockingFor, localExecutor, type SvExecutor } from './engine.js';
import { blockedSteps, faultStep, runSteps, SV_GROUP_BUFFER, type BlockStep, type BlockingOptions, type GroupBufferProvider } from './cache-blocking.js';
import { SV_APPLY, type Amps, type ApplyKernel, type ChunkedState } from './kernels.js';
import { allocWasmState, takeUnfaulted, attachChunk, chunkMemory, chunkVariant, chunkView, releaseWasmState, type SvWasmVariant } from './wasm.js';
import { statePrecision } from './state.js';

/**
 * Sense-reversing barrier on a shared Int32Array `[arrived, generation, ticket]`; the last thread
 * to arrive also resets the work ticket counter (index 2, see `claimTicket`) for the next step.
 */
export function barrier(ctl: Int32Array, parties: number): void {
  const gen = Atomics.load(ctl, 1);
  if (Atomics.add(ctl, 0, 1) === parties - 1) {
    Atomics.store(ctl, 0, 0);
    if (ctl.length > 2) Atomics.store(ctl, 2, 0);
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
  /** The WASM kernel build of the main thread's chunks. */
  readonly variant: SvWasmVariant | undefined;
}

/**
 * Messages from the main thread: `hello` (first message: set `flag[0]` to 1 once running), attach
 * a state, apply ops to it (then meet at the barrier), detach.
 */
export type ThreadsMessage =
  | { readonly type: 'hello'; readonly flag: SharedArrayBuffer }
  | ThreadsAttach
  | { readonly type: 'steps'; readonly steps: readonly BlockStep[] }
  | { readonly type: 'detach' };

/**
 * The little of a worker the executor needs: Node's worker_threads and browser Web Workers both
 * fit behind it (see threads.node.ts and threads.web.ts).
 */
export interface ThreadWorker {
  postMessage(message: ThreadsMessage): void;
}

/** Starts one pool member; `onError` must be called if the worker dies. */
export type SpawnThreadWorker = (onError: (error: Error) => void) => ThreadWorker;

/** Most threads one state-vector run may use (each helper is a worker with its own V8 heap). */
export const MAX_SV_THREADS = 256;

/** A process-wide pool of state-vector workers over one spawn function. */
export interface ThreadPool {
  /**
   * An executor running `threads` ways (the calling thread is one of them, so it must be allowed to
   * block on `Atomics.wait`: Node's main thread or a browser Web Worker, not a page's main thread).
   * @param backend kernel backend (default: best available)
   * @param blocking cache blocking (default: by precision; `blockBits: 0` turns it off)
   */
  executor(threads: number, backend?: string, blocking?: BlockingOptions): SvExecutor;
}

/**
 * Makes a pool. Workers outlive a run: starting one costs far more than a 20-qubit circuit, so they
 * are kept and re-attached to each state.
 */
export function createThreadPool(spawn: SpawnThreadWorker): ThreadPool {
  const pool: ThreadWorker[] = [];
  // Per worker, a shared flag it sets once its script runs (see `whenStarted`).
  const started = new Map<ThreadWorker, Int32Array>();
  let poolError: Error | undefined;
  let attachedTo: object | undefined;
  const workers = (count: number): ThreadWorker[] => {
    while (pool.length < count) {
      const w: ThreadWorker = spawn((e) => {
        poolError = e;
        const i = pool.indexOf(w);
        if (i >= 0) pool.splice(i, 1);
      });
      const flag = new SharedArrayBuffer(4);
      started.set(w, new Int32Array(flag));
      w.postMessage({ type: 'hello', flag });
      pool.push(w);
    }
    return pool.slice(0, count);
  };
  const allStarted = (ws: readonly ThreadWorker[]): boolean => ws.every((w) => Atomics.load(started.get(w)!, 0) === 1);
  /**
   * Resolves once every worker runs. The caller must not block on the barrier before that: a
   * browser starts a worker created by a worker through its parent's event loop, so a parent
   * waiting in `Atomics.wait` for a worker that has not started yet would wait forever.
   */
  const whenStarted = async (ws: readonly ThreadWorker[]): Promise<void> => {
    const deadline = Date.now() + 60000;
    while (!allStarted(ws)) {
      if (poolError) throw poolError;
      if (Date.now() > deadline) throw new Error('state-vector worker threads did not start within 60 s');
      await new Promise((r) => setTimeout(r, 2));
    }
  };
  return { executor: (threads, backend, blocking) => makeExecutor(threads, backend, blocking) };

  function makeExecutor(threads: number, backend?: string, blocking?: BlockingOptions): SvExecutor {
    if (!Number.isInteger(threads) || threads < 1 || threads > MAX_SV_THREADS) throw new RangeError(`threads must be an integer from 1 to ${MAX_SV_THREADS}, got ${threads}`);
    const chosen = resolveBackend(SV_APPLY, backend);
    if (threads <= 1) return localExecutor(chosen, blocking);
    const token = {};
    let helpers: ThreadWorker[] = [];
    let ctlBuf: SharedArrayBuffer | undefined;
    let buffers: Array<WebAssembly.Memory | SharedArrayBuffer> = [];
    let shared: ChunkedState | undefined;
    const allocated: ChunkedState[] = [];
    const attach = (): void => {
      if (attachedTo === token || !shared || !ctlBuf) return;
      helpers.forEach((w, i) => {
        const msg: ThreadsMessage = {
          type: 'attach', buffers, precision: statePrecision(shared!), numQubits: shared!.numQubits,
          chunkBits: shared!.chunkBits, ctl: ctlBuf!, part: i + 1, parts: threads, backend: chosen, variant: chunkVariant(shared!.chunks[0]),
        };
        w.postMessage(msg);
      });
      attachedTo = token;
    };
    // Runs steps on the shared state with every thread (once the workers run), others here.
    const run = (state: ChunkedState, steps: readonly BlockStep[]): Promise<void> | void => {
      if (poolError) throw poolError;
      if (!ctlBuf) throw new Error('threadExecutor: apply before alloc');
      if (state === shared && !allStarted(helpers)) return whenStarted(helpers).then(() => run(state, steps));
      const kernel = getKernel<ApplyKernel>(SV_APPLY, chosen);
      const groups = getKernel<GroupBufferProvider>(SV_GROUP_BUFFER, chosen);
      if (state !== shared) {
        runSteps(state, steps, kernel, 0, 1, undefined, undefined, groups);
        return;
      }
      attach();
      const ctl = new Int32Array(ctlBuf);
      for (const w of helpers) w.postMessage({ type: 'steps', steps } satisfies ThreadsMessage);
      runSteps(state, steps, kernel, 0, threads, () => barrier(ctl, threads), () => Atomics.add(ctl, 2, 1), groups);
      if (poolError) throw poolError;
    };
    const executor: SvExecutor = {
      alloc(n, precision, bits) {
        let state: ChunkedState;
        let bufs: Array<WebAssembly.Memory | SharedArrayBuffer>;
        if (chosen === 'wasm-simd') {
          // The state the workers share is faulted in by every thread (`prepare`).
          state = allocWasmState(n, precision, bits, shared !== undefined);
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
        allocated.push(state);
        if (!shared) {
          // Only the first allocated state is shared with the workers; others run here.
          shared = state;
          buffers = bufs;
          ctlBuf = new SharedArrayBuffer(12);
          helpers = workers(threads - 1);
        }
        return state;
      },
      prepare(state) {
        const fresh = state === shared ? takeUnfaulted(state) : [];
        if (fresh.length) return run(state, [faultStep(fresh)]);
      },
      apply(state, ops) {
        return run(state, blockedSteps(state, ops, blockingFor(state, blocking)));
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
        // Workers get the detach before any later attach to a reused memory (messages keep their order).
        for (const s of allocated.splice(0)) releaseWasmState(s);
      },
    };
    return executor;
  }
}

/**
 * The worker side: returns the message handler a pool member runs (each adapter wires it to its
 * own message events).
 */
export function threadWorkerHandler(): (msg: ThreadsMessage) => void {
  let job: { state: ChunkedState; ctl: Int32Array; kernel: ApplyKernel; groups: GroupBufferProvider; data: ThreadsAttach } | undefined;
  return (msg) => {
    if (msg.type === 'hello') Atomics.store(new Int32Array(msg.flag), 0, 1);
    else if (msg.type === 'attach') {
      const data = msg;
      const chunks: Amps[] = data.buffers.map((b) => {
        if (b instanceof SharedArrayBuffer) return data.precision === 'single' ? new Float32Array(b) : new Float64Array(b);
        const view = chunkView(b, data.precision, data.chunkBits);
        attachChunk(view, b, data.variant);
        return view;
      });
      const state: ChunkedState = { numQubits: data.numQubits, chunkBits: data.chunkBits, chunks };
      job = {
        state, ctl: new Int32Array(data.ctl), kernel: getKernel<ApplyKernel>(SV_APPLY, data.backend), groups: getKernel<GroupBufferProvider>(SV_GROUP_BUFFER, data.backend), data,
      };
    } else if (msg.type === 'detach') job = undefined;
    else if (job) {
      const { state, ctl, kernel, groups, data } = job;
      runSteps(state, msg.steps, kernel, data.part, data.parts, () => barrier(ctl, data.parts), () => Atomics.add(ctl, 2, 1), groups);
    }
  };
}
