import { test } from 'node:test';
import assert from 'node:assert/strict';
import { greedyPath } from '../../src/contraction/greedy.js';
import { ResourceError } from '../../src/formats/errors.js';
import { contractNetwork, contractSlices, planExecution, sliceCount } from '../../src/network/execute.js';
import { circuitNetwork } from '../../src/network/from-circuit.js';
import { simplifyNetwork } from '../../src/network/simplify.js';
import { toProblem, type TensorNetwork } from '../../src/network/types.js';
import { getEngine, selectEngine } from '../../src/engine/registry.js';
import '../../src/engines.js';
import { simulateStatevector } from '../../src/statevector/reference.js';
import { randomCircuit, rng } from './random-circuits.js';

function leftToRight(n: number): Array<[number, number]> {
  const path: Array<[number, number]> = [];
  let acc = 0;
  for (let i = 1; i < n; i++) {
    path.push([acc, i]);
    acc = n + i - 1;
  }
  return path;
}

test('greedy and left-to-right paths give the same result; slices summed over ranges equal the unsliced result', () => {
  const r = rng(99);
  for (let trial = 0; trial < 10; trial++) {
    const c = randomCircuit(6, 30, r);
    const net = circuitNetwork(c, 'x0x1x0');
    const g = contractNetwork(net, greedyPath(toProblem(net)));
    const l = contractNetwork(net, leftToRight(net.tensors.length));
    const sv = simulateStatevector(c);
    for (let e = 0; e < 8; e++) {
      const bits = `${(e >> 2) & 1}0${(e >> 1) & 1}1${e & 1}0`;
      const j = parseInt(bits, 2);
      assert.ok(Math.abs(g.data[2 * e] - sv[2 * j]) < 1e-10 && Math.abs(g.data[2 * e + 1] - sv[2 * j + 1]) < 1e-10);
      assert.ok(Math.abs(l.data[2 * e] - sv[2 * j]) < 1e-10 && Math.abs(l.data[2 * e + 1] - sv[2 * j + 1]) < 1e-10);
    }
    // Slice three internal (non-output) indices; sum of [0,k) + [k,end) = unsliced.
    const used = new Map<number, number>();
    for (const t of net.tensors) for (const i of t.indices) used.set(i, (used.get(i) ?? 0) + 1);
    const sliced = [...used.keys()].filter((i) => !net.output.includes(i)).slice(2, 5);
    const path = greedyPath(toProblem(net));
    const total = sliceCount(net, sliced);
    assert.equal(total, 8);
    const part1 = contractSlices(net, { path, sliced }, { start: 0, end: 3 });
    const part2 = contractSlices(net, { path, sliced }, { start: 3, end: total });
    for (let e = 0; e < 16; e++) assert.ok(Math.abs(part1[e] + part2[e] - g.data[e]) < 1e-10);
    const single = contractSlices(net, { path, sliced }, { start: 0, end: total }, { precision: 'single' });
    for (let e = 0; e < 16; e++) assert.ok(Math.abs(single[e] - g.data[e]) < 1e-4);
  }
});

test('simplification preserves results (open and closed legs)', () => {
  const r = rng(5);
  for (let trial = 0; trial < 20; trial++) {
    const c = randomCircuit(7, 40, r);
    for (const pattern of ['0110100', 'x01x10x', 'xxxxxxx']) {
      const net = circuitNetwork(c, pattern);
      const s = simplifyNetwork(net);
      assert.ok(s.after.tensors <= s.before.tensors);
      const a = contractNetwork(net, greedyPath(toProblem(net))).data;
      const b = contractNetwork(s.network, greedyPath(toProblem(s.network))).data;
      for (let e = 0; e < a.length; e++) assert.ok(Math.abs(a[e] - b[e]) < 1e-10, `trial ${trial} ${pattern}`);
    }
  }
});

test('a path whose intermediates exceed the memory limit is refused before starting, naming the width', () => {
  // 20 open qubits with H: the result alone has 2^20 elements (16 MiB in complex128).
  const c = randomCircuit(20, 5, rng(1));
  const net: TensorNetwork = circuitNetwork(c, 'x'.repeat(20));
  const path = greedyPath(toProblem(net));
  const plan = planExecution(net, path);
  assert.ok(plan.width >= 20);
  assert.throws(
    () => contractNetwork(net, path, { memoryLimitBytes: 1 << 20 }),
    (e: unknown) => e instanceof ResourceError && /width 20\.0/.test(e.message) && /memory limit of 1048576 bytes/.test(e.message) && /width ≤ 16/.test(e.message) && e.bytesNeeded === plan.peakBytes,
  );
});

test('engine "tensor": amplitudes, expectations, refusals, and auto-selection by estimate', async () => {
  const c = randomCircuit(8, 40, rng(8));
  const sv = simulateStatevector(c);
  const eng = getEngine('tensor');
  const events: number[] = [];
  const res = await eng.run(c, { onProgress: (e) => events.push(e.gflops ?? -1), amplitudes: ['01010101', '11110000'], observables: [{ terms: [{ coefficient: 0.5, factors: [{ qubit: 1, pauli: 'Z' }] }] }] });
  for (const b of ['01010101', '11110000']) {
    const j = parseInt(b, 2);
    assert.ok(Math.abs(res.amplitudes![b][0] - sv[2 * j]) < 1e-10 && Math.abs(res.amplitudes![b][1] - sv[2 * j + 1]) < 1e-10);
  }
  assert.equal(res.expectations!.length, 1);
  assert.equal(events.length, 1);
  assert.ok(events[0] >= 0);
  const shots = eng.estimate(c, { shots: 10 });
  assert.ok(!shots.ok && /shots/.test(shots.reason));
  const wide = randomCircuit(30, 10, rng(2));
  const probs = eng.estimate(wide, { probabilities: true });
  assert.ok(!probs.ok && /26 qubits/.test(probs.reason));
  const est = eng.estimate(wide, { amplitudes: ['0'.repeat(30)] });
  assert.ok(est.ok && est.flops > 0);
  // 60 qubits: no state vector fits, auto must pick the tensor engine for an amplitude.
  const w60 = randomCircuit(60, 30, rng(3));
  assert.equal(selectEngine(w60, { amplitudes: ['0'.repeat(60)] }).name, 'tensor');
});

test('a sliced plan is used when its fingerprint matches and refused for another circuit', async () => {
  const { makePlan } = await import('../../src/contraction/plan.js');
  const { pathCost } = await import('../../src/contraction/cost.js');
  const { amplitudeNetwork, amplitude } = await import('../../src/network/api.js');
  const c = randomCircuit(7, 50, rng(12));
  const bits = '0110101';
  const net = amplitudeNetwork(c, bits);
  const problem = toProblem(net);
  const path = greedyPath(problem);
  const internal = [...new Set(net.tensors.flatMap((t) => [...t.indices]))].slice(0, 2);
  const plan = makePlan(problem, path, internal, { finder: 'test' }, pathCost(problem, path, internal));
  const sv = simulateStatevector(c);
  const j = parseInt(bits, 2);
  const a = amplitude(c, bits, { plan });
  assert.ok(Math.abs(a[0] - sv[2 * j]) < 1e-10 && Math.abs(a[1] - sv[2 * j + 1]) < 1e-10);
  const other = randomCircuit(7, 50, rng(13));
  assert.throws(() => amplitude(other, bits, { plan }), /does not match this network|plan is for/);
  const res = await getEngine('tensor').run(c, { amplitudes: [bits], plan });
  assert.ok(Math.abs(res.amplitudes![bits][0] - sv[2 * j]) < 1e-10);
});
