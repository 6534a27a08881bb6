import { test } from 'node:test';
import assert from 'node:assert/strict';
import { annealSliced, type AnnealOptions } from '../../src/contraction/anneal.js';
import { ANNEAL_ROTATION_KERNEL, rotationWorkspaceJs, type RotationWorkspaceFactory } from '../../src/contraction/anneal-kernel.js';
import { getKernel, resolveBackend } from '../../src/backend/registry.js';
import { mulberry32 } from '../../src/contraction/rng.js';
import { greedyPath } from '../../src/contraction/greedy.js';
import { sliceTree, type SliceResult } from '../../src/contraction/slicing.js';
import { ContractionTree } from '../../src/contraction/tree.js';
import type { ContractionProblem } from '../../src/contraction/types.js';
import { einsumDirect, slicedSum } from './naive-einsum.js';
import { sliceCase } from './slice-case.js';
import { assertExactSliced, assertValid, close } from './tree-asserts.js';

/** Relative closeness of two positive costs. */
function near(a: number, b: number, rel = 1e-9): boolean {
  return Math.abs(a - b) <= rel * Math.max(a, b);
}

test('annealing a sliced tree keeps it valid and within the width target, never costs more, and sums to the unsliced result', () => {
  let ran = 0;
  for (let seed = 1; seed <= 8; seed++) {
    const { p, tensors, tree, target } = sliceCase(seed * 211, 11, 16, seed, 3);
    const start = sliceTree(tree, { maxWidth: target, reconfigureEvery: 0 });
    if (start.cost.width > target + 1e-9) continue; // output indices alone too wide
    ran++;
    const r = annealSliced(start, { maxWidth: target, maxMoves: 20_000, sliceEvery: 200, seed });
    const exact = assertExactSliced(r, start, target, p, tensors);
    assert.ok(near(r.trackedMultiplyAdds, exact.multiplyAdds), `tracked ${r.trackedMultiplyAdds} vs exact ${exact.multiplyAdds}`);
  }
  assert.ok(ran > 0, 'no network met the width target');
});

test('on binary networks the incremental bookkeeping equals the exact sliced cost, and the result is exact', () => {
  let improved = 0;
  for (let seed = 1; seed <= 6; seed++) {
    const { p, tensors, tree, target } = sliceCase(seed * 97, 12, 20, seed, 3, true);
    const start = sliceTree(tree, { maxWidth: target, reconfigureEvery: 0 });
    if (start.cost.width > target + 1e-9) continue;
    const r = annealSliced(start, { maxWidth: target, maxMoves: 30_000, sliceEvery: 100, seed });
    assertValid(r.tree, p.inputs.length);
    const exact = r.tree.cost(r.sliced);
    assert.equal(r.trackedMultiplyAdds, exact.multiplyAdds);
    assert.ok(exact.width <= target + 1e-9);
    assert.ok(exact.multiplyAdds <= start.cost.multiplyAdds);
    if (exact.multiplyAdds < start.cost.multiplyAdds) improved++;
    close(slicedSum(p, tensors, r.tree, r.sliced).result, einsumDirect(p, tensors));
  }
  assert.ok(improved > 0, 'annealing never improved on greedy slicing');
});

/**
 * Two runs with the same options give the same tree, slices and cost; the result is valid, within
 * the width target, no costlier than the start, and its tracked cost matches the exact cost model.
 */
function checkRepeatable(start: SliceResult, opts: AnnealOptions & { maxWidth: number }, leaves: number): void {
  const a = annealSliced(start, opts);
  const b = annealSliced(start, opts);
  assertValid(a.tree, leaves);
  assert.deepEqual(a.tree.toPath(), b.tree.toPath());
  assert.deepEqual(a.sliced, b.sliced);
  assert.equal(a.cost.multiplyAdds, b.cost.multiplyAdds);
  const exact = a.tree.cost(a.sliced);
  assert.ok(near(a.trackedMultiplyAdds, exact.multiplyAdds), `tracked ${a.trackedMultiplyAdds} vs exact ${exact.multiplyAdds}`);
  assert.ok(exact.width <= opts.maxWidth + 1e-9);
  assert.ok(exact.multiplyAdds <= start.cost.multiplyAdds);
}

test('annealing larger networks: tracked cost equals the exact cost model; deterministic for a seed', () => {
  for (let seed = 1; seed <= 3; seed++) {
    const { p, tree, target } = sliceCase(seed * 31, 60, 90, seed, 4, true);
    const start = sliceTree(tree, { maxWidth: target, reconfigureEvery: 0 });
    if (start.cost.width > target + 1e-9) continue;
    checkRepeatable(start, { maxWidth: target, maxMoves: 50_000, sliceEvery: 500, seed }, p.inputs.length);
  }
});

test('annealing tiny networks (fewer than 3 tensors, or nothing to move) returns the start', () => {
  const p: ContractionProblem = { inputs: [[0, 1], [1, 2]], output: [0, 2], sizes: [2, 2, 2] };
  const tree = ContractionTree.fromPath(p, greedyPath(p));
  const start = sliceTree(tree, { maxWidth: 10 });
  const r = annealSliced(start, { maxMoves: 100 });
  assert.equal(r.tree, start.tree);
  assert.equal(r.cost.multiplyAdds, start.cost.multiplyAdds);
});

test('annealing squeezes an unsliced tree to a width target below its own, exactly; without slicing it keeps the slice set', () => {
  let squeezed = 0;
  for (let seed = 1; seed <= 6; seed++) {
    const { p, tensors, tree, target } = sliceCase(seed * 53, 12, 20, seed, 3, true);
    const start = { tree, sliced: [], cost: tree.cost() };
    const r = annealSliced(start, { maxWidth: target, maxMoves: 40_000, sliceEvery: 100, seed });
    assertValid(r.tree, p.inputs.length);
    if (r.tree === tree) continue; // target not reached: the start comes back
    squeezed++;
    const exact = r.tree.cost(r.sliced);
    assert.ok(exact.width <= target + 1e-9, `width ${exact.width} > ${target}`);
    assert.equal(r.cost.multiplyAdds, exact.multiplyAdds);
    assert.equal(r.trackedMultiplyAdds, exact.multiplyAdds);
    close(slicedSum(p, tensors, r.tree, r.sliced).result, einsumDirect(p, tensors));
    // Unsliced annealing (no width limit) never adds slices and never costs more.
    const u = annealSliced(start, { maxWidth: Infinity, slicing: false, maxMoves: 20_000, seed });
    assert.deepEqual(u.sliced, []);
    assert.ok(u.cost.multiplyAdds <= tree.cost().multiplyAdds);
    close(slicedSum(p, tensors, u.tree, []).result, einsumDirect(p, tensors));
  }
  assert.ok(squeezed > 0, 'no tree was squeezed to its target');
});

test('SPR moves (prune-and-regraft, mixed with rotations): valid, exact bookkeeping, never costlier, exact sliced sum', () => {
  let ran = 0;
  for (const sprRate of [0.5, 1]) {
    for (let seed = 1; seed <= 6; seed++) {
      const binary = seed % 2 === 0;
      const { p, tensors, tree, target } = binary ? sliceCase(seed * 131, 12, 20, seed, 3, true) : sliceCase(seed * 131, 11, 16, seed, 3);
      const start = sliceTree(tree, { maxWidth: target, reconfigureEvery: 0 });
      if (start.cost.width > target + 1e-9) continue;
      ran++;
      const r = annealSliced(start, { maxWidth: target, maxMoves: 20_000, sliceEvery: 100, seed, sprRate, sprHops: 1 + seed });
      assertValid(r.tree, p.inputs.length);
      const exact = r.tree.cost(r.sliced);
      assert.equal(r.cost.multiplyAdds, exact.multiplyAdds);
      assert.ok(near(r.trackedMultiplyAdds, exact.multiplyAdds), `tracked ${r.trackedMultiplyAdds} vs exact ${exact.multiplyAdds}`);
      assert.ok(exact.width <= target + 1e-9);
      assert.ok(exact.multiplyAdds <= start.cost.multiplyAdds);
      const run = slicedSum(p, tensors, r.tree, r.sliced);
      assert.equal(run.madds, exact.multiplyAdds);
      close(run.result, einsumDirect(p, tensors));
    }
  }
  assert.ok(ran > 0, 'no network met the width target');
});

test('SPR on larger networks: tracked cost equals the exact cost model, deterministic for a seed', () => {
  for (let seed = 1; seed <= 3; seed++) {
    const { p, tree, target } = sliceCase(seed * 37, 60, 90, seed, 4, true);
    const start = sliceTree(tree, { maxWidth: target, reconfigureEvery: 0 });
    if (start.cost.width > target + 1e-9) continue;
    checkRepeatable(start, { maxWidth: target, maxMoves: 40_000, sliceEvery: 500, seed, sprRate: 0.3, sprHops: 6 }, p.inputs.length);
    // Unsliced, no width limit: SPR alone keeps the exact cost and never costs more.
    const u = annealSliced({ tree, sliced: [], cost: tree.cost() }, { maxWidth: Infinity, slicing: false, maxMoves: 20_000, seed, sprRate: 1 });
    assertValid(u.tree, p.inputs.length);
    assert.deepEqual(u.sliced, []);
    assert.ok(u.cost.multiplyAdds <= tree.cost().multiplyAdds);
    assert.ok(near(u.trackedMultiplyAdds, u.tree.cost().multiplyAdds));
  }
});

test('rotation kernel: the WebAssembly and TypeScript workspaces give the counts and legs of a direct bitset computation', () => {
  assert.equal(resolveBackend(ANNEAL_ROTATION_KERNEL), 'wasm', 'the WebAssembly kernel should run under Node');
  const rand = mulberry32(12);
  for (const setWords of [2, 4, 24]) {
    const sets = 7;
    const ws = [getKernel<RotationWorkspaceFactory>(ANNEAL_ROTATION_KERNEL, 'wasm')(sets * setWords, setWords)!, rotationWorkspaceJs(sets * setWords, setWords)];
    for (let trial = 0; trial < 200; trial++) {
      const words = Array.from({ length: sets * setWords }, () => (rand() * 2 ** 32) >>> 0 & ((rand() * 2 ** 32) >>> 0));
      const [x, c, p, y, tmp, active, out] = [0, 1, 2, 3, 4, 5, 6].map((k) => k * setWords);
      const bits = (o: number): Set<number> => new Set(Array.from({ length: setWords * 32 }, (_, b) => b).filter((b) => (words[o + (b >>> 5)] >>> (b & 31)) & 1));
      const [X, C, P, Y, A, O] = [x, c, p, y, active, out].map(bits);
      const newN = [...new Set([...X, ...C])].filter((b) => P.has(b) || Y.has(b) || O.has(b));
      const count = (s: Iterable<number>): number => new Set([...s].filter((b) => A.has(b))).size;
      const want = [count(newN), count([...X, ...C]), count([...newN, ...Y])];
      for (const w of ws) {
        w.words.set(words);
        w.rotation(x, c, p, y, tmp, active, out);
        assert.deepEqual([...w.counts], want);
        const got = new Set(Array.from({ length: setWords * 32 }, (_, b) => b).filter((b) => (w.words[tmp + (b >>> 5)] >>> (b & 31)) & 1));
        assert.deepEqual([...got].sort((a, b) => a - b), newN.sort((a, b) => a - b));
      }
    }
  }
});

test('annealing with the WebAssembly and the TypeScript rotation kernels gives identical runs', () => {
  for (let seed = 1; seed <= 4; seed++) {
    const { p, tree, target } = sliceCase(seed * 41, 60, 90, seed, 4, true);
    const start = sliceTree(tree, { maxWidth: target, reconfigureEvery: 0 });
    if (start.cost.width > target + 1e-9) continue;
    const opts = { maxWidth: target, maxMoves: 30_000, sliceEvery: 500, seed };
    const a = annealSliced(start, { ...opts, backend: 'wasm' });
    const b = annealSliced(start, { ...opts, backend: 'js' });
    assertValid(a.tree, p.inputs.length);
    assert.deepEqual(a.tree.toPath(), b.tree.toPath());
    assert.deepEqual(a.sliced, b.sliced);
    assert.equal(a.trackedMultiplyAdds, b.trackedMultiplyAdds);
    assert.equal(a.accepted, b.accepted);
  }
});
