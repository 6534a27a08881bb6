import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SliceExchange } from '../../src/contraction/exchange.js';
import { hyperOptimize } from '../../src/contraction/finders/index.js';
import { hyperOptimizeThreads } from '../../src/contraction/hyper.node.js';
import { sycamoreCircuit } from '../../src/circuits/random.js';
import { amplitudeNetwork } from '../../src/network/api.js';
import { toProblem } from '../../src/network/types.js';
import { greedyPath } from '../../src/contraction/greedy.js';
import { replanSliced } from '../../src/contraction/replan.js';
import { sliceTree } from '../../src/contraction/slicing.js';
import { ContractionTree } from '../../src/contraction/tree.js';
import { einsumDirect, slicedSum } from './naive-einsum.js';
import { sliceCase } from './slice-case.js';
import { assertValid, close } from './tree-asserts.js';

test('slice exchange keeps the cheapest offer and hands it only to costlier takers', () => {
  const ex = new SliceExchange(SliceExchange.allocate(5, 10));
  assert.equal(ex.take(Infinity), undefined);
  ex.offer(100, [3, 4], [[0, 1], [2, 3], [4, 5], [6, 7]]);
  ex.offer(200, [1], [[0, 1], [2, 3], [4, 5], [6, 7]]); // costlier: ignored
  assert.equal(ex.take(100), undefined);
  assert.deepEqual(ex.take(150), { multiplyAdds: 100, sliced: [3, 4], path: [[0, 1], [2, 3], [4, 5], [6, 7]] });
  ex.offer(50, [], [[1, 0], [2, 5], [3, 4], [7, 6]]);
  assert.deepEqual(ex.take(100), { multiplyAdds: 50, sliced: [], path: [[1, 0], [2, 5], [3, 4], [7, 6]] });
  // A second view of the same buffer (as in another worker) sees the same record.
  const other = new SliceExchange(ex.buffer);
  assert.equal(other.take(60)?.multiplyAdds, 50);
});

test('re-planning continues from a cheaper shared slicing and stays exact', () => {
  for (let seed = 1; seed <= 4; seed++) {
    const { p, tensors, tree, target } = sliceCase(seed * 97, 10, 14, seed, 3);
    const poor = sliceTree(tree, { maxWidth: target, reconfigureEvery: 0 });
    if (poor.cost.width > target + 1e-9) continue;
    const good = sliceTree(tree, { maxWidth: target, reconfigureEvery: 1, subtreeSize: 6 });
    const ex = new SliceExchange(SliceExchange.allocate(p.inputs.length, p.sizes.length));
    // Offer a strictly cheaper result than the start (a zero-round run must then adopt it).
    ex.offer(good.cost.multiplyAdds * (good.cost.multiplyAdds < poor.cost.multiplyAdds ? 1 : 0.5), good.sliced, good.tree.toPath());
    const r = replanSliced(p, poor, { maxWidth: target, maxRounds: 2, deadline: Date.now() + 60_000, seed, share: ex });
    assertValid(r.tree, p.inputs.length);
    assert.ok(r.cost.width <= target + 1e-9);
    assert.ok(r.cost.multiplyAdds <= Math.min(poor.cost.multiplyAdds, good.cost.multiplyAdds));
    const exact = r.tree.cost(r.sliced);
    assert.equal(r.cost.multiplyAdds, exact.multiplyAdds);
    close(slicedSum(p, tensors, r.tree, r.sliced).result, einsumDirect(p, tensors));
    // Its own improvements went back to the record.
    assert.ok((ex.take(Infinity)?.multiplyAdds ?? Infinity) <= Math.min(poor.cost.multiplyAdds, good.cost.multiplyAdds));
  }
});

test('two worker threads sharing their slicing, and the slicing-bound early stop, give exact sliced plans within the width', async () => {
  const c = sycamoreCircuit(6, { seed: 2 });
  const p = toProblem(amplitudeNetwork(c, '0'.repeat(c.numQubits)));
  const greedy = ContractionTree.fromPath(p, greedyPath(p)).cost();
  const target = Math.max(4, Math.floor(greedy.width) - 6);
  const runs = [
    await hyperOptimizeThreads(p, { threads: 2, shareSlicing: true, timeSeconds: 1.5, objective: 'sliced', maxWidth: target, seed: 4 }),
    hyperOptimize(p, { timeSeconds: 1, objective: 'sliced', maxWidth: target, seed: 4, slicingBoundStop: 0.25 }),
  ];
  for (const h of runs) {
    assertValid(h.tree, p.inputs.length);
    assert.ok(h.sliced && h.slicedCost);
    const exact = h.tree.cost(h.sliced);
    assert.ok(exact.width <= target + 1e-9);
    assert.equal(h.slicedCost.multiplyAdds, exact.multiplyAdds);
    assert.equal(h.slicedCost.slices, exact.slices);
  }
});
