/**
 * Contracts between the tensor-network builder, the path finders and the executors.
 *
 * Index semantics (hyperedges allowed): an index id may appear on any number of tensors. When
 * two tensors are contracted, an index is *kept* in the result if it is an output index or still
 * appears on some tensor outside the pair; otherwise it is summed. An index on both operands that
 * is kept is a batch index. The last result's indices are the output indices (in output order
 * after a final permutation).
 */

/** The hypergraph view of a tensor network: all a path finder needs. */
export interface ContractionProblem {
  /** For each input tensor, its index ids (distinct within one tensor). */
  readonly inputs: ReadonlyArray<readonly number[]>;
  /** Index ids left open in the result, in output order. */
  readonly output: readonly number[];
  /** Dimension of each index id (`sizes[id]`); ids not used by the problem may be 0. */
  readonly sizes: readonly number[];
}

/**
 * A pairwise contraction order in SSA form: inputs are ids `0…n-1`, and the k-th pair creates
 * id `n+k`. A complete path has `n-1` pairs and ends with a single tensor.
 */
export type SsaPath = ReadonlyArray<readonly [number, number]>;

/**
 * Slice numbering: with sliced indices `s_0 … s_{m-1}` (sizes `d_j`), slice number `k` fixes
 * them to the mixed-radix digits of `k`, `s_0` most significant. There are `∏ d_j` slices and
 * the full result is the sum of all slice results.
 */
export type SlicedIndices = readonly number[];

/** Costs of a (possibly sliced) contraction, as reported by `taizhang plan`. */
export interface ContractionCost {
  /** Scalar multiply-adds summed over all pairwise contractions and all slices (cotengra's `contraction_cost()`). */
  readonly multiplyAdds: number;
  /** Real floating-point operations: 8 × multiply-adds for complex numbers. */
  readonly flops: number;
  /** log2 of the largest intermediate's element count (per slice). */
  readonly width: number;
  /** Elements written over all intermediates and slices. */
  readonly writes: number;
  /** Number of slices (1 when nothing is sliced). */
  readonly slices: number;
  /** Sliced multiply-adds divided by unsliced multiply-adds (1 when nothing is sliced). */
  readonly overhead: number;
}

/** Current version of the JSON plan format. */
export const PLAN_VERSION = 1;

/** A serialisable contraction plan: what `taizhang plan -o plan.json` writes and executors read. */
export interface ContractionPlan {
  readonly format: 'taizhang-plan';
  readonly version: typeof PLAN_VERSION;
  /** Fingerprint of the network structure (see `fingerprintProblem`); executors refuse a mismatch. */
  readonly fingerprint: string;
  readonly numInputs: number;
  readonly output: readonly number[];
  readonly path: SsaPath;
  readonly sliced: SlicedIndices;
  readonly cost: ContractionCost;
  /** Free-form provenance: finder, parameters, search seconds, seed. */
  readonly meta?: Readonly<Record<string, string | number | boolean>>;
}
