/**
 * Greedy contraction paths (plain and randomized/Boltzmann-sampled), over the hypergraph
 * semantics of `ContractionProblem`: an index is kept by a pairwise contraction iff it is an
 * output index or still appears on a tensor outside the pair.
 */
import type { ContractionProblem, SsaPath } from './types.js';
import { MinHeap } from './heap.js';
import { mulberry32 } from './rng.js';

/**
 * Score of contracting two tensors of sizes `a` and `b` into one of size `out` (lower is better).
 * The default is `out - a - b` (memory-removing greedy).
 */
export type GreedyCostFn = (out: number, a: number, b: number) => number;

/** Options of `greedyPath`. */
export interface GreedyOptions {
  /** Seed of the random generator used for Boltzmann sampling (default 0). */
  seed?: number;
  /** Boltzmann temperature: 0 (default) is deterministic greedy; larger values randomize choices. */
  temperature?: number;
  /** Score function (default `out - a - b`). */
  costFn?: GreedyCostFn;
}

/** Limits of `greedyPathBounded`: past any of them the search gives up. */
export interface GreedyBounds {
  /** Give up when the multiply-adds summed over the contractions so far exceed this. */
  costCap?: number;
  /** Give up when an intermediate's log2 size exceeds this. */
  widthCap?: number;
  /** Give up at this wall-clock time (`Date.now()` ms). */
  deadline?: number;
}

/** The built-in score variants used by the randomized greedy finder. */
export const GREEDY_COST_FNS: Readonly<Record<string, GreedyCostFn>> = {
  /** Size removed (the classic greedy). */
  'size-diff': (out, a, b) => out - a - b,
  /** Size removed, weighting the inputs less: favours small outputs. */
  'size-diff-half': (out, a, b) => out - 0.5 * (a + b),
  /** Output size only. */
  'out-size': (out) => out,
  /** Log ratio of output size to input sizes. */
  'log-ratio': (out, a, b) => Math.log2(out) - Math.log2(a + b),
};

/** Product of the sizes of `idx`. */
export function sizeOf(idx: readonly number[], sizes: readonly number[]): number {
  let s = 1;
  for (const i of idx) s *= sizes[i];
  return s;
}

/**
 * Greedy pairwise contraction order in SSA form. Repeatedly contracts the pair of live tensors
 * sharing an index with the lowest score; tensors in different connected components are joined
 * at the end by outer products, smallest first.
 */
export function greedyPath(problem: ContractionProblem, options: GreedyOptions = {}): SsaPath {
  return greedyPathBounded(problem, options)!;
}

/**
 * `greedyPath` that gives up (returns null) once the path is known to cost more than
 * `bounds.costCap` multiply-adds, to be wider than `bounds.widthCap`, or runs past
 * `bounds.deadline`. Randomized trials of the hyper-optimizer use it: on large networks a hot
 * Boltzmann trial builds intermediates with hundreds of legs, and every later step then compares
 * them with all their neighbours, so one such trial can take minutes (a 1000-qubit QAOA network of
 * 9000 tensors: 70–150 s for one trial at temperature 1, against 0.15 s for plain greedy).
 */
export function greedyPathBounded(problem: ContractionProblem, options: GreedyOptions = {}, bounds: GreedyBounds = {}): SsaPath | null {
  const n = problem.inputs.length;
  if (n <= 1) return [];
  const costCap = bounds.costCap ?? Infinity;
  const sizeCap = 2 ** (bounds.widthCap ?? Infinity); // elements
  const deadline = bounds.deadline ?? Infinity;
  let spent = 0; // multiply-adds of the contractions so far
  let exceeded = false;
  const sizes = problem.sizes;
  const costFn = options.costFn ?? GREEDY_COST_FNS['size-diff'];
  const temperature = options.temperature ?? 0;
  const rand = mulberry32(options.seed ?? 0);

  // refCount[i] = live tensors holding i, +1 if i is an output index.
  const refCount = new Map<number, number>();
  const holders = new Map<number, Set<number>>();
  const tensors = new Map<number, { idx: number[]; size: number }>();
  for (const o of problem.output) refCount.set(o, 1);
  for (let t = 0; t < n; t++) {
    const idx = [...problem.inputs[t]];
    tensors.set(t, { idx, size: sizeOf(idx, sizes) });
    for (const i of idx) {
      refCount.set(i, (refCount.get(i) ?? 0) + 1);
      let h = holders.get(i);
      if (!h) holders.set(i, (h = new Set()));
      h.add(t);
    }
  }

  const resultIndices = (a: number[], b: number[]): number[] => {
    const inB = new Set(b);
    const out: number[] = [];
    for (const i of a) {
      const rem = refCount.get(i)! - 1 - (inB.has(i) ? 1 : 0);
      if (rem > 0) out.push(i);
    }
    const inA = new Set(a);
    for (const i of b) {
      if (inA.has(i)) continue;
      if (refCount.get(i)! - 1 > 0) out.push(i);
    }
    return out;
  };

  const heap = new MinHeap<[number, number]>();
  const score = (a: number, b: number): number => {
    const ta = tensors.get(a)!;
    const tb = tensors.get(b)!;
    const out = sizeOf(resultIndices(ta.idx, tb.idx), sizes);
    let s = costFn(out, ta.size, tb.size);
    if (temperature > 0) {
      // Gumbel noise: taking the minimum samples choices with Boltzmann weights exp(-s/T).
      const u = Math.max(rand(), 1e-300);
      s -= temperature * -Math.log(-Math.log(u)) * Math.max(1, Math.abs(s));
    }
    return s;
  };
  const pushNeighbours = (t: number): void => {
    const seen = new Set<number>();
    for (const i of tensors.get(t)!.idx) {
      for (const u of holders.get(i)!) {
        if (u === t || seen.has(u)) continue;
        seen.add(u);
        heap.push(score(t, u), t < u ? [t, u] : [u, t]);
      }
    }
  };
  for (let t = 0; t < n; t++) {
    const seen = new Set<number>();
    for (const i of tensors.get(t)!.idx) {
      for (const u of holders.get(i)!) {
        if (u <= t || seen.has(u)) continue;
        seen.add(u);
        heap.push(score(t, u), [t, u]);
      }
    }
  }

  const path: Array<[number, number]> = [];
  let next = n;
  const contract = (a: number, b: number): number => {
    const ta = tensors.get(a)!;
    const tb = tensors.get(b)!;
    const idx = resultIndices(ta.idx, tb.idx);
    const keep = new Set(idx);
    let pair = 1;
    for (const i of new Set([...ta.idx, ...tb.idx])) {
      pair *= sizes[i];
      const h = holders.get(i)!;
      h.delete(a);
      h.delete(b);
      const rc = refCount.get(i)! - (ta.idx.includes(i) ? 1 : 0) - (tb.idx.includes(i) ? 1 : 0);
      refCount.set(i, rc + (keep.has(i) ? 1 : 0));
    }
    tensors.delete(a);
    tensors.delete(b);
    const id = next++;
    const size = sizeOf(idx, sizes);
    tensors.set(id, { idx, size });
    for (const i of idx) holders.get(i)!.add(id);
    path.push([a, b]);
    spent += pair;
    if (spent > costCap || size > sizeCap) exceeded = true;
    return id;
  };

  while (heap.size > 0) {
    const [a, b] = heap.pop()!;
    if (!tensors.has(a) || !tensors.has(b)) continue;
    const id = contract(a, b);
    if (exceeded || ((path.length & 15) === 0 && Date.now() > deadline)) return null;
    pushNeighbours(id);
  }
  // Disconnected components: outer products, smallest tensors first.
  while (tensors.size > 1) {
    const live = [...tensors.entries()].sort((x, y) => x[1].size - y[1].size || x[0] - y[0]);
    const a = live[0][0];
    const b = live[1][0];
    contract(Math.min(a, b), Math.max(a, b));
    if (exceeded || Date.now() > deadline) return null;
  }
  return path;
}
