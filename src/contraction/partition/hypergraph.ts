/**
 * Weighted hypergraphs in compressed (CSR) form for the multilevel partitioner: vertices carry
 * weights (balance), hyperedges carry weights (cut). Both directions are stored: the pins of each
 * edge and the edges incident to each vertex.
 */

/** An immutable weighted hypergraph in CSR form. */
export interface Hypergraph {
  readonly numVertices: number;
  readonly numEdges: number;
  /** Weight of each vertex (balance is measured in these). */
  readonly vertexWeight: Float64Array;
  /** Weight of each hyperedge (the cut sums these). */
  readonly edgeWeight: Float64Array;
  /** Pins of edge `e` are `pins[edgeStart[e] … edgeStart[e+1])` (distinct vertices). */
  readonly edgeStart: Int32Array;
  readonly pins: Int32Array;
  /** Edges of vertex `v` are `incidence[vertexStart[v] … vertexStart[v+1])`. */
  readonly vertexStart: Int32Array;
  readonly incidence: Int32Array;
  /** Sum of all vertex weights. */
  readonly totalWeight: number;
}

/**
 * Builds a hypergraph from edge lists. Pins of one edge must be distinct; edges with fewer than
 * two pins are kept (they never count in a cut) but callers usually drop them first.
 */
export function makeHypergraph(
  numVertices: number,
  vertexWeight: Float64Array,
  edgeStart: Int32Array,
  pins: Int32Array,
  edgeWeight: Float64Array,
): Hypergraph {
  const numEdges = edgeWeight.length;
  const vertexStart = new Int32Array(numVertices + 1);
  for (let k = 0; k < edgeStart[numEdges]; k++) vertexStart[pins[k] + 1]++;
  for (let v = 0; v < numVertices; v++) vertexStart[v + 1] += vertexStart[v];
  const fill = vertexStart.slice(0, numVertices);
  const incidence = new Int32Array(edgeStart[numEdges]);
  for (let e = 0; e < numEdges; e++) {
    for (let k = edgeStart[e]; k < edgeStart[e + 1]; k++) incidence[fill[pins[k]]++] = e;
  }
  let totalWeight = 0;
  for (let v = 0; v < numVertices; v++) totalWeight += vertexWeight[v];
  return { numVertices, numEdges, vertexWeight, edgeWeight, edgeStart, pins, vertexStart, incidence, totalWeight };
}

/** Convenience builder from arrays of pins (tests, small inputs). */
export function hypergraphFromEdges(
  numVertices: number,
  edges: ReadonlyArray<readonly number[]>,
  edgeWeights?: readonly number[],
  vertexWeights?: readonly number[],
): Hypergraph {
  const edgeStart = new Int32Array(edges.length + 1);
  for (let e = 0; e < edges.length; e++) edgeStart[e + 1] = edgeStart[e] + edges[e].length;
  const pins = new Int32Array(edgeStart[edges.length]);
  for (let e = 0; e < edges.length; e++) pins.set(edges[e], edgeStart[e]);
  const ew = Float64Array.from(edgeWeights ?? edges.map(() => 1));
  const vw = Float64Array.from(vertexWeights ?? Array.from({ length: numVertices }, () => 1));
  return makeHypergraph(numVertices, vw, edgeStart, pins, ew);
}

/** Total weight of the edges with pins on both sides of a bipartition (`part[v]` is 0 or 1). */
export function cutWeight(h: Hypergraph, part: Uint8Array): number {
  let cut = 0;
  for (let e = 0; e < h.numEdges; e++) {
    const a = h.edgeStart[e];
    const b = h.edgeStart[e + 1];
    if (b - a < 2) continue;
    const p = part[h.pins[a]];
    for (let k = a + 1; k < b; k++) {
      if (part[h.pins[k]] !== p) {
        cut += h.edgeWeight[e];
        break;
      }
    }
  }
  return cut;
}

/** Weights of side 0 and side 1 of a bipartition. */
export function partWeights(h: Hypergraph, part: Uint8Array): [number, number] {
  const w: [number, number] = [0, 0];
  for (let v = 0; v < h.numVertices; v++) w[part[v]] += h.vertexWeight[v];
  return w;
}

/**
 * Largest allowed side weight for imbalance `epsilon`: `(1 + ε)·⌈W/2⌉`, but never the whole
 * weight (so both sides stay non-empty when vertices weigh at least 1).
 */
export function maxPartWeight(totalWeight: number, epsilon: number): number {
  return partLimits(totalWeight, epsilon, 0.5)[0];
}

/**
 * Side weight limits for a bipartition whose side 0 should hold `fraction` of the weight:
 * side s may weigh `(1 + ε)·⌈target_s⌉`, never the whole weight.
 */
export function partLimits(totalWeight: number, epsilon: number, fraction: number): [number, number] {
  const lim = (f: number): number => {
    const t = Math.ceil(f * totalWeight);
    return Math.max(t, Math.min(Math.floor((1 + epsilon) * t), totalWeight - 1));
  };
  return [lim(fraction), lim(1 - fraction)];
}

/**
 * The sub-hypergraph induced by `vertices` (renumbered 0…k-1 in the given order): edges keep the
 * pins inside the set, and edges left with fewer than two pins are dropped. `mark` is scratch of
 * length `h.numVertices` filled with -1 (restored before returning).
 */
export function inducedHypergraph(h: Hypergraph, vertices: Int32Array, mark: Int32Array): Hypergraph {
  const k = vertices.length;
  for (let j = 0; j < k; j++) mark[vertices[j]] = j;
  const starts: number[] = [0];
  const pins: number[] = [];
  const weights: number[] = [];
  const seenEdge = new Uint8Array(h.numEdges);
  for (let j = 0; j < k; j++) {
    const v = vertices[j];
    for (let q = h.vertexStart[v]; q < h.vertexStart[v + 1]; q++) {
      const e = h.incidence[q];
      if (seenEdge[e]) continue;
      seenEdge[e] = 1;
      const begin = pins.length;
      for (let r = h.edgeStart[e]; r < h.edgeStart[e + 1]; r++) {
        const u = mark[h.pins[r]];
        if (u >= 0) pins.push(u);
      }
      if (pins.length - begin < 2) {
        pins.length = begin;
        continue;
      }
      weights.push(h.edgeWeight[e]);
      starts.push(pins.length);
    }
  }
  const vw = new Float64Array(k);
  for (let j = 0; j < k; j++) {
    vw[j] = h.vertexWeight[vertices[j]];
    mark[vertices[j]] = -1;
  }
  return makeHypergraph(k, vw, Int32Array.from(starts), Int32Array.from(pins), Float64Array.from(weights));
}

/** Fills order[0, n) with a uniformly random permutation of 0…n−1 (Fisher–Yates, `rand` in [0, 1)). */
export function shuffleIdentity(order: Int32Array, n: number, rand: () => number): void {
  for (let v = 0; v < n; v++) order[v] = v;
  for (let k = n - 1; k > 0; k--) {
    const j = Math.floor(rand() * (k + 1));
    const t = order[k];
    order[k] = order[j];
    order[j] = t;
  }
}
