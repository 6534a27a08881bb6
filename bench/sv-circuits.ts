/**
 * Random grid (Sycamore-like) circuits for the state-vector benchmark: qubits on a near-square
 * grid; each cycle is a layer of random one-qubit gates then two-qubit gates on one of four
 * coupler patterns (horizontal/vertical × even/odd), as in Google's random-circuit experiments.
 */
import { Circuit } from '../src/circuit/circuit.js';
import { Rng } from '../src/statevector/rng.js';

/** Options for `gridCircuit`. */
export interface GridOptions {
  /** `fsim`: √X/√Y/√W + fSim(π/2, π/6) (Sycamore); `cz`: random u3 + CZ (gates quantum-circuit has). */
  readonly style?: 'fsim' | 'cz';
  readonly seed?: number;
}

/** A depth-`cycles` random grid circuit on `n` qubits. */
export function gridCircuit(n: number, cycles: number, options: GridOptions = {}): Circuit {
  const rng = new Rng(options.seed ?? 1);
  const style = options.style ?? 'fsim';
  const cols = Math.ceil(Math.sqrt(n));
  const c = new Circuit(n);
  const one = ['sx', 'sy', 'sqrtw'];
  const pairs = (pattern: number): Array<[number, number]> => {
    const out: Array<[number, number]> = [];
    for (let q = 0; q < n; q++) {
      const r = Math.floor(q / cols), col = q % cols;
      if (pattern < 2 && col % 2 === pattern && col + 1 < cols && q + 1 < n) out.push([q, q + 1]);
      if (pattern >= 2 && r % 2 === pattern - 2 && q + cols < n) out.push([q, q + cols]);
    }
    return out;
  };
  for (let cy = 0; cy < cycles; cy++) {
    for (let q = 0; q < n; q++) {
      if (style === 'fsim') c.gate(one[Math.floor(rng.random() * 3)], [q]);
      else c.u(rng.random() * Math.PI, rng.random() * 2 * Math.PI, rng.random() * 2 * Math.PI, q);
    }
    for (const [a, b] of pairs([0, 2, 1, 3][cy % 4])) {
      if (style === 'fsim') c.fsim(Math.PI / 2, Math.PI / 6, a, b);
      else c.cz(a, b);
    }
  }
  return c;
}
