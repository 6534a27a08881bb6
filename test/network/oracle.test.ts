import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { PauliSum } from '../../src/engine/types.js';
import { simulateStatevector, expectationOf } from '../../src/statevector/reference.js';
import { amplitude, amplitudes, expectation } from '../../src/network/api.js';
import { randomBits, randomCircuit, rng } from './random-circuits.js';

function randomPauliSum(n: number, r: () => number): PauliSum {
  const terms = [];
  for (let t = 0; t < 2; t++) {
    const factors: Array<{ qubit: number; pauli: 'X' | 'Y' | 'Z' }> = [];
    for (let q = 0; q < n; q++) if (r() < Math.min(0.5, 3 / n)) factors.push({ qubit: q, pauli: (['X', 'Y', 'Z'] as const)[Math.floor(r() * 3)] });
    terms.push({ coefficient: r() * 2 - 1, factors });
  }
  return { terms };
}

// Mostly small circuits, a few wide ones (18–22 qubits) to exercise larger networks.
function sizeFor(i: number, r: () => number): { n: number; gates: number } {
  if (i % 50 === 49) return { n: [18, 19, 20, 22][Math.floor(i / 50)], gates: 40 + Math.floor(r() * 20) };
  if (i % 10 === 9) return { n: 11 + Math.floor(r() * 5), gates: 20 + Math.floor(r() * 50) };
  const n = 2 + Math.floor(r() * 7);
  return { n, gates: 1 + Math.floor(r() * 8 * n) };
}

test('tensor network agrees with the state-vector oracle on 200 random circuits (complex128 1e-10, complex64 1e-4)', () => {
  const r = rng(20261123);
  let checks = 0;
  for (let i = 0; i < 200; i++) {
    const { n, gates } = sizeFor(i, r);
    const c = randomCircuit(n, gates, r);
    const sv = simulateStatevector(c);
    // Single amplitude.
    const bits = randomBits(n, r);
    const idx = parseInt(bits, 2);
    const a = amplitude(c, bits);
    const tag = `circuit ${i} (n=${n}, ${gates} gates), bits ${bits}`;
    assert.ok(Math.abs(a[0] - sv[2 * idx]) < 1e-10 && Math.abs(a[1] - sv[2 * idx + 1]) < 1e-10, `${tag}: ${a} vs ${sv[2 * idx]},${sv[2 * idx + 1]}`);
    checks++;
    // Open-qubit batch.
    const k = Math.min(n, 1 + Math.floor(r() * 3));
    const chars = [...randomBits(n, r)];
    for (let j = 0; j < k; j++) chars[Math.floor(r() * n)] = 'x';
    const pattern = chars.join('');
    const batch = amplitudes(c, pattern);
    for (const [b, v] of Object.entries(batch)) {
      const j = parseInt(b, 2);
      assert.ok(Math.abs(v[0] - sv[2 * j]) < 1e-10 && Math.abs(v[1] - sv[2 * j + 1]) < 1e-10, `${tag}: pattern ${pattern} at ${b}`);
      checks++;
    }
    // Pauli expectation.
    const obs = randomPauliSum(n, r);
    const e = expectation(c, obs);
    const ref = expectationOf(sv, n, obs);
    assert.ok(Math.abs(e - ref) < 1e-10, `${tag}: expectation ${e} vs ${ref}`);
    checks++;
    // Single precision on every fourth circuit.
    if (i % 4 === 0) {
      const s = amplitude(c, bits, { precision: 'single' });
      assert.ok(Math.abs(s[0] - sv[2 * idx]) < 1e-4 && Math.abs(s[1] - sv[2 * idx + 1]) < 1e-4, `${tag}: complex64 ${s}`);
      const es = expectation(c, obs, { precision: 'single' });
      assert.ok(Math.abs(es - ref) < 1e-4, `${tag}: complex64 expectation ${es} vs ${ref}`);
      checks += 2;
    }
  }
  assert.ok(checks > 600);
});

test('a list of bitstrings gives the same amplitudes batched and one by one', () => {
  const r = rng(7);
  const c = randomCircuit(9, 60, r);
  const sv = simulateStatevector(c);
  const list = ['000000000', '000000011', '010000001', '111111111'];
  const got = amplitudes(c, list);
  for (const b of list) {
    const j = parseInt(b, 2);
    assert.ok(Math.abs(got[b][0] - sv[2 * j]) < 1e-10 && Math.abs(got[b][1] - sv[2 * j + 1]) < 1e-10, b);
  }
});
