import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Circuit } from '../../src/circuit/circuit.js';
import { embed } from '../../src/circuit/matrix.js';
import { Rng } from '../../src/statevector/rng.js';
import { simulateStatevector, runReference } from '../../src/statevector/reference.js';
import { StatevectorEngine } from '../../src/statevector/engine.js';
import { fuseGates } from '../../src/statevector/fusion.js';
import { ResourceError } from '../../src/formats/errors.js';
import { randomCircuit, maxDiff } from './sv-helpers.js';
import '../../src/engines.js';

/** Independent dense check: multiply the full 2^n matrix of each gate (n ≤ 8). */
function denseSimulate(c: Circuit): Float64Array {
  const n = c.numQubits;
  const D = 1 << n;
  let s = new Float64Array(2 * D);
  s[0] = 1;
  for (const g of c.gates()) {
    const m = embed(Circuit.matrixOf(g), g.qubits, n);
    const t = new Float64Array(2 * D);
    for (let r = 0; r < D; r++)
      for (let k = 0; k < D; k++) {
        const mr = m[2 * (r * D + k)], mi = m[2 * (r * D + k) + 1];
        if (mr === 0 && mi === 0) continue;
        t[2 * r] += mr * s[2 * k] - mi * s[2 * k + 1];
        t[2 * r + 1] += mr * s[2 * k + 1] + mi * s[2 * k];
      }
    s = t;
  }
  return s;
}

test('sv: agrees with a dense-matrix check on small random circuits', async () => {
  const rng = new Rng(11);
  for (let trial = 0; trial < 30; trial++) {
    const n = 1 + (trial % 6);
    const c = randomCircuit(n, 12, rng);
    const want = denseSimulate(c);
    for (const fuse of [1, 3]) {
      const r = await new StatevectorEngine().run(c, { statevector: true, precision: 'double', fuse });
      assert.ok(maxDiff(r.statevector!, want) < 1e-10, `trial ${trial} fuse ${fuse}`);
    }
  }
});

test('sv: hundreds of random circuits agree with the reference for every fusion size and tiny chunks', async () => {
  const rng = new Rng(2024);
  let runs = 0;
  for (let trial = 0; trial < 120; trial++) {
    const n = 1 + (trial % 12);
    const c = randomCircuit(n, 10 + (trial % 25), rng);
    const want = simulateStatevector(c);
    const fuse = 1 + (trial % 5);
    for (const [chunkBits, backend] of [[30, 'js'], [2 + (trial % 3), 'js'], [30, 'wasm-simd'], [3 + (trial % 4), 'wasm-simd']] as const) {
      const e = new StatevectorEngine({ maxChunkBits: chunkBits, backend });
      const d = await e.run(c, { statevector: true, precision: 'double', fuse });
      assert.ok(maxDiff(d.statevector!, want) < 1e-10, `double trial ${trial} n ${n} fuse ${fuse} chunk ${chunkBits} ${backend}`);
      const s = await e.run(c, { statevector: true, precision: 'single', fuse });
      assert.ok(s.statevector instanceof Float32Array);
      assert.ok(maxDiff(s.statevector!, want) < 1e-4, `single trial ${trial} n ${n} fuse ${fuse} chunk ${chunkBits} ${backend}`);
      runs += 2;
    }
  }
  assert.equal(runs, 960);
});

test('sv: fusion classifies diagonal, controlled and permutation gates', () => {
  const c = new Circuit(3).cz(0, 1).cx(2, 0).swap(0, 2).h(1).cp(0.3, 1, 2);
  const alone = fuseGates(c.gates(), 1);
  assert.deepEqual(alone.map((o) => o.kind), ['diag', 'perm', 'perm', 'dense', 'diag']);
  assert.deepEqual(alone[0].controls, [0]);
  assert.deepEqual(alone[1].controls, [2]);
  assert.deepEqual(alone[1].qubits, [0]);
  const fused = fuseGates(c.gates(), 3);
  assert.equal(fused.length, 1);
  assert.equal(fused[0].gates, 5);
});

test('sv: outputs follow the bit-order convention', async () => {
  const c = new Circuit(3).x(0).h(2);
  const r = await new StatevectorEngine().run(c, { amplitudes: ['100', '101', '001'], probabilities: true });
  assert.ok(Math.abs(r.amplitudes!['100'][0] - Math.SQRT1_2) < 1e-12);
  assert.ok(Math.abs(r.amplitudes!['101'][0] - Math.SQRT1_2) < 1e-12);
  assert.equal(r.amplitudes!['001'][0], 0);
  assert.ok(Math.abs(r.probabilities![4] - 0.5) < 1e-12 && Math.abs(r.probabilities![5] - 0.5) < 1e-12);
});

test('sv: precision defaults (single from 20 qubits) and memory refusal before allocating', async () => {
  const e = new StatevectorEngine();
  const small = await e.run(new Circuit(4).h(0), { statevector: true });
  assert.ok(small.statevector instanceof Float64Array);
  await assert.rejects(e.run(new Circuit(34).h(0), { memoryLimitBytes: 1 << 30 }), (err: unknown) => {
    assert.ok(err instanceof ResourceError);
    assert.equal(err.bytesNeeded, 2 ** 34 * 8);
    assert.match(err.message, /137438953472 bytes/);
    return true;
  });
  assert.equal(e.estimate(new Circuit(34), { memoryLimitBytes: 1 << 30 }).ok, false);
});

test('sv: expectations match the reference', async () => {
  const rng = new Rng(5);
  for (let trial = 0; trial < 20; trial++) {
    const n = 2 + (trial % 6);
    const c = randomCircuit(n, 15, rng);
    const terms = [];
    for (let t = 0; t < 3; t++) {
      const factors = [];
      for (let q = 0; q < n; q++) {
        const r = rng.random();
        if (r < 0.5) factors.push({ qubit: q, pauli: (r < 0.17 ? 'X' : r < 0.34 ? 'Y' : 'Z') as 'X' | 'Y' | 'Z' });
      }
      terms.push({ coefficient: rng.random() * 2 - 1, factors });
    }
    const obs = [{ terms }];
    const want = runReference(c, { observables: obs }).expectations![0];
    for (const chunkBits of [30, 1]) {
      const got = (await new StatevectorEngine({ maxChunkBits: chunkBits }).run(c, { observables: obs, precision: 'double' })).expectations![0];
      assert.ok(Math.abs(got - want) < 1e-10, `trial ${trial}: ${got} vs ${want}`);
    }
  }
});

test('sv: the WASM SIMD backend is available here and agrees with the TypeScript backend', async () => {
  const { resolveBackend } = await import('../../src/backend/registry.js');
  const { SV_APPLY } = await import('../../src/statevector/kernels.js');
  assert.equal(resolveBackend(SV_APPLY), 'wasm-simd');
  const rng = new Rng(99);
  for (let trial = 0; trial < 20; trial++) {
    const c = randomCircuit(10, 40, rng);
    for (const precision of ['single', 'double'] as const) {
      const a = await new StatevectorEngine({ backend: 'js' }).run(c, { statevector: true, precision, fuse: 4 });
      const b = await new StatevectorEngine({ backend: 'wasm-simd', maxChunkBits: 7 }).run(c, { statevector: true, precision, fuse: 4 });
      assert.ok(maxDiff(a.statevector!, b.statevector!) < (precision === 'single' ? 1e-5 : 1e-12));
    }
  }
});

test('default fusion size: 3-qubit blocks below 18 qubits, 4-qubit blocks from 18; the result matches the oracle', async () => {
  const { defaultFuse, localExecutor } = await import('../../src/statevector/engine.js');
  assert.deepEqual([2, 10, 17, 18, 30].map(defaultFuse), [3, 3, 3, 4, 4]);
  for (const n of [10, 18]) {
    // One- and two-qubit gates only, so every op wider than 2 qubits is a fused block.
    const rng = new Rng(40 + n);
    const c = new Circuit(n);
    for (let layer = 0; layer < 4; layer++) {
      for (let q = 0; q < n; q++) c.gate('u3', [q], [rng.random() * 3, rng.random() * 3, rng.random() * 3]);
      for (let q = layer % 2; q + 1 < n; q += 2) c.gate('cx', [q, q + 1]);
    }
    let widest = 0;
    const inner = localExecutor();
    const e = new StatevectorEngine({
      executor: () => ({ alloc: (q, p, b) => inner.alloc(q, p, b), apply: (st, ops) => { for (const op of ops) widest = Math.max(widest, op.pos.length + op.ctrl.length); return inner.apply(st, ops); } }),
    });
    const r = await e.run(c, { precision: 'double', statevector: true });
    assert.equal(widest, defaultFuse(n), `${n} qubits: widest fused op`);
    if (n === 10) assert.ok(maxDiff(r.statevector as Float64Array, simulateStatevector(c)) < 1e-10);
  }
});
