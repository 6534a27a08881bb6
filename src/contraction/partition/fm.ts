/**
 * Fiduccia–Mattheyses refinement of a hypergraph bipartition: passes of single-vertex moves in
 * best-gain order (one max-heap per side, keyed by the cut decrease of moving a vertex), each
 * vertex moved at most once per pass, gains updated incrementally from per-edge pin counts, and
 * the pass rolled back to its best prefix. Balance: a side may not exceed its weight limit; a
 * partition that starts overweight is first driven towards balance (states are compared by
 * overweight, then cut). All buffers are typed arrays allocated once per call.
 */
import type { Hypergraph } from './hypergraph.js';

/** Options of `fmRefine`. */
export interface FmOptions {
  /** Maximum number of passes (default 8). */
  maxPasses?: number;
  /** A pass stops after this many moves without a new best state (default 100; KaHyPar-like early stop). */
  maxNonImproving?: number;
}

/** Result of a refinement: final cut and side weights (the partition is updated in place). */
export interface FmResult {
  cut: number;
  weights: [number, number];
}

/** Indexed binary max-heap over vertex ids, keyed by an external gain array. */
class GainHeap {
  readonly heap: Int32Array;
  size = 0;
  constructor(
    readonly pos: Int32Array,
    readonly key: Float64Array,
    capacity: number,
  ) {
    this.heap = new Int32Array(capacity);
  }

  clear(): void {
    for (let i = 0; i < this.size; i++) this.pos[this.heap[i]] = -1;
    this.size = 0;
  }

  push(v: number): void {
    const i = this.size++;
    this.heap[i] = v;
    this.pos[v] = i;
    this.up(i);
  }

  top(): number {
    return this.heap[0];
  }

  remove(v: number): void {
    const i = this.pos[v];
    const last = this.heap[--this.size];
    this.pos[v] = -1;
    if (i === this.size) return;
    this.heap[i] = last;
    this.pos[last] = i;
    this.up(i);
    this.down(this.pos[last]);
  }

  /** Restores heap order after `key[v]` changed. */
  update(v: number): void {
    const i = this.pos[v];
    this.up(i);
    this.down(this.pos[v]);
  }

  private up(i: number): void {
    const { heap, pos, key } = this;
    const v = heap[i];
    const k = key[v];
    while (i > 0) {
      const p = (i - 1) >> 1;
      const u = heap[p];
      if (key[u] >= k) break;
      heap[i] = u;
      pos[u] = i;
      i = p;
    }
    heap[i] = v;
    pos[v] = i;
  }

  private down(i: number): void {
    const { heap, pos, key } = this;
    const n = this.size;
    const v = heap[i];
    const k = key[v];
    for (;;) {
      let c = 2 * i + 1;
      if (c >= n) break;
      if (c + 1 < n && key[heap[c + 1]] > key[heap[c]]) c++;
      const u = heap[c];
      if (key[u] <= k) break;
      heap[i] = u;
      pos[u] = i;
      i = c;
    }
    heap[i] = v;
    pos[v] = i;
  }
}

/**
 * Refines `part` (0/1 per vertex, updated in place) so that the cut decreases, keeping side `s`
 * at most `maxWeight` (or `maxWeight[s]`). Never returns a state worse than the input by
 * (overweight, cut).
 */
export function fmRefine(h: Hypergraph, part: Uint8Array, maxWeight: number | readonly [number, number], options: FmOptions = {}): FmResult {
  const lim0 = typeof maxWeight === 'number' ? maxWeight : maxWeight[0];
  const lim1 = typeof maxWeight === 'number' ? maxWeight : maxWeight[1];
  const limit = [lim0, lim1];
  const n = h.numVertices;
  const m = h.numEdges;
  const { edgeStart, pins, vertexStart, incidence, edgeWeight, vertexWeight } = h;
  const maxPasses = options.maxPasses ?? 8;
  const maxNonImproving = options.maxNonImproving ?? 100;

  const count = new Int32Array(2 * m); // count[2e + s]: pins of edge e on side s
  const weights: [number, number] = [0, 0];
  for (let v = 0; v < n; v++) weights[part[v]] += vertexWeight[v];
  let cut = 0;
  for (let e = 0; e < m; e++) {
    for (let k = edgeStart[e]; k < edgeStart[e + 1]; k++) count[2 * e + part[pins[k]]]++;
    if (count[2 * e] > 0 && count[2 * e + 1] > 0) cut += edgeWeight[e];
  }
  const over = (): number => Math.max(0, weights[0] - lim0) + Math.max(0, weights[1] - lim1);

  const gain = new Float64Array(n);
  const pos = new Int32Array(n).fill(-1);
  const heaps = [new GainHeap(pos, gain, n), new GainHeap(pos, gain, n)];
  const locked = new Uint8Array(n);
  const moves = new Int32Array(n);

  const bump = (u: number, delta: number): void => {
    gain[u] += delta;
    if (pos[u] >= 0) heaps[part[u]].update(u);
  };

  for (let pass = 0; pass < maxPasses; pass++) {
    // Gains from scratch: +w if v is alone on its side of e (moving it uncuts e), −w if e lies
    // wholly on v's side (moving it cuts e).
    for (let v = 0; v < n; v++) {
      const s = part[v];
      let g = 0;
      for (let k = vertexStart[v]; k < vertexStart[v + 1]; k++) {
        const e = incidence[k];
        if (count[2 * e + s] === 1) g += edgeWeight[e];
        if (count[2 * e + 1 - s] === 0) g -= edgeWeight[e];
      }
      gain[v] = g;
      locked[v] = 0;
    }
    heaps[0].clear();
    heaps[1].clear();
    for (let v = 0; v < n; v++) heaps[part[v]].push(v);

    const startOver = over();
    const startCut = cut;
    let bestOver = startOver;
    let bestCut = startCut;
    let bestLen = 0;
    let nMoves = 0;
    let sinceBest = 0;
    for (;;) {
      // Candidate from each side; a vertex that cannot move without breaking balance (and does
      // not reduce an overweight side) is dropped for this pass.
      let v = -1;
      let vPrio = -Infinity;
      for (let s = 0; s < 2; s++) {
        const hp = heaps[s];
        while (hp.size > 0) {
          const u = hp.top();
          const w = vertexWeight[u];
          if (weights[1 - s] + w <= limit[1 - s] || (weights[s] > limit[s] && weights[1 - s] + w - limit[1 - s] < weights[s] - limit[s])) break;
          hp.remove(u);
        }
        if (hp.size === 0) continue;
        const u = hp.top();
        // Overweight side first, else best gain; ties go to the heavier side.
        const prio = (weights[s] > limit[s] ? 1e300 : 0) + gain[u];
        if (prio > vPrio || (prio === vPrio && weights[s] - limit[s] > weights[1 - s] - limit[1 - s])) {
          v = u;
          vPrio = prio;
        }
      }
      if (v < 0) break;
      const from = part[v];
      const to = 1 - from;
      heaps[from].remove(v);
      locked[v] = 1;
      cut -= gain[v];
      for (let k = vertexStart[v]; k < vertexStart[v + 1]; k++) {
        const e = incidence[k];
        const w = edgeWeight[e];
        const a = edgeStart[e];
        const b = edgeStart[e + 1];
        const ct = count[2 * e + to];
        if (ct === 0) {
          for (let q = a; q < b; q++) if (!locked[pins[q]]) bump(pins[q], w);
        } else if (ct === 1) {
          for (let q = a; q < b; q++) {
            const u = pins[q];
            if (part[u] === to) {
              if (!locked[u]) bump(u, -w);
              break;
            }
          }
        }
        count[2 * e + from]--;
        count[2 * e + to]++;
        const cf = count[2 * e + from];
        if (cf === 0) {
          for (let q = a; q < b; q++) if (!locked[pins[q]]) bump(pins[q], -w);
        } else if (cf === 1) {
          for (let q = a; q < b; q++) {
            const u = pins[q];
            if (u !== v && part[u] === from) {
              if (!locked[u]) bump(u, w);
              break;
            }
          }
        }
      }
      part[v] = to;
      weights[from] -= vertexWeight[v];
      weights[to] += vertexWeight[v];
      moves[nMoves++] = v;
      const o = over();
      if (o < bestOver || (o === bestOver && cut < bestCut - 1e-9)) {
        bestOver = o;
        bestCut = cut;
        bestLen = nMoves;
        sinceBest = 0;
      } else if (++sinceBest > maxNonImproving) {
        break;
      }
    }
    // Roll back to the best prefix.
    for (let i = nMoves - 1; i >= bestLen; i--) {
      const v = moves[i];
      const from = part[v];
      const to = 1 - from;
      for (let k = vertexStart[v]; k < vertexStart[v + 1]; k++) {
        const e = incidence[k];
        count[2 * e + from]--;
        count[2 * e + to]++;
      }
      part[v] = to;
      weights[from] -= vertexWeight[v];
      weights[to] += vertexWeight[v];
    }
    cut = bestCut;
    if (bestLen === 0 || (bestOver === startOver && bestCut >= startCut - 1e-9)) break;
  }
  // Report the cut recomputed from pin counts (exact, no accumulated rounding).
  cut = 0;
  for (let e = 0; e < m; e++) if (count[2 * e] > 0 && count[2 * e + 1] > 0) cut += edgeWeight[e];
  return { cut, weights };
}
