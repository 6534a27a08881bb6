/** Assertions shared by the contraction tests. */
import assert from 'node:assert/strict';
import type { ContractionTree } from '../../src/contraction/tree.js';

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
