import { test } from 'node:test';
import assert from 'node:assert/strict';
import { bisectionTree } from '../../src/contraction/finders/bisection.js';
import type { BisectionParams } from '../../src/contraction/finders/bisection.js';
import { hyperOptimize } from '../../src/contraction/finders/index.js';
import { greedyPath } from '../../src/contraction/greedy.js';
import { reconfigure } from '../../src/contraction/reconfigure.js';
import { estimateSlicing } from '../../src/contraction/slicing.js';
import { ContractionTree } from '../../src/contraction/tree.js';
import { amplitudeNetwork } from '../../src/network/api.js';
import { toProblem } from '../../src/network/types.js';
import { czCircuit, gridLayout, sycamoreCircuit } from '../../src/circuits/random.js';
import { executePath, einsumDirect, randomProblem, randomTensors } from './naive-einsum.js';
import { assertValid, close } from './tree-asserts.js';


const PARAMS: BisectionParams[] = [
  { imbalance: 0.1, cutoff: 2 },
  { imbalance: 0.3, cutoff: 3, parts: 3, weighting: 'const' },
  { imbalance: 1.2, cutoff: 2, noise: 0.1 },
  { imbalance: 0.05, cutoff: 4, outputVertex: 1, imbalanceDecay: -1, finishTemperature: 0.3 },
  { imbalance: 0.5, cutoff: 2, parts: 4, partsDecay: 0, imbalanceDecay: 2, subtreeSize: 4 },
];

test('bisection trees are valid, and their cost equals the naive-executed count', () => {
  for (let seed = 1; seed <= 10; seed++) {
    const p = randomProblem(seed * 41, 9 + (seed % 4), 14);
    const tensors = randomTensors(p, seed);
    const ref = einsumDirect(p, tensors);
    for (const params of PARAMS) {
      const tree = bisectionTree(p, params, seed);
      assertValid(tree, p.inputs.length);
      const path = tree.toPath();
      const run = executePath(p, tensors, path);
      const cost = tree.cost();
      assert.equal(cost.multiplyAdds, run.madds, `seed ${seed} ${JSON.stringify(params)}`);
      assert.equal(cost.writes, run.writes);
      assert.equal(cost.width, Math.log2(run.maxSize));
      close(run.result, ref);
    }
  }
});

test('bisection covers larger networks with every tensor used once', () => {
  const c = sycamoreCircuit(6, { seed: 3 });
  const p = toProblem(amplitudeNetwork(c, '0'.repeat(c.numQubits)));
  for (const params of PARAMS) assertValid(bisectionTree(p, { ...params, cutoff: 10 }, 7), p.inputs.length);
});

test('bisection beats or matches plain greedy on mid-size circuits (fixed seeds)', () => {
  const cases = [
    { name: '6x6 grid CZ 1+16+1', circuit: czCircuit(gridLayout(6, 6), 16, 1) },
    { name: 'Sycamore-53 m=8', circuit: sycamoreCircuit(8, { seed: 1 }) },
  ];
  for (const { name, circuit } of cases) {
    const p = toProblem(amplitudeNetwork(circuit, '0'.repeat(circuit.numQubits)));
    const greedy = ContractionTree.fromPath(p, greedyPath(p)).cost().multiplyAdds;
    let best = Infinity;
    for (let seed = 0; seed < 3; seed++) best = Math.min(best, bisectionTree(p, { imbalance: 0.1 }, seed).cost().multiplyAdds);
    assert.ok(Math.log10(best) <= Math.log10(greedy), `${name}: bisection 10^${Math.log10(best).toFixed(2)} vs greedy 10^${Math.log10(greedy).toFixed(2)}`);
  }
});

test('hyper-optimizer samples both methods and, with the sliced objective, returns a sliced plan within the width', () => {
  const c = sycamoreCircuit(6, { seed: 2 });
  const p = toProblem(amplitudeNetwork(c, '0'.repeat(c.numQubits)));
  const greedy = ContractionTree.fromPath(p, greedyPath(p)).cost();
  const target = Math.max(4, Math.floor(greedy.width) - 6);
  const h = hyperOptimize(p, { maxTrials: 12, timeSeconds: 60, objective: 'sliced', maxWidth: target, seed: 5 });
  assertValid(h.tree, p.inputs.length);
  assert.ok((h.methodTrials?.bisection ?? 0) >= 3 && (h.methodTrials?.['random-greedy'] ?? 0) >= 3, JSON.stringify(h.methodTrials));
  assert.ok(h.sliced && h.slicedCost);
  const recomputed = h.tree.cost(h.sliced);
  assert.ok(recomputed.width <= target + 1e-9);
  assert.equal(h.slicedCost.slices, recomputed.slices);
  assert.equal(h.slicedCost.multiplyAdds, recomputed.multiplyAdds);
});

test('slicing estimate reports the exact cost of its slice set', () => {
  for (let seed = 1; seed <= 6; seed++) {
    const c = czCircuit(gridLayout(4, 4), 8, seed);
    const p = toProblem(amplitudeNetwork(c, '0'.repeat(c.numQubits)));
    const tree = ContractionTree.fromPath(p, greedyPath(p, { seed, temperature: 0.2 }));
    const target = Math.max(2, tree.cost().width - 4);
    const est = estimateSlicing(tree, target);
    const exact = tree.cost(est.sliced);
    assert.ok(est.width <= target + 1e-9);
    assert.equal(est.slices, exact.slices);
    assert.ok(Math.abs(est.multiplyAdds - exact.multiplyAdds) <= 1e-9 * exact.multiplyAdds);
    assert.equal(est.width, exact.width);
  }
});

test('reconfiguration past its deadline returns the same tree cost (and a valid tree)', () => {
  const p = randomProblem(4242, 12, 18);
  const tree = ContractionTree.fromPath(p, greedyPath(p, { seed: 3, temperature: 1 }));
  const re = reconfigure(tree, { subtreeSize: 8, deadline: Date.now() - 1 });
  assertValid(re, p.inputs.length);
  assert.ok(re.cost().multiplyAdds <= tree.cost().multiplyAdds);
});
