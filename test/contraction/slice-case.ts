/** Shared setup of the slicing tests: a random network, its tensors, a greedy tree and a width target below it. */
import { ContractionTree } from '../../src/contraction/tree.js';
import { greedyPath } from '../../src/contraction/greedy.js';
import type { ContractionProblem } from '../../src/contraction/types.js';
import type { DenseTensor } from './naive-einsum.js';
import { randomProblem, randomTensors } from './naive-einsum.js';

export interface SliceCase {
  p: ContractionProblem;
  tensors: DenseTensor[];
  tree: ContractionTree;
  /** The greedy tree's width minus `below` (at least 1). */
  target: number;
}

/**
 * randomProblem(problemSeed, nTensors, nIndices) (with every index of size 2 when `binary`),
 * randomTensors(…, seed), the greedy tree, and a target `below` under its width.
 */
export function sliceCase(problemSeed: number, nTensors: number, nIndices: number, seed: number, below: number, binary = false): SliceCase {
  const random = randomProblem(problemSeed, nTensors, nIndices);
  const p = binary ? { ...random, sizes: random.sizes.map(() => 2) } : random;
  const tensors = randomTensors(p, seed);
  const tree = ContractionTree.fromPath(p, greedyPath(p));
  return { p, tensors, tree, target: Math.max(1, Math.floor(tree.cost().width) - below) };
}
