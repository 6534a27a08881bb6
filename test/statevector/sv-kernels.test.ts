/**
 * Kernel-level checks of the WASM SIMD state-vector kernels against the plain TypeScript kernel:
 * every block size 1…5, every kind (dense, diagonal, permutation), targets and controls on the lowest bit
 * positions (the gather paths) and on high ones (the contiguous paths), both precisions, whole
 * chunks and tiny chunks, and split iteration ranges (as threads use them); for both kernel builds,
 * plain SIMD128 and relaxed SIMD (fused multiply-add; enabled on Node 20 by its V8 flag).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { applyJs, planOp, type ChunkedState, type KernelOp } from '../../src/statevector/kernels.js';
import { allocWasmState, applyWasm, chunkVariant, type SvWasmVariant } from '../../src/statevector/wasm.js';
import { enableRelaxedSimd } from '../../src/backend/relaxed-simd.node.js';
import { disableRelaxedSimd } from '../../src/backend/relaxed-simd.js';
import { allocState } from '../../src/statevector/state.js';
import { Rng } from '../../src/statevector/rng.js';
import type { Precision } from '../../src/engine/types.js';
import { randomUnitary } from './sv-helpers.js';

/** k distinct positions and c distinct controls out of n, the lowest bits favoured half the time. */
function randomPositions(n: number, count: number, rng: Rng, low: boolean): number[] {
  const pool = Array.from({ length: n }, (_, i) => i);
  const picked: number[] = [];
  if (low) picked.push(...pool.splice(0, Math.min(count, 1 + Math.floor(rng.random() * 2))));
  while (picked.length < count) picked.push(pool.splice(Math.floor(rng.random() * pool.length), 1)[0]);
  return picked;
}

function randomState(st: ChunkedState, rng: Rng): void {
  for (const ch of st.chunks) for (let i = 0; i < ch.length; i++) ch[i] = rng.random() * 2 - 1;
}

function copyInto(dst: ChunkedState, src: ChunkedState): void {
  src.chunks.forEach((c, i) => dst.chunks[i].set(c));
}

test('sv kernels: relaxed SIMD is available on this Node (the FMA build is the one tested below)', () => {
  assert.equal(enableRelaxedSimd(), true);
});

for (const variant of ['simd', 'relaxed-simd'] as SvWasmVariant[]) test(`sv kernels (${variant} build): wasm equals the TypeScript kernel for every block size, kind, position set and range split`, () => {
  disableRelaxedSimd(variant === 'simd');
  const rng = new Rng(11);
  let cases = 0;
  let perms = 0;
  let simd = 0; // cases the SIMD kernels handle (not the TypeScript fallback)
  for (const precision of ['single', 'double'] as Precision[]) {
    const tol = precision === 'single' ? 1e-5 : 1e-13;
    for (let trial = 0; trial < 120; trial++) {
      const n = 7 + (trial % 4);
      const k = 1 + (trial % 5);
      const nCtrl = trial % 3 === 2 ? 1 + (trial % 2) : 0;
      const kind: KernelOp['kind'] = trial % 4 === 3 ? 'diag' : trial % 8 === 1 ? 'perm' : 'dense';
      const all = randomPositions(n, k + nCtrl, rng, trial % 2 === 0);
      const pos = Int32Array.from(all.slice(0, k).sort((a, b) => a - b));
      const ctrl = Int32Array.from(all.slice(k));
      const dim = 1 << k;
      const matrix = kind === 'dense' ? randomUnitary(k, rng) : Float64Array.from({ length: 2 * dim }, (_, i) => (i % 2 ? Math.sin(i) : Math.cos(i)));
      const perm = Int32Array.from({ length: dim }, (_, i) => i);
      for (let i = dim - 1; i > 0; i--) {
        const j = Math.floor(rng.random() * (i + 1));
        [perm[i], perm[j]] = [perm[j], perm[i]];
      }
      const op: KernelOp = { kind, pos, ctrl, matrix, perm };
      // Chunks large enough that every target is local (global targets go to the TS kernel by design).
      const chunkBits = trial % 3 === 0 ? n : Math.max(...all.slice(0, k)) + 1 + (trial % 2);
      const w = allocWasmState(n, precision, Math.min(n, chunkBits));
      assert.equal(chunkVariant(w.chunks[0]), variant);
      randomState(w, rng);
      const j = allocState(n, precision, Math.min(n, chunkBits));
      copyInto(j, w);
      const pl = planOp(op, w.chunkBits, w.chunks.length);
      if (pl.kg === 0 && pl.nL >= 4) simd++;
      if (kind === 'perm') perms++;
      const parts = 1 + (trial % 3);
      for (let p = 0; p < parts; p++) applyWasm(w, op, p, parts);
      applyJs(j, op, 0, 1);
      let worst = 0;
      w.chunks.forEach((c, i) => {
        for (let x = 0; x < c.length; x++) worst = Math.max(worst, Math.abs(c[x] - j.chunks[i][x]));
      });
      assert.ok(worst < tol, `${precision} trial ${trial}: k=${k} ${kind} pos=${[...pos]} ctrl=${[...ctrl]} chunkBits=${chunkBits} parts=${parts}: max diff ${worst}`);
      cases++;
    }
  }
  assert.equal(cases, 240);
  assert.ok(perms >= 20, `only ${perms} permutation cases`);
  assert.ok(simd >= 150, `only ${simd} cases reached the SIMD kernels`);
  disableRelaxedSimd(false);
});
