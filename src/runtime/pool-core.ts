/**
 * Local parallel executor, isomorphic core: a fixed set of workers that share nothing but job
 * specs (inputs) and partial sums. Batches are handed out dynamically to whichever worker is
 * free; partials are reduced in batch order, so the result's bits do not depend on the worker
 * count or on scheduling. Workers are reached only through {@link SliceWorkerLike} (the Web
 * Worker shape), so the same code drives worker threads (`pool.node.ts`) and Web Workers
 * (`pool.browser.ts`).
 */
import type { SliceJobInfo, SliceJobSpec, SliceRunOptions, SliceRunResult } from './types.js';
import { defaultBatchSize, hashText, makeBatches, ProgressTracker, sumPartials } from './types.js';
import { JOB_MISSING, SliceWorkerError, type PoolReply, type PoolRequest } from './pool-protocol.js';

/** Event a worker delivers: `data` for messages, `message`/`error` for failures. */
export interface SliceWorkerEvent {
  readonly data?: unknown;
  readonly message?: string;
  readonly error?: unknown;
}

/**
 * The minimal worker interface the pool needs: a subset of the Web Worker API. A worker must
 * answer each {@link PoolRequest} with one {@link PoolReply} (see `createPoolRequestHandler`)
 * and report a crash as an `error` event.
 */
export interface SliceWorkerLike {
  postMessage(message: PoolRequest): void;
  addEventListener(type: 'message' | 'error', listener: (event: SliceWorkerEvent) => void): void;
  terminate(): unknown;
}

type Resolved = PoolReply & { ok: true };

interface Pending {
  readonly msg: PoolRequest;
  readonly resolve: (r: Resolved) => void;
  readonly reject: (e: Error) => void;
}

interface Slot {
  readonly worker: SliceWorkerLike;
  /** Job keys this worker was sent the spec of (it may since have evicted some). */
  readonly known: Set<string>;
  pending?: Pending;
}

/** A fixed set of workers that build jobs from specs and contract slice batches. */
export class SlicePool {
  private readonly slots: Slot[] = [];
  private readonly waiting: Pending[] = [];
  private nextId = 1;
  private closed = false;

  /** Starts `threads` workers made by `spawn(i)`. */
  constructor(
    readonly threads: number,
    spawn: (index: number) => SliceWorkerLike,
  ) {
    if (!Number.isInteger(threads) || threads < 1) throw new RangeError(`threads must be a positive integer, got ${threads}`);
    for (let i = 0; i < threads; i++) {
      const slot: Slot = { worker: spawn(i), known: new Set() };
      slot.worker.addEventListener('message', (e) => this.onReply(slot, e.data as PoolReply));
      slot.worker.addEventListener('error', (e) => {
        if (!this.closed) this.onCrash(slot, e.error instanceof Error ? e.error : new Error(e.message ?? 'slice worker failed'));
      });
      this.slots.push(slot);
    }
  }

  /** Prepares the job on one worker and returns its slice count and identity. */
  async info(key: string, spec: SliceJobSpec): Promise<SliceJobInfo> {
    const r = await this.request({ id: 0, type: 'info', key, spec });
    return r.info as SliceJobInfo;
  }

  /** Contracts slices `[start, end)` of the job on the next free worker. */
  async runBatch(key: string, spec: SliceJobSpec, start: number, end: number): Promise<Float64Array> {
    const r = await this.request({ id: 0, type: 'run', key, spec, start, end });
    return r.data as Float64Array;
  }

  /** Stops every worker; pending requests are rejected. */
  async close(): Promise<void> {
    this.closed = true;
    for (const w of this.waiting.splice(0)) w.reject(new Error('slice pool closed'));
    await Promise.all(this.slots.map((s) => s.worker.terminate()));
  }

  private request(msg: PoolRequest): Promise<Resolved> {
    if (this.closed) return Promise.reject(new Error('slice pool closed'));
    return new Promise((resolve, reject) => {
      this.waiting.push({ msg: { ...msg, id: this.nextId++ }, resolve, reject });
      this.pump();
    });
  }

  private pump(): void {
    for (const slot of this.slots) {
      if (slot.pending || this.waiting.length === 0) continue;
      const w = this.waiting.shift()!;
      slot.pending = w;
      this.send(slot, w.msg);
    }
  }

  /** Posts a request, leaving out the spec when this worker already has the job. */
  private send(slot: Slot, msg: PoolRequest): void {
    if (slot.known.has(msg.key)) {
      const { spec: _spec, ...bare } = msg;
      slot.worker.postMessage(bare);
    } else {
      if (msg.spec) slot.known.add(msg.key);
      slot.worker.postMessage(msg);
    }
  }

  private onReply(slot: Slot, r: PoolReply): void {
    const p = slot.pending;
    if (!p || !r || p.msg.id !== r.id) return;
    if (!r.ok && r.errorName === JOB_MISSING && slot.known.has(p.msg.key)) {
      // The worker evicted the job: send the same request again, with the spec.
      slot.known.delete(p.msg.key);
      this.send(slot, p.msg);
      return;
    }
    slot.pending = undefined;
    if (r.ok) p.resolve(r);
    else p.reject(new SliceWorkerError(r.error, r.errorName));
    this.pump();
  }

  private onCrash(slot: Slot, e: Error): void {
    const p = slot.pending;
    slot.pending = undefined;
    p?.reject(e);
  }
}

/** Cache key of a spec in pool workers: equal specs share one prepared job on a reused pool. */
export function jobKeyOf(spec: SliceJobSpec): string {
  return `job-${hashText(JSON.stringify(spec))}`;
}

/**
 * Runs every slice of a job on a pool and returns the sum. Bit-for-bit identical for any pool
 * size (batches depend only on the slice count and `batchSize`; partials are summed in order).
 */
export async function runSlicesOnPool(pool: SlicePool, spec: SliceJobSpec, options: SliceRunOptions = {}): Promise<SliceRunResult> {
  const t0 = Date.now();
  const key = jobKeyOf(spec);
  // Prepare the job on every worker at once, so per-worker start-up (network rebuild, JIT
  // warm-up) overlaps instead of delaying the first batch of each worker in turn.
  const infos = await Promise.all(Array.from({ length: pool.threads }, () => pool.info(key, spec)));
  const info = infos[0];
  const batchSize = options.batchSize ?? defaultBatchSize(info.totalSlices);
  const batches = makeBatches(info.totalSlices, batchSize);
  const tracker = new ProgressTracker(info.totalSlices, info.flopsPerSlice);
  const partials: Float64Array[] = new Array(batches.length);
  await Promise.all(
    batches.map(async (b) => {
      partials[b.index] = await pool.runBatch(key, spec, b.start, b.end);
      options.onProgress?.(tracker.add(b.end - b.start));
    }),
  );
  return {
    data: sumPartials(partials),
    totalSlices: info.totalSlices,
    batches: batches.length,
    batchSize,
    fingerprint: info.fingerprint,
    elapsedSeconds: (Date.now() - t0) / 1000,
  };
}
