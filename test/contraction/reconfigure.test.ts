import { test } from 'node:test';
import assert from 'node:assert/strict';
import { greedyPath } from '../../src/contraction/greedy.js';
import { optimalSubtree, reconfigure } from '../../src/contraction/reconfigure.js';
import { mulberry32 } from '../../src/contraction/rng.js';
import { ContractionTree, legSize, pairCost, type IndexTotals, type TreeNode } from '../../src/contraction/tree.js';
import { randomProblem } from './naive-einsum.js';
import { assertValid } from './tree-asserts.js';

/** The subset DP written directly over leg maps (the planner's bitset version must agree). */
function referenceOptimal(frontier: TreeNode[], totals: IndexTotals, sizes: readonly number[], sliced: ReadonlySet<number>, sizeWeight: number): number {
  const full = (1 << frontier.length) - 1;
  const legs: Array<Map<number, number>> = new Array(full + 1);
  const best = new Array<number>(full + 1).fill(Infinity);
  frontier.forEach((f, j) => { legs[1 << j] = f.legs as Map<number, number>; best[1 << j] = 0; });
  for (let s = 1; s <= full; s++) {
    if ((s & (s - 1)) === 0) continue;
    const low = s & -s;
    legs[s] = totals.mergeLegs(legs[low], legs[s ^ low]);
    for (let a = (s - 1) & s; a > 0; a = (a - 1) & s) {
      const b = s ^ a;
      if (a > b) continue;
      const c = best[a] + best[b] + pairCost(legs[a], legs[b], sizes, sliced) + sizeWeight * legSize(legs[s].keys(), sizes, sliced);
      if (c < best[s]) best[s] = c;
    }
  }
  return best[full];
}

/** Cost of the contractions of `node` above the frontier nodes `stop`, recomputed from its own legs. */
function costAbove(node: TreeNode, stop: Set<TreeNode>, sizes: readonly number[], sliced: ReadonlySet<number>, sizeWeight: number): number {
  if (stop.has(node) || node.leaf !== undefined) return 0;
  return pairCost(node.left!.legs, node.right!.legs, sizes, sliced) + sizeWeight * legSize(node.legs.keys(), sizes, sliced)
    + costAbove(node.left!, stop, sizes, sliced, sizeWeight) + costAbove(node.right!, stop, sizes, sliced, sizeWeight);
}

test('optimalSubtree (bitsets over the frontier legs) equals the subset DP over leg maps: sliced indices, size weight, sizes 2 and 3, output legs', () => {
  const rand = mulberry32(77);
  let checked = 0;
  for (let seed = 1; seed <= 40; seed++) {
    const binary = seed % 2 === 0;
    const random = randomProblem(seed * 7919, 14, 30 + (seed % 5) * 10);
    const p = binary ? { ...random, sizes: random.sizes.map(() => 2) } : random;
    const tree = ContractionTree.fromPath(p, greedyPath(p));
    // Frontier: from the root, expand random internal members until k of them.
    const k = 3 + (seed % 6);
    const frontier: TreeNode[] = [tree.root];
    while (frontier.length < k) {
      const inner = frontier.map((f, j) => [f, j] as const).filter(([f]) => f.leaf === undefined);
      if (inner.length === 0) break;
      const [f, j] = inner[Math.floor(rand() * inner.length)];
      frontier.splice(j, 1, f.left!, f.right!);
    }
    if (frontier.length < 3) continue;
    const indices = [...new Set(p.inputs.flat())];
    const sliced = new Set(indices.filter(() => rand() < 0.2));
    const sizeWeight = seed % 3 === 0 ? 0.5 : 0;
    const got = optimalSubtree(frontier, tree.totals, p.sizes, sliced, sizeWeight);
    const want = referenceOptimal(frontier, tree.totals, p.sizes, sliced, sizeWeight);
    assert.ok(Math.abs(got.cost - want) <= 1e-12 * want, `seed ${seed}: ${got.cost} vs ${want}`);
    // The returned node realises that cost and holds exactly the frontier's leaves.
    assert.ok(Math.abs(costAbove(got.node, new Set(frontier), p.sizes, sliced, sizeWeight) - want) <= 1e-12 * want);
    assert.equal(got.node.leafCount, frontier.reduce((a, f) => a + f.leafCount, 0));
    checked++;
  }
  assert.ok(checked >= 30);
});

test('reconfigure with the bitset DP: valid trees, never costlier, and at least as cheap as one pass of the map DP would allow', () => {
  for (let seed = 1; seed <= 6; seed++) {
    const p = randomProblem(seed * 101, 30, 60);
    const tree = ContractionTree.fromPath(p, greedyPath(p, { seed, temperature: 1 }));
    const sliced = [...new Set(p.inputs.flat())].filter((_, j) => j % 7 === 0);
    for (const subtreeSize of [4, 6, 8]) {
      const re = reconfigure(tree, { subtreeSize, sliced });
      assertValid(re, p.inputs.length);
      assert.ok(re.cost(sliced).multiplyAdds <= tree.cost(sliced).multiplyAdds * (1 + 1e-12));
    }
  }
});
