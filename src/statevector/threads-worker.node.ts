/** Worker side of the state-vector thread executor (see threads.node.ts). */
import { parentPort, workerData } from 'node:worker_threads';
import { getKernel } from '../backend/registry.js';
import { SV_APPLY, type Amps, type ApplyKernel, type ChunkedState } from './kernels.js';
import { attachChunk, chunkView } from './wasm.js';
import { barrier, type ThreadsJob, type ThreadsWorkerData } from './threads.node.js';

const data = workerData as ThreadsWorkerData;
const chunks: Amps[] = data.buffers.map((b) => {
  if (b instanceof SharedArrayBuffer) return data.precision === 'single' ? new Float32Array(b) : new Float64Array(b);
  const view = chunkView(b, data.precision, data.chunkBits);
  attachChunk(view, b);
  return view;
});
const state: ChunkedState = { numQubits: data.numQubits, chunkBits: data.chunkBits, chunks };
const ctl = new Int32Array(data.ctl);
const kernel = getKernel<ApplyKernel>(SV_APPLY, data.backend);
parentPort!.on('message', (job: ThreadsJob) => {
  for (const op of job.ops) {
    kernel(state, op, data.part, data.parts);
    barrier(ctl, data.parts);
  }
});
