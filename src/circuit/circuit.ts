/**
 * The circuit model: registers, operations and a fluent builder.
 *
 * Qubits and classical bits are numbered globally: qubit 0 is the first qubit of the first
 * declared quantum register, and so on in declaration order (docs/conventions.md).
 */
import { type ComplexMatrix, isUnitary, matrixDim } from './matrix.js';
import { type GateSpec, getGate } from './gates.js';

/** A named register occupying `size` consecutive global indices from `offset`. */
export interface Register {
  readonly name: string;
  readonly size: number;
  readonly offset: number;
}

/**
 * Classical condition `if (register == value)`: the operation runs when the bits, read with
 * `clbits[0]` as the least significant bit, equal `value`.
 */
export interface Condition {
  readonly register: string;
  readonly clbits: readonly number[];
  readonly value: number;
}

/** Where an operation came from in a source file, for error messages. */
export interface SourceLocation {
  readonly line: number;
  readonly column: number;
}

/** A unitary gate from the table, or an explicit `unitary` matrix. */
export interface GateOperation {
  readonly kind: 'gate';
  /** Canonical gate-table name, or `'unitary'` for an explicit matrix. */
  readonly name: string;
  readonly qubits: readonly number[];
  readonly params: readonly number[];
  /** Only for `name === 'unitary'`: the matrix (first listed qubit most significant). */
  readonly matrix?: ComplexMatrix;
  /** Optional label for an explicit unitary (kept by writers as a comment). */
  readonly label?: string;
  readonly condition?: Condition;
  readonly loc?: SourceLocation;
}

export interface MeasureOperation {
  readonly kind: 'measure';
  readonly qubit: number;
  readonly clbit: number;
  readonly condition?: Condition;
  readonly loc?: SourceLocation;
}

export interface ResetOperation {
  readonly kind: 'reset';
  readonly qubit: number;
  readonly condition?: Condition;
  readonly loc?: SourceLocation;
}

export interface BarrierOperation {
  readonly kind: 'barrier';
  readonly qubits: readonly number[];
  readonly loc?: SourceLocation;
}

export type Operation = GateOperation | MeasureOperation | ResetOperation | BarrierOperation;

/** Options accepted by the builder's gate methods. */
export interface GateOptions {
  readonly condition?: Condition;
  readonly loc?: SourceLocation;
}

/**
 * A quantum circuit. Build it fluently:
 * ```ts
 * const c = new Circuit(3).h(0).cx(0, 1).rz(0.3, 2);
 * ```
 * or with explicit registers (`addQreg`, `addCreg`) as an OpenQASM reader does.
 */
export class Circuit {
  private readonly _qregs: Register[] = [];
  private readonly _cregs: Register[] = [];
  private readonly _ops: Operation[] = [];
  private _numQubits = 0;
  private _numClbits = 0;

  /**
   * @param qubits number of qubits of a default register `q` (0 for none: add registers later)
   * @param clbits number of classical bits of a default register `c`
   */
  constructor(qubits = 0, clbits = 0) {
    if (qubits > 0) this.addQreg('q', qubits);
    if (clbits > 0) this.addCreg('c', clbits);
  }

  get numQubits(): number {
    return this._numQubits;
  }
  get numClbits(): number {
    return this._numClbits;
  }
  get qregs(): readonly Register[] {
    return this._qregs;
  }
  get cregs(): readonly Register[] {
    return this._cregs;
  }
  get operations(): readonly Operation[] {
    return this._ops;
  }

  /** Adds a quantum register after the existing ones and returns it. */
  addQreg(name: string, size: number): Register {
    checkRegister(name, size, this._qregs, this._cregs);
    const r = { name, size, offset: this._numQubits };
    this._qregs.push(r);
    this._numQubits += size;
    return r;
  }

  /** Adds a classical register after the existing ones and returns it. */
  addCreg(name: string, size: number): Register {
    checkRegister(name, size, this._cregs, this._qregs);
    const r = { name, size, offset: this._numClbits };
    this._cregs.push(r);
    this._numClbits += size;
    return r;
  }

  /** Condition `if (name == value)` on a classical register of this circuit. */
  condition(register: string, value: number): Condition {
    const r = this._cregs.find((c) => c.name === register);
    if (!r) throw new Error(`unknown classical register '${register}'`);
    if (!Number.isInteger(value) || value < 0) throw new Error(`condition value must be a non-negative integer`);
    return { register, clbits: Array.from({ length: r.size }, (_, i) => r.offset + i), value };
  }

  /** Appends any operation after validating its indices. */
  append(op: Operation): this {
    switch (op.kind) {
      case 'gate': {
        const arity = op.name === 'unitary' ? unitaryArity(op.matrix) : getGate(op.name).qubits;
        if (op.qubits.length !== arity) throw new Error(`gate '${op.name}' acts on ${arity} qubit(s), got ${op.qubits.length}`);
        if (op.name !== 'unitary') {
          const g = getGate(op.name);
          if (op.params.length !== g.params.length)
            throw new Error(`gate '${op.name}' takes ${g.params.length} parameter(s), got ${op.params.length}`);
          if (g.name !== op.name) op = { ...op, name: g.name };
        }
        for (const p of op.params) if (!Number.isFinite(p)) throw new Error(`gate '${op.name}': parameter is not a finite number`);
        this.checkQubits(op.qubits);
        break;
      }
      case 'measure':
        this.checkQubits([op.qubit]);
        if (!Number.isInteger(op.clbit) || op.clbit < 0 || op.clbit >= this._numClbits)
          throw new Error(`classical bit ${op.clbit} out of range (circuit has ${this._numClbits})`);
        break;
      case 'reset':
        this.checkQubits([op.qubit]);
        break;
      case 'barrier':
        this.checkQubits(op.qubits);
        break;
    }
    if ('condition' in op && op.condition) {
      for (const b of op.condition.clbits)
        if (b < 0 || b >= this._numClbits) throw new Error(`condition bit ${b} out of range`);
    }
    this._ops.push(op);
    return this;
  }

  /** Appends a table gate by name (canonical or alias). */
  gate(name: string, qubits: readonly number[], params: readonly number[] = [], options: GateOptions = {}): this {
    return this.append({ kind: 'gate', name, qubits: [...qubits], params: [...params], ...options });
  }

  /** Appends an explicit unitary matrix (interleaved complex, first listed qubit most significant). */
  unitary(matrix: ComplexMatrix, qubits: readonly number[], label?: string, options: GateOptions = {}): this {
    if (!isUnitary(matrix, 1e-8)) throw new Error('unitary: matrix is not unitary');
    return this.append({ kind: 'gate', name: 'unitary', qubits: [...qubits], params: [], matrix, ...(label ? { label } : {}), ...options });
  }

  measure(qubit: number, clbit: number, options: GateOptions = {}): this {
    return this.append({ kind: 'measure', qubit, clbit, ...options });
  }
  /** Measures every qubit into the classical bit of the same index, adding a register `c` if none. */
  measureAll(): this {
    if (this._numClbits === 0) this.addCreg('c', this._numQubits);
    if (this._numClbits < this._numQubits) throw new Error('measureAll: fewer classical bits than qubits');
    for (let q = 0; q < this._numQubits; q++) this.measure(q, q);
    return this;
  }
  reset(qubit: number, options: GateOptions = {}): this {
    return this.append({ kind: 'reset', qubit, ...options });
  }
  barrier(...qubits: number[]): this {
    return this.append({ kind: 'barrier', qubits: qubits.length ? qubits : Array.from({ length: this._numQubits }, (_, i) => i) });
  }

  // One-qubit gates.
  id(q: number): this { return this.gate('id', [q]); }
  x(q: number): this { return this.gate('x', [q]); }
  y(q: number): this { return this.gate('y', [q]); }
  z(q: number): this { return this.gate('z', [q]); }
  h(q: number): this { return this.gate('h', [q]); }
  s(q: number): this { return this.gate('s', [q]); }
  sdg(q: number): this { return this.gate('sdg', [q]); }
  t(q: number): this { return this.gate('t', [q]); }
  tdg(q: number): this { return this.gate('tdg', [q]); }
  sx(q: number): this { return this.gate('sx', [q]); }
  sxdg(q: number): this { return this.gate('sxdg', [q]); }
  sy(q: number): this { return this.gate('sy', [q]); }
  sqrtw(q: number): this { return this.gate('sqrtw', [q]); }
  rx(theta: number, q: number): this { return this.gate('rx', [q], [theta]); }
  ry(theta: number, q: number): this { return this.gate('ry', [q], [theta]); }
  rz(phi: number, q: number): this { return this.gate('rz', [q], [phi]); }
  p(lambda: number, q: number): this { return this.gate('p', [q], [lambda]); }
  u(theta: number, phi: number, lambda: number, q: number): this { return this.gate('u3', [q], [theta, phi, lambda]); }
  // Two-qubit gates.
  cx(control: number, target: number): this { return this.gate('cx', [control, target]); }
  cy(control: number, target: number): this { return this.gate('cy', [control, target]); }
  cz(a: number, b: number): this { return this.gate('cz', [a, b]); }
  ch(control: number, target: number): this { return this.gate('ch', [control, target]); }
  swap(a: number, b: number): this { return this.gate('swap', [a, b]); }
  iswap(a: number, b: number): this { return this.gate('iswap', [a, b]); }
  cp(lambda: number, control: number, target: number): this { return this.gate('cp', [control, target], [lambda]); }
  crx(theta: number, control: number, target: number): this { return this.gate('crx', [control, target], [theta]); }
  cry(theta: number, control: number, target: number): this { return this.gate('cry', [control, target], [theta]); }
  crz(theta: number, control: number, target: number): this { return this.gate('crz', [control, target], [theta]); }
  rxx(theta: number, a: number, b: number): this { return this.gate('rxx', [a, b], [theta]); }
  ryy(theta: number, a: number, b: number): this { return this.gate('ryy', [a, b], [theta]); }
  rzz(theta: number, a: number, b: number): this { return this.gate('rzz', [a, b], [theta]); }
  fsim(theta: number, phi: number, a: number, b: number): this { return this.gate('fsim', [a, b], [theta, phi]); }
  // Three-qubit gates.
  ccx(c1: number, c2: number, target: number): this { return this.gate('ccx', [c1, c2, target]); }
  cswap(control: number, a: number, b: number): this { return this.gate('cswap', [control, a, b]); }

  /** Gate operations only, in order (measurements, resets and barriers dropped). */
  gates(): GateOperation[] {
    return this._ops.filter((o): o is GateOperation => o.kind === 'gate');
  }

  /** True when the circuit is a pure unitary (no measure/reset/condition): one state vector suffices. */
  isUnitary(): boolean {
    return this._ops.every((o) => o.kind === 'barrier' || (o.kind === 'gate' && !o.condition));
  }

  /** True when every measurement comes after all gates/resets/conditions on every qubit (terminal). */
  hasOnlyTerminalMeasurements(): boolean {
    const measured = new Set<number>();
    for (const o of this._ops) {
      if (o.kind === 'barrier') continue;
      if (o.kind === 'measure') {
        if (o.condition) return false;
        measured.add(o.qubit);
        continue;
      }
      if (o.kind === 'reset' || o.condition) return false;
      if (o.qubits.some((q) => measured.has(q))) return false;
    }
    return true;
  }

  /** A deep copy (operations are immutable and shared). */
  clone(): Circuit {
    const c = new Circuit();
    for (const r of this._qregs) c.addQreg(r.name, r.size);
    for (const r of this._cregs) c.addCreg(r.name, r.size);
    for (const o of this._ops) c._ops.push(o);
    return c;
  }

  /** The matrix of a gate operation. */
  static matrixOf(op: GateOperation): ComplexMatrix {
    if (op.name === 'unitary') {
      if (!op.matrix) throw new Error('unitary operation without a matrix');
      return op.matrix;
    }
    return getGate(op.name).matrix(op.params);
  }

  /** The table entry of a gate operation (undefined for explicit unitaries). */
  static specOf(op: GateOperation): GateSpec | undefined {
    return op.name === 'unitary' ? undefined : getGate(op.name);
  }

  private checkQubits(qubits: readonly number[]): void {
    const seen = new Set<number>();
    for (const q of qubits) {
      if (!Number.isInteger(q) || q < 0 || q >= this._numQubits)
        throw new Error(`qubit ${q} out of range (circuit has ${this._numQubits})`);
      if (seen.has(q)) throw new Error(`qubit ${q} used twice in one operation`);
      seen.add(q);
    }
  }
}

function unitaryArity(m: ComplexMatrix | undefined): number {
  if (!m) throw new Error('unitary gate without a matrix');
  const d = matrixDim(m);
  const k = Math.log2(d);
  if (!Number.isInteger(k) || k < 1) throw new Error('unitary matrix dimension must be a power of two ≥ 2');
  return k;
}

function checkRegister(name: string, size: number, same: Register[], other: Register[]): void {
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) throw new Error(`invalid register name '${name}'`);
  if (!Number.isInteger(size) || size <= 0) throw new Error(`register '${name}' must have a positive integer size`);
  if (same.some((r) => r.name === name) || other.some((r) => r.name === name)) throw new Error(`register '${name}' already declared`);
}
