/**
 * Messages between a slice pool and its workers (worker threads in Node, Web Workers in the
 * browser), and the worker-side request handler both worker scripts share (isomorphic).
 */
import { createSliceJob } from './jobs.js';
import type { SliceJob, SliceJobInfo, SliceJobSpec } from './types.js';

/**
 * Message to a pool worker. `spec` may be left out once the worker has the job under `key`
 * (specs carry the whole circuit and plan; sending them once per worker saves a copy per
 * batch). A worker that no longer has the job answers {@link JOB_MISSING} and gets it again.
 */
export type PoolRequest =
  | { readonly id: number; readonly type: 'info'; readonly key: string; readonly spec?: SliceJobSpec }
  | { readonly id: number; readonly type: 'run'; readonly key: string; readonly spec?: SliceJobSpec; readonly start: number; readonly end: number };

/** `errorName` of the reply to a request without spec for a job the worker does not have. */
export const JOB_MISSING = 'SliceJobMissing';

/** Reply from a pool worker. */
export type PoolReply =
  | { readonly id: number; readonly ok: true; readonly info?: SliceJobInfo; readonly data?: Float64Array }
  | { readonly id: number; readonly ok: false; readonly error: string; readonly errorName: string };

/** An error raised inside a pool worker, re-thrown on the caller's side with its name. */
export class SliceWorkerError extends Error {
  override name = 'SliceWorkerError';
  constructor(
    message: string,
    readonly workerErrorName: string,
  ) {
    super(message);
  }
}

/** A reply and the buffers to transfer (not copy) with it. */
export interface PoolReplyOut {
  readonly reply: PoolReply;
  readonly transfer: ArrayBuffer[];
}

/**
 * Worker-side handler: rebuilds jobs from their specs (cached by key, so a network is built
 * once per worker; at most two kept, to bound memory) and answers `info`/`run` requests.
 * Errors become `ok: false` replies; the worker keeps serving.
 */
export function createPoolRequestHandler(): (m: PoolRequest) => PoolReplyOut {
  const cache = new Map<string, SliceJob>();
  const jobFor = (key: string, spec: SliceJobSpec | undefined): SliceJob | undefined => {
    let job = cache.get(key);
    if (!job) {
      if (!spec) return undefined;
      job = createSliceJob(spec);
      if (cache.size >= 2) cache.delete(cache.keys().next().value as string);
      cache.set(key, job);
    }
    return job;
  };
  return (m) => {
    try {
      const job = jobFor(m.key, m.spec);
      if (!job) return { reply: { id: m.id, ok: false, error: `job ${m.key} is not loaded in this worker`, errorName: JOB_MISSING }, transfer: [] };
      if (m.type === 'info') {
        const info: SliceJobInfo = { totalSlices: job.totalSlices, outputLength: job.outputLength, fingerprint: job.fingerprint, flopsPerSlice: job.flopsPerSlice };
        return { reply: { id: m.id, ok: true, info }, transfer: [] };
      }
      const data = job.contract(m.start, m.end);
      return { reply: { id: m.id, ok: true, data }, transfer: [data.buffer as ArrayBuffer] };
    } catch (e) {
      const err = e as Error;
      return { reply: { id: m.id, ok: false, error: err?.message ?? String(e), errorName: err?.name ?? 'Error' }, transfer: [] };
    }
  };
}
