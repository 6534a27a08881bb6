/**
 * Global-qubit routing: a batch rewritten with local–global swaps gives the same state as the
 * plain batch on the generic kernel, leaves no global target where enough local positions are
 * free, and restores the layout at the end (checked on both backends and split ranges).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { applyJs, type ChunkedState, type KernelOp } from '../../src/statevector/kernels.js';
import { allocWasmState, applyWasm } from '../../src/statevector/wasm.js';
import { allocState } from '../../src/statevector/state.js';
import { isLocalGlobalSwap, routeGlobalTargets } from '../../src/statevector/global-qubits.js';
import { Rng } from '../../src/statevector/rng.js';
import type { Precision } from '../../src/engine/types.js';
import { randomUnitary } from './sv-helpers.js';

function randomOp(n: number, rng: Rng): KernelOp {
  const k = 1 + Math.floor(rng.random() * 3);
  const nc = rng.random() < 0.3 ? 1 : 0;
  const pool = Array.from({ length: n }, (_, i) => i);
  const pick = (): number => pool.splice(Math.floor(rng.random() * pool.length), 1)[0];
  const pos = Int32Array.from({ length: k }, pick).sort();
  const ctrl = Int32Array.from({ length: nc }, pick);
  const dim = 1 << k;
  const r = rng.random();
  if (r < 0.15) {
    const perm = Int32Array.from({ length: dim }, (_, i) => i);
    for (let i = dim - 1; i > 0; i--) {
      const j = Math.floor(rng.random() * (i + 1));
      [perm[i], perm[j]] = [perm[j], perm[i]];
    }
    return { kind: 'perm', pos, ctrl, matrix: new Float64Array(0), perm };
  }
  if (r < 0.35) return { kind: 'diag', pos, ctrl, matrix: Float64Array.from({ length: 2 * dim }, () => rng.random() - 0.5), perm: new Int32Array(0) };
  return { kind: 'dense', pos, ctrl, matrix: randomUnitary(k, rng), perm: new Int32Array(0) };
}

function fill(s: ChunkedState, rng: Rng): void {
  for (const c of s.chunks) for (let i = 0; i < c.length; i++) c[i] = rng.random() - 0.5;
}

test('sv global qubits: routed batches equal plain batches, targets end up local, layout restored', () => {
  const rng = new Rng(5);
  let swaps = 0;
  for (let trial = 0; trial < 60; trial++) {
    const n = 8 + (trial % 3);
    const chunkBits = 4 + (trial % 4);
    const precision: Precision = trial % 2 ? 'single' : 'double';
    const tol = precision === 'single' ? 1e-5 : 1e-12;
    const ops = Array.from({ length: 12 }, () => randomOp(n, rng));
    const routed = routeGlobalTargets(ops, n, chunkBits);
    for (const op of routed) {
      if (isLocalGlobalSwap(op, chunkBits)) {
        swaps++;
        continue;
      }
      const globalTargets = [...op.pos].filter((p) => p >= chunkBits).length;
      if (op.pos.length + op.ctrl.length <= chunkBits) assert.equal(globalTargets, 0, `trial ${trial}: op on ${[...op.pos]} kept a global target`);
    }
    const want = allocState(n, precision, chunkBits);
    fill(want, new Rng(100 + trial));
    const start = want.chunks.map((c) => c.slice());
    for (const op of ops) applyJs(want, op, 0, 1);
    const parts = 1 + (trial % 3);
    for (const [name, alloc, kernel] of [
      ['js', allocState, applyJs],
      ['wasm-simd', allocWasmState, applyWasm],
    ] as const) {
      const got = alloc(n, precision, chunkBits);
      start.forEach((c, i) => got.chunks[i].set(c));
      for (const op of routed) for (let p = 0; p < parts; p++) kernel(got, op, p, parts);
      let worst = 0;
      got.chunks.forEach((c, i) => {
        for (let x = 0; x < c.length; x++) worst = Math.max(worst, Math.abs(c[x] - want.chunks[i][x]));
      });
      assert.ok(worst < tol, `${name} trial ${trial} n=${n} chunkBits=${chunkBits}: max diff ${worst}`);
    }
  }
  assert.ok(swaps > 50, `only ${swaps} swaps exercised`);
});

test('sv global qubits: a global target evicts the local qubit needed again latest', () => {
  const n = 6, L = 4; // positions 4 and 5 are global
  const dense = (...pos: number[]): KernelOp => ({ kind: 'dense', pos: Int32Array.from(pos), ctrl: new Int32Array(0), matrix: randomUnitary(pos.length, new Rng(pos.length)), perm: new Int32Array(0) });
  // Position 4 is needed now; 3 and 2 right after, 1 later, 0 never again.
  const ops = [dense(4), dense(3), dense(2, 3), dense(1), dense(4, 3)];
  const routed = routeGlobalTargets(ops, n, L);
  assert.ok(isLocalGlobalSwap(routed[0], L));
  assert.deepEqual([...routed[0].pos], [0, 4], 'position 0 (never used again) takes the global qubit');
  // The later ops need no further exchange; the final one swaps the layout back.
  assert.equal(routed.filter((op) => isLocalGlobalSwap(op, L)).length, 2);
  assert.deepEqual([...routed[1].pos], [0], 'the first op now runs on position 0');
});
