/**
 * Random-circuit generators for supremacy-style benchmarks:
 * Google Sycamore-53 (fSim in the ABCDCDAB pattern, √X/√Y/√W layers, Arute et al. 2019) and
 * CZ circuits of depth 1+d+1 on rectangular grids and Bristlecone (Boixo et al. 2018).
 */
import { Circuit } from '../circuit/circuit.js';
import { mulberry32 } from '../contraction/rng.js';

type Pair = readonly [number, number];

/**
 * The four Sycamore-53 coupling layers A–D, in the qubit numbering of the public qsim
 * `sycamore_n53_m*.qsim` files (layout data, as used by those circuits).
 */
export const SYCAMORE53_LAYERS: Readonly<Record<'A' | 'B' | 'C' | 'D', readonly Pair[]>> = {
  A: [[1, 4], [3, 7], [5, 9], [6, 13], [8, 15], [10, 17], [12, 21], [14, 23], [16, 25], [18, 27], [20, 30], [22, 32], [24, 34], [26, 36], [29, 37], [31, 39], [33, 41], [35, 43], [38, 44], [40, 46], [42, 48], [45, 49], [47, 51], [50, 52]],
  B: [[0, 3], [2, 6], [4, 8], [7, 14], [9, 16], [11, 20], [13, 22], [15, 24], [17, 26], [19, 29], [21, 31], [23, 33], [25, 35], [30, 38], [32, 40], [34, 42], [39, 45], [41, 47], [46, 50]],
  C: [[0, 1], [2, 3], [4, 5], [7, 8], [9, 10], [11, 12], [13, 14], [15, 16], [17, 18], [19, 20], [21, 22], [23, 24], [25, 26], [28, 29], [30, 31], [32, 33], [34, 35], [37, 38], [39, 40], [41, 42], [44, 45], [46, 47], [49, 50]],
  D: [[3, 4], [6, 7], [8, 9], [12, 13], [14, 15], [16, 17], [20, 21], [22, 23], [24, 25], [26, 27], [29, 30], [31, 32], [33, 34], [35, 36], [38, 39], [40, 41], [42, 43], [45, 46], [47, 48], [50, 51]],
};

/** Coupling-layer sequence of Sycamore supremacy circuits, repeating every 8 cycles. */
export const SYCAMORE_PATTERN = 'ABCDCDAB';

/** Options of `sycamoreCircuit`. */
export interface SycamoreOptions {
  seed?: number;
  /** fSim angles (default θ = π/2, φ = π/6). */
  theta?: number;
  phi?: number;
}

/**
 * A Sycamore-53 random circuit with `cycles` cycles: each cycle a layer of random single-qubit
 * gates from {√X, √Y, √W} (never the same gate twice in a row on a qubit), then fSim on the
 * couplings of layer `SYCAMORE_PATTERN[cycle % 8]`; a final single-qubit layer closes it.
 */
export function sycamoreCircuit(cycles: number, options: SycamoreOptions = {}): Circuit {
  if (!Number.isInteger(cycles) || cycles < 0) throw new RangeError(`cycles must be a non-negative integer, got ${cycles}`);
  const n = 53;
  const theta = options.theta ?? Math.PI / 2;
  const phi = options.phi ?? Math.PI / 6;
  const rand = mulberry32(options.seed ?? 0);
  const singles = ['sx', 'sy', 'sqrtw'];
  const last: number[] = new Array(n).fill(-1);
  const c = new Circuit(n);
  const singleLayer = (): void => {
    for (let q = 0; q < n; q++) {
      let g = Math.floor(rand() * 3);
      if (g === last[q]) g = (g + 1 + Math.floor(rand() * 2)) % 3;
      last[q] = g;
      c.gate(singles[g], [q]);
    }
  };
  for (let k = 0; k < cycles; k++) {
    singleLayer();
    const layer = SYCAMORE_PATTERN[k % 8] as 'A' | 'B' | 'C' | 'D';
    for (const [a, b] of SYCAMORE53_LAYERS[layer]) c.gate('fsim', [a, b], [theta, phi]);
  }
  singleLayer();
  return c;
}

/** A qubit layout on the square lattice: lattice coordinates of qubit `q` are `coords[q]`. */
export interface LatticeLayout {
  readonly name: string;
  readonly coords: ReadonlyArray<readonly [number, number]>;
}

/** Rectangular `rows × cols` grid, qubits numbered row-major. */
export function gridLayout(rows: number, cols: number): LatticeLayout {
  const coords: Array<[number, number]> = [];
  for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) coords.push([r, c]);
  return { name: `grid-${rows}x${cols}`, coords };
}

/**
 * Bristlecone: 6 qubits per row in 12 staggered rows, each coupled to its 4 diagonal
 * neighbours, i.e. a 45°-rotated patch of the square lattice. `size` 72 is the full chip; 70
 * drops the last two qubits (as in the Bristlecone-70 benchmarks).
 */
export function bristleconeLayout(size: 70 | 72 = 72): LatticeLayout {
  const coords: Array<[number, number]> = [];
  for (let k = 0; k < 12; k++) {
    for (let j = 0; j < 6; j++) {
      const x = 2 * j + (k % 2);
      coords.push([(x + k) / 2, (k - x) / 2]);
    }
  }
  return { name: `bristlecone-${size}`, coords: coords.slice(0, size) };
}

/**
 * The 8 CZ configurations of Boixo et al. 2018: horizontal or vertical lattice edges whose left
 * (upper) end has a given (row, column) parity. Every edge is in exactly one configuration and
 * no qubit is in two CZs of one configuration.
 */
export function czConfigurations(layout: LatticeLayout): Pair[][] {
  const at = new Map<string, number>();
  layout.coords.forEach(([r, c], q) => at.set(`${r},${c}`, q));
  const order: Array<[boolean, number, number]> = [
    [true, 0, 0], [false, 0, 0], [true, 1, 1], [false, 1, 1],
    [true, 0, 1], [false, 1, 0], [true, 1, 0], [false, 0, 1],
  ];
  const mod2 = (x: number): number => ((x % 2) + 2) % 2;
  return order.map(([horizontal, pr, pc]) => {
    const pairs: Pair[] = [];
    layout.coords.forEach(([r, c], q) => {
      if (mod2(r) !== pr || mod2(c) !== pc) return;
      // Pair (r, c) with (r, c+1) and (r, c+2)... alternate: edges starting at this parity class.
      const other = horizontal ? at.get(`${r},${c + 1}`) : at.get(`${r + 1},${c}`);
      if (other !== undefined) pairs.push([q, other]);
    });
    return pairs;
  });
}

/**
 * A Boixo-style CZ random circuit of depth 1+d+1: a Hadamard layer, `depth` cycles of CZ
 * configurations with single-qubit gates from {T, √X, √Y} on qubits that left a CZ (the first
 * such gate on a qubit is T, and no gate repeats on a qubit), and a final Hadamard layer.
 */
export function czCircuit(layout: LatticeLayout, depth: number, seed = 0): Circuit {
  const n = layout.coords.length;
  const rand = mulberry32(seed);
  const configs = czConfigurations(layout);
  const c = new Circuit(n);
  for (let q = 0; q < n; q++) c.gate('h', [q]);
  let prev = new Set<number>();
  const hadT = new Array<boolean>(n).fill(false);
  const last: string[] = new Array(n).fill('');
  for (let k = 0; k < depth; k++) {
    const pairs = configs[k % 8];
    const busy = new Set<number>();
    for (const [a, b] of pairs) busy.add(a).add(b);
    for (const q of prev) {
      if (busy.has(q)) continue;
      let g: string;
      if (!hadT[q]) {
        g = 't';
        hadT[q] = true;
      } else {
        const options = ['t', 'sx', 'sy'].filter((x) => x !== last[q]);
        g = options[Math.floor(rand() * options.length)];
      }
      last[q] = g;
      c.gate(g, [q]);
    }
    for (const [a, b] of pairs) c.gate('cz', [a, b]);
    prev = busy;
  }
  for (let q = 0; q < n; q++) c.gate('h', [q]);
  return c;
}
