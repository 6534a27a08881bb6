import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FINDERS, hyperOptimize, type HyperResult } from '../../src/contraction/finders/index.js';
import { reconfigure } from '../../src/contraction/reconfigure.js';
import { sliceTree } from '../../src/contraction/slicing.js';
import { greedyPath } from '../../src/contraction/greedy.js';
import { ContractionTree } from '../../src/contraction/tree.js';
import type { ContractionProblem } from '../../src/contraction/types.js';
import { type DenseTensor, executePath, einsumDirect, randomProblem, randomTensors, slicedSum } from './naive-einsum.js';
import { sliceCase } from './slice-case.js';
import { assertValid, close } from './tree-asserts.js';


test('every finder returns a valid tree with the right result', () => {
  for (let seed = 1; seed <= 8; seed++) {
    const p = randomProblem(seed * 31, 7, 10);
    const tensors = randomTensors(p, seed);
    const ref = einsumDirect(p, tensors);
    for (const [name, finder] of Object.entries(FINDERS)) {
      const tree = finder.find(p, { seed, params: { timeSeconds: 0.05, subtreeSize: 5, temperature: 0.5 } });
      assertValid(tree, p.inputs.length);
      close(executePath(p, tensors, tree.toPath()).result, ref);
      assert.ok(name.length > 0);
    }
  }
});

test('subtree reconfiguration never increases cost and keeps the result', () => {
  for (let seed = 1; seed <= 10; seed++) {
    const p = randomProblem(seed * 17, 9, 12);
    const tensors = randomTensors(p, seed);
    const tree = ContractionTree.fromPath(p, greedyPath(p, { seed, temperature: 1 }));
    const re = reconfigure(tree, { subtreeSize: 8 });
    assertValid(re, p.inputs.length);
    assert.ok(re.cost().multiplyAdds <= tree.cost().multiplyAdds);
    close(executePath(p, tensors, re.toPath()).result, einsumDirect(p, tensors));
  }
});

test('hyper-optimizer is no worse than greedy', () => {
  const p = randomProblem(77, 10, 14);
  const g = ContractionTree.fromPath(p, greedyPath(p)).cost();
  const h = hyperOptimize(p, { timeSeconds: 0.2, seed: 3 });
  assertValid(h.tree, p.inputs.length);
  assert.ok(h.tree.cost().multiplyAdds <= g.multiplyAdds);
  assert.ok(h.trials >= 1);
});

test('slicing never changes the result: sum over slices equals the unsliced contraction', () => {
  for (let seed = 1; seed <= 8; seed++) {
    const p = randomProblem(seed * 101, 7, 10);
    const tensors = randomTensors(p, seed);
    const tree = ContractionTree.fromPath(p, greedyPath(p));
    const w = tree.cost().width;
    const { tree: st, sliced, cost } = sliceTree(tree, { maxWidth: Math.max(0, w - 2) });
    assertValid(st, p.inputs.length);
    assert.ok(cost.width <= Math.max(0, w - 2) || sliced.length > 0);
    const out = new Set(p.output);
    for (const s of sliced) assert.ok(!out.has(s));
    assert.equal(cost.slices, sliced.reduce((n, i) => n * p.sizes[i], 1));
    close(slicedSum(p, tensors, st, sliced).result, einsumDirect(p, tensors));
  }
});

test('reconfiguration skipping cheap nodes (minCost) never increases cost and keeps the result', () => {
  for (let seed = 1; seed <= 8; seed++) {
    const p = randomProblem(seed * 43, 9, 12);
    const tensors = randomTensors(p, seed);
    const tree = ContractionTree.fromPath(p, greedyPath(p, { seed, temperature: 1 }));
    const c = tree.cost().multiplyAdds;
    const full = reconfigure(tree, { subtreeSize: 6 });
    const skip = reconfigure(tree, { subtreeSize: 6, minCost: 0.05 * c });
    const all = reconfigure(tree, { subtreeSize: 6, minCost: Infinity });
    for (const re of [skip, all]) {
      assertValid(re, p.inputs.length);
      assert.ok(re.cost().multiplyAdds <= c);
      close(executePath(p, tensors, re.toPath()).result, einsumDirect(p, tensors));
    }
    // Skipping every node leaves the tree as it was; skipping none is the plain pass.
    assert.equal(all.cost().multiplyAdds, c);
    assert.ok(full.cost().multiplyAdds <= c);
  }
});

test('slicing with reconfiguration passes that skip cheap nodes (minShare) stays exact', () => {
  for (let seed = 1; seed <= 6; seed++) {
    const { p, tensors, tree, target } = sliceCase(seed * 59, 8, 12, seed, 3);
    const s = sliceTree(tree, { maxWidth: target, minShare: 0.01, reconfigureEvery: 1, subtreeSize: 5 });
    assertValid(s.tree, p.inputs.length);
    if (s.cost.width > target + 1e-9) continue; // output indices alone too wide
    const exact = s.tree.cost(s.sliced);
    assert.equal(s.cost.multiplyAdds, exact.multiplyAdds);
    const run = slicedSum(p, tensors, s.tree, s.sliced);
    assert.equal(run.madds, exact.multiplyAdds);
    close(run.result, einsumDirect(p, tensors));
  }
});

/** A sliced search's plan is a valid tree within the width, costed exactly, and sums to the naive einsum. */
function assertExactSlicedSearch(
  h: HyperResult, p: ContractionProblem, tensors: DenseTensor[], target: number,
): asserts h is HyperResult & Required<Pick<HyperResult, 'sliced' | 'slicedCost'>> {
  assertValid(h.tree, p.inputs.length);
  assert.ok(h.sliced && h.slicedCost);
  const exact = h.tree.cost(h.sliced);
  assert.ok(exact.width <= target + 1e-9);
  assert.equal(h.slicedCost.multiplyAdds, exact.multiplyAdds);
  close(slicedSum(p, tensors, h.tree, h.sliced).result, einsumDirect(p, tensors));
}

test('sliced search with independent annealing runs: several runs, an exact sliced plan within the width, the right result', () => {
  for (let seed = 1; seed <= 3; seed++) {
    const { p, tensors, target } = sliceCase(seed * 61, 12, 16, seed, 3, true);
    // 1 s of budget: annealing gets at least 35% of it, about seven 0.05 s runs.
    const h = hyperOptimize(p, { timeSeconds: 1, objective: 'sliced', maxWidth: target, seed, annealRunSeconds: 0.05 });
    assert.equal(h.best.params.annealRunsIndependent, 1);
    assert.ok(Number(h.best.params.annealRuns) >= 2, `annealing runs: ${h.best.params.annealRuns}`);
    assertExactSlicedSearch(h, p, tensors, target);
  }
  // Move-bounded (deterministic) searches keep the chained runs.
  const { p, target } = sliceCase(7, 10, 14, 1, 3, true);
  const d = hyperOptimize(p, { maxTrials: 4, timeSeconds: 60, objective: 'sliced', maxWidth: target, seed: 2, annealRunSeconds: 0.001 });
  assert.equal(d.best.params.annealRunsIndependent, 0);
});

test('sliced search in several chains (sliceStarts): the cheapest chain wins, an exact sliced plan within the width, the right result', () => {
  for (let seed = 1; seed <= 3; seed++) {
    const { p, tensors, target } = sliceCase(seed * 67, 12, 16, seed, 3, true);
    const h = hyperOptimize(p, { timeSeconds: 1, objective: 'sliced', maxWidth: target, seed, sliceStarts: 3 });
    assertExactSlicedSearch(h, p, tensors, target);
    assert.equal(h.best.params.chains, 3);
    const costs = String(h.best.params.chainCosts).split(',').map(Number);
    assert.equal(costs.length, 3);
    assert.ok([0, 1, 2].includes(Number(h.best.params.chain)), `chain ${h.best.params.chain}`);
    assert.equal(costs[Number(h.best.params.chain)], Math.min(...costs));
    assert.ok(Math.abs(Math.log10(h.slicedCost.multiplyAdds) - Math.min(...costs)) < 1e-3);
  }
  // Move-bounded (deterministic) searches run one chain.
  const { p, target } = sliceCase(9, 10, 14, 1, 3, true);
  const d = hyperOptimize(p, { maxTrials: 4, timeSeconds: 60, objective: 'sliced', maxWidth: target, seed: 2, sliceStarts: 3 });
  assert.equal(d.best.params.chains, undefined);
});
