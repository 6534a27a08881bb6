/**
 * Registry of slice job kinds: worker threads, Redis workers and shard runs look up
 * `spec.kind` here to rebuild a job from its serialised input.
 */
import type { SliceJob, SliceJobFactory, SliceJobSpec } from './types.js';
import { createSyntheticJob } from './synthetic-job.js';
import { createNetworkJob } from './network-job.js';

const kinds = new Map<string, SliceJobFactory>([
  ['synthetic', createSyntheticJob],
  ['network', createNetworkJob],
]);

/** Registers (or replaces) a job kind. */
export function registerSliceJobKind(kind: string, factory: SliceJobFactory): void {
  kinds.set(kind, factory);
}

/** Names of the registered kinds. */
export function sliceJobKinds(): string[] {
  return [...kinds.keys()];
}

/** Builds the job a spec describes; throws naming the known kinds if `spec.kind` is unknown. */
export function createSliceJob(spec: SliceJobSpec): SliceJob {
  const f = kinds.get(spec.kind);
  if (!f) throw new Error(`unknown slice job kind '${spec.kind}' (known: ${sliceJobKinds().join(', ')})`);
  return f(spec.input);
}

/** Runs every batch in this thread (reference executor; also used for 0 threads). */
export function runSlicesInline(job: SliceJob, batches: ReadonlyArray<{ start: number; end: number }>): Float64Array[] {
  return batches.map((b) => job.contract(b.start, b.end));
}
