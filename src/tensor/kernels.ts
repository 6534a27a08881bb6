/**
 * Dense complex kernels (interleaved `[re, im, …]`) behind the backend registry: a batched
 * complex GEMM and an axis permutation. The plain TypeScript versions (backend 'js') are always
 * registered; `src/tensor/wasm.ts` adds WebAssembly SIMD versions (backend 'wasm-simd').
 */
import { getKernel, registerKernel } from '../backend/registry.js';

/** Interleaved complex data in single or double precision. */
export type ComplexArray = Float32Array | Float64Array;

/**
 * Batched complex GEMM: for every batch `t`, `C[t] = A[t] · B[t]` with `A[t]` an `m×k`,
 * `B[t]` a `k×n` and `C[t]` an `m×n` row-major complex matrix (C is overwritten). All three
 * arrays have the same precision.
 */
export type GemmKernel = (batch: number, m: number, n: number, k: number, a: ComplexArray, b: ComplexArray, c: ComplexArray) => void;

/**
 * Permutation: `dst` gets `src` (row-major, `shape`) with its axes reordered so that axis `j`
 * of `dst` is axis `perm[j]` of `src`.
 */
export type PermuteKernel = (src: ComplexArray, shape: readonly number[], perm: readonly number[], dst: ComplexArray) => void;

export const GEMM_KERNEL = 'tensor.gemm';
export const PERMUTE_KERNEL = 'tensor.permute';

// Block sizes (complex elements) chosen so a k-panel of B rows (KC × NC) stays in L2.
const KC = 128;
const NC = 256;
const MC = 64;

/** Cache-blocked complex GEMM in plain TypeScript (i-p-j order within blocks: unit-stride inner loop). */
export function gemmJs(batch: number, m: number, n: number, k: number, a: ComplexArray, b: ComplexArray, c: ComplexArray): void {
  c.fill(0, 0, 2 * batch * m * n);
  for (let t = 0; t < batch; t++) {
    const aOff = 2 * t * m * k;
    const bOff = 2 * t * k * n;
    const cOff = 2 * t * m * n;
    for (let j0 = 0; j0 < n; j0 += NC) {
      const j1 = Math.min(n, j0 + NC);
      for (let p0 = 0; p0 < k; p0 += KC) {
        const p1 = Math.min(k, p0 + KC);
        for (let i0 = 0; i0 < m; i0 += MC) {
          const i1 = Math.min(m, i0 + MC);
          for (let i = i0; i < i1; i++) {
            const crow = cOff + 2 * i * n;
            const arow = aOff + 2 * i * k;
            for (let p = p0; p < p1; p++) {
              const ar = a[arow + 2 * p];
              const ai = a[arow + 2 * p + 1];
              if (ar === 0 && ai === 0) continue;
              const brow = bOff + 2 * p * n;
              for (let j = j0; j < j1; j++) {
                const br = b[brow + 2 * j];
                const bi = b[brow + 2 * j + 1];
                c[crow + 2 * j] += ar * br - ai * bi;
                c[crow + 2 * j + 1] += ar * bi + ai * br;
              }
            }
          }
        }
      }
    }
  }
}

/** Axis permutation in plain TypeScript (odometer over the destination, strided reads). */
export function permuteJs(src: ComplexArray, shape: readonly number[], perm: readonly number[], dst: ComplexArray): void {
  const r = shape.length;
  const total = shape.reduce((x, y) => x * y, 1);
  if (r === 0) {
    dst[0] = src[0];
    dst[1] = src[1];
    return;
  }
  const srcStride = new Array<number>(r);
  let s = 1;
  for (let i = r - 1; i >= 0; i--) {
    srcStride[i] = s;
    s *= shape[i];
  }
  const dShape = perm.map((p) => shape[p]);
  const dStride = perm.map((p) => srcStride[p]);
  // Innermost destination axis is copied in a tight loop.
  const inner = dShape[r - 1];
  const innerStride = 2 * dStride[r - 1];
  const counter = new Array<number>(r).fill(0);
  let srcPos = 0;
  for (let d = 0; d < total; d += inner) {
    let sp = 2 * srcPos;
    let dp = 2 * d;
    for (let x = 0; x < inner; x++) {
      dst[dp] = src[sp];
      dst[dp + 1] = src[sp + 1];
      dp += 2;
      sp += innerStride;
    }
    // Advance the odometer over the outer axes.
    for (let ax = r - 2; ax >= 0; ax--) {
      counter[ax]++;
      srcPos += dStride[ax];
      if (counter[ax] < dShape[ax]) break;
      srcPos -= dStride[ax] * dShape[ax];
      counter[ax] = 0;
    }
  }
}

registerKernel<GemmKernel>(GEMM_KERNEL, 'js', gemmJs);
registerKernel<PermuteKernel>(PERMUTE_KERNEL, 'js', permuteJs);

/** The GEMM of the best available (or the named) backend. */
export function gemmKernel(backend?: string): GemmKernel {
  return getKernel<GemmKernel>(GEMM_KERNEL, backend);
}

/** The permutation kernel of the best available (or the named) backend. */
export function permuteKernel(backend?: string): PermuteKernel {
  return getKernel<PermuteKernel>(PERMUTE_KERNEL, backend);
}
