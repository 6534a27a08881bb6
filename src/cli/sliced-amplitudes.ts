/**
 * Amplitudes of a circuit along a sliced plan through the slice runtime, for `taizhang run`:
 * on the local worker-thread pool or on a Redis/BullMQ cluster. One slice job per requested
 * output (an `x` pattern stays one open job when the plan was made for it), progress merged
 * over all jobs.
 */
import type { Circuit } from '../circuit/circuit.js';
import { writeQasm } from '../formats/qasm2/index.js';
import { PlanError } from '../contraction/plan.js';
import type { ContractionPlan } from '../contraction/types.js';
import type { ProgressEvent } from '../engine/types.js';
import { expandPattern } from '../network/api.js';
import { amplitudesFromResult, createNetworkJob, networkJobSpec } from '../runtime/network-job.js';
import { defaultThreads, runSlicesThreads, SliceThreadPool } from '../runtime/pool.node.js';
import { ClusterError, runSlicesRedis } from '../runtime/cluster.node.js';
import { ProgressTracker, type SliceJobSpec, type SliceRunResult } from '../runtime/types.js';
import { CliInputError } from './errors.js';

/** Options of {@link slicedAmplitudes}. */
export interface SlicedAmplitudeOptions {
  /** Plan file name, for error messages. */
  readonly planFile: string;
  /** Circuit file name, for error messages. */
  readonly circuitFile?: string;
  /** Local worker threads (ignored with `redis`); default all cores. */
  readonly threads?: number;
  /** Redis URL: run on the BullMQ cluster instead of locally. */
  readonly redis?: string;
  readonly queue?: string;
  /** Cluster run id; with several outputs, `-<k>` is appended for the k-th job. */
  readonly runId?: string;
  readonly batchSize?: number;
  readonly timeoutMs?: number;
  /** Progress over all jobs together. */
  readonly onProgress?: (event: ProgressEvent) => void;
}

interface PlannedJob {
  readonly spec: SliceJobSpec;
  readonly pattern: string;
  readonly totalSlices: number;
  readonly flopsPerSlice?: number;
}

/** Does the plan fit the network of this output pattern? (Checks without running anything.) */
function tryJob(qasm: string, pattern: string, plan: ContractionPlan): PlannedJob | PlanError {
  const spec = networkJobSpec(qasm, pattern, plan);
  try {
    const job = createNetworkJob(spec.input);
    return { spec, pattern, totalSlices: job.totalSlices, ...(job.flopsPerSlice !== undefined ? { flopsPerSlice: job.flopsPerSlice } : {}) };
  } catch (e) {
    if (e instanceof PlanError) return e;
    throw e;
  }
}

/**
 * Splits the requested outputs into slice jobs: a bitstring is one job; a pattern with `x` is
 * one open job when the plan was made for that pattern, else one job per matching bitstring
 * (the plan must then fit the fixed-output network, as for `run --plan` without slicing).
 * Throws `CliInputError` naming the plan and the output when the plan fits neither.
 */
export function planSliceJobs(circuit: Circuit, outputs: readonly string[], plan: ContractionPlan, planFile: string, circuitFile = 'the circuit'): PlannedJob[] {
  const qasm = writeQasm(circuit);
  const jobs: PlannedJob[] = [];
  const seen = new Set<string>();
  const add = (pattern: string): PlanError | undefined => {
    const r = tryJob(qasm, pattern, plan);
    if (r instanceof PlanError) return r;
    jobs.push(r);
    for (const b of expandPattern(pattern)) seen.add(b);
    return undefined;
  };
  for (const raw of outputs) {
    const pattern = raw.toLowerCase();
    if (seen.has(pattern)) continue;
    let err: PlanError | undefined;
    if (pattern.includes('x')) {
      if (add(pattern) === undefined) continue;
      for (const b of expandPattern(pattern)) {
        if (seen.has(b)) continue;
        err = add(b);
        if (err) break;
      }
    } else {
      err = add(pattern);
    }
    if (err) throw new CliInputError(`${planFile} does not fit ${circuitFile} with output '${pattern}': ${err.message}`);
  }
  return jobs;
}

/**
 * Computes the requested amplitudes along a sliced plan on the local thread pool or, with
 * `redis`, on the cluster (all jobs enqueued at once). Results are bit-identical between the
 * two and for any thread or worker count (same batches, same reduction order).
 */
export async function slicedAmplitudes(circuit: Circuit, outputs: readonly string[], plan: ContractionPlan, options: SlicedAmplitudeOptions): Promise<Record<string, [number, number]>> {
  const jobs = planSliceJobs(circuit, outputs, plan, options.planFile, options.circuitFile);
  const total = jobs.reduce((s, j) => s + j.totalSlices, 0);
  const flops = jobs.reduce((s, j) => s + j.totalSlices * (j.flopsPerSlice ?? NaN), 0);
  const tracker = new ProgressTracker(total, Number.isFinite(flops) && total > 0 ? flops / total : undefined);
  const done = new Array<number>(jobs.length).fill(0);
  const progressOf = (k: number) =>
    options.onProgress &&
    ((e: ProgressEvent) => {
      const delta = e.done - done[k];
      done[k] = e.done;
      if (delta > 0) options.onProgress?.(tracker.add(delta));
    });
  const common = (k: number) => ({
    ...(options.batchSize !== undefined ? { batchSize: options.batchSize } : {}),
    ...(options.onProgress ? { onProgress: progressOf(k) as (e: ProgressEvent) => void } : {}),
  });
  let results: SliceRunResult[];
  if (options.redis) {
    const redis = options.redis;
    try {
      results = await Promise.all(
        jobs.map((j, k) =>
          runSlicesRedis(j.spec, {
            redis,
            ...common(k),
            ...(options.queue ? { queue: options.queue } : {}),
            ...(options.runId ? { runId: jobs.length === 1 ? options.runId : `${options.runId}-${k}` } : {}),
            ...(options.timeoutMs !== undefined ? { timeoutMs: options.timeoutMs } : {}),
          }),
        ),
      );
    } catch (e) {
      if (e instanceof ClusterError || e instanceof PlanError) throw new CliInputError(e.message);
      throw e;
    }
  } else {
    const pool = new SliceThreadPool(options.threads ?? defaultThreads());
    try {
      results = [];
      for (let k = 0; k < jobs.length; k++) results.push(await runSlicesThreads(jobs[k].spec, { ...common(k), pool }));
    } finally {
      await pool.close();
    }
  }
  const out: Record<string, [number, number]> = {};
  jobs.forEach((j, k) => Object.assign(out, amplitudesFromResult(j.pattern, results[k].data)));
  return out;
}
