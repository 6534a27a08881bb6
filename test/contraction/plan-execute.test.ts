import { test } from 'node:test';
import assert from 'node:assert/strict';
import { czCircuit, gridLayout, sycamoreCircuit } from '../../src/circuits/random.js';
import { amplitudeNetwork, contract } from '../../src/network/api.js';
import { toProblem } from '../../src/network/types.js';
import { hyperOptimize } from '../../src/contraction/finders/index.js';
import { sliceTree } from '../../src/contraction/slicing.js';
import { makePlan } from '../../src/contraction/plan.js';

test('sliced hyper-optimized plans give the same amplitudes through the network executor', () => {
  const cases = [
    { circuit: czCircuit(gridLayout(3, 4), 10, 4), pattern: '010011010110' },
    { circuit: sycamoreCircuit(5, { seed: 5 }), pattern: '0'.repeat(53) },
  ];
  for (const { circuit, pattern } of cases) {
    const net = amplitudeNetwork(circuit, pattern);
    const problem = toProblem(net);
    const h = hyperOptimize(problem, { timeSeconds: 0.1, seed: 2 });
    const w = h.tree.cost().width;
    const s = sliceTree(h.tree, { maxWidth: Math.max(1, w - 3) });
    assert.ok(w >= 3 && s.sliced.length > 0, `width ${w}, sliced ${s.sliced.length}`);
    assert.ok(s.cost.width <= Math.max(1, w - 3));
    const plan = makePlan(problem, s.tree, s.sliced);
    const a = contract(net, { plan });
    const b = contract(net);
    assert.equal(a.length, b.length);
    for (let k = 0; k < a.length; k++) assert.ok(Math.abs(a[k] - b[k]) < 1e-10, `component ${k}: ${a[k]} vs ${b[k]}`);
  }
});
