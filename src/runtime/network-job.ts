/**
 * The `network` slice job kind: an amplitude (or a batch of amplitudes with `x` qubits open)
 * of a circuit given as OpenQASM text, contracted along a sliced plan. Every process rebuilds
 * the same network from the text (`amplitudeNetwork` is deterministic) and refuses a plan whose
 * fingerprint does not match it.
 */
import { parseQasm } from '../formats/qasm2/index.js';
import { writeQasm } from '../formats/qasm2/index.js';
import type { Circuit } from '../circuit/circuit.js';
import { checkPlan } from '../contraction/plan.js';
import type { ContractionPlan } from '../contraction/types.js';
import { amplitudeNetwork, DEFAULT_TENSOR_MEMORY, expandPattern } from '../network/api.js';
import { contractSlices, sliceCount } from '../network/execute.js';
import { parsePattern } from '../network/from-circuit.js';
import { toProblem } from '../network/types.js';
import type { SliceJob, SliceJobSpec } from './types.js';
import { hashText } from './types.js';

/** Input of the `network` job kind (plain JSON). */
export interface NetworkJobInput {
  /** The circuit as OpenQASM 2.0 text. */
  readonly qasm: string;
  /** Output bits: `0`/`1` fixed, `x` open (one character per qubit, qubit 0 first). */
  readonly pattern: string;
  readonly plan: ContractionPlan;
  /** Peak memory per slice in bytes (default 4 GiB). */
  readonly memoryLimitBytes?: number;
  /** Kernel backend name (default: best available). */
  readonly backend?: string;
}

/** A prepared network job, with the bitstring of every output entry. */
export interface NetworkSliceJob extends SliceJob {
  /** Full bitstrings of the result's complex entries, in order. */
  readonly keys: readonly string[];
  /** Hash of the circuit text (identifies the circuit in shard files). */
  readonly circuitHash: string;
}

/** Builds the job spec for a circuit, an output pattern and a plan. */
export function networkJobSpec(circuit: Circuit | string, pattern: string, plan: ContractionPlan, extra: { memoryLimitBytes?: number; backend?: string } = {}): SliceJobSpec {
  const qasm = typeof circuit === 'string' ? circuit : writeQasm(circuit);
  const input: NetworkJobInput = { qasm, pattern, plan, ...extra };
  return { kind: 'network', input };
}

/** Rebuilds the network and checks the plan (throws `PlanError` on a mismatch). */
export function createNetworkJob(raw: unknown): NetworkSliceJob {
  const input = raw as NetworkJobInput;
  if (!input || typeof input.qasm !== 'string' || typeof input.pattern !== 'string' || !input.plan) {
    throw new TypeError('network job needs { qasm, pattern, plan }');
  }
  const circuit = parseQasm(input.qasm, '<job>');
  parsePattern(input.pattern, circuit.numQubits);
  const net = amplitudeNetwork(circuit, input.pattern);
  checkPlan(input.plan, toProblem(net));
  const plan = { path: input.plan.path, sliced: input.plan.sliced };
  const total = sliceCount(net, plan.sliced);
  const keys = expandPattern(input.pattern);
  const cost = input.plan.cost;
  return {
    totalSlices: total,
    outputLength: 2 * keys.length,
    fingerprint: input.plan.fingerprint,
    flopsPerSlice: cost && cost.slices > 0 ? cost.flops / cost.slices : undefined,
    keys,
    circuitHash: hashText(input.qasm),
    contract(start: number, end: number): Float64Array {
      return contractSlices(net, plan, { start, end }, {
        memoryLimitBytes: input.memoryLimitBytes ?? DEFAULT_TENSOR_MEMORY,
        ...(input.backend ? { backend: input.backend } : {}),
      });
    },
  };
}

/** Amplitudes keyed by bitstring from a network job's summed result. */
export function amplitudesFromResult(pattern: string, data: Float64Array): Record<string, [number, number]> {
  const out: Record<string, [number, number]> = {};
  expandPattern(pattern).forEach((b, e) => (out[b] = [data[2 * e], data[2 * e + 1]]));
  return out;
}
