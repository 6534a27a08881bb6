import { test } from 'node:test';
import assert from 'node:assert/strict';
import { GREEDY_COST_FNS, greedyPath, greedyPathBounded } from '../../src/contraction/greedy.js';
import { hyperOptimize, trialBounds } from '../../src/contraction/finders/index.js';
import { objectiveScore, type Objective } from '../../src/contraction/cost.js';
import { ContractionTree } from '../../src/contraction/tree.js';
import { Circuit } from '../../src/circuit/circuit.js';
import { amplitudeNetwork } from '../../src/network/api.js';
import { toProblem } from '../../src/network/types.js';
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

/** A QAOA-like circuit's amplitude network: ring and chord ZZ terms, two layers. */
function qaoaProblem(n: number): ContractionProblem {
  const c = new Circuit(n);
  for (let i = 0; i < n; i++) c.h(i);
  for (let layer = 0; layer < 2; layer++) {
    for (let i = 0; i < n; i++) { const j = (i + 1) % n; c.cx(i, j).rz(0.7, j).cx(i, j); }
    for (let i = 0; i < n / 2; i++) { const j = i + n / 2; c.cx(i, j).rz(0.7, j).cx(i, j); }
    for (let i = 0; i < n; i++) c.rx(0.3, i);
  }
  return toProblem(amplitudeNetwork(c, '0'.repeat(n)));
}

test('bounded greedy: the same path within its bounds, null past any of them', () => {
  const p = qaoaProblem(24);
  for (const [costFn, fn] of Object.entries(GREEDY_COST_FNS)) {
    for (const temperature of [0, 0.3]) {
      const opts = { costFn: fn, temperature, seed: 5 };
      const path = greedyPath(p, opts);
      const { multiplyAdds: total, width } = ContractionTree.fromPath(p, path).cost();
      assert.deepEqual(greedyPathBounded(p, opts), path, costFn);
      assert.deepEqual(greedyPathBounded(p, opts, { costCap: total * (1 + 1e-9), widthCap: width + 1e-9 }), path, costFn);
      assert.equal(greedyPathBounded(p, opts, { costCap: total * (1 - 1e-6) }), null, `${costFn}: cost cap`);
      assert.equal(greedyPathBounded(p, opts, { widthCap: width - 0.5 }), null, `${costFn}: width cap`);
      assert.equal(greedyPathBounded(p, opts, { deadline: Date.now() - 1 }), null, `${costFn}: deadline`);
    }
  }
});

test('trial bounds never stop a path that scores at most the bound, and stop one above it (flops, sliced)', () => {
  const p = qaoaProblem(16);
  const objectives: Objective[] = ['flops', 'width', 'limit', 'combo', 'sliced'];
  for (let seed = 1; seed <= 6; seed++) {
    const opts = { costFn: GREEDY_COST_FNS['out-size'], temperature: 0.5, seed };
    const path = greedyPath(p, opts);
    const cost = ContractionTree.fromPath(p, path).cost();
    for (const objective of objectives) {
      for (const maxWidth of [4, 30]) {
        const s = objectiveScore(cost, objective, maxWidth);
        assert.deepEqual(greedyPathBounded(p, opts, trialBounds(objective, s + 1e-9, maxWidth)), path, `${objective} w${maxWidth}`);
      }
    }
    for (const objective of ['flops', 'sliced'] as const) {
      assert.equal(greedyPathBounded(p, opts, trialBounds(objective, Math.log2(cost.multiplyAdds) - 0.01, 27)), null, objective);
    }
  }
});

test('random greedy trials of the hyper-optimizer keep to its time budget on a large network', () => {
  // Hot Boltzmann trials with the `out-size` score grow tensors with hundreds of legs on this
  // 1800-tensor network; before trials were bounded, seeds 1 and 4 ran 11.5 s and 9.3 s on a 1 s
  // budget. The slack only absorbs a slow machine; it is not a speed claim.
  const p = qaoaProblem(200);
  const greedy = ContractionTree.fromPath(p, greedyPath(p)).cost().multiplyAdds;
  for (const seed of [1, 4]) {
    const h = hyperOptimize(p, { timeSeconds: 1, seed, methods: ['random-greedy'], objective: 'flops' });
    assert.ok(h.seconds < 5, `seed ${seed}: ${h.seconds} s on a 1 s budget`);
    assert.ok(h.tree.cost().multiplyAdds <= greedy, `seed ${seed}: no worse than greedy`);
  }
});
