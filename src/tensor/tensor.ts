/**
 * Dense complex tensors with labelled indices, and pairwise contraction as
 * (optional) permutation + batched complex GEMM. Batch axes are indices shared by both operands
 * and kept in the result (hyperedges); permutations are skipped whenever an operand's layout
 * already fits the GEMM.
 */
import { type ComplexArray, gemmKernel, permuteKernel } from './kernels.js';

export type { ComplexArray } from './kernels.js';

/** Element type: interleaved complex64 (Float32Array) or complex128 (Float64Array). */
export type DType = 'complex64' | 'complex128';

/** A dense complex tensor, row-major with `indices[0]` slowest. */
export interface Tensor {
  readonly indices: readonly number[];
  readonly shape: readonly number[];
  readonly data: ComplexArray;
}

/** Bytes per complex element. */
export function bytesPerElement(dtype: DType): number {
  return dtype === 'complex64' ? 8 : 16;
}

/** A zero-filled array of `elements` complex numbers. */
export function allocComplex(dtype: DType, elements: number): ComplexArray {
  return dtype === 'complex64' ? new Float32Array(2 * elements) : new Float64Array(2 * elements);
}

export function product(xs: readonly number[]): number {
  let p = 1;
  for (const x of xs) p *= x;
  return p;
}

/** Layout decision for one pairwise contraction (structure only, no data). */
export interface PairPlan {
  /** Which operand plays the GEMM's left role (0 = first, 1 = second). */
  readonly leftIsFirst: boolean;
  /** Indices summed out of a single operand before the GEMM (appear on it alone, not kept). */
  readonly preSumLeft: readonly number[];
  readonly preSumRight: readonly number[];
  /** Index order the left operand must have: batch ++ m ++ k. */
  readonly leftOrder: readonly number[];
  /** Index order the right operand must have: batch ++ k ++ n. */
  readonly rightOrder: readonly number[];
  /** Whether the (pre-summed) operand needs a permutation copy. */
  readonly permuteLeft: boolean;
  readonly permuteRight: boolean;
  readonly batch: number;
  readonly m: number;
  readonly n: number;
  readonly k: number;
  /** Result indices: batch ++ m ++ n. */
  readonly out: readonly number[];
}

function sameOrder(a: readonly number[], b: readonly number[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/**
 * Plans contracting tensors with indices `ia` and `ib`; `keep(i)` says whether index `i`
 * survives (output index or still on another tensor). Chooses the operand roles and index orders
 * that need the least permutation traffic.
 */
export function planPair(ia: readonly number[], ib: readonly number[], sizes: (i: number) => number, keep: (i: number) => boolean): PairPlan {
  const inB = new Set(ib);
  const inA = new Set(ia);
  const preA = ia.filter((i) => !inB.has(i) && !keep(i));
  const preB = ib.filter((i) => !inA.has(i) && !keep(i));
  const a = ia.filter((i) => !preA.includes(i));
  const b = ib.filter((i) => !preB.includes(i));
  const sizeA = product(a.map(sizes));
  const sizeB = product(b.map(sizes));
  let best: PairPlan | undefined;
  let bestCost = Infinity;
  for (const leftIsFirst of [true, false]) {
    const L = leftIsFirst ? a : b;
    const R = leftIsFirst ? b : a;
    const inR = new Set(R);
    const inL = new Set(L);
    for (const ordersFromLeft of [true, false]) {
      const src = ordersFromLeft ? L : R;
      const batchIdx = src.filter((i) => (ordersFromLeft ? inR.has(i) : inL.has(i)) && keep(i));
      const kIdx = src.filter((i) => (ordersFromLeft ? inR.has(i) : inL.has(i)) && !keep(i));
      const mIdx = L.filter((i) => !inR.has(i));
      const nIdx = R.filter((i) => !inL.has(i));
      const leftOrder = [...batchIdx, ...mIdx, ...kIdx];
      const rightOrder = [...batchIdx, ...kIdx, ...nIdx];
      const permuteLeft = !sameOrder(leftOrder, L);
      const permuteRight = !sameOrder(rightOrder, R);
      const sL = leftIsFirst ? sizeA : sizeB;
      const sR = leftIsFirst ? sizeB : sizeA;
      const cost = (permuteLeft ? sL : 0) + (permuteRight ? sR : 0);
      if (cost < bestCost) {
        bestCost = cost;
        best = {
          leftIsFirst,
          preSumLeft: leftIsFirst ? preA : preB,
          preSumRight: leftIsFirst ? preB : preA,
          leftOrder,
          rightOrder,
          permuteLeft,
          permuteRight,
          batch: product(batchIdx.map(sizes)),
          m: product(mIdx.map(sizes)),
          n: product(nIdx.map(sizes)),
          k: product(kIdx.map(sizes)),
          out: [...batchIdx, ...mIdx, ...nIdx],
        };
      }
    }
  }
  return best!;
}

/** Sums a tensor over the given indices (used for indices that appear on one operand only). */
export function sumOver(t: Tensor, indices: readonly number[]): Tensor {
  if (indices.length === 0) return t;
  const kept = t.indices.filter((i) => !indices.includes(i));
  const order = [...kept, ...indices];
  const p = permuteTo(t, order);
  const keptShape = kept.map((i) => p.shape[p.indices.indexOf(i)]);
  const outer = product(keptShape);
  const inner = product(indices.map((i) => p.shape[p.indices.indexOf(i)]));
  const out = p.data instanceof Float32Array ? new Float32Array(2 * outer) : new Float64Array(2 * outer);
  for (let o = 0; o < outer; o++) {
    let re = 0;
    let im = 0;
    const base = 2 * o * inner;
    for (let x = 0; x < inner; x++) {
      re += p.data[base + 2 * x];
      im += p.data[base + 2 * x + 1];
    }
    out[2 * o] = re;
    out[2 * o + 1] = im;
  }
  return { indices: kept, shape: keptShape, data: out };
}

/** The tensor with its axes reordered to `order` (returns `t` itself when already in order). */
export function permuteTo(t: Tensor, order: readonly number[], backend?: string): Tensor {
  if (sameOrder(order, t.indices)) return t;
  const perm = order.map((i) => {
    const p = t.indices.indexOf(i);
    if (p < 0) throw new Error(`permuteTo: index ${i} not on tensor`);
    return p;
  });
  const data = t.data instanceof Float32Array ? new Float32Array(t.data.length) : new Float64Array(t.data.length);
  permuteKernel(backend)(t.data, t.shape, perm, data);
  return { indices: [...order], shape: perm.map((p) => t.shape[p]), data };
}

/** Executes a planned pairwise contraction; returns the result and the real FLOPs it did. */
export function contractPlanned(first: Tensor, second: Tensor, plan: PairPlan, backend?: string): { tensor: Tensor; flops: number } {
  let L = plan.leftIsFirst ? first : second;
  let R = plan.leftIsFirst ? second : first;
  L = sumOver(L, plan.preSumLeft);
  R = sumOver(R, plan.preSumRight);
  if (plan.permuteLeft) L = permuteTo(L, plan.leftOrder, backend);
  if (plan.permuteRight) R = permuteTo(R, plan.rightOrder, backend);
  const { batch, m, n, k } = plan;
  const out = L.data instanceof Float32Array ? new Float32Array(2 * batch * m * n) : new Float64Array(2 * batch * m * n);
  gemmKernel(backend)(batch, m, n, k, L.data, R.data, out);
  const sizeOf = (i: number): number => {
    const p = L.indices.indexOf(i);
    return p >= 0 ? L.shape[p] : R.shape[R.indices.indexOf(i)];
  };
  return { tensor: { indices: plan.out, shape: plan.out.map(sizeOf), data: out }, flops: 8 * batch * m * n * k };
}

/**
 * Contracts two tensors: indices shared and not in `keep` are summed, shared indices in `keep`
 * become batch axes, indices on one operand only are summed unless kept.
 */
export function contractPair(a: Tensor, b: Tensor, keep: ReadonlySet<number>, backend?: string): Tensor {
  const sizes = new Map<number, number>();
  a.indices.forEach((i, p) => sizes.set(i, a.shape[p]));
  b.indices.forEach((i, p) => sizes.set(i, b.shape[p]));
  const plan = planPair(a.indices, b.indices, (i) => sizes.get(i)!, (i) => keep.has(i));
  return contractPlanned(a, b, plan, backend).tensor;
}
