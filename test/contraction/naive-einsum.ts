/**
 * Test helper: a naive real-valued einsum executor for small networks, counting multiply-adds
 * so the cost model can be checked against an actual execution.
 */
import type { ContractionProblem, SsaPath } from '../../src/contraction/types.js';
import type { ContractionTree } from '../../src/contraction/tree.js';

export interface DenseTensor {
  idx: number[];
  data: Float64Array;
}

/** Random tensors with values in [-1, 1) for each input of `p` (seeded). */
export function randomTensors(p: ContractionProblem, seed: number): DenseTensor[] {
  let s = seed >>> 0;
  const rnd = (): number => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2147483648 - 1;
  };
  return p.inputs.map((idx) => {
    const n = idx.reduce((a, i) => a * p.sizes[i], 1);
    const data = new Float64Array(n);
    for (let k = 0; k < n; k++) data[k] = rnd();
    return { idx: [...idx], data };
  });
}

/** Offset of a full assignment `vals` (by index id) in a row-major tensor over `idx`. */
function offset(idx: number[], vals: Map<number, number>, sizes: readonly number[]): number {
  let o = 0;
  for (const i of idx) o = o * sizes[i] + vals.get(i)!;
  return o;
}

/** Iterates all assignments of `idx`. */
function* assignments(idx: number[], sizes: readonly number[], fixed: Map<number, number>): Generator<Map<number, number>> {
  const vals = new Map(fixed);
  const free = idx.filter((i) => !fixed.has(i));
  for (const i of free) vals.set(i, 0);
  for (;;) {
    yield vals;
    let k = free.length - 1;
    while (k >= 0) {
      const i = free[k];
      const v = vals.get(i)! + 1;
      if (v < sizes[i]) {
        vals.set(i, v);
        break;
      }
      vals.set(i, 0);
      k--;
    }
    if (k < 0) return;
  }
}

/**
 * Contracts along `path` with hypergraph semantics, with indices in `fixed` set to given values
 * (a slice: they count as size 1). Returns the result over `p.output` and multiply-adds counted.
 */
export function executePath(
  p: ContractionProblem,
  tensors: DenseTensor[],
  path: SsaPath,
  fixed: Map<number, number> = new Map(),
): { result: Float64Array; madds: number; maxSize: number; writes: number } {
  const live = new Map<number, DenseTensor>();
  tensors.forEach((t, k) => live.set(k, t));
  const ref = new Map<number, number>();
  for (const o of p.output) ref.set(o, 1);
  for (const t of p.inputs) for (const i of t) ref.set(i, (ref.get(i) ?? 0) + 1);
  let madds = 0;
  let maxSize = 0;
  let writes = 0;
  const sz = (i: number): number => (fixed.has(i) ? 1 : p.sizes[i]);
  let next = tensors.length;
  for (const [a, b] of path) {
    const A = live.get(a)!;
    const B = live.get(b)!;
    const all = [...new Set([...A.idx, ...B.idx])];
    const out = all.filter((i) => {
      const rem = ref.get(i)! - (A.idx.includes(i) ? 1 : 0) - (B.idx.includes(i) ? 1 : 0);
      return rem > 0;
    });
    for (const i of all) {
      const rem = ref.get(i)! - (A.idx.includes(i) ? 1 : 0) - (B.idx.includes(i) ? 1 : 0);
      ref.set(i, rem + (out.includes(i) ? 1 : 0));
    }
    // Full-size tensors store only the fixed slice value's entries: keep full layout, index by value.
    const outSizeFull = out.reduce((x, i) => x * p.sizes[i], 1);
    const data = new Float64Array(outSizeFull);
    for (const v of assignments(all, p.sizes, fixed)) {
      data[offset(out, v, p.sizes)] += A.data[offset(A.idx, v, p.sizes)] * B.data[offset(B.idx, v, p.sizes)];
      madds++;
    }
    const outSize = out.reduce((x, i) => x * sz(i), 1);
    maxSize = Math.max(maxSize, outSize);
    writes += outSize;
    live.delete(a);
    live.delete(b);
    live.set(next++, { idx: out, data });
  }
  const [last] = [...live.values()];
  // Final permutation into output order.
  const result = new Float64Array(p.output.reduce((x, i) => x * p.sizes[i], 1));
  for (const v of assignments(last.idx, p.sizes, fixed)) {
    result[offset([...p.output], v, p.sizes)] += last.data[offset(last.idx, v, p.sizes)];
  }
  return { result, madds, maxSize, writes };
}

/** Direct einsum: sum over every assignment of every index (reference result). */
export function einsumDirect(p: ContractionProblem, tensors: DenseTensor[]): Float64Array {
  const all = [...new Set(p.inputs.flat())];
  const result = new Float64Array(p.output.reduce((x, i) => x * p.sizes[i], 1));
  for (const v of assignments(all, p.sizes, new Map())) {
    let prod = 1;
    for (const t of tensors) prod *= t.data[offset(t.idx, v, p.sizes)];
    result[offset([...p.output], v, p.sizes)] += prod;
  }
  return result;
}

/** A random connected-ish small problem with hyperedges (seeded). */
export function randomProblem(seed: number, nTensors = 6, nIndices = 8): ContractionProblem {
  let s = seed >>> 0;
  const rnd = (): number => {
    s = (Math.imul(s, 1103515245) + 12345) >>> 0;
    return s / 4294967296;
  };
  const sizes = Array.from({ length: nIndices }, () => 2 + Math.floor(rnd() * 2));
  const inputs: number[][] = Array.from({ length: nTensors }, () => []);
  for (let i = 0; i < nIndices; i++) {
    const holders = 1 + Math.floor(rnd() * 3);
    for (let h = 0; h < holders; h++) {
      const t = Math.floor(rnd() * nTensors);
      if (!inputs[t].includes(i)) inputs[t].push(i);
    }
  }
  for (const t of inputs) if (t.length === 0) t.push(Math.floor(rnd() * nIndices));
  const used = [...new Set(inputs.flat())];
  const output = used.filter(() => rnd() < 0.2).slice(0, 2);
  return { inputs, output, sizes };
}

/** Sum over all slices (mixed radix, sliced[0] most significant) executed naively. */
export function slicedSum(p: ContractionProblem, tensors: DenseTensor[], tree: ContractionTree, sliced: readonly number[]): { result: Float64Array; madds: number } {
  const path = tree.toPath();
  let slices = 1;
  for (const i of sliced) slices *= p.sizes[i];
  let total: Float64Array | undefined;
  let madds = 0;
  for (let k = 0; k < slices; k++) {
    const fixed = new Map<number, number>();
    let r = k;
    for (let j = sliced.length - 1; j >= 0; j--) {
      fixed.set(sliced[j], r % p.sizes[sliced[j]]);
      r = Math.floor(r / p.sizes[sliced[j]]);
    }
    const part = executePath(p, tensors, path, fixed);
    madds += part.madds;
    if (!total) total = new Float64Array(part.result.length);
    for (let e = 0; e < total.length; e++) total[e] += part.result[e];
  }
  return { result: total!, madds };
}
