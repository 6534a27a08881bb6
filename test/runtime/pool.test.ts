import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runSlicesThreads, SliceThreadPool } from '../../src/runtime/pool.node.js';
import { createSliceJob, runSlicesInline } from '../../src/runtime/jobs.js';
import { decodeFloat64, encodeFloat64, makeBatches, sumPartials, defaultBatchSize, ProgressTracker } from '../../src/runtime/types.js';
import { formatProgress, terminalProgress } from '../../src/runtime/progress.node.js';
import type { ProgressEvent } from '../../src/engine/types.js';
import type { SliceJobSpec } from '../../src/runtime/types.js';

const spec: SliceJobSpec = { kind: 'synthetic', input: { slices: 37, entries: 8, seed: 11, work: 20 } };

function bitsEqual(a: Float64Array, b: Float64Array): boolean {
  return encodeFloat64(a) === encodeFloat64(b);
}

test('batches cover every slice once, in order', () => {
  const b = makeBatches(10, 3);
  assert.deepEqual(b.map((x) => [x.index, x.start, x.end]), [[0, 0, 3], [1, 3, 6], [2, 6, 9], [3, 9, 10]]);
  assert.equal(defaultBatchSize(1), 1);
  assert.equal(defaultBatchSize(640), 10);
  assert.throws(() => makeBatches(0, 1), /positive/);
});

test('float64 hex encoding is exact, including signed zero, subnormals and NaN payload-free values', () => {
  const x = Float64Array.from([0, -0, 1e-310, -Math.PI, Infinity, -Infinity, 2 ** 52 + 1, Number.MIN_VALUE]);
  const y = decodeFloat64(encodeFloat64(x));
  assert.ok(bitsEqual(x, y));
  assert.ok(Object.is(y[1], -0));
  assert.throws(() => decodeFloat64('abc'), /hex/);
});

test('pool results are bit-identical for 1, 2 and 3 threads and equal the inline reduction', async () => {
  const job = createSliceJob(spec);
  const batches = makeBatches(job.totalSlices, 4);
  const inline = sumPartials(runSlicesInline(job, batches));
  const results = [];
  for (const threads of [1, 2, 3]) {
    const r = await runSlicesThreads(spec, { threads, batchSize: 4 });
    assert.equal(r.totalSlices, 37);
    assert.equal(r.batches, 10);
    results.push(r.data);
  }
  for (const r of results) assert.ok(bitsEqual(r, inline), 'thread count changed the bits');
  // Repeat runs are reproducible too.
  const again = await runSlicesThreads(spec, { threads: 3, batchSize: 4 });
  assert.ok(bitsEqual(again.data, inline));
});

test('the fixed reduction order matters: another order gives different bits (the test above is meaningful)', () => {
  const job = createSliceJob(spec);
  const parts = runSlicesInline(job, makeBatches(job.totalSlices, 4));
  const ordered = sumPartials(parts);
  const reversed = sumPartials([...parts].reverse());
  assert.ok(!bitsEqual(ordered, reversed));
  // …but the values agree to rounding.
  for (let i = 0; i < ordered.length; i++) assert.ok(Math.abs(ordered[i] - reversed[i]) <= 1e-9 * Math.max(1, Math.abs(ordered[i])));
});

test('default batch size gives the same bits for any thread count', async () => {
  const a = await runSlicesThreads(spec, { threads: 1 });
  const b = await runSlicesThreads(spec, { threads: 2 });
  assert.equal(a.batchSize, defaultBatchSize(37));
  assert.ok(bitsEqual(a.data, b.data));
});

test('progress events count every slice, end at total, and report GFLOP/s', async () => {
  const events: ProgressEvent[] = [];
  await runSlicesThreads(spec, { threads: 2, batchSize: 5, onProgress: (e) => events.push(e) });
  assert.equal(events.length, 8);
  assert.deepEqual(events.map((e) => e.done), [...events.map((e) => e.done)].sort((x, y) => x - y));
  assert.equal(events[events.length - 1].done, 37);
  assert.ok(events.every((e) => e.total === 37 && e.elapsedSeconds >= 0));
  const t = new ProgressTracker(10, 1e9, (() => { let t = 0; return () => (t += 1000); })());
  const ev = t.add(5);
  assert.equal(ev.done, 5);
  assert.equal(ev.gflops, 5);
});

test('progress bar: drawn on a TTY, silent when not a TTY or quiet', () => {
  const out: string[] = [];
  const tty = { isTTY: true, write: (s: string) => out.push(s) };
  const bar = terminalProgress({ stream: tty });
  assert.ok(bar);
  bar({ done: 10, total: 10, elapsedSeconds: 2, gflops: 1.5 });
  assert.match(out.join(''), /10\/10 slices.*100\.0%.*ETA 0s.*1\.50 GFLOP\/s/);
  assert.equal(terminalProgress({ stream: { isTTY: false, write: () => 0 } }), undefined);
  assert.equal(terminalProgress({ stream: tty, quiet: true }), undefined);
  assert.match(formatProgress({ done: 1, total: 4, elapsedSeconds: 30 }), /1\/4 slices .*ETA 1m30s/);
});

test('errors inside a worker thread reach the caller with their message', async () => {
  await assert.rejects(runSlicesThreads({ kind: 'nope', input: {} }, { threads: 1 }), /unknown slice job kind 'nope'/);
  const pool = new SliceThreadPool(1);
  try {
    await assert.rejects(pool.info('k', { kind: 'synthetic', input: { slices: 0, entries: 1, seed: 1 } }), /slices ≥ 1/);
    // The pool keeps working after an error.
    const info = await pool.info('k2', spec);
    assert.equal(info.totalSlices, 37);
  } finally {
    await pool.close();
  }
});

test('a worker that evicted a job gets its spec again (specs are sent once per worker, not per batch)', async () => {
  const pool = new SliceThreadPool(1);
  try {
    const specs: SliceJobSpec[] = [1, 2, 3].map((seed) => ({ kind: 'synthetic', input: { slices: 6, entries: 4, seed, work: 5 } }));
    const first = await runSlicesThreads(specs[0], { pool, batchSize: 2 });
    // Two more jobs push the first out of the worker's two-job cache.
    for (const s of specs.slice(1)) await runSlicesThreads(s, { pool, batchSize: 2 });
    const again = await runSlicesThreads(specs[0], { pool, batchSize: 2 });
    assert.ok(bitsEqual(again.data, first.data));
    const inline = sumPartials(runSlicesInline(createSliceJob(specs[0]), makeBatches(6, 2)));
    assert.ok(bitsEqual(again.data, inline));
  } finally {
    await pool.close();
  }
});
