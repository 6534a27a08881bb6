/**
 * Tensor-network API: amplitudes, pattern batches and Pauli expectations of circuits, by
 * building a network, simplifying it, finding a (greedy or given) path and contracting it.
 */
import type { Circuit } from '../circuit/circuit.js';
import { greedyPath } from '../contraction/greedy.js';
import { checkPlan } from '../contraction/plan.js';
import type { ContractionPlan, SsaPath } from '../contraction/types.js';
import type { PauliSum } from '../engine/types.js';
import { ResourceError } from '../formats/errors.js';
import { type ExecuteStats, contractSlices, planExecution, sliceCount } from './execute.js';
import { circuitNetwork, expectationNetwork, parsePattern, type QubitOperator } from './from-circuit.js';
import { simplifyNetwork, type SimplifyReport } from './simplify.js';
import { type TensorNetwork, toProblem } from './types.js';

/** Options shared by the tensor-network API functions. */
export interface TensorOptions {
  /** 'double' (complex128, default) or 'single' (complex64). */
  readonly precision?: 'single' | 'double';
  /** Peak working memory per slice, in bytes (default 4 GiB). */
  readonly memoryLimitBytes?: number;
  /** Refuse paths whose largest intermediate exceeds 2^maxWidth elements. */
  readonly maxWidth?: number;
  /** Run the simplification passes (default true; plans are made for simplified networks). */
  readonly simplify?: boolean;
  /** A precomputed plan for the network (its fingerprint is checked). */
  readonly plan?: ContractionPlan;
  /** Kernel backend ('js', 'wasm-simd'); default best available. */
  readonly backend?: string;
  /** Accumulates FLOPs and seconds. */
  readonly stats?: ExecuteStats;
  /** Called with the network's size before and after simplification, once per network built. */
  readonly onSimplify?: (report: SimplifyReport) => void;
}

/** Default memory limit of the tensor engine: 4 GiB. */
export const DEFAULT_TENSOR_MEMORY = 4 * 1024 ** 3;

/**
 * The (simplified) network of ⟨pattern|C|0…0⟩ that plans are made for: `taizhang plan` and
 * the executors must build networks through this function so fingerprints agree.
 */
export function amplitudeNetwork(circuit: Circuit, pattern: string, simplify = true, onSimplify?: (report: SimplifyReport) => void): TensorNetwork {
  const net = circuitNetwork(circuit, pattern);
  return simplify ? simplified(net, onSimplify) : net;
}

/** `simplifyNetwork(net).network`, reporting sizes to `onSimplify`. */
function simplified(net: TensorNetwork, onSimplify?: (report: SimplifyReport) => void): TensorNetwork {
  const { network, ...report } = simplifyNetwork(net);
  onSimplify?.(report);
  return network;
}

/** Contracts `net` with a plan (checked) or a greedy path; returns the complex128 result. */
export function contract(net: TensorNetwork, options: TensorOptions = {}): Float64Array {
  const problem = toProblem(net);
  let path: SsaPath;
  let sliced: readonly number[] = [];
  if (options.plan) {
    checkPlan(options.plan, problem);
    path = options.plan.path;
    sliced = options.plan.sliced;
  } else {
    path = greedyPath(problem);
  }
  const dtype = options.precision === 'single' ? 'complex64' : 'complex128';
  const exec = planExecution(net, path, sliced, dtype);
  if (options.maxWidth !== undefined && exec.width > options.maxWidth + 1e-9)
    throw new ResourceError(
      `contraction path has width ${exec.width.toFixed(1)} (largest intermediate 2^${Math.ceil(exec.width)} elements), over --max-width ${options.maxWidth}; ` +
        'make a sliced plan with `taizhang plan --max-width` and pass it with --plan',
    );
  return contractSlices(net, { path, sliced }, { start: 0, end: sliceCount(net, sliced) }, {
    memoryLimitBytes: options.memoryLimitBytes ?? DEFAULT_TENSOR_MEMORY,
    ...(options.precision ? { precision: options.precision } : {}),
    ...(options.backend ? { backend: options.backend } : {}),
    ...(options.stats ? { stats: options.stats } : {}),
  });
}

/** The amplitude ⟨bits|C|0…0⟩ (bits: qubit 0 leftmost) as `[re, im]`. */
export function amplitude(circuit: Circuit, bits: string, options: TensorOptions = {}): [number, number] {
  if (!/^[01]*$/.test(bits)) throw new Error(`bitstring '${bits}' must contain only 0 and 1`);
  const r = contract(amplitudeNetwork(circuit, bits, options.simplify ?? true, options.onSimplify), options);
  return [r[0], r[1]];
}

/** Every bitstring matching `pattern` (`x` positions enumerated, qubit order, lowest qubit most significant). */
export function expandPattern(pattern: string): string[] {
  const open = [...pattern].map((c, i) => (c === 'x' || c === 'X' ? i : -1)).filter((i) => i >= 0);
  const out: string[] = [];
  for (let v = 0; v < 2 ** open.length; v++) {
    const chars = [...pattern];
    open.forEach((q, j) => (chars[q] = (v >> (open.length - 1 - j)) & 1 ? '1' : '0'));
    out.push(chars.join(''));
  }
  return out;
}

/**
 * Amplitudes of a list of bitstrings or of every bitstring matching a pattern like `01x1xx0…`
 * (one contraction with the `x` qubits left open). Keys are full bitstrings.
 */
export function amplitudes(circuit: Circuit, bitsOrPattern: readonly string[] | string, options: TensorOptions = {}): Record<string, [number, number]> {
  const out: Record<string, [number, number]> = {};
  if (typeof bitsOrPattern === 'string') {
    parsePattern(bitsOrPattern, circuit.numQubits);
    const r = contract(amplitudeNetwork(circuit, bitsOrPattern, options.simplify ?? true, options.onSimplify), options);
    expandPattern(bitsOrPattern).forEach((b, e) => (out[b] = [r[2 * e], r[2 * e + 1]]));
    return out;
  }
  const list = bitsOrPattern;
  if (list.length === 0) return out;
  // Open the qubits where the bitstrings differ when that batch is small; else one by one.
  const n = circuit.numQubits;
  for (const b of list) if (!/^[01]*$/.test(b) || b.length !== n) throw new Error(`bitstring '${b}' must be ${n} characters of 0 and 1`);
  const differ = [...Array(n).keys()].filter((q) => list.some((b) => b[q] !== list[0][q]));
  if (!options.plan && list.length > 1 && differ.length <= 12 && 2 ** differ.length <= 8 * list.length) {
    const pattern = [...list[0]].map((c, q) => (differ.includes(q) ? 'x' : c)).join('');
    const all = amplitudes(circuit, pattern, options);
    for (const b of list) out[b] = all[b];
    return out;
  }
  for (const b of list) out[b] = amplitude(circuit, b, options);
  return out;
}

/** ⟨ψ|O|ψ⟩ for a product of one-qubit operators (Paulis or projectors), ψ = C|0…0⟩, via its light cone. */
export function productExpectation(
  circuit: Circuit,
  ops: ReadonlyArray<{ readonly qubit: number; readonly op: QubitOperator }>,
  options: TensorOptions = {},
): [number, number] {
  let net = expectationNetwork(circuit, ops);
  if (options.simplify ?? true) net = simplified(net, options.onSimplify);
  const r = contract(net, { ...options, plan: undefined });
  return [r[0], r[1]];
}

/** ⟨ψ|O|ψ⟩ of a Pauli-sum observable, one light-cone network per term. */
export function expectation(circuit: Circuit, observable: PauliSum, options: TensorOptions = {}): number {
  let sum = 0;
  for (const term of observable.terms) {
    if (term.factors.length === 0) {
      sum += term.coefficient;
      continue;
    }
    const v = productExpectation(circuit, term.factors.map((f) => ({ qubit: f.qubit, op: f.pauli })), options);
    sum += term.coefficient * v[0];
  }
  return sum;
}

/** Probability that the `fixed` qubits read the given bits, as ⟨ψ|P|ψ⟩ with P a projector. */
export function marginalProbability(circuit: Circuit, fixed: ReadonlyArray<{ readonly qubit: number; readonly bit: 0 | 1 }>, options: TensorOptions = {}): number {
  return productExpectation(circuit, fixed.map((f) => ({ qubit: f.qubit, op: f.bit ? 'P1' : 'P0' })), options)[0];
}
