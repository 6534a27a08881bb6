/**
 * Multi-threaded complex64/complex128 GEMM for Node: helper worker threads instantiate the same
 * WebAssembly module on the same shared memory; they and the calling thread take blocks of C's
 * rows from a shared counter until none are left (Atomics.wait/notify hand-off, no copies). Opt-in:
 * `await enableTensorThreads(2)`; `disableTensorThreads()` stops the helpers.
 */
// Node 20 has relaxed SIMD (the FMA kernel build) behind a V8 flag: set it before the module compiles.
import '../backend/relaxed-simd.node.js';
import { Worker } from 'node:worker_threads';
import { setGemmSplitter, tensorWasmShared } from './wasm.js';

const WORKER_SOURCE = `
const { workerData } = require('node:worker_threads');
const { memory, module, ctrl, counter } = workerData;
const ex = new WebAssembly.Instance(module, { env: { memory, abort() { throw new Error('wasm abort'); } } }).exports;
const I = new Int32Array(memory.buffer, ctrl, 16);
const N = new Int32Array(memory.buffer, counter, 1);
Atomics.store(I, 1, 1);
Atomics.notify(I, 1);
for (;;) {
  Atomics.wait(I, 0, 0);
  if (Atomics.load(I, 0) === 2) break;
  const bpk = I[10];
  const f = I[9] === 16 ? (bpk ? ex.gemm3m_c128 : ex.gemm_c128) : bpk ? ex.gemm3m_c64 : ex.gemm_c64;
  const m = I[2], n = I[3], k = I[4], chunk = I[11], eb = I[9];
  for (;;) {
    const i0 = Atomics.add(N, 0, chunk);
    if (i0 >= m) break;
    f(1, Math.min(chunk, m - i0), n, k, I[5] + i0 * k * eb, I[6], I[7] + i0 * n * eb, I[8], bpk, 0);
  }
  Atomics.store(I, 0, 0);
  Atomics.store(I, 1, 1);
  Atomics.notify(I, 1);
}
`;

// Control blocks (16 i32 each) live in the module's reserved first page, well past its statics,
// followed by the shared row counter.
const CTRL_BASE = 32768;
const COUNTER = CTRL_BASE + 64 * 16;

let workers: Worker[] = [];

/** Starts `threads - 1` helper threads for large complex GEMMs on the 'wasm-simd' backend. */
export async function enableTensorThreads(threads: number): Promise<boolean> {
  disableTensorThreads();
  const shared = tensorWasmShared();
  if (!shared || threads < 2) return false;
  const helpers = Math.min(15, threads - 1);
  const ctrls: Int32Array[] = [];
  const ready: Promise<void>[] = [];
  for (let w = 0; w < helpers; w++) {
    const ctrl = CTRL_BASE + 64 * w;
    const I = new Int32Array(shared.memory.buffer, ctrl, 16);
    I.fill(0);
    ctrls.push(I);
    const worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { memory: shared.memory, module: shared.module, ctrl, counter: COUNTER } });
    worker.unref();
    workers.push(worker);
    ready.push(
      new Promise<void>((resolve, reject) => {
        worker.once('error', reject);
        const poll = (): void => {
          if (Atomics.load(I, 1) === 1) resolve();
          else setTimeout(poll, 1);
        };
        poll();
      }),
    );
  }
  await Promise.all(ready);
  const counter = new Int32Array(shared.memory.buffer, COUNTER, 1);
  setGemmSplitter({
    helpers,
    start(m, n, k, offA, offB, offC, offPack, elemBytes, offPackedB, chunk) {
      Atomics.store(counter, 0, 0);
      for (let w = 0; w < helpers; w++) {
        const I = ctrls[w];
        I[2] = m;
        I[3] = n;
        I[4] = k;
        I[5] = offA;
        I[6] = offB;
        I[7] = offC;
        I[8] = offPack + shared.packBytes * (w + 1);
        I[9] = elemBytes;
        I[10] = offPackedB;
        I[11] = chunk;
        Atomics.store(I, 1, 0);
        Atomics.store(I, 0, 1);
        Atomics.notify(I, 0);
      }
      return counter;
    },
    wait() {
      for (const I of ctrls) Atomics.wait(I, 1, 0);
    },
  });
  return true;
}

/** Stops the helper threads; GEMMs run on the calling thread again. */
export function disableTensorThreads(): void {
  setGemmSplitter(undefined);
  const shared = tensorWasmShared();
  workers.forEach((w, i) => {
    if (shared) {
      const I = new Int32Array(shared.memory.buffer, CTRL_BASE + 64 * i, 16);
      Atomics.store(I, 0, 2);
      Atomics.notify(I, 0);
    }
    void w.terminate();
  });
  workers = [];
}
