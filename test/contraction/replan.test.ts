import { test } from 'node:test';
import assert from 'node:assert/strict';
import { greedyPath } from '../../src/contraction/greedy.js';
import { dropUnneededSlices, replanSliced, slicedProblem } from '../../src/contraction/replan.js';
import { sliceTree } from '../../src/contraction/slicing.js';
import { bisectionTree } from '../../src/contraction/finders/bisection.js';
import { ContractionTree } from '../../src/contraction/tree.js';
import { einsumDirect, randomProblem, slicedSum } from './naive-einsum.js';
import { sliceCase } from './slice-case.js';
import { assertExactSliced, assertValid, close } from './tree-asserts.js';



test('re-planning around a slice set keeps the width target, never costs more, and sums to the unsliced result', () => {
  for (let seed = 1; seed <= 8; seed++) {
    const { p, tensors, tree, target } = sliceCase(seed * 211, 11, 16, seed, 3);
    const start = sliceTree(tree, { maxWidth: target, reconfigureEvery: 0 });
    if (start.cost.width > target + 1e-9) continue; // output indices alone too wide
    const r = replanSliced(p, start, { maxWidth: target, maxRounds: 6, deadline: Date.now() + 60_000, seed });
    assert.ok(r.rounds >= 1 && r.rounds <= 6);
    // Reported cost is the exact cost model, and it matches the naive execution's count.
    const exact = assertExactSliced(r, start, target, p, tensors);
    assert.equal(r.cost.slices, exact.slices);
  }
});

test('slicedProblem shrinks exactly the sliced indices; dropUnneededSlices keeps the width target', () => {
  const p = randomProblem(9001, 10, 14);
  const tree = ContractionTree.fromPath(p, greedyPath(p));
  const target = Math.max(1, Math.floor(tree.cost().width) - 2);
  const s = sliceTree(tree, { maxWidth: target, reconfigureEvery: 0 });
  const ps = slicedProblem(p, s.sliced);
  for (let i = 0; i < p.sizes.length; i++) assert.equal(ps.sizes[i], s.sliced.includes(i) ? 1 : p.sizes[i]);
  assert.equal(ps.inputs, p.inputs);
  // Slicing everything non-output, then dropping what is not needed, still meets the target.
  const out = new Set(p.output);
  const all = [...new Set(p.inputs.flat())].filter((i) => !out.has(i));
  const kept = dropUnneededSlices(tree, all, target);
  assert.ok(kept.length <= all.length);
  if (tree.cost(all).width <= target) assert.ok(tree.cost(kept).width <= target + 1e-9);
});

test('sliceTree with initial slices meets the width target and keeps the result', () => {
  for (let seed = 1; seed <= 6; seed++) {
    const { p, tensors, tree, target } = sliceCase(seed * 73, 8, 12, seed, 2);
    const out = new Set(p.output);
    const initial = [...new Set(p.inputs.flat())].filter((i) => !out.has(i)).slice(0, 1);
    const s = sliceTree(tree, { maxWidth: target, initial });
    assertValid(s.tree, p.inputs.length);
    if (s.cost.width > target + 1e-9) continue;
    close(slicedSum(p, tensors, s.tree, s.sliced).result, einsumDirect(p, tensors));
  }
});

test('bisection on a sliced problem (size-1 indices) returns valid trees', () => {
  for (let seed = 1; seed <= 4; seed++) {
    const p = randomProblem(seed * 57, 30, 40);
    const ps = slicedProblem(p, [0, 1, 2, 3].filter((i) => !p.output.includes(i)));
    for (const imbalance of [0.1, 2]) {
      const t = bisectionTree(ps, { imbalance, cutoff: 4 }, seed);
      assertValid(t, p.inputs.length);
    }
  }
});

test('re-planning with other reconfiguration sizes (fresh trees unreconfigured, small re-slicing passes) stays exact', () => {
  let ran = 0;
  for (let seed = 1; seed <= 3; seed++) {
    const { p, tensors, tree, target } = sliceCase(seed * 211, 11, 16, seed, 3);
    const start = sliceTree(tree, { maxWidth: target, reconfigureEvery: 0 });
    if (start.cost.width > target + 1e-9) continue;
    ran++;
    for (const [subtreeSize, sliceSubtreeSize] of [[0, 4], [8, 5], [6, 3]]) {
      const r = replanSliced(p, start, { maxWidth: target, maxRounds: 4, deadline: Date.now() + 60_000, seed, subtreeSize, sliceSubtreeSize });
      assertValid(r.tree, p.inputs.length);
      assert.ok(r.cost.width <= target + 1e-9);
      assert.ok(r.cost.multiplyAdds <= start.cost.multiplyAdds);
      const exact = r.tree.cost(r.sliced);
      assert.equal(r.cost.multiplyAdds, exact.multiplyAdds);
      const run = slicedSum(p, tensors, r.tree, r.sliced);
      assert.equal(run.madds, exact.multiplyAdds);
      close(run.result, einsumDirect(p, tensors));
    }
  }
  assert.ok(ran > 0, 'no network met the width target');
});
