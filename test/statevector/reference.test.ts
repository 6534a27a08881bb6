import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { Circuit } from '../../src/circuit/circuit.js';
import { allGates } from '../../src/circuit/gates.js';
import { dagger, embed } from '../../src/circuit/matrix.js';
import { parsePauliSum } from '../../src/circuit/observable.js';
import { ResourceError } from '../../src/formats/errors.js';
import {
  applyMatrix,
  bitstringIndex,
  expectationOf,
  indexBitstring,
  normOf,
  referenceBytes,
  runReference,
  simulateStatevector,
} from '../../src/statevector/reference.js';
import { Rng } from '../../src/statevector/rng.js';
import { getEngine } from '../../src/engine/registry.js';
import '../../src/engines.js';

const close = (a: number, b: number, tol = 1e-12, msg = '') => assert.ok(Math.abs(a - b) <= tol, `${msg} ${a} vs ${b}`);

function randomState(n: number, rng: Rng): Float64Array {
  const s = new Float64Array(2 << n);
  for (let i = 0; i < s.length; i++) s[i] = rng.random() - 0.5;
  const norm = Math.sqrt(normOf(s));
  for (let i = 0; i < s.length; i++) s[i] /= norm;
  return s;
}

/** Dense matrix × vector, interleaved complex. */
function matVec(m: Float64Array, v: Float64Array): Float64Array {
  const d = v.length / 2;
  const out = new Float64Array(v.length);
  for (let r = 0; r < d; r++)
    for (let c = 0; c < d; c++) {
      const a = m[2 * (r * d + c)];
      const b = m[2 * (r * d + c) + 1];
      out[2 * r] += a * v[2 * c] - b * v[2 * c + 1];
      out[2 * r + 1] += a * v[2 * c + 1] + b * v[2 * c];
    }
  return out;
}

test('GHZ state on 3 qubits', async () => {
  const c = new Circuit(3).h(0).cx(0, 1).cx(1, 2);
  const r = await getEngine('reference').run(c, { amplitudes: ['000', '111', '010'], probabilities: true });
  assert.equal(r.engine, 'reference');
  close(r.amplitudes!['000'][0], Math.SQRT1_2);
  close(r.amplitudes!['111'][0], Math.SQRT1_2);
  assert.deepEqual(r.amplitudes!['010'], [0, 0]);
  assert.deepEqual([...r.probabilities!].map((p) => Math.round(p * 1e12) / 1e12), [0.5, 0, 0, 0, 0, 0, 0, 0.5]);
});

test('bit order: qubit 0 is the leftmost bit and the most significant index bit', () => {
  const r = runReference(new Circuit(3).x(0), { probabilities: true, amplitudes: ['100'] });
  assert.equal(r.probabilities![4], 1);
  assert.deepEqual(r.amplitudes!['100'], [1, 0]);
  assert.equal(bitstringIndex('011', 3), 3);
  assert.equal(indexBitstring(6, 3), '110');
  assert.throws(() => runReference(new Circuit(2), { amplitudes: ['0'] }), /has 1 bit\(s\); the circuit has 2/);
  assert.throws(() => runReference(new Circuit(2), { amplitudes: ['0a'] }), /only 0 and 1/);
});

test('applyMatrix agrees with the embedded full matrix for every gate of the table', () => {
  const rng = new Rng(7);
  const n = 5;
  for (const g of allGates()) {
    const params = g.params.map(() => (rng.random() - 0.5) * 7);
    const qubits: number[] = [];
    while (qubits.length < g.qubits) {
      const q = Math.floor(rng.random() * n);
      if (!qubits.includes(q)) qubits.push(q);
    }
    const state = randomState(n, rng);
    const expected = matVec(embed(g.matrix(params), qubits, n), state);
    applyMatrix(state, n, g.matrix(params), qubits);
    for (let i = 0; i < state.length; i++) close(state[i], expected[i], 1e-12, `${g.name} on ${qubits}`);
  }
});

/** QFT with qubit 0 as the most significant bit: |x⟩ → Σ_y e^{2πi xy/N}|y⟩/√N. */
function qft(n: number): Circuit {
  const c = new Circuit(n);
  for (let j = 0; j < n; j++) {
    c.h(j);
    for (let k = j + 1; k < n; k++) c.cp(Math.PI / 2 ** (k - j), k, j);
  }
  for (let i = 0; i < n / 2 - (n % 2) / 2; i++) c.swap(i, n - 1 - i);
  return c;
}

test('QFT circuit equals the DFT matrix on random basis states and a random superposition', () => {
  for (const n of [1, 2, 3, 4, 5]) {
    const N = 2 ** n;
    for (let x = 0; x < N; x += Math.max(1, Math.floor(N / 7))) {
      const c = new Circuit(n);
      for (let q = 0; q < n; q++) if (indexBitstring(x, n)[q] === '1') c.x(q);
      for (const op of qft(n).operations) c.append(op);
      const s = simulateStatevector(c);
      for (let y = 0; y < N; y++) {
        const angle = (2 * Math.PI * x * y) / N;
        close(s[2 * y], Math.cos(angle) / Math.sqrt(N), 1e-12, `n=${n} x=${x} y=${y} re`);
        close(s[2 * y + 1], Math.sin(angle) / Math.sqrt(N), 1e-12, `n=${n} x=${x} y=${y} im`);
      }
    }
  }
  // Linearity: a random input state through the circuit's gates equals DFT · input.
  const n = 4;
  const N = 16;
  const input = randomState(n, new Rng(3));
  const state = input.slice();
  for (const op of qft(n).gates()) applyMatrix(state, n, Circuit.matrixOf(op), op.qubits);
  for (let y = 0; y < N; y++) {
    let re = 0;
    let im = 0;
    for (let x = 0; x < N; x++) {
      const a = (2 * Math.PI * x * y) / N;
      re += (Math.cos(a) * input[2 * x] - Math.sin(a) * input[2 * x + 1]) / 4;
      im += (Math.cos(a) * input[2 * x + 1] + Math.sin(a) * input[2 * x]) / 4;
    }
    close(state[2 * y], re, 1e-12);
    close(state[2 * y + 1], im, 1e-12);
  }
});

test('Grover search on 3 qubits finds the marked state with probability ≥ 0.94', () => {
  for (const marked of ['101', '000', '110']) {
    const c = new Circuit(3);
    const ccz = () => c.h(2).ccx(0, 1, 2).h(2);
    for (let q = 0; q < 3; q++) c.h(q);
    for (let it = 0; it < 2; it++) {
      for (let q = 0; q < 3; q++) if (marked[q] === '0') c.x(q);
      ccz();
      for (let q = 0; q < 3; q++) if (marked[q] === '0') c.x(q);
      for (let q = 0; q < 3; q++) c.h(q).x(q);
      ccz();
      for (let q = 0; q < 3; q++) c.x(q).h(q);
    }
    const r = runReference(c, { probabilities: true });
    const p = r.probabilities![bitstringIndex(marked, 3)];
    assert.ok(p >= 0.94, `${marked}: ${p}`);
    close(p, 0.9453125, 1e-12);
  }
});

/** Teleports u3(θ, φ, λ)|0⟩ from qubit 0 to qubit 2 with two classically controlled corrections. */
function teleport(theta: number, phi: number, lambda: number): Circuit {
  const c = new Circuit();
  c.addQreg('q', 3);
  c.addCreg('c0', 1);
  c.addCreg('c1', 1);
  c.u(theta, phi, lambda, 0).h(1).cx(1, 2).cx(0, 1).h(0).measure(0, 0).measure(1, 1);
  c.gate('x', [2], [], { condition: c.condition('c1', 1) });
  c.gate('z', [2], [], { condition: c.condition('c0', 1) });
  return c;
}

test('teleportation with if: every measurement branch delivers the exact input state', () => {
  const [theta, phi, lambda] = [1.1, 0.4, -2.3];
  const target = simulateStatevector(new Circuit(1).u(theta, phi, lambda, 0));
  const seen = new Set<string>();
  for (let seed = 0; seed < 40; seed++) {
    const r = runReference(teleport(theta, phi, lambda), { seed, statevector: true });
    const s = r.statevector as Float64Array;
    // The state is |m0 m1⟩ ⊗ |ψ⟩ for the branch's outcomes (m0, m1).
    let branch = -1;
    for (let i = 0; i < 8; i++) if (s[2 * i] ** 2 + s[2 * i + 1] ** 2 > 1e-9) branch = i >> 1;
    assert.ok(branch >= 0);
    seen.add(indexBitstring(branch, 2));
    const a0 = [s[4 * branch], s[4 * branch + 1]];
    const a1 = [s[4 * branch + 2], s[4 * branch + 3]];
    // Equal to the target up to a global phase: |⟨target|q2⟩| = 1.
    const ip = [
      target[0] * a0[0] + target[1] * a0[1] + target[2] * a1[0] + target[3] * a1[1],
      target[0] * a0[1] - target[1] * a0[0] + target[2] * a1[1] - target[3] * a1[0],
    ];
    close(Math.hypot(ip[0], ip[1]), 1, 1e-12, `branch ${branch}`);
  }
  assert.deepEqual([...seen].sort(), ['00', '01', '10', '11']);
  // Shots: the two measured bits are uniform, and ⟨Z⟩ of the teleported qubit is cos θ on average.
  const r = runReference(teleport(theta, phi, lambda), { seed: 1, shots: 4000 });
  assert.deepEqual(Object.keys(r.counts!).sort(), ['00', '01', '10', '11']);
  for (const k of Object.keys(r.counts!)) assert.ok(Math.abs(r.counts![k] - 1000) < 150, `${k}: ${r.counts![k]}`);
});

test('seeded sampling is reproducible and statistically right', () => {
  // P(q0=1) = sin²(0.6), P(q1=1) = sin²(1.1), independent.
  const c = new Circuit(2).ry(1.2, 0).ry(2.2, 1);
  const a = runReference(c, { shots: 20000, seed: 42 });
  const b = runReference(c, { shots: 20000, seed: 42 });
  const d = runReference(c, { shots: 20000, seed: 43 });
  assert.deepEqual(a.counts, b.counts);
  assert.notDeepEqual(a.counts, d.counts);
  const p0 = Math.sin(0.6) ** 2;
  const p1 = Math.sin(1.1) ** 2;
  const expected: Record<string, number> = {
    '00': (1 - p0) * (1 - p1),
    '01': (1 - p0) * p1,
    '10': p0 * (1 - p1),
    '11': p0 * p1,
  };
  for (const counts of [a.counts!, d.counts!]) {
    let chi2 = 0;
    let total = 0;
    for (const k of Object.keys(expected)) {
      const e = expected[k] * 20000;
      chi2 += ((counts[k] ?? 0) - e) ** 2 / e;
      total += counts[k] ?? 0;
    }
    assert.equal(total, 20000);
    assert.ok(chi2 < 16.27, `chi-square ${chi2} (3 dof, p = 0.001 bound)`);
  }
  // Counts keys are classical bits in declaration order, and only measured qubits matter.
  const m = new Circuit(3, 2).x(2).h(0).measure(2, 0);
  assert.deepEqual(runReference(m, { shots: 50, seed: 1 }).counts, { '10': 50 });
});

test('mid-circuit measurement, reset and conditions run per shot', () => {
  // Measure, then entangle: the second bit copies the first.
  const c = new Circuit(2, 2).h(0).measure(0, 0).cx(0, 1).measure(1, 1);
  const r = runReference(c, { shots: 2000, seed: 5 });
  assert.deepEqual(Object.keys(r.counts!).sort(), ['00', '11']);
  assert.ok(Math.abs(r.counts!['00'] - 1000) < 120);
  // Reset always leaves |0⟩.
  assert.deepEqual(runReference(new Circuit(1, 1).h(0).reset(0).measure(0, 0), { shots: 100, seed: 2 }).counts, { '0': 100 });
  const reset = runReference(new Circuit(2).h(0).cx(0, 1).reset(0), { probabilities: true, seed: 9 });
  const p = reset.probabilities!;
  close(p[0] + p[1], 1, 1e-12);
  // Condition flips a measured |1⟩ back: the second measurement is always 0.
  const f = new Circuit(1);
  f.addCreg('a', 1);
  f.addCreg('b', 1);
  f.h(0).measure(0, 0).gate('x', [0], [], { condition: f.condition('a', 1) }).measure(0, 1);
  const fr = runReference(f, { shots: 1000, seed: 3 });
  assert.deepEqual(Object.keys(fr.counts!).sort(), ['00', '10']);
  // Without a measure, shots sample every qubit of each trajectory.
  const nm = runReference(new Circuit(2).x(1).reset(1).x(0), { shots: 10, seed: 1 });
  assert.deepEqual(nm.counts, { '10': 10 });
});

test('observable expectations match closed forms', () => {
  const bell = new Circuit(2).h(0).cx(0, 1);
  const r = runReference(bell, {
    observables: ['Z0Z1', 'X0X1', 'Y0Y1', 'Z0', '0.5*Z0Z1 - 2*X0X1 + 3'].map((s) => parsePauliSum(s, 2)),
  });
  const want = [1, 1, -1, 0, 0.5 - 2 + 3];
  r.expectations!.forEach((v, i) => close(v, want[i], 1e-12, `term ${i}`));
  const th = 0.7;
  const one = (c: Circuit, o: string) => runReference(c, { observables: [parsePauliSum(o)] }).expectations![0];
  close(one(new Circuit(1).h(0), 'X0'), 1);
  close(one(new Circuit(1).ry(th, 0), 'Z0'), Math.cos(th));
  close(one(new Circuit(1).ry(th, 0), 'X0'), Math.sin(th));
  close(one(new Circuit(1).rx(th, 0), 'Y0'), -Math.sin(th));
  close(one(new Circuit(3).x(2).h(1), 'Z2 + Z0 + X1'), -1 + 1 + 1);
  assert.throws(() => runReference(bell, { observables: [parsePauliSum('Z5')] }), /qubit 5/);
  // expectationOf on a random state equals ⟨ψ|embed(P)|ψ⟩.
  const rng = new Rng(11);
  const s = randomState(3, rng);
  const Y = new Float64Array([0, 0, 0, -1, 0, 1, 0, 0]);
  const X = new Float64Array([0, 0, 1, 0, 1, 0, 0, 0]);
  const py = matVec(embed(Y, [2], 3), s);
  const pxy = matVec(embed(X, [0], 3), py);
  let ev = 0;
  for (let i = 0; i < s.length; i += 2) ev += s[i] * pxy[i] + s[i + 1] * pxy[i + 1];
  close(expectationOf(s, 3, parsePauliSum('X0Y2')), ev, 1e-12);
});

test('refuses a state too large for memory before allocating, saying the bytes needed', () => {
  assert.equal(referenceBytes(40), 16 * 2 ** 40);
  assert.throws(
    () => runReference(new Circuit(40).h(0), { amplitudes: ['0'.repeat(40)] }),
    (e: unknown) => {
      assert.ok(e instanceof ResourceError);
      assert.equal(e.bytesNeeded, 17592186044416);
      assert.match(e.message, /40-qubit state vector .* needs 17592186044416 bytes \(16 TiB\)/);
      return true;
    },
  );
  assert.throws(() => runReference(new Circuit(10).h(0), { memoryLimitBytes: 1000 }), /needs 16384 bytes/);
  const est = getEngine('reference').estimate(new Circuit(40), {});
  assert.equal(est.ok, false);
});

/** A random circuit of table gates on n qubits. */
const gateArb = (n: number) =>
  fc
    .record({
      g: fc.constantFrom(...allGates().filter((g) => g.qubits <= n)),
      perm: fc.shuffledSubarray([...Array(n).keys()], { minLength: n, maxLength: n }),
      params: fc.array(fc.double({ min: -7, max: 7, noNaN: true }), { minLength: 4, maxLength: 4 }),
    })
    .map(({ g, perm, params }) => ({ name: g.name, qubits: perm.slice(0, g.qubits), params: params.slice(0, g.params.length) }));

test('property: random circuits keep the state normalized and their inverse returns |0…0⟩', () => {
  fc.assert(
    fc.property(
      fc.integer({ min: 1, max: 5 }).chain((n) => fc.tuple(fc.constant(n), fc.array(gateArb(n), { maxLength: 25 }))),
      ([n, gates]) => {
        const c = new Circuit(n);
        for (const g of gates) c.gate(g.name, g.qubits, g.params);
        const s = simulateStatevector(c);
        close(normOf(s), 1, 1e-10, 'norm');
        const inv = c.clone();
        for (const op of [...c.gates()].reverse()) inv.unitary(dagger(Circuit.matrixOf(op)), op.qubits);
        const z = simulateStatevector(inv);
        close(z[0] ** 2 + z[1] ** 2, 1, 1e-10, 'return to |0…0⟩');
      },
    ),
    { numRuns: 150, seed: 2024 },
  );
});

test('conditions compare a whole register with c[0] as the least significant bit', () => {
  // c = 2 (c[0] = 0, c[1] = 1) triggers `if (c == 2)`; `if (c == 1)` must not fire.
  const c = new Circuit(3);
  c.addCreg('c', 2);
  c.x(1).measure(0, 0).measure(1, 1);
  c.gate('x', [2], [], { condition: c.condition('c', 2) });
  c.gate('h', [0], [], { condition: c.condition('c', 1) });
  const r = runReference(c, { probabilities: true, seed: 1 });
  assert.equal(r.probabilities![bitstringIndex('011', 3)], 1);
});

test('random circuits agree with dense full-matrix simulation (including explicit unitaries)', () => {
  const rng = new Rng(99);
  const gates = allGates().filter((g) => g.qubits <= 4);
  for (let trial = 0; trial < 20; trial++) {
    const n = 1 + Math.floor(rng.random() * 4);
    const c = new Circuit(n);
    let dense = new Float64Array(2 * 4 ** n);
    for (let i = 0; i < 2 ** n; i++) dense[2 * (i * 2 ** n + i)] = 1;
    for (let k = 0; k < 12; k++) {
      const g = gates[Math.floor(rng.random() * gates.length)];
      if (g.qubits > n) continue;
      const qs: number[] = [];
      while (qs.length < g.qubits) {
        const q = Math.floor(rng.random() * n);
        if (!qs.includes(q)) qs.push(q);
      }
      const params = g.params.map(() => (rng.random() - 0.5) * 6);
      if (k % 5 === 4) c.unitary(g.matrix(params), qs, 'u');
      else c.gate(g.name, qs, params);
      const full = embed(g.matrix(params), qs, n);
      const next = new Float64Array(dense.length);
      const d = 2 ** n;
      for (let r = 0; r < d; r++)
        for (let m = 0; m < d; m++)
          for (let col = 0; col < d; col++) {
            const a = 2 * (r * d + m);
            const b = 2 * (m * d + col);
            next[2 * (r * d + col)] += full[a] * dense[b] - full[a + 1] * dense[b + 1];
            next[2 * (r * d + col) + 1] += full[a] * dense[b + 1] + full[a + 1] * dense[b];
          }
      dense = next;
    }
    const s = simulateStatevector(c);
    for (let i = 0; i < 2 ** n; i++) {
      close(s[2 * i], dense[2 * (i * 2 ** n)], 1e-12, `trial ${trial} re[${i}]`);
      close(s[2 * i + 1], dense[2 * (i * 2 ** n) + 1], 1e-12, `trial ${trial} im[${i}]`);
    }
  }
});

test('reset mid-circuit then H gives fair coin flips over many shots', () => {
  const c = new Circuit(1, 1).x(0).reset(0).h(0).measure(0, 0);
  const r = runReference(c, { shots: 4000, seed: 8 });
  assert.equal(r.counts!['0'] + r.counts!['1'], 4000);
  assert.ok(Math.abs(r.counts!['0'] - 2000) < 200, JSON.stringify(r.counts));
});
