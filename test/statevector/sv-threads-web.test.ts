/**
 * The browser thread adapter (threads.web.ts + threads-worker.web.ts) driven through a Web-Worker-
 * shaped constructor (worker_threads underneath, with the worker scope shimmed): results equal the
 * single-thread run bit for bit, and the oracle to tolerance.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Worker } from 'node:worker_threads';
import { Rng } from '../../src/statevector/rng.js';
import { simulateStatevector } from '../../src/statevector/reference.js';
import { StatevectorEngine } from '../../src/statevector/engine.js';
import { webThreadExecutor, type WebWorkerConstructor } from '../../src/statevector/threads.web.js';
import { randomCircuit, maxDiff } from './sv-helpers.js';

const shim = new URL('./web-worker-shim.js', import.meta.url);
let spawned = 0;

/** A Web Worker lookalike: `new FakeWebWorker(url, { type: 'module' })`. */
const FakeWebWorker: WebWorkerConstructor = class {
  private readonly w: Worker;
  constructor(url: URL, options: { type: 'module' }) {
    assert.equal(options.type, 'module');
    this.w = new Worker(shim, { workerData: { url: url.href } });
    this.w.unref();
    spawned++;
  }
  postMessage(message: unknown): void {
    this.w.postMessage(message);
  }
  addEventListener(_type: 'error', listener: (event: { message?: string }) => void): void {
    this.w.on('error', (e: Error) => listener({ message: e.message }));
  }
};

test('sv web threads: Web Worker pool is bit-identical to one thread and matches the reference', async () => {
  const rng = new Rng(21);
  for (let trial = 0; trial < 4; trial++) {
    const n = 8 + trial;
    const c = randomCircuit(n, 40, rng);
    const want = simulateStatevector(c);
    for (const chunkBits of [30, 5]) {
      for (const precision of ['double', 'single'] as const) {
        const one = (await new StatevectorEngine({ maxChunkBits: chunkBits }).run(c, { statevector: true, precision, fuse: 1 + (trial % 4) })).statevector!;
        for (const threads of [2, 3]) {
          const e = new StatevectorEngine({ maxChunkBits: chunkBits, executor: () => webThreadExecutor(threads, 'wasm-simd', FakeWebWorker) });
          const sv = (await e.run(c, { statevector: true, precision, fuse: 1 + (trial % 4) })).statevector!;
          assert.ok(maxDiff(sv, want) < (precision === 'double' ? 1e-10 : 1e-4), `${threads} threads ${precision}`);
          assert.deepEqual(sv, one, `${threads} web threads not bit-identical to one thread (${precision}, chunk ${chunkBits})`);
        }
      }
    }
  }
  assert.equal(spawned, 2, 'the pool keeps its workers across runs');
});
