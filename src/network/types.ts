/**
 * Tensor networks as produced from circuits (src/network/) and consumed by executors.
 */
import type { ContractionProblem } from '../contraction/types.js';

/** One tensor of a network: complex128 data, interleaved `[re, im, …]`, row-major with `indices[0]` slowest. */
export interface NetworkTensor {
  readonly indices: readonly number[];
  readonly data: Float64Array;
  /** Where it came from (gate name, 'input', 'output' …), for debugging and reports. */
  readonly tag?: string;
}

/** A tensor network with open (output) indices. */
export interface TensorNetwork {
  readonly tensors: readonly NetworkTensor[];
  /** Dimension of every index id. */
  readonly sizes: readonly number[];
  /** Open indices, in the order of the result tensor's axes. */
  readonly output: readonly number[];
}

/** The hypergraph (structure only) of a network. */
export function toProblem(net: TensorNetwork): ContractionProblem {
  return { inputs: net.tensors.map((t) => t.indices), output: net.output, sizes: net.sizes };
}
