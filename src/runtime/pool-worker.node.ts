/**
 * Worker-thread side of {@link SliceThreadPool}: rebuilds jobs from their specs (cached by
 * key, so a network is built once per thread) and contracts the batches it is sent.
 */
import { parentPort } from 'node:worker_threads';
import { createSliceJob } from './jobs.js';
import type { SliceJob, SliceJobSpec } from './types.js';
import type { PoolReply, PoolRequest } from './pool.node.js';

const cache = new Map<string, SliceJob>();

function jobFor(key: string, spec: SliceJobSpec): SliceJob {
  let job = cache.get(key);
  if (!job) {
    job = createSliceJob(spec);
    if (cache.size >= 2) cache.delete(cache.keys().next().value as string); // bounded memory
    cache.set(key, job);
  }
  return job;
}

parentPort?.on('message', (m: PoolRequest) => {
  let reply: PoolReply;
  try {
    const job = jobFor(m.key, m.spec);
    if (m.type === 'info') {
      reply = {
        id: m.id,
        ok: true,
        info: { totalSlices: job.totalSlices, outputLength: job.outputLength, fingerprint: job.fingerprint, flopsPerSlice: job.flopsPerSlice },
      };
    } else {
      const data = job.contract(m.start, m.end);
      parentPort?.postMessage({ id: m.id, ok: true, data } satisfies PoolReply, [data.buffer as ArrayBuffer]);
      return;
    }
  } catch (e) {
    const err = e as Error;
    reply = { id: m.id, ok: false, error: err?.message ?? String(e), errorName: err?.name ?? 'Error' };
  }
  parentPort?.postMessage(reply);
});
