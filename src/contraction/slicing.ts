/**
 * Index slicing: fix indices (summing independent sub-contractions) until the largest
 * intermediate fits a target, choosing greedily by lowest overhead, interleaved with subtree
 * reconfiguration of the sliced tree.
 */
import { reconfigure } from './reconfigure.js';
import { ContractionTree, legSize, pairCost } from './tree.js';
import type { ContractionCost } from './types.js';

/** Default width target: 2^27 complex elements (1 GiB in complex64). */
export const DEFAULT_MAX_WIDTH = 27;

/** Options of `sliceTree`. */
export interface SliceOptions {
  /** Target log2 of the largest intermediate (elements); default 27. */
  maxWidth?: number;
  /** Alternative target in bytes per intermediate (with `bytesPerElement`, default 8 = complex64). */
  maxBytes?: number;
  bytesPerElement?: number;
  /** Reconfigure the tree after every this many slices (0 = never; default 1). */
  reconfigureEvery?: number;
  /** Subtree size of the reconfiguration passes (default 6). */
  subtreeSize?: number;
  /**
   * Wall-clock deadline (`Date.now()` ms): past it, no more reconfiguration passes are made (the
   * width target is still met, by plain greedy slicing).
   */
  deadline?: number;
  /** Indices sliced from the start (output indices are ignored); any the tree ends up not needing are dropped. */
  initial?: readonly number[];
  /**
   * Reconfiguration passes skip nodes whose contraction costs less than this share of the
   * current per-slice total (default 0: every node); 1e-4 makes passes 2–4× faster on Sycamore
   * m=20 trees, at a sliced cost within the run-to-run noise.
   */
  minShare?: number;
}

/** Result of slicing. */
export interface SliceResult {
  tree: ContractionTree;
  sliced: number[];
  cost: ContractionCost;
}

/** Width target (log2 elements) implied by the options. */
export function targetWidth(options: SliceOptions = {}): number {
  if (options.maxBytes !== undefined) return Math.log2(options.maxBytes / (options.bytesPerElement ?? 8));
  return options.maxWidth ?? DEFAULT_MAX_WIDTH;
}

/**
 * Slices `tree` until its width is at most the target. Each step tries every non-output index
 * on an over-target intermediate and keeps the one giving the lowest total multiply-adds.
 */
export function sliceTree(tree: ContractionTree, options: SliceOptions = {}): SliceResult {
  const target = targetWidth(options);
  const every = options.reconfigureEvery ?? 1;
  const sub = options.subtreeSize ?? 6;
  const deadline = options.deadline ?? Infinity;
  const minShare = options.minShare ?? 0;
  const sizes = tree.problem.sizes;
  const output = new Set(tree.problem.output);
  const sliced: number[] = [...new Set(options.initial ?? [])].filter((i) => !output.has(i));
  let cur = tree;
  let cost = cur.cost(sliced);
  const limit = 2 ** target;
  while (cost.width > target + 1e-9) {
    if (Date.now() > deadline) {
      // Out of time: finish with the fast estimate's rule (no reconfiguration).
      const est = estimateSlicing(cur, target, sliced);
      sliced.splice(0, sliced.length, ...est.sliced);
      cost = cur.cost(sliced);
      break;
    }
    const sl = new Set(sliced);
    const candidates = new Set<number>();
    for (const node of cur.internalNodes()) {
      if (legSize(node.legs.keys(), sizes, sl) <= limit) continue;
      for (const i of node.legs.keys()) if (!output.has(i) && !sl.has(i) && sizes[i] > 1) candidates.add(i);
    }
    if (candidates.size === 0) break; // only output indices are too wide: slicing cannot help
    // Adding index i (size d) multiplies the slice count by d and divides the per-slice cost of
    // every contraction touching i by d: total(i) = d·T − (d − 1)·S_i, with T the current total
    // per-slice cost and S_i the per-slice cost of the contractions touching i. One pass.
    let T = 0;
    const S = new Map<number, number>();
    for (const node of cur.internalNodes()) {
      const pc = pairCost(node.left!.legs, node.right!.legs, sizes, sl);
      T += pc;
      for (const i of node.left!.legs.keys()) if (candidates.has(i)) S.set(i, (S.get(i) ?? 0) + pc);
      for (const i of node.right!.legs.keys()) if (candidates.has(i) && !node.left!.legs.has(i)) S.set(i, (S.get(i) ?? 0) + pc);
    }
    let bestIdx = -1;
    let bestTotal = Infinity;
    for (const i of candidates) {
      const d = sizes[i];
      const total = d * T - (d - 1) * (S.get(i) ?? 0);
      if (total < bestTotal) {
        bestTotal = total;
        bestIdx = i;
      }
    }
    sliced.push(bestIdx);
    if (every > 0 && sliced.length % every === 0 && Date.now() < deadline) {
      cur = reconfigure(cur, { sliced, subtreeSize: sub, deadline, minCost: minShare * T });
    }
    cost = cur.cost(sliced);
  }
  // Reconfiguration can make an earlier slice useless: drop slices that are no longer needed.
  for (let j = sliced.length - 1; j >= 0 && Date.now() <= deadline; j--) {
    const trial = sliced.filter((_, t) => t !== j);
    const c = cur.cost(trial);
    if (c.width <= target + 1e-9) {
      sliced.splice(j, 1);
      cost = c;
    }
  }
  // Report overhead against the unsliced cost of the *input* tree's best version seen.
  const unsliced = Math.min(tree.cost().multiplyAdds, cur.cost().multiplyAdds);
  cost = { ...cost, overhead: unsliced > 0 ? cost.multiplyAdds / unsliced : 1 };
  return { tree: cur, sliced, cost };
}

/** Outcome of `estimateSlicing`: the greedy slice set and its cost, without changing the tree. */
export interface SliceEstimate {
  sliced: number[];
  /** Total multiply-adds over all slices. */
  multiplyAdds: number;
  slices: number;
  /** Width after slicing (above the target only if output indices alone are too wide). */
  width: number;
}

/**
 * Fast slicing estimate for scoring candidate trees, with no reconfiguration, on flat per-node
 * log2 tallies (one step costs O(total legs)): each step slices an index of the widest
 * intermediates, the one held by most of them, ties broken by the lowest total multiply-adds.
 * `initial` indices start out sliced (and are part of the returned set).
 */
export function estimateSlicing(tree: ContractionTree, maxWidth: number = DEFAULT_MAX_WIDTH, initial: readonly number[] = []): SliceEstimate {
  const sizes = tree.problem.sizes;
  const output = new Set(tree.problem.output);
  const nodes = tree.internalNodes();
  const nn = nodes.length;
  const pairLog = new Float64Array(nn);
  const outLog = new Float64Array(nn);
  // index → nodes whose contraction (pair) / result (out) holds it
  const inPair = new Map<number, number[]>();
  const inOut = new Map<number, number[]>();
  const add = (m: Map<number, number[]>, i: number, k: number): void => {
    const l = m.get(i);
    if (l) l.push(k);
    else m.set(i, [k]);
  };
  for (let k = 0; k < nn; k++) {
    const { left, right, legs } = nodes[k];
    for (const i of left!.legs.keys()) {
      pairLog[k] += Math.log2(sizes[i]);
      add(inPair, i, k);
    }
    for (const i of right!.legs.keys()) {
      if (left!.legs.has(i)) continue;
      pairLog[k] += Math.log2(sizes[i]);
      add(inPair, i, k);
    }
    for (const i of legs.keys()) {
      outLog[k] += Math.log2(sizes[i]);
      add(inOut, i, k);
    }
  }
  const sliced: number[] = [];
  const isSliced = new Set<number>();
  let slices = 1;
  const eps = 1e-9;
  const sliceIndex = (i: number): void => {
    const lg = Math.log2(sizes[i]);
    for (const k of inPair.get(i) ?? []) pairLog[k] -= lg;
    for (const k of inOut.get(i) ?? []) outLog[k] -= lg;
    sliced.push(i);
    isSliced.add(i);
    slices *= sizes[i];
  };
  for (const i of initial) if (!isSliced.has(i)) sliceIndex(i);
  for (;;) {
    let width = 0;
    for (let k = 0; k < nn; k++) width = Math.max(width, outLog[k]);
    if (width <= maxWidth + eps) break;
    // Candidates: indices of the widest intermediates (they must shrink anyway); prefer those
    // shared by most of them, then the lowest resulting total.
    const hits = new Map<number, number>();
    for (let k = 0; k < nn; k++) {
      if (outLog[k] < width - eps) continue;
      for (const i of nodes[k].legs.keys()) if (!output.has(i) && !isSliced.has(i) && sizes[i] > 1) hits.set(i, (hits.get(i) ?? 0) + 1);
    }
    if (hits.size === 0) break;
    let T = 0;
    for (let k = 0; k < nn; k++) T += 2 ** pairLog[k];
    let bestIdx = -1;
    let bestHits = -1;
    let bestTotal = Infinity;
    for (const [i, h] of hits) {
      if (h < bestHits) continue;
      let S = 0;
      for (const k of inPair.get(i) ?? []) S += 2 ** pairLog[k];
      const d = sizes[i];
      const total = d * T - (d - 1) * S;
      if (h > bestHits || total < bestTotal) {
        bestHits = h;
        bestTotal = total;
        bestIdx = i;
      }
    }
    sliceIndex(bestIdx);
  }
  let T = 0;
  let width = 0;
  for (let k = 0; k < nn; k++) {
    T += 2 ** pairLog[k];
    width = Math.max(width, outLog[k]);
  }
  return { sliced, multiplyAdds: T * slices, slices, width };
}
