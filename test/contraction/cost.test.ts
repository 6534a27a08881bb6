import { test } from 'node:test';
import assert from 'node:assert/strict';
import { greedyPath } from '../../src/contraction/greedy.js';
import { pathCost } from '../../src/contraction/cost.js';
import { ContractionTree } from '../../src/contraction/tree.js';
import { executePath, einsumDirect, randomProblem, randomTensors } from './naive-einsum.js';

function close(a: Float64Array, b: Float64Array): void {
  assert.equal(a.length, b.length);
  for (let k = 0; k < a.length; k++) assert.ok(Math.abs(a[k] - b[k]) <= 1e-9 * (1 + Math.abs(b[k])), `entry ${k}: ${a[k]} vs ${b[k]}`);
}

test('cost model equals multiply-adds, width and writes counted by executing the tree', () => {
  for (let seed = 1; seed <= 25; seed++) {
    const p = randomProblem(seed, 5 + (seed % 3), 7 + (seed % 4));
    const path = greedyPath(p, { seed, temperature: seed % 2 ? 0.3 : 0 });
    const tensors = randomTensors(p, seed);
    const run = executePath(p, tensors, path);
    const cost = pathCost(p, path);
    assert.equal(cost.multiplyAdds, run.madds, `seed ${seed}`);
    assert.equal(cost.flops, 8 * run.madds);
    assert.equal(cost.writes, run.writes);
    assert.equal(cost.width, Math.log2(run.maxSize));
    assert.equal(cost.slices, 1);
    assert.equal(cost.overhead, 1);
    close(run.result, einsumDirect(p, tensors));
  }
});

test('tree <-> SSA path round trip keeps leaves and cost', () => {
  for (let seed = 1; seed <= 10; seed++) {
    const p = randomProblem(seed * 7, 7, 9);
    const path = greedyPath(p);
    const tree = ContractionTree.fromPath(p, path);
    assert.deepEqual([...tree.leaves()].sort((a, b) => a - b), p.inputs.map((_, k) => k));
    const back = ContractionTree.fromPath(p, tree.toPath());
    assert.deepEqual(back.cost(), tree.cost());
    assert.deepEqual(back.toPath(), tree.toPath());
  }
});

test('sliced cost: per-slice counts times slices, overhead >= 1', () => {
  for (let seed = 1; seed <= 10; seed++) {
    const p = randomProblem(seed * 13, 6, 8);
    const path = greedyPath(p);
    const out = new Set(p.output);
    const used = [...new Set(p.inputs.flat())].filter((i) => !out.has(i));
    const sliced = used.slice(0, 1);
    const c = pathCost(p, path, sliced);
    const tensors = randomTensors(p, seed);
    const run = executePath(p, tensors, path, new Map(sliced.map((i) => [i, 0])));
    assert.equal(c.slices, p.sizes[sliced[0]]);
    assert.equal(c.multiplyAdds, run.madds * c.slices);
    assert.equal(c.width, Math.log2(run.maxSize));
    assert.ok(c.overhead >= 1 - 1e-12);
  }
});
