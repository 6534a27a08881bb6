/**
 * Coarsening for the multilevel partitioner: heavy-edge matching (each vertex pairs with the
 * unmatched neighbour it shares the most edge weight with, normalised by edge size, as in
 * KaHyPar's heavy-edge rating), then contraction of matched pairs. Edges that shrink to one pin
 * are dropped and parallel edges are merged (weights summed), which keeps coarse levels small.
 */
import { makeHypergraph, shuffleIdentity } from './hypergraph.js';
import type { Hypergraph } from './hypergraph.js';

/** One coarsening step: the coarse hypergraph and the fine → coarse vertex map. */
export interface CoarseLevel {
  readonly coarse: Hypergraph;
  readonly map: Int32Array;
}

/** Edges larger than this are ignored when rating (they say little about locality, and cost a lot). */
const MAX_RATED_EDGE = 64;

/**
 * Matches and contracts vertices of `h`. Pairs never exceed `maxVertexWeight`. Visiting order
 * comes from `rand`, so different seeds give different hierarchies.
 */
export function coarsenOnce(h: Hypergraph, maxVertexWeight: number, rand: () => number): CoarseLevel {
  const n = h.numVertices;
  const { edgeStart, pins, vertexStart, incidence, edgeWeight, vertexWeight } = h;
  const order = new Int32Array(n);
  shuffleIdentity(order, n, rand);
  const match = new Int32Array(n).fill(-1);
  const rating = new Float64Array(n);
  const touched = new Int32Array(n);
  for (let oi = 0; oi < n; oi++) {
    const v = order[oi];
    if (match[v] >= 0) continue;
    let nt = 0;
    for (let k = vertexStart[v]; k < vertexStart[v + 1]; k++) {
      const e = incidence[k];
      const size = edgeStart[e + 1] - edgeStart[e];
      if (size < 2 || size > MAX_RATED_EDGE) continue;
      const r = edgeWeight[e] / (size - 1);
      for (let q = edgeStart[e]; q < edgeStart[e + 1]; q++) {
        const u = pins[q];
        if (u === v || match[u] >= 0) continue;
        if (rating[u] === 0) touched[nt++] = u;
        rating[u] += r;
      }
    }
    let best = -1;
    let bestRating = 0;
    for (let t = 0; t < nt; t++) {
      const u = touched[t];
      const r = rating[u];
      rating[u] = 0;
      if (vertexWeight[u] + vertexWeight[v] > maxVertexWeight) continue;
      // Ties: prefer the lighter partner, which keeps coarse weights even.
      if (r > bestRating || (r === bestRating && best >= 0 && vertexWeight[u] < vertexWeight[best])) {
        best = u;
        bestRating = r;
      }
    }
    if (best >= 0) {
      match[v] = best;
      match[best] = v;
    } else {
      match[v] = v;
    }
  }

  const map = new Int32Array(n).fill(-1);
  let nc = 0;
  for (let v = 0; v < n; v++) {
    if (map[v] >= 0) continue;
    map[v] = nc;
    map[match[v]] = nc;
    nc++;
  }
  const cw = new Float64Array(nc);
  for (let v = 0; v < n; v++) cw[map[v]] += vertexWeight[v];

  // Contract edges: map pins, drop duplicates and single-pin edges, merge parallel edges.
  const mark = new Int32Array(nc).fill(-1);
  const newStart: number[] = [0];
  const newPins: number[] = [];
  const newWeight: number[] = [];
  const byHash = new Map<number, number[]>();
  for (let e = 0; e < h.numEdges; e++) {
    const begin = newPins.length;
    for (let k = edgeStart[e]; k < edgeStart[e + 1]; k++) {
      const c = map[pins[k]];
      if (mark[c] === e) continue;
      mark[c] = e;
      // Insertion into sorted position: edges are short, and sorted pins make parallel edges equal.
      let j = newPins.length;
      newPins.push(c);
      while (j > begin && newPins[j - 1] > c) {
        newPins[j] = newPins[j - 1];
        j--;
      }
      newPins[j] = c;
    }
    const size = newPins.length - begin;
    if (size < 2) {
      newPins.length = begin;
      continue;
    }
    let hash = size;
    for (let k = begin; k < newPins.length; k++) hash = (Math.imul(hash, 0x01000193) ^ newPins[k]) >>> 0;
    const same = byHash.get(hash);
    let merged = false;
    if (same) {
      for (const f of same) {
        const fb = newStart[f];
        if (newStart[f + 1] - fb !== size) continue;
        let eq = true;
        for (let k = 0; k < size; k++) {
          if (newPins[fb + k] !== newPins[begin + k]) {
            eq = false;
            break;
          }
        }
        if (eq) {
          newWeight[f] += edgeWeight[e];
          merged = true;
          break;
        }
      }
    }
    if (merged) {
      newPins.length = begin;
      continue;
    }
    const id = newWeight.length;
    newWeight.push(edgeWeight[e]);
    newStart.push(newPins.length);
    if (same) same.push(id);
    else byHash.set(hash, [id]);
  }
  const coarse = makeHypergraph(nc, cw, Int32Array.from(newStart), Int32Array.from(newPins), Float64Array.from(newWeight));
  return { coarse, map };
}
