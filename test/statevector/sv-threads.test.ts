import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Rng } from '../../src/statevector/rng.js';
import { simulateStatevector } from '../../src/statevector/reference.js';
import { StatevectorEngine } from '../../src/statevector/engine.js';
import { threadExecutor } from '../../src/statevector/threads.node.js';
import { randomCircuit, maxDiff } from './sv-helpers.js';

test('sv threads: bit-identical for 1, 2 and 3 threads, both backends, tiny chunks, and equal to the reference', async () => {
  const rng = new Rng(77);
  for (let trial = 0; trial < 6; trial++) {
    const n = 7 + trial;
    const c = randomCircuit(n, 40, rng);
    const want = simulateStatevector(c);
    for (const backend of ['js', 'wasm-simd']) {
      for (const chunkBits of [30, 4]) {
        for (const precision of ['double', 'single'] as const) {
          let first: Float32Array | Float64Array | undefined;
          for (const threads of [1, 2, 3]) {
            const e = new StatevectorEngine({ maxChunkBits: chunkBits, executor: () => threadExecutor(threads, backend) });
            const r = await e.run(c, { statevector: true, precision, fuse: 1 + (trial % 4) });
            const sv = r.statevector!;
            assert.ok(maxDiff(sv, want) < (precision === 'double' ? 1e-10 : 1e-4), `${backend} ${threads} threads ${precision}`);
            if (!first) first = sv;
            else assert.deepEqual(sv, first, `${backend} ${threads} threads not bit-identical`);
          }
        }
      }
    }
  }
});

test('sv threads: request.threads drives the default executor and trajectories still work', async () => {
  await import('../../src/statevector/threads.node.js');
  const rng = new Rng(8);
  const c = randomCircuit(9, 30, rng);
  c.addCreg('c', 2);
  c.measure(0, 0).h(0).measure(0, 1);
  const a = await new StatevectorEngine().run(c, { shots: 50, seed: 4, threads: 2, precision: 'double' });
  const b = await new StatevectorEngine().run(c, { shots: 50, seed: 4, threads: 1, precision: 'double' });
  assert.deepEqual(a.counts, b.counts);
});
