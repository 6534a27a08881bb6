import { test } from 'node:test';
import assert from 'node:assert/strict';
import { gemmJs, gemmKernel } from '../../src/tensor/kernels.js';
import { disableTensorThreads, enableTensorThreads } from '../../src/tensor/threads.node.js';
import { mulberry32 } from '../../src/contraction/rng.js';

test('multi-threaded wasm complex64 GEMM (2 and 3 threads) matches the plain TypeScript kernel', async () => {
  const r = mulberry32(9);
  for (const threads of [2, 3]) {
    assert.equal(await enableTensorThreads(threads), true);
    try {
      // Shapes not used elsewhere in this process, so stale results in the shared memory cannot mask a missed block.
      for (const [m, n, k] of [[517, 261, 33], [64, 1030, 40], [303, 128, 129]]) {
        const a = new Float32Array(2 * m * k).map(() => r() - 0.5);
        const b = new Float32Array(2 * k * n).map(() => r() - 0.5);
        const c = new Float32Array(2 * m * n);
        const d = new Float32Array(2 * m * n);
        gemmKernel('wasm-simd')(1, m, n, k, a, b, c);
        gemmJs(1, m, n, k, a, b, d);
        for (let i = 0; i < c.length; i++) assert.ok(Math.abs(c[i] - d[i]) < 1e-4, `${threads} threads [${m},${n},${k}] at ${i}`);
      }
    } finally {
      disableTensorThreads();
    }
  }
});

test('multi-threaded wasm complex128 GEMM (2 threads) matches the plain TypeScript kernel to 1e-12', async () => {
  const r = mulberry32(11);
  assert.equal(await enableTensorThreads(2), true);
  try {
    for (const [m, n, k] of [[515, 263, 35], [66, 1031, 41], [301, 130, 131]]) {
      const a = new Float64Array(2 * m * k).map(() => r() - 0.5);
      const b = new Float64Array(2 * k * n).map(() => r() - 0.5);
      const c = new Float64Array(2 * m * n);
      const d = new Float64Array(2 * m * n);
      gemmKernel('wasm-simd')(1, m, n, k, a, b, c);
      gemmJs(1, m, n, k, a, b, d);
      for (let i = 0; i < c.length; i++) assert.ok(Math.abs(c[i] - d[i]) < 1e-12, `[${m},${n},${k}] at ${i}`);
    }
  } finally {
    disableTensorThreads();
  }
});
