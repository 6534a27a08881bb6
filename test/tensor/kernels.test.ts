import { test } from 'node:test';
import assert from 'node:assert/strict';
import { listBackends } from '../../src/backend/registry.js';
import '../../src/tensor/wasm.js';
import { gemmKernel, permuteKernel, GEMM_KERNEL, type ComplexArray } from '../../src/tensor/kernels.js';
import { contractPair, type Tensor } from '../../src/tensor/tensor.js';
import { resolveBackend } from '../../src/backend/registry.js';
import { mulberry32 } from '../../src/contraction/rng.js';

const r = mulberry32(42);
const randArr = (len: number, f32: boolean): ComplexArray => {
  const a = f32 ? new Float32Array(2 * len) : new Float64Array(2 * len);
  for (let i = 0; i < a.length; i++) a[i] = r() * 2 - 1;
  return a;
};

function naiveGemm(batch: number, m: number, n: number, k: number, a: ComplexArray, b: ComplexArray): Float64Array {
  const c = new Float64Array(2 * batch * m * n);
  for (let t = 0; t < batch; t++)
    for (let i = 0; i < m; i++)
      for (let j = 0; j < n; j++) {
        let re = 0;
        let im = 0;
        for (let p = 0; p < k; p++) {
          const ar = a[2 * (t * m * k + i * k + p)], ai = a[2 * (t * m * k + i * k + p) + 1];
          const br = b[2 * (t * k * n + p * n + j)], bi = b[2 * (t * k * n + p * n + j) + 1];
          re += ar * br - ai * bi;
          im += ar * bi + ai * br;
        }
        c[2 * (t * m * n + i * n + j)] = re;
        c[2 * (t * m * n + i * n + j) + 1] = im;
      }
  return c;
}

/** Backends that provide the GEMM kernel here. */
const backends = listBackends().filter((b) => b.isAvailable()).map((b) => b.name).filter((name) => {
  try {
    return resolveBackend(GEMM_KERNEL, name) === name;
  } catch {
    return false;
  }
});

test('both js and wasm-simd backends are available for the tensor kernels', () => {
  assert.ok(backends.includes('js'));
  assert.ok(backends.includes('wasm-simd'), `backends: ${backends.join(', ')}`);
});

for (const backend of backends) {
  test(`[${backend}] complex GEMM matches a naive product on random shapes (complex64 and complex128)`, () => {
    const shapes: Array<[number, number, number, number]> = [
      [1, 1, 1, 1], [1, 3, 5, 7], [2, 4, 4, 4], [1, 17, 9, 33], [3, 8, 1, 16], [1, 1, 64, 130], [1, 70, 3, 2], [2, 33, 65, 31], [1, 129, 130, 131], [1, 5, 300, 2],
    ];
    for (let s = 0; s < 6; s++) shapes.push([1 + Math.floor(r() * 3), 1 + Math.floor(r() * 40), 1 + Math.floor(r() * 40), 1 + Math.floor(r() * 40)]);
    for (const f32 of [false, true]) {
      for (const [batch, m, n, k] of shapes) {
        const a = randArr(batch * m * k, f32);
        const b = randArr(batch * k * n, f32);
        const c = f32 ? new Float32Array(2 * batch * m * n).fill(7) : new Float64Array(2 * batch * m * n).fill(7);
        gemmKernel(backend)(batch, m, n, k, a, b, c);
        const want = naiveGemm(batch, m, n, k, a, b);
        const tol = f32 ? 1e-4 * Math.sqrt(k) : 1e-12 * k;
        for (let i = 0; i < want.length; i++) assert.ok(Math.abs(c[i] - want[i]) <= tol, `${backend} f32=${f32} [${batch},${m},${n},${k}] at ${i}: ${c[i]} vs ${want[i]}`);
      }
    }
  });

  test(`[${backend}] permutation matches a naive transpose on random shapes`, () => {
    for (let trial = 0; trial < 40; trial++) {
      const rank = 1 + Math.floor(r() * 6);
      const shape = Array.from({ length: rank }, () => 1 + Math.floor(r() * 4));
      const perm = [...Array(rank).keys()].sort(() => r() - 0.5);
      const total = shape.reduce((x, y) => x * y, 1);
      for (const f32 of [false, true]) {
        const src = randArr(total, f32);
        const dst = f32 ? new Float32Array(2 * total) : new Float64Array(2 * total);
        permuteKernel(backend)(src, shape, perm, dst);
        const dShape = perm.map((p) => shape[p]);
        for (let e = 0; e < total; e++) {
          // Destination multi-index → source offset.
          let rem = e;
          const di = new Array<number>(rank);
          for (let ax = rank - 1; ax >= 0; ax--) {
            di[ax] = rem % dShape[ax];
            rem = Math.floor(rem / dShape[ax]);
          }
          const si = new Array<number>(rank);
          perm.forEach((p, j) => (si[p] = di[j]));
          let off = 0;
          for (let ax = 0; ax < rank; ax++) off = off * shape[ax] + si[ax];
          assert.equal(dst[2 * e], src[2 * off]);
          assert.equal(dst[2 * e + 1], src[2 * off + 1]);
        }
      }
    }
  });
}

test('contractPair: batch (hyperedge) indices, summed indices and single-operand sums match a naive einsum', () => {
  const sizes = [2, 3, 2, 4, 2, 3];
  const mk = (idx: number[]): Tensor => ({ indices: idx, shape: idx.map((i) => sizes[i]), data: randArr(idx.reduce((x, i) => x * sizes[i], 1), false) });
  const a = mk([0, 1, 2, 5]);
  const b = mk([3, 1, 0, 4]);
  const keep = new Set([0, 3, 4]); // 0 batch, 1 summed, 2 and 5 summed on a alone, 4 kept
  const out = contractPair(a, b, keep);
  const at = (t: Tensor, v: number[]) => {
    let o = 0;
    for (const i of t.indices) o = o * sizes[i] + v[i];
    return o;
  };
  const v = new Array<number>(6).fill(0);
  const want = new Map<string, [number, number]>();
  const rec = (ax: number): void => {
    if (ax === 6) {
      const x = at(a, v), y = at(b, v);
      const re = a.data[2 * x] * b.data[2 * y] - a.data[2 * x + 1] * b.data[2 * y + 1];
      const im = a.data[2 * x] * b.data[2 * y + 1] + a.data[2 * x + 1] * b.data[2 * y];
      const key = out.indices.map((i) => v[i]).join(',');
      const w = want.get(key) ?? [0, 0];
      want.set(key, [w[0] + re, w[1] + im]);
      return;
    }
    for (v[ax] = 0; v[ax] < sizes[ax]; v[ax]++) rec(ax + 1);
    v[ax] = 0;
  };
  rec(0);
  assert.deepEqual([...out.indices].sort(), [0, 3, 4]);
  for (const [key, w] of want) {
    const vals = key.split(',').map(Number);
    let o = 0;
    out.indices.forEach((i, j) => (o = o * sizes[i] + vals[j]));
    assert.ok(Math.abs(out.data[2 * o] - w[0]) < 1e-12 && Math.abs(out.data[2 * o + 1] - w[1]) < 1e-12);
  }
});
