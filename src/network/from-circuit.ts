/**
 * Circuits as tensor networks. Every gate becomes one tensor; diagonal gates become tensors on
 * the wires' current indices (hyperedges) without creating new indices, so they never grow
 * widths, and identity gates add nothing. Two-qubit gates take their cheapest form from
 * two-qubit.ts: a free wire swap times nothing / a hyperedge / a bond-r split / one tensor. Construction is deterministic: the same circuit and pattern always give the
 * identical network (the distributed runtime rebuilds networks and compares fingerprints).
 */
import type { Circuit, GateOperation } from '../circuit/circuit.js';
import { getGate } from '../circuit/gates.js';
import type { ComplexMatrix } from '../circuit/matrix.js';
import type { NetworkTensor, TensorNetwork } from './types.js';
import { diagonalOf, isIdentityDiagonal, operatorSchmidt, twoQubitForm } from './two-qubit.js';

/** The unitary of a gate operation (gate table or explicit matrix). */
export function gateMatrix(op: GateOperation): ComplexMatrix {
  if (op.name === 'unitary') {
    if (!op.matrix) throw new Error(`unitary gate without a matrix`);
    return op.matrix;
  }
  return getGate(op.name).matrix(op.params);
}

/**
 * The diagonal of a gate when it is diagonal: by the gate table's flag, or numerically (every
 * off-diagonal entry below RANK_TOLERANCE of the largest) for other gates and custom unitaries.
 */
function gateDiagonal(op: GateOperation, m: ComplexMatrix): Float64Array | null {
  if (op.name !== 'unitary' && getGate(op.name).diagonal) return diagonalOf(m, Infinity);
  return diagonalOf(m);
}

/** The unitary gate operations of a circuit; refuses mid-circuit measurement, reset and conditions. */
export function unitaryGates(circuit: Circuit): GateOperation[] {
  if (!circuit.hasOnlyTerminalMeasurements())
    throw new Error('tensor network: the circuit has mid-circuit measurements, resets or classical conditions (unitary circuits only)');
  return circuit.gates();
}

/**
 * Rank reduction of a two-qubit gate by operator-Schmidt decomposition (SVD of U reshaped to
 * M[(o1 i1)][(o2 i2)], see two-qubit.ts). Returns the factors when the Schmidt rank is below 4,
 * i.e. when splitting lowers the bond below the 4 of an unsplit gate (CX, CY, CH, rxx …: 2);
 * otherwise null (SWAP, iSWAP, generic fSim).
 */
export function splitTwoQubit(u: ComplexMatrix): { rank: number; left: Float64Array; right: Float64Array } | null {
  const s = operatorSchmidt(u);
  return s.rank < 4 ? s : null;
}

/** Builder state: the current index of every wire. */
class Builder {
  readonly tensors: NetworkTensor[] = [];
  readonly sizes: number[] = [];
  next = 0;
  newIndex(size = 2): number {
    this.sizes.push(size);
    return this.next++;
  }
  add(indices: number[], data: Float64Array, tag: string): void {
    this.tensors.push({ indices, data, tag });
  }
}

function conjugate(m: Float64Array): Float64Array {
  const c = Float64Array.from(m);
  for (let i = 1; i < c.length; i += 2) c[i] = -c[i];
  return c;
}

/**
 * Appends |0…0⟩ then `gates` on `qubits` to the builder; returns the final index of each wire.
 * With `conj`, all tensors are complex-conjugated (the bra ⟨ψ| of an expectation network).
 */
function appendCircuit(b: Builder, numQubits: number, qubits: readonly number[], gates: readonly GateOperation[], conj: boolean): number[] {
  const wire = new Array<number>(numQubits).fill(-1);
  for (const q of qubits) {
    wire[q] = b.newIndex();
    b.add([wire[q]], new Float64Array([1, 0, 0, 0]), 'input');
  }
  for (const op of gates) {
    let m = gateMatrix(op);
    if (conj) m = conjugate(m);
    const k = op.qubits.length;
    const d = 1 << k;
    const ins = op.qubits.map((q) => wire[q]);
    const diag = gateDiagonal(op, m);
    if (diag) {
      // Diagonal: a rank-k tensor on the wires' current indices (a hyperedge per wire);
      // identity-like gates (rz(0), id, u1(0)) add nothing.
      if (!isIdentityDiagonal(diag)) b.add(ins, diag, op.name);
      continue;
    }
    if (k === 2) {
      const form = twoQubitForm(m);
      if (form.kind !== 'full') {
        const [q0, q1] = op.qubits;
        if (form.kind === 'diagonal') b.add(ins, form.diag, op.name);
        if (form.kind === 'split') {
          // Operator-Schmidt rank < 4: two rank-3 tensors joined by a bond of that rank.
          const outs = [b.newIndex(), b.newIndex()];
          const bond = b.newIndex(form.split.rank);
          b.add([outs[0], ins[0], bond], form.split.left, op.name);
          b.add([bond, outs[1], ins[1]], form.split.right, op.name);
          wire[q0] = outs[0];
          wire[q1] = outs[1];
        }
        // U = SWAP·V: after V, the wires exchange their indices (free).
        if (form.swap) [wire[q0], wire[q1]] = [wire[q1], wire[q0]];
        continue;
      }
    }
    const outs = op.qubits.map(() => b.newIndex());
    // Row-major matrix U[out][in] with the first listed qubit most significant = tensor [outs…, ins…].
    b.add([...outs, ...ins], Float64Array.from(m), op.name);
    op.qubits.forEach((q, j) => (wire[q] = outs[j]));
  }
  return wire;
}

/**
 * Checks an output pattern: one character per qubit, `0`/`1` fixed, `x` open (qubit 0 first).
 */
export function parsePattern(pattern: string, numQubits: number): Array<0 | 1 | 'x'> {
  if (pattern.length !== numQubits)
    throw new Error(`pattern '${pattern}' has ${pattern.length} characters, the circuit has ${numQubits} qubits`);
  return [...pattern].map((ch, i) => {
    if (ch === '0') return 0;
    if (ch === '1') return 1;
    if (ch === 'x' || ch === 'X') return 'x';
    throw new Error(`pattern '${pattern}': character ${i + 1} is '${ch}' (expected 0, 1 or x)`);
  });
}

/**
 * The network of ⟨pattern|C|0…0⟩: fixed bits close output legs with ⟨0| or ⟨1|, `x` qubits are
 * left open. The result's axes are the open qubits in increasing qubit order (the lowest qubit
 * most significant, matching bitstring order).
 */
export function circuitNetwork(circuit: Circuit, pattern: string): TensorNetwork {
  const n = circuit.numQubits;
  const pat = parsePattern(pattern, n);
  const b = new Builder();
  const all = Array.from({ length: n }, (_, q) => q);
  const wire = appendCircuit(b, n, all, unitaryGates(circuit), false);
  const output: number[] = [];
  for (let q = 0; q < n; q++) {
    const v = pat[q];
    if (v === 'x') output.push(wire[q]);
    else b.add([wire[q]], new Float64Array(v === 0 ? [1, 0, 0, 0] : [0, 0, 1, 0]), 'output');
  }
  return { tensors: b.tensors, sizes: b.sizes, output };
}

/** A one-qubit operator in an expectation network: Pauli matrices or projectors onto |0⟩, |1⟩. */
export type QubitOperator = 'X' | 'Y' | 'Z' | 'P0' | 'P1';

/**
 * Gates in the backward light cone of `support`: a gate is kept when it touches a qubit that
 * (through later gates) reaches the support; the others cancel in U†OU and are dropped.
 * Returns the kept gates (in circuit order) and the qubits they and the support touch.
 */
export function lightCone(gates: readonly GateOperation[], support: Iterable<number>): { gates: GateOperation[]; qubits: number[] } {
  const cone = new Set(support);
  const kept: GateOperation[] = [];
  for (let g = gates.length - 1; g >= 0; g--) {
    const op = gates[g];
    if (op.qubits.some((q) => cone.has(q))) {
      kept.push(op);
      for (const q of op.qubits) cone.add(q);
    }
  }
  kept.reverse();
  return { gates: kept, qubits: [...cone].sort((a, b) => a - b) };
}

const OPERATORS: Record<QubitOperator, { diag: boolean; data: number[] }> = {
  X: { diag: false, data: [0, 0, 1, 0, 1, 0, 0, 0] },
  Y: { diag: false, data: [0, 0, 0, -1, 0, 1, 0, 0] },
  Z: { diag: true, data: [1, 0, -1, 0] },
  P0: { diag: true, data: [1, 0, 0, 0] },
  P1: { diag: true, data: [0, 0, 1, 0] },
};

/**
 * The closed network of ⟨ψ|O|ψ⟩ for a product operator `O = ⊗ ops` (ψ = C|0…0⟩), restricted to
 * the light cone of O. Diagonal factors (Z, projectors) and identities merge the ket's and bra's
 * final indices (hyperedges); X and Y are rank-2 tensors ⟨bra|P|ket⟩.
 */
export function expectationNetwork(circuit: Circuit, ops: ReadonlyArray<{ readonly qubit: number; readonly op: QubitOperator }>): TensorNetwork {
  const n = circuit.numQubits;
  for (const { qubit } of ops) if (qubit < 0 || qubit >= n) throw new Error(`observable qubit ${qubit} out of range (circuit has ${n})`);
  const { gates, qubits } = lightCone(unitaryGates(circuit), ops.map((o) => o.qubit));
  const b = new Builder();
  const ket = appendCircuit(b, n, qubits, gates, false);
  const opOn = new Map(ops.map((o) => [o.qubit, o.op]));
  const braTensorsStart = b.tensors.length;
  const bra = appendCircuit(b, n, qubits, gates, true);
  // Merge bra and ket indices for identity and diagonal factors: rename the bra's final index.
  const rename = new Map<number, number>();
  for (const q of qubits) {
    const o = opOn.get(q);
    if (o === undefined || OPERATORS[o].diag) rename.set(bra[q], ket[q]);
  }
  for (let t = braTensorsStart; t < b.tensors.length; t++) {
    const tt = b.tensors[t];
    if (tt.indices.some((i) => rename.has(i))) b.tensors[t] = { ...tt, indices: tt.indices.map((i) => rename.get(i) ?? i) };
  }
  for (const q of qubits) {
    const o = opOn.get(q);
    if (o === undefined) continue;
    const spec = OPERATORS[o];
    if (spec.diag) b.add([ket[q]], new Float64Array(spec.data), o);
    else b.add([bra[q], ket[q]], new Float64Array(spec.data), o);
  }
  for (const i of rename.keys()) b.sizes[i] = 0; // merged away: unused ids have size 0
  return { tensors: b.tensors, sizes: b.sizes, output: [] };
}
