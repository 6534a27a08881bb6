/** Shared helpers for the fast state-vector tests: random circuits and comparisons. */
import { Circuit } from '../../src/circuit/circuit.js';
import { allGates } from '../../src/circuit/gates.js';
import { Rng } from '../../src/statevector/rng.js';

/** Random unitary of dimension 2^k by Gram–Schmidt on a random complex matrix. */
export function randomUnitary(k: number, rng: Rng): Float64Array {
  const d = 1 << k;
  const cols: Float64Array[] = [];
  for (let c = 0; c < d; c++) {
    const v = new Float64Array(2 * d);
    for (let i = 0; i < 2 * d; i++) v[i] = rng.random() * 2 - 1;
    for (const u of cols) {
      let pr = 0, pi = 0; // <u, v>
      for (let i = 0; i < d; i++) {
        pr += u[2 * i] * v[2 * i] + u[2 * i + 1] * v[2 * i + 1];
        pi += u[2 * i] * v[2 * i + 1] - u[2 * i + 1] * v[2 * i];
      }
      for (let i = 0; i < d; i++) {
        v[2 * i] -= pr * u[2 * i] - pi * u[2 * i + 1];
        v[2 * i + 1] -= pr * u[2 * i + 1] + pi * u[2 * i];
      }
    }
    let nrm = 0;
    for (let i = 0; i < 2 * d; i++) nrm += v[i] * v[i];
    nrm = Math.sqrt(nrm);
    for (let i = 0; i < 2 * d; i++) v[i] /= nrm;
    cols.push(v);
  }
  const m = new Float64Array(2 * d * d);
  for (let r = 0; r < d; r++)
    for (let c = 0; c < d; c++) {
      m[2 * (r * d + c)] = cols[c][2 * r];
      m[2 * (r * d + c) + 1] = cols[c][2 * r + 1];
    }
  return m;
}

const TABLE = allGates().filter((g) => g.qubits <= 4);

/** Distinct random qubits. */
export function pick(n: number, k: number, rng: Rng): number[] {
  const all = Array.from({ length: n }, (_, i) => i);
  for (let i = 0; i < k; i++) {
    const j = i + Math.floor(rng.random() * (n - i));
    [all[i], all[j]] = [all[j], all[i]];
  }
  return all.slice(0, k);
}

/** A random unitary circuit of table gates (incl. fsim, cp, ccx, …) and explicit unitaries. */
export function randomCircuit(n: number, gates: number, rng: Rng): Circuit {
  const c = new Circuit(n);
  for (let g = 0; g < gates; g++) {
    if (rng.random() < 0.08) {
      const k = Math.min(n, 1 + Math.floor(rng.random() * 3));
      c.unitary(randomUnitary(k, rng), pick(n, k, rng));
      continue;
    }
    const choices = TABLE.filter((s) => s.qubits <= n);
    const spec = choices[Math.floor(rng.random() * choices.length)];
    const params = spec.params.map(() => (rng.random() * 2 - 1) * Math.PI);
    c.gate(spec.name, pick(n, spec.qubits, rng), params);
  }
  return c;
}

/** Largest |a_i - b_i| over interleaved complex arrays. */
export function maxDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) return Infinity;
  let w = 0;
  for (let i = 0; i < a.length; i++) w = Math.max(w, Math.abs(a[i] - b[i]));
  return w;
}
