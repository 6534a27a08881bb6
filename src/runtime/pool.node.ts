/**
 * Local parallel executor: a pool of worker threads that share nothing but job specs (inputs)
 * and partial sums. Batches are handed out dynamically; partials are reduced in batch order,
 * so the result's bits do not depend on the thread count or on scheduling.
 */
import { Worker } from 'node:worker_threads';
import { availableParallelism } from 'node:os';
import type { SliceJobInfo, SliceJobSpec, SliceRunOptions, SliceRunResult } from './types.js';
import { defaultBatchSize, hashText, makeBatches, ProgressTracker, sumPartials } from './types.js';

/** Message to a pool thread. */
export type PoolRequest =
  | { readonly id: number; readonly type: 'info'; readonly key: string; readonly spec: SliceJobSpec }
  | { readonly id: number; readonly type: 'run'; readonly key: string; readonly spec: SliceJobSpec; readonly start: number; readonly end: number };

/** Reply from a pool thread. */
export type PoolReply =
  | { readonly id: number; readonly ok: true; readonly info?: SliceJobInfo; readonly data?: Float64Array }
  | { readonly id: number; readonly ok: false; readonly error: string; readonly errorName: string };

/** An error raised inside a pool thread, re-thrown on the caller's side with its name. */
export class SliceWorkerError extends Error {
  override name = 'SliceWorkerError';
  constructor(message: string, readonly workerErrorName: string) {
    super(message);
  }
}

interface Slot {
  readonly worker: Worker;
  pending?: { id: number; resolve: (r: PoolReply & { ok: true }) => void; reject: (e: Error) => void };
}

/** Default thread count: every core (`os.availableParallelism()`). */
export function defaultThreads(): number {
  return availableParallelism();
}

/** A fixed set of worker threads that build jobs from specs and contract slice batches. */
export class SliceThreadPool {
  private readonly slots: Slot[] = [];
  private readonly waiting: Array<{ msg: PoolRequest; resolve: (r: PoolReply & { ok: true }) => void; reject: (e: Error) => void }> = [];
  private nextId = 1;
  private closed = false;

  /** Starts `threads` worker threads (default: all cores). */
  constructor(readonly threads: number = defaultThreads()) {
    if (!Number.isInteger(threads) || threads < 1) throw new RangeError(`threads must be a positive integer, got ${threads}`);
    for (let i = 0; i < threads; i++) {
      const worker = new Worker(new URL('./pool-worker.node.js', import.meta.url));
      const slot: Slot = { worker };
      worker.on('message', (r: PoolReply) => this.onReply(slot, r));
      worker.on('error', (e) => this.onCrash(slot, e));
      worker.on('exit', (code) => {
        if (!this.closed) this.onCrash(slot, new Error(`slice worker thread exited with code ${code}`));
      });
      this.slots.push(slot);
    }
  }

  /** Prepares the job on one thread and returns its slice count and identity. */
  async info(key: string, spec: SliceJobSpec): Promise<SliceJobInfo> {
    const r = await this.request({ id: 0, type: 'info', key, spec });
    return r.info as SliceJobInfo;
  }

  /** Contracts slices `[start, end)` of the job on the next free thread. */
  async runBatch(key: string, spec: SliceJobSpec, start: number, end: number): Promise<Float64Array> {
    const r = await this.request({ id: 0, type: 'run', key, spec, start, end });
    return r.data as Float64Array;
  }

  /** Stops every thread. */
  async close(): Promise<void> {
    this.closed = true;
    for (const w of this.waiting.splice(0)) w.reject(new Error('slice pool closed'));
    await Promise.all(this.slots.map((s) => s.worker.terminate()));
  }

  private request(msg: PoolRequest): Promise<PoolReply & { ok: true }> {
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
      slot.pending = { id: w.msg.id, resolve: w.resolve, reject: w.reject };
      slot.worker.postMessage(w.msg);
    }
  }

  private onReply(slot: Slot, r: PoolReply): void {
    const p = slot.pending;
    if (!p || p.id !== r.id) return;
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

/** Cache key of a spec in pool threads: equal specs share one prepared job on a reused pool. */
export function jobKeyOf(spec: SliceJobSpec): string {
  return `job-${hashText(JSON.stringify(spec))}`;
}

/** Options of {@link runSlicesThreads}. */
export interface ThreadRunOptions extends SliceRunOptions {
  /** Worker threads; default all cores. */
  readonly threads?: number;
  /** Reuse an existing pool instead of starting one (it is left open). */
  readonly pool?: SliceThreadPool;
}

/**
 * Runs every slice of a job on a worker-thread pool and returns the sum. Bit-for-bit identical
 * for any `threads` (batches depend only on the slice count and `batchSize`).
 */
export async function runSlicesThreads(spec: SliceJobSpec, options: ThreadRunOptions = {}): Promise<SliceRunResult> {
  const t0 = Date.now();
  const pool = options.pool ?? new SliceThreadPool(options.threads ?? defaultThreads());
  try {
    const key = jobKeyOf(spec);
    // Prepare the job on every thread at once, so per-thread start-up (network rebuild, JIT
    // warm-up) overlaps instead of delaying the first batch of each thread in turn.
    const infos = await Promise.all(Array.from({ length: pool.threads }, () => pool.info(key, spec)));
    const info = infos[0];
    const batchSize = options.batchSize ?? defaultBatchSize(info.totalSlices);
    const batches = makeBatches(info.totalSlices, batchSize);
    const tracker = new ProgressTracker(info.totalSlices, info.flopsPerSlice);
    const partials: Float64Array[] = new Array(batches.length);
    await Promise.all(
      batches.map(async (b) => {
        partials[b.index] = await pool.runBatch(key, spec, b.start, b.end);
        const ev = tracker.add(b.end - b.start);
        options.onProgress?.(ev);
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
  } finally {
    if (!options.pool) await pool.close();
  }
}
