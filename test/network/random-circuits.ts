/** Random circuits for the tensor-network tests (seeded, all gate kinds incl. fsim and custom unitaries). */
import { Circuit } from '../../src/circuit/circuit.js';
import { allGates, getGate } from '../../src/circuit/gates.js';
import { kron, matmul } from '../../src/circuit/matrix.js';
import { mulberry32 } from '../../src/contraction/rng.js';

export type Rand = () => number;
export const rng = (seed: number): Rand => mulberry32(seed);

/** A random 2^k unitary: products of random table gates on the k qubits. */
export function randomUnitary(k: number, r: Rand): Float64Array {
  const one = () => getGate('u3').matrix([r() * 6, r() * 6, r() * 6]);
  let u = k === 1 ? one() : kron(one(), one());
  if (k === 2) {
    u = matmul(getGate('fsim').matrix([r() * 3, r() * 3]), u);
    u = matmul(kron(one(), one()), u);
  }
  return u;
}

const TABLE = allGates().filter((g) => g.qubits <= 3);

/** A random circuit on `n` qubits with `gates` operations (table gates, fsim, `unitary`). */
export function randomCircuit(n: number, gates: number, r: Rand): Circuit {
  const c = new Circuit(n);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)];
  const qubitsFor = (k: number): number[] => {
    const qs: number[] = [];
    while (qs.length < k) {
      const q = Math.floor(r() * n);
      if (!qs.includes(q)) qs.push(q);
    }
    return qs;
  };
  // Start with a layer of Hadamards so amplitudes are spread out.
  for (let q = 0; q < n; q++) if (r() < 0.7) c.h(q);
  for (let g = 0; g < gates; g++) {
    const x = r();
    if (x < 0.08) {
      const k = n >= 2 && r() < 0.6 ? 2 : 1;
      c.unitary(randomUnitary(k, r), qubitsFor(k), 'rand');
    } else if (x < 0.25 && n >= 2) {
      c.fsim(r() * 3, r() * 3, ...(qubitsFor(2) as [number, number]));
    } else {
      let spec = pick(TABLE);
      while (spec.qubits > n) spec = pick(TABLE);
      c.gate(spec.name, qubitsFor(spec.qubits), spec.params.map(() => (r() - 0.5) * 7));
    }
  }
  return c;
}

/** A random bitstring of length n. */
export function randomBits(n: number, r: Rand): string {
  let s = '';
  for (let i = 0; i < n; i++) s += r() < 0.5 ? '0' : '1';
  return s;
}
