import { test } from 'node:test';
import assert from 'node:assert/strict';
import { greedyPath } from '../../src/contraction/greedy.js';
import type { ContractionProblem, SsaPath } from '../../src/contraction/types.js';

/** Checks an SSA path is complete: every id consumed exactly once, n-1 pairs. */
export function assertCompletePath(p: ContractionProblem, path: SsaPath): void {
  const n = p.inputs.length;
  assert.equal(path.length, Math.max(0, n - 1));
  const used = new Set<number>();
  path.forEach(([a, b], k) => {
    for (const x of [a, b]) {
      assert.ok(x < n + k, `id ${x} used before creation`);
      assert.ok(!used.has(x), `id ${x} used twice`);
      used.add(x);
    }
  });
  assert.equal(used.size, Math.max(0, 2 * n - 2));
}

test('greedy: chain contracts along shared indices', () => {
  const p: ContractionProblem = { inputs: [[0, 1], [1, 2], [2, 3]], output: [0, 3], sizes: [2, 2, 2, 2] };
  const path = greedyPath(p);
  assertCompletePath(p, path);
});

test('greedy: hyperedge and disconnected components', () => {
  const p: ContractionProblem = {
    inputs: [[0, 1], [1, 2], [1, 3], [4], [4, 5], [6]],
    output: [0, 5],
    sizes: [2, 2, 2, 2, 3, 2, 5],
  };
  for (const temperature of [0, 0.5]) {
    const path = greedyPath(p, { temperature, seed: 3 });
    assertCompletePath(p, path);
  }
});

test('greedy: single tensor gives empty path', () => {
  assert.deepEqual(greedyPath({ inputs: [[0]], output: [0], sizes: [2] }), []);
});
