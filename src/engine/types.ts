/**
 * One engine interface for every simulation method (reference state vector, fast state vector,
 * tensor network, and later density matrix / trajectories / GPU). The CLI and API only talk to
 * engines through these types, and `--method auto` picks one by `estimate`.
 */
import type { Circuit } from '../circuit/circuit.js';
import type { ContractionPlan } from '../contraction/types.js';

/** Floating-point precision of an engine's amplitudes. */
export type Precision = 'single' | 'double';

/** A term `coefficient · P_{q0} P_{q1} …` of a Pauli-sum observable. */
export interface PauliTerm {
  readonly coefficient: number;
  /** Pairs of (qubit, Pauli letter); identity factors are omitted. */
  readonly factors: ReadonlyArray<{ readonly qubit: number; readonly pauli: 'X' | 'Y' | 'Z' }>;
}

/** A Hermitian observable as a real-weighted sum of Pauli strings. */
export interface PauliSum {
  readonly terms: readonly PauliTerm[];
}

/** What to compute. Every field is optional; engines refuse what they cannot do. */
export interface SimulationRequest {
  /** Bitstrings (qubit 0 leftmost) whose amplitudes are wanted. */
  readonly amplitudes?: readonly string[];
  /** Return all 2^n probabilities. */
  readonly probabilities?: boolean;
  /** Return the whole state vector. */
  readonly statevector?: boolean;
  /** Number of measurement shots to sample. */
  readonly shots?: number;
  /** Seed for sampling and trajectories (same seed → same counts). */
  readonly seed?: number;
  /** Expectation values to evaluate on the final state. */
  readonly observables?: readonly PauliSum[];
  readonly precision?: Precision;
  /** Worker threads (engines that parallelise); default all cores. */
  readonly threads?: number;
  /** Upper bound on memory an engine may allocate, in bytes. */
  readonly memoryLimitBytes?: number;
  /** State vector: largest fused block in qubits (`--fuse K`; default 3 below 18 qubits, 4 from 18). */
  readonly fuse?: number;
  /** Tensor network: a precomputed contraction plan (`--plan plan.json`). */
  readonly plan?: ContractionPlan;
  /** Tensor network: log2 of the largest intermediate allowed (`--max-width`). */
  readonly maxWidth?: number;
  /** Progress events for long runs (slices done, total, GFLOP/s). */
  readonly onProgress?: (event: ProgressEvent) => void;
}

/** Progress of a long computation. */
export interface ProgressEvent {
  readonly done: number;
  readonly total: number;
  readonly elapsedSeconds: number;
  /** Achieved floating-point throughput so far, when known. */
  readonly gflops?: number;
}

/** Results, keyed like the CLI's `--json` output. */
export interface SimulationResult {
  readonly qubits: number;
  /** Which engine produced the result. */
  readonly engine: string;
  readonly amplitudes?: Readonly<Record<string, readonly [number, number]>>;
  /** Index i is the basis state whose bitstring (qubit 0 leftmost) read as binary is i. */
  readonly probabilities?: Float64Array;
  /** Keys list classical bits in declaration order, bit 0 leftmost (all qubits if no measure). */
  readonly counts?: Readonly<Record<string, number>>;
  /** Interleaved `[re, im, …]`, same index order as `probabilities`. */
  readonly statevector?: Float64Array | Float32Array;
  /** One value per requested observable. */
  readonly expectations?: readonly number[];
  /** Tensor engine: each contracted network's size before and after simplification. */
  readonly networks?: ReadonlyArray<{ readonly before: NetworkSizes; readonly after: NetworkSizes }>;
}

/** Size of a tensor network (tensors, distinct indices, largest rank, complex elements). */
export interface NetworkSizes {
  readonly tensors: number;
  readonly indices: number;
  readonly maxRank: number;
  readonly elements: number;
}

/** An engine's answer to "could you run this, and at what cost?" */
export type Estimate =
  | { readonly ok: true; /** Rough work estimate in floating-point operations. */ readonly flops: number; readonly bytes: number }
  | { readonly ok: false; readonly reason: string };

/**
 * Thrown by `Engine.run` when the engine cannot serve the request at all (the reason its
 * `estimate` gives, e.g. shots from the tensor engine): a problem with the request, not a failure.
 */
export class UnsupportedRequestError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UnsupportedRequestError';
  }
}

/** A simulation method. */
export interface Engine {
  /** Name used by `--method` (e.g. `reference`, `statevector`, `tensor`). */
  readonly name: string;
  /** One-line description for `--help`. */
  readonly description: string;
  /** Cheap feasibility and cost check, without allocating. */
  estimate(circuit: Circuit, request: SimulationRequest): Estimate;
  run(circuit: Circuit, request: SimulationRequest): Promise<SimulationResult>;
}
