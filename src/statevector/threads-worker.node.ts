/** Worker side of the state-vector thread executor (see threads.node.ts): a long-lived pool member. */
import { parentPort } from 'node:worker_threads';
import { getKernel } from '../backend/registry.js';
import { SV_APPLY, type Amps, type ApplyKernel, type ChunkedState } from './kernels.js';
import { attachChunk, chunkView } from './wasm.js';
import { barrier, type ThreadsAttach, type ThreadsMessage } from './threads.node.js';

let job: { state: ChunkedState; ctl: Int32Array; kernel: ApplyKernel; data: ThreadsAttach } | undefined;

function attach(data: ThreadsAttach): void {
  const chunks: Amps[] = data.buffers.map((b) => {
    if (b instanceof SharedArrayBuffer) return data.precision === 'single' ? new Float32Array(b) : new Float64Array(b);
    const view = chunkView(b, data.precision, data.chunkBits);
    attachChunk(view, b);
    return view;
  });
  const state: ChunkedState = { numQubits: data.numQubits, chunkBits: data.chunkBits, chunks };
  job = { state, ctl: new Int32Array(data.ctl), kernel: getKernel<ApplyKernel>(SV_APPLY, data.backend), data };
}

parentPort!.on('message', (msg: ThreadsMessage) => {
  if (msg.type === 'attach') attach(msg);
  else if (msg.type === 'detach') job = undefined;
  else if (job) {
    const { state, ctl, kernel, data } = job;
    for (const op of msg.ops) {
      kernel(state, op, data.part, data.parts);
      barrier(ctl, data.parts);
    }
  }
});
