import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Circuit } from '../../src/circuit/circuit.js';
import { Rng } from '../../src/statevector/rng.js';
import { simulateStatevector } from '../../src/statevector/reference.js';
import { StatevectorEngine, localExecutor } from '../../src/statevector/engine.js';
import { threadExecutor } from '../../src/statevector/threads.node.js';
import { allocWasmState, releaseIdleStateMemory, releaseWasmState, stateMemoryStats, takeUnfaulted } from '../../src/statevector/wasm.js';
import { allocState } from '../../src/statevector/state.js';
import { faultStep, runSteps } from '../../src/statevector/cache-blocking.js';
import { SV_APPLY, type ApplyKernel } from '../../src/statevector/kernels.js';
import { getKernel } from '../../src/backend/registry.js';
import { randomCircuit, maxDiff } from './sv-helpers.js';

// The tests of this file share the process-wide pool of idle state memories, so each starts by
// emptying it and counts the memories made from there.
const fresh = (): number => {
  releaseIdleStateMemory();
  return stateMemoryStats().created;
};

test('sv memory: repeated runs reuse the same memories, on one thread and on two', async () => {
  for (const threads of [1, 2]) {
    const before = fresh();
    const c = new Circuit(12);
    for (let q = 0; q < 12; q++) c.h(q).rz(0.1 * q, q);
    const e = new StatevectorEngine({ executor: () => (threads === 1 ? localExecutor('wasm-simd') : threadExecutor(threads, 'wasm-simd')) });
    for (let i = 0; i < 25; i++) {
      const r = await e.run(c, { amplitudes: ['0'.repeat(12)], precision: 'double' });
      assert.ok(Math.abs(Math.hypot(...r.amplitudes!['0'.repeat(12)]) - 2 ** -6) < 1e-12);
    }
    assert.equal(stateMemoryStats().created - before, 1, `${threads} thread(s): one memory made for 25 runs`);
    assert.equal(stateMemoryStats().idle, 1, 'the memory is idle again after the run');
  }
});

test('sv memory: a reused memory starts from |0…0⟩ whatever ran in it before, across sizes, precisions and chunkings', async () => {
  const before = fresh();
  const rng = new Rng(404);
  // Sizes go up and down so that memories are grown and then reused for smaller states.
  const plan: Array<[number, 'single' | 'double', number]> = [
    [8, 'double', 30], [12, 'single', 30], [8, 'single', 30], [14, 'double', 30], [10, 'double', 7], [13, 'single', 9], [6, 'double', 30], [11, 'double', 6],
  ];
  for (const [trial, [n, precision, chunkBits]] of plan.entries()) {
    const c = randomCircuit(n, 30, rng);
    const want = simulateStatevector(c);
    for (const threads of [1, 2]) {
      const e = new StatevectorEngine({ maxChunkBits: chunkBits, executor: () => threadExecutor(threads, 'wasm-simd') });
      const sv = (await e.run(c, { statevector: true, precision })).statevector!;
      assert.ok(maxDiff(sv, want) < (precision === 'double' ? 1e-10 : 1e-4), `trial ${trial}: ${n} qubits ${precision}, chunk bits ${chunkBits}, ${threads} thread(s)`);
    }
  }
  // The most memories one state above used at once: 2^(11 − 6) = 32 chunks.
  assert.ok(stateMemoryStats().created - before <= 32, `made ${stateMemoryStats().created - before} memories`);
});

test('sv memory: trajectories release the state and the prefix copy', async () => {
  const before = fresh();
  const c = new Circuit(9, 2).h(0).cx(0, 1).measure(0, 0).reset(0).h(0).measure(0, 1);
  for (let i = 0; i < 5; i++) {
    const r = await new StatevectorEngine({ backend: 'wasm-simd' }).run(c, { shots: 50, seed: i });
    assert.equal(Object.values(r.counts!).reduce((a, b) => a + b, 0), 50);
  }
  assert.equal(stateMemoryStats().created - before, 2);
  assert.equal(stateMemoryStats().idle, 2);
  assert.ok(releaseIdleStateMemory() >= 2 * 2 ** 9 * 16, 'releasing reports the idle bytes');
  assert.equal(stateMemoryStats().idle, 0);
});

test('sv memory: a chunking into more than 2^10 memories is refused before allocating', async () => {
  const before = fresh();
  await assert.rejects(new StatevectorEngine({ maxChunkBits: 1 }).run(new Circuit(14).h(0), { statevector: true }), (err: unknown) => {
    assert.ok(err instanceof RangeError);
    assert.match(err.message, /into 2\^13 memories; at most 2\^10/);
    assert.match(err.message, /maxChunkBits ≥ 4/);
    return true;
  });
  await assert.rejects(new StatevectorEngine({ maxChunkBits: 0 }).run(new Circuit(3).h(0), {}), /maxChunkBits must be a positive integer/);
  assert.equal(stateMemoryStats().created, before);
});

test('sv memory: fresh memories of a threaded run are faulted in by all threads (prepare) and the run equals the reference', async () => {
  const rng = new Rng(77);
  for (const [threads, chunkBits, precision] of [[2, 30, 'double'], [3, 8, 'single'], [2, 7, 'double']] as const) {
    const before = fresh();
    const c = randomCircuit(11, 40, rng);
    const want = simulateStatevector(c);
    let prepared = 0;
    const e = new StatevectorEngine({
      maxChunkBits: chunkBits,
      executor: () => {
        const ex = threadExecutor(threads, 'wasm-simd');
        const prepare = ex.prepare!;
        return {
          ...ex,
          prepare: (state) => {
            // The shared state arrives unfaulted (its chunks are faulted in here, on every thread).
            prepared += state.chunks.length;
            return prepare(state);
          },
        };
      },
    });
    const sv = (await e.run(c, { statevector: true, precision, fuse: 3 })).statevector!;
    assert.ok(stateMemoryStats().created - before >= 1, 'the run made fresh memories');
    assert.equal(prepared, 2 ** (11 - Math.min(11, chunkBits)), 'prepare saw every chunk');
    assert.ok(maxDiff(sv, want) < (precision === 'double' ? 1e-10 : 1e-4), `${threads} threads, chunks of 2^${chunkBits}`);
  }
});

test('sv memory: a fault step stores one zero in the last element of every page of the listed chunks, however many threads share it', () => {
  // 4 chunks of 2^11 complex128 amplitudes: 8 pages of 4 KiB each.
  const state = allocState(13, 'double', 11);
  const kernel = getKernel<ApplyKernel>(SV_APPLY, 'js');
  for (const parts of [1, 2, 3, 5, 16]) {
    for (const c of state.chunks) c.fill(7);
    for (let part = 0; part < parts; part++) runSteps(state, [faultStep([0, 2, 3])], kernel, part, parts);
    state.chunks.forEach((c, i) => {
      const touched = i !== 1;
      for (let e = 0; e < c.length; e++) {
        const pageLast = e % 512 === 511;
        assert.equal(c[e], touched && pageLast ? 0 : 7, `${parts} parts: chunk ${i} element ${e}`);
      }
    });
  }
  // Fresh memories left unfaulted are reported once each.
  releaseIdleStateMemory();
  const s = allocWasmState(9, 'single', 7, false);
  assert.deepEqual(takeUnfaulted(s), [0, 1, 2, 3]);
  assert.deepEqual(takeUnfaulted(s), []);
  releaseWasmState(s);
});
