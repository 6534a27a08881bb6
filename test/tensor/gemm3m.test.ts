import { test } from 'node:test';
import assert from 'node:assert/strict';
import '../../src/tensor/wasm.js';
import { use3m } from '../../src/tensor/wasm.js';
import { gemmKernel, type ComplexArray } from '../../src/tensor/kernels.js';
import { disableTensorThreads, enableTensorThreads } from '../../src/tensor/threads.node.js';
import { mulberry32 } from '../../src/contraction/rng.js';

const r = mulberry32(2024);

function rand(len: number, f32: boolean, scale: number): ComplexArray {
  const a = f32 ? new Float32Array(2 * len) : new Float64Array(2 * len);
  for (let i = 0; i < a.length; i++) a[i] = (r() * 2 - 1) * scale;
  return a;
}

/**
 * Naive complex GEMM in float64 (the reference), and per entry S = Σ_p (|ar|+|ai|)(|br|+|bi|):
 * the 3M method's error bound is proportional to it (its imaginary part multiplies Ar+Ai by Br+Bi).
 */
function naive(batch: number, m: number, n: number, k: number, a: ComplexArray, b: ComplexArray): { c: Float64Array; s: Float64Array } {
  const c = new Float64Array(2 * batch * m * n);
  const s = new Float64Array(batch * m * n);
  for (let t = 0; t < batch; t++)
    for (let i = 0; i < m; i++)
      for (let j = 0; j < n; j++) {
        let re = 0;
        let im = 0;
        let abs = 0;
        for (let p = 0; p < k; p++) {
          const ai = 2 * (t * m * k + i * k + p);
          const bi = 2 * (t * k * n + p * n + j);
          re += a[ai] * b[bi] - a[ai + 1] * b[bi + 1];
          im += a[ai] * b[bi + 1] + a[ai + 1] * b[bi];
          abs += (Math.abs(a[ai]) + Math.abs(a[ai + 1])) * (Math.abs(b[bi]) + Math.abs(b[bi + 1]));
        }
        const o = t * m * n + i * n + j;
        c[2 * o] = re;
        c[2 * o + 1] = im;
        s[o] = abs;
      }
  return { c, s };
}

// Odd sizes, sizes crossing the 3M kernel's blocks (4-row tiles, 8/4-column panels, 40/20-row
// A blocks, 256/128-column B panels, k-blocks of 512) and batches > 1.
const shapes: Array<[number, number, number, number]> = [
  [1, 16, 32, 32], [1, 17, 33, 35], [3, 21, 37, 45], [2, 81, 130, 257], [1, 163, 131, 300], [1, 99, 257, 64], [4, 30, 70, 33],
  [1, 37, 45, 1100], [2, 23, 33, 530], [1, 45, 300, 513],
];

test('3M complex GEMM (wasm-simd, complex64 and complex128) matches a naive complex GEMM within eps·(k+4)·Σ(|ar|+|ai|)(|br|+|bi|)', () => {
  for (const [, m, n, k] of shapes) assert.ok(use3m(m, n, k), `shape ${m}×${n}×${k} should use the 3M kernel`);
  for (let s = 0; s < 6; s++) shapes.push([1 + Math.floor(r() * 3), 16 + Math.floor(r() * 90), 32 + Math.floor(r() * 90), 32 + Math.floor(r() * 300)]);
  for (const f32 of [true, false]) {
    const eps = f32 ? 2 ** -24 : 2 ** -53;
    for (const [batch, m, n, k] of shapes) {
      // Mixed magnitudes, so the bound relative to the operands' sizes is what is tested.
      const a = rand(batch * m * k, f32, 3);
      const b = rand(batch * k * n, f32, 0.01);
      const c = f32 ? new Float32Array(2 * batch * m * n).fill(7) : new Float64Array(2 * batch * m * n).fill(7);
      gemmKernel('wasm-simd')(batch, m, n, k, a, b, c);
      const want = naive(batch, m, n, k, a, b);
      let errF = 0;
      let normF = 0;
      for (let o = 0; o < want.s.length; o++) {
        // Worst-case bound of three length-k dot products and their combination (the float32
        // inputs are exact in float64, so the reference's own error is negligible).
        const tol = 4 * (k + 4) * eps * want.s[o];
        for (const x of [2 * o, 2 * o + 1]) {
          const err = Math.abs(c[x] - want.c[x]);
          assert.ok(err <= tol, `f32=${f32} [${batch},${m},${n},${k}] at ${x}: ${c[x]} vs ${want.c[x]} (tol ${tol})`);
          errF += err * err;
        }
        normF += want.s[o] * want.s[o];
      }
      // Typical (not worst-case) error: rounding errors add up like a random walk.
      assert.ok(Math.sqrt(errF) <= 4 * Math.sqrt(k) * eps * Math.sqrt(normF), `f32=${f32} [${batch},${m},${n},${k}] Frobenius error ${Math.sqrt(errF)}`);
    }
  }
});

test('threaded GEMMs (3M, and 4M for a thin B) give bit-identical results on 1, 2 and 3 threads', async () => {
  // [331, 203, 600]: 3M, several row blocks per thread, two k-blocks; [4100, 20, 40]: 4M (n < 32).
  for (const [f32, m, n, k] of [[true, 331, 203, 600], [false, 331, 203, 600], [true, 4100, 20, 40]] as const) {
    assert.equal(use3m(m, n, k), n >= 32);
    const a = rand(m * k, f32, 1);
    const b = rand(k * n, f32, 1);
    const results: ComplexArray[] = [];
    for (const threads of [1, 2, 3]) {
      if (threads > 1) assert.equal(await enableTensorThreads(threads), true);
      try {
        const c = f32 ? new Float32Array(2 * m * n) : new Float64Array(2 * m * n);
        gemmKernel('wasm-simd')(1, m, n, k, a, b, c);
        results.push(c);
      } finally {
        disableTensorThreads();
      }
    }
    assert.deepEqual(results[1], results[0], `f32=${f32} [${m},${n},${k}]: 2 threads differ from 1`);
    assert.deepEqual(results[2], results[0], `f32=${f32} [${m},${n},${k}]: 3 threads differ from 1`);
    // And the result is right (spot check against the naive product on a few rows).
    const rows = [0, 1, m >> 1, m - 1];
    for (const i of rows) {
      const want = naive(1, 1, n, k, a.subarray(2 * i * k, 2 * (i + 1) * k), b);
      for (let x = 0; x < 2 * n; x++) assert.ok(Math.abs(results[0][2 * i * n + x] - want.c[x]) <= 4 * (k + 4) * (f32 ? 2 ** -24 : 2 ** -53) * want.s[x >> 1], `[${m},${n},${k}] row ${i}`);
    }
  }
});
