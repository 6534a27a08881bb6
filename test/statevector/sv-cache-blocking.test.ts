import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Rng } from '../../src/statevector/rng.js';
import { simulateStatevector } from '../../src/statevector/reference.js';
import { StatevectorEngine, planCircuit } from '../../src/statevector/engine.js';
import { threadExecutor } from '../../src/statevector/threads.node.js';
import { blockedSteps, blockingApplies, scheduleBlocks, stagesGlobals, type BlockingOptions } from '../../src/statevector/cache-blocking.js';
import { routeGlobalTargets } from '../../src/statevector/global-qubits.js';
import type { KernelOp } from '../../src/statevector/kernels.js';
import { randomCircuit, maxDiff } from './sv-helpers.js';

const touched = (op: KernelOp): number[] => [...op.pos, ...op.ctrl];

test('cache blocking: the schedule is a reordering that keeps every position\'s op order, and windows stay in their set', () => {
  const rng = new Rng(5);
  let windows = 0, windowOps = 0, staged = 0, globalBatches = 0, routedBatches = 0;
  for (let trial = 0; trial < 60; trial++) {
    const n = 8 + (trial % 6);
    const chunkBits = trial % 3 === 0 ? n - 2 : n;
    const fuse = 1 + (trial % 4);
    const opts: BlockingOptions = { blockBits: 4 + (trial % 3), high: trial % 4, stage: trial % 5 < 2 ? undefined : { extraHigh: trial % 5, from: 2 + (trial % 7) } };
    for (const step of planCircuit(randomCircuit(n, 60, rng), fuse)) {
      if (step.kind !== 'ops') continue;
      // Ops on global positions go to staged windows where they fit, else the batch is routed.
      const globalsStaged = stagesGlobals(step.ops, chunkBits, opts);
      const ops = globalsStaged ? step.ops : routeGlobalTargets(step.ops, n, chunkBits);
      if (n > chunkBits && blockingApplies(chunkBits, opts)) {
        if (globalsStaged) globalBatches++;
        else routedBatches++;
      }
      if (!blockingApplies(chunkBits, opts)) continue;
      const steps = scheduleBlocks(ops, n, chunkBits, opts, globalsStaged);
      assert.equal(blockedSteps({ numQubits: n, chunkBits, chunks: [] }, step.ops, opts), steps, 'blockedSteps gives the same schedule');
      const flat: KernelOp[] = [];
      for (const st of steps) {
        assert.notEqual(st.kind, 'fault', 'schedules hold no fault steps (executors add them)');
        if (st.kind === 'op') flat.push(st.op);
        else if (st.kind === 'window') {
          windows++;
          windowOps += st.ops.length;
          if (st.staged) staged++;
          // In place, a one-op window would only add overhead; staged, it copies its runs whole.
          assert.ok(st.ops.length >= (st.staged ? 1 : 2), 'a window holds at least two ops unless staged');
          const fixed = new Set(st.fixed);
          const high = st.staged ? opts.high + opts.stage!.extraHigh : opts.high;
          // Staged groups are numbered over the whole state, in-place ones within a chunk.
          const top = st.staged ? n : chunkBits;
          if (st.staged) {
            // The buffer holds the window's set in ascending order; each op moves to its positions' ranks.
            const w = st.staged!;
            assert.deepEqual([...w.set], [...Array(n).keys()].filter((p) => !fixed.has(p)));
            assert.ok(w.runBits >= opts.blockBits - high && (w.runBits === 0 || w.set[w.runBits - 1] === w.runBits - 1));
            assert.equal(w.runOffsets.length, 2 ** (opts.blockBits - w.runBits));
            st.ops.forEach((op, j) => {
              assert.deepEqual([...w.ops[j].pos].map((q) => w.set[q]), [...op.pos]);
              assert.deepEqual([...w.ops[j].ctrl].map((q) => w.set[q]), [...op.ctrl]);
              assert.equal(w.ops[j].matrix, op.matrix);
            });
            // Runs ascend and never overlap.
            for (let r = 1; r < w.runOffsets.length; r++) assert.ok(w.runOffsets[r] >= w.runOffsets[r - 1] + 2 ** w.runBits);
          } else if (!opts.stage) assert.equal(st.staged, undefined);
          // The set: all positions below `top` not fixed; exactly blockBits of them.
          assert.equal(top - fixed.size, opts.blockBits);
          for (const p of st.fixed) assert.ok(p >= opts.blockBits - high && p < top);
          const used = new Set(st.ops.flatMap(touched).filter((p) => p >= opts.blockBits - opts.high));
          // Staged exactly when the first op reaches stage.from; in-place windows never reach it.
          const reaches = (op: KernelOp): boolean => opts.stage !== undefined && touched(op).some((p) => p >= Math.min(opts.stage!.from, chunkBits));
          assert.equal(st.staged !== undefined, reaches(st.ops[0]));
          if (!st.staged) assert.ok(used.size <= opts.high && !st.ops.some(reaches));
          for (const op of st.ops) for (const p of touched(op)) assert.ok(p < top && !fixed.has(p), `position ${p} outside the window's set`);
          // Only batches that stage their global ops have them in windows.
          if (!globalsStaged) assert.ok(st.ops.every((op) => touched(op).every((p) => p < chunkBits)));
          flat.push(...st.ops);
        }
      }
      // Same ops, each once.
      assert.equal(flat.length, ops.length);
      assert.deepEqual(new Set(flat), new Set(ops));
      // Per position, the ops touching it keep their order.
      for (let p = 0; p < n; p++) {
        const before = ops.filter((o) => touched(o).includes(p));
        const after = flat.filter((o) => touched(o).includes(p));
        assert.deepEqual(after, before, `order on position ${p} changed`);
      }
    }
  }
  assert.ok(windows > 20 && windowOps > 2 * windows, `windows were formed (${windows} windows, ${windowOps} ops)`);
  assert.ok(staged > 10 && staged < windows, `some windows staged, not all (${staged} of ${windows})`);
  assert.ok(globalBatches > 3 && routedBatches > 3, `batches with global ops staged (${globalBatches}) and routed (${routedBatches})`);
});

test('cache blocking: blocked runs (in place and staged) equal the reference and unblocked runs, bit-identical for 1, 2 and 3 threads, both backends, tiny chunks', async () => {
  const rng = new Rng(31);
  let stagedRun = 0, globalRun = 0;
  for (let trial = 0; trial < 6; trial++) {
    const n = 8 + trial;
    const c = randomCircuit(n, 50, rng);
    const want = simulateStatevector(c);
    // No staging; staging with a few extra positions; staging wide enough for every op on global
    // positions (no routing: runs come from several chunks).
    for (const extraHigh of [0, 1 + (trial % 2), 4]) {
      const blocking: BlockingOptions = { blockBits: 4 + (trial % 2), high: 1 + (trial % 3), stage: extraHigh ? { extraHigh, from: n - 3 } : undefined };
      for (const backend of ['js', 'wasm-simd']) {
        for (const chunkBits of [30, n - 2]) {
          for (const precision of ['double', 'single'] as const) {
            const fuse = 1 + (trial % 4);
            const cb = Math.min(n, chunkBits);
            for (const st of planCircuit(c, fuse)) {
              if (st.kind !== 'ops') continue;
              const staged = blockedSteps({ numQubits: n, chunkBits: cb, chunks: [] }, st.ops, blocking).flatMap((b) => (b.kind === 'window' && b.staged ? [b.staged] : []));
              stagedRun += staged.length;
              globalRun += staged.filter((w) => w.set[w.set.length - 1] >= cb).length;
            }
            const plain = await new StatevectorEngine({ maxChunkBits: chunkBits, executor: () => threadExecutor(1, backend, { blockBits: 0, high: 0 }) }).run(c, {
              statevector: true, precision, fuse,
            });
            let first: Float32Array | Float64Array | undefined;
            for (const threads of [1, 2, 3]) {
              const e = new StatevectorEngine({ maxChunkBits: chunkBits, executor: () => threadExecutor(threads, backend, blocking) });
              const sv = (await e.run(c, { statevector: true, precision, fuse })).statevector!;
              const tol = precision === 'double' ? 1e-10 : 1e-4;
              assert.ok(maxDiff(sv, want) < tol, `${backend} ${threads} threads ${precision} vs reference`);
              assert.ok(maxDiff(sv, plain.statevector!) < (precision === 'double' ? 1e-12 : 1e-5), `${backend} ${precision} blocked vs unblocked`);
              if (!first) first = sv;
              else assert.deepEqual(sv, first, `${backend} ${threads} threads not bit-identical`);
            }
          }
        }
      }
    }
  }
  assert.ok(stagedRun > 20 && globalRun > 20, `staged windows ran (${stagedRun}, ${globalRun} of them on global positions)`);
});

test('cache blocking: engine option, trajectories and the default blocking on a state of many groups', async () => {
  const rng = new Rng(12);
  const c = randomCircuit(11, 40, rng);
  const want = simulateStatevector(c);
  const windows = planCircuit(c, 3).flatMap((st) => (st.kind === 'ops' ? scheduleBlocks(st.ops, 11, 11, { blockBits: 5, high: 2 }) : []));
  assert.ok(windows.some((st) => st.kind === 'window'), 'the run below goes through windows');
  const r = await new StatevectorEngine({ blocking: { blockBits: 5, high: 2 } }).run(c, { statevector: true, precision: 'double', fuse: 3 });
  assert.ok(maxDiff(r.statevector!, want) < 1e-10);
  c.addCreg('m', 1);
  c.measure(3, 0).h(3);
  const a = await new StatevectorEngine({ blocking: { blockBits: 5, high: 2 } }).run(c, { shots: 40, seed: 9, precision: 'double' });
  const b = await new StatevectorEngine({ blocking: { blockBits: 0, high: 0 } }).run(c, { shots: 40, seed: 9, precision: 'double' });
  assert.deepEqual(a.counts, b.counts);
});
