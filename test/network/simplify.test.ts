import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Circuit } from '../../src/circuit/circuit.js';
import { greedyPath } from '../../src/contraction/greedy.js';
import { contractNetwork } from '../../src/network/execute.js';
import { circuitNetwork } from '../../src/network/from-circuit.js';
import { simplifyNetwork } from '../../src/network/simplify.js';
import { toProblem, type NetworkTensor, type TensorNetwork } from '../../src/network/types.js';
import { einsumDirect, randomTensors } from '../contraction/naive-einsum.js';

const complexOf = (re: Float64Array): Float64Array => {
  const c = new Float64Array(2 * re.length);
  re.forEach((x, i) => (c[2 * i] = x));
  return c;
};

test('simplification removes identity (δ) and all-ones tensors without changing the result', () => {
  // Index sizes: 1 and 5 are size 3 (the δ joins them), the others size 2.
  const sizes = [2, 3, 2, 2, 2, 3, 2];
  const inputs = [[1, 5], [2, 3], [0, 1, 2], [5, 3, 4], [2, 3, 6]];
  const output = [0, 4, 6];
  const problem = { inputs, output, sizes };
  const dense = randomTensors(problem, 9);
  dense[0].data = Float64Array.from({ length: 9 }, (_, e) => (e % 4 === 0 ? 1 : 0)); // δ on 3×3
  dense[1].data = new Float64Array(4).fill(1);
  const tags = ['I', 'ones', 'A', 'B', 'C'];
  const net: TensorNetwork = { tensors: inputs.map((idx, t): NetworkTensor => ({ indices: idx, data: complexOf(dense[t].data), tag: tags[t] })), sizes, output };
  const s = simplifyNetwork(net);
  assert.equal(s.identities, 2);
  assert.ok(!s.network.tensors.some((t) => t.tag === 'I' || t.tag === 'ones'), JSON.stringify(s.network.tensors.map((t) => t.tag)));
  const ref = einsumDirect(problem, dense);
  const got = contractNetwork(s.network, greedyPath(toProblem(s.network))).data;
  assert.equal(got.length, 2 * ref.length);
  ref.forEach((x, e) => assert.ok(Math.abs(got[2 * e] - x) < 1e-12 && Math.abs(got[2 * e + 1]) < 1e-12, `element ${e}`));
});

test('simplification keeps a δ whose two indices are both open and a δ closing a loop', () => {
  const sizes = [2, 2, 2, 2];
  const delta = complexOf(Float64Array.from([1, 0, 0, 1]));
  // δ[0,1] with both indices open must stay (the result is the identity matrix).
  const open: TensorNetwork = { tensors: [{ indices: [0, 1], data: delta, tag: 'I' }, { indices: [2], data: complexOf(Float64Array.from([2, 3])) }], sizes, output: [0, 1, 2] };
  const a = contractNetwork(simplifyNetwork(open).network, greedyPath(toProblem(simplifyNetwork(open).network))).data;
  assert.deepEqual([...a].filter((_, i) => i % 2 === 0), [2, 3, 0, 0, 0, 0, 2, 3]);
  // δ[2,3] alone is a loop with trace 2: removing it would lose that factor.
  const loop: TensorNetwork = { tensors: [{ indices: [2, 3], data: delta }, { indices: [0], data: complexOf(Float64Array.from([1, 5])) }], sizes, output: [0] };
  assert.equal(simplifyNetwork(open).identities, 0);
  assert.equal(simplifyNetwork(loop).identities, 0);
  const sl = simplifyNetwork(loop).network;
  const b = contractNetwork(sl, greedyPath(toProblem(sl))).data;
  assert.deepEqual([b[0], b[2]], [2, 10]);
});

test('CZ·CZ, SWAP·SWAP and rz(0) leave no trace in the simplified network', () => {
  const plain = new Circuit(3).h(0).h(1).h(2).cx(0, 2);
  const padded = new Circuit(3).h(0).h(1).h(2).cz(0, 1).cz(0, 1).swap(1, 2).swap(1, 2).rz(0, 2).cx(0, 2);
  for (const pattern of ['010', 'x1x']) {
    const a = simplifyNetwork(circuitNetwork(plain, pattern)).after;
    const b = simplifyNetwork(circuitNetwork(padded, pattern)).after;
    assert.deepEqual(b, a, pattern);
  }
});

test('API: onSimplify reports sizes of every network built (amplitudes and expectation terms)', async () => {
  const { amplitude, expectation } = await import('../../src/network/api.js');
  const c = new Circuit(4).h(0).cx(0, 1).cz(1, 2).swap(2, 3).h(3);
  const reports: Array<{ before: { tensors: number }; after: { tensors: number } }> = [];
  amplitude(c, '0000', { onSimplify: (r) => reports.push(r) });
  expectation(c, { terms: [{ coefficient: 1, factors: [{ qubit: 0, pauli: 'Z' }] }, { coefficient: 1, factors: [{ qubit: 3, pauli: 'X' }] }] }, { onSimplify: (r) => reports.push(r) });
  assert.equal(reports.length, 3);
  for (const r of reports) assert.ok(r.after.tensors <= r.before.tensors);
});
