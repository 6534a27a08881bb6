/**
 * Simulated annealing of a sliced contraction tree: a local search over the binary tree and its
 * slice set that minimises the *sliced* cost (slices × per-slice multiply-adds) directly, with
 * the width target as a penalty on the energy (the state returned always meets it).
 *
 * Tree moves are rotations: at a node N = (A, B) whose sibling is C under parent P, swap C with
 * B (N becomes (A, C), P becomes (N, B)) or with A. P's leaf set, hence its index set, does not
 * change, so a move changes only N's index set and the two contractions at N and P: its cost
 * delta takes O(1) bitset operations. N's new index set follows from local sets alone (hyperedges
 * included): legs(N) = (legs(A) ∪ legs(C)) ∩ (legs(P) ∪ legs(B) ∪ output), because an index of N
 * is kept iff it also occurs outside N, i.e. outside P (then it is a leg of P) or in B.
 *
 * SPR moves (option `sprRate`) prune a subtree S (its parent P disappears, its sibling C takes P's
 * place) and regraft it next to a node X near C: P is reused as (X, S) in X's slot. Only nodes on
 * the path between the two attach points change leaf sets; their inner index sets (all indices
 * below) are recomputed bottom-up and their legs top-down as inner(N) ∩ (inner(sibling) ∪
 * legs(parent) ∪ output), so a move costs O(path length) bitset operations.
 *
 * Slice moves run every few thousand tree moves: drop a slice the tree no longer needs, swap a
 * slice for the best index that keeps the width target, or (rarely) add a slice, which costs a
 * little but frees the tree moves. All moves use Metropolis acceptance on the energy log2(total
 * cost) + `widthPenalty` × (summed log2 width excess over the target), with a temperature
 * falling geometrically over the budget; the best state seen is returned, costed by the exact
 * cost model, and never costlier than the start.
 */
import { getKernel } from '../backend/registry.js';
import { ANNEAL_ROTATION_KERNEL, rotationWorkspaceJs, type RotationWorkspace, type RotationWorkspaceFactory } from './anneal-kernel.js';
import './anneal-wasm.js'; // registers the WebAssembly rotation kernel (preferred where it runs)
import { popcount32 as popcount } from './bits.js';
import { mulberry32 } from './rng.js';
import type { SliceResult } from './slicing.js';
import { ContractionTree } from './tree.js';
import type { TreeNode } from './tree.js';

/** Options of `annealSliced`. */
export interface AnnealOptions {
  /**
   * Width target, log2 elements (default 27). A start wider than that (e.g. an unsliced tree) is
   * squeezed: the limit falls from its width to the target over the first `shrinkShare` of the
   * run, and slices are added as the limit demands.
   */
  maxWidth?: number;
  /** Wall-clock deadline (`Date.now()` ms). Default: 2 s from now when `maxMoves` is not given. */
  deadline?: number;
  /** Number of tree moves (the run ends at whichever of this and `deadline` comes first). */
  maxMoves?: number;
  seed?: number;
  /**
   * Start and end temperatures in log2 units of the total cost (defaults 0.03 and 0.001: on
   * Sycamore m=20, starts of 0.01–0.05 gave 10^19.3–19.5 in 10 s, 0.1 gave 10^19.9, 1 gave 10^20.7).
   */
  tempStart?: number;
  tempEnd?: number;
  /** Tree moves between slice steps (default 2000). */
  sliceEvery?: number;
  /** Probability that a slice step also proposes adding a slice (default 0.3; always while over the limit). */
  addProbability?: number;
  /**
   * Energy per unit of log2 width excess of an intermediate over the limit (default 2;
   * `Infinity` = hard constraint: moves past the limit are refused). The best state kept is
   * always within the limit.
   */
  widthPenalty?: number;
  /** Slice moves on (default true); off, the slice set of the start is kept as it is. */
  slicing?: boolean;
  /** Share of the run over which a start wider than the target is squeezed to it (default 0.5). */
  shrinkShare?: number;
  /**
   * Share of tree moves that are subtree prune-and-regraft moves instead of rotations (default 0:
   * rotations only). An SPR move detaches a subtree and re-inserts it as the sibling of a node a
   * short random walk (1…`sprHops` steps) away in the remaining tree.
   */
  sprRate?: number;
  /** Longest random walk, in tree edges, to the re-insertion point of an SPR move (default 4). */
  sprHops?: number;
  /**
   * Backend of the rotation kernel ('js' or 'wasm'; default: the registry's choice, WebAssembly
   * where it runs). Both give identical runs; tests compare them.
   */
  backend?: string;
}

/** Result of `annealSliced`: the best sliced tree found, with search statistics. */
export interface AnnealResult extends SliceResult {
  /** Tree moves tried and accepted. */
  moves: number;
  accepted: number;
  /** Total multiply-adds of the returned state by the annealer's own incremental bookkeeping. */
  trackedMultiplyAdds: number;
}

/** A rotation workspace from the named backend, else the registry's choice, else TypeScript. */
function workspace(words: number, setWords: number, backend: string | undefined): RotationWorkspace {
  let factory: RotationWorkspaceFactory = rotationWorkspaceJs;
  try {
    // A backend forced globally (e.g. 'wasm-simd' for the tensor kernels) may lack this kernel.
    factory = getKernel<RotationWorkspaceFactory>(ANNEAL_ROTATION_KERNEL, backend);
  } catch (e) {
    if (backend !== undefined) throw e;
  }
  return factory(words, setWords) ?? rotationWorkspaceJs(words, setWords);
}

/**
 * Anneals `start` (a sliced tree; one wider than the target is squeezed to it) under the sliced
 * cost. The result meets the target and, when the start did, costs no more than it; if the target
 * is never reached, the start comes back. Deterministic for a given seed when bounded by
 * `maxMoves` alone.
 */
export function annealSliced(start: SliceResult, options: AnnealOptions = {}): AnnealResult {
  const tree = start.tree;
  const problem = tree.problem;
  const n = problem.inputs.length;
  const startExact = tree.cost(start.sliced);
  const none: AnnealResult = { ...start, moves: 0, accepted: 0, trackedMultiplyAdds: startExact.multiplyAdds };
  if (n < 3) return none;
  const sizesIn = problem.sizes;
  // Compact index numbering: bit j of a node's set is index ids[j].
  const ids: number[] = [];
  const bitOf = new Map<number, number>();
  for (const t of problem.inputs) for (const i of t) if (!bitOf.has(i)) { bitOf.set(i, ids.length); ids.push(i); }
  for (const i of problem.output) if (!bitOf.has(i)) { bitOf.set(i, ids.length); ids.push(i); }
  const m = ids.length;
  // 2^k for every possible count of index bits (a table: cheaper than ** in the move loop).
  const pow2 = new Float64Array(m + 1).map((_, k) => 2 ** k);
  // Words per index set, even so that the WebAssembly kernel reads them as 64-bit words.
  const W = 2 * Math.max(1, (m + 63) >>> 6);
  const nn = 2 * n - 1;
  // Workspace layout: output mask, active mask, scratch set, then the legs of every node.
  const ws = workspace((3 + nn) * W, W, options.backend);
  const OUT = 0;
  const ACTIVE = W;
  const TMP = 2 * W;
  const LEGS = 3 * W;
  const dim = new Float64Array(m);
  let binary = true;
  for (let j = 0; j < m; j++) {
    dim[j] = sizesIn[ids[j]];
    if (dim[j] !== 1 && dim[j] !== 2) binary = false;
  }
  const outMask = ws.words.subarray(OUT, OUT + W);
  for (const i of problem.output) { const b = bitOf.get(i)!; outMask[b >>> 5] |= 1 << (b & 31); }
  // Active = indices that count in sizes: not sliced, not of size 1.
  const active = ws.words.subarray(ACTIVE, ACTIVE + W);
  for (let j = 0; j < m; j++) if (dim[j] > 1) active[j >>> 5] |= 1 << (j & 31);
  const slicedSet = new Set<number>(); // bits
  let slices = 1;
  for (const i of start.sliced) {
    const b = bitOf.get(i);
    if (b === undefined || slicedSet.has(b) || (outMask[b >>> 5] >>> (b & 31)) & 1) continue;
    slicedSet.add(b);
    active[b >>> 5] &= ~(1 << (b & 31));
    slices *= dim[b];
  }

  // Node arrays: leaves 0…n-1 (by input number), internal nodes n…2n-2.
  const left = new Int32Array(nn).fill(-1);
  const right = new Int32Array(nn).fill(-1);
  const parent = new Int32Array(nn).fill(-1);
  const legs = ws.words.subarray(LEGS, LEGS + nn * W);
  // inner: every index occurring in the node's leaves (kept for SPR moves).
  const inner = new Uint32Array(nn * W);
  const setLegs = (k: number, node: TreeNode): void => {
    for (const i of node.legs.keys()) { const b = bitOf.get(i)!; legs[k * W + (b >>> 5)] |= 1 << (b & 31); }
  };
  let nextId = n;
  const idOf = new Map<TreeNode, number>();
  {
    const stack: Array<[TreeNode, boolean]> = [[tree.root, false]];
    while (stack.length) {
      const [node, expanded] = stack.pop()!;
      if (node.leaf !== undefined) {
        idOf.set(node, node.leaf);
        setLegs(node.leaf, node);
        for (const i of problem.inputs[node.leaf]) { const b = bitOf.get(i)!; inner[node.leaf * W + (b >>> 5)] |= 1 << (b & 31); }
      } else if (expanded) {
        const k = nextId++;
        const l = idOf.get(node.left!)!;
        const r = idOf.get(node.right!)!;
        left[k] = l; right[k] = r; parent[l] = k; parent[r] = k;
        idOf.set(node, k);
        setLegs(k, node);
        for (let w = 0; w < W; w++) inner[k * W + w] = inner[l * W + w] | inner[r * W + w];
      } else {
        stack.push([node, true], [node.right!, false], [node.left!, false]);
      }
    }
  }
  const root = nextId - 1;

  // Size (elements, per slice) of a set given as the union of two node sets (b < 0: one set).
  const tmp = ws.words.subarray(TMP, TMP + W);
  const sizeOf = (buf: Uint32Array, a: number, b2: Uint32Array | null, b: number): number => {
    if (binary) {
      let c = 0;
      if (b2) for (let w = 0; w < W; w++) c += popcount((buf[a + w] | b2[b + w]) & active[w]);
      else for (let w = 0; w < W; w++) c += popcount(buf[a + w] & active[w]);
      return 2 ** c;
    }
    let s = 1;
    for (let w = 0; w < W; w++) {
      let x = (b2 ? buf[a + w] | b2[b + w] : buf[a + w]) & active[w];
      while (x !== 0) {
        const t = x & -x;
        s *= dim[(w << 5) + 31 - Math.clz32(t)];
        x ^= t;
      }
    }
    return s;
  };
  const pairSize = (k: number): number => sizeOf(legs, left[k] * W, legs, right[k] * W);
  const nodeSize = (k: number): number => sizeOf(legs, k * W, null, 0);

  const target = options.maxWidth ?? 27;
  let maxSize = 0;
  for (let k = n; k < nn; k++) maxSize = Math.max(maxSize, nodeSize(k));
  const startLog = Math.log2(maxSize);
  const startFits = startLog <= target + 1e-9;
  let limitLog = Math.max(target, startLog);
  let limit = 2 ** limitLog * (1 + 1e-12);
  const shrinkShare = Math.max(1e-3, options.shrinkShare ?? 0.5);
  let frac = 0; // share of the run done
  // Width excess of an intermediate over the limit, log2 units (0 within it).
  const excess = (size: number): number => (size > limit ? Math.log2(size) - limitLog : 0);
  const lambda = options.widthPenalty ?? 2;
  // λ·x with 0 for x = 0 (also when λ is infinite).
  const pen = (x: number): number => (x === 0 ? 0 : lambda * x);
  const cost = new Float64Array(nn);
  // Per-slice elements of each internal node (valid outside slice steps' set-then-recompute).
  const size = new Float64Array(nn);
  const nodeExc = new Float64Array(nn);
  let T = 0;
  let sumExc = 0;
  let over = 0; // intermediates over the limit
  const recompute = (): void => {
    T = 0;
    sumExc = 0;
    over = 0;
    for (let k = n; k < nn; k++) {
      cost[k] = pairSize(k);
      T += cost[k];
      size[k] = nodeSize(k);
      nodeExc[k] = excess(size[k]);
      if (nodeExc[k] > 0) { sumExc += nodeExc[k]; over++; }
    }
  };
  recompute();

  const rand = mulberry32(options.seed ?? 1);
  const maxMoves = options.maxMoves ?? Infinity;
  const t0 = Date.now();
  const deadline = options.deadline ?? (options.maxMoves === undefined ? t0 + 2000 : Infinity);
  const span = Math.max(1, deadline - t0);
  const tempStart = options.tempStart ?? 0.03;
  const tempEnd = options.tempEnd ?? 0.001;
  const sliceEvery = options.sliceEvery ?? 2000;
  const addProb = options.addProbability ?? 0.3;
  const slicing = options.slicing ?? true;

  // Best state (within the width limit): saved lazily, just before the first step away from it.
  let bestTotal = startFits ? T * slices : Infinity;
  let curIsBest = startFits;
  let best = { left: left.slice(), right: right.slice(), sliced: [...slicedSet], total: bestTotal };
  const save = (): void => {
    best = { left: left.slice(), right: right.slice(), sliced: [...slicedSet], total: T * slices };
  };
  let temp = tempStart;
  // Metropolis on the energy log2(total) + λ·(width excess); `newTotal`/`newOver` describe the
  // state a move leads to, so that leaving the best state saves it first.
  const accept = (dE: number, newTotal: number, newOver: number): boolean => {
    if (!(dE <= 0) && !(rand() < Math.exp(-dE / temp))) return false;
    if (curIsBest && !(newOver === 0 && newTotal < bestTotal)) { save(); curIsBest = false; }
    return true;
  };
  const noteTotal = (): void => {
    const tot = T * slices;
    if (over === 0 && limitLog <= target && tot < bestTotal) { bestTotal = tot; curIsBest = true; }
  };

  // Per-index tallies for slice moves: the summed cost of the contractions holding the index,
  // and the change of the summed width excess if it were unsliced (sliced indices) or sliced.
  const pairSum = new Float64Array(m);
  const excChange = new Float64Array(m);
  const overChange = new Int32Array(m);
  const tally = (): void => {
    pairSum.fill(0);
    excChange.fill(0);
    overChange.fill(0);
    for (let k = n; k < nn; k++) {
      const a = left[k] * W;
      const b = right[k] * W;
      const ko = k * W;
      const sz = size[k];
      for (let w = 0; w < W; w++) {
        let x = legs[a + w] | legs[b + w];
        while (x !== 0) {
          const t = x & -x;
          const j = (w << 5) + 31 - Math.clz32(t);
          pairSum[j] += cost[k];
          if ((legs[ko + w] & t) !== 0) {
            const e = excess((active[w] & t) !== 0 ? sz / dim[j] : sz * dim[j]);
            excChange[j] += e - nodeExc[k];
            overChange[j] += (e > 0 ? 1 : 0) - (nodeExc[k] > 0 ? 1 : 0);
          }
          x ^= t;
        }
      }
    }
  };
  const setSliced = (b: number, on: boolean): void => {
    if (on) { slicedSet.add(b); active[b >>> 5] &= ~(1 << (b & 31)); slices *= dim[b]; }
    else { slicedSet.delete(b); active[b >>> 5] |= 1 << (b & 31); slices /= dim[b]; }
  };
  const energyDrop = (s: number): number => Math.log2((T + (dim[s] - 1) * pairSum[s]) / (dim[s] * T)) + pen(excChange[s]);
  const sliceStep = (): void => {
    if (limitLog > target) {
      limitLog = Math.max(target, startLog - ((startLog - target) * frac) / shrinkShare);
      limit = 2 ** limitLog * (1 + 1e-12);
    }
    recompute();
    // 1. Drop slices: every one that lowers the energy, then maybe one more (Metropolis).
    for (let tries = 0; tries <= slicedSet.size; tries++) {
      tally();
      let bs = -1;
      let bdE = Infinity;
      for (const b of slicedSet) {
        if (lambda === Infinity && excChange[b] > 0) continue;
        const dE = energyDrop(b);
        if (dE < bdE) { bdE = dE; bs = b; }
      }
      if (bs < 0) break;
      const newTotal = ((T + (dim[bs] - 1) * pairSum[bs]) * slices) / dim[bs];
      if (bdE > 0 && tries > 0) break;
      if (!accept(bdE, newTotal, over + overChange[bs])) break;
      setSliced(bs, false);
      recompute();
      noteTotal();
      if (bdE > 0) break;
    }
    const cur = [...slicedSet];
    // 2. Swap a random slice for the index that best makes up for it (it must be on every
    // intermediate the unslicing pushes over the limit).
    if (cur.length > 0) {
      const s = cur[Math.floor(rand() * cur.length)];
      const ds = dim[s];
      const cand = new Uint32Array(W).fill(0xffffffff);
      let any = false;
      for (let k = n; k < nn; k++) {
        const ko = k * W;
        if (((legs[ko + (s >>> 5)] >>> (s & 31)) & 1) === 0) continue;
        if (size[k] * ds <= limit) continue;
        any = true;
        for (let w = 0; w < W; w++) cand[w] &= legs[ko + w];
      }
      if (any) {
        let bestI = -1;
        let bestdE = Infinity;
        let bestNew = 0;
        let bestOver = 0;
        const E0 = Math.log2(T * slices) + pen(sumExc);
        for (let w = 0; w < W; w++) {
          let x = cand[w] & active[w] & ~outMask[w];
          while (x !== 0) {
            const t = x & -x;
            const j = (w << 5) + 31 - Math.clz32(t);
            x ^= t;
            // Per-slice cost and width excess with s unsliced and j sliced.
            let T2 = 0;
            let exc2 = 0;
            let over2 = 0;
            for (let k = n; k < nn; k++) {
              const a = left[k] * W;
              const b = right[k] * W;
              const ko = k * W;
              let c = cost[k];
              if ((((legs[a + (s >>> 5)] | legs[b + (s >>> 5)]) >>> (s & 31)) & 1) !== 0) c *= ds;
              if (((legs[a + w] | legs[b + w]) & t) !== 0) c /= dim[j];
              T2 += c;
              const hs = ((legs[ko + (s >>> 5)] >>> (s & 31)) & 1) !== 0;
              const hj = (legs[ko + w] & t) !== 0;
              if (hs || hj || nodeExc[k] > 0) {
                const e = hs || hj ? excess((size[k] * (hs ? ds : 1)) / (hj ? dim[j] : 1)) : nodeExc[k];
                exc2 += e;
                if (e > 0) over2++;
              }
            }
            const tot = (T2 * slices * dim[j]) / ds;
            const dE = Math.log2(tot) + pen(exc2) - E0;
            if (lambda === Infinity && over2 > 0) continue;
            if (dE < bestdE) { bestdE = dE; bestI = j; bestNew = tot; bestOver = over2; }
          }
        }
        if (bestI >= 0 && accept(bestdE, bestNew, bestOver)) {
          setSliced(s, false);
          setSliced(bestI, true);
          recompute();
          noteTotal();
        }
      }
    }
    // 3. Sometimes add a slice (the best of a few on the widest intermediates): costs a little,
    // frees the tree moves.
    if (rand() < addProb || over > 0) {
      tally();
      let bestJ = -1;
      let bestdE = Infinity;
      for (let tries = 0; tries < 8; tries++) {
        const k = n + Math.floor(rand() * (n - 1));
        if (size[k] * 4 < limit) continue;
        const ko = k * W;
        for (let w = 0; w < W; w++) {
          let x = legs[ko + w] & active[w] & ~outMask[w];
          while (x !== 0) {
            const t = x & -x;
            const j = (w << 5) + 31 - Math.clz32(t);
            x ^= t;
            const dE = Math.log2((dim[j] * T - (dim[j] - 1) * pairSum[j]) / T) + pen(excChange[j]);
            if (dE < bestdE) { bestdE = dE; bestJ = j; }
          }
        }
      }
      if (bestJ >= 0 && accept(bestdE, (dim[bestJ] * T - (dim[bestJ] - 1) * pairSum[bestJ]) * slices, over + overChange[bestJ])) {
        setSliced(bestJ, true);
        recompute();
        noteTotal();
      }
    }
  };

  let moves = 0;
  let accepted = 0;
  const internal = n - 1;
  const sprRate = options.sprRate ?? 0;
  const sprHops = Math.max(1, Math.floor(options.sprHops ?? 4));
  // SPR scratch: walk stamps, the changed nodes and their saved state for undo.
  const stamp = new Int32Array(nn);
  let stampGen = 0;
  const side1: number[] = [];
  const side2: number[] = [];
  const changed: number[] = [];
  // A node's move-dependent values: the live ones and the copies an SPR move saves for undo.
  interface NodeValues { legs: Uint32Array; inner: Uint32Array; cost: Float64Array; exc: Float64Array; size: Float64Array }
  const live: NodeValues = { legs, inner, cost, exc: nodeExc, size };
  const saved: NodeValues = { legs: new Uint32Array(nn * W), inner: new Uint32Array(nn * W), cost: new Float64Array(nn), exc: new Float64Array(nn), size: new Float64Array(nn) };
  /** Copies the values of `nodes` from `src` to `dst`, and the cost of the meeting node `L`. */
  const copyValues = (src: NodeValues, dst: NodeValues, nodes: readonly number[], L: number): void => {
    for (const k of nodes) {
      dst.legs.set(src.legs.subarray(k * W, k * W + W), k * W);
      dst.inner.set(src.inner.subarray(k * W, k * W + W), k * W);
      dst.cost[k] = src.cost[k];
      dst.exc[k] = src.exc[k];
      dst.size[k] = src.size[k];
    }
    dst.cost[L] = src.cost[L];
  };
  const sib = (k: number): number => { const q = parent[k]; return left[q] === k ? right[q] : left[q]; };
  const setChild = (q: number, from: number, to: number): void => { if (left[q] === from) left[q] = to; else right[q] = to; parent[to] = q; };
  /** One SPR move with Metropolis acceptance; true if accepted (the state is then updated). */
  const spr = (): boolean => {
    const S = Math.floor(rand() * nn);
    if (S === root) return false;
    const P = parent[S];
    if (P === root) return false;
    const C = left[P] === S ? right[P] : left[P];
    const G = parent[P];
    // The move edits the arrays before acceptance: keep the best state first if this is it.
    if (curIsBest) { save(); curIsBest = false; }
    // Prune: C takes P's place under G.
    setChild(G, P, C);
    let X = C;
    const hops = 1 + Math.floor(rand() * sprHops);
    for (let h = 0; h < hops; h++) {
      const up = X !== root;
      const down = X >= n;
      const r = rand();
      if (up && (!down || r < 1 / 3)) X = parent[X];
      else if (down) X = r < 2 / 3 ? left[X] : right[X];
    }
    if (X === root || X === C) { setChild(G, C, P); parent[C] = P; return false; }
    // Regraft: P = (X, S) in X's slot under Q.
    const Q = parent[X];
    const sRight = right[P] === S;
    setChild(Q, X, P);
    if (sRight) left[P] = X; else right[P] = X;
    parent[X] = P;
    // Changed nodes: ancestors of G (old home of S) and of P (new one) below their meeting node L.
    stampGen += 2;
    side1.length = 0;
    side2.length = 0;
    let a = G;
    let b = P;
    let L = -1;
    for (;;) {
      if (a >= 0) {
        if (stamp[a] === stampGen + 1) { L = a; break; }
        stamp[a] = stampGen; side1.push(a); a = a === root ? -1 : parent[a];
      }
      if (b >= 0) {
        if (stamp[b] === stampGen) { L = b; break; }
        stamp[b] = stampGen + 1; side2.push(b); b = b === root ? -1 : parent[b];
      }
    }
    const i1 = side1.indexOf(L);
    if (i1 >= 0) side1.length = i1;
    const i2 = side2.indexOf(L);
    if (i2 >= 0) side2.length = i2;
    // Bottom-up order: each chain from its foot; P last when it is the meeting node.
    changed.length = 0;
    for (const k of side1) changed.push(k);
    for (const k of side2) changed.push(k);
    if (L === P) changed.push(P);
    copyValues(live, saved, changed, L);
    for (const k of changed) {
      const lo = left[k] * W;
      const ro = right[k] * W;
      for (let w = 0; w < W; w++) inner[k * W + w] = inner[lo + w] | inner[ro + w];
    }
    // Legs top-down (reverse order: parents first; L's legs are unchanged).
    let newT = T;
    let dExc = 0;
    let dOver = 0;
    let wider = false;
    for (let c = changed.length - 1; c >= 0; c--) {
      const k = changed[c];
      const ko = k * W;
      const mo = parent[k] * W;
      const so = sib(k) * W;
      for (let w = 0; w < W; w++) legs[ko + w] = inner[ko + w] & (inner[so + w] | legs[mo + w] | outMask[w]);
      size[k] = nodeSize(k);
      const e = excess(size[k]);
      if (e > nodeExc[k]) wider = true;
      dExc += e - nodeExc[k];
      dOver += (e > 0 ? 1 : 0) - (nodeExc[k] > 0 ? 1 : 0);
      nodeExc[k] = e;
    }
    for (const k of changed) { cost[k] = pairSize(k); newT += cost[k] - saved.cost[k]; }
    if (L !== P) { cost[L] = pairSize(L); newT += cost[L] - saved.cost[L]; }
    const newOver = over + dOver;
    if (!(wider && lambda === Infinity) && accept(Math.log2(newT / T) + pen(dExc), newT * slices, newOver)) {
      T = newT;
      sumExc += dExc;
      over = newOver;
      return true;
    }
    // Undo: values, then structure (P back between G and C, X back under Q).
    copyValues(saved, live, changed, L);
    setChild(Q, P, X);
    if (sRight) left[P] = C; else right[P] = C;
    parent[C] = P;
    setChild(G, C, P);
    return false;
  };
  for (;;) {
    if ((moves & 1023) === 0) {
      const now = Date.now();
      if (now >= deadline || moves >= maxMoves) break;
      frac = Math.max(isFinite(maxMoves) ? moves / maxMoves : 0, isFinite(deadline) ? (now - t0) / span : 0);
      temp = tempStart * (tempEnd / tempStart) ** Math.min(1, frac);
    } else if (moves >= maxMoves) break;
    if (moves > 0 && moves % sliceEvery === 0 && slicing) sliceStep();
    moves++;
    if (sprRate > 0 && rand() < sprRate) {
      if (spr()) { accepted++; noteTotal(); }
      continue;
    }
    // A non-root internal node N, its parent P and sibling C.
    const N = n + Math.floor(rand() * internal);
    if (N === root) continue;
    const P = parent[N];
    const C = left[P] === N ? right[P] : left[P];
    const swapRight = rand() < 0.5;
    const X = swapRight ? left[N] : right[N]; // stays under N
    const Y = swapRight ? right[N] : left[N]; // moves up to P
    const xo = X * W;
    const co = C * W;
    const po = P * W;
    const yo = Y * W;
    let sN: number;
    let cN: number;
    let cP: number;
    if (binary) {
      // One pass in the kernel: N's new legs and the log2 sizes of N, the contraction at N and at P.
      ws.rotation(LEGS + xo, LEGS + co, LEGS + po, LEGS + yo, TMP, ACTIVE, OUT);
      const counts = ws.counts;
      sN = pow2[counts[0]];
      cN = pow2[counts[1]];
      cP = pow2[counts[2]];
    } else {
      for (let w = 0; w < W; w++) tmp[w] = (legs[xo + w] | legs[co + w]) & (legs[po + w] | legs[yo + w] | outMask[w]);
      sN = sizeOf(tmp, 0, null, 0);
      cN = sizeOf(legs, xo, legs, co);
      cP = sizeOf(tmp, 0, legs, yo);
    }
    const e = excess(sN);
    if (e > nodeExc[N] && lambda === Infinity) continue;
    const newT = T - cost[N] - cost[P] + cN + cP;
    const newOver = over + (e > 0 ? 1 : 0) - (nodeExc[N] > 0 ? 1 : 0);
    if (!accept(Math.log2(newT / T) + pen(e - nodeExc[N]), newT * slices, newOver)) continue;
    accepted++;
    // Apply: N = (X, C) in N's slot; Y takes C's place under P.
    if (swapRight) right[N] = C; else left[N] = C;
    parent[C] = N;
    if (left[P] === C) left[P] = Y; else right[P] = Y;
    parent[Y] = P;
    const no = N * W;
    for (let w = 0; w < W; w++) {
      legs[no + w] = tmp[w];
      inner[no + w] = inner[xo + w] | inner[co + w];
    }
    cost[N] = cN;
    cost[P] = cP;
    T = newT;
    sumExc += e - nodeExc[N];
    nodeExc[N] = e;
    size[N] = sN;
    over = newOver;
    noteTotal();
  }
  recompute();
  noteTotal();
  if (curIsBest) save();

  // Rebuild the best state as a ContractionTree and cost it exactly.
  const totals = tree.totals;
  const built = new Array<TreeNode | undefined>(nn);
  for (let t = 0; t < n; t++) built[t] = totals.leaf(t);
  {
    const stack: Array<[number, boolean]> = [[root, false]];
    while (stack.length) {
      const [k, expanded] = stack.pop()!;
      if (k < n) continue;
      if (expanded) built[k] = totals.join(built[best.left[k]]!, built[best.right[k]]!);
      else stack.push([k, true], [best.right[k], false], [best.left[k], false]);
    }
  }
  const outTree = new ContractionTree(problem, built[root]!, totals);
  const sliced = best.sliced.map((b) => ids[b]);
  const exact = outTree.cost(sliced);
  // Never worse than the start: cheaper when the start met the target, else within the target.
  if (bestTotal === Infinity || exact.width > target + 1e-9 || (startFits && exact.multiplyAdds >= startExact.multiplyAdds)) return { ...none, moves, accepted };
  const base = start.cost.overhead > 0 ? Math.min(start.cost.multiplyAdds / start.cost.overhead, outTree.cost().multiplyAdds) : outTree.cost().multiplyAdds;
  const reported = { ...exact, overhead: base > 0 ? exact.multiplyAdds / base : 1 };
  return { tree: outTree, sliced, cost: reported, moves, accepted, trackedMultiplyAdds: best.total };
}
