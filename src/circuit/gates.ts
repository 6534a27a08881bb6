/**
 * The gate table: every gate's name, arity, parameters and matrix, in one place.
 *
 * Conventions (docs/conventions.md):
 * - Parameter conventions follow Qiskit's standard gates: `rz(θ) = diag(e^{-iθ/2}, e^{iθ/2})`,
 *   `U ≡ u3`, `p ≡ u1`, `rzz(θ) = exp(-iθ Z⊗Z/2)`, …
 * - A matrix acting on qubits `(a, b, …)` is indexed with the *first listed* qubit as the most
 *   significant bit, so `cx(c, t)` is `[[1,0,0,0],[0,1,0,0],[0,0,0,1],[0,0,1,0]]` and the
 *   controls of a controlled gate come first.
 * - Google's qsim gates (`fsim`, `iswap`, `sy`, `sqrtw`, `rxy`) use qsim's definitions; the qsim
 *   reader maps qsim names onto these (qsim's `cp(φ)` is our `cp(-φ)`).
 */
import {
  type ComplexMatrix,
  controlled,
  diagonal,
  embed,
  expi,
  fromRows,
  identity,
  kron,
  matmul,
  scale,
} from './matrix.js';

/** One entry of the gate table. */
export interface GateSpec {
  /** Canonical lower-case name, as written in OpenQASM 2 (qelib1.inc) where it exists there. */
  readonly name: string;
  /** Number of qubits the gate acts on. */
  readonly qubits: number;
  /** Parameter names, in call order. */
  readonly params: readonly string[];
  /** The unitary for given parameters (first listed qubit most significant). */
  readonly matrix: (params: readonly number[]) => ComplexMatrix;
  /** Diagonal for every parameter value (phase-only: engines may treat it as a hyperedge). */
  readonly diagonal: boolean;
  /** A permutation matrix with unit entries (X, CX, SWAP, CCX, CSWAP): engines may move indices. */
  readonly permutation: boolean;
  /** Leading control qubits: the matrix is `controlled(target matrix, controls)`. */
  readonly controls: number;
  /** Defined in the standard `qelib1.inc` (or a builtin `U`/`CX`). */
  readonly qelib1: boolean;
  /** Other names accepted by readers and `lookupGate` (e.g. `CX`, `cnot`, `U`). */
  readonly aliases: readonly string[];
  /** One-line description for docs and `--help`. */
  readonly doc: string;
}

const S2 = Math.SQRT1_2;
const ONE_PLUS_I_HALF: readonly [number, number] = [0.5, 0.5];
const ONE_MINUS_I_HALF: readonly [number, number] = [0.5, -0.5];

/** Qiskit's general one-qubit unitary `U(θ, φ, λ)`. */
function u3(theta: number, phi: number, lambda: number): ComplexMatrix {
  const c = Math.cos(theta / 2);
  const s = Math.sin(theta / 2);
  const el = expi(lambda);
  const ep = expi(phi);
  const epl = expi(phi + lambda);
  return fromRows([
    [c, [-el[0] * s, -el[1] * s]],
    [
      [ep[0] * s, ep[1] * s],
      [epl[0] * c, epl[1] * c],
    ],
  ]);
}

function rx(theta: number): ComplexMatrix {
  const c = Math.cos(theta / 2);
  const s = Math.sin(theta / 2);
  return fromRows([
    [c, [0, -s]],
    [[0, -s], c],
  ]);
}

function ry(theta: number): ComplexMatrix {
  const c = Math.cos(theta / 2);
  const s = Math.sin(theta / 2);
  return fromRows([
    [c, -s],
    [s, c],
  ]);
}

function rz(theta: number): ComplexMatrix {
  return diagonal([expi(-theta / 2), expi(theta / 2)]);
}

function phase(lambda: number): ComplexMatrix {
  return diagonal([1, expi(lambda)]);
}

const X = fromRows([
  [0, 1],
  [1, 0],
]);
const Y = fromRows([
  [0, [0, -1]],
  [[0, 1], 0],
]);
const Z = diagonal([1, -1]);
const H = fromRows([
  [S2, S2],
  [S2, -S2],
]);
const SX = fromRows([
  [ONE_PLUS_I_HALF, ONE_MINUS_I_HALF],
  [ONE_MINUS_I_HALF, ONE_PLUS_I_HALF],
]);
const SXDG = fromRows([
  [ONE_MINUS_I_HALF, ONE_PLUS_I_HALF],
  [ONE_PLUS_I_HALF, ONE_MINUS_I_HALF],
]);
/** qsim's `y_1_2`: √Y = [[1+i, -1-i], [1+i, 1+i]]/2. */
const SY = fromRows([
  [ONE_PLUS_I_HALF, [-0.5, -0.5]],
  [ONE_PLUS_I_HALF, ONE_PLUS_I_HALF],
]);
/** qsim's `hz_1_2`: √W with W = (X+Y)/√2, [[1+i, -i√2], [√2, 1+i]]/2. */
const SQRTW = fromRows([
  [ONE_PLUS_I_HALF, [0, -S2]],
  [S2, ONE_PLUS_I_HALF],
]);
const SWAP = fromRows([
  [1, 0, 0, 0],
  [0, 0, 1, 0],
  [0, 1, 0, 0],
  [0, 0, 0, 1],
]);

/** `exp(-iθ P⊗P/2)` for a Hermitian involution `pp = P⊗P`. */
function pauliRotation(pp: ComplexMatrix, theta: number): ComplexMatrix {
  const c = Math.cos(theta / 2);
  const s = Math.sin(theta / 2);
  const id = identity(4);
  const out = new Float64Array(id.length);
  for (let i = 0; i < out.length; i += 2) {
    // c·I − i·s·PP
    out[i] = c * id[i] + s * pp[i + 1];
    out[i + 1] = c * id[i + 1] - s * pp[i];
  }
  return out;
}

/** Cirq/qsim fSim(θ, φ): [[1,0,0,0],[0,cosθ,−i sinθ,0],[0,−i sinθ,cosθ,0],[0,0,0,e^{−iφ}]]. */
function fsim(theta: number, phi: number): ComplexMatrix {
  const c = Math.cos(theta);
  const s = Math.sin(theta);
  return fromRows([
    [1, 0, 0, 0],
    [0, c, [0, -s], 0],
    [0, [0, -s], c, 0],
    [0, 0, 0, expi(-phi)],
  ]);
}

/** qsim's `rxy(θ, φ)`: rotation by φ about the axis at angle θ in the XY plane. */
function rxy(theta: number, phi: number): ComplexMatrix {
  const c = Math.cos(phi / 2);
  const s = Math.sin(phi / 2);
  return fromRows([
    [c, [-s * Math.sin(theta), -s * Math.cos(theta)]],
    [[s * Math.sin(theta), -s * Math.cos(theta)], c],
  ]);
}

/**
 * Matrix of a short product of table gates on `k` local qubits, each step
 * `[name, params, positions]`, applied left to right in time. Used for the relative-phase gates
 * of qelib1.inc, which are *defined* by their decomposition.
 */
function composed(k: number, steps: ReadonlyArray<readonly [string, readonly number[], readonly number[]]>): ComplexMatrix {
  let m = identity(1 << k);
  for (const [name, params, pos] of steps) {
    const spec = GATES.get(name);
    if (!spec) throw new Error(`composed: unknown gate ${name}`);
    m = matmul(embed(spec.matrix(params), pos, k), m);
  }
  return m;
}

const PI = Math.PI;

interface GateInit {
  name: string;
  qubits: number;
  params?: string[];
  matrix: (p: readonly number[]) => ComplexMatrix;
  diagonal?: boolean;
  permutation?: boolean;
  controls?: number;
  qelib1?: boolean;
  aliases?: string[];
  doc: string;
}

const GATES = new Map<string, GateSpec>();
const ALIASES = new Map<string, GateSpec>();

function define(g: GateInit): void {
  const spec: GateSpec = Object.freeze({
    name: g.name,
    qubits: g.qubits,
    params: Object.freeze([...(g.params ?? [])]),
    matrix: g.matrix,
    diagonal: g.diagonal ?? false,
    permutation: g.permutation ?? false,
    controls: g.controls ?? 0,
    qelib1: g.qelib1 ?? false,
    aliases: Object.freeze([...(g.aliases ?? [])]),
    doc: g.doc,
  });
  if (GATES.has(spec.name) || ALIASES.has(spec.name)) throw new Error(`duplicate gate ${spec.name}`);
  GATES.set(spec.name, spec);
  ALIASES.set(spec.name, spec);
  for (const a of spec.aliases) {
    if (ALIASES.has(a)) throw new Error(`duplicate gate alias ${a}`);
    ALIASES.set(a, spec);
  }
}

const constant = (m: ComplexMatrix) => () => m;

// ---- one-qubit gates ----
define({ name: 'id', qubits: 1, matrix: constant(identity(2)), diagonal: true, qelib1: true, aliases: ['i', 'id1'], doc: 'Identity.' });
define({ name: 'u0', qubits: 1, params: ['gamma'], matrix: () => identity(2), diagonal: true, qelib1: true, doc: 'Identity (idle for gamma time units; qelib1 legacy).' });
define({ name: 'x', qubits: 1, matrix: constant(X), permutation: true, qelib1: true, doc: 'Pauli X (NOT).' });
define({ name: 'y', qubits: 1, matrix: constant(Y), qelib1: true, doc: 'Pauli Y.' });
define({ name: 'z', qubits: 1, matrix: constant(Z), diagonal: true, qelib1: true, doc: 'Pauli Z.' });
define({ name: 'h', qubits: 1, matrix: constant(H), qelib1: true, doc: 'Hadamard.' });
define({ name: 's', qubits: 1, matrix: constant(diagonal([1, [0, 1]])), diagonal: true, qelib1: true, doc: 'S = √Z = diag(1, i).' });
define({ name: 'sdg', qubits: 1, matrix: constant(diagonal([1, [0, -1]])), diagonal: true, qelib1: true, doc: 'S† = diag(1, −i).' });
define({ name: 't', qubits: 1, matrix: constant(diagonal([1, expi(PI / 4)])), diagonal: true, qelib1: true, doc: 'T = diag(1, e^{iπ/4}).' });
define({ name: 'tdg', qubits: 1, matrix: constant(diagonal([1, expi(-PI / 4)])), diagonal: true, qelib1: true, doc: 'T† = diag(1, e^{−iπ/4}).' });
define({ name: 'sx', qubits: 1, matrix: constant(SX), qelib1: true, aliases: ['x_1_2'], doc: '√X = [[1+i, 1−i], [1−i, 1+i]]/2 (qsim x_1_2).' });
define({ name: 'sxdg', qubits: 1, matrix: constant(SXDG), qelib1: true, doc: '√X† .' });
define({ name: 'sy', qubits: 1, matrix: constant(SY), aliases: ['y_1_2'], doc: '√Y = [[1+i, −1−i], [1+i, 1+i]]/2 (qsim y_1_2).' });
define({ name: 'sqrtw', qubits: 1, matrix: constant(SQRTW), aliases: ['hz_1_2'], doc: '√W, W = (X+Y)/√2: [[1+i, −i√2], [√2, 1+i]]/2 (qsim hz_1_2).' });
define({ name: 'rx', qubits: 1, params: ['theta'], matrix: (p) => rx(p[0]), qelib1: true, doc: 'exp(−iθX/2).' });
define({ name: 'ry', qubits: 1, params: ['theta'], matrix: (p) => ry(p[0]), qelib1: true, doc: 'exp(−iθY/2).' });
define({ name: 'rz', qubits: 1, params: ['phi'], matrix: (p) => rz(p[0]), diagonal: true, qelib1: true, doc: 'exp(−iφZ/2) = diag(e^{−iφ/2}, e^{iφ/2}).' });
define({ name: 'p', qubits: 1, params: ['lambda'], matrix: (p) => phase(p[0]), diagonal: true, qelib1: true, doc: 'Phase diag(1, e^{iλ}).' });
define({ name: 'u1', qubits: 1, params: ['lambda'], matrix: (p) => phase(p[0]), diagonal: true, qelib1: true, doc: 'Same as p(λ).' });
define({ name: 'u2', qubits: 1, params: ['phi', 'lambda'], matrix: (p) => u3(PI / 2, p[0], p[1]), qelib1: true, doc: 'U(π/2, φ, λ).' });
define({ name: 'u3', qubits: 1, params: ['theta', 'phi', 'lambda'], matrix: (p) => u3(p[0], p[1], p[2]), qelib1: true, aliases: ['U'], doc: 'U(θ, φ, λ) = [[cos θ/2, −e^{iλ} sin θ/2], [e^{iφ} sin θ/2, e^{i(φ+λ)} cos θ/2]].' });
define({ name: 'u', qubits: 1, params: ['theta', 'phi', 'lambda'], matrix: (p) => u3(p[0], p[1], p[2]), qelib1: true, doc: 'Same as u3.' });
define({ name: 'rxy', qubits: 1, params: ['theta', 'phi'], matrix: (p) => rxy(p[0], p[1]), doc: 'qsim rxy: rotation by φ about cos θ·X + sin θ·Y.' });

// ---- two-qubit gates ----
define({ name: 'cx', qubits: 2, matrix: constant(controlled(X)), permutation: true, controls: 1, qelib1: true, aliases: ['CX', 'cnot'], doc: 'Controlled X (control first).' });
define({ name: 'cy', qubits: 2, matrix: constant(controlled(Y)), controls: 1, qelib1: true, doc: 'Controlled Y.' });
define({ name: 'cz', qubits: 2, matrix: constant(controlled(Z)), diagonal: true, controls: 1, qelib1: true, doc: 'Controlled Z (symmetric).' });
define({ name: 'ch', qubits: 2, matrix: constant(controlled(H)), controls: 1, qelib1: true, doc: 'Controlled Hadamard.' });
define({ name: 'csx', qubits: 2, matrix: constant(controlled(SX)), controls: 1, qelib1: true, doc: 'Controlled √X.' });
define({ name: 'swap', qubits: 2, matrix: constant(SWAP), permutation: true, qelib1: true, aliases: ['sw'], doc: 'Exchanges two qubits.' });
define({ name: 'crx', qubits: 2, params: ['lambda'], matrix: (p) => controlled(rx(p[0])), controls: 1, qelib1: true, doc: 'Controlled rx.' });
define({ name: 'cry', qubits: 2, params: ['lambda'], matrix: (p) => controlled(ry(p[0])), controls: 1, qelib1: true, doc: 'Controlled ry.' });
define({ name: 'crz', qubits: 2, params: ['lambda'], matrix: (p) => controlled(rz(p[0])), diagonal: true, controls: 1, qelib1: true, doc: 'Controlled rz.' });
define({ name: 'cp', qubits: 2, params: ['lambda'], matrix: (p) => controlled(phase(p[0])), diagonal: true, controls: 1, qelib1: true, doc: 'Controlled phase diag(1,1,1,e^{iλ}).' });
define({ name: 'cu1', qubits: 2, params: ['lambda'], matrix: (p) => controlled(phase(p[0])), diagonal: true, controls: 1, qelib1: true, doc: 'Same as cp(λ).' });
define({ name: 'cu3', qubits: 2, params: ['theta', 'phi', 'lambda'], matrix: (p) => controlled(u3(p[0], p[1], p[2])), controls: 1, qelib1: true, doc: 'Controlled U(θ, φ, λ).' });
define({
  name: 'cu',
  qubits: 2,
  params: ['theta', 'phi', 'lambda', 'gamma'],
  matrix: (p) => controlled(scale(u3(p[0], p[1], p[2]), expi(p[3]))),
  controls: 1,
  qelib1: true,
  doc: 'Controlled e^{iγ}·U(θ, φ, λ).',
});
define({ name: 'rxx', qubits: 2, params: ['theta'], matrix: (p) => pauliRotation(kron(X, X), p[0]), qelib1: true, doc: 'exp(−iθ X⊗X/2).' });
define({ name: 'ryy', qubits: 2, params: ['theta'], matrix: (p) => pauliRotation(kron(Y, Y), p[0]), doc: 'exp(−iθ Y⊗Y/2).' });
define({ name: 'rzz', qubits: 2, params: ['theta'], matrix: (p) => pauliRotation(kron(Z, Z), p[0]), diagonal: true, qelib1: true, doc: 'exp(−iθ Z⊗Z/2).' });
define({
  name: 'iswap',
  qubits: 2,
  matrix: constant(fromRows([
    [1, 0, 0, 0],
    [0, 0, [0, 1], 0],
    [0, [0, 1], 0, 0],
    [0, 0, 0, 1],
  ])),
  aliases: ['is'],
  doc: 'iSWAP: |01⟩ → i|10⟩, |10⟩ → i|01⟩.',
});
define({ name: 'fsim', qubits: 2, params: ['theta', 'phi'], matrix: (p) => fsim(p[0], p[1]), aliases: ['fs'], doc: 'fSim(θ, φ) as in Cirq/qsim (Sycamore two-qubit gate).' });

// ---- three or more qubits ----
define({ name: 'ccx', qubits: 3, matrix: constant(controlled(X, 2)), permutation: true, controls: 2, qelib1: true, aliases: ['toffoli'], doc: 'Toffoli (two controls first).' });
define({ name: 'cswap', qubits: 3, matrix: constant(controlled(SWAP)), permutation: true, controls: 1, qelib1: true, aliases: ['fredkin'], doc: 'Controlled SWAP.' });
define({ name: 'c3x', qubits: 4, matrix: constant(controlled(X, 3)), permutation: true, controls: 3, qelib1: true, doc: 'Three-controlled X.' });
define({ name: 'c4x', qubits: 5, matrix: constant(controlled(X, 4)), permutation: true, controls: 4, qelib1: true, doc: 'Four-controlled X.' });

// Relative-phase gates are defined by their qelib1.inc decompositions (no closed form in Qiskit's docs).
const RCCX = composed(3, [
  ['u2', [0, PI], [2]], ['u1', [PI / 4], [2]], ['cx', [], [1, 2]], ['u1', [-PI / 4], [2]], ['cx', [], [0, 2]],
  ['u1', [PI / 4], [2]], ['cx', [], [1, 2]], ['u1', [-PI / 4], [2]], ['u2', [0, PI], [2]],
]);
define({ name: 'rccx', qubits: 3, matrix: constant(RCCX), qelib1: true, doc: 'Relative-phase Toffoli (Margolus), as defined in qelib1.inc.' });
const RC3X = composed(4, [
  ['u2', [0, PI], [3]], ['u1', [PI / 4], [3]], ['cx', [], [2, 3]], ['u1', [-PI / 4], [3]], ['u2', [0, PI], [3]],
  ['cx', [], [0, 3]], ['u1', [PI / 4], [3]], ['cx', [], [1, 3]], ['u1', [-PI / 4], [3]], ['cx', [], [0, 3]],
  ['u1', [PI / 4], [3]], ['cx', [], [1, 3]], ['u1', [-PI / 4], [3]], ['u2', [0, PI], [3]], ['u1', [PI / 4], [3]],
  ['cx', [], [2, 3]], ['u1', [-PI / 4], [3]], ['u2', [0, PI], [3]],
]);
define({ name: 'rc3x', qubits: 4, matrix: constant(RC3X), qelib1: true, doc: 'Relative-phase three-controlled X, as defined in qelib1.inc.' });
const C3SQRTX = composed(4, [
  ['h', [], [3]], ['cu1', [-PI / 8], [0, 3]], ['h', [], [3]], ['cx', [], [0, 1]], ['h', [], [3]], ['cu1', [PI / 8], [1, 3]],
  ['h', [], [3]], ['cx', [], [0, 1]], ['h', [], [3]], ['cu1', [-PI / 8], [1, 3]], ['h', [], [3]], ['cx', [], [1, 2]],
  ['h', [], [3]], ['cu1', [PI / 8], [2, 3]], ['h', [], [3]], ['cx', [], [0, 2]], ['h', [], [3]], ['cu1', [-PI / 8], [2, 3]],
  ['h', [], [3]], ['cx', [], [1, 2]], ['h', [], [3]], ['cu1', [PI / 8], [2, 3]], ['h', [], [3]], ['cx', [], [0, 2]],
  ['h', [], [3]], ['cu1', [-PI / 8], [2, 3]], ['h', [], [3]],
]);
define({ name: 'c3sqrtx', qubits: 4, matrix: constant(C3SQRTX), controls: 3, qelib1: true, doc: 'Three-controlled √X, as defined in qelib1.inc.' });

/** Looks a gate up by canonical name or alias (`CX`, `U`, `cnot`, qsim names …). */
export function lookupGate(name: string): GateSpec | undefined {
  return ALIASES.get(name);
}

/** The gate by canonical name or alias; throws with the list of known gates if missing. */
export function getGate(name: string): GateSpec {
  const g = ALIASES.get(name);
  if (!g) throw new Error(`unknown gate '${name}'`);
  return g;
}

/** Every gate of the table, in definition order. */
export function allGates(): readonly GateSpec[] {
  return [...GATES.values()];
}
