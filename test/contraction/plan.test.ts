import { test } from 'node:test';
import assert from 'node:assert/strict';
import { greedyPath } from '../../src/contraction/greedy.js';
import { ContractionTree } from '../../src/contraction/tree.js';
import { checkPlan, fingerprintProblem, makePlan, parsePlan, serializePlan } from '../../src/contraction/plan.js';
import { randomProblem } from './naive-einsum.js';

test('plan JSON round trip', () => {
  const p = randomProblem(42, 7, 9);
  const tree = ContractionTree.fromPath(p, greedyPath(p));
  const out = new Set(p.output);
  const sliced = [...new Set(p.inputs.flat())].filter((i) => !out.has(i)).slice(0, 1);
  const plan = makePlan(p, tree, sliced, { finder: 'greedy', seconds: 0.1 });
  const back = parsePlan(serializePlan(plan));
  assert.deepEqual(back, JSON.parse(JSON.stringify(plan)));
  assert.deepEqual(back.path, tree.toPath());
  assert.equal(back.cost.slices, p.sizes[sliced[0]]);
  checkPlan(back, p);
});

test('fingerprint is stable and structure-sensitive; mismatch refused', () => {
  const p = randomProblem(5, 6, 8);
  assert.equal(fingerprintProblem(p), fingerprintProblem(JSON.parse(JSON.stringify(p))));
  const q = { ...p, output: [...p.output, 99], sizes: [...p.sizes] };
  q.sizes[99] = 2;
  assert.notEqual(fingerprintProblem(p), fingerprintProblem(q));
  const plan = makePlan(p, ContractionTree.fromPath(p, greedyPath(p)));
  const other = randomProblem(6, 6, 8);
  assert.throws(() => checkPlan(plan, other), /does not match this network/);
});

test('parsePlan gives clear errors', () => {
  const p = randomProblem(9, 5, 7);
  const plan = makePlan(p, ContractionTree.fromPath(p, greedyPath(p)));
  assert.throws(() => parsePlan('{'), /not valid JSON/);
  assert.throws(() => parsePlan(JSON.stringify({ ...plan, version: 2 })), /unsupported plan version 2/);
  assert.throws(() => parsePlan(JSON.stringify({ ...plan, format: 'x' })), /plan.format/);
  assert.throws(() => parsePlan(JSON.stringify({ ...plan, path: plan.path.slice(1) })), /complete path/);
  const dup = plan.path.map((x) => [...x]);
  dup[1] = [dup[0][0], dup[1][1]];
  assert.throws(() => parsePlan(JSON.stringify({ ...plan, path: dup })), /second time|before it exists/);
  assert.throws(() => parsePlan(JSON.stringify({ ...plan, cost: { ...plan.cost, flops: 'x' } })), /cost.flops/);
});
