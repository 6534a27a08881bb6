/**
 * Multilevel hypergraph bisection (KaHyPar-style, much simplified): coarsen by heavy-edge
 * matching down to a small hypergraph, try several initial bipartitions there (BFS growing from
 * random seeds and random assignments, each FM-refined), keep the best, then project it back
 * level by level with FM refinement at each level.
 */
import { coarsenOnce } from './coarsen.js';
import { fmRefine } from './fm.js';
import { inducedHypergraph, partLimits, shuffleIdentity } from './hypergraph.js';
import type { Hypergraph } from './hypergraph.js';

/** Options of `bisectHypergraph`. */
export interface BisectOptions {
  /** Imbalance ε: each side weighs at most `(1 + ε)·⌈W/2⌉` (default 0.03). */
  epsilon?: number;
  /** Random source (matching order, initial partitions). */
  rand: () => number;
  /** Stop coarsening at this many vertices (default 48). */
  coarsestSize?: number;
  /** Initial partitions tried at the coarsest level (default 8). */
  initialTries?: number;
  /** FM passes per level (default 6). */
  fmPasses?: number;
  /** Target share of the weight on side 0 (default 0.5; k-way splits use k1/k). */
  fraction?: number;
}

/** A bipartition: `part[v]` ∈ {0, 1}, its cut weight and side weights. */
export interface Bisection {
  part: Uint8Array;
  cut: number;
  weights: [number, number];
}

/** Overweight of a result (0 when balanced). */
function overweight(w: [number, number], limit: readonly [number, number]): number {
  return Math.max(0, w[0] - limit[0]) + Math.max(0, w[1] - limit[1]);
}

/** Grows side 0 breadth-first from a random vertex until it holds about `fraction` of the weight. */
function bfsGrow(h: Hypergraph, rand: () => number, part: Uint8Array, queue: Int32Array, seen: Uint8Array, fraction: number): void {
  const n = h.numVertices;
  part.fill(1);
  seen.fill(0);
  const half = h.totalWeight * fraction;
  let w0 = 0;
  let head = 0;
  let tail = 0;
  while (w0 < half) {
    if (head === tail) {
      // New component (or start): a random unvisited vertex.
      let s = Math.floor(rand() * n);
      while (seen[s]) s = (s + 1) % n;
      seen[s] = 1;
      queue[tail++] = s;
    }
    const v = queue[head++];
    if (w0 + h.vertexWeight[v] > half + 0.5 * h.vertexWeight[v] && w0 > 0) break;
    part[v] = 0;
    w0 += h.vertexWeight[v];
    for (let k = h.vertexStart[v]; k < h.vertexStart[v + 1]; k++) {
      const e = h.incidence[k];
      for (let q = h.edgeStart[e]; q < h.edgeStart[e + 1]; q++) {
        const u = h.pins[q];
        if (!seen[u]) {
          seen[u] = 1;
          queue[tail++] = u;
        }
      }
    }
  }
}

/** Random assignment: vertices in random order fill side 0 up to `fraction` of the weight. */
function randomSplit(h: Hypergraph, rand: () => number, part: Uint8Array, order: Int32Array, fraction: number): void {
  const n = h.numVertices;
  shuffleIdentity(order, n, rand);
  part.fill(1);
  let w0 = 0;
  for (let i = 0; i < n && w0 < h.totalWeight * fraction; i++) {
    part[order[i]] = 0;
    w0 += h.vertexWeight[order[i]];
  }
}

/**
 * Bisects `h` minimising the cut under the imbalance limits (see `partLimits`). Requires at least two vertices;
 * both returned sides are non-empty when every vertex weighs at least 1.
 */
export function bisectHypergraph(h: Hypergraph, options: BisectOptions): Bisection {
  const eps = options.epsilon ?? 0.03;
  const rand = options.rand;
  const coarsest = Math.max(8, options.coarsestSize ?? 48);
  const tries = Math.max(1, options.initialTries ?? 8);
  const passes = options.fmPasses ?? 6;
  const fraction = Math.min(0.95, Math.max(0.05, options.fraction ?? 0.5));
  const limit = partLimits(h.totalWeight, eps, fraction);

  // Coarsening: cluster weight capped so the coarsest level can still be balanced.
  const levels: Array<{ fine: Hypergraph; map: Int32Array }> = [];
  let cur = h;
  const maxVertexWeight = Math.max(1, Math.floor(h.totalWeight / coarsest));
  while (cur.numVertices > coarsest) {
    const { coarse, map } = coarsenOnce(cur, maxVertexWeight, rand);
    if (coarse.numVertices > 0.92 * cur.numVertices) break; // matching stalled
    levels.push({ fine: cur, map });
    cur = coarse;
  }

  // Initial partitions at the coarsest level (heavier vertices: allow one vertex of slack).
  const n0 = cur.numVertices;
  let maxW = 0;
  for (let v = 0; v < n0; v++) maxW = Math.max(maxW, cur.vertexWeight[v]);
  const coarseLimit: [number, number] = levels.length > 0 ? [limit[0] + maxW, limit[1] + maxW] : limit;
  const part = new Uint8Array(n0);
  const best = new Uint8Array(n0);
  const buf = new Int32Array(n0);
  const seen = new Uint8Array(n0);
  let bestOver = Infinity;
  let bestCut = Infinity;
  for (let t = 0; t < tries; t++) {
    if (t % 3 === 2) randomSplit(cur, rand, part, buf, fraction);
    else bfsGrow(cur, rand, part, buf, seen, fraction);
    const r = fmRefine(cur, part, coarseLimit, { maxPasses: passes });
    const o = overweight(r.weights, coarseLimit);
    if (o < bestOver || (o === bestOver && r.cut < bestCut)) {
      bestOver = o;
      bestCut = r.cut;
      best.set(part);
    }
  }

  // Uncoarsening with refinement at every level.
  let coarsePart = best;
  let result = { cut: bestCut, weights: [0, 0] as [number, number] };
  for (let l = levels.length - 1; l >= 0; l--) {
    const { fine, map } = levels[l];
    const finePart = new Uint8Array(fine.numVertices);
    for (let v = 0; v < fine.numVertices; v++) finePart[v] = coarsePart[map[v]];
    let lim = limit;
    if (l > 0) {
      let mw = 0;
      for (let v = 0; v < fine.numVertices; v++) mw = Math.max(mw, fine.vertexWeight[v]);
      lim = [limit[0] + mw, limit[1] + mw];
    }
    result = fmRefine(fine, finePart, lim, { maxPasses: passes });
    coarsePart = finePart;
  }
  if (levels.length === 0) result = fmRefine(h, coarsePart, limit, { maxPasses: passes });
  return { part: coarsePart, cut: result.cut, weights: result.weights };
}

/**
 * k-way partition by recursive bisection: side 0 of each split targets ⌊k/2⌋/k of the weight.
 * Returns a block number in 0…k-1 per vertex (blocks may be empty when vertices are heavy).
 */
export function partitionHypergraph(h: Hypergraph, k: number, options: BisectOptions): Int32Array {
  const block = new Int32Array(h.numVertices);
  const mark = new Int32Array(h.numVertices).fill(-1);
  const rec = (sub: Hypergraph, ids: Int32Array, parts: number, first: number): void => {
    if (parts <= 1 || sub.numVertices < 2) {
      for (const v of ids) block[v] = first;
      return;
    }
    const k0 = Math.floor(parts / 2);
    const { part, weights } = bisectHypergraph(sub, { ...options, fraction: k0 / parts });
    if (weights[0] === 0 || weights[1] === 0) {
      for (const v of ids) block[v] = first;
      return;
    }
    const sides = [0, 1].map((s) => {
      const local: number[] = [];
      for (let v = 0; v < sub.numVertices; v++) if (part[v] === s) local.push(v);
      return Int32Array.from(local);
    });
    const parts1 = [k0, parts - k0];
    for (let s = 0; s < 2; s++) {
      const local = sides[s];
      const child = parts1[s] > 1 ? inducedHypergraph(sub, local, mark.subarray(0, sub.numVertices)) : sub;
      rec(child, local.map((v) => ids[v]), parts1[s], first + (s === 0 ? 0 : k0));
    }
  };
  const ids = new Int32Array(h.numVertices);
  for (let v = 0; v < h.numVertices; v++) ids[v] = v;
  rec(h, ids, k, 0);
  return block;
}
