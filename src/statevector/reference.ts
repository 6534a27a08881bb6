/**
 * The reference state-vector simulator: the oracle every other engine is tested against.
 *
 * Deliberately plain: complex128 amplitudes in one interleaved `Float64Array`, every gate applied
 * as its full matrix from the gate table through a generic k-qubit gather / multiply / scatter
 * loop. No fusion, no special cases, no tricks.
 *
 * Index convention (docs/conventions.md): qubit 0 is the MOST significant bit of a state index,
 * i.e. qubit q is bit `n-1-q`; a gate matrix's first listed qubit is its most significant bit.
 *
 * Circuits whose measurements are all terminal run once; the state before measurement gives
 * amplitudes, probabilities and expectations, and shots are sampled from it. Circuits with
 * mid-circuit measurement, reset or classical conditions run one trajectory per shot with random
 * outcomes; their amplitudes / probabilities / state vector / expectations describe the final
 * state of the last seeded trajectory (with no shots: of one trajectory).
 */
import { Circuit, type Operation } from '../circuit/circuit.js';
import type { PauliSum, SimulationRequest, SimulationResult } from '../engine/types.js';
import { ResourceError } from '../formats/errors.js';
import { Rng, randomSeed } from './rng.js';

/** Memory limit used when a request gives none (the CLI passes one derived from the machine). */
export const DEFAULT_MEMORY_LIMIT_BYTES = 4 * 1024 ** 3;

/** Human-readable size: `17592186044416 bytes (16 TiB)`. */
export function formatBytes(bytes: number): string {
  const units = ['bytes', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB', 'EiB'];
  let v = bytes;
  let u = 0;
  while (v >= 1024 && u < units.length - 1) {
    v /= 1024;
    u++;
  }
  const exact = Number.isSafeInteger(bytes) ? String(bytes) : bytes.toExponential(3);
  return u === 0 ? `${exact} bytes` : `${exact} bytes (${Number(v.toPrecision(3))} ${units[u]})`;
}

/**
 * Bytes the reference simulator needs for a request: the state (16·2^n), plus one table of
 * 8·2^n for returned probabilities and one for sampling shots.
 */
export function referenceBytes(numQubits: number, request: SimulationRequest = {}): number {
  const dim = 2 ** numQubits;
  return 16 * dim + (request.probabilities ? 8 * dim : 0) + ((request.shots ?? 0) > 0 ? 8 * dim : 0);
}

/** Throws ResourceError, before anything is allocated, when the request does not fit. */
export function checkReferenceMemory(numQubits: number, request: SimulationRequest = {}): void {
  const bytes = referenceBytes(numQubits, request);
  const limit = request.memoryLimitBytes ?? DEFAULT_MEMORY_LIMIT_BYTES;
  // Typed arrays also stop at 2^32 elements in current engines.
  if (bytes > limit || 2 * 2 ** numQubits > 2 ** 32) {
    throw new ResourceError(
      `a ${numQubits}-qubit state vector (complex128) needs ${formatBytes(bytes)}, more than the ${formatBytes(Math.min(limit, 2 ** 35))} available to the reference simulator`,
      bytes,
    );
  }
}

/** |0…0⟩ on n qubits. */
export function zeroState(numQubits: number): Float64Array {
  const s = new Float64Array(2 * 2 ** numQubits);
  s[0] = 1;
  return s;
}

/**
 * Applies a 2^k × 2^k matrix (interleaved complex, row-major, first listed qubit most
 * significant) to `qubits` of an n-qubit state, in place.
 */
export function applyMatrix(state: Float64Array, numQubits: number, matrix: Float64Array, qubits: readonly number[]): void {
  const k = qubits.length;
  const dim = 1 << k;
  if (matrix.length !== 2 * dim * dim) throw new Error(`matrix size ${matrix.length / 2} does not fit ${k} qubit(s)`);
  // offsets[j]: how far local basis state j of the gate's qubits moves the global index.
  const offsets = new Array<number>(dim).fill(0);
  for (let a = 0; a < k; a++) {
    const bit = 2 ** (numQubits - 1 - qubits[a]);
    for (let j = 0; j < dim; j++) if ((j >> (k - 1 - a)) & 1) offsets[j] += bit;
  }
  // Bit positions of the targets, ascending, for inserting zero bits into a group counter.
  const lowMasks = qubits.map((q) => 2 ** (numQubits - 1 - q) - 1).sort((x, y) => x - y);
  const re = new Float64Array(dim);
  const im = new Float64Array(dim);
  const groups = 2 ** (numQubits - k);
  for (let g = 0; g < groups; g++) {
    // base = g with a 0 inserted at every target position: the group's all-zero member.
    let base = g;
    for (let a = 0; a < k; a++) {
      const low = base & lowMasks[a]; // indices stay below 2^31, so & is exact
      base = (base - low) * 2 + low;
    }
    for (let j = 0; j < dim; j++) {
      const p = 2 * (base + offsets[j]);
      re[j] = state[p];
      im[j] = state[p + 1];
    }
    for (let r = 0; r < dim; r++) {
      let sr = 0;
      let si = 0;
      for (let c = 0; c < dim; c++) {
        const m = 2 * (r * dim + c);
        sr += matrix[m] * re[c] - matrix[m + 1] * im[c];
        si += matrix[m] * im[c] + matrix[m + 1] * re[c];
      }
      const p = 2 * (base + offsets[r]);
      state[p] = sr;
      state[p + 1] = si;
    }
  }
}

/** 1 when qubit q is |1⟩ in basis state `index` of an n-qubit register. */
function bitOf(index: number, numQubits: number, q: number): number {
  return Math.floor(index / 2 ** (numQubits - 1 - q)) % 2;
}

/** |amplitude|² of every basis state. */
export function probabilitiesOf(state: Float64Array): Float64Array {
  const p = new Float64Array(state.length / 2);
  for (let i = 0; i < p.length; i++) p[i] = state[2 * i] * state[2 * i] + state[2 * i + 1] * state[2 * i + 1];
  return p;
}

/** Σ |amplitude|² (1 for a normalized state). */
export function normOf(state: Float64Array): number {
  let s = 0;
  for (let i = 0; i < state.length; i++) s += state[i] * state[i];
  return s;
}

/**
 * Measures qubit q: picks an outcome with its Born probability (using `u` ∈ [0,1)), collapses
 * and renormalizes the state, and returns the outcome.
 */
export function measureQubit(state: Float64Array, numQubits: number, q: number, u: number): 0 | 1 {
  const size = state.length / 2;
  let p1 = 0;
  for (let i = 0; i < size; i++) if (bitOf(i, numQubits, q)) p1 += state[2 * i] ** 2 + state[2 * i + 1] ** 2;
  const total = normOf(state);
  const outcome: 0 | 1 = u * total < p1 ? 1 : 0;
  const kept = outcome ? p1 : total - p1;
  const scale = 1 / Math.sqrt(kept);
  for (let i = 0; i < size; i++) {
    if (bitOf(i, numQubits, q) === outcome) {
      state[2 * i] *= scale;
      state[2 * i + 1] *= scale;
    } else {
      state[2 * i] = 0;
      state[2 * i + 1] = 0;
    }
  }
  return outcome;
}

/** Puts qubit q into |0⟩ by measuring it and flipping a |1⟩ outcome. */
export function resetQubit(state: Float64Array, numQubits: number, q: number, u: number): void {
  if (measureQubit(state, numQubits, q, u) === 0) return;
  const size = state.length / 2;
  const bit = 2 ** (numQubits - 1 - q);
  for (let i = 0; i < size; i++) {
    if (bitOf(i, numQubits, q)) {
      const j = i - bit;
      state[2 * j] = state[2 * i];
      state[2 * j + 1] = state[2 * i + 1];
      state[2 * i] = 0;
      state[2 * i + 1] = 0;
    }
  }
}

/** ⟨ψ|O|ψ⟩ for a Pauli sum (real, since O is Hermitian). */
export function expectationOf(state: Float64Array, numQubits: number, observable: PauliSum): number {
  const size = state.length / 2;
  let total = 0;
  for (const term of observable.terms) {
    for (const f of term.factors)
      if (!Number.isInteger(f.qubit) || f.qubit < 0 || f.qubit >= numQubits)
        throw new RangeError(`observable acts on qubit ${f.qubit}, but the circuit has ${numQubits} qubit(s)`);
    // P|i⟩ = phase(i)·|flip(i)⟩, so ⟨ψ|P|ψ⟩ = Σ_i conj(ψ[flip(i)]) · phase(i) · ψ[i].
    let sr = 0;
    let si = 0;
    for (let i = 0; i < size; i++) {
      let j = i;
      let pr = 1;
      let pi = 0;
      for (const f of term.factors) {
        const b = bitOf(i, numQubits, f.qubit);
        const w = 2 ** (numQubits - 1 - f.qubit);
        if (f.pauli !== 'Z') j += b ? -w : w; // X and Y flip the bit
        let fr = 1;
        let fi = 0;
        if (f.pauli === 'Z') fr = b ? -1 : 1;
        else if (f.pauli === 'Y') {
          // Y|0⟩ = i|1⟩, Y|1⟩ = −i|0⟩
          fr = 0;
          fi = b ? -1 : 1;
        }
        const nr = pr * fr - pi * fi;
        pi = pr * fi + pi * fr;
        pr = nr;
      }
      const ar = state[2 * i];
      const ai = state[2 * i + 1];
      const vr = pr * ar - pi * ai;
      const vi = pr * ai + pi * ar;
      const br = state[2 * j];
      const bi = -state[2 * j + 1];
      sr += br * vr - bi * vi;
      si += br * vi + bi * vr;
    }
    void si; // imaginary part cancels for Hermitian terms
    total += term.coefficient * sr;
  }
  return total;
}

/** Reads a bitstring (qubit 0 leftmost) as a state index, or throws naming what is wrong. */
export function bitstringIndex(bits: string, numQubits: number): number {
  if (bits.length !== numQubits) throw new RangeError(`bitstring '${bits}' has ${bits.length} bit(s); the circuit has ${numQubits} qubit(s)`);
  if (!/^[01]*$/.test(bits)) throw new RangeError(`bitstring '${bits}' may contain only 0 and 1`);
  let index = 0;
  for (let q = 0; q < numQubits; q++) index = index * 2 + (bits.charCodeAt(q) - 48);
  return index;
}

/** The bitstring (qubit 0 leftmost) of a state index. */
export function indexBitstring(index: number, numQubits: number): string {
  let s = '';
  for (let q = 0; q < numQubits; q++) s += bitOf(index, numQubits, q) ? '1' : '0';
  return s;
}

function conditionHolds(op: Operation, clbits: Uint8Array): boolean {
  if (op.kind === 'barrier' || !op.condition) return true;
  let value = 0;
  op.condition.clbits.forEach((b, i) => {
    value += clbits[b] * 2 ** i;
  });
  return value === op.condition.value;
}

/**
 * Runs every operation on `state` in place. Measurements and resets draw from `rng`; with
 * `skipMeasurements` (terminal-measurement circuits) measurements are left out.
 */
function evolve(circuit: Circuit, state: Float64Array, clbits: Uint8Array, rng: Rng | undefined, skipMeasurements: boolean): void {
  const n = circuit.numQubits;
  for (const op of circuit.operations) {
    if (op.kind === 'barrier') continue;
    if (!conditionHolds(op, clbits)) continue;
    if (op.kind === 'gate') applyMatrix(state, n, Circuit.matrixOf(op), op.qubits);
    else if (op.kind === 'measure') {
      if (skipMeasurements) continue;
      clbits[op.clbit] = measureQubit(state, n, op.qubit, rng!.random());
    } else resetQubit(state, n, op.qubit, rng!.random());
  }
}

/** The state a unitary circuit prepares from |0…0⟩ (measurements, if any, are ignored). */
export function simulateStatevector(circuit: Circuit, request: SimulationRequest = {}): Float64Array {
  if (circuit.operations.some((o) => o.kind === 'reset' || (o.kind !== 'barrier' && o.condition)))
    throw new Error('simulateStatevector: the circuit has resets or conditions; use runReference with shots');
  checkReferenceMemory(circuit.numQubits, request);
  const state = zeroState(circuit.numQubits);
  evolve(circuit, state, new Uint8Array(circuit.numClbits), undefined, true);
  return state;
}

function clbitKey(clbits: Uint8Array): string {
  let s = '';
  for (let i = 0; i < clbits.length; i++) s += clbits[i] ? '1' : '0';
  return s;
}

/** Index drawn from a cumulative distribution by binary search. */
function sampleIndex(cumulative: Float64Array, u: number): number {
  const target = u * cumulative[cumulative.length - 1];
  let lo = 0;
  let hi = cumulative.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (cumulative[mid] > target) hi = mid;
    else lo = mid + 1;
  }
  // Skip zero-probability states that share the same cumulative value.
  return lo;
}

/** Counts as a record, inserted in key order (JS still lists integer-like keys first; printers sort). */
function sortedCounts(counts: Map<string, number>): Record<string, number> {
  const out: Record<string, number> = {};
  for (const k of [...counts.keys()].sort()) out[k] = counts.get(k)!;
  return out;
}

/**
 * Runs a circuit on the reference simulator and returns what the request asks for.
 * @throws ResourceError before allocating when the state does not fit `memoryLimitBytes`
 * @throws RangeError for malformed bitstrings or observables on missing qubits
 */
export function runReference(circuit: Circuit, request: SimulationRequest = {}): SimulationResult {
  const n = circuit.numQubits;
  if (n < 1) throw new Error('the circuit has no qubits');
  checkReferenceMemory(n, request);
  const amplitudeIndices = (request.amplitudes ?? []).map((b) => [b, bitstringIndex(b, n)] as const);
  for (const o of request.observables ?? []) for (const t of o.terms) for (const f of t.factors)
    if (f.qubit >= n) throw new RangeError(`observable acts on qubit ${f.qubit}, but the circuit has ${n} qubit(s)`);
  const shots = request.shots ?? 0;
  if (!Number.isSafeInteger(shots) || shots < 0) throw new RangeError(`shots must be a non-negative integer, got ${shots}`);
  const rng = new Rng(request.seed ?? randomSeed());
  const hasMeasure = circuit.operations.some((o) => o.kind === 'measure');
  const terminal = circuit.hasOnlyTerminalMeasurements();

  const clbits = new Uint8Array(circuit.numClbits);
  const state = zeroState(n);
  let counts: Record<string, number> | undefined;

  if (terminal) {
    evolve(circuit, state, clbits, undefined, true);
    if (shots > 0) {
      const probs = probabilitiesOf(state);
      const cumulative = probs; // reuse the table in place as a running sum
      for (let i = 1; i < cumulative.length; i++) cumulative[i] += cumulative[i - 1];
      const measures = circuit.operations.filter((o) => o.kind === 'measure');
      const tally = new Map<string, number>();
      for (let s = 0; s < shots; s++) {
        const index = sampleIndex(cumulative, rng.random());
        let key: string;
        if (hasMeasure) {
          clbits.fill(0);
          for (const m of measures) if (m.kind === 'measure') clbits[m.clbit] = bitOf(index, n, m.qubit);
          key = clbitKey(clbits);
        } else key = indexBitstring(index, n);
        tally.set(key, (tally.get(key) ?? 0) + 1);
      }
      counts = sortedCounts(tally);
    }
  } else {
    // One trajectory per shot; the last trajectory's final state answers state-based outputs.
    const tally = new Map<string, number>();
    const runs = Math.max(1, shots);
    for (let s = 0; s < runs; s++) {
      if (s > 0) {
        state.fill(0);
        state[0] = 1;
      }
      clbits.fill(0);
      evolve(circuit, state, clbits, rng, false);
      if (shots > 0) {
        // Without any measure, a shot samples every qubit of the trajectory's final state.
        const key = hasMeasure ? clbitKey(clbits) : indexBitstring(sampleIndex(cumulativeOf(state), rng.random()), n);
        tally.set(key, (tally.get(key) ?? 0) + 1);
      }
    }
    if (shots > 0) counts = sortedCounts(tally);
  }

  const result: {
    qubits: number;
    engine: string;
    amplitudes?: Record<string, readonly [number, number]>;
    probabilities?: Float64Array;
    counts?: Record<string, number>;
    statevector?: Float64Array;
    expectations?: number[];
  } = { qubits: n, engine: 'reference' };
  if (amplitudeIndices.length) {
    result.amplitudes = {};
    for (const [b, i] of amplitudeIndices) result.amplitudes[b] = [state[2 * i], state[2 * i + 1]];
  }
  if (request.probabilities) result.probabilities = probabilitiesOf(state);
  if (counts) result.counts = counts;
  if (request.statevector) result.statevector = state;
  if (request.observables?.length) result.expectations = request.observables.map((o) => expectationOf(state, n, o));
  return result;
}

function cumulativeOf(state: Float64Array): Float64Array {
  const c = probabilitiesOf(state);
  for (let i = 1; i < c.length; i++) c[i] += c[i - 1];
  return c;
}
