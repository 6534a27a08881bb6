import { test } from 'node:test';
import assert from 'node:assert/strict';
import { coarsenOnce } from '../../src/contraction/partition/coarsen.js';
import { fmRefine } from '../../src/contraction/partition/fm.js';
import { bisectHypergraph, partitionHypergraph } from '../../src/contraction/partition/bisect.js';
import { cutWeight, hypergraphFromEdges, partLimits, partWeights } from '../../src/contraction/partition/hypergraph.js';
import type { Hypergraph } from '../../src/contraction/partition/hypergraph.js';
import { mulberry32 } from '../../src/contraction/rng.js';

/** Random hypergraph: edges of 2–4 distinct pins with weights 1–3, plus a ring so it is connected. */
function randomHypergraph(seed: number, n: number, m: number, vertexWeights = false): Hypergraph {
  const r = mulberry32(seed);
  const edges: number[][] = [];
  const weights: number[] = [];
  for (let v = 0; v < n; v++) {
    edges.push([v, (v + 1) % n]);
    weights.push(1);
  }
  for (let e = 0; e < m; e++) {
    const size = 2 + Math.floor(r() * 3);
    const pins = new Set<number>();
    while (pins.size < size) pins.add(Math.floor(r() * n));
    edges.push([...pins]);
    weights.push(1 + Math.floor(r() * 3));
  }
  const vw = vertexWeights ? Array.from({ length: n }, () => 1 + Math.floor(r() * 3)) : undefined;
  return hypergraphFromEdges(n, edges, weights, vw);
}

function grid(L: number): Hypergraph {
  const edges: number[][] = [];
  for (let y = 0; y < L; y++) {
    for (let x = 0; x < L; x++) {
      if (x + 1 < L) edges.push([y * L + x, y * L + x + 1]);
      if (y + 1 < L) edges.push([y * L + x, (y + 1) * L + x]);
    }
  }
  return hypergraphFromEdges(L * L, edges);
}

test('bisection is a valid balanced bipartition whose reported cut equals the recomputed cut', () => {
  for (let seed = 1; seed <= 12; seed++) {
    const h = randomHypergraph(seed, 40 + seed * 17, 120 + seed * 30, seed % 3 === 0);
    for (const eps of [0.03, 0.2, 1.5]) {
      for (const fraction of [0.5, 1 / 3]) {
        const b = bisectHypergraph(h, { epsilon: eps, rand: mulberry32(seed), fraction });
        assert.equal(b.part.length, h.numVertices);
        for (const p of b.part) assert.ok(p === 0 || p === 1);
        assert.ok(Math.abs(b.cut - cutWeight(h, b.part)) < 1e-9, `seed ${seed}: reported ${b.cut}, recomputed ${cutWeight(h, b.part)}`);
        assert.deepEqual(b.weights, partWeights(h, b.part));
        const lim = partLimits(h.totalWeight, eps, fraction);
        assert.ok(b.weights[0] > 0 && b.weights[1] > 0, 'both sides non-empty');
        assert.ok(b.weights[0] <= lim[0] && b.weights[1] <= lim[1], `seed ${seed} eps ${eps}: weights ${b.weights} over limits ${lim}`);
      }
    }
  }
});

test('FM refinement never increases the cut and keeps a balanced partition balanced', () => {
  for (let seed = 1; seed <= 15; seed++) {
    const h = randomHypergraph(seed * 7, 30 + seed * 11, 100 + seed * 20);
    const r = mulberry32(seed);
    const part = new Uint8Array(h.numVertices);
    const order = Array.from({ length: h.numVertices }, (_, v) => v).sort(() => r() - 0.5);
    for (let k = 0; k < order.length; k++) part[order[k]] = k % 2;
    const before = cutWeight(h, part);
    const limit = partLimits(h.totalWeight, 0.05, 0.5);
    const res = fmRefine(h, part, limit);
    const after = cutWeight(h, part);
    assert.ok(after <= before + 1e-9, `seed ${seed}: ${before} -> ${after}`);
    assert.ok(Math.abs(res.cut - after) < 1e-9);
    assert.deepEqual(res.weights, partWeights(h, part));
    assert.ok(res.weights[0] <= limit[0] && res.weights[1] <= limit[1]);
  }
});

test('FM drives an overweight partition back under the limit', () => {
  const h = randomHypergraph(5, 80, 200);
  const part = new Uint8Array(h.numVertices); // everything on side 0
  part[0] = 1;
  const limit = partLimits(h.totalWeight, 0.05, 0.5);
  const res = fmRefine(h, part, limit, { maxPasses: 20 });
  assert.ok(res.weights[0] <= limit[0] && res.weights[1] <= limit[1], `weights ${res.weights}`);
  assert.ok(Math.abs(res.cut - cutWeight(h, part)) < 1e-9);
});

test('coarsening preserves weights and the cut of every projected partition', () => {
  for (let seed = 1; seed <= 8; seed++) {
    const h = randomHypergraph(seed * 3, 60, 150, seed % 2 === 0);
    const { coarse, map } = coarsenOnce(h, 6, mulberry32(seed));
    assert.ok(coarse.numVertices < h.numVertices);
    assert.ok(Math.abs(coarse.totalWeight - h.totalWeight) < 1e-9);
    for (let v = 0; v < h.numVertices; v++) assert.ok(map[v] >= 0 && map[v] < coarse.numVertices);
    for (let c = 0; c < coarse.numVertices; c++) assert.ok(coarse.vertexWeight[c] <= Math.max(6, ...Array.from(h.vertexWeight)));
    const r = mulberry32(seed + 100);
    for (let trial = 0; trial < 5; trial++) {
      const cp = Uint8Array.from({ length: coarse.numVertices }, () => (r() < 0.5 ? 0 : 1));
      const fp = Uint8Array.from(map, (c) => cp[c]);
      assert.ok(Math.abs(cutWeight(coarse, cp) - cutWeight(h, fp)) < 1e-9);
    }
  }
});

test('bisection finds the straight cut of a grid', () => {
  for (const L of [10, 16]) {
    const h = grid(L);
    let best = Infinity;
    for (let seed = 1; seed <= 4; seed++) best = Math.min(best, bisectHypergraph(h, { epsilon: 0.03, rand: mulberry32(seed) }).cut);
    assert.ok(best <= L + 2, `${L}x${L} grid: best cut ${best}`);
  }
});

test('k-way partition labels every vertex with a block in range', () => {
  const h = randomHypergraph(9, 200, 500);
  for (const k of [2, 3, 5, 8]) {
    const block = partitionHypergraph(h, k, { epsilon: 0.1, rand: mulberry32(k) });
    const seen = new Set<number>();
    for (const b of block) {
      assert.ok(b >= 0 && b < k);
      seen.add(b);
    }
    assert.equal(seen.size, k, `k=${k}: all blocks used`);
  }
});
