/**
 * The browser slice pool (`pool.browser.ts` + `pool-worker.browser.ts`) driven through an
 * object with the Web Worker API (`new Worker(url, { type: 'module' })`, `postMessage`,
 * `addEventListener('message' | 'error')`, `terminate`), backed by a Node worker thread that
 * emulates a dedicated worker scope. Results must be bit-identical to the single-thread
 * reduction and to the Node thread pool.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Worker as NodeWorker } from 'node:worker_threads';
import { parseQasm } from '../../src/formats/qasm2/index.js';
import { runSlicesWebWorkers, WebWorkerSlicePool } from '../../src/runtime/pool.browser.js';
import { runSlicesOnPool, SlicePool, type SliceWorkerEvent, type SliceWorkerLike } from '../../src/runtime/pool-core.js';
import { nodeSliceWorker, runSlicesThreads } from '../../src/runtime/pool.node.js';
import { createSliceJob, runSlicesInline } from '../../src/runtime/jobs.js';
import { networkJobSpec } from '../../src/runtime/network-job.js';
import { encodeFloat64, makeBatches, sumPartials, type SliceJobSpec } from '../../src/runtime/types.js';
import type { ProgressEvent } from '../../src/engine/types.js';
import { testCircuitQasm, testPlan } from './helpers.js';

const SHIM = new URL('./web-worker-shim.node.js', import.meta.url);

/** Web Worker API over a Node worker thread (what a browser gives `pool.browser.ts`). */
class FakeWebWorker implements SliceWorkerLike {
  static created: Array<{ url: string; type: string }> = [];
  private readonly thread: NodeWorker;
  private readonly listeners = new Map<string, Array<(e: SliceWorkerEvent) => void>>();
  constructor(url: URL, options: { type: 'module' }) {
    FakeWebWorker.created.push({ url: url.href, type: options.type });
    this.thread = new NodeWorker(SHIM, { workerData: { script: url.href } });
    // Like a browser: messages and errors arrive as events with `data` / `message`.
    this.thread.on('message', (data: unknown) => this.dispatch('message', { data }));
    this.thread.on('error', (e: Error) => this.dispatch('error', { message: e.message, error: e }));
  }
  postMessage(message: unknown): void {
    this.thread.postMessage(message);
  }
  addEventListener(type: 'message' | 'error', listener: (e: SliceWorkerEvent) => void): void {
    this.listeners.set(type, [...(this.listeners.get(type) ?? []), listener]);
  }
  terminate(): void {
    void this.thread.terminate();
  }
  private dispatch(type: string, e: SliceWorkerEvent): void {
    for (const l of this.listeners.get(type) ?? []) l(e);
  }
}

const synthetic: SliceJobSpec = { kind: 'synthetic', input: { slices: 37, entries: 8, seed: 11, work: 20 } };
const bits = (a: Float64Array) => encodeFloat64(a);

test('Web Worker pool: module workers at pool-worker.browser.js; bits equal the inline reduction for 1, 2 and 3 workers', { timeout: 30000 }, async () => {
  const job = createSliceJob(synthetic);
  const inline = sumPartials(runSlicesInline(job, makeBatches(job.totalSlices, 4)));
  FakeWebWorker.created = [];
  for (const threads of [1, 2, 3]) {
    const events: ProgressEvent[] = [];
    const r = await runSlicesWebWorkers(synthetic, { threads, batchSize: 4, Worker: FakeWebWorker, onProgress: (e) => events.push(e) });
    assert.equal(r.batches, 10);
    assert.equal(bits(r.data), bits(inline), `${threads} web workers changed the bits`);
    assert.equal(events.length, 10);
    assert.equal(events[events.length - 1].done, 37);
  }
  assert.equal(FakeWebWorker.created.length, 6);
  assert.ok(FakeWebWorker.created.every((c) => c.type === 'module' && c.url.endsWith('/runtime/pool-worker.browser.js')));
});

test('Web Worker pool contracts a sliced tensor network: same bits as the Node thread pool', { timeout: 30000 }, async () => {
  const qasm = testCircuitQasm(10, 8, 2);
  const pattern = '01x0110x10';
  const spec = networkJobSpec(qasm, pattern, testPlan(qasm, pattern, 4, (s) => parseQasm(s)));
  const node = await runSlicesThreads(spec, { threads: 1, batchSize: 3 });
  const pool = new WebWorkerSlicePool(2, { Worker: FakeWebWorker });
  try {
    const web = await runSlicesWebWorkers(spec, { pool, batchSize: 3 });
    assert.equal(web.totalSlices, 16);
    assert.equal(bits(web.data), bits(node.data));
    assert.ok(Math.hypot(...web.data) > 0, 'non-trivial amplitudes');
    // A reused pool gives the same bits again, and worker errors come back as errors.
    assert.equal(bits((await runSlicesOnPool(pool, spec, { batchSize: 3 })).data), bits(node.data));
    await assert.rejects(runSlicesOnPool(pool, { kind: 'nope', input: {} }), /unknown slice job kind 'nope'/);
  } finally {
    await pool.close();
  }
});

test('the isomorphic core with the Node adapter; a crashed worker rejects its batch instead of hanging', { timeout: 30000 }, async () => {
  const pool = new SlicePool(2, () => nodeSliceWorker());
  try {
    const r = await runSlicesOnPool(pool, synthetic, { batchSize: 4 });
    const job = createSliceJob(synthetic);
    assert.equal(bits(r.data), bits(sumPartials(runSlicesInline(job, makeBatches(37, 4)))));
  } finally {
    await pool.close();
  }
  // A worker that dies: its error event rejects the pending request.
  const dying: SliceWorkerLike = (() => {
    const ls: Array<(e: SliceWorkerEvent) => void> = [];
    return {
      postMessage: () => setTimeout(() => ls.forEach((l) => l({ message: 'worker died' })), 5),
      addEventListener: (type, l) => void (type === 'error' && ls.push(l)),
      terminate: () => undefined,
    };
  })();
  const bad = new SlicePool(1, () => dying);
  await assert.rejects(bad.info('k', synthetic), /worker died/);
  await bad.close();
  assert.throws(() => new WebWorkerSlicePool(1, {}), /Web Workers are not available here/);
});
