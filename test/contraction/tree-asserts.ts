/** Assertions shared by the contraction tests. */
import assert from 'node:assert/strict';
import type { ContractionTree } from '../../src/contraction/tree.js';
import type { SliceResult } from '../../src/contraction/slicing.js';
import type { ContractionCost, ContractionProblem } from '../../src/contraction/types.js';
import { einsumDirect, slicedSum, type DenseTensor } from './naive-einsum.js';

/** Entry-wise equality to 1e-9 relative. */
export function close(a: Float64Array, b: Float64Array): void {
  assert.equal(a.length, b.length);
  for (let k = 0; k < a.length; k++) assert.ok(Math.abs(a[k] - b[k]) <= 1e-9 * (1 + Math.abs(b[k])), `entry ${k}: ${a[k]} vs ${b[k]}`);
}

/** Every leaf used exactly once, n − 1 contractions. */
export function assertValid(tree: ContractionTree, n: number): void {
  assert.deepEqual([...tree.leaves()].sort((a, b) => a - b), Array.from({ length: n }, (_, k) => k));
  assert.equal(tree.toPath().length, n - 1);
}

/**
 * A sliced result from `start` is valid for the network, within the width target, no costlier than
 * the start, slices no output index, reports the exact cost model, and its sum over slices equals
 * the direct contraction with the counted multiply-adds. Returns the exact cost.
 */
export function assertExactSliced(
  r: SliceResult, start: SliceResult, target: number, p: ContractionProblem, tensors: DenseTensor[],
): ContractionCost {
  assertValid(r.tree, p.inputs.length);
  assert.ok(r.cost.width <= target + 1e-9, `width ${r.cost.width} > ${target}`);
  assert.ok(r.cost.multiplyAdds <= start.cost.multiplyAdds);
  const out = new Set(p.output);
  for (const s of r.sliced) assert.ok(!out.has(s));
  const exact = r.tree.cost(r.sliced);
  assert.equal(r.cost.multiplyAdds, exact.multiplyAdds);
  const run = slicedSum(p, tensors, r.tree, r.sliced);
  assert.equal(run.madds, exact.multiplyAdds);
  close(run.result, einsumDirect(p, tensors));
  return exact;
}
