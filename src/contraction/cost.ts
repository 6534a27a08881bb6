/**
 * The exact cost model (cotengra's `contraction_cost()` convention): each pairwise contraction
 * costs the product of the sizes of every index on either operand, in scalar multiply-adds;
 * FLOPs are 8 × multiply-adds (complex numbers); width is log2 of the largest intermediate.
 */
import type { ContractionCost, ContractionProblem, SlicedIndices, SsaPath } from './types.js';
import { ContractionTree, treeCost } from './tree.js';

export { treeCost };

/** Costs of contracting `problem` along `path` with `sliced` indices fixed per slice. */
export function pathCost(problem: ContractionProblem, path: SsaPath, sliced: SlicedIndices = []): ContractionCost {
  return treeCost(ContractionTree.fromPath(problem, path), sliced);
}

/** What the hyper-optimizer minimises. */
export type Objective = 'flops' | 'width' | 'limit' | 'combo' | 'sliced';

/**
 * Scalar score of a cost under an objective (lower is better):
 * `flops`: log2 multiply-adds; `width`: width, then flops; `limit`: flops, with a heavy penalty per
 * unit of width over `maxWidth`; `combo`: log2(multiply-adds + 64 × writes) (cotengra-like mix);
 * `sliced`: like `limit`, but meant for the cost *after* slicing to `maxWidth` (the hyper-optimizer
 * slices each promising candidate and scores the sliced cost, so overhead counts).
 */
export function objectiveScore(cost: ContractionCost, objective: Objective, maxWidth = 27): number {
  const lf = Math.log2(Math.max(1, cost.multiplyAdds));
  switch (objective) {
    case 'flops':
      return lf;
    case 'width':
      return cost.width * 1000 + lf;
    case 'limit':
    case 'sliced':
      return lf + Math.max(0, cost.width - maxWidth) * 1000;
    case 'combo':
      return Math.log2(Math.max(1, cost.multiplyAdds + 64 * cost.writes));
  }
}
