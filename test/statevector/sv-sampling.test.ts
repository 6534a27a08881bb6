import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Circuit } from '../../src/circuit/circuit.js';
import { runReference } from '../../src/statevector/reference.js';
import { StatevectorEngine } from '../../src/statevector/engine.js';
import { allocState, marginalProbabilities, probabilities } from '../../src/statevector/state.js';
import { localExecutor, planCircuit } from '../../src/statevector/engine.js';
import { Rng } from '../../src/statevector/rng.js';
import { randomCircuit } from './sv-helpers.js';

test('sv: shots follow the Born distribution (chi-square) and are seeded', async () => {
  const c = new Circuit(3).ry(0.7, 0).cx(0, 1).ry(1.9, 2);
  const e = new StatevectorEngine({ maxChunkBits: 1 });
  const shots = 20000;
  const r = await e.run(c, { shots, seed: 7, probabilities: true, precision: 'double' });
  const again = await e.run(c, { shots, seed: 7 });
  assert.deepEqual(r.counts, again.counts);
  let chi = 0;
  for (let i = 0; i < 8; i++) {
    const p = r.probabilities![i];
    if (p < 1e-12) {
      assert.equal(r.counts![i.toString(2).padStart(3, '0')] ?? 0, 0);
      continue;
    }
    const o = r.counts![i.toString(2).padStart(3, '0')] ?? 0;
    chi += (o - shots * p) ** 2 / (shots * p);
  }
  assert.ok(chi < 25, `chi-square ${chi}`); // 3 dof with nonzero p: 25 is far in the tail
  // Same seed and double precision: the same uniforms as the reference, so the same counts.
  assert.deepEqual(r.counts, runReference(c, { shots, seed: 7 }).counts);
});

test('sv: counts keys are classical bits for measured circuits', async () => {
  const c = new Circuit(2, 3).x(1).measure(1, 0).measure(0, 2);
  const r = await new StatevectorEngine().run(c, { shots: 10, seed: 1 });
  assert.deepEqual(r.counts, { '100': 10 });
});

test('sv: mid-circuit measurement, reset and if agree with the reference per seed', async () => {
  const c = new Circuit(3, 2);
  c.h(0).measure(0, 0).reset(0).h(0);
  c.gate('x', [2], [], { condition: c.condition('c', 1) });
  c.cx(0, 1).measure(1, 1).ry(0.4, 2);
  for (const chunkBits of [30, 1]) {
    const r = await new StatevectorEngine({ maxChunkBits: chunkBits }).run(c, { shots: 400, seed: 3, statevector: true, precision: 'double' });
    const want = runReference(c, { shots: 400, seed: 3, statevector: true });
    assert.deepEqual(r.counts, want.counts);
    const sv = r.statevector!;
    for (let i = 0; i < sv.length; i++) assert.ok(Math.abs(sv[i] - want.statevector![i]) < 1e-12);
  }
  // Teleportation-like statistics: measured outcomes of h are balanced.
  const r = await new StatevectorEngine().run(new Circuit(1, 1).h(0).measure(0, 0).h(0), { shots: 2000, seed: 9 });
  assert.ok(Math.abs(r.counts!['0'] - 1000) < 150);
});

test('sv: marginals sum the right probabilities', async () => {
  const rng = new Rng(3);
  const c = randomCircuit(5, 20, rng);
  for (const bits of [5, 2]) {
    const st = allocState(5, 'double', bits);
    const exec = localExecutor();
    for (const s of planCircuit(c, 2)) if (s.kind === 'ops') exec.apply(st, s.ops);
    const p = probabilities(st);
    const m = marginalProbabilities(st, [3, 0]);
    for (let j = 0; j < 4; j++) {
      let want = 0;
      for (let i = 0; i < 32; i++) if ((((i >> 1) & 1) << 1 | ((i >> 4) & 1)) === j) want += p[i];
      assert.ok(Math.abs(m[j] - want) < 1e-12);
    }
  }
});
