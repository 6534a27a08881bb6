import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Circuit } from '../../src/circuit/circuit.js';
import { getGate } from '../../src/circuit/gates.js';
import { kron, matmul } from '../../src/circuit/matrix.js';
import { sycamoreCircuit } from '../../src/circuits/random.js';
import { amplitude, amplitudes, expectation } from '../../src/network/api.js';
import { circuitNetwork } from '../../src/network/from-circuit.js';
import { networkStats, simplifyNetwork } from '../../src/network/simplify.js';
import { operatorSchmidt, swapOutputs, twoQubitForm } from '../../src/network/two-qubit.js';
import { expectationOf, simulateStatevector } from '../../src/statevector/reference.js';
import { randomBits, randomUnitary, rng } from './random-circuits.js';
import { rebuild } from './schmidt-helpers.js';


const maxDiff = (a: Float64Array, b: Float64Array): number => a.reduce((m, x, i) => Math.max(m, Math.abs(x - b[i])), 0);
const gate = (name: string, params: number[] = []): Float64Array => getGate(name).matrix(params);

test('operator-Schmidt SVD: Schmidt ranks of standard gates (CZ/CX/rzz/rxx 2, SWAP/iSWAP/fSim 4, products 1)', () => {
  const expected: Array<[string, number[], number]> = [
    ['cz', [], 2], ['cx', [], 2], ['cy', [], 2], ['ch', [], 2], ['cp', [0.3], 2], ['crx', [0.7], 2], ['cu3', [0.3, 0.2, 0.1], 2],
    ['rzz', [0.4], 2], ['rxx', [1.1], 2], ['ryy', [0.9], 2],
    ['swap', [], 4], ['iswap', [], 4], ['fsim', [1.2, 0.4], 4], ['fsim', [Math.PI / 2, Math.PI / 6], 4],
    ['fsim', [0, 0.8], 2], ['rzz', [0], 1],
  ];
  for (const [name, params, rank] of expected) {
    const s = operatorSchmidt(gate(name, params));
    assert.equal(s.rank, rank, `${name}(${params}): singular values ${s.singular}`);
  }
  const r = rng(5);
  const product = kron(randomUnitary(1, r), randomUnitary(1, r));
  assert.equal(operatorSchmidt(product).rank, 1);
});

test('operator-Schmidt SVD reconstructs gates to 1e-12 and Σσ² = ‖U‖²_F = 4 for unitaries', () => {
  const r = rng(17);
  const mats: Float64Array[] = [gate('cx'), gate('swap'), gate('iswap'), gate('fsim', [1.2, 0.4]), gate('rxx', [0.3]), gate('cu3', [1, 2, 3])];
  for (let i = 0; i < 40; i++) mats.push(randomUnitary(2, r));
  // Rank-2 non-controlled operators: a product of two rank-1 pieces summed.
  for (let i = 0; i < 10; i++) {
    const a = kron(randomUnitary(1, r), randomUnitary(1, r));
    const b = kron(randomUnitary(1, r), randomUnitary(1, r));
    mats.push(a.map((x, j) => 0.6 * x + 0.8 * b[j]));
  }
  mats.forEach((u, i) => {
    const s = operatorSchmidt(u);
    assert.ok(maxDiff(rebuild(s), u) < 1e-12, `matrix ${i}: error ${maxDiff(rebuild(s), u)}`);
    if (i < 46) assert.ok(Math.abs(s.singular.reduce((x, y) => x + y * y, 0) - 4) < 1e-12, `matrix ${i}`);
    if (i >= 46) assert.ok(s.rank <= 2, `matrix ${i}: rank ${s.rank}`);
  });
});

test('two-qubit forms: SWAP is a relabelling, iSWAP and fSim(π/2, φ) a diagonal hyperedge, CX a bond-2 split', () => {
  assert.deepEqual(twoQubitForm(gate('swap')), { kind: 'identity', swap: true });
  const cases: Array<[string, number[], string, boolean]> = [
    ['iswap', [], 'diagonal', true], ['fsim', [Math.PI / 2, Math.PI / 6], 'diagonal', true], ['fsim', [-Math.PI / 2, 0.3], 'diagonal', true],
    ['cz', [], 'diagonal', false], ['cx', [], 'split', false], ['rxx', [0.5], 'split', false], ['fsim', [1.2, 0.4], 'full', false],
  ];
  for (const [name, params, kind, swap] of cases) {
    const u = gate(name, params);
    const f = twoQubitForm(u);
    assert.equal(f.kind, kind, name);
    assert.equal(f.swap, swap, name);
    // The form multiplies back to U: SWAP^s · V.
    let v: Float64Array;
    if (f.kind === 'diagonal') {
      v = new Float64Array(32);
      for (let i = 0; i < 4; i++) [v[2 * (5 * i)], v[2 * (5 * i) + 1]] = [f.diag[2 * i], f.diag[2 * i + 1]];
    } else if (f.kind === 'split') v = rebuild(f.split);
    else if (f.kind === 'full') v = f.matrix;
    else {
      v = new Float64Array(32);
      for (let i = 0; i < 4; i++) v[2 * (5 * i)] = 1;
    }
    const back = f.swap ? matmul(gate('swap'), v) : v;
    assert.ok(maxDiff(back, u) < 1e-12, `${name}: ${maxDiff(back, u)}`);
  }
  assert.ok(maxDiff(swapOutputs(swapOutputs(gate('cx'))), gate('cx')) === 0);
});

/** Random circuits dominated by gates the new forms act on (relabellings, hyperedges, bond-2 splits). */
function formCircuit(n: number, gates: number, r: () => number): Circuit {
  const c = new Circuit(n);
  for (let q = 0; q < n; q++) c.h(q);
  const pair = (): [number, number] => {
    const a = Math.floor(r() * n);
    let b = Math.floor(r() * n);
    while (b === a) b = Math.floor(r() * n);
    return [a, b];
  };
  for (let g = 0; g < gates; g++) {
    const x = Math.floor(r() * 11);
    const [a, b] = pair();
    if (x === 0) c.gate('swap', [a, b]);
    else if (x === 1) c.gate('iswap', [a, b]);
    else if (x === 2) c.fsim(Math.PI / 2, r() * 3, a, b);
    else if (x === 3) c.fsim(0, r() * 3, a, b);
    else if (x === 4) c.gate('rxx', [a, b], [r() * 3]);
    else if (x === 5) c.gate('ryy', [a, b], [r() * 3]);
    else if (x === 6) c.unitary(kron(randomUnitary(1, r), randomUnitary(1, r)), [a, b], 'prod');
    else if (x === 7) c.unitary(matmul(getGate('swap').matrix([]), getGate('cu3').matrix([r(), r(), r()])), [a, b], 'swapcu');
    else if (x === 8) c.gate('sqrtw', [a]);
    else if (x === 9) c.gate('rx', [a], [0]); // identity-like: dropped
    else c.fsim(r() * 3, r() * 3, a, b);
  }
  return c;
}

test('networks with relabelled / diagonal / split two-qubit gates agree with the state-vector oracle (1e-10)', () => {
  const r = rng(424242);
  for (let i = 0; i < 60; i++) {
    const n = 2 + Math.floor(r() * 9);
    const c = formCircuit(n, 1 + Math.floor(r() * 6 * n), r);
    const sv = simulateStatevector(c);
    const bits = randomBits(n, r);
    const j = parseInt(bits, 2);
    const a = amplitude(c, bits);
    assert.ok(Math.abs(a[0] - sv[2 * j]) < 1e-10 && Math.abs(a[1] - sv[2 * j + 1]) < 1e-10, `circuit ${i} n=${n}: ${a} vs ${sv[2 * j]},${sv[2 * j + 1]}`);
    const chars = [...randomBits(n, r)];
    chars[Math.floor(r() * n)] = 'x';
    chars[Math.floor(r() * n)] = 'x';
    for (const [b, v] of Object.entries(amplitudes(c, chars.join('')))) {
      const k = parseInt(b, 2);
      assert.ok(Math.abs(v[0] - sv[2 * k]) < 1e-10 && Math.abs(v[1] - sv[2 * k + 1]) < 1e-10, `circuit ${i}: ${b}`);
    }
    const q = Math.floor(r() * n);
    const obs = { terms: [{ coefficient: 1, factors: [{ qubit: q, pauli: (['X', 'Y', 'Z'] as const)[i % 3] }, { qubit: (q + 1) % n, pauli: 'Z' as const }] }] };
    if (n >= 2) assert.ok(Math.abs(expectation(c, obs) - expectationOf(sv, n, obs)) < 1e-10, `circuit ${i}: expectation`);
  }
});

test('Sycamore fSim(π/2, π/6) networks are smaller than with a generic fSim angle (hyperedges instead of rank-4 tensors)', () => {
  const pattern = '0'.repeat(53);
  const sycamore = sycamoreCircuit(8, { seed: 3 });
  const generic = sycamoreCircuit(8, { seed: 3, theta: Math.PI / 2 - 0.2 });
  const fsims = sycamore.gates().filter((g) => g.name === 'fsim').length;
  const singles = sycamore.gates().length - fsims;
  const a = circuitNetwork(sycamore, pattern);
  const b = circuitNetwork(generic, pattern);
  const sa = networkStats(a), sb = networkStats(b);
  // Every fSim(π/2, φ) is one rank-2 diagonal on existing indices: only single-qubit gates add indices.
  assert.equal(sa.maxRank, 2);
  assert.equal(sa.indices, 53 + singles);
  assert.equal(sb.maxRank, 4);
  assert.equal(sb.indices, 53 + singles + 2 * fsims);
  assert.ok(sa.elements < sb.elements);
  // After simplification the hyperedge network keeps more (rank-2) tensors but fewer elements and a lower rank.
  const xa = simplifyNetwork(a), xb = simplifyNetwork(b);
  assert.ok(xa.after.maxRank < xb.after.maxRank && xa.after.elements < xb.after.elements, `${JSON.stringify(xa.after)} vs ${JSON.stringify(xb.after)}`);
});
